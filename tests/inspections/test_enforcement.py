"""Enforcement documents (numbered per department, kind and year without gaps under concurrency; frozen once
issued), the reinspection an order creates, and penalty cases whose decisions change statuses (Art.113 too)."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from docx import Document

from anjian.core.events import EventCode
from anjian.core.exceptions import ActionError, InvalidInput, InvalidTransition
from anjian.core.models import AuditEvent
from anjian.enterprises.choices import EnterpriseStatus, LicenceStatus
from anjian.hazards.models import Hazard
from anjian.inspections import documents, enforcement
from anjian.inspections.choices import (
    DocumentKind,
    DocumentStatus,
    PenaltyKind,
    PenaltyStage,
    ReinspectionResult,
    ReinspectionStatus,
    ViolationClass,
)
from anjian.inspections.models import EnforcementDocument, PenaltyCase, Reinspection
from anjian.inspections.models.enforcement import ITEM_TOTALS
from anjian.notifications.models import Notification
from tests.inspections.helpers import inspect, order
from tests.world import World

YEAR = timezone.localdate().year


def test_site_record_is_numbered_rendered_and_its_hash_audited(world: World) -> None:
    inspection = inspect(world, fail=2)
    yingji = world.users["yingji"]
    draft = enforcement.do_draft_document(
        DocumentKind.SITE_RECORD, enterprise=inspection.enterprise, actor=yingji, inspection=inspection
    )
    assert draft.status == DocumentStatus.DRAFT and draft.number == "" and draft.serial is None
    assert [o["certificate"] for o in draft.content["officers"]] == ["36040001", "36040002"]
    issued = enforcement.do_issue_document(draft, actor=yingji)
    assert issued.number == f"安澜县应急检记〔{YEAR}〕1号" and issued.content["number"] == issued.number
    assert issued.content_hash == documents.content_hash(issued.content)
    event = AuditEvent.objects.get(event=EventCode.DOCUMENT_ISSUED, target_id=str(issued.pk))
    assert event.new is not None
    assert event.new["content_hash"] == issued.content_hash and event.new["number"] == issued.number
    text = "\n".join(p.text for p in Document(issued.docx.path).paragraphs)
    assert issued.number in text and "现场检查记录" in text and "不符合2项" in text
    with open(issued.pdf.path, "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    second = enforcement.do_issue_document(
        enforcement.do_draft_document(
            DocumentKind.SITE_RECORD, enterprise=inspection.enterprise, actor=yingji, inspection=inspection
        ),
        actor=yingji,
    )
    assert second.serial == 2
    with pytest.raises(InvalidTransition):  # issued once
        enforcement.do_issue_document(issued, actor=yingji)


def test_an_issued_document_never_changes(world: World) -> None:
    document = order(world, inspect(world))
    assert document.docx and document.pdf  # rendered at issue: written once, never replaced
    changes: list[dict[str, Any]] = [
        {"content": {"title": "改过的"}},
        {"number": "X"},
        {"status": DocumentStatus.DRAFT},
        {"docx": "documents/other.docx"},
        {"pdf": ""},
    ]
    for change in changes:
        with pytest.raises(DatabaseError), transaction.atomic():
            EnforcementDocument.objects.filter(pk=document.pk).update(**change)
    with pytest.raises(DatabaseError), transaction.atomic():
        EnforcementDocument.objects.filter(pk=document.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE inspections_enforcementdocument SET content_hash = 'x' WHERE id = %s", [document.pk])
    document.refresh_from_db()
    assert document.content_hash == documents.content_hash(document.content)
    # Service is recorded on the issued document; its content stays.
    served = enforcement.do_serve_document(
        document, served_on=timezone.localdate(), received_by="张三", actor=world.users["yingji"]
    )
    assert served.status == DocumentStatus.SERVED and served.content_hash == document.content_hash
    # A draft may still be discarded.
    draft = enforcement.do_draft_document(
        DocumentKind.SITE_RECORD,
        enterprise=document.enterprise,
        actor=world.users["yingji"],
        inspection=document.inspection,
    )
    draft.delete()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_issues_take_consecutive_numbers() -> None:
    from tests.world import build_world

    world = build_world()
    inspection = inspect(world, fail=0)
    yingji = world.users["yingji"]
    drafts = [
        enforcement.do_draft_document(
            DocumentKind.SITE_RECORD, enterprise=inspection.enterprise, actor=yingji, inspection=inspection
        )
        for _ in range(6)
    ]
    barrier = threading.Barrier(len(drafts))
    errors: list[BaseException] = []

    def act(document: EnforcementDocument) -> None:
        try:
            barrier.wait()
            enforcement.do_issue_document(document, actor=yingji)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(s or 0 for s in EnforcementDocument.objects.values_list("serial", flat=True)) == [1, 2, 3, 4, 5, 6]
    numbers = set(EnforcementDocument.objects.values_list("number", flat=True))
    assert numbers == {f"安澜县应急检记〔{YEAR}〕{n}号" for n in range(1, 7)}


def test_order_schedules_reinspection_and_unrectified_leads_to_a_case(world: World, settings: Any) -> None:
    settings.REINSPECTION_DAYS = 5
    yingji = world.users["yingji"]
    inspection = inspect(world, fail=2)
    document = order(world, inspection, days=15)
    assert document.number == f"安澜县应急责改〔{YEAR}〕1号"
    assert document.hazards.count() == 2
    reinspection = Reinspection.objects.get(order=document)
    assert reinspection.due_on == timezone.localdate() + dt.timedelta(days=20)
    assert reinspection.status == ReinspectionStatus.PENDING
    with pytest.raises(InvalidInput):  # not rectified: say what
        enforcement.do_record_reinspection(reinspection, result=ReinspectionResult.NOT_RECTIFIED, actor=yingji)
    with pytest.raises(ActionError):  # another department
        enforcement.do_record_reinspection(
            reinspection, result=ReinspectionResult.RECTIFIED, actor=world.users["anweiban"]
        )
    done = enforcement.do_record_reinspection(
        reinspection, result=ReinspectionResult.NOT_RECTIFIED, note="报警装置仍未安装", actor=yingji
    )
    assert done.status == ReinspectionStatus.DONE and done.opinion is not None
    assert done.opinion.kind == DocumentKind.REINSPECTION_OPINION and done.opinion.status == DocumentStatus.ISSUED
    assert done.opinion.number == f"安澜县应急复查〔{YEAR}〕1号"
    assert document.number in "".join(p for s in done.opinion.content["sections"] for p in s["paragraphs"])
    case = PenaltyCase.objects.get(reinspection=done)
    assert case.stage == PenaltyStage.FILED and case.case_number == f"安澜县应急罚立〔{YEAR}〕1号"
    assert case.violation_class == ViolationClass.IRREGULAR and "报警装置仍未安装" in case.facts
    with pytest.raises(InvalidTransition):
        enforcement.do_record_reinspection(done, result=ReinspectionResult.RECTIFIED, actor=yingji)


def _case(world: World, items: list[dict[str, Any]], **extra: Any) -> PenaltyCase:
    return enforcement.do_file_case(
        world.enterprises["chem"],
        violation_class=extra.pop("violation_class", ViolationClass.ILLEGAL),
        facts="未经许可擅自储存危险化学品",
        legal_basis="《危险化学品安全管理条例》第七十七条",
        items=items,
        actor=world.users["yingji"],
        **extra,
    )


def test_decision_fines_suspends_and_withholds_the_licence(world: World) -> None:
    yingji, chem, licence = world.users["yingji"], world.enterprises["chem"], world.licences["chem"]
    case = _case(
        world,
        [
            {"kind": PenaltyKind.FINE, "amount": "50000"},
            {"kind": PenaltyKind.SUSPENSION},
            {"kind": PenaltyKind.LICENCE_WITHHOLD, "licence": licence.pk},
        ],
    )
    assert case.items.count() == 3
    totals = PenaltyCase.objects.values(*ITEM_TOTALS).get(pk=case.pk)  # what the 打非治违 tallies read
    assert totals == {
        "fines_yuan": Decimal("50000.00"),
        "suspends": True,
        "closes": False,
        "licence_penalties": 1,
        "persons_referred": 0,
    }
    with pytest.raises(InvalidTransition):  # no decision before the notice
        enforcement.do_decide_case(case, actor=yingji)
    case = enforcement.do_notify_case(case, actor=yingji)
    notice = case.documents.get(kind=DocumentKind.PENALTY_NOTICE)
    assert notice.status == DocumentStatus.ISSUED and "罚款 50,000元" in str(notice.content)
    case = enforcement.do_request_hearing(case, actor=yingji, note="企业书面要求听证")
    assert case.stage == PenaltyStage.HEARING and case.hearing_requested
    case = enforcement.do_decide_case(case, actor=yingji)
    assert case.stage == PenaltyStage.DECIDED and case.decided_on == timezone.localdate()
    assert case.documents.get(kind=DocumentKind.PENALTY_DECISION).number == f"安澜县应急罚决〔{YEAR}〕1号"
    chem.refresh_from_db()
    licence.refresh_from_db()
    assert chem.status == EnterpriseStatus.SUSPENDED and licence.status == LicenceStatus.SUSPENDED
    assert AuditEvent.objects.filter(event=EventCode.ENTERPRISE_SUSPENDED).count() == 1
    assert AuditEvent.objects.filter(event=EventCode.LICENCE_STATUS_CHANGED).count() == 1
    case = enforcement.do_execute_case(case, actor=yingji)
    case = enforcement.do_close_case(case, actor=yingji)
    assert case.stage == PenaltyStage.CLOSED and case.closed_on is not None


def test_closure_closes_the_enterprise_and_a_failed_effect_rolls_back(world: World) -> None:
    yingji, chem, licence = world.users["yingji"], world.enterprises["chem"], world.licences["chem"]
    revoke = _case(world, [{"kind": PenaltyKind.LICENCE_REVOKE, "licence": licence.pk}])
    enforcement.do_notify_case(revoke, actor=yingji)
    enforcement.do_decide_case(revoke, actor=yingji)
    again = _case(world, [{"kind": PenaltyKind.LICENCE_WITHHOLD, "licence": licence.pk}])
    enforcement.do_notify_case(again, actor=yingji)
    with pytest.raises(InvalidTransition):  # a revoked licence cannot be withheld: nothing changes
        enforcement.do_decide_case(again, actor=yingji)
    again.refresh_from_db()
    assert again.stage == PenaltyStage.NOTIFIED and not again.documents.filter(kind="penalty_decision").exists()
    closure = _case(world, [{"kind": PenaltyKind.CLOSURE}])
    enforcement.do_notify_case(closure, actor=yingji)
    enforcement.do_decide_case(closure, actor=yingji)
    chem.refresh_from_db()
    assert chem.status == EnterpriseStatus.CLOSED


def test_bad_cases_are_refused(world: World) -> None:
    cases: list[list[dict[str, Any]]] = [
        [{"kind": "prison"}],
        [{"kind": PenaltyKind.FINE}],
        [{"kind": PenaltyKind.FINE, "amount": "-5"}],
        [{"kind": PenaltyKind.LICENCE_REVOKE}],
        [{"kind": PenaltyKind.LICENCE_REVOKE, "licence": world.licences["build"].pk}],  # another's licence
    ]
    for items in cases:
        with pytest.raises(InvalidInput):
            _case(world, items)
    with pytest.raises(InvalidInput):
        _case(world, [], violation_class="other")
    with pytest.raises(ActionError):  # zhujian does not supervise chemicals
        enforcement.do_file_case(
            world.enterprises["chem"],
            violation_class=ViolationClass.ILLEGAL,
            facts="x",
            actor=world.users["zhujian"],
        )
    assert not PenaltyCase.objects.exists()
    empty = _case(world, [])
    with pytest.raises(InvalidInput):  # nothing to notify
        enforcement.do_notify_case(empty, actor=world.users["yingji"])
    with pytest.raises(InvalidInput):
        enforcement.do_withdraw_case(empty, actor=world.users["yingji"], reason=" ")
    assert enforcement.do_withdraw_case(empty, actor=world.users["yingji"], reason="证据不足").stage == "withdrawn"


def _decide_on(world: World, day: dt.date) -> PenaltyCase:
    case = _case(world, [{"kind": PenaltyKind.FINE, "amount": 10000}], on_major_hazard=True, filed_on=day)
    enforcement.do_notify_case(case, actor=world.users["yingji"])
    return enforcement.do_decide_case(case, actor=world.users["yingji"], decided_on=day)


def _proposals() -> int:
    return AuditEvent.objects.filter(event=EventCode.CLOSURE_PROPOSED).count()


def test_art113_three_in_180_days(world: World) -> None:
    today = timezone.localdate()
    _decide_on(world, today - dt.timedelta(days=179))
    _decide_on(world, today - dt.timedelta(days=60))
    assert _proposals() == 0
    _case(world, [{"kind": PenaltyKind.FINE, "amount": 1}], filed_on=today)  # filed, not decided: counts nowhere
    third = _decide_on(world, today)
    assert _proposals() == 1
    event = AuditEvent.objects.get(event=EventCode.CLOSURE_PROPOSED)
    assert event.new is not None
    assert event.new["windows"][0] == {"days": 180, "count": 3, "threshold": 3}
    assert event.new["case"] == third.case_number
    told = set(Notification.objects.filter(kind="closure_proposal").values_list("recipient__username", flat=True))
    assert {"anweiban", "yingji", "yingji2", "zhen1"} <= told and "zhujian" not in told


def test_art113_window_edges(world: World) -> None:
    today = timezone.localdate()
    # Three in 181 days is not three in 180; the fourth in a year is.
    _decide_on(world, today - dt.timedelta(days=300))
    _decide_on(world, today - dt.timedelta(days=180))
    _decide_on(world, today - dt.timedelta(days=100))
    assert _proposals() == 0
    _decide_on(world, today)
    event = AuditEvent.objects.get(event=EventCode.CLOSURE_PROPOSED)
    assert event.new is not None
    assert [w["days"] for w in event.new["windows"]] == [365]
    # Penalties not on a major hazard never count.
    case = _case(world, [{"kind": PenaltyKind.WARNING}], filed_on=today)
    enforcement.do_notify_case(case, actor=world.users["yingji"])
    enforcement.do_decide_case(case, actor=world.users["yingji"])
    assert _proposals() == 1


def test_enterprise_sees_documents_once_issued_and_workers_never(world: World) -> None:
    inspection = inspect(world)
    yingji = world.users["yingji"]
    draft = enforcement.do_draft_document(
        DocumentKind.SITE_RECORD, enterprise=inspection.enterprise, actor=yingji, inspection=inspection
    )
    visible = EnforcementDocument.objects.visible_to
    assert not visible(world.users["qiye1"]).exists()
    enforcement.do_issue_document(draft, actor=yingji)
    assert visible(world.users["qiye1"]).count() == 1
    assert not visible(world.users["zhigong1"]).exists()
    assert not visible(world.users["zhujian"]).exists()
    assert Hazard.objects.visible_to(world.users["zhujian"]).count() == 0


def test_reinspection_reminders(world: World, settings: Any) -> None:
    from django.core.management import call_command

    from anjian.inspections.reminders import remind_reinspections

    settings.REINSPECTION_DAYS = 0
    document = order(world, inspect(world), days=2)
    today = timezone.localdate()
    assert remind_reinspections(today) == {"due_soon": 2, "overdue": 0}  # yingji and yingji2, 2 days ahead
    assert remind_reinspections(today) == {"due_soon": 0, "overdue": 0}  # once per rung
    late = today + dt.timedelta(days=3)
    assert remind_reinspections(late)["overdue"] == 3  # the department and the county 安委办
    told = set(Notification.objects.filter(kind="reinspection").values_list("recipient__username", flat=True))
    assert told == {"yingji", "yingji2", "anweiban"}
    enforcement.do_record_reinspection(
        Reinspection.objects.get(order=document), result=ReinspectionResult.RECTIFIED, actor=world.users["yingji"]
    )
    call_command("remind_reinspections", "--date", (today + dt.timedelta(days=9)).isoformat())
    assert Notification.objects.filter(kind="reinspection").count() == 5  # done: no more reminders


def test_enterprise_page_shows_enforcement_and_the_art113_warning(world: World, client_for: Any) -> None:
    today = timezone.localdate()
    inspect(world, fail=0)
    for days_ago in (100, 50):
        _decide_on(world, today - dt.timedelta(days=days_ago))
    chem = world.enterprises["chem"]
    page = client_for("yingji").get(f"/enterprises/{chem.pk}/").content.decode()
    assert 'data-testid="enterprise-enforcement"' in page and 'data-testid="art113"' not in page
    _decide_on(world, today)
    page = client_for("yingji").get(f"/enterprises/{chem.pk}/").content.decode()
    assert 'data-testid="art113"' in page
    visits = page.split('data-testid="visits-this-year"')[1].split("</div>")[0]
    assert visits.strip().endswith(">1")
    # The enterprise sees its own card, with what reached it.
    assert 'data-testid="art113"' in client_for("qiye1").get(f"/enterprises/{chem.pk}/").content.decode()


def test_a_case_from_a_reinspection_gets_its_penalties_then_goes_on(world: World, client_for: Any) -> None:
    yingji = world.users["yingji"]
    document = order(world, inspect(world))
    enforcement.do_record_reinspection(
        Reinspection.objects.get(order=document),
        result=ReinspectionResult.NOT_RECTIFIED,
        note="仍未整改",
        actor=yingji,
    )
    case = PenaltyCase.objects.get()
    assert not case.items.exists()
    client = client_for("yingji")
    page = client.get(f"/inspections/penalties/{case.pk}/").content.decode()
    assert 'data-testid="propose-penalties"' in page
    url = f"/inspections/penalties/{case.pk}/penalties/"
    rows = {
        "items-TOTAL_FORMS": "4",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "4",
    }
    empty = client.post(url, rows)
    assert empty.status_code == 200 and not case.items.exists()  # nothing proposed: refused, nothing changes
    saved = client.post(url, {**rows, "items-0-kind": PenaltyKind.FINE, "items-0-amount": "20000"})
    assert saved.status_code == 302 and list(case.items.values_list("kind", flat=True)) == [PenaltyKind.FINE]
    case.refresh_from_db()
    assert (case.fines_yuan, case.suspends, case.persons_referred) == (Decimal("20000.00"), False, 0)
    enforcement.do_propose_penalties(
        case,
        items=[{"kind": PenaltyKind.FINE, "amount": "30000"}, {"kind": PenaltyKind.JUDICIAL_REFERRAL, "persons": 2}],
        actor=yingji,
    )  # replaces the first proposal, and its totals
    case.refresh_from_db()
    assert (case.fines_yuan, case.suspends, case.persons_referred) == (Decimal("30000.00"), False, 2)
    assert client_for("zhujian").get(url).status_code == 404
    enforcement.do_notify_case(case, actor=yingji)
    with pytest.raises(InvalidTransition):  # notified: the proposal stays as served
        enforcement.do_propose_penalties(case, items=[{"kind": PenaltyKind.WARNING}], actor=yingji)
    assert client_for("yingji").get(url).status_code == 403
