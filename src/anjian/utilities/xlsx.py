"""Reading and writing Excel workbooks (openpyxl): streaming writes for big exports, strict reads for imports."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="0B5C8A")


def print_setup(sheet: Any, *, landscape: bool, title_rows: str | None = None) -> None:
    """Print on A4, all columns on one page width (rows run on), the header repeated on every page: what a
    printed ledger or a signed table needs (LibreOffice and Excel otherwise spill columns onto extra pages)."""
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    if title_rows:
        sheet.print_title_rows = title_rows


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    width: int = 14


def _cell_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def _row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """Cells for one row. Text starting with "=" is kept as text: openpyxl would otherwise write a formula,
    and a user's input must never become one (formula injection)."""
    cells: list[Any] = []
    for raw in values:
        value = _cell_value(raw)
        if isinstance(value, str) and value.startswith("="):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            cells.append(cell)
        else:
            cells.append(value)
    return cells


def write_workbook(
    target: str | IO[bytes],
    *,
    title: str,
    columns: Sequence[Column],
    objects: Iterable[Any],
    progress: Callable[[int], None] | None = None,
    every: int = 500,
) -> int:
    """Write one sheet with a styled, frozen header row; returns the number of data rows written."""
    return write_sheets(target, sheets=[(title, columns)], objects=lambda: objects, progress=progress, every=every)


def write_sheets(
    target: str | IO[bytes],
    *,
    sheets: Sequence[tuple[str, Sequence[Column]]],
    objects: Callable[[], Iterable[Any]],
    progress: Callable[[int], None] | None = None,
    every: int = 500,
) -> int:
    """Write the same rows into several sheets, each with its own columns (``objects()`` is called once per
    sheet, e.g. a queryset iterator); returns the number of rows per sheet. Progress counts all sheets' rows."""
    workbook = Workbook(write_only=True)
    count = done = 0
    for title, columns in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.freeze_panes = "A2"
        print_setup(sheet, landscape=True, title_rows="1:1")
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=str(column.header))
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(vertical="center")
            header.append(cell)
        sheet.append(header)
        count = 0
        for obj in objects():
            sheet.append(_row(sheet, (column.value(obj) for column in columns)))
            count += 1
            done += 1
            if progress and done % every == 0:
                progress(done)
    workbook.save(target)
    if progress:
        progress(done)
    return count


@dataclass(frozen=True)
class SheetRow:
    number: int  # the row number Excel shows
    values: dict[str, Any]  # header → cell value


def read_sheet(source: IO[bytes], *, max_rows: int) -> tuple[list[str], list[SheetRow]]:
    """The first sheet's header names and its non-empty data rows. Raises ValueError on a broken file."""
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a bad file
        raise ValueError(str(error)) from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        try:
            header_row = next(rows)
        except StopIteration:
            return [], []
        headers = [str(h).strip() if h is not None else "" for h in header_row]
        result: list[SheetRow] = []
        for number, row in enumerate(rows, start=2):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
                continue
            if len(result) >= max_rows:
                raise ValueError(f"more than {max_rows} rows")
            values = {headers[i]: v for i, v in enumerate(row) if i < len(headers) and headers[i]}
            result.append(SheetRow(number, values))
        return headers, result
    finally:
        workbook.close()


def column_letter(headers: Sequence[str], header: str) -> str:
    try:
        return get_column_letter(list(headers).index(header) + 1)
    except ValueError:
        return ""
