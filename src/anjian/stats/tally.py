"""The hazard rollups (``HazardTally``, ``OpenHazardTally``): kept current by ``Hazard.save`` and
``Enterprise.save`` in the transaction of the change, rebuilt exactly by ``rebuild``, checked by ``differences``
(which rebuild and check the inspection rollup of ``visit_tally`` too).

A hazard contributes, unless voided, one count to its totals row (county, category, month found, month closed,
level) and one to each facet row (source, type, management class, town; the finding department when there is one;
the inspecting department when a government inspection found it; facet rows carry no category); an open hazard with
a deadline also one to each matching ``OpenHazardTally`` row. Each of those rows is kept at three tiers: the
county's, its city's and its province's (the town and department facets at the county's only), so a question about a
province or a city reads its own rows, and a breakdown by sub-region the rows of the tier below. The totals and the
department and inspection facets are kept by year too (``YEAR_FACETS``: the year found and the year closed, no
month), which a period from a 1st of January to today or to a 31st of December reads (a province's 3,316
departments: ~13 k rows a year, not ~115 k). An inspection's kind and department are taken as fixed once hazards are
registered from it (no action changes them). A change moves the counts from the old key to the new one with an
upsert (INSERT … ON CONFLICT … DO UPDATE SET n = n + delta), so two transactions touching the same row serialise on
it and neither count is lost. Bulk loads bypass ``save``; they call ``rebuild`` afterwards.

The open-hazard rows of past deadlines are folded into one row per key (``compact``: the rebuild writes them so,
the scheduler folds each day's): ``OpenHazardTally`` only ever answers "open with a deadline before a day ≥ today".
A change writes the hazard's own deadline; a row of a past deadline it creates (closing an overdue hazard) sums
with the folded one until the next compaction.

``answers`` says when a question can be read off the rollups exactly: the reader's scope and the region are
whole subtrees at county level or above, the industry is a category or none, no department, enterprise, scale or
ownership is asked for, the period starts on the 1st of a month and ends on the last day of one or on/after today
(the overdue column at a past day comes from the ledger: it needs the deadlines in force then).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import CharField, Count, DateField, Q, Sum, Value
from django.db.models.functions import Coalesce, Concat, Substr, TruncMonth, TruncYear
from django.utils import timezone

from anjian.core.queries import plain_rows
from anjian.core.scoping import Scope
from anjian.hazards.choices import OPEN_STATUSES, HazardLevel, HazardStatus
from anjian.regions.choices import PREFIX_LENGTH, RegionLevel
from anjian.stats import overdue_tally, remembered, visited
from anjian.stats.counted import Counted
from anjian.stats.models import (
    OPEN_MONTH,
    PAST_DEADLINE,
    EnterpriseOverdueTally,
    EnterpriseTally,
    EnterpriseVisitYear,
    Facet,
    FirstVisitTally,
    HazardTally,
    HazardYearVersion,
    OpenHazardTally,
    Tier,
    VisitTally,
)

if TYPE_CHECKING:
    from anjian.stats.cube import Dimension, Narrowing

COUNTY_DIGITS = PREFIX_LENGTH[RegionLevel.COUNTY]
TOWN_DIGITS = PREFIX_LENGTH[RegionLevel.TOWN]
FACET_FIELDS = {Facet.SOURCE: "source", Facet.TYPE: "hazard_type_id", Facet.MANAGEMENT: "management_class"}
DIMENSION_FACETS = {"source": Facet.SOURCE, "type": Facet.TYPE, "management": Facet.MANAGEMENT}
TALLY_KEY = ("tier", "county", "category", "found_month", "closed_month", "level", "facet", "value")
OPEN_KEY = ("tier", "county", "category", "level", "facet", "value", "deadline")
YEAR_KEY = ("county", "year")  # the changes counted per county and year found (``stats.remembered``)
UPPER_TIERS = (Tier.CITY, Tier.PROVINCE)  # kept from the county's rows
# Facets kept at the county tier only: a county's towns; departments, whose finds lie mostly in their own county
# (their rows would be as many at a province's tier as at its counties')
COUNTY_FACETS = (
    Facet.TOWN.value,
    Facet.DEPARTMENT.value,
    Facet.INSPECTION.value,
    Facet.DEPARTMENT_YEAR.value,
    Facet.INSPECTION_YEAR.value,
)
# A facet's rows by year: what a facet's month rows add up to per year found, year closed, level and value
YEAR_FACETS = {
    Facet.NONE.value: Facet.YEAR.value,
    Facet.DEPARTMENT.value: Facet.DEPARTMENT_YEAR.value,
    Facet.INSPECTION.value: Facet.INSPECTION_YEAR.value,
}
BATCH = 5000
UPSERT_BATCH = 500  # rows per upsert statement (an enterprise's move can touch thousands)


# --- keeping the counts current ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """What of a hazard the rollups depend on."""

    enterprise_id: int
    found_on: dt.date
    status: str
    closed_at: dt.datetime | None
    level: str
    source: str
    hazard_type_id: int
    management_class: str
    deadline: dt.date | None
    finding_department_id: int | None
    inspection_id: int | None


def county_of(region_code: str) -> str:
    return region_code[:COUNTY_DIGITS].ljust(12, "0")


def tier_code(region_code: str, tier: int) -> str:
    """The 12-digit code of the region of ``tier`` that ``region_code`` lies in."""
    return region_code[:tier].ljust(12, "0")


def with_upper_tiers(counts: Counter[tuple[Any, ...]], names: tuple[str, ...]) -> Counter[tuple[Any, ...]]:
    """County rows (keyed as ``names`` say: ``TALLY_KEY`` or ``OPEN_KEY``) with their city's and province's rows
    added: the same counts summed under the upper tiers' codes (but not those of ``COUNTY_FACETS``)."""
    facet_at = names.index("facet")
    tiered: Counter[tuple[Any, ...]] = Counter()
    for key, n in counts.items():
        tiered[key] += n
        if key[facet_at] in COUNTY_FACETS:
            continue
        for tier in UPPER_TIERS:
            tiered[(tier.value, tier_code(key[1], tier), *key[2:])] += n
    return tiered


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def year_of(day: dt.date) -> dt.date:
    return day.replace(month=1, day=1)


