"""Reading facts from page text: dates, contract terms, IDs and passports, audit years, tax-record
years, licence names. Pure text, so these run without the [scan] extra."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from changju_check.scan import (
    INSTALL_COMMAND,
    LONG_TERM,
    MISSING_MSG,
    extract_audit_year,
    extract_contract,
    extract_identity,
    extract_iit_years,
    extract_licence_name,
    find_dates,
    parse_date,
)

# ----------------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "text",
    [
        "2022年3月1日",
        "2022 年 3 月 1 日",
        "2022年03月01日",
        "2022.03.01",
        "2022.3.1",
        "2022-03-01",
        "2022/03/01",
        "20220301",
        "２０２２年３月１日",  # full-width digits
        "２０２２．０３．０１",
        "二〇二二年三月一日",
        "2O22年3月l日",  # OCR: O for 0, l for 1
        "2022.O3.0l",
        "签订日期：2022年3月1日",
    ],
)
def test_parse_date_forms(text):
    assert parse_date(text) == date(2022, 3, 1)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("15 MAR 2030", date(2030, 3, 15)),
        ("15 3月/MAR 2030", date(2030, 3, 15)),
        ("MAR 15, 2030", date(2030, 3, 15)),
        ("2024年2月29日", date(2024, 2, 29)),
        ("二〇二三年十二月三十一日", date(2023, 12, 31)),
    ],
)
def test_parse_date_other_forms(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2023年2月29日",  # not a leap year
        "2022-13-01",
        "110114199001011234",  # an ID number holds a birth date: not a date on its own
        "金额 20220301000 元",
        "IOOl年3月1日",  # too many confusions to be a year
        "第2022号",
    ],
)
def test_parse_date_near_misses(text):
    assert parse_date(text) is None


def test_find_dates_marks_repairs():
    found = find_dates("自2O22年3月1日起至2025年2月28日止")
    assert [d.value for d in found] == [date(2022, 3, 1), date(2025, 2, 28)]
    assert [d.repaired for d in found] == [True, False]


# ----------------------------------------------------------------------------------- contracts


def test_contract_fixed_term():
    term = extract_contract("第一条 合同期限\n本合同为固定期限劳动合同，合同期限自2022年3月1日起至2025年2月28日止。")
    assert (term.start, term.end, term.open_ended) == (date(2022, 3, 1), date(2025, 2, 28), False)


def test_contract_probation_range_is_not_the_term():
    text = "其中试用期自2022年3月1日起至2022年5月31日止。\n合同期限：2022-03-01 至 2025-02-28"
    term = extract_contract(text)
    assert (term.start, term.end) == (date(2022, 3, 1), date(2025, 2, 28))


def test_contract_only_probation_gives_nothing():
    assert extract_contract("试用期自2022年3月1日起至2022年5月31日止。") is None


def test_contract_table_layout():
    term = extract_contract("合同起始日期 2022年3月1日  合同终止日期 2025年2月28日")
    assert (term.start, term.end) == (date(2022, 3, 1), date(2025, 2, 28))


def test_contract_open_ended_with_start():
    text = "（一）固定期限：自 年 月 日起至 年 月 日止。\n（二）无固定期限：自2020年7月1日起至法定的解除或终止条件出现时止。"
    term = extract_contract(text)
    assert term.open_ended is True
    assert term.start == date(2020, 7, 1)
    assert term.end is None


def test_contract_open_ended_statement():
    term = extract_contract("本合同为无固定期限劳动合同。")
    assert term.open_ended is True and term.start is None


def test_contract_template_option_alone_is_not_open_ended():
    # the blank template lists the options; nothing is filled in or ticked
    assert extract_contract("（二）无固定期限：自 年 月 日起至法定的解除或终止条件出现时止。") is None


def test_contract_ticked_open_ended_option():
    term = extract_contract("□固定期限 ☑无固定期限 □以完成一定工作任务为期限")
    assert term is not None and term.open_ended is True


def test_contract_full_width_and_spaced_dates():
    term = extract_contract("合同期限自 ２０２２ 年 ３ 月 １ 日起至 2024 年 2 月 29 日止")
    assert (term.start, term.end) == (date(2022, 3, 1), date(2024, 2, 29))


def test_contract_absent():
    assert extract_contract("甲方根据工作需要，安排乙方在研发部从事软件工程师岗位工作。") is None


# ----------------------------------------------------------------------------------- identity


ID_TEXT = (
    "姓名 张三\n性别 男 民族 汉\n出生 1990年1月1日\n公民身份号码 110105199001011234\n"
    "中华人民共和国\n居民身份证\n签发机关 北京市公安局昌平分局\n有效期限 2015.03.01-2035.03.01"
)


def test_id_card_name_and_expiry():
    ident = extract_identity(ID_TEXT)
    assert ident.document == "id_card"
    assert ident.name == "张三"
    assert ident.expiry == date(2035, 3, 1)


def test_id_card_long_term():
    ident = extract_identity("姓名李四性别女\n签发机关 北京市公安局\n有效期限 2010.05.20-长期")
    assert ident.name == "李四"
    assert ident.expiry == LONG_TERM


def test_id_card_expiry_with_zhi():
    ident = extract_identity("有效期限 2012年01月10日至2022年01月10日")
    assert ident.expiry == date(2022, 1, 10)


def test_id_card_birth_date_is_not_the_expiry():
    ident = extract_identity("姓名 王五\n出生 1985年7月12日\n公民身份号码 110114198507120017")
    assert ident.name == "王五"
    assert ident.expiry is None


def test_id_card_range_without_label():
    # the label was not read, but a 20-year range with the same day is an ID card's validity
    ident = extract_identity("签发机关 北京市公安局昌平分局\n2015.03.01-2035.03.01")
    assert ident.expiry == date(2035, 3, 1)


def test_passport_labels():
    text = "护照 PASSPORT\n姓/Surname\nSMITH\n名/Given names\nJOHN\n出生日期/Date of birth\n01 JAN 1985\n有效期至/Date of expiry\n15 MAR 2030"
    ident = extract_identity(text)
    assert ident.document == "passport"
    assert ident.name == "SMITH JOHN"
    assert ident.expiry == date(2030, 3, 15)


def test_passport_mrz_check_digit():
    # labels unreadable; the machine-readable zone carries the expiry with a check digit
    text = "P<USASMITH<<JOHN<<<<<<<<<<<<<<<<<<<<<<<<<<<<\n5123456789USA8501019M3003150<<<<<<<<<<<<<<06"
    ident = extract_identity(text)
    assert ident.document == "passport"
    assert ident.expiry == date(2030, 3, 15)
    assert ident.name == "SMITH JOHN"


def test_passport_mrz_bad_check_digit_is_ignored():
    text = "P<USASMITH<<JOHN<<<<<<<<<<<<<<<<<<<<<<<<<<<<\n5123456789USA8501019M3003157<<<<<<<<<<<<<<06"
    assert extract_identity(text).expiry is None


def test_identity_absent():
    assert extract_identity("审计报告\n我们审计了北京昌聚科技有限公司财务报表") is None


# ----------------------------------------------------------------------------------- audit years


def test_audit_year_from_niandu_not_report_number_or_date():
    text = (
        "审计报告\n京审字[2022]第0123号\n我们审计了北京昌聚科技有限公司财务报表，"
        "包括2021年12月31日的资产负债表，2021年度的利润表。\n2022年4月15日"
    )
    assert extract_audit_year(text).year == 2021


def test_audit_year_as_at():
    assert extract_audit_year("截至2020年12月31日止的财务状况").year == 2020


def test_audit_year_spaced():
    assert extract_audit_year("北京昌聚科技有限公司 2019 年 度 审计报告").year == 2019


def test_audit_year_absent():
    assert extract_audit_year("报告日期 2022年4月15日") is None


# ----------------------------------------------------------------------------------- IIT records


def test_iit_years_from_period():
    text = "个人所得税纳税记录\n税款所属期：2021年01月至2022年12月\n2021-01 工资薪金 1200.00\n开具日期：2023年03月05日"
    assert extract_iit_years(text).years == (2021, 2022)


def test_iit_years_from_full_date_range():
    assert extract_iit_years("所属期间 2021-01-01 至 2022-12-31").years == (2021, 2022)


def test_iit_years_from_rows_ignore_issue_date():
    text = "2021-01 工资薪金\n2021-07 工资薪金\n2022-12 工资薪金\n开具日期 2023-03-05"
    assert extract_iit_years(text).years == (2021, 2022)


def test_iit_years_absent():
    assert extract_iit_years("开具日期 2023-03-05") is None


# ----------------------------------------------------------------------------------- licences


def test_licence_name():
    text = "营业执照\n统一社会信用代码 91110114MA01ABCD2X\n名 称 北京昌聚科技有限公司\n类 型 有限责任公司"
    assert extract_licence_name(text).name == "北京昌聚科技有限公司"


def test_licence_name_run_on_with_next_label():
    assert extract_licence_name("名称：北京昌聚科技有限公司类型有限责任公司").name == "北京昌聚科技有限公司"


def test_licence_name_with_brackets():
    assert extract_licence_name("名称 昌聚（北京）科技有限公司").name == "昌聚(北京)科技有限公司"


def test_licence_name_absent():
    assert extract_licence_name("统一社会信用代码 91110114MA01ABCD2X") is None


# ----------------------------------------------------------------------------------- the extra


def test_missing_message_names_the_install_command_in_both_languages():
    assert INSTALL_COMMAND == 'pip install "changju-check[scan]"'
    assert INSTALL_COMMAND in MISSING_MSG.zh
    assert INSTALL_COMMAND in MISSING_MSG.en


def test_available_is_false_without_the_extra(monkeypatch):
    import changju_check.scan as scan

    real = scan.util.find_spec
    monkeypatch.setattr(scan.util, "find_spec", lambda name, *a: None if name == "rapidocr" else real(name, *a))
    assert scan.available() is False


def test_importing_the_package_stays_light():
    code = (
        "import sys, changju_check.scan as s; s.available(); "
        "heavy = [m for m in ('rapidocr', 'onnxruntime', 'pypdfium2', 'numpy', 'cv2', 'PIL') if m in sys.modules]; "
        "print(heavy); sys.exit(1 if heavy else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


# ----------------------------------------------------------------------------------- properties

FORMS = [
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: f"{d.year} 年 {d.month} 月 {d.day} 日",
    lambda d: f"{d.year}.{d.month:02d}.{d.day:02d}",
    lambda d: f"{d.year}-{d.month:02d}-{d.day:02d}",
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{d.year}{d.month:02d}{d.day:02d}",
    lambda d: f"{d.year}年{d.month}月{d.day}日".translate(str.maketrans("0123456789", "０１２３４５６７８９")),
]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31)), st.sampled_from(range(len(FORMS))))
def test_every_form_parses_back(value, form):
    assert parse_date("日期：" + FORMS[form](value) + "。") == value


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet=st.sampled_from("0123456789年月日至起止-./ 长期姓名有效期限试用度PASSPORT<OlI\n"), max_size=300))
def test_extractors_never_raise(text):
    extract_contract(text)
    extract_identity(text)
    extract_audit_year(text)
    extract_iit_years(text)
    extract_licence_name(text)
    find_dates(text)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)),
       st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)),
       st.sampled_from(range(len(FORMS) - 1)))
def test_contract_term_round_trip(a, b, form):
    start, end = min(a, b), max(a, b)
    if start == end:
        return
    term = extract_contract(f"合同期限自{FORMS[form](start)}起至{FORMS[form](end)}止。")
    assert (term.start, term.end, term.open_ended) == (start, end, False)
