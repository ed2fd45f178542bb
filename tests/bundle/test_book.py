"""build_book: order, TOC, outline, page numbers, recto blanks, images, safety."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from changju_check.bundle import (
    BookFile,
    BookMaterial,
    BookOptions,
    BundleError,
    build_book,
)

from .helpers import (
    display_size,
    jpeg_bytes,
    outline_flat,
    page_text,
    pdf_bytes,
    png_bytes,
    png_rgba16_bytes,
    sha256_file,
    squash,
    text_runs,
)

EN_DASH = "\u2013"


def build(tmp_path, form, materials, **opts):
    out = tmp_path / "book.pdf"
    result = build_book(form, materials, out, BookOptions(**opts))
    return result, PdfReader(str(out)), out


# ----------------------------------------------------------------------------- order


def test_order_form_then_toc_then_attachments(tmp_path, packet):
    form, materials, _ = packet
    r, book, _ = build(tmp_path, form, materials)

    assert r.form_pages == 3
    assert r.attachment_pages == 2 * 3 + 1 + 1 + 5
    assert r.blank_pages == 0
    assert r.total_pages == r.form_pages + r.toc_pages + r.attachment_pages == len(book.pages)
    assert r.first_attachment_page == r.form_pages + r.toc_pages + 1

    texts = [page_text(p) for p in book.pages]
    for i in (1, 2, 3):
        assert f"MARKER-form-p{i}" in texts[i - 1]
    assert "附件材料目录" in texts[3]
    expected = (
        [f"MARKER-audit-{y}-p{i}" for y in (2020, 2021, 2022) for i in (1, 2)]
        + ["MARKER-letter-p1", None]
        + [f"MARKER-contract-p{i}" for i in range(1, 6)]
    )
    att = texts[r.first_attachment_page - 1 :]
    assert len(att) == len(expected)
    for text, marker in zip(att, expected):
        if marker is not None:
            assert marker in text
        else:
            assert "MARKER" not in text  # the photo page


def test_toc_lists_every_material_with_its_range(tmp_path, packet):
    form, materials, first_markers = packet
    r, book, _ = build(tmp_path, form, materials)

    assert [x[:2] for x in r.ranges] == [(m.number, m.title) for m in materials]
    assert [(x[2], x[3]) for x in r.ranges] == [(1, 6), (7, 7), (8, 8), (9, 13)]
    toc = squash("".join(page_text(book.pages[r.form_pages + i]) for i in range(r.toc_pages)))
    assert toc.startswith("附件材料目录")
    for word in ("序号", "材料名称", "页码", "1.申报单位提供材料", "2.申报人提供材料"):
        assert word in toc
    for number, title, first, last in r.ranges:
        pages = str(first) if first == last else f"{first}{EN_DASH}{last}"
        assert squash(number + title) + pages in toc, (number, title, pages)

    # the range printed in the TOC really starts on the material's first page
    for (number, title, first, last), marker in zip(r.ranges, first_markers):
        start = book.pages[r.first_attachment_page - 1 + first - 1]
        if marker is not None:
            assert marker in page_text(start)
    # and the page before a material's first page belongs to the material before it
    assert "MARKER-audit-2022-p2" in page_text(book.pages[r.first_attachment_page - 1 + 6 - 1])


def test_toc_text_is_real_text_in_an_embedded_font(tmp_path, packet):
    form, materials, _ = packet
    r, book, _ = build(tmp_path, form, materials)
    assert r.font_embedded and r.font_source == "shipped" and r.font_name == "DroidSansFallback"
    assert r.warnings == []
    toc_page = book.pages[r.form_pages]
    fonts = toc_page["/Resources"]["/Font"]
    base_fonts = [str(fonts[k].get_object()["/BaseFont"]) for k in fonts]
    cjk = [f for k in fonts for f in [fonts[k].get_object()] if "DroidSansFallback" in str(f["/BaseFont"])]
    assert cjk, base_fonts
    assert all("/FontFile2" in f["/FontDescriptor"] for f in cjk)  # embedded TrueType
    assert "/Times-Roman" in base_fonts  # digits and the en dash


def test_long_toc_spans_pages_and_repeats_its_header(tmp_path, write):
    form = [BookFile.from_path(write("form.pdf", pdf_bytes(["MARKER-form-p1", "MARKER-form-p2"])))]
    title = "申报人近三年承担项目（课题）情况（须与系统填报项目顺序保持一致，包括主管单位审批的任务书/申报书、项目验收/课题结题确认书等材料）"
    materials = [
        BookMaterial(
            f"2.({i})",
            f"{title}之{i}",
            (BookFile.from_path(write(f"m{i}.pdf", pdf_bytes([f"MARKER-m{i}-p1"]))),),
            "2. 申报人提供材料",
        )
        for i in range(1, 41)
    ]
    r, book, _ = build(tmp_path, form, materials)
    assert r.toc_pages >= 2
    assert r.total_pages == 2 + r.toc_pages + 40
    toc_pages = [page_text(book.pages[2 + i]) for i in range(r.toc_pages)]
    for text in toc_pages:
        assert "序号" in text and "页码" in text  # the header row repeats
    toc = squash("".join(toc_pages))
    for i in range(1, 41):
        assert squash(f"2.({i}){title}之{i}") + str(i) in toc
    # attachment numbering starts at 1 whatever the TOC's length
    first = book.pages[r.first_attachment_page - 1]
    assert "MARKER-m1-p1" in page_text(first)
    assert ("1", pytest.approx(display_size(first)[0] / 2, abs=6)) in [(t, x + 2.5) for t, x, _ in text_runs(first)]
    # TOC pages carry no page number
    for i in range(r.toc_pages):
        runs = text_runs(book.pages[2 + i])
        assert all(y > 40 for _, _, y in runs)


# ----------------------------------------------------------------------------- outline


def test_outline_titles_and_targets(tmp_path, packet):
    form, materials, _ = packet
    r, book, _ = build(tmp_path, form, materials)
    outline = outline_flat(book)
    att = r.first_attachment_page - 1  # 0-based index of attachment page 1
    expected = [
        (0, "申报书", 0),
        (0, "附件材料目录", r.form_pages),
        (0, "1.(1) 申报单位 2020、2021、2022 年度《财务审计报告》", att),
        (1, "2020年度审计报告.pdf", att),
        (1, "2021年度审计报告.pdf", att + 2),
        (1, "2022年度审计报告.pdf", att + 4),
        (0, "1.(7) 《单位诚信声明》", att + 6),
        (1, "单位诚信声明.pdf", att + 6),
        (0, "2.(1) 申报人有效身份证件（中国籍人才提供有效身份证，外籍人才提供有效护照）", att + 7),
        (1, "身份证.jpg", att + 7),
        (0, "2.(5) 申报人与申报单位签订的最新工作合同", att + 8),
        (1, "劳动合同.pdf", att + 8),
    ]
    assert outline == expected


def test_several_form_files_get_children_in_the_outline(tmp_path, write):
    form = [
        BookFile.from_path(write("申报书.pdf", pdf_bytes(["MARKER-form-p1", "MARKER-form-p2"]))),
        BookFile.from_path(write("申报表.pdf", pdf_bytes(["MARKER-table-p1"]))),
    ]
    m = [BookMaterial("2.(13)", "《个人诚信声明》", (BookFile.from_path(write("x.pdf", pdf_bytes(["MARKER-x-p1"]))),))]
    r, book, _ = build(tmp_path, form, m)
    assert r.form_pages == 3
    assert outline_flat(book)[:3] == [(0, "申报书", 0), (1, "申报书.pdf", 0), (1, "申报表.pdf", 2)]


def test_page_labels_match_the_printed_numbers(tmp_path, packet):
    form, materials, _ = packet
    r, book, _ = build(tmp_path, form, materials)
    labels = book.page_labels
    assert labels[:3] == ["申报书-1", "申报书-2", "申报书-3"]
    assert labels[3] == "目录-1"
    assert labels[r.first_attachment_page - 1 :] == [str(i) for i in range(1, r.attachment_pages + 1)]


# ----------------------------------------------------------------------------- page numbers


def test_attachment_pages_carry_their_number_at_the_bottom_centre(tmp_path, packet):
    form, materials, _ = packet
    r, book, _ = build(tmp_path, form, materials)
    for n in range(1, r.attachment_pages + 1):
        page = book.pages[r.first_attachment_page - 2 + n]
        width, _ = display_size(page)
        stamps = [(t, x, y) for t, x, y in text_runs(page) if t == str(n)]
        assert len(stamps) == 1, (n, text_runs(page))
        _, x, y = stamps[0]
        assert 10 < y < 35
        assert abs(x - width / 2) < 12
    # the form and the TOC are not numbered
    for i in range(r.first_attachment_page - 1):
        assert all(y > 40 for _, _, y in text_runs(book.pages[i]))


def test_no_page_numbers_when_asked(tmp_path, packet):
    form, materials, _ = packet
    r, book, _ = build(tmp_path, form, materials, page_numbers=False)
    first = book.pages[r.first_attachment_page - 1]
    assert squash(page_text(first)) == "MARKER-audit-2020-p1"


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_stamp_is_upright_at_the_bottom_of_rotated_and_cropped_pages(tmp_path, write, rotate):
    data = pdf_bytes(["MARKER-r-p1"], size=(500, 700), rotate=rotate, cropbox=(50, 60, 450, 660))
    form = [BookFile.from_path(write("form.pdf", pdf_bytes(["MARKER-form-p1"])))]
    m = [BookMaterial("2.(8)", "申报人获奖情况", (BookFile.from_path(write("r.pdf", data)),))]
    r, book, _ = build(tmp_path, form, m)
    page = book.pages[r.first_attachment_page - 1]
    assert page.rotation == rotate
    width, height = display_size(page)
    assert (width, height) == ((400, 600) if rotate % 180 == 0 else (600, 400))
    stamps = [(x, y) for t, x, y in text_runs(page) if t == "1"]
    assert len(stamps) == 1
    x, y = stamps[0]
    assert abs(x + 2.5 - width / 2) < 3
    assert 15 < y < 30


def test_the_stamp_survives_a_page_that_leaves_the_graphics_state_changed(tmp_path, write):
    """Original content ending with an unbalanced transformation must not move the number."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject

    w = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(["MARKER-odd-p1"]))))
    page = w.pages[0]
    extra = DecodedStreamObject()
    extra.set_data(b"q 0.1 0 0 0.1 300 300 cm 1 1 1 rg\n")  # a q never closed, white fill
    page[NameObject("/Contents")] = ArrayObject([page.raw_get("/Contents"), w._add_object(extra)])
    buf = io.BytesIO()
    w.write(buf)
    form = [BookFile.from_path(write("form.pdf", pdf_bytes(["MARKER-form-p1"])))]
    m = [BookMaterial("2.(8)", "申报人获奖情况", (BookFile.from_bytes(buf.getvalue(), name="odd.pdf", kind="pdf"),))]
    r, book, _ = build(tmp_path, form, m)
    page = book.pages[r.first_attachment_page - 1]
    stamps = [(x, y) for t, x, y in text_runs(page) if t == "1"]
    assert len(stamps) == 1 and 15 < stamps[0][1] < 30


