"""Ctrl+Break and a closed console window clean up as SIGTERM does, as Windows runs them: a real
`changju bundle` under the Windows simulation (also in the normal suite) is stopped while it writes
the book's temporary file. Ctrl+Break is Python's SIGBREAK; closing the window is no signal at all
but CTRL_CLOSE_EVENT delivered to the handler changju gave SetConsoleCtrlHandler, from a thread of
Windows' own (the simulation's kernel32 records the handler and calls it so)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile.test_nothing_written import snapshot
from tests.packets import youth_packet
from tests.windows import simulate

REPO = Path(__file__).resolve().parents[2]

# the first write to the book's temporary file says so, then the main thread keeps working (short
# sleeps: Windows' console thread interrupts the main thread between two steps of Python code)
WRAPPER = r"""
import sys, time
from changju_check.write import file as wfile

real = wfile._open_temp

class Slow:
    def __init__(self, fh):
        self.fh, self.told = fh, False
    def write(self, data):
        if not self.told:
            self.told = True
            sys.stdout.write("WRITING\n"); sys.stdout.flush()
            for _ in range(600):
                time.sleep(0.1)
        return self.fh.write(data)
    def __getattr__(self, name):
        return getattr(self.fh, name)
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        self.fh.close()

wfile._open_temp = lambda fd: Slow(real(fd))
sys.argv = ["changju"] + sys.argv[1:]
from changju_check.cli import main
main()
"""


@pytest.mark.parametrize("event", ["ctrl-break", "console-closed"])
def test_ctrl_break_or_a_closed_console_during_bundle_leaves_nothing_behind(tmp_path, event):
    from tests.bundle.helpers import jpeg_bytes

    root = youth_packet(tmp_path / "packet", add={"申报书.pdf": 2, "2-申报人材料/身份证.jpg": jpeg_bytes((600, 400))},
                        drop=("2-申报人材料/身份证.pdf",))
    before = snapshot(root)
    out_dir, temp = tmp_path / "books", tmp_path / "temp"
    out_dir.mkdir()
    temp.mkdir()
    log = tmp_path / "kernel32.jsonl"
    env = dict(os.environ, TMPDIR=str(temp), CHANGJU_NO_RULE_CACHE="1", PYTHONIOENCODING="gbk",
               PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    simulate.enable_for_children(env)
    env[simulate.KERNEL32_LOG] = str(log)
    proc = subprocess.Popen([sys.executable, "-c", WRAPPER, "bundle", str(root), "-o", str(out_dir / "申报书.pdf")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path)
    try:
        line = proc.stdout.readline()
        assert line == b"WRITING\n", (line, proc.stderr.read() if proc.poll() is not None else "")
        during = sorted(p.name for p in out_dir.iterdir())
        assert len(during) == 1 and during[0].endswith(".tmp"), during
        proc.send_signal(simulate.SIGBREAK if event == "ctrl-break" else simulate.CONSOLE_CLOSE)
        _, raw_err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    err = raw_err.decode("gbk")
    # Ctrl+Break: 128 + SIGBREAK, as for SIGTERM; the console handler ends the run as SIGTERM does
    assert proc.returncode == 128 + (simulate.SIGBREAK if event == "ctrl-break" else signal.SIGTERM), err
    assert "Traceback" not in err and "已终止" in err
    assert sorted(out_dir.iterdir()) == []
    assert sorted(temp.iterdir()) == []
    assert snapshot(root) == before
    calls = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()]
    assert {"call": "SetConsoleCtrlHandler", "add": True, "handler": True} in [
        {k: c[k] for k in ("call", "add", "handler")} for c in calls if c["call"] == "SetConsoleCtrlHandler"]
