import re

from changju_check.render import render
from changju_check.render.markdown import escape

from .conftest import HOSTILE_FILE
from .helpers import cjk, without_user_text

UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def table_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("|")]


def test_escape():
    assert escape("a|b") == "a\\|b"
    assert escape("*x* _y_ `z` [l](u) <b> &amp;") == "\\*x\\* \\_y\\_ \\`z\\` \\[l\\](u) \\<b\\> &amp;amp;"
    assert escape("1\n2") == "1<br>2"
    assert escape("\x1b[1m") == "\\\\x1b\\[1m"


def test_heading_table_findings_summary(report):
    out = render(report, "markdown", "zh")
    assert out.startswith("## changju：packets/zhang\n")
    assert "| 序号 | 材料 | 状态 | 文件 |" in out
    assert "| 2.(5) | 申报人与申报单位签订的最新工作合同 | ✓ 已提供 | 劳动合同.pdf |" in out
    assert "| 2.(1) | 有效身份证件 | ✗ 缺少 |  |" in out
    assert "| 1.(6) | 完税证明 | 已豁免 |  |" in out
    assert "### 错误 (2)" in out and "### 警告 (2)" in out and "### 提示 (1)" in out and "### 已豁免 (1)" in out
    assert "- `CJ201` \\[2.(5) 申报人与申报单位签订的最新工作合同\\] 劳动合同.pdf (changju.yaml:12): 合同期限不足2年" in out
    assert out.rstrip("\n").splitlines()[-3:] == ["**✗ 2 个错误，2 个警告 — 不通过**", "", "还不能上传系统：先改正上面的 2 个错误"]


def test_pipes_are_escaped_so_tables_keep_their_columns(report):
    report.materials[0] = report.materials[0].__class__(**{**report.materials[0].__dict__, "files": (HOSTILE_FILE,)})
    out = render(report, "markdown", "en")
    rows = table_rows(out)
    assert all(len(UNESCAPED_PIPE.findall(row)) == 5 for row in rows), rows
    assert "9-其他\\|说明, 附件:100%.pdf" in out
    # the finding list escapes it too
    assert "`CJ103` 9-其他\\|说明, 附件:100%.pdf: File matches no material:<br>second line 50%" in out


def test_english(report, unusable_report, ok_report):
    for r in (report, unusable_report, ok_report):
        out = render(r, "markdown", "en")
        assert not cjk(without_user_text(out.replace("\\|", "|"), r)), out
    assert "| No. | Material | Status | Files |" in render(report, "markdown", "en")


def test_unusable(unusable_report):
    out = render(unusable_report, "markdown", "en")
    assert "**The packet could not be checked**" in out
    assert "`CJ401` changju.yaml:3: Manifest invalid" in out
    assert "| No." not in out  # no checklist for a packet that could not be read
