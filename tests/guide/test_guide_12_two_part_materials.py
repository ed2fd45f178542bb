"""“申报人最高学历、学位证书” and “最高学历、学位认证书（…“学信网”“学位网”定制电子版；国外取得学历须提供
教育部留学服务中心出具的‘国(境)外学历学位认证书’…）”: for anyone who holds a degree, two documents each
— the 学历 certificate (毕业证书) and the 学位证书; the 学历 verification (学信网 备案表, 学历认证报告) and
the 学位 verification (学位在线验证报告) —, the 留学服务中心's certificate covering both. A file covers one
part or both (学历学位证书); the missing part is named; `applicant.degree: false` (a diploma without a
degree) makes the 学历 part alone complete."""

from tests.packets import UNIT_FILES, build, check, findings
from tests.realdocs.test_check_realdocs import corpus

P = "2-申报人材料"
BASE = {**UNIT_FILES, f"{P}/身份证.pdf": 1, f"{P}/劳动合同.pdf": 2, f"{P}/社保缴费记录.pdf": 1,
        f"{P}/个税2021-2022.pdf": 1, f"{P}/个人诚信声明.pdf": 1}
BOTH_CERTIFICATES = {f"{P}/学历学位证书.pdf": 1}
BOTH_VERIFICATIONS = {f"{P}/学信网学历认证报告.pdf": 1, f"{P}/学位在线验证报告.pdf": 1}
YOUTH = "category: youth\nas_of: 2023-08-31\napplicant: {nationality: CN, contract: {start: 2022-03-01, end: 2025-02-28}}\n"
NO_DEGREE = YOUTH.replace("nationality: CN,", "nationality: CN, degree: false,")
ABROAD = YOUTH.replace("nationality: CN,", "nationality: CN, degree_abroad: true,")


def packet(tmp_path, files, manifest=YOUTH):
    return check(build(tmp_path, {**BASE, **files}, manifest))


def status(report, item):
    return {m.id: m.status for m in report.materials}[item]


def missing(report, item):
    return [f for f in findings(report, "CJ101") if f.material == item]


def test_xueli_xuewei_zhengshu_a_degree_certificate_alone_lacks_the_diploma(tmp_path):
    report = packet(tmp_path, {f"{P}/学位证书.jpg": "jpg", **BOTH_VERIFICATIONS})
    (f,) = missing(report, "degree_certificate")
    assert status(report, "degree_certificate") == "missing"
    assert "学历证书（毕业证书）" in f.message.zh and "毕业证书" in f.message.zh
    assert "the diploma" in f.message.en


def test_xueli_xuewei_zhengshu_a_diploma_alone_lacks_the_degree_certificate(tmp_path):
    (f,) = missing(packet(tmp_path, {f"{P}/毕业证书.jpg": "jpg", **BOTH_VERIFICATIONS}), "degree_certificate")
    assert "中的学位证书" in f.message.zh


def test_xueli_xuewei_zhengshu_both_files_or_one_file_of_both_are_complete(tmp_path):
    two = packet(tmp_path / "two", {f"{P}/毕业证书.jpg": "jpg", f"{P}/学位证书.jpg": "jpg", **BOTH_VERIFICATIONS})
    one = packet(tmp_path / "one", {**BOTH_CERTIFICATES, **BOTH_VERIFICATIONS})
    for report in (two, one):
        assert status(report, "degree_certificate") == status(report, "degree_certification") == "present"
        assert report.exit_code == 0, [f.message.zh for f in report.findings]


def test_xueli_xuewei_renzheng_a_xuexinwang_record_alone_lacks_the_degree_verification(tmp_path):
    report = packet(tmp_path, {**BOTH_CERTIFICATES, f"{P}/学信网学历认证报告.pdf": 1})
    (f,) = missing(report, "degree_certification")
    assert "学位认证（《中国高等教育学位在线验证报告》或学位认证报告）" in f.message.zh
    assert "“学位认证”" in f.message.zh  # the words that would recognise it


def test_xueli_xuewei_renzheng_the_pages_title_says_which_part_a_download_is(tmp_path):
    """下载.pdf and 认证报告.pdf say no part by name: their pages do (学信网 备案表 = 学历, 学位在线验证报告 = 学位)."""
    both = packet(tmp_path / "both", {**BOTH_CERTIFICATES, f"{P}/认证报告.pdf": corpus("degree_report.pdf"),
                                      f"{P}/学信网备案表.pdf": corpus("chsi.pdf")})
    assert status(both, "degree_certification") == "present"
    one = packet(tmp_path / "one", {**BOTH_CERTIFICATES, f"{P}/认证报告.pdf": corpus("chsi.pdf")})
    (f,) = missing(one, "degree_certification")
    assert "学位认证" in f.message.zh


def test_no_degree_the_diploma_and_its_verification_alone_are_complete(tmp_path):
    files = {f"{P}/毕业证书.pdf": 1, f"{P}/学信网学历认证报告.pdf": 1}
    assert missing(packet(tmp_path / "held", files), "degree_certificate")  # a degree is assumed unless said
    report = packet(tmp_path / "none", files, NO_DEGREE)
    assert status(report, "degree_certificate") == status(report, "degree_certification") == "present"
    assert not findings(report, "CJ101")
    # without a degree the 学历 part is still needed
    (f,) = missing(packet(tmp_path / "only-degree", {f"{P}/学位证书.pdf": 1, f"{P}/学信网学历认证报告.pdf": 1}, NO_DEGREE),
                   "degree_certificate")
    assert "学历证书（毕业证书）" in f.message.zh


def test_guowai_xueli_the_cscse_certificate_covers_both_and_a_foreign_degree_is_one_certificate(tmp_path):
    report = packet(tmp_path, {f"{P}/学位证书.pdf": 1, f"{P}/留学服务中心学历学位认证书.pdf": 1}, ABROAD)
    assert status(report, "degree_certificate") == status(report, "degree_certification") == "present"
    assert not findings(report, "CJ101")


def test_a_waived_part_is_waived_as_the_item(tmp_path):
    manifest = YOUTH + "waive:\n  - {code: CJ101, material: degree_certification, reason: 学位验证报告正在办理，单位已出具说明}\n"
    report = packet(tmp_path, {**BOTH_CERTIFICATES, f"{P}/学信网学历认证报告.pdf": 1}, manifest)
    assert status(report, "degree_certification") == "waived" and report.exit_code == 0
