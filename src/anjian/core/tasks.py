"""Background tasks (Django's Tasks API; the django-tasks backport until Django 6)."""

from __future__ import annotations

try:  # Django ≥ 6.0
    from django.tasks import task  # type: ignore[import-not-found,import-untyped,unused-ignore]
except ImportError:  # Django 5.2
    from django_tasks import task


@task()
def run_job(job_id: int) -> None:
    """Run one user-started background job (see core.jobs)."""
    from anjian.core.jobs import execute_job

    execute_job(job_id)
