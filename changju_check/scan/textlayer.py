"""Real documents in every check: what the text layers (and, under --read-scans, OCR) say.

The engine calls three functions, none of which reads a file (the inspection stage hands over
each PDF's text layer, page by page):

- `pages_wanted(material, catalogue)` — how many leading pages of a file of that material to extract (the
  人社部 contract's term is on page 2; `--scan-pages` does not limit the text layer);
- `recognise(texts, assigned, category_materials, explicit, catalogue)` — which document each file
  holds (`layout.read_document`), and the files its content puts under another material than its
  name did (or than no material at all): CJ509; where a document is filed is the catalogue's
  (`Catalogue.filed_in`: its own material, then `counts_as`), as in the OCR path (`bridge`);
- `cross_checks(docs, fact, as_of, name_years, …)` — CJ501/CJ209/CJ502 from the facts read (as
  `--read-scans` does for scans), the years each page covers (which win over the name's years), and
  the examiner's cross-checks CJ505-CJ511 between documents (`examine.examine`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Callable, Mapping

from changju_check.inspect.model import PAGE_SEPARATOR
from changju_check.report import Evidence, Finding
from changju_check.scan.documents import DocFacts, evidence_of, facts_of
from changju_check.scan.layout import Document, Layout, load_layouts, read_document

__all__ = ["PAGE_SEPARATOR", "Reading", "cross_checks", "document_materials", "pages_wanted", "recognise", "split_pages"]

AUDIT = "audit_report"


def split_pages(text: str | None) -> list[str]:
    return (text or "").split(PAGE_SEPARATOR)


def _counts(catalogue) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The catalogue's `counts_as`, as a key (the layouts are shared by every rule directory)."""
    return tuple((m, tuple(d.counts_as)) for m, d in catalogue.materials.items() if d.counts_as)


@lru_cache(maxsize=8)
def _layouts_by_material(counts: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, tuple[Layout, ...]]:
    """Material -> the layouts a file of it may hold: the layout's own materials, and what the
    catalogue files them as (`counts_as`: a 高新技术企业证书 filed as 申报单位奖项及资质获得情况)."""
    counts_as = dict(counts)
    out: dict[str, list[Layout]] = {}
    for layout in load_layouts():
        for m in [*layout.materials, *(t for own in layout.materials for t in counts_as.get(own, ()))]:
            if layout not in out.setdefault(m, []):
                out[m].append(layout)
    return {m: tuple(v) for m, v in out.items()}


def _by_material(catalogue) -> dict[str, tuple[Layout, ...]]:
    return _layouts_by_material(_counts(catalogue))


def document_materials(catalogue) -> frozenset[str]:
    """Materials a file of which may hold a layout's document (plus the audit report, read by its year)."""
    return frozenset(_by_material(catalogue)) | {AUDIT}


def pages_wanted(material: str | None, catalogue=None) -> int:
    """Leading pages whose text layer is read for a file of `material` (None: a file whose name
    says nothing, read for its title; `catalogue` is needed for any other)."""
    if material is None:
        return 2
    if material == AUDIT:
        return 1
    layouts = _by_material(catalogue).get(material)
    return max((lay.pages for lay in layouts), default=0) if layouts else 0


def read_until(material: str, catalogue) -> str | None:
    """The layout (kind) whose `done_when` ends the reading of a file of `material`: its only
    layout, where that layout says which facts are enough (the 人社部 contract); else None."""
    layouts = _by_material(catalogue).get(material) or ()
    return layouts[0].kind if len(layouts) == 1 and layouts[0].done_when else None


@dataclass
class Reading:
    """What `recognise` found: per file the document, and the reassignments by content."""

    documents: dict[str, tuple[str, Document]] = field(default_factory=dict)  # path -> (material, document)
    moved: dict[str, tuple[str | None, str]] = field(default_factory=dict)  # path -> (old material, new)
    findings: list[Finding] = field(default_factory=list)


def recognise(
    texts: Mapping[str, list[str]],
    assigned: Mapping[str, str | None],
    category_materials: set[str] | frozenset[str],
    explicit: set[str] | frozenset[str] = frozenset(),
    catalogue=None,
    alternatives: Mapping[str, frozenset[str]] | None = None,
) -> Reading:
    """Read the document on each file's pages. `assigned`: path -> the material its name gave
    (None: unmatched); a file the manifest maps (`explicit`) keeps its material. A document whose
    title says it is another material of the category is moved there (CJ509; CJ514, a warning, where
    the name said a material of another item: `alternatives` maps a material to those of its items).
    What a document may be filed as is the catalogue's (`Catalogue.filed_in`: its own material, then `counts_as`)."""
    from changju_check.rulebook import codes

    titles = {m: d.title for m, d in catalogue.materials.items()}
    by_material = _by_material(catalogue)
    reading = Reading()
    for path, pages in sorted(texts.items()):
        if not any(p.strip() for p in pages):
            continue
        material = assigned.get(path)
        doc = read_document(pages)
        if doc is None:
            continue
        if material in catalogue.filed_as(doc.layout.materials):
            reading.documents[path] = (material, doc)
            continue
        if path in explicit and material is not None:
            # the manifest says what the file is: read it with that material's layout if it has one
            if material in by_material:
                reading.documents[path] = (material, doc)
            continue
        target = catalogue.filed_in(doc.layout.materials, category_materials)
        if target is None:
            continue  # a document of another category (under a name of this one: the name's word stays)
        reading.documents[path] = (target, doc)
        reading.moved[path] = (material, target)
        title = titles.get(target, target)
        if material is None:
            zh = f"文件名未说明材料，页面标题为《{doc.layout.title}》，按“{title}”计"
            en = f"the name says nothing; the page's title is '{doc.layout.title_en}', counted as {target}"
        else:
            old = titles.get(material, material)
            zh = f"文件名对应“{old}”，但页面标题为《{doc.layout.title}》，按“{title}”计"
            en = f"the name suggests {material}, but the page's title is '{doc.layout.title_en}': counted as {target}"
        code = "CJ509" if material is None or target in (alternatives or {}).get(material, ()) else "CJ514"
        reading.findings.append(codes.finding(code, zh, en, material=target, file=path))
    return reading


