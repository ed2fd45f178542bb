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
    for size, text in CLAUSES:
        doc.line(text, size)
    return doc


# page 3 of the 人社部 template, a full page of clauses (as much to OCR as the page with the term)
CLAUSES = [
    (11, "三、工作时间和休息休假"),
    (10, "第三条 甲乙双方经协商一致确定乙方实行下列第 1 种工时制度："),
    (10, "1、标准工时制，即每日工作不超过8小时，每周工作不超过40小时，每周至少休息1天。"),
    (10, "2、依法实行综合计算工时工作制，综合计算周期为：   ，按综合计算工时工作制的平均工作时间"),
    (10, "不超过法定标准工作时间。3、依法实行不定时工作制。"),
    (10, "第四条 甲方因生产经营需要，经与乙方协商后可以延长乙方工作时间，并依法安排乙方补休或支付"),
    (10, "加班工资。乙方依法享有法定节假日、带薪年休假、婚丧假、产假等假期。"),
    (11, "四、劳动报酬"),
    (10, "第五条 甲方采用以下第 1 种方式向乙方以货币形式支付工资，于每月 15 日前足额支付："),
    (10, "1、月工资 15000 元。2、计件工资。计件单价为        ，甲方应合理制定劳动定额。"),
    (10, "3、基本工资和绩效工资相结合的工资分配办法，乙方月基本工资   元，绩效工资计发办法为      。"),
    (10, "第六条 乙方试用期期间的工资计发标准为 12000 元，不得低于本单位相同岗位最低档工资的百分之八十。"),
    (10, "第七条 甲方应合理调整乙方的工资待遇。乙方从甲方获得的工资依法承担的个人所得税由甲方从其工资中代扣代缴。"),
    (11, "五、社会保险和福利待遇"),
    (10, "第八条 甲乙双方依法参加社会保险，甲方为乙方办理有关社会保险手续，并承担相应社会保险义务，"),
    (10, "乙方应当缴纳的社会保险费由甲方从乙方的工资中代扣代缴。"),
    (10, "第九条 甲方依法执行国家有关福利待遇的规定。"),
    (10, "第十条 乙方因工负伤或患职业病的待遇按国家有关规定执行。乙方患病或非因工负伤的，"),
    (10, "有关待遇按国家有关规定和甲方依法制定的有关规章制度执行。"),
    (11, "六、职业培训和劳动保护"),
    (10, "第十一条 甲方应对乙方进行工作岗位所必需的培训。乙方应主动学习，积极参加甲方组织的培训，"),
    (10, "提高职业技能。"),
    (10, "第十二条 甲方应当严格执行劳动安全卫生相关法律法规规定，落实国家关于女职工、未成年工的特殊保护"),
    (10, "规定，建立健全劳动安全卫生制度，对乙方进行劳动安全卫生教育和操作规程培训，为乙方提供必要的"),
    (10, "安全防护设施和劳动保护用品，努力改善劳动条件，减少职业危害。"),
    (10, "第十三条 乙方应当严格遵守安全操作规程，不违章作业。乙方对甲方管理人员违章指挥、强令冒险作业，"),
    (10, "有权拒绝执行。"),
]


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


def test_a_layout_whose_done_when_names_a_field_it_lacks_is_refused():
    from pydantic import ValidationError

    from changju_check.scan.layout import Layout, load_layouts

    contract = next(lay for lay in load_layouts() if lay.kind == "labor_contract")
    assert contract.done_when == [["unit_name"], ["person_name"], ["fixed_term", "open_term"]]
    data = contract.model_dump()
    for bad in ([["unit_name"], ["合同期限"]], [[]]):
        with pytest.raises(ValidationError):
            Layout.model_validate({**data, "done_when": bad})
    # a layout without it reads every page it names
    assert all(not lay.done_when for lay in load_layouts() if lay.kind != "labor_contract")
