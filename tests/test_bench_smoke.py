"""bench/run.py --quick completes and writes valid JSON (a smoke test: no timings are asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the benchmark uses os.wait4 and /proc")


def test_bench_quick_writes_json(tmp_path):
    out = tmp_path / "results.json"
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--quick", "--out", str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,  # a guard against a hang, not a performance assertion
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    for key in ("startup", "one_packet", "batch", "memory", "machine", "rows", "markdown"):
        assert key in data
    assert data["options"]["quick"] is True
    assert {"cpu", "cores", "python", "date"} <= set(data["machine"])
    assert all({"measure", "target", "measured", "met"} <= set(row) for row in data["rows"])
    assert "| Measure | Target | Measured | Met? |" in proc.stdout
    # the corpus really was checked: a clean packet, not a fatal error
    assert not any(code.startswith("fatal") for code in data["one_packet"]["findings"])
    assert not (REPO / "bench" / "corpus").exists()
