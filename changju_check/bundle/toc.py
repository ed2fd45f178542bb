"""The 附件材料目录 (TOC of the attachments): real, extractable Chinese text set with reportlab.

One row per material: 序号 (the guide's number), 材料名称 (wrapping), 页码 (`12–15` or `12`).
Pages are A4; the header row repeats on every page; TOC pages carry no page number.
"""

from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass
from xml.sax.saxutils import escape

from changju_check.bundle.fonts import LATIN_FONT, FontChoice, latin_ok

TOC_TITLE = "附件材料目录"
HEADERS = ("序号", "材料名称", "页码")
EN_DASH = "\u2013"
# Every fixed character the TOC may print besides the rows' own text (also read by
# make_font_subset.py).
TOC_FIXED_TEXT = TOC_TITLE + "".join(HEADERS) + "其他材料" + "0123456789" + EN_DASH + "-.()（）、，。：；“”《》"

MM = 72 / 25.4
PAGE_W, PAGE_H = 595.2756, 841.8898  # A4 in points
MARGIN_X = 25 * MM
MARGIN_TOP = 25 * MM
MARGIN_BOTTOM = 22 * MM
COL_NUMBER = 24 * MM
COL_PAGES = 26 * MM


@dataclass(frozen=True)
class TocRow:
    number: str
    title: str
    pages: str  # "12" or "12–15"
    section: str = ""


def page_range_text(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}{EN_DASH}{last}"


def toc_text(rows: list[TocRow]) -> str:
    """Every character the TOC will print (for choosing and checking the font)."""
    parts = [TOC_TITLE, *HEADERS]
    for r in rows:
        parts += [r.number, r.title, r.pages, r.section]
    return "".join(parts)


def _is_latin(ch: str, font: FontChoice) -> bool:
    """ASCII and the en dash are always set in the Latin font (Times, as Chinese documents set
    digits and letters); other WinAnsi characters (“”·—) only where the CJK font lacks them."""
    if ch.isascii() or ch == EN_DASH:
        return True
    return not font.has(ch) and latin_ok(ch)


def _markup(text: str, font: FontChoice) -> str:
    """Paragraph markup with the Latin runs in the Latin font."""
    out: list[str] = []
    run: list[str] = []
    run_latin = False

    def flush() -> None:
        if run:
            body = escape("".join(run))
            out.append(f'<font face="{LATIN_FONT}">{body}</font>' if run_latin else body)
            run.clear()

    for ch in text:
        latin = _is_latin(ch, font)
        if latin != run_latin:
            flush()
            run_latin = latin
        run.append(ch)
    flush()
    return "".join(out)


@contextlib.contextmanager
def _reportlab_safe_env():
    """reportlab reads SOURCE_DATE_EPOCH itself and crashes (int('...')) on a value that is not
    an integer; the TOC's own dates are discarded anyway, so hide a bad value from it."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    bad = raw is not None and raw.strip() != "" and not raw.strip().lstrip("-").isdigit()
    if bad:
        del os.environ["SOURCE_DATE_EPOCH"]
    try:
        yield
    finally:
        if bad:
            os.environ["SOURCE_DATE_EPOCH"] = raw


def render_toc(rows: list[TocRow], font: FontChoice, *, title: str = TOC_TITLE) -> tuple[bytes, int]:
    """The TOC as PDF bytes (byte-identical for identical input) and its page count."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import (
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    fn = font.reg_name
    title_style = ParagraphStyle("toc-title", fontName=fn, fontSize=18, leading=26, alignment=TA_CENTER)
    head_style = ParagraphStyle("toc-head", fontName=fn, fontSize=11, leading=15, alignment=TA_CENTER)
    cell_c = ParagraphStyle("toc-cell-c", fontName=fn, fontSize=10.5, leading=15, alignment=TA_CENTER, wordWrap="CJK")
    cell_l = ParagraphStyle("toc-cell-l", fontName=fn, fontSize=10.5, leading=15, alignment=TA_LEFT, wordWrap="CJK")
    section_style = ParagraphStyle("toc-section", parent=cell_l, fontSize=11)

    def p(text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(_markup(text, font), style)

    data: list[list] = [[p(h, head_style) for h in HEADERS]]
    style_cmds: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
    ]
    section = ""
    for r in rows:
        if r.section and r.section != section:
            section = r.section
            i = len(data)
            data.append([p(r.section, section_style), "", ""])
            style_cmds += [
                ("SPAN", (0, i), (-1, i)),
                ("BACKGROUND", (0, i), (-1, i), colors.Color(0.96, 0.96, 0.96)),
            ]
        data.append([p(r.number, cell_c), p(r.title, cell_l), p(r.pages, cell_c)])

    width = PAGE_W - 2 * MARGIN_X
    table = Table(
        data,
        colWidths=[COL_NUMBER, width - COL_NUMBER - COL_PAGES, COL_PAGES],
        repeatRows=1,
        splitByRow=1,
    )
    table.setStyle(TableStyle(style_cmds))

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=(PAGE_W, PAGE_H),
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        invariant=1,
        title=title,
        author="",
        subject="",
        creator="changju-check",
        producer="changju-check",
    )
    story = [Paragraph(_markup(title, font), title_style), Spacer(1, 8 * MM), table]
    with _reportlab_safe_env():
        doc.build(story)
    return buf.getvalue(), doc.page
