"""The default output, for people: header, checklist table, findings by severity, one-line summary.

Rendered with rich into a string. rich is imported inside the functions, never when
`changju_check.render` is imported. Without colour (`color=False`, the default: the
CLI turns it on for a terminal) the string has no ANSI escapes and reads well when
piped or saved. Everything from the packet goes through `visible()` first, so an
escape sequence hidden in a file name cannot reach the terminal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from changju_check.render._common import (
    SEVERITY_HEADING,
    STATUS_MARK,
    STATUS_WORD,
    category_display,
    cell_width,
    check_lang,
    finding_line,
    grouped_findings,
    label,
    material_label,
    material_title,
    short_files,
    summary_line,
    visible,
    waived_findings,
    waived_materials_without_finding,
    word,
)
from changju_check.report import Report

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from changju_check.render.summary import Row

DEFAULT_WIDTH = 100

STATUS_STYLE = {
    "present": "green",
    "missing": "bold red",
    "not_applicable": "dim",
    "optional_missing": "yellow",
    "waived": "cyan",
}
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "blue", "waived": "cyan"}


def make_console(color: bool, width: int | None) -> "Console":
    """A recording console that writes nowhere: the caller takes the text with `export_text`."""
    from io import StringIO

    from rich.console import Console

    return Console(
        file=StringIO(),
        record=True,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        width=width or DEFAULT_WIDTH,
        highlight=False,
        emoji=False,
        markup=False,
        legacy_windows=False,
        soft_wrap=False,
        force_jupyter=False,
        force_interactive=False,
    )


def export(console: "Console", color: bool) -> str:
    text = console.export_text(styles=color, clear=True)
    text = "\n".join(line.rstrip(" ") for line in text.splitlines())
    return text + "\n"


def _status_text(status: str, lang: str):
    from rich.text import Text

    mark = STATUS_MARK[status]
    words = word(STATUS_WORD, status, lang)
    return Text(f"{mark} {words}" if mark else words, style=STATUS_STYLE[status])


def header_line(report: Report, lang: str) -> str:
    colon = ": " if lang == "en" else "："
    parts = [
        f"{label('packet', lang)}{colon}{visible(report.packet, keep_newlines=False)}",
        f"{label('category', lang)}{colon}{category_display(report, lang)}",
        f"{label('as_of', lang)}{colon}{report.as_of.isoformat()}",
    ]
    return "   ".join(parts)


def print_report(console: "Console", report: Report, lang: str) -> None:
    """Print one report onto a console (used by `render` and by batch.py)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    console.print(Text(header_line(report, lang), style="bold"))
    if report.strict:
        console.print(Text(label("strict", lang), style="dim"))

    if report.fatal is not None:  # on top, every problem with its line: the first thing to fix
        console.print()
        console.print(Text(label("fatal_partial" if report.materials else "fatal", lang), style="bold red"))
        _print_item(console, finding_line(report, report.fatal, lang))

    if report.materials:
        console.print()
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
        table.add_column(label("number", lang), no_wrap=True)
        table.add_column(label("material", lang), overflow="fold", ratio=5)
        table.add_column(label("status", lang), no_wrap=True)
        table.add_column(label("files", lang), overflow="fold", ratio=3)
        section = None
        # the files column gets about 3/8 of what the number and status columns leave; a name is
        # never shortened below what keeps its number, year and extension readable
        files_limit = max(16, min(40, (console.width - 30) * 3 // 8))
        for m in report.materials:
            if section is not None and m.section != section:
                table.add_section()
            section = m.section
            table.add_row(
                Text(visible(m.number, keep_newlines=False)),
                Text(visible(material_title(m, lang), keep_newlines=False)),
                _status_text(m.status, lang),
                Text(short_files(m.files, limit=files_limit, sep="\n")),  # one file a line
            )
        console.print(table)

    if report.evidence and report.scans_read:
        console.print()
        console.print(Text("Read from the scans" if lang == "en" else "从扫描件读取", style="bold"))
        ev_table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
        for head in (("File", "文件"), ("Page", "页"), ("Fact", "信息"), ("Scan", "扫描件"), ("Manifest", "清单"), ("Confidence", "置信度")):
            ev_table.add_column(head[0] if lang == "en" else head[1], overflow="fold")
        for e in sorted(report.evidence, key=lambda e: (e.file, e.page, e.fact)):
            ev_table.add_row(
                Text(visible(e.file, keep_newlines=False)),
                str(e.page),
                e.fact,
                Text(visible(e.value, keep_newlines=False)),
                Text(visible(report.manifest_facts.get(e.fact, "—"), keep_newlines=False)),
                f"{e.confidence:.2f}",
            )
        console.print(ev_table)

    groups = grouped_findings(report)
    waived = waived_findings(report)
    waived_materials = waived_materials_without_finding(report)
    groups = {k: [f for f in v if f is not report.fatal] for k, v in groups.items()}  # the fatal one is on top
    if not any(groups.values()) and not waived and not waived_materials and report.fatal is None:
        console.print()
        console.print(Text(label("no_findings", lang)))
    for severity in ("error", "warning", "info"):
        items = groups[severity]
        if not items:
            continue
        console.print()
        heading = f"{word(SEVERITY_HEADING, severity, lang)} ({len(items)})"
        console.print(Text(heading, style=SEVERITY_STYLE[severity]))
        for f in items:
            _print_item(console, finding_line(report, f, lang))
    if waived or waived_materials:
        console.print()
        heading = f"{word(SEVERITY_HEADING, 'waived', lang)} ({len(waived) + len(waived_materials)})"
        console.print(Text(heading, style=SEVERITY_STYLE["waived"]))
        for f in waived:
            _print_item(console, finding_line(report, f, lang))
        for m in waived_materials:
            what = material_label(report, m.id, lang) or m.id
            colon = ": " if lang == "en" else "："
            _print_item(console, visible(f"[{what}]{colon}{m.waived or ''}"))

    console.print()
    console.print(Text(summary_line(report, lang), style="bold green" if report.ok else "bold red"))


def _print_item(console: "Console", line: str) -> None:
    """One finding, "CJ101 rest…", wrapped with a hanging indent under the rest."""
    from rich.table import Table
    from rich.text import Text

    code, sep, rest = line.partition(" ")
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(Text(code), Text(rest))
    from rich.padding import Padding

    console.print(Padding(grid, (0, 0, 0, 2)))


def render(report: Report, lang: str = "zh", *, color: bool = False, width: int | None = None) -> str:
    """The report for people, as a string; with `color`, ANSI styles are included."""
    check_lang(lang)
    console = make_console(color, width)
    print_report(console, report, lang)
    return export(console, color)


render_text = render


class Stream:
    """A batch as its reports come (see render.stream): each packet's text report (when
    `details`), then the summary table (summary.py) and lines."""

    ahead = True

    def __init__(self, lang: str = "zh", *, color: bool = False, width: int | None = None, details: bool = True):
        from changju_check.render.summary import Rows

        check_lang(lang)
        self.lang, self.color, self.width, self.details = lang, color, width, details
        self.rows = Rows(lang)

    def head(self) -> str:
        return ""

    def add(self, report: Report) -> str:
        self.rows.add(report)
        if not self.details:
            return ""
        from rich.rule import Rule

        console = make_console(self.color, self.width)
        console.print(Rule(characters="─", style="dim"))
        print_report(console, report, self.lang)
        console.print()
        return export(console, self.color)

    def tail(self) -> str:
        text = ""
        if self.details:
            from rich.rule import Rule

            console = make_console(self.color, self.width)
            console.print(Rule(characters="═", style="dim"))
            text = export(console, self.color)
        return text + summary_text(self.rows.sorted(), self.lang, color=self.color, width=self.width)


def batch_text(
    reports: Sequence[Report],
    lang: str = "zh",
    *,
    color: bool = False,
    width: int | None = None,
    details: bool = True,
) -> str:
    """Each packet's text report (when `details`), then the summary table (summary.py) and lines."""
    from changju_check.render.stream import collect

    return collect(Stream(lang, color=color, width=width, details=details), reports)


def _clip(text: str, cells: int) -> str:
    """At most `cells` terminal cells, "…" at the end when cut."""
    if cell_width(text) <= cells:
        return text
    out, used = [], 0
    for ch in text:
        used += cell_width(ch)
        if used > cells - 1:
            break
        out.append(ch)
    return "".join(out) + "…"


def _pad(text: str, cells: int, right: bool = False) -> str:
    gap = " " * max(0, cells - cell_width(text))
    return gap + text if right else text + gap


def summary_text(rows: Sequence["Row"], lang: str = "zh", *, color: bool = False, width: int | None = None) -> str:
    """The summary as text: one line per packet (packet, category, verdict, errors, warnings,
    ready to bind), its reasons on the lines below it (indented, each cut to the width), then the
    closing lines. Laid out by hand in terminal cells (CJK characters count two), never folded."""
    from rich.text import Text

    from changju_check.render.summary import VERDICT_STYLE, cells, closing_lines, heads

    check_lang(lang)
    total = width or 100
    console = make_console(color, max(total, 40))
    console.print(Text(label("summary", lang), style="bold"))
    h = heads(lang)
    table = [cells(r, lang)[:6] for r in rows]
    widths = [max([cell_width(h[i])] + [cell_width(c[i]) for c in table]) for i in range(6)]
    right = (False, False, False, True, True, False)
    console.print(Text("  ".join(_pad(h[i], widths[i], right[i]) for i in range(6)).rstrip(), style="bold"))
    console.print(Text("─" * min(total, sum(widths) + 10), style="dim"))
    for row, c in zip(rows, table):
        line = Text()
        for i in range(6):
            line.append(_pad(c[i], widths[i], right[i]), style=VERDICT_STYLE[row.verdict] if i == 2 else None)
            if i < 5:
                line.append("  ")
        console.print(line)
        for reason in row.reasons:
            console.print(Text("    · " + _clip(reason, total - 6), style="dim" if row.verdict == "passed" else None))
    ready, overall = closing_lines(rows, lang)
    ok = all(r.verdict in ("passed", "offline") for r in rows)
    console.print(Text(ready))
    console.print(Text(overall, style="bold green" if ok else "bold red"))
    return export(console, color)


render_batch = batch_text
