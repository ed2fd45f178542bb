"""Facts from the text of one page: pure functions, no OCR, no third-party imports.

Each extractor takes the page's text (a text layer, or OCR lines joined with newlines) and
returns a small dataclass, or None when the fact is not on the page. Every result carries the
spans of the text it was read from (`spans`, positions in `normalise(text)`) so that the reader
can attach the OCR confidence of exactly those lines, and `repaired` when an OCR confusion
(O for 0, l for 1) had to be corrected to read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from changju_check.scan.dates import DateMatch, find_dates, normalise
from changju_check.scan.parsers import LONG_TERM  # an ID card's expiry for holders over 45: never expires

__all__ = [
    "AuditYear",
    "ContractTerm",
    "IdentityFacts",
    "IitYears",
    "LicenceName",
    "LONG_TERM",
    "extract_audit_year",
    "extract_contract",
    "extract_identity",
    "extract_iit_years",
    "extract_licence_name",
]

_CJK = "\u4e00-\u9fff\u3400-\u4dbf"
_RANGE_SEP = re.compile(r"^\s*(?:起\s*)?(?:至|到|止至|-|~|—|－|\s至\s)\s*$")
_CLAUSE_END = re.compile(r"[。；;]|\n\s*\n|第[一二三四五六七八九十百0-9]+条")


@dataclass(frozen=True)
class ContractTerm:
    start: date | None
    end: date | None
    open_ended: bool
    spans: tuple[tuple[int, int], ...] = ()
    repaired: bool = False


@dataclass(frozen=True)
class IdentityFacts:
    document: str  # "id_card" | "passport"
    name: str | None
    expiry: date | str | None  # a date, LONG_TERM, or None when not on this page
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # fact -> span
    repaired: bool = False


@dataclass(frozen=True)
class AuditYear:
    year: int
    spans: tuple[tuple[int, int], ...] = ()
    repaired: bool = False


@dataclass(frozen=True)
class IitYears:
    years: tuple[int, ...]
    spans: tuple[tuple[int, int], ...] = ()
    repaired: bool = False


@dataclass(frozen=True)
class LicenceName:
    name: str
    spans: tuple[tuple[int, int], ...] = ()


def _clause_before(text: str, pos: int, width: int = 60) -> str:
    """The text of the clause that `pos` lies in, up to `pos` (at most `width` characters)."""
    start = max(0, pos - width)
    head = text[start:pos]
    last = None
    for m in _CLAUSE_END.finditer(head):
        last = m
    return head[last.end():] if last else head


def _date_ranges(text: str, dates: list[DateMatch]) -> list[tuple[DateMatch, DateMatch]]:
    ranges = []
    for a, b in zip(dates, dates[1:]):
        between = text[a.end:b.start]
        if len(between) <= 6 and _RANGE_SEP.match(between) and a.value < b.value:
            ranges.append((a, b))
    return ranges


# ---------------------------------------------------------------------------- labour contracts

_OPEN_ENDED = re.compile(r"无\s*固\s*定\s*期\s*限")
_CHECKED = re.compile(r"[☑√✓✔■☒⊠▣●]\s*[（(]?\s*[一二三123]?\s*[)）]?\s*$")
_OPEN_STATEMENT = re.compile(r"(?:为|签订|订立|属于)\s*(?:[“\"「])?\s*无\s*固\s*定\s*期\s*限")
_START_LABEL = re.compile(r"(?:合同)?(?:起始|开始|生效|起)\s*(?:日期|时间)\s*[:：]?\s*$")
_END_LABEL = re.compile(r"(?:合同)?(?:终止|结束|到期|截止|止)\s*(?:日期|时间)\s*[:：]?\s*$")
_TERM_WORDS = ("期限", "合同", "聘期", "聘用期", "有效期", "固定")


def extract_contract(text: str) -> ContractTerm | None:
    """The term of a labour contract: 合同期限 start and end, or 无固定期限 (open-ended).

    Ranges in a probation clause (试用期) are ignored; a range in a clause that speaks of the
    term (期限, 合同, 聘期) wins over a bare one. An open-ended contract is recognised by a date
    after 无固定期限, a tick before it, or a statement such as 本合同为无固定期限劳动合同.
    """
    t = normalise(text)
    dates = find_dates(t)
    best: tuple[int, DateMatch, DateMatch] | None = None
    for a, b in _date_ranges(t, dates):
        clause = _clause_before(t, a.start)
        if "试用" in clause or "见习" in clause:
            continue
        score = 2 if any(w in clause for w in _TERM_WORDS) else 1
        if _OPEN_ENDED.search(clause):
            continue  # "无固定期限：自 … 起至法定…" never gives a real end date
        if best is None or score > best[0]:
            best = (score, a, b)
    fixed = None
    if best is not None:
        _, a, b = best
        fixed = ContractTerm(a.value, b.value, False, ((a.start, b.end),), a.repaired or b.repaired)
    else:
        # table layouts: 合同起始日期 2022年3月1日  合同终止日期 2025年2月28日
        start = end = None
        for d in dates:
            before = t[max(0, d.start - 12):d.start]
            if start is None and _START_LABEL.search(before):
                start = d
            elif _END_LABEL.search(before):
                end = d
        if start and end and start.value < end.value:
            fixed = ContractTerm(start.value, end.value, False, ((start.start, end.end),),
                                 start.repaired or end.repaired)

    opened = None
    for m in _OPEN_ENDED.finditer(t):
        after = t[m.end():m.end() + 40]
        clause_end = _CLAUSE_END.search(after)
        if clause_end:
            after = after[:clause_end.start()]
        start_date = next((d for d in find_dates(after)), None)
        ticked = bool(_CHECKED.search(t[max(0, m.start() - 6):m.start()]))
        stated = bool(_OPEN_STATEMENT.search(t[max(0, m.start() - 8):m.end()]))
        if start_date is not None:
            span = (m.start(), m.end() + start_date.end)
            opened = ContractTerm(start_date.value, None, True, (span,), start_date.repaired)
            if ticked:
                break
        elif (ticked or stated) and opened is None:
            opened = ContractTerm(None, None, True, ((m.start(), m.end()),))
    if fixed and opened:
        # a filled-in fixed term beats an open-ended option that only has a tick or a blank
        if opened.start is None:
            return fixed
        ticked_open = bool(_CHECKED.search(t[max(0, opened.spans[0][0] - 6):opened.spans[0][0]]))
        return opened if ticked_open else fixed
    return fixed or opened


# ---------------------------------------------------------------------------- ID cards, passports

_NAME_LABEL = re.compile(r"姓\s*名\s*[:：]?\s*")
_NAME_STOP = re.compile(r"性\s*别|民\s*族|出\s*生|住\s*址|公\s*民|性|民族")
_ID_EXPIRY_LABEL = re.compile(r"有\s*效\s*期\s*限\s*[:：]?")
_LONG = re.compile(r"长\s*期")
_PASSPORT = re.compile(r"PASSPORT|护\s*照|P<[A-Z<]{3}", re.IGNORECASE)
_ID_WORDS = re.compile(r"身\s*份\s*证|公\s*民\s*身\s*份\s*号\s*码|签\s*发\s*机\s*关|有\s*效\s*期\s*限")
_PP_EXPIRY_LABEL = re.compile(r"(?:Date\s*of\s*expiry|Date\s*of\s*Expiration|Expiry\s*date|有\s*效\s*期\s*至|有效期)", re.IGNORECASE)
_PP_SURNAME = re.compile(r"(?:Surname|姓)\s*[/／]?\s*(?:Surname|姓)?\s*[:：]?", re.IGNORECASE)
_PP_GIVEN = re.compile(r"(?:Given\s*names?|名)\s*[/／]?\s*(?:Given\s*names?|名)?\s*[:：]?", re.IGNORECASE)
_LATIN_VALUE = re.compile(r"[A-Z][A-Z'\-]+(?:[ ,]+[A-Z][A-Z'\-]+)*")
_LABEL_WORDS = {
    "SURNAME", "GIVEN", "NAMES", "NAME", "NATIONALITY", "SEX", "DATE", "OF", "BIRTH", "PLACE",
    "PASSPORT", "TYPE", "CODE", "NO", "AUTHORITY", "ISSUE", "EXPIRY", "COUNTRY", "HOLDER",
    "SIGNATURE", "P", "THE", "PEOPLE'S", "REPUBLIC", "CHINA",
}
_MRZ1 = re.compile(r"P[<KC]([A-Z<]{3})([A-Z0158<]{2,})")
_MRZ2 = re.compile(r"([A-Z0-9<]{9})([0-9<])([A-Z<]{3})([0-9]{6})([0-9])([MFX<])([0-9]{6})([0-9])")


def _mrz_check(field_: str) -> int:
    weights = (7, 3, 1)
    total = 0
    for i, ch in enumerate(field_):
        if ch.isdigit():
            v = int(ch)
        elif ch.isalpha():
            v = ord(ch.upper()) - 55
        else:
            v = 0
        total += v * weights[i % 3]
    return total % 10


def _latin_after(t: str, pos: int, width: int = 40) -> tuple[str, int, int] | None:
    for m in _LATIN_VALUE.finditer(t, pos, min(len(t), pos + width)):
        words = [w for w in re.split(r"[ ,]+", m.group(0)) if w]
        kept = [w for w in words if w.upper() not in _LABEL_WORDS]
        if kept and len(kept) == len(words):
            return " ".join(kept), m.start(), m.end()
    return None


def _id_name(t: str) -> tuple[str, tuple[int, int]] | None:
    for m in _NAME_LABEL.finditer(t):
        rest = t[m.end():m.end() + 16]
        value = re.match(rf"[{_CJK}·•]+", rest)
        if not value:
            continue
        name = value.group(0)
        stop = _NAME_STOP.search(name, 2)
        if stop:
            name = name[:stop.start()]
        name = name.replace("•", "·").strip("·")
        if 2 <= len(name) <= 12:
            return name, (m.start(), m.end() + len(name))
    return None


def _id_expiry(t: str) -> tuple[date | str, tuple[int, int], bool] | None:
    dates = find_dates(t)
    # 有效期限 2015.03.01-2035.03.01 / 2015.03.01-长期
    for m in _ID_EXPIRY_LABEL.finditer(t):
        window_end = min(len(t), m.end() + 40)
        after = [d for d in dates if m.end() <= d.start < window_end]
        if not after:
            continue
        first = after[0]
        tail = t[first.end:first.end + 6]
        lm = re.match(r"\s*(?:-|至|到|~)?\s*长\s*期", tail)
        if lm:
            return LONG_TERM, (m.start(), first.end + lm.end()), first.repaired
        if len(after) >= 2 and _RANGE_SEP.match(t[first.end:after[1].start] or "-"):
            second = after[1]
            return second.value, (m.start(), second.end), first.repaired or second.repaired
    # no label read: a range whose length is an ID card's (5, 10 or 20 years, same day)
    for a, b in _date_ranges(t, dates):
        if (b.value.month, b.value.day) == (a.value.month, a.value.day) and b.value.year - a.value.year in (5, 10, 20):
            return b.value, (a.start, b.end), a.repaired or b.repaired
    for d in dates:
        lm = re.match(r"\s*(?:-|至|到|~)\s*长\s*期", t[d.end:d.end + 6])
        if lm:
            return LONG_TERM, (d.start, d.end + lm.end()), d.repaired
    return None


def extract_identity(text: str) -> IdentityFacts | None:
    """The holder's name and the expiry of an ID card (姓名, 有效期限 …-… or …-长期) or a
    passport data page (Surname/Given names, Date of expiry/有效期至, or the machine-readable
    zone, whose check digit is verified)."""
    t = normalise(text)
    spans: dict[str, tuple[int, int]] = {}
    repaired = False
    compact = "\n".join(re.sub(r"\s+", "", line.upper()) for line in t.splitlines())
    if _PASSPORT.search(t) or _MRZ1.search(compact):
        name = None
        expiry: date | str | None = None
        # MRZ first: it has a check digit
        m2 = _MRZ2.search(compact)
        if m2 and _mrz_check(m2.group(7)) == int(m2.group(8)):
            yy, mm, dd = int(m2.group(7)[:2]), int(m2.group(7)[2:4]), int(m2.group(7)[4:])
            try:
                expiry = date(2000 + yy, mm, dd)
                spans["expiry"] = (0, 0)  # position lost in the compacted text
            except ValueError:
                expiry = None
        for lab in _PP_EXPIRY_LABEL.finditer(t):
            after = [d for d in find_dates(t[lab.end():lab.end() + 50])]
            if after:
                d = after[0]
                if expiry is None:
                    expiry = d.value
                    repaired = repaired or d.repaired
                spans["expiry"] = (lab.start(), lab.end() + d.end)
                break
        surname = given = None
        for m in _PP_SURNAME.finditer(t):
            got = _latin_after(t, m.end())
            if got:
                surname = got
                break
        for m in _PP_GIVEN.finditer(t):
            got = _latin_after(t, m.end())
            if got and (surname is None or got[1] != surname[1]):
                given = got
                break
        if surname:
            name = surname[0] + (" " + given[0] if given else "")
            spans["name"] = (surname[1], (given or surname)[2])
        else:
            m1 = _MRZ1.search(compact)
            if m1:
                parts = [p for p in m1.group(2).split("<<", 1)]
                letters = str.maketrans("0158", "OISB")  # the name field holds letters only
                sur = parts[0].replace("<", " ").strip().translate(letters)
                giv = parts[1].replace("<", " ").strip().translate(letters) if len(parts) > 1 else ""
                if sur:
                    name = " ".join((sur + " " + giv).split())
                    spans["name"] = (0, 0)
        if name is None and expiry is None:
            return None
        return IdentityFacts("passport", name, expiry, spans, repaired)

    if not _ID_WORDS.search(t) and not _NAME_LABEL.search(t):
        return None
    got_name = _id_name(t)
    got_exp = _id_expiry(t)
    if got_name is None and got_exp is None:
        return None
    name = None
    expiry = None
    if got_name:
        name, spans["name"] = got_name
    if got_exp:
        expiry, spans["expiry"], repaired = got_exp
    return IdentityFacts("id_card", name, expiry, spans, repaired)


# ---------------------------------------------------------------------------- audit reports

_YEAR_DU = re.compile(r"(?<![0-9])((?:19|20)[0-9OolI]{2})\s*年\s*度")
_AS_AT = re.compile(r"截\s*[至止]")


def extract_audit_year(text: str) -> AuditYear | None:
    """The financial year an audit report covers: …2021年度…, 截至2021年12月31日, the balance
    sheet of 2021年12月31日. Report numbers (京审字[2022]…) and the report's own date, which
    fall in the following year, are not taken."""
    t = normalise(text)
    votes: dict[int, list[tuple[int, int]]] = {}
    repaired = False
    weight: dict[int, int] = {}
    for m in _YEAR_DU.finditer(t):
        raw = m.group(1)
        digits = raw.translate(str.maketrans("OolI", "0011"))
        y = int(digits)
        if raw != digits:
            repaired = True
        votes.setdefault(y, []).append(m.span())
        weight[y] = weight.get(y, 0) + 3
    for d in find_dates(t):
        if (d.value.month, d.value.day) == (12, 31):
            y = d.value.year
            w = 3 if _AS_AT.search(t[max(0, d.start - 6):d.start]) else 2
            votes.setdefault(y, []).append((d.start, d.end))
            weight[y] = weight.get(y, 0) + w
            repaired = repaired or d.repaired
    if not weight:
        return None
    year = max(weight, key=lambda y: (weight[y], -min(s for s, _ in votes[y])))
    return AuditYear(year, tuple(votes[year]), repaired)


# ---------------------------------------------------------------------------- IIT records

_YM = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})\s*(?:年\s*([01]?[0-9])\s*月|[-./]\s*([01]?[0-9]))(?![0-9])(?!\s*[-./]\s*[0-9])(?!\s*[0-9]{1,2}\s*日)")
_Y_ONLY = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})\s*年(?:\s*度)?(?!\s*[0-9])")
_PERIOD_WORDS = ("所属期", "所属期间", "期间", "时间段", "起止", "税款所属", "所得期间", "纳税期间", "区间")


def extract_iit_years(text: str) -> IitYears | None:
    """The years an individual income tax record covers: a period range (2021年01月至2022年12月,
    2021-01-01 至 2022-12-31, 2021年度-2022年度), else the years of its monthly rows (2021-01 …).
    The record's print or issue date (a full date outside a range) is not a covered year."""
    t = normalise(text)
    tokens: list[tuple[int, int, int, bool]] = []  # (start, end, year, full_date)
    full = find_dates(t)
    taken = [(d.start, d.end) for d in full]
    for d in full:
        tokens.append((d.start, d.end, d.value.year, True))

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in _YM.finditer(t):
        month = int(m.group(2) or m.group(3))
        if 1 <= month <= 12 and free(*m.span()):
            tokens.append((m.start(), m.end(), int(m.group(1)), False))
            taken.append(m.span())
    for m in _Y_ONLY.finditer(t):
        if free(*m.span()):
            tokens.append((m.start(), m.end(), int(m.group(1)), False))
            taken.append(m.span())
    tokens.sort()
    ranges: list[tuple[int, int, tuple[int, int], bool]] = []
    for a, b in zip(tokens, tokens[1:]):
        between = t[a[1]:b[0]]
        if len(between) <= 6 and _RANGE_SEP.match(between) and a[2] <= b[2] and b[2] - a[2] <= 10:
            context = t[max(0, a[0] - 20):a[0]]
            ranges.append((a[2], b[2], (a[0], b[1]), any(w in context for w in _PERIOD_WORDS)))
    if ranges:
        preferred = [r for r in ranges if r[3]] or ranges
        years: set[int] = set()
        spans = []
        for y1, y2, span, _ in preferred:
            years.update(range(y1, y2 + 1))
            spans.append(span)
        return IitYears(tuple(sorted(years)), tuple(spans))
    monthly = [tok for tok in tokens if not tok[3]]
    if not monthly:
        return None
    years = sorted({tok[2] for tok in monthly})
    return IitYears(tuple(years), tuple((tok[0], tok[1]) for tok in monthly))


# ---------------------------------------------------------------------------- business licences

_LICENCE_NAME = re.compile(r"名\s*称\s*[:：]?\s*")
_UNIT_CHARS = re.compile(rf"[{_CJK}A-Za-z0-9（）()·&\-]+")


def extract_licence_name(text: str) -> LicenceName | None:
    """The unit's name on a business licence (营业执照) or legal-person certificate: 名称 …"""
    t = normalise(text)
    for m in _LICENCE_NAME.finditer(t):
        rest = t[m.end():m.end() + 60]
        value = _UNIT_CHARS.match(rest)
        if not value:
            continue
        name = value.group(0)
        for stop in ("类型", "统一社会", "法定代表", "住所", "注册资本", "成立日期"):
            i = name.find(stop)
            if i > 0:
                name = name[:i]
        name = name.strip("·-")
        if len(re.findall(rf"[{_CJK}]", name)) >= 4:
            return LicenceName(name, ((m.start(), m.end() + len(name)),))
    return None
