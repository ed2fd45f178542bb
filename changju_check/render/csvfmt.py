"""CSV for spreadsheets: one row per packet (the summary), or one row per finding.

Excel on Chinese Windows reads a CSV without a byte-order mark as GBK, so the text
starts with U+FEFF (the CLI writes it as UTF-8: `EF BB BF`). Rows end with CRLF, every
cell is quoted when it holds a comma, a quote or a line break (RFC 4180, Python's csv
module), and a cell that begins with `=`, `+`, `-`, `@`, a tab or CR gets a leading `'`
so that a hostile file name cannot become a spreadsheet formula.

- `render(report)` / `render_batch(reports)`: the summary rows (see summary.py), worst first.
- `per_finding=True`: one row per finding (the fatal one, active ones, waived ones with
  their reason); a packet without findings still has one row, with empty finding cells.
"""

from __future__ import annotations

import csv
import io
from typing import Any, Iterable, Sequence

from changju_check.render._common import SEVERITY_WORD, check_lang, label, visible, word
from changju_check.render.summary import VERDICTS, Row, heads, row_from_dict, w
from changju_check.report import Report

BOM = "\ufeff"
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def _write(header: list[str], rows: Iterable[list[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    return BOM + buf.getvalue()


def _packet_cells(row: Row, lang: str) -> list[Any]:
    sep = "；" if lang == "zh" else "; "
    return [visible(row.packet, keep_newlines=False), visible(row.category_title, keep_newlines=False),
            word(VERDICTS, row.verdict, lang), row.errors, row.warnings, row.waived,
            w("yes" if row.upload else "no", lang), w("yes" if row.ready else "no", lang), sep.join(row.reasons)]


def packet_table(rows: Sequence[Row], lang: str = "zh") -> str:
    check_lang(lang)
    # the configuration file each check applied, last so that the columns before it keep their places
    return _write(heads(lang) + [label("config", lang)],
                  (_packet_cells(r, lang) + [visible(r.config or "", keep_newlines=False)] for r in rows))


_FINDING_HEADS = {
    "zh": ["严重程度", "编号", "材料", "文件", "行", "说明", "豁免理由"],
    "en": ["Severity", "Code", "Material", "File", "Line", "Message", "Waived because"],
}


def _finding_cells(row: Row, doc: dict[str, Any], lang: str) -> list[list[Any]]:
    """The per-finding rows of one packet's JSON report."""
    base = _packet_cells(row, lang)[:8]
    titles = {m["id"]: f"{m.get('number', '')} {m.get('title_en' if lang == 'en' else 'title', '')}".strip() for m in doc.get("materials", [])}
    findings = ([doc["fatal"]] if doc.get("fatal") else []) + list(doc.get("findings", []))
    out = [] if findings else [base + [""] * 7]
    for f in findings:
        sev = f.get("severity", "error")
        out.append(
            base
            + [
                word(SEVERITY_WORD, sev, lang) if sev in SEVERITY_WORD else sev,
                f.get("code", ""),
                titles.get(f.get("material") or "", f.get("material") or ""),
                f.get("file") or "",
                f.get("line") if f.get("line") is not None else "",
                f.get("message", ""),
                f.get("waived") or "",
            ]
        )
    return out


def _finding_head(lang: str) -> list[str]:
    return heads(lang)[:8] + _FINDING_HEADS["en" if lang == "en" else "zh"]


def finding_table(docs: Sequence[dict[str, Any]], lang: str = "zh") -> str:
    """One row per finding of each packet's JSON report, the packets worst first."""
    check_lang(lang)
    pairs = sorted(((row_from_dict(d, lang), d) for d in docs), key=lambda p: p[0].sort_key())
    return _write(_finding_head(lang), (cells for row, doc in pairs for cells in _finding_cells(row, doc, lang)))


class Stream:
    """A batch as its reports come (see render.stream): the rows are sorted worst first, so the
    table is written at the end; what is kept of a packet is its row (and its findings' cells)."""

    ahead = True

    def __init__(self, lang: str = "zh", *, per_finding: bool = False):
        check_lang(lang)
        self.lang, self.per_finding = lang, per_finding
        self.kept: list[tuple[Row, list[list[Any]]]] = []

    def head(self) -> str:
        return ""

    def add(self, report: Report) -> str:
        doc = report.to_dict(self.lang)
        row = row_from_dict(doc, self.lang)
        self.kept.append((row, _finding_cells(row, doc, self.lang) if self.per_finding else []))
        return ""

    def tail(self) -> str:
        kept = sorted(self.kept, key=lambda p: p[0].sort_key())
        if self.per_finding:
            return _write(_finding_head(self.lang), (cells for _, rows in kept for cells in rows))
        return packet_table([row for row, _ in kept], self.lang)


def render(report: Report, lang: str = "zh", *, per_finding: bool = False) -> str:
    return render_batch([report], lang, per_finding=per_finding)


def render_batch(reports: Sequence[Report], lang: str = "zh", *, per_finding: bool = False) -> str:
    from changju_check.render.stream import collect

    return collect(Stream(lang, per_finding=per_finding), reports)


__all__ = ["BOM", "finding_table", "packet_table", "render", "render_batch", "safe_cell"]
