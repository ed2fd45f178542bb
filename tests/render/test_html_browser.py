"""The review sheet in a real browser: headless Chromium (Debian's `chromium`, installed by
`.ci/run` when missing), driven over the DevTools protocol on a pipe (tests/browser.py).

Without Chromium every test here is skipped with the reason — never passed silently; the
structure is still checked by test_html.py with an HTML parser."""

from __future__ import annotations

import io
import json

import pytest
from typer.testing import CliRunner

from changju_check.cli import app
from tests.browser import Chromium, find_chromium
from tests.html_packets import REPO, SCRIPT_NAME, hostile_packet

pytestmark = pytest.mark.skipif(
    find_chromium() is None, reason="Chromium not found (apt-get install chromium; .ci/run installs it)"
)

runner = CliRunner()
A4 = (595.28, 841.89)  # points


def _check(*args) -> str:
    result = runner.invoke(app, ["check", *map(str, args)])
    assert result.exit_code in (0, 1), result.output
    return result.output


@pytest.fixture(scope="module")
def sheets(tmp_path_factory):
    """Two sheets and their packets' JSON reports: an example with errors, and hostile files."""
    tmp = tmp_path_factory.mktemp("sheets")
    out = {}
    for name, packet in (
        ("flawed", REPO / "examples" / "youth-flawed"),
        ("hostile", hostile_packet(tmp / "hostile-packet")),
    ):
        _check(packet, "--format", "html", "-o", tmp / f"{name}.html")
        _check(packet, "--format", "json", "-o", tmp / f"{name}.json")
        out[name] = (tmp / f"{name}.html", json.loads((tmp / f"{name}.json").read_text(encoding="utf-8")))
    return out


@pytest.fixture(scope="module")
def browser():
    with Chromium.start() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def pages(browser, sheets):
    return {name: browser.open(path) for name, (path, _) in sheets.items()}


@pytest.mark.parametrize("name", ["flawed", "hostile"])
def test_page_loads_with_no_console_errors_and_no_request_leaving_the_file(pages, sheets, name):
    page = pages[name]
    assert page.console_errors() == []
    own = sheets[name][0].resolve().as_uri()
    leaving = [u for u in page.requests() if u != own and not u.startswith("data:")]
    assert leaving == []
    assert not [e for e in page.events if e["method"] == "Page.javascriptDialogOpening"]


@pytest.mark.parametrize("name", ["flawed", "hostile"])
def test_every_items_number_and_status_is_in_the_rendered_page(pages, sheets, name):
    shown = pages[name].evaluate(
        "Array.from(document.querySelectorAll('article.item')).map(a => "
        "[a.querySelector('.num').innerText.trim(), a.dataset.status, a.querySelector('.status').innerText.trim()])"
    )
    expected = sheets[name][1]["materials"]
    assert [(n, s) for n, s, _ in shown] == [(m["number"], m["status"]) for m in expected]
    words = {"present": "✓ 已提供", "missing": "✗ 缺少", "not_applicable": "— 不适用", "optional_missing": "○ 可选，未提供", "waived": "◇ 已豁免"}
    assert [w for _, _, w in shown] == [words[m["status"]] for m in expected]


NON_BLANK = """
Array.from(document.querySelectorAll('li.file')).map(li => {
  const img = li.querySelector('img.thumb');
  if (!img) return [li.dataset.file, null];
  const c = document.createElement('canvas');
  c.width = img.naturalWidth; c.height = img.naturalHeight;
  const g = c.getContext('2d'); g.drawImage(img, 0, 0);
  const d = g.getImageData(0, 0, c.width, c.height).data;
  let n = 0, s = 0, s2 = 0;
  for (let i = 0; i < d.length; i += 4) { const v = (d[i] + d[i + 1] + d[i + 2]) / 3; n++; s += v; s2 += v * v; }
  const mean = s / n;
  return [li.dataset.file, {complete: img.complete, w: img.naturalWidth, shown: img.getBoundingClientRect().width,
                            dark: Array.from(d).filter((v, i) => i % 4 === 0 && v < 160).length,
                            sd: Math.sqrt(s2 / n - mean * mean)}];
})
"""


def test_a_thumbnail_is_drawn_for_every_file_and_none_is_blank(pages):
    found = dict(pages["flawed"].front().evaluate(NON_BLANK))
    assert len(found) == 20  # every file of youth-flawed but the manifest
    for name, m in found.items():
        assert m is not None, name
        assert m["complete"] and m["w"] > 0 and m["shown"] > 40, (name, m)
        assert m["sd"] > 3 and m["dark"] > 10, (name, m)  # text and seal on the page, not a white square


def test_a_file_that_cannot_be_drawn_shows_a_placeholder_and_a_script_name_shows_as_text(pages):
    page = pages["hostile"].front()
    found = dict(page.evaluate(NON_BLANK))
    assert found[SCRIPT_NAME] is not None and found[SCRIPT_NAME]["sd"] > 5
    placeholders = page.evaluate(
        "Array.from(document.querySelectorAll('li.file .placeholder')).map(p => [p.closest('li').dataset.file, p.innerText])"
    )
    assert len(placeholders) == 3 and all(text.startswith("无法预览") for _, text in placeholders)
    names = page.evaluate("Array.from(document.querySelectorAll('li.file .fname')).map(e => e.innerText)")
    assert SCRIPT_NAME in names
    assert page.evaluate("document.scripts.length") == 0


def test_clicking_a_thumbnail_opens_the_larger_view_of_the_first_pages(pages):
    page = pages["flawed"].front()
    state = (
        "(() => { const d = document.querySelector('li.file details'); const l = d.querySelector('.large');"
        " return [d.open, l.checkVisibility(), l.getBoundingClientRect().width, l.querySelectorAll('img').length,"
        " l.querySelector('img').getBoundingClientRect().width]; })()"
    )
    before = page.evaluate(state)
    page.evaluate("document.querySelector('li.file details summary').click()")
    after = page.evaluate(state)
    page.evaluate("document.querySelector('li.file details summary').click()")
    assert before[:2] == [False, False]
    assert after[:2] == [True, True] and after[2] > 600 and after[3] >= 1 and after[4] > 300, after


def test_print_to_pdf_is_a4_with_a_tick_box_per_item_and_per_copy(pages, sheets):
    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(pages["flawed"].print_pdf()))
    for p in pdf.pages:
        w, h = float(p.mediabox.width), float(p.mediabox.height)
        assert abs(w - A4[0]) < 2 and abs(h - A4[1]) < 2, (w, h)
    text = "\n".join(p.extract_text() for p in pdf.pages)
    materials = sheets["flawed"][1]["materials"]
    to_bind = sum(1 for m in materials if m["status"] in ("present", "missing", "waived"))
    copies = 5  # 附件4: 青年类人才 5 份
    rules = 6  # cover page, TOC, cover seal, attachment seals, seam seals, signatures
    assert text.count("□") == to_bind * copies + copies + rules
    for m in materials:
        assert m["number"] in text
    assert "data:image" not in text


def test_screenshot_of_the_sheet_is_not_blank(pages, tmp_path):
    from PIL import Image, ImageStat

    png = pages["flawed"].screenshot()
    im = Image.open(io.BytesIO(png)).convert("L")
    assert im.size == (1200, 1600)
    assert ImageStat.Stat(im).stddev[0] > 20
