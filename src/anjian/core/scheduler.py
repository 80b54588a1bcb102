"""Periodic jobs (``anjian scheduler``): each runs once per day at its local time, whichever scheduler process
claims the slot first. Apps add their jobs to ``JOBS`` (e.g. the nightly escalation of overdue hazards)."""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass

from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from anjian.core.models import ScheduledRun

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DailyJob:
    name: str
    at: dt.time  # local time (Asia/Shanghai)
    command: tuple[str, ...]


JOBS: list[DailyJob] = [
    DailyJob("audit_verify", dt.time(2, 30), ("audit_verify",)),
    DailyJob("clearsessions", dt.time(3, 0), ("clearsessions",)),
    DailyJob("prune_task_results", dt.time(3, 15), ("prune_db_task_results", "--min-age-days", "30")),
    DailyJob("purge_idempotency_keys", dt.time(3, 30), ("purge_idempotency_keys",)),
    DailyJob("escalate_hazards", dt.time(6, 30), ("escalate_hazards",)),
    DailyJob("remind_reinspections", dt.time(6, 45), ("remind_reinspections",)),
    DailyJob("generate_check_tasks", dt.time(0, 5), ("generate_check_tasks", "--days", "2")),
    DailyJob("compact_tallies", dt.time(0, 10), ("rebuild_tallies", "--compact")),
]


def due_slot(job: DailyJob, now: dt.datetime) -> dt.datetime | None:
    """Today's slot of the job if its time has come (local time), else None."""
    local = timezone.localtime(now)
    slot = timezone.make_aware(dt.datetime.combine(local.date(), job.at))
    return slot if local >= slot else None


def run_due(now: dt.datetime | None = None) -> list[str]:
    """Run every job whose slot today has come and that no scheduler has claimed; returns the names run."""
    now = now or timezone.now()
    ran = []
    for job in JOBS:
        slot = due_slot(job, now)
        if slot is None:
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, slot=slot)
        except IntegrityError:
            continue  # claimed by another scheduler, or already run
        output = io.StringIO()
        try:
            call_command(*job.command, stdout=output, stderr=output)
        except BaseException as error:  # a failing job must not stop the scheduler
            log.exception("scheduled job %s failed", job.name)
            ScheduledRun.objects.filter(pk=run.pk).update(
                ok=False, finished_at=timezone.now(), output=(output.getvalue() + f"\n{error}")[-4000:]
            )
            if isinstance(error, KeyboardInterrupt):
                raise
        else:
            ScheduledRun.objects.filter(pk=run.pk).update(
                ok=True, finished_at=timezone.now(), output=output.getvalue()[-4000:]
            )
        ran.append(job.name)
    return ran
