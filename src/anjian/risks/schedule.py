"""When a control measure's checks fall due: its periods in local time (Asia/Shanghai), stored as aware instants.

A day, week, month, quarter or year cycle of n units starts at the measure's first day (a week on its Monday, a
month on the 1st, a quarter on Jan/Apr/Jul/Oct 1st, a year on 1 January) and runs to the next period's start; a
daily cycle with a work window is due within that window. An hourly cycle gives one check every n hours inside the
daily work window (round the clock without one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from anjian.risks.choices import CycleUnit

Period = tuple[dt.datetime, dt.datetime]


def _aware(day: dt.date, at: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, at))


def _add_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + (day.month - 1) + months
    return dt.date(total // 12, total % 12 + 1, 1)


def _anchor(unit: str, first: dt.date) -> dt.date:
    if unit == CycleUnit.WEEK:
        return first - dt.timedelta(days=first.weekday())
    if unit == CycleUnit.MONTH:
        return first.replace(day=1)
    if unit == CycleUnit.QUARTER:
        return dt.date(first.year, (first.month - 1) // 3 * 3 + 1, 1)
    if unit == CycleUnit.YEAR:
        return dt.date(first.year, 1, 1)
    return first


def _next(unit: str, start: dt.date, cycle: int) -> dt.date:
    if unit == CycleUnit.DAY:
        return start + dt.timedelta(days=cycle)
    if unit == CycleUnit.WEEK:
        return start + dt.timedelta(weeks=cycle)
    if unit == CycleUnit.MONTH:
        return _add_months(start, cycle)
    if unit == CycleUnit.QUARTER:
        return _add_months(start, 3 * cycle)
    return _add_months(start, 12 * cycle)


def periods(measure: Any, since: dt.datetime, until: dt.datetime) -> Iterator[Period]:
    """The measure's periods that end after ``since`` and start before ``until``, in order."""
    first: dt.date = measure.starts_on
    window_start: dt.time = measure.window_start or dt.time.min
    window_end: dt.time | None = measure.window_end
    if measure.cycle_unit == CycleUnit.HOUR:
        day = max(first, timezone.localdate(since) - dt.timedelta(days=1))
        while _aware(day, dt.time.min) < until:
            slot = _aware(day, window_start)
            day_end = _aware(day, window_end) if window_end else _aware(day + dt.timedelta(days=1), dt.time.min)
            while slot < day_end:
                end = min(slot + dt.timedelta(hours=measure.cycle), day_end)
                if end > since and slot < until:
                    yield slot, end
                slot = end
            day += dt.timedelta(days=1)
        return
    start = _anchor(measure.cycle_unit, first)
    while True:
        following = _next(measure.cycle_unit, start, measure.cycle)
        begin = _aware(start, window_start)
        if measure.cycle_unit == CycleUnit.DAY and measure.cycle == 1 and window_end:
            end = _aware(start, window_end)
        else:
            end = _aware(following, dt.time.min)
        if begin >= until:
            return
        if end > since:
            yield begin, end
        start = following