def with_years(counts: Counter[tuple[Any, ...]]) -> Counter[tuple[Any, ...]]:
    """Totals rows (keyed as ``TALLY_KEY``) with the rows of ``YEAR_FACETS`` added: each month row of those facets
    counted again under its year found and year closed."""
    result = Counter(counts)
    for (tier, county, category, found, closed, level, facet, value), n in counts.items():
        if facet in YEAR_FACETS:
            result[(tier, county, category, year_of(found), year_of(closed), level, YEAR_FACETS[facet], value)] += n
    return result


@dataclass(frozen=True)
class Place:
    """Where an enterprise's hazards are counted: its county, its town (9-digit prefix) and industry category."""

    county: str
    town: str
    category: str


def place_of(region_code: str, category: str | None) -> Place:
    return Place(county_of(region_code), region_code[:TOWN_DIGITS], category or "")


def _keys(state: Snapshot, place: Place, inspecting: str | None) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The rollup rows a hazard in ``state`` counts in (none when voided); ``inspecting`` is the department of the
    government inspection that found it ('' without one; None: not found by a government inspection)."""
    if state.status == HazardStatus.VOIDED:
        return [], []
    county, category = place.county, place.category
    found = month_of(state.found_on)
    closed = month_of(timezone.localdate(state.closed_at)) if state.closed_at is not None else OPEN_MONTH
    facets = [(facet, str(getattr(state, field))) for facet, field in FACET_FIELDS.items()]
    facets.append((Facet.TOWN, place.town))
    if state.finding_department_id is not None:
        facets.append((Facet.DEPARTMENT, str(state.finding_department_id)))
    if inspecting is not None:
        facets.append((Facet.INSPECTION, inspecting))
    tier = Tier.COUNTY.value
    totals = [(tier, county, category, found, closed, state.level, Facet.NONE.value, "")]
    totals += [(tier, county, "", found, closed, state.level, facet.value, value) for facet, value in facets]
    opened: list[tuple[Any, ...]] = []
    if state.status in OPEN_STATUSES and state.deadline is not None:
        opened = [(tier, county, category, state.level, Facet.NONE.value, "", state.deadline)]
        opened += [(tier, county, "", state.level, facet.value, value, state.deadline) for facet, value in facets]
        opened.append((tier, county, "", state.level, Facet.FOUND.value, found.strftime("%Y-%m"), state.deadline))
    return totals, opened


def _placement(enterprise_id: int) -> Place:
    """The county, town and industry category of an enterprise: one indexed lookup on every counted change of a
    hazard, in plain SQL (building the ORM query cost more than running it)."""
    with connection.cursor() as cursor:
        cursor.execute(_PLACEMENT, [enterprise_id])
        region, category = cursor.fetchone()
    return place_of(region, category)


_PLACEMENT = """
SELECT e.region_id, c.code FROM enterprises_enterprise e
JOIN enterprises_industry i ON i.id = e.industry_id LEFT JOIN enterprises_industry c ON c.id = i.parent_id
WHERE e.id = %s
"""


class _Inspecting:
    """The inspecting department of hazards' inspections, looked up once per inspection (plain SQL, see above)."""

    def __init__(self) -> None:
        self.known: dict[int, str | None] = {}

    def __call__(self, state: Snapshot) -> str | None:
        if state.inspection_id is None:
            return None
        if state.inspection_id not in self.known:
            with connection.cursor() as cursor:
                cursor.execute(_INSPECTING, [state.inspection_id])
                row = cursor.fetchone()
            self.known[state.inspection_id] = None if row is None else str(row[0] or "")
        return self.known[state.inspection_id]


_INSPECTING = "SELECT department_id FROM inspections_inspection WHERE id = %s AND kind <> 'self'"


def record_change(before: Snapshot | None, after: Snapshot | None) -> None:
    """Move the counts of one hazard from its old state to its new one (call inside the saving transaction)."""
    if before == after:
        return
    enterprise_id = (after or before).enterprise_id  # type: ignore[union-attr]
    place = _placement(enterprise_id)
    inspecting = _Inspecting()
    totals: Counter[tuple[Any, ...]] = Counter()
    opened: Counter[tuple[Any, ...]] = Counter()
    for state, sign in ((before, -1), (after, 1)):
        if state is None:
            continue
        rows, open_rows = _keys(state, place, inspecting(state))
        for key in rows:
            totals[key] += sign
        for key in open_rows:
            opened[key] += sign
    _upsert(HazardTally, TALLY_KEY, with_upper_tiers(with_years(totals), TALLY_KEY))
    _upsert(OpenHazardTally, OPEN_KEY, with_upper_tiers(opened, OPEN_KEY))
    _upsert(HazardYearVersion, YEAR_KEY, Counter({(place.county, s.found_on.year) for s in (before, after) if s}))
    overdue_tally.record_change(before, after)


def _upsert(model: Any, key: tuple[str, ...], deltas: Counter[tuple[Any, ...]]) -> None:
    """One statement per batch: every row's delta added to its stored count (inserted when new). Rows are sorted,
    so two transactions lock the rows they share in the same order."""
    rows = [(*k, n) for k, n in sorted(deltas.items(), key=lambda item: str(item[0])) if n]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(key)
    conflict = ", ".join(model._meta.constraints[0].fields)
    row = "(" + ", ".join(["%s"] * (len(key) + 1)) + ")"
    for first in range(0, len(rows), UPSERT_BATCH):
        batch = rows[first : first + UPSERT_BATCH]
        sql = (
            f"INSERT INTO {table} ({columns}, n) VALUES {', '.join([row] * len(batch))} "  # noqa: S608 - ours
            f"ON CONFLICT ({conflict}) DO UPDATE SET n = {table}.n + EXCLUDED.n"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [value for values in batch for value in values])


