"""Dual-prevention figures (双重预防: the risk register and its checks) for any scope and period.

The enterprises a figure covers are those its reader may see, narrowed by region, industry (an industry or a
category code) and enterprise, and **not closed** (a closed enterprise keeps no register and does no checks).

- ``enterprises_in_scope``; ``enterprises_with_register``: those with at least one risk unit (风险分析单元).
- ``enterprises_by_level``: the enterprises by their highest unit level (重大/较大/一般/低 = major/high/medium/low);
  ``none``: no assessed unit (no register, or a register not assessed yet). The five add up to the scope.
- ``units``: their risk units; ``units_by_level``: by the unit's level (its worst event's), ``none`` = unassessed.
- The checks of the period [start, end] (local dates; by default the 30 days ending today) are the check tasks
  whose window **closes** in it: ``due_end`` after the first instant of ``start`` and at or before the first instant
  after ``end`` (a daily check of today, due by midnight, is today's). Of them: ``tasks_done``; ``tasks_missed``
  (flagged by the nightly job); ``tasks_overdue``: still pending although their window has closed (``now`` is
  past ``due_end``: the nightly job has not flagged them yet); ``tasks_open``: pending, window not closed.
- ``completion_rate`` (排查完成率) = done ÷ (done + missed + overdue), 4 places (half up), None when nothing was
  due yet. A check done before its window closes counts at once; one still open does not count against it.

``completion_by_enterprise`` and ``completion_by_department`` (the unit's responsible department, per enterprise)
break the same tasks down; ``highest_levels`` lists the enterprises with their highest level (the map's points).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, Exists, IntegerField, Min, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from anjian.core.scoping import in_region_q
from anjian.enterprises.choices import EnterpriseStatus
from anjian.enterprises.models import Enterprise
from anjian.enterprises.queries import industry_q
from anjian.regions.models import Region
from anjian.risks.choices import LEVEL_ORDER, REGISTER_CATEGORIES, TaskStatus
from anjian.risks.filtersets_tasks import overdue_q
from anjian.risks.models import CheckTask, RiskUnit
from anjian.stats.hazards import end_of_day, rate
from anjian.stats.territory import counted

PERIOD_DAYS = 30
NO_LEVEL = "none"
LOW_COMPLETION = Decimal("0.8")


def level_rank(field: str = "level") -> Case:
    """1 for the worst level (major) … 4 for low; NULL for no level, so ``Min`` gives the highest level."""
    whens = [When(**{field: level.value}, then=Value(n)) for n, level in enumerate(LEVEL_ORDER, start=1)]
    return Case(*whens, default=None, output_field=IntegerField())


def level_of_rank(rank: int | None) -> str:
    return LEVEL_ORDER[rank - 1].value if rank else NO_LEVEL


def default_period(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    end = end or timezone.localdate()
    return start or end - dt.timedelta(days=PERIOD_DAYS - 1), end


def _levels(counts: dict[str, int]) -> dict[str, int]:
    """Every level in order, then ``none``; zeros included."""
    return {**{level.value: counts.get(level.value, 0) for level in LEVEL_ORDER}, NO_LEVEL: counts.get(NO_LEVEL, 0)}


@dataclass(frozen=True)
class RiskRecords:
    """The records a figure counts: what ``user`` may see, in ``region``, of ``industry``, of one ``enterprise``, of
    enterprises not closed."""

    user: Any
    region: Region | None = None
    industry: str | None = None
    enterprise: int | None = None

    def of_enterprises(self, path: str) -> Q:
        """The narrowing for the enterprise at ``path`` ("" for Enterprise itself)."""
        prefix = f"{path}__" if path else ""
        condition = ~Q(**{f"{prefix}status": EnterpriseStatus.CLOSED}) & in_region_q(self.user, self.region, path)
        if self.industry:
            condition &= industry_q(self.industry, path)
        if self.enterprise is not None:
            condition &= Q(**{f"{path}_id" if path else "pk": self.enterprise})
        return condition

    def enterprises(self) -> QuerySet[Enterprise]:
        return counted(Enterprise.objects.all(), self.user).filter(self.of_enterprises(""))

    def units(self) -> QuerySet[RiskUnit]:
        return counted(RiskUnit.objects.all(), self.user).filter(self.of_enterprises("enterprise"))

    def tasks(self, start: dt.date, end: dt.date) -> QuerySet[CheckTask]:
        """The check tasks whose window closes in [start, end] (local dates)."""
        return (
            counted(CheckTask.objects.all(), self.user)
            .filter(self.of_enterprises("enterprise"))
            .filter(due_end__gt=end_of_day(start - dt.timedelta(days=1)), due_end__lte=end_of_day(end))
        )


def highest_rank() -> Subquery:
    """The rank (see ``level_rank``) of the enterprise's highest assessed unit, NULL when it has none."""
    units = (
        RiskUnit.objects.filter(enterprise_id=OuterRef("pk"))  # scoped: the enterprise in the outer query is
        .exclude(level="")
        .annotate(rank=level_rank())
        .order_by("rank")
        .values("rank")[:1]
    )
    return Subquery(units, output_field=IntegerField())


