"""Build the generic Word template of a law-enforcement document (执法文书), the DOCX twin of document_pdf.html.

Run after changing the layout: ``.venv/bin/python scripts/make_document_template.py``; the .docx it writes is
kept in the repository (administrators may replace it with their own copy edited in Word)."""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.oxml import serialize_part_xml
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph
from docx.text.run import Run

TARGET = Path(__file__).resolve().parents[1] / "src" / "anjian" / "inspections" / "templates" / "docx" / "document.docx"

# Names Word on a Chinese Windows knows. The body font goes by its English name: LibreOffice on Linux then
# substitutes Noto Serif CJK for it (for "宋体" it finds only a sans-serif one).
BODY_FONT = "SimSun"
TITLE_FONT = "方正小标宋简体"
TITLE_FALLBACK = "黑体"
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(12)
TITLE_SIZE = Pt(22)
# 12pt × 1.8, as in the PDF; an exact height because a multiple of a CJK font's own line height is far taller.
BODY_LINE = Pt(22)

# fontTable entries: w:altName is the font Word uses where the named one is not installed (方正小标宋 is not
# part of Windows; 黑体 is), and charset 86 (GB2312) tells it these are Chinese fonts.
FONT_TABLE_ENTRIES = {
    BODY_FONT: "宋体",
    TITLE_FONT: TITLE_FALLBACK,
    TITLE_FALLBACK: "SimHei",
}


# The elements that must follow w:lang in a w:rPr and w:pBdr in a w:pPr: Word refuses a file whose property
# elements are out of schema order, and python-docx has no accessor for these two.
AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath", "w:rPrChange")
AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def set_fonts(element: Run | ParagraphStyle, east_asian: str) -> None:
    """Word draws Chinese text with the w:eastAsia font, which python-docx's ``font.name`` does not set."""
    element.font.name = LATIN_FONT
    rpr = element._element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.insert_element_before(lang, *AFTER_LANG)
    # The language tells LibreOffice which script to find a substitute for when 宋体 is not installed.
    lang.set(qn("w:eastAsia"), "zh-CN")


def paragraph(
    document: DocumentObject,
    text: str,
    *,
    align: WD_ALIGN_PARAGRAPH | None = None,
    bold: bool = False,
    indent: bool = False,
    before: float = 0,
    after: float = 0,
    keep_with_next: bool = False,
) -> Paragraph:
    """A paragraph holding ``text`` in a single run, so docxtpl sees each Jinja tag unbroken."""
    para = document.add_paragraph()
    if align is not None:
        para.alignment = align
    para.paragraph_format.space_before = Pt(before)
    para.paragraph_format.space_after = Pt(after)
    para.paragraph_format.keep_with_next = keep_with_next
    if indent:
        para.paragraph_format.first_line_indent = BODY_SIZE * 2  # 首行缩进两字
    para.add_run(text).bold = bold
    return para


def tag(document: DocumentObject, text: str) -> None:
    """A ``{%p %}`` control paragraph: docxtpl replaces the whole paragraph, so it leaves no blank line."""
    document.add_paragraph(text)


def rule_above(para: Paragraph) -> None:
    border = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "8"), ("w:color", "808080")):
        top.set(qn(key), value)
    border.append(top)
    para._p.get_or_add_pPr().insert_element_before(border, *AFTER_PBDR)


def add_font_fallbacks(document: DocumentObject) -> None:
    part = next(p for p in document.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    if type(part) is not Part:
        raise TypeError(f"python-docx now parses the font table ({type(part).__name__}): update this script")
    fonts = parse_xml(part.blob)
    for name, alternative in FONT_TABLE_ENTRIES.items():
        fonts.append(
            parse_xml(
                f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alternative}"/>'
                '<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
            )
        )
    # python-docx keeps the font table as a plain Part, whose content has no setter.
    part._blob = serialize_part_xml(fonts)


