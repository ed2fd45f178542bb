"""Facts of changju.yaml read from the documents' pages, each with its source, and what to do with them.

Pure data (no file is read): `read_facts(docs, evidence)` turns the recognised documents
(`documents.DocFacts`, from text layers or OCR) and the facts the scan extractors read into
`report.Fact`s keyed by their manifest path — the applicant's name and nationality (ID card,
passport), the unit's name and type (营业执照), whether it paid tax (完税证明 vs 无欠税证明), the
contract's term, hired_on (the contract's start; the first month the 社保 record's last unit paid),
degree abroad (留学服务中心 certificate vs 学信网/学位网 report).

`decide(facts, manifest_fact)` says which of them the checks may use: the manifest's value first;
where it is silent, a value the documents agree on, read with at least `CONFIDENT`. A value read
with less, or documents that disagree, is a CJ513 review (需人工确认) naming the pages to look at; a
page that disagrees with the manifest is a CJ512 review naming both values and both sources
(contract dates, names and the licence's unit name are CJ501's, an error, as before).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Iterable

from changju_check.report import Evidence, Fact, Finding
from changju_check.scan.documents import DocFacts

__all__ = ["CONFIDENT", "Decision", "decide", "read_facts", "shown"]

# A fact read with at least this confidence decides a check the manifest is silent on; below, a
# person confirms it (CJ513). Chosen from bench/accuracy.py: every fact of the corpus read at 0.8 or
# more was right (text layers 1.0, the clean scans' key lines 0.9+); the misreads all scored below.
CONFIDENT = 0.8

# facts whose disagreement with the manifest is reported already: CJ501 (an error, as a scan
# contradicting the manifest always was) for the contract's dates and the names; CJ507 for a 社保
# record starting after hired_on (a contract starting later is a renewal, no contradiction)
CJ501_KEYS = frozenset({"applicant.contract.start", "applicant.contract.end", "applicant.contract.open_ended",
                        "applicant.name", "unit.name", "applicant.hired_on"})
IDENTITY_KEYS = frozenset({"applicant.name", "unit.name"})
CONTRACT_KEYS = ("applicant.contract.start", "applicant.contract.end", "applicant.contract.open_ended")

TITLES = {
    "applicant.name": ("申报人姓名", "applicant's name"),
    "applicant.nationality": ("国籍", "nationality"),
    "applicant.degree_abroad": ("是否国（境）外学历", "degree abroad"),
    "applicant.hired_on": ("入职日期", "hiring date"),
    "applicant.contract.start": ("合同起始日期", "contract start"),
    "applicant.contract.end": ("合同截止日期", "contract end"),
    "applicant.contract.open_ended": ("无固定期限合同", "open-ended contract"),
    "unit.name": ("单位名称", "unit name"),
    "unit.type": ("单位类型", "unit type"),
    "unit.tax_paid": ("是否纳税", "tax paid"),
}


def _fact(key: str, value: Any, doc: DocFacts, *page_keys: str, confidence: float | None = None) -> Fact:
    if isinstance(value, date):
        value = value.isoformat()
    return Fact(key, value, doc.file, doc.page_of(*page_keys) if page_keys else doc.page_of(),
                round(doc.confidence if confidence is None else confidence, 3))


def _last_unit_start(doc: DocFacts) -> date | None:
    """The first month of the run of months the record's last paying unit paid (入职 at that unit)."""
    periods = [p for p in doc.si_periods if not p.supplement]
    if not periods:
        return None
    last = periods[-1]
    start = last.start
    for p in reversed(periods[:-1]):
        if p.unit != last.unit or p.end.index + 1 < start.index:
            break
        start = p.start
    return date(start.year, start.month, 1)


def _unit_type_by_title(heads: dict[str, tuple[str, str, float]]) -> list[Fact]:
    """A 营业执照 says an enterprise (its layout is read); a 事业单位法人证书 - the licence of a public
    institution, filed as the same material and read by no layout - says an institution."""
    out = []
    for path, (material, text, confidence) in sorted(heads.items()):
        if material == "business_licence" and "事业单位法人证书" in "".join(text.split())[:200]:
            out.append(Fact("unit.type", "institution", path, 1, round(confidence, 3)))
    return out


