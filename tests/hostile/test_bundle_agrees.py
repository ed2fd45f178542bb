"""`bundle` agrees with `check`: what check passes is bound, what is too large is refused by both
with the same words; a file removed after the check, a library's warning, an output name too
long for the file system: never a traceback, never a temporary file left."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.hostile import bounds_inputs as bi
from tests.packets import pdf_bytes, youth_packet

pytest.importorskip("img2pdf")


def _packet(tmp_path: Path, extra: dict) -> Path:
    return youth_packet(tmp_path / "p", drop=("2-申报人材料/身份证.pdf",), add={"申报书.pdf": pdf_bytes(2), **extra})


def _image(mode: str, fmt: str, *, size=(120, 90), orientation: int | None = None, **save) -> bytes:
    from PIL import Image

    im = Image.new(mode if mode != "P+tRNS" else "P", size, 1 if mode in ("P", "P+tRNS", "1") else None)
    if mode == "P+tRNS":
        save["transparency"] = 0
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation
        save["exif"] = exif.tobytes()
    buf = io.BytesIO()
    im.save(buf, fmt, **save)
    return buf.getvalue()


IMAGES = {
    "rgb.jpg": lambda: _image("RGB", "JPEG"),
    "grey.jpg": lambda: _image("L", "JPEG"),
    "cmyk.jpg": lambda: _image("CMYK", "JPEG"),
    "progressive.jpg": lambda: _image("RGB", "JPEG", progressive=True),
    "rgb.png": lambda: _image("RGB", "PNG"),
    "rgba.png": lambda: _image("RGBA", "PNG"),
    "la.png": lambda: _image("LA", "PNG"),
    "palette.png": lambda: _image("P", "PNG"),
    "palette-transparent.png": lambda: _image("P+tRNS", "PNG"),
    "grey16.png": lambda: _image("I;16", "PNG"),
    "bilevel.png": lambda: _image("1", "PNG"),
    **{f"exif-{o}.jpg": (lambda o=o: _image("RGB", "JPEG", orientation=o)) for o in range(1, 9)},
    "corrupt-exif.jpg": bi.corrupt_exif_jpeg,
}


def test_every_image_check_passes_is_bound(tmp_path):
    """Images of every mode and EXIF orientation, filed as the ID card: for each, check finds no
    error on the file, so bundle must bind it (and it does, all in one book)."""
    extra = {f"2-申报人材料/身份证-{name}": make() for name, make in IMAGES.items()}
    root = _packet(tmp_path, extra)
    before = bi.snapshot(root)
    check = bi.run_cli(["check", str(root), "--format", "json"], tmp_path)
    check.assert_clean()
    on_images = [f for f in check.json()["findings"] if (f["file"] or "").startswith("2-申报人材料/身份证-")]
    assert [f for f in on_images if f["severity"] == "error"] == []
    out = tmp_path / "book.pdf"
    run = bi.run_cli(["bundle", str(root), "-o", str(out), "--format", "json"], tmp_path)
    run.assert_clean()
    assert run.code == 0, run.out[-3000:] + run.err[-3000:]
    from pypdf import PdfReader

    assert len(PdfReader(out).pages) == run.json()["total_pages"]
    assert any("EXIF" in w for w in run.json()["warnings"])  # Pillow's warning became a note
    assert bi.snapshot(root) == before


@pytest.fixture(scope="module")
def big_png(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("png") / "big.png"
    bi.write_big_png(path)
    return path.read_bytes()


@pytest.mark.parametrize("force", [False, True])
def test_an_image_too_large_to_bind_is_refused_by_check_and_bundle_alike(tmp_path, big_png, force):
    root = _packet(tmp_path, {"2-申报人材料/身份证.png": big_png})
    before = bi.snapshot(root)
    check = bi.run_cli(["check", str(root), "--format", "json"], tmp_path)
    check.assert_clean()
    assert check.code == 1
    [found] = [f for f in check.json()["findings"] if f["code"] == "CJ314"]
    assert "too large" in found["message"] and "damaged" not in found["message"].replace("not damaged", "")
    out = tmp_path / "book.pdf"
    run = bi.run_cli(["bundle", str(root), "-o", str(out)] + (["--force"] if force else []), tmp_path)
    run.assert_clean()
    assert run.code == 1
    assert "CJ314" in run.err and "too large" in run.err
    assert not out.exists() and [p.name for p in tmp_path.iterdir() if p.name.startswith(".book")] == []
    assert run.seconds < 60 and run.peak_below(600)  # refused from the header: no 676 MB decode
    assert bi.snapshot(root) == before


def test_bundle_refuses_an_oversized_image_itself_with_checks_words():
    """The book's own guard (a caller of build_book that skipped check): the same message."""
    from changju_check.bundle.images import ImageTooLarge, image_to_pdf
    from changju_check.inspect.sizes import image_too_large_msg

    with pytest.raises(ImageTooLarge) as caught:
        image_to_pdf(bi.huge_jpeg(), io.BytesIO())
    assert caught.value.msg == image_too_large_msg(60000, 60000)


def test_a_file_removed_after_the_check_is_an_error_not_a_keyerror(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    import changju_check.engine.run as run_mod
    from changju_check.cli import app

    root = _packet(tmp_path, {"2-申报人材料/身份证.jpg": bi.jpeg_bytes()})
    victim = root / "2-申报人材料" / "劳动合同.pdf"
    real = run_mod.check_packet

    def check_then_remove(path, options=None):
        report = real(path, options)
        victim.unlink()  # someone tidies the folder while the book is being made
        return report

    monkeypatch.setattr(run_mod, "check_packet", check_then_remove)
    out = tmp_path / "book.pdf"
    result = CliRunner().invoke(app, ["bundle", str(root), "-o", str(out), "--lang", "en"])
    assert result.exit_code == 1, result.output  # a book that could not be made (exit 1, as bundle says)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "劳动合同.pdf was moved or deleted after the packet was checked" in result.output
    assert not out.exists() and not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())


@pytest.mark.parametrize("command", ["check", "bundle"])
def test_an_output_name_too_long_for_the_file_system_names_the_users_name(tmp_path, command):
    import os

    root = _packet(tmp_path, {})
    try:
        limit = os.pathconf(tmp_path, "PC_NAME_MAX")
    except AttributeError:  # Windows: NTFS holds 255 characters
        limit = 255
    name = "装订本" * (limit // 3 + 1) + ".pdf"  # more than the file system holds, in bytes and in characters
    assert len(name.encode()) > limit
    out = tmp_path / name
    args = ["check", str(root), "-o", str(out)] if command == "check" else ["bundle", str(root), "-o", str(out)]
    run = bi.run_cli(args, tmp_path)
    run.assert_clean()
    assert run.code == 2
    assert "output name is too long" in run.err and name in run.err
    assert ".tmp" not in run.err  # about the user's name, not the temporary one
    assert list(tmp_path.glob("*装订本*")) == []