HAZARDS = Counted("hazards.Hazard", Snapshot, record_change)  # ``Hazard.save`` and ``delete`` call it


def enterprise_moved(enterprise_id: int, old: tuple[str, int | None], new: tuple[str, int | None]) -> None:
    """An enterprise changed region or industry: move its hazards' counts to the new county, town and category."""
    old_place = place_of(old[0], _category_of(old[1]))
    new_place = place_of(new[0], _category_of(new[1]))
    if old_place == new_place:
        return
    from anjian.hazards.models import Hazard
    from anjian.stats import visit_tally

    visit_tally.enterprise_moved(enterprise_id, old_place, new_place)

    inspecting = _Inspecting()
    totals: Counter[tuple[Any, ...]] = Counter()
    opened: Counter[tuple[Any, ...]] = Counter()
    states = Hazard.objects.filter(enterprise_id=enterprise_id).values(*HAZARDS.fields)  # scoped: one enterprise
    years: set[int] = set()
    for row in states.iterator():
        state = Snapshot(**row)
        years.add(state.found_on.year)
        for place, sign in ((old_place, -1), (new_place, 1)):
            rows, open_rows = _keys(state, place, inspecting(state))
            for key in rows:
                totals[key] += sign
            for key in open_rows:
                opened[key] += sign
    _upsert(HazardTally, TALLY_KEY, with_upper_tiers(with_years(totals), TALLY_KEY))
    _upsert(OpenHazardTally, OPEN_KEY, with_upper_tiers(opened, OPEN_KEY))
    _upsert(
        HazardYearVersion,
        YEAR_KEY,
        Counter({(place.county, year) for place in (old_place, new_place) for year in years}),
    )


def new_epoch() -> None:
    """Every process forgets the figures it remembers (``stats.remembered``): the epoch row moves on by a random
    step (and is written at one when missing)."""
    _upsert(HazardYearVersion, YEAR_KEY, Counter({remembered.EPOCH: remembered.random_step()}))


def _category_of(industry_id: int | None) -> str:
    from anjian.enterprises.models import Industry

    if industry_id is None:
        return ""
    return Industry.objects.filter(pk=industry_id).values_list("parent__code", flat=True).first() or ""


# --- rebuilding and checking ---------------------------------------------------------------------------------


def _counted_ledger() -> Any:
    """The hazards the rollups count (not voided), with their county, category, month found and month closed."""
    from anjian.hazards.models import Hazard

    return Hazard.objects.exclude(status=HazardStatus.VOIDED).annotate(  # scoped: the rollups count everything
        t_county=Concat(Substr("enterprise__region_id", 1, COUNTY_DIGITS), Value("0" * (12 - COUNTY_DIGITS))),
        t_category=Coalesce("enterprise__industry__parent__code", Value(""), output_field=CharField()),
        t_found=TruncMonth("found_on", output_field=DateField()),
        t_closed=Coalesce(
            TruncMonth("closed_at", output_field=DateField()), Value(OPEN_MONTH, output_field=DateField())
        ),
    )


def _found_month_rows(open_rows: Any) -> Counter[tuple[Any, ...]]:
    """County rows (``OPEN_KEY``) of the open hazards by month found (``Facet.FOUND``), deadlines unfolded."""
    opened: Counter[tuple[Any, ...]] = Counter()
    for r in open_rows.values("t_county", "t_found", "level", "deadline").annotate(n=Count("pk")).order_by():
        month = _day(r["t_found"]).strftime("%Y-%m")
        opened[(Tier.COUNTY.value, r["t_county"], "", r["level"], Facet.FOUND.value, month, r["deadline"])] += r["n"]
    return opened


def _expected() -> tuple[Counter[tuple[Any, ...]], Counter[tuple[Any, ...]]]:
    """The rollups as the ledger says they should be (grouped in the database)."""
    counted = _counted_ledger()
    totals: Counter[tuple[Any, ...]] = Counter()
    base = counted.values("t_county", "t_category", "t_found", "t_closed", "level").annotate(n=Count("pk"))
    for r in base.order_by():
        key = (r["t_county"], r["t_category"], _day(r["t_found"]), _day(r["t_closed"]), r["level"], "", "")
        totals[(Tier.COUNTY.value, *key)] += r["n"]
    opened: Counter[tuple[Any, ...]] = Counter()
    open_rows = counted.filter(status__in=sorted(OPEN_STATUSES), deadline__isnull=False)
    for r in open_rows.values("t_county", "t_category", "level", "deadline").annotate(n=Count("pk")).order_by():
        opened[(Tier.COUNTY.value, r["t_county"], r["t_category"], r["level"], "", "", r["deadline"])] += r["n"]
    opened += _found_month_rows(open_rows)
    for facet, field, rows_of in _facet_groupings(counted):
        rows = rows_of.values("t_county", "t_found", "t_closed", "level", field).annotate(n=Count("pk"))
        for r in rows.order_by():
            key = (r["t_county"], "", _day(r["t_found"]), _day(r["t_closed"]), r["level"], facet.value, _text(r[field]))
            totals[(Tier.COUNTY.value, *key)] += r["n"]
        still_open = rows_of.filter(status__in=sorted(OPEN_STATUSES), deadline__isnull=False)
        rows = still_open.values("t_county", "level", field, "deadline").annotate(n=Count("pk"))
        for r in rows.order_by():
            open_key = (r["t_county"], "", r["level"], facet.value, _text(r[field]), r["deadline"])
            opened[(Tier.COUNTY.value, *open_key)] += r["n"]
    return with_upper_tiers(with_years(totals), TALLY_KEY), with_upper_tiers(folded(opened), OPEN_KEY)


