"""In Chromium: an enforcement officer drafts an order to rectify from an inspection's documents, issues it (the
number appears), downloads the PDF; the enterprise's safety officer then finds the issued order in its documents,
on a phone. Then a penalty case is filed, notified and decided with the buttons (the enterprise is suspended), and a
reinspection recorded as not rectified on a phone."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, ViewportSize, expect

from anjian.enterprises.models import Enterprise
from anjian.hazards.models import Hazard
from anjian.inspections.models import EnforcementDocument, PenaltyCase, Reinspection
from tests.e2e.test_browser import PHONE, no_horizontal_scroll, sign_in
from tests.inspections.helpers import inspect, order
from tests.world import build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP: ViewportSize = {"width": 1280, "height": 900}


def test_draft_issue_download_and_the_enterprise_sees_it(live_server: Any, page: Page, shots: Path) -> None:
    world = build_world()
    inspection = inspect(world, fail=2)
    hazards = Hazard.objects.filter(inspection=inspection).count()
    deadline = timezone.localdate() + dt.timedelta(days=15)
    number = f"安澜县应急责改〔{timezone.localdate().year}〕1号"
    base = live_server.url
    page.set_viewport_size(DESKTOP)
    sign_in(page, base, "yingji")

    page.goto(f"{base}/inspections/documents/?inspection={inspection.pk}")
    expect(page.get_by_test_id("inspection-filter")).to_contain_text(inspection.code)
    page.get_by_test_id("draft-rectification_order").click()
    choices = page.get_by_test_id("hazard-choices")
    expect(choices.locator("input:checked")).to_have_count(hazards)  # the inspection's hazards, preselected
    page.locator("#id_deadline").fill(deadline.isoformat())
    page.screenshot(path=str(shots / "enforcement-draft-order-desktop.png"), full_page=True)
    page.get_by_test_id("save").click()

    expect(page.get_by_test_id("paper-number")).to_have_text("（草稿）")
    expect(page.get_by_test_id("paper")).to_contain_text(
        f"{deadline.year}年{deadline.month}月{deadline.day}日前整改完毕"
    )
    page.once("dialog", lambda dialog: dialog.accept())  # "it will be numbered and frozen"
    page.get_by_test_id("issue").click()
    expect(page.get_by_test_id("number")).to_have_text(number)
    expect(page.get_by_test_id("paper-number")).to_have_text(number)
    expect(page.get_by_test_id("content-hash")).to_be_visible()
    page.screenshot(path=str(shots / "enforcement-order-issued-desktop.png"), full_page=True)

    with page.expect_download() as info:
        page.get_by_test_id("download-pdf").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf") and number in download.suggested_filename
    assert Path(download.path()).read_bytes()[:4] == b"%PDF"

    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.get_by_test_id("paper-number")).to_have_text(number)
    assert no_horizontal_scroll(page), "the document fits a phone"
    page.screenshot(path=str(shots / "enforcement-order-phone.png"), full_page=True)

    document = EnforcementDocument.objects.get()
    assert document.number == number and document.status == "issued"

    page.context.clear_cookies()
    sign_in(page, base, "qiye1")
    page.goto(f"{base}/inspections/documents/")
    expect(page.get_by_test_id(f"document-row-{document.pk}")).to_contain_text(number)
    assert no_horizontal_scroll(page), "the enterprise's documents fit a phone"
    page.screenshot(path=str(shots / "enforcement-documents-qiye1-phone.png"), full_page=True)
    page.get_by_role("link", name=number).click()
    expect(page.get_by_test_id("paper-number")).to_have_text(number)
    expect(page.get_by_test_id("issue")).to_have_count(0)


def test_file_notify_decide_and_reinspect(live_server: Any, page: Page, shots: Path) -> None:
    world = build_world()
    chem = world.enterprises["chem"]
    inspection = inspect(world, fail=1)
    reinspection = Reinspection.objects.get(order=order(world, inspection))
    base = live_server.url
    page.set_viewport_size(DESKTOP)
    sign_in(page, base, "yingji")

    page.goto(f"{base}/inspections/penalties/new/?enterprise={chem.pk}&inspection={inspection.pk}")
    page.locator("input[name=violation_class][value=irregular]").check()
    page.locator("#id_facts").fill("未按规定对重大危险源进行监测监控")
    page.locator("#id_legal_basis").fill("《中华人民共和国安全生产法》第九十九条")
    page.select_option("#id_items-0-kind", "fine")
    page.locator("#id_items-0-amount").fill("30000")
    page.select_option("#id_items-1-kind", "suspension")
    page.screenshot(path=str(shots / "enforcement-case-form-desktop.png"), full_page=True)
    page.get_by_test_id("save").click()

    expect(page.get_by_test_id("penalties")).to_contain_text("30")
    page.get_by_test_id("step-notify").click()
    page.get_by_test_id("confirm-notify").click()
    expect(page.get_by_test_id("document-penalty_notice")).to_be_visible()
    page.get_by_test_id("step-decide").click()
    expect(page.get_by_test_id("decision-effects")).to_be_visible()
    expect(page.locator("#step-decide-modal")).to_have_class(re.compile(r"\bshow\b"))
    page.wait_for_timeout(400)  # the fade-in ends (no script may be evaluated here: the CSP forbids eval)
    page.screenshot(path=str(shots / "enforcement-decide-modal-desktop.png"))
    page.get_by_test_id("confirm-decide").click()
    expect(page.get_by_test_id("document-penalty_decision")).to_be_visible()
    expect(page.get_by_test_id("decided-on")).to_be_visible()
    page.screenshot(path=str(shots / "enforcement-case-decided-desktop.png"), full_page=True)
    assert Enterprise.objects.get(pk=chem.pk).status == "suspended"
    case = PenaltyCase.objects.get()

    page.set_viewport_size(PHONE)
    page.reload()
    assert no_horizontal_scroll(page), "the case fits a phone"
    page.screenshot(path=str(shots / "enforcement-case-phone.png"), full_page=True)
    page.goto(f"{base}/inspections/penalties/")
    expect(page.get_by_test_id(f"case-row-{case.pk}")).to_be_visible()
    assert no_horizontal_scroll(page), "the cases fit a phone"
    page.screenshot(path=str(shots / "enforcement-cases-phone.png"), full_page=True)

    page.goto(f"{base}/inspections/reinspections/{reinspection.pk}/")
    page.locator("input[name=result][value=not_rectified]").check()
    page.locator("#id_note").fill("报警装置仍未安装")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("opinion-link")).to_be_visible()
    expect(page.get_by_test_id("case-link")).to_be_visible()
    assert no_horizontal_scroll(page), "the reinspection fits a phone"
    page.screenshot(path=str(shots / "enforcement-reinspection-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
    page.goto(f"{base}/inspections/penalties/")
    page.screenshot(path=str(shots / "enforcement-cases-desktop.png"), full_page=True)
    page.goto(f"{base}/inspections/reinspections/")
    expect(page.get_by_test_id(f"reinspection-row-{reinspection.pk}")).to_contain_text(reinspection.order.number)
    page.screenshot(path=str(shots / "enforcement-reinspections-desktop.png"), full_page=True)
