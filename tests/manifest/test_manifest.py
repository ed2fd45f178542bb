"""changju.yaml: the strict model, its loader and the facts it gives the rules."""

from __future__ import annotations

import json
import textwrap
from datetime import date
from pathlib import Path

import pytest

from changju_check.manifest import (
    FACT_NAMES,
    Applicant,
    Manifest,
    ManifestError,
    load_manifest,
    manifest_json_schema,
    parse_manifest,
)
from changju_check.report import Msg

FULL = """\
# yaml-language-server: $schema=changju.schema.json
category: youth
as_of: 2023-08-31
unit:
  name: 北京某某科技有限公司
  type: enterprise
  tax_paid: true
  paid_in_capital: 5000000
applicant:
  name: 张三
  nationality: CN
  team: false
  degree_abroad: false
  hired_on: 2021-03-01
  contract: {start: 2021-03-01, end: 2024-02-29}
  equity: {percent: 35, largest_natural_person: true}
recommendation: 申报单位推荐理由……
entries:
  patents: [一种……的方法]
  awards: []
  projects:
    - {title: 某某项目, year: 2022}
    - 另一个项目
  standards: []
  papers: []
materials:
  labor_contract: scans/005.pdf
  audit_report: [audit/2020.pdf, audit/2021.pdf, "audit/2022*.pdf"]
waive:
  - {code: CJ101, material: degree_certification, reason: 单位已出具说明并加盖公章}
  - {code: cj303, file: scans/blank.pdf, reason: 空白页为占位}
"""


def parse(text: str) -> Manifest:
    return parse_manifest(textwrap.dedent(text), "changju.yaml")


def error(text: str) -> ManifestError:
    with pytest.raises(ManifestError) as info:
        parse(text)
    return info.value


def messages(exc: ManifestError) -> str:
    msg = exc.to_msg()
    return msg.en + "\n" + msg.zh


# --- the full example ----------------------------------------------------------------------------


def test_full_example_every_field():
    m = parse(FULL)
    assert m.category == "youth"
    assert m.as_of == date(2023, 8, 31)
    assert m.unit.name == "北京某某科技有限公司"
    assert m.unit.type == "enterprise"
    assert m.unit.tax_paid is True
    assert m.unit.paid_in_capital == 5000000
    a = m.applicant
    assert a.name == "张三"
    assert a.nationality == "CN"
    assert a.foreign is False
    assert a.team is False
    assert a.degree_abroad is False
    assert a.hired_on == date(2021, 3, 1)
    assert a.contract.start == date(2021, 3, 1)
    assert a.contract.end == date(2024, 2, 29)
    assert a.contract.open_ended is False
    assert a.equity.percent == 35
    assert a.equity.largest_natural_person is True
    assert m.recommendation == "申报单位推荐理由……"
    assert [(e.title, e.year) for e in m.entries.patents] == [("一种……的方法", None)]
    assert m.entries.awards == []
    assert [(e.title, e.year) for e in m.entries.projects] == [("某某项目", 2022), ("另一个项目", None)]
    assert m.materials == {
        "labor_contract": ["scans/005.pdf"],
        "audit_report": ["audit/2020.pdf", "audit/2021.pdf", "audit/2022*.pdf"],
    }
    assert [(w.code, w.material, w.file, w.reason) for w in m.waive] == [
        ("CJ101", "degree_certification", None, "单位已出具说明并加盖公章"),
        ("CJ303", None, "scans/blank.pdf", "空白页为占位"),
    ]
    assert m.source == "changju.yaml"
    assert m.notes == []


def test_lines_of_fields():
    m = parse(FULL)
    assert m.line_of("category") == 2
    assert m.line_of("applicant", "contract") == 15
    assert m.line_of("applicant", "contract", "end") == 15
    assert m.line_of("applicant.contract.end") == 15
    assert m.line_of("entries", "projects", 1) == 23
    assert m.line_of("entries.projects.0.year") == 22
    assert m.line_of("waive", 1, "reason") == 31
    # a field not in the file falls back to the nearest enclosing key
    assert m.line_of("unit", "nothing") == 4
    assert m.line_of("nothing") is None


