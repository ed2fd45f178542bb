"""bench/run.py --quick completes and writes valid JSON (a smoke test: no timings are asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the benchmark uses os.wait4 and /proc")


def test_bench_quick_measures_every_target_side_by_side(tmp_path):
    out = tmp_path / "results.json"
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--quick", "--out", str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,  # a guard against a hang, not a performance assertion
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["options"]["quick"] is True
    assert {"cpu", "cores", "python", "date"} <= set(data["machine"])
    assert len(data["loadavg_start"]) == 3
    keys = {row["key"] for row in data["rows"]}
    assert {"startup_help", "startup_list_required", "batch_j1@4", "batch_j2@4", "speedup_j2@4", "read_scans", "html"} <= keys
    for row in data["rows"]:
        assert {"measure", "baseline", "target", "ratio", "met"} <= set(row)
        assert row["baseline"]  # every figure names what it was measured against
    # every measured target was timed against its baseline in the same run
    assert data["startup"]["typer_rich_table"]["walls"] and data["startup"]["list_required"]["walls"]
    batch = data["batch"]["sizes"]["4"]
    assert batch["baseline_j1"]["walls"] and batch["changju_j2"]["walls"]
    # the batch really was checked: clean packets, not a fatal error
    assert not any(code.startswith("fatal") for code in batch["codes"])
    # the bare app has the real app's shape
    assert data["startup"]["shape"]["commands"] >= 8
    html = next(r for r in data["rows"] if r["key"] == "html")
    if "html" not in data["startup"]["check_formats"]:
        assert html["detail"] == "not measured: no html format" and html["met"] is None
    last = proc.stdout.strip().splitlines()
    assert any(line.startswith(("all met", "not met: ")) for line in last)
    assert not (REPO / "bench" / "corpus").exists()
