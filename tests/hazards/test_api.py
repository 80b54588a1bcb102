"""The hazard API: scope (404 outside it), allowed_actions, registration with structured errors, transitions
with 409/403, idempotent retries, photo uploads."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from anjian.core.scoping import access
from anjian.hazards import actions, rules
from anjian.hazards.models import Hazard, HazardPhoto, HazardTransition
from tests.hazards.helpers import hazard_data, in_state, photo
from tests.world import World

PERSONAS = list(World.VISIBLE)


def one_per_enterprise(world: World) -> dict[str, Hazard]:
    made = {}
    for key, enterprise in world.enterprises.items():
        finder = world.users["neighbour_officer" if key == "neighbour" else "anweiban"]
        data = hazard_data(source="government_inspection")
        made[key] = actions.do_register_hazard(enterprise, data=data, actor=finder)
    return made


def post_json(client: Any, url: str, body: dict[str, Any], **headers: Any) -> Any:
    return client.post(url, json.dumps(body, default=str), content_type="application/json", **headers)


@pytest.mark.parametrize("persona", PERSONAS)
def test_scope_of_list_detail_and_changes(world: World, client_for: Any, persona: str) -> None:
    hazards = one_per_enterprise(world)
    worker_report = actions.do_register_hazard(
        world.enterprises["chem"], data=hazard_data(), actor=world.users["zhigong1"]
    )
    visible = {hazards[k].pk for k in World.VISIBLE[persona]}
    if persona in ("zhigong1",):
        visible = {worker_report.pk}  # a worker sees only their own reports
    elif "chem" in World.VISIBLE[persona]:
        visible.add(worker_report.pk)
    client = client_for(persona)
    listed = client.get("/api/v1/hazards?page_size=100").json()
    assert {item["id"] for item in listed["items"]} == visible
    for hazard in [*hazards.values(), worker_report]:
        detail = client.get(f"/api/v1/hazards/{hazard.pk}")
        if hazard.pk in visible:
            assert detail.status_code == 200
            continue
        assert detail.status_code == 404, (persona, hazard.enterprise.name)
        moved = post_json(client, f"/api/v1/hazards/{hazard.pk}/transitions", {"action": "void", "note": "x"})
        assert moved.status_code == 404
        upload = client.post(f"/api/v1/hazards/{hazard.pk}/photos", {"stage": "before", "photo": photo()})
        assert upload.status_code == 404
        assert Hazard.objects.get(pk=hazard.pk).status == "registered"
    assert not HazardPhoto.objects.exists()


def test_detail_carries_status_and_allowed_actions(world: World, client_for: Any) -> None:
    hazard = in_state(world, "major", "awaiting_acceptance")
    body = client_for("anweiban").get(f"/api/v1/hazards/{hazard.pk}").json()
    assert body["status"] == "awaiting_acceptance" and body["allowed_actions"] == ["accept", "reject", "void"]
    assert [t["action"] for t in body["transitions"]] == [
        "register",
        "report",
        "plan",
        "start",
        "apply_resumption",
        "submit",
    ]
    assert len(body["photos"]) == 1 and body["photos"][0]["stage"] == "after"
    assert client_for("qiye1").get(f"/api/v1/hazards/{hazard.pk}").json()["allowed_actions"] == []


def test_register_through_the_api(world: World, client_for: Any) -> None:
    client = client_for("qiye1")
    today = timezone.localdate()
    body = {
        "enterprise": world.enterprises["chem"].pk,
        "source": "daily",
        "hazard_type": "electrical",
        "management_class": "thing",
        "description": "配电室门口堆放杂物",
        "location": "配电室",
        "found_on": str(today),
        "deadline": str(today + dt.timedelta(days=5)),
    }
    created = post_json(client, "/api/v1/hazards", body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert created.status_code == 201, created.content
    again = post_json(client, "/api/v1/hazards", body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 201 and again.json()["id"] == created.json()["id"]
    assert Hazard.objects.count() == 1
    hazard = Hazard.objects.get()
    assert hazard.hazard_type.code == "electrical" and hazard.found_by == world.users["qiye1"]
    assert created.json()["allowed_actions"] == ["start", "request_extension"]

    bad = post_json(client, "/api/v1/hazards", {**body, "found_on": str(today + dt.timedelta(days=2))})
    assert bad.status_code == 422 and "found_on" in bad.json()["errors"]
    unknown = post_json(client, "/api/v1/hazards", {**body, "hazard_type": "nope"})
    assert unknown.status_code == 422 and "hazard_type" in unknown.json()["errors"]
    wrong = post_json(client, "/api/v1/hazards", {**body, "management_class": "nope"})
    assert wrong.status_code == 422 and "management_class" in wrong.json()["errors"]
    foreign = post_json(client, "/api/v1/hazards", {**body, "enterprise": world.enterprises["build"].pk})
    assert foreign.status_code == 404
    assert Hazard.objects.count() == 1


def test_walk_the_workflow_through_the_api(world: World, client_for: Any) -> None:
    hazard = actions.do_register_hazard(
        world.enterprises["chem"],
        data=hazard_data(deadline=None, source="government_inspection"),
        actor=world.users["yingji"],
    )
    qiye1 = client_for("qiye1")
    url = f"/api/v1/hazards/{hazard.pk}/transitions"
    incomplete = post_json(
        qiye1,
        url,
        {"action": "start", "plan": {"measures": "更换", "responsible_person": "李", "contingency_plan": "有"}},
    )
    assert incomplete.status_code == 422 and {"funds", "deadline"} <= set(incomplete.json()["errors"])
    plan = {
        "measures": "更换探头",
        "responsible_person": "李志强",
        "funds": "1200.00",
        "deadline": str(timezone.localdate() + dt.timedelta(days=9)),
        "contingency_plan": "加密巡检",
    }
    started = post_json(qiye1, url, {"action": "start", "plan": plan})
    assert started.status_code == 200 and started.json()["status"] == "rectifying"
    no_evidence = post_json(qiye1, url, {"action": "submit", "note": "已更换"})
    assert no_evidence.status_code == 422 and "photo" in no_evidence.json()["errors"]
    uploaded = qiye1.post(f"/api/v1/hazards/{hazard.pk}/photos", {"stage": "after", "photo": photo()})
    assert uploaded.status_code == 201 and uploaded.json()["stage"] == "after"
    not_a_photo = qiye1.post(
        f"/api/v1/hazards/{hazard.pk}/photos", {"stage": "after", "photo": photo_bytes(b"not an image")}
    )
    assert not_a_photo.status_code == 422 and "photo" in not_a_photo.json()["errors"]
    submitted = post_json(qiye1, url, {"action": "submit", "note": "已更换"}, HTTP_IDEMPOTENCY_KEY="s-1")
    assert submitted.status_code == 200 and submitted.json()["status"] == "awaiting_acceptance"
    retried = post_json(qiye1, url, {"action": "submit", "note": "已更换"}, HTTP_IDEMPOTENCY_KEY="s-1")
    assert retried.status_code == 200 and retried.json()["status"] == "awaiting_acceptance"  # replayed, not refused
    assert HazardTransition.objects.filter(hazard=hazard, action="submit").count() == 1
    by_enterprise = post_json(qiye1, url, {"action": "accept"})
    assert by_enterprise.status_code == 403  # a department found it: the department accepts
    accepted = post_json(client_for("yingji"), url, {"action": "accept", "note": "现场验收合格"})
    assert accepted.status_code == 200 and accepted.json()["status"] == "closed"
    late = post_json(client_for("yingji"), url, {"action": "reject", "note": "再看"})
    assert late.status_code == 409 and late.json()["code"] == "invalid_transition"
    assert "已" in late.json()["detail"]  # the reason names the current status, in Chinese
    unknown = post_json(client_for("yingji"), url, {"action": "explode"})
    assert unknown.status_code == 422


def photo_bytes(content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("x.jpg", content, content_type="image/jpeg")


def test_openapi_lists_the_hazard_paths(client: Any, db: Any) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/hazards",
        "/api/v1/hazards/{hazard_id}",
        "/api/v1/hazards/{hazard_id}/transitions",
        "/api/v1/stats/hazards",
    ):
        assert path in schema["paths"], path


def test_a_general_hazards_detail_reads_what_it_shows_once(
    world: World, client_for: Any, django_assert_num_queries: Any
) -> None:
    """Session, user, remit, the hazard, its photos, transitions and pending extension: no major-hazard branch
    (a general hazard has none), no second look at the scope the hazard was just read through (for 'void')."""
    hazard = one_per_enterprise(world)["chem"]
    client = client_for("yingji")
    client.get(f"/api/v1/hazards/{hazard.pk}")  # the session's first touch is written once
    with django_assert_num_queries(7):
        body = client.get(f"/api/v1/hazards/{hazard.pk}").json()
    assert body["allowed_actions"] == ["void"] and body["pending_extension"] is None
    assert body["major_report"] is None and body["listings"] == [] and body["resumptions"] == []
    with django_assert_num_queries(8):  # + the unread notifications in the frame
        page = client.get(f"/hazards/{hazard.pk}/")
    assert [b["action"] for b in page.context["buttons"]] == ["void"]


def test_a_rule_trusts_the_scope_only_of_the_user_it_was_read_through(
    world: World, django_assert_num_queries: Any
) -> None:
    hazard = one_per_enterprise(world)["chem"]
    yingji, zhujian = world.users["yingji"], world.users["zhujian"]
    with pytest.raises(Http404):
        access(Hazard, zhujian, hazard.pk)  # (reads zhujian's remit once)
    read = access(Hazard, yingji, hazard.pk)
    with django_assert_num_queries(0):
        assert rules.supervises(yingji, read)
    with django_assert_num_queries(1):  # another department, whose remit leaves the chemical works out
        assert not rules.supervises(zhujian, read)
    fresh = Hazard.objects.get(pk=hazard.pk)
    with django_assert_num_queries(1):  # not read through a scope
        assert rules.supervises(yingji, fresh)


def test_a_refreshed_hazard_reads_its_pending_extension_again(world: World) -> None:
    hazard = in_state(world, "self", "rectifying")
    assert hazard.pending_extension is None and hazard.deadline is not None
    actions.do_request_extension(
        hazard, deadline=hazard.deadline + dt.timedelta(days=10), reason="备件到货延迟", actor=world.users["qiye1"]
    )
    assert hazard.pending_extension is None  # read once per object …
    hazard.refresh_from_db()
    assert hazard.pending_extension is not None  # … until the object is refreshed
