"""How many enterprises each county holds in each status (``EnterpriseTally``): the enterprises in scope of a
province's or a city's inspection coverage (应检查企业: every enterprise not closed) are a sum of a few hundred rows
instead of a count of its 100 k enterprises (~8 ms on P).

- ``Enterprise.save`` moves one enterprise between two counts when it is registered or changes county or status, in
  the saving transaction (an atomic increment of each row). Enterprises change through actions that lock them
  first, and are never deleted (every record points at them, PROTECT; the admin cannot).
- ``refresh`` (every rebuild of the rollups) recounts every row; ``differences`` checks them against the register.

Only whole regions at county level or above, without an industry or a department's remit, are answered here
(``not_closed``); anything else counts the enterprises, as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce

from anjian.enterprises.choices import EnterpriseStatus
from anjian.regions.choices import PREFIX_LENGTH, RegionLevel
from anjian.stats.models import EnterpriseTally

if TYPE_CHECKING:
    from anjian.stats.cube import Narrowing

Counted = tuple[str, str]  # (region code, status) of an enterprise

_TABLE = EnterpriseTally._meta.db_table
_DIGITS = PREFIX_LENGTH[RegionLevel.COUNTY]
_ADD = f"""
INSERT INTO {_TABLE} (county, status, n) VALUES (%s, %s, %s)
ON CONFLICT (county, status) DO UPDATE SET n = {_TABLE}.n + EXCLUDED.n
"""  # noqa: S608 - constant fragments; every value is bound
_REFRESH = f"""
INSERT INTO {_TABLE} (county, status, n)
SELECT substr(region_id, 1, {_DIGITS}) || '{"0" * (12 - _DIGITS)}', status, COUNT(*) FROM enterprises_enterprise
GROUP BY substr(region_id, 1, {_DIGITS}), status
"""  # noqa: S608 - constant fragments


def county_of(region_code: str) -> str:
    return region_code[:_DIGITS].ljust(12, "0")


def record_change(before: Counted | None, after: Counted | None) -> None:
    """Move one enterprise from its old (county, status) count to its new one (inside the saving transaction)."""
    old = (county_of(before[0]), before[1]) if before is not None else None
    new = (county_of(after[0]), after[1]) if after is not None else None
    if old == new:
        return
    with connection.cursor() as cursor:
        for row, sign in sorted(((old, -1), (new, 1)), key=str):  # in order: concurrent changes lock rows alike
            if row is not None:
                cursor.execute(_ADD, [*row, sign])


def refresh() -> int:
    """Recount every row from the register (inside the rebuild's transaction); returns how many there are."""
    EnterpriseTally.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(_REFRESH)
    return EnterpriseTally.objects.count()


def expected() -> dict[tuple[str, str], int]:
    from anjian.enterprises.models import Enterprise

    counts: dict[tuple[str, str], int] = {}
    rows = Enterprise.objects.values_list("region_id", "status").annotate(n=Count("pk")).order_by()
    for region, status, n in rows:  # scoped: the rollup counts everything
        key = (county_of(region), status)
        counts[key] = counts.get(key, 0) + n
    return counts


def differences() -> list[str]:
    """Counts that differ from the register (counts of 0 count as absent)."""
    stored = {(county, status): n for county, status, n in EnterpriseTally.objects.values_list("county", "status", "n")}
    wanted = expected()
    return [
        f"enterprise_tally {key}: register {wanted.get(key, 0)}, rollup {stored.get(key, 0)}"
        for key in sorted(set(stored) | set(wanted))
        if stored.get(key, 0) != wanted.get(key, 0)
    ]


def not_closed(narrowing: Narrowing) -> int | None:
    """How many enterprises of the narrowing are not closed, off the counts; None when they cannot answer (an
    industry, a department's remit, a region below a county …: then count the enterprises)."""
    from anjian.stats import tally

    if narrowing.industry or not tally.whole_regions(narrowing):
        return None
    rows = EnterpriseTally.objects.exclude(status=EnterpriseStatus.CLOSED)
    prefix = tally.region_prefix(narrowing)
    if prefix:
        rows = rows.filter(county__startswith=prefix)
    count: int = rows.aggregate(n=Coalesce(Sum("n"), 0))["n"]
    return count
