"""CJ201, CJ202, CJ208 — 合同期限不低于2年，且合同剩余有效期在半年以上 (boundaries included)."""

from datetime import date

from changju_check.checks.contract import remaining_ok, term_ok
from tests.packets import check, codes, findings, youth_packet


def manifest(start, end, as_of="2023-08-31"):
    contract = f"{{start: {start}, end: {end}}}" if end else f"{{start: {start}}}"
    return f"category: youth\nas_of: {as_of}\napplicant:\n  contract: {contract}\nrecommendation: {'字' * 60}\n"


def test_a_contract_of_exactly_two_years_passes():
    assert term_ok(date(2022, 3, 1), date(2024, 2, 29), 2)  # the example, a leap year
    assert term_ok(date(2021, 9, 1), date(2023, 8, 31), 2)


def test_a_contract_one_day_short_of_two_years_fails():
    assert not term_ok(date(2022, 3, 1), date(2024, 2, 28), 2)


def test_exactly_six_months_left_passes():
    assert remaining_ok(date(2024, 2, 29), date(2023, 9, 1), 6)
    assert not remaining_ok(date(2024, 2, 28), date(2023, 9, 1), 6)


def test_contract_term_below_two_years_is_cj201(tmp_path):
    report = check(youth_packet(tmp_path, manifest=manifest("2023-03-01", "2025-01-31")))
    (f,) = findings(report, "CJ201")
    assert "1年11个月" in f.message.zh and f.line is not None


def test_contract_of_exactly_two_years_raises_nothing(tmp_path):
    report = check(youth_packet(tmp_path, manifest=manifest("2022-03-01", "2024-02-29", as_of="2023-08-29")))
    assert "CJ201" not in codes(report) and "CJ202" not in codes(report)


def test_less_than_half_a_year_left_is_cj202(tmp_path):
    (f,) = findings(check(youth_packet(tmp_path, manifest=manifest("2021-03-01", "2024-02-27"))), "CJ202")
    assert "2024-02-27" in f.message.zh


def test_an_open_ended_contract_passes(tmp_path):
    report = check(youth_packet(tmp_path, manifest=manifest("2015-03-01", None)))
    assert not {"CJ201", "CJ202", "CJ208"} & set(codes(report))


def test_no_contract_dates_is_a_cj208_warning(tmp_path):
    report = check(youth_packet(tmp_path, manifest=f"category: youth\nas_of: 2023-08-31\nrecommendation: {'字' * 60}\n"))
    (f,) = findings(report, "CJ208")
    assert f.severity == "warning" and f.material == "labor_contract"
    assert report.exit_code == 0


def test_strict_makes_the_warning_an_error(tmp_path):
    root = youth_packet(tmp_path, manifest=f"category: youth\nas_of: 2023-08-31\nrecommendation: {'字' * 60}\n")
    assert check(root, strict=True).exit_code == 1


def test_youth_with_30_percent_needs_no_contract_dates(tmp_path):
    text = f"category: youth\nas_of: 2023-08-31\napplicant: {{equity: {{percent: 30}}}}\nrecommendation: {'字' * 60}\n"
    assert "CJ208" not in codes(check(youth_packet(tmp_path, manifest=text)))


def test_forum_an_expired_contract_beside_two_other_proofs_is_only_a_warning(tmp_path):
    from tests.packets import build

    files = {
        "1-活动实施方案.pdf": 2, "2-专项审计报告.pdf": 3, "3-现场照片/IMG_0001.jpg": "jpg", "4-成果落地证明.pdf": 1,
        "5-专家身份证.pdf": 1, "单位诚信声明.pdf": 1, "6-在职证明.pdf": 1, "6-社保记录.pdf": 1, "6-劳动合同.pdf": 1,
    }
    text = "category: forum\nas_of: 2023-08-31\napplicant: {contract: {start: 2019-01-01, end: 2022-12-31}}\n"
    (f,) = findings(check(build(tmp_path / "spare", files, text)), "CJ202")
    assert f.severity == "warning" and "已过期" in f.message.zh or "到期" in f.message.zh
    del files["6-社保记录.pdf"]
    (f,) = findings(check(build(tmp_path / "needed", files, text)), "CJ202")
    assert f.severity == "error"
