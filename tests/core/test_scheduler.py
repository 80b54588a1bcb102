"""Periodic jobs run once per daily slot, whichever scheduler claims it; failures are recorded, not fatal."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from anjian.core import scheduler
from anjian.core.models import AuditEvent, ScheduledRun


def _local(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, 23, hour, minute, tzinfo=timezone.get_current_timezone())


def test_jobs_run_when_due_and_only_once(db: Any) -> None:
    assert scheduler.run_due(_local(0, 1)) == []
    # 00:05, the night's check tasks; 00:10, the rollups' past deadlines folded
    assert scheduler.run_due(_local(1, 0)) == ["generate_check_tasks", "compact_tallies"]
    ran = scheduler.run_due(_local(2, 45))
    assert ran == ["audit_verify"]
    assert scheduler.run_due(_local(2, 50)) == []  # the slot is claimed
    assert AuditEvent.objects.filter(event=900).count() == 1
    later = scheduler.run_due(_local(4, 0))
    assert set(later) == {"clearsessions", "prune_task_results", "purge_idempotency_keys"}
    assert ScheduledRun.objects.filter(ok=True).count() == 6
    next_day = scheduler.run_due(_local(2, 45) + dt.timedelta(days=1))
    assert set(next_day) == {"audit_verify", "generate_check_tasks", "compact_tallies"}


def test_a_failing_job_is_recorded(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scheduler, "JOBS", [scheduler.DailyJob("broken", dt.time(0, 0), ("no_such_command",))])
    assert scheduler.run_due(_local(1)) == ["broken"]
    run = ScheduledRun.objects.get(job="broken")
    assert run.ok is False and "no_such_command" in run.output
