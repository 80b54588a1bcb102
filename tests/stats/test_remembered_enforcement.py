"""The enforcement figures remembered by the process (``stats.remembered``, ``RecordVersion('enforcement')``): the
second answer reads one version instead of the inspections, cases and rollups; PostgreSQL's triggers move the
version when a transaction that wrote any table those figures read commits — through an action, by SQL behind the
actions' back, by a TRUNCATE — and never for a rolled-back one nor for hazards' actions. Every answer equals the
raw SQL of tests/stats/test_inspections.py.

These tests commit (``transaction=True``): inside the test transaction the memory is never used."""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import import_module
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from anjian.enterprises.models import Industry, Tag
from anjian.hazards import actions as hazard_actions
from anjian.hazards.choices import HazardStatus
from anjian.hazards.models import Hazard
from anjian.stats import dashboard, remembered, tally
from anjian.stats.inspections import VERSION, by_department, inspection_figures
from anjian.stats.models import RecordVersion
from tests.inspections.helpers import inspect
from tests.stats.test_inspections import BY_DEPARTMENT_SQL, END, SCOPES, START, build, computed, local, raw, sql_params
from tests.world import World, build_world

pytestmark = pytest.mark.django_db(transaction=True)

ENFORCEMENT_TABLES = ("inspections_", "stats_visittally", "stats_enterprisetally", "stats_firstvisittally")


@pytest.fixture
def ledger(tmp_path: object) -> Iterator[World]:
    with override_settings(MEDIA_ROOT=str(tmp_path)):
        world = build_world()
        build(world)
        remembered.forget()
        yield world
        remembered.forget()


def version() -> int:
    return RecordVersion.objects.get(name=VERSION).n


def asked(world: World) -> tuple[dict[str, Any], list[str]]:
    """The county 安委办's figures over the period, and the SQL it took."""
    with CaptureQueriesContext(connection) as queries:
        figures = computed(inspection_figures(world.users["anweiban"], START, END))
    return figures, [q["sql"] for q in queries.captured_queries]


def read_records(sql: list[str]) -> bool:
    """Whether any statement but the (live) count of hazards found by inspections read the enforcement records."""
    return any(
        table in statement
        for statement in sql
        if 'FROM "hazards_hazard"' not in statement
        for table in ENFORCEMENT_TABLES
    )


def departments(world: World) -> dict[int, tuple[str, int, int]]:
    return {
        r.department_id: (r.name, r.visits, r.cases_decided) for r in by_department(world.users["anweiban"], START, END)
    }


