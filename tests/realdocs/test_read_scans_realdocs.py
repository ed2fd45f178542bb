"""`check --read-scans` on photographed and scanned real documents (OCR, the [scan] extra):
recognition by content of files whose names say nothing, the layouts read from OCR'd text, the
contract's term found on page 2 of an image-only PDF, and the issuer's printed seal."""

from __future__ import annotations

import pytest

from changju_check import scan
from tests.packets import check, codes, findings
from tests.realdocs.corpus_helpers import CORPUS
from tests.realdocs.test_check_realdocs import youth

pytestmark = pytest.mark.skipif(not scan.available(), reason="needs the [scan] extra")

UNNAMED = {
    "社保缴费记录.pdf": None, "IMG_2031.jpg": "IMG_2031.jpg",
    "个税2021-2022.pdf": None, "mmexport1692070312345.jpg": "mmexport1692070312345.jpg",
    "劳动合同.pdf": None, "扫描全能王 2023-08-15 10.32.pdf": "扫描全能王 2023-08-15 10.32.pdf",
    "认证书.jpg": "cscse_scan.jpg",  # named as the domestic report, its title says 留学服务中心
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
        f"2-申报人材料/{n}" for n in ("IMG_2031.jpg", "mmexport1692070312345.jpg", "扫描全能王 2023-08-15 10.32.pdf",
                                    "认证书.jpg"))
    assert not {"CJ101", "CJ103"} & set(codes(report))


def test_scanned_cscse_certificate_named_as_a_certificate_is_the_foreign_degree_certificate(report):
    assert report.assigned["degree_certification_abroad"] == ["2-申报人材料/认证书.jpg"]
    assert "2-申报人材料/认证书.jpg" not in report.assigned.get("degree_certification", [])
    assert "2-申报人材料/认证书.jpg" in {f.file for f in findings(report, "CJ509")}


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


def test_downloaded_record_with_a_text_layer_its_printed_seals_are_the_issuers(tmp_path):
    """A text-layer PDF is read without OCR; its page is rendered only to look for seals."""
    packet = youth(tmp_path / "p", **{"单位诚信声明.pdf": None})
    (packet / "1-申报单位材料/单位诚信声明.pdf").write_bytes((CORPUS / "integrity_unit_seal.pdf").read_bytes())
    report = check(packet, read_scans=True, seals="all", file_timeout=900, scan_cache=False)
    seal = {e.file: e.value for e in report.evidence if e.fact == "seal"}
    assert seal["2-申报人材料/社保缴费记录.pdf"] == "found: 社会保险事业管理中心 (issuer)"
    assert seal["1-申报单位材料/单位诚信声明.pdf"] == "found, owner not verified"
    cj503 = {f.file: f.message.zh for f in findings(report, "CJ503")}
    assert "社会保险事业管理中心" in cj503["2-申报人材料/社保缴费记录.pdf"]
    assert "1-申报单位材料/单位诚信声明.pdf" not in cj503


def test_issuer_seal_is_no_warning_where_only_the_guide_asks_for_seals(tmp_path):
    report = check(youth(tmp_path / "p"), read_scans=True, file_timeout=900, scan_cache=False)
    assert not [f for f in findings(report, "CJ503") if f.file == "2-申报人材料/社保缴费记录.pdf"]


@pytest.fixture(scope="module")
def registration_scans(tmp_path_factory):
    import os

    from tests.packets import build
    from tests.realdocs.test_check_realdocs import REG

    root = tmp_path_factory.mktemp("ocr-reg")
    os.environ["CHANGJU_CACHE_DIR"] = str(root / "cache")
    try:
        files = {"营业执照.jpg": "licence_photo.jpg", "高新技术企业证书.jpg": "high_tech_scan.jpg",
                 "联系人身份证.jpg": "id_card_scan.jpg", "2022年度完税证明.pdf": "tax_2022_scan.pdf"}
        packet = build(root / "packet", {n: (CORPUS / c).read_bytes() for n, c in files.items()}, REG)
        return check(packet, read_scans=True, file_timeout=900)
    finally:
        os.environ.pop("CHANGJU_CACHE_DIR", None)


def test_scanned_and_photographed_registration_documents_are_read_without_false_errors(registration_scans):
    report = registration_scans
    kinds = {e.file: e.value for e in report.evidence if e.fact == "document"}
    assert kinds == {"营业执照.jpg": "营业执照", "高新技术企业证书.jpg": "高新技术企业证书",
                     "联系人身份证.jpg": "居民身份证", "2022年度完税证明.pdf": "税收完税证明"}
    assert not [f for f in report.findings if f.severity == "error"], report.findings


def test_ocr_reads_the_licence_code_the_certificate_date_and_the_tax_periods(registration_scans):
    ev = {(e.file, e.fact): e.value for e in registration_scans.evidence}
    assert ev[("营业执照.jpg", "credit_code")] == "91110114MA01ABCD14"
    assert ev[("高新技术企业证书.jpg", "issued")] == "2020-08-31"
    assert ev[("2022年度完税证明.pdf", "period_years")] == "2022"
