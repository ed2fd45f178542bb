"""Honest about what a file is and how large it is: the extension must say what the content is
(CJ313), a cut-off incremental update is CJ308, an image or page too large to bind is CJ314 in
`check` already (too large, not damaged), and a MemoryError is CJ315, not damage."""

from __future__ import annotations

from pathlib import Path

import pytest

from changju_check.inspect import FileInfo, inspect_file
from changju_check.inspect.sizes import MAX_BIND_PIXELS, MAX_PAGE_POINTS
from changju_check.packet import PacketFile
from changju_check.packet.model import DirSource
from tests.hostile import bounds_inputs as bi
from tests.packets import pdf_bytes, youth_packet


def one(name: str, data: bytes, **kw) -> FileInfo:
    return inspect_file(PacketFile.from_bytes(name, data), **kw)


def codes_of(info: FileInfo) -> list[str]:
    return sorted(f.code for f in info.findings)


# ------------------------------------------------------------------ extension vs content (CJ313)


@pytest.mark.parametrize("name", ["2-申报人材料/劳动合同.docx", "劳动合同.pdf.crdownload", "劳动合同"])
def test_a_pdf_whose_name_does_not_say_pdf_is_cj313_naming_both(name):
    info = one(name, pdf_bytes(2))
    assert codes_of(info) == ["CJ313"]
    msg = info.findings[0].message
    assert "PDF" in msg.en and ".pdf" in msg.en
    ext = Path(name).suffix
    if ext:
        assert ext in msg.en and ext in msg.zh
    else:
        assert "without an extension" in msg.en and "没有扩展名" in msg.zh
    assert info.pages == 2  # still read as the PDF it is


def test_a_crdownload_is_called_an_unfinished_download():
    info = one("审计报告.pdf.crdownload", pdf_bytes(1))
    assert "download in progress" in info.findings[0].message.en and "下载未完成" in info.findings[0].message.zh


def test_a_jpg_named_docx_is_cj313_and_a_properly_named_pdf_is_not():
    assert codes_of(one("身份证.docx", bi.jpeg_bytes())) == ["CJ313"]
    assert codes_of(one("身份证.pdf", pdf_bytes(1))) == []
    assert codes_of(one("身份证.JPG", bi.jpeg_bytes())) == []


def test_a_stored_zip_holding_a_pdf_is_a_zip_not_the_pdf_inside():
    data = bi.stored_zip_holding("劳动合同.pdf", pdf_bytes(1))
    assert b"%PDF-" in data[:1024]  # pypdf alone would read the PDF out of it
    info = one("劳动合同.zip", data)
    assert codes_of(info) == ["CJ304"]
    msg = info.findings[0].message
    assert ".zip" in msg.en and "zip archive" in msg.en and "劳动合同.pdf" in msg.en
    assert ".zip" in msg.zh and "ZIP 压缩包" in msg.zh
    named_pdf = one("劳动合同.pdf", data)
    assert codes_of(named_pdf) == ["CJ301"] and "zip archive" in named_pdf.findings[0].message.en


def test_the_cli_reports_a_pdf_named_docx_with_exit_1_and_leaves_the_packet_alone(tmp_path):
    root = youth_packet(tmp_path / "p", drop=("2-申报人材料/劳动合同.pdf",),
                        add={"2-申报人材料/劳动合同.docx": pdf_bytes(2)})
    before = bi.snapshot(root)
    run = bi.run_cli(["check", str(root), "--format", "json"], tmp_path)
    run.assert_clean()
    assert run.code == 1
    found = [f for f in run.json()["findings"] if f["code"] == "CJ313"]
    assert [f["file"] for f in found] == ["2-申报人材料/劳动合同.docx"]
    assert bi.snapshot(root) == before


# ------------------------------------------------------------------ a cut-off incremental update (CJ308)


@pytest.mark.parametrize("padding", [0, 300_000])
def test_a_pdf_whose_last_incremental_update_is_cut_off_is_cj308(padding):
    whole, cut = bi.incremental_cut_pdf(padding)
    assert codes_of(one("申报书.pdf", whole)) == [] and one("申报书.pdf", whole).pages == 3
    info = one("申报书.pdf", cut)
    assert codes_of(info) == ["CJ308"]
    assert "previous revision" in info.findings[0].message.en and "上一次保存的版本" in info.findings[0].message.zh
    assert info.pages == 2  # what pypdf read: the revision before


def test_bytes_after_the_last_eof_that_are_not_an_update_are_fine():
    data = pdf_bytes(1) + b"\r\n\x00\x00 padding from a mail gateway\n"
    assert "CJ308" not in codes_of(one("a.pdf", data))


# ------------------------------------------------------------------ too large to bind (CJ314)


def test_a_13000_square_rgba_png_of_641_kb_is_too_large_not_damaged(tmp_path):
    path = tmp_path / "照片.png"
    size = bi.write_big_png(path)
    assert size < 1_000_000
    info = inspect_file(PacketFile(path="照片.png", raw_name="照片.png", size=size, _source=DirSource(str(path))))
    assert codes_of(info) == ["CJ314"]
    msg = info.findings[0].message
    assert "too large" in msg.en and "13000×13000" in msg.en and "not damaged" in msg.en
    assert "过大" in msg.zh and "不是文件损坏" in msg.zh


def test_a_60000_square_jpeg_is_too_large_not_damaged():
    info = one("全景.jpg", bi.huge_jpeg())
    assert codes_of(info) == ["CJ314"] and "60000×60000" in info.findings[0].message.en


def test_the_bind_limit_is_inclusive():
    assert MAX_BIND_PIXELS == 8000 * 5000
    assert codes_of(one("ok.jpg", bi.huge_jpeg(8000, 5000))) == []  # exactly 40 megapixels: bindable
    assert codes_of(one("big.jpg", bi.huge_jpeg(8000, 5001))) == ["CJ314"]


def test_a_pdf_page_over_200_inches_is_too_large():
    assert codes_of(one("图纸.pdf", bi.page_pdf(MAX_PAGE_POINTS, 842))) == []
    info = one("图纸.pdf", bi.page_pdf(MAX_PAGE_POINTS + 1, 842))
    assert codes_of(info) == ["CJ314"] and "Page 1" in info.findings[0].message.en


# ------------------------------------------------------------------ MemoryError (CJ315)


def _no_memory(pf, text_pages):  # module level: a spawned worker (Windows) finds it by name
    raise MemoryError()


def test_memory_error_is_cj315_not_damage(monkeypatch):
    import changju_check.inspect as inspect_pkg

    monkeypatch.setattr(inspect_pkg, "_inspect_unbounded", _no_memory)
    info = inspect_pkg.inspect_file(PacketFile.from_bytes("a.pdf", pdf_bytes(1)), timeout=5.0)
    assert codes_of(info) == ["CJ315"]
    assert "does not mean the file is damaged" in info.findings[0].message.en
    assert info.ok  # a warning: the check goes on


def test_an_inherited_page_size_is_judged_too():
    data = bi.build_pdf({
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 20000 842] >>",
        3: b"<< /Type /Page /Parent 2 0 R >>",
    })
    assert codes_of(one("图纸.pdf", data)) == ["CJ314"]
