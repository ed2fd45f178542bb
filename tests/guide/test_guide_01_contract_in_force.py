"""四（二）6①“有效期内工作合同”: a contract is in force when it has started and not yet ended,
start ≤ 参照日期 ≤ end, the end day included."""

from tests.packets import build, check, findings

FORUM = {
    "1-活动实施方案.pdf": 2, "2-专项审计报告.pdf": 3, "3-现场照片/IMG_0001.jpg": "jpg", "4-成果落地证明.pdf": 1,
    "5-专家身份证.pdf": 1, "7-单位诚信声明.pdf": 1, "6-劳动合同.pdf": 1, "6-在职证明.pdf": 1,
}


def forum(tmp_path, contract: str):
    text = f"category: forum\nas_of: 2023-08-31\napplicant: {{contract: {contract}}}\n"
    return check(build(tmp_path, FORUM, text))


def test_youxiaoqinei_contract_ending_on_the_reference_date_is_in_force(tmp_path):
    report = forum(tmp_path, "{start: 2021-09-01, end: 2023-08-31}")
    assert not findings(report, "CJ202") and not findings(report, "CJ213")


def test_youxiaoqinei_contract_that_ended_the_day_before_is_not_in_force(tmp_path):
    (f,) = findings(forum(tmp_path, "{start: 2021-09-01, end: 2023-08-30}"), "CJ202")
    assert f.severity == "error"
    assert "合同已于 2023-08-30 到期" in f.message.zh and "有效期内" in f.message.zh


def test_youxiaoqinei_contract_starting_on_the_reference_date_is_in_force(tmp_path):
    assert not findings(forum(tmp_path, "{start: 2023-08-31, end: 2025-08-30}"), "CJ213")


def test_youxiaoqinei_contract_starting_after_the_reference_date_is_not_yet_in_force(tmp_path):
    (f,) = findings(forum(tmp_path, "{start: 2023-09-01, end: 2025-08-31}"), "CJ213")
    assert f.severity == "error" and "2023-09-01" in f.message.zh and "尚未生效" in f.message.zh


def test_a_talent_categorys_latest_contract_starting_later_is_a_warning_not_an_error(tmp_path):
    # the latest (renewed) contract may start after the reference date: the guide asks for the
    # latest contract, not one in force, so this is only pointed out
    from tests.packets import youth_packet

    text = "category: youth\nas_of: 2023-08-31\napplicant: {contract: {start: 2023-09-01, end: 2026-08-31}}\n"
    (f,) = findings(check(youth_packet(tmp_path, manifest=text)), "CJ213")
    assert f.severity == "warning"
    text = "category: youth\nas_of: 2023-08-31\napplicant: {contract: {start: 2023-08-31, end: 2026-08-31}}\n"
    assert not findings(check(youth_packet(tmp_path / "b", manifest=text)), "CJ213")


def test_youxiaoqinei_the_forums_missing_dates_ask_whether_it_is_in_force(tmp_path):
    report = check(build(tmp_path, FORUM, "category: forum\nas_of: 2023-08-31\n"))
    (f,) = findings(report, "CJ208")
    assert "有效期内" in f.message.zh and "剩余有效期" not in f.message.zh
