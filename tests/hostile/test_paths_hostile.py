"""Hostile paths in a folder packet: links out, loops, unreadable entries, odd names, escaping globs."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest

from changju_check.packet import open_packet

needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="POSIX symlinks")
as_root = hasattr(os, "geteuid") and os.geteuid() == 0


def codes_for(packet, name: str) -> list[str]:
    return [f.code for f in packet.findings if f.file == name]


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A secret next to the packet that must never be listed, stat'ed through a link, or opened."""
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(b"%PDF-1.4 secret")
    return secret


@needs_symlinks
def test_symlink_to_a_file_outside_is_cj305_and_not_listed(packet_dir, outside):
    (packet_dir / "合同.pdf").symlink_to(outside)
    (packet_dir / "abs.pdf").symlink_to(Path("/etc/passwd"))
    with open_packet(packet_dir) as p:
        assert p.files == []
        assert codes_for(p, "合同.pdf") == ["CJ305"]
        assert codes_for(p, "abs.pdf") == ["CJ305"]


@needs_symlinks
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_outside_target_is_never_touched(packet_dir, tmp_path):
    # A FIFO outside: opening it would block forever, and a stat through the link would say "FIFO".
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    (packet_dir / "pipe.pdf").symlink_to(fifo)
    (packet_dir / "deep.pdf").symlink_to(Path("..") / "nowhere" / ".." / "pipe.pdf")
    with open_packet(packet_dir) as p:
        assert p.files == []
        assert codes_for(p, "pipe.pdf") == ["CJ305"]
        assert codes_for(p, "deep.pdf") == ["CJ305"]  # not "missing": 'nowhere' was never looked up


@needs_symlinks
def test_symlink_inside_the_packet_is_listed_once(packet_dir):
    (packet_dir / "scans").mkdir()
    (packet_dir / "scans" / "a.pdf").write_bytes(b"%PDF-1.4")
    (packet_dir / "link.pdf").symlink_to(Path("scans") / "a.pdf")
    (packet_dir / "round.pdf").symlink_to(Path("..") / packet_dir.name / "scans" / "a.pdf")
    (packet_dir / "abs.pdf").symlink_to(packet_dir / "scans" / "a.pdf")
    with open_packet(packet_dir) as p:
        assert [f.path for f in p.files] == ["scans/a.pdf"]
        assert p.findings == []


@needs_symlinks
def test_symlink_to_a_hidden_file_inside_is_listed_under_the_link(packet_dir):
    (packet_dir / ".store").mkdir()
    (packet_dir / ".store" / "x.pdf").write_bytes(b"%PDF-1.4 x")
    (packet_dir / "x.pdf").symlink_to(Path(".store") / "x.pdf")
    with open_packet(packet_dir) as p:
        assert [f.path for f in p.files] == ["x.pdf"]
        with p.files[0].open() as fh:
            assert fh.read() == b"%PDF-1.4 x"


@needs_symlinks
def test_symlink_loops_are_findings_not_hangs(packet_dir):
    (packet_dir / "a.pdf").symlink_to("b.pdf")
    (packet_dir / "b.pdf").symlink_to("a.pdf")
    (packet_dir / "self.pdf").symlink_to("self.pdf")
    (packet_dir / "d").mkdir()
    (packet_dir / "d" / "up").symlink_to("..")  # a folder loop back to the root
    (packet_dir / "d" / "x.pdf").write_bytes(b"%PDF-1.4")
    with open_packet(packet_dir) as p:
        assert [f.path for f in p.files] == ["d/x.pdf"]
        for name in ("a.pdf", "b.pdf", "self.pdf"):
            assert codes_for(p, name) == ["CJ301"]
        assert codes_for(p, "d/up") == []  # inside the packet: simply not followed


@needs_symlinks
def test_folder_symlink_to_the_parent_is_not_followed(packet_dir, outside):
    (packet_dir / "up").symlink_to("..")
    (packet_dir / "parent").symlink_to(packet_dir.parent)
    (packet_dir / "a.pdf").write_bytes(b"%PDF-1.4")
    with open_packet(packet_dir) as p:
        assert [f.path for f in p.files] == ["a.pdf"]
        assert codes_for(p, "up") == ["CJ305"]
        assert codes_for(p, "parent") == ["CJ305"]
        assert not any("secret" in f.path for f in p.files)


@needs_symlinks
def test_dangling_symlink_is_a_finding(packet_dir):
    (packet_dir / "gone.pdf").symlink_to("nothing-here.pdf")
    with open_packet(packet_dir) as p:
        assert codes_for(p, "gone.pdf") == ["CJ301"]


