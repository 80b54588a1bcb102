"""存在问题: findings computed from the figures. Each check reads the ``Facts`` and returns a finding only when its
condition holds; the conditions' numbers are data (``THRESHOLDS``), so a deployment can tune them without touching
the checks. The wording follows the source documents (000's 整改缓慢, 002's shallow-investigation complaint).

THRESHOLDS (defaults):

================================  ======  ==========================================================================
key                               value   the finding appears when …
================================  ======  ==========================================================================
overdue_min                       1       … at least this many hazards are overdue at the end (整改不及时)
overdue_concentration_share       0.4     … and one sub-region holds at least this share of them: it is named
overdue_enterprise_min            2       an enterprise is named among those with most overdue from this many
overdue_enterprises_named         3       at most this many enterprises are named
major_open_min                    1       … at least this many major hazards found in the period are still open
management_min_found              20      (shallow investigation) judged only from this many hazards found
management_share_max              0.2     … and management defects are less than this share of them (source 002)
lagging_min_found                 5       (lagging departments) a department is judged from this many hazards found
lagging_gap                       0.1     … and named when its rate is this far (or more) below the region's
lagging_named                     3       at most this many departments are named
coverage_min_year                 0.6     … coverage below this share over a whole year (prorated by the period's
                                          length for shorter ones: 0.15 for a quarter)
found_rise_min_ratio              0.1     … hazards found rose year on year by at least this ratio
yoy_min_base                      10      (the rise is judged only when last year's figure was at least this)
overdue_rise_min                  1       … or the overdue hazards rose by at least this many year on year
================================  ======  ==========================================================================
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from anjian.hazards.choices import HazardLevel, ManagementClass
from anjian.stats.hazards import rate
from anjian.stats.summary import phrasing as say
from anjian.stats.summary.figures import Facts

THRESHOLDS: dict[str, Any] = {
    "overdue_min": 1,
    "overdue_concentration_share": Decimal("0.4"),
    "overdue_enterprise_min": 2,
    "overdue_enterprises_named": 3,
    "major_open_min": 1,
    "management_min_found": 20,
    "management_share_max": Decimal("0.2"),
    "lagging_min_found": 5,
    "lagging_gap": Decimal("0.1"),
    "lagging_named": 3,
    "coverage_min_year": Decimal("0.6"),
    "found_rise_min_ratio": Decimal("0.1"),
    "yoy_min_base": 10,
    "overdue_rise_min": 1,
}


@dataclass(frozen=True)
class Words:
    """How the summary names its territory and period."""

    whole: str  # 全县
    period: str  # 2026年第三季度
    end: str  # 2026年9月30日
    whole_year: bool


@dataclass(frozen=True)
class Finding:
    key: str
    title: str  # 隐患整改不够及时
    text: str


Check = Callable[[Facts, Words, dict[str, Any]], Finding | None]


def overdue(facts: Facts, words: Words, t: dict[str, Any]) -> Finding | None:
    n = facts.hazards.overdue_open
    if n < t["overdue_min"]:
        return None
    major = facts.level(HazardLevel.MAJOR)
    text = f"截至{words.end}，{words.whole}仍有逾期未整改隐患{n}处"
    if major is not None and major.overdue_open:
        text += f"（其中重大隐患{major.overdue_open}处）"
    if len(facts.by_subregion) > 1:
        top = max(facts.by_subregion, key=lambda row: row.overdue_open)
        portion = rate(top.overdue_open, n)
        if portion is not None and portion >= t["overdue_concentration_share"]:
            text += f"，其中{top.label}{top.overdue_open}处，占{say.percent(portion)}"
    named = [e for e in facts.overdue_enterprises if e.overdue_open >= t["overdue_enterprise_min"]]
    named = named[: t["overdue_enterprises_named"]]
    if named:
        text += "；逾期隐患较多的企业有" + say.listing(f"{e.name}（{e.overdue_open}处）" for e in named)
    text += "。部分企业主体责任落实不到位，隐患整改缓慢，督办跟踪还需加强。"
    return Finding("overdue", "隐患整改不够及时", text)


def major_open(facts: Facts, words: Words, t: dict[str, Any]) -> Finding | None:
    figures = facts.hazards
    still_open = figures.major_found - figures.major_rectified
    if still_open < t["major_open_min"]:
        return None
    text = (
        f"本期排查发现重大隐患{figures.major_found}处，截至{words.end}已整改销号{figures.major_rectified}处，"
        f"尚有{still_open}处未完成整改。重大隐患治理周期长、难度大，挂牌督办和跟踪问效仍需加强，"
        "确保整改措施、责任、资金、时限和预案“五落实”。"
    )
    return Finding("major_open", "重大隐患治理仍有差距", text)


def shallow_investigation(facts: Facts, words: Words, t: dict[str, Any]) -> Finding | None:
    """Source 002: what is found stays at the surface (unsafe states and acts on site), few management defects."""
    found = facts.hazards.found
    if found < t["management_min_found"]:
        return None
    by_class = {row.key: row.found for row in facts.by_management}
    management = by_class.get(ManagementClass.MANAGEMENT, 0)
    portion = rate(management, found)
    if portion is None or portion >= t["management_share_max"]:
        return None
    thing, person = by_class.get(ManagementClass.THING, 0), by_class.get(ManagementClass.PERSON, 0)
    site = say.share(thing + person, found)
    text = (
        f"从排查出的隐患看，物的不安全状态{thing}处、人的不安全行为{person}处，合计占{site}；"
        f"管理缺陷仅{management}处，占{say.percent(portion)}。隐患排查精细化程度不足，表面检查多、深入分析少，"
        "查细小问题多、查大系统大隐患少，查静态问题多、查动态问题少，排查出的问题大多停留在浅显易见的现场隐患，"
        "难以及时发现重大、深层次的管理问题。"
    )
    return Finding("shallow_investigation", "隐患排查能力有待提高", text)


def lagging_departments(facts: Facts, words: Words, t: dict[str, Any]) -> Finding | None:
    overall = facts.hazards.rectification_rate
    if overall is None:
        return None
    lagging = [
        d
        for d in facts.rectification_by_department
        if d.found >= t["lagging_min_found"]
        and d.rectification_rate is not None
        and d.rectification_rate <= overall - t["lagging_gap"]
    ][: t["lagging_named"]]
    if not lagging:
        return None
    named = "；".join(
        f"{d.name}检查发现隐患{d.found}处，整改率仅为{say.percent(d.rectification_rate)}" for d in lagging
    )
    text = f"{named}，低于{words.whole}平均水平（{say.percent(overall)}），对检查发现隐患的跟踪督办不够有力。"
    return Finding("lagging_departments", "部分部门隐患整改督办不够有力", text)


def low_coverage(facts: Facts, words: Words, t: dict[str, Any]) -> Finding | None:
    figures = facts.enforcement
    if not figures.enterprises_in_scope or figures.coverage is None:
        return None
    days = (facts.end - facts.start).days + 1
    threshold = t["coverage_min_year"] * min(Decimal(1), Decimal(days) / Decimal(365))
    if figures.coverage >= threshold:
        return None
    missed = figures.enterprises_in_scope - figures.enterprises_inspected
    text = (
        f"本期共检查企业{figures.enterprises_inspected}家，占应检查企业（{figures.enterprises_in_scope}家）的"
        f"{say.percent(figures.coverage)}，仍有{missed}家企业未开展执法检查，“全覆盖、无盲区”的要求尚未落实到位。"
    )
    return Finding("low_coverage", "执法检查覆盖面不够", text)


def rising(facts: Facts, words: Words, t: dict[str, Any]) -> Finding | None:
    found, overdue_change = facts.change("found"), facts.change("overdue_open")
    found_rose = (
        found.previous >= t["yoy_min_base"] and found.ratio is not None and found.ratio >= t["found_rise_min_ratio"]
    )
    overdue_rose = overdue_change.difference >= t["overdue_rise_min"]
    if not (found_rose or overdue_rose):
        return None
    parts = []
    if found_rose:
        parts.append(f"本期发现隐患{say.yoy(found, '处', whole_year=words.whole_year)}")
    if overdue_rose:
        parts.append(f"逾期未整改隐患{say.yoy(overdue_change, '处', whole_year=words.whole_year)}")
    text = "，".join(parts) + "，隐患存量仍然较大，源头治理和隐患整改的力度有待加强。"
    title = "隐患总量不降反升" if found_rose else "逾期隐患有所增加"
    return Finding("rising", title, text)


CHECKS: tuple[Check, ...] = (overdue, major_open, shallow_investigation, lagging_departments, low_coverage, rising)


def findings(facts: Facts, words: Words, thresholds: dict[str, Any] | None = None) -> list[Finding]:
    """The findings whose condition holds, in the order of ``CHECKS``."""
    t = {**THRESHOLDS, **(thresholds or {})}
    return [finding for check in CHECKS if (finding := check(facts, words, t)) is not None]
