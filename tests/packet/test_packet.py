"""Discovery of a packet, the ordinary cases: what is listed, what is left out, how paths match."""

from __future__ import annotations

import io
import pickle
import unicodedata
import zipfile
from pathlib import Path

import pytest

from changju_check.packet import Packet, PacketError, PacketFile, open_packet
from changju_check.packet.model import MANIFEST_CAP

TREE = {
    "changju.yaml": b"category: youth\n",
    "01-申报书.pdf": b"%PDF-1.4 form",
    "审计报告/2020年度审计报告.pdf": b"%PDF-1.4 2020",
    "审计报告/2021年度审计报告.pdf": b"%PDF-1.4 2021",
    "审计报告/附件/2022年度审计报告.pdf": b"%PDF-1.4 2022",
    "scans/a.pdf": b"%PDF-1.4 a",
    "scans/b.jpg": b"\xff\xd8\xff b",
    "scans/B2.PDF": b"%PDF-1.4 B2",
}
JUNK = {
    ".DS_Store": b"junk",
    "scans/._a.pdf": b"junk",
    "scans/Thumbs.db": b"junk",
    "Desktop.ini": b"junk",
    "__MACOSX/scans/._a.pdf": b"junk",
    ".git/config": b"junk",
    "changju.yml": b"category: other\n",
}
LISTED = sorted(k for k in TREE if k != "changju.yaml")


