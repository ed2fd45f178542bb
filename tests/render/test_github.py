from changju_check.render import render
from changju_check.render.github import command, escape_data, escape_property

from .conftest import HOSTILE_FILE, flawed_report
from .helpers import cjk, without_user_text


def test_escape_data():
    assert escape_data("100%\r\nnext") == "100%25%0D%0Anext"
    assert escape_data("a:b,c") == "a:b,c"  # only property values escape : and ,


def test_escape_property():
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_control_characters_are_made_visible():
    assert escape_data("x\x1b[31m") == "x\\x1b[31m"


def test_command_shape():
    assert command("error", "m", file="a.pdf", line=3, title="CJ101") == "::error file=a.pdf,line=3,title=CJ101::m"
    assert command("notice", "m", file="a.pdf", line=None, title="t") == "::notice file=a.pdf,title=t::m"


def lines(text: str) -> list[str]:
    assert text.endswith("\n")
    return text[:-1].split("\n")


def test_one_annotation_per_active_finding_then_waived_notice_and_summary(report):
    out = lines(render(report, "github", "zh"))
    active = [f for f in report.findings if f.waived is None]
    assert len(out) == len(active) + 2
    assert out[-1] == "✗ 2 个错误，2 个警告 — 不通过（packets/zhang）"
    assert out[-2] == "::notice file=packets/zhang/changju.yaml,title=changju::1 个问题已在清单中豁免（CJ101）"
    kinds = [line.split(" ", 1)[0] for line in out[:-2]]
    assert kinds == ["::error", "::error", "::warning", "::warning", "::notice"]


def test_annotation_details(report):
    out = lines(render(report, "github", "zh"))
    assert out[0] == "::error file=packets/zhang/changju.yaml,title=CJ101::2.(1) 有效身份证件: 缺少必要材料：有效身份证件"
    assert out[1] == (
        "::error file=packets/zhang/changju.yaml,line=12,title=CJ201::"
        "2.(5) 申报人与申报单位签订的最新工作合同: 合同期限不足2年（2022-03-01 至 2023-12-31）（文件：劳动合同.pdf）"
    )
    assert out[2] == "::warning file=packets/zhang/changju.yaml,line=30,title=CJ404::豁免条目未生效"  # packet-wide first
    assert out[3] == (
        "::warning file=packets/zhang/9-其他|说明%2C 附件%3A100%25.pdf,title=CJ103::"
        "文件无法对应任何材料：%0A第二行 50%25"
    )
    assert out[4] == "::notice file=packets/zhang/审计报告2021.pdf,title=CJ306::1.(4) 近三年财务审计报告: PDF 有权限密码"


def test_no_raw_newline_or_carriage_return_inside_a_command(report):
    for line in lines(render(report, "github", "en")):
        assert "\r" not in line


def test_waived_findings_are_not_annotated(report):
    out = render(report, "github", "zh")
    assert "完税证明" not in out


def test_no_waived_no_notice(ok_report):
    assert lines(render(ok_report, "github", "en")) == ["✓ 0 errors, 0 warnings — passed (packets/li)"]


def test_strict(report):
    out = lines(render(flawed_report(strict=True), "github", "en"))
    assert [line.split(" ", 1)[0] for line in out[:5]] == ["::error"] * 4 + ["::notice"]


def test_unusable(unusable_report):
    out = lines(render(unusable_report, "github", "en"))
    assert out[0] == "::error file=packets/wang/changju.yaml,line=3,title=CJ401::Manifest invalid: unknown key foo (line 3)"


def test_zip_packet_points_at_the_zip(report):
    report.packet = "in/zhang.zip"
    out = lines(render(report, "github", "en"))
    assert out[1].startswith("::error file=in/zhang.zip,title=CJ201::")
    assert out[1].endswith("(file: 劳动合同.pdf, changju.yaml:12)")


def test_summary_cannot_become_a_command(report):
    report.packet = "\n::error::x"
    out = render(report, "github", "en")
    assert "\n::error::x" not in out


def test_batch(reports):
    out = lines(render(reports, "github", "en"))
    assert out[-1] == "✗ 3 packets: 1 passed, 1 failed, 1 unusable; 3 errors, 2 warnings in all"
    assert sum(1 for line in out if line.startswith("::")) == 5 + 1 + 1


def test_english_has_no_chinese_except_file_names(report, unusable_report):
    out = render(report, "github", "en").replace(escape_property(HOSTILE_FILE), "")
    assert not cjk(without_user_text(out, report))
    assert not cjk(render(unusable_report, "github", "en"))
