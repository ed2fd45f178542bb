"""Hostile zips: nothing is extracted, nothing escapes, bombs are capped, names come out right."""

from __future__ import annotations

import io
import os
import struct
import tempfile
import tracemalloc
import unicodedata
import zipfile
from pathlib import Path

import pytest

import changju_check.packet.model as packet_mod
from changju_check.inspect import inspect_file, inspect_files
from changju_check.packet import PacketError, open_packet


def save(tmp_path: Path, data: bytes, name: str = "申报材料.zip") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def utf8_zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def by_file(packet) -> dict[str | None, list[str]]:
    out: dict[str | None, list[str]] = {}
    for f in packet.findings:
        out.setdefault(f.file, []).append(f.code)
    return out


def test_gbk_names_from_chinese_windows_come_out_as_chinese(h, tmp_path):
    pdf = h.pages_pdf(1)
    data = h.raw_zip([(n.encode("gbk"), pdf) for n in ("审计报告2021.pdf", "证书/学历学位认证书.pdf")])
    with open_packet(save(tmp_path, data)) as p:
        assert [f.path for f in p.files] == ["审计报告2021.pdf", "证书/学历学位认证书.pdf"]
        assert p.findings == []
        assert inspect_file(p.files[0]).pages == 1


def test_utf8_names_without_the_flag_as_macos_writes_them(h, tmp_path):
    nfd = unicodedata.normalize("NFD", "Café-劳动合同.pdf")
    data = h.raw_zip([(nfd.encode("utf-8"), b"%PDF-1.4")])
    with open_packet(save(tmp_path, data)) as p:
        (pf,) = p.files
        assert pf.path == unicodedata.normalize("NFC", nfd)
        assert pf.raw_name == nfd
        assert by_file(p) == {pf.path: ["CJ307"]}


def test_utf8_flagged_names_are_taken_as_they_are(tmp_path):
    with open_packet(save(tmp_path, utf8_zip({"劳动合同.pdf": b"%PDF-1.4"}))) as p:
        assert [f.path for f in p.files] == ["劳动合同.pdf"]


def test_undecodable_names_are_noted(h, tmp_path):
    data = h.raw_zip([(b"\xff\xfe\xfd.pdf", b"%PDF-1.4")])
    with open_packet(save(tmp_path, data)) as p:
        assert len(p.files) == 1
        assert "CJ307" in by_file(p)[p.files[0].path]


@pytest.mark.parametrize(
    "name",
    [b"../evil.pdf", b"/abs.pdf", b"C:\\Windows\\evil.pdf", b"c:evil.pdf", b"a\\..\\..\\evil.pdf", b"ok/../../evil.pdf"],
)
def test_zip_slip_entries_are_skipped_with_cj305(h, tmp_path, name):
    data = h.raw_zip([(name, b"%PDF-1.4 evil"), (b"good.pdf", b"%PDF-1.4")])
    with open_packet(save(tmp_path, data)) as p:
        assert [f.path for f in p.files] == ["good.pdf"]
        assert [f.code for f in p.findings] == ["CJ305"]
    assert sorted(os.listdir(tmp_path)) == ["申报材料.zip"]  # nothing was extracted anywhere near


def test_backslash_separators_are_folders(h, tmp_path):
    data = h.raw_zip([("证书\\学位证.pdf".encode("gbk"), b"%PDF-1.4"), (b"a.pdf", b"%PDF-1.4")])
    with open_packet(save(tmp_path, data)) as p:
        assert [f.path for f in p.files] == ["a.pdf", "证书/学位证.pdf"]


