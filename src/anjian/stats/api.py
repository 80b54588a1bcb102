"""Figures over records for any scope and period: ``/stats/...`` (definitions in each stats module)."""
# No "from __future__ import annotations" here: django-ninja reads the annotations at runtime.

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from anjian.core.exceptions import InvalidInput
from anjian.core.scoping import Scope, access, enterprise_q
from anjian.enterprises.queries import in_region_q, industry_q
from anjian.hazards.models import Hazard
from anjian.orgs.models import Department
from anjian.regions.models import Region
from anjian.stats.hazards import hazard_figures

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