# ----------------------------------------------------------------------------- recto


def test_recto_starts_toc_and_every_material_on_an_odd_page(tmp_path, packet):
    form, materials, _ = packet
    r, book, _ = build(tmp_path, form, materials, recto=True)
    assert r.total_pages == r.form_pages + r.toc_pages + r.attachment_pages + r.blank_pages == len(book.pages)
    # form 3 pages -> blank; TOC 1 page -> blank; audit 6 -> none; letter 1 -> blank; photo 1 -> blank
    assert r.blank_pages == 4
    toc_first = outline_flat(book)[1][2] + 1
    assert toc_first % 2 == 1 and "附件材料目录" in page_text(book.pages[toc_first - 1])
    assert r.first_attachment_page % 2 == 1
    for p in r.placements:
        assert p.book_first % 2 == 1
        assert p.first % 2 == 1  # odd in attachment numbering too: page 1 is on a right-hand page
    assert [(x[2], x[3]) for x in r.ranges] == [(1, 6), (7, 7), (9, 9), (11, 15)]
    # blank pages are blank: no marker, no number
    blanks = [i for i, p in enumerate(book.pages) if not page_text(p).strip()]
    assert len(blanks) == r.blank_pages
    # the TOC's ranges are the ones the book really has
    for p, marker in zip(r.placements, ["MARKER-audit-2020-p1", "MARKER-letter-p1", None, "MARKER-contract-p1"]):
        text = page_text(book.pages[p.book_first - 1])
        assert str(p.first) in text
        if marker:
            assert marker in text


