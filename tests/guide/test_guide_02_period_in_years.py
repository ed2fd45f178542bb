"""“合同期限不低于2年，且合同剩余有效期在半年以上”, periods counted as 民法典 第二百零一至二百零四条:
a term of N years starting on day S runs through the day before S's corresponding day; where the
final month has no corresponding day (a start on 29 February), through that month's last day."""

from datetime import date

from changju_check.checks.contract import period_last_day, remaining_ok, term_ok
from tests.packets import check, findings, youth_packet


def manifest(start, end, as_of="2023-08-31"):
    return f"category: youth\nas_of: {as_of}\napplicant:\n  contract: {{start: {start}, end: {end}}}\n"


def test_bu_di_yu_2_nian_from_29_february_runs_to_the_28th_two_years_on():
    assert period_last_day(date(2020, 2, 29), years=2) == date(2022, 2, 28)
    assert term_ok(date(2020, 2, 29), date(2022, 2, 28), 2)
    assert not term_ok(date(2020, 2, 29), date(2022, 2, 27), 2)


def test_bu_di_yu_2_nian_ends_the_day_before_the_corresponding_day():
    assert period_last_day(date(2022, 3, 1), years=2) == date(2024, 2, 29)
    assert term_ok(date(2021, 9, 1), date(2023, 8, 31), 2)
    assert not term_ok(date(2021, 9, 1), date(2023, 8, 30), 2)


def test_bu_di_yu_2_nian_a_contract_from_29_february_one_day_short_is_cj201(tmp_path):
    (f,) = findings(check(youth_packet(tmp_path, manifest=manifest("2020-02-29", "2022-02-27", "2021-08-01"))), "CJ201")
    assert "不足 2 年" in f.message.zh or "不低于2年" in f.message.zh
    ok = check(youth_packet(tmp_path / "ok", manifest=manifest("2020-02-29", "2022-02-28", "2021-08-01")))
    assert not findings(ok, "CJ201")


def test_ban_nian_yi_shang_from_31_august_runs_to_the_end_of_february():
    # six months from 2023-08-31: February has no 31st, so its last day, 2024-02-29, closes the period
    assert remaining_ok(date(2024, 2, 29), date(2023, 8, 31), 6)
    assert not remaining_ok(date(2024, 2, 28), date(2023, 8, 31), 6)


def test_ban_nian_yi_shang_exactly_six_months_passes():
    assert remaining_ok(date(2024, 2, 29), date(2023, 9, 1), 6)
    assert not remaining_ok(date(2024, 2, 28), date(2023, 9, 1), 6)
