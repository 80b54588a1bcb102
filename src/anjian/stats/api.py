"""Figures over records for any scope and period: ``/stats/...`` (definitions in each stats module)."""
# No "from __future__ import annotations" here: django-ninja reads the annotations at runtime.

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import NinjaJSONEncoder

from anjian.core.dbrouting import reading_replica
from anjian.core.exceptions import InvalidInput
from anjian.core.scoping import access
from anjian.enterprises.choices import Ownership, Scale
from anjian.enterprises.models import Enterprise
from anjian.orgs.models import Department
from anjian.orgs.predicates import is_enterprise_member, is_government, is_system_admin
from anjian.regions.models import Region
from anjian.stats.cube import Dimension, Narrowing, hazard_breakdown, hazard_totals
from anjian.stats.inspections import crackdown_figures, inspection_figures
from anjian.stats.risks import risk_figures

router = Router(tags=["statistics"])


class HazardStatsQuery(Schema):
    start: dt.date
    end: dt.date
    region: str | None = None  # a 12-digit region code; default: the caller's whole scope
    industry: str | None = None  # an industry or category code
    department: int | None = None  # what this department supervises (territory and industry remit)
    enterprise: int | None = None
    scale: Scale | None = None  # enterprise scale
    ownership: Ownership | None = None  # enterprise ownership


class HazardStatsOut(Schema):
    start: dt.date
    end: dt.date
    found: int
    rectified: int
    rectification_rate: Decimal | None
    major_found: int
    major_rectified: int
    overdue_open: int


@router.get("/stats/hazards", response=HazardStatsOut)
def hazard_stats(request: HttpRequest, params: Query[HazardStatsQuery]) -> Any:
    """Hazards found in [start, end], rectified of them by ``end``, the rate (4 places; null when none found),
    the major ones, and those open at ``end`` past the deadline in force then. Voided hazards count nowhere."""
    return hazard_totals(hazard_narrowing(request, params), params.start, params.end)


def hazard_narrowing(request: HttpRequest, params: HazardStatsQuery) -> Narrowing:
    """The parameters, checked: 422 for a period that ends before it starts, 404 for a region, department or
    enterprise outside the caller's scope."""
    if params.end < params.start:
        raise InvalidInput(
            _("The end comes before the start."), field_errors={"end": [_("The end comes before the start.")]}
        )
    user: Any = request.user
    region = access(Region, user, params.region) if params.region else None
    department = None
    if params.department is not None:
        department = access(Department.objects.select_related("region"), user, params.department)
    enterprise = access(Enterprise, user, params.enterprise).pk if params.enterprise is not None else None
    return Narrowing(
        user,
        region=region,
        industry=params.industry or None,
        department=department,
        enterprise=enterprise,
        scale=params.scale.value if params.scale else None,
        ownership=params.ownership.value if params.ownership else None,
    )


class BreakdownQuery(HazardStatsQuery):
    by: Dimension


class BreakdownRowOut(Schema):
    key: str  # the value to filter the hazard ledger by (a region-code prefix, category code, source …)
    label: str
    found: int
    rectified: int
    rectification_rate: Decimal | None
    major_found: int
    major_rectified: int
    overdue_open: int


@router.get("/stats/hazards/breakdown", response=list[BreakdownRowOut])
def hazard_breakdown_stats(request: HttpRequest, params: Query[BreakdownQuery]) -> Any:
    """The /stats/hazards figures per bucket of ``by``: ``subregion`` (the regions one level below the one asked
    for, or below the caller's territory), ``category``, ``source``, ``type``, ``management``, ``level`` or
    ``month`` (the months of the period; each counts the hazards found in it). The buckets partition the hazards:
    the rows add up to /stats/hazards."""
    return hazard_breakdown(hazard_narrowing(request, params), params.start, params.end, params.by)


class EnforcementStatsQuery(HazardStatsQuery):
    """The parameters of /stats/hazards; ``department`` here means what that department did (and its remit for
    the coverage denominator)."""


