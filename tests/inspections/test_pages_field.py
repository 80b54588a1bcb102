"""The field-work pages as inspectors meet them: inspections started through the form (two certified officers),
checked item by item over htmx, completed into hazards; campaigns with their coverage counted from the records;
annual plans with their seed and progress. Every page answers 404 out of scope, 403 to a role it is not for, and
list pages run a flat number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from anjian.enterprises.models import Industry
from anjian.hazards.choices import HazardLevel
from anjian.hazards.models import Hazard
from anjian.inspections import actions
from anjian.inspections.choices import CampaignKind, InspectionKind, InspectionStatus, ItemResult
from anjian.inspections.models import Campaign, Inspection, InspectionPlan, InspectionResult
from anjian.inspections.views import url_or_none
from anjian.web.navigation import items_for
from tests.hazards.helpers import photo
from tests.inspections.helpers import inspect
from tests.world import World

HTMX = {"HTTP_HX_REQUEST": "true"}


def zh(msgid: str, chinese: str) -> str:
    """What a zh-hans page shows for ``msgid``: ``chinese`` once the catalogue has it (the English until then)."""
    with translation.override("zh-hans"):
        shown = translation.gettext(msgid)
    assert shown in (msgid, chinese), f"{msgid!r} is translated as {shown!r}, expected {chinese!r}"
    return shown


def _messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def started(world: World, key: str = "chem", **extra: Any) -> Inspection:
    """An inspection in progress by yingji and yingji2."""
    return actions.do_start_inspection(
        world.enterprises[key],
        kind=InspectionKind.ROUTINE,
        actor=world.users["yingji"],
        officers=[world.users["yingji2"]],
        **extra,
    )


def items(inspection: Inspection) -> list[Any]:
    assert inspection.checklist is not None
    return list(inspection.checklist.items.select_related("clause__standard"))


def general_item(inspection: Inspection) -> Any:
    return next(i for i in items(inspection) if i.clause is None or not i.clause.proposes_major)


def campaign(world: World, industries: tuple[str, ...] = (), **data: Any) -> Campaign:
    today = timezone.localdate()
    values = {
        "kind": CampaignKind.SPECIAL,
        "title": "危化品安全专项整治",
        "region": world.regions["county"],
        "start": today - dt.timedelta(days=10),
        "end": today + dt.timedelta(days=50),
        **data,
    }
    chosen = list(Industry.objects.filter(code__in=industries))
    return actions.do_create_campaign(data=values, actor=world.users["yingji"], industries=chosen)


def plan(world: World) -> InspectionPlan:
    return actions.do_create_plan(year=timezone.localdate().year, title="", actor=world.users["yingji"], seed=42)


@pytest.fixture
def records(world: World) -> dict[str, Any]:
    """An inspection in progress with a photographed failure, a completed one, a campaign and a plan — all yingji's."""
    inspection = started(world)
    failure = actions.do_record_result(
        inspection,
        item=general_item(inspection),
        result=ItemResult.FAIL,
        note="储罐区可燃气体报警器未投用",
        photo=photo(),
        actor=world.users["yingji"],
    )
    return {
        "inspection": inspection,
        "result": failure,
        "completed": inspect(world),
        "campaign": campaign(world),
        "plan": plan(world),
    }


def _urls(records: dict[str, Any]) -> dict[str, str]:
    pk, result = records["inspection"].pk, records["result"].pk
    return {
        "detail": reverse("inspections:inspection_detail", args=[pk]),
        "check": reverse("inspections:inspection_check", args=[pk]),
        "complete": reverse("inspections:inspection_complete", args=[pk]),
        "photo": reverse("inspections:result_photo", args=[result]),
        "thumb": reverse("inspections:result_photo_thumb", args=[result]),
        "campaign": reverse("inspections:campaign_detail", args=[records["campaign"].pk]),
        "plan": reverse("inspections:plan_detail", args=[records["plan"].pk]),
    }


