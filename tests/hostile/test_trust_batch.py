"""A batch drops nothing silently: a packet folder that is a link to a folder outside the root
(CJ305) and a packet nested deeper than the depth limit (CJ301) are each named with the reason
they were not checked, and count as not ready — the batch cannot exit 0 over them."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from changju_check.cli import app
from changju_check.packet.discover import MAX_DEPTH, find_packets
from tests.packets import youth_packet

runner = CliRunner()
ENV = {"CHANGJU_LANG": "en", "COLUMNS": "160"}
FORM = {"申报书.pdf": 2}

needs_links = pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")


def _snapshot(root):
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and not p.is_symlink()}


def _batch_with_a_link_out(tmp_path):
    root = tmp_path / "客户材料"
    youth_packet(root / "张三", add=FORM)  # a complete packet
    outside = youth_packet(tmp_path / "elsewhere" / "李四", drop=("2-申报人材料/身份证.pdf",))  # a failing one
    try:
        os.symlink(outside, root / "李四", target_is_directory=True)
    except (OSError, NotImplementedError):
        pytest.skip("this system cannot make a symbolic link")
    return root, outside


@needs_links
def test_a_packet_folder_linked_outside_the_root_is_named_with_cj305(tmp_path):
    root, outside = _batch_with_a_link_out(tmp_path)
    before = _snapshot(outside)
    result = runner.invoke(app, ["check", "--batch", str(root), "--format", "json", "--jobs", "1"], env=ENV)
    assert result.exit_code != 0, result.output
    doc = json.loads(result.stdout)
    by_name = {os.path.basename(p["packet"]): p for p in doc["packets"]}
    assert set(by_name) == {"张三", "李四"}
    linked = by_name["李四"]
    assert linked["fatal"]["code"] == "CJ305" and linked["ok"] is False and linked["ready_to_bind"] is False
    assert "outside" in linked["fatal"]["message"]
    assert linked["materials"] == []  # not read: nothing outside the root is opened
    assert _snapshot(outside) == before


@needs_links
@pytest.mark.parametrize("fmt", ["text", "csv", "json", "markdown"])
def test_the_summary_counts_the_link_as_not_ready(tmp_path, fmt):
    root, _ = _batch_with_a_link_out(tmp_path)
    result = runner.invoke(app, ["check", "--batch", str(root), "--summary", "--format", fmt, "--jobs", "1"], env=ENV)
    assert result.exit_code == 2
    row = next(line for line in result.stdout.splitlines() if "李四" in line)
    if fmt in ("text", "markdown"):
        assert "unusable" in row and "yes" not in row
    if fmt == "json":
        rows = {os.path.basename(r["packet"]): r for r in json.loads(result.stdout)["rows"]}
        assert rows["李四"]["ready_to_bind"] is False and rows["李四"]["verdict"] == "unusable"


@needs_links
def test_a_link_within_the_root_is_checked_where_it_points(tmp_path):
    root = tmp_path / "batch"
    youth_packet(root / "张三", add=FORM)
    (root / "shortcuts").mkdir()
    os.symlink(root / "张三", root / "shortcuts" / "张三", target_is_directory=True)
    assert [(f.path.name, f.kind) for f in find_packets(root)] == [("张三", "manifest")]


def _deep(root, depth):
    folder = root
    for i in range(depth):
        folder = folder / f"第{i + 1}层"
    return folder


@pytest.mark.parametrize("depth", [MAX_DEPTH + 8])
def test_a_packet_deeper_than_the_limit_is_named_with_cj301(tmp_path, depth):
    root = tmp_path / "batch"
    youth_packet(root / "张三", add=FORM)
    from changju_check.report.paths import native, short_path

    # 40 folders deep pass MAX_PATH: on Windows the test writes them through \\?\, as changju reads them
    deep = Path(short_path(str(youth_packet(native(_deep(root / "归档", depth)), drop=("2-申报人材料/身份证.pdf",)))))
    result = runner.invoke(app, ["check", "--batch", str(root), "--format", "json", "--jobs", "1"], env=ENV)
    assert result.exit_code != 0, result.output
    doc = json.loads(result.stdout)
    skipped = [p for p in doc["packets"] if p.get("fatal")]
    assert len(skipped) == 1 and skipped[0]["fatal"]["code"] == "CJ301"
    assert str(MAX_DEPTH) in skipped[0]["fatal"]["message"] and skipped[0]["ready_to_bind"] is False
    assert str(deep).startswith(skipped[0]["packet"])
    assert "Traceback" not in result.output


def test_a_packet_just_within_the_limit_is_checked(tmp_path):
    root = tmp_path / "batch"
    deep = youth_packet(_deep(root, MAX_DEPTH - 1), add=FORM)
    assert [(f.path, f.kind) for f in find_packets(root)] == [(deep, "manifest")]
