"""Which parts of a two-part material a file covers (catalogue `parts`): “学历、学位证书” is the 学历
certificate and the 学位 certificate, “学历、学位认证书” the verification of each.

The page decides where a real document was recognised on it (学信网 备案表: the 学历 part; 学位在线
验证报告: the 学位 part); else the file's name, then its folders' names: a word of `all_parts`
(学历学位证书) says every part, a part's keywords say that part. A file that says no part is
counted as covering every part: only a part known to be missing is reported.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from changju_check.recognise.names import fold
from changju_check.rulebook.model import MaterialDef


def file_parts(definition: MaterialDef, path: str, kinds: frozenset[str] | set[str] = frozenset()) -> frozenset[str]:
    """The keys of the parts `path` covers (`kinds`: the real documents recognised on its pages)."""
    every = frozenset(p.key for p in definition.parts)
    by_page = frozenset(p.key for p in definition.parts if set(p.documents) & set(kinds))
    if by_page:
        return by_page
    p = PurePosixPath(path)
    for text in [p.stem, *reversed(p.parts[:-1])]:
        name = "".join(fold(text).split())
        if any(fold(k) in name for k in definition.all_parts):
            return every
        said = frozenset(part.key for part in definition.parts if any(fold(k) in name for k in part.keywords))
        if said:
            return said
    return every


def needed_parts(definition: MaterialDef, fact) -> list[str]:
    """The parts the applicant must give (none when the material is not asked for in parts)."""
    if not definition.parts or (definition.parts_unless is not None and definition.parts_unless.evaluate(fact)):
        return []
    return [p.key for p in definition.parts if p.unless is None or not p.unless.evaluate(fact)]


def missing_parts(definition: MaterialDef, fact, files: list[str], kinds_of) -> list[str]:
    """The needed parts none of `files` covers (`kinds_of`: path -> document kinds on its pages)."""
    needed = needed_parts(definition, fact)
    if not needed:
        return []
    covered: set[str] = set()
    for path in files:
        covered |= file_parts(definition, path, kinds_of(path))
    return [key for key in needed if key not in covered]
