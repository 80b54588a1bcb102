"""A day's checks on a phone in Chromium: the plant's safety officer goes through today's check tasks (each saved on
its own over htmx, the position from the device), one abnormal with a note and a photo, which registers a hazard in
the plant's ledger; then the county's 安委办 reads the government view and the four-colour map on a desktop."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from anjian.enterprises.actions import do_update_enterprise
from anjian.hazards.choices import HazardSource
from anjian.orgs.choices import UserKind, UserRole
from anjian.risks import actions
from anjian.risks.choices import AccidentType, CheckResult, TaskStatus, UnitKind
from anjian.risks.models import CheckRecord, CheckTask, ControlMeasure
from tests.e2e.test_browser import DESKTOP, PHONE, no_horizontal_scroll, sign_in
from tests.e2e.test_hazard_flow import jpeg, sign_out
from tests.risks.helpers import measure_data
from tests.world import World, build_world, user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NOTE = "1#甲醇储罐高液位报警联锁未投用"


def _unit(manager: Any, risk_object: Any, name: str, department: str) -> Any:
    return actions.do_create_risk_unit(
        risk_object,
        data={"name": name, "kind": UnitKind.INSTALLATION, "department": department, "responsible_person": "王建国"},
        actor=manager,
    )


def _event(manager: Any, unit: Any, name: str, lec: tuple[int, int, int]) -> Any:
    event = actions.do_create_risk_event(unit, data={"name": name, "accident_type": AccidentType.FIRE}, actor=manager)
    actions.do_assess_event(event, method="lec", inputs=dict(zip("LEC", lec, strict=True)), actor=manager)
    return event


def build(world: World) -> list[ControlMeasure]:
    """The plant's register with three checks due all day (from three days ago, so the last days' show as overdue);
    the factory's with a high risk; every enterprise at its own position for the map."""
    chem, factory = world.enterprises["chem"], world.enterprises["factory"]
    qiye1, zhigong1 = world.users["qiye1"], world.users["zhigong1"]
    obj = actions.do_create_risk_object(chem, data={"code": "HZ-01", "name": "甲醇储罐区"}, actor=qiye1)
    tanks = _unit(qiye1, obj, "1#甲醇储罐", "储运车间")
    loading = _unit(qiye1, obj, "汽车装卸站台", "储运车间")
    leak = _event(qiye1, tanks, "储罐泄漏引发中毒", (6, 6, 15))
    static = _event(qiye1, loading, "装卸静电引发火灾", (3, 6, 7))
    all_day = {"window_start": dt.time(0, 0), "window_end": None, "starts_on": timezone.localdate() - dt.timedelta(3)}
    measures = [
        actions.do_add_control_measure(leak, data=measure_data(world, **all_day), actor=qiye1),
        actions.do_add_control_measure(
            leak,
            data=measure_data(
                world,
                description="储罐区可燃气体检测报警器完好投用",
                check_content="检查报警器指示灯及最近一次标定记录",
                assignee=qiye1,
                **all_day,
            ),
            actor=qiye1,
        ),
        actions.do_add_control_measure(
            static,
            data=measure_data(
                world,
                description="装卸区静电接地报警器完好",
                check_content="检查静电接地夹、接地报警器，装车前确认接地良好",
                assignee=zhigong1,
                **all_day,
            ),
            actor=qiye1,
        ),
    ]
    officer = user("qiye_factory", UserKind.ENTERPRISE, UserRole.SAFETY_OFFICER, enterprise=factory)
    press = actions.do_create_risk_object(factory, data={"code": "JX-01", "name": "冲压车间"}, actor=officer)
    _event(officer, _unit(officer, press, "冲压机", "生产科"), "冲压机械伤害", (6, 6, 7))
    positions = {"chem": ("115.992100", "29.204900"), "build": ("115.951000", "29.231000"),
                 "hotel": ("116.031000", "29.168000"), "factory": ("116.012000", "29.181000")}  # fmt: skip
    for key, (longitude, latitude) in positions.items():
        do_update_enterprise(
            world.enterprises[key],
            changes={"longitude": Decimal(longitude), "latitude": Decimal(latitude)},
            actor=world.users["admin"],
        )
    actions.generate_tasks()
    return measures


