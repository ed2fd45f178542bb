"""JUnit XML: one test case per material of the checklist, so CI shows the checklist.

- `<testsuite name=<packet> tests failures errors skipped time="0">` with
  `<properties>` (category, as_of, verdict).
- One `<testcase name="2.(5) 申报人与申报单位签订的最新工作合同"
  classname="<packet>.<section>" file=<first file> time="0">` per material,
  in checklist order; a material that passes is a passing test case.
- Each error finding of the material (strict mode: warnings too) is a
  `<failure type=<code> message=<message>>` whose text says where it points.
- Warnings and notes go to the test case's `<system-out>`: they do not fail it.
- A waived material, a material whose only findings are waived, and a material that
  is not applicable or optional and not provided are `<skipped message=...>`.
  Waived findings of a failing test case are noted in its `<system-out>`.
- Findings without a material go into a test case named after their file
  (classname `<packet>.files`), after the manifest when they only have a
  line, or 材料包 / Packet when they have neither. The fatal finding of an unusable
  packet is an `<error>` in a test case named 无法检查材料包 / "The packet could not be
  checked" (classname `<packet>.packet`).
- `<packet>` is the packet's path with `.` written `_` (JUnit viewers split a classname
  at its dots: Jenkins shows the packet as the package, GitLab as the suite), so the
  same missing material in two packets is two distinct test cases.
- Counts: `failures`, `errors` and `skipped` count test cases, not elements.
- Batch: `<testsuites name="changju" ...>` with one `<testsuite>` per packet.

Deterministic: no timestamps, time="0", no host name. Characters that XML 1.0 cannot
hold (control characters in a hostile file name) are written as visible escapes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Sequence

from changju_check.render._common import (
    STATUS_WORD,
    check_lang,
    label,
    join_packet,
    manifest_relpath,
    material_label,
    material_title,
    severity_of,
    summary_line,
    verdict,
    word,
)
from changju_check.report import Finding, Report

_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def xml_safe(text: str) -> str:
    """Characters XML 1.0 cannot hold (controls, lone surrogates) as visible escapes."""
    return _XML_INVALID.sub(_escape_char, text)


@dataclass
class _Case:
    name: str
    classname: str
    file: str | None = None
    failures: list[Finding] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)
    out: list[str] = field(default_factory=list)
    skipped: str | None = None
    waived: list[Finding] = field(default_factory=list)


def _where(report: Report, f: Finding) -> str:
    parts = []
    if f.file:
        parts.append(f.file)
    if f.line is not None:
        parts.append(f"{manifest_relpath(report)}:{f.line}")
    return " ".join(parts)


def _detail(report: Report, f: Finding, lang: str) -> str:
    loc = _where(report, f)
    text = f"{f.code} {loc}: {f.message.get(lang)}" if loc else f"{f.code}: {f.message.get(lang)}"
    if f.waived is not None:
        text += f"（理由：{f.waived}）" if lang == "zh" else f" (reason: {f.waived})"
    return text


def packet_classname(report: Report) -> str:
    """The packet as the first part of a classname: its path, "/" separators, dots as "_"."""
    name = report.packet.replace("\\", "/").rstrip("/")
    while name.startswith("./"):
        name = name[2:]
    return (name or ".").replace(".", "_")


def _cases(report: Report, lang: str) -> list[_Case]:
    prefix = packet_classname(report)
    cases: dict[str, _Case] = {}
    order: list[str] = []

    def add(key: str, case: _Case) -> _Case:
        if key not in cases:
            cases[key] = case
            order.append(key)
        return cases[key]

    for m in report.materials:
        case = add(
            "m:" + m.id,
            _Case(
                name=f"{m.number} {material_title(m, lang)}".strip(),
                classname=f"{prefix}.{m.section}",
                file=join_packet(report.packet, m.files[0]) if m.files else None,
            ),
        )
        if m.status == "waived":
            reason = m.waived or ""
            case.skipped = f"{word(STATUS_WORD, 'waived', lang)}{'：' if lang == 'zh' else ': '}{reason}"
        elif m.status in ("not_applicable", "optional_missing"):
            case.skipped = word(STATUS_WORD, m.status, lang)

    if report.fatal is not None:
        case = add("packet", _Case(name=label("fatal", lang), classname=f"{prefix}.packet"))
        case.errors.append(report.fatal)

    for f in report.sorted_findings():
        if f.material is not None:
            case = add(
                "m:" + f.material,
                _Case(name=material_label(report, f.material, lang) or f.material, classname=f"{prefix}.materials"),
            )
        elif f.file:
            case = add(
                "f:" + f.file,
                _Case(name=f.file, classname=f"{prefix}.files", file=join_packet(report.packet, f.file)),
            )
        elif f.line is not None:
            manifest = manifest_relpath(report)
            case = add(
                "manifest",
                _Case(name=manifest, classname=f"{prefix}.packet", file=join_packet(report.packet, manifest)),
            )
        else:
            case = add("packet", _Case(name=label("packet", lang), classname=f"{prefix}.packet"))
        if f.waived is not None:
            case.waived.append(f)
        elif severity_of(report, f) == "error":
            case.failures.append(f)
        else:
            case.out.append(f"{severity_of(report, f)}: {_detail(report, f, lang)}")

    result = []
    for key in order:
        case = cases[key]
        if case.waived:
            if case.failures or case.errors or case.skipped is not None:
                case.out.extend(f"waived: {_detail(report, f, lang)}" for f in case.waived)
            else:  # nothing but waived findings: the test case is skipped, with the reasons
                case.skipped = "; ".join(_detail(report, f, lang) for f in case.waived)
        result.append(case)
    return result


def _suite(report: Report, lang: str) -> ET.Element:
    cases = _cases(report, lang)
    failed = sum(1 for c in cases if c.failures and not c.errors)
    errored = sum(1 for c in cases if c.errors)
    skipped = sum(1 for c in cases if c.skipped is not None and not c.failures and not c.errors)
    suite = ET.Element(
        "testsuite",
        {
            "name": xml_safe(report.packet),
            "tests": str(len(cases)),
            "failures": str(failed),
            "errors": str(errored),
            "skipped": str(skipped),
            "time": "0",
        },
    )
    props = ET.SubElement(suite, "properties")
    for name, value in (
        ("category", report.category),
        ("as_of", report.as_of.isoformat()),
        ("verdict", verdict(report)),
        ("summary", summary_line(report, lang)),
    ):
        ET.SubElement(props, "property", {"name": name, "value": xml_safe(value)})
    for c in cases:
        attrs = {"name": xml_safe(c.name), "classname": xml_safe(c.classname)}
        if c.file:
            attrs["file"] = xml_safe(c.file)
        attrs["time"] = "0"
        tc = ET.SubElement(suite, "testcase", attrs)
        for f in c.errors:
            el = ET.SubElement(tc, "error", {"type": f.code, "message": xml_safe(f.message.get(lang))})
            el.text = xml_safe(_detail(report, f, lang))
        for f in c.failures:
            el = ET.SubElement(tc, "failure", {"type": f.code, "message": xml_safe(f.message.get(lang))})
            el.text = xml_safe(_detail(report, f, lang))
        if c.skipped is not None and not c.failures and not c.errors:
            ET.SubElement(tc, "skipped", {"message": xml_safe(c.skipped)})
        if c.out:
            out = ET.SubElement(tc, "system-out")
            out.text = xml_safe("\n".join(c.out))
    return suite


def _serialise(root: ET.Element) -> str:
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def render(report: Report, lang: str = "zh") -> str:
    check_lang(lang)
    return _serialise(_suite(report, lang))


class Stream:
    """A batch as its reports come (see render.stream): each packet's `<testsuite>`, indented as
    it sits in the document; the `<testsuites>` element above them carries the totals, so it is
    written at the end. The same bytes as serialising the whole tree."""

    ahead = False
    _TOTALS = ("tests", "failures", "errors", "skipped")

    def __init__(self, lang: str = "zh"):
        check_lang(lang)
        self.lang = lang
        self.totals = dict.fromkeys(self._TOTALS, 0)
        self.n = 0

    def add(self, report: Report) -> str:
        suite = _suite(report, self.lang)
        self.n += 1
        for k in self._TOTALS:
            self.totals[k] += int(suite.get(k, "0"))
        ET.indent(suite, space="  ", level=1)
        suite.tail = None
        return "\n  " + ET.tostring(suite, encoding="unicode")

    def _root(self) -> ET.Element:
        return ET.Element("testsuites", {"name": "changju", **{k: str(v) for k, v in self.totals.items()}, "time": "0"})

    def head(self) -> str:
        root = self._root()
        if not self.n:  # an empty element: <testsuites … />
            return _serialise(root)
        root.text = "\0"
        start = ET.tostring(root, encoding="unicode").split("\0", 1)[0]
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + start

    def tail(self) -> str:
        return "\n</testsuites>\n" if self.n else ""


def render_batch(reports: Sequence[Report], lang: str = "zh") -> str:
    from changju_check.render.stream import collect

    return collect(Stream(lang), reports)