class CrackdownStatsOut(Schema):
    start: dt.date
    end: dt.date
    cases_decided: int
    illegal_acts: int  # 打击非法违法行为(起)
    violations: int  # 整治违章违规行为(起)
    suspended_enterprises: int  # 停产整顿(家)
    licences_withheld_or_revoked: int  # 暂扣吊销证照(个)
    closed_enterprises: int  # 关闭取缔(家)
    fines_yuan: Decimal
    fines_wan: Decimal  # 罚款(万元), one decimal place
    criminal_persons: int  # 追究刑事责任(人)


class InspectionStatsOut(Schema):
    start: dt.date
    end: dt.date
    visits: int
    enterprises_inspected: int
    enterprises_in_scope: int
    coverage: Decimal | None
    hazards_found_by_inspection: int
    documents_issued: int
    documents_by_kind: dict[str, int]
    cases_decided: int
    illegal_acts: int
    violations: int
    suspended_enterprises: int
    licences_withheld_or_revoked: int
    closed_enterprises: int
    fines_yuan: Decimal
    fines_wan: Decimal
    criminal_persons: int


def _narrowing(request: HttpRequest, params: EnforcementStatsQuery) -> dict[str, Any]:
    """The narrowing asked for, checked: 403 for who may not see penalty cases (an enterprise's workers),
    422 for a period that ends before it starts, 404 for a region or department outside the caller's scope."""
    user: Any = request.user
    if not user.has_perm("inspections.view_penaltycase"):
        raise PermissionDenied
    if params.end < params.start:
        raise InvalidInput(
            _("The end comes before the start."), field_errors={"end": [_("The end comes before the start.")]}
        )
    region = access(Region, user, params.region) if params.region else None
    department = None
    if params.department is not None:
        department = access(Department.objects.select_related("region"), user, params.department)
    return {
        "region": region,
        "industry": params.industry or None,
        "department": department,
        "enterprise": params.enterprise,
    }


@router.get("/stats/inspections", response=InspectionStatsOut)
def inspection_stats(request: HttpRequest, params: Query[EnforcementStatsQuery]) -> Any:
    """Enforcement in [start, end]: government inspections (家次; self-inspections excluded), enterprises inspected
    of those in scope and the coverage (4 places; null when none), hazards those inspections found, documents
    issued by kind (drafts never count), and the 打非治违 tallies of the cases decided in the period."""
    return inspection_figures(request.user, params.start, params.end, **_narrowing(request, params))


@router.get("/stats/crackdown", response=CrackdownStatsOut)
def crackdown_stats(request: HttpRequest, params: Query[EnforcementStatsQuery]) -> Any:
    """The 打非治违 tallies of the penalty cases decided in [start, end] (filed, notified or withdrawn cases count
    nowhere): cases by class, enterprises suspended or closed, licences withheld or revoked, fines (yuan and 万元 to
    0.1) and persons referred for criminal liability."""
    return crackdown_figures(request.user, params.start, params.end, **_narrowing(request, params))


class RiskStatsQuery(Schema):
    start: dt.date
    end: dt.date
    region: str | None = None  # a 12-digit region code; default: the caller's whole scope
    industry: str | None = None  # an industry or category code
    enterprise: int | None = None


class RiskStatsOut(Schema):
    start: dt.date
    end: dt.date
    enterprises_in_scope: int
    enterprises_with_register: int
    enterprises_by_level: dict[str, int]  # major, high, medium, low, none (no assessed unit)
    units: int
    units_by_level: dict[str, int]
    tasks_due: int
    tasks_done: int
    tasks_missed: int
    tasks_overdue: int
    tasks_open: int
    completion_rate: Decimal | None


@router.get("/stats/risks", response=RiskStatsOut)
def risk_stats(request: HttpRequest, params: Query[RiskStatsQuery]) -> Any:
    """Dual prevention (双重预防) in the caller's scope: enterprises (not closed) with a risk register of those in
    scope, enterprises by their highest unit level, units by level, and the check tasks whose window closes in
    [start, end] — done, missed, overdue (pending past the window), open — with the completion rate done ÷ (done +
    missed + overdue), 4 places, null when nothing was due. 403 for who sees no register (auditors), 422 for a
    period that ends before it starts, 404 for a region or enterprise outside the caller's scope."""
    user: Any = request.user
    if not (is_government(user) or is_enterprise_member(user) or is_system_admin(user)):
        raise PermissionDenied
    if params.end < params.start:
        raise InvalidInput(
            _("The end comes before the start."), field_errors={"end": [_("The end comes before the start.")]}
        )
    region = access(Region, user, params.region) if params.region else None
    enterprise = access(Enterprise, user, params.enterprise).pk if params.enterprise is not None else None
    return risk_figures(
        user, region=region, industry=params.industry or None, enterprise=enterprise, start=params.start, end=params.end
    )


