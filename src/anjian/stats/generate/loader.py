"""Bulk loading for the generator: rows are tab-separated text lines (PostgreSQL's COPY text format), streamed with
COPY on PostgreSQL and inserted in batches elsewhere (SQLite: slower, fine for small datasets).

On PostgreSQL the secondary indexes, unique constraints and foreign keys of a table about to receive more rows than
it holds are dropped first and rebuilt afterwards from their own definitions (``pg_get_indexdef``,
``pg_get_constraintdef``), so the schema ends exactly as the migrations made it. The primary key and the check
constraints stay: ids arrive in ascending order, and the checks are cheap and catch a generator bug at once.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol, TextIO

from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

from anjian.utilities.progress import Progress

NULL = "\\N"
CHUNK_LINES = 2000  # lines per write: large enough to amortise the call, small enough to keep memory flat
SQLITE_BATCH = 2000
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
LOCAL_OFFSET_MINUTES = 8 * 60  # Asia/Shanghai has kept UTC+8 without daylight saving since 1991


class Writer(Protocol):
    """Where phase timings go (a text stream, or a management command's output wrapper)."""

    def write(self, text: str, /) -> Any: ...

    def flush(self) -> Any: ...


class GenerateError(Exception):
    """The generator cannot run as asked (the message says why and what to do)."""


def escape(text: str) -> str:
    """Text as the COPY text format spells it (backslash, tab and line breaks escaped)."""
    if text.isprintable() and "\\" not in text:  # the usual case, and much faster than translating
        return text
    return text.translate(_ESCAPES)


class Calendar:
    """Days as integers (``date.toordinal``) and their spellings, computed once: the generators do integer
    arithmetic on days and look the strings up, instead of building dates and datetimes row by row."""

    def __init__(self, today: dt.date, *, vendor: str, before: int = 12000, after: int = 2500) -> None:
        self.today = today.toordinal()
        self.base = self.today - before
        self.vendor = vendor
        days = [dt.date.fromordinal(self.base + i) for i in range(before + after)]
        self.iso = [d.isoformat() for d in days]
        self.weekday = [d.weekday() for d in days]
        self.month = [d.month for d in days]
        self.year = [d.year for d in days]
        self.true, self.false = ("t", "f") if vendor == "postgresql" else ("1", "0")
        # "HH:MM:00" per minute of the day; PostgreSQL gets local times with their offset, other databases the
        # naive UTC time Django stores there.
        suffix = "+08" if vendor == "postgresql" else ""
        self.clock = [f"{m // 60:02d}:{m % 60:02d}:00{suffix}" for m in range(1440)]
        # The fast path of the hot loops: prefix[day - base] + clock_from_eight[minute] is the timestamp of a
        # local minute from 08:00 on (in UTC, for the databases that store UTC, that is still the same day).
        self.prefix = [f"{d} " for d in self.iso]
        shift = 0 if vendor == "postgresql" else LOCAL_OFFSET_MINUTES
        self.clock_from_eight = [self.clock[m - shift] if m >= shift else "" for m in range(1440)]

    def date(self, day: int) -> str:
        return self.iso[day - self.base]

    def stamp(self, day: int, minute: int) -> str:
        """A local day and minute (0–1439) as a timestamp value for this database."""
        if self.vendor != "postgresql":
            minute -= LOCAL_OFFSET_MINUTES
            if minute < 0:
                day, minute = day - 1, minute + 1440
        return f"{self.iso[day - self.base]} {self.clock[minute]}"

    def row(self, values: Iterable[Any]) -> str:
        """One line from Python values (for the small tables; the big ones format their lines directly)."""
        return "\t".join(self.value(v) for v in values)

    def value(self, value: Any) -> str:
        if value is None:
            return NULL
        if value is True:
            return self.true
        if value is False:
            return self.false
        if isinstance(value, str):
            return escape(value)
        if isinstance(value, dt.datetime):
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            return self.stamp(local.toordinal(), local.hour * 60 + local.minute)
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, int | float | Decimal):
            return str(value)
        return escape(json.dumps(value, ensure_ascii=False))


@dataclass
class _Deferred:
    table: str
    indexes: list[tuple[str, str]] = field(default_factory=list)  # (name, CREATE INDEX …)
    constraints: list[tuple[str, str, str]] = field(default_factory=list)  # (name, definition, contype)


