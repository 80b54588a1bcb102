"""The period a summary covers, named as the source documents name theirs: 2026年 / 2026年上半年 /
2026年第三季度 / 2026年1—10月 / 2026年3月 / 2026年3月5日至6月20日."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

QUARTERS = "一二三四"


class PeriodKind(models.TextChoices):
    """What kind of period a summary covers (a 下步工作 template may be meant for one kind only)."""

    YEAR = "year", _("Whole year")
    HALF_YEAR = "half_year", _("Half year")
    QUARTER = "quarter", _("Quarter")
    MONTH = "month", _("Month")
    MONTHS = "months", _("January to a month's end")
    OTHER = "other", _("Other period")


def month_end(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def _is_month_end(day: dt.date) -> bool:
    return day == month_end(day)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    kind: PeriodKind
    name: str  # 2026年第三季度

    @property
    def whole_year(self) -> bool:
        return self.kind == PeriodKind.YEAR


def _dates(start: dt.date, end: dt.date) -> str:
    tail = f"{end.month}月{end.day}日" if end.year == start.year else f"{end.year}年{end.month}月{end.day}日"
    return f"{start.year}年{start.month}月{start.day}日至{tail}"


def period_of(start: dt.date, end: dt.date) -> Period:
    """The kind and the name of [start, end]."""
    aligned = start.day == 1 and _is_month_end(end)
    year = start.year
    if aligned and start.year == end.year:
        first, last = start.month, end.month
        if (first, last) == (1, 12):
            return Period(start, end, PeriodKind.YEAR, f"{year}年")
        if (first, last) in ((1, 6), (7, 12)):
            half = "上" if first == 1 else "下"
            return Period(start, end, PeriodKind.HALF_YEAR, f"{year}年{half}半年")
        if first % 3 == 1 and last == first + 2:
            return Period(start, end, PeriodKind.QUARTER, f"{year}年第{QUARTERS[first // 3]}季度")
        if first == last:
            return Period(start, end, PeriodKind.MONTH, f"{year}年{first}月")
        kind = PeriodKind.MONTHS if first == 1 else PeriodKind.OTHER
        return Period(start, end, kind, f"{year}年{first}—{last}月")
    if aligned:
        return Period(start, end, PeriodKind.OTHER, f"{year}年{start.month}月—{end.year}年{end.month}月")
    return Period(start, end, PeriodKind.OTHER, _dates(start, end))


# --- the quick picks of the summaries page -------------------------------------------------------------------


def last_year(today: dt.date) -> tuple[dt.date, dt.date]:
    return dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)


def this_year(today: dt.date) -> tuple[dt.date, dt.date]:
    return dt.date(today.year, 1, 1), today


def last_quarter(today: dt.date) -> tuple[dt.date, dt.date]:
    first_month = (today.month - 1) // 3 * 3 + 1
    this_quarter = dt.date(today.year, first_month, 1)
    end = this_quarter - dt.timedelta(days=1)
    return dt.date(end.year, end.month - 2, 1), end
