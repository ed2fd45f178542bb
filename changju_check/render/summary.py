"""The summary an agency manager reads: one row per packet, worst first.

The text and Markdown tables are laid out by text.py (`summary_text`) and markdown.py
(`summary_markdown`), the CSV by csvfmt.py. Every row is computed from a packet's JSON report (`Report.to_dict`), never from
the live objects, so the summary of a run and the summary that `changju summary`
builds from shard reports (`--format json`) are the same by construction.

A row: packet, category, verdict, errors, warnings, waived (findings the manifest's waivers
accepted, so a waived missing material is never hidden), ready to bind (the check passes
*and* the 申报书 is in the packet), and the first two reasons in words (the fatal
problem, then errors, then warnings; "no 申报书" for a packet that passes but cannot
be bound yet). Rows sort worst first: could not be checked (no manifest, unusable),
failed, passed but not ready, offline types, ready; then more errors, more warnings,
then the packet's path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from changju_check.render._common import VERDICT_WORD, check_lang, counts_line, label, visible, word
from changju_check.report import Report

VERDICTS: dict[str, dict[str, str]] = {
    **VERDICT_WORD,
    "no_manifest": {"zh": "无清单", "en": "no manifest"},
    "offline": {"zh": "线下申报", "en": "offline"},
}
VERDICT_MARK = {"passed": "✓", "failed": "✗", "unusable": "✗", "no_manifest": "✗", "offline": "ℹ"}
VERDICT_STYLE = {"passed": "green", "failed": "bold red", "unusable": "bold magenta", "no_manifest": "bold magenta", "offline": "blue"}
_RANK = {"unusable": 0, "no_manifest": 0, "failed": 1, "offline": 3, "passed": 2}

WORDS: dict[str, dict[str, str]] = {
    "upload": {"zh": "可上传", "en": "Ready to upload"},
    "ready": {"zh": "可装订", "en": "Ready to bind"},
    "waived": {"zh": "已豁免", "en": "Waived"},
    "reasons": {"zh": "主要原因", "en": "Main reasons"},
    "yes": {"zh": "是", "en": "yes"},
    "no": {"zh": "否", "en": "no"},
    "no_form": {
        "zh": "缺少申报书：系统审核通过后下载带水印的申报书放入材料包",
        "en": "no application form yet: download the watermarked form from the system once the online review has passed",
    },
    "ready_line": {"zh": "可以上传：{u} 个，其中可以装订：{n} 个（共 {total} 个材料包）",
                   "en": "ready to upload: {u} of {total} packets, of which ready to bind: {n}"},
}
# the verdict column of the text summary says the stage a passing packet has reached
STAGE_WORDS: dict[str, dict[str, str]] = {
    "bind": {"zh": "可装订", "en": "ready to bind"},
    "upload": {"zh": "可上传", "en": "ready to upload"},
}
NO_MANIFEST_CODE = "CJ410"
LOOSE_CODE = "CJ411"
OFFLINE_CODE = "CJ406"
REASONS = 2


def w(key: str, lang: str) -> str:
    return word(WORDS, key, lang)


@dataclass(frozen=True)
class Row:
    packet: str
    category: str
    category_title: str
    verdict: str  # passed | failed | unusable | no_manifest | offline
    errors: int
    warnings: int
    ready: bool  # 可装订: ready to upload, and the 申报书 is in the packet
    waived: int  # findings the manifest's waivers accepted: a sheet shows them, never hides them
    reasons: tuple[str, ...]
    exit_code: int
    config: str | None = None  # the repository configuration file the check applied
    upload: bool = False  # 可上传: every attachment the category needs, no error

    def sort_key(self) -> tuple:
        rank = 4 if self.ready else _RANK[self.verdict]
        return (rank, -self.errors, -self.warnings, self.packet)

    def to_dict(self) -> dict[str, Any]:
        return {
            "packet": self.packet,
            "category": self.category,
            "category_title": self.category_title,
            "verdict": self.verdict,
            "errors": self.errors,
            "warnings": self.warnings,
            "waived": self.waived,
            "ready_to_upload": self.upload,
            "ready_to_bind": self.ready,
            "reasons": list(self.reasons),
            "exit_code": self.exit_code,
            "config": self.config,
        }


def _first_line(text: str) -> str:
    return visible((text or "").strip().splitlines()[0] if (text or "").strip() else "", keep_newlines=False)


def verdict_of(doc: dict[str, Any]) -> str:
    fatal = doc.get("fatal")
    if fatal:
        return "no_manifest" if fatal.get("code") in (NO_MANIFEST_CODE, LOOSE_CODE) else "unusable"
    if not doc.get("materials") and any(f.get("code") == OFFLINE_CODE for f in doc.get("findings", [])):
        return "offline"
    return "passed" if doc.get("ok") else "failed"


def exit_code_of(doc: dict[str, Any]) -> int:
    if doc.get("fatal"):
        return 2
    return 0 if doc.get("ok") else 1


def row_from_dict(doc: dict[str, Any], lang: str = "zh") -> Row:
    """The summary row of one packet's JSON report."""
    v = verdict_of(doc)
    reasons: list[str] = []
    if doc.get("fatal"):
        reasons.append(_first_line(doc["fatal"].get("message", "")))
    active = [f for f in doc.get("findings", []) if f.get("waived") is None]
    for severity in ("error", "warning"):
        reasons += [_reason(f, lang) for f in active if f.get("severity") == severity]
    ready = bool(doc.get("ready_to_bind"))
    # a report written before ready_to_upload existed: it passed and had a checklist
    upload = bool(doc.get("ready_to_upload", doc.get("ok") and doc.get("materials")))
    if v == "passed" and not ready and doc.get("bound", True):  # a category the rules bind, waiting for its 申报书
        reasons.insert(0, w("no_form", lang))
    if v == "offline":
        reasons += [_first_line(f.get("message", "")) for f in active if f.get("code") == OFFLINE_CODE]
    summary = doc.get("summary") or {}
    return Row(
        packet=str(doc.get("packet", "")),
        category=str(doc.get("category") or ""),
        category_title=str(doc.get("category_title") or doc.get("category") or "—"),
        verdict=v,
        errors=int(summary.get("errors", 0)),
        warnings=int(summary.get("warnings", 0)),
        ready=ready,
        waived=int(summary.get("waived", 0)),
        reasons=tuple(dict.fromkeys(r for r in reasons if r))[:REASONS],
        exit_code=exit_code_of(doc),
        config=doc["config"] if isinstance(doc.get("config"), str) else None,
        upload=upload,
    )


