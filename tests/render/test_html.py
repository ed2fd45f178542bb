"""The review sheet (`--format html`), read with an HTML parser — no browser needed.

Each test is named after what issue 17 asks of the sheet: one self-contained file, the head with
verdict and binding line, the checklist in the guide's order, findings under their item, the
evidence read from the scans beside the manifest's value, masking, print tick boxes, the batch
index. The real-browser checks are in test_html_browser.py."""

from __future__ import annotations

import base64
import io
import re
from dataclasses import replace

import pytest

from changju_check.render import html, render
from changju_check.report import Evidence, Finding, Msg, Preview, PreviewPage
from changju_check.rulebook.codes import catalogue

from .conftest import HOSTILE_FILE, fatal_report, flawed_report, passing_report
from .htmldom import parse

SCRIPT_NAME = "<script>alert(1)</script>.pdf"


def jpeg(colour=(40, 90, 160), size=(300, 420)) -> bytes:
    from PIL import Image, ImageDraw

    im = Image.new("RGB", size, "white")
    ImageDraw.Draw(im).rectangle((20, 20, size[0] - 20, 80), fill=colour)
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=70)
    return buf.getvalue()


def preview(path: str, pages: int = 1, count: int | None = None) -> Preview:
    data = jpeg()
    return Preview(
        file=path,
        page_count=count or pages,
        thumbnail=PreviewPage(number=1, mime="image/jpeg", data=jpeg(size=(150, 210)), width=150, height=210),
        pages=tuple(PreviewPage(number=n, mime="image/jpeg", data=data, width=300, height=420) for n in range(1, pages + 1)),
    )


def with_previews(report, **extra):
    files = [p for m in report.materials for p in m.files]
    report.previews = {p: preview(p) for p in files}
    for key, value in extra.items():
        setattr(report, key, value)
    return report


def items(doc):
    return doc.find_all("article", cls="item")


def item(doc, number):
    found = [a for a in items(doc) if a.get("data-number") == number]
    assert len(found) == 1, number
    return found[0]


# --------------------------------------------------------------------------- one file


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_self_contained_file_that_loads_nothing(lang):
    report = with_previews(flawed_report())
    doc = parse(render(report, "html", lang))
    assert doc.get("doctype").lower() == "doctype html"
    assert not doc.find_all("script") and not doc.find_all("link") and not doc.find_all("iframe")
    csp = doc.find("meta", http_equiv="Content-Security-Policy")
    assert csp is not None and "default-src 'none'" in csp.get("content") and "script-src" not in csp.get("content")
    for el in doc.iter():
        for name in ("src", "srcset", "poster", "data", "action"):
            if el.get(name):
                assert el.get(name).startswith("data:image/jpeg;base64,"), (el, name)
        if el.get("href"):
            assert el.get("href").startswith("#"), el  # links only inside the page
    style = "".join(s.text() for s in doc.find_all("style"))
    assert style.strip() == html._css().strip()  # <style> is raw text: our CSS must not be entity-escaped
    assert "url(" not in style and "@import" not in style and "@font-face" not in style
    assert all(a.get("style") is None or "url(" not in a.get("style") for a in doc.iter())


def test_every_value_is_escaped_a_script_file_name_shows_as_text():
    report = flawed_report()
    report.materials[2] = replace(report.materials[2], files=(SCRIPT_NAME,))
    report.findings.append(
        Finding("CJ301", "error", Msg("文件无法读取 <img src=x onerror=alert(2)>", "cannot read <img src=x onerror=alert(2)>"),
                material="contract", file=SCRIPT_NAME)
    )
    report.previews = {SCRIPT_NAME: preview(SCRIPT_NAME)}
    page = render(report, "html", "zh")
    doc = parse(page)
    assert not doc.find_all("script")
    assert not [i for i in doc.find_all("img") if i.get("src") == "x" or i.get("onerror")]
    card = doc.find("li", cls="file", data_file=SCRIPT_NAME)
    assert card is not None and SCRIPT_NAME in card.find(cls="fname").text()
    assert "<img src=x onerror=alert(2)>" in card.find(cls="msg").text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.pdf" in page


def test_a_hostile_file_name_keeps_its_characters_and_shows_controls():
    report = flawed_report()
    report.findings.append(Finding("CJ103", "warning", Msg("无法识别", "no match"), file="a\u202etxt.pdf"))
    doc = parse(render(report, "html", "zh"))
    text = doc.text()
    assert HOSTILE_FILE in text
    assert "\u202e" not in text and "a\\u202etxt.pdf" in text


