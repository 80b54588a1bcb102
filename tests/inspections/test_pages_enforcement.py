"""The enforcement pages as officers and enterprises meet them: documents drafted, issued (one number), served and
downloaded; reinspections recorded; penalty cases filed and walked through their steps with buttons; each page
scoped (404 for the wrong persona), and the lists' query counts flat."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from anjian.enterprises.choices import EnterpriseStatus, LicenceStatus
from anjian.enterprises.models import Enterprise, Licence
from anjian.hazards.models import Hazard
from anjian.inspections import enforcement
from anjian.inspections.choices import (
    DocumentKind,
    DocumentStatus,
    PenaltyKind,
    PenaltyStage,
    ReinspectionResult,
    ReinspectionStatus,
    ViolationClass,
)
from anjian.inspections.models import EnforcementDocument, Inspection, PenaltyCase, Reinspection
from anjian.inspections.queries import art113_reached, art113_windows
from tests.inspections.helpers import inspect, order
from tests.world import World

YEAR = timezone.localdate().year


def _today() -> dt.date:
    """Asked each time: a run that passes midnight must not date a service before its issue."""
    return timezone.localdate()


OUTSIDERS = ["zhujian", "neighbour_officer", "zhigong1"]


def _messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _body(response: Any) -> str:
    return str(response.content.decode())


def _case(world: World, items: list[dict[str, Any]], **extra: Any) -> PenaltyCase:
    return enforcement.do_file_case(
        world.enterprises["chem"],
        violation_class=ViolationClass.ILLEGAL,
        facts="未经许可擅自储存危险化学品",
        legal_basis="《危险化学品安全管理条例》第七十七条",
        items=items,
        actor=world.users["yingji"],
        **extra,
    )


def _draft(world: World, inspection: Inspection) -> EnforcementDocument:
    return enforcement.do_draft_document(
        DocumentKind.SITE_RECORD, enterprise=inspection.enterprise, actor=world.users["yingji"], inspection=inspection
    )


def _records(world: World) -> dict[str, Any]:
    """An inspection of chem with an issued order (and its reinspection), a draft record, a notified case."""
    inspection = inspect(world, fail=2)
    issued = order(world, inspection)
    case = _case(world, [{"kind": PenaltyKind.FINE, "amount": "20000"}])
    case = enforcement.do_notify_case(case, actor=world.users["yingji"])
    return {
        "inspection": inspection,
        "order": issued,
        "draft": _draft(world, inspection),
        "reinspection": Reinspection.objects.get(order=issued),
        "case": case,
        "filed": _case(world, [{"kind": PenaltyKind.WARNING}]),
    }


def _urls(records: dict[str, Any]) -> dict[str, str]:
    return {
        "order": reverse("inspections:document_detail", args=[records["order"].pk]),
        "draft": reverse("inspections:document_detail", args=[records["draft"].pk]),
        "pdf": reverse("inspections:document_file", args=[records["order"].pk, "pdf"]),
        "docx": reverse("inspections:document_file", args=[records["order"].pk, "docx"]),
        "draft_pdf": reverse("inspections:document_file", args=[records["draft"].pk, "pdf"]),
        "serve": reverse("inspections:document_serve", args=[records["order"].pk]),
        "reinspection": reverse("inspections:reinspection_record", args=[records["reinspection"].pk]),
        "case": reverse("inspections:penalty_detail", args=[records["case"].pk]),
        "filed": reverse("inspections:penalty_detail", args=[records["filed"].pk]),
        "draft_new": reverse("inspections:document_create") + f"?inspection={records['inspection'].pk}",
        "case_new": reverse("inspections:penalty_create") + f"?enterprise={records['inspection'].enterprise_id}",
    }


def test_every_page_answers_the_department(world: World, client_for: Any) -> None:
    records = _records(world)
    client = client_for("yingji")
    for name, url in _urls(records).items():
        response = client.get(url)
        assert response.status_code == (404 if name == "draft_pdf" else 200), name  # a draft has no file
    for name in ("document_list", "reinspection_list", "penalty_list", "penalty_create"):
        assert client.get(reverse(f"inspections:{name}")).status_code == 200, name
    assert client.get(reverse("inspections:document_file", args=[records["order"].pk, "exe"])).status_code == 404
    assert client.get(reverse("inspections:document_create")).status_code == 404  # neither inspection nor case


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_and_change_nothing(world: World, client_for: Any, persona: str) -> None:
    records = _records(world)
    client = client_for(persona)
    urls = _urls(records)
    for name in ("order", "draft", "pdf", "docx", "draft_pdf", "serve", "reinspection", "case", "filed", "draft_new"):
        assert client.get(urls[name]).status_code in ((403, 404) if name == "draft_new" else (404,)), (persona, name)
    if persona != "zhigong1":  # a worker may not file at all (403); an officer of another remit does not see chem
        assert client.get(urls["case_new"]).status_code == 404
    draft, case = records["draft"], records["case"]
    assert client.post(reverse("inspections:document_issue", args=[draft.pk])).status_code == 404
    assert client.post(urls["serve"], {"served_on": str(_today()), "received_by": "张三"}).status_code == 404
    decide = reverse("inspections:penalty_transition", args=[case.pk, "decide"])
    assert client.post(decide).status_code == 404
    assert client.post(urls["reinspection"], {"result": "rectified", "done_on": str(_today())}).status_code == 404
    draft.refresh_from_db()
    case.refresh_from_db()
    assert draft.status == DocumentStatus.DRAFT and case.stage == PenaltyStage.NOTIFIED
    assert Reinspection.objects.get(pk=records["reinspection"].pk).status == ReinspectionStatus.PENDING
    for name in ("document_list", "reinspection_list", "penalty_list"):
        response = client.get(reverse(f"inspections:{name}"))
        if persona == "zhigong1":
            assert response.status_code == 403, name
        else:
            assert response.status_code == 200 and not response.context["object_list"], (persona, name)


def test_the_enterprise_sees_what_reached_it_read_only(world: World, client_for: Any) -> None:
    records = _records(world)
    urls = _urls(records)
    client = client_for("qiye1")
    assert client.get(urls["draft"]).status_code == 404
    assert client.get(urls["draft_pdf"]).status_code == 404
    assert client.get(urls["filed"]).status_code == 404  # filed, not notified: not yet the enterprise's business
    page = client.get(urls["order"])
    assert page.status_code == 200
    body = _body(page)
    assert records["order"].number in body
    assert 'data-testid="issue"' not in body and 'data-testid="serve-card"' not in body
    pdf = client.get(urls["pdf"])
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]
    assert client.get(urls["case"]).status_code == 200
    assert 'data-testid="actions"' not in _body(client.get(urls["case"]))
    assert client.get(urls["reinspection"]).status_code == 200
    listed = client.get(reverse("inspections:document_list"))
    assert {d.pk for d in listed.context["object_list"]} == {
        records["order"].pk,
        *records["case"].documents.values_list("pk", flat=True),
    }
    cases = client.get(reverse("inspections:penalty_list"))
    assert [c.pk for c in cases.context["object_list"]] == [records["case"].pk]
    assert client.get(urls["draft_new"]).status_code == 403
    assert client.get(urls["case_new"]).status_code == 403
    # Nothing it may press does anything.
    response = client.post(reverse("inspections:penalty_transition", args=[records["case"].pk, "decide"]))
    assert response.status_code == 302 and PenaltyCase.objects.get(pk=records["case"].pk).stage == "notified"


def test_draft_then_issue_through_the_pages(world: World, client_for: Any) -> None:
    inspection = inspect(world, fail=2)
    found = set(Hazard.objects.filter(inspection=inspection).values_list("pk", flat=True))
    client = client_for("yingji")
    listing = client.get(reverse("inspections:document_list"), {"inspection": inspection.pk})
    assert 'data-testid="draft-rectification_order"' in _body(listing)
    url = reverse("inspections:document_create") + f"?inspection={inspection.pk}&kind=rectification_order"
    form = client.get(url)
    assert {h.pk for h, ticked in form.context["hazard_rows"] if ticked} == found  # the inspection's, preselected
    deadline = _today() + dt.timedelta(days=15)
    response = client.post(url, {"hazards": sorted(found), "deadline": str(deadline)})
    document = EnforcementDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "inspections:document_detail", args=[document.pk]
    )
    assert document.kind == DocumentKind.RECTIFICATION_ORDER and document.deadline == deadline
    detail = _body(client.get(response["Location"]))
    assert "（草稿）" in detail and "责令限期整改指令书" in detail and "执法证号：36040002" in detail
    assert 'data-testid="issue"' in detail and 'data-testid="download-pdf"' not in detail
    issue = reverse("inspections:document_issue", args=[document.pk])
    assert client.get(issue).status_code == 405
    issued = client.post(issue, follow=True)
    number = f"安澜县应急责改〔{YEAR}〕1号"
    body = _body(issued)
    assert number in body and "（草稿）" not in body
    document.refresh_from_db()
    assert document.status == DocumentStatus.ISSUED and document.content_hash in body
    assert 'data-testid="content-hash"' in body and 'data-testid="serve-card"' in body
    pdf = client.get(reverse("inspections:document_file", args=[document.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content).startswith(b"%PDF")
    docx = client.get(reverse("inspections:document_file", args=[document.pk, "docx"]))
    assert b"".join(docx.streaming_content).startswith(b"PK")
    again = client.post(issue, follow=True)
    assert any("cannot" in m or "不能" in m for m in _messages(again))
    assert list(EnforcementDocument.objects.exclude(number="").values_list("number", flat=True)) == [number]
    assert Reinspection.objects.filter(order=document).count() == 1
    # The list shows it with its number and dates; the filter bar refreshes the results in place.
    listed = _body(client.get(reverse("inspections:document_list")))
    assert number in listed and deadline.isoformat() in listed
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "list-results"}
    partial = client.get(reverse("inspections:document_list"), {"number": "责改", "status": "issued"}, **htmx)
    assert "<html" not in _body(partial) and [d.pk for d in partial.context["object_list"]] == [document.pk]
    none = client.get(reverse("inspections:document_list"), {"kind": DocumentKind.SITE_MEASURES}, **htmx)
    assert not none.context["object_list"]


def test_site_record_and_measures_are_drafted_from_the_inspection(world: World, client_for: Any) -> None:
    inspection = inspect(world, fail=1)
    client = client_for("yingji")
    base = reverse("inspections:document_create") + f"?inspection={inspection.pk}"
    assert client.post(base + "&kind=site_record").status_code == 302
    record = EnforcementDocument.objects.get(kind=DocumentKind.SITE_RECORD)
    assert "现场检查记录" in _body(client.get(reverse("inspections:document_detail", args=[record.pk])))
    refused = client.post(base + "&kind=site_measures", {"measures": " "})
    assert refused.status_code == 200 and refused.context["form"].errors["measures"]
    assert client.post(base + "&kind=site_measures", {"measures": "立即撤出储罐区作业人员"}).status_code == 302
    assert EnforcementDocument.objects.filter(kind=DocumentKind.SITE_MEASURES).count() == 1


def test_draft_refusals_show_on_the_form_and_save_nothing(world: World, client_for: Any) -> None:
    inspection = inspect(world, fail=1)
    hazard = Hazard.objects.get(inspection=inspection)
    client = client_for("yingji")
    url = reverse("inspections:document_create") + f"?inspection={inspection.pk}&kind=rectification_order"
    past = client.post(url, {"hazards": [hazard.pk], "deadline": str(_today() - dt.timedelta(days=1))})
    assert past.status_code == 200 and past.context["form"].errors["deadline"]
    assert 'data-testid="form-errors"' in _body(past)
    none = client.post(url, {"deadline": str(_today() + dt.timedelta(days=5))})
    assert none.context["form"].errors["hazards"]
    other = Hazard.objects.exclude(enterprise=inspection.enterprise).first()
    assert other is None or "hazards" in client.post(url, {"hazards": [other.pk]}).context["form"].errors
    unfinished = started_inspection(world)  # an unfinished inspection cannot fill a record
    record = client.post(reverse("inspections:document_create") + f"?inspection={unfinished.pk}&kind=site_record")
    assert record.status_code == 200 and record.context["form"].non_field_errors()
    assert not EnforcementDocument.objects.exists()


def started_inspection(world: World) -> Inspection:
    from anjian.inspections import actions

    return actions.do_start_inspection(
        world.enterprises["chem"], kind="routine", actor=world.users["yingji"], officers=[world.users["yingji2"]]
    )


def test_service_with_a_future_date_changes_nothing(world: World, client_for: Any) -> None:
    document = order(world, inspect(world))
    client = client_for("yingji")
    url = reverse("inspections:document_serve", args=[document.pk])
    assert client.get(url).status_code == 200
    future = client.post(url, {"served_on": str(_today() + dt.timedelta(days=2)), "received_by": "张三"})
    assert future.status_code == 200 and future.context["form"].errors["served_on"]
    nobody = client.post(url, {"served_on": str(_today()), "received_by": "", "note": ""})
    assert nobody.context["form"].errors["received_by"]
    document.refresh_from_db()
    assert document.status == DocumentStatus.ISSUED and document.served_on is None
    done = client.post(url, {"served_on": str(_today()), "received_by": "张三"}, follow=True)
    document.refresh_from_db()
    assert document.status == DocumentStatus.SERVED and document.received_by == "张三"
    assert 'data-testid="served"' in _body(done)
    assert client.get(url).status_code == 302  # served once


def _items(rows: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "items-TOTAL_FORMS": "4",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "4",
    }
    for n, row in enumerate(rows):
        data.update({f"items-{n}-{key}": value for key, value in row.items()})
    return data


def test_file_notify_decide_through_the_pages(world: World, client_for: Any) -> None:
    chem = world.enterprises["chem"]
    inspection = inspect(world)
    client = client_for("yingji")
    url = reverse("inspections:penalty_create") + f"?enterprise={chem.pk}&inspection={inspection.pk}"
    form = client.get(url)
    assert form.context["form"]["inspection"].value() == inspection.pk
    data = {
        "violation_class": ViolationClass.IRREGULAR,
        "facts": "未按规定对重大危险源进行监测监控",
        "legal_basis": "《中华人民共和国安全生产法》第九十九条",
        "inspection": inspection.pk,
        "filed_on": str(_today()),
        **_items([{"kind": "fine", "amount": "30000"}, {"kind": "suspension"}]),
    }
    response = client.post(url, data)
    case = PenaltyCase.objects.get()
    assert response.status_code == 302 and case.items.count() == 2 and case.inspection == inspection
    assert case.case_number == f"安澜县应急罚立〔{YEAR}〕1号"
    page = _body(client.get(reverse("inspections:penalty_detail", args=[case.pk])))
    assert 'data-testid="step-notify"' in page and 'data-testid="step-withdraw"' in page
    assert 'data-testid="step-decide"' not in page
    notify = client.post(reverse("inspections:penalty_transition", args=[case.pk, "notify"]), follow=True)
    assert case.documents.filter(kind=DocumentKind.PENALTY_NOTICE, status=DocumentStatus.ISSUED).exists()
    body = _body(notify)
    assert 'data-testid="step-decide"' in body and 'data-testid="step-request_hearing"' in body
    assert 'data-testid="decision-effects"' in body
    decided = client.post(reverse("inspections:penalty_transition", args=[case.pk, "decide"]), follow=True)
    case.refresh_from_db()
    assert case.stage == PenaltyStage.DECIDED and case.decided_on == _today()
    assert Enterprise.objects.get(pk=chem.pk).status == EnterpriseStatus.SUSPENDED
    decision = case.documents.get(kind=DocumentKind.PENALTY_DECISION)
    assert decision.number == f"安澜县应急罚决〔{YEAR}〕1号"
    body = _body(decided)
    assert decision.number in body and 'data-testid="document-penalty_notice"' in body
    assert 'data-testid="step-execute"' in body and 'data-testid="step-withdraw"' not in body
    assert 'data-testid="fines-total">30' in body
    client.post(reverse("inspections:penalty_transition", args=[case.pk, "execute"]), {"note": "罚款已缴纳"})
    client.post(reverse("inspections:penalty_transition", args=[case.pk, "close"]))
    case.refresh_from_db()
    assert case.stage == PenaltyStage.CLOSED
    timeline = _body(client.get(reverse("inspections:penalty_detail", args=[case.pk])))
    assert "罚款已缴纳" in timeline and 'data-testid="step-' not in timeline
    listed = client.get(reverse("inspections:penalty_list"))
    row = listed.context["object_list"][0]
    assert row.fines_total == Decimal("30000") and 'data-testid="fines">30' in _body(listed)


def test_an_order_drafted_for_a_case(world: World, client_for: Any) -> None:
    inspection = inspect(world, fail=1)
    hazard = Hazard.objects.get(inspection=inspection)
    case = _case(world, [{"kind": PenaltyKind.WARNING}], inspection=inspection, hazard=hazard)
    client = client_for("yingji")
    assert 'data-testid="draft-document"' in _body(client.get(reverse("inspections:penalty_detail", args=[case.pk])))
    url = reverse("inspections:document_create") + f"?penalty={case.pk}"
    form = client.get(url)
    assert form.context["kind"] == DocumentKind.RECTIFICATION_ORDER
    assert [h.pk for h, ticked in form.context["hazard_rows"] if ticked] == [hazard.pk]
    response = client.post(url, {"hazards": [hazard.pk], "deadline": str(_today() + dt.timedelta(days=7))})
    document = EnforcementDocument.objects.get()
    assert response.status_code == 302 and document.penalty == case and document.inspection == inspection
    assert 'data-testid="case-link"' in _body(client.get(response["Location"]))
    assert client_for("zhen1").get(url).status_code == 200  # the town office inspects chem too
    assert client_for("qiye1").get(url).status_code == 403


def test_case_form_refusals_change_nothing(world: World, client_for: Any) -> None:
    chem = world.enterprises["chem"]
    client = client_for("yingji")
    url = reverse("inspections:penalty_create") + f"?enterprise={chem.pk}"
    base = {"violation_class": ViolationClass.ILLEGAL, "facts": "无证经营", "filed_on": str(_today())}
    fine_without_amount = client.post(url, {**base, **_items([{"kind": "fine"}])})
    assert fine_without_amount.status_code == 200 and fine_without_amount.context["form"].non_field_errors()
    other_licence = world.licences["build"].pk  # not offered: the form refuses it as a choice
    revoke = client.post(url, {**base, **_items([{"kind": "licence_revoke", "licence": other_licence}])})
    assert revoke.status_code == 200 and revoke.context["formset"].forms[0].errors["licence"]
    no_facts = client.post(url, {**base, "facts": "", **_items([])})
    assert no_facts.context["form"].errors["facts"]
    assert not PenaltyCase.objects.exists()
    # Picking the enterprise first.
    picker = client.get(reverse("inspections:penalty_create"), {"q": "鑫源"})
    assert [e.pk for e in picker.context["enterprises"]] == [chem.pk]


def test_a_refused_decision_changes_nothing(world: World, client_for: Any) -> None:
    yingji, licence = world.users["yingji"], world.licences["chem"]
    revoke = _case(world, [{"kind": PenaltyKind.LICENCE_REVOKE, "licence": licence.pk}])
    enforcement.do_notify_case(revoke, actor=yingji)
    enforcement.do_decide_case(revoke, actor=yingji)
    again = enforcement.do_notify_case(
        _case(world, [{"kind": PenaltyKind.LICENCE_WITHHOLD, "licence": licence.pk}]), actor=yingji
    )
    client = client_for("yingji")
    page = _body(client.get(reverse("inspections:penalty_detail", args=[again.pk])))
    assert str(Licence.objects.get(pk=licence.pk)) in page  # the decision's effect is named before pressing
    response = client.post(reverse("inspections:penalty_transition", args=[again.pk, "decide"]), follow=True)
    assert response.status_code == 200 and _messages(response)
    assert "alert-danger" in _body(response)
    again.refresh_from_db()
    assert again.stage == PenaltyStage.NOTIFIED and not again.documents.filter(kind="penalty_decision").exists()
    assert Licence.objects.get(pk=licence.pk).status == LicenceStatus.REVOKED


def test_withdrawing_needs_a_reason_and_other_departments_see_no_buttons(world: World, client_for: Any) -> None:
    case = _case(world, [{"kind": PenaltyKind.WARNING}])
    url = reverse("inspections:penalty_transition", args=[case.pk, "withdraw"])
    client = client_for("zhen1")  # sees chem, owns nothing: reads the case, presses nothing
    assert 'data-testid="actions"' not in _body(client.get(reverse("inspections:penalty_detail", args=[case.pk])))
    refused = client.post(url, {"note": "越权"}, follow=True)
    assert _messages(refused) and PenaltyCase.objects.get(pk=case.pk).stage == PenaltyStage.FILED
    client = client_for("yingji")
    blank = client.post(url, {"note": " "}, follow=True)
    assert _messages(blank) and PenaltyCase.objects.get(pk=case.pk).stage == PenaltyStage.FILED
    assert client.post(reverse("inspections:penalty_transition", args=[case.pk, "jail"])).status_code == 404
    client.post(url, {"note": "证据不足"})
    assert PenaltyCase.objects.get(pk=case.pk).stage == PenaltyStage.WITHDRAWN
    assert "证据不足" in _body(client.get(reverse("inspections:penalty_detail", args=[case.pk])))


def test_reinspection_not_rectified_through_the_page(world: World, client_for: Any) -> None:
    document = order(world, inspect(world, fail=2))
    reinspection = Reinspection.objects.get(order=document)
    client = client_for("yingji")
    listed = client.get(reverse("inspections:reinspection_list"))
    assert f'data-testid="record-{reinspection.pk}"' in _body(listed)
    url = reverse("inspections:reinspection_record", args=[reinspection.pk])
    silent = client.post(url, {"result": ReinspectionResult.NOT_RECTIFIED, "done_on": str(_today())})
    assert silent.status_code == 200 and silent.context["form"].errors["note"]
    assert Reinspection.objects.get(pk=reinspection.pk).status == ReinspectionStatus.PENDING
    done = client.post(
        url,
        {"result": ReinspectionResult.NOT_RECTIFIED, "done_on": str(_today()), "note": "报警装置仍未安装"},
        follow=True,
    )
    reinspection.refresh_from_db()
    assert reinspection.status == ReinspectionStatus.DONE and reinspection.opinion is not None
    case = PenaltyCase.objects.get(reinspection=reinspection)
    body = _body(done)
    assert reinspection.opinion.number in body and case.case_number in body
    assert 'data-testid="reinspection-form"' not in body
    assert client.post(url, {"result": "rectified", "done_on": str(_today())}).status_code == 302  # recorded once
    case_page = _body(client.get(reverse("inspections:penalty_detail", args=[case.pk])))
    assert 'data-testid="no-items"' in case_page and 'data-testid="step-notify"' not in case_page


def test_overdue_reinspection_is_red(world: World, client_for: Any) -> None:
    document = order(world, inspect(world), days=0)
    reinspection = Reinspection.objects.get(order=document)
    Reinspection.objects.filter(pk=reinspection.pk).update(due_on=_today() - dt.timedelta(days=1))
    body = _body(client_for("yingji").get(reverse("inspections:reinspection_list")))
    assert 'data-testid="overdue"' in body


def _decide_major(world: World, day: dt.date, key: str = "chem") -> PenaltyCase:
    case = enforcement.do_file_case(
        world.enterprises[key],
        violation_class=ViolationClass.IRREGULAR,
        facts="重大事故隐患未整改",
        items=[{"kind": PenaltyKind.FINE, "amount": 10000}],
        on_major_hazard=True,
        filed_on=day,
        actor=world.users["yingji"],
    )
    enforcement.do_notify_case(case, actor=world.users["yingji"])
    return enforcement.do_decide_case(case, actor=world.users["yingji"], decided_on=day)


def test_art113_badge_on_the_list_and_warning_on_the_case(world: World, client_for: Any) -> None:
    for days in (150, 60):
        _decide_major(world, _today() - dt.timedelta(days=days))
    _decide_major(world, _today() - dt.timedelta(days=200), key="factory")
    chem, factory = world.enterprises["chem"], world.enterprises["factory"]
    assert art113_reached([chem.pk, factory.pk], _today()) == {}
    third = _decide_major(world, _today())
    assert art113_reached([chem.pk, factory.pk], _today()) == {chem.pk: art113_windows(chem, _today())}
    client = client_for("yingji")
    listed = client.get(reverse("inspections:penalty_list"))
    flagged = {c.enterprise_id for c in listed.context["object_list"] if c.art113}
    assert flagged == {chem.pk} and 'data-testid="art113"' in _body(listed)
    page = _body(client.get(reverse("inspections:penalty_detail", args=[third.pk])))
    assert 'data-testid="art113"' in page and "180" in page


def test_list_query_counts_are_flat(world: World, client_for: Any, django_assert_max_num_queries: Any) -> None:
    inspection = inspect(world, fail=1)
    order(world, inspection)
    _case(world, [{"kind": PenaltyKind.FINE, "amount": 5}, {"kind": PenaltyKind.SUSPENSION}])
    client = client_for("yingji")
    names = ("document_list", "reinspection_list", "penalty_list")
    # The frame and the filter bar's choices take 9 (session, user, scope, regions, departments, notifications …);
    # then the count and the page, the cases' penalties and one Art.113 query for all the page's enterprises.
    limits = {"document_list": 14, "reinspection_list": 15, "penalty_list": 16}
    few = {}
    for name in names:
        client.get(reverse(f"inspections:{name}"))
        with django_assert_max_num_queries(limits[name]):
            few[name] = len(client.get(reverse(f"inspections:{name}")).context["object_list"])
    for _ in range(6):
        more = inspect(world, fail=1)
        order(world, more)
        _draft(world, more)
        _decide_major(world, _today())
        _case(world, [{"kind": PenaltyKind.LICENCE_WITHHOLD, "licence": world.licences["chem"].pk}])
    for name in names:
        with django_assert_max_num_queries(limits[name]):
            many = len(client.get(reverse(f"inspections:{name}")).context["object_list"])
        assert many > few[name], name
