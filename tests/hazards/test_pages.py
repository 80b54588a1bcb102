"""The hazard pages as users meet them: the ledger scoped per persona, 404 out of scope, exactly the allowed
buttons, the rectification walked through the pages, the quick report from a phone, photos served only in scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from anjian.hazards import actions
from anjian.hazards.choices import HazardAction, HazardSource, HazardStatus, PhotoStage
from anjian.hazards.models import Hazard, HazardExtension, HazardPhoto, HazardTransition, HazardType
from tests.hazards.helpers import PLAN, hazard_data, in_state, photo, register
from tests.world import World

BUTTONS = [a.value for a in HazardAction if a != HazardAction.REGISTER]


def _register(world: World, enterprise: str, username: str, **extra: Any) -> Hazard:
    source = HazardSource.DAILY if username in ("qiye1", "zhigong1") else HazardSource.GOVERNMENT_INSPECTION
    return actions.do_register_hazard(
        world.enterprises[enterprise], data=hazard_data(source=source, **extra), actor=world.users[username]
    )


def _ledger(world: World) -> dict[str, tuple[str, Hazard]]:
    """Hazards of four enterprises, two counties, three kinds of finder: name → (enterprise key, hazard)."""
    return {
        "chem_self": ("chem", register(world, "self")),
        "chem_department": ("chem", register(world, "department")),
        "chem_worker": ("chem", _register(world, "chem", "zhigong1")),
        "build": ("build", _register(world, "build", "zhujian")),
        "hotel": ("hotel", _register(world, "hotel", "xiaofang")),
        "neighbour": ("neighbour", _register(world, "neighbour", "neighbour_officer")),
    }


def _messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _transitions(hazard: Hazard) -> list[str]:
    return list(HazardTransition.objects.filter(hazard=hazard).order_by("id").values_list("action", flat=True))


def test_the_ledger_shows_exactly_the_scope(world: World, client_for: Any) -> None:
    ledger = _ledger(world)
    for persona, visible in World.VISIBLE.items():
        if persona == "zhigong1":
            expected = {"chem_worker"}  # a worker sees only what they reported
        else:
            expected = {name for name, (enterprise, _h) in ledger.items() if enterprise in visible}
        response = client_for(persona).get(reverse("hazards:list"))
        assert response.status_code == 200, persona
        shown = {h.pk for h in response.context["object_list"]}
        assert shown == {ledger[name][1].pk for name in expected}, persona
        body = response.content.decode()
        for name, (_enterprise, hazard) in ledger.items():
            assert (f'data-testid="hazard-row-{hazard.pk}"' in body) == (name in expected), (persona, name)


def test_ledger_filters_by_enterprise_and_overdue(world: World, client_for: Any) -> None:
    today = timezone.localdate()
    late = register(world, "self", found_on=today - dt.timedelta(days=20), deadline=today - dt.timedelta(days=1))
    on_time = register(world, "department")
    _register(world, "factory", "yingji")
    client = client_for("yingji")
    chem = world.enterprises["chem"]
    response = client.get(reverse("hazards:list"), {"enterprise": chem.pk})
    assert {h.pk for h in response.context["object_list"]} == {late.pk, on_time.pk}
    body = response.content.decode()
    assert 'data-testid="enterprise-filter"' in body and chem.name in body
    assert 'type="hidden" name="enterprise"' in body  # the filter bar keeps the enterprise, as a hidden field
    overdue = client.get(reverse("hazards:list"), {"enterprise": chem.pk, "overdue": "true"})
    assert [h.pk for h in overdue.context["object_list"]] == [late.pk]
    assert 'data-testid="overdue"' in overdue.content.decode()
    refused = client.get(reverse("hazards:list"), {"industry": "zzz", "start": "2026-13-01"})
    assert list(refused.context["object_list"]) == []  # nothing listed on a refused filter, and the reason shown
    errors = refused.context["filter"].form.errors
    assert set(errors) == {"industry", "start"}
    body = refused.content.decode()
    assert body.count('data-testid="filter-error"') == 2 and "zzz" in body
    partial = client.get(
        reverse("hazards:list"), {"status": "open"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="list-results"
    )
    assert "<html" not in partial.content.decode() and 'id="list-results"' in partial.content.decode()


def test_list_query_count_is_flat(world: World, client_for: Any, django_assert_max_num_queries: Any) -> None:
    for _ in range(3):
        register(world, "self")
    client = client_for("anweiban")
    client.get(reverse("hazards:list"))
    with django_assert_max_num_queries(11):  # 10 + the unread-notification count in the frame
        few = client.get(reverse("hazards:list") + "?ordering=-deadline")
    for finder in ("department", "grid", "major") * 6:
        register(world, finder)
    _register(world, "hotel", "xiaofang")
    with django_assert_max_num_queries(11):  # 10 + the unread-notification count in the frame
        many = client.get(reverse("hazards:list") + "?ordering=-deadline")
    assert len(few.context["object_list"]) == 3 and len(many.context["object_list"]) == 20


def test_registration_button_only_for_who_may_register(world: World, client_for: Any) -> None:
    for persona, may in [("qiye1", True), ("zhigong1", True), ("wangge1", True), ("yingji", True), ("admin", False)]:
        body = client_for(persona).get(reverse("hazards:list")).content.decode()
        assert ('data-testid="add-hazard"' in body) == may, persona
    assert client_for("admin").get(reverse("hazards:create")).status_code == 403
    assert client_for("auditor").get(reverse("hazards:report")).status_code == 403


@pytest.mark.parametrize("persona", ["zhujian", "neighbour_officer", "xiaofang", "auditor", "zhigong1"])
def test_out_of_scope_answers_404_and_changes_nothing(world: World, client_for: Any, persona: str) -> None:
    hazard = in_state(world, "department", "awaiting_acceptance")  # reported by yingji, not by zhigong1
    before = hazard.photos.get(stage=PhotoStage.AFTER)
    rows = HazardTransition.objects.count()
    client = client_for(persona)
    for url in (
        reverse("hazards:detail", args=[hazard.pk]),
        reverse("hazards:start", args=[hazard.pk]),
        reverse("hazards:submit", args=[hazard.pk]),
        reverse("hazards:photo", args=[before.pk]),
        reverse("hazards:photo_thumb", args=[before.pk]),
    ):
        assert client.get(url).status_code == 404, url
    for action in ("accept", "reject", "void"):
        response = client.post(reverse("hazards:transition", args=[hazard.pk, action]), {"note": "越权操作"})
        assert response.status_code == 404, action
    posted = client.post(reverse("hazards:photo_add", args=[hazard.pk]), {"stage": "before", "photo": photo()})
    assert posted.status_code == 404
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.AWAITING_ACCEPTANCE
    assert HazardTransition.objects.count() == rows and HazardPhoto.objects.filter(hazard=hazard).count() == 1


def test_unknown_action_is_404(world: World, client_for: Any) -> None:
    hazard = register(world, "self")
    client = client_for("qiye1")
    for action in ("register", "delete", "close"):
        assert client.post(reverse("hazards:transition", args=[hazard.pk, action]), {}).status_code == 404
    assert client.get(reverse("hazards:transition", args=[hazard.pk, "accept"])).status_code == 405


# (finder, status, pending extension) → persona → the buttons, written out from the rules in hazards/rules.py.
BUTTON_CASES = [
    (
        "self",
        "registered",
        False,
        {
            "qiye1": {"start", "request_extension"},
            "anweiban": {"void"},
            "yingji": {"void"},
            "zhen1": {"void"},
            "wangge1": set(),
            "admin": set(),
        },
    ),
    (
        "department",
        "awaiting_acceptance",
        False,
        {"yingji": {"accept", "reject", "void"}, "anweiban": {"void"}, "qiye1": set(), "wangge1": set()},
    ),
    (
        "department",
        "rectifying",
        True,
        {"qiye1": {"submit"}, "yingji": {"approve_extension", "deny_extension", "void"}, "zhen1": {"void"}},
    ),
    ("self", "awaiting_acceptance", False, {"qiye1": {"accept", "reject"}, "yingji": {"void"}}),
    ("major", "rectifying", True, {"anweiban": {"approve_extension", "deny_extension", "void"}, "qiye1": {"submit"}}),
    ("self", "closed", False, {"qiye1": set(), "anweiban": set()}),
]


@pytest.mark.parametrize(("finder", "status", "pending", "expected"), BUTTON_CASES)
def test_detail_shows_exactly_the_allowed_buttons(
    world: World, client_for: Any, finder: str, status: str, pending: bool, expected: dict[str, set[str]]
) -> None:
    hazard = in_state(world, finder, status, pending)
    for persona, buttons in expected.items():
        response = client_for(persona).get(reverse("hazards:detail", args=[hazard.pk]))
        assert response.status_code == 200, persona
        body = response.content.decode()
        shown = {action for action in BUTTONS if f'data-testid="action-{action}"' in body}
        assert shown == buttons, (persona, finder, status, pending)
        for action in buttons - {"start", "submit"}:  # each modal posts to its own URL
            assert reverse("hazards:transition", args=[hazard.pk, action]) in body
        assert ('data-testid="pending-extension"' in body) == pending


def test_walk_through_a_self_found_hazard(world: World, client_for: Any) -> None:
    """qiye1 registers, plans and starts, uploads the result and submits, and (self-found) accepts it."""
    client = client_for("qiye1")
    today = timezone.localdate()
    form = client.get(reverse("hazards:create")).context["form"]
    assert form.fields["enterprise"].disabled and form.initial["enterprise"] == world.enterprises["chem"]
    assert form.initial["found_on"] == today and form.initial["source"] == HazardSource.DAILY
    response = client.post(
        reverse("hazards:create"),
        {
            "enterprise": world.enterprises["build"].pk,  # ignored: an enterprise user registers for their own
            "level": "general",
            "source": "daily",
            "hazard_type": HazardType.objects.get(code="electrical").pk,
            "management_class": "thing",
            "rectification_mode": "deadline",
            "description": "配电室门口堆放杂物",
            "location": "配电室",
            "found_on": today.isoformat(),
            "deadline": (today + dt.timedelta(days=5)).isoformat(),
            "photos": [photo("a.jpg"), photo("b.jpg", colour="blue")],
        },
    )
    hazard = Hazard.objects.get(description="配电室门口堆放杂物")
    assert response.status_code == 302 and response["Location"] == reverse("hazards:detail", args=[hazard.pk])
    assert hazard.enterprise == world.enterprises["chem"] and hazard.status == HazardStatus.REGISTERED
    assert hazard.photos.filter(stage=PhotoStage.BEFORE).count() == 2
    assert 'data-testid="action-start"' in client.get(response["Location"]).content.decode()

    start_url = reverse("hazards:start", args=[hazard.pk])
    assert client.get(start_url).context["form"].initial["deadline"] == today + dt.timedelta(days=5)
    incomplete = client.post(start_url, {"measures": "清理杂物"})
    assert incomplete.status_code == 200 and "responsible_person" in incomplete.context["form"].errors
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.REGISTERED
    plan = {**PLAN, "responsible_phone": "13900002222", "deadline": (today + dt.timedelta(days=5)).isoformat()}
    assert client.post(start_url, plan).status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.RECTIFYING and hazard.responsible_person == PLAN["responsible_person"]

    submit_url = reverse("hazards:submit", args=[hazard.pk])
    page = client.get(submit_url).content.decode()
    assert 'accept="image/*"' in page and 'capture="environment"' in page and 'type="file"' in page
    no_photo = client.post(submit_url, {"rectification": "已清理"})
    assert no_photo.status_code == 200 and no_photo.context["form"].errors
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.RECTIFYING
    assert client.post(submit_url, {"rectification": "已清理并设置警示标识", "photo": photo()}).status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.AWAITING_ACCEPTANCE and hazard.rectification == "已清理并设置警示标识"
    assert hazard.photos.filter(stage=PhotoStage.AFTER).count() == 1

    accept = client.post(reverse("hazards:transition", args=[hazard.pk, "accept"]), {"note": "验收合格"}, follow=True)
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.CLOSED and hazard.closed_at is not None
    assert any("验收销号" in m for m in _messages(accept))
    assert _transitions(hazard) == ["register", "start", "submit", "accept"]
    body = accept.content.decode()
    for step in ("register", "start", "submit", "accept"):
        assert f'data-testid="timeline-{step}"' in body
    assert "验收合格" in body and "已清理并设置警示标识" in body
    assert not any(f'data-testid="action-{a}"' in body for a in BUTTONS)  # closed: nothing more to do


def test_walk_through_a_department_found_hazard(world: World, client_for: Any) -> None:
    """yingji registers at chem; qiye1 rectifies; yingji rejects once, grants an extension, and accepts."""
    chem = world.enterprises["chem"]
    today = timezone.localdate()
    client = client_for("yingji")
    form = client.get(reverse("hazards:create"), {"enterprise": chem.pk}).context["form"]
    assert form.initial["enterprise"] == chem and form.initial["source"] == HazardSource.GOVERNMENT_INSPECTION
    response = client.post(
        reverse("hazards:create") + f"?enterprise={chem.pk}",
        {
            "enterprise": chem.pk,
            "level": "general",
            "source": "government_inspection",
            "hazard_type": HazardType.objects.get(code="fire").pk,
            "management_class": "thing",
            "rectification_mode": "deadline",
            "description": "消防通道被货物占用",
            "location": "二号仓库",
            "found_on": today.isoformat(),
            "deadline": (today + dt.timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 302
    hazard = Hazard.objects.get(description="消防通道被货物占用")
    assert hazard.finding_department == world.departments["yingji"]

    qiye1 = client_for("qiye1")
    plan = {**PLAN, "deadline": (today + dt.timedelta(days=3)).isoformat()}
    assert qiye1.post(reverse("hazards:start", args=[hazard.pk]), plan).status_code == 302
    submit = {"rectification": "货物已移走", "photo": photo()}
    assert qiye1.post(reverse("hazards:submit", args=[hazard.pk]), submit).status_code == 302
    # The enterprise does not accept what a department found: refused with a message, nothing changes.
    refused = qiye1.post(reverse("hazards:transition", args=[hazard.pk, "accept"]), {"note": "自行验收"}, follow=True)
    assert "您无权执行此操作。" in _messages(refused)
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.AWAITING_ACCEPTANCE

    client = client_for("yingji")
    reject_url = reverse("hazards:transition", args=[hazard.pk, "reject"])
    no_reason = client.post(reject_url, {"note": "  "}, follow=True)
    assert "请填写原因。" in _messages(no_reason)
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.AWAITING_ACCEPTANCE
    assert client.post(reject_url, {"note": "通道仍有杂物"}).status_code == 302
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.RECTIFYING

    qiye1 = client_for("qiye1")
    extend_url = reverse("hazards:transition", args=[hazard.pk, "request_extension"])
    no_date = qiye1.post(extend_url, {"note": "需要调配仓储"}, follow=True)
    assert no_date.status_code == 200 and not HazardExtension.objects.filter(hazard=hazard).exists()
    new_deadline = today + dt.timedelta(days=10)
    assert qiye1.post(extend_url, {"note": "需要调配仓储", "deadline": new_deadline.isoformat()}).status_code == 302
    assert HazardExtension.objects.get(hazard=hazard).status == "pending"

    client = client_for("yingji")
    detail = client.get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
    assert 'data-testid="pending-extension"' in detail and "需要调配仓储" in detail
    approve = client.post(reverse("hazards:transition", args=[hazard.pk, "approve_extension"]), {"note": ""})
    assert approve.status_code == 302
    hazard.refresh_from_db()
    assert hazard.deadline == new_deadline and hazard.original_deadline == today + dt.timedelta(days=3)

    qiye1 = client_for("qiye1")
    submit_page = qiye1.get(reverse("hazards:submit", args=[hazard.pk]))
    assert len(submit_page.context["after_photos"]) == 1  # the earlier evidence still counts
    resubmit = {"rectification": "杂物已全部清走"}
    assert qiye1.post(reverse("hazards:submit", args=[hazard.pk]), resubmit).status_code == 302

    client = client_for("yingji")
    done = client.post(reverse("hazards:transition", args=[hazard.pk, "accept"]), {"note": "复查合格"}, follow=True)
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.CLOSED
    steps = ["register", "start", "submit", "reject", "request_extension", "approve_extension", "submit", "accept"]
    assert _transitions(hazard) == steps
    body = done.content.decode()
    for step in set(steps):
        assert f'data-testid="timeline-{step}"' in body
    assert new_deadline.isoformat() in body and "通道仍有杂物" in body
    # A second acceptance (a lost race) is refused with the status the hazard is in now.
    again = client.post(reverse("hazards:transition", args=[hazard.pk, "accept"]), {"note": "再次验收"}, follow=True)
    assert any("不能执行" in m for m in _messages(again))
    assert _transitions(hazard) == steps


def test_start_page_refuses_who_may_not_start(world: World, client_for: Any) -> None:
    hazard = register(world, "department")
    response = client_for("yingji").get(reverse("hazards:start", args=[hazard.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("hazards:detail", args=[hazard.pk])
    posted = client_for("zhigong1").post(reverse("hazards:start", args=[hazard.pk]), {})
    assert posted.status_code == 404  # a worker does not see a hazard someone else reported
    forced = client_for("yingji").post(reverse("hazards:start", args=[hazard.pk]), {**PLAN, "deadline": "2099-01-01"})
    assert forced.status_code == 200 and "您无权执行此操作。" in forced.content.decode()
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.REGISTERED and _transitions(hazard) == ["register"]


def test_quick_report_by_a_worker(world: World, client_for: Any) -> None:
    client = client_for("zhigong1")
    page = client.get(reverse("hazards:report"))
    assert "enterprise" not in page.context["form"].fields
    body = page.content.decode()
    assert 'capture="environment"' in body and 'accept="image/*"' in body and "btn-lg" in body
    missing = client.post(reverse("hazards:report"), {"description": "楼梯扶手松动", "location": "办公楼"})
    assert missing.status_code == 200 and "photo" in missing.context["form"].errors and not Hazard.objects.exists()
    response = client.post(
        reverse("hazards:report"), {"description": "楼梯扶手松动", "location": "办公楼二楼", "photo": photo()}
    )
    assert response.status_code == 302 and response["Location"] == reverse("hazards:mine")
    hazard = Hazard.objects.get()
    assert (hazard.enterprise, hazard.found_by) == (world.enterprises["chem"], world.users["zhigong1"])
    assert (hazard.level, hazard.source, hazard.management_class, hazard.rectification_mode) == (
        "general",
        "daily",
        "thing",
        "deadline",
    )
    assert hazard.hazard_type.code == "other" and hazard.found_on == timezone.localdate()
    assert hazard.photos.filter(stage=PhotoStage.BEFORE).count() == 1 and hazard.status == HazardStatus.REGISTERED
    mine = client.get(reverse("hazards:mine")).content.decode()
    assert f'data-testid="report-{hazard.pk}"' in mine and "楼梯扶手松动" in mine and "已登记" in mine
    assert reverse("hazards:photo_thumb", args=[hazard.photos.get().pk]) in mine
    # The safety officer starts the rectification: the reporter sees the new status and the step.
    actions.do_start_rectification(hazard, plan={**PLAN, "deadline": timezone.localdate()}, actor=world.users["qiye1"])
    mine = client.get(reverse("hazards:mine"))
    assert [h.steps[0].action for h in mine.context["object_list"]] == ["start"]
    assert "整改中" in mine.content.decode()
    # The worker may add photos of what they reported, not the enterprise's evidence.
    add = reverse("hazards:photo_add", args=[hazard.pk])
    assert client.post(add, {"stage": "before", "photo": photo()}).status_code == 302
    refused = client.post(add, {"stage": "after", "photo": photo()}, follow=True)
    assert "您无权执行此操作。" in _messages(refused)
    assert list(hazard.photos.values_list("stage", flat=True)) == ["before", "before"]


def test_quick_report_by_government_staff(world: World, client_for: Any) -> None:
    wangge1 = client_for("wangge1")
    form = wangge1.get(reverse("hazards:report")).context["form"]
    assert form.initial["enterprise"] == world.enterprises["chem"]  # the grid's only enterprise
    data = {"description": "厂区围墙开裂", "location": "北侧围墙", "enterprise": world.enterprises["chem"].pk}
    assert wangge1.post(reverse("hazards:report"), {**data, "photo": photo()}).status_code == 302
    by_grid = Hazard.objects.get(description="厂区围墙开裂")
    assert by_grid.source == "grid_patrol" and by_grid.finding_department == world.departments["zhen1"]

    yingji = client_for("yingji")
    form = yingji.get(reverse("hazards:report")).context["form"]
    assert "enterprise" not in form.initial
    assert set(form.fields["enterprise"].queryset) == {world.enterprises["chem"], world.enterprises["factory"]}
    elsewhere = {**data, "description": "越权上报", "enterprise": world.enterprises["build"].pk, "photo": photo()}
    refused = yingji.post(reverse("hazards:report"), elsewhere)
    assert refused.status_code == 200 and "enterprise" in refused.context["form"].errors
    factory = {**data, "description": "机床防护罩缺失", "enterprise": world.enterprises["factory"].pk}
    assert yingji.post(reverse("hazards:report"), {**factory, "photo": photo()}).status_code == 302
    by_officer = Hazard.objects.get(description="机床防护罩缺失")
    assert by_officer.source == "government_inspection" and by_officer.enterprise == world.enterprises["factory"]
    assert not Hazard.objects.filter(description="越权上报").exists()
    mine = yingji.get(reverse("hazards:mine"))
    assert [h.pk for h in mine.context["object_list"]] == [by_officer.pk]


def test_photos_are_served_only_in_scope(world: World, client_for: Any) -> None:
    hazard = actions.do_register_hazard(
        world.enterprises["chem"], data=hazard_data(), actor=world.users["qiye1"], photos=[photo(size=(800, 600))]
    )
    stored = hazard.photos.get()
    for name in ("hazards:photo", "hazards:photo_thumb"):
        url = reverse(name, args=[stored.pk])
        response = client_for("yingji").get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert "private" in response["Cache-Control"]
        content = b"".join(response.streaming_content)
        assert content.startswith(b"\xff\xd8")
        for persona in ("zhujian", "neighbour_officer", "xiaofang", "zhigong1", "auditor"):
            assert client_for(persona).get(url).status_code == 404, (persona, name)
    full = b"".join(client_for("qiye1").get(reverse("hazards:photo", args=[stored.pk])).streaming_content)
    thumb = b"".join(client_for("qiye1").get(reverse("hazards:photo_thumb", args=[stored.pk])).streaming_content)
    assert len(thumb) < len(full)
    client_for("qiye1").logout()
    anonymous = client_for("qiye1")
    anonymous.logout()
    assert anonymous.get(reverse("hazards:photo", args=[stored.pk])).status_code == 302  # to the login page


def test_enterprise_page_counts_open_and_overdue(world: World, client_for: Any) -> None:
    today = timezone.localdate()
    register(world, "self", found_on=today - dt.timedelta(days=20), deadline=today - dt.timedelta(days=1))
    register(world, "department")
    in_state(world, "self", "closed")
    chem = world.enterprises["chem"]
    body = client_for("anweiban").get(reverse("enterprises:detail", args=[chem.pk])).content.decode()
    assert 'data-testid="enterprise-hazards"' in body
    assert f"{reverse('hazards:list')}?enterprise={chem.pk}&amp;status=open" in body
    assert f"{reverse('hazards:list')}?enterprise={chem.pk}&amp;overdue=true" in body
    open_block = body.split('data-testid="hazards-open"')[1].split("</a>")[0]
    overdue_block = body.split('data-testid="hazards-overdue"')[1].split("</a>")[0]
    assert ">2<" in open_block and ">1<" in overdue_block
    # A worker counts only what they reported.
    worker = client_for("zhigong1").get(reverse("enterprises:detail", args=[chem.pk])).content.decode()
    assert ">0<" in worker.split('data-testid="hazards-open"')[1].split("</a>")[0]


def test_navigation_has_the_ledger_for_who_sees_hazards(world: World, client_for: Any) -> None:
    for persona in ("anweiban", "wangge1", "qiye1", "zhigong1", "admin", "auditor"):
        body = client_for(persona).get("/").content.decode()
        assert (f'href="{reverse("hazards:list")}"' in body) == (persona != "auditor"), persona
