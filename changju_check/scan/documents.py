"""From a recognised document (`layout.Document`) to the facts the checker uses, and evidence.

Pure data: no file is read here. `facts_of(doc, …)` turns one document's typed fields and rows
into a `DocFacts` — the person and unit it names, the years it covers, the 社保 months and paying
units, the contract term, the certificate dates — and `evidence_of(facts)` into report evidence
(personal numbers masked unless `show_personal`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from changju_check.report import Evidence
from changju_check.scan.layout import Document
from changju_check.scan.parsers import LONG_TERM, YearMonth, id_birth_date, mask_in_text, mask_personal, normalise_id

__all__ = ["DocFacts", "SiPeriod", "evidence_of", "facts_of"]


@dataclass(frozen=True)
class SiPeriod:
    start: YearMonth
    end: YearMonth
    unit: str | None
    supplement: bool = False


@dataclass
class DocFacts:
    """What one file's document says, for the cross-checks (all optional)."""

    material: str
    file: str
    kind: str
    title: str
    issuer: str | None = None
    confidence: float = 1.0  # 1.0 for a text layer; OCR: the lowest score of the lines read
    source: str = "text-layer"  # or "ocr"
    pages: dict[str, int] = field(default_factory=dict)  # fact -> page
    person_name: str | None = None
    id_numbers: dict[str, str] = field(default_factory=dict)  # field title -> normalised number
    birth_date: date | None = None
    unit_name: str | None = None
    credit_code: str | None = None
    years: tuple[int, ...] = ()  # years covered (a record's period, a certificate's 税款所属时期)
    si_periods: tuple[SiPeriod, ...] = ()
    salary_months: int | None = None
    contract: tuple[date | None, date | None, bool] | None = None  # start, end, open-ended
    expiry: date | str | None = None  # an ID card's 有效期限 end, or LONG_TERM
    issued: date | None = None  # 高企 发证时间
    licence_end: date | str | None = None  # 营业期限 end, or LONG_TERM
    values: dict[str, Any] = field(default_factory=dict)  # every field read, typed
    personal: frozenset[str] = frozenset()  # field keys holding personal numbers
    missing: tuple[str, ...] = ()  # titles of fields the layout declares but the pages do not give
    invalid: dict[str, str] = field(default_factory=dict)  # field title -> number failing its check
    invalid_pages: dict[str, int] = field(default_factory=dict)  # field title -> the page it is printed on

    def page_of(self, *keys: str) -> int:
        for k in keys:
            if k in self.pages:
                return self.pages[k]
        return min(self.pages.values(), default=1)


def _years_of_periods(periods) -> set[int]:
    years: set[int] = set()
    for a, b in periods:
        ya = a.year
        yb = b.year
        if yb - ya <= 10:
            years.update(range(ya, yb + 1))
    return years


def _contract(doc: Document) -> tuple[tuple[date | None, date | None, bool] | None, bool]:
    """The term by the option chosen in 第__种; (term, decided_by_choice)."""
    choice = doc.get("term_choice")
    fixed = doc.get("fixed_term")
    open_start = doc.get("open_term")
    if choice == 1 and fixed:
        return (fixed[0], None if fixed[1] == LONG_TERM else fixed[1], fixed[1] == LONG_TERM), True
    if choice == 2:
        return (open_start, None, True), True
    if choice is None or choice not in (1, 2, 3):
        if fixed and not open_start:
            return (fixed[0], fixed[1] if fixed[1] != LONG_TERM else None, fixed[1] == LONG_TERM), False
        if open_start and not fixed:
            return (open_start, None, True), False
    return None, False


