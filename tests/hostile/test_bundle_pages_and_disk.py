"""`bundle` against a malformed page attribute, a full disk and a long output name (issue 24, left
from the second round): never a crash, never a temporary file left, never a refusal of a name the
file system can hold."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pikepdf
import pytest

from tests.hostile import bounds_inputs as bi
from tests.packets import pdf_bytes, youth_packet

REPO = Path(__file__).resolve().parents[2]


def _rotated(value) -> bytes:
    """A one-page 劳动合同 whose page says /Rotate `value` (a scanner's or an editor's slip)."""
    with pikepdf.open(io.BytesIO(pdf_bytes(1))) as pdf:
        pdf.pages[0].obj["/Rotate"] = value
        buf = io.BytesIO()
        pdf.save(buf)
    return buf.getvalue()


def _packet(tmp_path: Path, extra: dict | None = None) -> Path:
    return youth_packet(tmp_path / "p", add={"申报书.pdf": pdf_bytes(2), **(extra or {})})


@pytest.mark.parametrize(
    "value",
    [pikepdf.Name("/Ninety"), pikepdf.String("90"), 45, pikepdf.Array([90])],
    ids=["name", "string", "not-a-multiple-of-90", "array"],
)
def test_a_page_whose_rotate_is_not_a_number_is_bound_unrotated_with_a_warning(tmp_path, value):
    root = _packet(tmp_path, {"2-申报人材料/劳动合同.pdf": _rotated(value)})
    before = bi.snapshot(root)
    out = tmp_path / "book.pdf"
    run = bi.run_cli(["bundle", str(root), "-o", str(out)], tmp_path)
    run.assert_clean()
    assert run.code == 0, run.err
    assert "invalid rotation (/Rotate)" in run.err
    with pikepdf.open(out) as book:
        rotations = [p.obj.get("/Rotate") for p in book.pages]
    assert all(r is None or int(r) % 90 == 0 for r in rotations), rotations
    assert bi.snapshot(root) == before


def test_a_page_turned_a_quarter_keeps_its_rotation(tmp_path):
    root = _packet(tmp_path, {"2-申报人材料/劳动合同.pdf": _rotated(90)})
    out = tmp_path / "book.pdf"
    run = bi.run_cli(["bundle", str(root), "-o", str(out)], tmp_path)
    run.assert_clean()
    assert run.code == 0 and "invalid rotation" not in run.err
    with pikepdf.open(out) as book:
        assert 90 in [int(p.obj.get("/Rotate", 0)) for p in book.pages]


FULL_DISK = r"""
import os, sys
from changju_check.write import file as wfile

real = wfile._open_temp

def on_a_full_disk(fd):
    # the temporary file's descriptor now writes to /dev/full: every write fails with ENOSPC, as
    # on a full disk; the file object is a plain one, which pikepdf writes through natively
    full = os.open("/dev/full", os.O_WRONLY)
    os.dup2(full, fd)
    os.close(full)
    return real(fd)

wfile._open_temp = on_a_full_disk
sys.argv = ["changju"] + sys.argv[1:]
from changju_check.cli import main
main()
"""


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux) to make a disk full")
def test_bundle_onto_a_full_disk_is_exit_1_with_a_message_and_leaves_no_temporary_file(tmp_path):
    import subprocess

    root = _packet(tmp_path)
    before = bi.snapshot(root)
    out_dir = tmp_path / "books"
    out_dir.mkdir()
    (out_dir / "book.pdf").write_bytes(b"last week's book")
    env = dict(os.environ, CHANGJU_LANG="en", PYTHONIOENCODING="utf-8", CHANGJU_NO_RULE_CACHE="1",
               PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-c", FULL_DISK, "bundle", str(root), "-o", str(out_dir / "book.pdf"),
                           "--overwrite"], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 1, (proc.returncode, proc.stderr[-2000:])  # qpdf's terminate() was 134
    assert "terminate called" not in proc.stderr and "Traceback" not in proc.stderr
    assert "the disk is full" in proc.stderr and "no book was written" in proc.stderr
    assert sorted(p.name for p in out_dir.iterdir()) == ["book.pdf"]  # no .changju-*.tmp, no folder
    assert (out_dir / "book.pdf").read_bytes() == b"last week's book"
    assert bi.snapshot(root) == before


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (AttributeError, OSError, ValueError):  # Windows: NTFS holds 255 characters
        return 255


@pytest.mark.parametrize("command", ["bundle", "check"])
def test_a_legal_253_byte_output_name_is_written(tmp_path, command):
    """The temporary name beside the output is short and fixed: it does not make a legal name too long."""
    if _name_max(tmp_path) < 253:
        pytest.skip("the file system holds names shorter than 253 bytes")
    root = _packet(tmp_path)
    name = "装订本" * 27 + "-" * (253 - 27 * 9 - 4) + ".pdf"  # 27 × 9 bytes of UTF-8
    assert len(name.encode("utf-8")) == 253
    out = tmp_path / name
    args = [command, str(root), "-o", str(out)] + (["--format", "json"] if command == "check" else [])
    run = bi.run_cli(args, tmp_path)
    run.assert_clean()
    assert run.code in (0, 1), run.err
    assert out.is_file() and out.stat().st_size > 0
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".changju-")]
