"""The order of a material's files, as the guide orders them: for a material of several years
(“2020、2021、2022 年度”), the years each file covers, ascending; then leading numbers ("01-…",
"(2)…") and the system entry whose title a file's name carries (须与系统填报…顺序保持一致); then
name. The book and CJ207 both follow it."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import PurePosixPath

from changju_check.recognise.names import fold, leading_number


@lru_cache(maxsize=4096)  # a batch sorts the same names packet after packet
def _stem(path: str) -> str:
    stem = fold(PurePosixPath(path).stem)
    return re.sub(r"^\s*[\(（\[【]?\s*\d{1,3}\s*[\)）\]】]?\s*[-_.、．\s]*", "", stem)


def entry_index(path: str, titles: list[str]) -> int | None:
    """The one system entry whose title the file's name carries (titles folded, without spaces)."""
    stem = "".join(_stem(path).split())
    hits = [i for i, t in enumerate(titles) if t and (t in stem or (len(stem) >= 4 and stem in t))]
    return hits[0] if len(hits) == 1 else None


def natural_order(paths: list[str], titles: list[str] | None = None, years_of=None) -> list[str]:
    """With `years_of` (path -> the years the file covers; for a material of several years), the
    earliest year first (files without a year after); then the leading number (files without one
    after), then the position of the system entry a name carries (for materials kept in the
    system's order), then name."""
    def key(p: str):
        n = leading_number(p.rsplit("/", 1)[-1])
        entry = entry_index(p, titles) if titles else None
        years = years_of(p) if years_of is not None else ()
        return (not years, min(years) if years else 0, max(years) if years else 0,
                n is None, n if n is not None else 0, entry is None, entry or 0, p)

    return sorted(paths, key=key)