def facts_of(doc: Document, material: str, file: str, *, confidence: float = 1.0, source: str = "text-layer",
             page_texts: list[str] | None = None) -> DocFacts:
    """The facts of one recognised document. `page_texts`: the pages' text, for the contract
    clause of a contract of another layout (the term read by `extract_contract`)."""
    lay = doc.layout
    f = DocFacts(material=material, file=file, kind=lay.kind, title=lay.title, issuer=lay.issuer,
                 confidence=confidence, source=source)
    f.values = dict(doc.values)
    f.pages = {lay.fields[k].fact or k if k in lay.fields else k: p for k, p in doc.pages.items()}
    f.personal = frozenset(k for k, s in lay.fields.items() if s.personal)
    missing = list(doc.missing_titles())
    f.invalid = {(lay.fields[k].title or lay.fields[k].labels[0]): v for k, v in doc.invalid.items()}
    f.invalid_pages = {(lay.fields[k].title or lay.fields[k].labels[0]): doc.pages[k]
                       for k in doc.invalid if k in doc.pages}

    f.person_name = doc.get("person_name")
    for key, spec in lay.fields.items():
        if spec.parser == "id_number" and doc.get(key):
            f.id_numbers[spec.title or spec.labels[0]] = normalise_id(doc.get(key))
    f.birth_date = doc.get("birth_date")
    f.unit_name = doc.get("unit_name")
    f.credit_code = normalise_id(doc.get("credit_code")) if doc.get("credit_code") else None

    if lay.kind == "iit_record":
        period = doc.get("period")
        rows = doc.rows.get("payments", [])
        if period:
            f.years = tuple(sorted(_years_of_periods([period])))
        elif rows:
            f.years = tuple(sorted(_years_of_periods([r["period"] for r in rows if r.get("period")])))
        if rows:
            months = {ym for r in rows if "工资薪金" in (r.get("item") or "") and r.get("period")
                      for ym in _months(*r["period"])}
            f.salary_months = len(months)
        if not period and rows and "记录期间" in missing:
            missing.remove("记录期间")  # the rows' periods give the years
    elif lay.kind == "tax_payment_certificate":
        rows = doc.rows.get("payments", [])
        periods = []
        for r in rows:
            start, end = r["period"]
            if isinstance(end, date):
                periods.append((YearMonth(start.year, start.month), YearMonth(end.year, end.month)))
        f.years = tuple(sorted(_years_of_periods(periods)))
    elif lay.kind == "social_insurance_record":
        periods = []
        for r in doc.rows.get("unit_periods", []):
            if r["end"] >= r["start"]:
                periods.append(SiPeriod(r["start"], r["end"], r.get("unit"), bool(r.get("supplement"))))
        f.si_periods = tuple(sorted(periods, key=lambda p: p.start))
    elif lay.kind == "labor_contract":
        term, _ = _contract(doc)
        if term is None and page_texts:
            from changju_check.scan.extract import extract_contract

            for text in page_texts[:lay.pages]:
                got = extract_contract(text)
                if got is not None:
                    term = (got.start, got.end, got.open_ended)
                    break
        f.contract = term
        if term is None:
            missing.append("劳动合同期限")
        f.pages["contract"] = doc.pages.get("fixed_term") or doc.pages.get("open_term") or doc.pages.get("term_choice") or 1
    elif lay.kind == "id_card":
        validity = doc.get("validity")
        if validity:
            f.expiry = validity[1]
    elif lay.kind == "high_tech_certificate":
        f.issued = doc.get("issued")
    elif lay.kind == "business_licence":
        term = doc.get("term")
        if term:
            f.licence_end = term[1]
    if f.birth_date is None:
        births = {id_birth_date(n) for n in f.id_numbers.values()} - {None}
        if len(births) == 1 and lay.kind == "id_card":
            f.birth_date = births.pop()
    f.missing = tuple(missing)
    return f


def _months(a: YearMonth, b: YearMonth):
    return (YearMonth.of(i) for i in range(a.index, b.index + 1))


def show(value: Any) -> str:
    if isinstance(value, tuple):
        return "–".join(show(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def evidence_of(f: DocFacts, *, show_personal: bool = False) -> list[Evidence]:
    """Report evidence: the document's kind, each field read, and the derived facts."""
    out = [Evidence(f.material, f.file, f.page_of(), "document", f.title, f.confidence)]
    for key, value in f.values.items():
        text = show(value)
        if not show_personal:
            text = mask_personal(text) if key in f.personal else mask_in_text(text)
        out.append(Evidence(f.material, f.file, f.pages.get(key, f.page_of()), key, text, f.confidence))
    if f.years:
        out.append(Evidence(f.material, f.file, f.page_of("period"), "period_years",
                            ",".join(str(y) for y in f.years), f.confidence))
    if f.si_periods:
        value = "; ".join(f"{p.start}-{p.end} {p.unit or '?'}" for p in f.si_periods)
        out.append(Evidence(f.material, f.file, f.page_of("unit_periods"), "si_periods", value, f.confidence))
    if f.salary_months is not None:
        out.append(Evidence(f.material, f.file, f.page_of("payments"), "salary_months", str(f.salary_months), f.confidence))
    if f.contract is not None:
        start, end, opened = f.contract
        page = f.pages.get("contract", 1)
        if opened:
            out.append(Evidence(f.material, f.file, page, "contract_open_ended", "true", f.confidence))
        if start:
            out.append(Evidence(f.material, f.file, page, "contract_start", start.isoformat(), f.confidence))
        if end:
            out.append(Evidence(f.material, f.file, page, "contract_end", end.isoformat(), f.confidence))
    if f.expiry is not None:
        out.append(Evidence(f.material, f.file, f.page_of("validity"), "expiry", show(f.expiry), f.confidence))
    if f.kind == "id_card" and f.person_name:
        out.append(Evidence(f.material, f.file, f.page_of("person_name"), "name", f.person_name, f.confidence))
    return out
