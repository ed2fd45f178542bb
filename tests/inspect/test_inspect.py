"""Inspection of ordinary files: the kind by content, page counts, the text layer on request."""

from __future__ import annotations

import io
import pickle

import pytest

from changju_check.inspect import FileInfo, inspect_file, inspect_files
from changju_check.packet import PacketFile, open_packet


def pypdf_pdf(pages: int) -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    for _ in range(pages):
        w.add_blank_page(595, 842)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def reportlab_pdf(lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for line in lines:  # one page per line
        c.setFont("STSong-Light", 14)
        c.drawString(72, 760, line)
        c.showPage()
    c.save()
    return buf.getvalue()


def image(fmt: str, size=(120, 90), **save) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buf, fmt, **save)
    return buf.getvalue()


def one(name: str, data: bytes, **kw) -> FileInfo:
    return inspect_file(PacketFile.from_bytes(name, data), **kw)


@pytest.mark.parametrize("pages", [1, 3])
def test_pdf_page_count(pages):
    info = one("a.pdf", pypdf_pdf(pages))
    assert (info.path, info.kind, info.pages, info.encrypted, info.text, info.findings) == (
        "a.pdf",
        "pdf",
        pages,
        None,
        None,
        (),
    )
    assert info.ok
    assert info.years == ()


def test_text_layer_of_the_first_pages_only():
    data = reportlab_pdf(["第一页 2020年度", "第二页 2021年度", "第三页 2022年度"])
    assert one("a.pdf", data).text is None
    two = one("a.pdf", data, text_pages=2).text
    assert "2020" in two and "2021" in two and "2022" not in two
    assert "2022" in one("a.pdf", data, text_pages=10).text


def test_a_scan_without_text_gives_empty_text():
    assert one("a.pdf", pypdf_pdf(1), text_pages=1).text == ""


@pytest.mark.parametrize(
    "name, data, kind",
    [
        ("photo.jpg", image("JPEG"), "jpeg"),
        ("photo.JPEG", image("JPEG"), "jpeg"),
        ("photo.jpg", image("JPEG", progressive=True), "jpeg"),
        ("photo.png", image("PNG"), "png"),
        ("photo.jpg", image("PNG"), "png"),  # a PNG named .jpg: accepted, the true kind recorded
        ("photo.png", image("JPEG"), "jpeg"),
    ],
)
def test_kind_is_read_from_the_content(name, data, kind):
    info = one(name, data)
    assert (info.kind, info.findings) == (kind, ())
    assert info.pages == (2 if kind == "pdf" else 1)


def test_without_an_extension_the_content_decides_and_cj313_asks_for_one():
    info = one("扫描件", pypdf_pdf(2))
    assert (info.kind, info.pages, [f.code for f in info.findings]) == ("pdf", 2, ["CJ313"])


def test_large_png_passes_on_structure_alone():
    info = one("big.png", image("PNG", size=(4000, 3000)))  # 12 MP: not decoded, the chunk chain is enough
    assert (info.kind, info.pages, info.findings) == ("png", 1, ())


def test_garbage_before_the_header_is_tolerated():
    info = one("a.pdf", b"\xef\xbb\xbf" + pypdf_pdf(1))
    assert info.kind == "pdf" and info.pages == 1
    assert {f.code for f in info.findings} <= {"CJ308"}


def test_fileinfo_ok_is_about_errors_only():
    warn = FileInfo(path="a.pdf", kind="pdf", pages=1)
    assert warn.ok
    bad = one("a.pdf", b"")
    assert not bad.ok


def test_fileinfo_pickles():
    info = one("a.pdf", b"%PDF-1.4 broken")
    assert pickle.loads(pickle.dumps(info)) == info


def test_inspect_files_keys_by_path_and_asks_for_text_per_file(tmp_path):
    root = tmp_path / "p"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "审计报告.pdf").write_bytes(reportlab_pdf(["2021年度审计报告"]))
    (root / "photo.jpg").write_bytes(image("JPEG"))
    (root / "notes.txt").write_bytes("备注".encode())
    asked: list[str] = []

    def text_pages_for(pf: PacketFile) -> int:
        asked.append(pf.path)
        return 1 if pf.path.endswith(".pdf") else 0

    with open_packet(root) as p:
        infos = inspect_files(p.files, timeout=10, text_pages_for=text_pages_for)
    assert sorted(infos) == ["notes.txt", "photo.jpg", "sub/审计报告.pdf"]
    assert sorted(asked) == sorted(infos)
    assert "2021年度审计报告" in infos["sub/审计报告.pdf"].text
    assert infos["photo.jpg"].text is None
    assert [f.code for f in infos["notes.txt"].findings] == ["CJ304"]
    assert all(f.file == path for path, info in infos.items() for f in info.findings)


def test_no_time_limit_is_allowed():
    assert one("a.pdf", pypdf_pdf(1), timeout=None).pages == 1
    assert one("a.pdf", pypdf_pdf(1), timeout=0).pages == 1


def test_zip_members_are_inspected_like_files(tmp_path):
    import zipfile

    path = tmp_path / "p.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("a.pdf", pypdf_pdf(3))
        zf.writestr("b.png", image("PNG"))
    with open_packet(path) as p:
        infos = inspect_files(p.files)
    assert (infos["a.pdf"].pages, infos["b.png"].kind) == (3, "png")
    assert all(info.ok for info in infos.values())


def _warn_inside_pypdf(monkeypatch, category):
    """Make pypdf's reader give a warning from pypdf's own file while it reads, as the garbage
    collector does when it finalises someone else's unclosed file in the middle of pypdf's code."""
    import pypdf
    import warnings

    original = pypdf.PdfReader.__init__

    def reading(self, *args, **kwargs):
        warnings.warn_explicit("unclosed file <_io.BufferedReader name=22>", category, pypdf.__file__, 1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(pypdf.PdfReader, "__init__", reading)


def test_a_resource_warning_of_another_object_is_not_a_damaged_pdf(monkeypatch):
    _warn_inside_pypdf(monkeypatch, ResourceWarning)
    info = one("a.pdf", pypdf_pdf(1))
    assert info.kind == "pdf" and info.pages == 1
    assert [f.code for f in info.findings] == []


def test_a_read_warning_of_pypdf_still_says_the_pdf_was_repaired(monkeypatch):
    from pypdf.errors import PdfReadWarning

    _warn_inside_pypdf(monkeypatch, PdfReadWarning)
    info = one("a.pdf", pypdf_pdf(1))
    assert [f.code for f in info.findings] == ["CJ308"]
