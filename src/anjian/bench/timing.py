"""Percentiles and the round loop: a warm-up round that does not count, then N timed rounds."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation between the closest ranks (numpy's default)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Timings:
    """Milliseconds of the counted rounds, and what the last round reported (rows returned, written …)."""

    ms: tuple[float, ...]
    rows: int | None = None

    @property
    def p50(self) -> float:
        return percentile(self.ms, 50)

    @property
    def p95(self) -> float:
        return percentile(self.ms, 95)

    @property
    def p99(self) -> float:
        return percentile(self.ms, 99)


def time_rounds(
    run: Callable[[int], int | None],
    rounds: int,
    *,
    warmup: int = 1,
    budget: float | None = None,
    at_least: int = 3,
) -> Timings:
    """Call ``run(i)`` for i = 0 … warmup + rounds - 1 and time each call; the warm-up calls are not counted.

    ``run`` returns how many rows it handled (or None); each call gets its own index, so a write can act on a
    different object every round. With a ``budget`` (seconds), rounds stop once it is spent and ``at_least``
    rounds are counted (or thrice the budget after one): a slow row reports fewer rounds instead of taking an hour."""
    ms: list[float] = []
    rows: int | None = None
    began = time.perf_counter()
    for i in range(warmup + rounds):
        started = time.perf_counter()
        rows = run(i)
        elapsed = (time.perf_counter() - started) * 1000
        if i >= warmup:
            ms.append(elapsed)
            spent = time.perf_counter() - began
            if budget is not None and ((len(ms) >= at_least and spent > budget) or spent > 3 * budget):
                break  # the budget once ``at_least`` rounds are in, or thrice the budget (a row of minutes)
    return Timings(tuple(ms), rows)
