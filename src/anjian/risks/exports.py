"""一岗位一清单 (the risk list of one post) as the page shows it and as files to print and sign: Word (python-docx, A4
landscape, one table) and Excel (A4 landscape, the header repeated on every page). Also the words a measure's check
cycle is written in ("每1天 08:00–18:00"), the same on the pages and in the files."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from anjian.enterprises.models import Enterprise
from anjian.risks.choices import COLOUR_NAMES, LEVEL_COLOURS, LEVEL_ORDER, CycleUnit, RiskLevel
from anjian.risks.models import ControlMeasure, RiskEvent, RiskUnit
from anjian.utilities.xlsx import HEADER_FILL, HEADER_FONT, print_setup

# Word on a Chinese Windows knows these; LibreOffice on Linux substitutes Noto CJK (see
# scripts/make_document_template.py, whose choices these follow).
BODY_FONT = "SimSun"
TITLE_FONT = "SimHei"
LATIN_FONT = "Times New Roman"


def cycle_text(measure: ControlMeasure) -> str:
    """每1天 08:00–18:00: the cycle and, when there is one, the daily work window."""
    text = _("every %(count)s %(unit)s") % {"count": measure.cycle, "unit": CycleUnit(measure.cycle_unit).label}
    if measure.window_start and measure.window_end:
        text += f" {measure.window_start:%H:%M}–{measure.window_end:%H:%M}"
    elif measure.window_start:
        text += " " + _("from %(time)s") % {"time": f"{measure.window_start:%H:%M}"}
    return text


def level_text(level: str) -> str:
    """较大风险（橙）: the level with its colour, for print where the colour itself may not show."""
    if not level:
        return _("Not assessed yet")
    chosen = RiskLevel(level)
    return f"{chosen.label}（{COLOUR_NAMES[LEVEL_COLOURS[chosen]]}）"


def level_rank(level: str) -> int:
    """Worst first; not assessed last."""
    return LEVEL_ORDER.index(RiskLevel(level)) if level else len(LEVEL_ORDER)


def post_units(units: QuerySet[RiskUnit], post: str) -> list[RiskUnit]:
    """The units on a post's list, worst first, with their events and the measures in force (3 queries)."""
    measures = ControlMeasure.objects.filter(active=True).select_related("assignee").order_by("pk")
    # Ordered before prefetching: django-stubs refuses a Prefetch on a manager (not on a queryset).
    events = RiskEvent.objects.order_by("pk").prefetch_related(Prefetch("measures", queryset=measures))
    chosen = units.filter(post=post).select_related("risk_object").prefetch_related(Prefetch("events", queryset=events))
    return sorted(chosen, key=lambda u: (level_rank(u.level), u.name, u.pk))


@dataclass(frozen=True)
class Row:
    """One line of the list: a measure of an event of a unit (an event without a measure yet has a line too)."""

    unit: RiskUnit
    event: RiskEvent | None
    measure: ControlMeasure | None


def rows_of(units: Iterable[RiskUnit]) -> list[Row]:
    rows: list[Row] = []
    for unit in units:
        events = list(unit.events.all())
        if not events:
            rows.append(Row(unit, None, None))
        for event in events:
            measures: list[ControlMeasure | None] = [*event.measures.all()] or [None]
            rows.extend(Row(unit, event, measure) for measure in measures)
    return rows


def _columns() -> list[tuple[str, float]]:
    """(header, width in Excel characters): the Word table's widths follow the same proportions."""
    return [
        (_("No."), 6),
        (_("Risk unit"), 16),
        (_("Level"), 12),
        (_("Risk event"), 20),
        (_("Accident type"), 11),
        (_("Control measure"), 28),
        (_("What to check"), 28),
        (_("Check cycle"), 14),
        (_("Control tier"), 11),
        (_("Checked by"), 12),
    ]


def _values(number: int, row: Row) -> list[str]:
    measure = row.measure
    return [
        str(number),
        row.unit.name,
        level_text(row.unit.level),
        row.event.name if row.event else "",
        row.event.get_accident_type_display() if row.event else "",
        measure.description if measure else "",
        measure.check_content if measure else "",
        cycle_text(measure) if measure else "",
        measure.get_control_tier_display() if measure else "",
        measure.assignee.display_name if measure else "",
    ]


def title(post: str) -> str:
    return _("Risk list of the post “%(post)s”") % {"post": post}


def filename(post: str, suffix: str) -> str:
    safe = "".join(c for c in post if c.isalnum() or c in "-_（）()")[:30] or "post"
    return f"{_('Post risk list')}-{safe}-{timezone.localdate():%Y%m%d}.{suffix}"


# --- Word -----------------------------------------------------------------------------------------------------------