def test_symlink_entries_are_skipped(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        link = zipfile.ZipInfo("passwd.pdf")
        link.create_system = 3
        link.external_attr = 0o120777 << 16
        zf.writestr(link, "/etc/passwd")
        zf.writestr("good.pdf", b"%PDF-1.4")
    with open_packet(save(tmp_path, buf.getvalue())) as p:
        assert [f.path for f in p.files] == ["good.pdf"]
        assert by_file(p) == {"passwd.pdf": ["CJ305"]}


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_duplicate_names_are_all_skipped(h, tmp_path):
    data = h.raw_zip([(b"a.pdf", b"%PDF-1.4 first"), (b"a.pdf", b"%PDF-1.4 second"), (b"b.pdf", b"%PDF-1.4")])
    with open_packet(save(tmp_path, data)) as p:
        assert [f.path for f in p.files] == ["b.pdf"]
        assert by_file(p) == {"a.pdf": ["CJ301"]}


def test_encrypted_entry_is_cj302_and_skipped(h, tmp_path):
    plain = h.raw_zip([(b"a.pdf", b"%PDF-1.4"), (b"b.pdf", b"%PDF-1.4")], method=zipfile.ZIP_STORED)
    data = h.set_flag_bit(plain, b"a.pdf", 0)
    with open_packet(save(tmp_path, data)) as p:
        assert [f.path for f in p.files] == ["b.pdf"]
        (finding,) = p.findings
        assert (finding.code, finding.file) == ("CJ302", "a.pdf")
        assert "zip" in finding.message.en


def test_unsupported_compression_method_is_skipped(h, tmp_path):
    data = bytearray(h.raw_zip([(b"a.pdf", b"%PDF-1.4"), (b"b.pdf", b"%PDF-1.4")]))
    cd = data.find(b"PK\x01\x02")  # the first central directory entry: a.pdf
    struct.pack_into("<H", data, cd + 10, 9)  # Deflate64
    with open_packet(save(tmp_path, bytes(data))) as p:
        assert [f.path for f in p.files] == ["b.pdf"]
        assert by_file(p) == {"a.pdf": ["CJ301"]}


def test_overlapping_entries_bomb_is_refused_without_inflating(h, tmp_path):
    data = h.overlap_bomb_zip(entries=40, kernel_mb=1)
    assert len(data) < 10_000  # 40 entries of 1 MB each from a few KB
    path = save(tmp_path, data)
    tracemalloc.start()
    try:
        with open_packet(path) as p:
            infos = inspect_files(p.files)
            peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [f.path for f in p.files] == ["39.pdf"]  # the last entry does not overlap: it is the kernel's owner
    overlaps = [f for f in p.findings if "overlap" in f.message.en]
    assert len(overlaps) == packet_mod.MAX_FINDINGS_PER_KIND  # capped, then summarised
    assert any(f.file is None and "more entries" in f.message.en for f in p.findings)
    assert set(infos) == {"39.pdf"}
    assert peak < 16 * 1024**2


def test_declared_size_over_the_cap_is_skipped(h, tmp_path):
    data = h.set_declared_size(h.raw_zip([(b"big.pdf", b"\0" * 1000), (b"ok.pdf", b"%PDF-1.4")]), b"big.pdf", 3 * 1024**3 - 1)
    with open_packet(save(tmp_path, data)) as p:
        assert [f.path for f in p.files] == ["ok.pdf"]
        assert by_file(p) == {"big.pdf": ["CJ301"]}
        assert "limit" in p.findings[0].message.en


def test_high_ratio_entry_over_a_lowered_cap(h, tmp_path, monkeypatch):
    zeros = h.raw_zip([(b"zeros.pdf", b"\0" * (20 << 20)), (b"ok.pdf", b"%PDF-1.4")])
    assert len(zeros) < 100_000
    monkeypatch.setattr(packet_mod, "MAX_ZIP_ENTRY_SIZE", 8 << 20)
    with open_packet(save(tmp_path, zeros)) as p:
        assert [f.path for f in p.files] == ["ok.pdf"]
        assert by_file(p) == {"zeros.pdf": ["CJ301"]}


def test_a_member_that_inflates_beyond_its_declared_size_is_stopped(h, tmp_path):
    # The central directory says 1000 bytes; the data inflates to 20 MB. Reading stops at 1000.
    data = h.set_declared_size(h.raw_zip([(b"liar.pdf", b"%PDF-1.4\n" + b"\0" * (20 << 20))]), b"liar.pdf", 1000)
    with open_packet(save(tmp_path, data)) as p:
        (pf,) = p.files
        assert pf.size == 1000
        tracemalloc.start()
        try:
            info = inspect_file(pf)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert [f.code for f in info.findings] == ["CJ301"]
    assert peak < 8 * 1024**2


def test_the_read_cap_holds_even_if_the_declared_size_is_trusted(h, tmp_path, monkeypatch):
    data = h.raw_zip([(b"a.pdf", b"%PDF-1.4\n" + b"\0" * (4 << 20))])
    with open_packet(save(tmp_path, data)) as p:
        (pf,) = p.files
        monkeypatch.setattr(packet_mod, "MAX_ZIP_ENTRY_SIZE", 1 << 20)  # lowered after discovery
        with pytest.raises(packet_mod.ZipMemberTooLarge):
            pf.open()
        info = inspect_file(pf)
    assert [f.code for f in info.findings] == ["CJ301"]


def test_total_size_cap_skips_the_rest_with_one_finding(h, tmp_path, monkeypatch):
    data = h.raw_zip([(b"%d.pdf" % i, b"%PDF-1.4\n" + b"\0" * 5000) for i in range(5)])
    monkeypatch.setattr(packet_mod, "MAX_ZIP_TOTAL_SIZE", 12_000)
    with open_packet(save(tmp_path, data)) as p:
        assert [f.path for f in p.files] == ["0.pdf", "1.pdf"]
        (finding,) = p.findings
        assert finding.code == "CJ301" and "3" in finding.message.en


def test_too_many_entries_is_a_packet_error(h, tmp_path, monkeypatch):
    data = h.raw_zip([(b"%d.pdf" % i, b"x") for i in range(30)])
    monkeypatch.setattr(packet_mod, "MAX_ZIP_ENTRIES", 10)
    with pytest.raises(PacketError) as err:
        open_packet(save(tmp_path, data))
    assert "30" in err.value.msg.en


def test_single_top_folder_is_the_root(h, tmp_path):
    pdf = h.pages_pdf(1)
    data = h.raw_zip(
        [
            ("张三-申报材料/changju.yaml".encode("gbk"), "category: youth\n".encode()),
            ("张三-申报材料/劳动合同.pdf".encode("gbk"), pdf),
            ("张三-申报材料/证书/学位证.pdf".encode("gbk"), pdf),
            (b"__MACOSX/._x.pdf", b"junk"),
            ("张三-申报材料/.DS_Store".encode("gbk"), b"junk"),
            ("张三-申报材料/Thumbs.db".encode("gbk"), b"junk"),
        ]
    )
    with open_packet(save(tmp_path, data)) as p:
        assert [f.path for f in p.files] == ["劳动合同.pdf", "证书/学位证.pdf"]
        assert p.manifest_bytes() == b"category: youth\n"
        assert p.display.endswith("!/张三-申报材料")
        assert [f.path for f in p.resolve("证书/*.pdf")[0]] == ["证书/学位证.pdf"]


def test_manifest_read_is_capped(h, tmp_path):
    data = h.raw_zip([(b"changju.yaml", b"#" * 5_000_000), (b"a.pdf", b"%PDF-1.4")])
    with open_packet(save(tmp_path, data)) as p:
        assert len(p.manifest_bytes()) == packet_mod.MANIFEST_CAP


@pytest.mark.parametrize(
    "content",
    [b"", b"PK\x03\x04 not really", os.urandom(2000), b"PK\x05\x06" + b"\0" * 10],
)
def test_corrupt_zip_is_a_packet_error(tmp_path, content):
    with pytest.raises(PacketError) as err:
        open_packet(save(tmp_path, content))
    assert "zip" in err.value.msg.en and err.value.msg.zh


def test_truncated_zip_is_a_packet_error(h, tmp_path):
    data = h.raw_zip([(b"a.pdf", os.urandom(5000))])
    with pytest.raises(PacketError):
        open_packet(save(tmp_path, data[: len(data) // 2]))


def test_members_are_read_into_the_temp_dir_only(h, tmp_path, monkeypatch):
    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    monkeypatch.setattr(packet_mod, "SPOOL_IN_MEMORY", 1024)  # force the temporary file
    home = tmp_path / "home"
    home.mkdir()
    zpath = save(home, h.raw_zip([(b"a.pdf", h.pages_pdf(2) + b"\n%" + b"x" * 5000)]))
    with open_packet(zpath) as p:
        assert inspect_file(p.files[0]).pages == 2
    assert os.listdir(home) == [zpath.name]
    assert os.listdir(spool) == []  # the temporary file is gone too
