"""Inspections: who may start one, two certified officers for enforcement, checklist results on the way, and each
failure becoming a hazard linked to its inspection and clause (a 判定标准 clause proposing 重大)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from anjian.core.events import EventCode
from anjian.core.exceptions import ActionError, InvalidInput
from anjian.core.models import AuditEvent
from anjian.hazards.choices import HazardLevel, HazardSource, HazardStatus
from anjian.hazards.models import Hazard
from anjian.inspections import actions
from anjian.inspections.choices import InspectionKind, InspectionStatus, ItemResult
from anjian.inspections.models import Checklist
from tests.hazards.helpers import photo
from tests.inspections.helpers import inspect
from tests.world import World


def items_of(inspection: Any) -> Any:
    assert inspection.checklist is not None
    return inspection.checklist.items


def test_checklists_fit_the_enterprise(world: World) -> None:
    chem, factory, hotel = (world.enterprises[k] for k in ("chem", "factory", "hotel"))
    codes = [getattr(actions.default_checklist(e), "code", None) for e in (chem, factory, hotel)]
    assert codes == ["hg", "gm", "general"]  # 危化: the 121号 clauses; 工贸 机械: 令第10号; a hotel: the general list
    assert {c.code for c in actions.checklists_for(chem)} == {"hg", "general"}
    gm = Checklist.objects.get(code="gm")
    clause_items = [i for i in gm.items.all() if i.clause is not None]
    own_items = [i for i in gm.items.all() if i.clause is None]
    assert clause_items and own_items  # clauses of the catalogue plus general items (三标合一)


def test_failures_become_linked_hazards_and_a_criteria_clause_proposes_major(world: World) -> None:
    inspection = inspect(world, fail=2, major=True)
    assert inspection.status == InspectionStatus.COMPLETED and inspection.completed_at is not None
    hazards = Hazard.objects.filter(inspection=inspection).order_by("pk")
    assert hazards.count() == 3
    major = hazards.get(level=HazardLevel.MAJOR)
    assert major.clause is not None and major.clause.standard.code == "hg-121"
    assert "安监总管三〔2017〕121号" in major.description
    assert major.deadline is None  # set with the governance plan
    general = hazards.filter(level=HazardLevel.GENERAL)
    assert general.count() == 2
    assert {h.deadline for h in general} == {timezone.localdate() + dt.timedelta(days=20)}
    assert {h.source for h in hazards} == {HazardSource.GOVERNMENT_INSPECTION}
    assert {h.finding_department_id for h in hazards} == {world.departments["yingji"].pk}
    assert {h.status for h in hazards} == {HazardStatus.REGISTERED}
    results = inspection.results.filter(result=ItemResult.FAIL)
    assert sorted(r.hazard_id or 0 for r in results) == sorted(h.pk for h in hazards)
    assert AuditEvent.objects.filter(event=EventCode.INSPECTION_COMPLETED, target_id=str(inspection.pk)).count() == 1
    assert AuditEvent.objects.filter(event=EventCode.HAZARD_REGISTERED).count() == 3


def test_the_inspector_may_downgrade_a_proposed_major_hazard(world: World) -> None:
    yingji = world.users["yingji"]
    inspection = actions.do_start_inspection(
        world.enterprises["chem"], kind=InspectionKind.ROUTINE, actor=yingji, officers=[world.users["yingji2"]]
    )
    item = next(i for i in items_of(inspection).all() if i.clause and i.clause.proposes_major)
    row = actions.do_record_result(inspection, item=item, result=ItemResult.FAIL, note="报警器未投用", actor=yingji)
    assert row.level == HazardLevel.MAJOR
    row = actions.do_record_result(
        inspection, item=item, result=ItemResult.FAIL, note="报警器未投用", level=HazardLevel.GENERAL, actor=yingji
    )
    assert row.level == HazardLevel.GENERAL and inspection.results.count() == 1  # recorded again: replaced
    row = actions.do_record_result(inspection, item=item, result=ItemResult.PASS, actor=yingji)
    assert row.level == ""


def test_enforcement_needs_two_certified_officers(world: World) -> None:
    yingji, chem = world.users["yingji"], world.enterprises["chem"]
    with pytest.raises(InvalidInput) as error:
        actions.do_start_inspection(chem, kind=InspectionKind.ROUTINE, actor=yingji)
    assert "officers" in error.value.field_errors
    with pytest.raises(InvalidInput):  # a colleague of another department
        actions.do_start_inspection(chem, kind=InspectionKind.ROUTINE, actor=yingji, officers=[world.users["zhujian"]])
    world.users["yingji2"].enforcement_certificate_no = ""
    world.users["yingji2"].save()
    with pytest.raises(InvalidInput):
        actions.do_start_inspection(chem, kind=InspectionKind.ROUTINE, actor=yingji, officers=[world.users["yingji2"]])
    # An expert diagnosis is not law enforcement: one officer suffices.
    expert = actions.do_start_inspection(chem, kind=InspectionKind.EXPERT, actor=yingji)
    assert list(expert.officers.all()) == [yingji]
    with pytest.raises(InvalidInput):  # a joint inspection names the other departments
        actions.do_start_inspection(chem, kind=InspectionKind.JOINT, actor=yingji, officers=[world.users["yingji2"]])
    assert AuditEvent.objects.filter(event=EventCode.INSPECTION_STARTED).count() == 1


@pytest.mark.parametrize("persona", ["zhujian", "neighbour_officer", "qiye1", "zhigong1", "wangge1"])
def test_who_may_not_inspect_the_chemical_plant(world: World, persona: str) -> None:
    with pytest.raises(ActionError) as error:
        actions.do_start_inspection(
            world.enterprises["chem"], kind=InspectionKind.ROUTINE, actor=world.users[persona], officers=[]
        )
    assert error.value.status == 403


def test_self_inspection_by_the_enterprise(world: World) -> None:
    qiye1 = world.users["qiye1"]
    inspection = actions.do_start_inspection(world.enterprises["chem"], kind=InspectionKind.SELF, actor=qiye1)
    assert inspection.department is None and not inspection.officers.exists()
    item = items_of(inspection).first()
    actions.do_record_result(
        inspection, item=item, result=ItemResult.FAIL, note="岗位人员未持证", photo=photo(), actor=qiye1
    )
    with pytest.raises(ActionError):  # another enterprise's worker
        actions.do_record_result(inspection, item=item, result=ItemResult.PASS, actor=world.users["zhigong1"])
    inspection = actions.do_complete_inspection(
        inspection, actor=qiye1, deadline=timezone.localdate() + dt.timedelta(days=7)
    )
    hazard = Hazard.objects.get(inspection=inspection)
    assert hazard.source == HazardSource.DAILY and hazard.finding_department is None
    assert hazard.photos.count() == 1  # the inspection photo is the hazard's "before" photo
    with pytest.raises(ActionError):  # completed: results are final
        actions.do_record_result(inspection, item=item, result=ItemResult.PASS, actor=qiye1)
    with pytest.raises(ActionError):  # and a department may not start a self-inspection
        actions.do_start_inspection(world.enterprises["chem"], kind=InspectionKind.SELF, actor=world.users["yingji"])


def test_bad_results_change_nothing(world: World) -> None:
    yingji = world.users["yingji"]
    inspection = actions.do_start_inspection(
        world.enterprises["chem"], kind=InspectionKind.ROUTINE, actor=yingji, officers=[world.users["yingji2"]]
    )
    item = next(i for i in items_of(inspection).all() if i.clause is None or not i.clause.proposes_major)
    other = Checklist.objects.get(code="gm").items.first()
    cases: list[dict[str, Any]] = [
        {"item": item, "result": "maybe"},
        {"item": item, "result": ItemResult.FAIL, "note": ""},  # a failure says what was found
        {"item": other, "result": ItemResult.PASS},  # not on this checklist
        {"item": None, "text": "", "result": ItemResult.FAIL, "note": "x"},
        {"item": item, "result": ItemResult.PASS, "latitude": 29.1},  # latitude without longitude
        {"item": item, "result": ItemResult.PASS, "latitude": 29.1, "longitude": 10},  # outside China
    ]
    for case in cases:
        with pytest.raises(InvalidInput):
            actions.do_record_result(inspection, actor=yingji, **case)
    assert inspection.results.count() == 0
    actions.do_record_result(inspection, item=item, result=ItemResult.FAIL, note="x", actor=yingji)
    with pytest.raises(InvalidInput):  # enforcement: the enterprise signs or its refusal is noted
        actions.do_complete_inspection(inspection, actor=yingji, deadline=timezone.localdate())
    with pytest.raises(InvalidInput):  # a general failure needs a deadline
        actions.do_complete_inspection(inspection, actor=yingji, signature_refused=True)
    assert not Hazard.objects.exists()
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.IN_PROGRESS


def test_one_checklist_serves_a_standardisation_review_too(world: World) -> None:
    """三标合一: the same checklist for a standardisation review, which is not law enforcement (one reviewer)."""
    yingji = world.users["yingji"]
    review = actions.do_start_inspection(
        world.enterprises["factory"], kind=InspectionKind.STANDARDIZATION, actor=yingji
    )
    assert not review.is_enforcement and review.checklist is not None and review.checklist.code == "gm"
    item = next(i for i in items_of(review).all() if i.clause is not None)
    row = actions.do_record_result(
        review, item=item, result=ItemResult.FAIL, note="承包单位未纳入统一管理", actor=yingji
    )
    assert row.level == HazardLevel.MAJOR  # the same clause proposes 重大 whatever the occasion
