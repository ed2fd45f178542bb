"""File names shortened for a narrow column without losing the extension, the numbers (a leading
01-, a year) or the part that tells a file from the others of its material."""

import pytest

from changju_check.render._common import cell_width, shorten, short_files

AUDITS = ["1-申报单位材料/01-2020年度财务审计报告.pdf", "1-申报单位材料/02-2021年度财务审计报告.pdf",
          "1-申报单位材料/03-2022年度财务审计报告.pdf"]
PROJECTS = ["2-申报人材料/项目/01-重组胶原蛋白临床前研究-任务书及结题证明.pdf",
            "2-申报人材料/项目/02-重组胶原蛋白敷料中试开发-任务书及结题证明.pdf"]


@pytest.mark.parametrize("limit", [16, 20, 24, 30])
def test_the_year_the_number_and_the_extension_survive(limit):
    for name, year in zip(AUDITS, ("2020", "2021", "2022")):
        short = shorten(name, limit, AUDITS)
        assert cell_width(short) <= limit
        assert short.endswith(".pdf") and f"-{year}" in short and short.lstrip("…/").startswith("0")


def test_the_folder_goes_first():
    assert shorten(AUDITS[0], 30, AUDITS) == "…/01-2020年度财务审计报告.pdf"


def test_the_words_that_differ_are_kept_before_the_shared_ones():
    a, b = (shorten(p, 30, PROJECTS) for p in PROJECTS)
    assert "临床前研究" in a and "敷料中试开发" in b
    assert a.endswith(".pdf") and b.endswith(".pdf") and cell_width(a) <= 30


def test_a_name_that_fits_is_left_alone():
    assert shorten("身份证.pdf", 20) == "身份证.pdf"


def test_short_files_lists_the_first_files_and_counts_the_rest():
    assert short_files(AUDITS + ["x/04-附注.pdf"], limit=40, most=3).endswith("… (+1)")
