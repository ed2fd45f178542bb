"""A document's pages are OCR'd only until they give the facts its layout needs (`done_when`).

The 人社部 labour contract layout reads 3 pages, so that the term of a double-sided print (the cover
alone, 注意事项 on its back, the parties and the term on page 3) is found. A scanned contract of
the usual print has its parties and term on page 2: its page 3 (the contract's further clauses) is
not OCR'd - not on a cold read, not when pages 1-2 are in the cache. The double-sided print is still
read to page 3. Needs the [scan] extra (OCR)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from changju_check import scan
from tests.packets import check, codes
from tests.realdocs.corpus_helpers import CORPUS
from tests.realdocs.test_check_realdocs import youth
from tests.scan.test_scan_read import count_ocr  # noqa: F401 - the fixture counting OCR calls

pytestmark = pytest.mark.skipif(not scan.available(), reason="needs the [scan] extra")

CONTRACT = "2-申报人材料/劳动合同.pdf"


def _scan_of(doc, path: Path) -> Path:
    """An image-only PDF of the document, as a flatbed scanner makes it (make_corpus's scan)."""
    from tests.realdocs.make_corpus import render_page, save_image_pdf, scanned

    rng = random.Random(path.name)
    save_image_pdf([scanned(render_page(doc, i), rng) for i in range(len(doc.pages))], path)
    return path


def _three_pages(notes_apart: bool):
    """The contract with its further clauses on a page of their own (page 3 of the usual print)."""
    from tests.realdocs.make_corpus import contract

    doc = contract(notes_apart=notes_apart)
    if not notes_apart:
        doc.page()
    doc.line("三、工作时间和休息休假", 11)
    doc.line("第三条 甲乙双方经协商一致确定乙方实行标准工时制度，每日工作时间不超过8小时。", 10)
    doc.line("第四条 甲方应当依法保障乙方休息休假的权利。", 10)
    return doc


@pytest.fixture(scope="module")
def scans(tmp_path_factory):
    root = tmp_path_factory.mktemp("contracts")
    return {"term_on_2": _scan_of(_three_pages(False), root / "term_on_2.pdf"),
            "term_on_3": _scan_of(_three_pages(True), root / "term_on_3.pdf")}


def _request(path: Path, until="labor_contract"):
    from changju_check.scan import ScanRequest

    return ScanRequest(material="labor_contract", file="劳动合同.pdf", open=lambda: open(path, "rb"), kind="pdf",
                       want=frozenset({"document"}), pages=3, until=until)


def test_a_scanned_contract_with_its_term_on_page_2_has_page_3_left_unread(scans, count_ocr):
    from changju_check.scan import read_scans

    result = read_scans([_request(scans["term_on_2"])], workers=0, cache=False)
    assert result.stats["ocr_pages"] == 2 and len(count_ocr) == 2
    assert [p.page for p in result.pages] == [1, 2] and result.files[0].page_count == 3
    # without the layout's rule, all three pages are OCR'd (what the layout's `pages: 3` costs)
    every = read_scans([_request(scans["term_on_2"], until=None)], workers=0, cache=False)
    assert every.stats["ocr_pages"] == 3 and [p.page for p in every.pages] == [1, 2, 3]


def test_the_double_sided_print_is_still_read_to_its_page_3(scans, count_ocr):
    from changju_check.scan import read_scans
    from changju_check.scan.documents import facts_of
    from changju_check.scan.layout import read_document

    result = read_scans([_request(scans["term_on_3"])], workers=0, cache=False)
    assert result.stats["ocr_pages"] == 3
    doc = read_document([p.text for p in result.pages], materials={"labor_contract"})
    facts = facts_of(doc, "labor_contract", "劳动合同.pdf")
    assert facts.contract is not None and str(facts.contract[1]) == "2024-02-29" and facts.pages["contract"] == 3


def test_pages_in_the_cache_that_already_give_the_term_leave_page_3_unread(scans, count_ocr, tmp_path, monkeypatch):
    """A first reading of two pages (--scan-pages 2) fills the cache; a reading of three then OCRs nothing."""
    from dataclasses import replace

    from changju_check.scan import read_scans

    monkeypatch.setenv("CHANGJU_CACHE_DIR", str(tmp_path / "cache"))
    read_scans([replace(_request(scans["term_on_2"]), pages=2)], workers=0)
    assert len(count_ocr) == 2
    again = read_scans([_request(scans["term_on_2"])], workers=0)
    assert len(count_ocr) == 2 and again.stats["ocr_pages"] == 0 and [p.page for p in again.pages] == [1, 2]


def _counting_jobs(monkeypatch) -> list[int]:
    """Pages OCR'd by the reader processes of a check (as bench/record.py counts them)."""
    from changju_check.scan import reader

    pages: list[int] = []
    real = reader._run_jobs

    def run_jobs(jobs, workers, timeout, progress=None):
        outs = real(jobs, workers, timeout, progress)
        pages.extend(int(o.get("ocr_pages", 0)) for o in outs)
        return outs

    monkeypatch.setattr(reader, "_run_jobs", run_jobs)
    return pages


def test_check_read_scans_ocrs_two_pages_of_the_scanned_contract_and_judges_its_term(scans, tmp_path, monkeypatch):
    monkeypatch.setenv("CHANGJU_CACHE_DIR", str(tmp_path / "cache"))
    pages = _counting_jobs(monkeypatch)
    packet = youth(tmp_path / "packet")
    (packet / CONTRACT).write_bytes(scans["term_on_2"].read_bytes())
    report = check(packet, read_scans=True, file_timeout=900)
    assert sum(pages) == 2  # the other files have text layers: only the contract is OCR'd, pages 1 and 2
    ev = {e.fact: (e.value, e.page) for e in report.evidence if e.file == CONTRACT}
    assert ev["contract_end"] == ("2024-02-29", 2) and ev["contract_start"] == ("2021-03-01", 2)
    assert not {"CJ201", "CJ202", "CJ208"} & set(codes(report))


def test_corpus_contract_of_the_usual_print_is_unchanged():
    """The corpus scan of the usual print has two pages: nothing to leave unread there."""
    from pypdf import PdfReader

    assert len(PdfReader(CORPUS / "扫描全能王 2023-08-15 10.32.pdf").pages) == 2
