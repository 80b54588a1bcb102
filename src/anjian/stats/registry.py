"""Registry figures: how many enterprises, by status, industry category, sub-region, scale; licences and grades
running out. Every function takes an already-scoped queryset, so a figure never counts what its reader may
not see, and the tests compare each against raw SQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from anjian.enterprises.choices import EXPIRY_WARNING_DAYS, EnterpriseStatus, LicenceStatus, Scale
from anjian.enterprises.models import Enterprise, Industry, Licence
from anjian.enterprises.queries import LICENCE_EXPIRED, LICENCE_EXPIRING, licence_state_q
from anjian.regions.choices import PREFIX_LENGTH, RegionLevel
from anjian.regions.models import Region


@dataclass(frozen=True)
class Bucket:
    """One bar of a breakdown: a key to filter the list by, a label, and the count."""

    key: str
    label: str
    count: int


@dataclass(frozen=True)
class RegistrySummary:
    total: int
    operating: int
    suspended: int
    closed: int
    licences_expiring: int  # enterprises holding a licence in force that expires within the warning window
    licences_expired: int  # enterprises holding a licence in force that has expired


def registry_summary(enterprises: QuerySet[Enterprise], today: dt.date | None = None) -> RegistrySummary:
    """Enterprise counts by status, and how many (not closed) hold an expiring or expired licence.

    The licence figures count enterprises, with the same condition as the list filter they link to.
    """
    today = today or timezone.localdate()
    figures = enterprises.aggregate(
        total=Count("pk"),
        operating=Count("pk", filter=Q(status=EnterpriseStatus.OPERATING)),
        suspended=Count("pk", filter=Q(status=EnterpriseStatus.SUSPENDED)),
        closed=Count("pk", filter=Q(status=EnterpriseStatus.CLOSED)),
        licences_expiring=Count("pk", filter=licence_state_q(LICENCE_EXPIRING, today)),
        licences_expired=Count("pk", filter=licence_state_q(LICENCE_EXPIRED, today)),
    )
    return RegistrySummary(**figures)


def by_industry_category(enterprises: QuerySet[Enterprise]) -> list[Bucket]:
    """Enterprises per industry category (the catalogue's top level), largest first."""
    rows = enterprises.values("industry__parent_id").annotate(n=Count("pk")).order_by("-n", "industry__parent_id")
    counts = {row["industry__parent_id"]: row["n"] for row in rows}
    categories = Industry.objects.filter(pk__in=[k for k in counts if k is not None]).only("code", "name")
    names = {c.pk: c for c in categories}
    return [Bucket(names[pk].code, names[pk].name, n) for pk, n in counts.items() if pk in names]


def breakdown_length(enterprises: QuerySet[Enterprise]) -> int:
    """How many leading code digits name the sub-regions worth comparing for these enterprises: the level just
    below the deepest region holding them all (a county's towns, a town's villages, a province's cities).

    The common prefix of the smallest and largest region code is the common prefix of them all."""
    bounds = enterprises.aggregate(low=Min("region_id"), high=Max("region_id"))
    low, high = bounds["low"] or "", bounds["high"] or ""
    common = next((i for i, (a, b) in enumerate(zip(low, high, strict=False)) if a != b), min(len(low), len(high)))
    lengths = sorted(PREFIX_LENGTH.values())
    root = max((n for n in lengths if n <= common), default=0)
    return next((n for n in lengths if n > root), lengths[-1])


def by_subregion(enterprises: QuerySet[Enterprise], length: int) -> list[Bucket]:
    """Enterprises per sub-region named by the first ``length`` digits of their region code, in code order.
    Enterprises registered above that level (a town's own, when comparing villages) count under their region."""
    rows = (
        enterprises.annotate(part=Substr("region_id", 1, length))
        .values("part")
        .annotate(n=Count("pk"))
        .order_by("part")
    )
    counts = {row["part"].ljust(12, "0"): row["n"] for row in rows}
    names = dict(Region.objects.filter(code__in=list(counts)).values_list("code", "name"))
    return [Bucket(code, names[code], n) for code, n in counts.items() if code in names]


def by_scale(enterprises: QuerySet[Enterprise]) -> list[Bucket]:
    rows = {r["scale"]: r["n"] for r in enterprises.values("scale").annotate(n=Count("pk")).order_by()}
    return [Bucket(s.value, str(s.label), rows.get(s.value, 0)) for s in Scale]


def by_subregion_and_status(
    enterprises: QuerySet[Enterprise], length: int
) -> tuple[list[Bucket], dict[str, list[int]]]:
    """Sub-regions (as in ``by_subregion``) with, per status, the count in each: a stacked bar's data."""
    regions = by_subregion(enterprises, length)
    rows = enterprises.annotate(part=Substr("region_id", 1, length)).values("part", "status").annotate(n=Count("pk"))
    cells = {(r["part"].ljust(12, "0"), r["status"]): r["n"] for r in rows.order_by()}
    series = {s.value: [cells.get((r.key, s.value), 0) for r in regions] for s in EnterpriseStatus}
    return regions, series


def licences_running_out(licences: QuerySet[Licence], today: dt.date | None = None, limit: int = 8) -> list[Licence]:
    """Licences in force that have expired or expire within the warning window, soonest first."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=EXPIRY_WARNING_DAYS)
    return list(
        licences.filter(status=LicenceStatus.VALID, valid_until__lte=horizon)
        .exclude(enterprise__status=EnterpriseStatus.CLOSED)
        .select_related("enterprise")
        .order_by("valid_until", "pk")[:limit]
    )


def by_child_region(records: QuerySet[Any], region: Region) -> dict[str, int]:
    """Records with a ``region`` (enterprises, grids) per child region of ``region``, keyed by the child's code;
    those registered at ``region``'s own level (a town's enterprise with no village) count under its code."""
    if region.level >= RegionLevel.VILLAGE:
        return {}
    length = PREFIX_LENGTH[RegionLevel(region.level + 1)]
    rows = (
        records.filter(region__code__startswith=region.prefix)
        .annotate(child=Substr("region_id", 1, length))
        .values("child")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["child"].ljust(12, "0"): row["n"] for row in rows}
