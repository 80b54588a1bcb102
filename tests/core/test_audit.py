"""The audit log: typed events written by actions, append-only at two levels, and a hash chain whose
verification names the first tampered row."""

from __future__ import annotations

from io import StringIO
from itertools import pairwise
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from anjian.core.audit import Change, attach_changes, record_event, verify_chain
from anjian.core.events import EventCode
from anjian.core.models import GENESIS_HASH, AuditEvent
from anjian.enterprises import actions
from tests.world import World


def _tamper(sql: str, params: list[Any]) -> None:
    """What an attacker with database access would do: switch the trigger off, edit, switch it on."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_append_only")


def test_actions_write_typed_events_with_old_and_new_values(world: World) -> None:
    enterprise = world.enterprises["chem"]
    actor = world.users["yingji"]
    before = AuditEvent.objects.count()
    actions.do_update_enterprise(enterprise, changes={"address": "新地址 8 号"}, actor=actor)
    actions.do_suspend_enterprise(enterprise, reason="重大事故隐患未整改", actor=actor)
    rows = list(AuditEvent.objects.filter(id__gt=0).order_by("-id")[:2])
    assert AuditEvent.objects.count() == before + 2
    suspended, changed = rows
    assert changed.event == EventCode.ENTERPRISE_CHANGED
    assert changed.old == {"address": "工业园社区1号"} and changed.new == {"address": "新地址 8 号"}
    assert changed.actor_id == actor.pk and changed.actor_username == "yingji"
    assert changed.target_type == "enterprises.enterprise" and changed.target_id == str(enterprise.pk)
    assert suspended.event == EventCode.ENTERPRISE_SUSPENDED
    assert suspended.old == {"status": "operating"} and suspended.new == {"status": "suspended"}
    assert suspended.note == "重大事故隐患未整改"


def test_changes_read_as_labels_and_names(world: World, client_for: Any, django_assert_max_num_queries: Any) -> None:
    """Pages show "地址：旧 → 新", choice labels and related objects by name, resolved in one query per model."""
    enterprise = world.enterprises["chem"]
    actor = world.users["anweiban"]
    actions.do_update_enterprise(enterprise, changes={"address": "新地址 8 号", "grid": world.grids["g2"]}, actor=actor)
    actions.do_suspend_enterprise(enterprise, reason="重大事故隐患未整改", actor=actor)
    events = list(AuditEvent.objects.order_by("-id")[:20])
    with django_assert_max_num_queries(4):  # grids, regions, industries, tags at most: not one per event
        attach_changes(events)
    suspended, changed = events[0], events[1]
    assert suspended.change_list == [Change("状态", "正常生产经营", "停产整顿")]  # type: ignore[attr-defined]
    assert Change("地址", "工业园社区1号", "新地址 8 号") in changed.change_list  # type: ignore[attr-defined]
    assert Change("网格", str(world.grids["g1"]), str(world.grids["g2"])) in changed.change_list  # type: ignore[attr-defined]
    page = client_for("anweiban").get(f"/enterprises/{enterprise.pk}/").content.decode()
    assert "工业园社区1号</del> → 新地址 8 号" in page
    audit = client_for("admin").get("/audit/").content.decode()
    assert '<del class="text-muted">正常生产经营</del> → 停产整顿' in audit


def test_chain_links_every_row_to_the_one_before(world: World) -> None:
    rows = list(AuditEvent.objects.order_by("id"))
    assert rows[0].prev_hash == GENESIS_HASH
    for before, after in pairwise(rows):
        assert after.prev_hash == before.hash
    report = verify_chain(batch=7)  # small batches cross batch boundaries
    assert report.intact and report.checked == len(rows)


def test_model_and_queryset_refuse_changes(world: World) -> None:
    row = AuditEvent.objects.first()
    assert row is not None
    row.note = "changed"
    with pytest.raises(TypeError):
        row.save()
    with pytest.raises(TypeError):
        row.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.all().update(note="x")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()


def test_database_trigger_refuses_update_and_delete(world: World) -> None:
    row_id = AuditEvent.objects.order_by("id").values_list("id", flat=True).first()
    for sql in ("UPDATE core_auditevent SET note = 'x' WHERE id = %s", "DELETE FROM core_auditevent WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [row_id])


def test_verify_names_the_first_tampered_row(world: World) -> None:
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    victim = ids[len(ids) // 2]
    _tamper("UPDATE core_auditevent SET note = 'nothing happened' WHERE id = %s", [victim])
    report = verify_chain()
    assert not report.intact
    assert report.first_bad_id == victim
    assert report.checked == ids.index(victim)
    with pytest.raises(CommandError, match=f"row id={victim}"):
        call_command("audit_verify", "--no-record", stdout=StringIO())


def test_verify_detects_a_deleted_row(world: World) -> None:
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    _tamper("DELETE FROM core_auditevent WHERE id = %s", [ids[3]])
    report = verify_chain()
    assert report.first_bad_id == ids[4]
    assert "link broken" in report.reason


def test_verify_command_reports_an_intact_chain_and_records_the_check(world: World) -> None:
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "audit chain intact" in out.getvalue()
    last = AuditEvent.objects.order_by("-id").first()
    assert last is not None and last.event == EventCode.AUDIT_VERIFIED and last.result == "success"


def test_record_event_without_actor_keeps_the_username(db: Any) -> None:
    row = record_event(EventCode.LOGIN_FAILED, username="nobody", target_type="orgs.user", target_repr="nobody")
    assert row.actor_id is None and row.actor_username == "nobody"
    assert row.hash == row.compute_hash()
