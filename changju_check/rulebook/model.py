"""Typed records for the rule files (rules/<year>/*.yaml).

The guide as data: one catalogue of materials (catalogue.yaml), one file per
category that references the catalogue by id, the offline/not-open project
types (offline.yaml) and the binding rules of 附件4 (binding.yaml).

Every model forbids unknown keys, so a typo in a rule file is an error that
names the key, never a silently dropped rule.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Collection, Iterable, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from changju_check.report import Msg


class Strict(BaseModel):
    # defer_build: the validators are built on first validation, not at import, so a rule set
    # restored from the cache (see rules/__init__.py) costs no schema building at start-up
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class Text(Strict):
    """A text in both languages."""

    zh: str
    en: str

    def msg(self) -> Msg:
        return Msg(zh=self.zh, en=self.en)

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


# --------------------------------------------------------------------------- conditions


class Condition(Strict):
    """A predicate over the manifest's facts.

    Exactly one form: a fact test (`fact` with `equals`, `at_least` or `below`),
    or a combination (`all`, `any`, `not`). `if_unknown` is the value of a fact
    test when the manifest does not give the fact.
    """

    fact: str | None = None
    equals: bool | int | float | str | None = None
    at_least: float | None = None
    below: float | None = None
    all: list[Condition] | None = None
    any: list[Condition] | None = None
    not_: Condition | None = Field(default=None, alias="not")
    if_unknown: bool = False

    @model_validator(mode="after")
    def _one_form(self) -> "Condition":
        forms = [self.fact is not None, self.all is not None, self.any is not None, self.not_ is not None]
        if sum(forms) != 1:
            raise ValueError("a condition has exactly one of: fact, all, any, not")
        if self.fact is not None:
            tests = [self.equals is not None, self.at_least is not None, self.below is not None]
            if sum(tests) != 1:
                raise ValueError(f"condition on fact {self.fact!r} needs exactly one of: equals, at_least, below")
        return self

    def facts(self) -> set[str]:
        if self.fact is not None:
            return {self.fact}
        found: set[str] = set()
        for child in (self.all or []) + (self.any or []) + ([self.not_] if self.not_ else []):
            found |= child.facts()
        return found

    def evaluate(self, fact) -> bool:
        """`fact` maps a fact name to its value, or None when unknown."""
        if self.fact is not None:
            value = fact(self.fact)
            if value is None:
                return self.if_unknown
            if self.equals is not None:
                return value == self.equals
            if self.at_least is not None:
                return value >= self.at_least
            return value < self.below
        if self.all is not None:
            return all(c.evaluate(fact) for c in self.all)
        if self.any is not None:
            return any(c.evaluate(fact) for c in self.any)
        return not self.not_.evaluate(fact)

    def to_data(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, exclude_none=True, exclude_defaults=True)


class Requirement(Strict):
    """`required: {when: ...}` or `{unless: ...}`, with the guide's words for it."""

    when: Condition | None = None
    unless: Condition | None = None
    text: Text

    @model_validator(mode="after")
    def _one(self) -> "Requirement":
        if (self.when is None) == (self.unless is None):
            raise ValueError("a requirement has exactly one of: when, unless")
        return self

    def evaluate(self, fact) -> bool:
        if self.when is not None:
            return self.when.evaluate(fact)
        return not self.unless.evaluate(fact)

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.when is not None:
            data["when"] = self.when.to_data()
        else:
            data["unless"] = self.unless.to_data()
        data["text"] = self.text.model_dump()
        return data


class Accept(Strict):
    """What satisfies an item: `choose` of the materials in `of`, when `when` holds."""

    of: list[str] = Field(min_length=1)
    choose: int = Field(default=1, ge=1)
    when: Condition | None = None
    text: Text | None = None

    @model_validator(mode="after")
    def _choose_fits(self) -> "Accept":
        if self.choose > len(self.of):
            raise ValueError(f"choose {self.choose} of only {len(self.of)} materials")
        return self


