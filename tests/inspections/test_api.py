"""The inspection and enforcement API end to end: start → results → complete → order → issue → serve; a case
filed, notified and decided; structured errors, 409 on a refused move, 404 outside the caller's scope."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone

from anjian.enterprises.choices import EnterpriseStatus
from anjian.inspections.models import Campaign, EnforcementDocument, Inspection, PenaltyCase
from tests.inspections.helpers import inspect, order
from tests.world import World

YEAR = timezone.localdate().year


def post_json(client: Any, url: str, body: Any, **headers: Any) -> Any:
    return client.post(url, json.dumps(body, default=str), content_type="application/json", **headers)


def test_field_work_and_paperwork_through_the_api(world: World, client_for: Any) -> None:
    chem = world.enterprises["chem"]
    client = client_for("yingji")
    started = post_json(
        client,
        "/api/v1/inspections",
        {
            "enterprise": chem.pk,
            "kind": "routine",
            "officers": [world.users["yingji2"].pk],
            "latitude": 29.21,
            "longitude": 115.93,
        },
        HTTP_IDEMPOTENCY_KEY="start-1",
    )
    assert started.status_code == 201, started.content
    body = started.json()
    again = post_json(
        client,
        "/api/v1/inspections",
        {
            "enterprise": chem.pk,
            "kind": "routine",
            "officers": [world.users["yingji2"].pk],
            "latitude": 29.21,
            "longitude": 115.93,
        },
        HTTP_IDEMPOTENCY_KEY="start-1",
    )
    assert again.json()["id"] == body["id"] and Inspection.objects.count() == 1  # a retry never duplicates
    assert [o["certificate"] for o in body["officers"]] == ["36040001", "36040002"] and body["may_record"]
    checklist = client.get(f"/api/v1/checklists/{body['checklist']}").json()
    items = checklist["items"]
    major_item = next(i for i in items if i["clause"] and i["clause"]["proposes_major"])
    plain_item = next(i for i in items if not i["clause"] or not i["clause"]["proposes_major"])
    url = f"/api/v1/inspections/{body['id']}"
    bad = post_json(client, f"{url}/results", {"item": plain_item["id"], "result": "fail"})
    assert bad.status_code == 422 and "note" in bad.json()["errors"]
    failed = post_json(client, f"{url}/results", {"item": major_item["id"], "result": "fail", "note": "未设报警"})
    assert failed.status_code == 201 and failed.json()["level"] == "major"
    post_json(client, f"{url}/results", {"item": plain_item["id"], "result": "fail", "note": "通道堵塞"})
    missing_deadline = post_json(client, f"{url}/complete", {"enterprise_signer": "张三"})
    assert missing_deadline.status_code == 422 and "deadline" in missing_deadline.json()["errors"]
    deadline = timezone.localdate() + dt.timedelta(days=10)
    done = post_json(client, f"{url}/complete", {"enterprise_signer": "张三", "deadline": deadline})
    assert done.status_code == 200 and done.json()["status"] == "completed" and len(done.json()["hazards"]) == 2
    assert not done.json()["may_record"]

    drafted = post_json(
        client,
        "/api/v1/enforcement-documents",
        {
            "kind": "rectification_order",
            "enterprise": chem.pk,
            "inspection": body["id"],
            "hazards": done.json()["hazards"],
            "deadline": deadline,
        },
    )
    assert drafted.status_code == 201 and drafted.json()["status"] == "draft" and drafted.json()["number"] == ""
    document = drafted.json()["id"]
    issued = post_json(client, f"/api/v1/enforcement-documents/{document}/issue", {})
    assert issued.status_code == 200 and issued.json()["number"] == f"安澜县应急责改〔{YEAR}〕1号"
    assert len(issued.json()["content_hash"]) == 64
    assert post_json(client, f"/api/v1/enforcement-documents/{document}/issue", {}).status_code == 409
    future = post_json(
        client,
        f"/api/v1/enforcement-documents/{document}/serve",
        {"served_on": timezone.localdate() + dt.timedelta(days=1), "received_by": "张三"},
    )
    assert future.status_code == 422 and "served_on" in future.json()["errors"]
    served = post_json(
        client,
        f"/api/v1/enforcement-documents/{document}/serve",
        {"served_on": timezone.localdate(), "received_by": "张三"},
    )
    assert served.json()["status"] == "served"
    reinspections = client.get("/api/v1/reinspections").json()["items"]
    assert [r["order"]["number"] for r in reinspections] == [issued.json()["number"]]
    # The enterprise reads its issued order; a 住建 inspector does not know it exists.
    assert client_for("qiye1").get(f"/api/v1/enforcement-documents/{document}").status_code == 200
    assert client_for("zhujian").get(f"/api/v1/enforcement-documents/{document}").status_code == 404
    assert client_for("zhigong1").get(f"/api/v1/enforcement-documents/{document}").status_code == 404


def test_penalty_case_through_the_api(world: World, client_for: Any) -> None:
    chem = world.enterprises["chem"]
    client = client_for("yingji")
    bad = post_json(
        client,
        "/api/v1/penalties",
        {"enterprise": chem.pk, "violation_class": "illegal", "facts": "x", "items": [{"kind": "fine"}]},
    )
    assert bad.status_code == 422 and "items" in bad.json()["errors"] and not PenaltyCase.objects.exists()
    filed = post_json(
        client,
        "/api/v1/penalties",
        {
            "enterprise": chem.pk,
            "violation_class": "illegal",
            "facts": "未取得许可擅自经营",
            "items": [{"kind": "fine", "amount": "30000"}, {"kind": "suspension"}],
        },
    )
    assert filed.status_code == 201, filed.content
    case = filed.json()
    assert case["case_number"] == f"安澜县应急罚立〔{YEAR}〕1号" and case["allowed_actions"] == ["notify", "withdraw"]
    url = f"/api/v1/penalties/{case['id']}/transitions"
    proposed = post_json(client, f"/api/v1/penalties/{case['id']}/items", [{"kind": "warning"}])
    assert [i["kind"] for i in proposed.json()["items"]] == ["warning"]
    post_json(
        client, f"/api/v1/penalties/{case['id']}/items", [{"kind": "fine", "amount": "30000"}, {"kind": "suspension"}]
    )
    assert post_json(client, url, {"action": "decide"}).status_code == 409  # the notice comes first
    assert post_json(client, url, {"action": "jail"}).status_code == 422
    assert client_for("qiye1").get(f"/api/v1/penalties/{case['id']}").status_code == 404  # not notified yet
    client = client_for("yingji")
    assert post_json(client, url, {"action": "notify"}).json()["stage"] == "notified"
    decided = post_json(client, url, {"action": "decide"}).json()
    assert decided["stage"] == "decided"
    assert {d["kind"] for d in decided["documents"]} == {"penalty_notice", "penalty_decision"}
    chem.refresh_from_db()
    assert chem.status == EnterpriseStatus.SUSPENDED
    assert client_for("qiye1").get(f"/api/v1/penalties/{case['id']}").status_code == 200
    assert post_json(client_for("anweiban"), url, {"action": "execute"}).status_code == 403  # not its case


@pytest.mark.parametrize("persona", ["zhujian", "neighbour_officer", "zhigong1", "xiaofang"])
def test_out_of_scope_is_404(world: World, client_for: Any, persona: str) -> None:
    inspection = inspect(world)
    document = order(world, inspection)
    client = client_for(persona)
    assert client.get(f"/api/v1/inspections/{inspection.pk}").status_code == 404
    assert client.get(f"/api/v1/enforcement-documents/{document.pk}").status_code == 404
    assert (
        post_json(client, f"/api/v1/enforcement-documents/{document.pk}/serve", {"served_on": "2026-01-01"}).status_code
        == 404
    )
    assert post_json(client, f"/api/v1/inspections/{inspection.pk}/complete", {}).status_code == 404
    assert client.get("/api/v1/inspections").json()["items"] == []
    assert client.get("/api/v1/enforcement-documents").json()["items"] == []
    assert EnforcementDocument.objects.get(pk=document.pk).status == "issued"


def test_catalogue_campaigns_and_plans(world: World, client_for: Any) -> None:
    client = client_for("yingji")
    standards = client.get("/api/v1/criteria-standards").json()
    gm = next(s for s in standards if s["code"] == "gm-10")
    assert gm["document_no"] == "应急管理部令第10号" and gm["major_criteria"] and gm["clause_count"] == 20
    detail = client.get(f"/api/v1/criteria-standards/{gm['id']}").json()
    assert any(c["wording_unconfirmed"] for c in detail["clauses"])  # 第十三、十四条: marked
    fitting = client.get(f"/api/v1/checklists?enterprise={world.enterprises['chem'].pk}").json()
    assert {c["code"] for c in fitting} == {"hg", "general"}
    campaign = post_json(
        client,
        "/api/v1/campaigns",
        {
            "kind": "crackdown",
            "title": "打非治违专项行动",
            "region": "360431000000",
            "start": timezone.localdate() - dt.timedelta(days=10),
            "end": timezone.localdate() + dt.timedelta(days=50),
            "industries": ["01"],
        },
    )
    assert campaign.status_code == 201, campaign.content
    assert campaign.json()["enterprises_in_scope"] == 1 and campaign.json()["enterprises_inspected"] == 0
    inspect(world, campaign=Campaign.objects.get(pk=campaign.json()["id"]))
    again = client.get(f"/api/v1/campaigns/{campaign.json()['id']}").json()
    assert again["enterprises_inspected"] == 1 and again["visits"] == 1
    wrong = post_json(
        client,
        "/api/v1/campaigns",
        {"kind": "crackdown", "title": "x", "region": "360432000000", "start": "2026-01-02", "end": "2026-01-01"},
    )
    assert wrong.status_code == 422 and "region" in wrong.json()["errors"]
    plan = post_json(client, "/api/v1/inspection-plans", {"year": YEAR, "random_share": "0.5", "seed": 42})
    assert plan.status_code == 201 and plan.json()["seed"] == 42
    planned = {t["enterprise"]["name"]: t for t in plan.json()["targets"]}
    assert (
        planned["江西鑫源化工有限公司"]["planned"] == 12 and not planned["江西鑫源化工有限公司"]["drawn"]
    )  # 危化, 未定级
    assert client_for("qiye1").get(f"/api/v1/inspection-plans/{plan.json()['id']}").status_code == 404
    assert client_for("zhujian").get(f"/api/v1/campaigns/{campaign.json()['id']}").status_code == 200  # county drive
    assert client_for("qiye1").get(f"/api/v1/campaigns/{campaign.json()['id']}").status_code == 404
