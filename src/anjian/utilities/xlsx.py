"""Reading and writing Excel workbooks: streaming writes for exports (``xlsx_stream``), strict reads for imports
(openpyxl)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from openpyxl import load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from anjian.utilities import xlsx_stream

# The header style of the workbooks built with openpyxl (forms, registers); xlsx_stream writes the same.
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


def labels(choices: Any, attribute: str) -> Callable[[Any], str]:
    """A column value: the label of ``obj.<attribute>`` among ``choices`` (a TextChoices class), translated once
    per export — ``get_FOO_display`` rebuilds a dict of lazy translations on every call, a quarter of a big export."""
    names = {value: str(label) for value, label in choices.choices}

    def label(obj: Any) -> str:
        value = getattr(obj, attribute)
        return names.get(value, value or "")

    return label


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
    return write_sheets(target, sheets=[(title, columns)], objects=objects, progress=progress, every=every)


def write_sheets(
    target: str | IO[bytes],
    *,
    sheets: Sequence[tuple[str, Sequence[Column]]],
    objects: Iterable[Any],
    progress: Callable[[int], None] | None = None,
    every: int = 500,
) -> int:
    """Write the same rows into several sheets, each with its own columns, in one pass over ``objects`` (the
    streaming writer of ``xlsx_stream``); returns the number of rows. Progress counts rows."""
    return xlsx_stream.write_sheets(target, sheets=sheets, objects=objects, progress=progress, every=every)


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