def raw_departments() -> dict[int, tuple[str, int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(BY_DEPARTMENT_SQL, sql_params(SCOPES["anweiban"], START, END))
        rows = {pk: (visits, cases) for pk, visits, cases, _fines in cursor.fetchall()}
        cursor.execute("SELECT id, name FROM orgs_department WHERE id = ANY(%s)", [list(rows)])
        names = dict(cursor.fetchall())
    return {pk: (names[pk], visits, cases) for pk, (visits, cases) in rows.items()}


def test_remembered_until_a_table_they_read_changes(ledger: World) -> None:
    first, sql = asked(ledger)
    assert first == raw(SCOPES["anweiban"]) and read_records(sql)
    again, sql = asked(ledger)
    assert again == first and not read_records(sql)
    assert len(sql) == 2 and "stats_recordversion" in sql[0]  # the version, and the hazards found (live)
    inspection_figures(ledger.users["anweiban"], START, END).documents_by_kind.clear()  # the caller's own copy
    assert asked(ledger)[0] == first

    # A hazards' action writes none of those tables: the version stays, and the hazards found follow it.
    before = version()
    found = (
        Hazard.objects.filter(inspection__isnull=False, found_on__range=(START, END))
        .exclude(status=HazardStatus.VOIDED)
        .order_by("pk")
        .first()
    )
    assert found is not None
    hazard_actions.do_void_hazard(found, reason="重复登记", actor=ledger.users["anweiban"])
    assert version() == before
    figures, sql = asked(ledger)
    assert not read_records(sql)
    assert (
        figures == raw(SCOPES["anweiban"])
        and figures["hazards_found_by_inspection"] == first["hazards_found_by_inspection"] - 1
    )

    # An inspection through the actions (start, results, completion: each a transaction that moves the version),
    # and the figures are read again.
    inspect(ledger, key="factory", fail=0, at=local(START, 11))
    assert version() != before
    figures, sql = asked(ledger)
    assert read_records(sql) and figures == raw(SCOPES["anweiban"])
    assert figures["visits"] == first["visits"] + 1


def test_writes_behind_the_actions_back_are_seen(ledger: World) -> None:
    assert departments(ledger) == raw_departments()
    before = version()
    with CaptureQueriesContext(connection) as queries:
        remembered_rows = departments(ledger)
    assert len(queries) == 1 and remembered_rows == raw_departments()
    yingji = ledger.departments["yingji"]
    with connection.cursor() as cursor:  # SQL by hand, as a data fix would be
        cursor.execute("UPDATE orgs_department SET name = %s WHERE id = %s", ["安澜县应急管理局（改）", yingji.pk])
    renamed = version()
    assert renamed != before
    rows = departments(ledger)
    assert rows == raw_departments() and rows[yingji.pk][0] == "安澜县应急管理局（改）"

    # A TRUNCATE moves it too; the rebuild that must follow one gives the ledger's figures again.
    asked(ledger)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE stats_firstvisittally")
    truncated = version()
    assert truncated not in (before, renamed)
    tally.rebuild(per_enterprise=False)
    assert version() != truncated
    figures, sql = asked(ledger)
    assert read_records(sql) and figures == raw(SCOPES["anweiban"])


def test_rolled_back_and_uncommitted_changes(ledger: World) -> None:
    first, _sql = asked(ledger)
    before = version()
    with transaction.atomic():
        inspect(ledger, key="factory", fail=0, at=local(START, 11))
        inside, sql = asked(ledger)  # its own uncommitted inspection: read, not remembered
        assert read_records(sql) and inside["visits"] == first["visits"] + 1 and inside == raw(SCOPES["anweiban"])
        transaction.set_rollback(True)
    assert version() == before
    figures, sql = asked(ledger)
    assert figures == first == raw(SCOPES["anweiban"]) and not read_records(sql)


def test_a_dashboards_enforcement_half_is_remembered(ledger: World) -> None:
    """The second county dashboard reads none of the enforcement tables, and shows what the first showed."""
    anweiban = ledger.users["anweiban"]
    county = ledger.regions["county"]
    with CaptureQueriesContext(connection) as cold:
        first = dashboard.build(anweiban, start=START, end=END, region=county)
    with CaptureQueriesContext(connection) as warm:
        second = dashboard.build(anweiban, start=START, end=END, region=county)
    assert read_records([q["sql"] for q in cold.captured_queries])
    assert not read_records([q["sql"] for q in warm.captured_queries])
    assert len(warm) < len(cold)
    assert second.enforcement == first.enforcement and second.departments == first.departments
    assert second.map == first.map
    assert computed(second.enforcement) == raw(SCOPES["anweiban"])


def test_each_scope_is_remembered_apart(ledger: World) -> None:
    """Readers of other scopes (a department's remit, one with key-sector tags, a town, the enterprise) each get
    their own figures, first computed and then remembered; a remit or a tag added through the ORM's many-to-many
    (no save of the department or the enterprise) moves the version."""
    readers = ["anweiban", "yingji", "zhujian", "xiaofang", "zhen1"]
    for _round in range(2):
        for persona in readers:
            figures = computed(inspection_figures(ledger.users[persona], START, END))
            assert figures == raw(SCOPES[persona]), persona
    before = version()
    ledger.departments["zhujian"].industries.add(Industry.objects.get(code="01"))
    remit = version()
    assert remit != before
    ledger.enterprises["chem"].tags.add(Tag.objects.get(code="crowded_place"))
    assert version() != remit


def tables_of(sql: list[str]) -> set[str]:
    return {name for statement in sql for name in re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', statement)}


def test_every_table_the_figures_read_moves_the_version(ledger: World) -> None:
    """The tables the enforcement figures read, for every kind of reader and narrowing, are all watched by the
    triggers of migration stats/0015: a new join to an unwatched table would give figures that never refresh."""
    from anjian.stats.inspections import EnforcementRecords, _by_department, _crackdown, _enforcement, visits_by

    watched = set(import_module("anjian.stats.migrations.0015_record_versions").ENFORCEMENT_TABLES)
    narrowings: list[dict[str, Any]] = [
        {},
        {"region": ledger.regions["town1"]},
        {"industry": "01"},
        {"department": ledger.departments["yingji"]},
    ]
    read: set[str] = set()
    for persona in ["admin", "anweiban", "yingji", "xiaofang", "zhen1", "qiye1"]:
        for narrowing in narrowings:
            records = EnforcementRecords(ledger.users[persona], **narrowing)
            with CaptureQueriesContext(connection) as queries, transaction.atomic():  # nothing remembered
                _enforcement(records, START, END)
                _crackdown(records, START, END)
                _by_department(records, START, END, None)
                visits_by(records, START, END, "department")
                visits_by(records, START, END, "subregion")
            read |= tables_of([q["sql"] for q in queries.captured_queries])
    assert {"inspections_inspection", "inspections_penaltycase", "enterprises_enterprise"} <= read
    assert read <= watched, sorted(read - watched)


def test_without_a_version_row_nothing_is_remembered_until_the_next_change(ledger: World) -> None:
    """A database emptied of its version row (a flush): every answer is computed, none kept, until a change of one
    of the tables writes the row again (at a random number) — the reader writes nothing."""
    RecordVersion.objects.all().delete()
    for _ in range(2):
        figures, sql = asked(ledger)
        assert read_records(sql) and figures == raw(SCOPES["anweiban"])
    assert not RecordVersion.objects.exists()
    yingji = ledger.departments["yingji"]
    type(yingji).objects.filter(pk=yingji.pk).update(sort_order=yingji.sort_order)
    assert RecordVersion.objects.filter(name=VERSION).exists()
    assert read_records(asked(ledger)[1])
    figures, sql = asked(ledger)
    assert not read_records(sql) and figures == raw(SCOPES["anweiban"])