def make_dir(root: Path, files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def make_zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for rel, data in files.items():
            zf.writestr(rel, data)
    return path


@pytest.fixture(params=["dir", "zip"])
def packet(request, tmp_path) -> Packet:
    files = {**TREE, **JUNK}
    if request.param == "dir":
        path = make_dir(tmp_path / "packet", files)
    else:
        path = make_zip(tmp_path / "packet.zip", files)
    with open_packet(path) as p:
        yield p


def test_files_are_listed_sorted_without_manifest_and_junk(packet):
    assert [f.path for f in packet.files] == LISTED
    assert packet.findings == []
    assert {f.path: f.size for f in packet.files} == {k: len(TREE[k]) for k in LISTED}


def test_files_open_as_seekable_binary_streams(packet):
    for pf in packet.files:
        with pf.open() as fh:
            assert fh.read() == TREE[pf.path]
            fh.seek(0)
            assert fh.read(4) == TREE[pf.path][:4]


def test_manifest_bytes(packet):
    assert packet.manifest_bytes() == b"category: youth\n"
    assert packet.manifest_bytes("changju.yml") == b"category: other\n"
    assert packet.manifest_bytes("other.yaml") is None


def test_kind_and_root(packet, tmp_path):
    from changju_check.report.paths import short_path

    # on Windows the root is an extended-length path (\\?\C:\...), absolute; shown without the prefix
    assert Path(short_path(str(packet.root))).is_absolute()
    assert packet.kind == ("zip" if packet.root.suffix == ".zip" else "dir")
    assert str(tmp_path) in packet.display


@pytest.mark.parametrize(
    "pattern, expected",
    [
        ("01-申报书.pdf", ["01-申报书.pdf"]),
        ("./01-申报书.pdf", ["01-申报书.pdf"]),
        ("scans/*.pdf", ["scans/a.pdf"]),
        ("scans/*", ["scans/B2.PDF", "scans/a.pdf", "scans/b.jpg"]),
        ("scans/?.*", ["scans/a.pdf", "scans/b.jpg"]),
        ("scans/[ab].pdf", ["scans/a.pdf"]),
        ("scans/[!a].jpg", ["scans/b.jpg"]),
        ("**/2021*.pdf", ["审计报告/2021年度审计报告.pdf"]),
        ("**/*审计报告.pdf", ["审计报告/2020年度审计报告.pdf", "审计报告/2021年度审计报告.pdf", "审计报告/附件/2022年度审计报告.pdf"]),
        ("审计报告/*.pdf", ["审计报告/2020年度审计报告.pdf", "审计报告/2021年度审计报告.pdf"]),
        ("审计报告", ["审计报告/2020年度审计报告.pdf", "审计报告/2021年度审计报告.pdf", "审计报告/附件/2022年度审计报告.pdf"]),
        ("审计报告/", ["审计报告/2020年度审计报告.pdf", "审计报告/2021年度审计报告.pdf", "审计报告/附件/2022年度审计报告.pdf"]),
        ("scans\\a.pdf", ["scans/a.pdf"]),  # written on Windows
        ("SCANS/A.PDF", ["scans/a.pdf"]),  # no exact match: case-insensitive
        ("scans/b2.pdf", ["scans/B2.PDF"]),
        ("scans/*.PDF", ["scans/B2.PDF"]),  # the exact case wins when it matches
        ("nothing.pdf", []),
        ("scans/*.docx", []),
        (unicodedata.normalize("NFD", "审计报告/2020年度审计报告.pdf"), ["审计报告/2020年度审计报告.pdf"]),
    ],
)
def test_resolve(packet, pattern, expected):
    files, finding = packet.resolve(pattern)
    assert finding is None
    assert [f.path for f in files] == expected


def test_resolve_does_not_reach_excluded_files(packet):
    assert packet.resolve("changju.yaml") == ([], None)
    assert packet.resolve("**/.DS_Store") == ([], None)


def test_zip_and_folder_list_the_same(tmp_path):
    files = {**TREE, **JUNK}
    with open_packet(make_dir(tmp_path / "d", files)) as d, open_packet(make_zip(tmp_path / "z.zip", files)) as z:
        assert [(f.path, f.size) for f in d.files] == [(f.path, f.size) for f in z.files]


def test_zip_members_survive_pickling_for_worker_processes(tmp_path):
    path = make_zip(tmp_path / "p.zip", {"a.pdf": b"%PDF-1.4 a", "b.pdf": b"%PDF-1.4 b"})
    with open_packet(path) as p:
        copies = pickle.loads(pickle.dumps(p.files))
    for pf in copies:  # the packet is closed; a copy opens the zip again by itself
        with pf.open() as fh:
            assert fh.read() == {"a.pdf": b"%PDF-1.4 a", "b.pdf": b"%PDF-1.4 b"}[pf.path]


def test_folder_members_survive_pickling(tmp_path):
    with open_packet(make_dir(tmp_path / "d", {"a.pdf": b"%PDF-1.4 a"})) as p:
        (pf,) = pickle.loads(pickle.dumps(p.files))
    with pf.open() as fh:
        assert fh.read() == b"%PDF-1.4 a"


def test_from_bytes():
    pf = PacketFile.from_bytes("x/合同.pdf", b"%PDF-1.4")
    assert (pf.path, pf.raw_name, pf.size) == ("x/合同.pdf", "x/合同.pdf", 8)
    assert pf.open().read() == b"%PDF-1.4"
    assert pf == PacketFile(path="x/合同.pdf", raw_name="x/合同.pdf", size=8)  # the source does not compare


def test_manifest_is_read_with_a_cap(tmp_path):
    root = make_dir(tmp_path / "d", {"changju.yaml": b"#" * (MANIFEST_CAP + 5000)})
    with open_packet(root) as p:
        assert len(p.manifest_bytes()) == MANIFEST_CAP
        assert p.files == []


def test_no_manifest(tmp_path):
    with open_packet(make_dir(tmp_path / "d", {"a.pdf": b"x"})) as p:
        assert p.manifest_bytes() is None


def test_manifest_in_a_subfolder_is_an_ordinary_file(tmp_path):
    with open_packet(make_dir(tmp_path / "d", {"sub/changju.yaml": b"x", "a.pdf": b"x"})) as p:
        assert [f.path for f in p.files] == ["a.pdf", "sub/changju.yaml"]
        assert p.manifest_bytes() is None


def test_two_names_equal_after_nfc_are_listed_once(tmp_path):
    root = tmp_path / "d"
    root.mkdir()
    (root / unicodedata.normalize("NFC", "é.pdf")).write_bytes(b"nfc")
    (root / unicodedata.normalize("NFD", "é.pdf")).write_bytes(b"nfd")
    with open_packet(root) as p:
        assert [f.path for f in p.files] == ["é.pdf"]
        assert {f.code for f in p.findings} == {"CJ307"}
        assert any("same name" in f.message.en for f in p.findings)


def test_empty_folder_and_empty_zip(tmp_path):
    (tmp_path / "d").mkdir()
    with open_packet(tmp_path / "d") as p:
        assert (p.files, p.findings) == ([], [])
    with open_packet(make_zip(tmp_path / "z.zip", {})) as p:
        assert (p.files, p.findings) == ([], [])


def test_missing_path_is_a_packet_error(tmp_path):
    with pytest.raises(PacketError) as err:
        open_packet(tmp_path / "nope")
    assert "nope" in err.value.msg.zh and "No such" in err.value.msg.en


def test_a_plain_file_is_not_a_packet(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(PacketError) as err:
        open_packet(tmp_path / "a.pdf")
    assert "neither a folder nor a .zip" in err.value.msg.en


def test_a_docx_is_not_taken_for_a_zip_packet(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<w/>")
    (tmp_path / "a.docx").write_bytes(buf.getvalue())
    with pytest.raises(PacketError):
        open_packet(tmp_path / "a.docx")


def test_zip_suffix_is_case_insensitive(tmp_path):
    with open_packet(make_zip(tmp_path / "P.ZIP", {"a.pdf": b"x"})) as p:
        assert p.kind == "zip"


def test_the_packet_is_never_written(tmp_path):
    files = {**TREE, **JUNK}
    root = make_dir(tmp_path / "d", files)
    before = sorted((p, p.stat().st_mtime_ns) for p in root.rglob("*"))
    with open_packet(root) as p:
        for pf in p.files:
            pf.open().close()
        p.manifest_bytes()
    assert sorted((p, p.stat().st_mtime_ns) for p in root.rglob("*")) == before


def test_usual_chinese_punctuation_in_names_is_not_noted(tmp_path):
    from changju_check.packet import open_packet

    (tmp_path / "学历学位认证书（留服）.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (tmp_path / "护照ＡＢＣ.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    with open_packet(tmp_path) as packet:
        noted = [f.file for f in packet.findings if f.code == "CJ307"]
    assert noted == ["护照ＡＢＣ.pdf"]
