"""The hazard closed loop in Chromium on a phone: a worker reports with a photo, the safety officer plans,
rectifies with an after-photo and submits, the acceptor accepts, and everyone sees every step."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from anjian.hazards.models import Hazard, HazardTransition
from tests.e2e.test_browser import PHONE, no_horizontal_scroll, sign_in
from tests.world import build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def jpeg(path: Path, colour: str) -> Path:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), colour).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def sign_out(page: Page, base: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login/")


def test_report_rectify_accept_on_a_phone(live_server: Any, page: Page, shots: Path, tmp_path: Path) -> None:
    build_world()
    base = live_server.url
    page.set_viewport_size(PHONE)

    # 1. A worker reports in three fields and a photo.
    sign_in(page, base, "zhigong1")
    page.goto(f"{base}/hazards/report/")
    page.get_by_label("什么问题").fill("二楼楼梯间灭火器压力不足")
    page.get_by_label("在哪里").fill("办公楼二楼楼梯间")
    page.get_by_label("照片").set_input_files(str(jpeg(tmp_path / "before.jpg", "red")))
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(shots / "hazard-1-report-phone.png"), full_page=True)
    page.get_by_test_id("send").click()
    expect(page.get_by_test_id("my-reports")).to_contain_text("二楼楼梯间灭火器压力不足")
    hazard = Hazard.objects.get()
    assert hazard.found_by is not None and hazard.found_by.username == "zhigong1"
    assert hazard.photos.filter(stage="before").count() == 1
    page.screenshot(path=str(shots / "hazard-2-my-reports-phone.png"), full_page=True)

    # 2. The safety officer names the five, rectifies and submits with a photo of the result.
    sign_out(page, base)
    sign_in(page, base, "qiye1")
    page.goto(f"{base}/hazards/{hazard.pk}/")
    page.get_by_test_id("action-start").click()
    form = page.get_by_test_id("start-form")
    form.get_by_label("整改措施").fill("更换灭火器并检查全楼消防器材")
    form.get_by_label("整改责任人").fill("李志强")
    form.get_by_label("整改资金（元）").fill("600")
    form.get_by_label("整改期限").fill("2099-12-31")
    form.get_by_label("应急预案").fill("整改期间在楼梯间临时放置两具灭火器")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("status")).to_have_text("整改中")
    page.get_by_test_id("action-submit").click()
    page.get_by_label("整改情况").fill("已更换两具灭火器，压力正常")
    page.get_by_label("整改后照片").set_input_files(str(jpeg(tmp_path / "after.jpg", "green")))
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("status")).to_have_text("待验收")
    page.screenshot(path=str(shots / "hazard-3-submitted-phone.png"), full_page=True)

    # 3. A self-found general hazard is accepted by the enterprise's safety officer.
    page.get_by_test_id("action-accept").click()
    page.get_by_test_id("confirm-accept").click()
    expect(page.get_by_test_id("status")).to_have_text("已销号")
    timeline = page.get_by_test_id("timeline")
    for step in ("登记", "开始整改", "提交验收", "验收销号"):
        expect(timeline).to_contain_text(step)
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(shots / "hazard-4-closed-phone.png"), full_page=True)
    steps = list(HazardTransition.objects.filter(hazard=hazard).values_list("action", flat=True))
    assert steps == ["register", "start", "submit", "accept"]

    # 4. The worker sees what happened to the report.
    sign_out(page, base)
    sign_in(page, base, "zhigong1")
    page.goto(f"{base}/hazards/mine/")
    expect(page.get_by_test_id(f"report-{hazard.pk}")).to_contain_text("已销号")
    page.screenshot(path=str(shots / "hazard-5-worker-sees-closed-phone.png"), full_page=True)
