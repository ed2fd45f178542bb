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
    confidence_word,
    deciding_evidence,
    evidence_value,
    fact_word,
    short_files,
    stage_line,
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
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "review": "magenta", "info": "blue", "waived": "cyan"}


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
    if report.config:  # the repository configuration the check applied
        parts.append(f"{label('config', lang)}{colon}{visible(report.config, keep_newlines=False)}")
    return "   ".join(parts)


def print_report(console: "Console", report: Report, lang: str, hint: str | None = None, verbose: bool = False) -> None:
    """Print one report onto a console (used by `render` and by batch.py); it ends with the verdict
    and the stage reached (可上传 / 可装订), after `hint` (how to learn more about a code). Of the facts
    read from the pages, those a finding quotes are shown; `verbose`: all of them."""
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

    shown = list(report.evidence) if verbose else deciding_evidence(report)
    if shown:
        console.print()
        heading = ("Read from the pages" if lang == "en" else "从页面读取") if verbose else (
            "Read from the pages, behind the findings" if lang == "en" else "从页面读取（问题所依据的信息）")
        console.print(Text(heading, style="bold"))
        ev_table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
        for head in (("File", "文件"), ("Page", "页"), ("Fact", "信息"), ("On the page", "页面上"), ("Manifest", "清单"), ("Reading", "识别")):
            ev_table.add_column(head[0] if lang == "en" else head[1], overflow="fold")
        file_limit = max(16, min(32, (console.width - 40) // 3))
        for e in sorted(shown, key=lambda e: (e.file, e.page, e.fact)):
            ev_table.add_row(
                Text(short_files((e.file,), limit=file_limit)),
                str(e.page),
                Text(fact_word(e.fact, lang)),
                Text(visible(evidence_value(e.value, lang), keep_newlines=False)),
                Text(visible(report.manifest_facts.get(e.fact, "—"), keep_newlines=False)),
                Text(confidence_word(e.confidence, lang)),
            )
        console.print(ev_table)
    hidden = len(report.evidence) - len(shown)
    if hidden and report.scans_read and not verbose:
        console.print()
        console.print(Text(
            f"{hidden} more facts read from the pages: --verbose shows them all (so do --format json and html)" if lang == "en"
            else f"另有 {hidden} 条从页面读取的信息：加 --verbose 显示全部（--format json 和 html 中也有）", style="dim"))

    groups = grouped_findings(report)
    waived = waived_findings(report)
    waived_materials = waived_materials_without_finding(report)
    groups = {k: [f for f in v if f is not report.fatal] for k, v in groups.items()}  # the fatal one is on top
    if not any(groups.values()) and not waived and not waived_materials and report.fatal is None:
        console.print()
        console.print(Text(label("no_findings", lang)))
    quiet_notes = 0
    if not verbose:  # the tool's own uncertainty (CJ510) only with --verbose: it decides nothing
        from changju_check.rulebook.codes import catalogue

        codes = catalogue()
        kept = [f for f in groups["info"] if not (f.code in codes and codes[f.code].verbose_only)]
        quiet_notes, groups["info"] = len(groups["info"]) - len(kept), kept
    for severity in ("error", "warning", "review", "info"):
        items = groups[severity]
        if not items:
            continue
        console.print()
        heading = f"{word(SEVERITY_HEADING, severity, lang)} ({len(items)})"
        console.print(Text(heading, style=SEVERITY_STYLE[severity]))
        for f in items:
            _print_item(console, finding_line(report, f, lang))
    if quiet_notes:
        console.print()
        console.print(Text(
            f"{quiet_notes} notes on what the tool could not read on the pages (they change nothing): --verbose shows them"
            if lang == "en" else f"另有 {quiet_notes} 条本工具未能在页面上读出的内容（不影响结论）：加 --verbose 显示", style="dim"))
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

    if hint:
        console.print()
        console.print(Text(hint))
    console.print()
    style = "bold green" if report.ok else "bold red"
    console.print(Text(summary_line(report, lang), style=style))
    stage = stage_line(report, lang)
    if stage:
        console.print(Text(stage, style=style))


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


def render(report: Report, lang: str = "zh", *, color: bool = False, width: int | None = None,
           hint: str | None = None, verbose: bool = False) -> str:
    """The report for people, as a string; with `color`, ANSI styles are included."""
    check_lang(lang)
    console = make_console(color, width)
    print_report(console, report, lang, hint, verbose)
    return export(console, color)


render_text = render


class Stream:
    """A batch as its reports come (see render.stream): each packet's text report (when
    `details`), then the summary table (summary.py) and lines."""

    ahead = True

    def __init__(self, lang: str = "zh", *, color: bool = False, width: int | None = None, details: bool = True,
                 verbose: bool = False):
        from changju_check.render.summary import Rows

        check_lang(lang)
        self.lang, self.color, self.width, self.details, self.verbose = lang, color, width, details, verbose
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
        print_report(console, report, self.lang, verbose=self.verbose)
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
    verbose: bool = False,
) -> str:
    """Each packet's text report (when `details`), then the summary table (summary.py) and lines."""
    from changju_check.render.stream import collect

    return collect(Stream(lang, color=color, width=width, details=details, verbose=verbose), reports)


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
    """The summary as text: one line per packet (packet, category, verdict — for a packet that
    passed, the stage it reached: 可装订 / 可上传 —, errors, warnings, waived), its reasons on the lines
    below it (indented, each cut to the width, two different reasons never cut to the same text),
    then the closing lines. Laid out by hand in terminal cells (CJK characters count two) to fit
    the width: the category is cut first, then the packet's path from the left (its end tells the
    packets apart); never folded."""
    from rich.text import Text

    from changju_check.render.summary import VERDICT_STYLE, closing_lines, config_line, verdict_cell, w

    check_lang(lang)
    total = max(width or 100, 40)
    console = make_console(color, total)
    h = [label("packet", lang), label("category", lang), label("verdict", lang), label("errors", lang), label("warnings", lang),
         w("waived", lang)]
    n = len(h)
    table = [[visible(r.packet, keep_newlines=False), r.category_title, verdict_cell(r, lang), str(r.errors), str(r.warnings),
              str(r.waived)] for r in rows]
    widths = [max([cell_width(h[i])] + [cell_width(c[i]) for c in table]) for i in range(n)]
    over = sum(widths) + 2 * (n - 1) - total
    folder = _common_folder([r.packet for r in rows]) if over > 0 else ""
    if folder:  # the folder every packet is in, said once above the table
        for c, r in zip(table, rows):
            c[0] = visible(r.packet[len(folder):], keep_newlines=False)
        old, widths[0] = widths[0], max([cell_width(h[0])] + [cell_width(c[0]) for c in table])
        over -= old - widths[0]
    where = (f" (packets under {folder})" if lang == "en" else f"（材料包均在 {folder} 下）") if folder else ""
    console.print(Text(visible(label("summary", lang) + where, keep_newlines=False), style="bold"))
    if over > 0:  # the category first, down to 8 cells
        cut = min(over, max(0, widths[1] - max(8, cell_width(h[1]))))
        widths[1] -= cut
        over -= cut
    if over > 0:  # then the packet's path, from the left, keeping the packets apart
        widths[0] = max(12, cell_width(h[0]), widths[0] - over)
        shown = [_clip_left(c[0], widths[0]) for c in table]
        if len(set(shown)) < len(set(c[0] for c in table)):
            widths[0] = max(cell_width(c[0]) for c in table)  # a shorter name would merge two packets
    for c in table:
        c[0] = _clip_left(c[0], widths[0])
        c[1] = _clip(c[1], widths[1])
    right = (False, False, False, True, True, True)
    console.print(Text("  ".join(_pad(h[i], widths[i], right[i]) for i in range(n)).rstrip(), style="bold"))
    console.print(Text("─" * min(total, sum(widths) + 2 * (n - 1)), style="dim"))
    for row, c in zip(rows, table):
        line = Text()
        for i in range(n):
            line.append(_pad(c[i], widths[i], right[i]) if i < n - 1 else c[i].rjust(widths[i]),
                        style=VERDICT_STYLE[row.verdict] if i == 2 else None)
            if i < n - 1:
                line.append("  ")
        console.print(line)
        for reason in _distinct_clips(row.reasons, total - 6):
            console.print(Text("    · " + reason, style="dim" if row.verdict == "passed" else None))
    ok = all(r.verdict in ("passed", "offline") for r in rows)
    config = config_line(rows, lang)
    if config:
        console.print(Text(config))
    for i, closing in enumerate(closing_lines(rows, lang)):
        console.print(Text(closing, style=None if i == 0 else "bold green" if ok else "bold red"))
    return export(console, color)


def _common_folder(packets: Sequence[str]) -> str:
    """The folder every packet of a batch is in ("examples/"), said once above the table; "" when
    there is one packet or none is shared."""
    if len(packets) < 2:
        return ""
    parts = [p.replace("\\", "/").split("/")[:-1] for p in packets]
    common: list[str] = []
    for names in zip(*parts):
        if len(set(names)) != 1:
            break
        common.append(names[0])
    return "/".join(common) + "/" if common and any(common) else ""


def _clip_left(text: str, cells: int) -> str:
    """At most `cells` cells, "…" at the start when cut (a path's end says which packet it is)."""
    if cell_width(text) <= cells:
        return text
    out: list[str] = []
    used = 1
    for ch in reversed(text):
        used += cell_width(ch)
        if used > cells:
            break
        out.append(ch)
    return "…" + "".join(reversed(out))


def _clip_middle(text: str, cells: int) -> str:
    """At most `cells` cells: the start and the end, "…" between them."""
    if cell_width(text) <= cells:
        return text
    head = _clip(text, (cells + 1) // 2)
    return head + _clip_left(text, cells - cell_width(head) + 1)[1:]


def _distinct_clips(reasons: Sequence[str], cells: int) -> list[str]:
    """Each reason cut to `cells`; where two different ones would read the same, both keep their end."""
    clipped = [_clip(r, cells) for r in reasons]
    for i, text in enumerate(clipped):
        if clipped.count(text) > 1 and reasons.count(reasons[i]) == 1:
            clipped = [_clip_middle(r, cells) if c == text else c for r, c in zip(reasons, clipped)]
    return clipped


render_batch = batch_text
