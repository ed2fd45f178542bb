from dataclasses import replace

import pytest

from changju_check.render import render, render_text
from changju_check.render._common import cell_width, summary_line
from changju_check.report import Finding, Msg

from .helpers import ANSI, cjk, without_user_text


def test_no_colour_means_no_ansi(report, lang):
    out = render_text(report, lang, color=False)
    assert not ANSI.search(out)
    assert "\x1b" not in out


def test_no_ansi_even_when_the_environment_forces_colour(report, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    assert "\x1b" not in render_text(report, "zh", color=False)


def test_colour_adds_styles(report):
    out = render_text(report, "zh", color=True)
    assert ANSI.search(out)


def test_checklist_marks_and_statuses_zh(report):
    out = render_text(report, "zh")
    for expected in ("序号", "材料", "状态", "文件", "✓ 已提供", "✗ 缺少", "— 不适用", "○ 可选，未提供", "已豁免"):
        assert expected in out, expected
    assert "申报人与申报单位签订的最新工作合同" in out
    assert "… (+1)" in out  # four audit files: three shown


def test_checklist_marks_and_statuses_en(report):
    out = render_text(report, "en")
    for expected in ("No.", "Material", "Status", "✓ present", "✗ missing", "— not applicable", "waived"):
        assert expected in out, expected


def test_header(report):
    first = render_text(report, "zh", width=200).splitlines()[0]
    assert first == "材料包：packets/zhang   类别：科技创业类 (startup)   参照日期：2023-06-30"
    first_en = render_text(report, "en", width=200).splitlines()[0]
    assert first_en == "Packet: packets/zhang   Category: Technology startup (startup)   As of: 2023-06-30"


def test_findings_grouped_by_severity_with_waived_last(report):
    out = render_text(report, "zh", width=200)
    positions = [out.index(h) for h in ("错误 (2)", "警告 (2)", "提示 (1)", "已豁免 (1)")]
    assert positions == sorted(positions)
    assert "CJ101 [2.(1) 有效身份证件]: 缺少必要材料：有效身份证件" in out
    assert "CJ201 [2.(5) 申报人与申报单位签订的最新工作合同] 劳动合同.pdf (changju.yaml:12): 合同期限不足2年" in out
    assert "CJ404 changju.yaml:30: 豁免条目未生效" in out
    assert "（理由：事业单位，无需完税证明）" in out


def test_the_verdict_then_the_stage_reached_are_the_last_lines(report, ok_report, unusable_report):
    """附件4: the attachments are uploaded first; the 申报书 comes after the system's review, then
    the book is bound. The last line says which stage the packet reached and what the next needs."""
    def last(r, lang):
        return render_text(r, lang, width=200).rstrip("\n").splitlines()[-2:]

    assert last(report, "zh") == ["✗ 2 个错误，2 个警告 — 不通过", "还不能上传系统：先改正上面的 2 个错误"]
    assert last(ok_report, "zh") == ["✓ 0 个错误，0 个警告 — 通过", "材料齐全，可上传系统；装订前还需下载带水印的申报书（系统审核通过后下载）"]
    assert last(ok_report, "en") == ["✓ 0 errors, 0 warnings — passed", "Complete: ready to upload to the system; before "
                                     "binding, the watermarked application form is still needed (download it once the "
                                     "system's review has passed)"]
    assert last(unusable_report, "en") == ["✗ 1 error, 0 warnings — unusable",
                                           "Could not be checked: fix what is said at the top, then check again"]


def test_a_packet_with_its_application_form_has_reached_the_binding_stage(ok_report):
    ok_report.assigned = {"application_form": ["申报书.pdf"]}
    assert ok_report.ready_to_upload and ok_report.ready_to_bind and ok_report.stage == "bind"
    assert render_text(ok_report, "zh", width=200).rstrip("\n").splitlines()[-1] == (
        "材料齐全，可装订：申报书已在材料包中，用 changju bundle 生成装订本")
    data = ok_report.to_dict()
    assert list(data)[-2:] == ["ready_to_upload", "ready_to_bind"] and data["ready_to_upload"] is True


def test_summary_line_wording():
    from .conftest import flawed_report

    r = flawed_report()
    r.findings = [f for f in r.findings if f.code != "CJ404"]
    assert summary_line(r, "en") == "✗ 2 errors, 1 warning — failed"
    assert summary_line(r, "zh") == "✗ 2 个错误，1 个警告 — 不通过"


def test_strict_moves_warnings_to_errors():
    from .conftest import flawed_report

    out = render_text(flawed_report(strict=True), "en", width=200)
    assert "Errors (4)" in out and "Warnings" not in out.split("Errors (4)")[1].split("Notes")[0]
    assert out.rstrip().endswith("✗ 4 errors, 0 warnings — failed\nNot ready to upload: fix the 4 errors above first")
    assert "strict mode" in out


def test_unusable_packet(unusable_report):
    out = render_text(unusable_report, "zh")
    assert "无法检查材料包" in out
    assert "CJ401 changju.yaml:3: 清单文件无效" in out


def test_no_findings(ok_report):
    assert "没有发现问题。" in render_text(ok_report, "zh")


@pytest.mark.parametrize("width", [60, 80, 100])
def test_width_is_respected(report, width):
    for line in render_text(report, "zh", width=width).splitlines():
        assert cell_width(line) <= width, line


def test_no_trailing_spaces(report):
    assert all(line == line.rstrip() for line in render_text(report, "zh").splitlines())


def test_terminal_escapes_in_file_names_are_shown_not_sent(report):
    evil = "\x1b[2J\x1b]0;pwned\x07证书\u202egpj.pdf"
    report.findings.append(Finding("CJ103", "warning", Msg("无法识别", "unrecognised"), file=evil))
    report.materials[0] = replace(report.materials[0], files=(evil,))
    for color in (False, True):
        out = render_text(report, "zh", color=color, width=200)
        assert "\x1b[2J" not in out and "\x07" not in out and "\u202e" not in out
        assert "\\x1b[2J" in out and "\\u202e" in out


def test_english_has_no_chinese_except_file_names(report, ok_report, unusable_report):
    for r in (report, ok_report, unusable_report):
        out = render_text(r, "en", width=400)
        assert not cjk(without_user_text(out, r)), out


def test_render_dispatch_is_the_text_renderer(report):
    assert render(report) == render_text(report, "zh", color=False, width=None)