def folded(opened: Counter[tuple[Any, ...]], today: dt.date | None = None) -> Counter[tuple[Any, ...]]:
    """Open-hazard rows (keyed as ``OPEN_KEY``) with every deadline before ``today`` folded into ``PAST_DEADLINE``."""
    today = today or timezone.localdate()
    at = OPEN_KEY.index("deadline")
    result: Counter[tuple[Any, ...]] = Counter()
    for key, n in opened.items():
        if key[at] < today:
            key = (*key[:at], PAST_DEADLINE, *key[at + 1 :])
        result[key] += n
    return result


def compact(today: dt.date | None = None) -> tuple[int, int]:
    """Bring the rollups to a new day (default: today): fold the open-hazard rows of deadlines before it into their
    keys' ``PAST_DEADLINE`` rows, and recount every enterprise's overdue hazards as of it (``overdue_tally``).
    Returns (rows folded, enterprises with an overdue hazard). Changes wait meanwhile (table locks that readers do
    not take): the scheduler runs it just after midnight, when yesterday's deadlines have passed."""
    today = today or timezone.localdate()
    table = connection.ops.quote_name(OpenHazardTally._meta.db_table)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        past = OpenHazardTally.objects.filter(deadline__gt=PAST_DEADLINE, deadline__lt=today)
        moved: Counter[tuple[Any, ...]] = Counter()
        for *key, n in past.values_list(*OPEN_KEY, "n").iterator():
            moved[tuple(key)] += n
        if moved:
            past.delete()
            _upsert(OpenHazardTally, OPEN_KEY, folded(moved, today))
        enterprises = overdue_tally.refresh(today)
    return len(moved), enterprises


def _facet_groupings(counted: Any) -> list[tuple[Facet, str, Any]]:
    """(facet, the field giving its value, the hazards it counts) for every facet."""
    from anjian.inspections.choices import InspectionKind

    groupings = [(facet, field, counted) for facet, field in FACET_FIELDS.items()]
    groupings.append((Facet.TOWN, "t_town", counted.annotate(t_town=Substr("enterprise__region_id", 1, TOWN_DIGITS))))
    groupings.append((Facet.DEPARTMENT, "finding_department_id", counted.filter(finding_department_id__isnull=False)))
    by_inspection = counted.filter(inspection__isnull=False).exclude(inspection__kind=InspectionKind.SELF)
    groupings.append((Facet.INSPECTION, "inspection__department_id", by_inspection))
    return groupings


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _day(value: dt.date) -> dt.date:
    """A month as a date (some backends return the truncated month of a timestamp as a datetime)."""
    return value.date() if isinstance(value, dt.datetime) else value


def _stored() -> tuple[Counter[tuple[Any, ...]], Counter[tuple[Any, ...]]]:
    totals = Counter({tuple(r[:-1]): r[-1] for r in HazardTally.objects.filter(~Q(n=0)).values_list(*TALLY_KEY, "n")})
    opened = folded(Counter({tuple(r[:-1]): r[-1] for r in OpenHazardTally.objects.values_list(*OPEN_KEY, "n")}))
    return totals, Counter({key: n for key, n in opened.items() if n})


def rebuild(
    progress: Callable[[str], None] | None = None, *, per_enterprise: bool = True, forget: bool = True
) -> dict[str, int]:
    """Recompute the rollups from the ledger and the inspections (locks them for the duration: concurrent changes
    wait); ``per_enterprise``: each enterprise's overdue hazards and months visited too (``overdue_tally``,
    ``visited``), and the counts of enterprises (``enterprise_tally``); ``forget``: every process forgets the
    figures it remembers (``stats.remembered``; a migration's rebuild runs before that table exists)."""
    from anjian.stats import enterprise_tally, visit_tally

    say = progress or (lambda message: None)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (HazardTally, OpenHazardTally, VisitTally):
                    cursor.execute(f"LOCK TABLE {connection.ops.quote_name(model._meta.db_table)} IN EXCLUSIVE MODE")
        HazardTally.objects.all().delete()
        OpenHazardTally.objects.all().delete()
        VisitTally.objects.all().delete()
        if forget:
            new_epoch()  # the ledger may have been written without counting each change
        if connection.vendor == "postgresql":
            say("grouping the ledger into the rollups")
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '256MB'")  # the groups hashed in memory, not sorted on disk
                cursor.execute(_MATERIALISE, {"tz": settings.TIME_ZONE, "open_month": OPEN_MONTH})
                for sql in _REBUILD_TOTALS:
                    cursor.execute(sql)
                cursor.execute(
                    _REBUILD_OPEN, {"open": sorted(OPEN_STATUSES), "today": timezone.localdate(), "past": PAST_DEADLINE}
                )
                cursor.execute(f"DROP TABLE {_LEDGER_TABLE}")
                say("summing the counties' rows into their cities' and provinces'")
                for tier in UPPER_TIERS:
                    params: dict[str, Any] = {
                        "tier": tier.value,
                        "county": Tier.COUNTY.value,
                        "facets": [*COUNTY_FACETS],
                    }
                    for sql in (_ROLL_UP_TOTALS, _ROLL_UP_OPEN):
                        cursor.execute(sql, params)
            say("summing the totals' and the departments' rows by year")
            write_years()
        else:
            say("grouping the ledger")
            totals, opened = _expected()
            say(f"writing {len(totals)} + {len(opened)} rows")
            _bulk(HazardTally, TALLY_KEY, totals)
            _bulk(OpenHazardTally, OPEN_KEY, opened)
        say("counting the inspections")
        visit_tally.rebuild_rows()
        if per_enterprise:
            say("counting each enterprise's overdue hazards and months visited")
            overdue_tally.refresh()
            visited.refresh()
            enterprise_tally.refresh()
        tables: list[type[Any]] = [HazardTally, OpenHazardTally, VisitTally]
        tables += (
            [EnterpriseOverdueTally, EnterpriseVisitYear, FirstVisitTally, EnterpriseTally] if per_enterprise else []
        )
        if connection.vendor == "postgresql":  # the planner's statistics of the new rows (autovacuum comes later)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE " + ", ".join(model._meta.db_table for model in tables))
    return dict(stored_rows(per_enterprise=per_enterprise))