# --------------------------------------------------------------------------- the head


def test_head_names_packet_category_reference_date_and_verdict_with_counts():
    doc = parse(render(flawed_report(), "html", "zh"))
    head = doc.find("header")
    assert head.find("dd", data_field="packet").text() == "packets/zhang"
    assert "科技创业类" in head.find("dd", data_field="category").text()
    assert head.find("dd", data_field="as_of").text() == "2023-06-30"
    v = head.find(id="verdict")
    assert v.get("data-verdict") == "failed" and v.get("data-errors") == "2" and v.get("data-warnings") == "2"
    assert "✗ 不通过" in v.text() and "2 个错误" in v.text()
    ok = parse(render(passing_report(), "html", "en")).find(id="verdict")
    assert ok.get("data-verdict") == "passed" and "✓ passed" in ok.text()


def test_binding_line_has_cover_colour_swatch_copies_and_printing_rules():
    """附件4: 青年类人才 封皮红色, 5 份, 双面打印, 无线胶装, 书脊处不添加文字."""
    report = passing_report()
    doc = parse(render(report, "html", "zh"))
    binding = doc.find(id="binding")
    assert binding is not None
    swatch = binding.find(cls="swatch")
    assert "background: #d7141a" in swatch.get("style") and swatch.get("title") == "红色"
    text = binding.text()
    assert "封皮红色" in text and "5份" in text and "双面打印" in text and "无线胶装" in text and "书脊处不添加文字" in text
    assert "骑缝章" in text and "附件材料目录" in text
    en = parse(render(report, "html", "en")).find(id="binding").text()
    assert "cover: red" in en and "5 copies" in en and "double-sided" in en


def test_an_offline_project_type_is_not_passed_it_was_not_checked():
    from changju_check.engine.run import offline_report
    from changju_check.rulebook.load import load_rules

    offline = load_rules(None).offline[0]
    doc = parse(render(offline_report("packets/top", offline, passing_report().as_of), "html", "zh"))
    verdict = doc.find(id="verdict")
    assert verdict.get("data-verdict") == "offline" and "通过" not in verdict.text() and "未检查" in verdict.text()
    assert doc.find(id="packet-findings").find(cls="finding", data_code="CJ406") is not None


def test_a_packet_that_could_not_be_checked_shows_why_at_the_top():
    doc = parse(render(fatal_report(), "html", "zh"))
    assert doc.find(id="verdict").get("data-verdict") == "unusable"
    top = doc.find(id="packet-findings")
    assert top.find(cls="finding", data_code="CJ401") is not None


# --------------------------------------------------------------------------- the checklist


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_checklist_in_the_guides_order_with_number_and_status(lang):
    report = flawed_report()
    doc = parse(render(report, "html", lang))
    got = [(a.get("data-number"), a.get("data-status")) for a in items(doc)]
    assert got == [(m.number, m.status) for m in report.materials]
    words = {"present": ("✓", "已提供", "present"), "missing": ("✗", "缺少", "missing"), "waived": ("◇", "已豁免", "waived"),
             "not_applicable": ("—", "不适用", "not applicable"), "optional_missing": ("○", "可选，未提供", "optional, not provided")}
    for a in items(doc):
        mark, zh, en = words[a.get("data-status")]
        status = a.find(cls="status")
        assert status.find(cls="mark").text() == mark  # a symbol as well as a colour: black-and-white print
        assert status.find(cls="word").text() == (en if lang == "en" else zh)
        assert a.find(cls="num").text() == a.get("data-number")


def test_checklist_is_grouped_section_by_section_with_the_guides_headings():
    doc = parse(render(flawed_report(), "html", "zh"))
    sections = doc.find_all("section", cls="checklist")
    assert [s.get("data-section") for s in sections] == ["unit", "person", "unit"]  # as the report orders them
    assert sections[0].find("h2").find("span").text() == "1. 申报单位提供材料"


def test_each_matched_file_has_name_page_count_and_first_page_thumbnail():
    report = with_previews(flawed_report())
    report.previews["审计报告2021.pdf"] = preview("审计报告2021.pdf", pages=2, count=12)
    doc = parse(render(report, "html", "zh"))
    cards = doc.find_all("li", cls="file")
    assert sorted(c.get("data-file") for c in cards) == sorted(p for m in report.materials for p in m.files)
    for card in cards:
        thumb = card.find("img", cls="thumb")
        assert thumb is not None, card
        assert thumb.get("src").startswith("data:image/jpeg;base64,")
        assert len(base64.b64decode(thumb.get("src").split(",", 1)[1])) <= 40_000
        assert card.find("details") is not None  # click for the larger view, no script
    big = doc.find("li", cls="file", data_file="审计报告2021.pdf")
    assert big.find(cls="pages-count").text() == "12 页"
    large = big.find(cls="large")
    assert [p.text() for p in large.find_all(cls="pageno")] == ["第 1 页", "第 2 页", "（其余 10 页未显示）"]