@dataclass(frozen=True)
class RiskFigures:
    start: dt.date
    end: dt.date
    enterprises_in_scope: int
    enterprises_with_register: int
    enterprises_by_level: dict[str, int]
    units: int
    units_by_level: dict[str, int]
    tasks_due: int
    tasks_done: int
    tasks_missed: int
    tasks_overdue: int
    tasks_open: int
    completion_rate: Decimal | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _task_counts(now: dt.datetime) -> dict[str, Count]:
    overdue = overdue_q(now)  # the task list's "overdue" filter: the figure and the list behind it agree
    return {
        "tasks_due": Count("pk"),
        "tasks_done": Count("pk", filter=Q(status=TaskStatus.DONE)),
        "tasks_missed": Count("pk", filter=Q(status=TaskStatus.MISSED)),
        "tasks_overdue": Count("pk", filter=overdue),
        "tasks_open": Count("pk", filter=Q(status=TaskStatus.PENDING, due_end__gt=now)),
    }


def _completion(counts: dict[str, int]) -> Decimal | None:
    return rate(counts["tasks_done"], counts["tasks_done"] + counts["tasks_missed"] + counts["tasks_overdue"])


def risk_figures(
    user: Any,
    region: Region | None = None,
    industry: str | None = None,
    enterprise: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    now: dt.datetime | None = None,
) -> RiskFigures:
    """Every dual-prevention figure for what ``user`` may see (three queries once the scope is known)."""
    start, end = default_period(start, end)
    now = now or timezone.now()
    records = RiskRecords(user, region, industry, enterprise)
    has_unit = Exists(RiskUnit.objects.filter(enterprise_id=OuterRef("pk")))  # scoped: the outer enterprise is
    ranked = records.enterprises().annotate(rank=highest_rank(), registered=has_unit)
    enterprises = ranked.aggregate(
        in_scope=Count("pk"),
        with_register=Count("pk", filter=Q(registered=True)),
        **{level.value: Count("pk", filter=Q(rank=n)) for n, level in enumerate(LEVEL_ORDER, start=1)},
        none=Count("pk", filter=Q(rank__isnull=True)),
    )
    in_scope, with_register = enterprises.pop("in_scope"), enterprises.pop("with_register")
    units = dict(records.units().values_list("level").annotate(n=Count("pk")).order_by())
    units[NO_LEVEL] = units.pop("", 0)
    tasks = records.tasks(start, end).aggregate(**_task_counts(now))
    return RiskFigures(
        start=start,
        end=end,
        enterprises_in_scope=in_scope,
        enterprises_with_register=with_register,
        enterprises_by_level=_levels(enterprises),
        units=sum(units.values()),
        units_by_level=_levels(units),
        completion_rate=_completion(tasks),
        **tasks,
    )


@dataclass(frozen=True)
class Completion:
    """The checks of one enterprise (or one of its departments) in the period."""

    enterprise_id: int
    enterprise_name: str
    department: str
    tasks_due: int
    tasks_done: int
    tasks_missed: int
    tasks_overdue: int
    tasks_open: int
    completion_rate: Decimal | None

    @property
    def counted(self) -> int:
        """The denominator of the completion rate: done, missed and overdue."""
        return self.tasks_done + self.tasks_missed + self.tasks_overdue


def _worst_first(rows: list[Completion]) -> list[Completion]:
    """Lowest completion first; rows with nothing due yet last; then by name."""
    return sorted(
        rows,
        key=lambda r: (
            r.completion_rate is None,
            r.completion_rate or 0,
            r.enterprise_name,
            r.enterprise_id,
            r.department,
        ),
    )


def _completions(
    user: Any,
    region: Region | None,
    industry: str | None,
    enterprise: int | None,
    start: dt.date | None,
    end: dt.date | None,
    now: dt.datetime | None,
    group: tuple[str, ...],
) -> list[Completion]:
    start, end = default_period(start, end)
    now = now or timezone.now()
    tasks = RiskRecords(user, region, industry, enterprise).tasks(start, end)
    fields = ("enterprise_id", "enterprise__name", *group)
    rows = tasks.values(*fields).annotate(**_task_counts(now)).order_by()
    completions = []
    for row in rows:
        counts = {name: row[name] for name in _task_counts(now)}
        completions.append(
            Completion(
                enterprise_id=row["enterprise_id"],
                enterprise_name=row["enterprise__name"],
                department=row.get("measure__event__unit__department", ""),
                completion_rate=_completion(counts),
                **counts,
            )
        )
    return _worst_first(completions)