def test_recto_with_an_even_form_adds_no_blank_before_the_toc(tmp_path, write):
    form = [BookFile.from_path(write("form.pdf", pdf_bytes(["MARKER-form-p1", "MARKER-form-p2"])))]
    m = [BookMaterial("2.(8)", "申报人获奖情况", (BookFile.from_path(write("a.pdf", pdf_bytes(["MARKER-a-p1"]))),))]
    r, book, _ = build(tmp_path, form, m, recto=True)
    assert "附件材料目录" in page_text(book.pages[2])
    assert r.blank_pages == 1  # after the one-page TOC
    assert r.first_attachment_page == 5


# ----------------------------------------------------------------------------- images


def _image_xobjects(page):
    xobjects = page["/Resources"]["/XObject"]
    return [xobjects[k].get_object() for k in xobjects]


def test_jpeg_is_embedded_without_reencoding_on_an_a4_page(tmp_path, write):
    data = jpeg_bytes((1200, 1600))
    form = [BookFile.from_path(write("form.pdf", pdf_bytes(["MARKER-form-p1"])))]
    m = [BookMaterial("2.(2)", "申报人最高学历、学位证书", (BookFile.from_path(write("学位证.jpg", data)),))]
    r, book, _ = build(tmp_path, form, m)
    page = book.pages[r.first_attachment_page - 1]
    (img,) = _image_xobjects(page)
    assert img["/Filter"] == "/DCTDecode"
    assert img._data == data  # the very bytes of the file
    w, h = display_size(page)
    assert (round(w), round(h)) == (595, 842)


