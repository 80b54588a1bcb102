"""Check tasks: periods of every cycle in local time (Asia/Shanghai) stored as UTC instants, idempotent generation
that catches up a skipped run, missed tasks flagged, checks recorded only within their window by the assignee or a
manager, and an abnormal check opening a hazard."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

from anjian.core.exceptions import ActionError, InvalidInput
from anjian.hazards.choices import HazardSource
from anjian.risks import actions
from anjian.risks.choices import CheckResult, CycleUnit, TaskStatus
from anjian.risks.models import CheckTask
from anjian.risks.schedule import periods
from tests.hazards.helpers import photo
from tests.risks.helpers import register
from tests.world import World

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = dt.UTC


def local(year: int, month: int, day: int, hour: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=SHANGHAI)


def measure(
    unit: str, cycle: int = 1, starts: dt.date = dt.date(2026, 2, 25), start: Any = None, end: Any = None
) -> Any:
    return SimpleNamespace(cycle_unit=unit, cycle=cycle, starts_on=starts, window_start=start, window_end=end)


def test_daily_periods_with_a_work_window_are_local_days() -> None:
    got = list(periods(measure(CycleUnit.DAY, start=dt.time(8), end=dt.time(18)), local(2026, 3, 1), local(2026, 3, 3)))
    assert got == [
        (local(2026, 3, 1, 8), local(2026, 3, 1, 18)),
        (local(2026, 3, 2, 8), local(2026, 3, 2, 18)),
    ]
    # Stored as UTC: 08:00 in Shanghai is 00:00 UTC; a day without a window starts at 16:00 UTC the day before.
    assert got[0][0].astimezone(UTC) == dt.datetime(2026, 3, 1, 0, tzinfo=UTC)
    whole = list(periods(measure(CycleUnit.DAY), local(2026, 3, 1), local(2026, 3, 2)))
    assert whole == [(local(2026, 3, 1), local(2026, 3, 2))]
    assert whole[0][0].astimezone(UTC) == dt.datetime(2026, 2, 28, 16, tzinfo=UTC)


def test_every_other_day_counts_from_the_first_day() -> None:
    got = [s.date() for s, _e in periods(measure(CycleUnit.DAY, cycle=2), local(2026, 3, 1), local(2026, 3, 8))]
    assert got == [dt.date(2026, 3, 1), dt.date(2026, 3, 3), dt.date(2026, 3, 5), dt.date(2026, 3, 7)]  # 2/25 + 2k


def test_hourly_checks_inside_the_work_window() -> None:
    got = list(
        periods(
            measure(CycleUnit.HOUR, cycle=2, start=dt.time(8), end=dt.time(13)), local(2026, 3, 2), local(2026, 3, 3)
        )
    )
    assert got == [
        (local(2026, 3, 2, 8), local(2026, 3, 2, 10)),
        (local(2026, 3, 2, 10), local(2026, 3, 2, 12)),
        (local(2026, 3, 2, 12), local(2026, 3, 2, 13)),  # the window closes at 13:00
    ]
    round_the_clock = list(periods(measure(CycleUnit.HOUR), local(2026, 3, 2), local(2026, 3, 3)))
    assert len(round_the_clock) == 24 and round_the_clock[0] == (local(2026, 3, 2), local(2026, 3, 2, 1))


@pytest.mark.parametrize(
    ("unit", "cycle", "expected"),
    [
        (CycleUnit.WEEK, 1, [(dt.date(2026, 2, 23), dt.date(2026, 3, 2)), (dt.date(2026, 3, 2), dt.date(2026, 3, 9))]),
        (CycleUnit.MONTH, 1, [(dt.date(2026, 2, 1), dt.date(2026, 3, 1)), (dt.date(2026, 3, 1), dt.date(2026, 4, 1))]),
        (CycleUnit.MONTH, 2, [(dt.date(2026, 2, 1), dt.date(2026, 4, 1))]),
        (CycleUnit.QUARTER, 1, [(dt.date(2026, 1, 1), dt.date(2026, 4, 1))]),
        (CycleUnit.YEAR, 1, [(dt.date(2026, 1, 1), dt.date(2027, 1, 1))]),
    ],
)
def test_longer_cycles_anchor_on_calendar_periods(
    unit: str, cycle: int, expected: list[tuple[dt.date, dt.date]]
) -> None:
    """A week starts on Monday, a month on the 1st, a quarter on Jan/Apr/Jul/Oct 1st, a year on 1 January."""
    got = list(periods(measure(unit, cycle), local(2026, 2, 28), local(2026, 3, 3)))
    assert [(s.date(), e.date()) for s, e in got] == expected
    assert all(s.timetz() == dt.time(0, tzinfo=SHANGHAI) for s, _e in got)


def noon() -> dt.datetime:
    """Today at noon, local time: the tests do not depend on the hour they run at."""
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(12)))


def test_generation_is_idempotent_and_catches_up(world: World) -> None:
    reg = register(world)  # daily 08:00–18:00 and weekly, from three days ago
    now = noon()
    first = actions.generate_tasks(now)
    daily = CheckTask.objects.filter(measure=reg.daily)
    assert daily.count() == 5  # three days ago … tomorrow (horizon one day)
    assert actions.generate_tasks(now) == 0 and daily.count() == 5
    assert first == CheckTask.objects.count()
    # A run skipped for two days: the next one creates the missing days too.
    later = now + dt.timedelta(days=3)
    actions.generate_tasks(later)
    assert daily.count() == 8
    starts = sorted(timezone.localtime(t.due_start) for t in daily)
    assert [s.time() for s in starts] == [dt.time(8)] * 8
    assert len({s.date() for s in starts}) == 8
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM risks_checktask WHERE measure_id = %s AND due_end - due_start = interval '10 hours'",
            [reg.daily.pk],
        )
        assert cursor.fetchone()[0] == 8


def test_missed_tasks_are_flagged(world: World) -> None:
    reg = register(world)
    actions.generate_tasks(noon())
    today = timezone.localdate()
    past = CheckTask.objects.filter(measure=reg.daily, due_end__lt=noon())
    assert past.count() == 3
    flagged = actions.flag_missed(noon())
    # and the weekly check of the week of the first day (three days ago), when that week is over (Monday–Wednesday)
    first = today - dt.timedelta(days=3)
    weekly = 1 if first - dt.timedelta(days=first.weekday()) < today - dt.timedelta(days=today.weekday()) else 0
    assert flagged == CheckTask.objects.filter(due_end__lt=noon()).count() == 3 + weekly
    assert set(past.values_list("status", flat=True)) == {TaskStatus.MISSED}
    future = CheckTask.objects.filter(measure=reg.daily, due_start__date__gt=today)
    assert set(future.values_list("status", flat=True)) == {TaskStatus.PENDING}
    current = CheckTask.objects.get(measure=reg.daily, due_start__lte=noon(), due_end__gt=noon())
    assert current.status == TaskStatus.PENDING  # today's window is still open at noon
    assert actions.flag_missed(noon()) == 0


def _open_task(reg: Any) -> CheckTask:
    actions.generate_tasks(noon())
    return CheckTask.objects.get(measure=reg.daily, due_start__lte=noon(), due_end__gt=noon())


def test_a_normal_and_an_abnormal_check(world: World) -> None:
    reg = register(world)
    task = _open_task(reg)
    at = task.due_start + dt.timedelta(hours=1)
    zhigong1 = world.users["zhigong1"]
    with pytest.raises(InvalidInput):  # abnormal says what
        actions.do_record_check(task, result=CheckResult.FAIL, actor=zhigong1, at=at)
    with pytest.raises(ActionError):  # not theirs: another enterprise's officer
        actions.do_record_check(task, result=CheckResult.PASS, actor=world.users["yingji"], at=at)
    with pytest.raises(InvalidInput):  # before its window
        actions.do_record_check(
            task, result=CheckResult.PASS, actor=zhigong1, at=task.due_start - dt.timedelta(minutes=1)
        )
    with pytest.raises(ActionError):  # after its window: missed
        actions.do_record_check(task, result=CheckResult.PASS, actor=zhigong1, at=task.due_end)
    record = actions.do_record_check(
        task,
        result=CheckResult.FAIL,
        note="液位计与DCS读数偏差超过5%",
        photo=photo(),
        actor=zhigong1,
        at=at,
        latitude=29.2,
        longitude=115.9,
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and record.hazard is not None
    hazard = record.hazard
    assert hazard.source == HazardSource.CONTROL_FAILURE and hazard.enterprise == world.enterprises["chem"]
    assert "液位计" in hazard.description and hazard.location == "1#甲醇储罐" and hazard.photos.count() == 1
    assert hazard.found_by == zhigong1
    with pytest.raises(ActionError):  # done once
        actions.do_record_check(task, result=CheckResult.PASS, actor=zhigong1, at=at)
    other = CheckTask.objects.get(measure=reg.weekly, due_start__lte=noon(), due_end__gt=noon())
    normal = actions.do_record_check(other, result=CheckResult.PASS, actor=world.users["qiye1"], at=noon())  # a manager
    assert normal.hazard is None