def read_facts(docs: Iterable[DocFacts], evidence: Iterable[Evidence] = (), *,
               applicant_materials: frozenset[str] | None = None,
               heads: dict[str, tuple[str, str, float]] | None = None) -> list[Fact]:
    """Every manifest fact the documents print, one `Fact` per document that says it.
    `applicant_materials`: materials whose person is the applicant (the registration's ID card is
    its contact person's: None means every material). `heads`: path -> (material, first page's text,
    confidence) of files no layout read (a 事业单位法人证书 gives the unit's type)."""
    out: list[Fact] = _unit_type_by_title(heads or {})
    seen_files: set[str] = set()

    def applicant(doc: DocFacts) -> bool:
        return applicant_materials is None or doc.material in applicant_materials

    for doc in docs:
        seen_files.add(doc.file)
        kind = doc.kind
        if kind == "id_card" and applicant(doc):
            if doc.person_name:
                out.append(_fact("applicant.name", doc.person_name, doc, "person_name"))
            out.append(_fact("applicant.nationality", "CN", doc))  # a 居民身份证 is a Chinese national's
        elif kind == "business_licence":
            if doc.unit_name:
                out.append(_fact("unit.name", doc.unit_name, doc, "unit_name"))
            out.append(_fact("unit.type", "enterprise", doc))
        elif kind == "tax_payment_certificate":
            out.append(_fact("unit.tax_paid", True, doc))
            if doc.unit_name:
                out.append(_fact("unit.name", doc.unit_name, doc, "unit_name"))
        elif kind == "tax_clearance_certificate":
            out.append(_fact("unit.tax_paid", False, doc))
            if doc.unit_name:
                out.append(_fact("unit.name", doc.unit_name, doc, "unit_name"))
        elif kind == "high_tech_certificate" and doc.unit_name:
            out.append(_fact("unit.name", doc.unit_name, doc, "unit_name"))
        elif kind == "cscse_certificate" and applicant(doc):
            out.append(_fact("applicant.degree_abroad", True, doc))
        elif kind in ("chsi_record", "degree_report") and applicant(doc):
            out.append(_fact("applicant.degree_abroad", False, doc))
        if kind in ("labor_contract", "social_insurance_record") and doc.unit_name:
            # the contract's 甲方, the record's 单位名称: the unit's name where no licence is in the packet
            out.append(_fact("unit.name", doc.unit_name, doc, "unit_name"))
        if kind == "labor_contract" and doc.contract is not None and applicant(doc):
            start, end, open_ended = doc.contract
            if start is not None:
                out.append(_fact("applicant.contract.start", start, doc, "contract"))
                out.append(_fact("applicant.hired_on", start, doc, "contract"))
            if open_ended:
                out.append(_fact("applicant.contract.open_ended", True, doc, "contract"))
            elif end is not None:
                out.append(_fact("applicant.contract.end", end, doc, "contract"))
                out.append(_fact("applicant.contract.open_ended", False, doc, "contract"))
        elif kind == "social_insurance_record" and applicant(doc):
            first = _last_unit_start(doc)
            if first is not None:
                out.append(_fact("applicant.hired_on", first, doc, "unit_periods"))
    # what the scan extractors read from files no layout recognised (an ID card's name, a passport's,
    # a contract clause of another wording)
    by_evidence = {"name": "applicant.name", "contract_start": "applicant.contract.start",
                   "contract_end": "applicant.contract.end", "contract_open_ended": "applicant.contract.open_ended"}
    for ev in evidence:
        if ev.file in seen_files or ev.fact not in by_evidence:
            continue
        if ev.fact == "name" and (ev.material not in ("id_card", "passport") or
                                  applicant_materials is not None and ev.material not in applicant_materials):
            continue
        value: Any = ev.value
        if ev.fact == "contract_open_ended":
            value = ev.value.strip().lower() == "true"
        out.append(Fact(by_evidence[ev.fact], value, ev.file, ev.page, round(ev.confidence, 3)))
        if ev.material == "passport" and ev.fact == "name":
            pass  # a passport says the holder is foreign only with its nationality, which is not read
    return sorted(set(out), key=lambda f: (f.key, f.file, f.page, str(f.value)))


