"""User-started background jobs: created here, run by ``anjian worker``, followed on the job page."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from anjian.core import exports
from anjian.core.audit import record_event
from anjian.core.choices import JobKind, JobStatus
from anjian.core.events import EventCode
from anjian.core.models import Job

log = logging.getLogger(__name__)


def start_export_job(spec: exports.ExportSpec, *, user: Any, query: str, total: int) -> Job:
    """Queue a big export; the worker writes the file and the user downloads it from the job page."""
    with transaction.atomic():
        job = Job.objects.create(
            kind=JobKind.EXPORT,
            owner=user,
            title=str(spec.title),
            params={"spec": spec.name, "query": query},
            total=total * (len(spec.sheets()) if spec.sheets else 1),  # progress counts every sheet's rows
        )
        from anjian.core.tasks import run_job

        transaction.on_commit(lambda: run_job.enqueue(job.pk))
    return job


def _progress(job_id: int) -> Any:
    def report(done: int) -> None:
        Job.objects.filter(pk=job_id).update(done=done)

    return report


def execute_job(job_id: int) -> None:
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return  # already run (a retried task) or gone
    job = Job.objects.select_related("owner").get(pk=job_id)
    try:
        if job.kind == JobKind.EXPORT:
            _run_export(job)
        else:
            raise ValueError(f"unknown job kind {job.kind}")
    except Exception as error:
        log.exception("job %s failed", job_id)
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, message=str(error)[:1000], finished_at=timezone.now()
        )
        raise


def _run_export(job: Job) -> None:
    spec = exports.REGISTRY[job.params["spec"]]
    queryset = exports.filtered(spec, job.owner, QueryDict(job.params.get("query", "")))
    relative = Path("jobs") / str(job.pk) / f"export-{job.pk}.xlsx"
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    rows = exports.write(spec, queryset, str(target), progress=_progress(job.pk))
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.SUCCEEDED,
            done=rows,
            total=rows,
            result_path=str(relative),
            result_name=spec.filename(),
            finished_at=timezone.now(),
        )
        record_event(
            EventCode.EXPORT,
            actor=job.owner,
            target_type=spec.name,
            target_repr=str(spec.title),
            new={"rows": rows, "filters": job.params.get("query", ""), "job": job.pk},
        )
