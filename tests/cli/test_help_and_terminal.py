"""The command line as a Chinese desk sees it: help in Chinese first, --lang anywhere, colour and
width conventions (NO_COLOR, FORCE_COLOR, --color, COLUMNS), `-o -` for stdout."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from changju_check.cli import main

ROOT = Path(__file__).resolve().parents[2]
FLAWED = str(ROOT / "examples" / "youth-flawed")
COMPLETE = str(ROOT / "examples" / "youth-complete")


def run(capsys, *args, env=None, monkeypatch=None):
    for key in ("CHANGJU_LANG", "NO_COLOR", "FORCE_COLOR", "COLUMNS"):
        monkeypatch.delenv(key, raising=False)
    for key, value in (env or {}).items():
        monkeypatch.setenv(key, value)
    with pytest.raises(SystemExit) as exit_:
        main(list(args))
    out, err = capsys.readouterr()
    return exit_.value.code, out, err


@pytest.fixture
def changju(capsys, monkeypatch):
    return lambda *args, env=None: run(capsys, *args, env=env, monkeypatch=monkeypatch)


def test_help_is_in_chinese_by_default(changju):
    code, out, _ = changju("check", "--help")
    assert code == 0
    assert out.startswith("用法：changju check")
    assert "检查申报材料包" in out and "选项：" in out and "显示帮助并退出" in out
    code, out, _ = changju("--help")
    assert "命令：" in out and "说明某类别适用于谁，并按申报指南的顺序列出它需要的材料" in out


@pytest.mark.parametrize("args", [("--lang", "en", "check", "--help"), ("check", "--help", "--lang", "en"), ("check", "--lang=en", "--help")])
def test_lang_en_before_or_after_the_command_gives_english_help(changju, args):
    code, out, _ = changju(*args)
    assert code == 0 and out.startswith("Usage: changju check") and "Check packet(s)" in out and "用法" not in out


def test_changju_lang_en_gives_english_help(changju):
    code, out, _ = changju("list-required", "--help", env={"CHANGJU_LANG": "en"})
    assert "Usage:" in out and "Also list the optional materials" in out


def test_lang_before_the_command_sets_the_report_language(changju):
    code, out, _ = changju("--lang", "en", "check", FLAWED)
    assert code == 1
    assert "Required material missing" in out and "缺少必要材料" not in out


def test_a_usage_error_is_explained_in_chinese(changju):
    code, _, err = changju("check", "--format", "pdf", FLAWED)
    assert code == 2
    assert "错误：" in err and "“pdf” 无效" in err and "changju check --help" in err and "Traceback" not in err


def test_an_unknown_option_is_named_in_chinese(changju):
    code, _, err = changju("list-required", "youth", "--colour")
    assert code == 2 and "没有这个选项：--colour" in err


ANSI = "\x1b["


@pytest.mark.parametrize(
    "args, env, coloured",
    [
        ((), {}, False),  # captured: not a terminal
        (("--color", "always"), {}, True),
        (("--color", "always"), {"NO_COLOR": "1"}, True),  # the explicit option wins
        ((), {"FORCE_COLOR": "1"}, True),
        ((), {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        (("--color", "never"), {"FORCE_COLOR": "1"}, False),
        (("--no-color",), {"FORCE_COLOR": "1"}, False),
    ],
)
def test_colour_follows_the_option_then_no_color_then_force_color(changju, args, env, coloured):
    code, out, _ = changju("check", FLAWED, *args, env=env)
    assert code == 1
    assert (ANSI in out) is coloured


@pytest.mark.parametrize("command", [("list-required", "youth"), ("categories",), ("explain", "CJ101"), ("schema",), ("rules", "validate")])
def test_every_command_takes_the_colour_options(changju, command):
    for option in (("--no-color",), ("--color", "never"), ("--color", "auto")):
        code, _, err = changju(*command, *option)
        assert code == 0, err
    code, _, _ = changju("--color", "never", *command)
    assert code == 0


def test_list_required_tables_take_colour_when_forced(changju):
    _, out, _ = changju("list-required", "youth", "--color", "always")
    assert ANSI in out
    _, out, _ = changju("list-required", "youth", env={"NO_COLOR": "1"})
    assert ANSI not in out


def _widest(text: str) -> int:
    from changju_check.render._common import cell_width

    return max(cell_width(line) for line in text.splitlines())


@pytest.mark.parametrize("columns", [40, 60, 80])
def test_columns_is_respected_down_to_40_cells(changju, columns):
    code, out, _ = changju("check", FLAWED, env={"COLUMNS": str(columns)})
    assert code == 1
    assert _widest(out) <= columns, out
    _, out, _ = changju("list-required", "youth", env={"COLUMNS": str(columns)})
    assert _widest(out) <= columns, out


def test_output_dash_means_stdout(changju, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = changju("check", COMPLETE, "-f", "json", "-o", "-")
    assert code == 0 and json.loads(out)["ok"] is True
    assert not os.path.exists(tmp_path / "-")