class Loader:
    """Writes generated lines into tables, reports progress and timings, and restores what it deferred."""

    def __init__(self, calendar: Calendar, *, stream: TextIO, anchor: str, defer_from: int = 20_000) -> None:
        self.calendar = calendar
        self.defer_from = defer_from  # smaller loads keep their indexes: rebuilding costs more than it saves
        self.stream = stream
        self.anchor = anchor  # the timestamp given to columns the generator leaves to their default "now"
        self.postgres = connection.vendor == "postgresql"
        self.deferred: list[_Deferred] = []
        self.rebuilt: list[tuple[str, float]] = []  # (index or constraint, seconds) as restored
        self.counts: dict[str, int] = {}
        self.frozen: set[str] = set()  # tables loaded with COPY FREEZE (no VACUUM needed afterwards)

    # --- ids and sequences ----------------------------------------------------------------------------------

    def start_id(self, model: type[models.Model]) -> int:
        """The first id to give new rows: one past the largest in the table (same data in, same ids out)."""
        table = connection.ops.quote_name(model._meta.db_table)
        column = connection.ops.quote_name(model._meta.pk.column)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX({column}), 0) + 1 FROM {table}")  # noqa: S608 - quoted names
            return int(cursor.fetchone()[0])

    def reset_sequences(self, models_: Sequence[type[models.Model]]) -> None:
        """Move the id sequences past the ids given here, as ``loaddata`` does (SQLite needs nothing)."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    # --- columns --------------------------------------------------------------------------------------------

    def _defaults(self, model: type[models.Model], columns: Sequence[str]) -> tuple[list[str], str]:
        """Columns the generator does not write, with the value each gets (its field default), as a line suffix.

        The models change while the generator does not: a new nullable or defaulted column is filled here; a new
        required one stops the run with a message instead of a half-loaded database."""
        given = set(columns)
        extra_columns: list[str] = []
        extra_values: list[str] = []
        for f in model._meta.concrete_fields:
            if f.column in given:
                continue
            if f.has_default():
                value = f.get_default()
                if isinstance(f, models.DateTimeField) and callable(f.default):
                    text = self.anchor
                else:
                    text = self.calendar.value(value)
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                text = self.anchor
            elif f.null:
                text = NULL
            elif f.blank and isinstance(f, models.CharField | models.TextField):
                text = ""
            else:
                raise GenerateError(
                    f"{model._meta.label}.{f.name} is required and the generator does not fill it: "
                    "update anjian/stats/generate for the new field."
                )
            extra_columns.append(f.column)
            extra_values.append(text)
        unknown = given - {f.column for f in model._meta.concrete_fields}
        if unknown:
            raise GenerateError(
                f"{model._meta.label} has no column {sorted(unknown)[0]}: update anjian/stats/generate for the model."
            )
        suffix = "".join("\t" + v for v in extra_values)
        return extra_columns, suffix

    # --- loading --------------------------------------------------------------------------------------------

    def load(
        self,
        model: type[models.Model],
        columns: Sequence[str],
        lines: Iterable[str],
        *,
        total: int,
        label: str | None = None,
    ) -> int:
        """Write ``lines`` (tab-separated values in ``columns`` order, no line break) into ``model``'s table."""
        extra, suffix = self._defaults(model, columns)
        names = [*columns, *extra]
        table = model._meta.db_table
        progress = Progress(f"  {label or table}", total, stream=self.stream)
        if self.postgres:
            written = self._copy(table, names, lines, suffix + "\n", progress)
        else:
            written = self._insert(table, names, lines, suffix, progress)
        progress.finish()
        self.counts[table] = self.counts.get(table, 0) + written
        return written

    def _copy(self, table: str, names: Sequence[str], lines: Iterable[str], end: str, progress: Progress) -> int:
        from psycopg.copy import QueuedLibpqWriter

        quote = connection.ops.quote_name
        sql = f"COPY {quote(table)} ({', '.join(quote(n) for n in names)}) FROM STDIN"
        if table in self.frozen:
            sql += " (FREEZE)"
        connection.ensure_connection()
        raw = connection.connection
        written = 0
        # A writer thread sends while this one generates: Python and the server work side by side.
        with raw.cursor() as cursor, cursor.copy(sql, writer=QueuedLibpqWriter(cursor)) as copy:
            batch: list[str] = []
            for line in lines:
                batch.append(line)
                if len(batch) >= CHUNK_LINES:
                    copy.write(end.join(batch) + end)
                    written += len(batch)
                    progress.advance(len(batch))
                    batch = []
            if batch:
                copy.write(end.join(batch) + end)
                written += len(batch)
                progress.advance(len(batch))
        return written

    def _insert(self, table: str, names: Sequence[str], lines: Iterable[str], suffix: str, progress: Progress) -> int:
        quote = connection.ops.quote_name
        sql = (
            f"INSERT INTO {quote(table)} ({', '.join(quote(n) for n in names)}) "  # noqa: S608 - quoted names
            f"VALUES ({', '.join(['%s'] * len(names))})"
        )
        unescape = {"\\\\": "\\", "\\t": "\t", "\\n": "\n", "\\r": "\r"}

        def values(line: str) -> tuple[str | None, ...]:
            out: list[str | None] = []
            for v in (line + suffix).split("\t"):
                if v == NULL:
                    out.append(None)
                elif "\\" in v:
                    for code, char in unescape.items():
                        v = v.replace(code, char)
                    out.append(v)
                else:
                    out.append(v)
            return tuple(out)

        written = 0
        with connection.cursor() as cursor:
            batch: list[tuple[str | None, ...]] = []
            for line in lines:
                batch.append(values(line))
                if len(batch) >= SQLITE_BATCH:
                    cursor.executemany(sql, batch)
                    written += len(batch)
                    progress.advance(len(batch))
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                written += len(batch)
                progress.advance(len(batch))
        return written

    # --- indexes and constraints ----------------------------------------------------------------------------

    def tune(self, maintenance_work_mem: str) -> None:
        """Give this transaction's index builds and foreign-key checks room to sort in memory."""
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('maintenance_work_mem', %s, true)", [maintenance_work_mem])
                cursor.execute("SELECT set_config('synchronous_commit', 'off', true)")

    def settle(self) -> None:
        """Run the deferred checks and triggers of the rows a caller's transaction wrote before (foreign keys, the
        record versions of ``stats.remembered``): ALTER TABLE refuses a table with events still pending. Later rows'
        stay deferred."""
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def defer(self, model: type[models.Model], incoming: int) -> None:
        """Drop the secondary indexes, unique constraints and foreign keys of ``model``'s table when it is about to
        receive more rows than it holds, and at least ``defer_from`` (rebuilding then costs less than maintaining
        them row by row)."""
        if not self.postgres or incoming < self.defer_from:
            return
        table = model._meta.db_table
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [quote(table)])
            estimate = max(int(cursor.fetchone()[0]), 0)
            if estimate >= incoming:
                return
            cursor.execute(f"SELECT count(*) FROM {quote(table)}")  # noqa: S608 - quoted name
            if int(cursor.fetchone()[0]) >= incoming:
                return
            deferred = _Deferred(table)
            cursor.execute(
                """
                SELECT c.conname, pg_get_constraintdef(c.oid), c.contype FROM pg_constraint c
                WHERE c.conrelid = %s::regclass AND c.contype IN ('f', 'u')
                  AND NOT EXISTS (
                      SELECT 1 FROM pg_constraint r
                      WHERE r.contype = 'f' AND r.conindid = c.conindid AND r.confrelid = c.conrelid
                        AND c.contype = 'u')
                ORDER BY c.contype, c.conname
                """,
                [quote(table)],
            )
            deferred.constraints = [(name, definition, kind) for name, definition, kind in cursor.fetchall()]
            cursor.execute(
                """
                SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                WHERE x.indrelid = %s::regclass AND NOT x.indisprimary
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
                ORDER BY i.relname
                """,
                [quote(table)],
            )
            deferred.indexes = list(cursor.fetchall())
            for name, _definition, _kind in deferred.constraints:
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
            for name, _definition in deferred.indexes:
                cursor.execute(f"DROP INDEX {quote(name)}")
        self.deferred.append(deferred)

    def restore(self, label: str = "  indexes and constraints") -> None:
        """Rebuild what ``defer`` dropped: indexes and unique constraints first, then fresh statistics (so that each
        foreign-key check is planned for the real sizes), then the foreign keys (each checks every row once)."""
        quote = connection.ops.quote_name
        builds: list[tuple[str, str]] = []
        checks: list[tuple[str, str]] = []
        for d in self.deferred:
            builds += [(f"{d.table}: {name}", sql) for name, sql in d.indexes]
            for name, definition, kind in d.constraints:
                step = (f"{d.table}: {name}", f"ALTER TABLE {quote(d.table)} ADD CONSTRAINT {quote(name)} {definition}")
                (builds if kind == "u" else checks).append(step)
        if not builds and not checks:
            return
        analyses = [(f"{d.table}: analyze", f"ANALYZE {quote(d.table)}") for d in self.deferred]
        steps = builds + analyses + checks
        progress = Progress(label, len(steps), stream=self.stream)
        rebuilt: list[tuple[str, float]] = []
        with connection.cursor() as cursor:
            # Check the deferred foreign keys of the rows loaded so far now: ALTER TABLE refuses to run on a table
            # with checks still pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for what, sql in steps:
                began = time.monotonic()
                cursor.execute(sql)
                rebuilt.append((what, time.monotonic() - began))
                progress.advance()
        progress.finish()
        self.rebuilt += rebuilt
        slowest = sorted(rebuilt, key=lambda step: -step[1])[:8]
        self.stream.write("  slowest: " + ", ".join(f"{label} {seconds:.1f} s" for label, seconds in slowest) + "\n")
        self.deferred = []

    def analyze(self, models_: Sequence[type[models.Model]], *, vacuum: bool) -> None:
        """Fresh planner statistics; with ``vacuum`` (outside a transaction only) also the visibility map, so that
        index-only scans work from the first query instead of after autovacuum's first pass. Tables loaded with
        COPY FREEZE have their visibility map set already and are only analysed."""
        quote = connection.ops.quote_name
        tables = list(dict.fromkeys(m._meta.db_table for m in models_))
        progress = Progress("  vacuum analyze" if vacuum else "  analyze", len(tables), stream=self.stream)
        with connection.cursor() as cursor:
            for table in tables:
                if self.postgres and vacuum and table not in self.frozen:
                    cursor.execute(f"VACUUM (ANALYZE) {quote(table)}")
                else:
                    cursor.execute(f"ANALYZE {quote(table)}")
                progress.advance()
        progress.finish()

    def freeze(self, models_: Sequence[type[models.Model]]) -> None:
        """Load these tables with COPY FREEZE when they, and every table that refers to them, are empty: rows go in
        frozen with the visibility map set, so no VACUUM pass over them is needed and the first reads do not rewrite
        every page to set hint bits. PostgreSQL allows FREEZE only into a table truncated in the same transaction,
        so the empty tables are truncated together (which changes nothing in them)."""
        if not self.postgres or not models_:
            return
        quote = connection.ops.quote_name
        empty: dict[str, bool] = {}
        truncate: set[str] = set()
        with connection.cursor() as cursor:
            for model in models_:
                cursor.execute(
                    """
                    WITH RECURSIVE referring(oid) AS (
                        SELECT %s::regclass::oid
                        UNION
                        SELECT c.conrelid FROM pg_constraint c JOIN referring r ON c.confrelid = r.oid
                        WHERE c.contype = 'f'
                    )
                    SELECT oid::regclass::text FROM referring
                    """,
                    [quote(model._meta.db_table)],
                )
                closure = [row[0] for row in cursor.fetchall()]
                for name in closure:
                    if name not in empty:
                        cursor.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {name})")  # noqa: S608 - a regclass name
                        empty[name] = bool(cursor.fetchone()[0])
                if all(empty[name] for name in closure):  # else: load normally, VACUUM afterwards
                    truncate.update(closure)
                    self.frozen.add(model._meta.db_table)
            if truncate:
                cursor.execute(f"TRUNCATE {', '.join(sorted(truncate))}")


class Timer:
    """Seconds per phase, printed as each phase ends and kept for the summary."""

    def __init__(self, stream: Writer) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.phases: list[tuple[str, float]] = []

    def phase(self, name: str) -> _Phase:
        return _Phase(self, name)

    @property
    def total(self) -> float:
        return time.monotonic() - self.started


class _Phase:
    def __init__(self, timer: Timer, name: str) -> None:
        self.timer, self.name = timer, name

    def __enter__(self) -> None:
        self.began = time.monotonic()
        self.timer.stream.write(f"{self.name}…\n")
        self.timer.stream.flush()

    def __exit__(self, *exc: object) -> None:
        seconds = time.monotonic() - self.began
        self.timer.phases.append((self.name, seconds))
        self.timer.stream.write(f"{self.name}: {seconds:.1f} s\n")
        self.timer.stream.flush()
