"""The dashboard in Chromium: the county officer sees the figure cards, the charts and the map of the towns drawn by
ECharts, switches the figure the map is coloured by, clicks a town on the map and lands on that town's dashboard
(breadcrumbs back up), whose villages open the hazard list; on a phone the page fits the screen."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_browser import DESKTOP, PHONE, no_horizontal_scroll, sign_in
from tests.hazards.helpers import generate
from tests.world import build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_county_dashboard_drills_down_to_a_town(live_server: Any, page: Page, shots: Path) -> None:
    world = build_world()
    generate(world, count=40)
    base = live_server.url
    page.set_viewport_size(DESKTOP)
    sign_in(page, base, "anweiban")

    page.get_by_test_id("nav-dashboard").click()
    expect(page.get_by_test_id("dashboard-title")).to_contain_text("安澜县")
    expect(page.get_by_test_id("kpi-found-value")).not_to_have_text("0")
    region_map = page.get_by_test_id("region-map")
    expect(region_map.locator("svg path").first).to_be_visible()  # ECharts drew the tiles
    expect(page.get_by_test_id("trend-chart").locator("svg")).to_be_visible()
    expect(page.get_by_test_id("subregion-chart").locator("svg")).to_be_visible()
    expect(page.get_by_test_id("map-note")).to_contain_text("示意图")
    town = region_map.locator("svg text", has_text="青山镇")
    expect(town).to_be_visible()

    # Colour the map by another figure: the tiles' labels follow.
    page.get_by_test_id("map-figure").select_option("rectification_rate")
    expect(region_map.locator("svg text", has_text="%").first).to_be_visible()
    page.screenshot(path=str(shots / "dashboard-county-desktop.png"), full_page=False)

    # Hovering shows a town's figures; clicking opens the town's dashboard with the same figure.
    town.hover()
    expect(region_map.get_by_text("逾期").first).to_be_visible()
    town.click()
    page.wait_for_url(re.compile(r"/dashboards/\?.*region=360431101000"))
    assert "figure=rectification_rate" in page.url
    expect(page.get_by_test_id("dashboard-title")).to_contain_text("青山镇")
    breadcrumbs = page.get_by_test_id("dashboard-breadcrumbs")
    expect(breadcrumbs.get_by_role("link", name="安澜县")).to_be_visible()
    village = page.get_by_test_id("region-map").locator("svg text", has_text="工业园社区")
    expect(village).to_be_visible()
    page.screenshot(path=str(shots / "dashboard-town-desktop.png"), full_page=False)

    # A village has nothing below it: the click opens its hazard list.
    village.click()
    page.wait_for_url(re.compile(r"/hazards/\?.*region=360431101001"))

    # On a phone: cards stack, charts and the map fit.
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/dashboards/")
    expect(page.get_by_test_id("region-map").locator("svg path").first).to_be_visible()
    assert no_horizontal_scroll(page), "the dashboard fits a phone"
    box = page.get_by_test_id("region-map").bounding_box()
    assert box is not None and box["width"] <= PHONE["width"]
    page.screenshot(path=str(shots / "dashboard-county-phone.png"), full_page=False)


def test_the_enterprise_reads_its_own_dashboard(live_server: Any, page: Page) -> None:
    world = build_world()
    generate(world, count=20)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, "qiye1")
    page.goto(f"{live_server.url}/dashboards/")
    expect(page.get_by_test_id("dashboard-title")).to_contain_text(world.enterprises["chem"].name)
    expect(page.get_by_test_id("region-map")).to_have_count(0)
    expect(page.get_by_test_id("trend-chart").locator("svg")).to_be_visible()
    assert no_horizontal_scroll(page)
