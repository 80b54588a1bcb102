"""Scoping is security: every page and endpoint that shows or changes one object answers 404 to a persona for
whom the object is out of scope, and lists show exactly the persona's scope (pages and API alike)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from anjian.core.choices import JobKind
from anjian.core.models import Job
from anjian.enterprises.models import Enterprise
from tests.world import World

PERSONAS = [p for p in World.VISIBLE if p != "admin"]

# (name, method, url builder given an out-of-scope enterprise and its licence)
ENTERPRISE_ROUTES = [
    ("page detail", "get", lambda e, lic: reverse("enterprises:detail", args=[e.pk])),
    ("page edit", "get", lambda e, lic: reverse("enterprises:edit", args=[e.pk])),
    ("page edit post", "post", lambda e, lic: reverse("enterprises:edit", args=[e.pk])),
    ("page suspend", "post", lambda e, lic: reverse("enterprises:transition", args=[e.pk, "suspend"])),
    ("page licence add", "get", lambda e, lic: reverse("enterprises:licence_create", args=[e.pk])),
    ("page licence edit", "get", lambda e, lic: reverse("enterprises:licence_edit", args=[e.pk, lic.pk])),
    (
        "page licence withhold",
        "post",
        lambda e, lic: reverse("enterprises:licence_transition", args=[e.pk, lic.pk, "withhold"]),
    ),
    ("api detail", "get", lambda e, lic: f"/api/v1/enterprises/{e.pk}"),
    ("api transition", "post_json", lambda e, lic: f"/api/v1/enterprises/{e.pk}/transitions"),
]


def _hidden_enterprise(world: World, persona: str) -> str:
    return next(key for key in world.enterprises if key not in World.VISIBLE[persona])


def _call(client: Any, method: str, url: str) -> Any:
    if method == "get":
        return client.get(url)
    if method == "post":
        return client.post(url, {"reason": "test", "name": "x"})
    return client.post(url, json.dumps({"action": "suspend", "note": "test"}), content_type="application/json")


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("route", "method", "url"), ENTERPRISE_ROUTES, ids=[r[0] for r in ENTERPRISE_ROUTES])
def test_out_of_scope_enterprise_is_404(
    world: World, client_for: Any, persona: str, route: str, method: str, url: Any
) -> None:
    key = _hidden_enterprise(world, persona)
    enterprise, licence = world.enterprises[key], world.licences[key]
    status_before = Enterprise.objects.get(pk=enterprise.pk).status
    response = _call(client_for(persona), method, url(enterprise, licence))
    assert response.status_code == 404, (persona, route, key, response.status_code)
    assert Enterprise.objects.get(pk=enterprise.pk).status == status_before


@pytest.mark.parametrize("persona", [p for p in PERSONAS if World.VISIBLE[p]])
def test_in_scope_enterprise_is_shown(world: World, client_for: Any, persona: str) -> None:
    """The other side of the matrix: the same routes do answer for an object in scope."""
    key = sorted(World.VISIBLE[persona])[0]
    client = client_for(persona)
    assert client.get(reverse("enterprises:detail", args=[world.enterprises[key].pk])).status_code == 200
    assert client.get(f"/api/v1/enterprises/{world.enterprises[key].pk}").status_code == 200


@pytest.mark.parametrize("persona", list(World.VISIBLE))
def test_lists_show_exactly_the_scope(world: World, client_for: Any, persona: str) -> None:
    client = client_for(persona)
    expected = {world.enterprises[k].name for k in World.VISIBLE[persona]}
    api = client.get("/api/v1/enterprises?page_size=100").json()
    assert {item["name"] for item in api["items"]} == expected
    assert api["count"] == len(expected)
    page = client.get(reverse("enterprises:list"))
    assert page.status_code == 200
    shown = {e.name for e in page.context["object_list"]}
    assert shown == expected


def _missing(client: Any, url: str) -> int:
    return client.get(url).status_code


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("zhen1", lambda w: reverse("regions:detail", args=[w.regions["town2"].code])),
        ("zhen1", lambda w: reverse("regions:detail", args=[w.regions["county"].code])),
        ("anweiban", lambda w: reverse("regions:detail", args=[w.regions["neighbour_county"].code])),
        ("neighbour_officer", lambda w: reverse("regions:detail", args=[w.regions["v1"].code])),
        ("wangge1", lambda w: reverse("regions:grid_detail", args=[w.grids["g2"].pk])),
        ("zhen1", lambda w: reverse("regions:grid_detail", args=[w.grids["g3"].pk])),
        ("qiye1", lambda w: reverse("regions:detail", args=[w.regions["v1"].code])),
        ("qiye1", lambda w: reverse("regions:grid_detail", args=[w.grids["g1"].pk])),
        ("zhigong1", lambda w: reverse("regions:list")),
        ("anweiban", lambda w: reverse("orgs:department_detail", args=[w.departments["neighbour"].pk])),
        ("zhen1", lambda w: reverse("orgs:department_detail", args=[w.departments["yingji"].pk])),
        ("qiye1", lambda w: reverse("orgs:department_detail", args=[w.departments["yingji"].pk])),
        ("qiye1", lambda w: reverse("orgs:department_list")),
        ("wangge1", lambda w: reverse("orgs:department_list")),
        ("anweiban", lambda w: reverse("core:audit_list")),
        ("qiye1", lambda w: reverse("core:audit_list")),
        ("anweiban", lambda w: "/admin/"),
        ("qiye1", lambda w: "/admin/orgs/user/"),
        ("anweiban", lambda w: f"/api/v1/regions/{w.regions['neighbour_county'].code}"),
        ("zhen1", lambda w: f"/api/v1/regions?parent={w.regions['town2'].code}"),
    ],
)
def test_out_of_scope_registry_pages_are_404(world: World, client_for: Any, persona: str, url: Any) -> None:
    assert _missing(client_for(persona), url(world)) == 404


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("zhen1", lambda w: reverse("regions:detail", args=[w.regions["town1"].code])),
        ("anweiban", lambda w: reverse("regions:detail", args=[w.regions["county"].code])),
        ("wangge1", lambda w: reverse("regions:grid_detail", args=[w.grids["g1"].pk])),
        ("anweiban", lambda w: reverse("orgs:department_detail", args=[w.departments["yingji"].pk])),
        ("auditor", lambda w: reverse("core:audit_list")),
        ("admin", lambda w: "/admin/"),
    ],
)
def test_in_scope_registry_pages_answer(world: World, client_for: Any, persona: str, url: Any) -> None:
    assert _missing(client_for(persona), url(world)) == 200


def test_someone_elses_job_is_404(world: World, client_for: Any) -> None:
    job = Job.objects.create(kind=JobKind.EXPORT, owner=world.users["anweiban"], title="x", total=1)
    client = client_for("yingji")
    assert client.get(reverse("core:job_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("core:job_download", args=[job.pk])).status_code == 404
    assert client_for("anweiban").get(reverse("core:job_detail", args=[job.pk])).status_code == 200


def test_anonymous_is_sent_to_sign_in_and_api_answers_401(world: World, client: Any) -> None:
    response = client.get(reverse("enterprises:detail", args=[world.enterprises["chem"].pk]))
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    api = client.get("/api/v1/enterprises")
    assert api.status_code == 401
    assert api.json()["code"] == "unauthenticated"


def test_department_export_is_scoped(world: World, client_for: Any) -> None:
    import io

    from openpyxl import load_workbook

    from tests.world import sheet_of

    response = client_for("zhen1").get(reverse("core:export", args=["departments"]))
    rows = list(sheet_of(load_workbook(io.BytesIO(b"".join(response.streaming_content)))).iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["青山镇安委办"]
    assert client_for("qiye1").get(reverse("core:export", args=["departments"])).status_code == 403
