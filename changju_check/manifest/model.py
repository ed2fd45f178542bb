"""The manifest's typed model: the facts of `changju.yaml`, every field optional and strict.

Strict on purpose - a typo must never silently drop a fact:

* an unknown key at any level is an error that names the key and its line
  (with a "did you mean" when a known key is close);
* a yes/no field takes only ``true``/``false`` (not ``1``, not ``"yes"``); a
  number field takes a number, never ``true``; a text field takes text;
* dates: a YAML date, ``2023-08-31``, ``2023/8/31``, ``2023.8.31``,
  ``2023年8月31日`` (spaces and full-width digits allowed); ``2023-02-30`` is an
  error naming the field.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from changju_check.report import Msg

__all__ = [
    "FACT_NAMES",
    "MANIFEST_NAME",
    "Applicant",
    "Contract",
    "Entries",
    "Entry",
    "Equity",
    "Manifest",
    "Unit",
    "Waiver",
    "manifest_json_schema",
]

MANIFEST_NAME = "changju.yaml"

# --- validators: each raises one bilingual error -------------------------------------------------


def _fail(en: str, zh: str) -> PydanticCustomError:
    return PydanticCustomError("changju", "{en}", {"en": en, "zh": zh})


def _kind(value: Any) -> tuple[str, str]:
    """How a YAML value looks to a person, (en, zh)."""
    if value is None:
        return "nothing (null)", "空值（null）"
    if isinstance(value, bool):
        return f"{str(value).lower()} (yes/no)", f"{str(value).lower()}（是/否）"
    if isinstance(value, (int, float)):
        return f"the number {value!r}", f"数字 {value!r}"
    if isinstance(value, _dt.datetime):
        return f"the date and time {value.isoformat(sep=' ')}", f"日期时间 {value.isoformat(sep=' ')}"
    if isinstance(value, _dt.date):
        return f"the date {value.isoformat()}", f"日期 {value.isoformat()}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {shown!r}", f"文本 {shown!r}"
    if isinstance(value, list):
        return "a list", "列表"
    if isinstance(value, dict):
        return "a mapping (key: value)", "映射（键: 值）"
    return type(value).__name__, type(value).__name__


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    en, zh = _kind(value)
    hint_en = hint_zh = ""
    if isinstance(value, (bool, int, float, _dt.date)):
        hint_en, hint_zh = "; put it in quotes", "；请加引号"
    raise _fail(f"expected text, got {en}{hint_en}", f"应为文本，实际为{zh}{hint_zh}")


def _nonempty_text(value: Any) -> str:
    text = _text(value)
    if not text.strip():
        raise _fail("must not be empty", "不能为空")
    return text.strip()


def _strict_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    en, zh = _kind(value)
    raise _fail(f"expected true or false, got {en}", f"应为 true 或 false，实际为{zh}")


def _number(minimum: float | None, maximum: float | None):
    def check(value: Any) -> int | float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            en, zh = _kind(value)
            hint_en = hint_zh = ""
            if isinstance(value, str):
                hint_en, hint_zh = "; write the number without quotes or units", "；请直接写数字，不加引号或单位"
            raise _fail(f"expected a number, got {en}{hint_en}", f"应为数字，实际为{zh}{hint_zh}")
        if isinstance(value, float) and not math.isfinite(value):
            raise _fail("expected a finite number", "应为有限的数字")
        if minimum is not None and value < minimum:
            raise _fail(f"must be at least {minimum:g}, got {value!r}", f"不能小于 {minimum:g}，实际为 {value!r}")
        if maximum is not None and value > maximum:
            raise _fail(f"must be at most {maximum:g}, got {value!r}", f"不能大于 {maximum:g}，实际为 {value!r}")
        return value

    return check


def _number_type(minimum: float | None = None, maximum: float | None = None) -> Any:
    schema: dict[str, Any] = {"type": "number"}
    if minimum is not None:
        schema["minimum"] = minimum
    if maximum is not None:
        schema["maximum"] = maximum
    return Annotated[int | float, BeforeValidator(_number(minimum, maximum)), WithJsonSchema(schema)]


_DATE_DASHED = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$")
_DATE_CHINESE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$")


def _date(value: Any) -> _dt.date:
    if isinstance(value, _dt.datetime):
        if value.time() == _dt.time(0, 0) and value.tzinfo is None:
            return value.date()
        raise _fail(
            f"expected a date, got a date and time ({value.isoformat(sep=' ')})",
            f"应为日期，实际为日期时间（{value.isoformat(sep=' ')}）",
        )
    if isinstance(value, _dt.date):
        return value
    if not isinstance(value, str):
        en, zh = _kind(value)
        raise _fail(
            f"expected a date such as 2023-08-31, got {en}", f"应为日期（如 2023-08-31），实际为{zh}"
        )
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
    match = _DATE_DASHED.match(text)
    if match:
        year, month, day = match.group(1), match.group(3), match.group(4)
    else:
        match = _DATE_CHINESE.match(text)
        if not match:
            raise _fail(
                f"{value!r} is not a date; write it as 2023-08-31, 2023/8/31, 2023.8.31 or 2023年8月31日",
                f"{value!r} 不是日期；请写成 2023-08-31、2023/8/31、2023.8.31 或 2023年8月31日",
            )
        year, month, day = match.groups()
    try:
        return _dt.date(int(year), int(month), int(day))
    except ValueError:
        raise _fail(
            f"{value!r} is not a real date (no day {int(day)} in month {int(month)} of {year})"
            if 1 <= int(month) <= 12
            else f"{value!r} is not a real date (there is no month {int(month)})",
            f"{value!r} 不是有效日期（{year}年{int(month)}月没有{int(day)}日）"
            if 1 <= int(month) <= 12
            else f"{value!r} 不是有效日期（没有{int(month)}月）",
        ) from None


def parse_date(value: Any) -> _dt.date:
    """A date in any of the manifest's forms (for --as-of); ValueError with a readable message."""
    try:
        return _date(value)
    except PydanticCustomError as exc:
        raise ValueError(str(exc)) from None


