"""Typed parsers for the values of a document's labelled fields and table rows.

Pure functions, no third-party imports. Each parser takes the text that follows a label (already
NFKC-normalised, see `dates.normalise`) and returns `(value, end)` — the typed value and where it
ends in that text — or None when no value of that type starts there. The layouts
(`scan/layouts/*.yaml`) name these parsers by key (`PARSERS`).

Validated numbers:

- 公民身份号码 (GB 11643): 17 digits and an ISO 7064 MOD 11-2 check character (0-9 or X);
- 统一社会信用代码 (GB 32100): 18 characters of 0-9 and A-Z without I, O, S, V, Z, the last a
  MOD 31 check character.

A number of the right shape whose check fails is returned as `Invalid(text)`, so that a layout can
say "found, but not a valid number" instead of silently taking it or dropping it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Callable

from changju_check.report.personal import mask_in_text  # noqa: F401  (re-exported: the one masking rule)
from changju_check.scan.dates import find_dates

__all__ = [
    "Invalid", "LONG_TERM", "PARSERS", "YearMonth", "credit_code_valid", "id_birth_date", "id_number_valid",
    "mask_in_text", "mask_personal", "normalise_id", "parse_year_month",
]

LONG_TERM = "长期"
_CJK = "\u4e00-\u9fff\u3400-\u4dbf"


@dataclass(frozen=True)
class Invalid:
    """A value of the right shape that fails its check character."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, order=True)
class YearMonth:
    year: int
    month: int

    @property
    def index(self) -> int:
        return self.year * 12 + self.month - 1

    @classmethod
    def of(cls, index: int) -> "YearMonth":
        return cls(index // 12, index % 12 + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}{self.month:02d}"


# ---------------------------------------------------------------------------- check characters

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def normalise_id(text: str) -> str:
    """An ID number as compared: half-width, upper-case X, no spaces."""
    import unicodedata

    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).upper()


