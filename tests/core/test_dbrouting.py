"""Read-replica routing: reads inside ``reading_replica()`` go to the replica, everything else to the primary."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, router
from django.http import HttpRequest
from django.template import engines
from django.template.response import TemplateResponse
from django.test import RequestFactory

from anjian.core.dbrouting import REPLICA, ReplicaRouter, reading_replica, replica_reads
from anjian.core.models import Job
from anjian.hazards.models import Hazard

# The router reads settings.DATABASES; Django warns that overriding it does not reconnect (nothing here connects).
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES:UserWarning")


def _clean_env(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ANJIAN_", "DJANGO_"))}
    return {**base, **extra}


def _test_database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def replica(settings: Any) -> None:
    """A replica alias configured as a test mirror of the primary."""
    settings.DATABASES = {
        **settings.DATABASES,
        REPLICA: {**settings.DATABASES[DEFAULT_DB_ALIAS], "TEST": {"MIRROR": DEFAULT_DB_ALIAS}},
    }


def test_reads_inside_the_block_go_to_the_replica(replica: None) -> None:
    assert Hazard.objects.all().db == DEFAULT_DB_ALIAS
    with reading_replica():
        assert Hazard.objects.all().db == REPLICA
        assert router.db_for_read(Job) == REPLICA
        with reading_replica():  # nested blocks
            assert Hazard.objects.all().db == REPLICA
        assert Hazard.objects.all().db == REPLICA
    assert Hazard.objects.all().db == DEFAULT_DB_ALIAS


def test_the_block_ends_even_when_it_raises(replica: None) -> None:
    with pytest.raises(RuntimeError), reading_replica():
        raise RuntimeError
    assert Hazard.objects.all().db == DEFAULT_DB_ALIAS


def test_as_a_decorator(replica: None) -> None:
    @reading_replica()
    def figures() -> str:
        return Hazard.objects.all().db

    assert figures() == REPLICA
    assert figures() == REPLICA  # reusable: a fresh block per call
    assert Hazard.objects.all().db == DEFAULT_DB_ALIAS


def test_writes_always_go_to_the_primary(replica: None) -> None:
    with reading_replica():
        assert router.db_for_write(Hazard) == DEFAULT_DB_ALIAS
        assert Hazard.objects.select_for_update().db == DEFAULT_DB_ALIAS
        assert Hazard.objects.all().db == REPLICA


def test_session_lockout_and_task_rows_stay_on_the_primary(replica: None) -> None:
    from axes.models import AccessAttempt
    from django.contrib.sessions.models import Session
    from django_tasks_db.models import DBTaskResult

    with reading_replica():
        assert router.db_for_read(Session) == DEFAULT_DB_ALIAS
        assert router.db_for_read(AccessAttempt) == DEFAULT_DB_ALIAS
        assert router.db_for_read(DBTaskResult) == DEFAULT_DB_ALIAS


def test_without_a_replica_everything_is_the_primary(settings: Any) -> None:
    assert REPLICA not in settings.DATABASES
    with reading_replica():
        assert Hazard.objects.all().db == DEFAULT_DB_ALIAS
        assert router.db_for_read(Hazard) == DEFAULT_DB_ALIAS


def test_inside_a_transaction_reads_stay_on_the_primary(db: Any, replica: None) -> None:
    # pytest-django runs this test inside a transaction on default, like a view inside transaction.atomic().
    assert connection.in_atomic_block
    with reading_replica():
        assert Hazard.objects.all().db == DEFAULT_DB_ALIAS


def test_migrations_and_relations() -> None:
    routing = ReplicaRouter()
    assert routing.allow_migrate(REPLICA, "hazards") is False
    assert routing.allow_migrate(DEFAULT_DB_ALIAS, "hazards") is None
    on_replica, on_primary = Hazard(), Job()
    on_replica._state.db, on_primary._state.db = REPLICA, DEFAULT_DB_ALIAS
    assert routing.allow_relation(on_replica, on_primary) is True
    on_primary._state.db = "elsewhere"
    assert routing.allow_relation(on_replica, on_primary) is None


def test_replica_reads_routes_get_requests_and_their_deferred_templates(replica: None) -> None:
    seen: list[str] = []

    @replica_reads
    def dashboard(request: HttpRequest) -> TemplateResponse:
        seen.append(Hazard.objects.all().db)
        template = engines["django"].from_string("{{ routed }}")
        return TemplateResponse(request, template, {"routed": lambda: Hazard.objects.all().db})

    factory = RequestFactory()
    response = dashboard(factory.get("/"))
    assert response.content == b"replica"  # rendered inside the block
    dashboard(factory.head("/"))
    assert dashboard(factory.post("/")).render().content == b"default"
    assert seen == [REPLICA, REPLICA, DEFAULT_DB_ALIAS]
    assert Hazard.objects.all().db == DEFAULT_DB_ALIAS


@pytest.mark.slow
def test_the_replica_setting_routes_real_queries(db: Any, tmp_path: Path) -> None:
    """With ANJIAN_REPLICA_DATABASE_URL set, block reads run on the replica connection, whose sessions refuse
    writes; here both URLs name the test database, as a mirror does."""
    script = """
