"""Red seals: found on every stamped page of the corpus, never on the near misses (a red heading,
a red logo, red rules, a blank page), plus synthetic shapes drawn here without any font."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

np = pytest.importorskip("numpy")
Image = pytest.importorskip("PIL.Image")
ImageDraw = pytest.importorskip("PIL.ImageDraw")
yaml = pytest.importorskip("yaml")

from changju_check.scan.seals import find_seals, is_greyscale  # noqa: E402

CORPUS = Path(__file__).parents[1] / "scans"
EXPECTED = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))["files"]
RED = (210, 40, 45)
PAPER = (247, 245, 238)


def first_page(name: str):
    path = CORPUS / name
    if name.endswith(".pdf"):
        pdfium = pytest.importorskip("pypdfium2")
        doc = pdfium.PdfDocument(path.read_bytes())
        try:
            return doc[0].render(scale=150 / 72).to_pil()
        finally:
            doc.close()
    return Image.open(path)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_seal_count(name):
    assert len(find_seals(first_page(name))) == EXPECTED[name]["seals"]


@pytest.mark.parametrize("name", ["red_heading.jpg", "red_logo.jpg", "integrity_unsealed.jpg", "blank.jpg"])
def test_near_misses_have_no_seal(name):
    assert find_seals(first_page(name)) == []


def test_two_seals_of_different_sizes_and_shapes():
    seals = find_seals(first_page("commitment_two_seals.jpg"))
    assert len(seals) == 2
    widths = sorted(round(s.width, 2) for s in seals)
    assert widths[0] < widths[1]
    oval = min(seals, key=lambda s: s.width)
    assert oval.width / oval.height * (1754 / 1240) > 1.2  # the oval 合同专用章 is wider than tall


# ------------------------------------------------------------------------ synthetic shapes


def page(size=(1240, 1754)):
    im = Image.new("RGB", size, PAPER)
    return im, ImageDraw.Draw(im)


def draw_seal(d, cx, cy, r, *, ry=None, ring=None, star=True, arc_marks=True, colour=RED):
    ry = ry or r
    ring = ring or max(3, int(r * 0.06))
    d.ellipse([cx - r, cy - ry, cx + r, cy + ry], outline=colour, width=ring)
    if star:
        pts = []
        for k in range(10):
            a = -math.pi / 2 + k * math.pi / 5
            rr = r * 0.28 if k % 2 == 0 else r * 0.11
            pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
        d.polygon(pts, fill=colour)
    if arc_marks:  # stand-ins for the characters on the arc
        for k in range(12):
            a = math.radians(-200 + k * 20)
            x, y = cx + r * 0.68 * math.cos(a), cy + ry * 0.68 * math.sin(a)
            s = r * 0.09
            d.rectangle([x - s, y - s, x + s, y + s], fill=colour)


@pytest.mark.parametrize("radius", [70, 110, 150, 200])
def test_round_seals_of_several_sizes(radius):
    im, d = page()
    draw_seal(d, 800, 1300, radius)
    seals = find_seals(im)
    assert len(seals) == 1
    assert seals[0].cx == pytest.approx(800 / 1240, abs=0.02)
    assert seals[0].cy == pytest.approx(1300 / 1754, abs=0.02)


def test_oval_seal():
    im, d = page()
    draw_seal(d, 600, 1200, 130, ry=95, star=False)
    assert len(find_seals(im)) == 1


def test_seal_over_black_text_still_found():
    im, d = page()
    draw_seal(d, 800, 1300, 120)
    for y in range(1220, 1400, 32):  # black lines of text across the seal break its ring
        for x in range(600, 1100, 26):
            d.rectangle([x, y, x + 20, y + 8], fill=(25, 25, 25))
    assert len(find_seals(im)) == 1


def test_faint_pinkish_seal_found():
    im, d = page()
    draw_seal(d, 800, 1300, 120, colour=(236, 120, 125))
    assert len(find_seals(im)) == 1


def test_filled_red_logo_is_not_a_seal():
    im, d = page()
    d.ellipse([100, 100, 260, 260], fill=RED)
    d.rectangle([150, 160, 210, 200], fill=PAPER)  # white letters in it
    assert find_seals(im) == []


def test_red_heading_is_not_a_seal():
    im, d = page()
    for k in range(8):  # big red "characters": blocky strokes in a row
        x = 150 + k * 120
        d.rectangle([x, 100, x + 90, 115], fill=RED)
        d.rectangle([x + 38, 100, x + 52, 200], fill=RED)
        d.rectangle([x, 150, x + 90, 162], fill=RED)
    d.rectangle([100, 230, 1140, 240], fill=RED)  # the red rule under a 红头 heading
    assert find_seals(im) == []


def test_hollow_red_square_frame_is_not_a_seal():
    im, d = page()
    d.rectangle([500, 900, 800, 1200], outline=RED, width=8)
    d.rectangle([600, 1000, 700, 1100], fill=RED)
    assert find_seals(im) == []


def test_empty_red_ring_is_not_a_seal():
    im, d = page()
    d.ellipse([500, 900, 800, 1200], outline=RED, width=8)  # nothing inside: a drawn circle
    assert find_seals(im) == []


def test_too_small_or_too_large_rings_are_not_seals():
    im, d = page()
    draw_seal(d, 200, 200, 25)  # 4 % of the page width
    draw_seal(d, 620, 900, 560)  # 90 % of the page width
    assert find_seals(im) == []


def test_greyscale_scan_has_no_seal():
    im, d = page()
    draw_seal(d, 800, 1300, 120)
    grey = im.convert("L")
    assert is_greyscale(grey)
    assert find_seals(grey) == []
    assert not is_greyscale(im)


def test_blank_and_tiny_images():
    assert find_seals(Image.new("RGB", (1, 1), PAPER)) == []
    assert find_seals(Image.new("RGB", (600, 800), PAPER)) == []