def id_number_valid(number: str) -> bool:
    """ISO 7064 MOD 11-2 over the 17 leading digits of an 18-character 公民身份号码."""
    n = normalise_id(number)
    if not re.fullmatch(r"[0-9]{17}[0-9X]", n):
        return False
    total = sum(int(d) * w for d, w in zip(n[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == n[17] and id_birth_date(n) is not None


def id_birth_date(number: str) -> date | None:
    n = normalise_id(number)
    try:
        return date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        return None


_CC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I O S V Z
_CC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_valid(code: str) -> bool:
    """GB 32100-2015: the 18th character of a 统一社会信用代码 is 31 - (Σ c·w mod 31)."""
    c = normalise_id(code)
    if len(c) != 18 or any(ch not in _CC_CHARS for ch in c):
        return False
    total = sum(_CC_CHARS.index(ch) * w for ch, w in zip(c[:17], _CC_WEIGHTS))
    return _CC_CHARS[(31 - total % 31) % 31] == c[17]


def mask_personal(value: str) -> str:
    """`110108199001011234` -> `110108********1234`: the region and the last four stay."""
    v = normalise_id(value)
    if len(v) <= 8:
        return "*" * len(v)
    return v[:6] + "*" * (len(v) - 10) + v[-4:]


# ---------------------------------------------------------------------------- parsers

ParseResult = tuple[object, int] | None
_LEAD = re.compile(r"[\s:：☑☐√✓✔■□_.,，、;；]*")  # label punctuation and OCR debris (a stray tick)


def _lead(text: str) -> int:
    return _LEAD.match(text).end()


_ID_SHAPE = re.compile(r"(?<![0-9A-Za-z])([0-9]{17}[0-9Xx])(?![0-9A-Za-z])")


def parse_id_number(text: str) -> ParseResult:
    m = _ID_SHAPE.search(text, 0, 40)
    if not m:
        return None
    value = m.group(1).upper()
    return (value if id_number_valid(value) else Invalid(value)), m.end()


_CC_SHAPE = re.compile(r"(?<![0-9A-Za-z])([0-9A-Z]{18})(?![0-9A-Za-z])")


def parse_credit_code(text: str) -> ParseResult:
    m = _CC_SHAPE.search(text.upper(), 0, 40)
    if not m:
        return None
    value = m.group(1)
    return (value if credit_code_valid(value) else Invalid(value)), m.end()


_NAME_STOPS = ("性别", "民族", "出生", "住址", "公民", "社会保障", "身份证", "证件", "纳税人", "单位", "性", "男", "女")


def parse_name(text: str) -> ParseResult:
    """A person's name: 2-4 CJK characters (a · for minorities), or Latin words."""
    start = _lead(text)
    m = re.match(rf"[{_CJK}·•]+", text[start:])
    if m:
        name = m.group(0)
        for stop in _NAME_STOPS:
            i = name.find(stop, 2)
            if i > 0:
                name = name[:i]
        name = name.replace("•", "·").strip("·")
        if 2 <= len(name) <= 12:
            return name, start + len(name)
        return None
    m = re.match(r"[A-Z][A-Za-z'\-]+(?: [A-Z][A-Za-z'\-]+){0,3}", text[start:])
    if m:
        return m.group(0), start + m.end()
    return None


_UNIT = re.compile(rf"[{_CJK}A-Za-z0-9（）()·&\-]+")
_UNIT_STOPS = ("类型", "统一社会", "法定代表", "住所", "注册资本", "成立日期", "缴费区县", "实际缴费", "纳税人识别",
               "营业期限", "经营范围")
_UNIT_SUFFIX = re.compile(r"(?:有限责任公司|股份有限公司|有限公司|公司|研究院|研究所|中心|大学|学院|医院|合伙企业[（(]有限合伙[)）]|合伙企业|事务所)")


def parse_unit_name(text: str) -> ParseResult:
    """A unit's name: CJK/Latin run, cut at the next label, at least 4 CJK characters."""
    start = _lead(text)
    m = _UNIT.match(text, start)
    if not m:
        return None
    name = m.group(0)
    for stop in _UNIT_STOPS:
        i = name.find(stop)
        if i > 0:
            name = name[:i]
    # a table row may run the next column on: cut after the legal-form suffix when one is there
    last = None
    for s in _UNIT_SUFFIX.finditer(name):
        last = s
    if last is not None and last.end() < len(name) and not re.match(r"[（(]", name[last.end():]):
        name = name[:last.end()]
    name = name.strip("·-").rstrip("（(")
    if len(re.findall(rf"[{_CJK}]", name)) >= 4:
        return name, start + len(name)
    return None


def parse_text(text: str) -> ParseResult:
    """The rest of the line (up to 80 characters), trimmed."""
    start = _lead(text)
    line = re.split(r"\n| {2,}", text[start:], maxsplit=1)[0][:80].strip()  # two spaces: the next column
    return (line, start + len(line)) if line else None


def parse_date(text: str) -> ParseResult:
    dates = [d for d in find_dates(text[:60]) if d.start <= 12]
    if not dates:
        return None
    return dates[0].value, dates[0].end


_RANGE_SEP = re.compile(r"^\s*(?:起\s*)?(?:至|到|止至|-|~|—|－)\s*$")


def parse_date_range(text: str) -> ParseResult:
    """`2016.05.20-2026.05.20`, `2022年3月1日至2025年2月28日`, `2016.05.20-长期`, `…至 长期`:
    (start, end) with end a date or LONG_TERM."""
    window = text[:80]
    dates = [d for d in find_dates(window) if d.start <= 20]
    if not dates:
        return None
    first = dates[0]
    tail = window[first.end:first.end + 8]
    lm = re.match(r"\s*(?:起\s*)?(?:-|至|到|~)?\s*长\s*期", tail)
    if lm:
        return (first.value, LONG_TERM), first.end + lm.end()
    for second in dates[1:2]:
        between = window[first.end:second.start]
        if len(between) <= 6 and _RANGE_SEP.match(between or "-") and first.value <= second.value:
            return (first.value, second.value), second.end
    return None


# a year-month, never the start of a full date (2021-03-15) nor part of a longer number
_YM = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})\s*(?:年\s*([01]?[0-9])\s*月(?!\s*[0-3]?[0-9]\s*日)|[.\-/]\s*([01]?[0-9])(?![0-9])"
                 r"(?!\s*[.\-/]\s*[0-3]?[0-9](?![0-9]))(?!\s*日)|([01][0-9])(?![0-9]))")


def parse_year_month(text: str) -> ParseResult:
    """`202103`, `2021.03`, `2021-03`, `2021年3月` (within the first characters)."""
    m = _YM.search(text, 0, 16)
    if not m:
        return None
    month = int(m.group(2) or m.group(3) or m.group(4))
    if not 1 <= month <= 12:
        return None
    return YearMonth(int(m.group(1)), month), m.end()


def parse_year_month_range(text: str) -> ParseResult:
    """`202103-202308`, `2021.03至2023.08`, `2021年01月至2022年12月`; a full date counts by its month."""
    first = parse_year_month(text) or _ym_of_date(text)
    if first is None:
        return None
    a, end = first
    rest = text[end:end + 30]
    sep = re.match(r"\s*(?:-|至|到|~|—)\s*", rest)
    if not sep:
        return None
    second = parse_year_month(rest[sep.end():]) or _ym_of_date(rest[sep.end():])
    if second is None:
        return None
    b, end2 = second
    if b < a:
        return None
    return (a, b), end + sep.end() + end2


def _ym_of_date(text: str) -> ParseResult:
    got = parse_date(text)
    if got is None:
        return None
    d, end = got
    return YearMonth(d.year, d.month), end


def parse_period(text: str) -> ParseResult:
    """A range of months, or one month (`2021-01`) as a range of one."""
    got = parse_year_month_range(text)
    if got is not None:
        return got
    one = parse_year_month(text) or _ym_of_date(text)
    if one is None:
        return None
    return (one[0], one[0]), one[1]


def parse_int(text: str) -> ParseResult:
    m = re.match(r"[\s:：]*([0-9]{1,6})(?![0-9])", text)
    return (int(m.group(1)), m.end()) if m else None


def parse_amount(text: str) -> ParseResult:
    m = re.match(r"[\s:：¥￥]*(-?[0-9][0-9,]*(?:\.[0-9]{1,2})?)", text)
    return (m.group(1).replace(",", ""), m.end()) if m else None


def parse_choice(text: str) -> ParseResult:
    """The number filled into 第__种: a digit, a Chinese numeral, or a ticked box before it."""
    m = re.match(r"[\s_]*([1-9一二三四五六七八九])[\s_]*", text)
    if not m:
        return None
    digit = m.group(1)
    value = int(digit) if digit.isdigit() else "一二三四五六七八九".index(digit) + 1
    return value, m.end()


def parse_code(text: str) -> ParseResult:
    """A verification code or certificate number: letters, digits, - [ ] 〔 〕 and CJK between."""
    start = _lead(text)
    m = re.match(rf"[0-9A-Za-z{_CJK}\[\]〔〕()（）\-]{{4,40}}", text[start:])
    return (m.group(0), start + m.end()) if m else None


PARSERS: dict[str, Callable[[str], ParseResult]] = {
    "text": parse_text,
    "name": parse_name,
    "unit_name": parse_unit_name,
    "date": parse_date,
    "date_range": parse_date_range,
    "year_month": parse_year_month,
    "year_month_range": parse_year_month_range,
    "period": parse_period,
    "id_number": parse_id_number,
    "credit_code": parse_credit_code,
    "int": parse_int,
    "amount": parse_amount,
    "choice": parse_choice,
    "code": parse_code,
}


