"""“申报人2021、2022年度《个人所得税纳税记录》”: years written the way the tax app and banks name their
downloads (`个税_202101-202212.pdf`, `2021.01-2022.12`, `2021年1月-2022年12月`) name those years."""

import pytest

from changju_check.recognise.names import years_in
from tests.packets import check, codes, youth_packet


@pytest.mark.parametrize(
    "name, years",
    [
        ("个税_202101-202212.pdf", (2021, 2022)),
        ("个税2021.01-2022.12.pdf", (2021, 2022)),
        ("个人所得税纳税记录2021年1月-2022年12月.pdf", (2021, 2022)),
        ("纳税记录20210101-20221231.pdf", (2021, 2022)),
        ("个税_202001-202212.pdf", (2020, 2021, 2022)),
        ("2020年1月至2022年12月审计.pdf", (2020, 2021, 2022)),
        ("个税202203.pdf", (2022,)),
    ],
)
def test_niandu_years_in_download_names(name, years):
    assert years_in(name) == years


@pytest.mark.parametrize("name", ["IMG_20230815_101112.jpg", "01-专利证书ZL202110123456.7.pdf", "合同编号2021123456.pdf"])
def test_niandu_near_miss_long_numbers_are_not_years(name):
    assert set(years_in(name)) <= {2023}


def test_niandu_an_iit_download_covering_both_years_satisfies_the_item(tmp_path):
    root = youth_packet(tmp_path, drop=("2-申报人材料/个税2021-2022.pdf",), add={"2-申报人材料/个税_202101-202212.pdf": 1})
    assert "CJ102" not in codes(check(root))
    root = youth_packet(tmp_path / "b", drop=("2-申报人材料/个税2021-2022.pdf",), add={"2-申报人材料/个税_202201-202212.pdf": 1})
    assert "CJ102" in codes(check(root))
