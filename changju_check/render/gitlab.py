"""GitLab Code Quality: a JSON array of issues (`artifacts: reports: codequality:`).

Each active finding (and the fatal one) is one issue:

    {"description": "<packet>: <message>", "check_name": "CJ101",
     "fingerprint": "<sha256>", "severity": "major",
     "location": {"path": "packets/a/changju.yaml", "lines": {"begin": 12}}}

- `description` starts with the packet, so the merge-request widget (which shows only
  the description and the path) tells packets apart.
- `severity`: error → `major` (a fatal report → `blocker`), warning → `minor`, note → `info`.
- `location.path` is the finding's file, else the manifest, relative to the repository
  (`srcroot`); a zip packet's member is named in the description and the path is the zip.
  PDFs have no lines: `lines.begin` is the manifest line where there is one, else 1.
- `fingerprint` is stable across runs and languages: a hash of the packet, code,
  material, file, line and the Chinese message. Waived findings are left out (accepted).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Sequence

from changju_check.render._common import check_lang, is_zip, join_packet, manifest_relpath, severity_of
from changju_check.render.sarif import artifact_location
from changju_check.report import Finding, Report

SEVERITY = {"error": "major", "warning": "minor", "review": "minor", "info": "info"}


def _path(report: Report, rel: str | None, srcroot: str | None) -> str:
    target = report.packet if is_zip(report.packet) or rel is None else join_packet(report.packet, rel)
    loc = artifact_location(target, srcroot)
    uri = loc["uri"]
    if "uriBaseId" in loc:
        from urllib.parse import unquote

        return unquote(uri, errors="surrogateescape")
    return uri


def fingerprint(report: Report, f: Finding) -> str:
    key = "\x1f".join([report.packet, f.code, f.material or "", f.file or "", str(f.line or ""), f.message.zh])
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()


def _issue(report: Report, f: Finding, lang: str, srcroot: str | None, *, fatal: bool = False) -> dict[str, Any]:
    if f.file and f.line is None:
        rel: str | None = f.file
    else:  # a manifest line, or the packet as a whole (itself when it has no manifest)
        rel = manifest_relpath(report) if report.manifest is not None or f.line is not None else None
    where = f" ({f.file})" if f.file and is_zip(report.packet) else ""
    return {
        "description": f"{report.packet}{where}: {f.message.get(lang)}",
        "check_name": f.code,
        "fingerprint": fingerprint(report, f),
        "severity": "blocker" if fatal else SEVERITY[severity_of(report, f)],
        "location": {"path": _path(report, rel, srcroot), "lines": {"begin": max(1, f.line or 1)}},
    }


def issues(report: Report, lang: str = "zh", srcroot: str | None = None) -> list[dict[str, Any]]:
    out = []
    if report.fatal is not None:
        out.append(_issue(report, report.fatal, lang, srcroot, fatal=True))
    out.extend(_issue(report, f, lang, srcroot) for f in report.active_findings())
    return out


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render(report: Report, lang: str = "zh", *, srcroot: str | None = None) -> str:
    check_lang(lang)
    return _dumps(issues(report, lang, srcroot))


class Stream:
    """A batch as its reports come (see render.stream): the same bytes as `render_batch`."""

    ahead = True

    def __init__(self, lang: str = "zh", *, srcroot: str | None = None):
        check_lang(lang)
        self.lang, self.srcroot, self.n = lang, srcroot, 0

    def head(self) -> str:
        return "["

    def add(self, report: Report) -> str:
        from changju_check.render.jsonfmt import indented

        out = []
        for issue in issues(report, self.lang, self.srcroot):
            out.append(("\n" if not self.n else ",\n") + indented(issue, "  "))
            self.n += 1
        return "".join(out)

    def tail(self) -> str:
        return "\n]\n" if self.n else "]\n"


def render_batch(reports: Sequence[Report], lang: str = "zh", *, srcroot: str | None = None) -> str:
    from changju_check.render.stream import collect

    return collect(Stream(lang, srcroot=srcroot), reports)


__all__ = ["fingerprint", "issues", "render", "render_batch"]
