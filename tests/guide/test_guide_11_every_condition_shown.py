"""Every condition of the guide's parentheses is shown, in the guide's words: `list-required` keeps
“正规第三方审计机构出具”, “须由有资质的中介机构出具”, “经市场监督管理局备案的最新《公司章程》”, the
“纸质版本” of 学历学位认证书 and “论坛过程照片”; the forum's wording never speaks of a 2-year term."""

import pytest
from typer.testing import CliRunner

from changju_check.cli import app
from changju_check.rulebook import codes
from tests.packets import check, findings, youth_packet

runner = CliRunner()


def rows(category: str) -> str:
    result = runner.invoke(app, ["list-required", category, "--all", "--format", "markdown"])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize(
    "category, words",
    [
        ("research", "正规第三方审计机构出具"),
        ("forum", "须由有资质的中介机构出具"),
        ("startup", "经市场监督管理局备案的最新《公司章程》"),
        ("youth", "国内学历、学位认证书可提供纸质版本"),
        ("forum", "提供论坛过程照片"),
        ("forum", "有效期内工作合同"),
    ],
)
def test_every_parenthesis_of_the_guide_is_shown_by_list_required(category, words):
    assert words in rows(category)


def test_programmer_language_is_not_shown():
    for category in ("research", "youth", "forum"):
        assert "含边界" not in rows(category)
    for code in ("CJ201", "CJ202"):
        entry = codes.catalogue()[code]
        assert "含边界" not in entry.description.zh + entry.fix.zh


def test_the_forums_wording_has_no_two_year_term(tmp_path):
    assert "不低于2年" not in rows("forum")
    result = runner.invoke(app, ["init", str(tmp_path / "f"), "--category", "forum"])
    assert result.exit_code == 0
    text = (tmp_path / "f" / "changju.yaml").read_text(encoding="utf-8")
    assert "有效期内" in text and "不低于2年" not in text and "半年" not in text
    # near miss: a talent category's template does state the rule
    runner.invoke(app, ["init", str(tmp_path / "y"), "--category", "youth"])
    assert "不低于2年" in (tmp_path / "y" / "changju.yaml").read_text(encoding="utf-8")


def test_an_expired_contract_says_it_ended(tmp_path):
    text = "category: youth\nas_of: 2023-08-31\napplicant: {contract: {start: 2020-07-01, end: 2023-06-30}}\n"
    (f,) = findings(check(youth_packet(tmp_path, manifest=text)), "CJ202")
    assert "合同已于 2023-06-30 到期" in f.message.zh and "剩余 0天" not in f.message.zh
    # near miss: a contract still running but short of six months says how much is left
    text = "category: youth\nas_of: 2023-08-31\napplicant: {contract: {start: 2021-01-01, end: 2023-12-31}}\n"
    (f,) = findings(check(youth_packet(tmp_path / "b", manifest=text)), "CJ202")
    assert "剩余 4个月" in f.message.zh


def test_jin_san_nian_is_explained_as_the_three_years_before_the_reference_year():
    text = codes.catalogue()["CJ210"].description.zh
    assert "2020–2023年" not in text and "2020、2021、2022" in text
