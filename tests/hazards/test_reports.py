"""The periodic hazard statistics report (16号令 Art.14): periods and due dates, figures pre-filled from the
ledger, the principal's signed scan, the late flag, the table as a spreadsheet, and who has not submitted."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from openpyxl import load_workbook

from anjian.core.exceptions import ActionError, InvalidInput
from anjian.hazards.choices import ReportPeriod
from anjian.hazards.models import Hazard, HazardPeriodicReport
from anjian.hazards.reports import Period, do_prepare_periodic_report, do_submit_periodic_report, period, recent_periods
from anjian.stats.hazards import hazard_figures
from tests.hazards.helpers import generate, photo
from tests.office import printed_pages
from tests.world import World

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("signed.pdf", PDF, content_type="application/pdf")


@pytest.mark.parametrize(
    ("kind", "year", "quarter", "start", "end", "due"),
    [
        ("quarter", 2026, 1, "2026-01-01", "2026-03-31", "2026-04-15"),
        ("quarter", 2026, 3, "2026-07-01", "2026-09-30", "2026-10-15"),
        ("quarter", 2025, 4, "2025-10-01", "2025-12-31", "2026-01-15"),
        ("year", 2025, None, "2025-01-01", "2025-12-31", "2026-01-31"),
    ],
)
def test_periods_and_due_dates(kind: str, year: int, quarter: int | None, start: str, end: str, due: str) -> None:
    chosen = period(kind, year, quarter)
    assert (str(chosen.start), str(chosen.end), str(chosen.due_on)) == (start, end, due)


def test_recent_periods_are_the_ended_ones() -> None:
    periods = recent_periods(dt.date(2026, 11, 23))
    assert [(p.year, p.quarter) for p in periods[:4]] == [(2026, 3), (2026, 2), (2026, 1), (2025, 4)]
    assert periods[-1] == Period(ReportPeriod.YEAR, 2025, None)
    with pytest.raises(InvalidInput):
        period("quarter", 2026, 5)


def test_prepare_and_submit(world: World, client_for: Any, tmp_path: Path) -> None:
    generate(world, count=80)
    qiye1, chem = world.users["qiye1"], world.enterprises["chem"]
    last_year = Period(ReportPeriod.YEAR, dt.date.today().year - 1, None)  # noqa: DTZ011 (a calendar year)
    report = do_prepare_periodic_report(chem, last_year, actor=qiye1)
    expected = hazard_figures(Hazard.objects.filter(enterprise=chem), last_year.start, last_year.end)
    assert report.figures["found"] == expected.found and report.figures["overdue_open"] == expected.overdue_open
    assert report.figures["found"] > 0
    with pytest.raises(ActionError):  # another enterprise's manager
        do_prepare_periodic_report(chem, last_year, actor=world.users["safety_build"])
    with pytest.raises(InvalidInput):  # a period that has not ended
        do_prepare_periodic_report(chem, Period(ReportPeriod.YEAR, 2999, None), actor=qiye1)
    with pytest.raises(InvalidInput):
        do_submit_periodic_report(report, signed_scan=None, principal_name="张德明", actor=qiye1)
    with pytest.raises(InvalidInput):
        fake = SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")
        do_submit_periodic_report(report, signed_scan=fake, principal_name="张德明", actor=qiye1)
    report = do_submit_periodic_report(report, signed_scan=pdf(), principal_name="张德明", actor=qiye1)
    assert report.status == "submitted" and report.is_late  # last year's was due on 31 January
    with pytest.raises(ActionError):  # a submitted report never changes
        do_prepare_periodic_report(chem, last_year, actor=qiye1)
    client = client_for("qiye1")
    scan = client.get(f"/hazards/reports/{report.pk}/scan/")
    assert scan.status_code == 200 and scan["Content-Type"] == "application/pdf"
    book = load_workbook(io.BytesIO(client.get(f"/hazards/reports/{report.pk}/xlsx/").content))
    rows = {row[0]: row[1] for row in book.worksheets[0].iter_rows(min_row=2, max_col=2, values_only=True)}
    assert rows["企业"] == chem.name and rows["发现隐患数"] == expected.found and rows["主要负责人签字"] == "张德明"
    pages = printed_pages(client.get(f"/hazards/reports/{report.pk}/xlsx/").content, ".xlsx", tmp_path)
    assert len(pages) == 1  # labels and values side by side on one A4 page, ready to sign
    assert chem.name in pages[0] and "张德明" in pages[0] and "发现隐患数" in pages[0]
    for persona in ("zhujian", "zhigong1", "neighbour_officer"):
        assert client_for(persona).get(f"/hazards/reports/{report.pk}/").status_code == 404


def test_pages_prepare_submit_and_who_has_not(world: World, client_for: Any) -> None:
    generate(world, count=30)
    quarter = recent_periods(dt.date.today())[0]  # noqa: DTZ011
    client = client_for("qiye1")
    assert client.get("/hazards/reports/").status_code == 200
    prepared = client.post(
        "/hazards/reports/prepare/", {"period": "quarter", "year": quarter.year, "quarter": quarter.quarter}
    )
    assert prepared.status_code == 302
    report = HazardPeriodicReport.objects.get(enterprise=world.enterprises["chem"])
    assert prepared["Location"] == f"/hazards/reports/{report.pk}/"
    draft = client.get(prepared["Location"])
    assert draft.status_code == 200 and 'data-testid="submit-report"' in draft.content.decode()
    assert f'data-testid="found">{report.figures["found"]}<' in draft.content.decode()
    submitted = client.post(
        f"/hazards/reports/{report.pk}/", {"principal_name": "张德明", "signed_scan": photo("scan.jpg")}
    )
    assert submitted.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted" and report.signed_scan.name.endswith(".jpg")
    final = client_for("anweiban").get(f"/hazards/reports/{report.pk}/")
    assert final.status_code == 200 and 'data-testid="submit-report"' not in final.content.decode()
    page = client_for("anweiban").get(
        f"/hazards/reports/?period=quarter&year={quarter.year}&quarter={quarter.quarter}&missing=1"
    )
    assert page.status_code == 200
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM enterprises_enterprise WHERE region_id LIKE '360431%%' AND status <> 'closed'"""
        )
        total = cursor.fetchone()[0]
    assert page.context["total"] == total and page.context["submitted"] == 1 and page.context["missing"] == total - 1
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM hazards_hazardperiodicreport
               WHERE status = 'submitted' AND (submitted_at AT TIME ZONE 'Asia/Shanghai')::date > due_on"""
        )
        assert page.context["late"] == cursor.fetchone()[0]
    listed = {e.pk for e in page.context["object_list"]}
    assert world.enterprises["chem"].pk not in listed and len(listed) == total - 1
    assert client_for("zhigong1").get("/hazards/reports/").status_code == 404


def test_reports_through_the_api(world: World, client_for: Any) -> None:
    generate(world, count=20)
    quarter = recent_periods(dt.date.today())[0]  # noqa: DTZ011
    client = client_for("qiye1")
    body = {
        "enterprise": world.enterprises["chem"].pk,
        "period": "quarter",
        "year": quarter.year,
        "quarter": quarter.quarter,
    }
    import json

    created = client.post("/api/v1/hazard-reports", json.dumps(body), content_type="application/json")
    assert created.status_code == 201 and created.json()["status"] == "draft"
    report_id = created.json()["id"]
    bad = client.post("/api/v1/hazard-reports", json.dumps({**body, "quarter": 9}), content_type="application/json")
    assert bad.status_code == 422
    submitted = client.post(
        f"/api/v1/hazard-reports/{report_id}/submit", {"principal_name": "张德明", "signed_scan": pdf()}
    )
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    listed = client_for("anweiban").get(f"/api/v1/hazard-reports?year={quarter.year}").json()
    assert [r["id"] for r in listed["items"]] == [report_id]
    assert client_for("zhujian").get(f"/api/v1/hazard-reports/{report_id}").status_code == 404
    assert client_for("zhujian").get("/api/v1/hazard-reports").json()["count"] == 0