def test_exif_orientation_6_gives_an_upright_portrait_page(tmp_path, write):
    # stored landscape 400x300; Orientation=6 means "rotate 90° clockwise to display": portrait
    data = jpeg_bytes((400, 300), orientation=6)
    form = [BookFile.from_path(write("form.pdf", pdf_bytes(["MARKER-form-p1"])))]
    m = [BookMaterial("2.(1)", "申报人有效身份证件", (BookFile.from_path(write("护照.jpg", data)),))]
    r, book, _ = build(tmp_path, form, m)
    page = book.pages[r.first_attachment_page - 1]
    assert page.rotation == 90
    w, h = display_size(page)
    assert (round(w), round(h)) == (595, 842)  # displayed (and printed) as portrait A4
    (img,) = _image_xobjects(page)
    assert (img["/Width"], img["/Height"]) == (400, 300)
    assert img._data == data
    stamps = [(x, y) for t, x, y in text_runs(page) if t == "1"]
    assert len(stamps) == 1 and abs(stamps[0][0] + 2.5 - w / 2) < 3 and stamps[0][1] < 30


def test_landscape_image_gets_a_landscape_page_and_portrait_stays_portrait(tmp_path, write):
    form = [BookFile.from_path(write("form.pdf", pdf_bytes(["MARKER-form-p1"])))]
    files = (
        BookFile.from_path(write("wide.jpg", jpeg_bytes((800, 500)))),
        BookFile.from_path(write("tall.jpg", jpeg_bytes((500, 800)))),
    )
    r, book, _ = build(tmp_path, form, [BookMaterial("2.(8)", "申报人获奖情况", files)])
    wide, tall = book.pages[r.first_attachment_page - 1], book.pages[r.first_attachment_page]
    assert display_size(wide)[0] > display_size(wide)[1]
    assert display_size(tall)[0] < display_size(tall)[1]


def test_png_with_transparency(tmp_path, write):
    form = [BookFile.from_path(write("form.pdf", pdf_bytes(["MARKER-form-p1"])))]
    files = (
        BookFile.from_path(write("a.png", png_bytes(alpha=True))),  # 8-bit alpha: img2pdf adds an /SMask
        BookFile.from_path(write("证书.png", png_rgba16_bytes())),  # 16-bit alpha: flattened onto white
        BookFile.from_path(write("b.png", png_bytes())),
    )
    r, book, _ = build(tmp_path, form, [BookMaterial("2.(8)", "申报人获奖情况", files)])
    assert r.attachment_pages == 3
    notes = [w for w in r.warnings if "透明" in w.zh]
    assert len(notes) == 1 and "证书.png" in notes[0].zh and "transparency" in notes[0].en


