"""CJ101 — 标有“*”的项目为必要提交材料, with the guide's conditions applied."""

from tests.packets import PERSON_FILES, UNIT_FILES, build, check, codes, findings, youth_packet


def test_a_complete_youth_packet_has_no_errors(tmp_path):
    report = check(youth_packet(tmp_path))
    assert report.errors == 0, [f.message.en for f in report.findings]
    statuses = {m.id: m.status for m in report.materials}
    assert statuses["labor_contract"] == "present"
    assert statuses["professional_title"] == "optional_missing"


def test_a_missing_starred_material_is_cj101(tmp_path):
    report = check(youth_packet(tmp_path, drop=("2-申报人材料/个人诚信声明.pdf",)))
    (f,) = findings(report, "CJ101")
    assert f.material == "personal_integrity_statement" and "2.(14)" in f.message.zh
    assert report.exit_code == 1


def test_foreign_nationals_provide_a_valid_passport_and_no_id_card(tmp_path):
    manifest = "category: youth\nas_of: 2023-08-31\napplicant: {nationality: US, contract: {start: 2022-03-01, end: 2025-02-28}}\nrecommendation: " + "字" * 60 + "\n"
    root = youth_packet(tmp_path, drop=("2-申报人材料/身份证.pdf",), add={"2-申报人材料/护照.pdf": 1}, manifest=manifest)
    assert "CJ101" not in codes(check(root))


def test_a_foreign_national_without_a_passport_is_missing_it(tmp_path):
    manifest = "category: youth\nas_of: 2023-08-31\napplicant: {nationality: US}\n"
    (f,) = findings(check(youth_packet(tmp_path, manifest=manifest)), "CJ101")
    assert f.material == "identity_document" and "护照" in f.message.zh


def test_youth_with_30_percent_equity_needs_no_contract(tmp_path):
    manifest = "category: youth\nas_of: 2023-08-31\napplicant: {equity: {percent: 30}}\nrecommendation: " + "字" * 60 + "\n"
    report = check(youth_packet(tmp_path, drop=("2-申报人材料/劳动合同.pdf",), manifest=manifest))
    assert "CJ101" not in codes(report)
    assert {m.id: m.status for m in report.materials}["labor_contract"] == "not_applicable"


def test_youth_with_29_percent_equity_still_needs_the_contract(tmp_path):
    manifest = "category: youth\nas_of: 2023-08-31\napplicant: {equity: {percent: 29}}\n"
    (f,) = findings(check(youth_packet(tmp_path, drop=("2-申报人材料/劳动合同.pdf",), manifest=manifest)), "CJ101")
    assert f.material == "labor_contract"


def test_management_needs_no_social_insurance_record(tmp_path):
    files = {**UNIT_FILES, **PERSON_FILES}
    del files["2-申报人材料/社保缴费记录.pdf"]
    report = check(build(tmp_path, files, "category: management\nas_of: 2023-08-31\n"))
    assert "CJ101" not in codes(report)


def test_management_current_position_proof_any_one_of_three(tmp_path):
    files = {**UNIT_FILES, **PERSON_FILES}
    del files["2-申报人材料/劳动合同.pdf"]
    root = build(tmp_path / "a", files, "category: management\nas_of: 2023-08-31\n")
    (f,) = findings(check(root), "CJ101")
    assert f.material == "current_position_proof" and "1项" in f.message.zh
    files["2-申报人材料/任命书.pdf"] = 1
    assert "CJ101" not in codes(check(build(tmp_path / "b", files, "category: management\nas_of: 2023-08-31\n")))


FORUM = {
    "1-活动实施方案.pdf": 2,
    "2-专项审计报告.pdf": 3,
    "3-现场照片/IMG_0001.jpg": "jpg",
    "4-成果落地证明.pdf": 1,
    "5-专家身份证.pdf": 1,
    "单位诚信声明.pdf": 1,
}


