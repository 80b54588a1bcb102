"""Figures of past periods remembered by each process, for as long as the hazards they count have not changed.

A dashboard's year-on-year comparison reads the same period a year before (1 January to today's date last year).
Its last, partial month is not in the rollups: it is read off the ledger, ~15 ms of index reads for a county or a
province on dataset P, on every dashboard and summary. Yet last year's hazards seldom change.

``HazardYearVersion`` counts the changes of the hazards each county found in each year: ``tally.record_change`` and
``tally.enterprise_moved`` add one to the (county, year found) rows of every counted change in the saving
transaction (``tally._upsert``, as the rollups' counts), and ``tally.rebuild`` moves the epoch on (county '', year 0;
``tally.new_epoch``: a bulk load writes the ledger without counting each change). A figure over whole regions (the
rollups' questions: ``tally.whole_regions``) of years Y1…Y2 is therefore the ledger's answer as long as the sum of
the counts of the region's counties for Y1…Y2, and of the epoch, is the one read *before* the figure was computed:
every committed change since would have raised it. Reading the sum is one query over a few hundred rows.

Memory is used only outside transactions (in autocommit each statement sees committed rows, so a version read is
a committed one): inside a transaction a version could be this transaction's own, uncommitted bump, and a
rollback would let another change reach the same number. The epoch starts at a random number, so a database
emptied and filled again (a test's flush, a new dataset) does not meet the numbers it had.

The enforcement figures (inspections, documents, penalty cases, the enterprises in scope, the departments' work)
are remembered the same way under ``RecordVersion('enforcement')``, which PostgreSQL moves itself: a deferred
trigger on each table those figures read (migration ``stats/0015``) adds one when a transaction that wrote it
commits, whether an action, a bulk load or SQL by hand wrote it — no writer can be missed. Hazards' actions write
none of those tables, so a dashboard's enforcement half stays remembered while hazards are reported and closed. On
other databases (SQLite: the demo) there are no triggers, and nothing is remembered under that version.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections, router

from anjian.stats.models import HazardYearVersion, RecordVersion

T = TypeVar("T")
SIZE = 512  # entries per process: a region × period × industry each
ROWS = 20_000  # and rows across them (a province's departments' list is ~1,300 rows, ~0.4 MB): a few MB in all
EPOCH = ("", 0)

_memory: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_rows = 0  # the rows the memory holds (``_rows_of`` each entry)
_lock = threading.Lock()


def random_step() -> int:
    """How far the epoch moves (and where it starts): a random number, so that no process meets numbers it had."""
    return secrets.randbits(48) + 1


def version(prefix: str, first_year: int, last_year: int) -> int | None:
    """The version of the hazards found in ``first_year``…``last_year`` in the counties whose codes start with
    ``prefix`` ('' for all): None when it cannot be trusted (inside a transaction, or no epoch yet: then it is
    written, for the next reader)."""
    alias = router.db_for_read(HazardYearVersion)
    if connections[alias].in_atomic_block or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return None
    table = connections[alias].ops.quote_name(HazardYearVersion._meta.db_table)
    with connections[alias].cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT n FROM {table} WHERE county = %s AND year = %s), "  # noqa: S608 - our table
            f"(SELECT COALESCE(SUM(n), 0) FROM {table} "
            f"WHERE year BETWEEN %s AND %s AND county LIKE %s AND county <> '')",
            [*EPOCH, first_year, last_year, prefix + "%"],
        )
        epoch, changes = cursor.fetchone()
    if epoch is None:
        if alias == DEFAULT_DB_ALIAS:
            from anjian.stats.tally import new_epoch

            new_epoch()
        return None
    return int(epoch) + int(changes)


def record_version(name: str) -> int | None:
    """The version of the group of tables ``name`` (``RecordVersion``): None when it cannot be trusted — inside a
    transaction, on a database without the triggers (not PostgreSQL), or with no row yet (the triggers write it,
    at a random number, with the next change)."""
    alias = router.db_for_read(RecordVersion)
    reading = connections[alias]
    if reading.vendor != "postgresql" or reading.in_atomic_block or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return None
    table = reading.ops.quote_name(RecordVersion._meta.db_table)
    with reading.cursor() as cursor:
        cursor.execute(f"SELECT n FROM {table} WHERE name = %s", [name])  # noqa: S608 - our table
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def remembered(
    key: tuple[Any, ...],
    current: int | None,
    compute: Callable[[], T],
    recheck: Callable[[], int | None] | None = None,
) -> T:
    """``compute()``, or what it gave before for ``key`` at version ``current`` (None: computed, not kept).

    ``recheck`` reads the version again after a computation: a change committed while its queries ran may have
    given figures partly from before it and partly after, which are then returned but not kept under ``current``."""
    global _rows
    if current is None:
        return compute()
    full = (*key, current)
    with _lock:
        if full in _memory:
            _memory.move_to_end(full)
            return _copy(_memory[full])
    value = compute()
    if recheck is not None and recheck() != current:
        return value
    with _lock:
        if full not in _memory:
            _memory[full] = _copy(value)
            _rows += _rows_of(value)
        while _memory and (len(_memory) > SIZE or _rows > ROWS):
            _rows -= _rows_of(_memory.popitem(last=False)[1])
    return value


def _rows_of(value: Any) -> int:
    return len(value) if isinstance(value, dict | list) else 1


def _copy(value: T) -> T:
    """A copy of a dict or a list for the caller to change (what they hold is immutable: numbers, frozen
    dataclasses)."""
    if isinstance(value, dict):
        return dict(value)  # type: ignore[return-value]
    if isinstance(value, list):
        return list(value)  # type: ignore[return-value]
    return value


def forget() -> None:
    """Empty this process's memory (tests)."""
    global _rows
    with _lock:
        _memory.clear()
        _rows = 0
