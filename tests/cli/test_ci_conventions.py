"""CI formats that name the packet, and the conventions of linters (--select checked, --quiet, --exit-zero)."""

from __future__ import annotations

import json
from pathlib import Path

from junitparser import JUnitXml
from typer.testing import CliRunner

from changju_check.cli import app
from tests.packets import build, youth_packet

runner = CliRunner()


def check(*args):
    return runner.invoke(app, ["check", *map(str, args)])


def _three(tmp_path: Path) -> Path:
    root = tmp_path / "packets"
    youth_packet(root / "甲", drop=("2-申报人材料/身份证.pdf",))
    youth_packet(root / "乙", drop=("2-申报人材料/身份证.pdf",))
    build(root / "丙", {"身份证.pdf": 1}, "category: [youth\n")  # a fatal report
    return root


def test_junit_parsed_by_a_junit_library_names_each_packet(tmp_path):
    root = _three(tmp_path)
    out = tmp_path / "junit.xml"
    result = check("--batch", root, "--format", "junit", "--output", out, "--jobs", "1")
    assert result.exit_code == 2
    xml = JUnitXml.fromfile(str(out))
    suites = list(xml)
    assert [Path(s.name).name for s in suites] == ["丙", "乙", "甲"]
    failing = {}
    for suite in suites:
        for case in suite:
            assert Path(suite.name).name in case.classname  # the packet is in every classname
            if not case.is_passed and not case.is_skipped:
                failing.setdefault((case.classname, case.name), []).append(suite.name)
    # the same missing ID card in two packets: two distinct failing test cases
    id_cases = [key for key in failing if "身份证件" in key[1]]
    assert len(id_cases) == 2 and len({c for c, _ in id_cases}) == 2
    fatal = next(s for s in suites if s.name.endswith("丙"))
    case = next(c for c in fatal if c.name == "无法检查材料包")  # the fatal problem's own test case
    assert case.classname.startswith(str(root / "丙").replace(".", "_"))
    assert ".." not in case.classname


def test_gitlab_code_quality_has_the_fields_gitlab_reads(tmp_path, monkeypatch):
    _three(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = check("--batch", "packets", "--format", "gitlab", "--jobs", "1")
    issues = json.loads(result.stdout)
    assert issues and all(
        {"description", "check_name", "fingerprint", "severity"} <= set(i) and i["location"]["path"] and i["location"]["lines"]["begin"] >= 1
        for i in issues
    )
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    missing_id = [i for i in issues if i["check_name"] == "CJ101" and "身份证件" in i["description"]]
    assert sorted(i["description"].split(":")[0] for i in missing_id) == ["packets/乙", "packets/甲"]
    assert {i["location"]["path"] for i in missing_id} == {"packets/乙/changju.yaml", "packets/甲/changju.yaml"}
    fatal = next(i for i in issues if i["severity"] == "blocker")
    assert fatal["check_name"] == "CJ401" and fatal["location"]["path"] == "packets/丙/changju.yaml"
    again = json.loads(check("--batch", "packets", "--format", "gitlab", "--jobs", "1", "--lang", "en").stdout)
    assert [i["fingerprint"] for i in again] == [i["fingerprint"] for i in issues]  # stable across runs and languages


def test_an_unknown_code_in_select_or_ignore_exits_2_naming_it(tmp_path):
    packet = youth_packet(tmp_path / "a")
    for option, value, bad in (("--select", "CJ999", "CJ999"), ("--select", "CJ1,foo", "FOO"), ("--ignore", "CJ10x", "CJ10X")):
        result = check(packet, option, value)
        assert result.exit_code == 2, (option, value)
        assert bad in result.stderr
    assert check(packet, "--select", "CJ1,CJ201").exit_code == 0
    assert check(packet, "--ignore", "CJ").exit_code == 0


def test_quiet_prints_only_problems(tmp_path):
    root = tmp_path / "packets"
    youth_packet(root / "clean")
    youth_packet(root / "bad", drop=("2-申报人材料/身份证.pdf",))
    clean = check(root / "clean", "--quiet")
    assert clean.exit_code == 0 and clean.stdout == ""
    batch = check("--batch", root, "--quiet", "--jobs", "1")
    assert batch.exit_code == 1
    lines = batch.stdout.splitlines()
    assert lines and all(line.startswith(str(root / "bad")) for line in lines)
    assert any("CJ101" in line for line in lines)


def test_exit_zero_reports_but_never_fails_the_job(tmp_path):
    bad = youth_packet(tmp_path / "bad", drop=("2-申报人材料/身份证.pdf",))
    result = check(bad, "--exit-zero", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["ok"] is False
    assert check(bad, "--exit-zero", "--select", "CJ999").exit_code == 2  # a usage mistake still is one
