"""`check --read-scans` on photographed and scanned real documents (OCR, the [scan] extra):
recognition by content of files whose names say nothing, the layouts read from OCR'd text, the
contract's term found on page 2 of an image-only PDF, and the issuer's printed seal."""

from __future__ import annotations

import pytest

from changju_check import scan
from tests.packets import check, codes, findings
from tests.realdocs.test_check_realdocs import youth

pytestmark = pytest.mark.skipif(not scan.available(), reason="needs the [scan] extra")

UNNAMED = {
    "社保缴费记录.pdf": None, "IMG_2031.jpg": "IMG_2031.jpg",
    "个税2021-2022.pdf": None, "mmexport1692070312345.jpg": "mmexport1692070312345.jpg",
    "劳动合同.pdf": None, "扫描全能王 2023-08-15 10.32.pdf": "扫描全能王 2023-08-15 10.32.pdf",
}


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    import os

    root = tmp_path_factory.mktemp("ocr")
    os.environ["CHANGJU_CACHE_DIR"] = str(root / "cache")
    try:
        packet = youth(root / "packet", **UNNAMED)
        # a loaded machine reads a page in tens of seconds: the time limit is not what is tested here
        return check(packet, read_scans=True, seals="all", file_timeout=900)
    finally:
        os.environ.pop("CHANGJU_CACHE_DIR", None)


def test_files_whose_names_say_nothing_are_recognised_by_their_ocr_title(report):
    assert report.assigned["social_insurance_record"] == ["2-申报人材料/IMG_2031.jpg"]
    assert report.assigned["iit_record"] == ["2-申报人材料/mmexport1692070312345.jpg"]
    assert report.assigned["labor_contract"] == ["2-申报人材料/扫描全能王 2023-08-15 10.32.pdf"]
    assert sorted(f.file for f in findings(report, "CJ509")) == sorted(
        f"2-申报人材料/{n}" for n in ("IMG_2031.jpg", "mmexport1692070312345.jpg", "扫描全能王 2023-08-15 10.32.pdf"))
    assert not {"CJ101", "CJ103"} & set(codes(report))


def test_contract_term_found_on_page_2_of_a_scanned_contract(report):
    ev = {e.fact: (e.value, e.page) for e in report.evidence if e.material == "labor_contract"}
    assert ev["contract_start"] == ("2021-03-01", 2) and ev["contract_end"] == ("2024-02-29", 2)
    assert "CJ208" not in codes(report)


def test_phone_photo_of_the_social_insurance_record_reads_its_table_and_passes_cj507(report):
    ev = {e.fact: e.value for e in report.evidence if e.file.endswith("IMG_2031.jpg")}
    assert ev["si_periods"] == "201807-202102 北京甲乙信息技术有限公司; 202103-202307 北京某某科技有限公司"
    assert "CJ507" not in codes(report)


def test_no_false_cross_check_error_on_the_correct_scans(report):
    assert not {"CJ501", "CJ502", "CJ505", "CJ506", "CJ507", "CJ508"} & set(codes(report))


def test_ocr_read_personal_numbers_are_masked(report):
    values = [e.value for e in report.evidence]
    assert "110108********1231" in values and not any("110108199001011231" in v for v in values)


def test_issuer_seal_on_a_downloaded_record_is_not_the_units_seal(report):
    seal = {e.file: e.value for e in report.evidence if e.fact == "seal"}
    cj503 = [f for f in findings(report, "CJ503") if f.file == "2-申报人材料/mmexport1692070312345.jpg"]
    if "2-申报人材料/mmexport1692070312345.jpg" in seal:
        assert seal["2-申报人材料/mmexport1692070312345.jpg"] == "found: 税务局 (issuer)"
        assert cj503 and "出具机关" in cj503[0].message.zh
    assert any(v == "found, owner not verified" or v.endswith("(issuer)") for v in seal.values())
