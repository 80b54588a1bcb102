"""``anjian bench`` on a tiny ledger: every floor answers what the application answers (so a ratio compares the
same work), the write floors keep the audit chain and the rollups exact, and a 2-round run writes JSON with every
field and leaves nothing open behind it. Timings are printed by the bench, never asserted."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.http import QueryDict
from django.test import Client, override_settings
from django.utils import timezone

from anjian.bench import cases, floors
from anjian.bench.timing import percentile, time_rounds
from anjian.core import exports
from anjian.core.audit import verify_chain
from anjian.core.models import AuditEvent, Job
from anjian.core.scoping import Scope
from anjian.hazards.choices import HazardStatus
from anjian.hazards.models import Hazard, HazardTransition, HazardType
from anjian.stats import tally
from tests.conftest import sign_in_as
from tests.hazards.helpers import generate
from tests.stats.test_inspections import END, START
from tests.stats.test_inspections import build as build_enforcement
from tests.world import World, build_world

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PERIODS = [(START, END), (dt.date(TODAY.year, 1, 1), TODAY), (TODAY - dt.timedelta(days=400), TODAY)]
HAZARD_FIGURES = ("found", "rectified", "major_found", "major_rectified", "overdue_open")
INSPECTION_FIGURES = (
    "visits",
    "enterprises_inspected",
    "enterprises_in_scope",
    "hazards_found_by_inspection",
    "cases_decided",
    "illegal_acts",
    "violations",
    "suspended_enterprises",
    "licences_withheld_or_revoked",
    "closed_enterprises",
    "criminal_persons",
)
JSON_FIELDS = {"name", "p50_ms", "p95_ms", "target_ms", "floor_ms", "ratio", "rows", "status", "measured", "floor"}


@pytest.fixture(scope="module")
def ledger(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The world with a year of hazards through the workflow and the enforcement records of the stats tests,
    built once in a transaction rolled back at the end (each test runs in a savepoint inside it)."""
    media = str(tmp_path_factory.mktemp("media"))
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        world = build_world()
        generate(world, count=60)
        build_enforcement(world)
        yield world
        transaction.set_rollback(True)


@pytest.fixture
def client_for(client: Client, ledger: World) -> Callable[[str], Client]:
    return sign_in_as(client, ledger)


def test_percentiles_interpolate_between_ranks() -> None:
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 50) == pytest.approx(50.5)
    assert percentile(values, 95) == pytest.approx(95.05)
    assert percentile([7.0], 95) == 7.0


def test_the_warm_up_round_does_not_count() -> None:
    seen: list[int] = []

    def run(i: int) -> int:
        seen.append(i)
        return i

    timings = time_rounds(run, 3)
    assert seen == [0, 1, 2, 3]
    assert len(timings.ms) == 3
    assert timings.rows == 3


@pytest.mark.parametrize(
    ("username", "region"),
    [
        ("anweiban", "county"),
        ("yingji", "county"),  # an industry remit
        ("xiaofang", "county"),  # an industry and a key-sector tag
        ("zhen1", "town1"),
        ("qiye1", None),  # one enterprise
        ("zhigong1", None),  # a worker: only what they reported
    ],
)
def test_the_dashboard_floor_equals_the_figures_endpoints(
    ledger: World, client_for: Callable[[str], Client], username: str, region: str | None
) -> None:
    client = client_for(username)
    scope = Scope.for_user(ledger.users[username])
    prefix = ledger.regions[region].prefix if region else ""
    for start, end in PERIODS:
        query = {"start": start.isoformat(), "end": end.isoformat()}
        if region:
            query["region"] = ledger.regions[region].code
        floor = floors.figures(scope, prefix, start, end)
        hazards = client.get("/api/v1/stats/hazards", query).json()
        assert {k: hazards[k] for k in HAZARD_FIGURES} == {k: getattr(floor, k) for k in HAZARD_FIGURES}
        answer = client.get("/api/v1/stats/inspections", query)
        if username == "zhigong1":
            assert answer.status_code == 403  # a worker sees no enforcement figures
            continue
        enforcement = answer.json()
        assert {k: enforcement[k] for k in INSPECTION_FIGURES} == {k: getattr(floor, k) for k in INSPECTION_FIGURES}
        assert {k: n for k, n in enforcement["documents_by_kind"].items() if n} == floor.documents_by_kind
        assert Decimal(str(enforcement["fines_yuan"])) == floor.fines_yuan