def test_empty_and_partial_manifests():
    assert parse("").model_dump(exclude_none=True) == {}
    assert parse("# only a comment\n").model_dump(exclude_none=True) == {}
    m = parse("applicant:\n  name: 李四\n")
    assert m.unit is None and m.applicant.team is None and m.applicant.foreign is None
    assert m.line_of("applicant", "name") == 2


def test_load_manifest_from_file(tmp_path: Path):
    path = tmp_path / "changju.yaml"
    path.write_text(FULL, encoding="utf-8")
    m = load_manifest(path)
    assert m.unit.type == "enterprise" and m.source == str(path)
    (tmp_path / "empty.yaml").write_bytes(b"")
    assert load_manifest(tmp_path / "empty.yaml").model_dump(exclude_none=True) == {}


def test_load_manifest_missing_file(tmp_path: Path):
    with pytest.raises(ManifestError) as info:
        load_manifest(tmp_path / "nope.yaml")
    assert info.value.kind == "io"
    assert "nope.yaml" in str(info.value)


def test_overrides_keep_lines():
    m = parse(FULL).model_copy(update={"category": "leader", "as_of": date(2023, 9, 1)})
    assert m.category == "leader" and m.line_of("unit", "type") == 6


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "2023-08-31",
        "'2023-08-31'",
        "2023-8-31",
        "2023/8/31",
        "2023/08/31",
        "2023.8.31",
        "2023年8月31日",
        "2023年08月31日",
        "2023年8月31",
        "2023 年 8 月 31 日",
        "２０２３年８月３１日",
        "２０２３／８／３１",
        "2023-08-31 00:00:00",
    ],
)
def test_date_forms(written: str):
    assert parse(f"as_of: {written}\n").as_of == date(2023, 8, 31)


@pytest.mark.parametrize("field", ["as_of", "applicant.hired_on", "applicant.contract.start", "applicant.contract.end"])
def test_invalid_date_names_field(field: str):
    parts = field.split(".")
    text = "".join("  " * i + f"{p}:\n" for i, p in enumerate(parts[:-1])) + "  " * (len(parts) - 1) + f"{parts[-1]}: 2023-02-30\n"
    exc = error(text)
    assert exc.field == field
    assert exc.line == len(parts)
    assert "2023-02-30" in exc.message and "not a real date" in exc.message
    assert "不是有效日期" in exc.message_zh
    assert f"changju.yaml:{len(parts)}: {field}:" in str(exc)


@pytest.mark.parametrize(
    "written, words",
    [
        ("2023-13-01", "no month 13"),
        ("2023年2月29日", "not a real date"),
        ("31/08/2023", "not a date"),
        ("2023-08/31", "not a date"),
        ("20230831", "expected a date"),
        ("true", "expected a date"),
        ("[2023, 8, 31]", "expected a date"),
        ("2023-08-31 10:30:00", "date and time"),
        ("next monday", "not a date"),
    ],
)
def test_bad_dates(written: str, words: str):
    exc = error(f"as_of: {written}\n")
    assert exc.field == "as_of" and exc.line == 1
    assert words in exc.message


def test_leap_day_is_a_date():
    assert parse("as_of: 2024-02-29\n").as_of == date(2024, 2, 29)


# --- contract ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "contract",
    [
        "{start: 2021-03-01}",
        "{start: 2021-03-01, end: null}",
        "{start: 2021-03-01, end: ~}",
        "{start: 2021-03-01, end: 无固定期限}",
        "{start: 2021-03-01, end: open-ended}",
    ],
)
def test_open_ended_contract(contract: str):
    m = parse(f"applicant:\n  contract: {contract}\n")
    assert m.applicant.contract.end is None
    assert m.applicant.contract.open_ended is True
    assert m.fact("applicant.contract.open_ended") is True


def test_contract_end_before_start():
    exc = error(
        """\
        applicant:
          contract:
            start: 2023-03-01
            end: 2023-02-28
        """
    )
    assert exc.field == "applicant.contract.end" and exc.line == 4
    assert "before it starts" in exc.message and "早于起始日期" in exc.message_zh


