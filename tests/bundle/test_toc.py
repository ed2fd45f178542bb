"""The TOC renderer on its own: ranges, escaping, fonts per character, byte identity."""

from __future__ import annotations

import io

from pypdf import PdfReader

from changju_check.bundle.fonts import choose_font
from changju_check.bundle.toc import TocRow, _markup, page_range_text, render_toc, toc_text

from .helpers import squash


def test_page_range_text():
    assert page_range_text(12, 12) == "12"
    assert page_range_text(12, 15) == "12\u201315"


def _font(rows):
    return choose_font(toc_text(rows), None, system=[])


def test_markup_escapes_and_sets_ascii_in_times():
    rows = [TocRow("1.(9)", "其他材料 A&B <x>", "3")]
    font = _font(rows)
    m = _markup("其他 A&B <x>–", font)
    assert m == '其他<font face="Times-Roman"> A&amp;B &lt;x&gt;–</font>'
    pdf, pages = render_toc(rows, font)
    text = squash(PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert "其他材料A&B<x>" in text and pages == 1


def test_render_is_byte_identical_and_dateless():
    rows = [TocRow(f"2.({i})", "申报人获奖情况", page_range_text(i, i + 1), "2. 申报人提供材料") for i in range(1, 30)]
    font = _font(rows)
    a, _ = render_toc(rows, font)
    b, _ = render_toc(rows, font)
    assert a == b


def test_section_rows_appear_once_per_group():
    rows = [
        TocRow("1.(1)", "《单位诚信声明》", "1", "1. 申报单位提供材料"),
        TocRow("1.(2)", "《申报承诺书》", "2", "1. 申报单位提供材料"),
        TocRow("2.(1)", "申报人有效身份证件", "3", "2. 申报人提供材料"),
    ]
    pdf, _ = render_toc(rows, _font(rows))
    text = squash(PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert text.count("1.申报单位提供材料") == 1 and text.count("2.申报人提供材料") == 1
    assert text.index("1.申报单位提供材料") < text.index("《单位诚信声明》") < text.index("2.申报人提供材料")
