"""Facts of changju.yaml read from the documents' pages, with their sources (issue 27), on the
corpus's text layers (no OCR): what each document gives, which the checks use, and the three
outcomes - a fact the manifest and a page agree on, one they disagree on (CJ512, review), one
read with low confidence or on which documents disagree (CJ513, review)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

from changju_check.report import Fact
from changju_check.scan.facts import CONFIDENT, decide, read_facts
from tests.packets import check, codes, findings
from tests.realdocs.test_check_realdocs import YOUTH, registration, youth


def _facts(report) -> dict[tuple[str, str], object]:
    return {(f.key, f.file.rsplit("/", 1)[-1]): f.value for f in report.facts}


# ---- what each document says

def test_each_document_gives_the_manifest_facts_it_prints(tmp_path):
    got = _facts(check(youth(tmp_path)))
    assert got[("applicant.name", "身份证.pdf")] == "张三"
    assert got[("applicant.nationality", "身份证.pdf")] == "CN"
    assert got[("applicant.contract.start", "劳动合同.pdf")] == "2021-03-01"
    assert got[("applicant.contract.end", "劳动合同.pdf")] == "2024-02-29"
    assert got[("applicant.contract.open_ended", "劳动合同.pdf")] is False
    assert got[("applicant.hired_on", "社保缴费记录.pdf")] == "2021-03-01"  # the first month the unit paid
    assert got[("applicant.degree_abroad", "学信网学历认证报告.pdf")] is False
    assert got[("unit.name", "劳动合同.pdf")] == "北京某某科技有限公司"  # the contract's 甲方


def test_the_unit_type_and_tax_from_the_licence_and_the_tax_certificates(tmp_path):
    got = _facts(check(registration(tmp_path)))
    assert [v for (k, _), v in got.items() if k == "unit.type"] == ["enterprise"]
    assert [v for (k, _), v in got.items() if k == "unit.tax_paid"] == [True]
    # the registration's ID card is its contact person's, not an applicant's
    assert not [k for k, _ in got if k.startswith("applicant.")]


def test_a_cscse_certificate_says_the_degree_is_foreign(tmp_path):
    report = check(youth(tmp_path, **{"学信网学历认证报告.pdf": None, "留学服务中心认证书.pdf": "cscse_old.pdf"}))
    assert _facts(report)[("applicant.degree_abroad", "留学服务中心认证书.pdf")] is True


def test_json_facts_are_key_value_file_page_confidence(tmp_path):
    data = check(youth(tmp_path)).to_dict()
    assert data["facts"] and all(set(f) == {"key", "value", "file", "page", "confidence"} for f in data["facts"])
    end = next(f for f in data["facts"] if f["key"] == "applicant.contract.end")
    assert end == {"key": "applicant.contract.end", "value": "2024-02-29", "file": "2-申报人材料/劳动合同.pdf",
                   "page": 2, "confidence": 1.0}
    json.dumps(data, ensure_ascii=False)  # JSON-ready as it is


# ---- the manifest first, then a confident page

WITHOUT_CONTRACT = YOUTH.replace("  contract: {start: 2021-03-01, end: 2024-02-29}\n", "")


def test_a_manifest_without_the_contract_term_has_it_judged_from_the_contract(tmp_path):
    report = check(youth(tmp_path, manifest=WITHOUT_CONTRACT))
    assert "CJ208" not in codes(report)
    later = check(youth(tmp_path / "later", manifest=WITHOUT_CONTRACT.replace("as_of: 2023-08-31", "as_of: 2023-10-01")))
    assert "劳动合同.pdf p.2" in findings(later, "CJ202")[0].message.zh


def test_a_manifest_and_a_page_that_agree_raise_nothing(tmp_path):
    assert not {"CJ512", "CJ513"} & set(codes(check(youth(tmp_path))))


def test_a_manifest_and_a_page_that_disagree_are_a_review_naming_both_values_and_sources(tmp_path):
    manifest = YOUTH.replace("  nationality: CN\n", "  nationality: CN\n  degree_abroad: true\n")
    report = check(youth(tmp_path, manifest=manifest))
    cj512 = findings(report, "CJ512")
    assert [f.severity for f in cj512] == ["review"]
    message = cj512[0].message.zh
    assert "changju.yaml 为 是" in message and "学信网学历认证报告.pdf 第1页为 否" in message
    assert report.reviews == 1  # (the CSCSE certificate the manifest's "true" asks for is CJ101 besides)


def test_a_hiring_date_in_the_same_month_as_the_first_month_paid_agrees(tmp_path):
    manifest = YOUTH.replace("hired_on: 2021-03-01", "hired_on: 2021-03-15")
    assert "CJ512" not in codes(check(youth(tmp_path, manifest=manifest)))


# ---- decide: the three outcomes, on facts as the readers give them

def _fact(key, value, file="a.jpg", page=1, confidence=1.0):
    return Fact(key, value, file, page, confidence)


def test_a_fact_read_with_enough_confidence_is_used():
    decision = decide([_fact("applicant.hired_on", "2021-03-01", confidence=CONFIDENT)], lambda k: None)
    assert decision.chosen["applicant.hired_on"].value == "2021-03-01" and not decision.findings


def test_a_fact_read_with_low_confidence_is_a_review_naming_its_page():
    decision = decide([_fact("applicant.hired_on", "2021-03-01", "社保.jpg", 1, 0.55)], lambda k: None)
    assert not decision.chosen and decision.uncertain == {"applicant.hired_on"}
    (f,) = decision.findings
    assert (f.code, f.severity) == ("CJ513", "review") and "社保.jpg 第1页" in f.message.zh


def test_documents_that_disagree_are_a_review_naming_both():
    decision = decide([_fact("applicant.hired_on", "2022-03-01", "合同.pdf", 2),
                       _fact("applicant.hired_on", "2021-03-01", "社保.pdf", 1)], lambda k: None)
    (f,) = decision.findings
    assert f.code == "CJ513" and "合同.pdf 第2页为 2022-03-01" in f.message.zh and "社保.pdf 第1页为 2021-03-01" in f.message.zh
    assert not decision.chosen


def test_names_that_disagree_between_documents_are_left_to_the_identity_cross_checks():
    decision = decide([_fact("applicant.name", "张三", "a.pdf"), _fact("applicant.name", "李四", "b.pdf")], lambda k: None)
    assert not decision.findings and "applicant.name" in decision.uncertain  # CJ505 (an error) says it


def test_the_manifest_wins_and_a_contradiction_of_a_cj501_fact_is_not_reported_twice():
    decision = decide([_fact("applicant.contract.end", "2024-02-29")], lambda k: date(2025, 2, 28))
    assert not decision.chosen and not decision.findings  # CJ501 (an error) names both already


def test_read_facts_keeps_one_fact_per_document():
    from changju_check.scan.documents import DocFacts

    doc = DocFacts(material="labor_contract", file="c.pdf", kind="labor_contract", title="劳动合同",
                   contract=(date(2021, 3, 1), None, True), pages={"contract": 2}, confidence=0.9)
    got = {(f.key, f.value, f.page) for f in read_facts([doc, replace(doc)])}
    assert got == {("applicant.contract.start", "2021-03-01", 2), ("applicant.hired_on", "2021-03-01", 2),
                   ("applicant.contract.open_ended", True, 2)}


# ---- review: severity, summary, verdict line, exit code

def _reviewed(strict: bool = False):
    from changju_check.report import Report
    from changju_check.rulebook.codes import finding

    report = Report(packet="p", category="youth", category_title="青年类人才", category_title_en="Youth",
                    as_of=date(2023, 8, 31), strict=strict)
    report.findings.append(finding("CJ513", "入职日期：从 社保.jpg 第1页 读出 2021-03-01，但把握不足", "hired_on: low confidence",
                                   file="社保.jpg"))
    return report


def test_reviews_are_counted_in_the_summary_and_the_verdict_line_and_fail_only_under_strict():
    from changju_check.render._common import summary_line

    report = _reviewed()
    data = report.to_dict()
    assert data["summary"]["reviews"] == 1 and data["ok"] is True and report.exit_code == 0
    assert [f["severity"] for f in data["findings"]] == ["review"]
    assert summary_line(report, "zh") == "✓ 0 个错误，0 个警告，1 项需人工确认 — 通过"
    assert summary_line(report, "en") == "✓ 0 errors, 0 warnings, 1 to confirm by a person — passed"
    strict = _reviewed(strict=True)
    assert strict.exit_code == 1 and not strict.ok


def test_the_text_report_lists_reviews_under_their_own_heading():
    from changju_check.render import render

    text = render(_reviewed(), "text", "zh", color=False, width=100)
    assert "需人工确认 (1)" in text and "社保.jpg" in text


def test_no_finding_sends_the_user_to_the_programs_files():
    from changju_check.rulebook.codes import catalogue

    for code in catalogue().values():
        for text in (code.description.zh, code.fix.zh, code.description.en, code.fix.en):
            assert "changju_check/" not in text and "layouts/" not in text, code.code


# ---- content wins over the name, and says both

def test_a_file_whose_name_says_one_material_and_its_page_another_is_the_pages_with_a_warning(tmp_path):
    packet = youth(tmp_path, **{"社保缴费记录.pdf": None, "身份证复印件.pdf": "si_ok.pdf"})
    packet.joinpath("2-申报人材料/身份证.pdf").unlink()
    report = check(packet)
    assert report.assigned["social_insurance_record"] == ["2-申报人材料/身份证复印件.pdf"]
    (f,) = findings(report, "CJ514")
    assert f.severity == "warning" and "有效身份证" in f.message.zh and "社会保险" in f.message.zh


def test_a_certificate_named_generically_and_read_as_the_foreign_one_is_no_contradiction(tmp_path):
    manifest = YOUTH.replace("  nationality: CN\n", "  nationality: CN\n  degree_abroad: true\n")
    report = check(youth(tmp_path, manifest=manifest, **{"学信网学历认证报告.pdf": None, "认证书.pdf": "cscse_old.pdf"}))
    assert "CJ514" not in codes(report) and findings(report, "CJ509")


def test_a_public_institutions_licence_says_the_unit_is_an_institution(tmp_path):
    # 事业单位法人证书 in place of the 营业执照, the manifest saying enterprise: a review naming both
    packet = registration(tmp_path, **{"事业单位法人证书.pdf": "institution_certificate.pdf"})
    packet.joinpath("营业执照副本.pdf").unlink()
    report = check(packet)
    assert _facts(report)[("unit.type", "事业单位法人证书.pdf")] == "institution"
    (cj512,) = findings(report, "CJ512")
    assert "enterprise" in cj512.message.zh and "institution" in cj512.message.zh