import json
import django
django.setup()
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connections, transaction
from django.test.utils import CaptureQueriesContext
from anjian.core.dbrouting import reading_replica

primary, replica = connections["default"], connections["replica"]
with CaptureQueriesContext(primary) as on_primary, CaptureQueriesContext(replica) as on_replica:
    with reading_replica():
        inside = ContentType.objects.count()
    queries = {"inside": (len(on_primary), len(on_replica))}
    outside = ContentType.objects.count()
    queries["outside"] = (len(on_primary), len(on_replica))
    with reading_replica(), transaction.atomic():
        ContentType.objects.count()
    queries["transaction"] = (len(on_primary), len(on_replica))
try:
    with transaction.atomic(using="replica"):
        ContentType.objects.using("replica").create(app_label="anjian_test", model="refused")
    write = "accepted"
except DatabaseError as error:
    write = type(error).__name__
print(json.dumps({
    "test": settings.DATABASES["replica"]["TEST"],
    "routers": settings.DATABASE_ROUTERS,
    "same": inside == outside,
    "queries": queries,
    "write": write,
}))
"""
    url = _test_database_url()
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=_clean_env(
            ANJIAN_SECRET_KEY="k" * 50,
            ANJIAN_DATA_DIR=str(tmp_path),
            ANJIAN_DATABASE_URL=url,
            ANJIAN_REPLICA_DATABASE_URL=url,
            DJANGO_SETTINGS_MODULE="anjian.settings",
        ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["test"]["MIRROR"] == "default"
    assert report["routers"] == ["anjian.core.dbrouting.ReplicaRouter"]
    assert report["same"] is True
    queries = report["queries"]
    assert queries["inside"] == [0, 1] and queries["outside"] == [1, 1]
    assert queries["transaction"][0] > 1 and queries["transaction"][1] == 1
    assert report["write"] == "InternalError"  # cannot execute INSERT in a read-only transaction


def test_a_replica_needs_postgresql(tmp_path: Path) -> None:
    base = {
        "ANJIAN_SECRET_KEY": "k" * 50,
        "ANJIAN_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "anjian.settings",
    }
    for extra in (
        {"ANJIAN_DATABASE_URL": "postgres://a@db/anjian", "ANJIAN_REPLICA_DATABASE_URL": f"sqlite:///{tmp_path}/r"},
        {"ANJIAN_REPLICA_DATABASE_URL": "postgres://a@replica/anjian"},  # the primary is the SQLite default
        {"ANJIAN_DATABASE_URL": "postgres://a@db/anjian", "ANJIAN_REPLICA_DATABASE_URL": "mysql://a@replica/x"},
    ):
        result = subprocess.run(
            [sys.executable, "-c", "import django; django.setup()"],
            env=_clean_env(**base, **extra),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode != 0 and "ANJIAN_REPLICA_DATABASE_URL" in result.stderr, result.stderr