def completion_by_enterprise(
    user: Any,
    region: Region | None = None,
    industry: str | None = None,
    enterprise: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    now: dt.datetime | None = None,
) -> list[Completion]:
    """The period's checks per enterprise with a task due in it, lowest completion first (one query)."""
    return _completions(user, region, industry, enterprise, start, end, now, ())


def completion_by_department(
    user: Any,
    region: Region | None = None,
    industry: str | None = None,
    enterprise: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    now: dt.datetime | None = None,
) -> list[Completion]:
    """The period's checks per enterprise and responsible department of the task's unit (the department names
    are the enterprise's own), lowest completion first (one query)."""
    return _completions(user, region, industry, enterprise, start, end, now, ("measure__event__unit__department",))


# --- listings behind the figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class EnterpriseLevel:
    """An enterprise with its highest unit level (``none`` when no unit is assessed) and its position."""

    enterprise_id: int
    name: str
    region_name: str
    longitude: Decimal | None
    latitude: Decimal | None
    level: str
    registered: bool


def highest_levels(
    user: Any, region: Region | None = None, industry: str | None = None, enterprise: int | None = None
) -> list[EnterpriseLevel]:
    """The enterprises counted by ``enterprises_by_level``, each with its highest level, by name (one query)."""
    has_unit = Exists(RiskUnit.objects.filter(enterprise_id=OuterRef("pk")))  # scoped: the outer enterprise is
    rows = (
        RiskRecords(user, region, industry, enterprise)
        .enterprises()
        .annotate(rank=highest_rank(), registered=has_unit)
        .order_by("name", "pk")
        .values_list("pk", "name", "region__name", "longitude", "latitude", "rank", "registered")
    )
    return [
        EnterpriseLevel(pk, name, region_name, longitude, latitude, level_of_rank(rank), registered)
        for pk, name, region_name, longitude, latitude, rank, registered in rows
    ]


def enterprises_without_register(
    user: Any, region: Region | None = None, industry: str | None = None
) -> QuerySet[Enterprise]:
    """Enterprises of the categories that must keep a register (危险化学品, 工贸) that have no risk unit."""
    registered = RiskUnit.objects.filter(enterprise_id=OuterRef("pk"))  # scoped: the outer enterprise is
    return (
        RiskRecords(user, region, industry)
        .enterprises()
        .filter(industry__parent__code__in=REGISTER_CATEGORIES)
        .exclude(Exists(registered))
        .select_related("industry", "region")
        .order_by("region_id", "name", "pk")
    )


@dataclass(frozen=True)
class OverdueReassessment:
    """An enterprise with risk events past their re-assessment date: how many, and the earliest date."""

    enterprise_id: int
    name: str
    region_name: str
    overdue: int
    reassess_by: dt.date


def overdue_reassessments(
    user: Any, region: Region | None = None, industry: str | None = None, today: dt.date | None = None
) -> list[OverdueReassessment]:
    """Enterprises with a risk event whose re-assessment date has passed, the longest overdue first (one query)."""
    today = today or timezone.localdate()
    overdue = Q(risk_units__events__reassess_by__lt=today)
    rows = (
        RiskRecords(user, region, industry)
        .enterprises()
        .annotate(
            overdue=Count("risk_units__events", filter=overdue),
            since=Min("risk_units__events__reassess_by", filter=overdue),
        )
        .filter(overdue__gt=0)
        .order_by("since", "name", "pk")
        .values_list("pk", "name", "region__name", "overdue", "since")
    )
    return [OverdueReassessment(*row) for row in rows]


def low_completion(
    user: Any, region: Region | None = None, industry: str | None = None, *, now: dt.datetime | None = None
) -> list[Completion]:
    """Enterprises whose checks of the last 30 days are below 80 % complete, worst first."""
    rows = completion_by_enterprise(user, region, industry, now=now)
    return [r for r in rows if r.completion_rate is not None and r.completion_rate < LOW_COMPLETION]


def level_distribution(
    user: Any, region: Region | None = None, industry: str | None = None
) -> tuple[list[tuple[str, str]], dict[str, list[int]]]:
    """Risk units per industry category and level (a stacked bar's data): the categories (code, name) in catalogue
    order, and per level (``none`` too) the count in each (one query)."""
    rows = (
        RiskRecords(user, region, industry)
        .units()
        .values("enterprise__industry__parent__code", "enterprise__industry__parent__name", "level")
        .annotate(n=Count("pk"))
        .order_by("enterprise__industry__parent__sort_order", "enterprise__industry__parent__code")
    )
    categories: dict[str, str] = {}
    cells: dict[tuple[str, str], int] = {}
    for row in rows:
        code = row["enterprise__industry__parent__code"]
        categories.setdefault(code, row["enterprise__industry__parent__name"])
        cells[(code, row["level"] or NO_LEVEL)] = row["n"]
    levels = [*(level.value for level in LEVEL_ORDER), NO_LEVEL]
    series = {level: [cells.get((code, level), 0) for code in categories] for level in levels}
    return list(categories.items()), series