def _reason(finding: dict[str, Any], lang: str) -> str:
    """A finding in words for the summary, with the file it is about: two files' identical
    messages (two CJ103, say) stay two reasons."""
    message = _first_line(finding.get("message", ""))
    where = _first_line(finding.get("file") or "")
    if not where or not message:
        return message
    return f"{where}: {message}" if lang == "en" else f"{where}：{message}"


def rows_from_dicts(docs: Iterable[dict[str, Any]], lang: str = "zh") -> list[Row]:
    return sorted((row_from_dict(d, lang) for d in docs), key=Row.sort_key)


class Rows:
    """The summary rows of a batch, a packet at a time: a row is built from each report as it
    comes (the report can then go), and they are sorted worst first at the end."""

    def __init__(self, lang: str = "zh") -> None:
        self.lang = lang
        self.rows: list[Row] = []

    def add(self, report: Report, doc: dict[str, Any] | None = None) -> Row:
        row = row_from_dict(doc if doc is not None else report.to_dict(self.lang), self.lang)
        self.rows.append(row)
        return row

    def sorted(self) -> list[Row]:
        return sorted(self.rows, key=Row.sort_key)


def rows_from_reports(reports: Sequence[Report], lang: str = "zh") -> list[Row]:
    return rows_from_dicts((r.to_dict(lang) for r in reports), lang)


