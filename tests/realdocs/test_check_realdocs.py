"""`changju check` on packets of real documents: text layers read in every check (no OCR, no [scan]
extra), page years winning over name years, the contract term on page 2, recognition by content,
the examiner's cross-checks and masked personal numbers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from changju_check.render import render
from tests.packets import UNIT_FILES, build, check, codes, findings
from tests.realdocs.corpus_helpers import CORPUS

REG = """\
category: registration
as_of: 2023-08-31
unit: {name: 北京某某科技有限公司, type: enterprise, tax_paid: true}
"""

YOUTH = """\
category: youth
as_of: 2023-08-31
unit: {name: 北京某某科技有限公司, type: enterprise}
applicant:
  name: 张三
  nationality: CN
  hired_on: 2021-03-01
recommendation: 该同志长期从事人工智能芯片研发工作，主持完成多项核心技术攻关，带领团队实现产品量产，获得发明专利授权十余项，为企业发展作出突出贡献，特此推荐。
"""


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def registration(tmp_path: Path, **files: str) -> Path:
    """A registration packet of corpus files: {packet name: corpus file}."""
    base = {"营业执照副本.pdf": "licence_long_term.pdf", "高新技术企业证书.pdf": "high_tech_2020.pdf",
            "联系人身份证.pdf": "id_card.pdf", "2022年度完税证明.pdf": "tax_2022.pdf"}
    replaced = {c for c in files.values()}
    chosen = {**{n: c for n, c in base.items() if c not in replaced}, **files}
    return build(tmp_path, {n: corpus(c) for n, c in chosen.items()}, REG)


def youth(tmp_path: Path, manifest: str = YOUTH, **person: str) -> Path:
    files = {
        **UNIT_FILES,
        "2-申报人材料/身份证.pdf": corpus("id_card.pdf"),
        "2-申报人材料/学历学位证书.pdf": 1,
        "2-申报人材料/学信网学历认证报告.pdf": corpus("chsi.pdf"),
        "2-申报人材料/学位在线验证报告.pdf": corpus("degree_report.pdf"),
        "2-申报人材料/劳动合同.pdf": corpus("contract_fixed.pdf"),
        "2-申报人材料/社保缴费记录.pdf": corpus("si_ok.pdf"),
        "2-申报人材料/个税2021-2022.pdf": corpus("iit_2021_2022.pdf"),
        "2-申报人材料/个人诚信声明.pdf": 1,
    }
    for name, source in person.items():
        target = next((k for k in files if k.endswith(name)), f"2-申报人材料/{name}")
        files.pop(target, None)
        if source:
            files[f"2-申报人材料/{name}"] = corpus(source)
    return build(tmp_path, files, manifest)


# ---- text layers in every check: no false CJ102

def test_a_correct_packet_of_real_documents_has_no_error_and_no_cross_check_finding(tmp_path):
    report = check(youth(tmp_path))
    assert [c for c in codes(report) if c.startswith(("CJ1", "CJ2", "CJ5"))] == []
    assert report.exit_code == 0


def test_registration_of_real_documents_passes(tmp_path):
    report = check(registration(tmp_path))
    # CJ407: the corpus's people and unit are the init template's examples (张三, 北京某某科技有限公司)
    assert [c for c in codes(report) if c != "CJ407"] == [] and report.exit_code == 0


@pytest.mark.parametrize("name", ["完税证明.pdf", "下载.pdf"])
def test_2022_tax_payment_certificate_without_the_year_in_its_name_is_not_cj102(tmp_path, name):
    report = check(registration(tmp_path, **{name: "tax_2022.pdf"}))
    assert "CJ102" not in codes(report), report.findings


def test_tax_record_without_a_year_in_its_name_gets_its_years_from_the_page(tmp_path):
    report = check(youth(tmp_path, **{"个税2021-2022.pdf": None, "纳税记录.pdf": "iit_2021_2022.pdf"}))
    assert "CJ102" not in codes(report)


def test_tax_record_for_2020_2021_filed_as_2021_2022_the_page_years_win(tmp_path):
    report = check(youth(tmp_path, **{"个税2021-2022.pdf": None, "纳税记录2021-2022.pdf": "iit_2020_2021.pdf"}))
    assert "CJ502" in codes(report)
    cj102 = findings(report, "CJ102")
    assert cj102 and "2022" in cj102[0].message.zh


def test_tax_record_whose_page_agrees_with_its_name_is_not_cj502(tmp_path):
    assert "CJ502" not in codes(check(youth(tmp_path)))


def test_audit_report_year_on_the_page_wins_over_the_name(tmp_path):
    from tests.packets import pdf_bytes  # noqa: F401 - the other audit reports are blank pages

    packet = youth(tmp_path)
    (packet / "1-申报单位材料/2021年度财务审计报告.pdf").write_bytes(corpus("audit_2020.pdf"))
    report = check(packet)
    assert "CJ502" in codes(report) and "CJ102" in codes(report)


# ---- the contract term on page 2, respecting 第N种

def test_contract_term_on_page_2_of_the_template_is_read_without_options(tmp_path):
    manifest = YOUTH.replace("  hired_on: 2021-03-01\n", "  hired_on: 2021-03-01\n  contract: {start: 2021-03-01, end: 2025-02-28}\n")
    report = check(youth(tmp_path, manifest=manifest))
    cj501 = findings(report, "CJ501")
    assert cj501 and "2024-02-29" in cj501[0].message.zh and "第2页" in cj501[0].message.zh


def test_contract_only_on_paper_gets_the_term_checks_from_its_text_layer(tmp_path):
    report = check(youth(tmp_path))
    assert "CJ208" not in codes(report)  # the term was read from page 2: no fact is missing
    ev = {e.fact: e.value for e in report.evidence if e.material == "labor_contract"}
    assert ev["contract_start"] == "2021-03-01" and ev["contract_end"] == "2024-02-29"


def test_open_ended_contract_chosen_as_option_2(tmp_path):
    report = check(youth(tmp_path, **{"劳动合同.pdf": "contract_open.pdf"}))
    ev = {e.fact: e.value for e in report.evidence if e.material == "labor_contract"}
    assert ev.get("contract_open_ended") == "true" and "contract_end" not in ev
    assert "CJ201" not in codes(report) and "CJ202" not in codes(report)


# ---- recognition by content

def test_cscse_certificate_named_as_a_generic_certificate_is_the_foreign_degree_certificate(tmp_path):
    manifest = YOUTH.replace("  nationality: CN\n", "  nationality: CN\n  degree_abroad: true\n")
    packet = youth(tmp_path, manifest=manifest, **{"学信网学历认证报告.pdf": None, "认证书.pdf": "cscse_old.pdf"})
    report = check(packet)
    assert report.assigned.get("degree_certification_abroad") == ["2-申报人材料/认证书.pdf"]
    assert [f.file for f in findings(report, "CJ509")] == ["2-申报人材料/认证书.pdf"]
    assert "CJ101" not in codes(report)


def test_download_named_nothing_holding_a_social_insurance_record_is_that_material(tmp_path):
    packet = youth(tmp_path, **{"社保缴费记录.pdf": None, "个人权益记录定制_参保人员缴费信息20230815093012.pdf": "si_ok.pdf"})
    report = check(packet)
    assert "CJ101" not in codes(report) and "CJ103" not in codes(report)


# ---- cross-checks through the whole check

def test_cj505_through_check_with_a_tax_record_of_another_id_number(tmp_path):
    report = check(youth(tmp_path, **{"个税2021-2022.pdf": "iit_other_id.pdf"}))
    assert "CJ505" in codes(report) and report.exit_code == 1


def test_cj507_through_check(tmp_path):
    report = check(youth(tmp_path, **{"社保缴费记录.pdf": "si_last_202305.pdf"}))
    assert "CJ507" in codes(report)


def test_cj506_and_cj508_through_check(tmp_path):
    report = check(registration(tmp_path, **{"营业执照副本.pdf": "licence_ended.pdf", "2022年度完税证明.pdf": "tax_other_code.pdf"}))
    assert {"CJ506", "CJ508"} <= set(codes(report))


def test_cj508_high_tech_certificate_the_day_after_three_years(tmp_path):
    packet = registration(tmp_path)
    assert "CJ508" not in codes(check(packet))
    (packet / "changju.yaml").write_text(REG.replace("2023-08-31", "2023-09-01"), encoding="utf-8")
    assert "CJ508" in codes(check(packet))


# ---- personal numbers masked in every format

FORMATS = ["text", "json", "markdown", "sarif", "junit", "github", "html"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_personal_numbers_are_masked_in_every_report_format(tmp_path, fmt):
    report = check(youth(tmp_path, **{"个税2021-2022.pdf": "iit_other_id.pdf"}))
    out = render(report, fmt)
    assert "110108199001011231" not in out and "110108199101011239" not in out
    if fmt in ("json", "text", "markdown", "html"):
        assert "110108********1239" in out.replace("\\*", "*")  # markdown escapes the stars


def test_show_personal_shows_them(tmp_path):
    packet = youth(tmp_path, **{"个税2021-2022.pdf": "iit_other_id.pdf"})
    out = subprocess.run([sys.executable, "-m", "changju_check", "check", str(packet), "--format", "json", "--show-personal"],
                         capture_output=True, text=True, encoding="utf-8")
    assert out.returncode == 1, out.stderr
    data = json.loads(out.stdout)
    assert "110108199101011239" in json.dumps(data, ensure_ascii=False)
    masked = subprocess.run([sys.executable, "-m", "changju_check", "check", str(packet), "--format", "json"],
                            capture_output=True, text=True, encoding="utf-8")
    assert "110108199101011239" not in masked.stdout and "110108********1239" in masked.stdout


def test_text_layers_are_read_without_the_scan_extra(tmp_path):
    """No OCR package is imported by a default check (the [scan] extra is not needed)."""
    packet = youth(tmp_path, **{"个税2021-2022.pdf": "iit_other_id.pdf"})
    code = ("import sys, changju_check.engine.run as r; rep = r.check_packet(r.Path(sys.argv[1]), r.CheckOptions());"
            "assert any(f.code == 'CJ505' for f in rep.findings);"
            "bad = [m for m in ('rapidocr', 'onnxruntime', 'pypdfium2', 'numpy') if m in sys.modules]; assert not bad, bad")
    out = subprocess.run([sys.executable, "-c", code, str(packet)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
