"""Everything a dashboard (驾驶舱) shows, for one reader, region, period and industry, in one call: ``build``.

Who reads which dashboard (``persona_of``):
- a committee office (安委办) or a people's government (a town), and the system administrator: the whole region —
  hazard figures with the year-on-year change, the monthly trend, breakdowns by sub-region, industry category,
  source, type and management class, everybody's enforcement and each department's part, the enterprises with the
  most overdue hazards, the departments whose finds are rectified slowest, and the map of the sub-regions;
- a supervising department (应急管理局, 住建局 …): the same over its remit (its readers' scope *is* the
  department's territory and industry remit, so every figure is limited to it), with its own enforcement;
- an enterprise's principal or safety officer: its own hazards (open, overdue, the rate, by status), its check
  tasks, its recent inspections and penalty cases; no map.
Everyone else (grid staff, an enterprise's workers, auditors, security administrators) has no dashboard.

Hazard figures come from ``stats.cube`` (the rollups where they answer exactly, else the ledger), enforcement from
``stats.inspections``, check tasks from ``stats.risks``; this module only assembles them. The number of queries is
bounded (about 30 for a county; a test pins it), whatever the size of the region.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.utils import timezone

from anjian.enterprises.models import Enterprise
from anjian.hazards.choices import OPEN_STATUSES, HazardStatus
from anjian.hazards.models import overdue_q
from anjian.inspections.models import Inspection, PenaltyCase
from anjian.orgs.choices import ALL_INDUSTRY_KINDS, UserKind, UserRole
from anjian.orgs.models import Department
from anjian.regions.choices import PREFIX_LENGTH, RegionLevel
from anjian.regions.models import Region
from anjian.stats.cube import (
    Change,
    DepartmentRectification,
    Dimension,
    EnterpriseOverdue,
    HazardRow,
    Narrowing,
    child_length,
    child_regions,
    hazard_breakdown,
    hazard_breakdowns,
    hazard_totals,
    hazard_types,
    lagging_departments,
    most_overdue_enterprises,
    previous_figures,
    shared_reads,
)
from anjian.stats.hazards import HazardFigures, rate
from anjian.stats.inspections import (
    DepartmentFigures,
    EnforcementRecords,
    InspectionFigures,
    by_department,
    inspection_figures,
    visits_by,
)
from anjian.stats.risks import RiskFigures, risk_figures

TOP = 10  # rows of the top-N lists
RECENT = 5  # recent inspections and penalty cases of an enterprise
TREND_MONTHS = 12  # the trend shows at least the twelve months up to the end of the period
CHANGE_FIGURES = ("found", "rectified", "major_found", "overdue_open")
REGION_DIMENSIONS: tuple[Dimension, ...] = ("subregion", "category", "source", "type", "management")
ENTERPRISE_DIMENSIONS: tuple[Dimension, ...] = ("source", "type", "management")


class Persona(StrEnum):
    REGION = "region"  # 安委办, a town government, the system administrator
    DEPARTMENT = "department"  # a supervising department
    ENTERPRISE = "enterprise"  # an enterprise's principal or safety officer


def persona_of(user: Any) -> Persona | None:
    """Which dashboard ``user`` reads, None for who has none."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if user.kind == UserKind.ADMIN:
        return Persona.REGION if user.role == UserRole.SYSTEM_ADMIN else None
    if user.kind == UserKind.DEPARTMENT and user.department_id:
        return Persona.REGION if user.department.kind in ALL_INDUSTRY_KINDS else Persona.DEPARTMENT
    if user.kind == UserKind.ENTERPRISE and user.enterprise_id:
        return Persona.ENTERPRISE if user.role in (UserRole.PRINCIPAL, UserRole.SAFETY_OFFICER) else None
    return None


# --- periods -------------------------------------------------------------------------------------------------


class Period(StrEnum):
    MONTH = "month"  # 本月
    QUARTER = "quarter"  # 本季度
    YEAR = "year"  # 本年
    LAST_YEAR = "last_year"  # 上年
    CUSTOM = "custom"


DEFAULT_PERIOD = Period.YEAR


def period_dates(period: Period, today: dt.date) -> tuple[dt.date, dt.date]:
    """[start, end] of a preset period: the current ones run to today (figures "as of today"), last year is whole."""
    if period == Period.MONTH:
        return today.replace(day=1), today
    if period == Period.QUARTER:
        return today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1), today
    if period == Period.LAST_YEAR:
        return dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
    return dt.date(today.year, 1, 1), today


