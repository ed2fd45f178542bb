"""Several packets at once: each packet's report, then a summary table and one overall line.

`render_batch(reports, fmt, lang)` is the entry point for every format; text and
Markdown are laid out here, the machine formats (json, sarif, junit, github) know
their own batch layout (see their modules).
"""

from __future__ import annotations

from typing import Sequence

from changju_check.render._common import (
    VERDICT_WORD,
    batch_summary,
    batch_summary_line,
    category_title,
    check_lang,
    label,
    verdict,
    visible,
    word,
)
from changju_check.report import Report

VERDICT_STYLE = {"passed": "green", "failed": "bold red", "unusable": "bold magenta"}


def _rows(reports: Sequence[Report], lang: str) -> list[list[str]]:
    rows = []
    for r in reports:
        v = verdict(r)
        mark = "✓" if v == "passed" else "✗"
        rows.append(
            [
                visible(r.packet, keep_newlines=False),
                category_title(r, lang),
                str(r.errors),
                str(r.warnings),
                f"{mark} {word(VERDICT_WORD, v, lang)}",
            ]
        )
    return rows


def _heads(lang: str) -> list[str]:
    return [label(k, lang) for k in ("packet", "category", "errors", "warnings", "verdict")]


def batch_text(
    reports: Sequence[Report],
    lang: str = "zh",
    *,
    color: bool = False,
    width: int | None = None,
    details: bool = True,
) -> str:
    """Each packet's text report (when `details`), then the summary table and line."""
    from rich import box
    from rich.rule import Rule
    from rich.table import Table
    from rich.text import Text

    from changju_check.render.text import export, make_console, print_report

    check_lang(lang)
    console = make_console(color, width)
    if details:
        for r in reports:
            console.print(Rule(characters="─", style="dim"))
            print_report(console, r, lang)
            console.print()
        console.print(Rule(characters="═", style="dim"))
    console.print(Text(label("summary", lang), style="bold"))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    heads = _heads(lang)
    table.add_column(heads[0], overflow="fold", ratio=3)
    table.add_column(heads[1], overflow="fold", ratio=2)
    table.add_column(heads[2], justify="right", no_wrap=True)
    table.add_column(heads[3], justify="right", no_wrap=True)
    table.add_column(heads[4], no_wrap=True)
    for r, row in zip(reports, _rows(reports, lang)):
        style = VERDICT_STYLE[verdict(r)]
        table.add_row(*(Text(c) for c in row[:4]), Text(row[4], style=style))
    console.print(table)
    s = batch_summary(reports)
    line_style = "bold green" if s["passed"] == s["packets"] else "bold red"
    console.print(Text(batch_summary_line(reports, lang), style=line_style))
    return export(console, color)


def batch_markdown(reports: Sequence[Report], lang: str = "zh", *, details: bool = True) -> str:
    """A summary table first (what a ticket reader wants), then each packet's section."""
    from changju_check.render.markdown import escape_cell
    from changju_check.render.markdown import render as render_markdown

    check_lang(lang)
    heads = _heads(lang)
    colon = ": " if lang == "en" else "："
    lines = [f"## changju{colon}{label('summary', lang)}", ""]
    lines.append("| " + " | ".join(heads) + " |")
    lines.append("|---|---|--:|--:|---|")
    for row in _rows(reports, lang):
        lines.append("| " + " | ".join(escape_cell(c) for c in row) + " |")
    lines += ["", f"**{batch_summary_line(reports, lang)}**", ""]
    text = "\n".join(lines)
    if details:
        for r in reports:
            text += "\n" + render_markdown(r, lang, heading_level=3)
    return text


def render_batch(reports: Sequence[Report], fmt: str = "text", lang: str = "zh", **options: object) -> str:
    """Render several reports in any registered format (see `changju_check.render.FORMATS`)."""
    from changju_check.render import render

    return render(list(reports), fmt, lang, **options)
