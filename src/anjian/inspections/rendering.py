"""A law-enforcement document (执法文书) as a file: Word from a docxtpl template an administrator may replace,
PDF from an HTML template through WeasyPrint. Both take the content dict that ``inspections.documents`` builds."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from anjian.utilities.documents import docx_from_template, pdf_from_html

DOCX_TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "docx"
GENERIC_DOCX_TEMPLATE = "document.docx"
PDF_TEMPLATE = "inspections/document_pdf.html"
DRAFT_NUMBER = "（草稿）"

# A kind names a file in DOCX_TEMPLATE_DIR: anything but a plain code could reach outside it.
_KIND = re.compile(r"[a-z][a-z0-9_]*")


def docx_template(kind: str) -> Path:
    """The kind's own Word template if an administrator has put one in place, else the generic one."""
    if _KIND.fullmatch(kind):
        own = DOCX_TEMPLATE_DIR / f"{kind}.docx"
        if own.is_file():
            return own
    return DOCX_TEMPLATE_DIR / GENERIC_DOCX_TEMPLATE


def _context(content: dict[str, Any]) -> dict[str, Any]:
    """The template variables: the content as given, but a draft (no number yet) says so where the number goes."""
    return {**content, "number": content.get("number") or DRAFT_NUMBER, "is_draft": not content.get("number")}


def render_docx(content: dict[str, Any]) -> bytes:
    """The document as a Word file, from its kind's template (see ``docx_template``)."""
    return docx_from_template(docx_template(content.get("kind", "")), _context(content))


def render_pdf(content: dict[str, Any]) -> bytes:
    """The document as an A4 PDF with its Chinese fonts embedded."""
    return pdf_from_html(render_to_string(PDF_TEMPLATE, _context(content)))
