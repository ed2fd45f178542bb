"""需人工确认 shows the place to look at (issues 27 and 28): a CJ512/CJ513 names its file and page
(`page` in JSON), the review sheet shows that page beside it as a picture (the region around the
value where the OCR gave a box, else the page scaled down) and the desk app's checklist shows the
same from its picture route, behind the token."""

from __future__ import annotations

import base64
import io
import json
from dataclasses import replace
from datetime import date

from typer.testing import CliRunner

from changju_check.cli import app
from changju_check.inspect.preview import LOOK_MAX_BYTES, look_picture, within_budget
from changju_check.report import Evidence, Preview, PreviewPage
from tests.packets import check, findings
from tests.realdocs.test_check_realdocs import YOUTH, youth
from tests.render.htmldom import parse

runner = CliRunner()

# the manifest says the degree is foreign; the 学信网 and 学位网 reports say it is not: CJ512
DEGREE_ABROAD = YOUTH.replace("  nationality: CN\n", "  nationality: CN\n  degree_abroad: true\n")


def _sheet(tmp_path, manifest: str):
    out = tmp_path / "sheet.html"
    result = runner.invoke(app, ["check", str(youth(tmp_path / "packet", manifest=manifest)), "--format", "html", "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    return out.read_text(encoding="utf-8")


def test_a_review_names_its_page_in_json(tmp_path):
    report = check(youth(tmp_path, manifest=DEGREE_ABROAD))
    (cj512,) = findings(report, "CJ512")
    assert cj512.page == 1 and cj512.to_dict()["page"] == 1
    assert all("page" not in f.to_dict() for f in report.findings if f.page is None)


def test_the_review_sheet_shows_the_page_a_review_names_beside_it(tmp_path):
    text = _sheet(tmp_path, DEGREE_ABROAD)
    doc = parse(text)
    (item,) = doc.find_all("li", cls="finding", data_code="CJ512")
    figure = item.find("figure", cls="look")
    assert figure is not None
    assert figure.get("data-page") == "1" and figure.get("data-file").endswith(".pdf")
    assert figure.get("data-file") in item.find(cls="msg").text()  # the page the message names
    img = figure.find("img")
    src = img.get("src")
    assert src.startswith("data:image/jpeg;base64,")  # in the page: the sheet loads nothing
    data = base64.b64decode(src.split(",", 1)[1])
    assert data[:3] == b"\xff\xd8\xff" and len(data) <= LOOK_MAX_BYTES
    assert "第 1 页" in figure.find("figcaption").text()
    # the sheet's other findings (errors, warnings) carry no picture
    assert all(li.find("figure", cls="look") is None for li in doc.find_all("li", cls="finding") if li.get("data-severity") != "review")


def test_a_sheet_without_a_review_has_no_such_picture(tmp_path):
    text = _sheet(tmp_path, YOUTH)
    assert 'data-severity="review"' not in text and 'class="look"' not in text


# ---- the picture itself


def _page(width=720, height=1000) -> PreviewPage:
    from PIL import Image, ImageDraw

    im = Image.new("RGB", (width, height), "white")
    ImageDraw.Draw(im).rectangle((360, 500, 540, 540), fill="black")  # "the value", in the middle right
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=90)
    return PreviewPage(number=2, mime="image/jpeg", data=buf.getvalue(), width=width, height=height)


def _open(picture: PreviewPage):
    from PIL import Image

    return Image.open(io.BytesIO(picture.data))


def test_where_the_ocr_gave_a_box_the_picture_is_the_region_around_it():
    preview = Preview(file="劳动合同.jpg", page_count=2, pages=(_page(),))
    whole = look_picture(preview, 2)
    region = look_picture(preview, 2, (0.5, 0.5, 0.75, 0.54))
    assert (whole.width, whole.height) == (259, 360)  # the page, scaled down
    assert region.width > region.height  # a strip around the value, not the page
    im = _open(region)
    assert im.getpixel((im.width // 2, im.height // 2))[0] < 80  # the value is inside it
    assert look_picture(preview, 3) is None  # a page not drawn: no picture (the message names it)


def test_the_sheet_crops_around_the_box_of_the_value_the_review_names():
    from changju_check.render import html
    from changju_check.report import Report
    from changju_check.rulebook.codes import finding

    report = Report(packet="p", category="youth", category_title="青年类人才", category_title_en="Youth",
                    as_of=date(2023, 8, 31))
    report.findings.append(finding("CJ513", "入职日期：从 社保.jpg 第2页 读出 2021-03-01，但把握不足", "low", file="社保.jpg", page=2))
    report.evidence.append(Evidence("social_insurance_record", "社保.jpg", 2, "hired", "2021-03-01", 0.5, (0.5, 0.5, 0.75, 0.54)))
    report.previews["社保.jpg"] = Preview(file="社保.jpg", page_count=2, thumbnail=_page(), pages=(_page(),))
    doc = parse(html.render(report, "zh"))
    img = doc.find("figure", cls="look").find("img")
    assert int(img.get("width")) > int(img.get("height"))  # the region, not the (portrait) page


def test_the_page_a_review_names_is_kept_whatever_the_budget():
    preview = Preview(file="a.pdf", page_count=2, thumbnail=_page(), pages=(replace(_page(), number=1), _page()))
    assert within_budget({"a.pdf": preview}, 0)["a.pdf"].pages == ()
    assert [p.number for p in within_budget({"a.pdf": preview}, 0, frozenset({("a.pdf", 2)}))["a.pdf"].pages] == [1, 2]


# ---- the desk app


def test_the_desk_checklist_shows_the_page_a_review_names_behind_the_token(tmp_path):
    import re
    from html import unescape

    from tests.desk.desk_app import start_app

    packet = youth(tmp_path / "packet", manifest=DEGREE_ABROAD)
    running = start_app(str(packet))
    try:
        running.login()
        status, _, body = running.request("GET", "/api/report")
        assert status == 200
        (cj512,) = [f for f in json.loads(body)["findings"] if f["code"] == "CJ512"]
        status, _, body = running.request("GET", "/check/list")
        assert status == 200
        page = body.decode("utf-8")
        looks = re.findall(r'<img class="look[^"]*" src="([^"]+)"', page)
        assert len(looks) == 1
        address = unescape(looks[0])
        assert address.startswith("/thumb?") and "page=1" in address
        status, headers, picture = running.request("GET", address)
        assert status == 200 and headers["content-type"] == "image/jpeg" and picture[:3] == b"\xff\xd8\xff"
        assert cj512["page"] == 1
        status, _, picture = running.request("GET", address, cookie=False)
        assert status in (401, 403) and picture[:3] != b"\xff\xd8\xff"
    finally:
        running.stop()


def test_the_place_named_is_masked_like_the_rest_of_the_sheet():
    from changju_check.render import html
    from changju_check.report import Report
    from changju_check.rulebook.codes import finding

    name = "张三身份证110101199003071234.jpg"
    report = Report(packet="p", category="youth", category_title="青年类人才", category_title_en="Youth",
                    as_of=date(2023, 8, 31))
    report.findings.append(finding("CJ513", f"申报人姓名：从 {name} 第1页 读出 张三，但把握不足", "low", file=name, page=1))
    report.previews[name] = Preview(file=name, page_count=1, thumbnail=_page(), pages=(replace(_page(), number=1),))
    text = html.render(report, "zh")
    figure = parse(text).find("figure", cls="look")
    assert "110101********1234" in figure.find("figcaption").text() and "110101********1234" in figure.find("img").get("alt")
    assert "199003071234" not in figure.find("figcaption").text() + figure.find("img").get("alt")


def test_a_json_report_with_a_review_and_its_page_is_a_valid_report_for_summary(tmp_path):
    out = tmp_path / "r.json"
    packet = youth(tmp_path / "packet", manifest=DEGREE_ABROAD)
    assert runner.invoke(app, ["check", str(packet), "--format", "json", "-o", str(out)]).exit_code == 1
    assert any(f.get("severity") == "review" and f.get("page") == 1 for f in json.loads(out.read_text(encoding="utf-8"))["findings"])
    result = runner.invoke(app, ["summary", str(out)])
    assert result.exit_code == 1 and "不是 changju 的 JSON 报告" not in result.output, result.output
