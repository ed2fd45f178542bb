"""The guide's either/or sentences — “国外取得学历须提供教育部留学服务中心出具的‘国(境)外学历学位认证书’”,
“实缴资金为0的申报单位请出具情况说明并加盖公章”, “未纳税企业出具‘未欠税证明’” — when changju.yaml does
not give the deciding fact but the packet holds the document of the other branch: the fact is
inferred from that document and said so (CJ212), never a bare CJ101 beside the right file."""

from tests.packets import UNIT_FILES, build, check, codes, findings, youth_packet

YOUTH = "category: youth\nas_of: 2023-08-31\n"
DOMESTIC = ("2-申报人材料/学信网学历认证报告.pdf", "2-申报人材料/学位在线验证报告.pdf")  # 学历 and 学位 verification


def status(report, item):
    return {m.id: m.status for m in report.materials}[item]


def test_guowai_xueli_a_cscse_certificate_without_degree_abroad_is_read_as_a_foreign_degree(tmp_path):
    add = {"2-申报人材料/教育部留学服务中心国外学历学位认证书.pdf": 1}
    report = check(youth_packet(tmp_path, drop=DOMESTIC, add=add, manifest=YOUTH))
    assert status(report, "degree_certification") == "present"
    assert not [f for f in findings(report, "CJ101") if f.material == "degree_certification"]
    (note,) = findings(report, "CJ212")
    assert note.severity == "info" and "applicant.degree_abroad" in note.message.zh
    assert "留学服务中心" in note.message.zh or "国(境)外" in note.message.zh


def test_guowai_xueli_a_given_fact_is_not_overridden_and_nothing_is_inferred_without_the_document(tmp_path):
    report = check(youth_packet(tmp_path, drop=DOMESTIC, manifest=YOUTH))
    assert "CJ212" not in codes(report)
    assert [f.material for f in findings(report, "CJ101")] == ["degree_certification"]
    add = {"2-申报人材料/留学服务中心认证书.pdf": 1}
    given = YOUTH + "applicant: {degree_abroad: false}\n"
    report = check(youth_packet(tmp_path / "given", drop=DOMESTIC, add=add, manifest=given))
    assert "CJ212" not in codes(report) and status(report, "degree_certification") == "missing"


def test_guowai_xueli_the_units_letter_alone_is_read_as_a_foreign_degree(tmp_path):
    add = {"2-申报人材料/关于无法提供学历学位认证书的说明.pdf": 1}
    report = check(youth_packet(tmp_path, drop=DOMESTIC, add=add, manifest=YOUTH))
    assert status(report, "degree_certification") == "present" and "CJ212" in codes(report)


STARTUP_PERSON = {
    "2-申报人材料/身份证.pdf": 1, "2-申报人材料/学历学位证书.pdf": 1, "2-申报人材料/学信网学历认证报告.pdf": 1, "2-申报人材料/学位在线验证报告.pdf": 1,
    "2-申报人材料/公司章程.pdf": 2, "2-申报人材料/任命书.pdf": 1, "2-申报人材料/个税2021-2022.pdf": 1,
    "2-申报人材料/个人诚信声明.pdf": 1,
}


def test_shijiao_zijin_wei_0_the_explanation_letter_without_paid_in_capital_is_read_as_zero(tmp_path):
    files = {**UNIT_FILES, **STARTUP_PERSON, "1-申报单位材料/实缴资金为0的情况说明.pdf": 1}
    report = check(build(tmp_path, files, "category: startup\nas_of: 2023-08-31\n"))
    assert status(report, "paid_in_capital") == "present"
    assert not [f for f in findings(report, "CJ101") if f.material == "paid_in_capital"]
    assert any("unit.paid_in_capital" in f.message.zh for f in findings(report, "CJ212"))


def test_shijiao_zijin_near_miss_no_document_at_all_is_still_cj101(tmp_path):
    files = {**UNIT_FILES, **STARTUP_PERSON}
    report = check(build(tmp_path, files, "category: startup\nas_of: 2023-08-31\n"))
    assert "paid_in_capital" in [f.material for f in findings(report, "CJ101")]
    assert "CJ212" not in codes(report)


REGISTRATION = {"营业执照.pdf": 1, "联系人身份证.pdf": 1}


def test_weiqianshui_zhengming_without_tax_paid_is_read_as_an_enterprise_that_paid_no_tax(tmp_path):
    report = check(build(tmp_path, {**REGISTRATION, "未欠税证明.pdf": 1}, "category: registration\n"))
    assert status(report, "tax_certificate") == "present" and "CJ101" not in codes(report)
    assert any("unit.tax_paid" in f.message.zh for f in findings(report, "CJ212"))


def test_weiqianshui_near_miss_the_tax_certificate_itself_needs_no_inference(tmp_path):
    report = check(build(tmp_path, {**REGISTRATION, "2022年度完税证明.pdf": 1}, "category: registration\n"))
    assert status(report, "tax_certificate") == "present" and "CJ212" not in codes(report)
