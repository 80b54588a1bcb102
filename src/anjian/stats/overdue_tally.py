"""Each enterprise's overdue hazards (``EnterpriseOverdueTally``): how many of its hazards are open past their
deadline as of a day, how many of them major, and the oldest deadline — the ranking of the most overdue enterprises
(``cube.most_overdue_enterprises``) without grouping a province's 100 k overdue hazards by enterprise.

Overdue depends on the day as well as on the hazards: a hazard becomes overdue at midnight without any change. So a
row says as of which day it counts (``as_of``), and the ranking is read off the rows only while every row is as of
today; otherwise (between midnight and the nightly ``refresh``, or when the scheduler is down) the caller groups the
ledger as before. Either way the answer is exact.

- A change of a hazard that moves it in or out of an enterprise's count (its status, deadline, level or
  enterprise) recounts that enterprise's row from the ledger, as of today, in the changing transaction
  (``recount``). The row is locked first, and the count is a later statement, which sees what an earlier holder of
  the lock committed: two changes of one enterprise's hazards serialise on its row and neither is lost.
- ``refresh`` (the nightly ``rebuild_tallies --compact``, and every rebuild) recounts every row as of today in one
  grouping of the open hazards, with changes held off by a table lock meanwhile.
- ``differences`` checks every row against the ledger as of the row's own day.

Only whole regions at city level or above are answered from here (a county's overdue hazards are few: the ledger
groups them in a few milliseconds); the reader's territory comes from the enterprises' current region, so an
enterprise moving region needs nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.utils import timezone

from anjian.hazards.choices import OPEN_STATUSES, HazardLevel
from anjian.regions.choices import PREFIX_LENGTH, RegionLevel
from anjian.stats.models import EnterpriseOverdueTally

if TYPE_CHECKING:
    from anjian.stats.cube import Narrowing
    from anjian.stats.tally import Snapshot

RANKED_DIGITS = PREFIX_LENGTH[RegionLevel.CITY]  # the longest region prefix answered from the rows
Ranked = tuple[int, int, int, dt.date]  # (enterprise, overdue, major overdue, oldest deadline)

_TABLE = EnterpriseOverdueTally._meta.db_table
_OPEN = sorted(OPEN_STATUSES)
_OPEN_SQL = ", ".join(["%s"] * len(_OPEN))

# Lock the row (inserting it when new); the count is the next statement, so it sees the lock's last holder's commit.
_LOCK = f"""
INSERT INTO {_TABLE} (enterprise_id, as_of, n, major, oldest) VALUES (%s, %s, 0, 0, NULL)
ON CONFLICT (enterprise_id) DO UPDATE SET as_of = EXCLUDED.as_of
"""  # noqa: S608 - constant fragments; every value is bound
_RECOUNT = f"""
UPDATE {_TABLE} SET as_of = %s, (n, major, oldest) = (
  SELECT COUNT(*), COALESCE(SUM(CASE WHEN level = %s THEN 1 ELSE 0 END), 0), MIN(deadline) FROM hazards_hazard
  WHERE enterprise_id = %s AND status IN ({_OPEN_SQL}) AND deadline < %s
) WHERE enterprise_id = %s
"""  # noqa: S608 - constant fragments; every value is bound
_REFRESH = f"""
INSERT INTO {_TABLE} (enterprise_id, as_of, n, major, oldest)
SELECT enterprise_id, %s, COUNT(*), SUM(CASE WHEN level = %s THEN 1 ELSE 0 END), MIN(deadline) FROM hazards_hazard
WHERE status IN ({_OPEN_SQL}) AND deadline < %s
GROUP BY enterprise_id
"""  # noqa: S608 - constant fragments; every value is bound
# The first rows of the ranking, and one marker row when some row is not as of today (then the ranking is not read).
_RANKED = f"""
SELECT * FROM (
  SELECT o.enterprise_id, o.n, o.major, o.oldest FROM {_TABLE} o {{join}}
  WHERE o.n > 0 {{where}}
  ORDER BY o.n DESC, o.oldest, o.enterprise_id LIMIT %s
) ranked
UNION ALL
SELECT NULL, NULL, NULL, NULL WHERE EXISTS (SELECT 1 FROM {_TABLE} WHERE as_of < %s OR as_of > %s)
"""  # noqa: S608 - constant fragments; every value is bound


def counts_for(state: Snapshot | None, today: dt.date) -> tuple[Any, ...] | None:
    """What of a hazard's state its enterprise's count as of ``today`` depends on (None: it counts nowhere — not
    open, or not past its deadline: most changes, a new hazard's registration among them)."""
    if state is None or state.status not in OPEN_STATUSES or state.deadline is None or state.deadline >= today:
        return None
    return (state.enterprise_id, state.deadline, state.level)


def record_change(before: Snapshot | None, after: Snapshot | None) -> None:
    """Recount the enterprises whose count a hazard's change moves (inside the saving transaction). A hazard not
    overdue today, before and after, counts in no row as of today or earlier: nothing to recount."""
    today = timezone.localdate()
    if counts_for(before, today) == counts_for(after, today):
        return
    recount({state.enterprise_id for state in (before, after) if state is not None})


def recount(enterprise_ids: Iterable[int], today: dt.date | None = None) -> None:
    """Recount these enterprises' rows from the ledger as of ``today`` (default: today), locking each first."""
    today = today or timezone.localdate()
    with connection.cursor() as cursor:
        for pk in sorted(enterprise_ids):  # in order: two transactions lock shared rows the same way round
            cursor.execute(_LOCK, [pk, today])
            cursor.execute(_RECOUNT, [today, HazardLevel.MAJOR.value, pk, *_OPEN, today, pk])


def refresh(today: dt.date | None = None) -> int:
    """Recount every enterprise as of ``today`` (default: today) in one grouping of the open hazards; call inside a
    transaction. Changes of hazards wait meanwhile (a table lock that readers do not take). Returns the rows kept
    (the enterprises with an overdue hazard)."""
    today = today or timezone.localdate()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {_TABLE} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {_TABLE}")  # noqa: S608 - our table
        cursor.execute(_REFRESH, [today, HazardLevel.MAJOR.value, *_OPEN, today])
        return max(cursor.rowcount, 0)


def most_overdue(narrowing: Narrowing, limit: int, today: dt.date) -> list[Ranked] | None:
    """The ``limit`` enterprises with the most overdue hazards today, most first (ties: the oldest deadline, then
    the id), read off the rows; None when the rows cannot answer (not today, some row not as of today, a narrowing
    they do not key: below a city, a department's remit, an industry …)."""
    from anjian.stats import tally

    if today != timezone.localdate() or narrowing.industry or not tally.whole_regions(narrowing):
        return None
    prefix = tally.region_prefix(narrowing)
    if len(prefix) > RANKED_DIGITS:
        return None
    join, where, params = "", "", []
    if prefix:
        join = "JOIN enterprises_enterprise e ON e.id = o.enterprise_id"
        where, params = "AND e.region_id LIKE %s", [f"{prefix}%"]
    with connection.cursor() as cursor:
        cursor.execute(_RANKED.format(join=join, where=where), [*params, limit, today, today])
        rows = cursor.fetchall()
    if any(row[0] is None for row in rows):
        return None  # some row is not as of today
    return [(pk, int(n), int(major), _as_date(oldest)) for pk, n, major, oldest in rows]


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def differences(today: dt.date | None = None) -> list[str]:
    """Rows that differ from the ledger as of their own day; while every row is as of today, also the enterprises
    with an overdue hazard and no row."""
    from anjian.hazards.models import Hazard

    today = today or timezone.localdate()
    stored = {
        row[0]: row[1:]
        for row in EnterpriseOverdueTally.objects.values_list("enterprise_id", "as_of", "n", "major", "oldest")
    }
    latest = max([today, *(row[0] for row in stored.values())])
    open_hazards: dict[int, list[tuple[dt.date, str]]] = {}
    rows = Hazard.objects.filter(status__in=_OPEN, deadline__lt=latest)  # scoped: the rollup counts everything
    for enterprise_id, deadline, level in rows.values_list("enterprise_id", "deadline", "level").iterator():
        if deadline is not None:
            open_hazards.setdefault(enterprise_id, []).append((deadline, level))
    fresh = all(row[0] == today for row in stored.values())
    found = []
    for pk in sorted(set(stored) | (set(open_hazards) if fresh else set())):
        as_of = stored[pk][0] if pk in stored else today
        overdue = [(deadline, level) for deadline, level in open_hazards.get(pk, []) if deadline < as_of]
        expected = (
            len(overdue),
            sum(level == HazardLevel.MAJOR for _d, level in overdue),
            min(overdue)[0] if overdue else None,
        )
        got = stored[pk][1:] if pk in stored else (0, 0, None)
        if tuple(got) != expected:
            found.append(f"enterprise_overdue_tally {pk} as of {as_of}: ledger {expected}, rollup {tuple(got)}")
    return found