# --------------------------------------------------------------------------- constraints


class YearsConstraint(Strict):
    """One file (or a file covering it) per listed year. → CJ102"""

    type: Literal["years"]
    years: list[int] = Field(min_length=1)
    material: str | None = None  # only this material's files (default: the whole item)


class ContractConstraint(Strict):
    """合同期限不低于N年，且合同剩余有效期在M个月以上 (both bounds included). → CJ201, CJ202"""

    type: Literal["contract"]
    min_years: int = Field(ge=0)
    min_remaining_months: int = Field(ge=0)
    # 有效期内: the contract must be in force on the reference date (start ≤ as_of ≤ end); otherwise
    # a contract that starts later (a renewal) is only pointed out
    in_force: bool = False
    material: str = "labor_contract"


class EquityConstraint(Strict):
    """占股权不低于N%, 第一大自然人股东. → CJ203, CJ204"""

    type: Literal["equity"]
    min_percent: float = Field(ge=0, le=100)
    largest_natural_person: bool = False


class OrderedConstraint(Strict):
    """须与系统填报…顺序保持一致: files follow the manifest's `entries.<entries>`. → CJ207"""

    type: Literal["ordered"]
    entries: Literal[
        "patents", "awards", "projects", "standards", "papers", "unit_patents", "unit_awards", "unit_projects", "innovations"
    ]


class RecentConstraint(Strict):
    """近N年: a year older than the N calendar years before the reference year. → CJ210"""

    type: Literal["recent"]
    years: int = Field(ge=1)


class MinPagesConstraint(Strict):
    """Each file needs at least N pages (a paper's cover, contents, article/byline). → CJ211"""

    type: Literal["min_pages"]
    pages: int = Field(ge=1)
    parts: list[Text] = Field(default_factory=list)


class MaxCountConstraint(Strict):
    """At most N photos (image files, or pages of a PDF of photos). → CJ206; fewer than `min` → CJ214"""

    type: Literal["max_count"]
    max: int = Field(ge=1)
    min: int = Field(default=0, ge=0)  # at least this many photos (→ CJ214, a warning)
    # a PDF counts (one photo a page) only when its path has one of these words; image files always count
    pdf_words: list[str] = Field(default_factory=list)


class ContentsConstraint(Strict):
    """A checklist of contents the document must cover (not verifiable from file names)."""

    type: Literal["contents"]
    items: list[Text] = Field(min_length=1)


Constraint = Annotated[
    Union[
        YearsConstraint,
        ContractConstraint,
        EquityConstraint,
        OrderedConstraint,
        RecentConstraint,
        MinPagesConstraint,
        MaxCountConstraint,
        ContentsConstraint,
    ],
    Field(discriminator="type"),
]


# --------------------------------------------------------------------------- catalogue


class Part(Strict):
    """One of the documents a two-part material is made of (“学历、学位证书”: the 学历 certificate and
    the 学位 certificate). A file covers the parts its name or its page says."""

    key: str
    title: str
    title_en: str
    keywords: list[str] = Field(default_factory=list)  # words in a file's name that say it is this part
    documents: list[str] = Field(default_factory=list)  # real documents (scan/layouts kinds) that are this part
    unless: Condition | None = None  # the part is not needed when this holds (no degree: no 学位 part)


