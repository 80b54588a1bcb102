"""Hazard figures for any region × period × industry × department × enterprise scale/ownership, their breakdowns
(by sub-region, industry category, source, type, management class, level, month), year on year, and top-N lists.

The definitions are ``stats.hazards``' (PRODUCT.md's, binding); ``hazard_totals`` and ``hazard_breakdown`` answer
from the rollup tables (``stats.tally``) when the question can be read off them exactly — a region at county level
or above, a whole scope (no department remit), a category or no industry, month-aligned periods or periods up to
today — and from the ledger otherwise. Both paths give the same numbers; tests prove each against raw SQL.
"""

from __future__ import annotations

import copy
import datetime as dt
import heapq
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Literal, TypeVar

from django.db import connections
from django.db.models import Case, CharField, Count, F, IntegerField, Min, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Substr, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core.queries import plain_rows
from anjian.core.scoping import Scope, enterprise_q, in_region_q
from anjian.enterprises.models import Enterprise, Industry
from anjian.enterprises.queries import industry_q
from anjian.hazards.choices import OPEN_STATUSES, HazardLevel, HazardSource, HazardStatus, ManagementClass
from anjian.hazards.models import Hazard, HazardQuerySet, HazardType
from anjian.orgs.models import Department
from anjian.regions.choices import PREFIX_LENGTH, RegionLevel
from anjian.regions.models import Region
from anjian.stats.hazards import HazardFigures, deadline_at, end_of_day, fields_of, hazard_figures, rate
from anjian.stats.territory import counted

Dimension = Literal["subregion", "category", "source", "type", "management", "level", "month"]
DIMENSIONS: tuple[Dimension, ...] = ("subregion", "category", "source", "type", "management", "level", "month")


@dataclass(frozen=True)
class Narrowing:
    """Which hazards a figure counts: those ``user`` may see, of enterprises in ``region`` (or below), of
    ``industry`` (an industry or a category code), in ``department``'s remit (territory and industries), of one
    ``enterprise``, of a ``scale`` and an ``ownership`` — each optional."""

    user: Any
    region: Region | None = None
    industry: str | None = None
    department: Department | None = None
    enterprise: int | None = None
    scale: str | None = None
    ownership: str | None = None

    def enterprise_condition(self, path: str = "enterprise") -> Q:
        prefix = f"{path}__" if path else ""
        condition = in_region_q(self.user, self.region, path)
        if self.industry:
            condition &= industry_q(self.industry, path)
        if self.department is not None:
            condition &= enterprise_q(Scope.of_department(self.department), path)
        if self.enterprise is not None:
            condition &= Q(**{f"{path}_id" if path else "pk": self.enterprise})
        if self.scale:
            condition &= Q(**{f"{prefix}scale": self.scale})
        if self.ownership:
            condition &= Q(**{f"{prefix}ownership": self.ownership})
        return condition

    def hazards(self) -> HazardQuerySet:
        """The ledger rows counted (voided ones included: the figures leave them out themselves)."""
        return counted(Hazard.objects.all(), self.user).filter(self.enterprise_condition())

    def enterprises(self) -> QuerySet[Enterprise]:
        return counted(Enterprise.objects.all(), self.user).filter(self.enterprise_condition(""))

    def root(self) -> Region | None:
        """The region the figures are about: the one asked for, else the reader's territory (None: everywhere)."""
        if self.region is not None:
            return self.region
        prefix = Scope.for_user(self.user).region_prefix
        if prefix:
            return Region.objects.filter(code=prefix.ljust(12, "0")).first()
        return None

    def of_region(self, region: Region) -> Narrowing:
        return replace(self, region=region)


@dataclass(frozen=True)
class HazardRow:
    """One bucket of a breakdown: a key to filter the ledger by, a label, and the figures of its hazards."""

    key: str
    label: str
    found: int
    rectified: int
    rectification_rate: Decimal | None
    major_found: int
    major_rectified: int
    overdue_open: int

    def as_dict(self) -> dict[str, Any]:
        return fields_of(self)


@dataclass(frozen=True)
class Change:
    """This period against the same period a year before (同比)."""

    current: int
    previous: int

    @property
    def difference(self) -> int:
        return self.current - self.previous

    @property
    def ratio(self) -> Decimal | None:
        """(current − previous) ÷ previous, 4 places; None when there was nothing a year before."""
        return rate(self.difference, self.previous)


