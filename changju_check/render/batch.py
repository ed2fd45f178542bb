"""Several packets at once: the summary table's rows and headings, shared by the formats that
end a batch with one (text: `text.batch_text`, Markdown: `markdown.batch_markdown`). The machine
formats (json, sarif, junit, github) know their own batch layout (see their modules); the entry
point for every format is `changju_check.render.render_batch`.
"""

from __future__ import annotations

from typing import Sequence

from changju_check.render._common import (
    VERDICT_WORD,
    category_title,
    label,
    verdict,
    visible,
    word,
)
from changju_check.report import Report

VERDICT_STYLE = {"passed": "green", "failed": "bold red", "unusable": "bold magenta"}


def rows(reports: Sequence[Report], lang: str) -> list[list[str]]:
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


def heads(lang: str) -> list[str]:
    return [label(k, lang) for k in ("packet", "category", "errors", "warnings", "verdict")]
