"""The examiner's cross-checks between documents: pure data in, findings out.

Given the `DocFacts` of every recognised document of a packet (text layers in every check, OCR
under --read-scans), the manifest and the reference date:

- CJ505 (error): the applicant's identity differs between documents — ID numbers (compared exactly
  after normalising width and a lower-case x), names (after normalising spaces, width and OCR
  debris; a name read by OCR with low confidence gives a note, never an error), the birth date on a
  degree report against the ID number;
- CJ506 (error): the unit's identity differs — 统一社会信用代码, or the name, across 营业执照, 完税证明,
  无欠税证明, the contract's 甲方, the 社保 record's 单位名称, the 高企证书 and `unit.name`;
- CJ507 (error): the 社保 record does not cover 入职至今 — first month paid after the month of
  `hired_on`, last month paid before the second calendar month before the reference month
  (reference 2023-08-31: 202306 passes, 202305 does not), a gap, months since hiring paid by another
  unit;
- CJ508 (error): a certificate out of date at the reference date — a 高新技术企业证书 past its three
  years (民法典 第二百零一、二百零三条: issued 2020-08-31, valid through 2023-08-31), a 营业执照 whose
  营业期限 ended;
- CJ510 (info): a recognised document on which a field its layout declares was not found;
- CJ511 (warning): an ID number or 统一社会信用代码 whose check character fails (misread or mistyped).

Personal numbers appear masked in messages unless `show_personal`.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date
from typing import Any, Callable, Iterable

from changju_check.rulebook import codes
from changju_check.report import Finding
from changju_check.scan.documents import DocFacts
from changju_check.scan.parsers import YearMonth, id_birth_date, mask_personal

__all__ = ["examine", "name_key", "valid_until"]

LOW_CONFIDENCE = 0.8  # an OCR'd name below this is compared only as a note
PERSON_MATERIALS = frozenset({"id_card", "iit_record", "social_insurance_record", "labor_contract",
                              "degree_certification", "degree_certification_abroad"})
UNIT_KINDS = ("business_licence", "tax_payment_certificate", "tax_clearance_certificate", "labor_contract",
              "social_insurance_record", "high_tech_certificate")


def name_key(name: str) -> str:
    """A personal name as compared: width folded, spaces, punctuation and symbols (☑, ：) dropped."""
    text = unicodedata.normalize("NFKC", name or "")
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN").casefold()


def valid_until(issued: date, years: int) -> date:
    """The last day of a period of `years` years from `issued` (民法典 第二百零一至二百零四条): it starts
    the next day and ends on the corresponding day, or the month's last day when there is none."""
    y = issued.year + years
    day = min(issued.day, calendar.monthrange(y, issued.month)[1])
    return date(y, issued.month, day)


def _fact(fact: Callable[[str], Any], name: str) -> Any:
    try:
        return fact(name)
    except Exception:  # noqa: BLE001 - an unknown fact is None
        return None


def _where(f: DocFacts, key: str = "") -> str:
    return f"{f.title}（{f.file} 第{f.page_of(key) if key else f.page_of()}页）"


def _where_en(f: DocFacts, key: str = "") -> str:
    return f"{f.file} p.{f.page_of(key) if key else f.page_of()}"


def examine(
    docs: Iterable[DocFacts],
    fact: Callable[[str], Any],
    as_of: date,
    *,
    show_personal: bool = False,
    applicant_materials: frozenset[str] = PERSON_MATERIALS,
) -> list[Finding]:
    docs = sorted(docs, key=lambda d: (d.file, d.material))
    out: list[Finding] = []
    out += _recognised_but_missing(docs)
    out += _identity(docs, show_personal, applicant_materials)
    out += _unit(docs, fact)
    out += _social_insurance(docs, fact, as_of)
    out += _certificates(docs, as_of)
    return out


# ---------------------------------------------------------------------------- CJ510, CJ511

