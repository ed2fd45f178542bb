"""Markdown, for pasting into a ticket: a heading, the checklist table, the findings, the summary.

Every piece of text that comes from the packet (file names, messages, reasons) is
escaped: `|` cannot break a table, `<` cannot open HTML, `*`, `_`, `` ` ``, `[`
cannot start formatting or a link, and control characters are shown as escapes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Sequence

from changju_check.render._common import (
    SEVERITY_HEADING,
    STATUS_MARK,
    STATUS_WORD,
    category_display,
    check_lang,
    finding_label,
    grouped_findings,
    label,
    material_label,
    material_title,
    short_files,
    stage_line,
    summary_line,
    visible,
    waived_findings,
    waived_materials_without_finding,
    where,
    word,
)
from changju_check.report import Finding, Report

if TYPE_CHECKING:  # pragma: no cover
    from changju_check.render.summary import Row

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
_SAFE_CODE = re.compile(r"[^A-Za-z0-9_.-]")


def escape(text: str) -> str:
    """Escape Markdown (GFM) inline syntax; newlines become <br>."""
    text = visible(text).replace("&", "&amp;")
    text = _SPECIAL.sub(r"\\\1", text)
    return text.replace("\r\n", "<br>").replace("\r", "<br>").replace("\n", "<br>")


def escape_cell(text: str) -> str:
    """Escape for a table cell: as `escape`, and `|` is always `\\|`."""
    return escape(text)


def _status(status: str, lang: str) -> str:
    mark = STATUS_MARK[status]
    text = word(STATUS_WORD, status, lang)
    return f"{mark} {text}" if mark else text


def _finding_item(report: Report, f: Finding, lang: str) -> str:
    parts = [f"`{_SAFE_CODE.sub('', f.code)}`"]
    label_ = finding_label(report, f, lang)
    if label_:
        parts.append(f"\\[{escape(label_)}\\]")
    loc = where(report, f)
    if loc:
        parts.append(escape(loc))
    text = " ".join(parts) + ": " + escape(f.message.get(lang))
    if f.waived is not None:
        reason = escape(f.waived)
        text += f"（理由：{reason}）" if lang == "zh" else f" (reason: {reason})"
    return f"- {text}"


def render(report: Report, lang: str = "zh", *, heading_level: int = 2) -> str:
    check_lang(lang)
    h = "#" * max(1, min(heading_level, 6))
    colon = ": " if lang == "en" else "："
    sep = " · "
    lines = [f"{h} changju{colon}{escape(report.packet)}", ""]
    meta = [
        f"**{label('category', lang)}**{colon}{escape(category_display(report, lang))}",
        f"**{label('as_of', lang)}**{colon}{report.as_of.isoformat()}",
    ]
    if report.config:  # the repository configuration the check applied
        meta.append(f"**{label('config', lang)}**{colon}{escape(report.config)}")
    lines.append(sep.join(meta))
    if report.strict:
        lines += ["", f"_{escape(label('strict', lang))}_"]
    lines.append("")

    if report.fatal is not None:
        lines.append(f"**{escape(label('fatal_partial' if report.materials else 'fatal', lang))}**")
        lines.append("")

    if report.materials:
        head = [label("number", lang), label("material", lang), label("status", lang), label("files", lang)]
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "---|" * len(head))
        for m in report.materials:
            cells = [
                escape_cell(m.number),
                escape_cell(material_title(m, lang)),
                escape_cell(_status(m.status, lang)),
                escape_cell(short_files(m.files, limit=60, most=5)),
            ]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")

    groups = grouped_findings(report)
    waived = waived_findings(report)
    waived_materials = waived_materials_without_finding(report)
    h3 = "#" * max(1, min(heading_level + 1, 6))
    if not any(groups.values()) and not waived:
        lines += [label("no_findings", lang), ""]
    for severity in ("error", "warning", "review", "info"):
        items = groups[severity]
        if not items:
            continue
        lines.append(f"{h3} {word(SEVERITY_HEADING, severity, lang)} ({len(items)})")
        lines.append("")
        lines.extend(_finding_item(report, f, lang) for f in items)
        lines.append("")
    if waived or waived_materials:
        lines.append(f"{h3} {word(SEVERITY_HEADING, 'waived', lang)} ({len(waived) + len(waived_materials)})")
        lines.append("")
        lines.extend(_finding_item(report, f, lang) for f in waived)
        for m in waived_materials:
            reason = escape(m.waived or "")
            what = escape(material_label(report, m.id, lang) or m.id)
            lines.append(f"- \\[{what}\\]{'：' if lang == 'zh' else ': '}{reason}")
        lines.append("")

    lines.append(f"**{summary_line(report, lang)}**")
    stage = stage_line(report, lang)
    if stage:
        lines += ["", escape(stage)]
    return "\n".join(lines) + "\n"


class Stream:
    """A batch as its reports come (see render.stream): a summary table first (what a ticket
    reader wants), known only at the end, then each packet's section."""

    ahead = False

    def __init__(self, lang: str = "zh", *, details: bool = True):
        from changju_check.render.summary import Rows

        check_lang(lang)
        self.lang, self.details = lang, details
        self.rows = Rows(lang)

    def head(self) -> str:
        return summary_markdown(self.rows.sorted(), self.lang)

    def add(self, report: Report) -> str:
        self.rows.add(report)
        return "\n" + render(report, self.lang, heading_level=3) if self.details else ""

    def tail(self) -> str:
        return ""


def batch_markdown(reports: Sequence[Report], lang: str = "zh", *, details: bool = True) -> str:
    """A summary table first (what a ticket reader wants), then each packet's section."""
    from changju_check.render.stream import collect

    return collect(Stream(lang, details=details), reports)


def summary_markdown(rows: Sequence["Row"], lang: str = "zh") -> str:
    """The summary as a Markdown table with a reasons column, then the closing lines."""
    from changju_check.render.summary import cells, closing_lines, config_line, heads

    check_lang(lang)
    colon = ": " if lang == "en" else "："
    lines = [f"## changju{colon}{label('summary', lang)}", ""]
    lines.append("| " + " | ".join(heads(lang)) + " |")
    lines.append("|---|---|---|--:|--:|--:|---|---|---|")
    for row in rows:
        lines.append("| " + " | ".join(escape_cell(c) for c in cells(row, lang)) + " |")
    ready, overall = closing_lines(rows, lang)
    config = config_line(rows, lang)
    lines += (["", escape(config)] if config else []) + ["", ready, "", f"**{overall}**", ""]
    return "\n".join(lines)


render_batch = batch_markdown