class MaterialDef(Strict):
    """A kind of document, shared by every category that asks for it."""

    title: str
    title_en: str
    keywords: list[str] = Field(min_length=1)  # how people name the scans; the longest match wins
    exclude: list[str] = Field(default_factory=list)  # a name with one of these is not this material
    seal: bool = False  # the guide asks for the unit's seal (加盖公章) on it
    images: bool = False  # a folder of photos: image files are expected
    # facts `check --read-scans` reads from its first page(s)
    scan: list[Literal["contract", "identity", "audit_year", "iit_years", "licence_name"]] = Field(default_factory=list)
    # where a category has no item of this material, a file of it is filed as the first of these
    # the category asks for (高新技术企业证书 is a 资质: 申报单位奖项及资质获得情况)
    counts_as: list[str] = Field(default_factory=list)
    # the documents the material is made of; a file covers the parts its name or page says, every
    # part when it says none (or a word of `all_parts`); not asked for when `parts_unless` holds
    parts: list[Part] = Field(default_factory=list)
    all_parts: list[str] = Field(default_factory=list)  # words in a name that say the file covers every part
    parts_unless: Condition | None = None


class Catalogue(Strict):
    version: int
    materials: dict[str, MaterialDef]
    section_hints: dict[str, list[str]] = Field(default_factory=dict)

    def filed_as(self, materials: Iterable[str]) -> list[str]:
        """What a document that is `materials` (its own first) may be filed as: those, then the
        materials their `counts_as` names, each once (a 高新技术企业证书 is also a 资质:
        申报单位奖项及资质获得情况). The one reading of `counts_as` for file names, text layers and
        OCR'd pages alike."""
        out: list[str] = []
        for material in materials:
            if material not in out:
                out.append(material)
        for material in list(out):
            definition = self.materials.get(material)
            for target in definition.counts_as if definition is not None else ():
                if target not in out:
                    out.append(target)
        return out

    def filed_in(self, materials: Iterable[str], asked: Collection[str]) -> str | None:
        """The material a document that is `materials` is filed as in a category asking for
        `asked`: the first of them it asks for, else the first their `counts_as` names (None: none)."""
        return next((m for m in self.filed_as(materials) if m in asked), None)

    def filed_from(self, material: str) -> set[str]:
        """The materials whose documents may be filed as `material` (itself and those counting as it)."""
        return {material} | {m for m, d in self.materials.items() if material in d.counts_as}


# --------------------------------------------------------------------------- categories


@cache
def _single_case(material: str) -> list[Accept]:
    return [Accept(of=[material])]  # Accept is frozen: sharing the record is safe; nobody changes the list


class Item(Strict):
    """One numbered line of the guide."""

    id: str | None = None  # defaults to the single material's id
    number: str
    title: str  # as the guide words it
    title_en: str | None = None  # defaults to the catalogue's
    note: str | None = None  # the guide's note in parentheses, verbatim
    note_en: str | None = None
    required: bool | Requirement = False
    applies: Requirement | None = None  # the item concerns only some applicants (e.g. teams)
    material: str | None = None
    accepts: list[Accept] | None = None
    constraints: list[Constraint] = Field(default_factory=list)
    reading: str | None = None  # how we read an ambiguous sentence of the guide (documented choice)

    @model_validator(mode="after")
    def _material_or_accepts(self) -> "Item":
        if (self.material is None) == (self.accepts is None):
            raise ValueError("an item has exactly one of: material, accepts")
        if self.id is None and self.material is None:
            raise ValueError("an item with `accepts` needs an `id`")
        return self

    @property
    def key(self) -> str:
        return self.id or self.material  # type: ignore[return-value]

    def cases(self) -> list[Accept]:
        """The item's cases; an item of one material has the one case "that material" (one
        shared record per material: the checks ask for it hundreds of times a packet)."""
        if self.accepts is not None:
            return self.accepts
        return _single_case(self.material)  # type: ignore[arg-type]

    def all_materials(self) -> list[str]:
        seen: list[str] = []
        for case in self.cases():
            for m in case.of:
                if m not in seen:
                    seen.append(m)
        return seen

    def active_case(self, fact) -> Accept:
        for case in self.cases():
            if case.when is None or case.when.evaluate(fact):
                return case
        return self.cases()[-1]

    def is_applicable(self, fact) -> bool:
        """False where the guide says the item does not concern this applicant."""
        if self.applies is not None and not self.applies.evaluate(fact):
            return False
        if isinstance(self.required, Requirement) and not self.required.evaluate(fact):
            return False
        return True

    def is_required(self, fact) -> bool:
        if isinstance(self.required, bool):
            return self.required
        return self.required.evaluate(fact)

    def required_data(self) -> bool | dict[str, Any]:
        if isinstance(self.required, bool):
            return self.required
        return self.required.to_data()


