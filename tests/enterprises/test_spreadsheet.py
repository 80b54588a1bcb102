"""Excel import (all or nothing, errors by row and column) and export (same columns, re-importable)."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from anjian.core.events import EventCode
from anjian.core.models import AuditEvent
from anjian.enterprises import uscc
from anjian.enterprises.models import Enterprise
from anjian.enterprises.spreadsheet import COLUMNS
from tests.world import World, sheet_of

GOOD_A = "91360431MA35A0001"
GOOD_B = "91360431MA35B0002"


def _code(first17: str) -> str:
    body = first17[8:16]
    first17 = first17[:16] + uscc.org_check_character(body)
    return first17 + uscc.check_character(first17)


def _headers() -> list[str]:
    with translation.override("zh-hans"):
        return [str(c.header) + ("*" if c.required else "") for c in COLUMNS]


def _row(**values: Any) -> dict[str, Any]:
    base = {
        "uscc": _code(GOOD_A),
        "name": "安澜县测试化工有限公司",
        "industry": "危险化学品生产",
        "tags": "重大危险源、有限空间作业",
        "scale": "规上",
        "ownership": "民营",
        "region": "青山镇/工业园社区",
        "grid": "青山镇第1网格",
        "address": "青山镇园区一路1号",
        "principal_name": "张三",
        "principal_phone": "13900001111",
        "established_on": "2015-03-01",
        "has_liability_insurance": "是",
        "employee_count": 42,
    }
    base.update(values)
    return base


def _workbook(rows: list[dict[str, Any]]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = sheet_of(book)
    sheet.append(_headers())
    for row in rows:
        sheet.append([row.get(c.field, "") for c in COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(
        "企业.xlsx", buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def _upload(client: Any, rows: list[dict[str, Any]]) -> Any:
    return client.post(reverse("enterprises:import"), {"file": _workbook(rows)})


def test_valid_file_imports_every_row(world: World, client_for: Any) -> None:
    client = client_for("anweiban")
    before = Enterprise.objects.count()
    response = _upload(
        client,
        [
            _row(),
            _row(
                uscc=_code(GOOD_B),
                name="安澜县测试机械有限公司",
                industry="机械",
                tags="",
                region="白石镇/白石社区",
                grid="",
            ),
        ],
    )
    assert response.status_code == 302, response.context and response.context.get("errors")
    assert Enterprise.objects.count() == before + 2
    chem = Enterprise.objects.get(uscc=_code(GOOD_A))
    assert chem.industry.code == "0101" and chem.region.code == "360431101001" and chem.grid == world.grids["g1"]
    assert {t.code for t in chem.tags.all()} == {"major_hazard", "confined_space"}
    assert chem.has_liability_insurance and chem.employee_count == 42 and str(chem.established_on) == "2015-03-01"
    assert AuditEvent.objects.filter(event=EventCode.IMPORT).count() == 1


def test_one_bad_row_imports_nothing_and_errors_name_row_and_column(world: World, client_for: Any) -> None:
    client = client_for("anweiban")
    before = Enterprise.objects.count()
    bad_check = _code(GOOD_B)[:17] + ("0" if _code(GOOD_B)[17] != "0" else "1")
    rows = [
        _row(),
        _row(uscc=bad_check, name="坏行公司", industry="不存在的行业", scale="特大"),
        _row(uscc=_code(GOOD_A), name="重复代码公司"),
        _row(uscc=_code("91360431MA35C0003"), name="越界公司", region="河口镇/河口村"),
    ]
    response = _upload(client, rows)
    assert response.status_code == 200
    assert Enterprise.objects.count() == before  # nothing imported
    errors = response.context["errors"]
    by_cell = {(e.row, e.column): e for e in errors}
    headers = _headers()
    col = {c.field: chr(ord("A") + i) for i, c in enumerate(COLUMNS)}
    assert (3, col["uscc"]) in by_cell
    assert (3, col["industry"]) in by_cell and by_cell[(3, col["industry"])].value == "不存在的行业"
    assert (3, col["scale"]) in by_cell
    assert (4, col["uscc"]) in by_cell  # the same code as row 2
    assert (5, col["region"]) in by_cell  # outside the importer's territory
    assert 2 not in {e.row for e in errors}
    assert (
        by_cell[(3, col["industry"])].header
        == headers[COLUMNS.index(next(c for c in COLUMNS if c.field == "industry"))]
    )
    body = response.content.decode()
    assert "不存在的行业" in body


def test_missing_required_columns_and_wrong_files(world: World, client_for: Any) -> None:
    client = client_for("anweiban")
    book = Workbook()
    sheet_of(book).append(["企业名称", "地址"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post(reverse("enterprises:import"), {"file": SimpleUploadedFile("a.xlsx", buffer.getvalue())})
    assert response.status_code == 200 and "统一社会信用代码" in response.context["file_error"]
    response = client.post(reverse("enterprises:import"), {"file": SimpleUploadedFile("a.xlsx", b"not a zip file")})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(reverse("enterprises:import"), {"file": SimpleUploadedFile("a.csv", b"a,b")})
    assert response.context["form"].errors


def test_only_government_staff_may_import(world: World, client_for: Any) -> None:
    assert client_for("qiye1").get(reverse("enterprises:import")).status_code == 403
    assert client_for("wangge1").get(reverse("enterprises:import")).status_code == 403
    assert client_for("zhen1").get(reverse("enterprises:import")).status_code == 200


def test_template_has_the_columns(world: World, client_for: Any) -> None:
    response = client_for("anweiban").get(reverse("enterprises:import_template"))
    sheet = sheet_of(load_workbook(io.BytesIO(response.content)))
    header = [cell.value for cell in sheet[1]]
    assert header == _headers()


def test_export_is_scoped_filtered_audited_and_reimportable(world: World, client_for: Any) -> None:
    client = client_for("anweiban")
    response = client.get(reverse("core:export", args=["enterprises"]) + "?industry=01")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    sheet = sheet_of(load_workbook(io.BytesIO(b"".join(response.streaming_content))))
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][: len(COLUMNS)] == tuple(_headers()[i].rstrip("*") for i in range(len(COLUMNS)))
    assert [r[1] for r in rows[1:]] == ["江西鑫源化工有限公司"]  # 危化 in the county; the neighbour's is out of scope
    export = AuditEvent.objects.filter(event=EventCode.EXPORT).latest("id")
    assert export.new == {"rows": 1, "filters": "industry=01"} and export.actor_username == "anweiban"
    # Re-import: the exported row with a new code and name goes through the import unchanged otherwise.
    book = Workbook()
    sheet_of(book).append(list(rows[0]))
    changed = list(rows[1])
    changed[0], changed[1] = _code("91360431MA35D0004"), "再导入化工有限公司"
    sheet_of(book).append(changed)
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post(reverse("enterprises:import"), {"file": SimpleUploadedFile("x.xlsx", buffer.getvalue())})
    assert response.status_code == 302, response.context and (
        response.context.get("errors"),
        response.context.get("file_error"),
    )
    assert Enterprise.objects.filter(name="再导入化工有限公司", industry__code="0101").exists()


def test_worker_may_not_export(world: World, client_for: Any) -> None:
    assert client_for("zhigong1").get(reverse("core:export", args=["enterprises"])).status_code == 403
