"""Each real layout, read from its text layer: the fields the issue lists, and what is said when one is not found."""

from __future__ import annotations

from datetime import date

import pytest

from changju_check.scan.documents import facts_of
from changju_check.scan.layout import Layout, load_layouts, read_document
from changju_check.scan.parsers import LONG_TERM, YearMonth

from tests.realdocs.corpus_helpers import pages_of


def doc(name: str):
    d = read_document(list(pages_of(name)))
    assert d is not None, f"{name} not recognised"
    return d


def facts(name: str, material: str | None = None):
    d = doc(name)
    return facts_of(d, material or d.layout.material, name, page_texts=list(pages_of(name)))


def test_every_layout_file_is_valid_and_names_catalogue_materials():
    from changju_check.rulebook.load import load_rules

    materials = set(load_rules().catalogue.materials)
    layouts = load_layouts()
    assert {lay.kind for lay in layouts} >= {
        "social_insurance_record", "iit_record", "tax_payment_certificate", "tax_clearance_certificate",
        "business_licence", "high_tech_certificate", "chsi_record", "degree_report", "cscse_certificate",
        "labor_contract", "id_card"}
    for lay in layouts:
        assert set(lay.materials) <= materials, lay.kind


def test_a_layout_with_a_bad_pattern_or_an_unknown_parser_is_refused():
    from pydantic import ValidationError

    base = {"kind": "x", "title": "x", "title_en": "x", "materials": ["id_card"], "keywords": ["x"]}
    with pytest.raises(ValidationError):
        Layout.model_validate({**base, "fields": {"a": {"labels": ["姓名"], "parser": "nonsense"}}})
    with pytest.raises(ValidationError):
        Layout.model_validate({**base, "rows": {"r": {"pattern": "(?P<a>\\d", "types": {}}}})
    with pytest.raises(ValidationError):
        Layout.model_validate({**base, "rows": {"r": {"pattern": "(?P<a>\\d)", "types": {"b": "int"}}}})
    with pytest.raises(ValidationError):
        Layout.model_validate({**base, "unknown_key": 1})


# ---- 北京市社会保险个人权益记录（参保人员缴费信息）

def test_social_insurance_record_gives_person_number_and_paying_unit_per_period():
    f = facts("si_ok.pdf")
    assert f.kind == "social_insurance_record" and f.person_name == "张三"
    assert f.id_numbers == {"社会保障号码": "110108199001011231"}
    assert f.unit_name == "北京某某科技有限公司"
    assert [(str(p.start), str(p.end), p.unit) for p in f.si_periods] == [
        ("201807", "202102", "北京甲乙信息技术有限公司"), ("202103", "202307", "北京某某科技有限公司")]
    assert f.missing == ()


def test_social_insurance_year_months_written_with_a_dot_are_read():
    f = facts("si_dot_months.pdf")
    assert [(str(p.start), str(p.end)) for p in f.si_periods] == [("201807", "202102"), ("202103", "202307")]


def test_social_insurance_supplement_mark_counts_the_month_as_paid():
    f = facts("si_supplement.pdf")
    assert f.si_periods[1].start == YearMonth(2021, 3) and f.si_periods[1].supplement


# ---- 个人所得税纳税记录

def test_iit_record_gives_its_period_years_and_months_of_wages():
    f = facts("iit_2021_2022.pdf")
    assert f.years == (2021, 2022) and f.salary_months == 24
    assert f.person_name == "张三" and set(f.id_numbers.values()) == {"110108199001011231"}


def test_iit_record_for_2020_2021_covers_2020_and_2021():
    assert facts("iit_2020_2021.pdf").years == (2020, 2021)


def test_iit_record_id_number_in_full_width_digits_is_the_same_number():
    assert set(facts("iit_fullwidth_id.pdf").id_numbers.values()) == {"110108199001011231"}


def test_iit_record_name_with_a_stray_tick_is_read_without_it():
    assert facts("iit_name_tick.pdf").person_name == "张三"


# ---- 税收完税证明 / 无欠税证明

def test_tax_payment_certificate_years_are_the_tax_periods_not_the_issue_date():
    f = facts("tax_2022.pdf")
    assert f.kind == "tax_payment_certificate" and f.years == (2022,)
    assert f.credit_code == "91110114MA01ABCD14" and f.unit_name == "北京某某科技有限公司"


def test_iit_record_subtitle_is_not_a_tax_payment_certificate():
    assert doc("iit_2021_2022.pdf").kind == "iit_record"


