"""The months of each year in which each enterprise had a government inspection (``EnterpriseVisitYear``): how
many distinct enterprises a region's inspections visited (检查企业 … 家) in months of one year, without a distinct
count over the region's inspections (a province's 165 k inspections of a year: ~50 ms of sorting on P).

- A change of an inspection that moves it between (enterprise, year, month) or in or out of the government
  inspections recounts the (enterprise, year) rows it touches from the ledger, in the changing transaction
  (``recount``): the row is locked first (inserted when new), then the months are read, so two changes of one
  enterprise's inspections of a year serialise on its row and neither is lost.
- An enterprise moving county moves its rows' county with it (``moved``).
- Each county's enterprises by the first month they were visited in a year (``FirstVisitTally``) follow the rows:
  a recount that changes a row's first month moves one enterprise between two counts (an atomic increment, after
  the row's lock), a move of county moves it between counties. The enterprises visited from January to a month (本年,
  上年) are then a sum of the counties' counts up to that month.
- ``refresh`` (every rebuild of the rollups) recounts every row and every count; ``differences`` checks both
  against the ledger.

Only whole regions at county level or above, without an industry, a department or an enterprise, and periods
within one year starting on the 1st of a month are answered here (``enterprises_visited``); anything else is a
distinct count over the inspections, as before.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection
from django.db.models import F, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from anjian.inspections.choices import InspectionKind
from anjian.regions.choices import PREFIX_LENGTH, RegionLevel
from anjian.stats.models import EnterpriseVisitYear, FirstVisitTally

if TYPE_CHECKING:
    from anjian.stats.inspections import EnforcementRecords
    from anjian.stats.visit_tally import VisitState

_TABLE = EnterpriseVisitYear._meta.db_table
_FIRSTS = FirstVisitTally._meta.db_table
_DIGITS = PREFIX_LENGTH[RegionLevel.COUNTY]
_COUNTY = f"substr({{region}}, 1, {_DIGITS}) || '{'0' * (12 - _DIGITS)}'"  # an enterprise's county's 12-digit code
Visit = tuple[int, int, int]  # (enterprise, year, month), local time

# Lock the row (inserting it when new, with its enterprise's county), giving its months as they stand; the months
# are read after, so they see the lock's last holder's commit.
_LOCK = f"""
INSERT INTO {_TABLE} (enterprise_id, year, months, county)
SELECT id, %s, 0, {_COUNTY.format(region="region_id")} FROM enterprises_enterprise WHERE id = %s
ON CONFLICT (enterprise_id, year) DO UPDATE SET county = EXCLUDED.county
RETURNING months, county
"""  # noqa: S608 - constant fragments; every value is bound
_SET = f"UPDATE {_TABLE} SET months = %s WHERE enterprise_id = %s AND year = %s"  # noqa: S608 - constant
_ADD_FIRST = f"""
INSERT INTO {_FIRSTS} (county, year, first, n) VALUES (%s, %s, %s, %s)
ON CONFLICT (county, year, first) DO UPDATE SET n = {_FIRSTS}.n + EXCLUDED.n
"""  # noqa: S608 - constant fragments; every value is bound
# Every count from the rows (the lowest bit of the months is the first month's): portable SQL.
_REFRESH_FIRSTS = f"""
INSERT INTO {_FIRSTS} (county, year, first, n)
SELECT county, year, months & -months, COUNT(*) FROM {_TABLE} WHERE months > 0 GROUP BY county, year, months & -months
"""  # noqa: S608 - constant fragments
# PostgreSQL: every row in one grouping of the government inspections.
_REFRESH = f"""
INSERT INTO {_TABLE} (enterprise_id, year, months, county)
SELECT s.enterprise_id, s.y, bit_or(1 << (s.m - 1)), min({_COUNTY.format(region="e.region_id")})
FROM (
  SELECT enterprise_id, extract(year FROM started_at AT TIME ZONE %(tz)s)::int AS y,
         extract(month FROM started_at AT TIME ZONE %(tz)s)::int AS m
  FROM inspections_inspection WHERE kind <> %(self)s
) s JOIN enterprises_enterprise e ON e.id = s.enterprise_id
GROUP BY s.enterprise_id, s.y
"""  # noqa: S608 - constant fragments; every value is bound


def visit_of(state: VisitState | None) -> Visit | None:
    """The (enterprise, year, month) a government inspection counts in; None for a self-inspection or none."""
    if state is None or state.kind == InspectionKind.SELF:
        return None
    local = timezone.localtime(state.started_at)
    return (state.enterprise_id, local.year, local.month)


def record_change(before: VisitState | None, after: VisitState | None) -> None:
    """Recount the (enterprise, year) rows an inspection's change touches (inside the saving transaction)."""
    old, new = visit_of(before), visit_of(after)
    if old == new:
        return
    recount({(visit[0], visit[1]) for visit in (old, new) if visit is not None})


