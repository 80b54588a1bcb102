"""The register pages as the chemical plant's safety officer meets them: units, events, assessments and measures
added through the forms (a refusal shown on the form, nothing saved), the level cards counted from the records, the
four-colour map with units placed by position, the notice card and the post lists with their Word and Excel files.
Workers and supervising officers read; nobody else in the county sees the plant's register (404)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import translation
from PIL import Image

from anjian.core.events import EventCode
from anjian.core.models import AuditEvent
from anjian.risks import actions
from anjian.risks.choices import AccidentType, AssessmentMethod, ControlTier, MeasureClass, RiskLevel, UnitKind
from anjian.risks.filtersets import RiskEventFilterSet
from anjian.risks.models import ControlMeasure, RiskAssessment, RiskEvent, RiskObject, RiskUnit, SitePlan
from anjian.web.navigation import items_for
from tests.office import printed_pages
from tests.risks.helpers import Register, measure_data, register
from tests.world import World

JSON = {"HTTP_ACCEPT": "application/json"}


def png(width: int = 800, height: int = 500) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="PNG")
    return SimpleUploadedFile("plan.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def chem_register(world: World) -> Register:
    """The helpers' register, assessed: the tank a major risk (6×6×15 = 540), the loading bay general (3×6×7)."""
    reg = register(world)
    qiye1 = world.users["qiye1"]
    actions.do_assess_event(reg.leak, method=AssessmentMethod.LEC, inputs={"L": 6, "E": 6, "C": 15}, actor=qiye1)
    actions.do_assess_event(reg.fire, method=AssessmentMethod.LEC, inputs={"L": 3, "E": 6, "C": 7}, actor=qiye1)
    actions.do_add_control_measure(
        reg.leak,
        data=measure_data(
            world,
            description="泄漏时佩戴正压式空气呼吸器，关闭进出料阀，启动喷淋",
            check_content="检查空气呼吸器气压、喷淋系统完好",
            classify1=MeasureClass.EMERGENCY,
            classify2="个体防护",
        ),
        actor=qiye1,
    )
    for obj in (reg.tank_farm, reg.loading, reg.leak, reg.fire):
        obj.refresh_from_db()
    return reg


def read_pages(reg: Register) -> dict[str, str]:
    chem = reg.tank_farm.enterprise_id
    return {
        "unit list": reverse("risks:unit_list") + f"?enterprise={chem}",
        "unit detail": reverse("risks:unit_detail", args=[reg.tank_farm.pk]),
        "unit card": reverse("risks:unit_card", args=[reg.tank_farm.pk]),
        "site plan": reverse("risks:site_plan", args=[chem]),
        "post list": reverse("risks:post_list", args=[chem]) + "?post=储运操作工",
        "post docx": reverse("risks:post_list_export", args=[chem, "docx"]) + "?post=储运操作工",
        "post xlsx": reverse("risks:post_list_export", args=[chem, "xlsx"]) + "?post=储运操作工",
    }


def form_pages(reg: Register) -> dict[str, str]:
    chem = reg.tank_farm.enterprise_id
    return {
        "unit create": reverse("risks:unit_create") + f"?enterprise={chem}",
        "event create": reverse("risks:event_create", args=[reg.tank_farm.pk]),
        "event assess": reverse("risks:event_assess", args=[reg.leak.pk]),
        "measure create": reverse("risks:measure_create", args=[reg.leak.pk]),
    }


# --- who sees what ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["qiye1", "yingji", "zhigong1"])
def test_register_pages_answer_in_scope(world: World, chem_register: Register, client_for: Any, persona: str) -> None:
    client = client_for(persona)
    for name, url in read_pages(chem_register).items():
        assert client.get(url).status_code == 200, (persona, name)