def _recognised_but_missing(docs: list[DocFacts]) -> list[Finding]:
    out = []
    for f in docs:
        if f.missing:
            names = "、".join(f.missing)
            page = f.page_of()
            out.append(codes.finding(
                "CJ510",
                f"已识别为《{f.title}》，但本工具未能在页面上读出：{names}（不一定是材料的问题，可对照第{page}页核对）",
                f"recognised as '{f.title}', but the tool could not read on its pages: {names} "
                f"(not necessarily a problem with the document; see page {page})",
                material=f.material, file=f.file, page=page))
        for title, value in f.invalid.items():
            out.append(codes.finding(
                "CJ511",
                f"《{f.title}》的{title}“{mask_personal(value) if len(value) == 18 and title != '统一社会信用代码' else value}”校验位不正确，可能识读有误或填写错误",
                f"the {title} on '{f.title}' fails its check character (misread or mistyped)",
                material=f.material, file=f.file, page=f.invalid_pages.get(title, f.page_of())))
    return out


# ---------------------------------------------------------------------------- CJ505

def _identity(docs: list[DocFacts], show_personal: bool, materials: frozenset[str]) -> list[Finding]:
    from changju_check.scan.crosscheck import same_name

    out: list[Finding] = []
    people = [f for f in docs if f.material in materials]
    shown = (lambda n: n) if show_personal else mask_personal  # noqa: E731
    # ID numbers
    numbers: dict[str, list[tuple[DocFacts, str]]] = {}
    for f in people:
        for title, number in f.id_numbers.items():
            numbers.setdefault(number, []).append((f, title))
    if len(numbers) > 1:
        parts_zh = [f"{_where(f, 'id_number')}{title} {shown(n)}" for n, found in sorted(numbers.items()) for f, title in found]
        parts_en = [f"{_where_en(f, 'id_number')}: {shown(n)}" for n, found in sorted(numbers.items()) for f, title in found]
        first = sorted(numbers.items())[0][1][0][0]
        out.append(codes.finding(
            "CJ505",
            "申报人的身份证号码在各材料中不一致：" + "；".join(parts_zh),
            "the applicant's ID number differs between documents: " + "; ".join(parts_en),
            material=first.material, file=first.file, page=first.page_of("id_number")))
    # names
    named = [(f, f.person_name) for f in people if f.person_name]
    if named:
        ref_f, ref = max(named, key=lambda x: (x[0].kind == "id_card", x[0].confidence))
        for f, name in named:
            if f is ref_f:
                continue
            if re.search(r"[\u4e00-\u9fff]", name) and re.search(r"[\u4e00-\u9fff]", ref):
                differs = name_key(name) != name_key(ref)
            else:
                differs = same_name(name, ref) is False
            if not differs:
                continue
            low = min(f.confidence, ref_f.confidence) < LOW_CONFIDENCE
            out.append(codes.finding(
                "CJ505",
                f"申报人姓名不一致：{_where(ref_f, 'person_name')}为“{ref}”，{_where(f, 'person_name')}为“{name}”"
                + ("（文字识别置信度低，请人工核对）" if low else ""),
                f"the applicant's name differs: '{ref}' ({_where_en(ref_f, 'person_name')}) vs '{name}' "
                f"({_where_en(f, 'person_name')})" + (" - read by OCR with low confidence, check by eye" if low else ""),
                material=f.material, file=f.file, page=f.page_of("person_name"), severity="info" if low else None))
    # birth date on degree reports (and the ID card's 出生) against the ID number
    births = {id_birth_date(n) for n in numbers} - {None}
    if len(births) == 1:
        born = births.pop()
        for f in people:
            if f.birth_date is not None and f.birth_date != born:
                out.append(codes.finding(
                    "CJ505",
                    f"{_where(f, 'birth_date')}的出生日期 {f.birth_date.isoformat()} 与身份证号码中的出生日期 {born.isoformat()} 不一致",
                    f"the birth date {f.birth_date.isoformat()} on '{f.title}' ({_where_en(f, 'birth_date')}) differs "
                    f"from the one in the ID number ({born.isoformat()})",
                    material=f.material, file=f.file, page=f.page_of("birth_date"),
                    severity="info" if f.confidence < LOW_CONFIDENCE else None))
    return out


