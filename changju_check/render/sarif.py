"""SARIF 2.1.0, as GitHub code scanning accepts it.

Layout (single packet and batch alike: ONE run; a batch puts every packet's results
in that run, since GitHub no longer accepts several runs of one tool in one file):

- `tool.driver`: name "changju", `version`, `informationUri`, and `rules[]` with
  EVERY code of the catalogue (in code order, so `ruleIndex` is stable across runs
  and GitHub knows every rule), plus any code a report uses that the catalogue
  lacks. Each rule: `id`, `name` (CamelCase of the English title),
  `shortDescription` (title), `fullDescription` (description), `help.text`
  (description and fix: the body of `changju explain`), `defaultConfiguration.level`.
- `results[]`: `ruleId`, `ruleIndex`, `level` (error, warning, note), `message.text`,
  one location, `partialFingerprints`, and `properties` (packet, material, file).
- Locations: `artifactLocation.uri` is the packet path joined with the finding's
  packet-relative file, percent-encoded, with `uriBaseId` "%SRCROOT%" (the
  directory changju ran in, normally the repository root, which is how GitHub maps
  alerts to files). An absolute packet path becomes a `file://` URI without base id,
  unless it lies under `srcroot` (pass the working directory) and is made relative.
  A finding with a manifest line points at `changju.yaml` with `region.startLine`;
  its file (a PDF has no lines) is then a `relatedLocations` entry, linked from the
  message. A finding with no line points at its file; one with neither, at the
  manifest (at the packet itself when the report has no manifest). Locations without a line carry `region.startLine` 1 (the whole file):
  GitHub code scanning needs a start line on every result. For a .zip packet the
  artifact is the zip itself and the member's name is the location's description.
- Waived findings are included with `suppressions: [{kind: "external", status:
  "accepted", justification: <reason>}]`: GitHub shows them as dismissed.

Packets hold ID numbers and contracts: do not upload this SARIF to a public
code-scanning service (docs/ci/formats.md).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any, Sequence
from urllib.parse import quote

import changju_check
from changju_check.render._common import (
    all_findings,
    check_lang,
    finding_label,
    is_zip,
    join_packet,
    manifest_relpath,
    severity_of,
    verdict,
)
from changju_check.render.explain import explain_body
from changju_check.report import Finding, Report
from changju_check.rulebook import codes

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "changju"
# The project has no web site of its own yet: point at the package. Change it here when it has one.
INFORMATION_URI = "https://pypi.org/project/changju-check/"
FINGERPRINT_KEY = "changjuFinding/v1"
SRCROOT = "%SRCROOT%"

LEVEL = {"error": "error", "warning": "warning", "review": "warning", "info": "note"}


def rule_name(title_en: str) -> str:
    """ "Required material missing" → "RequiredMaterialMissing"."""
    words = re.findall(r"[A-Za-z0-9]+", title_en)
    return "".join(w[:1].upper() + w[1:] for w in words) or "Rule"


def _rules(used: Sequence[str], lang: str) -> list[dict[str, Any]]:
    catalogue = codes.catalogue()
    ids = sorted(set(catalogue) | set(used))
    rules = []
    for code in ids:
        entry = catalogue.get(code)
        if entry is None:  # a code the catalogue does not know (hand-built reports)
            rules.append(
                {
                    "id": code,
                    "shortDescription": {"text": code},
                    "defaultConfiguration": {"level": "warning"},
                }
            )
            continue
        rules.append(
            {
                "id": entry.code,
                "name": rule_name(entry.title.en),
                "shortDescription": {"text": entry.title.get(lang)},
                "fullDescription": {"text": entry.description.get(lang)},
                "help": {"text": explain_body(entry.code, lang)},
                "defaultConfiguration": {"level": LEVEL[entry.severity]},
            }
        )
    return rules


# ----------------------------------------------------------------------------- URIs


def _is_windows_abs(path: str) -> bool:
    return bool(re.match(r"^[A-Za-z]:[\\/]", path))


def _relative_to(path: str, srcroot: str | None) -> str | None:
    if not srcroot:
        return None
    if _is_windows_abs(path):
        p, root = PureWindowsPath(path), PureWindowsPath(srcroot)
    else:
        p, root = PurePosixPath(path), PurePosixPath(srcroot)
    try:
        rel = p.relative_to(root)
    except ValueError:
        return None
    return rel.as_posix()


def artifact_location(path: str, srcroot: str | None = None) -> dict[str, Any]:
    """A path (relative to where changju ran, or absolute) as a SARIF artifactLocation."""
    norm = path.replace("\\", "/") if _is_windows_abs(path) else path
    if _is_windows_abs(norm) or norm.startswith("/"):
        rel = _relative_to(path, srcroot)
        if rel is None:
            lead = "/" if _is_windows_abs(norm) else ""
            return {"uri": "file://" + lead + quote(norm, safe="/:", errors="surrogateescape")}
        norm = rel
    while norm.startswith("./"):
        norm = norm[2:]
    # surrogateescape: an undecodable byte of a file name is percent-encoded as that byte
    return {"uri": quote(norm or ".", safe="/", errors="surrogateescape"), "uriBaseId": SRCROOT}


def _file_location(report: Report, rel: str, srcroot: str | None) -> dict[str, Any]:
    if is_zip(report.packet):
        loc = artifact_location(report.packet, srcroot)
        loc["description"] = {"text": rel}
        return loc
    return artifact_location(join_packet(report.packet, rel), srcroot)


def _manifest_location(report: Report, srcroot: str | None) -> dict[str, Any]:
    return _file_location(report, manifest_relpath(report), srcroot)


def _physical(artifact: dict[str, Any], line: int | None) -> dict[str, Any]:
    return {"physicalLocation": {"artifactLocation": artifact, "region": {"startLine": max(1, line or 1)}}}


# ----------------------------------------------------------------------------- results


def _escape_message(text: str) -> str:
    """Literal brackets are escaped in a message that may hold embedded links."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _result(report: Report, f: Finding, lang: str, rule_index: dict[str, int] | None, srcroot: str | None) -> dict[str, Any]:
    """The SARIF result of a finding; without `rule_index` (not yet known), no "ruleIndex" key:
    `_indexed` puts it in its place."""
    label = finding_label(report, f, lang)
    text = f.message.get(lang)
    if label:
        text = f"{label}: {text}"
    text = _escape_message(text)

    related = []
    if f.line is not None:
        primary = _physical(_manifest_location(report, srcroot), f.line)
        if f.file:
            related_loc = _physical(_file_location(report, f.file, srcroot), None)
            related_loc["id"] = 1
            related_loc["message"] = {"text": f.file}
            related.append(related_loc)
            link = f"[{_escape_message(f.file)}](1)"
            text += f" (file: {link})" if lang == "en" else f"（文件：{link}）"
    elif f.file:
        primary = _physical(_file_location(report, f.file, srcroot), None)
    elif report.manifest is not None:
        primary = _physical(_manifest_location(report, srcroot), None)
    else:  # no manifest (or the packet could not be opened): the packet itself
        primary = _physical(artifact_location(report.packet or ".", srcroot), None)

    uri = primary["physicalLocation"]["artifactLocation"]["uri"]
    digest = hashlib.sha256(
        "\0".join([f.code, uri, f.file or "", f.material or "", f.message.en]).encode("utf-8", "surrogatepass")
    ).hexdigest()[:32]

    result: dict[str, Any] = {"ruleId": f.code}
    if rule_index is not None:
        result["ruleIndex"] = rule_index[f.code]
    result.update({
        "level": LEVEL[severity_of(report, f)],
        "message": {"text": text},
        "locations": [primary],
    })
    if related:
        result["relatedLocations"] = related
    result["partialFingerprints"] = {FINGERPRINT_KEY: digest}
    props: dict[str, Any] = {"packet": report.packet}
    if f.material:
        props["material"] = f.material
    if f.file:
        props["file"] = f.file
    if f is report.fatal:
        props["fatal"] = True
    result["properties"] = props
    if f.waived is not None:
        result["suppressions"] = [{"kind": "external", "status": "accepted", "justification": f.waived}]
    return result