def test_mirrored_exif_orientation_is_turned_upright_with_a_note(tmp_path, write):
    form = [BookFile.from_path(write("form.pdf", pdf_bytes(["MARKER-form-p1"])))]
    m = [BookMaterial("2.(8)", "申报人获奖情况", (BookFile.from_path(write("m.jpg", jpeg_bytes((400, 300), orientation=5))),))]
    r, book, _ = build(tmp_path, form, m)
    page = book.pages[r.first_attachment_page - 1]
    w, h = display_size(page)
    assert w < h  # orientation 5 = transpose: the displayed image is portrait
    assert any("镜像" in x.zh and "mirrored" in x.en for x in r.warnings)


# ----------------------------------------------------------------------------- determinism


def test_same_inputs_same_bytes(tmp_path, packet):
    form, materials, _ = packet
    a = tmp_path / "a.pdf"
    b = tmp_path / "b.pdf"
    build_book(form, materials, a, BookOptions(recto=True))
    build_book(form, materials, b, BookOptions(recto=True))
    assert a.read_bytes() == b.read_bytes()
    book = PdfReader(str(a))
    assert "/CreationDate" not in book.metadata and "/ModDate" not in book.metadata
    file_id = book.trailer["/ID"]
    raw = [getattr(x, "original_bytes", x) for x in file_id]
    assert raw[0] == raw[1] and len(raw[0]) == 16
    # different inputs, different /ID
    c = tmp_path / "c.pdf"
    build_book(form, materials[:-1], c, BookOptions(recto=True))
    assert PdfReader(str(c)).trailer["/ID"][0] != file_id[0]


def test_source_date_epoch(tmp_path, packet, monkeypatch):
    form, materials, _ = packet
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1690000000")
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    build_book(form, materials, a, BookOptions())
    build_book(form, materials, b, BookOptions())
    assert a.read_bytes() == b.read_bytes()
    meta = PdfReader(str(a)).metadata
    assert meta["/CreationDate"] == meta["/ModDate"] == "D:20230722042640Z"
    # the option wins over the environment
    c = tmp_path / "c.pdf"
    build_book(form, materials, c, BookOptions(source_date_epoch=0))
    assert PdfReader(str(c)).metadata["/CreationDate"] == "D:19700101000000Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    r = build_book(form, materials, c, BookOptions())
    assert any("SOURCE_DATE_EPOCH" in w.en for w in r.warnings)


# ----------------------------------------------------------------------------- safety


def test_inputs_are_left_untouched(tmp_path, packet):
    form, materials, _ = packet
    files = sorted((tmp_path / "in").iterdir())
    before = {p: (sha256_file(p), p.stat().st_mtime_ns, p.stat().st_mode) for p in files}
    build(tmp_path, form, materials, recto=True)
    after = {p: (sha256_file(p), p.stat().st_mtime_ns, p.stat().st_mode) for p in files}
    assert before == after
    # the page number stamps are in the book only
    for p in files:
        if p.suffix == ".pdf":
            assert all(squash(page_text(pg)).startswith("MARKER") for pg in PdfReader(str(p)).pages)


def test_inputs_can_come_from_memory(tmp_path):
    form = [BookFile.from_bytes(pdf_bytes(["MARKER-form-p1"]), name="申报书.pdf", kind="pdf")]
    m = [BookMaterial("2.(1)", "申报人有效身份证件", (BookFile.from_bytes(jpeg_bytes(), name="id.jpg", kind="jpeg"),))]
    r, book, _ = build(tmp_path, form, m)
    assert r.total_pages == 3


