"""The inspection rollup (``VisitTally``): government inspections (检查家次) per region × industry category × month
started, and per town and per inspecting department (county tier), kept current by ``Inspection.save`` and
``Enterprise.save`` in the transaction of the change, rebuilt and checked with the hazard rollups
(``tally.rebuild``, ``tally.differences``).

An inspection counts, unless it is the enterprise's self-inspection, once in its county's totals row (and its
city's and province's), once in its town's row, once in its department's and once in its department's row of the
year (``Facet.INSPECTION_YEAR``, month: the 1st of January). The rollup answers how many visits a region had, per
sub-region (the map) and per department (the departments' enforcement, by year from a 1st of January), for a
period starting on the 1st of a month: its whole months (or years) come off the rollup, and the visits of the last
month (or year) started after the period's end (normally none: an inspection is recorded when it starts) are
taken off from the ledger. Enterprises inspected, a distinct count, come from ``stats.visited``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from django.conf import settings
from django.db import connection
from django.db.models import CharField, Count, DateField, F, Q, Sum, Value
from django.db.models.functions import Coalesce, Concat, Substr, TruncMonth, TruncYear
from django.utils import timezone

from anjian.core.queries import plain_rows
from anjian.inspections.choices import InspectionKind
from anjian.stats import tally, visited
from anjian.stats.counted import Counted
from anjian.stats.models import Facet, Tier, VisitTally

if TYPE_CHECKING:
    from anjian.stats.cube import Narrowing
    from anjian.stats.inspections import EnforcementRecords

VISIT_KEY = ("tier", "county", "category", "month", "facet", "value")
VisitKey = Literal["subregion", "department"]


@dataclass(frozen=True)
class VisitState:
    """What of an inspection the rollup depends on."""

    enterprise_id: int
    kind: str
    department_id: int | None
    started_at: dt.datetime


def _keys(state: VisitState, place: tally.Place) -> list[tuple[Any, ...]]:
    """The county-tier rows an inspection in ``state`` counts in (none for a self-inspection)."""
    if state.kind == InspectionKind.SELF:
        return []
    month = tally.month_of(timezone.localdate(state.started_at))
    county = Tier.COUNTY.value, place.county
    return [
        (*county, place.category, month, Facet.NONE.value, ""),
        (*county, "", month, Facet.TOWN.value, place.town),
        (*county, "", month, Facet.INSPECTION.value, str(state.department_id or "")),
        (*county, "", tally.year_of(month), Facet.INSPECTION_YEAR.value, str(state.department_id or "")),
    ]


def _move(deltas: Counter[tuple[Any, ...]]) -> None:
    tally._upsert(VisitTally, VISIT_KEY, tally.with_upper_tiers(deltas, VISIT_KEY))


def record_change(before: VisitState | None, after: VisitState | None) -> None:
    """Move the count of one inspection from its old state to its new one (inside the saving transaction)."""
    deltas: Counter[tuple[Any, ...]] = Counter()
    for state, sign in ((before, -1), (after, 1)):
        if state is not None:
            for key in _keys(state, tally._placement(state.enterprise_id)):
                deltas[key] += sign
    _move(deltas)
    visited.record_change(before, after)


VISITS = Counted("inspections.Inspection", VisitState, record_change)  # ``Inspection.save`` and ``delete`` call it


def enterprise_moved(enterprise_id: int, old: tally.Place, new: tally.Place) -> None:
    """An enterprise changed region or industry: move its inspections' counts with it."""
    from anjian.inspections.models import Inspection

    deltas: Counter[tuple[Any, ...]] = Counter()
    states = Inspection.objects.filter(enterprise_id=enterprise_id).government()  # scoped: one enterprise
    for row in states.values(*VISITS.fields).iterator():
        state = VisitState(**row)
        for place, sign in ((old, -1), (new, 1)):
            for key in _keys(state, place):
                deltas[key] += sign
    _move(deltas)
    if old.county != new.county:
        visited.moved(enterprise_id, new.county)