def packet_dicts(doc: Any) -> list[dict[str, Any]]:
    """The packet reports of a JSON document changju wrote: a batch's `packets`, or one report.
    ValueError for anything else."""
    if isinstance(doc, dict) and isinstance(doc.get("packets"), list) and all(isinstance(p, dict) for p in doc["packets"]):
        return list(doc["packets"])
    if isinstance(doc, dict) and "packet" in doc and "ok" in doc:
        return [doc]
    raise ValueError("not a changju JSON report (expected {\"packets\": [...]} or one packet's report)")


def counts(rows: Sequence[Row]) -> dict[str, int]:
    return {
        "packets": len(rows),
        "passed": sum(1 for r in rows if r.verdict in ("passed", "offline")),
        "failed": sum(1 for r in rows if r.verdict == "failed"),
        "unusable": sum(1 for r in rows if r.verdict in ("unusable", "no_manifest")),
        "errors": sum(r.errors for r in rows),
        "warnings": sum(r.warnings for r in rows),
        "waived": sum(r.waived for r in rows),
        "ready": sum(1 for r in rows if r.ready),
        "upload": sum(1 for r in rows if r.upload),
    }


def closing_lines(rows: Sequence[Row], lang: str) -> list[str]:
    c = counts(rows)
    return [w("ready_line", lang).format(u=c["upload"], n=c["ready"], total=c["packets"]), counts_line(c, lang)]


def config_line(rows: Sequence[Row], lang: str) -> str | None:
    """Which configuration file the checks applied (None when none did): a summary says it."""
    used = sorted({r.config for r in rows if r.config})
    if not used:
        return None
    colon = ": " if lang == "en" else "："
    return label("config", lang) + colon + ("; " if lang == "en" else "；").join(visible(u, keep_newlines=False) for u in used)


def heads(lang: str) -> list[str]:
    return [label("packet", lang), label("category", lang), label("verdict", lang), label("errors", lang),
            label("warnings", lang), w("waived", lang), w("upload", lang), w("ready", lang), w("reasons", lang)]


def verdict_cell(row: Row, lang: str) -> str:
    """ "✓ 可装订" / "✓ 可上传" for a packet that passed (the stage it reached), else the verdict."""
    if row.verdict == "passed" and (row.ready or row.upload):
        return f"{VERDICT_MARK['passed']} {word(STAGE_WORDS, 'bind' if row.ready else 'upload', lang)}"
    return f"{VERDICT_MARK[row.verdict]} {word(VERDICTS, row.verdict, lang)}"


def cells(row: Row, lang: str, *, sep: str | None = None) -> list[str]:
    """The row as the text and Markdown tables show it."""
    sep = sep if sep is not None else ("；" if lang == "zh" else "; ")
    return [
        visible(row.packet, keep_newlines=False),
        row.category_title,
        f"{VERDICT_MARK[row.verdict]} {word(VERDICTS, row.verdict, lang)}",
        str(row.errors),
        str(row.warnings),
        str(row.waived),
        w("yes" if row.upload else "no", lang),
        w("yes" if row.ready else "no", lang),
        sep.join(row.reasons),
    ]


def problem_lines(reports: Sequence[Report], lang: str = "zh") -> list[str]:
    """`--quiet`: one line per problem (the fatal one, errors, warnings), each naming its packet;
    nothing for a clean packet. Notes and waived findings are not problems."""
    from changju_check.render._common import finding_line, severity_of

    check_lang(lang)
    colon = ": " if lang == "en" else "："
    lines = []
    for r in reports:
        packet = visible(r.packet, keep_newlines=False)
        found = ([r.fatal] if r.fatal is not None else []) + [f for f in r.active_findings() if severity_of(r, f) in ("error", "warning")]
        for f in found:
            text = finding_line(r, f, lang).replace("\r", " ").replace("\n", " ")
            lines.append(f"{packet}{colon}{text}")
    return lines


SUMMARY_FORMATS = ("text", "markdown", "csv", "json")

__all__ = [
    "Row",
    "Rows",
    "SUMMARY_FORMATS",
    "closing_lines",
    "counts",
    "packet_dicts",
    "problem_lines",
    "row_from_dict",
    "rows_from_dicts",
    "rows_from_reports",
]