def test_the_figures_compared_are_not_empty(ledger: World) -> None:
    floor = floors.figures(Scope.for_user(ledger.users["anweiban"]), ledger.regions["county"].prefix, START, END)
    assert floor.found and floor.rectified and floor.visits and floor.cases_decided and floor.documents_by_kind
    year = floors.figures(Scope.for_user(ledger.users["anweiban"]), "360431", TODAY - dt.timedelta(days=400), TODAY)
    assert year.overdue_open and year.major_found


@pytest.mark.parametrize("username", ["anweiban", "yingji", "xiaofang", "qiye1", "zhigong1"])
def test_the_list_floor_selects_the_same_rows(
    ledger: World, client_for: Callable[[str], Client], username: str
) -> None:
    items = client_for(username).get(f"/api/v1/hazards?{cases.LIST_QUERY}").json()["items"]
    rows = floors.open_by_deadline(Scope.for_user(ledger.users[username]))
    deadline = 8  # the column of h.deadline in the floor's SELECT
    assert [item["deadline"] for item in items] == [r[deadline].isoformat() if r[deadline] else None for r in rows]
    # Rows tied on the last deadline may come in any order; all before it are the same hazards.
    last = items[-1]["deadline"] if items else None
    assert {i["id"] for i in items if i["deadline"] != last} == {
        r[0] for r in rows if (r[deadline].isoformat() if r[deadline] else None) != last
    }


def test_the_anweiban_list_is_a_full_page(ledger: World) -> None:
    assert len(floors.open_by_deadline(Scope.for_user(ledger.users["anweiban"]))) == 20


def test_the_detail_floor_finds_the_object_in_scope_only(ledger: World) -> None:
    yingji = Scope.for_user(ledger.users["yingji"])
    mine = Hazard.objects.visible_to(ledger.users["yingji"]).first()
    foreign = Hazard.objects.filter(enterprise=ledger.enterprises["neighbour"]).first()
    assert mine is not None and foreign is not None
    assert [row[0] for row in floors.hazard_by_id(yingji, mine.pk)] == [mine.pk]
    assert floors.hazard_by_id(yingji, foreign.pk) == []


def test_the_export_floor_reads_the_rows_the_job_writes(ledger: World) -> None:
    user = ledger.users["anweiban"]
    spec = exports.REGISTRY["hazards"]
    since = cases.export_start(user, 25)
    assert since is not None
    for found_from, query in ((since, f"start={since}"), (None, "")):
        expected = exports.filtered(spec, user, QueryDict(query)).count()
        assert floors.export_rows(Scope.for_user(user), found_from) == expected
    assert cases.export_start(user, 10_000) is None


def test_the_write_floors_keep_the_audit_chain_and_the_rollups(ledger: World) -> None:
    user = ledger.users["yingji"]
    hazard_type = HazardType.objects.get(code="safety")
    pk = floors.insert_hazard(user, ledger.enterprises["chem"].pk, hazard_type.pk, f"{cases.BENCH_MARK} test")
    assert Hazard.objects.get(pk=pk).status == HazardStatus.REGISTERED
    assert floors.void_hazard(user, pk, cases.VOID_REASON) == 1
    assert floors.void_hazard(user, pk, cases.VOID_REASON) == 0  # no longer open
    assert Hazard.objects.get(pk=pk).status == HazardStatus.VOIDED
    actions = list(HazardTransition.objects.filter(hazard_id=pk).order_by("pk").values_list("action", flat=True))
    assert actions == ["register", "void"]
    assert AuditEvent.objects.filter(target_type="hazards.hazard", target_id=str(pk)).count() == 2
    assert verify_chain().intact
    assert tally.differences() == []