_DATE_SCHEMA = {
    "type": "string",
    "examples": ["2023-08-31", "2023/8/31", "2023年8月31日"],
}

Text = Annotated[str, BeforeValidator(_text)]
NonEmptyText = Annotated[str, BeforeValidator(_nonempty_text)]
YesNo = Annotated[bool, BeforeValidator(_strict_bool)]
Date = Annotated[_dt.date, BeforeValidator(_date), WithJsonSchema(_DATE_SCHEMA)]
Yuan = _number_type(minimum=0)
Percent = _number_type(minimum=0, maximum=100)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- unit ----------------------------------------------------------------------------------------

_UNIT_TYPES = {
    "enterprise": "enterprise",
    "企业": "enterprise",
    "institution": "institution",
    "事业单位": "institution",
}


def _unit_type(value: Any) -> str:
    text = _text(value)
    key = unicodedata.normalize("NFKC", text).strip().lower()
    if key in _UNIT_TYPES:
        return _UNIT_TYPES[key]
    raise _fail(
        f"{text!r} is not a unit type; use enterprise (企业) or institution (事业单位)",
        f"{text!r} 不是有效的单位类型；请填 enterprise（企业）或 institution（事业单位）",
    )


UnitType = Annotated[
    Literal["enterprise", "institution"],
    BeforeValidator(_unit_type),
    WithJsonSchema({"enum": ["enterprise", "institution", "企业", "事业单位"]}),
]


class Unit(_Strict):
    """申报单位 / The applying unit."""

    name: Text | None = Field(None, description="单位名称 / Name of the unit")
    type: UnitType | None = Field(
        None,
        description="单位类型：enterprise（企业）或 institution（事业单位，无需完税证明）"
        " / Unit type: enterprise or institution (事业单位; no tax certificate needed)",
    )
    tax_paid: YesNo | None = Field(
        None,
        description="是否有纳税记录；false 时以未欠税证明代替完税证明"
        " / Has the unit paid tax? false: the no-tax-arrears certificate replaces the tax certificate",
    )
    paid_in_capital: Yuan | None = Field(
        None,
        description="实缴资金（元）；为 0 时以情况说明代替入资回单"
        " / Paid-in capital in yuan; 0: the explanation letter replaces the bank receipt",
    )