def shown(value: Any, lang: str = "zh") -> str:
    if isinstance(value, bool):
        if lang == "en":
            return "yes" if value else "no"
        return "是" if value else "否"
    return str(value)


def same_value(key: str, a: Any, b: Any) -> bool:
    """Whether two values of a manifest fact are the same (names as the cross-checks compare them,
    hiring dates by month)."""
    return _same(key, a, b)


def _same(key: str, a: Any, b: Any) -> bool:
    if isinstance(a, date):
        a = a.isoformat()
    if isinstance(b, date):
        b = b.isoformat()
    if key == "applicant.hired_on":  # a month paid is the month of hiring: compare months
        return str(a)[:7] == str(b)[:7]
    if key in ("applicant.name", "unit.name"):
        from changju_check.scan.crosscheck import same_name, same_unit

        return (same_name(str(a), str(b)) is not False) if key == "applicant.name" else bool(same_unit(str(a), str(b)))
    if isinstance(a, bool) or isinstance(b, bool):
        return bool(a) == bool(b) and type(a) is type(b)
    return str(a) == str(b)


def source(f: Fact, lang: str = "zh") -> str:
    return f"{f.file} 第{f.page}页" if lang == "zh" else f"{f.file} p.{f.page}"


@dataclass
class Decision:
    """What the checks may use (key -> the fact chosen), and the reviews."""

    chosen: dict[str, Fact] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    uncertain: set[str] = field(default_factory=set)  # keys a person must confirm (nothing chosen)


def decide(facts: list[Fact], manifest_fact: Callable[[str], Any], *, confident: float = CONFIDENT) -> Decision:
    from changju_check.rulebook import codes

    out = Decision()
    by_key: dict[str, list[Fact]] = {}
    for f in facts:
        by_key.setdefault(f.key, []).append(f)
    for key, found in sorted(by_key.items()):
        title_zh, title_en = TITLES.get(key, (key, key))
        given = manifest_fact(key)
        if given is not None:
            if key in CJ501_KEYS:
                continue
            against = [f for f in found if not _same(key, given, f.value)]
            if against:  # one review per fact, naming every page that disagrees
                pages_zh = "，".join(f"{source(f)}为 {shown(f.value)}" for f in against)
                pages_en = ", ".join(f"{source(f, 'en')} says {shown(f.value, 'en')}" for f in against)
                out.findings.append(codes.finding(
                    "CJ512",
                    f"{title_zh}：清单 changju.yaml 为 {shown(given)}，{pages_zh}；请核对，改正其中一边",
                    f"{title_en}: changju.yaml says {shown(given, 'en')}, {pages_en}; check and correct one of them",
                    file=against[0].file, page=against[0].page))
            continue
        values: list[Fact] = []
        for f in sorted(found, key=lambda f: -f.confidence):
            if not any(_same(key, v.value, f.value) for v in values):
                values.append(f)
        if len(values) > 1:
            out.uncertain.add(key)
            if key in IDENTITY_KEYS:
                continue  # documents naming different people or units are CJ505/CJ506's (errors)
            parts_zh = "；".join(f"{source(f)}为 {shown(f.value)}" for f in values)
            parts_en = "; ".join(f"{source(f, 'en')} says {shown(f.value, 'en')}" for f in values)
            out.findings.append(codes.finding(
                "CJ513",
                f"{title_zh}：材料之间不一致（{parts_zh}），清单中也没有写明；请核对这些页面，把正确的值写入 changju.yaml",
                f"{title_en}: the documents disagree ({parts_en}) and changju.yaml does not say; "
                "check those pages and write the right value into changju.yaml",
                file=values[0].file, page=values[0].page))
            continue
        best = values[0]
        if best.confidence >= confident:
            out.chosen[key] = best
            continue
        out.uncertain.add(key)
        out.findings.append(codes.finding(
            "CJ513",
            f"{title_zh}：从 {source(best)} 读出 {shown(best.value)}，但把握不足（页面不够清晰）；请看该页核对，"
            "并写入 changju.yaml",
            f"{title_en}: read as {shown(best.value, 'en')} from {source(best, 'en')}, with low confidence (an unclear page); "
            "look at that page and write the value into changju.yaml",
            file=best.file, page=best.page))
    return out
