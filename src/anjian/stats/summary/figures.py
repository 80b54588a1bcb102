"""Every figure a summary quotes, gathered once from ``stats`` (the same functions the /api/v1/stats endpoints and
the dashboards answer with), for what the reader may see of a region in a period.

The one figure ``stats`` does not give is which enterprises hold the overdue hazards *at the end of a past
period* (``cube.most_overdue_enterprises`` answers for today): ``overdue_enterprises`` counts them with the
ledger's own definition of overdue (``stats.hazards``: open at ``end`` past the deadline in force then), so the
names add up to the summary's ``overdue_open``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from anjian.regions.models import Region
from anjian.stats.cube import (
    Change,
    DepartmentRectification,
    Dimension,
    EnterpriseOverdue,
    HazardRow,
    Narrowing,
    hazard_breakdowns,
    hazard_totals,
    lagging_departments,
    overdue_by_enterprise,
    overdue_facts,
    same_period_last_year,
    shared_reads,
)
from anjian.stats.hazards import HazardFigures
from anjian.stats.inspections import DepartmentFigures, InspectionFigures, by_department, inspection_figures

# Enough to list every department of a county in the appendix.
DEPARTMENT_ROWS = 200
OVERDUE_ENTERPRISES = 10


@dataclass(frozen=True)
class Facts:
    """The figures of one region × period as one reader sees them."""

    region: Region
    start: dt.date
    end: dt.date
    hazards: HazardFigures
    previous: HazardFigures  # the same period a year before
    by_subregion: list[HazardRow]
    by_source: list[HazardRow]
    by_type: list[HazardRow]
    by_management: list[HazardRow]
    by_level: list[HazardRow]
    enforcement: InspectionFigures
    departments: list[DepartmentFigures]  # visits, cases and fines per acting department
    rectification_by_department: list[DepartmentRectification]  # lowest rate first
    overdue_enterprises: list[EnterpriseOverdue]  # at ``end``, most first

    def change(self, name: str) -> Change:
        return Change(getattr(self.hazards, name), getattr(self.previous, name))

    def level(self, level: str) -> HazardRow | None:
        return next((row for row in self.by_level if row.key == level), None)


def overdue_enterprises(
    narrowing: Narrowing, end: dt.date, limit: int = OVERDUE_ENTERPRISES
) -> list[EnterpriseOverdue]:
    """The enterprises with the most hazards overdue at ``end`` (most first; ties: the oldest deadline first)."""
    return overdue_by_enterprise(overdue_facts(narrowing, end), limit)


def gather(user: Any, region: Region, start: dt.date, end: dt.date) -> Facts:
    """All the figures of the summary (about twenty aggregate queries)."""
    narrowing = Narrowing(user, region=region)
    dimensions: tuple[Dimension, ...] = ("subregion", "source", "type", "management", "level")
    with shared_reads():  # the hazards overdue at the end: read once for the breakdowns, totals and lists
        breakdowns = hazard_breakdowns(narrowing, start, end, dimensions)
        return Facts(
            region=region,
            start=start,
            end=end,
            hazards=hazard_totals(narrowing, start, end),
            previous=hazard_totals(narrowing, *same_period_last_year(start, end)),
            by_subregion=breakdowns["subregion"],
            by_source=breakdowns["source"],
            by_type=breakdowns["type"],
            by_management=breakdowns["management"],
            by_level=breakdowns["level"],
            enforcement=inspection_figures(user, start, end, region=region),
            departments=by_department(user, start, end, region=region),
            rectification_by_department=lagging_departments(narrowing, start, end, limit=DEPARTMENT_ROWS),
            overdue_enterprises=overdue_enterprises(narrowing, end),
        )