def cross_checks(
    docs: list[DocFacts],
    audit_texts: Mapping[str, tuple[str, str]],
    fact: Callable[[str], Any],
    as_of: date,
    name_years: Mapping[str, tuple[int, ...]],
    *,
    holders: Mapping[str, str | None] | None = None,
    show_personal: bool = False,
    applicant_materials: frozenset[str] | None = None,
) -> tuple[list[Finding], list[Evidence], dict[str, tuple[int, ...]], dict[str, Any] | None]:
    """Findings, evidence, the years each file's pages cover (`path -> years`, winning over the
    name), and the contract read (for CJ201/CJ202 when the manifest has none).

    `audit_texts`: path -> (material, first page's text) of audit reports (their year is voted
    on by `extract_audit_year`). `holders`: path -> the manifest fact an ID card's name must equal
    (None: not the applicant's, e.g. the registration's contact person)."""
    from changju_check.scan.crosscheck import cross_check
    from changju_check.scan.examine import PERSON_MATERIALS, examine
    from types import SimpleNamespace

    holders = holders or {}
    evidence: list[Evidence] = []
    semantic: list[Evidence] = []
    page_years: dict[str, tuple[int, ...]] = {}
    for f in docs:
        evs = evidence_of(f, show_personal=show_personal)
        evidence.extend(evs)
        for ev in evs:
            if ev.fact in ("contract_start", "contract_end", "contract_open_ended", "expiry", "name", "period_years") or (
                    ev.fact == "unit_name" and f.kind == "business_licence"):
                semantic.append(ev)
        if f.years and f.confidence >= 0.8:
            page_years[f.file] = f.years
    for path, (material, text) in sorted(audit_texts.items()):
        from changju_check.scan.extract import extract_audit_year

        got = extract_audit_year(text)
        if got is not None:
            ev = Evidence(material, path, 1, "year", str(got.year), 1.0)
            evidence.append(ev)
            semantic.append(ev)
            page_years[path] = (got.year,)
    # what cross_check reads of a scan.reader.ScanResult, without importing the reader
    files = [SimpleNamespace(material=f.material, file=f.file, holder=holders.get(f.file, "applicant.name")) for f in docs]
    result = SimpleNamespace(evidence=semantic, files=files, pages=[], findings=[])
    findings, facts = cross_check(result, fact, as_of, name_years, set())
    people = applicant_materials if applicant_materials is not None else PERSON_MATERIALS
    findings += examine(docs, fact, as_of, show_personal=show_personal, applicant_materials=people)
    return findings, evidence, page_years, facts.contract()


def facts_from(reading: Reading, texts: Mapping[str, list[str]]) -> list[DocFacts]:
    return [facts_of(doc, material, path, page_texts=texts.get(path)) for path, (material, doc) in sorted(reading.documents.items())]


def merge_evidence(first: list[Evidence], then: list[Evidence]) -> list[Evidence]:
    """Evidence of the text layers, then that of OCR for facts the text layers did not give."""
    seen = {(e.material, e.file, e.page, e.fact) for e in first}
    return list(first) + [e for e in then if (e.material, e.file, e.page, e.fact) not in seen]


KEY_FIELDS = ("person_name", "unit_name", "credit_code", "id_number", "social_security_number", "taxpayer_id",
              "birth_date", "issued", "term", "period")


def ocr_confidence(doc: Document, pages) -> float:
    """The lowest OCR score of the lines its key fields were read from (`pages`: PageRead, in order)."""
    scores = []
    for key in KEY_FIELDS:
        if key not in doc.spans:
            continue
        page = pages[doc.pages[key] - 1] if doc.pages[key] - 1 < len(pages) else None
        if page is None or not page.scores:
            continue
        a, b = doc.spans[key]
        pos = 0
        for line, score in zip(page.text.split("\n"), page.scores):
            if pos < b and a < pos + len(line):
                scores.append(score)
            pos += len(line) + 1
    if not scores:
        every = [s for pg in pages for s in pg.scores]
        return round(min(every), 3) if every else 0.0
    return round(min(scores), 3)
