"""A row of the bench (one line of QUALITY.md's latency table, measured one way) and running it."""

from __future__ import annotations

import math
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from anjian.bench.timing import Timings, time_rounds

Run = Callable[[int], int | None]


@dataclass
class Row:
    name: str  # stable: the JSON's ``name``
    title: str  # the QUALITY.md row it measures
    target_ms: float | None
    measured: str  # what the application does, e.g. "GET /api/v1/hazards?… as yingji"
    floor: str  # what the floor does
    run: Run | None = None
    floor_run: Run | None = None
    rounds: int | None = None  # None: the bench's --rounds
    warmup: int = 1
    unavailable: str = ""  # why the row is not measured (a module still being built, --read-only …)
    budgeted: bool = True  # False: every round runs whatever the time (the write rows pair up round by round)


@dataclass
class Result:
    name: str
    title: str
    target_ms: float | None
    measured: str
    floor: str
    status: str = "ok"  # ok, not available, failed
    note: str = ""
    app: Timings | None = None
    floor_timings: Timings | None = None

    @property
    def ratio(self) -> float | None:
        if self.app is None or self.floor_timings is None or not self.floor_timings.p95:
            return None
        return self.app.p95 / self.floor_timings.p95

    @property
    def met(self) -> bool | None:
        if self.app is None or self.target_ms is None:
            return None
        return self.app.p95 <= self.target_ms

    def as_json(self) -> dict[str, Any]:
        def ms(value: float | None) -> float | None:
            return None if value is None or math.isnan(value) else round(value, 3)

        return {
            "name": self.name,
            "p50_ms": ms(self.app.p50) if self.app else None,
            "p95_ms": ms(self.app.p95) if self.app else None,
            "target_ms": self.target_ms,
            "floor_ms": ms(self.floor_timings.p95) if self.floor_timings else None,
            "ratio": ms(self.ratio),
            "floor_p50_ms": ms(self.floor_timings.p50) if self.floor_timings else None,
            "met": self.met,
            "rounds": len(self.app.ms) if self.app else 0,
            "rows": self.app.rows if self.app else None,
            "floor_rows": self.floor_timings.rows if self.floor_timings else None,
            "title": self.title,
            "measured": self.measured,
            "floor": self.floor,
            "status": self.status,
            "note": self.note,
        }


def run_row(row: Row, rounds: int, say: Callable[[str], None], budget: float | None = None) -> Result:
    """Time the row's application call and then its floor, as many rounds each (the floor repeats the rounds
    the application completed within the ``budget``)."""
    result = Result(row.name, row.title, row.target_ms, row.measured, row.floor)
    if row.unavailable or row.run is None:
        result.status, result.note = "not available", row.unavailable
        say(f"  {row.name}: not available — {row.unavailable}")
        return result
    count = row.rounds or rounds
    say(f"  {row.name}: {row.measured}")
    try:
        result.app = time_rounds(row.run, count, warmup=row.warmup, budget=budget if row.budgeted else None)
        if row.floor_run is not None:
            result.floor_timings = time_rounds(row.floor_run, len(result.app.ms), warmup=row.warmup)
        floor = f", floor p95 {result.floor_timings.p95:.1f} ms" if result.floor_timings else ""
        say(f"    {len(result.app.ms)} rounds: p50 {result.app.p50:.1f} ms, p95 {result.app.p95:.1f} ms{floor}")
    except Exception as error:  # one broken row must not hide the others' figures
        result.status, result.note = "failed", f"{type(error).__name__}: {error}"
        say(f"  {row.name}: FAILED {result.note}")
        say(traceback.format_exc(limit=3))
    return result