def test_forum_employment_proof_two_of_three(tmp_path):
    one = build(tmp_path / "one", {**FORUM, "6-在职证明.pdf": 1}, "category: forum\nas_of: 2023-08-31\n")
    (f,) = findings(check(one), "CJ101")
    assert f.material == "expert_employment_proof"
    two = build(tmp_path / "two", {**FORUM, "6-在职证明.pdf": 1, "6-社保记录.pdf": 1}, "category: forum\nas_of: 2023-08-31\n")
    assert "CJ101" not in codes(check(two))


def test_registration_tax_certificate_only_for_enterprises(tmp_path):
    files = {"营业执照.pdf": 1, "联系人身份证.pdf": 1}
    enterprise = check(build(tmp_path / "e", files, "category: registration\nunit: {type: enterprise}\n"))
    assert [f.material for f in findings(enterprise, "CJ101")] == ["tax_certificate"]
    institution = check(build(tmp_path / "i", files, "category: registration\nunit: {type: 事业单位}\n"))
    assert "CJ101" not in codes(institution)


def test_a_non_taxpaying_enterprise_gives_the_no_arrears_certificate(tmp_path):
    files = {"营业执照.pdf": 1, "联系人身份证.pdf": 1, "未欠税证明.pdf": 1}
    report = check(build(tmp_path, files, "category: registration\nunit: {type: enterprise, tax_paid: false}\n"))
    assert report.errors == 0, [f.message.en for f in report.findings]


def test_startup_with_zero_paid_in_capital_gives_the_explanation_letter(tmp_path):
    base = {
        **UNIT_FILES,
        "2-申报人材料/身份证.pdf": 1,
        "2-申报人材料/学历学位证书.pdf": 1,
        "2-申报人材料/学信网学历认证报告.pdf": 1, "2-申报人材料/学位在线验证报告.pdf": 1,
        "2-申报人材料/公司章程.pdf": 5,
        "2-申报人材料/任命书.pdf": 1,
        "2-申报人材料/个税2021-2022.pdf": 1,
        "2-申报人材料/个人诚信声明.pdf": 1,
        "1-申报单位材料/实缴资金情况说明.pdf": 1,
    }
    manifest = "category: startup\nas_of: 2023-08-31\nunit: {paid_in_capital: 0}\napplicant: {equity: {percent: 40, largest_natural_person: true}}\n"
    assert "CJ101" not in codes(check(build(tmp_path / "zero", base, manifest)))
    manifest = manifest.replace("paid_in_capital: 0", "paid_in_capital: 1000000")
    (f,) = findings(check(build(tmp_path / "paid", base, manifest)), "CJ101")
    assert f.material == "paid_in_capital"


def test_a_waived_missing_material_shows_as_waived(tmp_path):
    manifest = (
        "category: youth\nas_of: 2023-08-31\n"
        "waive:\n  - {code: CJ101, material: degree_certification, reason: 单位已出具说明并加盖公章}\n"
    )
    report = check(youth_packet(tmp_path, drop=("2-申报人材料/学信网学历认证报告.pdf",), manifest=manifest))
    assert "CJ101" not in codes(report)
    assert {m.id: m.status for m in report.materials}["degree_certification"] == "waived"
    (f,) = [f for f in report.findings if f.code == "CJ101"]
    assert f.waived == "单位已出具说明并加盖公章"


def test_an_unusable_file_does_not_count_as_the_material(tmp_path):
    report = check(youth_packet(tmp_path, add={"2-申报人材料/个人诚信声明.pdf": b""}))
    assert {m.id: m.status for m in report.materials}["personal_integrity_statement"] == "missing"
    (f,) = findings(report, "CJ101")
    assert "个人诚信声明.pdf" in f.message.zh and "CJ3xx" in f.message.zh
    assert findings(report, "CJ303")


def test_a_missing_material_points_at_an_ambiguous_file(tmp_path):
    root = youth_packet(tmp_path, drop=("1-申报单位材料/单位诚信声明.pdf", "2-申报人材料/个人诚信声明.pdf"), add={"诚信声明.pdf": 1})
    for f in findings(check(root), "CJ101"):
        assert "诚信声明.pdf" in f.message.zh and "CJ104" in f.message.zh