def months_back(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` before ``day``'s month."""
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def trend_start(start: dt.date, end: dt.date) -> dt.date:
    """The trend's first month: the period's, or twelve months up to ``end`` when the period is shorter."""
    return min(start.replace(day=1), months_back(end, TREND_MONTHS - 1))


# --- what a dashboard holds --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapRegion:
    """One sub-region on the map with the figures it can be coloured by."""

    code: str
    name: str
    found: int
    rectified: int
    rectification_rate: Decimal | None
    major_found: int
    overdue_open: int
    visits: int


@dataclass(frozen=True)
class RegionMap:
    """The sub-regions one level below the dashboard's region (villages under a town), with their figures.
    ``outside`` holds what belongs to enterprises registered at the region itself (no sub-region), so the
    sub-regions and it add up to the totals; ``regions`` are the child Region rows (their positions place the
    schematic tiles)."""

    level: RegionLevel
    children: list[MapRegion]
    outside: MapRegion | None
    regions: list[Region] = field(repr=False)

    @property
    def leaf(self) -> bool:
        """Villages: nothing below them to drill into (a click opens the hazard list)."""
        return self.level >= RegionLevel.VILLAGE


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class EnterpriseSection:
    """An enterprise's own figures: hazards open and overdue today, the period's finds by status, its checks, and
    its latest inspections and penalty cases."""

    enterprise: Enterprise
    open_now: int
    overdue_now: int
    by_status: list[StatusCount]
    risk: RiskFigures
    inspections: list[Inspection]
    penalties: list[PenaltyCase]


@dataclass(frozen=True)
class Dashboard:
    persona: Persona
    region: Region | None  # the region the figures are about (None: everywhere, for the administrator)
    breadcrumbs: list[Region]  # from the reader's own territory down to ``region``'s parent
    start: dt.date
    end: dt.date
    industry: str | None
    department: Department | None
    hazards: HazardFigures
    previous: dict[str, int]  # the same period a year before (cube.previous_figures: some figures may be absent)
    change: dict[str, Change]
    trend_start: dt.date
    trend: list[HazardRow]
    breakdowns: dict[str, list[HazardRow]]
    hazard_type_codes: dict[str, str]  # the type breakdown's keys (pk) → the code the hazard list filters by
    enforcement: InspectionFigures | None = None
    departments: list[DepartmentFigures] = field(default_factory=list)
    overdue_enterprises: list[EnterpriseOverdue] = field(default_factory=list)
    lagging: list[DepartmentRectification] = field(default_factory=list)
    map: RegionMap | None = None
    enterprise: EnterpriseSection | None = None

    @property
    def rectification_rate(self) -> Decimal | None:
        return self.hazards.rectification_rate


# --- assembling ------------------------------------------------------------------------------------------------


def _root(user: Any, region: Region | None) -> Region | None:
    if region is not None:
        return region
    return Narrowing(user).root()


def _breadcrumbs(user: Any, region: Region | None) -> list[Region]:
    """The regions above ``region`` that the reader may open (their own territory and below)."""
    if region is None or region.level == RegionLevel.PROVINCE:
        return []
    from anjian.core.scoping import Scope

    scope = Scope.for_user(user)
    own = len(scope.region_prefix or "")
    if not scope.everything and len(region.prefix) <= own:
        return []  # the reader's own territory: nothing above it to open
    return [r for r in region.ancestors() if scope.everything or PREFIX_LENGTH[RegionLevel(r.level)] >= own]


def _map(
    user: Any,
    narrowing: Narrowing,
    root: Region | None,
    start: dt.date,
    end: dt.date,
    rows: list[HazardRow],
    department: Department | None,
) -> RegionMap | None:
    if root is not None and root.level >= RegionLevel.VILLAGE:
        return None
    level = RegionLevel(root.level + 1) if root is not None else RegionLevel.PROVINCE
    length = child_length(root)
    regions = child_regions(root, level)  # below ``root``, which is the reader's or in their scope
    visits = visits_by(
        EnforcementRecords(user, narrowing.region, narrowing.industry, department), start, end, "subregion"
    )
    by_key = {row.key: row for row in rows}
    placed = []
    for region in regions:
        key = region.code[:length]
        row = by_key.pop(key, None)
        placed.append(_map_region(region.code, region.name, row, visits.pop(key, 0)))
    outside = None
    if any(r.found or r.overdue_open for r in by_key.values()) or any(visits.values()):
        # Enterprises registered at the region itself (or at a code the register no longer holds).
        leftover = list(by_key.values())
        outside = MapRegion(
            code=root.code if root is not None else "",
            name=root.name if root is not None else "",
            found=sum(r.found for r in leftover),
            rectified=sum(r.rectified for r in leftover),
            rectification_rate=rate(sum(r.rectified for r in leftover), sum(r.found for r in leftover)),
            major_found=sum(r.major_found for r in leftover),
            overdue_open=sum(r.overdue_open for r in leftover),
            visits=sum(visits.values()),
        )
    return RegionMap(level=level, children=placed, outside=outside, regions=regions)


def _map_region(code: str, name: str, row: HazardRow | None, visits: int) -> MapRegion:
    if row is None:
        return MapRegion(code, name, 0, 0, None, 0, 0, visits)
    return MapRegion(
        code=code,
        name=name,
        found=row.found,
        rectified=row.rectified,
        rectification_rate=row.rectification_rate,
        major_found=row.major_found,
        overdue_open=row.overdue_open,
        visits=visits,
    )


def _enterprise_section(
    user: Any, narrowing: Narrowing, start: dt.date, end: dt.date, today: dt.date
) -> EnterpriseSection:
    enterprise = Enterprise.objects.visible_to(user).select_related("region", "industry").get(pk=user.enterprise_id)
    hazards = narrowing.hazards()
    now = hazards.aggregate(
        open_now=Count("pk", filter=Q(status__in=sorted(OPEN_STATUSES))),
        overdue_now=Count("pk", filter=overdue_q(today)),
    )
    found = dict(
        hazards.filter(found_on__gte=start, found_on__lte=end).values_list("status").annotate(n=Count("pk")).order_by()
    )
    by_status = [StatusCount(s.value, str(s.label), found.get(s.value, 0)) for s in HazardStatus]
    inspections = list(
        Inspection.objects.visible_to(user)
        .filter(enterprise_id=enterprise.pk)
        .select_related("department")
        .order_by("-started_at", "-pk")[:RECENT]
    )
    penalties = list(
        PenaltyCase.objects.visible_to(user)
        .filter(enterprise_id=enterprise.pk)
        .select_related("department")
        .order_by("-filed_on", "-pk")[:RECENT]
    )
    return EnterpriseSection(
        enterprise=enterprise,
        open_now=now["open_now"],
        overdue_now=now["overdue_now"],
        by_status=by_status,
        risk=risk_figures(user, enterprise=enterprise.pk, start=start, end=end),
        inspections=inspections,
        penalties=penalties,
    )


def build(
    user: Any,
    *,
    start: dt.date,
    end: dt.date,
    region: Region | None = None,
    industry: str | None = None,
    today: dt.date | None = None,
) -> Dashboard:
    """The dashboard ``user`` reads for [start, end], ``region`` (already checked to be in the reader's scope; None:
    the reader's whole territory) and ``industry`` (an industry or category code). PermissionDenied for who has no
    dashboard."""
    persona = persona_of(user)
    if persona is None:
        raise PermissionDenied
    with shared_reads(since=start):  # the overdue hazards at the end: read once for the figures, breakdowns, lists
        return _build(user, persona, start=start, end=end, region=region, industry=industry, today=today)


def _build(
    user: Any,
    persona: Persona,
    *,
    start: dt.date,
    end: dt.date,
    region: Region | None,
    industry: str | None,
    today: dt.date | None,
) -> Dashboard:
    today = today or timezone.localdate()
    industry = industry or None
    department = user.department if persona == Persona.DEPARTMENT else None

    if persona == Persona.ENTERPRISE:
        narrowing = Narrowing(user, enterprise=user.enterprise_id)
        root = None
        dimensions = ENTERPRISE_DIMENSIONS
    else:
        root = _root(user, region)
        narrowing = Narrowing(user, region=root, industry=industry)
        dimensions = REGION_DIMENSIONS

    hazards = hazard_totals(narrowing, start, end)
    previous = previous_figures(narrowing, start, end)  # a province's finds only when the period ends mid-month
    change = {name: Change(getattr(hazards, name), previous[name]) for name in CHANGE_FIGURES if name in previous}
    first_month = trend_start(start, end)
    breakdowns: dict[str, list[HazardRow]] = {
        str(d): rows for d, rows in hazard_breakdowns(narrowing, start, end, dimensions).items()
    }
    dashboard = Dashboard(
        persona=persona,
        region=root,
        breadcrumbs=_breadcrumbs(user, root),
        start=start,
        end=end,
        industry=industry if persona != Persona.ENTERPRISE else None,
        department=department,
        hazards=hazards,
        previous=previous,
        change=change,
        trend_start=first_month,
        trend=hazard_breakdown(narrowing, first_month, end, "month"),
        breakdowns=breakdowns,
        hazard_type_codes={str(pk): code for pk, code, _name in hazard_types()},
    )
    if persona == Persona.ENTERPRISE:
        return _with(dashboard, enterprise=_enterprise_section(user, narrowing, start, end, today))

    enforcement = inspection_figures(user, start, end, region=root, industry=industry, department=department)
    extra: dict[str, Any] = {
        "enforcement": enforcement,
        "overdue_enterprises": most_overdue_enterprises(narrowing, TOP, today),
        "map": _map(user, narrowing, root, start, end, breakdowns["subregion"], department),
    }
    if persona == Persona.REGION:
        extra["lagging"] = lagging_departments(narrowing, start, end, TOP)
        extra["departments"] = [
            d
            for d in by_department(user, start, end, region=root, industry=industry)
            if d.visits or d.cases_decided or d.fines_yuan
        ]
    return _with(dashboard, **extra)


def _with(dashboard: Dashboard, **changes: Any) -> Dashboard:
    return replace(dashboard, **changes)
