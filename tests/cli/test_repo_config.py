"""Repository configuration: [tool.changju] in pyproject.toml or changju.toml, found upward; the command line wins."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from changju_check.cli import app
from tests.packets import YOUTH_MANIFEST, youth_packet

runner = CliRunner()
NO_AS_OF = YOUTH_MANIFEST.replace("as_of: 2023-08-31\n", "")
# a contract that ends 2025-02-28: 6 months left on 2024-08-28, not on 2024-12-31
LATE = "2024-12-31"


def run(*args):
    return runner.invoke(app, [*map(str, args)])


def _repo(tmp_path: Path, text: str, name: str = "changju.toml") -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_config_values_apply_from_a_parent_folder(tmp_path, monkeypatch):
    _repo(tmp_path, f'as_of = {LATE}\nstrict = true\nlang = "en"\n')
    packet = youth_packet(tmp_path / "packets" / "a", manifest=NO_AS_OF)
    monkeypatch.chdir(tmp_path / "packets")
    monkeypatch.delenv("CHANGJU_LANG", raising=False)
    data = json.loads(run("check", "a", "--format", "json").stdout)
    assert data["as_of"] == LATE
    assert "CJ202" in [f["code"] for f in data["findings"]]
    assert data["category_title"] != "青年类人才"  # lang = en: the English title
    assert packet.exists()


def test_the_command_line_overrides_the_config(tmp_path, monkeypatch):
    _repo(tmp_path, f'as_of = {LATE}\nstrict = true\nselect = ["CJ2"]\nlang = "en"\n')
    youth_packet(tmp_path / "a", manifest=NO_AS_OF, add={"说明.pdf": 1})  # CJ103, a warning
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CHANGJU_LANG", raising=False)
    configured = json.loads(run("check", "a", "--format", "json").stdout)
    assert {f["code"] for f in configured["findings"]} <= {"CJ201", "CJ202", "CJ203", "CJ204", "CJ205", "CJ207", "CJ208", "CJ209", "CJ210", "CJ211"}
    given = json.loads(run("check", "a", "--format", "json", "--as-of", "2023-08-31", "--no-strict", "--select", "CJ1", "--lang", "zh").stdout)
    assert given["as_of"] == "2023-08-31" and given["category_title"] == "青年类人才"
    assert [f["code"] for f in given["findings"]] == ["CJ103"]
    assert given["ok"] is True  # --no-strict: the warning stays a warning


def test_a_manifest_as_of_wins_over_the_repository_default(tmp_path, monkeypatch):
    _repo(tmp_path, "[tool.changju]\nas_of = 2024-12-31\n", name="pyproject.toml")
    youth_packet(tmp_path / "a")  # its manifest says as_of: 2023-08-31
    monkeypatch.chdir(tmp_path)
    assert json.loads(run("check", "a", "--format", "json").stdout)["as_of"] == "2023-08-31"


def test_changju_toml_is_taken_before_pyproject_and_a_pyproject_without_the_table_is_passed_over(tmp_path, monkeypatch):
    _repo(tmp_path, 'lang = "en"\n')
    sub = tmp_path / "sub"
    sub.mkdir()
    _repo(sub, "[project]\nname = 'x'\n", name="pyproject.toml")
    monkeypatch.chdir(sub)
    monkeypatch.delenv("CHANGJU_LANG", raising=False)
    result = run("config", "--format", "json")
    data = json.loads(result.stdout)
    assert data["file"] == str(tmp_path / "changju.toml")
    assert data["settings"]["lang"] == {"value": "en", "source": str(tmp_path / "changju.toml")}
    assert data["settings"]["strict"] == {"value": False, "source": "default"}


def test_changju_config_shows_each_setting_and_where_it_came_from(tmp_path, monkeypatch):
    _repo(tmp_path, 'strict = true\nignore = ["CJ103"]\nrules = "my-rules"\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CHANGJU_LANG", raising=False)
    result = run("config", "--no-strict")
    assert result.exit_code == 0
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    assert "false" in lines["strict"] and "命令行" in lines["strict"]
    assert "CJ103" in lines["ignore"] and "changju.toml" in lines["ignore"]
    assert str(tmp_path / "my-rules") in lines["rules"]
    assert "默认" in lines["select"]


def test_a_wrong_config_exits_2_naming_the_file_and_the_key(tmp_path, monkeypatch):
    youth_packet(tmp_path / "a")
    monkeypatch.chdir(tmp_path)
    for text, word in (("strickt = true\n", "strickt"), ('select = ["CJ999"]\n', "CJ999"), ("strict = 'yes'\n", "strict"), ("as_of = [\n", "TOML")):
        _repo(tmp_path, text)
        result = run("check", "a")
        assert result.exit_code == 2, text
        assert word in result.stderr and "changju.toml" in result.stderr
        assert "Traceback" not in result.stderr