# --- the dashboard ------------------------------------------------------------------------------------------------


class DashboardQuery(Schema):
    start: dt.date | None = None  # default: 1 January of this year
    end: dt.date | None = None  # default: today
    region: str | None = None  # a 12-digit region code; default: the caller's whole territory
    industry: str | None = None  # an industry or category code


class ChangeOut(Schema):
    current: int
    previous: int  # the same period a year before
    difference: int
    ratio: Decimal | None  # (current − previous) ÷ previous, 4 places; null when previous is 0


class HazardRowOut(Schema):
    key: str
    label: str
    found: int
    rectified: int
    rectification_rate: Decimal | None
    major_found: int
    major_rectified: int
    overdue_open: int


class MapRegionOut(Schema):
    code: str
    name: str
    found: int
    rectified: int
    rectification_rate: Decimal | None
    major_found: int
    overdue_open: int
    visits: int


class RegionMapOut(Schema):
    level: int  # the sub-regions' level (2 city … 5 village)
    children: list[MapRegionOut]
    outside: MapRegionOut | None  # enterprises registered at the region itself, in no sub-region


class RegionRefOut(Schema):
    code: str
    name: str
    level: int


class OverdueEnterpriseOut(Schema):
    enterprise_id: int
    name: str
    region: str
    overdue_open: int
    major_overdue: int
    oldest_deadline: dt.date


class LaggingDepartmentOut(Schema):
    department_id: int
    name: str
    found: int
    rectified: int
    rectification_rate: Decimal | None
    overdue_open: int


class DepartmentEnforcementOut(Schema):
    department_id: int
    name: str
    visits: int
    cases_decided: int
    fines_yuan: Decimal


class StatusCountOut(Schema):
    status: str
    label: str
    count: int


class RecentInspectionOut(Schema):
    id: int
    kind: str
    status: str
    started_at: dt.datetime
    department: str


class RecentPenaltyOut(Schema):
    id: int
    case_number: str
    stage: str
    filed_on: dt.date
    decided_on: dt.date | None


class EnterpriseDashboardOut(Schema):
    enterprise_id: int
    name: str
    open_now: int
    overdue_now: int
    by_status: list[StatusCountOut]
    risk: RiskStatsOut
    recent_inspections: list[RecentInspectionOut]
    recent_penalties: list[RecentPenaltyOut]


class DashboardOut(Schema):
    persona: str  # region | department | enterprise
    start: dt.date
    end: dt.date
    region: RegionRefOut | None
    breadcrumbs: list[RegionRefOut]
    industry: str | None
    department_id: int | None
    hazards: HazardStatsOut
    previous: dict[str, int]  # the same period a year before: found, rectified, major_found, overdue_open — a city's
    # or province's when the rollups answer (a period ending mid-month: found and major_found only)
    change: dict[str, ChangeOut]  # the figures of ``previous``
    trend: list[HazardRowOut]  # per month from trend_start
    trend_start: dt.date
    breakdowns: dict[str, list[HazardRowOut]]  # subregion, category, source, type, management
    enforcement: InspectionStatsOut | None
    departments: list[DepartmentEnforcementOut]
    overdue_enterprises: list[OverdueEnterpriseOut]
    lagging_departments: list[LaggingDepartmentOut]
    map: RegionMapOut | None
    enterprise: EnterpriseDashboardOut | None


def _region_ref(region: Region | None) -> dict[str, Any] | None:
    return None if region is None else {"code": region.code, "name": region.name, "level": region.level}