def test_tax_clearance_certificate_gives_unit_and_code():
    f = facts("tax_clearance.pdf")
    assert f.kind == "tax_clearance_certificate"
    assert (f.unit_name, f.credit_code) == ("北京某某科技有限公司", "91110114MA01ABCD14")


# ---- 营业执照, 高新技术企业证书

def test_business_licence_widely_spaced_labels_and_long_term():
    f = facts("licence_long_term.pdf")
    assert f.unit_name == "北京某某科技有限公司" and f.credit_code == "91110114MA01ABCD14"
    assert f.licence_end == LONG_TERM and f.values["address"].startswith("北京市昌平区")


def test_business_licence_term_with_an_end_date():
    assert facts("licence_unspaced.pdf").licence_end == date(2035, 3, 9)


def test_business_licence_credit_code_failing_gb32100_is_not_taken():
    f = facts("licence_bad_code.pdf")
    assert f.credit_code is None and "统一社会信用代码" in f.invalid


def test_high_tech_certificate_issue_date_and_number():
    f = facts("high_tech_2020.pdf")
    assert f.issued == date(2020, 8, 31) and f.values["number"] == "GR202011004567"


# ---- degree reports

def test_chsi_record_gives_update_date_birth_date_and_verification_code():
    f = facts("chsi.pdf")
    assert f.kind == "chsi_record" and f.values["updated"] == date(2023, 8, 10)
    assert f.birth_date == date(1990, 1, 1) and f.values["verification_code"] == "A1B2C3D4E5F6G7H8"


def test_degree_report_fields():
    f = facts("degree_report.pdf")
    assert f.kind == "degree_report" and f.values["certificate_number"] == "1000132015001234"


@pytest.mark.parametrize("name, number", [("cscse_old.pdf", "教留服认美[2016]01234号"), ("cscse_new.pdf", "202300012345")])
def test_cscse_certificate_numbers_old_and_new_style(name, number):
    f = facts(name)
    assert f.kind == "cscse_certificate" and f.material == "degree_certification_abroad"
    assert f.values["number"] == number


# ---- 劳动合同 (人社部 template)

def test_contract_term_is_found_on_page_2_after_the_cover():
    f = facts("contract_fixed.pdf")
    assert f.contract == (date(2021, 3, 1), date(2024, 2, 29), False) and f.pages["contract"] == 2
    assert f.unit_name == "北京某某科技有限公司" and f.person_name == "张三"


def test_contract_choice_2_is_open_ended_from_its_start():
    assert facts("contract_open.pdf").contract == (date(2021, 3, 1), None, True)


def test_contract_without_its_cover_page_is_still_the_contract():
    f = facts("contract_no_cover.pdf")
    assert f.kind == "labor_contract" and f.contract[0] == date(2021, 3, 1)


# ---- 身份证

def test_id_card_number_birth_date_and_validity():
    f = facts("id_card.pdf")
    assert f.id_numbers == {"公民身份号码": "110108199001011231"}
    assert f.birth_date == date(1990, 1, 1) and f.expiry == date(2026, 5, 20)


def test_id_card_valid_long_term():
    assert facts("id_card_long.pdf").expiry == LONG_TERM


def test_id_card_number_failing_its_check_digit_is_not_taken():
    f = facts("id_card_bad_check.pdf")
    assert f.id_numbers == {} and "公民身份号码" in f.invalid


# ---- a field not found is said

def test_recognised_document_with_a_field_missing_says_which():
    pages = list(pages_of("licence_long_term.pdf"))
    pages[0] = pages[0].replace("营业期限", "经营期间")
    d = read_document(pages)
    f = facts_of(d, "business_licence", "x.pdf")
    assert "营业期限" in f.missing


def test_a_page_that_is_no_known_document_is_not_recognised():
    assert read_document(list(pages_of("integrity_unit_seal.pdf"))) is None


def test_a_page_far_longer_than_any_form_is_read_only_as_far_as_a_form_goes():
    from changju_check.scan.layout import MAX_PAGE_CHARS

    filler = "一、养老保险单位变动记录 " + "202103 202307 29 北京某某科技有限公司 " * 2000  # one line, no district
    page = "北京市社会保险个人权益记录\n参保人姓名：张三\n" + filler + "\n社会保障号码：110108199001011231"
    d = read_document([page])
    assert len(page) > MAX_PAGE_CHARS and d.get("person_name") == "张三"
    assert "social_security_number" in d.missing  # beyond the cap: said as not found, never searched