@pytest.mark.parametrize("persona", ["zhujian", "neighbour_officer"])
def test_out_of_scope_is_404(world: World, chem_register: Register, client_for: Any, persona: str) -> None:
    chem = world.enterprises["chem"]
    actions.do_upload_site_plan(chem, upload=png(), actor=world.users["qiye1"])
    client = client_for(persona)
    pages = {**read_pages(chem_register), **form_pages(chem_register)}
    listing = client.get(pages.pop("unit list"))  # a list filtered to an enterprise out of scope: empty
    assert listing.status_code == 200 and not listing.context["object_list"] and listing.context["enterprise"] is None
    for name, url in pages.items():
        assert client.get(url).status_code == 404, (persona, name)
    assert client.get(reverse("risks:site_plan_image", args=[chem.pk])).status_code == 404
    place = reverse("risks:unit_place", args=[chem_register.tank_farm.pk])
    assert client.post(place, {"x": "0.5", "y": "0.5"}).status_code == 404
    assert client.post(reverse("risks:site_plan", args=[chem.pk]), {"image": png()}).status_code == 404
    body = client.get(reverse("risks:unit_list")).content.decode()
    assert chem_register.tank_farm.name not in body and "HZ-01" not in body
    chem_register.tank_farm.refresh_from_db()
    assert chem_register.tank_farm.x is None


@pytest.mark.parametrize("persona", ["zhigong1", "yingji"])
def test_workers_and_officers_read_but_may_not_change(
    world: World, chem_register: Register, client_for: Any, persona: str
) -> None:
    client = client_for(persona)
    for name, url in form_pages(chem_register).items():
        assert client.get(url).status_code == 403, (persona, name)
        assert client.post(url, {"name": "x"}).status_code == 403, (persona, name)
    chem = world.enterprises["chem"]
    assert client.post(reverse("risks:site_plan", args=[chem.pk]), {"image": png()}).status_code == 403
    place = reverse("risks:unit_place", args=[chem_register.tank_farm.pk])
    assert client.post(place, {"x": "0.5", "y": "0.5"}).status_code == 403
    assert not SitePlan.objects.exists() and RiskEvent.objects.count() == 2
    listing = client.get(reverse("risks:unit_list") + f"?enterprise={chem.pk}").content.decode()
    detail = client.get(reverse("risks:unit_detail", args=[chem_register.tank_farm.pk])).content.decode()
    assert 'data-testid="add-unit"' not in listing and 'data-testid="add-event"' not in detail
    assert f'data-testid="assess-{chem_register.leak.pk}"' not in detail
    plan = client.get(reverse("risks:site_plan", args=[chem.pk])).content.decode()
    assert 'data-testid="plan-form"' not in plan and 'data-testid="no-plan"' in plan


def test_navigation_shows_risks_to_who_reads_registers(world: World) -> None:
    def items(username: str) -> dict[str, bool]:
        with translation.override("en"):
            return {str(i["label"]): i["active"] for i in items_for(world.users[username], "/risks/units/1/")}

    for persona, sees in [("qiye1", True), ("zhigong1", True), ("yingji", True), ("wangge1", True), ("admin", True)]:
        assert items(persona).get("Risks") is sees, persona
    assert "Risks" not in items("auditor")


# --- the register list --------------------------------------------------------------------------------------------


