"""File name (and text layer) → material id, with the keywords kept in the rule catalogue.

A file is matched by the longest catalogue keyword found in its name; a name
with one of the material's `exclude` words is not that material. When the name
says nothing, the names of its folders are tried ("照片/IMG_001.jpg"), and
then, if the caller gives it, the PDF's text layer. Folder names that say
whose material it is (申报单位 / 申报人) break ties between a unit's and a
person's material. Years in a name ("2021年度", "2021-2022", "202101-202212",
"2021年1月-2022年12月") tie the file to those years.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath

from changju_check.rulebook.model import Catalogue, Category

# a year as names write it, alone or with its month (and day), the way downloads name files:
# 2021, 2021年度, 202101, 20210131, 2021.01, 2021-01, 2021/1, 2021年1月, 2021年1月31日
_DATEISH = re.compile(
    r"(?<!\d)(20\d{2})"
    r"(?:(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])?(?!\d)"
    r"|\s*[.\-/年]\s*(?:1[0-2]|0?[1-9])(?!\d)(?:\s*月)?(?:\s*[.\-/]?\s*(?:3[01]|[12]\d|0?[1-9])(?!\d)\s*日?)?"
    r"|\s*年度?"
    r"|(?!\d))"
)
_RANGE_SEP = re.compile(r"^\s*(?:-|–|—|~|～|至|到)\s*$")
_MEMO_LIMIT = 20_000  # names remembered per recogniser (a batch of 1000 packets of 25 files)
_LEADING_NUMBER = re.compile(r"^\s*[\(（\[【]?\s*(\d{1,3})(?!\d)")


def fold(text: str) -> str:
    """The comparable form of a name: NFKC (full-width → half-width), lower case."""
    return unicodedata.normalize("NFKC", text).casefold()


@lru_cache(maxsize=4096)  # file names, asked about by several checks, packet after packet
def years_in(text: str) -> tuple[int, ...]:
    """Years named in a text; a range names every year in it: "2020-2022", "202101-202212",
    "2021.01-2022.12", "2021年1月-2022年12月" (a span of at most ten years)."""
    text = fold(text)
    found: set[int] = set()
    tokens = list(_DATEISH.finditer(text))
    for i, m in enumerate(tokens):
        found.add(int(m.group(1)))
        if i + 1 < len(tokens) and _RANGE_SEP.match(text[m.end() : tokens[i + 1].start()]):
            a, b = int(m.group(1)), int(tokens[i + 1].group(1))
            if a <= b <= a + 10:
                found.update(range(a, b + 1))
    return tuple(sorted(found))


@lru_cache(maxsize=4096)
def leading_number(name: str) -> int | None:
    """The order number a file name starts with ("01-…", "(2)…"), not a year."""
    m = _LEADING_NUMBER.match(fold(PurePosixPath(name).stem))
    return int(m.group(1)) if m else None


@dataclass(frozen=True)
class Match:
    materials: tuple[str, ...]  # the best-scoring materials; more than one is ambiguous
    score: float
    source: str  # "name" | "folder" | "text" | "manifest" | "none"
    keyword: str = ""

    @property
    def material(self) -> str | None:
        return self.materials[0] if len(self.materials) == 1 else None


NO_MATCH = Match((), 0.0, "none")


class Recogniser:
    """Matches names against the materials of one category (plus the application form)."""

    def __init__(self, catalogue: Catalogue, category: Category, extra: tuple[str, ...] = ("application_form",)):
        self.catalogue = catalogue
        self.category = category
        self.section_of: dict[str, str] = {}
        for section, item in category.items():
            for material in item.all_materials():
                self.section_of.setdefault(material, section.key)
        self.candidates = [m for m in category.material_ids()] + [m for m in extra if m in catalogue.materials]
        # a material the category has no item for, filed as another it has (catalogue `counts_as`:
        # 高新技术企业证书 is a 资质 of 申报单位奖项及资质获得情况): its keywords recognise that one
        self.counts_as: dict[str, str] = {}
        for m in catalogue.materials:
            if m not in self.candidates:
                target = catalogue.filed_in([m], self.candidates)
                if target is not None:
                    self.counts_as[m] = target
        self._scored = self.candidates + list(self.counts_as)
        self._keywords = {
            m: sorted({fold(k) for k in catalogue.materials[m].keywords}, key=len, reverse=True) for m in self._scored
        }
        self._excludes = {m: [fold(x) for x in catalogue.materials[m].exclude] for m in self._scored}
        self._hints = {section: [fold(h) for h in hints] for section, hints in catalogue.section_hints.items()}
        # catalogue materials outside this category, to explain an unmatched file
        self._others = [m for m in catalogue.materials if m not in self._scored]
        # a batch meets the same relative paths again and again (身份证.pdf, 2-申报人材料/劳动合同.pdf):
        # a name's match depends on nothing else, so it is worked out once per recogniser
        self._by_name: dict[str, Match] = {}

    def _score(self, text: str, materials: list[str]) -> dict[str, tuple[int, str]]:
        scores: dict[str, tuple[int, str]] = {}
        for m in materials:
            if any(x and x in text for x in self._excludes.get(m, [])):
                continue
            for keyword in self._keywords.get(m) or sorted({fold(k) for k in self.catalogue.materials[m].keywords}, key=len, reverse=True):
                if keyword in text:
                    scores[m] = (len(keyword), keyword)
                    break
        return scores

    def _filed(self, scores: dict[str, tuple[int, str]]) -> dict[str, tuple[int, str]]:
        """Scores of materials the category has no item for, moved to the material they count as."""
        if not self.counts_as or not any(m in self.counts_as for m in scores):
            return scores
        filed: dict[str, tuple[int, str]] = {}
        for m, score in scores.items():
            target = self.counts_as.get(m, m)
            if target not in filed or score[0] > filed[target][0]:
                filed[target] = score
        return filed

    def _best(self, scores: dict[str, tuple[int, str]], folders: str, source: str) -> Match:
        scores = self._filed(scores)
        if not scores:
            return NO_MATCH
        top = max(s for s, _ in scores.values())
        best = sorted(m for m, (s, _) in scores.items() if s == top)
        if len(best) > 1:
            # a folder that says whose material it is breaks the tie
            hinted = [m for m in best if self._section_hinted(folders, self.section_of.get(m))]
            if len(hinted) == 1:
                best = hinted
        return Match(tuple(best), float(top), source, scores[best[0]][1])

    def _section_hinted(self, folders: str, section: str | None) -> bool:
        if section is None:
            return False
        return any(h in folders for h in self._hints.get(section, []))

    def match_name(self, path: str) -> Match:
        found = self._by_name.get(path)
        if found is None:
            if len(self._by_name) >= _MEMO_LIMIT:
                self._by_name.clear()
            found = self._by_name[path] = self._match_name(path)
        return found

    def _match_name(self, path: str) -> Match:
        p = PurePosixPath(path)
        stem = fold(p.stem)
        # whose material it is (申报单位 / 申报人 / 个人 …) may be said by a folder or by the name
        # itself ("诚信声明-单位.pdf"): both break a tie
        folders = fold(path)
        by_name = self._best(self._score(stem, self._scored), folders, "name")
        if by_name.materials:
            return by_name
        for folder in reversed(p.parts[:-1]):
            by_folder = self._best(self._score(fold(folder), self._scored), folders, "folder")
            if by_folder.materials:
                return by_folder
        return NO_MATCH

    def match_text(self, text: str, path: str = "") -> Match:
        """Match on the first page's text: only the keywords of the title-like first lines count."""
        head = fold("".join(text.split())[:200])
        folders = fold("/".join(PurePosixPath(path).parts[:-1]))
        found = self._best(self._score(head, self._scored), folders, "text")
        return found

    def outside_category(self, path: str) -> str | None:
        """A catalogue material (of another category) that the name looks like, if any."""
        stem = fold(PurePosixPath(path).stem)
        scores = self._score(stem, self._others)
        if not scores:
            return None
        top = max(s for s, _ in scores.values())
        best = sorted(m for m, (s, _) in scores.items() if s == top)
        return best[0]
