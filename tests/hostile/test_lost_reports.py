"""Never a traceback, never a lost report: a damaged manifest entry in a zip, a batch with one
broken packet, a manifest that is a FIFO or unreadable, a worker that fails."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.hostile import bounds_inputs as bi
from tests.packets import YOUTH_MANIFEST, youth_packet


def _zip_of(folder: Path, dest: Path, *, broken: str | None = None) -> Path:
    entries = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            entries[path.relative_to(folder).as_posix()] = path.read_bytes()
    dest.write_bytes(bi.bad_crc_zip(entries, broken) if broken else bi.bad_crc_zip(entries, "\0none"))
    return dest


def test_a_zip_whose_manifest_entry_has_a_bad_crc_says_cannot_read_the_manifest(tmp_path):
    good = youth_packet(tmp_path / "src")
    bad = _zip_of(good, tmp_path / "bad.zip", broken="changju.yaml")
    before = bi.snapshot(tmp_path / "src") | {"zip": bad.read_bytes()}
    run = bi.run_cli(["check", str(bad), "--format", "json"], tmp_path)
    run.assert_clean()
    assert run.code == 2
    fatal = run.json()["fatal"]
    assert fatal["code"] == "CJ401" and "Cannot read the manifest changju.yaml" in fatal["message"]
    assert "CRC" in fatal["message"]
    assert bi.snapshot(tmp_path / "src") | {"zip": bad.read_bytes()} == before


def test_good_packet_beside_a_broken_zip_keeps_its_report(tmp_path):
    """`check good/ bad.zip`: each packet gets its own report, in order; the worst exit code."""
    good = youth_packet(tmp_path / "good")
    bad = _zip_of(youth_packet(tmp_path / "src"), tmp_path / "bad.zip", broken="changju.yaml")
    run = bi.run_cli(["check", str(good), str(bad), "--format", "json", "--jobs", "2"], tmp_path)
    run.assert_clean()
    assert run.code == 2
    packets = run.json()["packets"]
    assert [p["packet"] for p in packets] == [str(good), str(bad)]
    assert "fatal" not in packets[0] or packets[0]["fatal"] is None
    assert packets[0]["summary"]["errors"] == 0
    assert packets[1]["fatal"]["code"] == "CJ401"


def test_a_packet_whose_check_raises_costs_only_its_own_report(tmp_path, monkeypatch):
    """A check that raises in a worker (any bug) becomes that packet's CJ400; the pool survives."""
    from changju_check.engine import batch
    from changju_check.engine.run import CheckOptions

    good = youth_packet(tmp_path / "good")
    boom = tmp_path / "boom"

    def flaky(path, options):
        if Path(path).name == "boom":
            raise RuntimeError("a bug in a check")
        return real(path, options)

    real = batch.check_packet
    monkeypatch.setattr(batch, "check_packet", flaky)
    reports = batch.check_many([good, boom, good], CheckOptions(), jobs=1)
    assert [r.fatal.code if r.fatal else None for r in reports] == [None, "CJ400", None]
    assert "a bug in a check" in reports[1].fatal.message.en


@pytest.mark.skipif(__import__("multiprocessing").get_start_method() != "fork", reason="the patch reaches workers by fork")
def test_a_worker_that_dies_breaks_only_its_own_packet(tmp_path, monkeypatch):
    """A packet that ends its worker process (as the kernel's OOM killer would) breaks the pool:
    it gets an error report, and the packets the broken pool still held are checked again."""
    from changju_check.engine import batch
    from changju_check.engine.run import CheckOptions

    good = youth_packet(tmp_path / "good")
    boom = tmp_path / "boom"
    real = batch.check_packet

    def deadly(path, options):
        if Path(path).name == "boom":
            os._exit(9)
        return real(path, options)

    monkeypatch.setattr(batch, "check_packet", deadly)
    reports = batch.check_many([good, boom, good, good], CheckOptions(), jobs=2)
    assert [r.fatal.code if r.fatal else None for r in reports] == [None, "CJ400", None, None]
    assert "stopped" in reports[1].fatal.message.en
    assert [r.exit_code for r in reports] == [0, 2, 0, 0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs: Windows has no named pipe in a folder")
def test_manifest_option_pointing_at_a_fifo_does_not_hang(tmp_path):
    good = youth_packet(tmp_path / "good")
    fifo = tmp_path / "changju.yaml"
    os.mkfifo(fifo)
    run = bi.run_cli(["check", str(good), "--manifest", str(fifo), "--format", "json"], tmp_path, timeout=30)
    run.assert_clean()
    assert run.code == 2
    fatal = run.json()["fatal"]
    assert fatal["code"] == "CJ401" and "cannot read the manifest" in fatal["message"]
    assert "not a regular file" in fatal["message"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs: Windows has no named pipe in a folder")
def test_a_fifo_named_changju_yaml_in_the_packet_is_an_unreadable_manifest_not_a_missing_category(tmp_path):
    root = youth_packet(tmp_path / "p")
    (root / "changju.yaml").unlink()
    os.mkfifo(root / "changju.yaml")
    before = bi.snapshot(root)
    run = bi.run_cli(["check", str(root), "--format", "json"], tmp_path, timeout=30)
    run.assert_clean()
    assert run.code == 2
    fatal = run.json()["fatal"]
    assert fatal["code"] == "CJ401" and "Cannot read the manifest changju.yaml" in fatal["message"]
    assert bi.snapshot(root) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_changju_yaml_says_cannot_read_the_manifest(tmp_path):
    root = youth_packet(tmp_path / "p")
    (root / "changju.yaml").chmod(0)
    try:
        run = bi.run_cli(["check", str(root), "--format", "json"], tmp_path)
    finally:
        (root / "changju.yaml").chmod(stat.S_IRUSR | stat.S_IWUSR)
    run.assert_clean()
    assert run.code == 2 and "Cannot read the manifest" in run.json()["fatal"]["message"]


def test_an_unreadable_manifest_source_is_reported_as_unreadable(tmp_path, monkeypatch):
    """The same path as above without relying on permissions (the tests may run as root):
    the folder walk's access check fails for changju.yaml."""
    from changju_check.engine.run import CheckOptions, check_packet
    from changju_check.packet import folder

    root = youth_packet(tmp_path / "p")
    real_access = os.access
    monkeypatch.setattr(folder.os, "access", lambda p, m: not str(p).endswith("changju.yaml") and real_access(p, m))
    report = check_packet(root, CheckOptions())
    assert report.fatal is not None and report.fatal.code == "CJ401"
    assert "Cannot read the manifest changju.yaml" in report.fatal.message.en
    assert "没有读取权限" in report.fatal.message.zh


def test_a_regular_manifest_still_reads(tmp_path):
    root = youth_packet(tmp_path / "p")
    manifest = tmp_path / "other.yaml"
    manifest.write_text(YOUTH_MANIFEST, encoding="utf-8")
    run = bi.run_cli(["check", str(root), "--manifest", str(manifest), "--format", "json"], tmp_path)
    run.assert_clean()
    assert run.code == 0, run.out[-2000:]
