"""Rendering a document file: Word from a docxtpl template, PDF from HTML through WeasyPrint.

Shared by the law-enforcement documents (``inspections.rendering``) and the work summaries
(``stats.summary.render``). The CJK fonts come from fonts-noto-cjk: without one, Chinese prints as empty boxes."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any


def docx_from_template(template_path: Path, context: dict[str, Any] | Callable[[Any], dict[str, Any]]) -> bytes:
    """The Word file the docxtpl template at ``template_path`` gives for ``context`` (autoescaped). ``context`` may
    be a function of the loaded template, for values built against it (sub-documents)."""
    # Imported here: docxtpl pulls in Jinja and lxml, which only document downloads need.
    from docxtpl import DocxTemplate

    template = DocxTemplate(str(template_path))
    values = context(template) if callable(context) else context
    template.render(values, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def pdf_from_html(html: str) -> bytes:
    """The HTML document laid out as a PDF, its fonts embedded."""
    # Imported here: WeasyPrint loads Pango and fontconfig when imported.
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
