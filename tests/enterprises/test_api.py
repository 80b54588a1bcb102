"""The enterprise API: the page's FilterSet and validation, JSON errors, idempotent creation, no N+1."""

from __future__ import annotations

import json
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from anjian.enterprises import uscc
from anjian.enterprises.models import Enterprise
from tests.world import World


def _payload(**changes: Any) -> dict[str, Any]:
    first17 = "91360431MA35E000"
    first17 += uscc.org_check_character(first17[8:16])
    data = {
        "uscc": first17 + uscc.check_character(first17),
        "name": "接口登记化工有限公司",
        "industry": "0103",
        "tags": ["major_hazard"],
        "scale": "micro",
        "ownership": "private",
        "region": "360431101201",
        "grid": "360431101201-G1",
        "address": "枫林村 3 号",
        "principal_name": "孙七",
        "established_on": "2020-05-06",
    }
    data.update(changes)
    return data


def _post(client: Any, payload: dict[str, Any], **headers: Any) -> Any:
    return client.post("/api/v1/enterprises", json.dumps(payload), content_type="application/json", **headers)


def test_create_validates_like_the_page_and_answers_201(world: World, client_for: Any) -> None:
    client = client_for("yingji")
    response = _post(client, _payload())
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "operating" and body["allowed_actions"] == ["suspend", "close"]
    assert body["industry"]["code"] == "0103" and body["industry_category"]["code"] == "01"
    assert body["tags"] == ["major_hazard"] and body["grid"]["code"] == "360431101201-G1"


def test_create_errors_are_structured_and_change_nothing(world: World, client_for: Any) -> None:
    client = client_for("yingji")
    before = Enterprise.objects.count()
    response = _post(client, _payload(uscc="123", industry="0501", region="360432101201"))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and set(body["errors"]) >= {"uscc", "industry", "region"}
    assert Enterprise.objects.count() == before
    malformed = client.post("/api/v1/enterprises", "{not json", content_type="application/json")
    assert malformed.status_code in (400, 422) and "code" in malformed.json()


def test_create_needs_the_permission(world: World, client_for: Any) -> None:
    response = _post(client_for("qiye1"), _payload())
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_idempotency_key_makes_retries_safe(world: World, client_for: Any) -> None:
    client = client_for("yingji")
    first = _post(client, _payload(), HTTP_IDEMPOTENCY_KEY="abc-123")
    again = _post(client, _payload(), HTTP_IDEMPOTENCY_KEY="abc-123")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Enterprise.objects.filter(name="接口登记化工有限公司").count() == 1
    other = _post(client, _payload(name="另一家"), HTTP_IDEMPOTENCY_KEY="abc-123")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"


def test_filters_are_the_pages_filters(world: World, client_for: Any) -> None:
    client = client_for("anweiban")
    assert client.get("/api/v1/enterprises?industry=0101").json()["count"] == 1
    assert client.get("/api/v1/enterprises?tag=crowded_place").json()["count"] == 2
    assert client.get(f"/api/v1/enterprises?region={world.regions['town2'].code}").json()["count"] == 2
    assert client.get("/api/v1/enterprises?q=化工").json()["count"] == 1
    bad = client.get("/api/v1/enterprises?status=nonsense")
    assert bad.status_code == 422 and "status" in bad.json()["errors"]


def test_transition_endpoint(world: World, client_for: Any) -> None:
    client = client_for("yingji")
    url = f"/api/v1/enterprises/{world.enterprises['chem'].pk}/transitions"
    ok = client.post(url, json.dumps({"action": "suspend", "note": "重大隐患"}), content_type="application/json")
    assert (
        ok.status_code == 200
        and ok.json()["status"] == "suspended"
        and ok.json()["allowed_actions"] == ["resume", "close"]
    )
    again = client.post(url, json.dumps({"action": "suspend", "note": "x"}), content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"
    no_reason = client.post(url, json.dumps({"action": "resume", "note": ""}), content_type="application/json")
    assert no_reason.status_code == 422


def test_list_query_count_does_not_grow_with_rows(world: World, client_for: Any) -> None:
    client = client_for("admin")
    client.get("/api/v1/enterprises")  # warm caches (content types, catalogue)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/enterprises?page_size=2")
    with CaptureQueriesContext(connection) as many:
        client.get("/api/v1/enterprises?page_size=100")
    assert len(many) == len(few) <= 8


def test_openapi_lists_the_filters_and_endpoints(world: World, client_for: Any) -> None:
    schema = client_for("anweiban").get("/api/v1/openapi.json").json()
    assert "/api/v1/enterprises" in schema["paths"] and "/api/v1/auth/token" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/enterprises"]["get"]["parameters"]}
    assert {"region", "industry", "tag", "scale", "status", "q", "page"} <= parameters