def test_contract_one_day_is_fine():
    m = parse("applicant:\n  contract: {start: 2023-03-01, end: 2023-03-01}\n")
    assert m.applicant.contract.end == m.applicant.contract.start


# --- nationality ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written", ["CN", "cn", "CHN", "chn", "中国", "中华人民共和国", "China", "CHINA", "china", " China ", "PRC"]
)
def test_nationality_china(written: str):
    m = parse(f"applicant: {{nationality: '{written}'}}\n")
    assert m.applicant.nationality == "CN"
    assert m.applicant.foreign is False
    assert m.fact("applicant.foreign") is False


@pytest.mark.parametrize("written, kept", [("us", "US"), ("DE", "DE"), ("NO", "NO"), ("Germany", "DE")])
def test_nationality_foreign(written: str, kept: str):
    # NO is Norway, not false: the loader reads YAML 1.2 booleans
    m = parse(f"applicant: {{nationality: {written}}}\n")
    assert m.applicant.nationality == kept
    assert m.applicant.foreign is True


def test_hong_kong_macao_taiwan_are_not_foreign():
    m = parse("applicant: {nationality: hk}\n")
    assert (m.applicant.nationality, m.applicant.foreign, m.applicant.hmt) == ("HK", False, True)


def test_foreign_unknown_without_nationality():
    assert Applicant().foreign is None
    assert parse("applicant: {name: 张三}\n").fact("applicant.foreign") is None


def test_nationality_not_text():
    exc = error("applicant: {nationality: 86}\n")
    assert exc.field == "applicant.nationality" and "expected text" in exc.message


# --- unit ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, value",
    [("enterprise", "enterprise"), ("企业", "enterprise"), ("Enterprise", "enterprise"), ("institution", "institution"), ("事业单位", "institution")],
)
def test_unit_type_aliases(written: str, value: str):
    assert parse(f"unit: {{type: {written}}}\n").unit.type == value


def test_unit_type_unknown():
    exc = error("unit:\n  type: 公司\n")
    assert exc.field == "unit.type" and exc.line == 2
    assert "enterprise" in exc.message and "事业单位" in exc.message_zh


@pytest.mark.parametrize("value", [0, 0.0, 1, 5000000, 1234.5, "1_000_000"])
def test_paid_in_capital_numbers(value):
    m = parse(f"unit: {{paid_in_capital: {value}}}\n")
    assert m.unit.paid_in_capital == (1_000_000 if value == "1_000_000" else value)


@pytest.mark.parametrize(
    "written, words",
    [
        ("true", "expected a number"),
        ("false", "expected a number"),
        ("'5000000'", "expected a number"),
        ("500万", "expected a number"),
        ("-1", "at least 0"),
        (".nan", "finite"),
        (".inf", "finite"),
        ("[1]", "expected a number"),
    ],
)
def test_paid_in_capital_wrong(written: str, words: str):
    exc = error(f"unit:\n  paid_in_capital: {written}\n")
    assert exc.field == "unit.paid_in_capital" and exc.line == 2
    assert words in exc.message


# --- strict types --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field", ["unit.tax_paid", "applicant.team", "applicant.degree_abroad", "applicant.equity.largest_natural_person"]
)
@pytest.mark.parametrize("written", ["1", "0", "yes", "no", "'true'", "on", "Y", "是", "null_", "[]"])
def test_bool_fields_refuse_non_bools(field: str, written: str):
    parts = field.split(".")
    text = "".join("  " * i + f"{p}:\n" for i, p in enumerate(parts[:-1])) + "  " * (len(parts) - 1) + f"{parts[-1]}: {written}\n"
    exc = error(text)
    assert exc.field == field and exc.line == len(parts)
    assert "expected true or false" in exc.message
    assert "应为 true 或 false" in exc.message_zh


@pytest.mark.parametrize("written, value", [("true", True), ("false", False), ("True", True), ("FALSE", False)])
def test_bool_fields_accept_bools(written: str, value: bool):
    assert parse(f"unit: {{tax_paid: {written}}}\n").unit.tax_paid is value


@pytest.mark.parametrize("written", ["0", "35", "35.5", "100", "30.0"])
def test_percent_numbers(written: str):
    assert parse(f"applicant: {{equity: {{percent: {written}}}}}\n").applicant.equity.percent == float(written)


