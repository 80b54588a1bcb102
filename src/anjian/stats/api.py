"""Figures over records for any scope and period: ``/stats/...`` (definitions in each stats module)."""
# No "from __future__ import annotations" here: django-ninja reads the annotations at runtime.

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from anjian.core.exceptions import InvalidInput
from anjian.core.scoping import Scope, access, enterprise_q
from anjian.enterprises.models import Enterprise
from anjian.enterprises.queries import in_region_q, industry_q
from anjian.hazards.models import Hazard
from anjian.orgs.models import Department
from anjian.orgs.predicates import is_enterprise_member, is_government, is_system_admin
from anjian.regions.models import Region
from anjian.stats.hazards import hazard_figures
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
    if params.end < params.start:
        raise InvalidInput(
            _("The end comes before the start."), field_errors={"end": [_("The end comes before the start.")]}
        )
    hazards = Hazard.objects.visible_to(request.user)
    if params.region:
        region = access(Region, request.user, params.region)
        hazards = hazards.filter(in_region_q(region.code, "enterprise"))
    if params.industry:
        hazards = hazards.filter(industry_q(params.industry, "enterprise"))
    if params.department is not None:
        department = access(Department.objects.select_related("region"), request.user, params.department)
        hazards = hazards.filter(enterprise_q(Scope.of_department(department), "enterprise"))
    if params.enterprise is not None:
        hazards = hazards.filter(enterprise_id=params.enterprise)
    return hazard_figures(hazards, params.start, params.end)


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