# --- rebuilding and checking ---------------------------------------------------------------------------------


def expected() -> Counter[tuple[Any, ...]]:
    """The rollup as the inspections say it should be (grouped in the database)."""
    from anjian.inspections.models import Inspection

    counted = (
        Inspection.objects.government()  # scoped: the rollups count everything
        .annotate(
            t_county=Concat(
                Substr("enterprise__region_id", 1, tally.COUNTY_DIGITS), Value("0" * (12 - tally.COUNTY_DIGITS))
            ),
            t_category=Coalesce("enterprise__industry__parent__code", Value(""), output_field=CharField()),
            t_town=Substr("enterprise__region_id", 1, tally.TOWN_DIGITS),
            t_month=TruncMonth("started_at", output_field=DateField()),
        )
        .order_by()
    )
    county = Tier.COUNTY.value
    counts: Counter[tuple[Any, ...]] = Counter()
    for r in counted.values("t_county", "t_category", "t_month").annotate(n=Count("pk")):
        counts[(county, r["t_county"], r["t_category"], tally._day(r["t_month"]), "", "")] += r["n"]
    for r in counted.values("t_county", "t_town", "t_month").annotate(n=Count("pk")):
        counts[(county, r["t_county"], "", tally._day(r["t_month"]), Facet.TOWN.value, r["t_town"])] += r["n"]
    for r in counted.values("t_county", "department_id", "t_month").annotate(n=Count("pk")):
        key = (
            county,
            r["t_county"],
            "",
            tally._day(r["t_month"]),
            Facet.INSPECTION.value,
            tally._text(r["department_id"]),
        )
        counts[key] += r["n"]
        counts[(*key[:3], tally.year_of(key[3]), Facet.INSPECTION_YEAR.value, key[5])] += r["n"]
    return tally.with_upper_tiers(counts, VISIT_KEY)


def stored() -> Counter[tuple[Any, ...]]:
    rows = VisitTally.objects.filter(~Q(n=0)).values_list(*VISIT_KEY, "n")
    return Counter({tuple(r[:-1]): r[-1] for r in rows})


def rebuild_rows() -> None:
    """Refill the rollup (inside ``tally.rebuild``'s transaction, the table locked and emptied)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_REBUILD, {"tz": settings.TIME_ZONE})
            for tier in tally.UPPER_TIERS:
                params: dict[str, Any] = {
                    "tier": tier.value,
                    "county": Tier.COUNTY.value,
                    "facets": [*tally.COUNTY_FACETS],
                }
                cursor.execute(_ROLL_UP, params)
    else:
        tally._bulk(VisitTally, VISIT_KEY, expected())


def write_years() -> int:
    """Write the department's rows by year from its month rows, replacing any there are; returns how many."""
    VisitTally.objects.filter(facet=Facet.INSPECTION_YEAR).delete()
    rows = (
        VisitTally.objects.filter(tier=Tier.COUNTY.value, facet=Facet.INSPECTION)
        .annotate(year=TruncYear("month", output_field=DateField()))
        .values_list("county", "year", "value")
        .annotate(total=Sum("n"))
        .order_by()
    )
    counts: Counter[tuple[Any, ...]] = Counter()
    for county, year, value, n in rows.iterator():
        counts[(Tier.COUNTY.value, county, "", tally._day(year), Facet.INSPECTION_YEAR.value, value)] += n
    written = Counter({key: n for key, n in counts.items() if n})
    tally._bulk(VisitTally, VISIT_KEY, written)
    return len(written)


