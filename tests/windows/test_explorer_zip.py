"""Zips made by Explorer, 7-Zip, WinRAR or 360压缩 on a Chinese Windows: names in GBK without the
UTF-8 flag, decided for the archive as a whole (packet/zipped.archive_encoding)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from changju_check.cli.app import app
from changju_check.packet import open_packet
from tests.hostile.conftest import _RawNameInfo
from tests.packets import PERSON_FILES, UNIT_FILES, YOUTH_MANIFEST, pdf_bytes


def windows_zip(path: Path, files: dict[str, bytes], *, encoding: str = "gbk", create_system: int = 0) -> Path:
    """As Explorer's "发送到 → 压缩(zipped)文件夹" writes it: names in the system's code page, no UTF-8
    flag, made by MS-DOS/Windows (create_system 0)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            info = _RawNameInfo(name.encode(encoding).decode("cp437"), date_time=(2023, 8, 15, 10, 32, 0))
            info.create_system = create_system
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    path.write_bytes(buf.getvalue())
    return path


# GBK names whose bytes are also valid UTF-8: read name by name, UTF-8 won and gave mojibake
AMBIGUOUS = ["学位证.pdf", "学位.pdf", "目录.pdf", "一.pdf"]


@pytest.mark.parametrize("name", AMBIGUOUS)
def test_a_gbk_name_that_is_also_valid_utf8_reads_as_chinese(tmp_path, name):
    assert name.encode("gbk").decode("utf-8")  # the trap: valid UTF-8, and wrong
    z = windows_zip(tmp_path / "材料.zip", {"changju.yaml": YOUTH_MANIFEST.encode(), name: pdf_bytes(1),
                                          "劳动合同.pdf": pdf_bytes(1)})
    with open_packet(z) as p:
        assert sorted(f.path for f in p.files) == sorted([name, "劳动合同.pdf"])


def test_an_explorer_zip_of_a_complete_packet_passes_as_the_folder_does(tmp_path):
    files = {"changju.yaml": YOUTH_MANIFEST.encode()}
    files.update({n: pdf_bytes(k) for n, k in {**UNIT_FILES, **PERSON_FILES}.items()})
    files.pop("2-申报人材料/学历学位证书.pdf")
    files["2-申报人材料/学位证.pdf"] = pdf_bytes(1)  # the name that turned into ѧλ֤.pdf
    files["2-申报人材料/毕业证.pdf"] = pdf_bytes(1)  # and the 学历 part of 2.(2) (two documents by the guide's reading)
    z = windows_zip(tmp_path / "张三-申报材料.zip", files)
    result = CliRunner().invoke(app, ["--lang", "en", "check", str(z), "--format", "json"])
    assert "ѧλ֤" not in result.output
    import json

    doc = json.loads(result.output)
    codes = {f["code"] for f in doc.get("findings", [])}
    assert "CJ103" not in codes and "CJ101" not in codes, codes


def test_utf8_names_from_macos_stay_utf8_even_where_gbk_could_read_them(tmp_path):
    names = ["劳动合同.pdf", "身份证.pdf", "学位证.pdf"]
    z = windows_zip(tmp_path / "mac.zip", {n: pdf_bytes(1) for n in names}, encoding="utf-8", create_system=3)
    with open_packet(z) as p:
        assert sorted(f.path for f in p.files) == sorted(names)


def test_one_archive_one_encoding_for_every_name(tmp_path):
    """A GBK archive whose other names are unambiguous decides the ambiguous one too."""
    names = ["学位.pdf", "2021年度财务审计报告.pdf", "个人诚信声明.pdf"]
    z = windows_zip(tmp_path / "a.zip", {n: pdf_bytes(1) for n in names}, create_system=3)  # whatever the system
    with open_packet(z) as p:
        assert sorted(f.path for f in p.files) == sorted(names)