@pytest.mark.parametrize(
    "written, words",
    [("true", "expected a number"), ("'35%'", "expected a number"), ("35%", "expected a number"), ("101", "at most 100"), ("-0.5", "at least 0")],
)
def test_percent_wrong(written: str, words: str):
    exc = error(f"applicant:\n  equity:\n    percent: {written}\n")
    assert exc.field == "applicant.equity.percent" and exc.line == 3
    assert words in exc.message


@pytest.mark.parametrize("field", ["category", "recommendation"])
@pytest.mark.parametrize("written", ["123", "true", "2023-01-01", "[a]", "{a: b}"])
def test_text_fields_refuse_other_types(field: str, written: str):
    exc = error(f"{field}: {written}\n")
    assert exc.field == field and exc.line == 1 and "expected text" in exc.message


def test_text_hint_to_quote_numbers():
    exc = error("unit: {name: 12345}\n")
    assert "quotes" in exc.message and "引号" in exc.message_zh


@pytest.mark.parametrize(
    "text, field",
    [
        ("unit: 北京某某科技有限公司\n", "unit"),
        ("applicant: [张三]\n", "applicant"),
        ("applicant: {contract: 2021-03-01}\n", "applicant.contract"),
        ("entries: [a]\n", "entries"),
        ("waive: {code: CJ101, reason: x}\n", "waive"),
        ("entries: {patents: 一种方法}\n", "entries.patents"),
        ("materials: [a.pdf]\n", "materials"),
    ],
)
def test_wrong_shapes(text: str, field: str):
    exc = error(text)
    assert exc.field == field and exc.line == 1
    assert "expected a" in exc.message


# --- unknown keys at every level -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, field, line, suggestion",
    [
        ("categroy: youth\n", "categroy", 1, "category"),
        ("category: youth\nasof: 2023-01-01\n", "asof", 2, "as_of"),
        ("unit:\n  name: x\n  tax_payed: true\n", "unit.tax_payed", 3, "tax_paid"),
        ("applicant:\n  nationalty: CN\n", "applicant.nationalty", 2, "nationality"),
        ("applicant:\n  contract:\n    start: 2021-01-01\n    ending: 2024-01-01\n", "applicant.contract.ending", 4, None),
        ("applicant:\n  equity:\n    percentage: 35\n", "applicant.equity.percentage", 3, "percent"),
        ("entries:\n  patent: []\n", "entries.patent", 2, "patents"),
        ("entries:\n  papers:\n    - {title: a, yaer: 2022}\n", "entries.papers.0.yaer", 3, "year"),
        ("waive:\n  - code: CJ101\n    reason: x\n    materail: y\n", "waive.0.materail", 4, "material"),
    ],
)
def test_unknown_key_names_key_and_line(text: str, field: str, line: int, suggestion: str | None):
    exc = error(text)
    assert exc.kind == "field"
    problem = next(p for p in exc.problems if p.field == field)
    assert problem.line == line
    key = field.rsplit(".", 1)[-1]
    assert f"unknown key '{key}'" in problem.message.en
    assert f"未知的键 '{key}'" in problem.message.zh
    if suggestion:
        assert f"did you mean '{suggestion}'" in problem.message.en
    assert f"changju.yaml:{line}: {field}: unknown key" in str(exc)


def test_unknown_key_lists_known_keys_when_nothing_close():
    exc = error("zzz: 1\n")
    assert "expected one of: category, as_of" in exc.message


def test_non_text_material_key():
    exc = error("materials: {1: a.pdf}\n")
    assert exc.field == "materials.1" and "must be text" in exc.message


def test_several_problems_reported_in_line_order():
    exc = error("unit:\n  tax_paid: yes\n  bogus: 1\napplicant:\n  team: 1\n")
    assert [(p.field, p.line) for p in exc.problems] == [("unit.tax_paid", 2), ("unit.bogus", 3), ("applicant.team", 5)]
    assert exc.field == "unit.tax_paid" and exc.line == 2
    assert len(exc.to_msg().en.splitlines()) == 3


