"""Words a person reads: the facts read from the pages are labelled in Chinese (never `person_name`,
`si_periods`, `[id_card]`), how surely each was read is 清晰 / 需核对 (not “置信度 0.87”); the default
text report shows the facts that decided a finding (all of them under --verbose, in JSON and HTML);
`--summary` fits 80 columns with Chinese characters two cells wide, keeping packets and reasons apart."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from typer.testing import CliRunner

from changju_check.cli import app
from changju_check.engine.run import CheckOptions, check_packet
from changju_check.render import render
from tests.packets import youth_packet
from tests.realdocs.test_check_realdocs import youth
from tests.render.htmldom import parse

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
RAW_IDS = re.compile(r"\b(person_name|si_periods|social_security_number|taxpayer_id|term_choice|unit_name|credit_code|"
                     r"contract_end|period_years|salary_months)\b|owner not verified|置信度|\[id_card\]")


def cells(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def test_the_complete_sample_names_its_item_not_a_material_id():
    out = runner.invoke(app, ["check", str(ROOT / "examples" / "youth-complete"), "--no-color", "--verbose"]).stdout
    assert "[id_card]" not in out
    assert "CJ510 [2.(1) 申报人有效身份证件] 2-申报人材料/身份证.pdf" in out


def test_what_the_tool_could_not_read_is_its_own_uncertainty_shown_with_verbose_only():
    """Issue 27: a layout that does not match is the tool's uncertainty, an info for the maintainers
    under --verbose, never a list of instructions in the HR officer's report."""
    plain = runner.invoke(app, ["check", str(ROOT / "examples" / "youth-complete"), "--no-color"])
    assert plain.exit_code == 0
    assert "CJ510" not in plain.stdout
    assert "条本工具未能在页面上读出的内容（不影响结论）：加--verbose显示" in "".join(plain.stdout.split())
    verbose = runner.invoke(app, ["check", str(ROOT / "examples" / "youth-complete"), "--no-color", "--verbose"]).stdout
    assert "CJ510" in verbose and "加 --verbose 显示" not in verbose
    as_json = runner.invoke(app, ["check", str(ROOT / "examples" / "youth-complete"), "--format", "json"]).stdout
    assert '"CJ510"' in as_json  # machine formats keep it


def test_the_facts_behind_a_finding_are_shown_in_chinese_words(tmp_path):
    """A contract whose 甲方 is another unit: CJ506 quotes the unit's name read from the page; the
    text report shows that fact (单位名称, 清晰, beside the manifest's value), and only that one."""
    root = youth(tmp_path / "p", **{"劳动合同.pdf": "contract_other_unit.pdf"})
    out = runner.invoke(app, ["check", str(root), "--no-color"], env={"COLUMNS": "100"}).stdout
    section = out.split("从页面读取（问题所依据的信息）")[1].split("错误 (")[0]
    rows = [line for line in section.splitlines() if "劳动合同.pdf" in line]
    assert len(rows) == 1
    assert "单位名称" in rows[0] and "北京甲乙信息技术有限公司" in rows[0] and "清晰" in rows[0]
    assert "北京某某科技有限公司" in rows[0]  # the manifest's value beside it
    assert not RAW_IDS.search(out)


def test_verbose_shows_every_fact_read_in_chinese_words(tmp_path):
    root = youth(tmp_path / "p")
    report = check_packet(root, CheckOptions())
    out = render(report, "text", "zh", width=200, verbose=True)
    assert "从页面读取" in out and "社会保障号码" in out and "缴费记录（起止年月、单位）" in out and "清晰" in out
    assert not RAW_IDS.search(out)
    assert len(report.evidence) > 10 and "从页面读取" not in render(report, "text", "zh", width=100)  # no finding quotes one


def test_the_review_sheet_labels_evidence_in_chinese_and_says_how_surely_it_was_read(tmp_path):
    report = check_packet(youth(tmp_path / "p"), CheckOptions())
    dom = parse(render(report, "html", "zh"))
    rows = [tr for table in dom.find_all("table", cls="evidence") for tr in table.find_all("tr") if tr.get("data-fact")]
    assert rows
    for tr in rows:
        label, value, _manifest, _where, sure = (td.text() for td in tr.find_all("td"))
        assert not RAW_IDS.search(label) and sure in ("清晰", "需核对"), (label, sure)


def test_summary_fits_80_columns_and_keeps_packets_and_reasons_apart(tmp_path):
    root = tmp_path / "申报材料汇总-2023年度昌聚工程青年类人才" / "第一批"
    for name in ("北京小汤山生物科技有限公司-刘雨桐", "北京小汤山生物科技有限公司-王磊"):
        youth_packet(root / name, add={"申报书.pdf": 1, "2-申报人材料/扫描件-001-无法识别的材料名称比较长的文件.pdf": 1,
                                       "2-申报人材料/扫描件-002-无法识别的材料名称比较长的文件.pdf": 1})
    result = runner.invoke(app, ["check", "--batch", str(root), "--summary", "--jobs", "1", "--no-color"],
                           env={"COLUMNS": "80"})
    lines = result.stdout.rstrip("\n").splitlines()
    assert max(cells(line) for line in lines) <= 80, [line for line in lines if cells(line) > 80]
    rows = [line for line in lines if "北京小汤山" in line and "✓" in line]
    assert len(rows) == 2 and rows[0] != rows[1]  # which packet is which
    assert all("可装订" in row for row in rows)  # on the packet's own line, not pushed below it
    reasons = [line for line in lines if line.startswith("    · ") and "扫描件" in line]
    # two CJ103 with the same message in one packet: two reasons, each naming its file
    assert len(reasons) == 4 and reasons[0] != reasons[1] and reasons[2] != reasons[3], reasons


def test_two_different_reasons_never_read_the_same_once_cut():
    from changju_check.render.text import _distinct_clips

    a = "缺少必要材料 2.(3) 申报人最高学历、学位认证书中的学历认证（学信网《教育部学历证书电子注册备案表》或学历认证报告）"
    b = "缺少必要材料 2.(3) 申报人最高学历、学位认证书中的学位认证（《中国高等教育学位在线验证报告》或学位认证报告）"
    cut = _distinct_clips([a, b], 40)
    assert cut[0] != cut[1] and all(cells(c) <= 40 for c in cut)
    assert _distinct_clips([a], 40)[0].endswith("…")  # alone, cut at its end as before
