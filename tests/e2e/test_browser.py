"""Two personas sign in through the real pages in Chromium, navigate, and leave screenshots (desktop and phone)
in tests/artifacts/screenshots/ to be looked at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.world import PASSWORD, build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1366, "height": 900}


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    expect(page.get_by_role("heading", name="安监")).to_be_visible()
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")


def no_horizontal_scroll(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_county_officer_on_desktop(live_server: Any, page: Page, shots: Path) -> None:
    world = build_world()
    base = live_server.url
    page.set_viewport_size(DESKTOP)
    sign_in(page, base, "anweiban")
    expect(page.get_by_test_id("stat-total")).to_contain_text("4")
    expect(page.locator(".chart svg").first).to_be_visible()  # ECharts drew the charts
    page.screenshot(path=str(shots / "anweiban-home-desktop.png"), full_page=True)

    page.get_by_role("link", name="企业").first.click()
    expect(page.get_by_test_id("enterprise-table")).to_contain_text("江西鑫源化工有限公司")
    expect(page.get_by_test_id("result-count")).to_contain_text("4")
    page.select_option("#id_industry", "05")  # htmx refreshes the results in place
    expect(page.get_by_test_id("result-count")).to_contain_text("1")
    expect(page.get_by_test_id("enterprise-table")).to_contain_text("九江宏达建设工程有限公司")
    assert "industry=05" in page.url
    page.screenshot(path=str(shots / "anweiban-enterprises-filtered.png"), full_page=True)

    page.get_by_role("link", name="九江宏达建设工程有限公司").click()
    expect(page.get_by_role("heading", name="九江宏达建设工程有限公司")).to_be_visible()
    page.get_by_test_id("status-suspend").click()
    page.locator("#status-suspend textarea").fill("深基坑支护存在重大事故隐患")
    page.get_by_test_id("confirm-status-suspend").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("h1 .badge")).to_have_text("停产整顿")
    expect(page.locator(".timeline")).to_contain_text("深基坑支护存在重大事故隐患")
    page.screenshot(path=str(shots / "anweiban-enterprise-detail.png"), full_page=True)
    world.enterprises["build"].refresh_from_db()
    assert world.enterprises["build"].status == "suspended"


def test_enterprise_officer_on_a_phone(live_server: Any, page: Page, shots: Path) -> None:
    world = build_world()
    base = live_server.url
    page.set_viewport_size(PHONE)
    sign_in(page, base, "qiye1")
    expect(page.get_by_role("heading", name="江西鑫源化工有限公司")).to_be_visible()
    assert no_horizontal_scroll(page), "the home page fits a phone"
    page.screenshot(path=str(shots / "qiye1-home-phone.png"), full_page=True)

    page.get_by_role("button", name="切换导航").click()  # the collapsed menu
    expect(page.get_by_role("link", name="本企业")).to_be_visible()
    page.screenshot(path=str(shots / "qiye1-menu-phone.png"))
    page.get_by_role("link", name="本企业").click()
    expect(page.get_by_role("cell", name="TEST-chem")).to_be_visible()
    assert no_horizontal_scroll(page), "the enterprise page fits a phone"
    page.screenshot(path=str(shots / "qiye1-enterprise-phone.png"), full_page=True)

    # Out of scope: another enterprise's page is a 404 for this persona.
    other = page.goto(f"{base}/enterprises/{world.enterprises['neighbour'].pk}/")
    assert other is not None and other.status == 404


def test_housing_inspector_never_sees_chemicals(live_server: Any, page: Page, shots: Path) -> None:
    build_world()
    base = live_server.url
    page.set_viewport_size(PHONE)
    sign_in(page, base, "zhujian")
    page.goto(f"{base}/enterprises/")
    table = page.get_by_test_id("enterprise-table")
    expect(table).to_contain_text("九江宏达建设工程有限公司")
    expect(table).not_to_contain_text("化工")
    page.screenshot(path=str(shots / "zhujian-enterprises-phone.png"), full_page=True)

    # On a phone the filters beyond the search fold away; opened, they filter, and stay open when reloaded.
    expect(page.locator("#id_industry")).to_be_hidden()
    assert no_horizontal_scroll(page), "the list fits a phone"
    page.get_by_test_id("more-filters").click()
    expect(page.locator("#id_industry")).to_be_visible()
    page.select_option("#id_status", "suspended")
    expect(page.get_by_test_id("result-count")).to_contain_text("0")
    page.reload()
    expect(page.locator("#id_status")).to_be_visible()  # a filter in use is never hidden
    page.screenshot(path=str(shots / "zhujian-filters-phone.png"), full_page=True)