# --- applicant -----------------------------------------------------------------------------------

def _nationality(value: Any) -> str:
    """Every usual way to write a nationality (see manifest/nationality.py); anything else is an
    error that names the accepted forms - never silently "foreign"."""
    from changju_check.manifest.nationality import (
        ACCEPTED_EN,
        ACCEPTED_ZH,
        read_nationality,
    )

    text = _text(value)
    if not text.strip():
        raise _fail("must not be empty", "不能为空")
    found = read_nationality(text)
    if found is None:
        shown = text.strip() if len(text.strip()) <= 40 else text.strip()[:37] + "..."
        raise _fail(
            f"{shown!r} is not a nationality changju recognises; {ACCEPTED_EN}",
            f"无法识别的国籍 {shown!r}；{ACCEPTED_ZH}",
        )
    return found


Nationality = Annotated[str, BeforeValidator(_nationality)]

_OPEN_ENDED = {"无固定期限", "無固定期限", "open-ended", "open ended"}


def _contract_end(value: Any) -> Any:
    if isinstance(value, str) and unicodedata.normalize("NFKC", value).strip().lower() in _OPEN_ENDED:
        return None
    if value is None:
        return None
    return _date(value)


class Contract(_Strict):
    """最新工作合同 / The latest employment contract."""

    start: Date | None = Field(None, description="合同起始日期 / First day of the contract")
    end: Annotated[
        _dt.date | None,
        BeforeValidator(_contract_end),
        WithJsonSchema({"anyOf": [_DATE_SCHEMA, {"type": "null"}]}),
    ] = Field(
        None,
        description="合同截止日期；省略、null 或“无固定期限”表示无固定期限合同"
        " / Last day of the contract; omitted, null or 无固定期限 means open-ended",
    )

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: _dt.date | None, info: ValidationInfo) -> _dt.date | None:
        start = info.data.get("start")
        if end is not None and start is not None and end < start:
            raise _fail(
                f"the contract ends ({end.isoformat()}) before it starts ({start.isoformat()})",
                f"合同截止日期（{end.isoformat()}）早于起始日期（{start.isoformat()}）",
            )
        return end

    @property
    def open_ended(self) -> bool:
        """True for a contract without an end date (无固定期限)."""
        return self.end is None


class Equity(_Strict):
    """申报人在申报单位的持股 / The applicant's shareholding in the unit."""

    percent: Percent | None = Field(
        None, description="持股比例（%，0–100） / Share of the unit held, in percent (0-100)"
    )
    largest_natural_person: YesNo | None = Field(
        None,
        description="是否为第一大自然人股东 / Is the applicant the largest natural-person shareholder?",
    )


