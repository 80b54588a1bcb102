"""Registry actions: validation, scope on create, the status transition table, concurrency."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from anjian.core.events import EventCode
from anjian.core.exceptions import ConcurrentChange, InvalidInput, InvalidTransition
from anjian.core.models import AuditEvent
from anjian.enterprises import actions
from anjian.enterprises.choices import EnterpriseStatus, LicenceStatus
from anjian.enterprises.models import Enterprise
from tests.world import World, enterprise_data


def test_create_refuses_an_enterprise_outside_the_actors_remit(world: World) -> None:
    data = enterprise_data("某建筑公司", "0501", world.regions["v1"], world.grids["g1"])
    count = Enterprise.objects.count()
    with pytest.raises(InvalidInput) as caught:
        actions.do_create_enterprise(data=data, actor=world.users["yingji"])  # 应急 has no remit over 建筑
    assert caught.value.code == "out_of_scope"
    assert Enterprise.objects.count() == count  # rolled back


def test_create_refuses_an_enterprise_outside_the_actors_territory(world: World) -> None:
    data = enterprise_data("某化工公司", "0101", world.regions["v4"], world.grids["g4"])
    with pytest.raises(InvalidInput):
        actions.do_create_enterprise(data=data, actor=world.users["anweiban"])


def test_create_refuses_a_duplicate_code_and_a_bad_checksum(world: World) -> None:
    data = enterprise_data("重复", "0101", world.regions["v1"], world.grids["g1"], uscc=world.enterprises["chem"].uscc)
    with pytest.raises(InvalidInput) as caught:
        actions.do_create_enterprise(data=data, actor=world.users["anweiban"])
    assert "uscc" in caught.value.field_errors
    data["uscc"] = data["uscc"][:17] + ("0" if data["uscc"][17] != "0" else "1")
    with pytest.raises(InvalidInput):
        actions.do_create_enterprise(data=data, actor=world.users["anweiban"])


def test_grid_must_belong_to_the_enterprises_town(world: World) -> None:
    data = enterprise_data("错网格", "0101", world.regions["v1"], world.grids["g3"])
    with pytest.raises(InvalidInput) as caught:
        actions.do_create_enterprise(data=data, actor=world.users["anweiban"])
    assert "grid" in caught.value.field_errors


def test_transition_table(world: World) -> None:
    enterprise = world.enterprises["chem"]
    actor = world.users["yingji"]
    with pytest.raises(InvalidTransition):
        actions.do_resume_enterprise(enterprise, reason="x", actor=actor)
    with pytest.raises(InvalidInput):
        actions.do_suspend_enterprise(enterprise, reason="  ", actor=actor)
    assert actions.do_suspend_enterprise(enterprise, reason="隐患", actor=actor).status == EnterpriseStatus.SUSPENDED
    assert (
        actions.do_resume_enterprise(enterprise, reason="复产审查通过", actor=actor).status
        == EnterpriseStatus.OPERATING
    )
    assert actions.do_close_enterprise(enterprise, reason="关闭取缔", actor=actor).status == EnterpriseStatus.CLOSED
    with pytest.raises(InvalidTransition):
        actions.do_suspend_enterprise(enterprise, reason="x", actor=actor)
    events = list(
        AuditEvent.objects.filter(target_id=str(enterprise.pk), target_type="enterprises.enterprise")
        .order_by("id")
        .values_list("event", flat=True)
    )
    assert events[-3:] == [EventCode.ENTERPRISE_SUSPENDED, EventCode.ENTERPRISE_RESUMED, EventCode.ENTERPRISE_CLOSED]


def test_allowed_actions_follow_status_and_role(world: World) -> None:
    enterprise = world.enterprises["chem"]
    assert [a.value for a in actions.allowed_enterprise_actions(enterprise, world.users["yingji"])] == [
        "suspend",
        "close",
    ]
    assert actions.allowed_enterprise_actions(enterprise, world.users["qiye1"]) == []
    assert actions.allowed_enterprise_actions(enterprise, world.users["wangge1"]) == []


def test_licence_transitions(world: World) -> None:
    licence = world.licences["chem"]
    actor = world.users["yingji"]
    assert actions.do_withhold_licence(licence, reason="暂扣", actor=actor).status == LicenceStatus.SUSPENDED
    assert actions.do_return_licence(licence, reason="发还", actor=actor).status == LicenceStatus.VALID
    assert actions.do_revoke_licence(licence, reason="吊销", actor=actor).status == LicenceStatus.REVOKED
    with pytest.raises(InvalidTransition):
        actions.do_return_licence(licence, reason="x", actor=actor)


def test_stale_edit_is_refused(world: World) -> None:
    enterprise = Enterprise.objects.get(pk=world.enterprises["chem"].pk)
    seen = enterprise.updated_at.isoformat()
    actions.do_update_enterprise(enterprise, changes={"principal_name": "李四"}, actor=world.users["anweiban"])
    with pytest.raises(ConcurrentChange):
        actions.do_update_enterprise(
            enterprise, changes={"principal_name": "王五"}, actor=world.users["zhen1"], expected_updated_at=seen
        )
    assert Enterprise.objects.get(pk=enterprise.pk).principal_name == "李四"


@pytest.mark.django_db(transaction=True)
def test_two_officers_suspending_at_once_exactly_one_wins() -> None:
    """Row lock + transition table: the second sees the new status and is refused with a clear message."""
    from tests.world import build_world

    world = build_world()
    enterprise = world.enterprises["chem"]
    barrier = threading.Barrier(2)
    results: list[Any] = []

    def act(username: str) -> None:
        try:
            barrier.wait()
            actions.do_suspend_enterprise(enterprise, reason=f"by {username}", actor=world.users[username])
            results.append("ok")
        except InvalidTransition as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(name,)) for name in ("yingji", "anweiban")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("ok") == 1
    refused = [r for r in results if r != "ok"]
    assert len(refused) == 1 and isinstance(refused[0], InvalidTransition)
    assert str(refused[0].message)  # a message the second officer can read
    assert AuditEvent.objects.filter(event=EventCode.ENTERPRISE_SUSPENDED, target_id=str(enterprise.pk)).count() == 1