def _chinese(run_or_style: Any, east_asian: str) -> None:
    """Word draws Chinese with the w:eastAsia font, which python-docx's ``font.name`` does not set."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run_or_style.font.name = LATIN_FONT
    rpr = run_or_style._element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)
    if rpr.find(qn("w:lang")) is None:
        lang = OxmlElement("w:lang")
        lang.set(qn("w:eastAsia"), "zh-CN")
        rpr.append(lang)


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _merge_runs(table: Any, column: int, keys: Sequence[Any], first_row: int = 1) -> None:
    """Merge the cells of ``column`` over consecutive rows with the same key (a unit over its events)."""
    start = 0
    for index in range(1, len(keys) + 1):
        if index == len(keys) or keys[index] != keys[start]:
            if index - start > 1 and keys[start] is not None:
                top = table.cell(first_row + start, column)
                top.merge(table.cell(first_row + index - 1, column))
            start = index


def docx_bytes(enterprise: Enterprise, post: str, rows: Sequence[Row]) -> bytes:
    """The list as a Word table on A4 landscape, with the signatures below."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.top_margin = section.bottom_margin = Cm(1.8)
    section.left_margin = section.right_margin = Cm(1.6)
    normal = document.styles["Normal"]
    _chinese(normal, BODY_FONT)
    normal.font.size = Pt(10)

    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title(post))
    run.bold = True
    run.font.size = Pt(18)
    _chinese(run, TITLE_FONT)
    facts = document.add_paragraph()
    facts.add_run(
        f"{_('Enterprise')}：{enterprise.name}　　{_('Post')}：{post}　　"
        f"{_('Printed on')}：{timezone.localdate():%Y-%m-%d}"
    )

    columns = _columns()
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    usable = section.page_width - section.left_margin - section.right_margin
    total = sum(width for _header, width in columns)
    table.autofit = False
    widths = [int(usable * width / total) for _header, width in columns]
    for index, (header, _width) in enumerate(columns):
        table.columns[index].width = widths[index]  # the grid LibreOffice lays out by; Word reads the cells'
        cell = table.rows[0].cells[index]
        cell.width = widths[index]
        cell.paragraphs[0].add_run(header).bold = True
    _repeat_header(table.rows[0])
    # A unit's name and level once over its lines, an event's over its measures: the repeated cells stay empty
    # (a merge keeps the text of every cell it joins) and are merged with the first.
    unit_keys = [row.unit.pk for row in rows]
    event_keys = [(row.unit.pk, row.event.pk) if row.event else None for row in rows]
    merged: dict[int, Sequence[Any]] = {1: unit_keys, 2: unit_keys, 3: event_keys, 4: event_keys}
    for index, row in enumerate(rows):
        cells = table.add_row().cells
        for column, value in enumerate(_values(index + 1, row)):
            cells[column].width = widths[column]
            keys = merged.get(column)
            if keys is None or index == 0 or keys[index] is None or keys[index] != keys[index - 1]:
                cells[column].text = value
    for column, keys in merged.items():
        _merge_runs(table, column, keys)

    signatures = document.add_paragraph()
    signatures.paragraph_format.space_before = Pt(18)
    signatures.add_run(
        f"{_('Person at the post (signature)')}：__________　　"
        f"{_('Responsible person (signature)')}：__________　　{_('Date')}：__________"
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- Excel ----------------------------------------------------------------------------------------------------------

LINE_POINTS = 14.5


def _text_width(text: str) -> int:
    """Width in Excel's character units: a Chinese (full-width) character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _row_height(values: Sequence[str], widths: Sequence[float]) -> float:
    """A row tall enough for its wrapped text: Excel and LibreOffice keep the default height of a row written by
    openpyxl, and would cut the text off."""
    lines = 1
    for value, width in zip(values, widths, strict=True):
        for line in value.splitlines() or [""]:
            lines_here = -(-_text_width(line) // max(1, int(width) - 1))
            lines = max(lines, lines_here)
    return LINE_POINTS * lines + 3


def xlsx_bytes(enterprise: Enterprise, post: str, rows: Sequence[Row]) -> bytes:
    """The list as a sheet printed on A4 landscape: a title, the enterprise and the post, then the table."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "".join(c for c in post if c not in "[]:*?/\\")[:31] or "post"
    columns = _columns()
    sheet.append([title(post)])
    printed = f"{timezone.localdate():%Y-%m-%d}"
    sheet.append([f"{_('Enterprise')}：{enterprise.name}　{_('Post')}：{post}　{_('Printed on')}：{printed}"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(columns))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([header for header, _width in columns])
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for index, (_header, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        cell = sheet.cell(row=3, column=index)
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, border
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    widths = [width for _header, width in columns]
    sheet.row_dimensions[3].height = _row_height([header for header, _width in columns], widths)
    wrap = Alignment(vertical="top", wrap_text=True)
    for number, row in enumerate(rows, start=1):
        values = _values(number, row)
        sheet.row_dimensions[3 + number].height = _row_height(values, widths)
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(row=3 + number, column=index, value=value)
            if value.startswith("="):  # a user's text never becomes a formula
                cell.data_type = "s"
            cell.alignment, cell.border = wrap, border
    sheet.freeze_panes = "A4"
    print_setup(sheet, landscape=True, title_rows="3:3")
    footer = sheet.oddFooter
    if footer is not None:
        footer.center.text = "&P / &N"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