def page_footer(document: DocumentObject) -> None:
    """「第 N 页  共 M 页」 centred at the foot of each page, as the PDF prints it."""
    footer = document.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text, field in (("第 ", "PAGE"), (" 页  共 ", "NUMPAGES"), (" 页", None)):
        footer.add_run(text).font.size = Pt(9)
        if field is not None:
            # A field Word and LibreOffice compute when they lay the pages out.
            footer._p.append(
                parse_xml(
                    f'<w:fldSimple {nsdecls("w")} w:instr="{field}"><w:r><w:rPr><w:sz w:val="18"/></w:rPr>'
                    "<w:t>1</w:t></w:r></w:fldSimple>"
                )
            )


def build() -> DocumentObject:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin = section.right_margin = Cm(2.5)

    normal = document.styles["Normal"]
    if not isinstance(normal, ParagraphStyle):
        raise TypeError("the Normal style is not a paragraph style")
    set_fonts(normal, BODY_FONT)
    normal.font.size = BODY_SIZE
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = BODY_LINE
    normal.paragraph_format.space_after = Pt(0)
    add_font_fallbacks(document)
    page_footer(document)

    title = paragraph(document, "{{ title }}", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, after=6)
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    title.runs[0].font.size = TITLE_SIZE
    set_fonts(title.runs[0], TITLE_FONT)
    paragraph(document, "{{ number }}", align=WD_ALIGN_PARAGRAPH.CENTER, after=18)

    tag(document, "{%p if enterprise %}")
    paragraph(document, "被检查单位：{{ enterprise }}")
    tag(document, "{%p endif %}")
    tag(document, "{%p if address %}")
    paragraph(document, "地　　址：{{ address }}")
    tag(document, "{%p endif %}")
    tag(document, "{%p if principal %}")
    paragraph(document, "主要负责人：{{ principal }}")
    tag(document, "{%p endif %}")

    tag(document, "{%p if addressee %}")
    paragraph(document, "{{ addressee }}", before=12)
    tag(document, "{%p endif %}")

    tag(document, "{%p for section in sections %}")
    tag(document, "{%p if section.heading %}")
    paragraph(document, "{{ section.heading }}", bold=True, before=8, keep_with_next=True)
    tag(document, "{%p endif %}")
    tag(document, "{%p for text in section.paragraphs %}")
    paragraph(document, "{{ text }}", indent=True)
    tag(document, "{%p endfor %}")
    tag(document, "{%p endfor %}")

    tag(document, "{%p if officers %}")
    paragraph(document, "执法人员：", bold=True, before=18, keep_with_next=True)
    # python-docx's default table style draws no borders: a plain two-column grid of names and certificates.
    officers = document.add_table(rows=3, cols=2)
    officers.alignment = WD_TABLE_ALIGNMENT.LEFT
    officers.autofit = False
    # Word reads the cells' widths, LibreOffice the grid's: set both.
    for column, width in zip(officers.columns, (Cm(3), Cm(8)), strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
    officers.cell(0, 0).text = "{%tr for officer in officers %}"
    officers.cell(1, 0).text = "{{ officer.name }}"
    officers.cell(1, 1).text = "执法证号：{{ officer.certificate }}"
    for cell in officers.rows[1].cells:
        cell.paragraphs[0].paragraph_format.keep_with_next = True
    officers.cell(2, 0).text = "{%tr endfor %}"
    tag(document, "{%p endif %}")

    # Officers, issuer, date and receipt share a page, as in the PDF: a signature never stands apart.
    paragraph(document, "{{ issuer }}（印章）", align=WD_ALIGN_PARAGRAPH.RIGHT, before=30, keep_with_next=True)
    paragraph(document, "{{ date }}", align=WD_ALIGN_PARAGRAPH.RIGHT, keep_with_next=True)

    tag(document, "{%p if receipt %}")
    # The rule marks the part the enterprise signs when it receives the document.
    rule_above(paragraph(document, "{{ receipt }}", before=24))
    tag(document, "{%p endif %}")

    document.core_properties.title = "执法文书"
    document.core_properties.author = "anjian"
    return document


def main() -> int:
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    build().save(str(TARGET))
    print(TARGET)
    return 0


if __name__ == "__main__":
    sys.exit(main())
