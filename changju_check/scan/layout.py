"""Document layouts as data: which real document a page is, and its labelled fields and rows.

Each file `scan/layouts/*.yaml` describes one kind of document as applicants download or scan it
(社保 record, 个人所得税纳税记录, 税收完税证明, 营业执照, …): the title `keywords` that identify it,
its labelled `fields` (a label, a typed parser from `parsers.PARSERS`) and its table `rows` (a
regular expression with named groups, each typed). A changed government form is a YAML edit;
`load_layouts()` validates every file with the pydantic models below.

`read_document(pages, layouts)` recognises the document on the first pages' text (a text layer or
OCR lines) and reads every field and row it declares. A field the layout declares but the page
does not give is listed in `Document.missing` ("recognised, but 营业期限 not found") — never
silently empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from changju_check.scan.dates import normalise
from changju_check.scan.parsers import PARSERS, Invalid

__all__ = ["Document", "FieldSpec", "Layout", "LayoutError", "RowSpec", "identify", "load_layouts", "read_document", "read_enough"]

ParserName = Literal[
    "text", "name", "unit_name", "date", "date_range", "year_month", "year_month_range", "id_number",
    "credit_code", "int", "amount", "choice", "code", "period",
]


MAX_PAGE_CHARS = 20_000  # a real form's page holds a few thousand characters; the rest is not read


class LayoutError(Exception):
    pass


def label_regex(label: str) -> str:
    """A label as printed: any spacing between its characters (`名　　称`), `re:` for a raw regex."""
    if label.startswith("re:"):
        return label[3:]
    text = normalise(label)
    return r"\s*".join(re.escape(ch) for ch in text if not ch.isspace())


class FieldSpec(BaseModel):
    """A labelled value: the first label found, then a value of the parser's type after it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    labels: list[str] = Field(min_length=1)
    parser: ParserName
    pattern: str | None = None  # a regex matched right after the label; group `value` is parsed
    window: int = Field(default=60, ge=1, le=400)  # characters after the label searched for a value
    fact: str | None = None  # the evidence fact it gives (default: the field's key)
    required: bool = True  # missing -> said as "recognised, but … not found"
    personal: bool = False  # an ID or social-security number: masked in reports
    title: str | None = None  # how the finding names it (default: the first label)

    @field_validator("labels")
    @classmethod
    def _labels_compile(cls, labels: list[str]) -> list[str]:
        for label in labels:
            try:
                re.compile(label_regex(label))
            except re.error as exc:
                raise ValueError(f"label {label!r}: {exc}") from None
        return labels

    @field_validator("pattern")
    @classmethod
    def _pattern_compiles(cls, pattern: str | None) -> str | None:
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"pattern {pattern!r}: {exc}") from None
        return pattern


