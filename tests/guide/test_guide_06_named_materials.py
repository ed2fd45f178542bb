"""Materials the guide names: 金融 2.(14) “申报人取得的各类知识产权证明材料”; 四（二）2 the forum's
“专项审计报告” (not an annual 财务审计报告); and the unit's letter for 学历学位认证书 “无法提供的须由单位
出具说明并加盖公章” as units title it."""

import pytest

from changju_check.recognise.names import Recogniser
from changju_check.rulebook.load import load_rules
from tests.packets import build, check, codes, findings


def material_of(category: str, path: str) -> str | None:
    rules = load_rules()
    return Recogniser(rules.catalogue, rules.categories[category]).match_name(path).material


@pytest.mark.parametrize("name", ["发明专利证书-一种支付清算方法.pdf", "软件著作权登记证书.pdf", "商标注册证.pdf", "计算机软件著作权登记证书.pdf"])
def test_jinrong_zhishi_chanquan_patents_copyrights_and_trademarks_are_ip_proofs(name):
    assert material_of("finance", f"2-申报人材料/{name}") == "ip_proof"


def test_jinrong_zhishi_chanquan_a_patent_certificate_is_not_told_to_leave_the_packet(tmp_path):
    report = check(build(tmp_path, {"2-申报人材料/发明专利证书.pdf": 1}, "category: finance\nas_of: 2023-08-31\n"))
    assert "CJ103" not in codes(report)
    # near miss: the unit's own patent is not the applicant's intellectual property
    assert material_of("finance", "1-申报单位材料/企业发明专利证书.pdf") != "ip_proof"
    # and in research a patent certificate is still the applicant's patents (2.(9))
    assert material_of("research", "2-申报人材料/发明专利证书.pdf") == "personal_patents"


@pytest.mark.parametrize("name", ["2022年度财务审计报告.pdf", "财务审计报告.pdf", "2021年度审计报告.pdf"])
def test_zhuanxiang_shenji_baogao_an_annual_audit_report_does_not_satisfy_it(name, tmp_path):
    assert material_of("forum", name) != "forum_audit_report"
    report = check(build(tmp_path, {name: 3}, "category: forum\nas_of: 2023-08-31\n"))
    assert "forum_audit_report" in [f.material for f in findings(report, "CJ101")]


@pytest.mark.parametrize("name", ["2-专项审计报告.pdf", "高层次科技人才论坛专项审计报告.pdf", "论坛审计报告.pdf", "审计报告.pdf"])
def test_zhuanxiang_shenji_baogao_near_miss_the_special_report_is_recognised(name):
    assert material_of("forum", name) == "forum_audit_report"


@pytest.mark.parametrize(
    "name",
    ["关于无法提供学历学位认证书的说明.pdf", "学历认证情况说明.pdf", "情况说明.pdf", "说明函.pdf", "学位认证说明函.pdf"],
)
def test_wufa_tigong_de_xu_you_danwei_chuju_shuoming_letters_as_units_title_them(name):
    assert material_of("youth", f"2-申报人材料/{name}") == "degree_explanation_letter"


def test_wufa_tigong_near_miss_a_startups_plain_letter_in_the_units_folder_is_the_paid_in_capital_letter():
    assert material_of("startup", "1-申报单位材料/情况说明.pdf") == "paid_in_capital_explanation"
    assert material_of("startup", "2-申报人材料/情况说明.pdf") == "degree_explanation_letter"