def test_void_leftovers_voids_what_a_cut_short_run_left_open(ledger: World) -> None:
    user = ledger.users["yingji"]
    hazard_type = HazardType.objects.get(code="safety")
    floors.insert_hazard(
        user, ledger.enterprises["chem"].pk, hazard_type.pk, f"{cases.BENCH_MARK} x{cases.FLOOR_MARK}1"
    )
    client = Client()
    client.force_login(user, backend="anjian.orgs.backends.ModelBackend")
    payload = cases.hazard_payload(ledger.enterprises["chem"].pk, "safety", "cut-short")
    assert client.post("/api/v1/hazards", payload, content_type="application/json").status_code == 201
    assert cases.void_leftovers(user) == 2
    assert not Hazard.objects.filter(description__startswith=cases.BENCH_MARK).exclude(status="voided").exists()
    assert tally.differences() == []


def test_the_bench_refuses_the_demo_county_without_a_choice(ledger: World) -> None:
    with pytest.raises(CommandError, match="demo county"):
        call_command("bench", "--rounds", "1", stdout=io.StringIO())


def test_a_two_round_run_writes_json_with_every_field(ledger: World, tmp_path: Path) -> None:
    sessions = Session.objects.count()
    target = tmp_path / "bench.json"
    out = io.StringIO()
    call_command("bench", "--rounds", "2", "--allow-writes", "--json", str(target), stdout=out)
    document = json.loads(target.read_text(encoding="utf-8"))
    assert {"date", "dataset", "machine", "context", "measurements"} <= set(document)
    assert document["dataset"]["counts"]["hazards"] > 0
    rows = {row["name"]: row for row in document["measurements"]}
    expected = {
        "list.api.county_department",
        "list.api.province_office",
        "list.page.county_department",
        "detail.api",
        "detail.page",
        "write.create",
        "write.transition",
        "dashboard.county",
        "dashboard.province",
        "export.xlsx",
    }
    assert expected <= set(rows)
    for name in expected:
        row = rows[name]
        assert set(row) >= JSON_FIELDS, name
        assert row["status"] == "ok", (name, row["note"])
        assert row["p50_ms"] > 0 and row["p95_ms"] >= row["p50_ms"] and row["floor_ms"] > 0, name
        assert row["ratio"] == pytest.approx(row["p95_ms"] / row["floor_ms"], rel=1e-2), name
    assert rows["list.api.county_department"]["rounds"] == 2
    assert rows["list.api.county_department"]["rows"] == rows["list.api.county_department"]["floor_rows"]
    assert rows["export.xlsx"]["rows"] == rows["export.xlsx"]["floor_rows"] > 0
    assert all(row["status"] in {"ok", "not available"} for row in rows.values())
    # Everything the run registered is voided again, the chain and the rollups are intact, the sessions gone.
    written = Hazard.objects.filter(description__startswith=cases.BENCH_MARK)
    assert written.count() == 2 * 3  # warm-up + 2 rounds, by the application and by the floor
    assert not written.exclude(status=HazardStatus.VOIDED).exists()
    assert verify_chain().intact
    assert tally.differences() == []
    assert Session.objects.count() == sessions
    assert "ratio" in out.getvalue()


def test_read_only_writes_nothing(ledger: World, tmp_path: Path) -> None:
    counts = (Hazard.objects.count(), AuditEvent.objects.count(), Job.objects.count(), Session.objects.count())
    target = tmp_path / "bench.json"
    only = "--only=list.api,detail.api,write,export"
    call_command("bench", "--rounds", "1", "--read-only", only, "--json", str(target), stdout=io.StringIO())
    rows = {row["name"]: row for row in json.loads(target.read_text(encoding="utf-8"))["measurements"]}
    assert set(rows) == {
        "list.api.county_department",
        "list.api.province_office",
        "detail.api",
        "write.create",
        "write.transition",
        "export.xlsx",
    }
    assert rows["write.create"]["status"] == "not available"
    assert rows["export.xlsx"]["status"] == "ok"
    assert counts == (Hazard.objects.count(), AuditEvent.objects.count(), Job.objects.count(), Session.objects.count())
