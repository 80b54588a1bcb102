"""Rendering a law-enforcement document (执法文书) to Word and PDF: every field lands in the file, the Chinese
prints (an embedded CJK font, not empty boxes), markup prints literally, and a kind's own Word template wins."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path
from typing import Any

import docx
import pytest

from anjian.inspections import rendering
from anjian.inspections.rendering import render_docx, render_pdf
from tests.office import printed_pages

MARKER = "QX7-MARKER-4711"


def sample(**changes: Any) -> dict[str, Any]:
    content: dict[str, Any] = {
        "kind": "rectification_order",
        "title": "责令限期整改指令书",
        "number": "安澜县应急责改〔2026〕3号",
        "issuer": "安澜县应急管理局",
        "enterprise": "江西鑫源化工有限公司",
        "address": "工业园社区1号",
        "principal": "张三",
        "addressee": "江西鑫源化工有限公司：",
        "sections": [
            {
                "heading": "检查发现的问题",
                "paragraphs": [
                    "1. 未设置可燃气体检测报警装置"
                    "（《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准》第十二条）。",
                    f"{MARKER}：储罐区防火堤内堆放杂物，消防通道被占用。",
                ],
            },
            {
                "heading": "",
                "paragraphs": [
                    "依据《中华人民共和国安全生产法》第六十五条第一款第（三）项的规定，责令你单位于2026年12月20日前整改完毕。"
                ],
            },
        ],
        "officers": [{"name": "李明", "certificate": "36040001"}, {"name": "王强", "certificate": "36040002"}],
        "date": "2026年11月23日",
        "receipt": "签收人：__________    日期：__________",
    }
    content.update(changes)
    return content


def docx_text(data: bytes) -> str:
    """All the text of a Word file: body paragraphs and table cells."""
    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    lines += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(lines)


def pdf_text(data: bytes, workdir: Path) -> str:
    path = workdir / "document.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, timeout=60
    ).stdout.decode()


def embedded_fonts(data: bytes, workdir: Path) -> list[str]:
    """The names of the fonts ``pdffonts`` lists as embedded."""
    path = workdir / "fonts.pdf"
    path.write_bytes(data)
    listing = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, timeout=60).stdout.decode()
    names = []
    for line in listing.splitlines()[2:]:  # below the header and its rule
        columns = line.split()
        # The type column may hold spaces ("CID Type 0C (OT)"): count the last five columns from the right.
        if columns and columns[-5] == "yes":
            names.append(columns[0])
    return names


def test_docx_holds_every_field_and_prints_in_libreoffice(tmp_path: Path) -> None:
    content = sample()
    data = render_docx(content)
    text = docx_text(data)
    for field in ("title", "number", "issuer", "enterprise", "address", "principal", "addressee", "date", "receipt"):
        assert content[field] in text, field
    for section in content["sections"]:
        if section["heading"]:
            assert section["heading"] in text
        for paragraph in section["paragraphs"]:
            assert paragraph in text
    for officer in content["officers"]:
        assert officer["name"] in text and officer["certificate"] in text
    assert "{{" not in text and "{%" not in text and "草稿" not in text

    pages = printed_pages(data, ".docx", tmp_path)
    printed = "\n".join(pages)
    assert content["title"] in printed and MARKER in printed
    assert len(pages) == 1  # the sample fits one A4 page, receipt line included
    assert "签收人" in pages[-1]


def test_optional_parts_may_be_empty(tmp_path: Path) -> None:
    content = sample(addressee="", receipt="", officers=[], address="", principal="")
    text = docx_text(render_docx(content))
    assert MARKER in text and content["issuer"] in text
    assert "{{" not in text and "{%" not in text
    assert "执法人员" not in text and "签收人" not in text and "地　　址" not in text
    printed = pdf_text(render_pdf(content), tmp_path)
    assert MARKER in printed and "执法人员" not in printed and "签收人" not in printed


def test_a_draft_says_so_where_the_number_goes(tmp_path: Path) -> None:
    content = sample(number="")
    assert "（草稿）" in docx_text(render_docx(content))
    assert "草稿" in pdf_text(render_pdf(content), tmp_path)


def test_markup_in_the_content_prints_literally(tmp_path: Path) -> None:
    markup = '<b>&"'
    content = sample()
    content["sections"] = [*content["sections"], {"heading": "附注", "paragraphs": [f"不符合{markup}规定。"]}]
    assert markup in docx_text(render_docx(content))
    printed = pdf_text(render_pdf(content), tmp_path)
    assert markup in printed and "&amp;" not in printed


def test_pdf_prints_the_chinese_with_an_embedded_cjk_font(tmp_path: Path) -> None:
    content = sample()
    data = render_pdf(content)
    assert data.startswith(b"%PDF")
    printed = pdf_text(data, tmp_path)
    for expected in (content["title"], content["number"], content["enterprise"], content["issuer"], MARKER):
        assert expected in printed, expected
    assert "36040002" in printed and "签收人" in printed
    # Without a CJK font WeasyPrint draws empty boxes, yet pdftotext still reads their text (the PDF maps each
    # box back to its character): only the embedded font shows the Chinese is drawn.
    assert any("CJK" in name for name in embedded_fonts(data, tmp_path))


def test_a_kinds_own_word_template_wins_over_the_generic_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, words in (("document.docx", "GENERIC"), ("rectification_order.docx", "OWN")):
        template = docx.Document()
        template.add_paragraph(f"{words} {{{{ title }}}} {{{{ number }}}}")
        template.save(str(tmp_path / name))
    monkeypatch.setattr(rendering, "DOCX_TEMPLATE_DIR", tmp_path)

    own = docx_text(render_docx(sample()))
    assert own.strip() == "OWN 责令限期整改指令书 安澜县应急责改〔2026〕3号"
    generic = docx_text(render_docx(sample(kind="penalty_notice", title="行政处罚告知书")))
    assert generic.startswith("GENERIC 行政处罚告知书")
    # A kind is a code, never a path out of the template directory.
    (tmp_path / "outside.docx").write_bytes((tmp_path / "rectification_order.docx").read_bytes())
    sneaky = sample(kind="../" + tmp_path.name + "/outside")
    assert docx_text(render_docx(sneaky)).startswith("GENERIC")