def _leftovers(folder: Path) -> list[str]:
    """Temporary files and the private spool folder of a run (`.changju-*`), and the old names."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp") or p.name.startswith(".changju-"))


@pytest.mark.parametrize(
    "bad, kind",
    [
        (b"this is not a pdf at all", "pdf"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n", "pdf"),
        (b"", "pdf"),
        (jpeg_bytes()[:200], "jpeg"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "png"),
        (b"GIF89a not a jpeg", "jpeg"),
    ],
)
def test_broken_inputs_raise_bundle_error_naming_the_file(tmp_path, write, bad, kind):
    out = tmp_path / "book.pdf"
    out.write_bytes(b"previous book")
    form = [BookFile.from_path(write("form.pdf", pdf_bytes(["MARKER-form-p1"])))]
    m = [BookMaterial("2.(8)", "申报人获奖情况", (BookFile(name="坏文件", open=lambda: io.BytesIO(bad), kind=kind),))]
    with pytest.raises(BundleError) as err:
        build_book(form, m, out, BookOptions())
    assert "坏文件" in err.value.msg.zh and "坏文件" in err.value.msg.en
    assert err.value.file == "坏文件"
    assert out.read_bytes() == b"previous book"
    assert _leftovers(tmp_path) == []


def test_user_password_pdf_is_refused_owner_password_pdf_is_bound(tmp_path, write):
    from pypdf import PdfWriter

    def encrypted(user: str, owner: str) -> bytes:
        w = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(["MARKER-enc-p1"]))))
        w.encrypt(user_password=user, owner_password=owner, algorithm="RC4-128")
        buf = io.BytesIO()
        w.write(buf)
        return buf.getvalue()

    form = [BookFile.from_path(write("form.pdf", pdf_bytes(["MARKER-form-p1"])))]
    locked = [BookMaterial("2.(7)", "个人所得税纳税记录", (BookFile.from_path(write("locked.pdf", encrypted("secret", "owner"))),))]
    with pytest.raises(BundleError) as err:
        build_book(form, locked, tmp_path / "book.pdf", BookOptions())
    assert "加密" in err.value.msg.zh and "encrypted" in err.value.msg.en
    assert not (tmp_path / "book.pdf").exists()

    bank = [BookMaterial("2.(7)", "个人所得税纳税记录", (BookFile.from_path(write("bank.pdf", encrypted("", "owner"))),))]
    r, book, _ = build(tmp_path, form, bank)
    assert "MARKER-enc-p1" in page_text(book.pages[r.first_attachment_page - 1])
    assert not book.is_encrypted


def test_an_unopenable_file_raises_bundle_error(tmp_path, write):
    form = [BookFile.from_path(write("form.pdf", pdf_bytes(["MARKER-form-p1"])))]
    m = [BookMaterial("2.(8)", "申报人获奖情况", (BookFile.from_path(tmp_path / "gone.pdf"),))]
    with pytest.raises(BundleError) as err:
        build_book(form, m, tmp_path / "book.pdf", BookOptions())
    assert "gone.pdf" in err.value.msg.zh


def test_a_full_disk_leaves_the_previous_book_and_no_temp_file(tmp_path, packet, monkeypatch):
    from tests.hostile.fulldisk import full_disk

    form, materials, _ = packet
    out = tmp_path / "book.pdf"
    out.write_bytes(b"previous book")
    full_disk(monkeypatch, room=1000)
    with pytest.raises(BundleError) as err:
        build_book(form, materials, out, BookOptions())
    assert "No space left on device" in err.value.msg.en
    assert out.read_bytes() == b"previous book"
    assert _leftovers(tmp_path) == []


@pytest.mark.skipif(not hasattr(os, "fchmod"), reason="POSIX mode bits: Windows files have no umask or mode")
def test_book_file_mode_follows_umask(tmp_path, packet):
    form, materials, _ = packet
    old = os.umask(0o022)
    try:
        _, _, out = build(tmp_path, form, materials)
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o644


def test_missing_form_and_empty_material_and_missing_folder(tmp_path, write):
    f = BookFile.from_path(write("a.pdf", pdf_bytes(["MARKER-a-p1"])))
    with pytest.raises(BundleError) as err:
        build_book([], [BookMaterial("2.(8)", "申报人获奖情况", (f,))], tmp_path / "b.pdf")
    assert "申报书" in err.value.msg.zh
    with pytest.raises(ValueError):
        build_book([f], [BookMaterial("2.(8)", "申报人获奖情况", ())], tmp_path / "b.pdf")
    with pytest.raises(BundleError):
        build_book([f], [], tmp_path / "no" / "such" / "b.pdf")


def test_no_materials_gives_form_and_toc(tmp_path, write):
    f = BookFile.from_path(write("a.pdf", pdf_bytes(["MARKER-a-p1"])))
    r, book, _ = build(tmp_path, [f], [], recto=True)
    assert (r.total_pages, r.toc_pages, r.blank_pages, r.first_attachment_page) == (3, 1, 1, 0)
    assert r.ranges == []
