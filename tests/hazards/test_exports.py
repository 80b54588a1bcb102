"""The 三清单: one workbook, three sheets (问题清单、责任清单、整改清单), exactly the filtered, scoped rows."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.db import connection
from openpyxl import load_workbook

from anjian.core.events import EventCode
from anjian.core.models import AuditEvent
from tests.hazards.helpers import generate
from tests.office import printed_pages
from tests.world import World


def workbook(response: Any) -> Any:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_three_lists_hold_the_filtered_rows(world: World, client_for: Any) -> None:
    generate(world, count=60)
    book = workbook(client_for("anweiban").get("/exports/hazards/?status=open&region=360431101000"))
    assert book.sheetnames == ["问题清单", "责任清单", "整改清单"]
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM hazards_hazard h JOIN enterprises_enterprise e ON e.id = h.enterprise_id
               WHERE h.status IN ('registered', 'rectifying', 'awaiting_acceptance')
                 AND e.region_id LIKE '360431101%%'"""
        )
        expected = cursor.fetchone()[0]
    assert expected > 0
    codes = []
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        assert len(rows) - 1 == expected, sheet.title
        assert rows[0][0] == "隐患编号"
        codes.append([row[0] for row in rows[1:]])
    assert codes[0] == codes[1] == codes[2]  # the same hazards, in the same order, on each list
    headers = [cell.value for cell in next(book["责任清单"].iter_rows(max_row=1))]
    assert "整改责任人" in headers and "验收人" in headers
    headers = [cell.value for cell in next(book["整改清单"].iter_rows(max_row=1))]
    assert "整改措施" in headers and "逾期天数" in headers
    assert AuditEvent.objects.filter(event=EventCode.EXPORT, target_type="hazards").count() == 1


def test_three_lists_print_in_libreoffice(world: World, client_for: Any, tmp_path: Path) -> None:
    """Opened in LibreOffice, each list prints every column across one landscape page, header repeated."""
    generate(world, count=60)
    response = client_for("anweiban").get("/exports/hazards/?status=open")
    data = b"".join(response.streaming_content)
    book = load_workbook(io.BytesIO(data))
    pages = printed_pages(data, ".xlsx", tmp_path)
    assert len(pages) >= 3  # at least one page per sheet
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$1"
        headers = [str(cell.value) for cell in next(sheet.iter_rows(max_row=1))]
        first, last = headers[0], headers[-1]
        sheet_pages = [page for page in pages if last in page]
        assert sheet_pages, f"{sheet.title}: last column {last} never printed"
        for page in sheet_pages:  # the first and the last column share every page: nothing spills over
            assert first in page


def test_export_stays_in_scope(world: World, client_for: Any) -> None:
    generate(world, count=40)
    book = workbook(client_for("zhujian").get("/exports/hazards/"))
    enterprises = {row[1] for row in book["问题清单"].iter_rows(min_row=2, values_only=True)}
    assert enterprises <= {world.enterprises["build"].name}
    assert client_for("zhigong1").get("/exports/hazards/").status_code in (403, 404)