class Applicant(_Strict):
    """申报人 / The applicant."""

    name: Text | None = Field(None, description="申报人姓名 / Name of the applicant")
    nationality: Nationality | None = Field(
        None,
        description="国籍：中国籍人才提供有效身份证，外籍人才提供有效护照。填 中国（中国籍、CN、China …）、"
        "港澳台（香港、澳门、台湾）或外国的 ISO 3166 代码/国名（US、美国 …），国家不详填 外籍"
        " / Nationality: 中国 (中国籍, CN, China, ...) for a Chinese national (ID card); 香港, 澳门 or 台湾 "
        "for Hong Kong, Macao or Taiwan (residence or travel permit); another country's ISO 3166 code or "
        "name (US, 美国, ...) or 外籍 for a foreign national (passport)",
        json_schema_extra={"examples": ["中国", "中国籍", "CN", "香港", "US", "美国", "外籍"]},
    )
    team: YesNo | None = Field(None, description="是否为团队申报 / Is this a team application?")
    degree_abroad: YesNo | None = Field(
        None, description="学位是否在国（境）外取得 / Was the degree obtained abroad (国(境)外)?"
    )
    degree: YesNo | None = Field(
        None,
        description="是否获得学位；false：只有学历、没有学位（如专科），学历、学位证书和认证书只需学历部分（默认按有学位核对）"
        " / Does the applicant hold a degree? false: a diploma without a degree, so only the diploma and its"
        " verification are asked for (by default a degree is assumed)",
    )
    hired_on: Date | None = Field(None, description="入职日期 / Date the applicant joined the unit")
    talent_title: YesNo | None = Field(
        None,
        description="是否拥有市级及以上人才头衔；“凡涉及拥有市级及以上人才头衔个人信息的项目，均采用线下申报形式”"
        " / Does the applicant hold a municipal-or-higher talent title? Such projects are filed offline (一（二）1)",
    )
    contract: Contract | None = Field(None, description="最新工作合同 / The latest employment contract")
    equity: Equity | None = Field(None, description="持股情况 / Shareholding in the unit")

    @property
    def foreign(self) -> bool | None:
        """True for a 外籍人才 (needs a passport): neither mainland China nor 港澳台; None when not given."""
        from changju_check.manifest.nationality import is_foreign

        return is_foreign(self.nationality)

    @property
    def hmt(self) -> bool | None:
        """True for a resident of Hong Kong, Macao or Taiwan: a Chinese national without a mainland 身份证."""
        from changju_check.manifest.nationality import is_hmt

        return is_hmt(self.nationality)


# --- entries, materials, waivers -----------------------------------------------------------------


