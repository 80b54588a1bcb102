"""The web pages as users meet them: Chinese validation messages, actions from buttons, figures on the home page
equal to the records, query counts pinned on lists."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from anjian.core.models import AuditEvent
from anjian.enterprises.models import Enterprise
from tests.world import World


def test_home_figures_are_the_scope(world: World, client_for: Any) -> None:
    for persona in ("anweiban", "zhujian", "zhen1", "admin"):
        response = client_for(persona).get("/")
        assert response.status_code == 200
        expected = Enterprise.objects.visible_to(world.users[persona]).count()
        assert response.context["summary"].total == expected
        assert 'data-testid="stat-total"' in response.content.decode()


def test_enterprise_home_shows_own_enterprise(world: World, client_for: Any) -> None:
    response = client_for("qiye1").get("/")
    assert response.context["enterprise"] == world.enterprises["chem"]
    assert "江西鑫源化工有限公司" in response.content.decode()


def test_form_errors_are_chinese_and_nothing_changes(world: World, client_for: Any) -> None:
    client = client_for("anweiban")
    before = Enterprise.objects.count()
    response = client.post(
        reverse("enterprises:create"),
        {
            "uscc": "91360431MA35XXXXX1",
            "name": "",
            "industry": "",
            "region": world.regions["v4"].code,
            "scale": "micro",
        },
    )
    assert response.status_code == 200 and Enterprise.objects.count() == before
    errors = response.context["form"].errors
    assert "校验位" in errors["uscc"][0] or "校验" in errors["uscc"][0]
    assert errors["name"] == ["这个字段是必填项。"]
    assert "region" in errors  # a village of another county is not a valid choice for this officer
    assert 'class="form-control is-invalid"' in response.content.decode()


def test_register_edit_and_suspend_through_the_pages(world: World, client_for: Any) -> None:
    from tests.world import enterprise_data

    client = client_for("zhen1")
    data = enterprise_data("页面登记化工有限公司", "0103", world.regions["v2"], world.grids["g2"])
    form = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items() if v is not None}
    response = client.post(reverse("enterprises:create"), form)
    assert response.status_code == 302
    created = Enterprise.objects.get(name="页面登记化工有限公司")
    edit = client.get(reverse("enterprises:edit", args=[created.pk]))
    form["updated_at"] = edit.context["form"].initial["updated_at"]
    form["address"] = "枫林村 9 号"
    assert client.post(reverse("enterprises:edit", args=[created.pk]), form).status_code == 302
    assert Enterprise.objects.get(pk=created.pk).address == "枫林村 9 号"
    # The same form submitted again carries a stale version: refused with a message, nothing saved.
    form["address"] = "枫林村 10 号"
    stale = client.post(reverse("enterprises:edit", args=[created.pk]), form)
    assert stale.status_code == 200 and stale.context["form"].non_field_errors()
    assert Enterprise.objects.get(pk=created.pk).address == "枫林村 9 号"
    suspend = client.post(reverse("enterprises:transition", args=[created.pk, "suspend"]), {"reason": "隐患未整改"})
    assert suspend.status_code == 302
    assert Enterprise.objects.get(pk=created.pk).status == "suspended"
    assert AuditEvent.objects.filter(target_id=str(created.pk), note="隐患未整改").exists()


def test_enterprise_user_edits_only_its_own_facts(world: World, client_for: Any) -> None:
    client = client_for("qiye1")
    chem = world.enterprises["chem"]
    form = client.get(reverse("enterprises:edit", args=[chem.pk])).context["form"]
    assert "uscc" not in form.fields and "industry" not in form.fields and "address" in form.fields
    assert client.post(reverse("enterprises:transition", args=[chem.pk, "suspend"]), {"reason": "x"}).status_code == 403
    assert client_for("zhigong1").get(reverse("enterprises:edit", args=[chem.pk])).status_code == 403


def test_worker_sees_masked_contacts(world: World, client_for: Any) -> None:
    page = client_for("zhigong1").get(reverse("enterprises:detail", args=[world.enterprises["chem"].pk]))
    body = page.content.decode()
    assert "138****1111" in body and "13800001111" not in body
    officer = client_for("yingji").get(reverse("enterprises:detail", args=[world.enterprises["chem"].pk]))
    assert "13800001111" in officer.content.decode()


def test_list_page_query_count_is_flat(world: World, client_for: Any) -> None:
    client = client_for("admin")
    client.get(reverse("enterprises:list"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("enterprises:list") + "?ordering=name")
    assert response.status_code == 200 and len(response.context["object_list"]) == 5
    assert len(queries) <= 14, [q["sql"][:120] for q in queries]


def test_htmx_filter_returns_only_the_results(world: World, client_for: Any) -> None:
    response = client_for("anweiban").get(
        reverse("enterprises:list") + "?industry=0101", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="list-results"
    )
    body = response.content.decode()
    assert "<html" not in body and 'id="list-results"' in body and "江西鑫源化工有限公司" in body


def test_security_headers(world: World, client_for: Any) -> None:
    response = client_for("anweiban").get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Request-ID"]