def test_a_days_checks_on_a_phone_and_the_government_view(
    live_server: Any, page: Page, shots: Path, tmp_path: Path
) -> None:
    world = build_world()
    measures = build(world)
    base = live_server.url
    chem = world.enterprises["chem"]
    midnight = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))
    tasks = [CheckTask.objects.get(measure=m, due_start=midnight) for m in measures]
    page.set_viewport_size(PHONE)
    page.context.grant_permissions(["geolocation"], origin=base)
    page.context.set_geolocation({"latitude": 29.2049, "longitude": 115.9921})

    # 1. Today's checks: three due now, the last days' ones overdue below (read-only).
    sign_in(page, base, "qiye1")
    page.goto(f"{base}/risks/tasks/")
    page.wait_for_load_state()
    for task in tasks:
        expect(page.get_by_test_id(f"task-{task.pk}-pass-button")).to_be_visible()
    expect(page.get_by_test_id("section-overdue")).to_be_visible()
    expect(page.get_by_test_id("progress")).to_contain_text("0 / 3")
    expect(page.locator("[data-geo-status]")).to_have_class(re.compile(r"\btext-success\b"))  # the device's position
    assert no_horizontal_scroll(page), "today's checks fit a phone"
    page.screenshot(path=str(shots / "checks-1-today-phone.png"))
    page.screenshot(path=str(shots / "checks-2-today-full-phone.png"), full_page=True)

    # 2. Two normal: each saved on its own.
    for task in tasks[:2]:
        page.get_by_test_id(f"task-{task.pk}-pass-button").click()
        expect(page.get_by_test_id(f"task-{task.pk}-saved")).to_be_visible()
    expect(page.get_by_test_id("progress")).to_contain_text("2 / 3")

    # 3. One abnormal: the note is required, a photo from the camera; it registers a hazard.
    abnormal = tasks[2]
    page.get_by_test_id(f"task-{abnormal.pk}-fail-button").click()
    card = page.get_by_test_id(f"task-{abnormal.pk}")
    expect(card.locator("textarea[name=note]")).to_be_visible()
    assert card.locator("input[name=photo]").get_attribute("capture") == "environment"
    card.locator("textarea[name=note]").fill(NOTE)
    card.locator("input[name=photo]").set_input_files(str(jpeg(tmp_path / "alarm.jpg", "orange")))
    assert no_horizontal_scroll(page), "an abnormal check's note and photo fit a phone"
    card.screenshot(path=str(shots / "checks-3-abnormal-phone.png"))
    page.get_by_test_id(f"task-{abnormal.pk}-save").click()
    expect(page.get_by_test_id(f"task-{abnormal.pk}-hazard")).to_be_visible()
    expect(page.get_by_test_id("progress")).to_contain_text("3 / 3")
    assert no_horizontal_scroll(page), "the checked list fits a phone"
    page.screenshot(path=str(shots / "checks-4-done-phone.png"), full_page=True)

    records = {r.task_id: r for r in CheckRecord.objects.select_related("hazard")}
    assert set(records) == {t.pk for t in tasks}
    assert [records[t.pk].result for t in tasks] == [CheckResult.PASS, CheckResult.PASS, CheckResult.FAIL]
    assert all(r.latitude is not None and abs(float(r.latitude) - 29.2049) < 1e-6 for r in records.values())
    hazard = records[abnormal.pk].hazard
    assert hazard is not None and hazard.source == HazardSource.CONTROL_FAILURE and hazard.photos.count() == 1
    assert all(CheckTask.objects.get(pk=t.pk).status == TaskStatus.DONE for t in tasks)

    # 4. The hazard is in the plant's ledger.
    page.goto(f"{base}/hazards/?enterprise={chem.pk}")
    expect(page.get_by_test_id(f"hazard-row-{hazard.pk}")).to_contain_text(NOTE)
    page.screenshot(path=str(shots / "checks-5-hazard-ledger-phone.png"), full_page=True)

    # 5. The county's view on a desktop: the factory keeps a register, the plant's checks lag; the map.
    sign_out(page, base)
    page.set_viewport_size(DESKTOP)
    sign_in(page, base, "anweiban")
    page.goto(f"{base}/risks/government/")
    expect(page.get_by_test_id(f"low-completion-{chem.pk}")).to_be_visible()  # 3 of 12: the days before today
    expect(page.get_by_test_id("distribution-chart").locator("svg")).to_be_visible()
    page.screenshot(path=str(shots / "checks-6-government-desktop.png"), full_page=True)
    page.get_by_role("link", name=re.compile("四色图|Four-colour map")).first.click()
    expect(page.get_by_test_id("risk-map").locator("svg")).to_be_visible()
    expect(page.get_by_test_id("legend-major")).to_contain_text("1")
    expect(page.get_by_test_id("legend-high")).to_contain_text("1")
    expect(page.get_by_test_id("legend-none")).to_contain_text("2")
    page.screenshot(path=str(shots / "checks-7-map-desktop.png"), full_page=True)
    page.get_by_test_id("government-tabs").locator("a").nth(2).click()  # the tasks of the county, read-only
    expect(page.get_by_test_id(f"task-row-{abnormal.pk}")).to_contain_text(hazard.code)
    page.screenshot(path=str(shots / "checks-9-task-list-desktop.png"), full_page=True)
    page.go_back()
    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.get_by_test_id("risk-map").locator("svg")).to_be_visible()
    assert no_horizontal_scroll(page), "the map fits a phone"
    page.screenshot(path=str(shots / "checks-8-map-phone.png"), full_page=True)
    page.goto(f"{base}/risks/government/")
    expect(page.get_by_test_id("distribution-chart").locator("svg")).to_be_visible()
    assert no_horizontal_scroll(page), "the government view fits a phone"
    page.screenshot(path=str(shots / "checks-10-government-phone.png"), full_page=True)
