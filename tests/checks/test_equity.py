"""CJ203, CJ204 — 证明申报人为第一大自然人股东，且占股权不低于30%."""

from tests.packets import UNIT_FILES, build, check, codes, findings

STARTUP = {
    **UNIT_FILES,
    "1-申报单位材料/实缴入资回单.pdf": 1,
    "2-申报人材料/身份证.pdf": 1,
    "2-申报人材料/学历学位证书.pdf": 1,
    "2-申报人材料/学信网学历认证报告.pdf": 1, "2-申报人材料/学位在线验证报告.pdf": 1,
    "2-申报人材料/公司章程.pdf": 5,
    "2-申报人材料/任命书.pdf": 1,
    "2-申报人材料/个税2021-2022.pdf": 1,
    "2-申报人材料/个人诚信声明.pdf": 1,
}


def startup(tmp_path, equity: str):
    text = f"category: startup\nas_of: 2023-08-31\napplicant: {{equity: {equity}}}\nrecommendation: {'字' * 60}\n"
    return check(build(tmp_path, STARTUP, text))


def test_equity_of_exactly_30_percent_passes(tmp_path):
    report = startup(tmp_path, "{percent: 30, largest_natural_person: true}")
    assert report.errors == 0, [f.message.en for f in report.findings]


def test_equity_below_30_percent_is_cj203(tmp_path):
    (f,) = findings(startup(tmp_path, "{percent: 29.5, largest_natural_person: true}"), "CJ203")
    assert "29.5%" in f.message.zh


def test_not_the_largest_natural_person_shareholder_is_cj204(tmp_path):
    report = startup(tmp_path, "{percent: 35, largest_natural_person: false}")
    assert codes(report).count("CJ204") == 1 and "CJ203" not in codes(report)


def test_unknown_equity_is_cj208(tmp_path):
    report = check(build(tmp_path, STARTUP, f"category: startup\nas_of: 2023-08-31\nrecommendation: {'字' * 60}\n"))
    assert codes(report).count("CJ208") == 2 and report.exit_code == 0
