"""Cross-checks of what the scans say against the manifest: pure data in, findings out.

`cross_check` never reads a file. Given a `ScanResult`, a `fact(name)` lookup into the manifest,
the reference date and the years named in file names, it yields:

- CJ501 (error): a scan contradicts the manifest (contract start/end/open-ended, the name on an
  ID or passport, the unit name on the business licence), naming both values;
- CJ209 (error): an ID card or passport expired before `as_of` (长期 never expires);
- CJ502 (warning): the year printed on an audit report / tax record contradicts its file name;
- CJ503 (warning): no red seal on the first page of a material that must bear one;
- the CJ504 findings `read_scans` already made (so the caller adds only this function's list);

and returns the contract dates read from the scans (`ScanFacts`), so that the checker can apply
CJ201/CJ202 to a contract that exists only on paper.

Facts read with a confidence below `min_confidence` are not used to contradict anything.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Callable, Mapping

from changju_check.report import Evidence, Finding
from changju_check.rulebook import codes
from changju_check.scan.parsers import LONG_TERM

if TYPE_CHECKING:  # the reader is not needed to cross-check what the text layers gave
    from changju_check.scan.reader import ScanResult

__all__ = ["ScanFacts", "cross_check", "same_name", "same_unit"]

MIN_CONFIDENCE = 0.5


@dataclass(frozen=True)
class ScanFacts:
    """Facts from the scans for the checker's own rules (CJ201/CJ202 when the manifest has none).

    The contract is the latest one found (greatest start date) among the contract scans.
    """

    contract_start: date | None = None
    contract_end: date | None = None
    contract_open_ended: bool | None = None
    contract_file: str | None = None
    contract_page: int | None = None

    @property
    def has_contract(self) -> bool:
        return self.contract_open_ended is True or self.contract_end is not None

    def contract(self) -> dict[str, Any] | None:
        """The term for the contract checks (`CheckContext.scan_contracts`), with the file and page
        it was read on: a finding it decides names that page."""
        if not self.has_contract:
            return None
        return {"start": self.contract_start, "end": self.contract_end, "open_ended": bool(self.contract_open_ended),
                "source": f"{self.contract_file} p.{self.contract_page}",
                "file": self.contract_file, "page": self.contract_page}


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        v = value.strip().lower()
        if v in ("true", "yes", "是", "1"):
            return True
        if v in ("false", "no", "否", "0"):
            return False
    return None


_CJK = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_NAME_PUNCT = re.compile(r"[\s·•・.,，\-_'’/]+")


def same_name(a: str, b: str) -> bool | None:
    """Whether two personal names are the same person's; None when they cannot be compared
    (one in Chinese characters, the other in Latin letters). Latin names compare as a set of
    words, case-insensitively, so "SMITH JOHN" (a passport's order) equals "John Smith"."""
    a = unicodedata.normalize("NFKC", a or "").strip()
    b = unicodedata.normalize("NFKC", b or "").strip()
    if not a or not b:
        return None
    cjk_a, cjk_b = bool(_CJK.search(a)), bool(_CJK.search(b))
    if cjk_a != cjk_b:
        return None
    if cjk_a:  # punctuation, quotes (“张三”) and symbols (a stray ☑) are not part of a Chinese name
        key = lambda s: "".join(ch for ch in s if unicodedata.category(ch)[0] in "LN")  # noqa: E731
        return key(a) == key(b)
    words_a = sorted(w for w in _NAME_PUNCT.split(a.casefold()) if w)
    words_b = sorted(w for w in _NAME_PUNCT.split(b.casefold()) if w)
    return words_a == words_b or "".join(words_a) == "".join(words_b) or \
        _NAME_PUNCT.sub("", a.casefold()) == _NAME_PUNCT.sub("", b.casefold())


def same_unit(a: str, b: str) -> bool | None:
    """Unit names equal up to width, brackets and spaces (（）and () are the same)."""
    a = unicodedata.normalize("NFKC", a or "")
    b = unicodedata.normalize("NFKC", b or "")
    if not a.strip() or not b.strip():
        return None
    key = lambda s: re.sub(r"\s+", "", s).casefold()  # noqa: E731
    return key(a) == key(b)


def _fact(fact: Callable[[str], Any], name: str) -> Any:
    try:
        return fact(name)
    except Exception:  # noqa: BLE001 - a missing fact is None
        return None


def _show(d: Any) -> str:
    return d.isoformat() if isinstance(d, date) else str(d)


def _open_zh(v: Any) -> str:
    return "无固定期限" if v == "open" else _show(v)


def _open_en(v: Any) -> str:
    return "open-ended" if v == "open" else _show(v)


def cross_check(
    result: ScanResult,
    fact: Callable[[str], Any],
    as_of: date,
    name_years: Mapping[str, tuple[int, ...]],
    seal_materials: set[str] | frozenset[str],
    *,
    min_confidence: float = MIN_CONFIDENCE,
) -> tuple[list[Finding], ScanFacts]:
    """Findings from the scans (including `result.findings`) and the contract read from them.

    `fact(name)` returns a manifest value or None for "applicant.name", "unit.name",
    "applicant.contract.start", "applicant.contract.end", "applicant.contract.open_ended"
    (dates as `date` or ISO strings). `name_years` maps a packet-relative file path to the years
    its name mentions. `seal_materials` are the materials whose first page must bear a seal.
    """
    findings: list[Finding] = list(result.findings)
    holders = {(f.material, f.file): f.holder for f in result.files}
    by_file: dict[tuple[str, str], list[Evidence]] = {}
    for ev in result.evidence:
        by_file.setdefault((ev.material, ev.file), []).append(ev)

    m_start = _as_date(_fact(fact, "applicant.contract.start"))
    m_end = _as_date(_fact(fact, "applicant.contract.end"))
    m_open = _as_bool(_fact(fact, "applicant.contract.open_ended"))
    m_unit = _fact(fact, "unit.name")

    contracts: list[tuple[date | None, bool, date | None, str, int]] = []

    for (material, file), evs in sorted(by_file.items()):
        facts = {ev.fact: ev for ev in evs if ev.confidence >= min_confidence}

        # ---- contract
        if {"contract_start", "contract_end", "contract_open_ended"} & facts.keys():
            s_start = _as_date(facts["contract_start"].value) if "contract_start" in facts else None
            s_end = _as_date(facts["contract_end"].value) if "contract_end" in facts else None
            s_open = "contract_open_ended" in facts
            page = next(ev.page for ev in evs if ev.fact.startswith("contract_"))
            contracts.append((s_start, s_open, s_end, file, page))
            # each finding names the page its value was read on (the term may sit on page 3)
            ev_end = facts.get("contract_open_ended" if s_open else "contract_end")
            end_page = ev_end.page if ev_end is not None else page
            start_page = facts["contract_start"].page if "contract_start" in facts else page
            if m_open is True and not s_open and s_end is not None:
                findings.append(_cj501_contract("end", "open", s_end, end_page, material, file))
            elif m_end is not None and s_open:
                findings.append(_cj501_contract("end", m_end, "open", end_page, material, file))
            elif m_end is not None and s_end is not None and s_end != m_end:
                findings.append(_cj501_contract("end", m_end, s_end, end_page, material, file))
            if m_start is not None and s_start is not None and s_start != m_start:
                findings.append(_cj501_contract("start", m_start, s_start, start_page, material, file))

        # ---- identity documents
        if "name" in facts:
            holder = holders.get((material, file), "applicant.name")
            expected = _fact(fact, holder) if holder else None
            ev = facts["name"]
            if isinstance(expected, str) and same_name(expected, ev.value) is False:
                findings.append(codes.finding(
                    "CJ501",
                    f"证件上的姓名与清单不一致（清单：{expected}，扫描件第{ev.page}页：{ev.value}），请确认是否为本人证件。",
                    f"The name on the identity document differs from the manifest (manifest: {expected}, "
                    f"scan p.{ev.page}: {ev.value}) - is it the right person's document?",
                    material=material, file=file, page=ev.page,
                ))
        if "expiry" in facts:
            ev = facts["expiry"]
            expiry = _as_date(ev.value)
            if ev.value != LONG_TERM and expiry is not None and expiry < as_of:
                findings.append(codes.finding(
                    "CJ209",
                    f"证件有效期至{expiry.isoformat()}，早于参照日期{as_of.isoformat()}（扫描件第{ev.page}页），证件已过期。",
                    f"The identity document expired on {expiry.isoformat()}, before the reference date "
                    f"{as_of.isoformat()} (scan p.{ev.page}).",
                    material=material, file=file, page=ev.page,
                ))

        # ---- unit name
        if "unit_name" in facts and isinstance(m_unit, str):
            ev = facts["unit_name"]
            if same_unit(m_unit, ev.value) is False:
                findings.append(codes.finding(
                    "CJ501",
                    f"营业执照上的单位名称与清单不一致（清单：{m_unit}，扫描件第{ev.page}页：{ev.value}）。",
                    f"The unit name on the licence differs from the manifest (manifest: {m_unit}, "
                    f"scan p.{ev.page}: {ev.value}).",
                    material=material, file=file, page=ev.page,
                ))

        # ---- years against the file name
        named = tuple(sorted(set(name_years.get(file, ()) or ())))
        if named and "year" in facts:
            ev = facts["year"]
            if int(ev.value) not in named:
                findings.append(_cj502(named, f"{ev.value}年度", ev.value, ev.page, material, file))
        if named and "period_years" in facts:
            # a real document's own period (记录期间, 税款所属时期): the page's years win, any difference is said
            ev = facts["period_years"]
            page_years = {int(y) for y in ev.value.split(",") if y}
            if page_years and page_years != set(named):
                shown = "、".join(str(y) for y in sorted(page_years))
                findings.append(_cj502(named, f"{shown}年度", ", ".join(str(y) for y in sorted(page_years)),
                                       ev.page, material, file))
        elif named and "years" in facts:
            ev = facts["years"]
            page_years = {int(y) for y in ev.value.split(",") if y}
            # a record for 2021-2022 may show only 2021 on its first page: contradiction only
            # when the page names none of the years in the file name
            if page_years and not (set(named) & page_years):
                shown = "、".join(str(y) for y in sorted(page_years))
                findings.append(_cj502(named, f"{shown}年度", ", ".join(str(y) for y in sorted(page_years)),
                                       ev.page, material, file))

    # ---- seals
    sealed: dict[str, bool] = {}
    looked: dict[str, list] = {}
    for page in result.pages:
        if page.page != 1 or page.seals is None or page.material not in seal_materials:
            continue
        looked.setdefault(page.material, []).append(page)
        sealed[page.material] = sealed.get(page.material, False) or bool(page.seals)
    for material, pages in sorted(looked.items()):
        if sealed.get(material):
            continue
        for page in pages:
            if page.greyscale:
                zh = "扫描件为黑白（灰度）扫描，首页无法确认红色公章；请加盖公章后彩色扫描。"
                en = "The scan is grey-scale, so no red seal can be seen on its first page: scan the stamped page in colour."
            else:
                zh = "扫描件首页未发现红色公章；该材料须加盖单位公章。"
                en = "No red seal was found on the first page; this material must bear the unit's seal."
            findings.append(codes.finding("CJ503", zh, en, material=material, file=page.file, page=page.page))

    # ---- the contract for CJ201/CJ202
    facts_out = ScanFacts()
    if contracts:
        # the latest contract: greatest start date, then open-ended, then latest end
        best = max(contracts, key=lambda c: (c[0] or date.min, c[1], c[2] or date.min))
        s_start, s_open, s_end, file, page = best
        facts_out = ScanFacts(contract_start=s_start, contract_end=None if s_open else s_end,
                              contract_open_ended=s_open, contract_file=file, contract_page=page)
    return findings, facts_out


def _cj501_contract(which: str, manifest: Any, scan: Any, page: int, material: str, file: str) -> Finding:
    zh_what = "合同截止日期" if which == "end" else "合同起始日期"
    en_what = "Contract end date" if which == "end" else "Contract start date"
    return codes.finding(
        "CJ501",
        f"{zh_what}与清单不一致（清单：{_open_zh(manifest)}，扫描件第{page}页：{_open_zh(scan)}），可能扫描了旧合同。",
        f"{en_what} differs from the manifest (manifest: {_open_en(manifest)}, scan p.{page}: {_open_en(scan)})"
        f" - was an old contract scanned?",
        material=material, file=file, page=page,
    )


def _cj502(named: tuple[int, ...], zh_page: str, en_page: str, page: int, material: str, file: str) -> Finding:
    zh_named = "、".join(str(y) for y in named)
    en_named = ", ".join(str(y) for y in named)
    return codes.finding(
        "CJ502",
        f"文件名中的年度（{zh_named}）与扫描件第{page}页的年度（{zh_page}）不符，可能放错了年度的文件。",
        f"The year in the file name ({en_named}) differs from the year on page {page} ({en_page}) - "
        f"was the wrong year's file filed?",
        material=material, file=file, page=page,
    )
