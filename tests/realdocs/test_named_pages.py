"""The page a review, a fact's evidence or a fact read names is drawn and shown, wherever it is in
the file (issues 27 and 28: "It names the page to look at, and, in the HTML sheet, shows the
crop"). The 人社部 labour contract printed double-sided has its cover alone, 注意事项 on the back,
and the parties and the term on page 3 (corpus: contract_term_p3.pdf); a 社保 record that starts a
month after the contract makes the hiring date a 需人工确认 naming that page 3.

Only the pages named are drawn beyond the first two (a 200-page PDF costs the pages named); a page
named beyond the file's length, or one that cannot be drawn, is a caption saying so."""

from __future__ import annotations

import base64
import io
import re
from datetime import date
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from typer.testing import CliRunner

from changju_check.cli import app
from changju_check.inspect import limits, preview
from changju_check.inspect.preview import LOOK_MAX_BYTES, make_previews, named_pages
from changju_check.packet import open_packet
from changju_check.report import Evidence, Report
from changju_check.rulebook.codes import finding
from tests.packets import check, findings
from tests.realdocs.corpus_helpers import CORPUS
from tests.realdocs.test_check_realdocs import YOUTH, youth
from tests.render.htmldom import parse

runner = CliRunner()

CONTRACT = "2-申报人材料/劳动合同.pdf"
# no hiring date in changju.yaml: the contract (page 3) says 2021-03-01, the 社保 record 2021-04
NO_HIRING_DATE = YOUTH.replace("  hired_on: 2021-03-01\n", "")


def _packet(tmp_path: Path) -> Path:
    return youth(tmp_path, manifest=NO_HIRING_DATE, **{"劳动合同.pdf": "contract_term_p3.pdf",
                                                       "社保缴费记录.pdf": "si_starts_after_hiring.pdf"})


