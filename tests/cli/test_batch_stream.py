"""A batch is written as its reports come (issue 30: a season of 10,000 packets in flat memory):
reports are handed on one at a time and in order, the output file appears whole or not at all,
workers started before the packets are found still follow the rule-cache setting decided after,
and spawned workers (Windows) check a batch as forked ones do."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.packets import youth_packet

ROOT = Path(__file__).parents[2]


def test_reports_come_one_at_a_time_in_order(tmp_path, monkeypatch):
    """The first report is handed on when the first packet is checked, not when the batch is done."""
    from changju_check.engine import batch
    from changju_check.engine.run import CheckOptions

    checked = []
    real = batch.check_packet

    def counting(path, options):
        checked.append(Path(path).name)
        return real(path, options)

    monkeypatch.setattr(batch, "check_packet", counting)
    packets = [youth_packet(tmp_path / name) for name in ("a", "b", "c")]
    reports = batch.iter_reports(packets, CheckOptions(), jobs=1)
    first = next(reports)
    assert Path(first.packet).name == "a" and checked == ["a"]
    assert [Path(r.packet).name for r in reports] == ["b", "c"]


def test_chunks_keep_every_worker_busy_to_the_end():
    from changju_check.engine.batch import chunk_size

    assert chunk_size(50, 2) == 1  # a small batch: one packet a task, no worker waits for the last chunk
    assert chunk_size(200, 2) == 6
    assert chunk_size(10_000, 2) == 8  # never more: a chunk is a few seconds of one worker


def test_an_interrupted_batch_leaves_no_half_report(tmp_path, monkeypatch):
    """-o FILE is written to a temporary file beside it and renamed at the end: a batch stopped half
    way (Ctrl-C, a closed terminal) leaves the previous file as it was and no temporary file."""
    from typer.testing import CliRunner

    from changju_check.cli import app
    from changju_check.engine import batch

    youth_packet(tmp_path / "in" / "a")
    youth_packet(tmp_path / "in" / "b")
    out = tmp_path / "out"
    out.mkdir()
    report = out / "report.json"
    report.write_text("the old report\n", encoding="utf-8")
    real = batch._one
    seen = []

    def stopping(args):
        if seen:
            raise KeyboardInterrupt
        seen.append(args)
        return real(args)

    monkeypatch.setattr(batch, "_one", stopping)
    result = CliRunner().invoke(app, ["check", "--batch", str(tmp_path / "in"), "--jobs", "1", "--format", "json",
                                      "-o", str(report)])
    assert result.exit_code != 0
    assert report.read_text(encoding="utf-8") == "the old report\n"
    assert sorted(p.name for p in out.iterdir()) == ["report.json"]


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="the patch reaches workers by fork")
def test_workers_started_early_follow_the_rule_cache_setting_decided_later(tmp_path, monkeypatch):
    """Workers start before the packets are found; a rule cache found inside a packet is turned off
    only then (CHANGJU_NO_RULE_CACHE): every task carries the setting, so no worker loads rules
    from a cache a packet could have planted."""
    from changju_check.engine import batch
    from changju_check.engine.run import CheckOptions, check_packet

    def seen_setting(path, options):
        report = check_packet(path, options)
        report.packet = f"{Path(path).name}:{os.environ.get(batch.NO_RULE_CACHE)}"
        return report

    monkeypatch.setattr(batch, "check_packet", seen_setting)
    monkeypatch.delenv(batch.NO_RULE_CACHE, raising=False)
    packets = [youth_packet(tmp_path / name) for name in ("a", "b")]
    with batch.Workers(2) as workers:
        monkeypatch.setenv(batch.NO_RULE_CACHE, "1")  # decided after the workers started
        got = [r.packet for r in batch.iter_reports(packets, CheckOptions(), workers=workers)]
    assert got == ["a:1", "b:1"]


SPAWNED = """
import multiprocessing, sys
if __name__ == "__main__":
    multiprocessing.set_start_method("spawn", force=True)
    from changju_check.cli import main
    main(sys.argv[1:])
"""


def test_spawned_workers_check_a_batch_as_forked_ones_do(tmp_path):
    """Windows has no fork: the workers are spawned, import in their initializer, and give the
    same report, byte for byte."""
    youth_packet(tmp_path / "in" / "a")
    youth_packet(tmp_path / "in" / "b", drop=("2-申报人材料/身份证.pdf",))
    youth_packet(tmp_path / "in" / "c")
    script = tmp_path / "spawned.py"
    script.write_text(SPAWNED, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT), CHANGJU_CACHE_DIR=str(tmp_path / "cache"))
    args = ["check", "--batch", str(tmp_path / "in"), "--jobs", "2", "--format", "json"]
    spawned = subprocess.run([sys.executable, str(script), *args], capture_output=True, env=env, timeout=300)
    plain = subprocess.run([sys.executable, "-m", "changju_check", *args], capture_output=True, env=env, timeout=300)
    assert spawned.returncode == plain.returncode == 1, spawned.stderr.decode(errors="replace")[-2000:]
    assert b"Traceback" not in spawned.stderr
    assert spawned.stdout == plain.stdout
    assert [Path(p["packet"]).name for p in json.loads(spawned.stdout)["packets"]] == ["a", "b", "c"]


@pytest.mark.parametrize("extra", [[], ["--summary"], ["--format", "json"]])
def test_a_batch_says_once_which_pages_the_scan_extra_would_have_read(tmp_path, monkeypatch, extra):
    """Without the [scan] extra a batch, like one packet, ends with a line on stderr naming the
    files reading the pages would have placed: gathered from each report as it passes (no
    report is kept for it), said once after the report, never with --quiet."""
    from typer.testing import CliRunner

    from changju_check.cli import app
    from changju_check.engine import batch

    real = batch.check_packet

    def unread_scans(path, options):
        report = real(path, options)
        report.unread = [f"{Path(path).name}-扫描件.pdf"]
        return report

    monkeypatch.setattr(batch, "check_packet", unread_scans)
    youth_packet(tmp_path / "in" / "a")
    youth_packet(tmp_path / "in" / "b")
    args = ["check", "--batch", str(tmp_path / "in"), "--jobs", "1", "--lang", "en", *extra]
    said = CliRunner().invoke(app, args)
    assert said.exit_code in (0, 1), said.output
    lines = [line for line in said.stderr.splitlines() if line.startswith("Reading the pages of")]
    assert len(lines) == 1 and "a-扫描件.pdf, b-扫描件.pdf" in lines[0]
    quiet = CliRunner().invoke(app, [*args, "--quiet"])
    assert "Reading the pages of" not in quiet.stderr
