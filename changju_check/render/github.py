"""GitHub Actions workflow commands: one annotation per finding, then a summary line.

    ::error file=packets/zhang/changju.yaml,line=12,title=CJ201::2.(5) 工作合同: 合同期限…
    ::warning file=packets/zhang/其他.pdf,title=CJ103::…
    ::notice file=packets/zhang/changju.yaml,title=changju::2 个问题已豁免 …
    ✗ 2 个错误，1 个警告 — 不通过

- error → `::error`, warning → `::warning`, info → `::notice` (strict mode: warnings
  are errors). `title` is the code. The file is the packet path joined with the
  finding's file, or the manifest when the finding has no file or points at a
  manifest line (then the file is named in the message, as a PDF has no lines).
  A .zip packet: the zip is the file and the member is named in the message.
- Escaping: in the message `%` → %25, CR → %0D, LF → %0A; in property values also
  `:` → %3A and `,` → %2C. Other control characters are shown as visible escapes.
- Waived findings are not annotated; when there are any, one `::notice` on the
  manifest gives their number and codes, so a waiver is never invisible.
- GitHub shows at most 10 annotations of each kind per step; the full list is in the
  step's log, and the last line is the summary.
- Batch: each packet's annotations and summary line in turn, then the overall line.
"""

from __future__ import annotations

from typing import Sequence

from changju_check.render._common import (
    counts_line,
    check_lang,
    finding_label,
    is_zip,
    join_packet,
    manifest_path,
    manifest_relpath,
    severity_of,
    summary_line,
    visible,
    waived_findings,
)
from changju_check.render.stream import Counted
from changju_check.report import Finding, Report

COMMAND = {"error": "error", "warning": "warning", "review": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message: % CR LF (other controls made visible first)."""
    text = visible(text)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: as the message, and also `:` and `,`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **properties: str | int | None) -> str:
    props = ",".join(f"{k}={escape_property(str(v))}" for k, v in properties.items() if v is not None)
    return f"::{kind} {props}::{escape_data(message)}" if props else f"::{kind}::{escape_data(message)}"


def _annotation(report: Report, f: Finding, lang: str) -> str:
    label = finding_label(report, f, lang)
    message = f.message.get(lang)
    if label:
        message = f"{label}: {message}"
    named: list[str] = []  # what the message names because the annotation cannot point at it
    line = f.line
    if is_zip(report.packet):
        path = report.packet
        if f.file:
            named.append(f.file)
        if line is not None:
            named.append(f"{manifest_relpath(report)}:{line}")
            line = None
    elif line is not None:
        path = manifest_path(report)
        if f.file:
            named.append(f.file)
    elif f.file:
        path = join_packet(report.packet, f.file)
    elif report.manifest is not None:
        path = manifest_path(report)
    else:  # no manifest (or the packet could not be opened): the packet itself
        path = report.packet or "."
    if named:
        where = ", ".join(named)
        message += f" (file: {where})" if lang == "en" else f"（文件：{where}）"
    return command(COMMAND[severity_of(report, f)], message, file=path, line=line, title=f.code)


def annotations(report: Report, lang: str = "zh") -> list[str]:
    lines = []
    if report.fatal is not None:
        lines.append(_annotation(report, report.fatal, lang))
    lines.extend(_annotation(report, f, lang) for f in report.active_findings())
    waived = waived_findings(report)
    if waived:
        codes = ", ".join(sorted({f.code for f in waived}))
        n = len(waived)
        if lang == "en":
            message = f"{n} finding{'s' if n != 1 else ''} waived in the manifest ({codes})"
        else:
            message = f"{n} 个问题已在清单中豁免（{codes}）"
        path = report.packet if is_zip(report.packet) else manifest_path(report)
        lines.append(command("notice", message, file=path, title="changju"))
    return lines


def render(report: Report, lang: str = "zh") -> str:
    check_lang(lang)
    lines = annotations(report, lang)
    # The summary starts with ✓ or ✗, so no packet name can turn it into a command.
    packet = f" ({report.packet})" if lang == "en" else f"（{report.packet}）"
    lines.append(visible(summary_line(report, lang) + packet, keep_newlines=False))
    return "\n".join(lines) + "\n"


class Stream(Counted):
    """A batch as its reports come (see render.stream): each packet's annotations, then the line."""

    def add(self, report: Report) -> str:
        return render(self.tally.add(report), self.lang)

    def tail(self) -> str:
        return counts_line(self.tally.counts, self.lang) + "\n"


def render_batch(reports: Sequence[Report], lang: str = "zh") -> str:
    from changju_check.render.stream import collect

    return collect(Stream(lang), reports)