def _year(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        en, zh = _kind(value)
        raise _fail(f"expected a year such as 2022, got {en}", f"应为年份（如 2022），实际为{zh}")
    if not 1900 <= value <= 2100:
        raise _fail(f"{value} is not a plausible year", f"{value} 不是合理的年份")
    return value


class Entry(_Strict):
    """系统中填报的一项成果 / One item entered in the online system."""

    title: NonEmptyText = Field(description="名称 / Title")
    year: Annotated[
        int | None,
        BeforeValidator(_year),
        WithJsonSchema({"anyOf": [{"type": "integer", "minimum": 1900, "maximum": 2100}, {"type": "null"}]}),
    ] = Field(None, description="年份 / Year")


def _entry(value: Any) -> Any:
    if isinstance(value, str):
        return {"title": value}
    return value


_ENTRY_ITEM_SCHEMA = {
    "anyOf": [
        {"type": "string", "minLength": 1},
        {
            "type": "object",
            "properties": {
                "title": {"type": "string", "minLength": 1, "description": "名称 / Title"},
                "year": {
                    "anyOf": [{"type": "integer", "minimum": 1900, "maximum": 2100}, {"type": "null"}],
                    "description": "年份 / Year",
                },
            },
            "required": ["title"],
            "additionalProperties": False,
        },
    ]
}
EntryItem = Annotated[Entry, BeforeValidator(_entry), WithJsonSchema(_ENTRY_ITEM_SCHEMA)]


def _entries_field(zh: str, en: str) -> Any:
    return Field(
        None,
        description=f"{zh}，按系统中填报的顺序；每项为名称或 {{title, year}}"
        f" / {en}, in the order entered; each a title or {{title, year}}",
    )


class Entries(_Strict):
    """网上申报系统中填报的成果，按填报顺序 / What was entered in the online system, in its order."""

    patents: list[EntryItem] | None = _entries_field("专利", "Patents")
    awards: list[EntryItem] | None = _entries_field("奖项", "Awards")
    projects: list[EntryItem] | None = _entries_field("项目", "Projects")
    standards: list[EntryItem] | None = _entries_field("标准", "Standards")
    papers: list[EntryItem] | None = _entries_field("论文", "Papers")
    # The guide also asks for these in the system's order (rules/2023: `ordered` constraints).
    unit_patents: list[EntryItem] | None = _entries_field("申报单位拥有的（发明）专利", "The unit's (invention) patents")
    unit_awards: list[EntryItem] | None = _entries_field("申报单位奖项及资质", "The unit's awards and qualifications")
    unit_projects: list[EntryItem] | None = _entries_field("申报单位近三年承担项目（课题）", "The unit's projects of the last three years")
    innovations: list[EntryItem] | None = _entries_field(
        "申报人主持或参与的重点工作及创新情况", "Key work and innovations the applicant led or took part in"
    )


def _paths(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        en, zh = _kind(value)
        raise _fail(
            f"expected a path, a glob or a list of them, got {en}", f"应为路径、通配符或它们的列表，实际为{zh}"
        )
    result = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            en, zh = _kind(item)
            raise _fail(f"each path must be non-empty text, got {en}", f"每个路径都应为非空文本，实际为{zh}")
        result.append(item.strip())
    return result


Paths = Annotated[
    list[str],
    BeforeValidator(_paths),
    WithJsonSchema(
        {"anyOf": [{"type": "string", "minLength": 1}, {"type": "array", "items": {"type": "string", "minLength": 1}}]}
    ),
]

_CODE_RE = re.compile(r"^CJ\d{3}$")
# codes whose finding says a material is absent (or a year of it): their waiver names the material
MATERIAL_CODES = frozenset({"CJ101", "CJ102"})


def _code(value: Any) -> str:
    text = _text(value).strip().upper()
    if not _CODE_RE.match(text):
        raise _fail(
            f"{value!r} is not a finding code; codes look like CJ101",
            f"{value!r} 不是问题代码；代码形如 CJ101",
        )
    return text


class Waiver(_Strict):
    """一项已接受的例外及其理由 / An accepted exception, with its reason."""

    # editors say it too: a waiver of a missing material names the material
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "if": {"properties": {"code": {"pattern": "^[Cc][Jj]10[12]$"}}, "required": ["code"]},
        "then": {"required": ["material"]},
    })

    code: Annotated[str, BeforeValidator(_code), WithJsonSchema({"type": "string", "pattern": "^[Cc][Jj][0-9]{3}$"})] = Field(
        description="问题代码，如 CJ101 / Finding code, e.g. CJ101"
    )
    material: Text | None = Field(None, description="材料编号；豁免 CJ101、CJ102 时必填 / Material id; required when waiving CJ101 or CJ102")
    file: Text | None = Field(None, description="文件路径（可选） / File path (optional)")
    reason: NonEmptyText = Field(description="理由（必填） / Reason (required)")

    @model_validator(mode="after")
    def _names_its_material(self) -> "Waiver":
        # a waiver of a missing material without the material would waive every missing one
        if self.code in MATERIAL_CODES and self.material is None:
            raise _fail(
                f"a waiver of {self.code} must name the material it waives (material: …, e.g. "
                f"material: degree_certification); without one it would waive every missing material",
                f"豁免 {self.code} 必须写明所豁免的材料（material: …，如 material: degree_certification）；"
                f"不写材料的豁免会豁免所有缺少的材料，因此不被接受",
            )
        return self


# --- the manifest --------------------------------------------------------------------------------


