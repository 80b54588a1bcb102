"""A summary as Markdown, Word and PDF.

- Markdown: the text as written, the 附表 as pipe tables.
- Word: docxtpl over ``templates/stats/summary.docx`` (built by ``summary.docx_template``; an administrator may put
  a copy edited in Word at ``SUMMARY_DOCX_TEMPLATE``'s place), then the 附表 as tables added with python-docx.
- PDF: WeasyPrint over ``stats/summary_pdf.html``, which shares ``stats/summary_body.html`` with the page's
  preview; the CJK fonts (fonts-noto-cjk) are embedded.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from anjian.stats.summary.document import Paragraph, Summary, Table
from anjian.utilities.documents import docx_from_template, pdf_from_html

SUMMARY_DOCX_TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "stats" / "summary.docx"
PDF_TEMPLATE = "stats/summary_pdf.html"
TABLE_FONT_SIZE = 10.5  # 五号
APPENDIX_ANCHOR = "〔附表〕"  # what the template's {{ appendix }} paragraph prints: the 附表 go in its place
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {"md": "text/markdown; charset=utf-8", "docx": DOCX, "pdf": "application/pdf"}

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def filename(summary: Summary, fmt: str) -> str:
    return f"{summary.title}.{fmt}"


# --- Markdown ------------------------------------------------------------------------------------------------


def _escape(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _markdown_paragraph(paragraph: Paragraph) -> str:
    if not paragraph.lead:
        return _escape(paragraph.text)
    # The closing ** must follow a letter, not 。 or ：, to close (CommonMark's flanking rule): the lead's final
    # punctuation goes after it.
    lead, mark = paragraph.lead[:-1], paragraph.lead[-1]
    return f"**{_escape(lead)}**{mark}{_escape(paragraph.text)}"


def _markdown_table(number: int, table: Table) -> list[str]:
    lines = [f"### 附表{number}　{_escape(table.title)}", ""]
    lines.append("| " + " | ".join(_escape(c) for c in table.columns) + " |")
    lines.append("|" + "|".join("---:" if right else "---" for right in table.numeric) + "|")
    lines += ["| " + " | ".join(_escape(cell) for cell in row) + " |" for row in table.rows]
    return [*lines, ""]


def render_markdown(summary: Summary) -> str:
    lines = [f"# {_escape(summary.title)}", "", _escape(summary.subtitle), ""]
    for paragraph in summary.intro:
        lines += [_markdown_paragraph(paragraph), ""]
    for section in summary.sections:
        lines += [f"## {_escape(section.heading)}", ""]
        for paragraph in section.paragraphs:
            lines += [_markdown_paragraph(paragraph), ""]
    lines += ["## 附表", ""]
    for number, table in enumerate(summary.tables, start=1):
        lines += _markdown_table(number, table)
    lines += [_escape(summary.note), ""]
    return "\n".join(lines)


# --- Word ----------------------------------------------------------------------------------------------------


def _rich(paragraph: Paragraph) -> Any:
    from docxtpl import RichText

    rich = RichText()
    if paragraph.lead:
        rich.add(paragraph.lead, bold=True)
    rich.add(paragraph.text)
    return rich


def _set_cell(cell: Any, text: str, *, bold: bool = False, right: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    para = cell.paragraphs[0]
    fmt = para.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.space_before = fmt.space_after = Pt(1)
    if right:
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = para.add_run(text)
    run.bold = bold
    run.font.size = Pt(TABLE_FONT_SIZE)


def _set_widths(document: Any, grid: Any, table: Table) -> None:
    """Widths in proportion to each column's longest text (``Table.weights``): Word reads the cells' widths,
    LibreOffice the grid's, so both are set."""
    section = document.sections[-1]
    usable = section.page_width - section.left_margin - section.right_margin
    weights = table.weights
    widths = [int(usable * weight / sum(weights)) for weight in weights]
    grid.autofit = False
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    for row in grid.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _style(document: Any, name: str) -> str | None:
    """``name`` if the template defines it (an administrator's own template may not), else None (Normal)."""
    return name if any(s.name == name for s in document.styles) else None


def _add_appendix(data: bytes, summary: Summary) -> bytes:
    """The rendered file with the 附表 put in place of the anchor paragraph (at the end if the template has none):
    a new page, a heading, one bordered table per 附表, the note. Built with python-docx after docxtpl has run
    (docxtpl's sub-documents need docxcompose, which anjian does not depend on)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = Document(io.BytesIO(data))
    anchor = next((p for p in document.paragraphs if p.text.strip() == APPENDIX_ANCHOR), None)
    added: list[Any] = []

    def paragraph(text: str = "", style: str | None = None) -> Any:
        para = document.add_paragraph(text, style=_style(document, style) if style else None)
        added.append(para._p)
        return para

    heading = paragraph("附表", "Summary Heading").paragraph_format
    heading.page_break_before = heading.keep_with_next = True
    heading.first_line_indent = Pt(0)
    for number, table in enumerate(summary.tables, start=1):
        caption = paragraph(style="Summary Caption")
        caption.paragraph_format.keep_with_next = True
        caption.add_run(f"附表{number}　{table.title}").bold = True
        grid = document.add_table(rows=1 + len(table.rows), cols=len(table.columns))
        added.append(grid._tbl)
        style = _style(document, "Table Grid")
        if style:
            grid.style = style
        _set_widths(document, grid, table)
        rows = grid.rows  # python-docx's cell(r, c) walks the whole table each time: go row by row
        for cell, title in zip(rows[0].cells, table.columns, strict=True):
            _set_cell(cell, title, bold=True)
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        for row_cells, row in zip(rows[1:], table.rows, strict=True):
            for cell, text, right in zip(row_cells.cells, row, table.numeric, strict=True):
                _set_cell(cell, text, right=right)
    note = paragraph(style="Summary Caption")
    note.paragraph_format.space_before = Pt(12)
    note.add_run(summary.note).font.size = Pt(TABLE_FONT_SIZE)
    if anchor is not None:
        for element in added:
            anchor._p.addprevious(element)
        anchor._p.getparent().remove(anchor._p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_context(summary: Summary) -> dict[str, Any]:
    return {
        "title": summary.title,
        "subtitle": summary.subtitle,
        "intro": [{"rich": _rich(p)} for p in summary.intro],
        "sections": [
            {"heading": s.heading, "paragraphs": [{"rich": _rich(p)} for p in s.paragraphs]} for s in summary.sections
        ],
        "appendix": APPENDIX_ANCHOR,
    }


def render_docx(summary: Summary) -> bytes:
    return _add_appendix(docx_from_template(SUMMARY_DOCX_TEMPLATE, docx_context(summary)), summary)


# --- PDF -----------------------------------------------------------------------------------------------------


def render_pdf(summary: Summary) -> bytes:
    return pdf_from_html(render_to_string(PDF_TEMPLATE, {"summary": summary}))


def render_bytes(summary: Summary, fmt: str) -> bytes:
    """The summary as a file of ``fmt`` (md, docx or pdf)."""
    if fmt == "md":
        return render_markdown(summary).encode()
    if fmt == "docx":
        return render_docx(summary)
    if fmt == "pdf":
        return render_pdf(summary)
    raise ValueError(fmt)