class Section(Strict):
    key: Literal["unit", "person", "registration", "forum"]
    number: str | None = None  # "1" / "2" in the guide; None where the guide numbers items only
    title: str
    title_en: str
    items: list[Item]


class RecommendationRule(Strict):
    """《申报表》申报单位意见: 推荐理由 要求50-200字. → CJ205"""

    min_chars: int = Field(ge=0)
    max_chars: int = Field(ge=1)
    source: str


class Category(Strict):
    key: str
    title: str
    title_en: str
    # one line on who the category is for, from the guide's words: the desk app's chooser,
    # `list-required`, `categories` and the site's checklist pages show it
    audience: Text = Field(description="one line on who the category is for, in the guide's words (zh and en)")
    guide_section: str  # where the guide lists it, e.g. "三（二）"
    aliases: list[str] = Field(default_factory=list)
    mode: Literal["online"] = "online"
    binding: str | None = None  # key into binding.yaml's covers; None: not bound (registration)
    facts: list[str] = Field(default_factory=list)  # the manifest facts this category uses
    recommendation: RecommendationRule | None = None
    sections: list[Section]
    note: str | None = None  # the guide's closing note (标有“*”的项目为必要提交材料 ...)
    readings: list[str] = Field(default_factory=list)  # documented choices where the guide is ambiguous

    @field_validator("audience")
    @classmethod
    def _audience_said(cls, audience: Text) -> Text:
        empty = [lang for lang in ("zh", "en") if not getattr(audience, lang).strip()]
        if empty:
            raise ValueError(f"{' and '.join(empty)} is empty: say who the category is for, in the guide's words")
        return audience

    def items(self) -> list[tuple[Section, Item]]:
        return [(s, i) for s in self.sections for i in s.items]

    def material_ids(self) -> list[str]:
        ids: list[str] = []
        for _, item in self.items():
            for m in item.all_materials():
                if m not in ids:
                    ids.append(m)
        return ids


# --------------------------------------------------------------------------- offline types and binding


class OfflineType(Strict):
    key: str
    title: str
    title_en: str
    aliases: list[str] = Field(default_factory=list)
    mode: Literal["offline", "external", "not_open"]
    guide_section: str
    explanation: Text
    # the type also takes over a packet of any category that uses the condition's facts, when it holds
    # (一（二）1: 凡涉及拥有市级及以上人才头衔个人信息的项目，均采用线下申报形式); `reason` says why
    when: Condition | None = None
    reason: Text | None = None

    @model_validator(mode="after")
    def _reason_with_when(self) -> "OfflineType":
        if (self.when is None) != (self.reason is None):
            raise ValueError("`when` and `reason` go together")
        return self


class OfflineTypes(Strict):
    version: int
    types: list[OfflineType]


class Cover(Strict):
    category: str
    colour: Text
    copies: int = Field(ge=1)


class Binding(Strict):
    """附件4《系统申报材料装订须知》."""

    version: int
    covers: list[Cover]
    double_sided: bool
    binding_method: Text  # 无线胶装
    spine: Text  # 书脊处不添加文字
    cover_page: Text  # 以下载材料首页为封面
    toc: Text  # 附件材料目录 placement
    signatures: Text  # 申报表 signatures and 申报单位意见
    stamps: list[Text]  # the stamping list
    seam_stamps: Text  # 2~3个骑缝章

    def cover_for(self, category: str) -> Cover | None:
        for cover in self.covers:
            if cover.category == category:
                return cover
        return None