class Manifest(_Strict):
    """昌聚工程申报材料包清单 changju.yaml / The manifest of a 昌聚工程 application packet."""

    category: Text | None = Field(
        None, description="申报类别，如 youth；--category 优先 / Category, e.g. youth; --category overrides"
    )
    as_of: Date | None = Field(
        None,
        description="参照日期（默认今天）；--as-of 优先 / Reference date (default: today); --as-of overrides",
    )
    unit: Unit | None = Field(None, description="申报单位 / The applying unit")
    applicant: Applicant | None = Field(None, description="申报人 / The applicant")
    recommendation: Text | None = Field(None, description="申报单位推荐理由 / The unit's recommendation")
    entries: Entries | None = Field(
        None, description="系统中填报的成果，按填报顺序 / What was entered in the online system, in its order"
    )
    materials: dict[str, Paths] | None = Field(
        None,
        description="材料编号 → 路径、路径列表或通配符（相对材料包）"
        " / Material id -> path, list of paths or glob (relative to the packet)",
    )
    waive: list[Waiver] | None = Field(
        None, description="已接受的例外，每项写明理由 / Accepted exceptions, each with its reason"
    )

    _lines: dict[tuple, int] = PrivateAttr(default_factory=dict)
    _source: str | None = PrivateAttr(default=None)
    _notes: list[Msg] = PrivateAttr(default_factory=list)
    _slips: list[Any] = PrivateAttr(default_factory=list)  # manifest.slips.Slip warnings

    @property
    def source(self) -> str | None:
        """The file the manifest was read from (None when built in code)."""
        return self._source

    @property
    def lines(self) -> dict[tuple, int]:
        """Key path -> 1-based line in the manifest file (see ``safeyaml.LoadedYaml``)."""
        return self._lines

    @property
    def slips(self) -> list[Any]:
        """Probable typing slips in readable YAML (curly quotes around a value, a full-width comma
        in a list): `manifest.slips.Slip` warnings with their lines."""
        return self._slips

    @property
    def notes(self) -> list[Msg]:
        """Things worth telling the user that are not errors (e.g. the file was GBK-encoded)."""
        return self._notes

    def line_of(self, *path: str | int) -> int | None:
        """Line of a field: ``line_of("applicant", "contract", "end")`` or ``line_of("applicant.contract.end")``.

        Falls back to the nearest enclosing key that is in the file; None when nothing is.
        """
        if len(path) == 1 and isinstance(path[0], str) and "." in path[0]:
            path = tuple(int(p) if p.isdigit() else p for p in path[0].split("."))
        return nearest_line(self._lines, tuple(path))

    def fact(self, name: str) -> Any:
        """The value of a dotted fact name used by rule conditions (see ``FACT_NAMES``), None when unknown."""
        if name not in FACT_NAMES:
            raise KeyError(f"unknown fact {name!r}; known facts: {', '.join(sorted(FACT_NAMES))}")
        unit, applicant = self.unit, self.applicant
        contract = applicant.contract if applicant else None
        equity = applicant.equity if applicant else None
        values = {
            "unit.type": unit.type if unit else None,
            "unit.tax_paid": unit.tax_paid if unit else None,
            "unit.paid_in_capital": unit.paid_in_capital if unit else None,
            "unit.name": unit.name if unit else None,
            "applicant.name": applicant.name if applicant else None,
            "applicant.nationality": applicant.nationality if applicant else None,
            "applicant.foreign": applicant.foreign if applicant else None,
            "applicant.hmt": applicant.hmt if applicant else None,
            "applicant.talent_title": applicant.talent_title if applicant else None,
            "applicant.team": applicant.team if applicant else None,
            "applicant.degree_abroad": applicant.degree_abroad if applicant else None,
            "applicant.degree": applicant.degree if applicant else None,
            "applicant.hired_on": applicant.hired_on if applicant else None,
            "applicant.contract.start": contract.start if contract else None,
            "applicant.contract.end": contract.end if contract else None,
            "applicant.contract.open_ended": contract.open_ended if contract else None,
            "applicant.equity.percent": equity.percent if equity else None,
            "applicant.equity.largest_natural_person": equity.largest_natural_person if equity else None,
            "recommendation": self.recommendation,
        }
        return values[name]


FACT_NAMES: frozenset[str] = frozenset(
    {
        "unit.type",
        "unit.tax_paid",
        "unit.paid_in_capital",
        "unit.name",
        "applicant.name",
        "applicant.nationality",
        "applicant.foreign",
        "applicant.hmt",
        "applicant.talent_title",
        "applicant.team",
        "applicant.degree_abroad",
        "applicant.degree",
        "applicant.hired_on",
        "applicant.contract.start",
        "applicant.contract.end",
        "applicant.contract.open_ended",
        "applicant.equity.percent",
        "applicant.equity.largest_natural_person",
        "recommendation",
    }
)


def nearest_line(lines: dict[tuple, int], path: tuple) -> int | None:
    """Line of ``path``, else of its nearest enclosing key; the root only when asked for."""
    if not path:
        return lines.get(())
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return None


def manifest_json_schema() -> dict[str, Any]:
    """JSON schema of changju.yaml, for editors (``# yaml-language-server: $schema=...``)."""
    schema = Manifest.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