def vacuum() -> None:
    """After a rebuild, outside a transaction: VACUUM the rollups too, so that their reads are index-only scans from
    the first request (a freshly written table has no visibility map; on P the province's overdue per city read
    3,600 heap pages and took 55 ms, 30 ms after this). Nothing to do on SQLite or inside a transaction."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM (ANALYZE) stats_hazardtally, stats_openhazardtally, stats_visittally, "
            "stats_enterpriseoverduetally, stats_enterprisevisityear"
        )


def write_years() -> int:
    """Write the rows of ``YEAR_FACETS`` from their facets' county rows (grouped by the database: on P ~1.4 M rows
    into ~200 k), with the upper tiers' of the totals, replacing any there are; returns how many."""
    HazardTally.objects.filter(facet__in=YEAR_FACETS.values()).delete()
    rows = (
        HazardTally.objects.filter(tier=Tier.COUNTY.value, facet__in=YEAR_FACETS)
        .annotate(
            found_year=TruncYear("found_month", output_field=DateField()),
            closed_year=TruncYear("closed_month", output_field=DateField()),
        )
        .values_list("county", "category", "found_year", "closed_year", "level", "facet", "value")
        .annotate(total=Sum("n"))
        .order_by()
    )
    counts: Counter[tuple[Any, ...]] = Counter()
    for county, category, found, closed, level, facet, value, n in rows.iterator():
        key = (Tier.COUNTY.value, county, category, _day(found), _day(closed), level, YEAR_FACETS[facet], value)
        counts[key] += n
    written = Counter({key: n for key, n in with_upper_tiers(counts, TALLY_KEY).items() if n})
    _bulk(HazardTally, TALLY_KEY, written)
    return len(written)


def write_found_months() -> int:
    """Write the open-hazard rows by month found (``Facet.FOUND``, every tier, past deadlines folded) from the
    ledger, replacing any there are; returns how many."""
    OpenHazardTally.objects.filter(facet=Facet.FOUND).delete()
    opened = _found_month_rows(_counted_ledger().filter(status__in=sorted(OPEN_STATUSES), deadline__isnull=False))
    written = Counter({key: n for key, n in with_upper_tiers(folded(opened), OPEN_KEY).items() if n})
    _bulk(OpenHazardTally, OPEN_KEY, written)
    return len(written)


def rebuild_in_migration() -> None:
    """Recount the ledger when a migration changes what the rollups hold (a deployment upgrading to them, a new
    facet). It reads the ledger with today's code: the schema it needs is the one those migrations leave (each
    enterprise's overdue hazards and months visited are left to the migrations creating their tables, which come
    after)."""
    rebuild(per_enterprise=False, forget=False)


# PostgreSQL: the same rows as ``_expected``, grouped by the server. The ledger joined to its enterprises,
# industries and inspections is written once to a temporary table of its grouping columns (``_MATERIALISE``);
# the totals are one hashed GROUP BY of it per facet (on P 10 M rows: ~45 s to write, ~8 s per facet, where one
# GROUPING SETS statement over the join sorted the 10 M rows once per facet, on disk: ~260 s), the open hazards'
# one GROUPING SETS statement over its ~1 M open rows. Every facet column but department and inspecting is NOT
# NULL; the groups of those two where they are NULL are dropped (a hazard without a finding department, or not
# found by a government inspection, has no row of that facet), so in the open rows a NULL means "not grouped by it".
_LEDGER = """
  SELECT substr(e.region_id, 1, 6) || '000000' AS county, COALESCE(c.code, '') AS category,
         h.level, h.source, h.hazard_type_id::text AS type, h.management_class, h.status, h.deadline,
         substr(e.region_id, 1, 9) AS town, h.finding_department_id::text AS department,
         CASE WHEN s.id IS NOT NULL AND s.kind <> 'self' THEN COALESCE(s.department_id::text, '') END AS inspecting,
         date_trunc('month', h.found_on)::date AS found_month,
         COALESCE(date_trunc('month', h.closed_at AT TIME ZONE %(tz)s)::date, %(open_month)s) AS closed_month
  FROM hazards_hazard h
  JOIN enterprises_enterprise e ON e.id = h.enterprise_id
  JOIN enterprises_industry i ON i.id = e.industry_id
  LEFT JOIN enterprises_industry c ON c.id = i.parent_id
  LEFT JOIN inspections_inspection s ON s.id = h.inspection_id
  WHERE h.status <> 'voided'
"""
_FACET = """
  CASE WHEN GROUPING(source) = 0 THEN 'source' WHEN GROUPING(type) = 0 THEN 'type'
       WHEN GROUPING(management_class) = 0 THEN 'management' WHEN GROUPING(town) = 0 THEN 'town'
       WHEN GROUPING(department) = 0 THEN 'department' WHEN GROUPING(inspecting) = 0 THEN 'inspection' ELSE '' END,
  COALESCE(source, type, management_class, town, department, inspecting, '')
"""
# A hazard without a finding department, or not found by a government inspection, has no row of that facet.
_PRESENT = """
HAVING NOT ((GROUPING(department) = 0 AND department IS NULL) OR (GROUPING(inspecting) = 0 AND inspecting IS NULL))
"""
_FACETS = ("source", "type", "management_class", "town", "department", "inspecting")
_OPEN_SETS = ", ".join(["(county, category, level, due)"] + [f"(county, level, due, {f})" for f in (*_FACETS, "found")])
# the open rows have the month found as a facet too
_OPEN_FACET = _FACET.replace("ELSE '' END", "WHEN GROUPING(found) = 0 THEN 'found' ELSE '' END").replace(
    "inspecting, '')", "inspecting, found, '')"
)
_LEDGER_TABLE = "stats_rebuild_ledger"
# Constant fragments only; every value is bound.
_MATERIALISE = f"CREATE TEMPORARY TABLE {_LEDGER_TABLE} ON COMMIT DROP AS {_LEDGER}"
_TOTALS_INSERT = f"""
INSERT INTO stats_hazardtally (tier, county, category, found_month, closed_month, level, facet, value, n)
SELECT 6, county, {{category}}, found_month, closed_month, level, '{{facet}}', {{value}}, count(*)
FROM {_LEDGER_TABLE} {{where}}
GROUP BY county, found_month, closed_month, level, {{column}}
"""  # noqa: S608 - constant fragments
_FACET_NAMES = dict(zip(_FACETS, ("source", "type", "management", "town", "department", "inspection"), strict=True))
_REBUILD_TOTALS = [
    _TOTALS_INSERT.format(category="category", facet="", value="''", where="", column="category"),
    *(
        _TOTALS_INSERT.format(
            category="''",
            facet=_FACET_NAMES[column],
            value=f"COALESCE({column}, '')",
            where=f"WHERE {column} IS NOT NULL" if column in ("department", "inspecting") else "",
            column=column,
        )
        for column in _FACETS
    ),
]
_REBUILD_OPEN = f"""
INSERT INTO stats_openhazardtally (tier, county, category, level, facet, value, deadline, n)
SELECT 6, county, CASE WHEN GROUPING(category) = 0 THEN category ELSE '' END, level, {_OPEN_FACET}, due, count(*)
FROM (
  SELECT x.*, CASE WHEN x.deadline < %(today)s THEN %(past)s ELSE x.deadline END AS due,
         to_char(x.found_month, 'YYYY-MM') AS found
  FROM {_LEDGER_TABLE} x
  WHERE x.status = ANY(%(open)s) AND x.deadline IS NOT NULL
) x
GROUP BY GROUPING SETS ({_OPEN_SETS})
{_PRESENT}
"""  # noqa: S608 - constant fragments; every value is bound

