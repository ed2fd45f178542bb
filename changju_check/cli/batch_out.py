"""A batch's output, written as its reports come (`changju check --batch ROOT`, `check DIR1 DIR2`).

Each report is rendered (render.stream), written to the output and let go as soon as it and the
packets before it are checked; what the end needs — the summary rows, the counts, the first code
to explain — is kept as it passes. A season of 10,000 packets then needs the memory of a few.

- stdout: each packet's part as it comes (machine formats as UTF-8 bytes, human ones degraded to
  the console's code page); a format whose beginning depends on the whole batch (Markdown's
  summary table, JUnit's totals, SARIF's rules) keeps its parts in a spooled temporary file (in
  memory up to SPOOL_BYTES) until the end.
- `-o FILE`: the same, into the temporary file beside FILE that `changju_check.write` renames over
  it at the end: never half a report, whatever stops the run.
- `--format html`: each packet's sheet into DIR as it comes, `index.html` at the end.
- `--summary`, `--quiet`: a row, or the problem lines, of each packet.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import IO, Callable, Iterable, Optional

from changju_check.cli import output as out
from changju_check.cli.app import _color, _fail, _say, _width, _wrap, _write_error
from changju_check.report import Report

SPOOL_BYTES = 8 * 1024 * 1024
HUMAN_HINT_FORMATS = ("text", "markdown", "github")


class Kept:
    """What the end of a batch needs from its reports: the counts, the worst exit code, the first
    code to explain, the stderr line of each unusable packet."""

    def __init__(self, lang: str) -> None:
        from changju_check.render._common import Tally

        self.lang = lang
        self.tally = Tally()
        self.hint: Optional[str] = None
        self.fatal_lines: list[str] = []
        self.problems = False

    def add(self, r: Report) -> Report:
        from changju_check.render._common import learn_more

        self.tally.add(r)
        if self.hint is None:
            self.hint = learn_more([r], self.lang)
        self.problems = self.problems or bool(r.errors or r.warnings)
        if r.fatal is not None:
            colon = ": " if self.lang == "en" else "："
            head = "error: " if self.lang == "en" else "错误："
            self.fatal_lines.append(head + r.packet + colon + r.fatal.message.get(self.lang).splitlines()[0])
        return r

    def overall(self) -> str:
        from changju_check.render._common import counts_line

        return counts_line(self.tally.counts, self.lang)


def _sink(fmt: str, output: Optional[Path], lang: str, produce: Callable[[Callable[[str], None]], None]) -> None:
    """Run `produce(write)` with `write` putting text on stdout or into `output` (atomically)."""
    if out.to_stdout(output):
        produce(lambda text: out.write_piece(text, fmt))
        return
    from changju_check.report.paths import long_path
    from changju_check.write import write_file

    def into(fh) -> None:
        produce(lambda text: fh.write(text.encode("utf-8")))

    try:
        write_file(long_path(output), into)  # \\?\ past MAX_PATH on Windows
    except OSError as exc:  # a file open in Excel or WPS says to close it
        raise _fail(_write_error(output, exc), lang)


def _spool() -> IO[str]:
    return tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+", encoding="utf-8", newline="")


def emit(reports: Iterable[Report], fmt: str, lang: str, output: Optional[Path], *, per_finding: bool = False,
         quiet: bool = False, verbose: bool = False) -> int:
    """The batch report in `fmt` (not html), written as the reports come; the exit code."""
    from changju_check.render import batch_stream

    to_file = not out.to_stdout(output)
    kept = Kept(lang)
    s = batch_stream(fmt, lang, color=_color() and not to_file, width=_width(), srcroot=os.getcwd(), per_finding=per_finding,
                     verbose=verbose)

    def produce(write: Callable[[str], None]) -> None:
        if s.ahead:
            write(s.head())
            for r in reports:
                write(s.add(kept.add(r)))
            end = s.tail()
        else:
            with _spool() as body:
                for r in reports:
                    body.write(s.add(kept.add(r)))
                write(s.head())
                body.seek(0)
                while True:
                    block = body.read(1 << 16)
                    if not block:
                        break
                    write(block)
            end = s.tail()
        if kept.hint and fmt in HUMAN_HINT_FORMATS:  # every human format ends with how to learn more
            hint = f"_{kept.hint}_" if fmt == "markdown" else _wrap(kept.hint) if fmt == "text" else kept.hint
            end = end.rstrip("\n") + "\n\n" + hint + "\n"
        write(end if end.endswith("\n") else end + "\n")

    _sink(fmt, output, lang, produce)
    if to_file:
        if not quiet or kept.problems:
            _say(kept.overall())
    elif fmt != "text":
        for line in kept.fatal_lines:  # every line on stderr names its packet
            _say(line, err=True)
    return kept.tally.exit_code


def emit_summary(reports: Iterable[Report], fmt: str, lang: str, output: Optional[Path], *, quiet: bool = False) -> int:
    """`--summary`: one row per packet, built as each report comes; the table at the end."""
    from changju_check.render import render_summary
    from changju_check.render.summary import Rows

    to_file = not out.to_stdout(output)
    rows, kept = Rows(lang), Kept(lang)
    for r in reports:
        rows.add(kept.add(r))
    body = render_summary(rows.sorted(), fmt, lang, color=_color() and not to_file, width=_width())
    _sink(fmt, output, lang, lambda write: write(body if body.endswith("\n") else body + "\n"))
    if to_file and not quiet:
        _say(kept.overall())
    return kept.tally.exit_code


def emit_problems(reports: Iterable[Report], lang: str) -> int:
    """`--quiet` on the terminal: each packet's problem lines as it comes (nothing for a clean one)."""
    from changju_check.render.summary import problem_lines

    kept = Kept(lang)
    for r in reports:
        lines = problem_lines([kept.add(r)], lang)
        if lines:
            _say("\n".join(lines))
    return kept.tally.exit_code


def emit_html(reports: Iterable[Report], lang: str, folder: Path, rules) -> int:
    """`--format html -o DIR/`: each packet's sheet as it comes, then index.html."""
    from changju_check.render.html import BatchFiles
    from changju_check.write import write_text

    files, kept = BatchFiles(lang, rules=rules), Kept(lang)
    target = folder
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for r in reports:
            name, text = files.add(kept.add(r))
            target = folder / name
            write_text(target, text)
        target = folder / "index.html"
        write_text(target, files.index())
    except OSError as exc:
        raise _fail(_write_error(target, exc), lang)
    _say(("Wrote " if lang == "en" else "已写入 ") + str(folder / "index.html"))
    _say(kept.overall())
    return kept.tally.exit_code


__all__ = ["Kept", "emit", "emit_html", "emit_problems", "emit_summary"]