@needs_symlinks
def test_manifest_symlinked_out_is_not_read(packet_dir, tmp_path):
    (tmp_path / "elsewhere.yaml").write_text("category: x\n")
    (packet_dir / "changju.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    with open_packet(packet_dir) as p:
        assert p.manifest_bytes() is None
        assert codes_for(p, "changju.yaml") == ["CJ305"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_fifo_inside_is_not_opened(packet_dir):
    os.mkfifo(packet_dir / "pipe.pdf")
    with open_packet(packet_dir) as p:
        assert p.files == []
        assert codes_for(p, "pipe.pdf") == ["CJ304"]


@pytest.mark.skipif(as_root, reason="root reads files whatever their permissions")
def test_unreadable_file_is_a_finding_and_the_walk_goes_on(packet_dir):
    locked = packet_dir / "locked.pdf"
    locked.write_bytes(b"%PDF-1.4")
    (packet_dir / "ok.pdf").write_bytes(b"%PDF-1.4")
    locked.chmod(0)
    try:
        with open_packet(packet_dir) as p:
            assert [f.path for f in p.files] == ["ok.pdf"]
            assert codes_for(p, "locked.pdf") == ["CJ301"]
    finally:
        locked.chmod(0o644)


@pytest.mark.skipif(as_root, reason="root reads folders whatever their permissions")
def test_unreadable_folder_is_a_finding_and_the_walk_goes_on(packet_dir):
    (packet_dir / "closed").mkdir()
    (packet_dir / "closed" / "a.pdf").write_bytes(b"%PDF-1.4")
    (packet_dir / "ok.pdf").write_bytes(b"%PDF-1.4")
    (packet_dir / "closed").chmod(0)
    try:
        with open_packet(packet_dir) as p:
            assert [f.path for f in p.files] == ["ok.pdf"]
            assert codes_for(p, "closed") == ["CJ301"]
    finally:
        (packet_dir / "closed").chmod(0o755)


def test_nfd_names_are_normalised_and_noted(packet_dir):
    nfc = "学历学位认证书.pdf"
    nfd = unicodedata.normalize("NFD", "é-认证.pdf")
    assert nfd != unicodedata.normalize("NFC", nfd)
    (packet_dir / nfc).write_bytes(b"%PDF-1.4")
    (packet_dir / nfd).write_bytes(b"%PDF-1.4")
    with open_packet(packet_dir) as p:
        paths = [f.path for f in p.files]
        assert unicodedata.normalize("NFC", nfd) in paths
        assert nfc in paths
        (odd,) = [f for f in p.files if f.raw_name == nfd]
        assert odd.path == unicodedata.normalize("NFC", nfd)
        assert codes_for(p, odd.path) == ["CJ307"]
        assert codes_for(p, nfc) == []
        assert p.resolve(nfd)[0] == [odd]  # manifest paths match in NFC too


def test_spaces_and_full_width_characters_are_noted_but_listed(packet_dir):
    for name in ("审计 报告 2021.pdf", "审计报告（２０２１）.pdf", "全角空格\u3000.pdf"):
        (packet_dir / name).write_bytes(b"%PDF-1.4")
    with open_packet(packet_dir) as p:
        assert len(p.files) == 3
        notes = {f.file: f for f in p.findings}
        assert {f.code for f in notes.values()} == {"CJ307"}
        assert "spaces" in notes["审计 报告 2021.pdf"].message.en
        assert "full-width" in notes["审计报告（２０２１）.pdf"].message.en
        assert all(f.severity == "info" for f in notes.values())


def test_control_characters_cannot_reach_the_report(packet_dir):
    (packet_dir / "evil\x1b[31m.pdf").write_bytes(b"%PDF-1.4")
    with open_packet(packet_dir) as p:
        (pf,) = p.files
        assert "\x1b" not in pf.path
        assert all("\x1b" not in f.message.zh + f.message.en + (f.file or "") for f in p.findings)
        assert codes_for(p, pf.path) == ["CJ307"]
        with pf.open() as fh:
            assert fh.read() == b"%PDF-1.4"


def test_folder_with_odd_name_is_noted_once(packet_dir):
    (packet_dir / "扫描 件").mkdir()
    for name in ("a.pdf", "b.pdf"):
        (packet_dir / "扫描 件" / name).write_bytes(b"%PDF-1.4")
    with open_packet(packet_dir) as p:
        assert [f.file for f in p.findings] == ["扫描 件"]


def test_gbk_bytes_in_a_folder_name_are_decoded(packet_dir):
    raw = "审计报告.pdf".encode("gbk")  # a name copied from a Chinese Windows disk without conversion
    path = os.path.join(os.fsencode(packet_dir), raw)
    with open(path, "wb") as fh:
        fh.write(b"%PDF-1.4")
    with open_packet(packet_dir) as p:
        (pf,) = p.files
        assert pf.path == "审计报告.pdf"
        with pf.open() as fh:
            assert fh.read() == b"%PDF-1.4"


@pytest.mark.parametrize(
    "pattern",
    ["../x", "../packet/a.pdf", "/etc/passwd", "C:\\x", "c:/x", "a\\..\\..\\x", "scans/../../x", "\\\\server\\share\\x"],
)
def test_resolve_refuses_paths_out_of_the_packet(packet_dir, pattern):
    (packet_dir / "a.pdf").write_bytes(b"%PDF-1.4")
    with open_packet(packet_dir) as p:
        files, finding = p.resolve(pattern)
        assert files == []
        assert finding is not None and finding.code == "CJ305"
        assert finding.severity == "error"


def test_resolve_never_touches_the_disk(packet_dir, monkeypatch):
    (packet_dir / "scans").mkdir()
    (packet_dir / "scans" / "a.pdf").write_bytes(b"%PDF-1.4")
    with open_packet(packet_dir) as p:

        def forbidden(*a, **k):
            raise AssertionError("resolve() touched the file system")

        for name in ("stat", "lstat", "open", "scandir", "listdir"):
            monkeypatch.setattr(os, name, forbidden)
        assert [f.path for f in p.resolve("scans/*.pdf")[0]] == ["scans/a.pdf"]
        assert p.resolve("../../etc/passwd")[0] == []


def test_permission_errors_simulated_for_root(packet_dir, monkeypatch):
    """The same two cases for a root test run, with the permission errors injected."""
    (packet_dir / "closed").mkdir()
    (packet_dir / "closed" / "a.pdf").write_bytes(b"%PDF-1.4")
    (packet_dir / "locked.pdf").write_bytes(b"%PDF-1.4")
    (packet_dir / "ok.pdf").write_bytes(b"%PDF-1.4")
    real_scandir, real_access = os.scandir, os.access

    def scandir(path):
        if os.fspath(path).endswith("closed"):
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    def access(path, mode, **kw):
        return False if os.fspath(path).endswith("locked.pdf") else real_access(path, mode, **kw)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "access", access)
    with open_packet(packet_dir) as p:
        assert [f.path for f in p.files] == ["ok.pdf"]
        assert codes_for(p, "closed") == ["CJ301"]
        assert codes_for(p, "locked.pdf") == ["CJ301"]
        assert "permission" in " ".join(f.message.en for f in p.findings)


@needs_symlinks
def test_nothing_outside_is_even_stat_ed(packet_dir, outside, monkeypatch):
    """Every path the walk looks at is inside the packet (or an ancestor of it, resolving the root)."""
    (packet_dir / "sub").mkdir()
    (packet_dir / "sub" / "a.pdf").write_bytes(b"%PDF-1.4")
    (packet_dir / "out.pdf").symlink_to(outside)
    (packet_dir / "sub" / "up.pdf").symlink_to(Path("..") / ".." / outside.name)
    (packet_dir / "parent").symlink_to("..")
    (packet_dir / "etc").symlink_to("/etc/passwd")
    (packet_dir / "in.pdf").symlink_to(Path("sub") / "a.pdf")
    seen: list[str] = []
    for name in ("stat", "lstat", "open", "scandir", "readlink", "access"):
        real = getattr(os, name)

        def spy(path, *a, _real=real, **k):
            seen.append(os.fsdecode(os.fspath(path)) if not isinstance(path, int) else "<fd>")
            return _real(path, *a, **k)

        monkeypatch.setattr(os, name, spy)
    with open_packet(packet_dir) as p:
        assert [f.path for f in p.files] == ["sub/a.pdf"]
        for pf in p.files:
            pf.open().close()
    monkeypatch.undo()
    from changju_check.report.paths import short_path

    seen = [short_path(s) for s in seen]  # on Windows the walk names the files with the \\?\ prefix
    root = os.path.realpath(packet_dir)
    inside = [s for s in seen if s == root or s.startswith(root + os.sep)]
    ancestors = [s for s in seen if root.startswith(s.rstrip(os.sep) + os.sep) or s in ("/", "<fd>")]
    assert sorted(inside + ancestors) == sorted(seen), sorted(set(seen) - set(inside) - set(ancestors))
    assert str(outside) not in seen and "/etc/passwd" not in seen