def test_many_problems_are_capped_in_the_message():
    exc = error("".join(f"k{i}: 1\n" for i in range(50)))
    assert len(exc.problems) == 50
    assert exc.to_msg().en.splitlines()[-1] == "... and 30 more"
    assert "另有 30 处问题" in exc.to_msg().zh


# --- entries -------------------------------------------------------------------------------------


def test_entries_strings_and_objects():
    m = parse(
        """\
        entries:
          papers:
            - 论文一
            - {title: 论文二, year: 2021}
            - {title: 论文三}
            - {title: 论文四, year: null}
        """
    )
    assert [(e.title, e.year) for e in m.entries.papers] == [
        ("论文一", None),
        ("论文二", 2021),
        ("论文三", None),
        ("论文四", None),
    ]


@pytest.mark.parametrize(
    "item, field, words",
    [
        ("{year: 2021}", "entries.papers.0.title", "required key 'title'"),
        ("{title: '', year: 2021}", "entries.papers.0.title", "must not be empty"),
        ("{title: a, year: '2021'}", "entries.papers.0.year", "expected a year"),
        ("{title: a, year: true}", "entries.papers.0.year", "expected a year"),
        ("{title: a, year: 21}", "entries.papers.0.year", "not a plausible year"),
        ("123", "entries.papers.0", "expected a mapping"),
        ("[a]", "entries.papers.0", "expected a mapping"),
    ],
)
def test_entry_errors(item: str, field: str, words: str):
    exc = error(f"entries:\n  papers:\n    - {item}\n")
    assert exc.field == field and exc.line == 3
    assert words in exc.message


# --- materials -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, words",
    [("1", "expected a path"), ("''", "non-empty text"), ("[a.pdf, 3]", "non-empty text"), ("{a: b}", "expected a path")],
)
def test_materials_errors(value: str, words: str):
    exc = error(f"materials:\n  labor_contract: {value}\n")
    assert exc.field == "materials.labor_contract" and exc.line == 2
    assert words in exc.message


# --- waive ---------------------------------------------------------------------------------------


def test_waive_code_normalised():
    m = parse("waive:\n  - {code: ' cj207 ', reason: 系统顺序已调整}\n")
    assert m.waive[0].code == "CJ207" and m.waive[0].reason == "系统顺序已调整"


@pytest.mark.parametrize(
    "item, field, words",
    [
        ("{code: CJ1, reason: x}", "waive.0.code", "not a finding code"),
        ("{code: XY101, reason: x}", "waive.0.code", "not a finding code"),
        ("{code: 101, reason: x}", "waive.0.code", "expected text"),
        ("{reason: x}", "waive.0.code", "required key 'code'"),
        ("{code: CJ101}", "waive.0.reason", "required key 'reason'"),
        ("{code: CJ101, reason: ''}", "waive.0.reason", "must not be empty"),
        ("{code: CJ101, reason: '   '}", "waive.0.reason", "must not be empty"),
        ("{code: CJ101, reason: x, material: 1}", "waive.0.material", "expected text"),
        ("{code: CJ101, reason: x, file: [a]}", "waive.0.file", "expected text"),
        ("CJ101", "waive.0", "expected a mapping"),
    ],
)
def test_waive_errors(item: str, field: str, words: str):
    exc = error(f"waive:\n  - {item}\n")
    problem = next(p for p in exc.problems if p.field == field)
    assert problem.line == 2
    assert words in problem.message.en


# --- facts ---------------------------------------------------------------------------------------


def test_fact_values():
    m = parse(FULL)
    assert {name: m.fact(name) for name in FACT_NAMES} == {
        "unit.type": "enterprise",
        "unit.tax_paid": True,
        "unit.paid_in_capital": 5000000,
        "unit.name": "北京某某科技有限公司",
        "applicant.name": "张三",
        "applicant.nationality": "CN",
        "applicant.foreign": False,
        "applicant.hmt": False,
        "applicant.talent_title": None,
        "applicant.team": False,
        "applicant.degree_abroad": False,
        "applicant.degree": None,
        "applicant.hired_on": date(2021, 3, 1),
        "applicant.contract.start": date(2021, 3, 1),
        "applicant.contract.end": date(2024, 2, 29),
        "applicant.contract.open_ended": False,
        "applicant.equity.percent": 35,
        "applicant.equity.largest_natural_person": True,
        "recommendation": "申报单位推荐理由……",
    }


