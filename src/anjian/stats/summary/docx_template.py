"""Build the Word template of the work summaries (``stats/templates/stats/summary.docx``), laid out as a 公文:
A4; margins 3.7 / 3.5 / 2.8 / 2.6 cm; title in bold serif 22 pt (方正小标宋's place), body in serif 16 pt (仿宋's
place) with 28 pt lines and a two-character indent, headings in sans-serif 16 pt (黑体's place), page numbers
"— 1 —" at the foot. The fonts are the Noto CJK ones Debian ships (fonts-noto-cjk), each with the Windows font it
stands for as its alternative name, so Word on a machine without Noto picks a Chinese font of the same kind.

Run after changing the layout: ``.venv/bin/python -m anjian.stats.summary.docx_template``; the .docx is kept in
the repository. An administrator may edit a copy in Word and put it in its place: the Jinja tags must stay, each
in its own paragraph, and the styles named here ("Summary Body" …) are used by the 附表 when present."""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.oxml import serialize_part_xml
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt
from docx.styles.style import ParagraphStyle

TARGET = Path(__file__).resolve().parents[1] / "templates" / "stats" / "summary.docx"

LATIN_FONT = "Times New Roman"
SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"
# fontTable entries: the Windows font each stands for (w:altName), charset 86 = GB2312 (a Chinese font).
FONT_TABLE_ENTRIES = {SERIF: "仿宋", SANS: "黑体"}
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
LINE = Pt(28)
# The elements that must follow w:lang in a w:rPr: Word refuses property elements out of schema order.
AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath", "w:rPrChange")


def set_fonts(style: ParagraphStyle, east_asian: str) -> None:
    """Word draws Chinese text with the w:eastAsia font, which python-docx's ``font.name`` does not set."""
    style.font.name = LATIN_FONT
    rpr = style._element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.insert_element_before(lang, *AFTER_LANG)
    lang.set(qn("w:eastAsia"), "zh-CN")


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
    part._blob = serialize_part_xml(fonts)


def paragraph_style(
    document: DocumentObject,
    name: str,
    *,
    font: str = SERIF,
    size: Pt = BODY_SIZE,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: bool = False,
    before: float = 0,
    after: float = 0,
    line: Pt | None = LINE,
    keep_with_next: bool = False,
) -> ParagraphStyle:
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if not isinstance(style, ParagraphStyle):
        raise TypeError(f"{name} is not a paragraph style")
    style.base_style = document.styles["Normal"]
    set_fonts(style, font)
    style.font.size = size
    style.font.bold = bold
    fmt = style.paragraph_format
    if align is not None:
        fmt.alignment = align
    fmt.first_line_indent = size * 2 if indent else Pt(0)
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if line is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = line
    fmt.keep_with_next = keep_with_next
    fmt.widow_control = True
    return style


def page_numbers(document: DocumentObject) -> None:
    """「— 1 —」 centred at the foot of each page, as 公文 number their pages."""
    footer = document.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text, field in (("— ", "PAGE"), (" —", None)):
        footer.add_run(text).font.size = Pt(14)
        if field is not None:
            footer._p.append(
                parse_xml(
                    f'<w:fldSimple {nsdecls("w")} w:instr="{field}"><w:r><w:rPr><w:sz w:val="28"/></w:rPr>'
                    "<w:t>1</w:t></w:r></w:fldSimple>"
                )
            )


def build() -> DocumentObject:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    section.footer_distance = Cm(2.2)

    normal = document.styles["Normal"]
    if not isinstance(normal, ParagraphStyle):
        raise TypeError("the Normal style is not a paragraph style")
    set_fonts(normal, SERIF)
    normal.font.size = BODY_SIZE
    normal.paragraph_format.space_after = Pt(0)
    add_font_fallbacks(document)
    page_numbers(document)

    title = paragraph_style(
        document, "Summary Title", size=TITLE_SIZE, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=8, line=None
    )
    subtitle = paragraph_style(document, "Summary Subtitle", align=WD_ALIGN_PARAGRAPH.CENTER, after=16)
    heading = paragraph_style(document, "Summary Heading", font=SANS, indent=True, keep_with_next=True)
    body = paragraph_style(document, "Summary Body", indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    paragraph_style(document, "Summary Caption", size=Pt(12), before=6, after=4, line=None)

    def add(text: str, style: ParagraphStyle | None = None) -> None:
        document.add_paragraph(text, style=style)

    add("{{ title }}", title)
    add("{{ subtitle }}", subtitle)
    add("{%p for p in intro %}")
    add("{{r p.rich }}", body)
    add("{%p endfor %}")
    add("{%p for section in sections %}")
    add("{{ section.heading }}", heading)
    add("{%p for p in section.paragraphs %}")
    add("{{r p.rich }}", body)
    add("{%p endfor %}")
    add("{%p endfor %}")
    add("{{ appendix }}")

    document.core_properties.title = "安全生产工作总结"
    document.core_properties.author = "anjian"
    return document


def main() -> int:
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    build().save(str(TARGET))
    print(TARGET)
    return 0


if __name__ == "__main__":
    sys.exit(main())