def test_every_page_answers_the_inspector(world: World, client_for: Any, records: dict[str, Any]) -> None:
    client = client_for("yingji")
    pages = [
        reverse("inspections:inspection_list"),
        reverse("inspections:inspection_create"),
        reverse("inspections:inspection_create") + f"?enterprise={world.enterprises['chem'].pk}",
        reverse("inspections:inspection_detail", args=[records["completed"].pk]),
        reverse("inspections:campaign_list"),
        reverse("inspections:campaign_create"),
        reverse("inspections:plan_list"),
        reverse("inspections:plan_create"),
        *_urls(records).values(),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    body = client.get(_urls(records)["detail"]).content.decode()
    assert "36040001" in body and "36040002" in body  # the officers with their certificate numbers
    assert 'data-testid="action-check"' in body and 'data-testid="action-complete"' in body


@pytest.mark.parametrize("persona", ["zhujian", "neighbour_officer", "zhigong1", "auditor"])
def test_out_of_scope_answers_404_and_records_nothing(
    world: World, client_for: Any, records: dict[str, Any], persona: str
) -> None:
    inspection = records["inspection"]
    client = client_for(persona)
    for name, url in _urls(records).items():
        if name in ("campaign", "plan") and persona == "zhujian":
            continue  # a county department sees the county's campaigns and plans (their enterprises are filtered)
        assert client.get(url).status_code == 404, (persona, name)
    item = items(inspection)[0]
    record = reverse("inspections:inspection_record", args=[inspection.pk, item.pk])
    assert client.post(record, {"result": "pass"}, **HTMX).status_code == 404
    finding = reverse("inspections:inspection_finding", args=[inspection.pk])
    assert client.post(finding, {"text": "越权", "note": "越权", "level": "general"}).status_code == 404
    assert InspectionResult.objects.filter(inspection=inspection).count() == 1
    listed = client.get(reverse("inspections:inspection_list"))
    assert listed.status_code == 200 and not listed.context["object_list"]


def test_zhujian_sees_the_county_campaign_without_the_chemical_plant(
    world: World, client_for: Any, records: dict[str, Any]
) -> None:
    client = client_for("zhujian")
    body = client.get(_urls(records)["campaign"]).content.decode()
    assert world.enterprises["build"].name in body  # not inspected yet, in the zhujian's remit
    assert world.enterprises["chem"].name not in body
    body = client.get(_urls(records)["plan"]).content.decode()
    assert world.enterprises["chem"].name not in body


def test_enterprise_staff_see_their_own_and_no_government_planning(
    world: World, client_for: Any, records: dict[str, Any]
) -> None:
    qiye1 = client_for("qiye1")
    listed = qiye1.get(reverse("inspections:inspection_list"))
    assert {i.pk for i in listed.context["object_list"]} == {records["inspection"].pk, records["completed"].pk}
    assert qiye1.get(_urls(records)["detail"]).status_code == 200
    checking = qiye1.get(_urls(records)["check"])  # not one of the officers: back to the inspection
    assert checking.status_code == 302 and checking.url == _urls(records)["detail"]
    for url in (reverse("inspections:campaign_list"), reverse("inspections:plan_list")):
        assert qiye1.get(url).status_code == 403, url  # as the hazards pages do for a role a page is not for
    for url in (reverse("inspections:campaign_create"), reverse("inspections:plan_create")):
        assert qiye1.get(url).status_code == 403, url
    for url in (_urls(records)["campaign"], _urls(records)["plan"]):
        assert qiye1.get(url).status_code == 404, url  # a campaign or plan out of scope: as missing
    assert client_for("wangge1").get(_urls(records)["plan"]).status_code == 404
    assert client_for("admin").get(reverse("inspections:inspection_create")).status_code == 403


def test_starting_through_the_form_needs_a_second_officer(world: World, client_for: Any) -> None:
    client = client_for("yingji")
    chem = world.enterprises["chem"]
    url = reverse("inspections:inspection_create") + f"?enterprise={chem.pk}"
    page = client.get(url).content.decode()
    assert "36040002" in page  # the colleague offered with the certificate number
    form = {"enterprise": chem.pk, "kind": InspectionKind.ROUTINE, "place": "储罐区"}
    alone = client.post(url, form)
    assert alone.status_code == 200
    message = zh("A law-enforcement inspection needs at least two officers.", "执法检查至少需要两名执法人员")
    assert message in alone.content.decode()
    assert not Inspection.objects.exists()

    yingji2 = world.users["yingji2"]
    response = client.post(url, {**form, "officers": [yingji2.pk], "latitude": "29.2000004", "longitude": "115.9"})
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and response.url == reverse("inspections:inspection_check", args=[inspection.pk])
    assert set(inspection.officers.values_list("username", flat=True)) == {"yingji", "yingji2"}
    assert inspection.checklist is not None and inspection.checklist.code == "hg"  # the default for 危化
    assert inspection.place == "储罐区" and inspection.latitude == Decimal("29.200000")


def test_the_checklist_follows_the_enterprise(world: World, client_for: Any) -> None:
    factory = world.enterprises["factory"]
    partial = client_for("yingji").get(reverse("inspections:inspection_create"), {"enterprise": factory.pk}, **HTMX)
    body = partial.content.decode()
    assert "<html" not in body and 'id="checklist-field"' in body
    assert partial.context["form"].initial["checklist"].code == "gm"


def test_the_enterprise_inspects_itself(world: World, client_for: Any) -> None:
    qiye1 = client_for("qiye1")
    page = qiye1.get(reverse("inspections:inspection_create"))
    assert page.status_code == 200 and "officers" not in page.context["form"].fields
    response = qiye1.post(reverse("inspections:inspection_create"), {"kind": InspectionKind.SELF})
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and inspection.kind == InspectionKind.SELF and inspection.department is None
    assert inspection.enterprise == world.enterprises["chem"]
    item = general_item(inspection)
    record = reverse("inspections:inspection_record", args=[inspection.pk, item.pk])
    qiye1.post(record, {"result": ItemResult.FAIL, "note": "岗位人员未持证"}, **HTMX)
    complete = reverse("inspections:inspection_complete", args=[inspection.pk])
    assert "enterprise_signer" not in qiye1.get(complete).context["form"].fields  # nobody signs its own record
    deadline = timezone.localdate() + dt.timedelta(days=7)
    assert qiye1.post(complete, {"deadline": deadline.isoformat()}).status_code == 302
    hazard = Hazard.objects.get(inspection=inspection)
    assert hazard.finding_department is None and hazard.deadline == deadline
    assert client_for("zhigong1").get(reverse("inspections:inspection_create")).status_code == 403
    assert client_for("zhigong1").get(reverse("inspections:inspection_detail", args=[inspection.pk])).status_code == 404


def test_an_item_posted_over_htmx_comes_back_saved(world: World, client_for: Any) -> None:
    inspection = started(world)
    client = client_for("yingji2")  # the second officer records too
    item = general_item(inspection)
    url = reverse("inspections:inspection_record", args=[inspection.pk, item.pk])

    no_note = client.post(url, {"result": ItemResult.FAIL, "note": ""}, **HTMX)
    body = no_note.content.decode()
    assert no_note.status_code == 200 and "<html" not in body
    assert f'data-testid="item-{item.pk}-note-error"' in body
    assert (
        escape(zh("Describe what does not comply: it becomes the hazard's description.", "请描述不符合的情况")) in body
    )
    assert not inspection.results.exists()

    saved = client.post(
        url,
        {
            "result": ItemResult.FAIL,
            "note": "静电接地线断开",
            "photo": photo(),
            "latitude": "29.2",
            "longitude": "115.9",
        },
        **HTMX,
    )
    body = saved.content.decode()
    row = inspection.results.get(item=item)
    assert row.result == ItemResult.FAIL and row.level == HazardLevel.GENERAL and row.photo and row.latitude
    assert f'id="item-{item.pk}"' in body and f'data-testid="item-{item.pk}-saved"' in body
    assert 'value="fail" autocomplete="off" checked' in body and "静电接地线断开" in body
    assert reverse("inspections:result_photo_thumb", args=[row.pk]) in body
    assert 'id="check-progress" class="check-progress" hx-swap-oob="true"' in body  # the progress, out of band

    other = items(inspection)[-1]
    client.post(reverse("inspections:inspection_record", args=[inspection.pk, other.pk]), {"result": "pass"}, **HTMX)
    assert inspection.results.count() == 2
    check = client.get(reverse("inspections:inspection_check", args=[inspection.pk]))
    assert check.context["checked"] == 2 and check.context["total"] == len(items(inspection))

    finding = client.post(
        reverse("inspections:inspection_finding", args=[inspection.pk]),
        {"text": "配电室", "note": "配电柜前未铺设绝缘胶垫", "level": HazardLevel.GENERAL},
        **HTMX,
    )
    assert "配电柜前未铺设绝缘胶垫" in finding.content.decode() and 'id="findings"' in finding.content.decode()
    assert inspection.results.filter(item__isnull=True, result=ItemResult.FAIL).count() == 1


def test_a_criteria_clause_proposes_a_major_hazard_on_the_page(world: World, client_for: Any) -> None:
    inspection = started(world)
    item = next(i for i in items(inspection) if i.clause is not None and i.clause.proposes_major)
    client = client_for("yingji")
    page = client.get(reverse("inspections:inspection_check", args=[inspection.pk])).content.decode()
    assert 'data-testid="proposes-major"' in page
    url = reverse("inspections:inspection_record", args=[inspection.pk, item.pk])
    client.post(url, {"result": ItemResult.FAIL, "note": "未设置紧急切断"}, **HTMX)
    assert inspection.results.get(item=item).level == HazardLevel.MAJOR
    client.post(url, {"result": ItemResult.FAIL, "note": "未设置紧急切断", "level": HazardLevel.GENERAL}, **HTMX)
    assert inspection.results.get(item=item).level == HazardLevel.GENERAL  # the inspector decides


def test_completing_registers_the_hazards_and_shows_them(world: World, client_for: Any) -> None:
    inspection = started(world)
    client = client_for("yingji")
    yingji = world.users["yingji"]
    for item in items(inspection)[:2]:
        actions.do_record_result(
            inspection, item=item, result=ItemResult.FAIL, note=f"问题{item.pk}", level="general", actor=yingji
        )
    url = reverse("inspections:inspection_complete", args=[inspection.pk])
    assert 'data-testid="failures"' in client.get(url).content.decode()
    unsigned = client.post(url, {"deadline": (timezone.localdate() + dt.timedelta(days=15)).isoformat()})
    assert unsigned.status_code == 200 and not Hazard.objects.exists()
    deadline = timezone.localdate() + dt.timedelta(days=15)
    response = client.post(url, {"enterprise_signer": "张三", "deadline": deadline.isoformat(), "summary": "两处问题"})
    assert response.status_code == 302 and response.url == reverse(
        "inspections:inspection_detail", args=[inspection.pk]
    )
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.COMPLETED and inspection.enterprise_signer == "张三"
    hazards = list(Hazard.objects.filter(inspection=inspection))
    assert len(hazards) == 2 and {h.deadline for h in hazards} == {deadline}
    detail = client.get(response.url).content.decode()
    for hazard in hazards:
        assert reverse("hazards:detail", args=[hazard.pk]) in detail and hazard.code in detail
    assert 'data-testid="action-check"' not in detail  # completed: results are final
    assert client.get(reverse("inspections:inspection_check", args=[inspection.pk])).status_code == 302


def _raw_coverage(campaign: Campaign) -> tuple[int, int]:
    """The campaign's coverage in plain SQL: enterprises of its territory and categories, not closed, and those of
    them an inspection of the campaign visited."""
    sql = """
        SELECT COUNT(*) FILTER (WHERE EXISTS (
                   SELECT 1 FROM inspections_inspection i WHERE i.enterprise_id = e.id AND i.campaign_id = %s)),
               COUNT(*)
          FROM enterprises_enterprise e
          JOIN enterprises_industry ind ON ind.id = e.industry_id
          LEFT JOIN enterprises_industry cat ON cat.id = ind.parent_id
         WHERE e.region_id LIKE %s AND e.status <> 'closed' AND (ind.code IN ('01', '04') OR cat.code IN ('01', '04'))
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [campaign.pk, campaign.region.prefix + "%"])
        inspected, in_scope = cursor.fetchone()
    return inspected, in_scope


def test_campaign_coverage_is_counted_from_the_records(world: World, client_for: Any) -> None:
    drive = campaign(world, industries=("01", "04"), title="危化工贸百日攻坚")
    inspect(world, campaign=drive)  # chem, in scope
    inspect(world, campaign=drive)  # chem again: one enterprise
    actions.do_start_inspection(  # build: outside the campaign's industries, does not count
        world.enterprises["build"], kind=InspectionKind.EXPERT, actor=world.users["zhujian"], campaign=drive
    )
    assert _raw_coverage(drive) == (1, 2)
    client = client_for("yingji")
    detail = client.get(reverse("inspections:campaign_detail", args=[drive.pk]))
    assert (detail.context["inspected"], detail.context["in_scope"]) == _raw_coverage(drive)
    body = detail.content.decode()
    assert 'data-testid="coverage"' in body and "50%" in body
    assert [e.pk for e in detail.context["not_inspected"]] == [world.enterprises["factory"].pk]
    listed = client.get(reverse("inspections:campaign_list"))
    row = next(c for c in listed.context["object_list"] if c.pk == drive.pk)
    assert (row.inspected, row.in_scope) == (1, 2)
    of_campaign = client.get(reverse("inspections:inspection_list"), {"campaign": drive.pk})
    assert len(of_campaign.context["object_list"]) == 2  # yingji's two; zhujian's of the building firm is not in scope
    assert 'data-testid="campaign-filter"' in of_campaign.content.decode()


def test_campaign_created_and_grouped_through_the_pages(world: World, client_for: Any) -> None:
    client = client_for("yingji")
    today = timezone.localdate()
    form = {
        "kind": CampaignKind.KEY_PERIOD,
        "title": "国庆节前安全检查",
        "region": world.regions["town1"].pk,
        "start": today.isoformat(),
        "end": (today - dt.timedelta(days=1)).isoformat(),
        "industries": ["01"],
    }
    backwards = client.post(reverse("inspections:campaign_create"), form)
    assert backwards.status_code == 200 and not Campaign.objects.exists()
    form["end"] = (today + dt.timedelta(days=20)).isoformat()
    outside = client.post(reverse("inspections:campaign_create"), {**form, "region": world.regions["v4"].pk})
    assert outside.status_code == 200 and not Campaign.objects.exists()  # not a region the form offers
    response = client.post(reverse("inspections:campaign_create"), form)
    drive = Campaign.objects.get()
    assert response.status_code == 302 and drive.lead_department == world.departments["yingji"]
    assert list(drive.industries.values_list("code", flat=True)) == ["01"]
    group = client.post(
        reverse("inspections:campaign_group_add", args=[drive.pk]),
        {"name": "第一督查组", "leader": world.users["yingji"].pk, "members": [world.users["yingji2"].pk]},
    )
    assert group.status_code == 302
    assert drive.groups.get().members.get() == world.users["yingji2"]
    detail = client.get(reverse("inspections:campaign_detail", args=[drive.pk])).content.decode()
    assert "第一督查组" in detail
    refused = client_for("anweiban").post(
        reverse("inspections:campaign_group_add", args=[drive.pk]),
        {"name": "第二督查组", "leader": world.users["yingji"].pk},
    )
    assert refused.status_code == 200 and drive.groups.count() == 1  # only the lead department forms groups


def test_plan_drawn_up_shows_its_seed_and_progress(world: World, client_for: Any) -> None:
    client = client_for("yingji")
    year = timezone.localdate().year
    response = client.post(reverse("inspections:plan_create"), {"year": year, "random_share": "50"})
    drawn = InspectionPlan.objects.get()
    assert response.status_code == 302 and drawn.random_share == Decimal("0.5")
    assert any(str(drawn.seed) in m for m in _messages(response))
    again = client.post(reverse("inspections:plan_create"), {"year": year, "random_share": "20"})
    assert again.status_code == 200 and InspectionPlan.objects.count() == 1  # one plan a year
    inspect(world)  # chem, a key enterprise (危化)
    detail = client.get(reverse("inspections:plan_detail", args=[drawn.pk]))
    key = {t.enterprise_id: t for t in detail.context["key_targets"]}
    chem = key[world.enterprises["chem"].pk]
    assert chem.done == 1 and not chem.drawn
    assert detail.context["done"] == sum(min(t.done, t.planned) for t in key.values())
    body = detail.content.decode()
    assert f'data-testid="seed">{drawn.seed}<' in body
    assert client_for("yingji").get(reverse("inspections:plan_list")).context["object_list"][0] == drawn


def test_list_query_counts_are_flat(world: World, client_for: Any, django_assert_max_num_queries: Any) -> None:
    inspect(world)
    drive = campaign(world)
    client = client_for("yingji")
    client.get(reverse("inspections:inspection_list"))  # the first request of a session also refreshes the session
    # 15: session, user, the scope (department, region, remit, tags), the filter bar's choices (industries, regions
    # twice, departments), count, page, officers, and the unread-notification count in the frame.
    with django_assert_max_num_queries(15):
        few = client.get(reverse("inspections:inspection_list"))
    for key in ("chem", "factory") * 5:
        inspect(world, key=key, campaign=drive)
    with django_assert_max_num_queries(15):
        many = client.get(reverse("inspections:inspection_list"))
    assert len(few.context["object_list"]) == 1 and len(many.context["object_list"]) == 11
    counts = {i.pk: (i.failures, i.hazard_count) for i in many.context["object_list"]}
    assert set(counts.values()) == {(1, 1)}

    plan(world)
    actions.do_create_plan(year=timezone.localdate().year - 1, title="", actor=world.users["yingji2"])
    with django_assert_max_num_queries(10):
        plans = client.get(reverse("inspections:plan_list"))
    assert len(plans.context["object_list"]) == 2
    # A campaign's scope is read from its industries and tags (campaign_enterprises): 3 queries a campaign shown.
    campaign(world, title="第二个行动")
    with django_assert_max_num_queries(10 + 3 * 2):
        campaigns = client.get(reverse("inspections:campaign_list"))
    assert len(campaigns.context["object_list"]) == 2


def test_navigation_shows_inspections_to_who_works_with_them(world: World) -> None:
    def items(username: str, path: str = "/inspections/") -> dict[str, bool]:
        with translation.override("en"):
            return {str(i["label"]): i["active"] for i in items_for(world.users[username], path)}

    for persona, sees in [("yingji", True), ("wangge1", True), ("qiye1", True), ("admin", True), ("zhigong1", False)]:
        assert ("Inspections" in items(persona)) == sees, persona
    assert "Enforcement" not in items("qiye1") and "Enforcement" not in items("wangge1")
    penalties = url_or_none("inspections:penalty_list")
    assert ("Enforcement" in items("yingji")) == (penalties is not None)  # shown once the page exists
    assert items("yingji")["Inspections"] and not items("yingji").get("Enforcement")
    if penalties is not None:  # two items share /inspections/: the deeper address wins
        assert items("yingji", penalties) == {**items("yingji", penalties), "Inspections": False, "Enforcement": True}
