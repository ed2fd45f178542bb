"""Fixtures for the bundle tests: every input PDF/JPG/PNG is generated in tmp_path.

Each generated PDF page carries one ASCII marker ("MARKER-<name>-p<n>") so that a test can
tell from the book's text which input page landed where. The tests never depend on the
fonts of the machine: system font discovery is switched off (the shipped subset or an
explicit font is used) unless a test turns it back on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from changju_check.bundle import fonts

from .helpers import jpeg_bytes, pdf_bytes


@pytest.fixture(autouse=True)
def _pinned_environment(monkeypatch):
    monkeypatch.setattr(fonts, "system_font_candidates", lambda patterns=None: [])
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.fixture
def write(tmp_path):
    """write(name, data) -> Path under tmp_path/in."""
    root = tmp_path / "in"
    root.mkdir()

    def _write(name: str, data: bytes) -> Path:
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        return p

    return _write


@pytest.fixture
def packet(write):
    """A small packet: a 3-page form, four materials in two sections, one of them a photo."""
    from changju_check.bundle import BookFile, BookMaterial

    form = [BookFile.from_path(write("申报书.pdf", pdf_bytes([f"MARKER-form-p{i}" for i in (1, 2, 3)])))]
    audit = [
        BookFile.from_path(write(f"{y}年度审计报告.pdf", pdf_bytes([f"MARKER-audit-{y}-p{i}" for i in (1, 2)])))
        for y in (2020, 2021, 2022)
    ]
    letter = BookFile.from_path(write("单位诚信声明.pdf", pdf_bytes(["MARKER-letter-p1"])))
    idcard = BookFile.from_path(write("身份证.jpg", jpeg_bytes((500, 320))))
    contract = BookFile.from_path(write("劳动合同.pdf", pdf_bytes([f"MARKER-contract-p{i}" for i in range(1, 6)])))
    materials = [
        BookMaterial("1.(1)", "申报单位 2020、2021、2022 年度《财务审计报告》", tuple(audit), "1. 申报单位提供材料"),
        BookMaterial("1.(7)", "《单位诚信声明》", (letter,), "1. 申报单位提供材料"),
        BookMaterial(
            "2.(1)",
            "申报人有效身份证件（中国籍人才提供有效身份证，外籍人才提供有效护照）",
            (idcard,),
            "2. 申报人提供材料",
        ),
        BookMaterial("2.(5)", "申报人与申报单位签订的最新工作合同", (contract,), "2. 申报人提供材料"),
    ]
    # the first marker of each material (None for the photo)
    first_markers = ["MARKER-audit-2020-p1", "MARKER-letter-p1", None, "MARKER-contract-p1"]
    return form, materials, first_markers
