"""CJ102 — 申报单位 2020、2021、2022 年度《财务审计报告》; 申报人 2021、2022 年度《个人所得税纳税记录》."""

from tests.packets import check, findings, youth_packet


def test_audit_reports_for_2020_2021_2022(tmp_path):
    report = check(youth_packet(tmp_path, drop=("1-申报单位材料/2021年度财务审计报告.pdf",)))
    (f,) = findings(report, "CJ102")
    assert f.material == "audit_report" and "2021" in f.message.zh and "2020" not in f.message.zh


def test_all_three_audit_years_pass(tmp_path):
    assert findings(check(youth_packet(tmp_path)), "CJ102") == []


def test_a_range_in_the_name_covers_every_year_in_it(tmp_path):
    root = youth_packet(
        tmp_path,
        drop=("2-申报人材料/个税2021-2022.pdf",),
        add={"2-申报人材料/个人所得税纳税记录2021年至2022年.pdf": 1},
    )
    assert findings(check(root), "CJ102") == []


def test_iit_records_for_2021_and_2022(tmp_path):
    root = youth_packet(tmp_path, drop=("2-申报人材料/个税2021-2022.pdf",), add={"2-申报人材料/个税2022.pdf": 1})
    (f,) = findings(check(root), "CJ102")
    assert f.material == "iit_record" and "2021" in f.message.zh


def test_an_undated_file_is_named_in_the_message(tmp_path):
    root = youth_packet(tmp_path, drop=("2-申报人材料/个税2021-2022.pdf",), add={"2-申报人材料/个税.pdf": 1})
    (f,) = findings(check(root), "CJ102")
    assert "个税.pdf" in f.message.zh