def _indexed(result: dict[str, Any], rule_index: dict[str, int]) -> dict[str, Any]:
    code = result["ruleId"]
    return {"ruleId": code, "ruleIndex": rule_index[code], **{k: v for k, v in result.items() if k != "ruleId"}}


class Stream:
    """A batch as its reports come (see render.stream). The rule list, at the top of the log,
    depends on every code found, so the whole log is written at the end; what is kept of a packet
    is its results and its line of the packet list, not the report."""

    ahead = False

    def __init__(self, lang: str = "zh", *, srcroot: str | None = None):
        check_lang(lang)
        self.lang, self.srcroot = lang, srcroot
        self.results: list[dict[str, Any]] = []
        self.packets: list[dict[str, Any]] = []

    def add(self, report: Report) -> str:
        self.results.extend(_result(report, f, self.lang, None, self.srcroot) for f in all_findings(report))
        self.packets.append(
            {
                "packet": report.packet,
                "category": report.category,
                "as_of": report.as_of.isoformat(),
                "verdict": verdict(report),
                "errors": report.errors,
                "warnings": report.warnings,
            }
        )
        return ""

    def head(self) -> str:
        return _dumps(self.log())

    def tail(self) -> str:
        return ""

    def log(self) -> dict[str, Any]:
        rules = _rules([r["ruleId"] for r in self.results], self.lang)
        rule_index = {rule["id"]: i for i, rule in enumerate(rules)}
        return _log(rules, [_indexed(r, rule_index) for r in self.results], self.packets, self.lang)


def sarif_log(reports: Sequence[Report], lang: str = "zh", *, srcroot: str | None = None) -> dict[str, Any]:
    """The SARIF log (a dict) for one or several reports: one run, every packet's results."""
    s = Stream(lang, srcroot=srcroot)
    for r in reports:
        s.add(r)
    return s.log()


def _log(rules: list, results: list, packets: list, lang: str) -> dict[str, Any]:
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "fullName": "changju-check",
                "version": changju_check.__version__,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "language": "en-US" if lang == "en" else "zh-CN",
        "results": results,
        "properties": {"packets": packets},
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


_SURROGATE = re.compile("[\ud800-\udfff]")


def _encodable(value: Any) -> Any:
    """Lone surrogates (undecodable file-name bytes) as visible escapes, so the log is UTF-8."""
    if isinstance(value, str):
        return _SURROGATE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", value)
    if isinstance(value, dict):
        return {k: _encodable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_encodable(v) for v in value]
    return value


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(_encodable(data), ensure_ascii=False, indent=2) + "\n"


def render(report: Report, lang: str = "zh", *, srcroot: str | None = None) -> str:
    return _dumps(sarif_log([report], lang, srcroot=srcroot))


def render_batch(reports: Sequence[Report], lang: str = "zh", *, srcroot: str | None = None) -> str:
    return _dumps(sarif_log(list(reports), lang, srcroot=srcroot))
