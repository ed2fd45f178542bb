"""The rule catalogue against the 2023 guide, one test per rule-bearing sentence.

The expected tables below are transcribed from ../shared/guide/2023-changju-guide.txt
independently of the YAML: number, whether the guide marks it with *, and the title.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from changju_check.cli import app
from changju_check.manifest import parse_manifest
from changju_check.rulebook.load import load_rules

runner = CliRunner()


def norm(text: str) -> str:
    """Compare titles the way a reader does: full/half-width punctuation and spaces do not matter."""
    return "".join(unicodedata.normalize("NFKC", text).split())


UNIT_6 = [  # 研发 / 服务 / 经营管理 / 青年: 申报单位提供材料
    ("1.(1)", True, "申报单位2020、2021、2022年度《财务审计报告》"),
    ("1.(2)", False, "申报单位拥有发明专利情况"),
    ("1.(3)", False, "申报单位奖项及资质获得情况"),
    ("1.(4)", True, "《单位诚信声明》"),
    ("1.(5)", True, "《申报承诺书》"),
    ("1.(6)", False, "申报单位认为需要补充提供的其他重要材料"),
]
ID_DEGREE = [
    ("2.(1)", True, "申报人有效身份证件"),
    ("2.(2)", True, "申报人最高学历、学位证书"),
    ("2.(3)", True, "申报人最高学历、学位认证书"),
]

GUIDE = {
    "registration": [
        ("1", True, "企业营业执照、法人证书副本"),
        ("2", False, "国家《高新技术企业证书》"),
        ("3", True, "申报单位联系人有效身份证件"),
        ("4", True, "申报单位为企业的须提供2022年度《完税证明》"),
        ("5", False, "申报单位认为需要提供的其他相关材料"),
    ],
    "research": UNIT_6 + ID_DEGREE + [
        ("2.(4)", False, "申报人最高专业职称等级证书"),
        ("2.(5)", True, "申报人与申报单位签订的最新工作合同"),
        ("2.(6)", True, "申报人《北京市社会保险个人权益记录(参保人员缴费信息)》"),
        ("2.(7)", True, "申报人2021、2022年度《个人所得税纳税记录》"),
        ("2.(8)", False, "申报人获奖情况"),
        ("2.(9)", False, "申报人专利获得情况"),
        ("2.(10)", False, "申报人近三年承担项目(课题)情况"),
        ("2.(11)", False, "申报人标准制定情况"),
        ("2.(12)", False, "申报人近三年学术论文发表情况"),
        ("2.(13)", True, "《个人诚信声明》"),
        ("2.(14)", False, "申报人负责项目成果转化证明材料,以及申报人认为需要提供的其他附件材料"),
    ],
    "startup": [
        ("1.(1)", False, "申报单位获得投资机构创业投资的相关证明"),
        ("1.(2)", True, "注册资金实缴证明材料"),
        ("1.(3)", True, "申报单位2020、2021、2022年度《财务审计报告》"),
        ("1.(4)", False, "申报单位拥有专利情况"),
        ("1.(5)", False, "申报单位奖项及资质获得情况"),
        ("1.(6)", False, "申报单位近三年承担项目(课题)情况"),
        ("1.(7)", True, "《单位诚信声明》"),
        ("1.(8)", True, "《申报承诺书》"),
        ("1.(9)", False, "申报单位认为需要提供的其他附件材料"),
        ("2.(1)", True, "申报人有效身份证件"),
        ("2.(2)", True, "申报人最高学历、学位证书"),
        ("2.(3)", True, "申报人最高学历、学位认证书"),
        ("2.(4)", True, "申报人/团队带头人持股证明材料"),
        ("2.(5)", True, "申报人现任职务证明材料"),
        ("2.(6)", False, "团队成员《北京市社会保险个人权益记录(参保人员缴费信息)》"),
        ("2.(7)", True, "申报人2021、2022年度《个人所得税纳税记录》"),
        ("2.(8)", False, "申报人获奖情况"),
        ("2.(9)", True, "《个人诚信声明》"),
        ("2.(10)", False, "申报人负责项目成果转化证明材料,以及申报人认为需要提供的其他附件材料"),
    ],
    "service": UNIT_6 + ID_DEGREE + [
        ("2.(4)", False, "申报人最高专业职称等级证书"),
        ("2.(5)", True, "与申报单位签订的最新工作合同"),
        ("2.(6)", True, "申报人《北京市社会保险个人权益记录(参保人员缴费信息)》"),
        ("2.(7)", True, "申报人2021、2022年度《个人所得税纳税记录》"),
        ("2.(8)", False, "申报人科技服务工作创新证明材料"),
        ("2.(9)", False, "申报人获奖情况"),
        ("2.(10)", False, "申报人专利获得情况"),
        ("2.(11)", False, "申报人近三年承担项目(课题)情况"),
        ("2.(12)", False, "申报人参与标准制定情况"),
        ("2.(13)", False, "申报人发表学术论文情况"),
        ("2.(14)", True, "《个人诚信声明》"),
        ("2.(15)", False, "申报人负责项目成果转化证明材料,以及申报人认为需要提供的其他附件材料"),
    ],
    "finance": [
        ("1.(1)", True, "申报单位2020、2021、2022年度《财务审计报告》"),
        ("1.(2)", False, "申报单位奖项及资质获得情况"),
        ("1.(3)", True, "《单位诚信声明》"),
        ("1.(4)", True, "《申报承诺书》"),
        ("1.(5)", False, "申报单位认为需要补充提供的其他重要材料"),
    ] + ID_DEGREE + [
        ("2.(4)", False, "申报人最高专业职称等级证书"),
        ("2.(5)", True, "与申报单位签订的最新工作合同"),
        ("2.(6)", True, "申报人《北京市社会保险个人权益记录(参保人员缴费信息)》"),
        ("2.(7)", True, "申报人2021、2022年度《个人所得税纳税记录》"),
        ("2.(8)", False, "申报人金融服务工作创新证明材料"),
        ("2.(9)", False, "申报人获奖情况"),
        ("2.(10)", False, "申报人近三年承担项目(课题)情况"),
        ("2.(11)", False, "申报人参与标准制定情况"),
        ("2.(12)", False, "申报人发表学术论文情况"),
        ("2.(13)", True, "《个人诚信声明》"),
        ("2.(14)", False, "申报人取得的各类知识产权证明材料,以及申报人认为需要提供的其他附件材料"),
    ],
    "management": UNIT_6 + ID_DEGREE + [
        ("2.(4)", False, "申报人最高专业职称等级证书"),
        ("2.(5)", True, "申报人现任职务证明"),
        ("2.(6)", True, "申报人2021、2022年度《个人所得税纳税记录》"),
        ("2.(7)", False, "申报人在经营管理工作中的创新工作证明材料"),
        ("2.(8)", False, "申报人获奖情况"),
        ("2.(9)", False, "申报人专利获得情况"),
        ("2.(10)", False, "申报人近三年承担项目(课题)情况"),
        ("2.(11)", False, "申报人参与标准制定情况"),
        ("2.(12)", False, "申报人发表学术论文情况"),
        ("2.(13)", True, "《个人诚信声明》"),
        ("2.(14)", False, "申报人负责项目成果转化证明材料,以及申报人认为需要提供的其他附件材料"),
    ],
    "youth": UNIT_6 + ID_DEGREE + [
        ("2.(4)", False, "申报人最高专业职称等级证书"),
        ("2.(5)", True, "申报人与申报单位签订的最新工作合同"),
        ("2.(6)", True, "申报人《北京市社会保险个人权益记录(参保人员缴费信息)》"),
        ("2.(7)", True, "申报人2021、2022年度《个人所得税纳税记录》"),
        ("2.(8)", False, "申报人重要情况证明材料"),
        ("2.(9)", False, "申报人获奖情况"),
        ("2.(10)", False, "申报人专利获得情况"),
        ("2.(11)", False, "申报人近三年承担项目(课题)情况"),
        ("2.(12)", False, "申报人参与标准制定情况"),
        ("2.(13)", False, "申报人发表学术论文情况"),
        ("2.(14)", True, "《个人诚信声明》"),
        ("2.(15)", False, "申报人负责项目成果转化证明材料,以及申报人认为需要提供的其他附件材料"),
    ],
    "forum": [
        ("1", True, "高层次科技人才论坛终版完整活动实施方案"),
        ("2", True, "高层次科技人才论坛专项审计报告"),
        ("3", True, "高层次科技人才论坛媒体宣传及活动现场展示材料"),
        ("4", True, "高层次科技人才论坛活动成果落地证明材料"),
        ("5", True, "昌聚专家身份证件"),
        ("6", True, "昌聚专家在职证明"),
        ("7", True, "《单位诚信声明》"),
    ],
}


def list_required(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["list-required", *args])
    return result.exit_code, result.stdout


def materials_json(category: str, *extra: str) -> list[dict]:
    code, out = list_required(category, "--all", "--format", "json", *extra)
    assert code == 0, out
    return json.loads(out)


@pytest.mark.parametrize("category", sorted(GUIDE))
def test_list_required_lists_exactly_the_guides_numbered_items(category):
    got = [(m["number"], m["required"] is not False, norm(m["title"])) for m in materials_json(category)]
    want = [(n, star, norm(t)) for n, star, t in GUIDE[category]]
    assert got == want


@pytest.mark.parametrize("category", sorted(GUIDE))
def test_without_all_only_the_starred_items_are_listed(category):
    code, out = list_required(category, "--format", "json")
    assert code == 0
    assert [m["number"] for m in json.loads(out)] == [n for n, star, _ in GUIDE[category] if star]


def test_json_contract_fields():
    for m in materials_json("research"):
        assert {"id", "section", "number", "title", "title_en", "required", "constraints"} <= set(m)
        assert m["section"] in ("unit", "person")
        assert m["id"].isidentifier() and m["id"] == m["id"].lower()


def test_chinese_alias_prints_the_same_as_the_key():
    assert list_required("青年") == list_required("youth")
    assert list_required("科技研发领军人才（团队）")[1] == list_required("research")[1]


def test_unknown_category_exits_2_and_lists_the_valid_ones():
    result = runner.invoke(app, ["list-required", "rocket-science"])
    assert result.exit_code == 2
    assert "research" in result.stderr and "youth" in result.stderr and "forum" in result.stderr


@pytest.mark.parametrize(
    "name, words",
    [
        ("顶尖类", "线下申报"),
        ("HICCOOL", "线下申报"),
        ("伯乐奖", "线下申报"),
        ("博士后工作站", "区人力社保局"),
        ("突出贡献奖", "三年后首次开放"),
    ],
)
def test_offline_and_not_open_types_exit_0_with_the_explanation(name, words):
    code, out = list_required(name)
    assert code == 0
    assert words in out


def test_the_eight_offline_project_types_of_section_one_two_one():
    rules = load_rules()
    assert len([t for t in rules.offline if t.mode == "offline"]) == 8


def _item(category: str, key: str):
    for _, item in load_rules().categories[category].items():
        if item.key == key:
            return item
    return None


def facts(yaml_text: str):
    return parse_manifest(yaml_text).fact


# --- sentences of the guide -------------------------------------------------------------------


def test_management_requires_no_social_insurance_record():
    assert "social_insurance_record" not in load_rules().categories["management"].material_ids()


def test_finance_has_no_unit_patent_item():
    assert "unit_patents" not in load_rules().categories["finance"].material_ids()


def test_startup_requires_the_equity_proof_and_has_no_professional_title_item():
    startup = load_rules().categories["startup"]
    assert _item("startup", "equity_proof").required is True
    assert "professional_title" not in startup.material_ids()


def test_forum_requires_all_seven_items():
    assert all(item.required is True for _, item in load_rules().categories["forum"].items())


def test_registration_tax_certificate_is_required_for_enterprises_only():
    item = _item("registration", "tax_certificate")
    assert item.is_required(facts("unit: {type: enterprise}"))
    assert not item.is_required(facts("unit: {type: institution}"))
    assert item.is_required(facts(""))  # unit.type unknown: treated as an enterprise


def test_non_taxpaying_enterprise_gives_a_no_arrears_certificate():
    item = _item("registration", "tax_certificate")
    assert item.active_case(facts("unit: {tax_paid: false}")).of == ["tax_clearance_certificate"]
    assert item.active_case(facts("unit: {tax_paid: true}")).of == ["tax_payment_certificate"]


def test_foreign_nationals_provide_a_valid_passport():
    item = _item("research", "identity_document")
    assert item.active_case(facts("applicant: {nationality: US}")).of == ["passport"]
    assert item.active_case(facts("applicant: {nationality: 中国}")).of == ["id_card"]


def test_a_foreign_degree_needs_the_cscse_certificate_or_a_sealed_unit_letter():
    item = _item("youth", "degree_certification")
    case = item.active_case(facts("applicant: {degree_abroad: true}"))
    assert set(case.of) == {"degree_certification_abroad", "degree_explanation_letter"} and case.choose == 1
    assert load_rules().catalogue.materials["degree_explanation_letter"].seal


def test_zero_paid_in_capital_gives_an_explanation_letter_instead_of_the_bank_receipt():
    item = _item("startup", "paid_in_capital")
    assert item.active_case(facts("unit: {paid_in_capital: 0}")).of == ["paid_in_capital_explanation"]
    assert item.active_case(facts("unit: {paid_in_capital: 100}")).of == ["paid_in_capital_proof"]


def test_team_members_social_insurance_only_for_startup_teams():
    item = _item("startup", "team_social_insurance")
    assert item.is_applicable(facts("applicant: {team: true}"))
    assert not item.is_applicable(facts("applicant: {team: false}"))


def test_youth_holding_30_percent_or_more_needs_no_contract():
    item = _item("youth", "labor_contract")
    assert not item.is_required(facts("applicant: {equity: {percent: 30}}"))
    assert item.is_required(facts("applicant: {equity: {percent: 29.9}}"))
    assert item.is_required(facts(""))


def test_management_current_position_proof_is_any_one_of_three():
    case = _item("management", "current_position_proof").cases()[0]
    assert case.choose == 1 and set(case.of) == {"labor_contract", "position_proof", "equity_proof"}


def test_forum_expert_employment_proof_is_two_of_three():
    case = _item("forum", "expert_employment_proof").cases()[0]
    assert case.choose == 2 and set(case.of) == {"labor_contract", "social_insurance_record", "employment_certificate"}


def test_contract_term_not_below_2_years_and_half_a_year_left():
    (c,) = _item("research", "labor_contract").constraints
    assert (c.type, c.min_years, c.min_remaining_months) == ("contract", 2, 6)


def test_equity_not_below_30_percent_and_largest_natural_person():
    (c,) = _item("startup", "equity_proof").constraints
    assert (c.min_percent, c.largest_natural_person) == (30, True)


def test_audit_reports_for_2020_2021_2022_and_iit_for_2021_2022():
    for key in ("research", "startup", "service", "finance", "management", "youth"):
        assert _item(key, "audit_report").constraints[0].years == [2020, 2021, 2022]
        assert _item(key, "iit_record").constraints[0].years == [2021, 2022]
    assert _item("registration", "tax_certificate").constraints[0].years == [2022]


def test_projects_of_the_last_three_years():
    for key in ("research", "service", "finance", "management", "youth"):
        assert any(c.type == "recent" and c.years == 3 for c in _item(key, "personal_projects").constraints)


def test_forum_photos_at_most_15():
    assert _item("forum", "forum_photos").constraints[0].max == 15


def test_forum_audit_report_lists_its_five_contents():
    assert len(_item("forum", "forum_audit_report").constraints[0].items) == 5


def test_recommendation_50_to_200_characters_for_talent_categories_only():
    rules = load_rules()
    for key in ("research", "startup", "service", "finance", "management", "youth"):
        r = rules.categories[key].recommendation
        assert (r.min_chars, r.max_chars) == (50, 200)
    assert rules.categories["forum"].recommendation is None


def test_papers_include_cover_contents_article_and_byline_pages():
    for key in ("research", "service", "finance", "management", "youth"):
        c = next(c for c in _item(key, "personal_papers").constraints if c.type == "min_pages")
        assert [p.zh for p in c.parts] == ["论文发表刊物封面页", "目录页", "论文内容页", "署名页"]


def test_order_must_match_the_system_entries():
    for key, item_key, entries in [
        ("research", "personal_patents", "patents"),
        ("research", "unit_patents", "unit_patents"),
        ("startup", "unit_projects", "unit_projects"),
        ("youth", "personal_papers", "papers"),
        ("service", "service_innovation", "innovations"),
    ]:
        assert any(c.type == "ordered" and c.entries == entries for c in _item(key, item_key).constraints)


def test_binding_cover_colours_and_five_copies():
    rules = load_rules()
    colours = {c.category: (c.colour.zh, c.copies) for c in rules.binding.covers}
    assert colours == {
        "research": ("黄色", 5),
        "startup": ("湖蓝色", 5),
        "service": ("粉紫色", 5),
        "finance": ("藏蓝色", 5),
        "management": ("橘色", 5),
        "youth": ("红色", 5),
        "forum": ("白色", 5),
    }
    code, out = list_required("youth")
    assert "红色" in out and "5份" in out


def test_categories_command_lists_every_category_with_mode_colour_and_copies():
    result = runner.invoke(app, ["categories", "--format", "json"])
    assert result.exit_code == 0
    records = {r["key"]: r for r in json.loads(result.stdout)}
    assert records["startup"]["cover_colour"] == "湖蓝色" and records["startup"]["copies"] == 5
    assert records["postdoc"]["mode"] == "external"
    assert records["contribution_award"]["mode"] == "not_open"
    assert "青年" in records["youth"]["aliases"]


def test_english_titles_are_available():
    code, out = list_required("youth", "--lang", "en")
    assert code == 0 and "Young talent" in out and "red cover" in out


GUIDE_FILE = Path(__file__).resolve().parents[2].parent / "shared" / "guide" / "2023-changju-guide.txt"
# where each category's list stands in the guide (line numbers of the 2023 text)
GUIDE_LINES = {
    "registration": (92, 106), "research": (108, 166), "startup": (166, 216), "service": (216, 268),
    "finance": (268, 316), "management": (316, 368), "youth": (368, 420), "forum": (424, 460),
}
# notes that join two of the guide's parentheses, or its list lines, into one
JOINED_NOTES = {("startup", "team_social_insurance"), ("forum", "expert_employment_proof")}


@pytest.mark.skipif(not GUIDE_FILE.exists(), reason="the guide is in ../shared/guide")
@pytest.mark.parametrize("category", sorted(GUIDE_LINES))
def test_titles_and_notes_are_the_guides_words_verbatim(category):
    import re

    first, last = GUIDE_LINES[category]
    lines = GUIDE_FILE.read_text(encoding="utf-8").split("\n")[first - 1 : last]
    guide = re.sub(r"\s+", "", "\n".join(lines))
    for _, item in load_rules().categories[category].items():
        assert re.sub(r"\s+", "", item.title) in guide, item.title
        if item.note and (category, item.key) not in JOINED_NOTES:
            assert re.sub(r"\s+", "", item.note) in guide, item.note