# The upper tiers from the county rows (as ``with_upper_tiers``): a few hundred thousand rows, not the ledger.
_ROLL_UP_TOTALS = """
INSERT INTO stats_hazardtally (tier, county, category, found_month, closed_month, level, facet, value, n)
SELECT %(tier)s, rpad(substr(county, 1, %(tier)s), 12, '0'), category, found_month, closed_month, level, facet, value,
       sum(n)
FROM stats_hazardtally WHERE tier = %(county)s AND facet <> ALL(%(facets)s)
GROUP BY 2, 3, 4, 5, 6, 7, 8
"""
_ROLL_UP_OPEN = """
INSERT INTO stats_openhazardtally (tier, county, category, level, facet, value, deadline, n)
SELECT %(tier)s, rpad(substr(county, 1, %(tier)s), 12, '0'), category, level, facet, value, deadline, sum(n)
FROM stats_openhazardtally WHERE tier = %(county)s AND facet <> ALL(%(facets)s)
GROUP BY 2, 3, 4, 5, 6, 7
"""


def _bulk(model: Any, key: tuple[str, ...], counts: Counter[tuple[Any, ...]]) -> None:
    batch = []
    for values, n in counts.items():
        batch.append(model(n=n, **dict(zip(key, values, strict=True))))
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch)
            batch = []
    model.objects.bulk_create(batch)


def differences(limit: int = 20) -> list[str]:
    """Rows where the rollups and the ledger (or the inspections) disagree (empty when they agree)."""
    from anjian.stats import enterprise_tally, visit_tally

    expected_totals, expected_open = _expected()
    stored_totals, stored_open = _stored()
    found = []
    for name, expected, stored in (
        ("hazard_tally", expected_totals, stored_totals),
        ("open_hazard_tally", expected_open, stored_open),
        ("visit_tally", visit_tally.expected(), visit_tally.stored()),
    ):
        for key in sorted(set(expected) | set(stored), key=str):
            if expected.get(key, 0) != stored.get(key, 0):
                found.append(f"{name} {key}: ledger {expected.get(key, 0)}, rollup {stored.get(key, 0)}")
    found += overdue_tally.differences()
    found += visited.differences()
    found += enterprise_tally.differences()
    return found[:limit]


# --- answering from the rollups ------------------------------------------------------------------------------


def region_prefix(narrowing: Narrowing) -> str:
    """The region prefix the counts are limited to ('' for everything): the asked region or the reader's."""
    scope = Scope.for_user(narrowing.user)
    prefixes = [p for p in (scope.region_prefix, narrowing.region.prefix if narrowing.region else None) if p]
    return max(prefixes, key=len) if prefixes else ""


def whole_regions(narrowing: Narrowing) -> bool:
    """Whether the narrowing counts whole regions' records, as the rollups keep them: the reader's scope and the
    region are subtrees at county level or above with every industry (or one category), and no department,
    enterprise, scale or ownership is asked for."""
    from anjian.enterprises.models import Industry

    if narrowing.department is not None or narrowing.enterprise is not None:
        return False
    if narrowing.scale or narrowing.ownership:
        return False
    scope = Scope.for_user(narrowing.user)
    if not scope.everything:
        if scope.industry_ids is not None or scope.grid_id or scope.enterprise_id or scope.reporter_id:
            return False
        if not scope.region_prefix or len(scope.region_prefix) > COUNTY_DIGITS:
            return False
    if narrowing.region is not None and narrowing.region.level > RegionLevel.COUNTY:
        return False
    return not (
        narrowing.industry and not Industry.objects.filter(code=narrowing.industry, parent__isnull=True).exists()
    )


