"""pre-commit passes the committed file names after the hook's entry. A file named like an option
(`--exit-zero`, `--ignore=CJ`, `-h`) must stay a file name: the entry ends with `--`, and
`changju check` takes `--` before its paths, so a broken packet still fails the commit."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from changju_check.cli import app
from tests.packets import youth_packet

ROOT = Path(__file__).resolve().parents[2]
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
OPTION_LIKE = ["--exit-zero", "--ignore=CJ", "-h", "--format=json", "--help"]

runner = CliRunner()


@pytest.mark.parametrize("hook", HOOKS, ids=[h["id"] for h in HOOKS])
def test_every_hook_entry_ends_its_options_with_a_double_dash(hook):
    assert shlex.split(hook["entry"])[-1] == "--", hook["entry"]


@pytest.mark.parametrize("hook", HOOKS, ids=[h["id"] for h in HOOKS])
@pytest.mark.parametrize("name", OPTION_LIKE)
def test_a_file_named_like_an_option_cannot_pass_a_broken_packet(tmp_path, monkeypatch, hook, name):
    # 一个缺少身份证的材料包，仓库根目录下另有一个名为 --exit-zero 之类的文件，同时提交
    youth_packet(tmp_path / "王磊", drop=("2-申报人材料/身份证.pdf",))
    (tmp_path / name).write_bytes(b"x")
    monkeypatch.chdir(tmp_path)
    argv = shlex.split(hook["entry"])[1:] + [name, "王磊/2-申报人材料/劳动合同.pdf"]  # as pre-commit calls it
    result = runner.invoke(app, argv, env={"CHANGJU_LANG": "en", "COLUMNS": "120"})
    assert result.exit_code == 1, result.output
    assert "CJ101" in result.output
    assert "Traceback" not in result.output and "Usage" not in result.output


def test_check_takes_a_double_dash_before_a_packet_named_like_an_option(tmp_path, monkeypatch):
    youth_packet(tmp_path / "-h", drop=("2-申报人材料/身份证.pdf",))
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check", "--", "-h"], env={"CHANGJU_LANG": "en", "COLUMNS": "120"})
    assert result.exit_code == 1, result.output
    assert "CJ101" in result.output


def test_the_documented_local_hooks_end_their_options_too():
    """README and the documentation site's pages (the pre-commit page shows a local hook)."""
    import re

    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    text = "\n".join(p.read_text(encoding="utf-8") for p in pages)
    entries = re.findall(r"entry: (changju check[^,\n]*)", text)
    assert entries and all(shlex.split(e)[-1] == "--" for e in entries), entries