def test_level_cards_equal_a_raw_count(world: World, chem_register: Register, client_for: Any) -> None:
    qiye1 = world.users["qiye1"]
    extra = actions.do_create_risk_unit(
        chem_register.risk_object,
        data={"name": "罐区巡检", "kind": UnitKind.POST, "department": "储运车间", "responsible_person": "李四"},
        actor=qiye1,
    )
    event = actions.do_create_risk_event(
        extra, data={"name": "高处坠落", "accident_type": AccidentType.FALL}, actor=qiye1
    )
    actions.do_assess_event(event, method=AssessmentMethod.LS, inputs={"L": 2, "S": 1}, actor=qiye1)
    actions.do_create_risk_unit(
        chem_register.risk_object,
        data={"name": "未评估单元", "kind": UnitKind.AREA, "department": "安全科", "responsible_person": "赵六"},
        actor=qiye1,
    )
    response = client_for("qiye1").get(reverse("risks:unit_list"))
    shown = {level["value"]: level["count"] for level in response.context["levels"]}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT level, count(*) FROM risks_riskunit WHERE enterprise_id = %s GROUP BY level",
            [world.enterprises["chem"].pk],
        )
        counted = dict(cursor.fetchall())
    assert shown == {level.value: counted.get(level.value, 0) for level in RiskLevel}
    assert shown == {"major": 1, "high": 0, "medium": 1, "low": 1}
    assert response.context["not_assessed"] == counted[""] == 1
    body = response.content.decode()
    assert 'data-testid="level-major-count">1<' in body and "risk-level-major" in body

    # Each card is the link to its level; the cards keep counting the other filters.
    major = client_for("qiye1").get(reverse("risks:unit_list"), {"level": "major"})
    assert [u.pk for u in major.context["object_list"]] == [chem_register.tank_farm.pk]
    assert {level["value"]: level["count"] for level in major.context["levels"]} == shown
    bay = client_for("qiye1").get(reverse("risks:unit_list"), {"post": "装卸工"})
    assert [u.pk for u in bay.context["object_list"]] == [chem_register.loading.pk]
    assert {level["value"]: level["count"] for level in bay.context["levels"]}["medium"] == 1
    assert sum(level["count"] for level in bay.context["levels"]) == 1
    unassessed = client_for("qiye1").get(reverse("risks:unit_list"), {"level": "none"})
    assert [u.name for u in unassessed.context["object_list"]] == ["未评估单元"]
    search = client_for("yingji").get(reverse("risks:unit_list"), {"q": "1#甲醇", "department": "储运车间"})
    assert [u.pk for u in search.context["object_list"]] == [chem_register.tank_farm.pk]