class RowSpec(BaseModel):
    """Table rows: every match of `pattern` between `after` and `before`, its groups typed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pattern: str
    types: dict[str, ParserName] = Field(default_factory=dict)
    after: str | None = None  # a label the table follows
    before: str | None = None  # a label the table ends at
    required: bool = True
    title: str | None = None

    @model_validator(mode="after")
    def _groups(self) -> "RowSpec":
        try:
            compiled = re.compile(self.pattern)
        except re.error as exc:
            raise ValueError(f"pattern {self.pattern!r}: {exc}") from None
        unknown = set(self.types) - set(compiled.groupindex)
        if unknown:
            raise ValueError(f"types name groups the pattern lacks: {sorted(unknown)}")
        return self


class Layout(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str
    title: str
    title_en: str
    materials: list[str] = Field(min_length=1)  # the catalogue materials it can be filed as; the first is its own
    keywords: list[str] = Field(min_length=1)  # any of them in the first lines: this document
    exclude: list[str] = Field(default_factory=list)  # any of them: not this document
    head: int = Field(default=400, ge=20)  # characters (spaces removed) searched for the keywords
    pages: int = Field(default=1, ge=1, le=5)  # leading pages its fields are on
    fields: dict[str, FieldSpec] = Field(default_factory=dict)
    rows: dict[str, RowSpec] = Field(default_factory=dict)
    issuer: str | None = None  # whose printed seal a downloaded copy bears (社会保险事业管理中心, 税务局 …)
    readings: list[str] = Field(default_factory=list)  # how the layout is read, in words
    # the facts the checks need of it: once a field of each group is found, the pages after are not
    # OCR'd (the contract's term found on page 2 leaves page 3 unread); empty: read all `pages`
    done_when: list[list[str]] = Field(default_factory=list)

    @model_validator(mode="after")
    def _done_when_fields(self) -> "Layout":
        unknown = sorted({k for group in self.done_when for k in group} - set(self.fields))
        if unknown:
            raise ValueError(f"done_when names fields the layout lacks: {unknown}")
        if any(not group for group in self.done_when):
            raise ValueError("done_when: an empty group")
        return self

    @property
    def material(self) -> str:
        return self.materials[0]


@dataclass
class Document:
    """One recognised document and what its pages gave."""

    layout: Layout
    values: dict[str, Any] = field(default_factory=dict)  # field key -> typed value
    pages: dict[str, int] = field(default_factory=dict)  # field / row key -> 1-based page
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # field key -> span in that page's text
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # required fields / rows not found
    invalid: dict[str, str] = field(default_factory=dict)  # field -> the value whose check character failed

    @property
    def kind(self) -> str:
        return self.layout.kind

    def get(self, key: str) -> Any:
        return self.values.get(key)

    def fact_name(self, key: str) -> str:
        spec = self.layout.fields.get(key)
        return (spec.fact if spec is not None and spec.fact else key)

    def missing_titles(self) -> list[str]:
        out = []
        for key in self.missing:
            spec = self.layout.fields.get(key) or self.layout.rows.get(key)
            title = getattr(spec, "title", None) or (
                spec.labels[0] if isinstance(spec, FieldSpec) else key)
            out.append(title.replace("re:", ""))
        return out


# ---------------------------------------------------------------------------- loading

@lru_cache(maxsize=4)
def load_layouts(directory: str | None = None) -> tuple[Layout, ...]:
    """Every layout file, validated; `directory` defaults to the package's own `scan/layouts/`."""
    import yaml

    if directory is None:
        files = sorted((p for p in resources.files("changju_check.scan").joinpath("layouts").iterdir()
                        if p.name.endswith(".yaml")), key=lambda p: p.name)
    else:
        from pathlib import Path

        files = sorted(Path(directory).glob("*.yaml"))
    layouts = []
    kinds: set[str] = set()
    for path in files:
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
            layout = Layout.model_validate(data)
        except (yaml.YAMLError, ValidationError) as exc:
            raise LayoutError(f"{path.name}: {exc}") from None
        if layout.kind in kinds:
            raise LayoutError(f"{path.name}: kind {layout.kind!r} is declared twice")
        kinds.add(layout.kind)
        layouts.append(layout)
    return tuple(layouts)


@lru_cache(maxsize=512)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _squash(text: str) -> str:
    return "".join(normalise(text).split())


@lru_cache(maxsize=1024)
def _squashed(keyword: str) -> str:
    """A layout's keyword squashed like the page (the same few hundred, for every page read)."""
    return _squash(keyword)


def identify(text: str, layouts: tuple[Layout, ...] | None = None, materials: set[str] | None = None) -> Layout | None:
    """The layout whose title keyword comes first in the page's head (spaces ignored).

    `materials`: only layouts that can be filed as one of these (None: any)."""
    head = _squash(text)
    best: tuple[int, int, Layout] | None = None
    for layout in layouts if layouts is not None else load_layouts():
        if materials is not None and not set(layout.materials) & materials:
            continue
        window = head[:layout.head]
        if any(_squashed(x) in head for x in layout.exclude):
            continue
        for keyword in layout.keywords:
            pos = window.find(_squashed(keyword))
            if pos < 0:
                continue
            key = (pos, -len(keyword))
            if best is None or key < best[:2]:
                best = (pos, -len(keyword), layout)
    return best[2] if best else None