def _sheet(packet: Path, out: Path) -> str:
    result = runner.invoke(app, ["check", str(packet), "--format", "html", "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    return out.read_text(encoding="utf-8")


def _jpeg(src: str) -> bytes:
    assert src.startswith("data:image/jpeg;base64,")  # in the page: the sheet loads nothing
    return base64.b64decode(src.split(",", 1)[1])


@pytest.fixture(scope="module")
def term_on_page_3(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("p3")
    packet = _packet(tmp / "packet")
    return packet, _sheet(packet, tmp / "sheet.html")


def test_the_review_of_the_hiring_date_names_page_3_of_the_contract(tmp_path):
    report = check(_packet(tmp_path))
    (cj513,) = findings(report, "CJ513")
    assert cj513.severity == "review" and (cj513.file, cj513.page) == (CONTRACT, 3)
    assert "第3页为 2021-03-01" in cj513.message.zh and "2021-04-01" in cj513.message.zh


def test_the_sheet_shows_page_3_beside_the_review_that_names_it(term_on_page_3):
    _, text = term_on_page_3
    doc = parse(text)
    (item,) = doc.find_all("li", cls="finding", data_code="CJ513")
    figure = item.find("figure", cls="look")
    assert figure is not None and (figure.get("data-file"), figure.get("data-page")) == (CONTRACT, "3")
    data = _jpeg(figure.find("img").get("src"))
    assert data[:3] == b"\xff\xd8\xff" and len(data) <= LOOK_MAX_BYTES
    assert "第 3 页" in figure.find("figcaption").text()


def _page_text(picture: bytes) -> float:
    """How much ink is on a picture (0: blank)."""
    from PIL import Image, ImageStat

    with Image.open(io.BytesIO(picture)) as im:
        return 255 - ImageStat.Stat(im.convert("L")).mean[0]


def test_the_contracts_pages_in_the_sheet_include_page_3_and_its_evidence_links_to_it(term_on_page_3):
    _, text = term_on_page_3
    doc = parse(text)
    card = next(li for li in doc.find_all("li", cls="file") if li.get("data-file") == CONTRACT)
    sheets = {s.get("data-page"): s for s in card.find_all("span", cls="sheet") if s.get("data-page")}
    assert set(sheets) == {"1", "2", "3"}  # the first two pages, and the page named
    page3 = _jpeg(sheets["3"].find("img").get("src"))
    assert _page_text(page3) > 1  # the page of text, not a blank
    assert "第 3 页" in card.text()
    # the evidence of the term (read on page 3) links to that page of the sheet
    row = next(tr for tr in doc.find_all("tr") if tr.get("data-fact") == "contract_end")
    link = row.find("a")
    assert link is not None and link.get("href") == "#" + sheets["3"].get("id")


def test_only_the_pages_named_are_drawn_beyond_the_first_two(term_on_page_3):
    _, text = term_on_page_3
    doc = parse(text)
    for card in doc.find_all("li", cls="file"):
        numbers = {int(s.get("data-page")) for s in card.find_all("span", cls="sheet") if s.get("data-page")}
        assert numbers <= {1, 2} or card.get("data-file") == CONTRACT, card.get("data-file")


def test_the_crop_of_the_box_on_page_3_is_cut_from_the_page_drawn(tmp_path):
    """Where the reading gave a box (OCR), the picture beside the review is the region around it, cut
    from page 3 as drawn from the file."""
    from changju_check.render import html

    (tmp_path / "劳动合同.pdf").write_bytes((CORPUS / "contract_term_p3.pdf").read_bytes())
    report = Report(packet="p", category="youth", category_title="青年类人才", category_title_en="Youth",
                    as_of=date(2023, 8, 31))
    report.findings.append(finding("CJ513", "入职日期：从 劳动合同.pdf 第3页 读出 2021-03-01，但把握不足", "low",
                                   file="劳动合同.pdf", page=3))
    box = (0.08, 0.30, 0.92, 0.34)  # a line across the page: the region is wider than high
    report.evidence.append(Evidence("labor_contract", "劳动合同.pdf", 3, "contract_start", "2021-03-01", 0.6, box))
    with open_packet(tmp_path) as packet:
        report.previews = make_previews(packet.files, named=named_pages(report))
    assert [p.number for p in report.previews["劳动合同.pdf"].pages] == [1, 2, 3]
    doc = parse(html.render(report, "zh"))
    img = doc.find("figure", cls="look").find("img")
    assert int(img.get("width")) > 2 * int(img.get("height"))  # the strip around the value, not the page
    assert _page_text(_jpeg(img.get("src"))) > 1
    # the box is drawn on page 3 in the file's pages
    page3 = next(s for s in doc.find_all("span", cls="sheet") if s.get("data-page") == "3")
    assert page3.find("span", cls="ebox") is not None


# ---- hostile: a page beyond the file, a page that cannot be drawn, a long PDF


def test_a_page_named_beyond_the_files_length_is_a_caption_saying_so(tmp_path):
    from changju_check.render import html

    (tmp_path / "劳动合同.pdf").write_bytes((CORPUS / "contract_term_p3.pdf").read_bytes())
    report = Report(packet="p", category="youth", category_title="青年类人才", category_title_en="Youth",
                    as_of=date(2023, 8, 31))
    report.findings.append(finding("CJ513", "入职日期：从 劳动合同.pdf 第9页 读出 2021-03-01，但把握不足", "low",
                                   file="劳动合同.pdf", page=9))
    with open_packet(tmp_path) as packet:
        report.previews = make_previews(packet.files, named=named_pages(report))
    drawn = report.previews["劳动合同.pdf"]
    assert [p.number for p in drawn.pages] == [1, 2] and drawn.page_problem(9).zh == "第 9 页超出文件页数（共 3 页）"
    doc = parse(html.render(report, "zh"))
    figure = doc.find("figure", cls="look")
    assert figure.find("img") is None and "第 9 页超出文件页数（共 3 页）" in figure.find("figcaption").text()
    card = doc.find("li", cls="file")
    assert "第 9 页超出文件页数" in card.find("ul", cls="page-notes").text()
    english = parse(html.render(report, "en")).find("figure", cls="look").find("figcaption").text()
    assert "page 9 is beyond the file's 3 page(s)" in english


def _text_of(page) -> str:
    textpage = page.get_textpage()
    try:
        return textpage.get_text_range()
    finally:
        textpage.close()


def _in_this_process(monkeypatch):
    """No worker process: the pages are drawn here, where a test can watch (and break) the drawing."""
    monkeypatch.setattr(limits.Worker, "_start", lambda self: (_ for _ in ()).throw(RuntimeError("no processes here")))


def test_a_page_that_cannot_be_drawn_is_a_caption_and_the_others_are_drawn(tmp_path, monkeypatch):
    _in_this_process(monkeypatch)
    real = preview._draw

    def broken_third_page(page, scale):
        if "统一社会信用代码" in _text_of(page):  # page 3, the parties and the term: PDFium fails on it
            raise RuntimeError("Failed to load page.")
        return real(page, scale)

    monkeypatch.setattr(preview, "_draw", broken_third_page)
    (tmp_path / "劳动合同.pdf").write_bytes((CORPUS / "contract_term_p3.pdf").read_bytes())
    with open_packet(tmp_path) as packet:
        (drawn,) = make_previews(packet.files, named=frozenset({("劳动合同.pdf", 3)})).values()
    assert drawn.thumbnail is not None and [p.number for p in drawn.pages] == [1, 2]
    assert drawn.page_problem(3).zh.startswith("第 3 页无法显示（RuntimeError: Failed to load page.")


def _long_pdf(path: Path, pages: int) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for n in range(1, pages + 1):
        c.setFont("STSong-Light", 14)
        c.drawString(72, 760, f"北京市社会保险个人权益记录（参保人员缴费信息） 第 {n} 页 共 {pages} 页")
        c.showPage()
    c.save()


def test_a_200_page_pdf_costs_the_pages_named_drawn_one_at_a_time(tmp_path, monkeypatch):
    _in_this_process(monkeypatch)
    real = preview._draw
    drawn_pages: list[int] = []

    def counting(page, scale):
        drawn_pages.append(int(re.search(r"第 (\d+) 页 共", _text_of(page)).group(1)))
        return real(page, scale)

    monkeypatch.setattr(preview, "_draw", counting)
    _long_pdf(tmp_path / "社保.pdf", 200)
    with open_packet(tmp_path) as packet:
        (drawn,) = make_previews(packet.files, named=frozenset({("社保.pdf", 150), ("社保.pdf", 201)})).values()
    assert drawn.page_count == 200 and [p.number for p in drawn.pages] == [1, 2, 150]
    assert sorted(set(drawn_pages)) == [1, 2, 150] and len(drawn_pages) == 4  # page 1 twice: the thumbnail
    assert drawn.page_problem(201).zh == "第 201 页超出文件页数（共 200 页）"


def test_a_page_named_zero_or_not_a_number_is_not_a_page():
    report = Report(packet="p", category="youth", category_title="青年类人才", category_title_en="Youth",
                    as_of=date(2023, 8, 31))
    report.findings.append(finding("CJ513", "x", "low", file="a.pdf", page=0))
    report.evidence.append(Evidence("labor_contract", "a.pdf", -1, "contract_start", "2021-03-01", 0.6))
    report.evidence.append(Evidence("labor_contract", "a.pdf", 4, "contract_end", "2024-02-29", 0.6))
    assert named_pages(report) == frozenset({("a.pdf", 4)})


# ---- the budget


def test_the_pages_named_come_before_the_other_files_second_pages_and_keep_the_first_pages_in_order():
    from changju_check.inspect.preview import within_budget
    from changju_check.report import Preview, PreviewPage

    def page(n: int, size: int = 100) -> PreviewPage:
        return PreviewPage(number=n, mime="image/jpeg", data=b"x" * size, width=10, height=14)

    previews = {"a.pdf": Preview("a.pdf", 5, page(1), (page(1), page(2), page(5))),
                "b.pdf": Preview("b.pdf", 2, page(1), (page(1), page(2)))}
    kept = within_budget(previews, 200 + 300, named=frozenset({("a.pdf", 5)}))
    assert [p.number for p in kept["a.pdf"].pages] == [1, 5] and [p.number for p in kept["b.pdf"].pages] == [1]
    kept = within_budget(previews, 10**6, named=frozenset({("a.pdf", 5)}))
    assert [p.number for p in kept["a.pdf"].pages] == [1, 2, 5]


# ---- the desk app


def test_the_desk_app_shows_page_3_beside_the_review_and_says_why_a_page_beyond_has_none(tmp_path):
    from tests.desk.desk_app import start_app

    running = start_app(str(_packet(tmp_path / "packet")))
    try:
        running.login()
        status, _, body = running.request("GET", "/check/list")
        assert status == 200
        looks = re.findall(r'<img class="look[^"]*" src="([^"]+)"', body.decode("utf-8"))
        (address,) = [unescape(a) for a in looks if "page=3" in unescape(a)]
        query = parse_qs(urlsplit(address).query)
        assert query["file"] == [CONTRACT] and query["page"] == ["3"]
        status, headers, picture = running.request("GET", address)
        assert status == 200 and headers["content-type"] == "image/jpeg" and picture[:3] == b"\xff\xd8\xff"
        assert _page_text(picture) > 1
        # the evidence's page, drawn beside the first pages for the app's pictures too
        status, _, sheet = running.request("GET", "/sheet")
        doc = parse(sheet.decode("utf-8"))
        card = next(li for li in doc.find_all("li", cls="file") if li.get("data-file") == CONTRACT)
        assert {s.get("data-page") for s in card.find_all("span", cls="sheet") if s.get("data-page")} == {"1", "2", "3"}
        # a page the file does not have: a picture saying so, not an error
        beyond = address.split("&box=")[0].replace("page=3", "page=9")
        status, headers, picture = running.request("GET", beyond)
        assert status == 200 and headers["content-type"].startswith("image/svg+xml")
        svg = picture.decode("utf-8")
        assert "<title>第 9 页超出文件页数（共 3 页）</title>" in svg and "<script" not in svg
        status, _, picture = running.request("GET", address, cookie=False)
        assert status in (401, 403) and picture[:3] != b"\xff\xd8\xff"
    finally:
        running.stop()


# ---- in a real browser


def test_in_chromium_page_3_is_drawn_beside_the_review_and_the_evidence_opens_it(term_on_page_3, tmp_path):
    from tests.browser import Chromium, missing_reason

    if missing_reason() is not None:
        pytest.skip(missing_reason())
    _, text = term_on_page_3
    sheet = tmp_path / "sheet.html"
    sheet.write_text(text, encoding="utf-8")
    with Chromium.start() as browser:
        page = browser.open(sheet)
        pw = page.pw
        look = pw.locator('li.finding[data-code="CJ513"] figure.look img')
        look.scroll_into_view_if_needed()
        assert pw.evaluate("img => img.complete && img.naturalWidth > 0", look.element_handle())
        third = pw.locator(f'li.file[data-file="{CONTRACT}"] span.sheet[data-page="3"] img')
        assert not third.is_visible()  # the file's pages are closed until asked for
        pw.locator('tr[data-fact="contract_end"] a').click()  # 位置: 劳动合同.pdf · 第 3 页
        third.wait_for(state="visible")
        assert pw.evaluate("img => img.complete && img.naturalWidth > 0", third.element_handle())
        assert page.console_errors() == [] and [r for r in page.requests() if not r.startswith(("file:", "data:"))] == []


def test_the_desk_app_draws_a_page_newly_named_by_a_re_check_of_a_file_that_did_not_change(tmp_path):
    """She corrects changju.yaml; the re-check names page 3 of the contract, which did not change:
    only that page is drawn, and merged into the contract's pictures."""
    from changju_check.desk.state import Pictures, _draw

    (tmp_path / "劳动合同.pdf").write_bytes((CORPUS / "contract_term_p3.pdf").read_bytes())
    pictures = Pictures()
    try:
        _draw(tmp_path, pictures, 30.0)
        first = pictures.get("劳动合同.pdf", 30.0)
        assert [p.number for p in first.pages] == [1, 2]
        _draw(tmp_path, pictures, 30.0, frozenset({("劳动合同.pdf", 3), ("劳动合同.pdf", 7)}))
        again = pictures.get("劳动合同.pdf", 30.0)
        assert [p.number for p in again.pages] == [1, 2, 3] and again.thumbnail == first.thumbnail
        assert again.pages[0] is first.pages[0]  # the first pages were not drawn again
        assert again.page_problem(7).zh == "第 7 页超出文件页数（共 3 页）"
    finally:
        pictures.close()


def test_a_review_keeps_its_page_and_the_first_pages_whatever_the_budget_and_other_pages_named_wait_their_turn():
    from changju_check.inspect.preview import within_budget
    from changju_check.report import Preview, PreviewPage

    def page(n: int) -> PreviewPage:
        return PreviewPage(number=n, mime="image/jpeg", data=b"x" * 100, width=10, height=14)

    previews = {"a.pdf": Preview("a.pdf", 9, page(1), tuple(page(n) for n in (1, 2, 4, 6, 9)))}
    kept = within_budget(previews, 0, frozenset({("a.pdf", 6)}), frozenset({("a.pdf", 4), ("a.pdf", 6), ("a.pdf", 9)}))
    assert [p.number for p in kept["a.pdf"].pages] == [1, 2, 6]
