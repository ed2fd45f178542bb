"""`changju init` and `changju schema`: the manifest in an editor."""

import json
from pathlib import Path

from typer.testing import CliRunner

from changju_check.cli import app
from changju_check.manifest import manifest_json_schema, parse_manifest

runner = CliRunner()


def test_init_writes_a_commented_manifest_with_only_the_categorys_facts(tmp_path):
    result = runner.invoke(app, ["init", str(tmp_path / "p"), "--category", "青年"])
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "p" / "changju.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=file://")
    assert "合同期限不低于2年" in text and "equity" in text  # youth: contract, and the 30% exemption
    assert "paid_in_capital" not in text and "team:" not in text  # startup-only facts
    manifest = parse_manifest(text)  # the template itself is a valid manifest
    assert manifest.category == "youth"
    assert "个人诚信声明" in result.stdout  # the list of files to gather
    assert sorted(p.name for p in (tmp_path / "p").iterdir()) == ["changju.yaml"]


def test_init_refuses_to_overwrite_without_force(tmp_path):
    (tmp_path / "changju.yaml").write_text("category: research\n", encoding="utf-8")
    result = runner.invoke(app, ["init", str(tmp_path), "--category", "youth"])
    assert result.exit_code == 2 and "--force" in result.stderr
    assert (tmp_path / "changju.yaml").read_text(encoding="utf-8") == "category: research\n"
    assert runner.invoke(app, ["init", str(tmp_path), "--category", "youth", "--force"]).exit_code == 0
    assert "category: youth" in (tmp_path / "changju.yaml").read_text(encoding="utf-8")


def test_init_for_each_category_is_a_valid_manifest(tmp_path):
    for key in ("registration", "research", "startup", "service", "finance", "management", "youth", "forum"):
        assert runner.invoke(app, ["init", str(tmp_path / key), "-c", key]).exit_code == 0
        parse_manifest((tmp_path / key / "changju.yaml").read_text(encoding="utf-8"))


def test_schema_prints_the_models_json_schema():
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == manifest_json_schema()


def test_the_shipped_schema_file_is_current():
    shipped = Path(__file__).parents[2] / "changju_check" / "data" / "manifest.schema.json"
    assert json.loads(shipped.read_text(encoding="utf-8")) == manifest_json_schema(), (
        "regenerate with: changju schema > changju_check/data/manifest.schema.json"
    )
