"""In Chromium: a county officer lists a major hazard for supervision (numbered notice, the enterprise suspends);
the safety officer prepares and submits the quarterly statistics report with a signed scan on a phone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from anjian.enterprises.models import Enterprise
from anjian.hazards.models import HazardPeriodicReport
from anjian.hazards.reports import recent_periods
from tests.e2e.test_browser import DESKTOP, PHONE, no_horizontal_scroll, sign_in
from tests.hazards.helpers import generate, register
from tests.world import build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_list_a_major_hazard(live_server: Any, page: Page, shots: Path) -> None:
    world = build_world()
    hazard = register(world, "major")
    base = live_server.url
    page.set_viewport_size(DESKTOP)
    sign_in(page, base, "anweiban")
    page.goto(f"{base}/hazards/{hazard.pk}/")
    page.get_by_test_id("list-for-supervision").click()
    page.get_by_label("督办期限").fill(str(timezone.localdate() + dt.timedelta(days=60)))
    page.get_by_label("责令企业停产停业整顿，直至隐患核销").check()
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("listing")).to_contain_text(f"安澜县安委办督〔{timezone.localdate().year}〕1号")
    page.screenshot(path=str(shots / "major-listed-desktop.png"), full_page=True)
    assert Enterprise.objects.get(pk=world.enterprises["chem"].pk).status == "suspended"


def test_quarterly_report_on_a_phone(live_server: Any, page: Page, shots: Path, tmp_path: Path) -> None:
    world = build_world()
    generate(world, count=25)
    quarter = recent_periods(timezone.localdate())[0]
    scan = tmp_path / "signed.pdf"
    scan.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    base = live_server.url
    page.set_viewport_size(PHONE)
    sign_in(page, base, "qiye1")
    page.goto(f"{base}/hazards/reports/")
    page.get_by_test_id(f"prepare-{quarter.year}-quarter{quarter.quarter}").click()
    expect(page.get_by_test_id("figures")).to_be_visible()
    assert no_horizontal_scroll(page)
    page.get_by_label("签字扫描件（PDF 或照片）").set_input_files(str(scan))
    page.get_by_test_id("save").click()
    expect(page.locator(".alert-success")).to_contain_text("已报送")
    page.screenshot(path=str(shots / "quarterly-report-phone.png"), full_page=True)
    report = HazardPeriodicReport.objects.get()
    assert report.status == "submitted" and report.signed_scan.name.endswith(".pdf")
