"""The 附表 of a summary: every figure its text quotes, exactly, with the /api/v1/stats field that answers the same
number; then the breakdowns behind its sentences (sub-regions, sources and kinds of hazards, departments, the
enterprises holding overdue hazards)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from anjian.hazards.choices import GOVERNMENT_SOURCES, SELF_SOURCES, HazardSource, ManagementClass
from anjian.inspections.choices import DocumentKind
from anjian.inspections.documents import DOCUMENT_TITLES
from anjian.regions.models import Region
from anjian.stats.summary import phrasing as say
from anjian.stats.summary.document import Figure, Table
from anjian.stats.summary.figures import Facts
from anjian.stats.summary.findings import Words

# How the summary names the sources of hazards, grouped as the sources' readers think of them:
# (name in the 附表, how a sentence opens, the sources).
SOURCE_GROUPS: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("企业自查自报", "企业自查自报隐患", frozenset(SELF_SOURCES)),
    ("政府部门执法检查", "政府部门执法检查（含联合检查、专家会诊）发现", frozenset(GOVERNMENT_SOURCES)),
    ("网格员巡查", "网格员巡查发现", frozenset({HazardSource.GRID_PATROL})),
    ("群众举报", "群众举报", frozenset({HazardSource.TIP_OFF})),
)
MANAGEMENT_NAMES = {
    ManagementClass.THING: "物的不安全状态",
    ManagementClass.PERSON: "人的不安全行为",
    ManagementClass.MANAGEMENT: "管理缺陷",
}


def source_groups(facts: Facts) -> list[tuple[str, str, int]]:
    """(name, how a sentence opens, hazards found) per group of sources."""
    counts = {row.key: row.found for row in facts.by_source}
    return [(name, opening, sum(counts.get(s, 0) for s in sources)) for name, opening, sources in SOURCE_GROUPS]


def _exact(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal) and value <= 1 and value.as_tuple().exponent == -4:
        return f"{value * 100:.2f}%"
    return str(value)


def exact_figures(facts: Facts) -> list[Figure]:
    """Every figure the text quotes, exactly, with the endpoint field that gives it."""
    h, p, e = facts.hazards, facts.previous, facts.enforcement
    rows: list[tuple[str, Any, str, str, bool]] = [
        ("发现隐患（处）", h.found, "hazards", "found", False),
        ("已整改（处）", h.rectified, "hazards", "rectified", False),
        ("整改率", h.rectification_rate, "hazards", "rectification_rate", False),
        ("重大隐患（处）", h.major_found, "hazards", "major_found", False),
        ("重大隐患已整改（处）", h.major_rectified, "hazards", "major_rectified", False),
        ("期末逾期未整改隐患（处）", h.overdue_open, "hazards", "overdue_open", False),
        ("上年同期发现隐患（处）", p.found, "hazards", "found", True),
        ("上年同期已整改（处）", p.rectified, "hazards", "rectified", True),
        ("上年同期重大隐患（处）", p.major_found, "hazards", "major_found", True),
        ("上年同期期末逾期未整改隐患（处）", p.overdue_open, "hazards", "overdue_open", True),
        ("执法检查（家次）", e.visits, "inspections", "visits", False),
        ("检查企业（家）", e.enterprises_inspected, "inspections", "enterprises_inspected", False),
        ("应检查企业（家）", e.enterprises_in_scope, "inspections", "enterprises_in_scope", False),
        ("检查覆盖率", e.coverage, "inspections", "coverage", False),
        ("执法检查发现隐患（处）", e.hazards_found_by_inspection, "inspections", "hazards_found_by_inspection", False),
        ("制发执法文书（份）", e.documents_issued, "inspections", "documents_issued", False),
    ]
    for kind in DocumentKind:
        rows.append(
            (
                f"　其中：{DOCUMENT_TITLES[kind]}（份）",
                e.documents_by_kind.get(kind.value, 0),
                "inspections",
                f"documents_by_kind.{kind.value}",
                False,
            )
        )
    rows += [
        ("行政处罚决定（起）", e.cases_decided, "crackdown", "cases_decided", False),
        ("打击非法违法行为（起）", e.illegal_acts, "crackdown", "illegal_acts", False),
        ("整治违章违规行为（起）", e.violations, "crackdown", "violations", False),
        ("责令停产整顿（家）", e.suspended_enterprises, "crackdown", "suspended_enterprises", False),
        ("暂扣吊销证照（个）", e.licences_withheld_or_revoked, "crackdown", "licences_withheld_or_revoked", False),
        ("关闭取缔（家）", e.closed_enterprises, "crackdown", "closed_enterprises", False),
        ("罚款（元）", e.fines_yuan, "crackdown", "fines_yuan", False),
        ("罚款（万元）", e.fines_wan, "crackdown", "fines_wan", False),
        ("追究刑事责任（人）", e.criminal_persons, "crackdown", "criminal_persons", False),
    ]
    return [Figure(label, value, _exact(value), endpoint, name, prev) for label, value, endpoint, name, prev in rows]


def _rate(value: Decimal | None) -> str:
    return say.percent(value) if value is not None else "—"


def appendix(facts: Facts, region: Region, words: Words, figures: list[Figure]) -> list[Table]:
    """The 附表: the exact figures first, then sub-regions, kinds of hazards, departments, overdue enterprises."""
    found = facts.hazards.found
    tables = [
        Table(
            "figures",
            "主要指标",
            ("指标", "数值", "统计接口字段"),
            tuple((f.label, f.shown, f.reference) for f in figures),
            (False, True, False),
        )
    ]
    if len(facts.by_subregion) > 1:
        rows = [
            (
                r.label,
                str(r.found),
                str(r.rectified),
                _rate(r.rectification_rate),
                str(r.major_found),
                str(r.overdue_open),
            )
            for r in facts.by_subregion
        ]
        h = facts.hazards
        rows.append(
            (
                "合计",
                str(h.found),
                str(h.rectified),
                _rate(h.rectification_rate),
                str(h.major_found),
                str(h.overdue_open),
            )
        )
        tables.append(
            Table(
                "subregions",
                f"{say.subregions(region.level)}隐患排查治理情况",
                ("地区", "发现隐患", "已整改", "整改率", "重大隐患", "期末逾期"),
                tuple(rows),
                (False, True, True, True, True, True),
            )
        )
    by_source = [(name, str(n), say.share(n, found)) for name, _opening, n in source_groups(facts)]
    by_type = [(r.label, str(r.found), say.share(r.found, found)) for r in facts.by_type if r.found]
    by_class = [
        (MANAGEMENT_NAMES[ManagementClass(r.key)], str(r.found), say.share(r.found, found))
        for r in facts.by_management
        if r.key in MANAGEMENT_NAMES
    ]
    tables.append(
        Table(
            "kinds",
            "隐患来源、类别和管理分类",
            ("分类", "发现隐患", "占比"),
            (("【来源】", "", ""), *by_source, ("【类别】", "", ""), *by_type, ("【管理分类】", "", ""), *by_class),
            (False, True, True),
        )
    )
    rectification = {d.department_id: d for d in facts.rectification_by_department}
    departments = {d.department_id: d for d in facts.departments}
    ids = sorted(
        set(rectification) | set(departments),
        key=lambda pk: (-(departments[pk].visits if pk in departments else 0), pk),
    )
    if ids:
        rows = []
        for pk in ids:
            acted, found_by = departments.get(pk), rectification.get(pk)
            name = acted.name if acted is not None else found_by.name  # type: ignore[union-attr]
            rows.append(
                (
                    name,
                    str(acted.visits) if acted else "0",
                    str(acted.cases_decided) if acted else "0",
                    f"{acted.fines_yuan:.2f}" if acted else "0.00",
                    str(found_by.found) if found_by else "0",
                    _rate(found_by.rectification_rate) if found_by else "—",
                )
            )
        tables.append(
            Table(
                "departments",
                "各部门执法检查和隐患整改情况",
                ("部门", "检查家次", "处罚决定", "罚款（元）", "检查发现隐患", "整改率"),
                tuple(rows),
                (False, True, True, True, True, True),
            )
        )
    if facts.overdue_enterprises:
        tables.append(
            Table(
                "overdue_enterprises",
                f"期末逾期未整改隐患较多的企业（截至{words.end}）",
                ("企业", "所在地", "逾期隐患", "其中重大", "最早整改期限"),
                tuple(
                    (e.name, e.region, str(e.overdue_open), str(e.major_overdue), e.oldest_deadline.isoformat())
                    for e in facts.overdue_enterprises
                ),
                (False, False, True, True, False),
            )
        )
    return tables