def answers(narrowing: Narrowing, start: dt.date, end: dt.date, dimension: Dimension | None = None) -> bool:
    """Whether the rollups give exactly the ledger's answer for this question."""
    if not whole_regions(narrowing):
        return False
    today = timezone.localdate()
    if start.day != 1 or (end < today and (end + dt.timedelta(days=1)).day != 1):
        return False
    if dimension == "subregion" and len(region_prefix(narrowing)) >= COUNTY_DIGITS:
        return not narrowing.industry  # a county's towns: the town facet (facet rows carry no category)
    return not (dimension in DIMENSION_FACETS and narrowing.industry)


def knows_overdue(narrowing: Narrowing, start: dt.date, end: dt.date, dimension: Dimension) -> bool:
    """Whether ``breakdown`` fills the overdue column itself: from the open-hazard rollup, which knows today's
    deadlines only (a past day's overdue hazards need the deadlines in force then, which the ledger keeps)."""
    return end >= timezone.localdate() and answers(narrowing, start, end, dimension)


def _where(narrowing: Narrowing, facet: Facet, digits: int = 0) -> Q:
    """The rows of ``facet`` for the narrowing, at the tier of its region (a province's own rows) or, when a
    breakdown groups by a longer prefix (``digits``: its cities, its counties), at that tier; the facets kept for
    counties only, at theirs."""
    prefix = region_prefix(narrowing)
    tier = Tier.COUNTY.value if facet.value in COUNTY_FACETS else max(Tier.PROVINCE.value, len(prefix), digits)
    condition = Q(facet=facet.value, tier=tier)
    if len(prefix) == tier:
        condition &= Q(county=tier_code(prefix, tier))  # the region's own rows: equality, the region index
    elif prefix:
        condition &= Q(county__startswith=prefix)
    if narrowing.industry:
        condition &= Q(category=narrowing.industry)
    return condition


FIGURES = ("found", "rectified", "major_found", "major_rectified")  # what ``_sums`` adds up


def _sums(rows: Any, end: dt.date) -> Any:
    closed = Q(closed_month__lte=month_of(end))
    major = Q(level=HazardLevel.MAJOR)
    return rows.annotate(
        found=Coalesce(Sum("n"), 0),
        rectified=Coalesce(Sum("n", filter=closed), 0),
        major_found=Coalesce(Sum("n", filter=major), 0),
        major_rectified=Coalesce(Sum("n", filter=major & closed), 0),
    )


def totals(narrowing: Narrowing, start: dt.date, end: dt.date, *, overdue: bool = True) -> Any:
    from anjian.stats.hazards import HazardFigures, rate

    rows = HazardTally.objects.filter(
        _where(narrowing, counting(Facet.NONE, start, end)),
        found_month__gte=month_of(start),
        found_month__lte=month_of(end),
    )
    closed = Q(closed_month__lte=month_of(end))
    major = Q(level=HazardLevel.MAJOR)
    figures = rows.aggregate(
        found=Coalesce(Sum("n"), 0),
        rectified=Coalesce(Sum("n", filter=closed), 0),
        major_found=Coalesce(Sum("n", filter=major), 0),
        major_rectified=Coalesce(Sum("n", filter=major & closed), 0),
    )
    if not overdue:
        overdue_open = 0  # not asked for (a comparison that shows the finds only)
    elif end >= timezone.localdate():
        overdue_open = OpenHazardTally.objects.filter(_where(narrowing, Facet.NONE), deadline__lt=end).aggregate(
            n=Coalesce(Sum("n"), 0)
        )["n"]
    else:  # overdue at a past day depends on the deadlines in force then: the ledger knows them
        from anjian.stats.cube import overdue_count

        overdue_open = overdue_count(narrowing, end)
    return HazardFigures(
        start=start,
        end=end,
        rectification_rate=rate(figures["rectified"], figures["found"]),
        overdue_open=overdue_open,
        **figures,
    )


def breakdown(narrowing: Narrowing, start: dt.date, end: dt.date, dimension: Dimension) -> dict[str, dict[str, int]]:
    """Figures per bucket of ``dimension``, keyed as the ledger path keys them."""
    from anjian.stats.cube import child_length

    facet = DIMENSION_FACETS.get(dimension, Facet.NONE)
    key: Any
    digits = 0
    if dimension == "subregion" and child_length(narrowing.root()) == TOWN_DIGITS:
        facet, key = Facet.TOWN, "value"  # a county's towns
    elif dimension == "subregion":
        digits = child_length(narrowing.root())  # the cities' or counties' own rows
        key = Substr("county", 1, digits)
    elif dimension == "category":
        key = "category"
    elif dimension == "level":
        key = "level"
    elif dimension == "month":
        key = "found_month"
    else:
        key = "value"
    if dimension == "month":
        return _cells(narrowing, start, end, facet, key, by_month=True)
    return _cells(narrowing, start, end, facet, key, digits=digits, counted_as=counting(facet, start, end))


def by_facet(
    narrowing: Narrowing, start: dt.date, end: dt.date, facet: Facet, *, overdue: bool = True
) -> dict[str, dict[str, int]]:
    """Figures per value of ``facet`` (a department's id, a town's prefix …), read off the rollups; ask ``answers``
    first (and ``knows_overdue`` for the overdue column: it is 0 for a past day, and when not asked for). Whole
    years (from a 1st of January to a 31st of December or to today or later) of a facet kept by year are read off
    its rows by year."""
    return _cells(narrowing, start, end, facet, "value", overdue=overdue, counted_as=counting(facet, start, end))


