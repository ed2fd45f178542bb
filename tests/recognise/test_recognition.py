"""CJ103, CJ104 — files that match no material, or several."""

from changju_check.recognise.names import Recogniser, years_in
from changju_check.rulebook.load import load_rules
from tests.packets import check, findings, youth_packet


def recogniser(category="youth"):
    rules = load_rules()
    return Recogniser(rules.catalogue, rules.categories[category])


def test_a_file_matching_nothing_is_cj103(tmp_path):
    (f,) = findings(check(youth_packet(tmp_path, add={"扫描件001.pdf": 1})), "CJ103")
    assert f.file == "扫描件001.pdf" and f.severity == "warning"


def test_a_file_of_another_category_says_what_it_looks_like(tmp_path):
    (f,) = findings(check(youth_packet(tmp_path, add={"团队成员社保.pdf": 1})), "CJ103")
    assert "团队成员" in f.message.zh


def test_a_file_matching_two_materials_equally_is_cj104(tmp_path):
    (f,) = findings(check(youth_packet(tmp_path, add={"诚信声明.pdf": 1})), "CJ104")
    assert "单位诚信声明" in f.message.zh and "个人诚信声明" in f.message.zh


def test_a_well_named_packet_has_no_recognition_warnings(tmp_path):
    report = check(youth_packet(tmp_path))
    assert findings(report, "CJ103") == [] and findings(report, "CJ104") == []


def test_the_more_specific_match_wins():
    r = recogniser()
    assert r.match_name("学历学位认证书.pdf").material == "degree_certification"
    assert r.match_name("学历学位证书.pdf").material == "degree_certificate"
    assert r.match_name("学信网学历认证报告.pdf").material == "degree_certification"
    assert r.match_name("申报单位诚信声明.pdf").material == "unit_integrity_statement"
    assert r.match_name("申报个人诚信声明.pdf").material == "personal_integrity_statement"
    assert r.match_name("个人所得税纳税记录.pdf").material == "iit_record"
    assert r.match_name("聘用合同.pdf").material == "labor_contract"
    assert r.match_name("社会保险个人权益记录.pdf").material == "social_insurance_record"


def test_people_name_scans_in_many_ways():
    r = recogniser("startup")
    assert r.match_name("实缴入资回单.pdf").material == "paid_in_capital_proof"
    assert r.match_name("实缴资金情况说明.pdf").material == "paid_in_capital_explanation"
    assert r.match_name("公司章程（最新备案）.pdf").material == "equity_proof"
    assert r.match_name("任职证明.pdf").material == "position_proof"
    assert recogniser("forum").match_name("现场照片/IMG_0003.jpg").material == "forum_photos"
    assert recogniser("forum").match_name("在职证明.pdf").material == "employment_certificate"
    assert recogniser("service").match_name("留学服务中心认证书.pdf").material == "degree_certification_abroad"


def test_a_folder_that_says_whose_material_it_is_breaks_ties():
    r = recogniser("research")
    assert r.match_name("1-申报单位材料/诚信声明.pdf").material == "unit_integrity_statement"
    assert r.match_name("2-申报人材料/诚信声明.pdf").material == "personal_integrity_statement"


def test_a_year_in_a_name_ties_the_file_to_that_year():
    assert years_in("2021年度审计报告") == (2021,)
    assert years_in("个税2021-2022") == (2021, 2022)
    assert years_in("审计报告２０２２") == (2022,)  # full-width digits
    assert years_in("202103011234合同") == ()  # a serial number, not a date
    assert years_in("20210301合同") == (2021,)  # a date written as downloads write it


def _text_pdf(text: str) -> bytes:
    import io

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.setFont("STSong-Light", 16)
    for i, line in enumerate(text.split("\n")):
        c.drawString(72, 760 - 24 * i, line)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_where_the_name_says_nothing_the_text_layer_is_used(tmp_path):
    root = youth_packet(tmp_path, drop=("2-申报人材料/劳动合同.pdf",), add={"扫描件002.pdf": _text_pdf("劳动合同书\n甲方：北京某某科技有限公司")})
    report = check(root)
    assert {m.id: m.files for m in report.materials}["labor_contract"] == ("扫描件002.pdf",)
    assert findings(report, "CJ103") == []


def test_an_audit_report_without_a_year_in_its_name_gets_it_from_its_text_layer(tmp_path):
    root = youth_packet(
        tmp_path,
        drop=("1-申报单位材料/2021年度财务审计报告.pdf",),
        add={"1-申报单位材料/财务审计报告（补）.pdf": _text_pdf("审计报告\n北京某某科技有限公司2021年度财务报表")},
    )
    assert findings(check(root), "CJ102") == []


def test_names_people_really_use_for_verification_and_contracts():
    r = recogniser("research")
    assert r.match_name("教育部学历证书电子注册备案表.pdf").material == "degree_certification"
    assert r.match_name("技术转让合同.pdf").material == "achievement_transfer"  # not the employment contract
    assert r.match_name("聘用合同书（续签）.pdf").material == "labor_contract"
    assert r.match_name("高新技术企业证书.pdf").material == "unit_awards"  # a qualification (资质) of the unit
    assert recogniser("registration").match_name("高新技术企业证书.pdf").material == "high_tech_certificate"


def test_the_name_itself_can_say_whose_statement_it_is():
    r = recogniser("research")
    assert r.match_name("诚信声明-单位.pdf").material == "unit_integrity_statement"
    assert r.match_name("诚信声明（个人）.pdf").material == "personal_integrity_statement"
    assert r.match_name("诚信声明.pdf").material is None  # still ambiguous: CJ104


def test_more_names_from_real_packets():
    assert recogniser("startup").match_name("银行进账单-投资款.pdf").material == "investment_proof"
    assert recogniser("forum").match_name("审计报告.pdf").material == "forum_audit_report"  # the forum has only one
    assert recogniser("forum").match_name("新闻报道截图.png").material == "forum_photos"
    assert recogniser("management").match_name("在职证明.pdf").material == "position_proof"
    assert recogniser("youth").match_name("入选北京市科技新星证明.pdf").material == "youth_highlights"
    assert recogniser("research").match_name("2021年审计报告.pdf").material == "audit_report"


def test_a_name_met_again_in_a_batch_is_matched_as_the_first_time(monkeypatch):
    from changju_check.recognise import names

    rules = load_rules()
    rec = names.Recogniser(rules.catalogue, rules.categories["youth"])
    first = [rec.match_name(p) for p in ("2-申报人材料/身份证.pdf", "2-申报人材料/劳动合同.pdf", "照片/IMG_001.jpg")]
    assert first[0].material == "id_card" and first[1].material == "labor_contract"
    assert [rec.match_name(p) for p in ("2-申报人材料/身份证.pdf", "2-申报人材料/劳动合同.pdf", "照片/IMG_001.jpg")] == first
    monkeypatch.setattr(names, "_MEMO_LIMIT", 3)  # the memo is bounded: full, it starts again
    assert rec.match_name("2-申报人材料/学历学位证书.pdf").material == "degree_certificate"
    assert len(rec._by_name) == 1
    again = [rec.match_name(p) for p in ("2-申报人材料/身份证.pdf", "2-申报人材料/劳动合同.pdf", "照片/IMG_001.jpg")]
    assert again == first
    fresh = names.Recogniser(rules.catalogue, rules.categories["youth"])
    assert [fresh._match_name(p) for p in ("2-申报人材料/身份证.pdf", "2-申报人材料/劳动合同.pdf", "照片/IMG_001.jpg")] == first
