"""The report: plain, sortable data that every renderer reads whole.

Nothing here prints, reads files or knows about the terminal. A check produces
`Finding`s; the engine assembles one `Report`; `render/*` turn it into text,
JSON, Markdown, SARIF, JUnit or GitHub annotations.

Every message exists in both languages (`Msg`), so a report can be rendered in
Chinese or English without re-running the checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

from changju_check.report.msg import LANGS, Msg, PortableError  # noqa: F401  (part of the model)

# "review" (需人工确认): a constraint decided by a fact read with low confidence, or by documents that
# disagree - neither passed silently nor failed falsely; a person looks at the page it names.
Severity = Literal["error", "warning", "review", "info"]
SEVERITY_RANK: dict[str, int] = {"error": 0, "warning": 1, "review": 2, "info": 3}

MaterialStatus = Literal["present", "missing", "waived", "not_applicable", "optional_missing"]



@dataclass(frozen=True)
class Finding:
    """One problem (or note) about the packet.

    `material` is a material id from the rule catalogue, `file` a path relative
    to the packet root (POSIX separators, NFC), `line` a manifest line where the
    finding points into `changju.yaml`.
    """

    code: str
    severity: Severity
    message: Msg
    material: str | None = None
    file: str | None = None
    line: int | None = None
    waived: str | None = None  # the reason, when the manifest waives this finding
    page: int | None = None  # 1-based page of `file` to look at (a 需人工确认 names it; shown as a crop)

    def sort_key(self) -> tuple:
        return (
            1 if self.waived is not None else 0,
            SEVERITY_RANK[self.severity],
            self.code,
            self.material or "",
            self.file or "",
            self.message.zh,
        )

    def with_severity(self, severity: Severity) -> "Finding":
        return replace(self, severity=severity)

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
            "material": self.material,
            "file": self.file,
            "line": self.line,
            "message": self.message.get(lang),
        }
        if self.page is not None:
            data["page"] = self.page
        if self.waived is not None:
            data["waived"] = self.waived
        return data


@dataclass(frozen=True)
class Evidence:
    """A fact read from a scan (see `changju check --read-scans`)."""

    material: str
    file: str
    page: int
    fact: str
    value: str
    confidence: float
    # where on the page it was read: (x0, y0, x1, y1) as fractions of the page's width and
    # height, origin top left; drawn on the page in the HTML report. None: not known.
    box: tuple[float, float, float, float] | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "material": self.material,
            "file": self.file,
            "page": self.page,
            "fact": self.fact,
            "value": self.value,
            "confidence": round(self.confidence, 3),
        }
        if self.box is not None:
            data["box"] = [round(v, 4) for v in self.box]
        return data


@dataclass(frozen=True)
class Fact:
    """A fact of changju.yaml read from a document's page: `key` is its manifest path
    (`applicant.contract.end`), `value` what the manifest would hold (dates ISO, booleans as
    such), `file` the packet-relative file, `page` 1-based, `confidence` 0..1 (1.0: a text layer)."""

    key: str
    value: Any
    file: str
    page: int
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "value": self.value, "file": self.file, "page": self.page,
                "confidence": round(self.confidence, 3)}


@dataclass(frozen=True)
class PreviewPage:
    """One page of a file as a small image (for the HTML report): `data` is the encoded image."""

    number: int  # 1-based
    mime: str  # image/jpeg
    data: bytes = field(repr=False)
    width: int
    height: int


@dataclass(frozen=True)
class Preview:
    """The first pages of one file as pictures, and the pages the report names (a review, a fact's
    evidence); or why there are none (`problem`)."""

    file: str
    page_count: int | None = None
    thumbnail: PreviewPage | None = None  # the first page, small
    # larger, in page order: the first pages and the pages named (as many as the packet's budget allows)
    pages: tuple[PreviewPage, ...] = ()
    problem: Msg | None = None
    # pages named that have no picture, and why (beyond the file's length, a page that cannot be drawn)
    page_problems: tuple[tuple[int, Msg], ...] = ()

    def page_problem(self, number: int) -> Msg | None:
        return next((why for n, why in self.page_problems if n == number), None)


@dataclass(frozen=True)
class MaterialResult:
    """One line of the checklist: a numbered item of the guide and what was found for it."""

    id: str
    section: str  # unit | person | forum | registration
    number: str  # the guide's numbering, e.g. "1.(4)" or "*3"
    title: str  # Chinese, as the guide words it
    title_en: str
    required: bool | dict[str, Any]  # True/False, or the condition under which it is required
    required_now: bool  # the condition evaluated against the manifest
    status: MaterialStatus
    files: tuple[str, ...] = ()
    accepted: tuple[str, ...] = ()  # material ids that satisfy the item
    waived: str | None = None

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "section": self.section,
            "number": self.number,
            "title": self.title,
            "title_en": self.title_en,
            "required": self.required,
            "required_now": self.required_now,
            "status": self.status,
            "files": list(self.files),
        }
        if self.waived is not None:
            data["waived"] = self.waived
        return data


@dataclass
class Report:
    """The verdict on one packet."""

    packet: str
    category: str
    category_title: str
    category_title_en: str
    as_of: date
    manifest: str | None = None
    # the repository configuration file the check applied (changju.toml / pyproject.toml), if any
    config: str | None = None
    materials: list[MaterialResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)  # manifest facts read from the pages, with their source
    strict: bool = False
    # set when the packet could not be checked at all (exit 2): unknown category, bad manifest, ...
    fatal: Finding | None = None
    # with --read-scans: the manifest's value beside each fact read (fact name -> value), for people
    manifest_facts: dict[str, str] = field(default_factory=dict, repr=False)
    # --read-scans was asked for: the text report shows the evidence table (JSON always has it)
    scans_read: bool = field(default=False, repr=False)
    # files whose pages would have been read (a file not placed, a fact the manifest lacks) had the
    # [scan] extra been installed: the CLI says what reading would add and how to install it
    unread: list[str] = field(default_factory=list, repr=False)
    # for `bundle`: material id -> files in natural order, and files matched to nothing (not in JSON)
    assigned: dict[str, list[str]] = field(default_factory=dict, repr=False)
    unmatched: list[str] = field(default_factory=list, repr=False)
    # the category is bound into a book (附件4: the rule set's binding); the registration's materials are not
    bound: bool = field(default=True, repr=False)
    # for the HTML report (`CheckOptions.previews`): file -> its first pages as pictures (not in JSON)
    previews: dict[str, Preview] = field(default_factory=dict, repr=False)

    def sorted_findings(self) -> list[Finding]:
        """In the order a person works through them: by severity (as shown: strict mode makes
        warnings errors), packet-wide findings first, then by the guide's numbering of the
        material (the checklist's order), then by file; waived findings last."""
        import re

        def numbering(i: int, m: MaterialResult) -> tuple:  # "2.(10)" -> (2, 10): the guide's order
            return (tuple(int(n) for n in re.findall(r"\d+", m.number)), i)

        order: dict[str, tuple] = {}
        for i, m in enumerate(self.materials):
            order.setdefault(m.id, numbering(i, m))
        for i, m in enumerate(self.materials):
            for accepted in m.accepted:
                order.setdefault(accepted, numbering(i, m))
        last = ((10**6,), 0)

        def key(f: Finding) -> tuple:
            packet_wide = f.material is None and f.file is None
            return (
                1 if f.waived is not None else 0,
                SEVERITY_RANK[self.effective_severity(f)],
                0 if packet_wide else 1,
                order.get(f.material, last) if f.material is not None else ((10**6 + 1,), 0),
                f.file or "",
                f.line if f.line is not None else 0,
                f.code,
                f.message.zh,
            )

        return sorted(self.findings, key=key)

    def active_findings(self) -> list[Finding]:
        return [f for f in self.sorted_findings() if f.waived is None]

    def effective_severity(self, finding: Finding) -> Severity:
        if self.strict and finding.severity == "warning":
            return "error"
        return finding.severity

    def count(self, severity: Severity) -> int:
        # a count needs no order: not sorted_findings (a batch summary counts every report often)
        return sum(1 for f in self.findings if f.waived is None and self.effective_severity(f) == severity)

    @property
    def errors(self) -> int:
        return self.count("error") + (1 if self.fatal else 0)

    @property
    def warnings(self) -> int:
        return self.count("warning")

    @property
    def reviews(self) -> int:
        """Findings a person must confirm (需人工确认): they fail the packet only under --strict."""
        return self.count("review")

    @property
    def ok(self) -> bool:
        return self.fatal is None and self.errors == 0 and not (self.strict and self.reviews)

    @property
    def ready_to_upload(self) -> bool:
        """可上传: every attachment the category needs is there and no error: the attachments can be
        uploaded to the online system (附件4 第1条: the system reviews them first)."""
        return self.ok and bool(self.materials)

    @property
    def ready_to_bind(self) -> bool:
        """可装订: ready to upload, and the watermarked 申报书 (downloaded once the system's review
        passed) is in the packet: `changju bundle` will make the book."""
        return self.ready_to_upload and bool(self.assigned.get("application_form"))

    @property
    def stage(self) -> str:
        """The stage the packet has reached: "bind" (可装订), "upload" (可上传), "failed" (errors to
        fix first), "unusable" (could not be checked) or "offline" (handled outside the system)."""
        if self.fatal is not None:
            return "unusable"
        if not self.materials and any(f.code == "CJ406" for f in self.findings):
            return "offline"
        if self.ready_to_bind:
            return "bind"
        return "upload" if self.ready_to_upload else "failed"

    @property
    def exit_code(self) -> int:
        if self.fatal is not None:
            return 2
        return 0 if self.ok else 1

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """The documented JSON contract (docs/ci/formats.md, "The JSON report")."""
        findings = []
        for f in self.sorted_findings():
            item = f.to_dict(lang)
            item["severity"] = self.effective_severity(f)
            findings.append(item)
        data: dict[str, Any] = {
            "ok": self.ok,
            "category": self.category,
            "category_title": self.category_title_en if lang == "en" else self.category_title,
            "as_of": self.as_of.isoformat(),
            "packet": self.packet,
            "manifest": self.manifest,
            "config": self.config,
            "materials": [m.to_dict(lang) for m in self.materials],
            "findings": findings,
            "facts": [f.to_dict() for f in self.facts],  # manifest facts read from the pages, with their sources
            "summary": {
                "errors": self.errors,
                "warnings": self.warnings,
                "reviews": self.reviews,
                "infos": self.count("info"),
                "waived": sum(1 for f in self.findings if f.waived is not None),
            },
            "bound": self.bound,  # the category's materials are bound into a book (the rules' binding)
            "ready_to_upload": self.ready_to_upload,
            "ready_to_bind": self.ready_to_bind,
        }
        if self.fatal is not None:
            data["fatal"] = self.fatal.to_dict(lang)
        if self.evidence:
            data["evidence"] = [e.to_dict() for e in sorted(self.evidence, key=lambda e: (e.material, e.file, e.page, e.fact))]
        return data
