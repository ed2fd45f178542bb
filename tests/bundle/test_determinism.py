"""Byte-identical books across processes (hash seeds differ), and a library that prints nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .helpers import jpeg_bytes, pdf_bytes

REPO = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import sys
from pathlib import Path
from changju_check.bundle import BookFile, BookMaterial, BookOptions, build_book, fonts
fonts.system_font_candidates = lambda patterns=None: []   # the same font on every machine
src = Path(sys.argv[1])
form = [BookFile.from_path(src / "申报书.pdf")]
materials = [
    BookMaterial("1.(1)", "申报单位 2020、2021、2022 年度《财务审计报告》",
                 (BookFile.from_path(src / "repaired.pdf"), BookFile.from_path(src / "b.pdf")), "1. 申报单位提供材料"),
    BookMaterial("2.(1)", "申报人有效身份证件", (BookFile.from_path(src / "id.jpg"),), "2. 申报人提供材料"),
]
build_book(form, materials, Path(sys.argv[2]), BookOptions(recto=True))
"""


def _run(src: Path, out: Path, seed: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["PYTHONHASHSEED"] = seed
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-c", SCRIPT, str(src), str(out)], env=env, capture_output=True, text=True)


def test_byte_identical_across_processes_and_silent(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "申报书.pdf").write_bytes(pdf_bytes(["MARKER-form-p1", "MARKER-form-p2", "MARKER-form-p3"]))
    # junk before the header and a wrong startxref: pypdf repairs it and logs about it
    good = pdf_bytes(["MARKER-a-p1", "MARKER-a-p2"])
    broken = b"garbage from a scanner\n" + good.replace(b"startxref\n", b"startxref\n9").rstrip()
    (src / "repaired.pdf").write_bytes(broken)
    (src / "b.pdf").write_bytes(pdf_bytes(["MARKER-b-p1"]))
    (src / "id.jpg").write_bytes(jpeg_bytes((300, 400), orientation=6))

    one = _run(src, tmp_path / "one.pdf", "1")
    two = _run(src, tmp_path / "two.pdf", "12345")
    for proc in (one, two):
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout == "" and proc.stderr == ""  # library code prints nothing
    assert (tmp_path / "one.pdf").read_bytes() == (tmp_path / "two.pdf").read_bytes()
