"""A big export runs in the real background worker (django-tasks db_worker, a separate process), with progress
and a download only its owner can fetch."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from anjian.core.choices import JobStatus
from anjian.core.events import EventCode
from anjian.core.models import AuditEvent, Job
from tests.world import build_world, sheet_of


def _test_database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_big_export_runs_in_the_worker(settings: Any, client: Any, tmp_path: Path) -> None:
    world = build_world()
    settings.EXPORT_INLINE_LIMIT = 1
    client.force_login(world.users["anweiban"], backend="anjian.orgs.backends.ModelBackend")
    response = client.get(reverse("core:export", args=["enterprises"]) + "?q=公司")
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.status == JobStatus.QUEUED and job.total == 4
    page = client.get(reverse("core:job_detail", args=[job.pk]))
    assert 'hx-trigger="every 1s"' in page.content.decode()  # the page polls while the job runs
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "ANJIAN_TEST_DATABASE_URL": _test_database_url(),
        "ANJIAN_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    worker = subprocess.run(
        [sys.executable, "-m", "django", "db_worker", "--batch", "--no-startup-delay"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert worker.returncode == 0, worker.stderr[-2000:]
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert job.done == job.total == 4 and job.percent == 100
    download = client.get(reverse("core:job_download", args=[job.pk]))
    rows = list(sheet_of(load_workbook(io.BytesIO(b"".join(download.streaming_content)))).iter_rows(values_only=True))
    assert len(rows) == 5  # header + 4 enterprises of the county
    assert AuditEvent.objects.filter(event=EventCode.EXPORT, actor_username="anweiban").exists()
    finished = client.get(reverse("core:job_detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in finished.content.decode()