def test_facts_unknown_are_none():
    m = Manifest()
    assert all(m.fact(name) is None for name in FACT_NAMES)
    m = parse("applicant: {contract: {start: 2021-01-01}}\n")
    assert m.fact("applicant.contract.open_ended") is True
    assert m.fact("applicant.equity.percent") is None
    assert m.fact("unit.type") is None


def test_fact_names_are_exact():
    assert FACT_NAMES == {
        "unit.type", "unit.tax_paid", "unit.paid_in_capital", "unit.name", "applicant.name",
        "applicant.nationality", "applicant.foreign", "applicant.hmt", "applicant.talent_title", "applicant.team",
        "applicant.degree_abroad", "applicant.degree", "applicant.hired_on",
        "applicant.contract.start", "applicant.contract.end", "applicant.contract.open_ended",
        "applicant.equity.percent", "applicant.equity.largest_natural_person", "recommendation",
    }  # fmt: skip


def test_unknown_fact_name_is_a_programming_error():
    with pytest.raises(KeyError, match="unknown fact"):
        Manifest().fact("applicant.age")


# --- errors --------------------------------------------------------------------------------------


def test_error_to_msg_is_bilingual():
    exc = error("unit:\n  tax_paid: 1\n")
    msg = exc.to_msg()
    assert isinstance(msg, Msg)
    assert msg.en == "changju.yaml:2: unit.tax_paid: expected true or false, got the number 1"
    assert msg.zh == "changju.yaml:2: unit.tax_paid: 应为 true 或 false，实际为数字 1"
    assert exc.source == "changju.yaml"
    assert str(exc) == msg.en


# --- schema --------------------------------------------------------------------------------------


def test_json_schema():
    jsonschema = pytest.importorskip("jsonschema")
    schema = manifest_json_schema()
    json.dumps(schema, ensure_ascii=False)  # serialisable
    jsonschema.Draft202012Validator.check_schema(schema)
    assert {"category", "as_of", "unit", "applicant", "recommendation", "entries", "materials", "waive"} <= set(
        schema["properties"]
    )
    assert schema["additionalProperties"] is False
    applicant = schema["$defs"]["Applicant"]
    assert applicant["additionalProperties"] is False
    assert "nationality" in applicant["properties"]
    # every field is described in both languages
    for model in schema["$defs"].values():
        for name, prop in model["properties"].items():
            assert " / " in prop.get("description", ""), name


def test_json_schema_accepts_the_example_and_rejects_typos():
    jsonschema = pytest.importorskip("jsonschema")
    from changju_check.manifest.safeyaml import load_yaml

    def as_json(value):
        if isinstance(value, dict):
            return {str(k): as_json(v) for k, v in value.items()}
        if isinstance(value, list):
            return [as_json(v) for v in value]
        if isinstance(value, date):
            return value.isoformat()  # an editor sees YAML 1.2: a date is a string
        return value

    validator = jsonschema.Draft202012Validator(manifest_json_schema())
    data = as_json(load_yaml(FULL, "changju.yaml").data)
    data["unit"]["type"] = "企业"
    assert list(validator.iter_errors(data)) == []
    data["unit"]["tax_payed"] = True
    assert list(validator.iter_errors(data)) != []


def test_entries_cover_every_ordered_list_of_the_rules():
    """Every `ordered` constraint in the rule files names a list the manifest accepts."""
    import re
    from changju_check.manifest import Entries
    from changju_check.rulebook.cache import default_rules_dir

    rules = default_rules_dir()
    named = set()
    for f in rules.iterdir():
        if f.name.endswith(".yaml"):
            named |= set(re.findall(r"entries: ([a-z_]+)", f.read_text(encoding="utf-8")))
    assert named, "no ordered constraints found"
    assert named <= set(Entries.model_fields)
    m = parse("entries:\n  unit_patents: [一种方法]\n  innovations: [{title: 某项改革, year: 2022}]\n")
    assert m.entries.unit_patents[0].title == "一种方法" and m.entries.innovations[0].year == 2022