def _dashboard_out(board: Any) -> dict[str, Any]:
    from anjian.stats.hazards import fields_of  # the records are flat: no deep copy

    section = board.enterprise
    enterprise = None
    if section is not None:
        enterprise = {
            "enterprise_id": section.enterprise.pk,
            "name": section.enterprise.name,
            "open_now": section.open_now,
            "overdue_now": section.overdue_now,
            "by_status": [fields_of(c) for c in section.by_status],
            "risk": section.risk.as_dict(),
            "recent_inspections": [
                {
                    "id": i.pk,
                    "kind": i.kind,
                    "status": i.status,
                    "started_at": i.started_at,
                    "department": str(i.department or ""),
                }
                for i in section.inspections
            ],
            "recent_penalties": [
                {
                    "id": c.pk,
                    "case_number": c.case_number,
                    "stage": c.stage,
                    "filed_on": c.filed_on,
                    "decided_on": c.decided_on,
                }
                for c in section.penalties
            ],
        }
    region_map = board.map
    return {
        "persona": board.persona.value,
        "start": board.start,
        "end": board.end,
        "region": _region_ref(board.region),
        "breadcrumbs": [_region_ref(r) for r in board.breadcrumbs],
        "industry": board.industry,
        "department_id": board.department.pk if board.department is not None else None,
        "hazards": board.hazards.as_dict(),
        "previous": board.previous,
        "change": {
            name: {"current": c.current, "previous": c.previous, "difference": c.difference, "ratio": c.ratio}
            for name, c in board.change.items()
        },
        "trend": [row.as_dict() for row in board.trend],
        "trend_start": board.trend_start,
        "breakdowns": {name: [row.as_dict() for row in rows] for name, rows in board.breakdowns.items()},
        "enforcement": board.enforcement.as_dict() if board.enforcement is not None else None,
        "departments": [fields_of(d) for d in board.departments],
        "overdue_enterprises": [fields_of(e) for e in board.overdue_enterprises],
        "lagging_departments": [fields_of(d) for d in board.lagging],
        "map": None
        if region_map is None
        else {
            "level": int(region_map.level),
            "children": [fields_of(c) for c in region_map.children],
            "outside": fields_of(region_map.outside) if region_map.outside is not None else None,
        },
        "enterprise": enterprise,
    }


@router.get("/stats/dashboard", response=DashboardOut)
def dashboard_stats(request: HttpRequest, params: Query[DashboardQuery]) -> Any:
    """Everything the caller's dashboard (驾驶舱) shows, as the page shows it: for a committee office, a town
    government or the administrator the region's hazard figures with the year-on-year change, the monthly trend, the
    breakdowns, enforcement (and each department's), the most overdue enterprises, the slowest departments and the
    figures of each sub-region (the map; the shapes are the page's business); for a supervising department the same
    over its remit, with its own enforcement; for an enterprise's principal or safety officer its own hazards,
    check tasks, inspections and penalty cases. The period defaults to this year up to today. 403 for who has no
    dashboard (auditors, grid staff, workers), 404 for a region outside the caller's scope, 422 for an end before
    the start or an unknown industry."""
    from anjian.enterprises.models import Industry
    from anjian.stats import dashboard

    user: Any = request.user
    if dashboard.persona_of(user) is None:
        raise PermissionDenied
    today = timezone.localdate()
    start = params.start or dt.date(today.year, 1, 1)
    end = params.end or max(today, start)
    if end < start:
        raise InvalidInput(
            _("The end comes before the start."), field_errors={"end": [_("The end comes before the start.")]}
        )
    if params.industry and not Industry.objects.filter(code=params.industry).exists():  # scoped: the catalogue
        raise InvalidInput(_("No such industry."), field_errors={"industry": [_("No such industry.")]})
    region = access(Region, user, params.region) if params.region else None
    with reading_replica():
        board = dashboard.build(
            user, start=start, end=end, region=region, industry=params.industry or None, today=today
        )
        data = _dashboard_out(board)
    # Rendered as built, not validated again against DashboardOut (a province's 4,000 rows took ~55 ms there):
    # tests/stats/test_dashboard.py checks that the body is what the schema gives for every persona.
    return HttpResponse(json.dumps(data, cls=NinjaJSONEncoder), content_type="application/json; charset=utf-8")
