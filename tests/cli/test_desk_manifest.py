"""The manifest at a Chinese desk: a checklist even when changju.yaml is broken, no silent
placeholders from `init`, the template's example values reported (CJ407), slips in readable
YAML reported (CJ408)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from changju_check.cli import app
from changju_check.manifest import parse_manifest
from changju_check.rulebook import template
from changju_check.rulebook.load import load_rules

runner = CliRunner()
COMPLETE = Path(__file__).resolve().parents[2] / "examples" / "youth-complete"


def packet(tmp_path: Path, manifest: str | None) -> Path:
    root = tmp_path / "packet"
    shutil.copytree(COMPLETE, root)
    if manifest is not None:
        (root / "changju.yaml").write_text(manifest, encoding="utf-8")
    return root


def check(root: Path, *args: str):
    result = runner.invoke(app, ["check", str(root), *args])
    return result.exit_code, result.stdout


def statuses(data) -> dict[str, str]:
    return {m["number"]: m["status"] for m in data["materials"]}


BROKEN = (COMPLETE / "changju.yaml").read_text(encoding="utf-8")
BROKEN = BROKEN.replace("  name: 刘雨桐\n", "  name：刘雨桐\n").replace("unit: {name:", "unit: {nmae:")


def test_a_manifest_with_an_unknown_key_and_a_syntax_error_still_gets_its_full_materials_list(tmp_path):
    root = packet(tmp_path, BROKEN)
    code, out = check(root, "-f", "json")
    data = json.loads(out)
    assert code == 2 and data["ok"] is False
    assert data["fatal"]["code"] == "CJ401"
    assert "未知的键 'nmae'" in data["fatal"]["message"] and "全角冒号“：”" in data["fatal"]["message"]
    _, full = check(packet(tmp_path / "ok", None), "-f", "json")
    assert [m["id"] for m in data["materials"]] == [m["id"] for m in json.loads(full)["materials"]]
    assert statuses(data)["2.(3)"] == "present"  # the files were discovered and recognised


def test_a_broken_manifest_gets_the_checklist_with_every_problem_on_top(tmp_path):
    code, out = check(packet(tmp_path, BROKEN))
    assert code == 2
    lines = out.splitlines()
    top = lines.index("清单文件有误，下面的检查结果不完整；请按提示改正后再运行一次")
    table = next(i for i, line in enumerate(lines) if line.startswith("序号"))
    problems = "\n".join(lines[top:table])
    assert top < table and "changju.yaml:5:" in problems and "changju.yaml:7:" in problems
    assert "2.(14)" in out and "✓ 已提供" in out


def test_a_constraint_that_needed_a_fact_lost_to_the_broken_line_is_cj208(tmp_path):
    text = BROKEN.replace("  equity: {percent: 35, largest_natural_person: true}\n", "  equity：{percent: 35}\n")
    data = json.loads(check(packet(tmp_path, text), "-f", "json")[1])
    assert statuses(data)["2.(5)"] == "missing"  # no equity known: the youth contract is required again
    assert any(f["code"] == "CJ208" and f["material"] == "labor_contract" for f in data["findings"])


def test_init_writes_no_value_that_passes_for_a_fact():
    rules = load_rules(None)
    for key, category in rules.categories.items():
        manifest = parse_manifest(template.render(rules, category))
        assert template.example_values(manifest) == [], key
        for fact in ("unit.name", "unit.paid_in_capital", "applicant.name", "applicant.hired_on", "applicant.contract.start",
                     "applicant.equity.percent", "recommendation"):
            assert manifest.fact(fact) is None, (key, fact)
        assert manifest.entries is None and manifest.materials is None and manifest.waive is None, key
        assert "[]" not in template.render(rules, category)


def test_init_then_check_reports_what_is_left_to_fill_and_drops_no_required_material(tmp_path):
    root = packet(tmp_path, None)
    (root / "changju.yaml").unlink()
    assert runner.invoke(app, ["init", str(root), "-c", "youth"]).exit_code == 0
    data = json.loads(check(root, "-f", "json", "--as-of", "2023-08-31")[1])
    assert "not_applicable" not in {statuses(data)[n] for n in ("2.(5)",)}
    assert statuses(data)["2.(5)"] == "missing"
    (empty,) = [f for f in data["findings"] if f["code"] == "CJ407"]
    # what the example's pages say (the ID card's name, the 社保 record's unit) init filled in; what no
    # page says is left to fill, and check says so
    assert empty["severity"] == "warning" and "applicant.hired_on" in empty["message"] and "recommendation" in empty["message"]
    assert "applicant.name" not in empty["message"] and "unit.name" not in empty["message"]


OLD_TEMPLATE = """\
category: youth
as_of: 2023-08-31
unit:
  name: 北京某某科技有限公司
  type: enterprise
applicant:
  name: 张三
  nationality: CN
  hired_on: 2021-03-01
  contract: {start: 2021-03-01, end: 2024-02-29}
  equity: {percent: 35, largest_natural_person: true}
"""


def test_the_templates_example_values_are_warnings_naming_the_key_and_count_as_not_given(tmp_path):
    data = json.loads(check(packet(tmp_path, OLD_TEMPLATE), "-f", "json")[1])
    flagged = {f["line"]: f["message"] for f in data["findings"] if f["code"] == "CJ407"}
    assert set(flagged) == {4, 7, 9, 10, 11}
    assert "unit.name" in flagged[4] and "applicant.equity.percent" in flagged[11]
    assert all(f["severity"] == "warning" for f in data["findings"] if f["code"] == "CJ407")
    # the example 35 % would have made the youth contract "not applicable": it does not
    assert statuses(data)["2.(5)"] == "missing"


def test_real_values_are_not_the_templates_examples(tmp_path):
    data = json.loads(check(packet(tmp_path, None), "-f", "json")[1])  # 35 % equity, a real packet
    assert not [f for f in data["findings"] if f["code"] in ("CJ407", "CJ408")]
    assert statuses(data)["2.(5)"] == "not_applicable"


@pytest.mark.parametrize("value, slip", [("“刘雨桐”", True), ("刘雨桐", False), ('"刘雨桐"', False)])
def test_curly_quotes_around_a_name_are_cj408(tmp_path, value, slip):
    text = (COMPLETE / "changju.yaml").read_text(encoding="utf-8").replace("  name: 刘雨桐\n", f"  name: {value}\n")
    code, out = check(packet(tmp_path, text), "-f", "json")
    found = [f for f in json.loads(out)["findings"] if f["code"] == "CJ408"]
    assert code == 0
    assert bool(found) is slip
    if slip:
        assert found[0]["line"] == 7 and "中文引号" in found[0]["message"]
