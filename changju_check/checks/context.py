"""What the checks see: the category's rules, the manifest's facts and the inspected packet.

The checks never touch files; they read this context, which the engine builds
once per packet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from changju_check.inspect import FileInfo
from changju_check.manifest import Manifest
from changju_check.recognise.names import years_in
from changju_check.rulebook.load import RuleSet
from changju_check.rulebook.model import Category, Item, Section


@dataclass
class CheckContext:
    rules: RuleSet
    category: Category
    manifest: Manifest
    manifest_path: str | None
    as_of: date
    files: dict[str, FileInfo]  # packet-relative path -> inspection
    assigned: dict[str, list[str]] = field(default_factory=dict)  # material id -> paths, in natural order
    texts: dict[str, str] = field(default_factory=dict)  # path -> first page's text layer, where read
    scan_contracts: dict[str, Any] = field(default_factory=dict)  # contract facts read from scans
    scan_years: dict[str, tuple[int, ...]] = field(default_factory=dict)  # path -> years read from its pages
    evidence: list[Any] = field(default_factory=list)  # facts read from text layers and scans
    documents: list[Any] = field(default_factory=list)  # scan.documents.DocFacts of each recognised document
    page_years: dict[str, tuple[int, ...]] = field(default_factory=dict)  # path -> years its pages cover (win over the name)
    explicit: set[str] = field(default_factory=set)  # paths the manifest maps under `materials`
    moved_by_content: dict[str, str] = field(default_factory=dict)  # path -> material its OCR'd title gave (was unmatched)
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)  # path -> materials it matches equally
    # manifest facts read from the pages that the checks may use where the manifest is silent
    # (key -> report.Fact, see scan/facts.py), and those a person must confirm (CJ513)
    read: dict[str, Any] = field(default_factory=dict)
    uncertain: set[str] = field(default_factory=set)
    facts: list[Any] = field(default_factory=list)  # every report.Fact read, with its source
    scans_read: bool = False  # some page was OCR'd (by default or under --read-scans)
    withdrawn: list[Any] = field(default_factory=list)
    ocr_heads: dict[str, tuple[str, float]] = field(default_factory=dict)  # path -> (OCR'd first page, its lowest score)  # CJ407s of template examples the pages confirm

    _inferred: dict[str, Any] | None = field(default=None, init=False, repr=False)

    # ------------------------------------------------------------------ facts
    def fact(self, name: str) -> Any:
        """The manifest's fact; where it is silent, what the packet's documents decide (CJ212)."""
        value = self.manifest.fact(name)
        if value is None and self.read:
            value = self._read_fact(name)
        if value is None:
            inferred = self.inferred.get(name)
            if inferred is not None:
                return inferred.value
        return value

    def _read_fact(self, name: str) -> Any:
        """A fact read from the pages with enough confidence (never the contract's dates: those
        reach the contract checks with their source, through `scan_contracts`)."""
        if name.startswith("applicant.contract."):
            return None
        if name in ("applicant.foreign", "applicant.hmt") and self.manifest.fact("applicant.nationality") is None:
            from changju_check.manifest.nationality import is_foreign, is_hmt

            read = self.read.get("applicant.nationality")
            if read is None:
                return None
            return (is_foreign if name == "applicant.foreign" else is_hmt)(read.value)
        read = self.read.get(name)
        if read is None:
            return None
        if name == "applicant.hired_on":
            from datetime import date as _date

            return _date.fromisoformat(read.value)
        return read.value

    @property
    def inferred(self) -> dict[str, Any]:
        """Deciding facts read from the documents of an either/or item (see checks/infer.py)."""
        if self._inferred is None:
            from changju_check.checks.infer import infer_facts

            self._inferred = infer_facts(
                self.category, self.manifest.fact, lambda m: [p for p in self.files_of(m) if self.usable(p)]
            )
        return self._inferred

    def line(self, *path: str | int) -> int | None:
        return self.manifest.line_of(*path)

    # ------------------------------------------------------------------ materials
    def files_of(self, material: str) -> list[str]:
        return self.assigned.get(material, [])

    def item_files(self, item: Item, active_only: bool = True) -> list[str]:
        materials = self.active_materials(item) if active_only else item.all_materials()
        paths: list[str] = []
        for m in materials:
            for p in self.files_of(m):
                if p not in paths:
                    paths.append(p)
        return paths

    def active_materials(self, item: Item) -> list[str]:
        return list(item.active_case(self.fact).of)

    def items(self) -> list[tuple[Section, Item]]:
        return self.category.items()

    def number(self, section: Section, item: Item) -> str:
        return f"{section.number}.{item.number}" if section.number else item.number

    def title(self, item: Item) -> tuple[str, str]:
        """(zh, en) title of an item."""
        en = item.title_en or (self.rules.catalogue.materials[item.material].title_en if item.material else item.key)
        return item.title, en

    def material_title(self, material: str) -> tuple[str, str]:
        m = self.rules.catalogue.materials[material]
        return m.title, m.title_en

    # ------------------------------------------------------------------ per file
    def years_of(self, path: str) -> tuple[int, ...]:
        """Years a file covers: from its pages where a real document says them, else from its name,
        else from its first page's text layer or scan."""
        from pathlib import PurePosixPath

        if path in self.page_years:
            return self.page_years[path]  # the page's own years win over the name's (CJ502 says so)
        found = years_in(PurePosixPath(path).name)
        if not found and path in self.texts:
            found = years_from_text(self.texts[path])
        if not found and path in self.scan_years:
            found = self.scan_years[path]
        return found

    def usable(self, path: str) -> bool:
        """A file a reviewer can open: inspected without an error (corrupt, encrypted, empty, ...)."""
        info = self.files.get(path)
        return info is None or info.ok

    def pages(self, path: str) -> int | None:
        info = self.files.get(path)
        return info.pages if info else None

    def kind(self, path: str) -> str | None:
        info = self.files.get(path)
        return info.kind if info else None


def years_from_text(text: str) -> tuple[int, ...]:
    """Years a document says it covers: "2021年度", "截至2021年12月31日", "2021年1月1日至2022年12月31日"."""
    import re

    compact = "".join(text.split())
    found: set[int] = set()
    for m in re.finditer(r"(20\d{2})年度", compact):
        found.add(int(m.group(1)))
    for m in re.finditer(r"截至(20\d{2})年12月31日", compact):
        found.add(int(m.group(1)))
    span = re.search(r"(20\d{2})年\d{1,2}月\d{1,2}日?(?:至|-|—|~)(20\d{2})年\d{1,2}月", compact)
    if span:
        a, b = int(span.group(1)), int(span.group(2))
        if a <= b <= a + 10:
            found.update(range(a, b + 1))
    return tuple(sorted(found))