def found_in(narrowing: Narrowing, start: dt.date, end: dt.date, facet: Facet) -> int:
    """The hazards found in [start, end] that ``facet``'s rows count, whatever their value (those a government
    inspection found, for the inspection facet): one sum, as ``by_facet``'s cells would add up (ask ``answers``)."""
    rows = HazardTally.objects.filter(
        _where(narrowing, counting(facet, start, end)),
        found_month__gte=month_of(start),
        found_month__lte=month_of(end),
    )
    found: int = rows.aggregate(n=Coalesce(Sum("n"), 0))["n"]
    return found


def counting(facet: Facet, start: dt.date, end: dt.date) -> Facet:
    """The facet whose rows count ``facet``'s hazards of [start, end]: its rows by year for whole years."""
    if facet.value in YEAR_FACETS and whole_years(start, end):
        return Facet(YEAR_FACETS[facet.value])
    return facet


def whole_years(start: dt.date, end: dt.date) -> bool:
    """Whether [start, end] counts whole years found and closed by the end as the rows by year keep them: it starts
    on a 1st of January and ends on a 31st of December, or on/after today (every find and closure so far is by
    then, and a year's rows hold no later finds)."""
    if (start.month, start.day) != (1, 1):
        return False
    return (end.month, end.day) == (12, 31) or end >= timezone.localdate()


def _cells(
    narrowing: Narrowing,
    start: dt.date,
    end: dt.date,
    facet: Facet,
    key: Any,
    *,
    by_month: bool = False,
    digits: int = 0,
    overdue: bool = True,
    counted_as: Facet | None = None,
) -> dict[str, dict[str, int]]:
    """``counted_as``: the facet whose rows give the counts (the same facet by year), when not ``facet``."""
    where = _where(narrowing, facet, digits)
    counting = where if counted_as is None else _where(narrowing, counted_as, digits)
    keyed = HazardTally.objects.filter(counting, found_month__gte=month_of(start), found_month__lte=month_of(end))
    cells: dict[str, dict[str, int]] = {}
    grouped = _sums(keyed.annotate(bucket=_as_expression(key)).values("bucket"), end).order_by()
    for bucket, found, rectified, major_found, major_rectified in plain_rows(grouped.values_list("bucket", *FIGURES)):
        cells[bucket if type(bucket) is str else _format(bucket)] = {  # a province's departments: ~3 k cells
            "found": found,
            "rectified": rectified,
            "major_found": major_found,
            "major_rectified": major_rectified,
            "overdue_open": 0,
        }
    if not overdue or end < timezone.localdate():
        return cells  # the overdue column of a past day: the caller's (see ``knows_overdue``)
    counts: dict[str, int]
    if by_month:
        counts = _month_overdue(narrowing, start, end)
    else:
        open_rows = OpenHazardTally.objects.filter(where, deadline__lt=end).annotate(bucket=_as_expression(key))
        grouped = open_rows.values("bucket").annotate(n=Sum("n")).order_by().values_list("bucket", "n")
        counts = {_format(bucket): n for bucket, n in plain_rows(grouped)}
    empty = {"found": 0, "rectified": 0, "major_found": 0, "major_rectified": 0}
    for bucket, n in counts.items():
        cells.setdefault(bucket, {**empty, "overdue_open": 0})["overdue_open"] = n
    return cells


def _as_expression(key: Any) -> Any:
    from django.db.models import F

    return F(key) if isinstance(key, str) else key


def _format(bucket: Any) -> str:
    return bucket.strftime("%Y-%m") if isinstance(bucket, dt.date) else str(bucket or "")


def knows_found_months(narrowing: Narrowing) -> bool:
    """Whether the open-hazard rollup's month-found rows count the narrowing's overdue hazards per month found:
    whole regions, no industry (facet rows carry no category)."""
    return not narrowing.industry and whole_regions(narrowing)


def _month_overdue(narrowing: Narrowing, start: dt.date, end: dt.date) -> dict[str, int]:
    """Per month found (from ``start``): the finds still open past their deadline at ``end`` (≥ today here, so the
    deadline in force is the stored one). Off the open-hazard rollup's month-found rows when they answer; else,
    within ``cube.shared_reads`` and for today, the one read of today's overdue hazards; else the ledger (open
    hazards are few: the (status, deadline) index finds them)."""
    from anjian.stats.cube import overdue_today

    if knows_found_months(narrowing):
        found = OpenHazardTally.objects.filter(
            _where(narrowing, Facet.FOUND), deadline__lt=end, value__gte=start.strftime("%Y-%m")
        )
        return {r["value"]: r["n"] for r in found.values("value").annotate(n=Sum("n")).order_by() if r["n"]}
    shared = overdue_today(narrowing, end) if start.day == 1 else None
    if shared is not None:
        first = start.strftime("%Y-%m")
        return {month: n for month, n in shared.by_month.items() if month >= first}
    rows = (
        narrowing.hazards()
        .filter(status__in=sorted(OPEN_STATUSES), deadline__lt=end, found_on__gte=start, found_on__lte=end)
        .annotate(bucket=TruncMonth("found_on"))
        .values("bucket")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {_format(r["bucket"]): r["n"] for r in rows}


def stored_rows(*, per_enterprise: bool = True) -> Iterable[tuple[str, int]]:
    """Row counts of the rollup tables (for the rebuild command's report; ``per_enterprise``: the enterprises' too)."""
    tables: list[tuple[str, Any]] = [
        ("hazard_tally", HazardTally),
        ("open_hazard_tally", OpenHazardTally),
        ("visit_tally", VisitTally),
    ]
    if per_enterprise:
        tables.append(("enterprise_overdue_tally", EnterpriseOverdueTally))
        tables.append(("enterprise_visit_year", EnterpriseVisitYear))
        tables.append(("first_visit_tally", FirstVisitTally))
        tables.append(("enterprise_tally", EnterpriseTally))
    return [(name, model.objects.count()) for name, model in tables]
