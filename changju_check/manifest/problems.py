"""What is wrong with a manifest, in words and with lines: `ManifestProblem`, `ManifestError`
(file, dotted field path, line; bilingual via ``to_msg()``), built from YAML and pydantic errors."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
)

from changju_check.manifest.model import (
    Applicant,
    Contract,
    Entries,
    Entry,
    Equity,
    Manifest,
    Unit,
    Waiver,
    _kind,
    nearest_line,
)
from changju_check.report import Msg, PortableError

# --- errors --------------------------------------------------------------------------------------


class ManifestProblem(BaseModel):
    """One thing wrong with the manifest."""

    model_config = ConfigDict(frozen=True)

    field: str | None  # dotted path, e.g. "applicant.contract.end" or "waive.0.reason"
    line: int | None
    column: int | None = None
    message: Msg


MAX_PROBLEMS_SHOWN = 20


class ManifestError(PortableError):
    """The manifest cannot be used. Names the file, the field path and the line.

    ``message`` (English) and ``message_zh`` describe the first problem; ``problems``
    lists all of them (pydantic may find several at once). ``kind`` is ``"yaml"``
    (the file is not readable YAML; ``yaml_kind`` says why: syntax, duplicate-key,
    alias, too-large, encoding, too-deep ...), ``"structure"`` (top level not a
    mapping), ``"field"`` (a field is wrong) or ``"io"`` (the file cannot be read).
    """

    def __init__(
        self, source: str, problems: list[ManifestProblem], *, kind: str, yaml_kind: str | None = None, partial: Any = None
    ):
        self.source = source
        # what could still be read: a Manifest of the valid facts (the lines that broke the YAML and
        # the fields that were invalid left out), so the packet still gets its checklist; or None
        self.partial = partial
        self.problems = problems
        self.kind = kind
        self.yaml_kind = yaml_kind
        first = problems[0]
        self.field = first.field
        self.line = first.line
        self.column = first.column
        self.message = first.message.en
        self.message_zh = first.message.zh
        super().__init__(self._render("en"))

    def _prefix(self, problem: ManifestProblem) -> str:
        loc = self.source
        if problem.line is not None:
            loc += f":{problem.line}"
            if problem.column is not None:
                loc += f":{problem.column}"
        return f"{loc}: {problem.field}: " if problem.field else f"{loc}: "

    def _render(self, lang: str) -> str:
        shown = [self._prefix(p) + p.message.get(lang) for p in self.problems[:MAX_PROBLEMS_SHOWN]]
        hidden = len(self.problems) - len(shown)
        if hidden > 0:
            shown.append(f"... 另有 {hidden} 处问题" if lang == "zh" else f"... and {hidden} more")
        return "\n".join(shown)

    def __str__(self) -> str:
        return self._render("en")

    def to_msg(self) -> Msg:
        """All problems, one per line, in both languages."""
        return Msg(zh=self._render("zh"), en=self._render("en"))


def _dotted(loc: tuple) -> str:
    return ".".join(str(part) for part in loc) if loc else "(top level)"


def _known_keys(parent: tuple) -> list[str]:
    model: Any = Manifest
    for part in parent:
        if isinstance(part, int):
            continue
        if model is None or part not in getattr(model, "model_fields", {}):
            return []
        model = _CHILD_MODELS.get((model, part))
    return list(model.model_fields) if model is not None else []


# (model, field) -> the model its items are, for "did you mean" on unknown keys
_CHILD_MODELS: dict[tuple, Any] = {
    (Manifest, "unit"): Unit,
    (Manifest, "applicant"): Applicant,
    (Manifest, "entries"): Entries,
    (Manifest, "waive"): Waiver,
    (Applicant, "contract"): Contract,
    (Applicant, "equity"): Equity,
    **{(Entries, name): Entry for name in Entries.model_fields},
}


def _problem(error: dict[str, Any], lines: dict[tuple, int]) -> ManifestProblem:
    loc = tuple(error["loc"])
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if loc and loc[-1] == "[key]":  # a mapping key of the wrong type, e.g. `materials: {1: a.pdf}`
        loc = loc[:-1]
        key = loc[-1] if loc else None
        en, zh = f"the key {key!r} must be text", f"键 {key!r} 应为文本"
    elif kind == "changju":
        en, zh = ctx["en"], ctx["zh"]
    elif kind == "invalid_key" and not _known_keys(loc[:-1]):
        key = loc[-1] if loc else None
        en, zh = f"the key {key!r} must be text", f"键 {key!r} 应为文本"
    elif kind in ("extra_forbidden", "invalid_key"):
        key = loc[-1] if loc else None
        known = _known_keys(loc[:-1])
        close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6) if known else []
        en = f"unknown key {key!r}"
        zh = f"未知的键 {key!r}"
        if close:
            en += f"; did you mean {close[0]!r}?"
            zh += f"；是否应为 {close[0]!r}？"
        elif known:
            en += f"; expected one of: {', '.join(known)}"
            zh += f"；可用的键：{', '.join(known)}"
    elif kind == "missing":
        en, zh = f"required key {loc[-1]!r} is missing", f"缺少必填的键 {loc[-1]!r}"
    elif kind in ("model_type", "model_attributes_type", "dict_type"):
        got_en, got_zh = _kind(error.get("input"))
        en, zh = f"expected a mapping (key: value), got {got_en}", f"应为映射（键: 值），实际为{got_zh}"
    elif kind == "list_type":
        got_en, got_zh = _kind(error.get("input"))
        en, zh = f"expected a list, got {got_en}", f"应为列表，实际为{got_zh}"
    else:  # not expected with the validators above; keep pydantic's words
        en, zh = error["msg"], f"取值无效：{error['msg']}"
    line = nearest_line(lines, loc)
    return ManifestProblem(field=_dotted(loc), line=line, message=Msg(zh=zh, en=en))