def test_a_file_that_cannot_be_rendered_shows_a_placeholder_and_its_finding():
    report = with_previews(flawed_report())
    report.previews["劳动合同.pdf"] = Preview(file="劳动合同.pdf", problem=Msg("PDF 设有打开密码", "the PDF needs a password"))
    doc = parse(render(report, "html", "zh"))
    card = doc.find("li", cls="file", data_file="劳动合同.pdf")
    assert card.find("img") is None
    assert "无法预览：PDF 设有打开密码" in card.find(cls="placeholder").text()
    assert card.find(cls="finding", data_code="CJ201") is not None


def test_missing_item_shows_the_recognised_file_name_words_and_the_fix():
    from tests.packets import check, youth_packet

    report = check(youth_packet(_tmp(), drop=("2-申报人材料/身份证.pdf",)))
    doc = parse(render(report, "html", "zh"))
    missing = [a for a in items(doc) if a.get("data-status") == "missing"]
    assert [a.get("data-number") for a in missing] == ["2.(1)"]
    hint = missing[0]
    words = [k.text() for k in hint.find(data_hint="names").find_all(cls="keyword")]
    assert "身份证" in words
    assert catalogue()["CJ101"].fix.zh in hint.find(data_hint="fix").text()
    assert hint.find(cls="finding", data_code="CJ101") is not None


def _tmp():
    import tempfile
    from pathlib import Path

    return Path(tempfile.mkdtemp(prefix="changju-html-")) / "packet"


# --------------------------------------------------------------------------- findings


def test_findings_inline_under_their_item_packet_wide_at_the_top():
    doc = parse(render(with_previews(flawed_report()), "html", "zh"))
    id_item = item(doc, "2.(1)")
    assert id_item.find(cls="finding", data_code="CJ101") is not None
    contract = item(doc, "2.(5)")
    assert contract.find("li", cls="file", data_file="劳动合同.pdf").find(cls="finding", data_code="CJ201") is not None
    top = doc.find(id="packet-findings")
    assert {f.get("data-code") for f in top.find_all(cls="finding")} == {"CJ103", "CJ404"}
    waived = item(doc, "1.(6)").find(cls="finding", data_code="CJ101")
    assert waived.get("data-severity") == "waived" and "事业单位，无需完税证明" in waived.text()


def test_every_finding_has_severity_and_a_code_linking_to_its_explanation_in_the_page():
    doc = parse(render(flawed_report(), "html", "en"))
    findings = doc.find_all("li", cls="finding")
    assert findings
    for f in findings:
        link = f.find("a", cls="code")
        assert link.get("href") == f"#code-{f.get('data-code')}"
        target = doc.find(id=f"code-{f.get('data-code')}")
        assert target is not None and catalogue()[f.get("data-code")].title.en in target.text()
        assert f.find(cls="sev").text().split()[-1] in ("error", "warning", "note", "waived")


# --------------------------------------------------------------------------- --read-scans


def scanned_report():
    report = with_previews(flawed_report())
    report.evidence = [
        Evidence("contract", "劳动合同.pdf", 1, "contract_end", "2023-12-31", 0.93, box=(0.52, 0.31, 0.83, 0.35)),
        Evidence("contract", "劳动合同.pdf", 1, "name", "张三", 0.88),
        Evidence("business_licence", "1-营业执照.pdf", 1, "seal", "present", 0.9, box=(0.6, 0.7, 0.85, 0.88)),
    ]
    report.manifest_facts = {"contract_end": "2024-02-29", "name": "张三"}
    return report


def test_every_fact_read_is_shown_beside_the_manifests_value():
    doc = parse(render(scanned_report(), "html", "zh"))
    rows = item(doc, "2.(5)").find("table", cls="evidence").find_all("tr", data_fact="contract_end")
    cells = [td.text() for td in rows[0].find_all("td")]
    assert cells[:3] == ["合同截止日", "2023-12-31", "2024-02-29"]
    assert "劳动合同.pdf · 第 1 页" == cells[3]
    seal = item(doc, "1.(1)").find("tr", data_fact="seal")
    assert [td.text() for td in seal.find_all("td")][:3] == ["红色公章", "present", "—"]


