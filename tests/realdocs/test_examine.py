"""The examiner's cross-checks between documents (CJ505-CJ508, CJ510, CJ511), on the corpus's text layers."""

from __future__ import annotations

from datetime import date

import pytest

from changju_check.scan.documents import facts_of
from changju_check.scan.examine import examine, name_key, valid_until
from changju_check.scan.layout import read_document
from tests.realdocs.corpus_helpers import pages_of

AS_OF = date(2023, 8, 31)
MANIFEST = {"unit.name": "北京某某科技有限公司", "applicant.name": "张三", "applicant.hired_on": date(2021, 3, 1)}


def facts(name: str, material: str | None = None, confidence: float = 1.0):
    d = read_document(list(pages_of(name)))
    return facts_of(d, material or d.layout.material, name, confidence=confidence, page_texts=list(pages_of(name)))


def run(*names, as_of=AS_OF, manifest=None, **kw):
    fact = {**MANIFEST, **(manifest or {})}.get
    docs = [facts(n) if isinstance(n, str) else n for n in names]
    return examine(docs, fact, as_of, **kw)


def codes_of(found):
    return sorted(f.code for f in found)


CORRECT = ["id_card.pdf", "iit_2021_2022.pdf", "si_ok.pdf", "contract_fixed.pdf", "chsi.pdf", "degree_report.pdf",
           "licence_long_term.pdf", "tax_2022.pdf", "tax_clearance.pdf", "high_tech_2020.pdf"]


def test_no_cross_check_fires_on_the_correct_documents_of_the_corpus():
    assert run(*CORRECT) == []


# ---- CJ505 申报人身份

def test_cj505_id_number_differs_between_id_card_and_tax_record():
    found = run("id_card.pdf", "iit_other_id.pdf")
    assert codes_of(found) == ["CJ505"]
    assert "110108********1239" in found[0].message.zh and "110108199101011239" not in found[0].message.zh


def test_cj505_id_number_shown_in_full_with_show_personal():
    found = run("id_card.pdf", "iit_other_id.pdf", show_personal=True)
    assert "110108199101011239" in found[0].message.zh


def test_cj505_not_raised_for_the_same_number_in_full_width_digits():
    assert run("id_card.pdf", "iit_fullwidth_id.pdf") == []


def test_cj505_not_raised_for_a_name_with_a_stray_tick():
    assert run("id_card.pdf", "iit_name_tick.pdf") == []


def test_cj505_social_security_number_of_another_person():
    assert codes_of(run("id_card.pdf", "si_other_person.pdf")) == ["CJ505"]


def test_cj505_birth_date_on_the_degree_report_differs_from_the_id_number():
    found = run("id_card.pdf", "chsi_other_birth.pdf")
    assert codes_of(found) == ["CJ505"] and "1991-01-01" in found[0].message.zh


def test_cj505_name_differs():
    other = facts("iit_2021_2022.pdf")
    other.person_name = "李四"
    assert [(f.code, f.severity) for f in run("id_card.pdf", other)] == [("CJ505", "error")]


def test_cj505_name_read_by_ocr_with_low_confidence_is_a_note_never_an_error():
    other = facts("iit_2021_2022.pdf", confidence=0.6)
    other.person_name = "张二"
    assert [(f.code, f.severity) for f in run("id_card.pdf", other)] == [("CJ505", "info")]


def test_names_compare_after_width_spaces_and_debris():
    assert name_key("☑张 三：") == name_key("张三")
    assert name_key("张三") != name_key("张二")


# ---- CJ506 申报单位身份

def test_cj506_credit_code_differs_between_licence_and_tax_certificate():
    found = run("licence_long_term.pdf", "tax_other_code.pdf")
    assert codes_of(found) == ["CJ506"] and "91110108MA00XYWB24" in found[0].message.zh


@pytest.mark.parametrize("name", ["contract_other_unit.pdf", "high_tech_other_unit.pdf"])
def test_cj506_unit_name_differs_from_the_licence(name):
    found = run("licence_long_term.pdf", name)
    assert "CJ506" in codes_of(found)


def test_cj506_unit_name_compared_with_the_manifest_when_there_is_no_licence():
    found = run("high_tech_other_unit.pdf")
    assert codes_of(found) == ["CJ506"] and "unit.name" in found[0].message.zh


def test_cj506_not_raised_for_brackets_of_another_width():
    found = run("high_tech_2020.pdf", manifest={"unit.name": "北京某某科技有限公司 "})
    assert found == []


# ---- CJ507 社保 入职至今

@pytest.mark.parametrize("name", ["si_ok.pdf", "si_dot_months.pdf", "si_last_202306.pdf", "si_supplement.pdf"])
def test_cj507_not_raised_when_the_record_covers_hiring_until_two_months_before(name):
    assert run(name) == []


def test_cj507_last_month_202305_is_too_early_for_the_reference_2023_08_31():
    found = run("si_last_202305.pdf")
    assert codes_of(found) == ["CJ507"] and "202305" in found[0].message.zh and "202306" in found[0].message.zh


def test_cj507_record_starting_the_month_after_hiring():
    found = run("si_starts_after_hiring.pdf")
    assert codes_of(found) == ["CJ507"] and "202104" in found[0].message.zh


def test_cj507_record_starting_in_the_month_of_hiring_passes_even_when_hired_mid_month():
    assert run("si_ok.pdf", manifest={"applicant.hired_on": date(2021, 3, 25)}) == []


def test_cj507_three_months_since_hiring_paid_by_another_unit():
    found = run("si_other_unit_3_months.pdf")
    assert codes_of(found) == ["CJ507"]
    assert "202103-202105" in found[0].message.zh and "3个月" in found[0].message.zh


def test_cj507_gap_in_contributions():
    found = run("si_gap.pdf")
    assert codes_of(found) == ["CJ507"] and "202201-202202" in found[0].message.zh


# ---- CJ508 证书有效期

def test_cj508_high_tech_certificate_issued_three_years_before_is_still_valid_on_the_day():
    assert run("high_tech_2020.pdf", as_of=date(2023, 8, 31)) == []


def test_cj508_high_tech_certificate_out_of_date_the_day_after():
    found = run("high_tech_2020.pdf", as_of=date(2023, 9, 1))
    assert codes_of(found) == ["CJ508"] and "2023-08-31" in found[0].message.zh


def test_three_years_from_29_february_end_on_28_february():
    assert valid_until(date(2020, 2, 29), 3) == date(2023, 2, 28)


def test_cj508_licence_whose_term_ended():
    assert codes_of(run("licence_ended.pdf")) == ["CJ508"]


@pytest.mark.parametrize("name", ["licence_long_term.pdf", "licence_unspaced.pdf"])
def test_cj508_not_raised_for_a_licence_in_force(name):
    assert run(name) == []


# ---- CJ510, CJ511

def test_cj511_number_failing_its_check_character():
    found = run("id_card_bad_check.pdf")
    assert codes_of(found) == ["CJ511"] and "110108********1232" in found[0].message.zh
    assert codes_of(run("licence_bad_code.pdf")) == ["CJ511"]


def test_cj510_recognised_document_with_a_field_not_found():
    pages = list(pages_of("licence_long_term.pdf"))
    pages[0] = pages[0].replace("营业期限", "经营期间")
    f = facts_of(read_document(pages), "business_licence", "licence.pdf")
    found = examine([f], MANIFEST.get, AS_OF)
    assert codes_of(found) == ["CJ510"] and "营业期限" in found[0].message.zh
