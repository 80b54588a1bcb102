"""The rectification workflow: every (state × action × persona) of the transition table, against an
expectation written out here from the rules (not computed by the code under test)."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from anjian.core.events import EventCode
from anjian.core.exceptions import ActionError, InvalidInput, InvalidTransition
from anjian.core.models import AuditEvent
from anjian.hazards import actions, rules
from anjian.hazards.choices import HazardAction, HazardStatus, PhotoStage, RectificationMode
from anjian.hazards.models import Hazard, HazardExtension, HazardTransition
from tests.hazards.helpers import FINDERS, PLAN, STATES, hazard_data, in_state, photo, prepare_major, register, submit
from tests.world import World

PERSONAS = list(World.VISIBLE)
SOURCES = {
    HazardAction.START: {"registered"},
    HazardAction.SUBMIT: {"rectifying"},
    HazardAction.ACCEPT: {"awaiting_acceptance"},
    HazardAction.REJECT: {"awaiting_acceptance"},
    HazardAction.REQUEST_EXTENSION: {"registered", "rectifying"},
    HazardAction.APPROVE_EXTENSION: {"registered", "rectifying"},
    HazardAction.DENY_EXTENSION: {"registered", "rectifying"},
    HazardAction.VOID: {"registered", "rectifying", "awaiting_acceptance"},
}
SUPERVISORS = {"anweiban", "yingji", "zhen1"}  # department members whose scope covers the chemicals enterprise
ACCEPTORS = {"self": {"qiye1"}, "department": {"yingji"}, "grid": {"zhen1"}, "major": SUPERVISORS}


def expected(persona: str, finder: str, status: str, pending: bool, action: HazardAction) -> bool:
    if status not in SOURCES[action]:
        return False
    if action in (HazardAction.START, HazardAction.SUBMIT):
        return persona == "qiye1"
    if action == HazardAction.REQUEST_EXTENSION:
        return persona == "qiye1" and not pending
    if action in (HazardAction.APPROVE_EXTENSION, HazardAction.DENY_EXTENSION):
        return pending and persona in ACCEPTORS[finder]
    if action in (HazardAction.ACCEPT, HazardAction.REJECT):
        return persona in ACCEPTORS[finder]
    return persona in SUPERVISORS  # void


def _perform(hazard: Hazard, action: HazardAction, user: Any, *, evidence: bool = True) -> Hazard:
    kwargs: dict[str, Any] = {}
    if action == HazardAction.REQUEST_EXTENSION:
        kwargs["deadline"] = (hazard.deadline or timezone.localdate()) + dt.timedelta(days=20)
    if action == HazardAction.START:
        kwargs["plan"] = PLAN
        if hazard.level == "major" and evidence:
            prepare_major(hazard, user)
    if action == HazardAction.SUBMIT:
        if evidence:
            actions.do_add_hazard_photo(hazard, upload=photo(), stage=PhotoStage.AFTER, actor=user)
            if hazard.level == "major":
                return submit(hazard, user)  # a major hazard is submitted with its evaluation
        kwargs["rectification"] = "已整改完毕"
    return actions.perform(hazard, action, actor=user, note="理由：测试", **kwargs)


@pytest.mark.parametrize("finder", list(FINDERS))
def test_every_state_action_and_persona(world: World, finder: str) -> None:
    """``allowed_actions`` equals the written expectation everywhere; every refused action changes nothing and
    every allowed one moves the hazard as the table says, with one transition row and one audit event."""
    for status, pending in STATES:
        hazard = in_state(world, finder, status, pending)
        for persona in PERSONAS:
            user = world.users[persona]
            want = [a for a in SOURCES if expected(persona, finder, status, pending, a)]
            assert rules.allowed_actions(user, hazard) == want, (persona, status, pending)
            for action in SOURCES:
                if action in want:
                    continue
                before = (HazardTransition.objects.count(), AuditEvent.objects.count())
                with pytest.raises(ActionError):
                    _perform(hazard, action, user, evidence=False)
                assert (HazardTransition.objects.count(), AuditEvent.objects.count()) == before
                assert Hazard.objects.get(pk=hazard.pk).status == status
        for persona in PERSONAS:
            for action in [a for a in SOURCES if expected(persona, finder, status, pending, a)]:
                fresh = in_state(world, finder, status, pending)
                steps = HazardTransition.objects.filter(hazard=fresh, action__in=list(SOURCES))  # not report/plan
                rows = steps.count()
                moved = _perform(fresh, action, world.users[persona])
                target = {
                    HazardAction.START: "rectifying",
                    HazardAction.SUBMIT: "awaiting_acceptance",
                    HazardAction.ACCEPT: "closed",
                    HazardAction.REJECT: "rectifying",
                    HazardAction.VOID: "voided",
                }.get(action, status)
                assert moved.status == target, (persona, action, status)
                last = steps.order_by("-id").first()
                assert steps.count() == rows + 1
                assert last is not None and last.action == action and last.to_status == target
                assert last.actor_id == world.users[persona].pk


def test_registration_by_a_worker_and_an_officer(world: World) -> None:
    by_worker = register(world, "self")
    worker_report = actions.do_register_hazard(
        world.enterprises["chem"], data=hazard_data(deadline=None), actor=world.users["zhigong1"]
    )
    assert worker_report.status == HazardStatus.REGISTERED and worker_report.is_self_found
    assert by_worker.finding_department_id is None
    by_grid = register(world, "grid")
    assert by_grid.finding_department == world.departments["zhen1"]  # the town's 安委办 accepts grid findings
    by_officer = register(world, "department")
    assert by_officer.finding_department == world.departments["yingji"]
    first = HazardTransition.objects.get(hazard=by_officer)
    assert (first.action, first.from_status, first.to_status) == ("register", "", "registered")
    assert AuditEvent.objects.filter(event=EventCode.HAZARD_REGISTERED, target_id=str(by_officer.pk)).exists()
    # The worker sees only what they reported; the safety officer sees every hazard of the enterprise.
    assert list(Hazard.objects.visible_to(world.users["zhigong1"])) == [worker_report]
    assert Hazard.objects.visible_to(world.users["qiye1"]).count() == 4


@pytest.mark.parametrize("persona", ["zhujian", "neighbour_officer", "admin", "auditor", "xiaofang"])
def test_registration_outside_scope_is_refused(world: World, persona: str) -> None:
    with pytest.raises(ActionError) as refused:
        actions.do_register_hazard(world.enterprises["chem"], data=hazard_data(), actor=world.users[persona])
    assert refused.value.status == 403
    assert not Hazard.objects.exists()


def test_rectified_on_the_spot_waits_for_acceptance(world: World) -> None:
    data = hazard_data(rectification_mode=RectificationMode.IMMEDIATE, deadline=None, rectification="当场关闭阀门")
    hazard = actions.do_register_hazard(
        world.enterprises["chem"], data=data, actor=world.users["qiye1"], after_photos=[photo()]
    )
    assert hazard.status == HazardStatus.AWAITING_ACCEPTANCE and hazard.deadline is None  # never overdue
    assert hazard.photos.filter(stage=PhotoStage.AFTER).count() == 1
    with pytest.raises(InvalidInput):  # the rectification must be described
        actions.do_register_hazard(
            world.enterprises["chem"], data={**data, "rectification": " "}, actor=world.users["qiye1"]
        )
    with pytest.raises(InvalidInput):  # a major hazard is never fixed on the spot
        actions.do_register_hazard(
            world.enterprises["chem"],
            data={**data, "level": "major", "source": "government_inspection"},
            actor=world.users["yingji"],
        )


def test_bad_registrations_change_nothing(world: World) -> None:
    today = timezone.localdate()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"found_on": today + dt.timedelta(days=1)}, "found_on"),
        ({"deadline": today - dt.timedelta(days=30)}, "deadline"),
        ({"description": ""}, "description"),
    ]
    for change, field in cases:
        with pytest.raises(InvalidInput) as refused:
            actions.do_register_hazard(
                world.enterprises["chem"], data=hazard_data(**change), actor=world.users["qiye1"]
            )
        assert field in refused.value.field_errors, (field, refused.value)
    assert not Hazard.objects.exists() and not HazardTransition.objects.exists()


def test_source_fits_the_finder(world: World) -> None:
    """An enterprise cannot book its own finding as a government inspection, nor a department as self-found."""
    for persona, source in [("qiye1", "government_inspection"), ("yingji", "daily"), ("wangge1", "daily")]:
        with pytest.raises(InvalidInput) as refused:
            actions.do_register_hazard(
                world.enterprises["chem"], data=hazard_data(source=source), actor=world.users[persona]
            )
        assert "source" in refused.value.field_errors
    assert not Hazard.objects.exists()


def test_start_cannot_move_a_set_deadline(world: World) -> None:
    hazard = register(world, "department")
    assert hazard.deadline is not None
    later = hazard.deadline + dt.timedelta(days=30)
    with pytest.raises(InvalidInput) as refused:
        actions.do_start_rectification(hazard, plan={**PLAN, "deadline": later}, actor=world.users["qiye1"])
    assert "deadline" in refused.value.field_errors
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.REGISTERED


def test_start_needs_all_five_and_submit_needs_evidence(world: World) -> None:
    qiye1 = world.users["qiye1"]
    hazard = register(world, "self", deadline=None)
    with pytest.raises(InvalidInput) as refused:
        actions.do_start_rectification(hazard, plan={"measures": "更换"}, actor=qiye1)
    assert set(refused.value.field_errors) == {"responsible_person", "funds", "deadline", "contingency_plan"}
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.REGISTERED
    deadline = timezone.localdate() + dt.timedelta(days=7)
    hazard = actions.do_start_rectification(hazard, plan={**PLAN, "deadline": deadline}, actor=qiye1)
    assert hazard.original_deadline == deadline
    with pytest.raises(InvalidInput) as no_photo:
        actions.do_submit_rectification(hazard, rectification="已整改", actor=qiye1)
    assert "photo" in no_photo.value.field_errors
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.RECTIFYING


def test_extension_moves_the_deadline_and_keeps_the_original(world: World) -> None:
    hazard = in_state(world, "department", "rectifying", pending=True)
    original = hazard.deadline
    request = HazardExtension.objects.get(hazard=hazard, status="pending")
    hazard = actions.do_approve_extension(hazard, note="同意", actor=world.users["yingji"])
    assert hazard.deadline == request.requested_deadline and hazard.original_deadline == original
    assert HazardExtension.objects.get(pk=request.pk).status == "approved"
    assert original is not None and hazard.deadline is not None
    event = AuditEvent.objects.filter(event=EventCode.HAZARD_EXTENSION_APPROVED).get()
    assert event.old == {"deadline": original.isoformat()} and event.new == {"deadline": hazard.deadline.isoformat()}
    with pytest.raises(InvalidInput):  # a new request must move the deadline later
        actions.do_request_extension(hazard, deadline=original, reason="再延", actor=world.users["qiye1"])


def test_overdue_is_derived_from_the_deadline(world: World) -> None:
    hazard = in_state(world, "self", "rectifying")
    assert hazard.deadline is not None
    later = hazard.deadline + dt.timedelta(days=1)
    assert not hazard.is_overdue() and hazard.is_overdue(later)
    assert list(Hazard.objects.overdue(later)) == [hazard]
    assert not Hazard.objects.overdue(hazard.deadline).exists()


def test_reasons_are_required(world: World) -> None:
    hazard = in_state(world, "major", "awaiting_acceptance")
    for action in (HazardAction.REJECT, HazardAction.VOID):
        with pytest.raises(InvalidInput):
            actions.perform(hazard, action, actor=world.users["anweiban"], note="  ")
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.AWAITING_ACCEPTANCE


@pytest.mark.django_db(transaction=True)
def test_two_acceptors_at_once_exactly_one_wins() -> None:
    """Two supervisors press 验收/驳回 on one major hazard at the same moment: one wins, the other is told why."""
    from tests.world import build_world

    world = build_world()
    hazard = in_state(world, "major", "awaiting_acceptance")
    barrier = threading.Barrier(2)
    results: list[Any] = []

    def act(username: str, action: HazardAction) -> None:
        try:
            barrier.wait()
            actions.perform(hazard, action, actor=world.users[username], note="现场复核")
            results.append((username, "ok"))
        except InvalidTransition as error:
            results.append((username, error))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=("anweiban", HazardAction.ACCEPT)),
        threading.Thread(target=act, args=("yingji", HazardAction.REJECT)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r for _, r in results].count("ok") == 1
    refused = next(r for _, r in results if r != "ok")
    assert isinstance(refused, InvalidTransition) and "不能" in str(refused.message)
    decisions = HazardTransition.objects.filter(hazard=hazard, action__in=["accept", "reject"])
    assert decisions.count() == 1