def same_period_last_year(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    def back(day: dt.date) -> dt.date:
        try:
            return day.replace(year=day.year - 1)
        except ValueError:  # 29 February
            return day.replace(year=day.year - 1, day=28)

    return back(start), back(end)


# --- totals ----------------------------------------------------------------------------------------------------


def hazard_totals(narrowing: Narrowing, start: dt.date, end: dt.date) -> HazardFigures:
    """The PRODUCT.md hazard figures for the narrowing (the rollups when they answer exactly, else the ledger)."""
    from anjian.stats import tally

    if tally.answers(narrowing, start, end):
        return tally.totals(narrowing, start, end)
    return hazard_figures(narrowing.hazards(), start, end)


def hazard_change(narrowing: Narrowing, start: dt.date, end: dt.date) -> dict[str, Change]:
    """This period's figures against the same period a year before (``previous_figures``: a figure it cannot give
    cheaply is left out)."""
    now = hazard_totals(narrowing, start, end)
    then = previous_figures(narrowing, start, end)
    return {name: Change(getattr(now, name), then[name]) for name in then}


def previous_figures(narrowing: Narrowing, start: dt.date, end: dt.date) -> dict[str, int]:
    """The figures of the same period a year before, for year-on-year comparison.

    A question the rollups cannot answer (a region below a county, a department's remit, an enterprise, a scale or
    ownership): every figure, from the ledger. Otherwise found, rectified and major found — the overdue figure at a
    past day needs the deadlines in force then, a scan of the region's ledger, so it is left out — from the rollups;
    when that period ends mid-month (本年 to today), its whole months from the rollups and the rest from the ledger:
    the finds of the last partial month, and the earlier finds closed in it (the closed_at index finds them).
    """
    from anjian.stats import remembered, tally

    then_start, then_end = same_period_last_year(start, end)
    if not tally.answers(narrowing, start.replace(day=1), end):  # a question small enough for the ledger
        figures = hazard_totals(narrowing, then_start, then_end)
        return {name: getattr(figures, name) for name in ("found", "rectified", "major_found", "overdue_open")}
    # whole regions: the same figures for every reader of the region, remembered while its hazards of then are
    # unchanged (``stats.remembered``)
    prefix = tally.region_prefix(narrowing)

    def version() -> int | None:
        return remembered.version(prefix, then_start.year, then_end.year)

    return remembered.remembered(
        ("previous", prefix, narrowing.industry or "", start, end, timezone.localdate()),
        version(),
        lambda: _previous_of_regions(narrowing, then_start, then_end),
        recheck=version,
    )


def _previous_of_regions(narrowing: Narrowing, then_start: dt.date, then_end: dt.date) -> dict[str, int]:
    """``previous_figures`` of whole regions: the rollups, and the ledger for the last month when it is partial."""
    from anjian.stats import tally

    if tally.answers(narrowing, then_start, then_end):
        figures = tally.totals(narrowing, then_start, then_end, overdue=False)
        return {name: getattr(figures, name) for name in ("found", "rectified", "major_found")}
    month = then_end.replace(day=1)
    boundary = end_of_day(then_end)
    counted = narrowing.hazards().exclude(status=HazardStatus.VOIDED)
    # counting the day found (never null), not the id, keeps it to the index on it, which covers every column read
    tail = counted.filter(found_on__gte=max(month, then_start), found_on__lte=then_end).aggregate(
        found=Count("found_on"),
        major_found=Count("found_on", filter=Q(level=HazardLevel.MAJOR)),
        rectified=Count("found_on", filter=Q(status=HazardStatus.CLOSED, closed_at__lt=boundary)),
    )
    if month <= then_start:
        return tail
    whole = tally.totals(narrowing, then_start, month - dt.timedelta(days=1), overdue=False)
    closed_in_tail = counted.filter(
        found_on__gte=then_start,
        found_on__lt=month,
        status=HazardStatus.CLOSED,
        closed_at__gte=end_of_day(month - dt.timedelta(days=1)),
        closed_at__lt=boundary,
    ).count()
    return {
        "found": tail["found"] + whole.found,
        "rectified": tail["rectified"] + whole.rectified + closed_in_tail,
        "major_found": tail["major_found"] + whole.major_found,
    }


# --- breakdowns --------------------------------------------------------------------------------------------------


def child_length(root: Region | None) -> int:
    """Digits of the region code naming the sub-regions one level below ``root`` (provinces when None)."""
    if root is None:
        return PREFIX_LENGTH[RegionLevel.PROVINCE]
    if root.level >= RegionLevel.VILLAGE:
        return PREFIX_LENGTH[RegionLevel.VILLAGE]
    return PREFIX_LENGTH[RegionLevel(root.level + 1)]


def _key_expression(dimension: Dimension, narrowing: Narrowing) -> Any:
    if dimension == "subregion":
        return Substr("enterprise__region_id", 1, child_length(narrowing.root()))
    if dimension == "category":
        return F("enterprise__industry__parent__code")
    if dimension == "source":
        return F("source")
    if dimension == "type":
        return F("hazard_type_id")
    if dimension == "management":
        return F("management_class")
    if dimension == "level":
        return F("level")
    return TruncMonth("found_on")


def _key_text(dimension: Dimension, narrowing: Narrowing) -> Any:
    """The bucket of ``dimension`` as text, as the breakdowns key it ("YYYY-MM" for a month, a type's id)."""
    if dimension == "type":
        return Cast("hazard_type_id", CharField())
    if dimension == "month":
        return Substr(Cast("found_on", CharField()), 1, 7)
    return _key_expression(dimension, narrowing)


# The period's finds read once and counted per bucket of every dimension the rollups cannot answer: one scan of
# the ledger rather than one per breakdown (a department's dashboard asks for six). Plain SQL around the ORM's
# query (portable: a common table expression and UNION ALL).
_COUNTS_SQL = """
WITH f ({keys}, r, m) AS ({rows})
{selects}
"""
_COUNTS_SELECT = "SELECT {n}, k{n}, COUNT(*), SUM(r), SUM(m), SUM(r * m) FROM f GROUP BY k{n}"


def _ledger_counts(
    narrowing: Narrowing, start: dt.date, end: dt.date, dimensions: list[Dimension]
) -> dict[Dimension, dict[str, dict[str, int]]]:
    """Found, rectified and major per bucket of each dimension, from the ledger in one statement (the overdue
    column comes from ``overdue_facts``)."""
    closed_by_end = Q(status=HazardStatus.CLOSED, closed_at__lt=end_of_day(end))
    flag = {
        "r": Case(When(closed_by_end, then=Value(1)), default=Value(0), output_field=IntegerField()),
        "m": Case(When(level=HazardLevel.MAJOR, then=Value(1)), default=Value(0), output_field=IntegerField()),
    }
    keys = {f"k{n}": _key_text(dimension, narrowing) for n, dimension in enumerate(dimensions)}
    rows = (
        narrowing.hazards()
        .exclude(status=HazardStatus.VOIDED)
        .filter(found_on__gte=start, found_on__lte=end)
        .annotate(**keys, **flag)
        .values_list(*keys, "r", "m")
        .order_by()
    )
    sql, params = rows.query.sql_with_params()
    statement = _COUNTS_SQL.format(
        keys=", ".join(keys),
        rows=sql,
        selects="\nUNION ALL ".join(_COUNTS_SELECT.format(n=n) for n in range(len(dimensions))),
    )
    result: dict[Dimension, dict[str, dict[str, int]]] = {dimension: {} for dimension in dimensions}
    with connections[rows.db].cursor() as cursor:
        cursor.execute(statement, params)
        for n, bucket, found, rectified, major, major_rectified in cursor.fetchall():
            result[dimensions[n]][str(bucket or "")] = {
                "found": int(found),
                "rectified": int(rectified),
                "major_found": int(major),
                "major_rectified": int(major_rectified),
            }
    return result


FACT_FIELDS = (
    "enterprise__region_id",
    "enterprise__industry__parent__code",
    "source",
    "hazard_type_id",
    "management_class",
    "level",
    "found_on",
)


def overdue_hazards(narrowing: Narrowing, end: dt.date) -> HazardQuerySet:
    """The hazards overdue at ``end``: found by then, not closed by then, past the deadline in force then. For a
    past day the deadline in force is computed only for the hazards still open at the time (a small share)."""
    hazards = narrowing.hazards().exclude(status=HazardStatus.VOIDED).filter(found_on__lte=end).order_by()
    if end >= timezone.localdate():
        return hazards.filter(status__in=sorted(OPEN_STATUSES), deadline__lt=end)
    boundary = end_of_day(end)
    return (
        hazards.exclude(status=HazardStatus.CLOSED, closed_at__lt=boundary)
        .annotate(deadline_then=deadline_at(boundary))
        .filter(deadline_then__lt=end)
    )


T = TypeVar("T")

# The overdue facts of a (narrowing, day), read once within ``shared_reads`` (a dashboard, a summary): at a past day
# they cost a scan of the region's ledger with each hazard's deadline then, which several figures need.
_SHARED: ContextVar[dict[tuple[Any, ...], Any] | None] = ContextVar("anjian_stats_shared", default=None)
_SINCE: ContextVar[str] = ContextVar("anjian_stats_since", default="")  # shared_reads' ``since``, "YYYY-MM"


def shared_key(narrowing: Narrowing, end: dt.date) -> tuple[Any, ...]:
    """The reader by identity (a synthetic reader has no pk), the rest by value."""
    n = narrowing
    return (
        id(n.user),
        n.region and n.region.pk,
        n.industry,
        n.department and n.department.pk,
        n.enterprise,
        n.scale,
        n.ownership,
        end,
    )


def read_once(key: tuple[Any, ...], read: Callable[[], T]) -> T:
    """Within ``shared_reads``: ``read()`` once per ``key`` (its first item names the read), a copy of it after;
    outside: every time. A dashboard asks for its sub-regions' visits twice, for the enforcement figures and the
    map."""
    shared = _SHARED.get()
    if shared is None:
        return read()
    if key not in shared:
        shared[key] = read()
    return copy.copy(shared[key])


@contextmanager
def shared_reads(since: dt.date | None = None) -> Iterator[None]:
    """Within the block, the overdue hazards at a day are read from the ledger once per narrowing (today's: once,
    see ``overdue_today``). ``since``: the first day of the period read (the 1st of a month), whose departments'
    overdue finds today's read sums (the lagging departments)."""
    token = _SHARED.set({})
    since_token = _SINCE.set(since.strftime("%Y-%m") if since is not None else "")
    try:
        yield
    finally:
        _SINCE.reset(since_token)
        _SHARED.reset(token)


# positions in a fact: FACT_FIELDS (0–6), then these
ENTERPRISE, FINDER, DEADLINE_THEN = 7, 8, 9


def overdue_facts(narrowing: Narrowing, end: dt.date) -> list[tuple[Any, ...]]:
    """The overdue hazards as the fields every breakdown buckets by, with the enterprise, the finding department
    and the deadline in force at ``end``: one query serves all dimensions, the top lists and the counts."""
    shared, key = _SHARED.get(), shared_key(narrowing, end)
    if shared is not None and key in shared:
        return shared[key]
    hazards = overdue_hazards(narrowing, end)
    if end >= timezone.localdate():
        hazards = hazards.annotate(deadline_then=F("deadline"))
    facts = list(hazards.values_list(*FACT_FIELDS, "enterprise_id", "finding_department_id", "deadline_then"))
    if shared is not None:
        shared[key] = facts
    return facts


def overdue_count(narrowing: Narrowing, end: dt.date) -> int:
    """How many hazards are overdue at ``end`` (the shared facts when they were read already, else a COUNT)."""
    shared, key = _SHARED.get(), shared_key(narrowing, end)
    if shared is not None and key in shared:
        return len(shared[key])
    return overdue_hazards(narrowing, end).count()


@dataclass(frozen=True)
class OverdueToday:
    """Today's overdue hazards of a narrowing, summed three ways in one statement: the enterprises with the most
    (``TODAY_TOP`` of them, as ``most_overdue_enterprises`` orders them; off ``overdue_tally`` when it answers), the
    count per month found ("YYYY-MM"; empty where the open-hazard rollup knows it), and per finding department of
    those found in ``since`` ("YYYY-MM") or later ("": of every month; None where the rest came off the rollups and
    the statement is not run for them alone: the lagging departments ask for the few they rank)."""

    top: list[tuple[int, int, int, dt.date]]
    by_month: dict[str, int]
    since: str
    by_department: dict[int, int] | None


TODAY_TOP = 50  # enough for every top list asked for within shared reads (the dashboards' and summaries' ten)

# The overdue hazards (the partial index on the open hazards' deadline holds every column read, and the
# enterprises' region index the reader's territory) summed in the database, each sum over its own scan of the index
# (NOT MATERIALIZED: a materialised row set of a province's 100 k overdue hazards cost more than scanning twice):
# the few rows each use needs come back, not one row per hazard. Plain SQL around the ORM's query (portable).
_TODAY_SQL = """
WITH o (e, d, f, l, deadline) AS NOT MATERIALIZED ({rows})
{selects}
"""
_TODAY_TOP = """SELECT 'e', e, NULL, n, major, oldest FROM (
    SELECT e, COUNT(*) AS n, SUM(CASE WHEN l = %s THEN 1 ELSE 0 END) AS major, MIN(deadline) AS oldest
    FROM o GROUP BY e ORDER BY 2 DESC, 4, 1 LIMIT {top}
) AS ranked"""
_TODAY_DAYS = "SELECT 'f', NULL, f, COUNT(*), NULL, NULL FROM o GROUP BY f"  # per day found: a few thousand rows
_TODAY_DEPARTMENTS = "SELECT 'd', d, NULL, COUNT(*), NULL, NULL FROM o WHERE d IS NOT NULL AND f >= %s GROUP BY d"


def overdue_today(narrowing: Narrowing, today: dt.date) -> OverdueToday | None:
    """Today's overdue hazards for the top list, the trend's overdue column and the departments' overdue finds —
    read once within ``shared_reads`` (None outside it: each use then asks the ledger its own smaller question).
    The per-month count is left out where the open-hazard rollup knows it (``tally.knows_found_months``)."""
    from anjian.stats import overdue_tally, tally

    shared = _SHARED.get()
    if shared is None or today != timezone.localdate():
        return None
    key = ("today", *shared_key(narrowing, today))
    if key not in shared:
        ranked = overdue_tally.most_overdue(narrowing, TODAY_TOP, today)
        rows = (
            narrowing.hazards()
            .overdue(today)
            .values_list("enterprise_id", "finding_department_id", "found_on", "level", "deadline")
            .order_by()
        )
        sql, params = rows.query.sql_with_params()
        since = _SINCE.get()
        selects, arguments = [], [*params]
        if ranked is None:
            selects.append(_TODAY_TOP.format(top=TODAY_TOP))
            arguments.append(HazardLevel.MAJOR.value)
        if not tally.knows_found_months(narrowing):  # else the trend reads the open-hazard rollup
            selects.append(_TODAY_DAYS)
        top: list[tuple[int, int, int, dt.date]] = []
        by_month: dict[str, int] = {}
        by_department: dict[int, int] | None = None
        if selects:  # with the top list or the days: the departments in the same statement (a province: neither)
            selects.append(_TODAY_DEPARTMENTS)
            arguments.append(dt.date.fromisoformat(f"{since}-01") if since else dt.date.min)
            by_department = {}
        with connections[rows.db].cursor() as cursor:
            if selects:
                cursor.execute(_TODAY_SQL.format(rows=sql, selects="\nUNION ALL ".join(selects)), arguments)
            for kind, pk, day, n, major, oldest in cursor.fetchall() if selects else ():
                if kind == "e":
                    top.append((pk, int(n), int(major), _as_date(oldest)))
                elif kind == "f":
                    month = _as_date(day).strftime("%Y-%m")
                    by_month[month] = by_month.get(month, 0) + int(n)
                elif by_department is not None:
                    by_department[pk] = int(n)
        top.sort(key=lambda row: (-row[1], row[3], row[0]))  # the union does not keep the subquery's order
        shared[key] = OverdueToday(ranked if ranked is not None else top, by_month, since, by_department)
    result: OverdueToday = shared[key]
    return result


def _as_date(value: Any) -> dt.date:
    """A date from a raw cursor (SQLite gives text)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def overdue_by_enterprise(facts: list[tuple[Any, ...]], limit: int) -> list[EnterpriseOverdue]:
    """The enterprises with the most of ``facts`` (most first; ties: the oldest deadline then, the id)."""
    counts: dict[int, list[Any]] = {}
    for fact in facts:
        row = counts.setdefault(fact[ENTERPRISE], [0, 0, fact[DEADLINE_THEN]])
        row[0] += 1
        row[1] += fact[5] == HazardLevel.MAJOR
        row[2] = min(row[2], fact[DEADLINE_THEN])
    ranked = sorted(counts.items(), key=lambda item: (-item[1][0], item[1][2], item[0]))[:limit]
    return _named([(pk, n, major, oldest) for pk, (n, major, oldest) in ranked])


def _bucket_of(dimension: Dimension, length: int) -> Any:
    """The function giving a fact's bucket key for ``dimension`` (as ``_key_expression`` keys the ledger)."""
    position = {"category": 1, "source": 2, "type": 3, "management": 4, "level": 5}
    if dimension == "subregion":
        return lambda fact: fact[0][:length]
    if dimension == "month":
        return lambda fact: fact[6].strftime("%Y-%m")
    index = position[dimension]
    return lambda fact: str(fact[index] or "")


def _overdue_cells(
    facts: list[tuple[Any, ...]], dimension: Dimension, narrowing: Narrowing, start: dt.date
) -> dict[str, int]:
    if dimension == "month":
        facts = [fact for fact in facts if fact[6] >= start]
    key = _bucket_of(dimension, child_length(narrowing.root()) if dimension == "subregion" else 0)
    counts: dict[str, int] = {}
    for fact in facts:
        bucket = key(fact)
        counts[bucket] = counts.get(bucket, 0) + 1
    return counts


def _labels(
    dimension: Dimension, keys: Iterable[str], narrowing: Narrowing, start: dt.date, end: dt.date
) -> list[tuple[str, str]]:
    """(key, label) for every bucket worth showing, in the dimension's natural order (zeros included where the
    set of buckets is known: every sub-region, category, source, type, class and level; every month)."""
    keys = set(keys)
    if dimension == "subregion":
        length = child_length(narrowing.root())
        root = narrowing.root()
        pairs = [(r.code[:length], r.name) for r in child_regions(root, _level_of_length(length))]
        known = {k for k, _n in pairs}
        return pairs + [(k, k) for k in sorted(keys - known) if k]
    if dimension == "category":
        pairs = list(Industry.objects.filter(parent__isnull=True).values_list("code", "name"))
        return pairs + [(k, _("No category")) for k in sorted(keys - {p[0] for p in pairs})]
    if dimension == "source":
        return [(c.value, str(c.label)) for c in HazardSource]
    if dimension == "type":
        return [(str(pk), name) for pk, _code, name in hazard_types()]
    if dimension == "management":
        return [(c.value, str(c.label)) for c in ManagementClass]
    if dimension == "level":
        return [(c.value, str(c.label)) for c in HazardLevel]
    months = []
    month = start.replace(day=1)
    while month <= end:
        months.append((month.strftime("%Y-%m"), _("%(year)d-%(month)02d") % {"year": month.year, "month": month.month}))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def child_regions(root: Region | None, level: int) -> list[Region]:
    """The regions of ``level`` below ``root`` (None: everywhere), in code order: read once within ``shared_reads``
    (a dashboard's sub-region labels and its map). Scoped: ``root`` is the reader's or in their scope."""
    prefix = root.prefix if root is not None else ""

    def read() -> list[Region]:
        children = Region.objects.filter(level=level)
        if prefix:
            children = children.filter(code__startswith=prefix)
        return list(children.order_by("code"))

    return read_once(("child_regions", level, prefix), read)


def hazard_types() -> list[tuple[int, str, str]]:
    """(pk, code, name) of every hazard type in their order: read once within ``shared_reads`` (a dashboard's type
    labels and the codes its links filter by)."""
    return read_once(("hazard_types",), lambda: list(HazardType.objects.values_list("pk", "code", "name")))


def _level_of_length(length: int) -> int:
    return next(level for level, n in PREFIX_LENGTH.items() if n == length)


def hazard_breakdown(narrowing: Narrowing, start: dt.date, end: dt.date, dimension: Dimension) -> list[HazardRow]:
    """The hazard figures per bucket of ``dimension``; the buckets partition the hazards, so the rows add up to
    ``hazard_totals`` (for ``month``: the rows are the months of [start, end] and count the hazards found in each;
    ``overdue_open`` of a month counts that month's finds still overdue at ``end``)."""
    return hazard_breakdowns(narrowing, start, end, [dimension])[dimension]


def hazard_breakdowns(
    narrowing: Narrowing, start: dt.date, end: dt.date, dimensions: Iterable[Dimension]
) -> dict[Dimension, list[HazardRow]]:
    """``hazard_breakdown`` for several dimensions at once: the counts per dimension from the rollups when they
    answer (else the ledger), the overdue column from one query shared by all (or the open-hazard rollup)."""
    from anjian.stats import tally

    facts: list[tuple[Any, ...]] | None = None
    result: dict[Dimension, list[HazardRow]] = {}
    empty = {"found": 0, "rectified": 0, "major_found": 0, "major_rectified": 0, "overdue_open": 0}
    dimensions = list(dimensions)
    ledger = [d for d in dimensions if not tally.answers(narrowing, start, end, d)]
    counted = _ledger_counts(narrowing, start, end, ledger) if ledger else {}
    for dimension in dimensions:
        if dimension in counted:
            cells = {key: {**row, "overdue_open": 0} for key, row in counted[dimension].items()}
        else:
            cells = tally.breakdown(narrowing, start, end, dimension)
        if not tally.knows_overdue(narrowing, start, end, dimension):
            if facts is None:
                facts = overdue_facts(narrowing, end)
            for cell in cells.values():
                cell["overdue_open"] = 0
            for key, n in _overdue_cells(facts, dimension, narrowing, start).items():
                cells.setdefault(key, dict(empty))["overdue_open"] = n
        rows = []
        for key, label in _labels(dimension, cells, narrowing, start, end):
            figures = cells.get(key, empty)
            rows.append(
                HazardRow(
                    key=key, label=label, rectification_rate=rate(figures["rectified"], figures["found"]), **figures
                )
            )
        result[dimension] = rows
    return result


# --- top-N --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EnterpriseOverdue:
    enterprise_id: int
    name: str
    region: str
    overdue_open: int
    major_overdue: int
    oldest_deadline: dt.date


def most_overdue_enterprises(
    narrowing: Narrowing, limit: int = 10, today: dt.date | None = None
) -> list[EnterpriseOverdue]:
    """The enterprises with the most hazards open past their deadline today (most first; ties: the oldest
    deadline first)."""
    from anjian.stats import overdue_tally

    today = today or timezone.localdate()
    shared = overdue_today(narrowing, today) if limit <= TODAY_TOP else None
    if shared is not None:
        return _named(shared.top[:limit])
    ranked = overdue_tally.most_overdue(narrowing, limit, today)  # a province's, a city's: each enterprise's count
    if ranked is not None:
        return _named(ranked)
    rows = list(
        narrowing.hazards()
        .overdue(today)
        .values("enterprise_id")  # grouped by the id alone, the names joined to the ten rows kept
        .annotate(
            n=Count("pk"),
            major=Count("pk", filter=Q(level=HazardLevel.MAJOR)),
            oldest=Min("deadline"),
        )
        .order_by("-n", "oldest", "enterprise_id")[:limit]
    )
    return _named([(r["enterprise_id"], r["n"], r["major"], r["oldest"]) for r in rows])


def _named(ranked: list[tuple[int, int, int, dt.date]]) -> list[EnterpriseOverdue]:
    """(enterprise, overdue, major overdue, oldest deadline) rows with the enterprises' names, in their order (one
    query for the few rows kept)."""
    kept = [row[0] for row in ranked]  # scoped: the reader's own hazards named them
    names = {
        pk: (name, region)
        for pk, name, region in Enterprise.objects.filter(pk__in=kept).values_list("pk", "name", "region__name")
    }
    return [
        EnterpriseOverdue(pk, names[pk][0], names[pk][1], overdue_open=n, major_overdue=major, oldest_deadline=oldest)
        for pk, n, major, oldest in ranked
    ]


@dataclass(frozen=True)
class DepartmentRectification:
    """How the hazards a department found in the period fare: found, rectified by the end, the rate, overdue."""

    department_id: int
    name: str
    found: int
    rectified: int
    rectification_rate: Decimal | None
    overdue_open: int


def _rate_key(part: int, whole: int) -> int:
    """``rate(part, whole)`` × 10,000 as an integer (half up, as ``rate`` rounds), for ranking; ``whole`` > 0."""
    return (part * 20000 + whole) // (2 * whole)


def _found_overdue(narrowing: Narrowing, start: dt.date, end: dt.date, departments: set[int]) -> dict[int, int]:
    """Of the hazards found in [start, end] by these departments, how many are overdue at ``end``, per department."""
    shared = overdue_today(narrowing, end)
    if shared is not None and shared.by_department is not None and shared.since == start.strftime("%Y-%m"):
        return shared.by_department  # read with the top list (a county's)
    if end >= timezone.localdate():  # open hazards are few, and the departments' index finds them; the stored deadline
        rows = (
            narrowing.hazards()
            .filter(status__in=sorted(OPEN_STATUSES), deadline__lt=end, found_on__gte=start, found_on__lte=end)
            .filter(finding_department__any_of=departments)
            .values_list("finding_department_id")
            .annotate(n=Count("finding_department"))  # not the id: the index holds what is read
            .order_by()
        )
        return dict(plain_rows(rows))
    overdue: dict[int, int] = {}  # a past day: the deadlines then, from the facts the breakdowns share
    for fact in overdue_facts(narrowing, end):
        if fact[FINDER] is not None and start <= fact[6] <= end:
            overdue[fact[FINDER]] = overdue.get(fact[FINDER], 0) + 1
    return overdue


def lagging_departments(
    narrowing: Narrowing, start: dt.date, end: dt.date, limit: int = 10
) -> list[DepartmentRectification]:
    """Departments by the hazards they found in [start, end]: the lowest rectification rate first (ties: more
    overdue first). Only departments that found something appear."""
    from anjian.stats import tally
    from anjian.stats.models import Facet

    if tally.answers(narrowing, start, end, "source"):  # found and rectified: the department facet's
        # overdue: of the period's finds (the open rollup counts every find), below
        cells = tally.by_facet(narrowing, start, end, Facet.DEPARTMENT, overdue=False)
        # ranked by the rate as ``rate`` rounds it, in integers (a province's 3,316 departments: no Decimal each);
        # the overdue count breaks ties, so only the departments at or below the limit's rate need it
        rated = [(_rate_key(c["rectified"], c["found"]), int(key), c) for key, c in cells.items() if c["found"]]
        if not rated:
            return []
        last_key = heapq.nsmallest(limit, (row[0] for row in rated))[-1]
        candidates = [row for row in rated if row[0] <= last_key]
        overdue = _found_overdue(narrowing, start, end, {pk for _key, pk, _cell in candidates})
        keyed = [(key, -overdue.get(pk, 0), pk, cell) for key, pk, cell in candidates]
        ranked = heapq.nsmallest(limit, keyed)  # the ids are distinct: the cells are never compared
        names = dict(Department.objects.filter(pk__in=[row[2] for row in ranked]).order_by().values_list("pk", "name"))
        return [
            DepartmentRectification(
                department_id=pk,
                name=names.get(pk, str(pk)),
                found=cell["found"],
                rectified=cell["rectified"],
                rectification_rate=rate(cell["rectified"], cell["found"]),
                overdue_open=-minus_overdue,
            )
            for _key, minus_overdue, pk, cell in ranked
        ]
    boundary = end_of_day(end)
    closed_by_end = Q(status=HazardStatus.CLOSED, closed_at__lt=boundary)
    rows = (
        narrowing.hazards()
        .exclude(status=HazardStatus.VOIDED)
        .filter(finding_department__isnull=False, found_on__gte=start, found_on__lte=end)
        .annotate(deadline_then=deadline_at(boundary))
        .values("finding_department_id", "finding_department__name")
        .annotate(
            found=Count("pk"),
            rectified=Count("pk", filter=closed_by_end),
            overdue_open=Count("pk", filter=~closed_by_end & Q(deadline_then__lt=end)),
        )
        .order_by()
    )
    result = [
        DepartmentRectification(
            department_id=r["finding_department_id"],
            name=r["finding_department__name"],
            found=r["found"],
            rectified=r["rectified"],
            rectification_rate=rate(r["rectified"], r["found"]),
            overdue_open=r["overdue_open"],
        )
        for r in rows
    ]
    result.sort(key=lambda d: (d.rectification_rate or Decimal(0), -d.overdue_open, d.department_id))
    return result[:limit]