def test_the_box_where_a_fact_was_read_is_drawn_on_the_thumbnail():
    doc = parse(render(scanned_report(), "html", "zh"))
    card = doc.find("li", cls="file", data_file="劳动合同.pdf")
    thumb_boxes = card.find(cls="thumb-frame").find_all(cls="ebox")
    assert len(thumb_boxes) == 1  # only the fact that has a box
    style = thumb_boxes[0].get("style")
    assert "left: 52.00%" in style and "top: 31.00%" in style and "width: 31.00%" in style and "height: 4.00%" in style
    assert thumb_boxes[0].get("title") == "合同截止日：2023-12-31"
    assert len(card.find(cls="large").find_all(cls="ebox")) == 1  # and on the enlarged page


def test_a_box_outside_the_page_is_not_drawn():
    report = scanned_report()
    report.evidence = [replace(e, box=(120, 30, 400, 60)) for e in report.evidence]  # pixels: not fractions
    doc = parse(render(report, "html", "zh"))
    assert not doc.find_all(cls="ebox")


def test_personal_numbers_are_masked_as_in_the_other_formats():
    report = scanned_report()
    report.evidence.append(Evidence("id_card", "劳动合同.pdf", 1, "id_number", "110108199001011234", 0.9))
    report.manifest_facts["id_number"] = "11010819900101123X"
    report.findings.append(Finding("CJ505", "error", Msg("身份证号 110108199001011234 与 11010819900101123x 不一致", "differ"), material="contract"))
    page = render(report, "html", "zh")
    assert "110108199001011234" not in page and "11010819900101123" not in page
    assert "110108********1234" in page and "110108********123X" in page and "110108********123x" in page
    # a unified social credit code has letters and is not a personal number
    assert html.mask_in_text("91110108MA01ABCD2X") == "91110108MA01ABCD2X"


def test_english_with_lang_en():
    doc = parse(render(flawed_report(), "html", "en"))
    assert doc.find("html").get("lang") == "en"
    assert doc.find("h1").text() == "Changju application packet review sheet"
    assert not re.search("[\u4e00-\u9fff]", doc.find(id="verdict").text())


# --------------------------------------------------------------------------- print


def test_a4_printout_is_a_binding_checklist_with_a_tick_box_per_item_and_per_copy():
    report = passing_report()
    page = render(report, "html", "zh")
    assert "@page { size: A4;" in page and "@media print" in page
    doc = parse(page)
    for a in items(doc):
        ticks = a.find(cls="ticks")
        assert "print-only" in ticks.classes
        boxes = ticks.find_all(cls="box")
        assert len(boxes) == (5 if a.get("data-status") in ("present", "missing", "waived") else 0)
    copies = doc.find(id="binding").find(cls="copies")
    assert [b.text() for b in copies.find_all(cls="box")] == ["□"] * 5


# --------------------------------------------------------------------------- batch


def test_batch_writes_an_index_with_one_row_per_packet_and_a_report_each():
    reports = [flawed_report(), passing_report(), fatal_report()]
    files = html.batch_files(reports, "zh")
    assert list(files) == ["index.html", "001-zhang.html", "002-li.html", "003-wang.html"]
    index = parse(files["index.html"])
    rows = index.find("table", cls="index").find("tbody").find_all("tr")
    assert [r.get("data-verdict") for r in rows] == ["failed", "passed", "unusable"]
    assert [r.find("a").get("href") for r in rows] == ["001-zhang.html", "002-li.html", "003-wang.html"]
    assert [r.get("data-errors") for r in rows] == ["2", "0", "1"]
    first = rows[0].find(cls="reasons").find_all("li")
    assert [li.find(cls="code").text() for li in first[:3]] == ["CJ101", "CJ201", "CJ404"]  # packet-wide warning first
    assert "另有 1 条" in first[-1].text()
    for name in list(files)[1:]:
        parse(files[name])
    assert html.render_batch(reports, "zh") == files["index.html"]


def test_batch_file_names_are_unique_and_safe_on_windows():
    a = replace(passing_report(), packet='C:\\申报\\张三:<1>')
    b = replace(passing_report(), packet="packets/张三.zip")
    assert html.report_filename(1, a) == "001-张三_1_.html"
    assert html.report_filename(2, b) == "002-张三.html"


def test_the_evidence_box_is_in_the_json_only_when_known():
    with_box, without = scanned_report().evidence[:2]
    assert with_box.to_dict()["box"] == [0.52, 0.31, 0.83, 0.35]
    assert "box" not in without.to_dict()
