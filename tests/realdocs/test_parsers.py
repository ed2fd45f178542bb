"""Typed parsers: check characters (GB 11643 / ISO 7064 MOD 11-2, GB 32100), year-months, masking."""

from __future__ import annotations

from datetime import date

import pytest

from changju_check.scan import parsers as p


@pytest.mark.parametrize("number", ["11010519491231002X", "11010519491231002x", "１１０１０５１９４９１２３１００２Ｘ", "110108199001011231"])
def test_id_number_with_a_valid_mod_11_2_check_digit(number):
    assert p.id_number_valid(number)


@pytest.mark.parametrize("number", ["110105194912310021", "11010819900101123", "110108199013011231"])
def test_id_number_with_a_wrong_check_digit_length_or_birth_date_is_invalid(number):
    assert not p.id_number_valid(number)


def test_credit_code_gb32100_check_character():
    assert p.credit_code_valid("91350100M000100Y43")
    assert not p.credit_code_valid("91350100M000100Y44")
    assert not p.credit_code_valid("91350100M000100YZ3")  # Z is never used


@pytest.mark.parametrize("text, ym", [("202103", (2021, 3)), ("2021.03", (2021, 3)), ("2021-03", (2021, 3)),
                                      ("2021年3月", (2021, 3))])
def test_year_months_as_records_print_them(text, ym):
    assert p.parse_year_month(text)[0] == p.YearMonth(*ym)


@pytest.mark.parametrize("text", ["2021-03-15", "2021.03.15", "20210315999", "2021年3月15日"])
def test_a_full_date_or_a_long_number_is_not_a_year_month(text):
    assert p.parse_year_month(text) is None


def test_year_month_ranges():
    assert p.parse_year_month_range("2018.07-2023.08")[0] == (p.YearMonth(2018, 7), p.YearMonth(2023, 8))
    assert p.parse_year_month_range("2021年01月-2022年12月")[0] == (p.YearMonth(2021, 1), p.YearMonth(2022, 12))
    assert p.parse_year_month_range("2021-01-01至2021-01-31")[0] == (p.YearMonth(2021, 1), p.YearMonth(2021, 1))


def test_date_ranges_with_long_term():
    assert p.parse_date_range("2016.05.20-长期")[0] == (date(2016, 5, 20), p.LONG_TERM)
    assert p.parse_date_range("2015年03月10日 至 长期")[0] == (date(2015, 3, 10), p.LONG_TERM)
    assert p.parse_date_range("2022.01.01-2022.03.31")[0] == (date(2022, 1, 1), date(2022, 3, 31))
    assert p.parse_date_range("2022-01-01 至 2022-03-31")[0] == (date(2022, 1, 1), date(2022, 3, 31))


def test_personal_numbers_are_masked_keeping_region_and_last_four():
    assert p.mask_personal("110108199001011234") == "110108********1234"
    assert p.mask_personal("１１０１０８１９９００１０１１２３ｘ") == "110108********123X"
