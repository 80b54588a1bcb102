"""The audit log: typed events written by actions, append-only at two levels, and a hash chain whose
verification names the first tampered row."""

from __future__ import annotations

from io import StringIO
from itertools import pairwise
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from anjian.core.audit import record_event, verify_chain
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
