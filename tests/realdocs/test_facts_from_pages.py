"""Issue 27's acceptance: a packet named the way people name scans (扫描件003.pdf,
IMG_20230812_101602.jpg, 下载(1).pdf), without changju.yaml, checked with `-c youth --as-of …` and
no reading flag: every file placed by its content, no CJ103, the contract's term judged from its
pages, the facts in JSON with their sources; `init` on that folder fills in what the pages say."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from changju_check import scan
from tests.packets import check, codes, findings
from tests.realdocs.corpus_helpers import CORPUS

pytestmark = pytest.mark.skipif(not scan.available(), reason="needs the [scan] extra")

# the packet as an HR officer's scanner and browser named it: name -> corpus file
NAMED_ANYHOW = {
    "扫描件001.pdf": "audit_2020.pdf",
    "扫描件002.pdf": "audit_2021.pdf",
    "下载(1).pdf": "audit_2022_scan.pdf",  # a scanned audit report: its year from OCR
    "扫描件003.pdf": "integrity_unit_seal.pdf",
    "扫描件004.pdf": "commitment.pdf",
    "IMG_20230812_101602.jpg": "id_card_scan.jpg",
    "IMG_20230812_101655.jpg": "degree_certificate_scan.jpg",
    "下载.pdf": "chsi.pdf",
    "下载(4).pdf": "degree_report.pdf",  # the 学位 verification beside the 学信网 学历 report
    "扫描件005.pdf": "扫描全能王 2023-08-15 10.32.pdf",  # the 人社部 contract, scanned: the term on page 2
    "下载(2).pdf": "si_ok.pdf",
    "下载(3).pdf": "iit_2021_2022.pdf",
    "扫描件006.pdf": "personal_integrity.pdf",
}
MATERIAL_OF = {
    "扫描件001.pdf": "audit_report", "扫描件002.pdf": "audit_report", "下载(1).pdf": "audit_report",
    "扫描件003.pdf": "unit_integrity_statement", "扫描件004.pdf": "commitment_letter",
    "IMG_20230812_101602.jpg": "id_card", "IMG_20230812_101655.jpg": "degree_certificate",
    "下载.pdf": "degree_certification", "下载(4).pdf": "degree_certification", "扫描件005.pdf": "labor_contract", "下载(2).pdf": "social_insurance_record",
    "下载(3).pdf": "iit_record", "扫描件006.pdf": "personal_integrity_statement",
}
AS_OF = "2023-08-31"


def named_anyhow(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, source in NAMED_ANYHOW.items():
        shutil.copyfile(CORPUS / source, root / name)
    return root


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ocr-cache")
    old = os.environ.get("CHANGJU_CACHE_DIR")
    os.environ["CHANGJU_CACHE_DIR"] = str(folder)
    yield folder
    if old is None:
        os.environ.pop("CHANGJU_CACHE_DIR", None)
    else:
        os.environ["CHANGJU_CACHE_DIR"] = old


@pytest.fixture(scope="module")
def packet(tmp_path_factory, cache):
    return named_anyhow(tmp_path_factory.mktemp("anyhow") / "packet")


@pytest.fixture(scope="module")
def report(packet):
    # the default of the command line: pages read where that can change the result
    # (a loaded machine reads a page in tens of seconds: the time limit is not what is tested)
    return check(packet, category="youth", as_of=date(2023, 8, 31), read_scans=None, file_timeout=900)


def test_every_file_named_anyhow_is_placed_by_its_content(report):
    placed = {p: m for m, paths in report.assigned.items() for p in paths}
    assert placed == MATERIAL_OF
    assert "CJ103" not in codes(report) and "CJ101" not in codes(report)


def test_the_scanned_2022_audit_report_named_download_counts_for_2022(report):
    assert "CJ102" not in codes(report)


def test_the_contract_term_is_judged_from_page_2_of_the_scan(report):
    facts = {(f.key, f.file): (f.value, f.page) for f in report.facts}
    assert facts[("applicant.contract.start", "扫描件005.pdf")] == ("2021-03-01", 2)
    assert facts[("applicant.contract.end", "扫描件005.pdf")] == ("2024-02-29", 2)
    # judged: a term of 3 years with six months left on 2023-08-31 (ends 2024-02-29) passes...
    contract_findings = [f for f in report.findings if f.material == "labor_contract" or "合同" in f.message.zh]
    assert not [f for f in contract_findings if f.code in ("CJ201", "CJ202", "CJ208")]


def test_the_contract_term_from_the_pages_fails_a_month_later(packet):
    # ...and a month later it has less than six months left: CJ202, citing the page it was read from
    later = check(packet, category="youth", as_of=date(2023, 10, 1), read_scans=None, file_timeout=900)
    cj202 = findings(later, "CJ202")
    assert cj202 and "扫描件005.pdf p.2" in cj202[0].message.zh


def test_the_facts_are_in_json_with_their_sources(report):
    data = report.to_dict()
    got = {(f["key"], f["file"]): f for f in data["facts"]}
    assert set(data["facts"][0]) == {"key", "value", "file", "page", "confidence"}
    assert got[("applicant.name", "IMG_20230812_101602.jpg")]["value"] == "张三"
    assert got[("applicant.nationality", "IMG_20230812_101602.jpg")]["value"] == "CN"
    assert got[("applicant.degree_abroad", "下载.pdf")]["value"] is False
    assert got[("applicant.hired_on", "下载(2).pdf")]["value"] == "2021-03-01"
    assert got[("applicant.contract.end", "扫描件005.pdf")]["page"] == 2
    assert 0 < got[("applicant.contract.end", "扫描件005.pdf")]["confidence"] <= 1
    assert data["summary"]["reviews"] == report.reviews


def test_init_on_the_folder_fills_in_what_the_pages_say_and_check_has_no_manifest_error(tmp_path, cache):
    import yaml
    from typer.testing import CliRunner

    from changju_check.cli import app

    packet = named_anyhow(tmp_path / "packet")
    runner = CliRunner()
    result = runner.invoke(app, ["init", str(packet), "-c", "youth", "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    text = (packet / "changju.yaml").read_text(encoding="utf-8")
    manifest = yaml.safe_load(text)
    assert manifest["applicant"]["name"] == "张三"
    assert str(manifest["applicant"]["contract"]["start"]) == "2021-03-01"
    assert str(manifest["applicant"]["contract"]["end"]) == "2024-02-29"
    assert str(manifest["applicant"]["hired_on"]) == "2021-03-01"
    # each read fact names its file (and page); what no document says is a question, in Chinese
    line = next(ln for ln in text.splitlines() if ln.strip().startswith("end:"))
    assert "扫描件005.pdf" in line and "第2页" in line
    assert "  nationality: 中国  # 读自 IMG_20230812_101602.jpg 第1页\n" in text  # as people write it; it reads as CN
    assert "recommendation:  # 待填：申报单位的推荐理由" in text
    checked = runner.invoke(app, ["check", str(packet), "--format", "json"])
    data = json.loads(checked.stdout)
    assert data.get("fatal") is None and not [f for f in data["findings"] if f["code"] in ("CJ401", "CJ408")]
    # what is left to fill is what no page says (no licence in a youth packet: the unit's name is the
    # contract's 甲方, read; the recommendation is nobody's document) - and no read fact is taken for
    # a leftover of the template
    (left,) = [f for f in data["findings"] if f["code"] == "CJ407"]
    assert left["message"].endswith("recommendation")


def test_a_passport_photographed_and_named_by_the_phone_is_the_passport_with_its_holder(tmp_path, cache):
    from tests.realdocs.test_check_realdocs import YOUTH, youth

    manifest = YOUTH.replace("nationality: CN", "nationality: US").replace("name: 张三", "name: John Smith")
    packet = youth(tmp_path / "packet", manifest=manifest, **{"身份证.pdf": None})
    shutil.copyfile(Path(__file__).resolve().parents[1] / "scans" / "passport_smith.jpg",
                    packet / "2-申报人材料" / "IMG_20230812_103000.jpg")
    report = check(packet, read_scans=None, file_timeout=900)
    assert report.assigned["passport"] == ["2-申报人材料/IMG_20230812_103000.jpg"]
    name = next(f for f in report.facts if f.key == "applicant.name")
    assert (name.value, name.file) == ("SMITH JOHN", "2-申报人材料/IMG_20230812_103000.jpg")
    assert not {"CJ101", "CJ103", "CJ209", "CJ501"} & set(codes(report))  # John Smith = SMITH JOHN, valid to 2030