# PostgreSQL: the rows of ``expected``, grouped in one scan of the inspections (GROUPING SETS: the totals row, the
# town's, the department's and the department's of the year; a NULL column is one the set does not group by).
_REBUILD = """
INSERT INTO stats_visittally (tier, county, category, month, facet, value, n)
SELECT 6, county, CASE WHEN GROUPING(category) = 0 THEN category ELSE '' END, COALESCE(month, year),
       CASE WHEN GROUPING(town) = 0 THEN 'town' WHEN GROUPING(year) = 0 THEN 'insp_year'
            WHEN GROUPING(department) = 0 THEN 'inspection' ELSE '' END,
       COALESCE(town, department, ''), count(*)
FROM (
  SELECT substr(e.region_id, 1, 6) || '000000' AS county, COALESCE(c.code, '') AS category,
         substr(e.region_id, 1, 9) AS town, COALESCE(s.department_id::text, '') AS department,
         date_trunc('month', s.started_at AT TIME ZONE %(tz)s)::date AS month,
         date_trunc('year', s.started_at AT TIME ZONE %(tz)s)::date AS year
  FROM inspections_inspection s
  JOIN enterprises_enterprise e ON e.id = s.enterprise_id
  JOIN enterprises_industry i ON i.id = e.industry_id
  LEFT JOIN enterprises_industry c ON c.id = i.parent_id
  WHERE s.kind <> 'self'
) x
GROUP BY GROUPING SETS (
  (county, category, month), (county, month, town), (county, month, department), (county, year, department)
)
"""
_ROLL_UP = """
INSERT INTO stats_visittally (tier, county, category, month, facet, value, n)
SELECT %(tier)s, rpad(substr(county, 1, %(tier)s), 12, '0'), category, month, facet, value, sum(n)
FROM stats_visittally WHERE tier = %(county)s AND facet <> ALL(%(facets)s)
GROUP BY 2, 3, 4, 5, 6
"""


# --- answering from the rollup -------------------------------------------------------------------------------


def visits_by(records: EnforcementRecords, start: dt.date, end: dt.date, by: VisitKey) -> dict[str, int] | None:
    """Visits in [start, end] per sub-region one level below the region (its code prefix) or per department (its
    id), off the rollup — None when it cannot answer exactly (then ask the ledger). A department's visits from a
    1st of January come off its rows by year. Read once per question within ``cube.shared_reads``."""
    from anjian.stats.cube import Narrowing, read_once, shared_key

    narrowing = Narrowing(records.user, records.region, records.industry, records.department, records.enterprise)
    key = ("visits_by", *shared_key(narrowing, end), start, by)
    return read_once(key, lambda: _visits_by(records, narrowing, start, end, by))


def _visits_by(
    records: EnforcementRecords, narrowing: Narrowing, start: dt.date, end: dt.date, by: VisitKey
) -> dict[str, int] | None:
    from anjian.stats.cube import child_length

    if start.day != 1 or not tally.whole_regions(narrowing):
        return None
    digits = 0
    key: Any
    last = end.replace(day=calendar.monthrange(end.year, end.month)[1])  # the last day the rows read count
    if by == "department" and (start.month, start.day) == (1, 1):
        facet, key, last = Facet.INSPECTION_YEAR, F("value"), dt.date(end.year, 12, 31)
    elif by == "department":
        facet, key = Facet.INSPECTION, F("value")
    elif child_length(narrowing.root()) == tally.TOWN_DIGITS:
        facet, key = Facet.TOWN, F("value")  # a county's towns
    else:
        digits = child_length(narrowing.root())  # the cities' or counties' own rows
        facet, key = Facet.NONE, Substr("county", 1, digits)
    if facet != Facet.NONE and narrowing.industry:
        return None  # facet rows carry no category
    rows = VisitTally.objects.filter(
        tally._where(narrowing, facet, digits), month__gte=start, month__lte=tally.month_of(end)
    )
    grouped = rows.annotate(bucket=key).values("bucket").annotate(n=Sum("n")).values_list("bucket", "n")
    counts = {str(bucket): n for bucket, n in plain_rows(grouped)}
    if end < last:  # the visits after the end of the last month or year read (none, unless recorded ahead)
        for bucket, n in records.visits_per(end + dt.timedelta(days=1), last, by).items():
            counts[bucket] = counts.get(bucket, 0) - n
    return {bucket: n for bucket, n in counts.items() if n}
