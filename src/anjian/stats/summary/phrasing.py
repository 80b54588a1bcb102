"""Figures as Chinese work summaries write them. Every rule follows the source documents:

- **Counts** (``about``): exact below 100 ("58次", "78家"); from 100 to 9 999 rounded *down* to tens with 余 when
  something is left over ("360余家次", "1030余处"; 1 030 exactly stays "1030处"); from 10 000 to 99 999 down to
  hundreds ("12300余处"); from 100 000 in 万 to one decimal, down ("123.4万余处"). Rounding down is what 余
  means: "360余" promises at least 360. ``exact`` writes the number as it is ("整改1014处").
- **Rates** (``percent``): one decimal place, half up ("98.4%"); exactly 1 is "100%" and 0 is "0%"; a rate short of
  1 never reads "100%" (it caps at "99.9%") and a rate above 0 never reads "0.0%" ("不足0.1%").
  ``rectification`` says "整改率达98.4%" from 90 % up and "整改率为62.3%" below (达 claims an achievement).
- **Year on year** (``yoy``): "同比增加9起（上升10.59%）", "同比减少14起（下降56%）" — the count and the ratio
  (two decimals, trailing zeros dropped, as 九江 and 新余 write them); "与上年持平" for a whole year,
  "与上年同期持平" for part of one; "同比增加5处（上年同期为零）" when there is nothing to divide by.
  ``yoy_count`` ("同比下降14起") and ``yoy_ratio`` ("同比上升10.59%") give either half alone.
- **Money** (``money``): from 10 000 元 in 万元 to one decimal, half up, ".0" dropped ("罚款41.1万元", "5万元");
  below that in 元 ("3500元").
- **Dates** (``date``): "2026年1月1日".

The exact figure behind every phrase is kept beside it (the summary's 附表)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from anjian.inspections.documents import chinese_date
from anjian.stats.hazards import rate
from anjian.stats.inspections import YUAN_PER_WAN, wan

PROUD_RATE = Decimal("0.9")  # from here a rate is something achieved: 整改率达…


def approx(n: int) -> str:
    """The number as a report rounds it (see the module's rules)."""
    if n < 100:
        return str(n)
    if n < 100_000:
        step = 10 if n < 10_000 else 100
        floor = n - n % step
        return f"{floor}余" if floor != n else str(n)
    thousands = n // 1000
    whole, tenths = divmod(thousands, 10)
    number = f"{whole}.{tenths}万" if tenths else f"{whole}万"
    return f"{number}余" if thousands * 1000 != n else number


def about(n: int, unit: str) -> str:
    """ "360余家次"."""
    return f"{approx(n)}{unit}"


def exact(n: int, unit: str) -> str:
    """ "1014处"."""
    return f"{n}{unit}"


def _plain(value: Decimal) -> str:
    """A decimal without trailing zeros: 56.00 → "56", 62.50 → "62.5"."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent(value: Decimal | None, places: int = 1) -> str:
    """A decimal fraction as a percentage with ``places`` decimals: 0.9843 → "98.4%"."""
    if value is None:
        return "—"
    if value == 1:
        return "100%"
    if value == 0:
        return "0%"
    step = Decimal(1).scaleb(-places)
    shown = (value * 100).quantize(step, rounding=ROUND_HALF_UP)
    if value < 1 and shown >= 100:
        shown = Decimal(100) - step
    if value > 0 and shown <= 0:
        return f"不足{step}%"
    return f"{shown}%"


def share(part: int, whole: int) -> str:
    """``part`` of ``whole`` as a percentage ("35.2%"); "—" when the whole is nothing."""
    return percent(rate(part, whole))


def rectification(value: Decimal | None) -> str:
    """ "整改率达98.4%" (from 90 %) or "整改率为62.3%"; empty when nothing was found."""
    if value is None:
        return ""
    verb = "达" if value >= PROUD_RATE else "为"
    return f"整改率{verb}{percent(value)}"


def _ratio(change: Any) -> str:
    ratio = change.ratio
    return f"{_plain((abs(ratio) * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP))}%"


def _flat(whole_year: bool) -> str:
    return "与上年持平" if whole_year else "与上年同期持平"


def yoy(change: Any, unit: str, *, whole_year: bool = True) -> str:
    """This period against the same one a year before (``change``: a ``stats.cube.Change``)."""
    difference = change.difference
    if difference == 0:
        return _flat(whole_year)
    verb, trend = ("增加", "上升") if difference > 0 else ("减少", "下降")
    if not change.previous:
        return f"同比{verb}{abs(difference)}{unit}（上年同期为零）"
    return f"同比{verb}{abs(difference)}{unit}（{trend}{_ratio(change)}）"


def yoy_count(change: Any, unit: str, *, whole_year: bool = True) -> str:
    """ "同比下降14起" / "同比上升9起"."""
    difference = change.difference
    if difference == 0:
        return _flat(whole_year)
    return f"同比{'上升' if difference > 0 else '下降'}{abs(difference)}{unit}"


def yoy_ratio(change: Any, unit: str = "", *, whole_year: bool = True) -> str:
    """ "同比上升10.59%" / "同比下降56%" (the count when there is nothing to divide by)."""
    difference = change.difference
    if difference == 0:
        return _flat(whole_year)
    if not change.previous:
        return f"同比增加{difference}{unit}（上年同期为零）"
    return f"同比{'上升' if difference > 0 else '下降'}{_ratio(change)}"


def money(yuan: Decimal) -> str:
    """ "41.1万元" from 10 000 元, "3500元" below."""
    if yuan >= YUAN_PER_WAN:
        return f"{_plain(wan(yuan))}万元"
    return f"{_plain(yuan.quantize(Decimal('0.01')))}元"


def date(day: dt.date) -> str:
    """ "2026年1月1日"."""
    return chinese_date(day)


def listing(items: Iterable[str]) -> str:
    """Items joined with the enumeration comma: "甲、乙、丙"."""
    return "、".join(items)


# --- places ------------------------------------------------------------------------------------------------------

_WHOLE_BY_LEVEL = {1: "全省", 2: "全市", 3: "全县", 4: "全镇", 5: "全村"}
_SUBREGIONS_BY_LEVEL = {1: "各设区市", 2: "各县（市、区）", 3: "各乡镇（街道）", 4: "各村（社区）"}


def whole(name: str, level: int) -> str:
    """How a report names its whole territory: 安澜县 → "全县", 浔阳区 → "全区", 青山镇 → "全镇"."""
    if name.endswith("街道"):
        return "全街道"
    if name[-1:] in "省市县区镇乡村":
        return f"全{name[-1]}"
    return _WHOLE_BY_LEVEL.get(level, "全域")


def subregions(level: int) -> str:
    """The regions one level down, as a report groups them: "各乡镇（街道）" under a county."""
    return _SUBREGIONS_BY_LEVEL.get(level, "各地")
