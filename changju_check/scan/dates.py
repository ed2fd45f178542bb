"""Dates as Chinese documents (and OCR) write them.

Pure text in, `datetime.date` out; no third-party imports. Handled forms:

- ``2022年3月1日``, ``2022 年 3 月 1 日``, ``二〇二二年三月一日``
- ``2022.03.01``, ``2022-03-01``, ``2022/3/1``, ``2022_03_01``
- ``20220301`` (exactly eight digits, never inside a longer number such as an ID number)
- ``15 MAR 2030`` / ``15 3月/MAR 2030`` (passports), ``MAR 15, 2030``
- full-width digits and punctuation (``２０２２．０３．０１``), through NFKC

Common OCR confusions inside an otherwise numeric date are repaired where that is safe: ``O``/``o``
for 0 and ``l``/``I``/``|`` for 1, only when the token still looks like a date (at least half of
the year's characters are real digits and the result is a valid calendar date). A repaired date
is flagged (`DateMatch.repaired`) so its confidence can be lowered.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

__all__ = ["DateMatch", "find_dates", "normalise", "parse_date"]

MIN_YEAR = 1900
MAX_YEAR = 2199

# characters OCR confuses with digits, and the digit meant
_CONFUSED = {"O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "|": "1", "i": "1"}
_D = r"[0-9OoDQlIi|]"  # a digit position that tolerates the confusions
_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN = "〇零○一二两三四五六七八九十"

_MONTHS = {
    "JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8, "SEP": 9,
    "SEPT": 9, "OCT": 10, "NOV": 11, "DEC": 12,
}


def normalise(text: str) -> str:
    """NFKC (full-width digits and punctuation become ASCII) and unified dashes; same length
    is NOT guaranteed, so spans refer to the normalised text."""
    text = unicodedata.normalize("NFKC", text)
    return (
        text.replace("\u2014", "-").replace("\u2013", "-").replace("\u2012", "-")
        .replace("\u2212", "-").replace("\u2015", "-").replace("\u301c", "~").replace("～", "~")
        .replace("\u3000", " ")
    )


@dataclass(frozen=True)
class DateMatch:
    value: date
    start: int  # span in the (normalised) text
    end: int
    repaired: bool = False  # an OCR confusion (O for 0, l for 1) was corrected


def _digits(token: str) -> tuple[str, bool]:
    """Map confusable letters to digits; report whether any was mapped."""
    out = []
    repaired = False
    for ch in token:
        if ch in _CONFUSED:
            out.append(_CONFUSED[ch])
            repaired = True
        else:
            out.append(ch)
    return "".join(out), repaired


def _make(y: str, m: str, d: str) -> tuple[date | None, bool]:
    """Build a date from three tokens that may contain confusable letters."""
    real = sum(c.isdigit() for c in y)
    if real < 2:  # "IOOl" is not a year
        return None, False
    ys, r1 = _digits(y)
    ms, r2 = _digits(m)
    ds, r3 = _digits(d)
    if not (ys.isdigit() and ms.isdigit() and ds.isdigit()):
        return None, False
    try:
        value = date(int(ys), int(ms), int(ds))
    except ValueError:
        return None, False
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        return None, False
    return value, (r1 or r2 or r3)


def _cn_number(s: str) -> int | None:
    """二〇二二 -> 2022 (digit by digit); 十二 -> 12; 二十一 -> 21; 三十 -> 30."""
    s = s.strip()
    if not s:
        return None
    if "十" in s:
        head, _, tail = s.partition("十")
        if len(head) > 1 or len(tail) > 1:
            return None
        tens = _CN_DIGITS.get(head, None) if head else 1
        ones = _CN_DIGITS.get(tail, None) if tail else 0
        if tens is None or ones is None:
            return None
        return tens * 10 + ones
    value = 0
    for ch in s:
        if ch not in _CN_DIGITS:
            return None
        value = value * 10 + _CN_DIGITS[ch]
    return value


_SEP = r"\s*[.\-/_·,。]\s*"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # 2022年3月1日 / 2022 年 3 月 1 日 (day optional marker 日/号)
    ("ymd_cn", re.compile(rf"(?<![0-9])({_D}{{4}})\s*年\s*({_D}{{1,2}})\s*月\s*({_D}{{1,2}})\s*[日号]?")),
    # 2022.03.01 / 2022-3-1 / 2022/03/01
    ("ymd_sep", re.compile(rf"(?<![0-9A-Za-z])({_D}{{4}}){_SEP}({_D}{{1,2}}){_SEP}({_D}{{1,2}})(?![0-9])")),
    # 20220301
    ("ymd_compact", re.compile(r"(?<![0-9])((?:19|20|21)[0-9]{2})([01][0-9])([0-3][0-9])(?![0-9])")),
    # 二〇二二年三月一日
    ("ymd_hanzi", re.compile(rf"([{_CN}]{{4}})\s*年\s*([{_CN}]{{1,3}})\s*月\s*([{_CN}]{{1,3}})\s*[日号]")),
    # 15 MAR 2030, 15 3月/MAR 2030, 15MAR2030
    ("dmy_en", re.compile(
        r"(?<![0-9])([0-3]?[0-9])\s*(?:[0-9]{1,2}\s*月\s*/?\s*)?"
        r"(JAN|FEB|MAR|APR|MAY|JUNE?|JULY?|AUG|SEPT?|OCT|NOV|DEC)[A-Z]*\.?\s*,?\s*((?:19|20|21)[0-9]{2})(?![0-9])",
        re.IGNORECASE)),
    # MAR 15, 2030
    ("mdy_en", re.compile(
        r"(?<![A-Za-z])(JAN|FEB|MAR|APR|MAY|JUNE?|JULY?|AUG|SEPT?|OCT|NOV|DEC)[A-Z]*\.?\s+([0-3]?[0-9]),?\s+((?:19|20|21)[0-9]{2})(?![0-9])",
        re.IGNORECASE)),
]


def _month(name: str) -> int | None:
    name = name.upper()
    return _MONTHS.get(name[:4] if name.startswith("SEPT") else name[:3])


def find_dates(text: str) -> list[DateMatch]:
    """Every date in `text` (already `normalise`d, or not: digits are normalised here only
    if the caller did), in order of position, overlapping matches resolved left-first."""
    found: list[DateMatch] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            value: date | None = None
            repaired = False
            if kind in ("ymd_cn", "ymd_sep"):
                value, repaired = _make(m.group(1), m.group(2), m.group(3))
            elif kind == "ymd_compact":
                value, repaired = _make(m.group(1), m.group(2), m.group(3))
            elif kind == "ymd_hanzi":
                y, mo, d = (_cn_number(g) for g in m.groups())
                if y is not None and mo is not None and d is not None:
                    try:
                        value = date(y, mo, d)
                    except ValueError:
                        value = None
            elif kind == "dmy_en":
                mo = _month(m.group(2))
                if mo:
                    try:
                        value = date(int(m.group(3)), mo, int(m.group(1)))
                    except ValueError:
                        value = None
            elif kind == "mdy_en":
                mo = _month(m.group(1))
                if mo:
                    try:
                        value = date(int(m.group(3)), mo, int(m.group(2)))
                    except ValueError:
                        value = None
            if value is not None and MIN_YEAR <= value.year <= MAX_YEAR:
                found.append(DateMatch(value, m.start(), m.end(), repaired))
    found.sort(key=lambda d: (d.start, -(d.end - d.start)))
    result: list[DateMatch] = []
    last_end = -1
    for d in found:
        if d.start >= last_end:
            result.append(d)
            last_end = d.end
    return result


def parse_date(text: str) -> date | None:
    """The first date written in `text`, or None. ``parse_date("2022 年 3 月 1 日")``."""
    if not text:
        return None
    matches = find_dates(normalise(text))
    return matches[0].value if matches else None
