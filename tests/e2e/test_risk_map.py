"""The four-colour map in Chromium: the plant's safety officer assesses an event (the score worked out as the factors
are chosen), uploads the site plan, places two units by clicking on it, and the map shows them in their levels'
colours; the notice card and a post list are looked at on a desktop and on a phone."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from anjian.risks import actions
from anjian.risks.choices import AssessmentMethod, ControlTier, MeasureClass, RiskLevel
from anjian.risks.models import RiskEvent, RiskUnit
from tests.e2e.test_browser import DESKTOP, PHONE, no_horizontal_scroll, sign_in
from tests.risks.helpers import measure_data, register
from tests.world import build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RED = "rgb(215, 25, 28)"
YELLOW = "rgb(242, 197, 0)"


def site_plan_png(path: Path) -> Path:
    """A drawn site plan: the tank farm top left, the loading bay bottom right, roads between."""
    image = Image.new("RGB", (1200, 800), "#f7f7f2")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 380, 1200, 430), fill="#d9d9d9")  # the road across
    draw.rectangle((560, 0, 610, 800), fill="#d9d9d9")  # the road down
    draw.rectangle((120, 80, 500, 340), outline="#555555", width=4)  # tank farm
    for x in (200, 320, 440):
        draw.ellipse((x - 50, 160, x + 50, 260), outline="#555555", width=3)
    draw.rectangle((700, 470, 1100, 720), outline="#555555", width=4)  # loading bay
    draw.rectangle((700, 80, 1100, 320), outline="#999999", width=3)  # office
    for xy, label in (((130, 90), "TANK FARM"), ((710, 480), "LOADING BAY"), ((710, 90), "OFFICE")):
        draw.text(xy, label, fill="#333333")
    image.save(path, format="PNG")
    return path


def test_place_units_on_the_four_colour_map(live_server: Any, page: Page, shots: Path, tmp_path: Path) -> None:
    world = build_world()
    reg = register(world)
    qiye1 = world.users["qiye1"]
    actions.do_assess_event(reg.leak, method=AssessmentMethod.LEC, inputs={"L": 6, "E": 6, "C": 15}, actor=qiye1)
    actions.do_add_control_measure(
        reg.leak,
        data=measure_data(
            world,
            description="泄漏时佩戴正压式空气呼吸器，关闭进出料阀，启动喷淋",
            check_content="检查空气呼吸器气压、喷淋系统完好",
            classify1=MeasureClass.EMERGENCY,
        ),
        actor=qiye1,
    )
    chem = world.enterprises["chem"]
    chem.safety_officer_phone = "0792-8888110"
    chem.save(update_fields=["safety_officer_phone"])
    base = live_server.url
    page.set_viewport_size(DESKTOP)
    sign_in(page, base, "qiye1")

    # 1. The register: one major unit, one not assessed yet.
    page.goto(f"{base}/risks/")
    expect(page.get_by_test_id("level-major-count")).to_have_text("1")
    expect(page.get_by_test_id("not-assessed")).to_be_visible()
    page.screenshot(path=str(shots / "risk-register-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    assert no_horizontal_scroll(page), "the register fits a phone"
    page.screenshot(path=str(shots / "risk-register-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)

    # 2. Assess the loading bay's event: the score and level show as the factors are chosen; the server agrees.
    page.goto(f"{base}/risks/events/{reg.fire.pk}/assess/")
    form = page.get_by_test_id("assessment-form")
    form.locator("#id_method").select_option("lec")
    expect(page.get_by_test_id("factors-ls")).to_be_hidden()
    form.locator("#id_lec_L").select_option("3")
    form.locator("#id_lec_E").select_option("6")
    form.locator("#id_lec_C").select_option("7")
    expect(page.get_by_test_id("live-result")).to_contain_text("= 126")
    expect(page.get_by_test_id("live-level")).to_have_class(re.compile(r"\brisk-level-medium\b"))
    page.screenshot(path=str(shots / "risk-assess-desktop.png"), full_page=True)
    page.get_by_test_id("save").click()
    expect(page.locator(".alert-success")).to_contain_text("L 3 × E 6 × C 7 = 126")
    assert RiskEvent.objects.get(pk=reg.fire.pk).level == RiskLevel.MEDIUM

    # A measure for it: the tier proposed for a general risk is the team's.
    page.get_by_test_id(f"add-measure-{reg.fire.pk}").click()
    form = page.get_by_test_id("measure-form")
    expect(form.locator("#id_control_tier")).to_have_value(ControlTier.TEAM)
    form.locator("#id_description").fill("装卸作业前确认静电接地报警器指示正常")
    form.locator("#id_check_content").fill("抽查装卸记录及接地报警器状态")
    form.locator("#id_classify1").select_option(MeasureClass.OPERATION)
    form.locator("#id_classify2").fill("操作记录")
    form.locator("#id_cycle_unit").select_option("week")
    form.locator("#id_assignee").select_option(str(world.users["zhigong1"].pk))
    page.screenshot(path=str(shots / "risk-measure-form-desktop.png"), full_page=True)
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id(f"measures-{reg.fire.pk}")).to_contain_text("装卸作业前确认静电接地报警器指示正常")
    page.screenshot(path=str(shots / "risk-unit-detail-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    assert no_horizontal_scroll(page), "a unit's page fits a phone"
    page.screenshot(path=str(shots / "risk-unit-detail-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)

    # 3. No site plan yet: upload one.
    page.goto(f"{base}/risks/")
    page.get_by_test_id("tab-map").click()
    expect(page.get_by_test_id("no-plan")).to_be_visible()
    page.locator("input[name=image]").set_input_files(str(site_plan_png(tmp_path / "plan.png")))
    page.get_by_test_id("upload-plan").click()
    image = page.get_by_test_id("site-plan-image")
    expect(image).to_be_visible()
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") > 0
    expect(page.get_by_test_id("unplaced-units")).to_contain_text(reg.tank_farm.name)

    # 4. Place the tank (chosen in the list) and the loading bay (its "place" button) by clicking on the plan.
    spots = {reg.tank_farm.pk: (0.3, 0.35), reg.loading.pk: (0.75, 0.74)}
    page.get_by_test_id("place-unit").select_option(str(reg.tank_farm.pk))
    expect(page.get_by_test_id("place-status")).to_contain_text(reg.tank_farm.name)
    _click_at(page, *spots[reg.tank_farm.pk])
    expect(page.get_by_test_id(f"marker-{reg.tank_farm.pk}")).to_be_visible()
    page.get_by_test_id(f"place-{reg.loading.pk}").click()
    expect(page.locator("[data-site-plan]")).to_have_class(re.compile(r"\bplacing\b"))
    _click_at(page, *spots[reg.loading.pk])
    expect(page.get_by_test_id(f"marker-{reg.loading.pk}")).to_be_visible()
    expect(page.get_by_test_id("unplaced-units")).to_have_count(0)

    for unit in RiskUnit.objects.filter(pk__in=spots):
        want_x, want_y = spots[unit.pk]
        assert unit.x is not None and unit.y is not None
        assert abs(float(unit.x) - want_x) < 0.01 and abs(float(unit.y) - want_y) < 0.01, unit.name
    tank_marker = page.get_by_test_id(f"marker-{reg.tank_farm.pk}")
    bay_marker = page.get_by_test_id(f"marker-{reg.loading.pk}")
    assert tank_marker.evaluate("el => getComputedStyle(el).backgroundColor") == RED
    assert bay_marker.evaluate("el => getComputedStyle(el).backgroundColor") == YELLOW
    box, marker = image.bounding_box(), tank_marker.bounding_box()
    assert box is not None and marker is not None
    centre = (marker["x"] + marker["width"] / 2 - box["x"]) / box["width"]
    assert abs(centre - 0.3) < 0.01  # the marker sits where the officer clicked
    expect(page.get_by_test_id("legend-major")).to_contain_text("1")
    expect(page.get_by_test_id("legend-medium")).to_contain_text("1")
    page.screenshot(path=str(shots / "risk-map-desktop.png"), full_page=True)

    page.set_viewport_size(PHONE)
    page.reload()
    expect(tank_marker).to_be_visible()
    assert no_horizontal_scroll(page), "the map fits a phone"
    page.screenshot(path=str(shots / "risk-map-phone.png"), full_page=True)

    # 5. The notice card of the tank, and the list of its post.
    for viewport, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(viewport)
        page.goto(f"{base}/risks/units/{reg.tank_farm.pk}/card/")
        card = page.get_by_test_id("risk-card")
        expect(card).to_contain_text("0792-8888110")
        expect(page.get_by_test_id("card-emergency")).to_contain_text("正压式空气呼吸器")
        assert no_horizontal_scroll(page), f"the notice card fits ({name})"
        page.screenshot(path=str(shots / f"risk-card-{name}.png"), full_page=True)
        page.emulate_media(media="print")
        expect(page.locator("nav.navbar")).to_be_hidden()
        page.screenshot(path=str(shots / f"risk-card-print-{name}.png"), full_page=True)
        page.emulate_media(media="screen")

        page.goto(f"{base}/risks/enterprises/{chem.pk}/posts/")
        page.locator("#id_post").select_option("储运操作工")  # submits on change
        expect(page.get_by_test_id(f"post-unit-{reg.tank_farm.pk}")).to_contain_text("检查液位计读数与DCS一致")
        assert "post=" in page.url
        assert no_horizontal_scroll(page), f"the post list fits ({name})"
        page.screenshot(path=str(shots / f"risk-post-list-{name}.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_test_id("export-docx").click()
    assert download.value.suggested_filename.endswith(".docx")

    # The worker reads the map, without the placing controls.
    page.context.clear_cookies()
    page.set_viewport_size(DESKTOP)
    sign_in(page, base, "zhigong1")
    page.goto(f"{base}/risks/enterprises/{chem.pk}/map/")
    expect(page.get_by_test_id(f"marker-{reg.loading.pk}")).to_be_visible()
    expect(page.get_by_test_id("place-form")).to_have_count(0)


def _click_at(page: Page, fx: float, fy: float) -> None:
    """Click on the site plan at fractions of its width and height."""
    image = page.get_by_test_id("site-plan-image")
    box = image.bounding_box()
    assert box is not None
    image.click(position={"x": box["width"] * fx, "y": box["height"] * fy})
