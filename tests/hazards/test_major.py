"""Major hazards: report and governance plan before rectification, listing for supervision with numbered
notices (no gaps or duplicates under concurrency), suspension, resumption application reviewed within the SLA,
then written off and delisted (the enterprise resumes) or ordered to correct."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from anjian.core.events import EventCode
from anjian.core.exceptions import ActionError, InvalidInput
from anjian.core.models import AuditEvent
from anjian.enterprises.models import Enterprise
from anjian.hazards import actions, major
from anjian.hazards.choices import EvaluationKind, PhotoStage, SupervisionLevel
from anjian.hazards.models import Hazard, ResumptionApplication, SupervisionListing
from tests.hazards.helpers import GOVERNANCE, PLAN, REPORT, photo, register
from tests.world import World


def test_rectification_waits_for_report_and_plan(world: World) -> None:
    qiye1 = world.users["qiye1"]
    hazard = register(world, "major")
    with pytest.raises(InvalidInput):
        actions.do_start_rectification(hazard, plan=PLAN, actor=qiye1)
    with pytest.raises(InvalidInput) as incomplete:
        major.do_report_major_hazard(hazard, data={**REPORT, "approach": " "}, actor=qiye1)
    assert set(incomplete.value.field_errors) == {"approach"}
    with pytest.raises(ActionError):  # the report is the enterprise's
        major.do_report_major_hazard(hazard, data=REPORT, actor=world.users["yingji"])
    major.do_report_major_hazard(hazard, data=REPORT, actor=qiye1)
    with pytest.raises(InvalidInput):
        actions.do_start_rectification(hazard, plan=PLAN, actor=qiye1)
    major.do_prepare_governance_plan(hazard, data=GOVERNANCE, actor=qiye1)
    assert actions.do_start_rectification(hazard, plan=PLAN, actor=qiye1).status == "rectifying"
    general = register(world, "self")
    with pytest.raises(ActionError):  # only a major hazard has a report and a plan
        major.do_report_major_hazard(general, data=REPORT, actor=qiye1)


def test_listing_numbers_suspends_and_is_single(world: World) -> None:
    today = timezone.localdate()
    first, second = register(world, "major"), register(world, "major")
    anweiban = world.users["anweiban"]
    a = major.do_list_for_supervision(
        first,
        level=SupervisionLevel.COUNTY,
        deadline=today + dt.timedelta(days=60),
        suspend_enterprise=True,
        actor=anweiban,
    )
    b = major.do_list_for_supervision(
        second, level=SupervisionLevel.COUNTY, deadline=today + dt.timedelta(days=60), actor=anweiban
    )
    assert a.number == f"安澜县安委办督〔{today.year}〕1号" and b.number == f"安澜县安委办督〔{today.year}〕2号"
    assert Enterprise.objects.get(pk=world.enterprises["chem"].pk).status == "suspended"
    with pytest.raises(ActionError):
        major.do_list_for_supervision(
            first, level=SupervisionLevel.CITY, deadline=today + dt.timedelta(days=9), actor=anweiban
        )
    for persona in ("qiye1", "zhujian", "wangge1"):
        with pytest.raises(ActionError) as refused:
            major.do_list_for_supervision(
                register(world, "major"),
                level=SupervisionLevel.COUNTY,
                deadline=today + dt.timedelta(days=9),
                actor=world.users[persona],
            )
        assert refused.value.status == 403
    with pytest.raises(InvalidInput):
        major.do_list_for_supervision(
            register(world, "major"), level=SupervisionLevel.COUNTY, deadline=today, actor=anweiban
        )
    assert SupervisionListing.objects.count() == 2
    assert AuditEvent.objects.filter(event=EventCode.HAZARD_LISTED).count() == 2


@pytest.mark.django_db(transaction=True)
def test_simultaneous_listings_take_consecutive_numbers() -> None:
    from tests.world import build_world

    world = build_world()
    hazards = [register(world, "major") for _ in range(6)]
    deadline = timezone.localdate() + dt.timedelta(days=30)
    barrier = threading.Barrier(len(hazards))
    errors: list[BaseException] = []

    def act(hazard: Hazard, username: str) -> None:
        try:
            barrier.wait()
            major.do_list_for_supervision(
                hazard, level=SupervisionLevel.COUNTY, deadline=deadline, actor=world.users[username]
            )
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(h, "anweiban")) for h in hazards]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(SupervisionListing.objects.values_list("sequence", flat=True)) == [1, 2, 3, 4, 5, 6]


def test_resumption_review_writes_off_delists_and_resumes(world: World, settings: Any) -> None:
    settings.RESUMPTION_REVIEW_DAYS = 7
    qiye1, yingji = world.users["qiye1"], world.users["yingji"]
    hazard = register(world, "major")
    listing = major.do_list_for_supervision(
        hazard,
        level=SupervisionLevel.COUNTY,
        deadline=timezone.localdate() + dt.timedelta(days=90),
        suspend_enterprise=True,
        actor=yingji,
    )
    major.do_report_major_hazard(hazard, data=REPORT, actor=qiye1)
    major.do_prepare_governance_plan(hazard, data=GOVERNANCE, actor=qiye1)
    hazard = actions.do_start_rectification(hazard, plan=PLAN, actor=qiye1)
    actions.do_add_hazard_photo(hazard, upload=photo(), stage=PhotoStage.AFTER, actor=qiye1)
    with pytest.raises(InvalidInput):  # a major hazard is submitted with its evaluation
        actions.do_submit_rectification(hazard, rectification="改造完成", actor=qiye1)
    with pytest.raises(InvalidInput):  # an agency's evaluation names the agency
        major.do_apply_resumption(
            hazard, evaluation_kind=EvaluationKind.EVALUATOR, evaluation="合格", rectification="改造完成", actor=qiye1
        )
    application = major.do_apply_resumption(
        hazard, evaluation_kind=EvaluationKind.SELF, evaluation="专家评估合格", rectification="改造完成", actor=qiye1
    )
    assert application.review_due == timezone.localdate() + dt.timedelta(days=7)
    assert not application.review_overdue() and application.review_overdue(
        application.review_due + dt.timedelta(days=1)
    )
    hazard = actions.do_reject_rectification(hazard, reason="紧急切断未联调，责令改正", actor=yingji)
    application.refresh_from_db()
    assert hazard.status == "rectifying" and application.approved is False
    assert SupervisionListing.objects.get(pk=listing.pk).status == "listed"
    assert Enterprise.objects.get(pk=hazard.enterprise_id).status == "suspended"
    major.do_apply_resumption(
        hazard,
        evaluation_kind=EvaluationKind.EVALUATOR,
        evaluator="江西某安全评价有限公司",
        evaluation="评价合格",
        rectification="已联调",
        actor=qiye1,
    )
    hazard = actions.do_accept_rectification(hazard, note="现场审查通过，同意核销", actor=yingji)
    assert hazard.status == "closed"
    assert list(ResumptionApplication.objects.filter(hazard=hazard).values_list("approved", flat=True)) == [True, False]
    listing.refresh_from_db()
    assert listing.status == "delisted" and listing.delisted_at is not None
    assert Enterprise.objects.get(pk=hazard.enterprise_id).status == "operating"  # 准予复产
    timeline = list(hazard.transitions.values_list("action", flat=True))
    assert timeline[:2] == ["register", "list"] and timeline[-2:] == ["submit", "accept"]


def test_major_branch_through_the_pages(world: World, client_for: Any) -> None:
    today = timezone.localdate()
    hazard = register(world, "major")
    url = f"/hazards/{hazard.pk}/"
    assert client_for("zhujian").get(f"{url}listing/").status_code == 404
    assert client_for("zhujian").get(f"{url}report/").status_code == 404
    anweiban = client_for("anweiban")
    form = anweiban.get(f"{url}listing/").content.decode()
    assert f'type="date" name="served_on" value="{today.isoformat()}"' in form  # ISO, or the picker shows blank
    page = anweiban.get(url).content.decode()
    assert 'data-testid="list-for-supervision"' in page and 'data-testid="major-report"' not in page
    listed = anweiban.post(
        f"{url}listing/",
        {
            "level": "county",
            "deadline": str(today + dt.timedelta(days=60)),
            "served_on": str(today),
            "suspend_enterprise": "on",
        },
    )
    assert listed.status_code == 302
    assert SupervisionListing.objects.get(hazard=hazard).number == f"安澜县安委办督〔{today.year}〕1号"
    qiye1 = client_for("qiye1")
    assert qiye1.get(f"{url}listing/").status_code == 302  # not theirs to list: back to the hazard
    bad = qiye1.post(f"{url}report/", {**REPORT, "approach": ""})
    assert bad.status_code == 200 and "approach" in bad.context["form"].errors
    assert qiye1.post(f"{url}report/", REPORT).status_code == 302
    assert qiye1.post(f"{url}plan/", GOVERNANCE).status_code == 302
    started = qiye1.post(f"{url}start/", {**PLAN, "deadline": str(hazard.deadline)})
    assert started.status_code == 302, started.context["form"].errors if started.context else started
    submitted = qiye1.post(
        f"{url}submit/",
        {"rectification": "改造完成", "photo": photo(), "evaluation_kind": "self", "evaluation": "专家评估合格"},
    )
    assert submitted.status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == "awaiting_acceptance" and hazard.resumptions.count() == 1
    detail = client_for("yingji").get(url).content.decode()
    assert 'data-testid="listing"' in detail and 'data-testid="resumptions"' in detail
    accepted = client_for("yingji").post(f"{url}accept/", {"note": "现场审查通过"})
    assert accepted.status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == "closed" and Enterprise.objects.get(pk=hazard.enterprise_id).status == "operating"


def test_major_branch_through_the_api(world: World, client_for: Any) -> None:
    import json

    def post(client: Any, url: str, body: dict[str, Any]) -> Any:
        return client.post(url, json.dumps(body, default=str), content_type="application/json")

    today = timezone.localdate()
    hazard = register(world, "major")
    base = f"/api/v1/hazards/{hazard.pk}"

    def qiye1_() -> Any:
        return client_for("qiye1")

    def anweiban_() -> Any:
        return client_for("anweiban")

    assert post(qiye1_(), f"{base}/listings", {"deadline": today + dt.timedelta(days=30)}).status_code == 403
    listed = post(anweiban_(), f"{base}/listings", {"level": "county", "deadline": today + dt.timedelta(days=30)})
    assert listed.status_code == 201 and listed.json()["listings"][0]["number"].endswith(f"〔{today.year}〕1号")
    assert post(anweiban_(), f"{base}/listings", {"deadline": today + dt.timedelta(days=30)}).status_code == 409
    assert post(qiye1_(), f"{base}/major-report", {**REPORT, "approach": ""}).status_code == 422
    assert post(qiye1_(), f"{base}/major-report", REPORT).json()["major_report"]["approach"] == REPORT["approach"]
    assert post(qiye1_(), f"{base}/governance-plan", GOVERNANCE).status_code == 200
    started = post(qiye1_(), f"{base}/transitions", {"action": "start", "plan": {**PLAN, "funds": "5000"}})
    assert started.status_code == 200, started.content
    assert qiye1_().post(f"{base}/photos", {"stage": "after", "photo": photo()}).status_code == 201
    applied = post(
        qiye1_(), f"{base}/resumption", {"evaluation_kind": "self", "evaluation": "合格", "rectification": "完成"}
    )
    assert applied.status_code == 200 and applied.json()["status"] == "awaiting_acceptance"
    assert applied.json()["resumptions"][0]["review_overdue"] is False
    assert client_for("zhujian").get(base).status_code == 404


def test_ledger_filters_listed_and_overdue_reviews(world: World, client_for: Any, settings: Any) -> None:
    settings.RESUMPTION_REVIEW_DAYS = 1
    qiye1, yingji = world.users["qiye1"], world.users["yingji"]
    listed = register(world, "major")
    major.do_list_for_supervision(
        listed, level=SupervisionLevel.COUNTY, deadline=timezone.localdate() + dt.timedelta(days=30), actor=yingji
    )
    waiting = register(world, "major")
    major.do_report_major_hazard(waiting, data=REPORT, actor=qiye1)
    major.do_prepare_governance_plan(waiting, data=GOVERNANCE, actor=qiye1)
    actions.do_start_rectification(waiting, plan=PLAN, actor=qiye1)
    actions.do_add_hazard_photo(waiting, upload=photo(), stage=PhotoStage.AFTER, actor=qiye1)
    earlier = timezone.now() - dt.timedelta(days=5)
    major.do_apply_resumption(
        waiting, evaluation_kind=EvaluationKind.SELF, evaluation="合格", rectification="完成", actor=qiye1, at=earlier
    )
    client = client_for("anweiban")
    ids = lambda query: {h.pk for h in client.get(f"/hazards/?{query}").context["object_list"]}  # noqa: E731
    assert ids("supervision=listed") == {listed.pk}
    assert ids("supervision=review_due") == {waiting.pk} == ids("supervision=review_overdue")
