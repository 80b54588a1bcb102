"""Read-side questions about departments."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from anjian.enterprises.models import Enterprise
from anjian.orgs.choices import ALL_INDUSTRY_KINDS, DepartmentKind
from anjian.orgs.models import Department
from anjian.regions.choices import PREFIX_LENGTH, RegionLevel


def supervising_departments(enterprise: Enterprise) -> QuerySet[Department]:
    """The departments responsible for an enterprise: the 安委办 and governments of every region above it
    (属地管理), and supervising departments whose remit covers its industry or one of its tags (管行业必须管安全)."""
    region_codes = [
        enterprise.region_id[:length].ljust(12, "0")
        for level, length in PREFIX_LENGTH.items()
        if level <= RegionLevel.TOWN
    ]
    industry = enterprise.industry
    remit = Q(industries=industry) | Q(tags__in=enterprise.tags.all())
    if industry.parent_id:
        remit |= Q(industries=industry.parent_id)
    return (
        Department.objects.filter(region_id__in=region_codes)
        .filter(Q(kind__in=ALL_INDUSTRY_KINDS) | (Q(kind=DepartmentKind.REGULATOR) & remit))
        .select_related("region")
        .distinct()
        .order_by("region_id", "sort_order", "name")
    )