# ---------------------------------------------------------------------------- CJ506

def _unit(docs: list[DocFacts], fact) -> list[Finding]:
    from changju_check.scan.crosscheck import same_unit

    out: list[Finding] = []
    units = [f for f in docs if f.kind in UNIT_KINDS and f.material != "team_social_insurance"]
    codes_seen: dict[str, list[DocFacts]] = {}
    for f in units:
        if f.credit_code:
            codes_seen.setdefault(f.credit_code, []).append(f)
    if len(codes_seen) > 1:
        parts = [f"{_where(f, 'credit_code')} {code}" for code, fs in sorted(codes_seen.items()) for f in fs]
        parts_en = [f"{_where_en(f, 'credit_code')}: {code}" for code, fs in sorted(codes_seen.items()) for f in fs]
        odd = sorted(codes_seen.items(), key=lambda kv: (len(kv[1]), kv[0]))[0][1][0]
        out.append(codes.finding(
            "CJ506",
            "申报单位的统一社会信用代码在各材料中不一致：" + "；".join(parts),
            "the unit's 统一社会信用代码 differs between documents: " + "; ".join(parts_en),
            material=odd.material, file=odd.file, page=odd.page_of("credit_code")))
    licence = next((f for f in units if f.kind == "business_licence" and f.unit_name and f.confidence >= LOW_CONFIDENCE), None)
    manifest_name = _fact(fact, "unit.name")
    if licence is not None:
        ref, ref_zh, ref_en = licence.unit_name, _where(licence, "unit_name"), _where_en(licence, "unit_name")
    elif isinstance(manifest_name, str) and manifest_name.strip():
        ref, ref_zh, ref_en = manifest_name, "changju.yaml 的 unit.name", "unit.name in changju.yaml"
    else:
        first = next((f for f in units if f.unit_name), None)
        if first is None:
            return out
        ref, ref_zh, ref_en = first.unit_name, _where(first, "unit_name"), _where_en(first, "unit_name")
    for f in units:
        if f is licence or not f.unit_name or same_unit(ref, f.unit_name) is not False:
            continue
        out.append(codes.finding(
            "CJ506",
            f"申报单位名称不一致：{ref_zh}为“{ref}”，{_where(f, 'unit_name')}为“{f.unit_name}”",
            f"the unit's name differs: '{ref}' ({ref_en}) vs '{f.unit_name}' ({_where_en(f, 'unit_name')})",
            material=f.material, file=f.file, page=f.page_of("unit_name"),
            severity="info" if f.confidence < LOW_CONFIDENCE else None))
    return out


# ---------------------------------------------------------------------------- CJ507

def _ours(unit: str | None, names: list[str]) -> bool | None:
    from changju_check.scan.crosscheck import same_unit

    if not unit or not names:
        return None
    return any(same_unit(unit, n) for n in names)