def recount(pairs: Iterable[tuple[int, int]]) -> None:
    """Recount these (enterprise, year) rows from the ledger, locking each first."""
    from anjian.inspections.models import Inspection

    with connection.cursor() as cursor:
        for enterprise_id, year in sorted(pairs):  # in order: two transactions lock shared rows the same way round
            cursor.execute(_LOCK, [year, enterprise_id])
            before, county = cursor.fetchone()
            first = _local_midnight(dt.date(year, 1, 1))
            started = (
                Inspection.objects.government()  # scoped: the rollup counts everything
                .filter(enterprise_id=enterprise_id, started_at__gte=first)
                .filter(started_at__lt=_local_midnight(dt.date(year + 1, 1, 1)))
                .values_list("started_at", flat=True)
            )
            after = months_of(started)
            cursor.execute(_SET, [after, enterprise_id, year])
            if first_of(before) != first_of(after):
                _count_first(cursor, county, year, before, -1)
                _count_first(cursor, county, year, after, 1)


def first_of(months: int) -> int:
    """The bit of the first month in ``months`` (0 for none)."""
    return months & -months


def _count_first(cursor: Any, county: str, year: int, months: int, sign: int) -> None:
    if months:
        cursor.execute(_ADD_FIRST, [county, year, first_of(months), sign])


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def months_of(moments: Iterable[dt.datetime]) -> int:
    """The bits of the local months of ``moments`` (bit 0: January)."""
    bits = 0
    for moment in moments:
        bits |= 1 << (timezone.localtime(moment).month - 1)
    return bits


def moved(enterprise_id: int, county: str) -> None:
    """An enterprise moved county: its rows count there now, and so do its first months (the rows locked first)."""
    rows = EnterpriseVisitYear.objects.select_for_update().filter(enterprise_id=enterprise_id).exclude(county=county)
    with connection.cursor() as cursor:
        for year, months, old in rows.order_by("year").values_list("year", "months", "county"):
            _count_first(cursor, old, year, months, -1)
            _count_first(cursor, county, year, months, 1)
    EnterpriseVisitYear.objects.filter(enterprise_id=enterprise_id).update(county=county)


def refresh(*, firsts: bool = True) -> int:
    """Recount every row from the ledger (inside a transaction: the rebuild's) and, with ``firsts``, every count by
    first month; returns how many rows there are. Changes of inspections wait meanwhile (a table lock that readers
    do not take)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {_TABLE} IN SHARE ROW EXCLUSIVE MODE")
    EnterpriseVisitYear.objects.all().delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_REFRESH, {"tz": settings.TIME_ZONE, "self": InspectionKind.SELF.value})
            count = max(cursor.rowcount, 0)
    else:
        rows = [
            EnterpriseVisitYear(enterprise_id=enterprise_id, year=year, months=months, county=county)
            for (enterprise_id, year, county), months in expected().items()
        ]
        EnterpriseVisitYear.objects.bulk_create(rows, batch_size=5000)
        count = len(rows)
    if firsts:
        refresh_firsts()
    return count


def refresh_firsts() -> None:
    """Every county's count by first month from the rows (their table locked by the caller, or in a migration)."""
    FirstVisitTally.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(_REFRESH_FIRSTS)


