"""An inspection on a phone in Chromium: yingji starts one of the chemical plant with yingji2, checks the items
(one failure with a note and a photo, each item saved on its own over htmx, the position from the device), completes
it with the enterprise's signature and a deadline, and the failure is a hazard in the plant's ledger."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from anjian.hazards.models import Hazard
from anjian.inspections.choices import InspectionStatus, ItemResult
from anjian.inspections.models import Campaign, Checklist, Inspection, InspectionPlan
from tests.e2e.test_browser import DESKTOP, PHONE, no_horizontal_scroll, sign_in
from tests.e2e.test_hazard_flow import jpeg
from tests.world import build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NOTE = "储罐区可燃气体检测报警器未投用"


def test_inspect_on_a_phone_and_the_failure_becomes_a_hazard(
    live_server: Any, page: Page, shots: Path, tmp_path: Path
) -> None:
    world = build_world()
    base = live_server.url
    chem, yingji2 = world.enterprises["chem"], world.users["yingji2"]
    page.set_viewport_size(PHONE)
    page.context.grant_permissions(["geolocation"], origin=base)
    page.context.set_geolocation({"latitude": 29.2049, "longitude": 115.9921})

    # 1. Start: the plant, a second officer with a certificate, where on the site.
    sign_in(page, base, "yingji")
    page.goto(f"{base}/inspections/")
    assert no_horizontal_scroll(page), "the inspection list fits a phone"
    page.get_by_test_id("start-inspection").click()
    page.wait_for_url(f"{base}/inspections/new/")
    page.wait_for_load_state()  # htmx listens once the page has loaded
    form = page.get_by_test_id("start-form")
    form.locator("#id_enterprise").select_option(label=chem.name)
    hg = Checklist.objects.get(code="hg")
    expect(form.locator("#id_checklist")).to_have_value(str(hg.pk))  # htmx fetched the 危化 checklist
    form.locator(f"input[name=officers][value='{yingji2.pk}']").check()
    expect(form).to_contain_text("36040002")
    form.locator("#id_place").fill("储罐区及装卸区")
    expect(page.locator("[data-geo-status]")).to_have_class(re.compile(r"\btext-success\b"))  # the device's position
    assert no_horizontal_scroll(page), "the start form fits a phone"
    page.screenshot(path=str(shots / "inspection-1-start-phone.png"), full_page=True)
    page.get_by_test_id("save").click()

    # 2. Check on the phone: each item saved on its own; one failure with a note and a photo.
    expect(page.get_by_test_id("check-items")).to_be_visible()
    page.wait_for_load_state()
    inspection = Inspection.objects.get()
    assert inspection.checklist is not None
    items = list(inspection.checklist.items.select_related("clause__standard"))
    failing = next(i for i in items if i.clause is None or not i.clause.proposes_major)
    not_applicable = items[-1]
    assert no_horizontal_scroll(page), "the checklist fits a phone"
    page.screenshot(path=str(shots / "inspection-2-check-phone.png"))

    page.get_by_test_id(f"item-{failing.pk}-fail-button").click()
    item = page.get_by_test_id(f"item-{failing.pk}")
    item.locator("textarea[name=note]").fill(NOTE)
    item.locator("input[name=photo]").set_input_files(str(jpeg(tmp_path / "detector.jpg", "orange")))
    assert no_horizontal_scroll(page), "a failure's note, level and photo fit a phone"
    item.screenshot(path=str(shots / "inspection-3-failure-phone.png"))
    page.get_by_test_id(f"item-{failing.pk}-save").click()
    expect(page.get_by_test_id(f"item-{failing.pk}-saved")).to_be_visible()
    for other in items:
        if other == failing:
            continue
        choice = "na" if other == not_applicable else "pass"
        page.get_by_test_id(f"item-{other.pk}-{choice}-button").click()
        expect(page.get_by_test_id(f"item-{other.pk}-saved")).to_be_visible()
    expect(page.get_by_test_id("progress")).to_contain_text(f"{len(items)}")
    assert inspection.results.count() == len(items)
    failed = inspection.results.get(item=failing)
    assert failed.result == ItemResult.FAIL and failed.note == NOTE and failed.photo
    assert failed.latitude is not None and abs(float(failed.latitude) - 29.2049) < 1e-6  # from the device
    assert inspection.results.get(item=not_applicable).result == ItemResult.NOT_APPLICABLE
    assert no_horizontal_scroll(page), "the checked list fits a phone"
    page.screenshot(path=str(shots / "inspection-4-checked-phone.png"), full_page=True)

    # 3. Complete: who signed for the plant, the deadline for the findings.
    page.get_by_test_id("to-complete").click()
    complete = page.get_by_test_id("complete-form")
    expect(page.get_by_test_id("failures")).to_contain_text(NOTE)
    complete.locator("#id_summary").fill("储罐区可燃气体检测报警器未投用，其余符合要求")
    complete.locator("#id_handling").fill("责令限期整改")
    complete.locator("#id_enterprise_signer").fill("张三")
    deadline = timezone.localdate() + dt.timedelta(days=15)
    complete.locator("#id_deadline").fill(deadline.isoformat())
    assert no_horizontal_scroll(page), "the completion form fits a phone"
    page.screenshot(path=str(shots / "inspection-5-complete-phone.png"), full_page=True)
    page.get_by_test_id("complete").click()

    hazard = Hazard.objects.get(inspection=inspection)
    expect(page.get_by_test_id(f"hazard-{hazard.pk}")).to_contain_text(hazard.code)
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.COMPLETED and inspection.enterprise_signer == "张三"
    assert hazard.deadline == deadline and hazard.description.startswith(NOTE)
    assert no_horizontal_scroll(page), "the inspection fits a phone"
    page.screenshot(path=str(shots / "inspection-6-detail-phone.png"), full_page=True)

    # 4. The failure is in the plant's ledger.
    page.goto(f"{base}/hazards/?enterprise={chem.pk}")
    expect(page.get_by_test_id(f"hazard-row-{hazard.pk}")).to_contain_text(NOTE)
    page.screenshot(path=str(shots / "inspection-7-hazard-ledger-phone.png"), full_page=True)

    # 5. The list on a desktop: the failures and hazards of each inspection.
    page.set_viewport_size(DESKTOP)
    page.goto(f"{base}/inspections/")
    expect(page.get_by_test_id(f"counts-{inspection.pk}")).to_contain_text("1 / 1")
    page.screenshot(path=str(shots / "inspection-8-list-desktop.png"), full_page=True)


def test_campaign_and_plan_through_the_pages(live_server: Any, page: Page, shots: Path) -> None:
    """yingji launches a campaign and draws up the year's plan; the lists and details fit a desktop and a phone."""
    world = build_world()
    base = live_server.url
    today = timezone.localdate()
    page.set_viewport_size(DESKTOP)
    sign_in(page, base, "yingji")

    page.goto(f"{base}/inspections/campaigns/new/")
    form = page.get_by_test_id("campaign-form")
    form.locator("#id_title").fill("危险化学品安全专项整治")
    form.locator("#id_kind").select_option("special")
    form.locator("#id_start").fill(today.isoformat())
    form.locator("#id_end").fill((today + dt.timedelta(days=60)).isoformat())
    form.locator("#id_industries").select_option(["01"])
    page.screenshot(path=str(shots / "campaign-1-form-desktop.png"), full_page=True)
    page.get_by_test_id("save").click()
    drive = Campaign.objects.get()
    expect(page.get_by_test_id("coverage")).to_contain_text("0")
    page.get_by_test_id("group-form").locator("#id_name").fill("第一督查组")
    page.get_by_test_id("group-form").locator("#id_leader").select_option(str(world.users["yingji"].pk))
    page.get_by_test_id("add-group").click()
    expect(page.get_by_test_id("groups")).to_contain_text("第一督查组")
    expect(page.get_by_test_id("not-inspected")).to_contain_text(world.enterprises["chem"].name)
    page.screenshot(path=str(shots / "campaign-2-detail-desktop.png"), full_page=True)

    page.goto(f"{base}/inspections/plans/new/")
    page.get_by_test_id("save").click()
    plan = InspectionPlan.objects.get()
    expect(page.get_by_test_id("seed")).to_have_text(str(plan.seed))
    expect(page.get_by_test_id("key-targets")).to_contain_text(world.enterprises["chem"].name)
    page.screenshot(path=str(shots / "plan-1-detail-desktop.png"), full_page=True)

    page.set_viewport_size(PHONE)
    for name, path in [
        ("inspection-list", "/inspections/"),
        ("campaign-list", "/inspections/campaigns/"),
        ("campaign-detail", f"/inspections/campaigns/{drive.pk}/"),
        ("campaign-form", "/inspections/campaigns/new/"),
        ("plan-list", "/inspections/plans/"),
        ("plan-detail", f"/inspections/plans/{plan.pk}/"),
    ]:
        page.goto(f"{base}{path}")
        assert no_horizontal_scroll(page), f"{name} fits a phone"
        page.screenshot(path=str(shots / f"{name}-phone.png"), full_page=True)