def _social_insurance(docs: list[DocFacts], fact, as_of: date) -> list[Finding]:
    out: list[Finding] = []
    hired = _fact(fact, "applicant.hired_on")
    hired = hired if isinstance(hired, date) else None
    manifest_name = _fact(fact, "unit.name")
    names = [n for n in [manifest_name if isinstance(manifest_name, str) else None]
             + [f.unit_name for f in docs if f.kind == "business_licence" and f.unit_name] if n]
    last_needed = YearMonth.of(YearMonth(as_of.year, as_of.month).index - 2)
    for f in docs:
        if f.material != "social_insurance_record" or not f.si_periods:
            continue
        if f.confidence < LOW_CONFIDENCE:
            continue  # an OCR'd table read with doubt is evidence, not a verdict
        ours_names = names or ([f.unit_name] if f.unit_name else [])
        where, where_en = _where(f, "unit_periods"), _where_en(f, "unit_periods")
        paid: dict[int, str | None] = {}
        for p in f.si_periods:
            for i in range(p.start.index, p.end.index + 1):
                paid[i] = p.unit
        start = YearMonth(hired.year, hired.month) if hired else None
        mine = sorted(i for i, u in paid.items() if _ours(u, ours_names) is not False)
        if start is None:
            if not mine:
                continue
            start = YearMonth.of(mine[0])
        since = sorted(i for i in paid if i >= start.index)
        if not since:
            out.append(_cj507(f, f"{where}没有入职（{start}）以来的缴费记录",
                              f"no contributions since hiring ({start}) on {where_en}"))
            continue
        first, last = YearMonth.of(since[0]), YearMonth.of(since[-1])
        if first > start:
            out.append(_cj507(f, f"{where}的缴费自 {first} 起，晚于入职月份 {start}（hired_on）",
                              f"contributions start in {first}, after the month of hiring {start} ({where_en})"))
        if last < last_needed:
            out.append(_cj507(f, f"{where}的最后缴费月份为 {last}，早于参照日期 {as_of.isoformat()} 前两个月的 {last_needed}，"
                                 "未覆盖入职至今",
                              f"the last month paid is {last}, earlier than {last_needed} (two months before the "
                              f"reference date {as_of.isoformat()}) ({where_en})"))
        gaps = [i for i in range(since[0], since[-1] + 1) if i not in paid]
        if gaps:
            spans = _spans(gaps)
            out.append(_cj507(f, f"{where}在 {spans} 中断缴费", f"contributions are missing for {spans} ({where_en})"))
        others: dict[str, list[int]] = {}
        for i in since:
            if _ours(paid[i], ours_names) is False:
                others.setdefault(paid[i] or "?", []).append(i)
        for unit, months in sorted(others.items()):
            spans = _spans(months)
            out.append(_cj507(f, f"{where}中入职以来 {spans}（{len(months)}个月）由“{unit}”缴费，不是申报单位",
                              f"{len(months)} month(s) since hiring ({spans}) were paid by '{unit}', not the unit ({where_en})"))
    return out


def _spans(months: list[int]) -> str:
    parts = []
    run = [months[0]]
    for i in months[1:]:
        if i == run[-1] + 1:
            run.append(i)
        else:
            parts.append(run)
            run = [i]
    parts.append(run)
    return "、".join(str(YearMonth.of(r[0])) if len(r) == 1 else f"{YearMonth.of(r[0])}-{YearMonth.of(r[-1])}" for r in parts)


def _cj507(f: DocFacts, zh: str, en: str) -> Finding:
    return codes.finding("CJ507", zh, en, material=f.material, file=f.file, page=f.page_of("unit_periods"))


# ---------------------------------------------------------------------------- CJ508

def _certificates(docs: list[DocFacts], as_of: date) -> list[Finding]:
    out: list[Finding] = []
    for f in docs:
        if f.confidence < LOW_CONFIDENCE:
            continue
        if f.kind == "high_tech_certificate" and f.issued is not None:
            until = valid_until(f.issued, 3)
            if as_of > until:
                out.append(codes.finding(
                    "CJ508",
                    f"{_where(f, 'issued')}发证时间 {f.issued.isoformat()}，有效期三年至 {until.isoformat()}，"
                    f"在参照日期 {as_of.isoformat()} 已过期",
                    f"the high-tech enterprise certificate issued {f.issued.isoformat()} was valid for three years, "
                    f"through {until.isoformat()}; it is out of date at the reference date {as_of.isoformat()}",
                    material=f.material, file=f.file, page=f.page_of("issued")))
        if f.kind == "business_licence" and isinstance(f.licence_end, date) and f.licence_end < as_of:
            out.append(codes.finding(
                "CJ508",
                f"{_where(f, 'term')}营业期限至 {f.licence_end.isoformat()}，早于参照日期 {as_of.isoformat()}；"
                "指南要求提供有效期内的最新版本",
                f"the business licence's term ended on {f.licence_end.isoformat()}, before the reference date "
                f"{as_of.isoformat()}; the guide asks for the latest licence in force",
                material=f.material, file=f.file, page=f.page_of("term")))
    return out