def expected() -> dict[tuple[int, int, str], int]:
    """(enterprise, year, county) → months, as the ledger says."""
    from anjian.inspections.models import Inspection
    from anjian.stats.tally import county_of

    months: dict[tuple[int, int, str], int] = {}
    rows = Inspection.objects.government().values_list("enterprise_id", "started_at", "enterprise__region_id")
    for enterprise_id, started_at, region in rows.iterator():  # scoped: the rollup counts everything
        local = timezone.localtime(started_at)
        key = (enterprise_id, local.year, county_of(region))
        months[key] = months.get(key, 0) | 1 << (local.month - 1)
    return months


def differences() -> list[str]:
    """Rows and counts that differ from the ledger (rows without a month, counts of 0 count as absent)."""
    stored = {
        (enterprise_id, year, county): months
        for enterprise_id, year, county, months in EnterpriseVisitYear.objects.exclude(months=0).values_list(
            "enterprise_id", "year", "county", "months"
        )
    }
    wanted = expected()
    found = [
        f"enterprise_visit_year {key}: ledger {wanted.get(key, 0):012b}, rollup {stored.get(key, 0):012b}"
        for key in sorted(set(stored) | set(wanted))
        if stored.get(key, 0) != wanted.get(key, 0)
    ]
    firsts: dict[tuple[str, int, int], int] = {}
    for (_enterprise, year, county), months in wanted.items():
        key = (county, year, first_of(months))
        firsts[key] = firsts.get(key, 0) + 1
    counted = {
        (county, year, first): n
        for county, year, first, n in FirstVisitTally.objects.exclude(n=0).values_list("county", "year", "first", "n")
    }
    found += [
        f"first_visit_tally {key}: ledger {firsts.get(key, 0)}, rollup {counted.get(key, 0)}"
        for key in sorted(set(firsts) | set(counted))
        if firsts.get(key, 0) != counted.get(key, 0)
    ]
    return found


def enterprises_visited(records: EnforcementRecords, start: dt.date, end: dt.date) -> int | None:
    """How many distinct enterprises government inspections visited in [start, end], off the rows; None when they
    cannot answer exactly (then count the inspections)."""
    from anjian.inspections.models import Inspection
    from anjian.stats import tally
    from anjian.stats.cube import Narrowing

    narrowing = Narrowing(records.user, records.region, records.industry, records.department, records.enterprise)
    if start.day != 1 or start.year != end.year or records.industry or not tally.whole_regions(narrowing):
        return None
    month_end = end.replace(day=calendar.monthrange(end.year, end.month)[1])
    if end < month_end:  # a visit recorded ahead, after the end in its last month, would count: the ledger then
        later = Inspection.objects.government().filter(  # scoped: whether any exists at all, anywhere
            started_at__gte=_local_midnight(end + dt.timedelta(days=1)),
            started_at__lt=_local_midnight(month_end + dt.timedelta(days=1)),
        )
        if later.exists():
            return None
    prefix = tally.region_prefix(narrowing)
    if start.month == 1:  # visited from January to the end's month: first visited by then
        firsts = FirstVisitTally.objects.filter(year=start.year, first__lt=1 << end.month)
        if prefix:
            firsts = firsts.filter(county__startswith=prefix)
        visited: int = firsts.aggregate(n=Coalesce(Sum("n"), 0))["n"]
        return visited
    mask = sum(1 << (month - 1) for month in range(start.month, end.month + 1))
    rows = EnterpriseVisitYear.objects.filter(year=start.year)
    if prefix:
        rows = rows.filter(county__startswith=prefix)
    return rows.annotate(hit=F("months").bitand(mask)).filter(hit__gt=0).count()