def _read_field(spec: FieldSpec, text: str) -> tuple[Any, tuple[int, int]] | None:
    parser = PARSERS[spec.parser]
    for label in spec.labels:
        for m in _compiled(label_regex(label)).finditer(text):
            rest = text[m.end():m.end() + spec.window]
            if spec.pattern is not None:
                pm = _compiled(spec.pattern).search(rest)
                if not pm:
                    continue
                raw = pm.group("value") if "value" in pm.groupdict() else pm.group(0)
                got = parser(raw)
                if got is None:
                    continue
                return got[0], (m.start(), m.end() + pm.end())
            got = parser(rest)
            if got is not None:
                return got[0], (m.start(), m.end() + got[1])
    return None


def _read_rows(spec: RowSpec, text: str) -> list[dict[str, Any]]:
    start, end = 0, len(text)
    if spec.after:
        m = _compiled(label_regex(spec.after)).search(text)
        if not m:
            return []
        start = m.end()
    if spec.before:
        m = _compiled(label_regex(spec.before)).search(text, start)
        if m:
            end = m.start()
    rows = []
    for m in _compiled(spec.pattern).finditer(text, start, end):
        row: dict[str, Any] = {"_span": m.span()}
        ok = True
        for group, raw in m.groupdict().items():
            if raw is None:
                row[group] = None
                continue
            kind = spec.types.get(group)
            if kind is None:
                row[group] = raw.strip()
                continue
            got = PARSERS[kind](raw)
            if got is None:
                ok = False
                break
            row[group] = got[0]
        if ok:
            rows.append(row)
    return rows


def read_enough(kind: str | None, pages: list[str]) -> bool:
    """Whether the leading `pages` (their text, first page first) already give every fact the
    layout `kind` needs (its `done_when`): the pages after them need not be read."""
    layout = next((lay for lay in load_layouts() if lay.kind == kind), None) if kind else None
    if layout is None or not layout.done_when or not pages:
        return False
    doc = read_document(pages, layout=layout)
    return doc is not None and all(any(k in doc.values for k in group) for group in layout.done_when)


def read_document(pages: list[str], layouts: tuple[Layout, ...] | None = None,
                  materials: set[str] | None = None, layout: Layout | None = None) -> Document | None:
    """Recognise the document on its pages' text (first page first) and read its fields and rows.

    Returns None when no layout's keywords are on the first page (or the first two, for a
    document with a cover page: the 人社部 contract)."""
    texts = [normalise(p or "")[:MAX_PAGE_CHARS] for p in pages]
    if layout is None:
        for i, text in enumerate(texts[:2]):
            layout = identify(text, layouts, materials)
            if layout is not None:
                break
    if layout is None:
        return None
    doc = Document(layout)
    scope = texts[:layout.pages]
    for key, spec in layout.fields.items():
        for page_no, text in enumerate(scope, 1):
            got = _read_field(spec, text)
            if got is None:
                continue
            value, span = got
            if isinstance(value, Invalid):
                doc.invalid[key] = value.text
            else:
                doc.values[key] = value
            doc.pages[key] = page_no
            doc.spans[key] = span
            break
        if key not in doc.pages and spec.required:
            doc.missing.append(key)
    for key, spec in layout.rows.items():
        for page_no, text in enumerate(scope, 1):
            rows = _read_rows(spec, text)
            if rows:
                for row in rows:
                    row["_page"] = page_no
                doc.rows.setdefault(key, []).extend(rows)
                doc.pages.setdefault(key, page_no)
        if key not in doc.rows and spec.required:
            doc.missing.append(key)
    if (layout.fields or layout.rows) and not doc.pages:
        return None  # the title is quoted, but none of the form's fields is there: not this document
    return doc
