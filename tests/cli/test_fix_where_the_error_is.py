"""The fix where the error is: a missing material names the file names that would be recognised,
every human format ends with how to learn more, list-required shows the recognised names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from changju_check.cli import app

runner = CliRunner()
FLAWED = str(Path(__file__).resolve().parents[2] / "examples" / "youth-flawed")
COMPLETE = str(Path(__file__).resolve().parents[2] / "examples" / "youth-complete")


def test_a_missing_material_names_the_file_name_words_that_are_recognised():
    data = json.loads(runner.invoke(app, ["check", FLAWED, "-f", "json"]).stdout)
    (missing,) = [f for f in data["findings"] if f["code"] == "CJ101"]
    assert "2.(3)" in missing["message"]
    # the 学位 report is there: the 学历 part is the one missing, named with the words that recognise it
    assert "学历认证" in missing["message"] and "“学历认证”" in missing["message"] and "即可识别" in missing["message"]


@pytest.mark.parametrize("fmt, last", [("markdown", "_了解代码的含义和修改方法：changju explain CJ101_"),
                                       ("github", "了解代码的含义和修改方法：changju explain CJ101")])
def test_every_human_format_ends_with_how_to_learn_more(fmt, last):
    out = runner.invoke(app, ["check", FLAWED, "-f", fmt]).stdout
    assert out.rstrip("\n").splitlines()[-1] == last


def test_the_text_report_says_how_to_learn_more_just_before_its_verdict_and_stage():
    out = runner.invoke(app, ["check", FLAWED]).stdout.rstrip("\n").splitlines()
    assert out[-5:] == ["了解代码的含义和修改方法：changju explain CJ101", "", "✗ 3 个错误，1 个警告 — 不通过",
                        "还不能上传系统：先改正上面的 3 个错误"][-5:] or out[-4:] == [
        "了解代码的含义和修改方法：changju explain CJ101", "", "✗ 3 个错误，1 个警告 — 不通过", "还不能上传系统：先改正上面的 3 个错误"]


def test_a_passing_packet_has_nothing_to_explain():
    out = runner.invoke(app, ["check", COMPLETE]).stdout
    assert "changju explain" not in out


def test_list_required_names_shows_the_recognised_file_names():
    out = runner.invoke(app, ["list-required", "youth", "--names"]).stdout
    assert "可识别的文件名" in out and "护照、" in out
    data = json.loads(runner.invoke(app, ["list-required", "youth", "--names", "-f", "json"]).stdout)
    assert "审计报告" in next(r for r in data if r["id"] == "audit_report")["names"]
    plain = json.loads(runner.invoke(app, ["list-required", "youth", "-f", "json"]).stdout)
    assert "names" not in plain[0]  # the documented record is unchanged without --names