def test_unit_list_for_a_supervisor_narrows_to_one_enterprise(
    world: World, chem_register: Register, client_for: Any
) -> None:
    client = client_for("yingji")
    everything = client.get(reverse("risks:unit_list")).content.decode()
    assert "江西鑫源化工有限公司" in everything and 'data-testid="register-tabs"' not in everything
    one = client.get(reverse("risks:unit_list"), {"enterprise": world.enterprises["chem"].pk}).content.decode()
    assert 'data-testid="register-tabs"' in one and 'data-testid="enterprise-filter"' in one
    htmx = client.get(
        reverse("risks:unit_list"), {"level": "major"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="list-results"
    ).content.decode()
    assert "<html" not in htmx and 'data-testid="level-cards"' in htmx and chem_register.tank_farm.name in htmx


def test_unit_list_query_count_is_flat(
    world: World, chem_register: Register, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    url = reverse("risks:unit_list")
    client = client_for("qiye1")
    client.get(url)
    with django_assert_max_num_queries(10):
        few = client.get(url)
    qiye1 = world.users["qiye1"]
    for n in range(25):
        unit = actions.do_create_risk_unit(
            chem_register.risk_object,
            data={"name": f"单元{n:02d}", "kind": UnitKind.AREA, "department": f"车间{n}", "responsible_person": "甲"},
            actor=qiye1,
        )
        actions.do_create_risk_event(unit, data={"name": "事件", "accident_type": AccidentType.FIRE}, actor=qiye1)
    with django_assert_max_num_queries(10):
        many = client.get(url)
    assert len(few.context["object_list"]) == 2 and len(many.context["object_list"]) == 20
    assert {u.name: u.event_count for u in many.context["object_list"]}["单元00"] == 1
    officer = client_for("yingji")
    officer.get(url)
    with django_assert_max_num_queries(14):  # + the officer's scope: department, region, remit (5)
        officer.get(url, {"department": "车间3", "kind": UnitKind.AREA})


# --- units, events, assessments, measures through the forms ------------------------------------------------------


def test_create_a_unit_with_a_new_object(world: World, client_for: Any) -> None:
    client = client_for("qiye1")
    url = reverse("risks:unit_create")
    assert client.get(url).status_code == 200
    data = {
        "object_code": "HZ-02",
        "object_name": "氯气库",
        "object_major_hazard": "on",
        "name": "液氯钢瓶库",
        "kind": UnitKind.AREA,
        "department": "仓储部",
        "responsible_person": "周七",
        "post": "仓管员",
    }
    response = client.post(url, data)
    unit = RiskUnit.objects.get(name="液氯钢瓶库")
    assert response.status_code == 302 and response["Location"] == reverse("risks:unit_detail", args=[unit.pk])
    assert unit.risk_object.code == "HZ-02" and unit.risk_object.major_hazard_installation
    assert unit.enterprise == world.enterprises["chem"] and unit.post == "仓管员"

    # The same object again: the code is taken; the form says so and neither object nor unit is saved.
    again = client.post(url, {**data, "name": "另一个库"})
    assert again.status_code == 200 and again.context["form"].errors
    assert "object_code" in again.context["form"].errors or again.context["form"].non_field_errors()
    assert RiskObject.objects.count() == 1 and RiskUnit.objects.count() == 1

    # Neither an object chosen nor a new one named.
    bare = client.post(url, {**data, "object_code": "", "object_name": "", "name": "第三个"})
    assert set(bare.context["form"].errors) >= {"object_code", "object_name"}
    assert RiskUnit.objects.count() == 1

    # Under the existing object.
    existing = client.post(url, {**data, "risk_object": unit.risk_object_id, "object_code": "", "name": "第二个库"})
    assert existing.status_code == 302 and RiskObject.objects.count() == 1 and RiskUnit.objects.count() == 2


def test_a_unit_error_keeps_no_new_object(world: World, client_for: Any) -> None:
    data = {"object_code": "HZ-09", "object_name": "新对象", "name": "x" * 101, "kind": UnitKind.AREA}
    response = client_for("qiye1").post(reverse("risks:unit_create"), data)
    assert response.status_code == 200 and response.context["form"].errors
    assert not RiskObject.objects.exists()


def test_event_then_assessment_through_the_forms(world: World, chem_register: Register, client_for: Any) -> None:
    client = client_for("qiye1")
    unit = chem_register.tank_farm
    response = client.post(
        reverse("risks:event_create", args=[unit.pk]), {"name": "储罐超压破裂", "accident_type": AccidentType.VESSEL}
    )
    event = RiskEvent.objects.get(name="储罐超压破裂")
    assert response["Location"] == reverse("risks:event_assess", args=[event.pk])
    bad = client.post(reverse("risks:event_create", args=[unit.pk]), {"name": "", "accident_type": "nonsense"})
    assert set(bad.context["form"].errors) == {"name", "accident_type"} and RiskEvent.objects.count() == 3

    page = client.get(reverse("risks:event_assess", args=[event.pk]))
    body = page.content.decode()
    scales = page.context["scales"]
    assert scales["methods"]["lec"]["factors"] == ["L", "E", "C"] and scales["methods"]["lec"]["cutoffs"]
    assert 'id="assessment-scales"' in body and 'value="0.5"' in body and "很不可能，可以设想" in body
    assert 'data-method-factors="ls"' in body and 'data-method-factors="mes"' in body

    # A factor outside the table: the action's message on that select, nothing saved.
    url = reverse("risks:event_assess", args=[event.pk])
    wrong = client.post(url, {"method": "lec", "lec_L": "4", "lec_E": "6", "lec_C": "15"})
    assert wrong.status_code == 200 and "lec_L" in wrong.context["form"].errors
    assert "6、3、1、0.5、0.2、0.1" in str(wrong.context["form"].errors["lec_L"])
    missing = client.post(url, {"method": "ls", "ls_L": "3"})
    assert "ls_S" in missing.context["form"].errors
    assert not RiskAssessment.objects.filter(event=event).exists()

    saved = client.post(url, {"method": "lec", "lec_L": "3", "lec_E": "6", "lec_C": "15", "note": "初评"}, follow=True)
    assessment = RiskAssessment.objects.get(event=event)
    assert assessment.score == 270 and assessment.level == RiskLevel.HIGH and assessment.version == 1
    assert "L 3 × E 6 × C 15 = 270" in saved.content.decode()  # the server's result: in the message and the event
    event.refresh_from_db()
    assert event.level == RiskLevel.HIGH
    residual = client.post(url, {"method": "ls", "ls_L": "1", "ls_S": "4", "residual": "on"})
    assert residual.status_code == 302
    event.refresh_from_db()
    assert event.residual_level == RiskLevel.MEDIUM and event.level == RiskLevel.HIGH  # R = 1 × 4
    again = client.get(url)
    assert again.context["form"]["method"].value() == "ls"  # the latest assessment's method proposed
    detail = client.get(reverse("risks:unit_detail", args=[unit.pk])).content.decode()
    assert f'data-testid="history-{event.pk}"' in detail and "初评" in detail


def test_measure_through_the_form(world: World, chem_register: Register, client_for: Any) -> None:
    client = client_for("qiye1")
    leak = chem_register.leak  # a major risk: owned by the company unless the enterprise says otherwise
    url = reverse("risks:measure_create", args=[leak.pk])
    page = client.get(url)
    assert page.context["form"]["control_tier"].value() == ControlTier.COMPANY
    assert 'id="measure-subclasses"' in page.content.decode()
    members = list(page.context["form"].fields["assignee"].queryset)
    assert {u.username for u in members} == {"qiye1", "zhigong1"}
    data = {
        "description": "罐区可燃有毒气体检测报警器完好投用",
        "check_content": "检查报警器读数、声光报警",
        "classify1": MeasureClass.ENGINEERING,
        "classify2": "安全仪表",
        "classify3": "GDS",
        "control_tier": ControlTier.WORKSHOP,
        "cycle": "4",
        "cycle_unit": "hour",
        "window_start": "08:00",
        "window_end": "18:00",
        "assignee": world.users["zhigong1"].pk,
        "starts_on": "2026-01-05",
    }
    before = ControlMeasure.objects.count()
    late = client.post(url, {**data, "window_end": "07:00"})
    assert "window_end" in late.context["form"].errors
    outsider = client.post(url, {**data, "assignee": world.users["yingji"].pk})
    assert "assignee" in outsider.context["form"].errors
    zero = client.post(url, {**data, "cycle": "0"})
    assert "cycle" in zero.context["form"].errors
    assert ControlMeasure.objects.count() == before
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].endswith(f"#event-{leak.pk}")
    measure = ControlMeasure.objects.get(classify3="GDS")
    assert measure.cycle == 4 and measure.control_tier == ControlTier.WORKSHOP and measure.event == leak
    detail = client.get(reverse("risks:unit_detail", args=[leak.unit_id])).content.decode()
    with translation.override("zh-hans"):
        assert "08:00–18:00" in detail and "罐区可燃有毒气体检测报警器完好投用" in detail


# --- the map ------------------------------------------------------------------------------------------------------


def test_upload_the_plan_and_place_units(world: World, chem_register: Register, client_for: Any) -> None:
    chem = world.enterprises["chem"]
    client = client_for("qiye1")
    url = reverse("risks:site_plan", args=[chem.pk])
    empty = client.get(url).content.decode()
    assert 'data-testid="no-plan"' in empty and 'data-testid="plan-form"' in empty
    broken = client.post(url, {"image": SimpleUploadedFile("plan.png", b"not an image", content_type="image/png")})
    assert broken.status_code == 200 and broken.context["form"].errors and not SitePlan.objects.exists()
    assert client.post(url, {"image": png(1000, 600)}).status_code == 302
    plan = SitePlan.objects.get(enterprise=chem)
    assert (plan.width, plan.height) == (1000, 600)

    tank, bay = chem_register.tank_farm, chem_register.loading
    placed = client.post(reverse("risks:unit_place", args=[tank.pk]), {"x": "0.25", "y": "0.4"}, **JSON)
    assert placed.status_code == 200 and placed.json() == {"unit": tank.pk, "x": "0.2500", "y": "0.4000"}
    outside = client.post(reverse("risks:unit_place", args=[bay.pk]), {"x": "1.5", "y": "0.2"}, **JSON)
    assert outside.status_code == 422 and "error" in outside.json()
    half = client.post(reverse("risks:unit_place", args=[bay.pk]), {"x": "0.5"}, **JSON)
    assert half.status_code == 422
    plain = client.post(reverse("risks:unit_place", args=[bay.pk]), {"x": "0.7", "y": "0.2"})
    assert plain.status_code == 302 and plain["Location"] == url
    tank.refresh_from_db()
    bay.refresh_from_db()
    assert (str(tank.x), str(tank.y), str(bay.x), str(bay.y)) == ("0.2500", "0.4000", "0.7000", "0.2000")

    page = client.get(url)
    body = page.content.decode()
    assert f'data-testid="marker-{tank.pk}"' in body and "left: 25.000%; top: 40.000%;" in body
    assert f'data-testid="marker-{bay.pk}"' in body and "risk-marker risk-level-major" in body
    legend = {level["value"]: level["count"] for level in page.context["levels"]}
    assert legend == {"major": 1, "high": 0, "medium": 1, "low": 0}
    assert 'data-testid="unplaced-units"' not in body

    # Off the plan again (a plain form from the list beside the map).
    client.post(reverse("risks:unit_place", args=[bay.pk]), {"x": "", "y": ""})
    bay.refresh_from_db()
    assert bay.x is None and 'data-testid="unplaced-units"' in client.get(url).content.decode()

    for persona in ("yingji", "zhigong1"):
        image = client_for(persona).get(reverse("risks:site_plan_image", args=[chem.pk]))
        assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
        assert b"".join(image.streaming_content)[:2] == b"\xff\xd8"


# --- the notice card and the post lists ---------------------------------------------------------------------------


def test_notice_card(world: World, chem_register: Register, client_for: Any) -> None:
    chem = world.enterprises["chem"]
    chem.safety_officer_phone = "0792-8888110"
    chem.save(update_fields=["safety_officer_phone"])
    response = client_for("zhigong1").get(reverse("risks:unit_card", args=[chem_register.tank_farm.pk]))
    body = response.content.decode()
    assert "risk-card-band risk-level-major" in body and "0792-8888110" in body
    assert "中毒和窒息" in body and "储罐泄漏引发中毒" in body
    assert [m.classify1 for m in response.context["emergency"]] == [MeasureClass.EMERGENCY]
    assert "正压式空气呼吸器" in body and "储罐液位、温度、压力远传监控正常" in body
    assert "王建国" in body and "data-print" in body and "<script" in body and "register.js" in body


def test_post_list_page(
    world: World, chem_register: Register, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    chem = world.enterprises["chem"]
    client = client_for("zhigong1")
    url = reverse("risks:post_list", args=[chem.pk])
    chooser = client.get(url)
    assert {p["post"]: p["units"] for p in chooser.context["posts"]} == {"装卸工": 1, "储运操作工": 1}
    assert chooser.context["post"] == "" and 'data-testid="export-docx"' not in chooser.content.decode()
    with django_assert_max_num_queries(10):
        chosen = client.get(url, {"post": "储运操作工"})
    body = chosen.content.decode()
    assert [e["unit"].pk for e in chosen.context["units"]] == [chem_register.tank_farm.pk]
    assert "检查液位计读数与DCS一致" in body and "正压式空气呼吸器" in body and 'data-testid="export-xlsx"' in body
    unknown = client.get(url, {"post": "不存在的岗位"})
    assert unknown.context["post"] == "" and unknown.status_code == 200


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_post_list_files(world: World, chem_register: Register, client_for: Any, tmp_path: Path) -> None:
    chem = world.enterprises["chem"]
    client = client_for("qiye1")
    base = reverse("risks:post_list_export", args=[chem.pk, "docx"])
    response = client.get(base, {"post": "储运操作工"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    data = b"".join(response.streaming_content)
    text = _docx_text(data)
    assert "储运操作工" in text and "江西鑫源化工有限公司" in text and "1#甲醇储罐" in text
    assert "检查液位计读数与DCS一致，报警联锁处于投用状态" in text and "正压式空气呼吸器" in text
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert section.page_width > section.page_height  # A4 landscape
    table = document.tables[0]
    assert len(table.rows) == 3  # the header and the two measures of the tank's event
    assert table.rows[1].cells[1].text == "1#甲醇储罐" and table.rows[2].cells[1].text == "1#甲醇储罐"  # merged

    xlsx = client.get(reverse("risks:post_list_export", args=[chem.pk, "xlsx"]), {"post": "储运操作工"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    sheet = book.worksheets[0]
    values = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    flat = "\n".join(str(c) for row in values for c in row)
    assert "储运操作工" in str(values[0][0]) and "江西鑫源化工有限公司" in str(values[1][0])
    assert "检查液位计读数与DCS一致，报警联锁处于投用状态" in flat and "正压式空气呼吸器" in flat
    assert len(values) == 5 and sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$3:$3"
    exports = AuditEvent.objects.filter(event=EventCode.EXPORT)
    assert exports.count() == 2 and {(e.new or {}).get("format") for e in exports} == {"docx", "xlsx"}

    for fmt, suffix in (("docx", ".docx"), ("xlsx", ".xlsx")):
        content = client.get(reverse("risks:post_list_export", args=[chem.pk, fmt]), {"post": "储运操作工"})
        workdir = tmp_path / fmt
        workdir.mkdir()
        pages = printed_pages(b"".join(content.streaming_content), suffix, workdir)
        printed = "\n".join(pages)
        assert len(pages) == 1, fmt
        assert "1#甲醇储罐" in printed and "储罐泄漏引发中毒" in printed and "储运操作工" in printed, fmt

    assert (
        client.get(reverse("risks:post_list_export", args=[chem.pk, "pdf"]), {"post": "储运操作工"}).status_code == 404
    )
    assert client.get(base).status_code == 404 and client.get(base, {"post": "无此岗位"}).status_code == 404


# --- query counts and the event FilterSet --------------------------------------------------------------------------


def test_detail_pages_query_counts(
    world: World, chem_register: Register, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    qiye1 = world.users["qiye1"]
    for n in range(6):
        event = actions.do_create_risk_event(
            chem_register.tank_farm, data={"name": f"事件{n}", "accident_type": AccidentType.FIRE}, actor=qiye1
        )
        for inputs in ({"L": 3, "E": 6, "C": 7}, {"L": 1, "E": 6, "C": 7}):
            actions.do_assess_event(event, method=AssessmentMethod.LEC, inputs=inputs, actor=qiye1)
        actions.do_add_control_measure(event, data=measure_data(world), actor=qiye1)
    actions.do_upload_site_plan(world.enterprises["chem"], upload=png(), actor=qiye1)
    client = client_for("qiye1")
    pages = read_pages(chem_register)
    limits = {"unit detail": 8, "unit card": 7, "site plan": 7, "post list": 10, "post docx": 12}
    for name, limit in limits.items():
        client.get(pages[name])
        with django_assert_max_num_queries(limit):
            assert client.get(pages[name]).status_code == 200, name


def test_event_filterset(world: World, chem_register: Register) -> None:
    user = world.users["yingji"]
    queryset = RiskEvent.objects.visible_to(user)
    request = type("Request", (), {"user": user})()

    def names(**params: Any) -> set[str]:
        filterset = RiskEventFilterSet(params, queryset=queryset, request=request)
        assert filterset.is_valid(), filterset.errors
        return {e.name for e in filterset.qs}

    assert names(level="major") == {"储罐泄漏引发中毒"}
    assert names(accident_type=AccidentType.FIRE) == {"装卸静电引发火灾"}
    assert names(residual_level="none") == {"储罐泄漏引发中毒", "装卸静电引发火灾"}
    assert names(q="装卸") == {"装卸静电引发火灾"} and names(unit=str(chem_register.tank_farm.pk)) == {
        "储罐泄漏引发中毒"
    }
    assert names(enterprise=str(world.enterprises["build"].pk)) == set()


def test_assessment_scales_json_is_the_table(world: World, chem_register: Register, client_for: Any) -> None:
    page = client_for("qiye1").get(reverse("risks:event_assess", args=[chem_register.leak.pk])).content.decode()
    start = page.index('<script id="assessment-scales" type="application/json">') + len(
        '<script id="assessment-scales" type="application/json">'
    )
    scales = json.loads(page[start : page.index("</script>", start)])
    assert [level["value"] for level in scales["levels"]] == ["major", "high", "medium", "low"]
    assert scales["methods"]["ls"]["cutoffs"][0] == {"level": "major", "min": 20, "inclusive": True}
