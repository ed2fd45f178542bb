"""Configuration inside the packet being checked is not applied.

An agency opens a client's folder and runs `changju check .`; the client's folder carries a
`changju.toml` (or a `pyproject.toml` with `[tool.changju]`) with `ignore = ["CJ1", "CJ3"]`, or
`rules = ".r"` pointing at a rule set it ships. None of it may change the verdict: the file is not
read, a note (CJ413, and a line on stderr) says it was passed over and why, and every report names
the configuration file that was applied, if any."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from typer.testing import CliRunner

from changju_check.cli import app
from changju_check.rulebook.cache import default_rules_dir
from tests.packets import youth_packet

runner = CliRunner(mix_stderr=False) if "mix_stderr" in CliRunner.__init__.__code__.co_varnames else CliRunner()
ENV = {"CHANGJU_LANG": "zh", "COLUMNS": "160"}
FORM = {"申报书.pdf": 2}
MISSING = ("2-申报人材料/身份证.pdf", "2-申报人材料/学历学位证书.pdf")
IGNORE_ALL = 'ignore = ["CJ1", "CJ3"]\nlang = "en"\n'


def _hostile_packet(tmp_path, config_name="changju.toml", text=IGNORE_ALL):
    root = youth_packet(tmp_path / "客户" / "王磊", drop=MISSING, add=FORM)
    if config_name == "pyproject.toml":
        text = "[project]\nname = 'x'\n\n[tool.changju]\n" + text
    (root / config_name).write_text(text, encoding="utf-8")
    return root


def _snapshot(root):
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("config_name", ["changju.toml", "pyproject.toml"])
def test_cd_packet_and_check_dot_does_not_apply_the_packets_own_config(tmp_path, monkeypatch, config_name):
    root = _hostile_packet(tmp_path, config_name)
    before = _snapshot(root)
    monkeypatch.chdir(root)
    result = runner.invoke(app, ["check", ".", "--format", "json"], env=ENV)
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    assert doc["ok"] is False and doc["ready_to_bind"] is False
    assert [f["code"] for f in doc["findings"]].count("CJ101") == 2
    assert doc["config"] is None
    note = next(f for f in doc["findings"] if f["code"] == "CJ413")
    assert note["severity"] == "info" and config_name in note["message"]
    assert doc["category_title"] == "青年类人才"  # its lang = "en" was not applied either
    assert config_name in result.stderr and "未采用" in result.stderr
    assert _snapshot(root) == before


def test_check_the_packet_by_path_from_its_parent_ignores_it_too(tmp_path, monkeypatch):
    root = _hostile_packet(tmp_path)
    monkeypatch.chdir(root.parent)
    result = runner.invoke(app, ["check", "王磊", "--format", "json"], env=ENV)
    assert result.exit_code == 1 and json.loads(result.stdout)["config"] is None


def test_a_rule_set_shipped_in_the_packet_is_not_used(tmp_path, monkeypatch):
    root = _hostile_packet(tmp_path, text='rules = ".r"\n')
    shutil.copytree(default_rules_dir(), root / ".r")
    (root / ".r" / "categories.yaml").write_text("this: [is not, a rule set\n", encoding="utf-8")  # would be exit 2
    monkeypatch.chdir(root)
    result = runner.invoke(app, ["check", ".", "--format", "json"], env=ENV)
    assert result.exit_code == 1, result.output
    assert "CJ101" in [f["code"] for f in json.loads(result.stdout)["findings"]]


def test_a_broken_config_in_the_packet_cannot_make_the_check_unusable(tmp_path, monkeypatch):
    root = _hostile_packet(tmp_path, text="ignore = [\n")  # a TOML syntax error: would be exit 2
    monkeypatch.chdir(root)
    result = runner.invoke(app, ["check", ".", "--format", "json"], env=ENV)
    assert result.exit_code == 1, result.output


def test_in_a_batch_only_the_configuration_outside_the_packets_applies(tmp_path, monkeypatch):
    _hostile_packet(tmp_path)
    youth_packet(tmp_path / "客户" / "张三", add=FORM)
    (tmp_path / "changju.toml").write_text('as_of = 2023-08-31\n', encoding="utf-8")  # the agency's own
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check", "--batch", "客户", "--format", "json", "--jobs", "1"], env=ENV)
    assert result.exit_code == 1, result.output
    packets = {p["packet"].split("/")[-1]: p for p in json.loads(result.stdout)["packets"]}
    assert packets["王磊"]["ok"] is False and packets["张三"]["ok"] is True
    for p in packets.values():
        assert p["config"] == str(tmp_path / "changju.toml")
    # the packet's own file is not on the way up from here: never a candidate, nothing to note
    assert all("CJ413" not in [f["code"] for f in p["findings"]] for p in packets.values())


def test_a_batch_run_from_inside_a_packet_does_not_apply_its_config(tmp_path, monkeypatch):
    root = _hostile_packet(tmp_path)
    monkeypatch.chdir(root)
    result = runner.invoke(app, ["check", "--batch", ".", "--format", "json", "--jobs", "1"], env=ENV)
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    packet = doc["packets"][0] if "packets" in doc else doc
    assert packet["ok"] is False and packet["config"] is None
    assert "CJ413" in [f["code"] for f in packet["findings"]]


def _applied(tmp_path, monkeypatch):
    youth_packet(tmp_path / "packets" / "张三", add=FORM)
    config = tmp_path / "changju.toml"
    config.write_text("strict = false\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return str(config)


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "html"])
def test_every_report_names_the_configuration_applied(tmp_path, monkeypatch, fmt):
    config = _applied(tmp_path, monkeypatch)
    out = tmp_path / f"report.{fmt}"
    result = runner.invoke(app, ["check", "packets/张三", "--format", fmt, "-o", str(out)], env=ENV)
    assert result.exit_code == 0, result.output
    body = out.read_text(encoding="utf-8").replace("\\_", "_")  # markdown escapes the underscores
    assert config in body
    if fmt == "json":
        assert json.loads(body)["config"] == config


@pytest.mark.parametrize("fmt", ["text", "markdown", "csv", "json"])
def test_every_summary_names_the_configuration_applied(tmp_path, monkeypatch, fmt):
    config = _applied(tmp_path, monkeypatch)
    result = runner.invoke(app, ["check", "--batch", "packets", "--summary", "--format", fmt, "--jobs", "1"], env=ENV)
    assert result.exit_code == 0 and config in result.stdout.replace("\\_", "_"), result.output
    shard = tmp_path / "shard.json"
    runner.invoke(app, ["check", "--batch", "packets", "--format", "json", "-o", str(shard), "--jobs", "1"], env=ENV)
    merged = runner.invoke(app, ["summary", str(shard), "--format", fmt], env=ENV)
    assert merged.exit_code == 0 and config in merged.stdout.replace("\\_", "_"), merged.output
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(merged.stdout.lstrip("\ufeff"), newline="")))
        assert rows[1][rows[0].index("配置文件")] == config


def test_without_a_configuration_the_json_says_none(tmp_path, monkeypatch):
    root = youth_packet(tmp_path / "packets" / "张三", add=FORM)
    monkeypatch.chdir(tmp_path)
    doc = json.loads(runner.invoke(app, ["check", str(root), "--format", "json"], env=ENV).stdout)
    assert doc["config"] is None and "CJ413" not in [f["code"] for f in doc["findings"]]


def test_bundle_does_not_apply_the_packets_own_config_either(tmp_path, monkeypatch):
    root = _hostile_packet(tmp_path)
    monkeypatch.chdir(root)
    book = tmp_path / "book.pdf"
    result = runner.invoke(app, ["bundle", ".", "-o", str(book)], env=ENV)
    assert result.exit_code == 1, result.output  # refused: two required materials are missing
    assert not book.exists()
    assert "changju.toml" in result.stderr


def test_changju_config_in_a_packet_says_its_own_file_does_not_apply(tmp_path, monkeypatch):
    root = _hostile_packet(tmp_path)
    monkeypatch.chdir(root)
    result = runner.invoke(app, ["config", "--format", "json"], env=ENV)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["file"] is None and doc["settings"]["ignore"]["value"] == []
    assert "changju.toml" in result.stderr


def test_the_html_index_names_the_configuration_applied(tmp_path, monkeypatch):
    config = _applied(tmp_path, monkeypatch)
    result = runner.invoke(app, ["check", "--batch", "packets", "--format", "html", "-o", "sheets/", "--jobs", "1"], env=ENV)
    assert result.exit_code == 0, result.output
    index = (tmp_path / "sheets" / "index.html").read_text(encoding="utf-8")
    assert 'data-field="config"' in index and config in index
