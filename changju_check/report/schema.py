"""The JSON report's schema: what `changju check --format json` writes, as pydantic models.

`changju schema --report` publishes it (JSON Schema 2020-12); `changju summary` validates every
report it is given against it before counting a single packet: a report it cannot validate is an
error naming the file and the JSON path (exit 2), never a pass. Beyond the types (strict: `"ok":
"false"` is not a boolean, `1e400` or `NaN` is not a count), a report must agree with itself:
`ok` is true exactly when it counts no error and has no fatal finding, its counts are the counts
of its findings, and a packet that is ready to bind passed — a hand-edited "✓ 通过" does not.

Fields a later version adds are allowed (and not read); every field the summary reads is
checked. Imported only by the commands that need it (pydantic is not loaded by `--help`).
"""

from __future__ import annotations

from typing import Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

NAME_PATTERN = r"\S"  # a packet's name: not empty, not only spaces
CODE_PATTERN = r"^CJ[0-9]{3}$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
Count = Field(ge=0, le=10**9)


class _Doc(BaseModel):
    # strict: no "false" for False, no 2.0 for 2; extra keys (a later version's) are allowed
    model_config = ConfigDict(strict=True, extra="allow")


class FindingDoc(_Doc):
    code: str = Field(pattern=CODE_PATTERN)
    severity: Literal["error", "warning", "review", "info"]
    material: str | None = None
    file: str | None = None
    line: int | None = Field(None, ge=0)
    page: int | None = Field(None, ge=1)
    message: str
    waived: str | None = None


class MaterialDoc(_Doc):
    id: str
    section: str
    number: str
    title: str
    title_en: str | None = None
    required: Union[bool, dict[str, Any]]
    required_now: bool
    status: Literal["present", "missing", "waived", "not_applicable", "optional_missing"]
    files: list[str]
    waived: str | None = None


class EvidenceDoc(_Doc):
    material: str
    file: str
    page: int = Field(ge=0)
    fact: str
    value: str
    confidence: float = Field(ge=0, le=1, allow_inf_nan=False)
    box: list[float] | None = Field(None, min_length=4, max_length=4)


class CountsDoc(_Doc):
    errors: int = Count
    warnings: int = Count
    infos: int = Count
    waived: int = Count


class PacketReport(_Doc):
    """One packet's report (`changju check PACKET --format json`)."""

    ok: bool
    category: str
    category_title: str
    as_of: str = Field(pattern=DATE_PATTERN)
    packet: str = Field(pattern=NAME_PATTERN)
    manifest: str | None
    config: str | None = None
    materials: list[MaterialDoc]
    findings: list[FindingDoc]
    summary: CountsDoc
    ready_to_bind: bool
    fatal: FindingDoc | None = None
    evidence: list[EvidenceDoc] = []

    @model_validator(mode="after")
    def _agrees_with_itself(self) -> "PacketReport":
        active = [f for f in self.findings if f.waived is None]
        errors = sum(1 for f in active if f.severity == "error") + (1 if self.fatal is not None else 0)
        warnings = sum(1 for f in active if f.severity == "warning")
        waived = sum(1 for f in self.findings if f.waived is not None)
        s = self.summary
        if (s.errors, s.warnings, s.waived) != (errors, warnings, waived):
            raise _inconsistent(
                f"summary counts {s.errors} errors, {s.warnings} warnings, {s.waived} waived, but the findings hold "
                f"{errors}, {warnings} and {waived}",
                f"summary 计有 {s.errors} 个错误、{s.warnings} 个警告、{s.waived} 项豁免，而 findings 中是 {errors}、{warnings}、{waived}",
            )
        if self.ok != (errors == 0):
            raise _inconsistent(f"ok is {str(self.ok).lower()} but the report counts {errors} error(s)",
                                f"ok 为 {str(self.ok).lower()}，而报告计有 {errors} 个错误")
        if self.ready_to_bind and not self.ok:
            raise _inconsistent("ready_to_bind is true for a packet that did not pass", "未通过的材料包 ready_to_bind 却为 true")
        return self


def _inconsistent(en: str, zh: str) -> PydanticCustomError:
    return PydanticCustomError("inconsistent", "{en}", {"en": en, "zh": zh})


class BatchCounts(_Doc):
    packets: int = Count
    passed: int = Count
    failed: int = Count
    unusable: int = Count
    errors: int = Count
    warnings: int = Count


class BatchReport(_Doc):
    """Several packets (`changju check --batch ROOT --format json`)."""

    packets: list[PacketReport]
    summary: BatchCounts

    @model_validator(mode="after")
    def _counts_its_packets(self) -> "BatchReport":
        if self.summary.packets != len(self.packets):
            raise _inconsistent(f"summary counts {self.summary.packets} packets, but the report holds {len(self.packets)}",
                                f"summary 计有 {self.summary.packets} 个材料包，而报告中有 {len(self.packets)} 个")
        return self


def report_json_schema() -> dict[str, Any]:
    """JSON Schema (2020-12) of a changju JSON report: one packet's, or a batch's."""
    from pydantic import TypeAdapter

    schema = TypeAdapter(Union[BatchReport, PacketReport]).json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "changju check --format json",
        "description": "The JSON report of changju check: one packet's, or a batch's ({\"packets\": [...], \"summary\": {...}}). "
                       "Beyond the types, a report agrees with itself: ok is true exactly when it counts no error, and its "
                       "counts are those of its findings.",
        **schema,
    }


def validate_report(doc: Any) -> list[dict[str, Any]]:
    """The packet reports of a parsed JSON document, each validated; ReportInvalid listing where it
    is not a changju report (JSON paths such as `$.packets[2].summary.errors`)."""
    if isinstance(doc, dict) and "packets" in doc:
        model: type[_Doc] = BatchReport
    else:
        model = PacketReport
    try:
        model.model_validate(doc)
    except ValidationError as exc:
        raise ReportInvalid([(json_path(e["loc"]), _zh(e), e["msg"]) for e in exc.errors(include_url=False)]) from None
    return list(doc["packets"]) if model is BatchReport else [doc]


# what pydantic's error types mean, for the Chinese message (the English one is pydantic's own)
_ZH = {
    "missing": "缺少此项",
    "bool_type": "应为 true 或 false",
    "int_type": "应为整数",
    "float_type": "应为数字",
    "finite_number": "应为有限的数字",
    "string_type": "应为文本",
    "list_type": "应为列表 [...]",
    "dict_type": "应为对象 {...}",
    "model_type": "应为对象 {...}",
    "model_attributes_type": "应为对象 {...}",
    "literal_error": "不是允许的值",
    "string_pattern_mismatch": "格式不对",
    "greater_than_equal": "不能为负数",
    "less_than_equal": "数值过大",
    "too_short": "项数不对",
    "too_long": "项数不对",
}


def _zh(error: dict) -> str:
    ctx = error.get("ctx") or {}
    if error.get("type") == "inconsistent" and "zh" in ctx:
        return str(ctx["zh"])
    return _ZH.get(str(error.get("type")), error.get("msg", ""))


def json_path(loc: tuple) -> str:
    out = "$"
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and part.isidentifier():
            out += f".{part}"
        else:
            out += f"[{str(part)!r}]"
    return out


class ReportInvalid(ValueError):
    """`problems`: (JSON path, what is wrong in Chinese, in English)."""

    def __init__(self, problems: list[tuple[str, str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{where}: {en}" for where, _, en in problems))


__all__ = ["BatchReport", "PacketReport", "ReportInvalid", "report_json_schema", "validate_report"]
