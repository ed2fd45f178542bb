"""`changju summary` over malformed or forged reports: every report is validated against the
report's JSON Schema (published by `changju schema --report`) before a single packet is counted.
A report that does not validate is an error naming the file and the JSON path, exit 2, never a
traceback and never a pass."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from changju_check.cli import app
from tests.packets import youth_packet

runner = CliRunner(mix_stderr=False) if "mix_stderr" in CliRunner.__init__.__code__.co_varnames else CliRunner()
ENV = {"CHANGJU_LANG": "en", "COLUMNS": "160"}
FORM = {"申报书.pdf": 2}


@pytest.fixture(scope="module")
def shard(tmp_path_factory) -> dict:
    """A real batch report: one packet that passes, one that misses its ID card."""
    tmp = tmp_path_factory.mktemp("shard")
    youth_packet(tmp / "batch" / "张三", add=FORM)
    youth_packet(tmp / "batch" / "李四", drop=("2-申报人材料/身份证.pdf",))
    out = tmp / "shard.json"
    result = runner.invoke(app, ["check", "--batch", str(tmp / "batch"), "--format", "json", "-o", str(out), "--jobs", "1"], env=ENV)
    assert result.exit_code == 1, result.output
    return json.loads(out.read_text(encoding="utf-8"))


def _failing(doc: dict) -> dict:
    return next(p for p in doc["packets"] if not p["ok"])


def _edit(doc: dict, how) -> dict:
    doc = json.loads(json.dumps(doc))
    how(doc)
    return doc


CASES = {
    "summary as a list": (lambda d: _failing(d).update(summary=[1, 2]), "$.packets[1].summary"),
    "errors as a word": (lambda d: _failing(d)["summary"].update(errors="many"), "$.packets[1].summary.errors"),
    "fatal as a string": (lambda d: _failing(d).update(fatal="broken"), "$.packets[1].fatal"),
    "findings as strings": (lambda d: _failing(d).update(findings=["CJ101"]), "$.packets[1].findings[0]"),
    "a numeric message": (lambda d: _failing(d)["findings"][0].update(message=101), "$.packets[1].findings[0].message"),
    "ok as the string false": (lambda d: _failing(d).update(ok="false"), "$.packets[1].ok"),
    "a packet without a name": (lambda d: _failing(d).pop("packet"), "$.packets[1].packet"),
    "a packet named by spaces": (lambda d: _failing(d).update(packet="  "), "$.packets[1].packet"),
    "ok true beside its errors": (lambda d: _failing(d).update(ok=True), "$.packets[1]"),
    "errors counted away": (lambda d: (_failing(d).update(ok=True), _failing_ok(d)), "$.packets[1]"),
    "ready without passing": (lambda d: _failing(d).update(ready_to_bind=True), "$.packets[1]"),
    "packets as a mapping": (lambda d: d.update(packets={"a": 1}), "$.packets"),
    "a count of packets that lies": (lambda d: d["summary"].update(packets=1), "$"),
}


def _failing_ok(doc):
    p = next(p for p in doc["packets"] if p["packet"].endswith("李四"))
    p["summary"]["errors"] = 0


def _run(tmp_path: Path, text: str, fmt: str = "text"):
    path = tmp_path / "shard-1.json"
    path.write_text(text, encoding="utf-8")
    return path, runner.invoke(app, ["summary", str(path), "--format", fmt], env=ENV)


def _refused(result, path: Path, where: str | None):
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    assert str(path) in result.stderr and "not a changju JSON report" in result.stderr
    if where is not None:
        assert f"{where}" in result.stderr, result.stderr
    assert "passed" not in result.stdout and "✓" not in result.stdout  # nothing counted


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_malformed_or_forged_report_is_refused_naming_file_and_path(tmp_path, shard, case):
    how, where = CASES[case]
    path, result = _run(tmp_path, json.dumps(_edit(shard, how), ensure_ascii=False))
    _refused(result, path, where)


@pytest.mark.parametrize("number", ["1e400", "NaN", "Infinity", "-1", "2.0"])
def test_a_count_that_is_not_a_count_is_refused(tmp_path, shard, number):
    text = json.dumps(shard, ensure_ascii=False)
    failing = _failing(shard)
    marker = json.dumps(failing["summary"])
    forged = json.dumps({**failing["summary"], "errors": "@@"}).replace('"@@"', number)
    path, result = _run(tmp_path, text.replace(marker, forged, 1))
    _refused(result, path, None)


@pytest.mark.parametrize("fmt", ["text", "markdown", "csv", "json"])
def test_nesting_100000_deep_is_an_error_not_a_recursion_error(tmp_path, fmt):
    path, result = _run(tmp_path, '{"packets": ' + "[" * 100_000 + "]" * 100_000 + "}", fmt)
    _refused(result, path, None)
    assert "RecursionError" not in result.output + result.stderr


def test_one_bad_shard_among_good_ones_fails_the_whole_summary(tmp_path, shard):
    good = tmp_path / "shard-1.json"
    good.write_text(json.dumps(shard, ensure_ascii=False), encoding="utf-8")
    bad = tmp_path / "shard-2.json"
    bad.write_text(json.dumps(_edit(shard, lambda d: _failing(d).update(ok="true")), ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["summary", str(good), str(bad)], env=ENV)
    assert result.exit_code == 2 and str(bad) in result.stderr


def test_a_real_report_still_summarises(tmp_path, shard):
    _, result = _run(tmp_path, json.dumps(shard, ensure_ascii=False), "json")
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["summary"]["packets"] == 2


def _schema() -> dict:
    result = runner.invoke(app, ["schema", "--report"], env=ENV)
    assert result.exit_code == 0
    return json.loads(result.stdout)


def test_the_published_schema_accepts_every_real_report(shard):
    validator = jsonschema.Draft202012Validator(_schema())
    jsonschema.Draft202012Validator.check_schema(validator.schema)
    assert not list(validator.iter_errors(shard))
    for packet in shard["packets"]:  # one packet's report on its own
        assert not list(validator.iter_errors(packet))


@pytest.mark.parametrize("case", ["summary as a list", "errors as a word", "fatal as a string", "findings as strings",
                                  "a numeric message", "ok as the string false", "a packet without a name"])
def test_the_published_schema_refuses_what_summary_refuses(shard, case):
    validator = jsonschema.Draft202012Validator(_schema())
    assert list(validator.iter_errors(_edit(shard, CASES[case][0])))


def test_the_message_is_chinese_first(tmp_path, shard):
    path = tmp_path / "shard-1.json"
    path.write_text(json.dumps(_edit(shard, CASES["ok as the string false"][0]), ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["summary", str(path)], env={"CHANGJU_LANG": "zh"})
    assert result.exit_code == 2
    assert f"{path}：$.packets[1].ok：应为 true 或 false" in result.stderr
    path.write_text(json.dumps(_edit(shard, CASES["ok true beside its errors"][0]), ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["summary", str(path)], env={"CHANGJU_LANG": "zh"})
    assert "ok 为 true，而报告计有 1 个错误" in result.stderr
