"""Every write (init, bundle, --output) goes through one exclusive temporary file beside its
destination, never through a link, leaves nothing behind on any failure (a full disk too), and
nothing is ever written into the packet being checked."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from changju_check.cli import app
from tests.hostile.fulldisk import full_disk
from tests.hostile.test_nothing_written import snapshot
from tests.packets import youth_packet

runner = CliRunner()


def invoke(args, **kwargs):
    result = runner.invoke(app, args, **kwargs)
    assert "Traceback" not in result.output, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    return result


def leftovers(folder: Path) -> list[str]:
    """Our temporary files and spool folders (`.changju-*`), and any `*.tmp`."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".changju-") or p.name.endswith(".tmp"))


@pytest.fixture
def victim(tmp_path) -> Path:
    """A file outside every folder changju is told about, which a planted link points at."""
    path = tmp_path / "elsewhere" / "victim.txt"
    path.parent.mkdir()
    path.write_text("not yours to write", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- links at write time


def test_init_never_writes_through_a_link_planted_as_its_old_temporary_name(tmp_path, victim):
    folder = tmp_path / "packet"
    folder.mkdir()
    (folder / ".changju.yaml.tmp").symlink_to(victim)
    result = invoke(["init", str(folder), "-c", "youth"])
    assert result.exit_code == 0, result.output
    assert victim.read_text(encoding="utf-8") == "not yours to write"
    manifest = folder / "changju.yaml"
    assert manifest.is_file() and not manifest.is_symlink()
    assert "category: youth" in manifest.read_text(encoding="utf-8")
    assert leftovers(folder) == [".changju.yaml.tmp"]  # the planted link, untouched


def test_init_force_over_a_linked_manifest_replaces_the_link_not_its_target(tmp_path, victim):
    folder = tmp_path / "packet"
    folder.mkdir()
    (folder / "changju.yaml").symlink_to(victim)
    result = invoke(["init", str(folder), "-c", "youth", "--force"])
    assert result.exit_code == 0, result.output
    assert victim.read_text(encoding="utf-8") == "not yours to write"
    assert not (folder / "changju.yaml").is_symlink()
    assert leftovers(folder) == []


def test_check_output_that_is_a_link_replaces_the_link_not_its_target(tmp_path, victim):
    root = youth_packet(tmp_path / "packet")
    out_dir = tmp_path / "reports"
    out_dir.mkdir()
    (out_dir / "r.json").symlink_to(victim)
    result = invoke(["check", str(root), "--format", "json", "--output", str(out_dir / "r.json")])
    assert result.exit_code == 0, result.output
    assert victim.read_text(encoding="utf-8") == "not yours to write"
    assert json.loads((out_dir / "r.json").read_text(encoding="utf-8"))["ok"] is True
    assert leftovers(out_dir) == []


# --------------------------------------------------------------------------- a full disk


def test_init_on_a_full_disk_exits_2_and_leaves_nothing(tmp_path, monkeypatch):
    folder = tmp_path / "packet"
    folder.mkdir()
    full_disk(monkeypatch)
    result = invoke(["init", str(folder), "-c", "youth"])
    assert result.exit_code == 2
    assert "No space left on device" in result.output or "空间" in result.output
    assert sorted(p.name for p in folder.iterdir()) == []


def test_check_output_on_a_full_disk_exits_2_and_keeps_the_previous_report(tmp_path, monkeypatch):
    root = youth_packet(tmp_path / "packet")
    out_dir = tmp_path / "reports"
    out_dir.mkdir()
    (out_dir / "r.sarif").write_text("previous report", encoding="utf-8")
    full_disk(monkeypatch)
    result = invoke(["check", str(root), "--format", "sarif", "--output", str(out_dir / "r.sarif"), "--lang", "en"])
    assert result.exit_code == 2
    assert "No space left on device" in result.output
    assert (out_dir / "r.sarif").read_text(encoding="utf-8") == "previous report"
    assert leftovers(out_dir) == []


def test_bundle_on_a_full_disk_exits_1_and_leaves_nothing(tmp_path, monkeypatch):
    root = youth_packet(tmp_path / "packet", add={"申报书.pdf": 2})
    before = snapshot(root)
    out_dir = tmp_path / "books"
    out_dir.mkdir()
    full_disk(monkeypatch, room=2000)
    result = invoke(["bundle", str(root), "-o", str(out_dir / "book.pdf"), "--lang", "en"])
    assert result.exit_code == 1
    assert "No space left on device" in result.output
    assert list(out_dir.iterdir()) == []
    assert snapshot(root) == before


# --------------------------------------------------------------------------- nothing into the packet


@pytest.mark.parametrize("target", ["申报书.pdf", "2-申报人材料/劳动合同.pdf", "新报告.json", "2-申报人材料/r.json"])
def test_check_output_inside_the_packet_is_refused(tmp_path, target):
    root = youth_packet(tmp_path / "packet", add={"申报书.pdf": 2})
    before = snapshot(root)
    result = invoke(["check", str(root), "--format", "json", "-o", str(root / target), "--lang", "en"])
    assert result.exit_code == 2
    assert "inside the packet" in result.output
    assert snapshot(root) == before


def test_check_output_onto_a_zip_packet_or_into_a_batch_packet_is_refused(tmp_path):
    root = youth_packet(tmp_path / "batch" / "a")
    zpath = tmp_path / "b.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(root).as_posix())
    zip_bytes = zpath.read_bytes()
    before = snapshot(tmp_path / "batch")
    for args in (
        ["check", str(zpath), "-o", str(zpath)],
        ["check", str(root), str(zpath), "-o", str(root / "r.txt")],
        ["check", "--batch", str(tmp_path / "batch"), "-o", str(root / "r.txt")],
    ):
        result = invoke(args + ["--lang", "en"])
        assert result.exit_code == 2, (args, result.output)
        assert "inside the packet" in result.output
    assert zpath.read_bytes() == zip_bytes
    assert snapshot(tmp_path / "batch") == before


def test_check_output_onto_the_manifest_given_with_manifest_is_refused(tmp_path):
    root = youth_packet(tmp_path / "packet")
    manifest = tmp_path / "elsewhere.yaml"
    manifest.write_bytes((root / "changju.yaml").read_bytes())
    result = invoke(["check", str(root), "--manifest", str(manifest), "-o", str(manifest), "--lang", "en"])
    assert result.exit_code == 2
    assert manifest.read_bytes() == (root / "changju.yaml").read_bytes()


def test_check_output_beside_the_packet_is_written(tmp_path):
    root = youth_packet(tmp_path / "packet")
    result = invoke(["check", str(root), "-o", str(tmp_path / "packet-report.txt")])
    assert result.exit_code == 0
    assert (tmp_path / "packet-report.txt").read_text(encoding="utf-8").strip()


@pytest.mark.parametrize("variable, below", [("CHANGJU_CACHE_DIR", ".cache"), ("XDG_CACHE_HOME", "xdg")])
def test_a_cache_folder_inside_the_packet_is_not_used(tmp_path, monkeypatch, variable, below):
    root = youth_packet(tmp_path / "packet")
    before = snapshot(root)
    monkeypatch.delenv("CHANGJU_NO_RULE_CACHE", raising=False)
    monkeypatch.delenv("CHANGJU_CACHE_DIR", raising=False)
    monkeypatch.setenv(variable, str(root / below))
    from changju_check.rulebook import load

    load._cached.cache_clear()  # load afresh, so that a cache would be written
    result = invoke(["check", str(root), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "cache" in result.output and "inside the packet" in result.output  # the note
    assert snapshot(root) == before
    # the next check is just as clean (no cache file of ours became a packet file)
    assert invoke(["check", str(root)]).exit_code == 0
    assert snapshot(root) == before


def test_a_cache_folder_outside_the_packet_is_used_without_a_note(tmp_path, monkeypatch):
    root = youth_packet(tmp_path / "packet")
    monkeypatch.delenv("CHANGJU_NO_RULE_CACHE", raising=False)
    monkeypatch.setenv("CHANGJU_CACHE_DIR", str(tmp_path / "cache"))
    from changju_check.rulebook import load

    load._cached.cache_clear()
    result = invoke(["check", str(root), "--lang", "en"])
    assert result.exit_code == 0
    assert "inside the packet" not in result.output
    assert list((tmp_path / "cache" / "rules").glob("ruleset-*.json"))
