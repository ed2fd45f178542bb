"""Nothing is written: every command run on a packet leaves every byte, mtime and name as it was."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from typer.testing import CliRunner

from changju_check.cli import app
from tests.packets import youth_packet

runner = CliRunner()


def snapshot(root: Path) -> dict:
    state = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            st = path.lstat()
            digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
            state[str(path.relative_to(root))] = (digest, st.st_mtime_ns, st.st_mode)
    return state


def test_every_command_leaves_the_packet_untouched(tmp_path, h):
    root = youth_packet(
        tmp_path / "packet",
        add={
            "申报书.pdf": 2,
            "坏文件.pdf": h.truncated_pdf(),
            "加密.pdf": h.encrypted_pdf(user="pw", owner="own"),
            "空文件.pdf": b"",
            "手机照片.heic": h.heic_header(),
        },
    )
    before = snapshot(root)
    out = tmp_path / "out"
    out.mkdir()
    commands = [
        ["check", str(root)],
        ["check", str(root), "--format", "json"],
        ["check", str(root), "--format", "sarif", "--output", str(out / "r.sarif")],
        ["check", str(root), "--format", "junit"],
        ["check", str(root), "--format", "github"],
        ["check", str(root), "--format", "markdown", "--strict"],
        ["check", "--batch", str(tmp_path / "packet"), "--format", "json"],
        ["check", "--batch", str(tmp_path / "packet"), "--format", "json", "--output", str(out / "batch.json")],
        ["check", "--batch", str(tmp_path / "packet"), "--format", "csv", "--per-finding"],
        ["check", "--batch", str(tmp_path / "packet"), "--format", "gitlab", "--summary"],
        ["check", "--batch", str(tmp_path / "packet"), "--summary", "--shard", "1/2"],
        ["check", "--changed", str(root / "申报书.pdf"), "--quiet"],
        ["summary", str(out / "batch.json"), "--format", "csv"],
        ["config"],
        ["bundle", "--batch", str(tmp_path / "packet"), "-o", str(out / "books"), "--force"],
        ["bundle", str(root), "-o", str(out / "book.pdf"), "--force"],
        ["list-required", "youth"],
        ["explain", "CJ301"],
    ]
    for args in commands:
        result = runner.invoke(app, args)
        assert result.exit_code in (0, 1, 2), (args, result.output)
        assert "Traceback" not in result.output
    assert snapshot(root) == before
