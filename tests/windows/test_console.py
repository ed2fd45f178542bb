"""Ctrl+Break and a closed console window clean up as SIGTERM does, as Windows runs them: a real
`changju bundle` under the Windows simulation (also in the normal suite) is stopped while it writes
the book's temporary file. Ctrl+Break is Python's SIGBREAK; closing the window is no signal at all
but CTRL_CLOSE_EVENT delivered to the handler changju gave SetConsoleCtrlHandler, from a thread of
Windows' own (the simulation's kernel32 records the handler and calls it so)."""

from __future__ import annotations

import json
import os
import signal

import pytest

from tests.hostile.test_nothing_written import snapshot
from tests.hostile.test_signals import stop_bundle_while_writing
from tests.windows import simulate


@pytest.mark.parametrize("event", ["ctrl-break", "console-closed"])
def test_ctrl_break_or_a_closed_console_during_bundle_leaves_nothing_behind(tmp_path, event):
    log = tmp_path / "kernel32.jsonl"
    env = dict(os.environ, PYTHONIOENCODING="gbk")
    simulate.enable_for_children(env)  # as Windows runs it, also in the normal suite
    env[simulate.KERNEL32_LOG] = str(log)
    signum = simulate.SIGBREAK if event == "ctrl-break" else simulate.CONSOLE_CLOSE
    code, err, out_dir, temp, root, before = stop_bundle_while_writing(tmp_path, lambda proc: proc.send_signal(signum),
                                                                       env)
    # Ctrl+Break: 128 + SIGBREAK, as for SIGTERM; the console handler ends the run as SIGTERM does
    assert code == 128 + (simulate.SIGBREAK if event == "ctrl-break" else signal.SIGTERM), err
    assert "Traceback" not in err and "已终止" in err
    assert sorted(out_dir.iterdir()) == []
    assert sorted(temp.iterdir()) == []
    assert snapshot(root) == before
    calls = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()]
    assert {"call": "SetConsoleCtrlHandler", "add": True, "handler": True} in [
        {k: c[k] for k in ("call", "add", "handler")} for c in calls if c["call"] == "SetConsoleCtrlHandler"]


READING = r"""
import sys
from changju_check.scan import workers

real = workers._Worker.__init__

def init(self, *args, **kwargs):
    real(self, *args, **kwargs)  # its private temporary folder exists now; the reader is starting
    sys.stdout.write("READING\n"); sys.stdout.flush()

workers._Worker.__init__ = init
sys.argv = ["changju"] + sys.argv[1:]
from changju_check.cli import main
main()
"""


def test_ctrl_break_while_reading_scans_leaves_no_reader_folder(tmp_path):
    pytest.importorskip("rapidocr")
    import subprocess
    import sys
    from pathlib import Path

    from tests.bundle.helpers import jpeg_bytes
    from tests.packets import youth_packet

    root = youth_packet(tmp_path / "packet", add={"2-申报人材料/身份证.jpg": jpeg_bytes((900, 600))},
                        drop=("2-申报人材料/身份证.pdf",))
    before = snapshot(root)
    temp = tmp_path / "temp"
    temp.mkdir()
    repo = Path(__file__).resolve().parents[2]
    env = dict(os.environ, TMPDIR=str(temp), PYTHONIOENCODING="gbk", CHANGJU_NO_RULE_CACHE="1",
               PYTHONPATH=str(repo) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    simulate.enable_for_children(env)
    proc = subprocess.Popen([sys.executable, "-c", READING, "check", str(root), "--read-scans", "--no-cache"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path)
    try:
        line = proc.stdout.readline()
        while line and line != b"READING\n":
            line = proc.stdout.readline()
        assert line == b"READING\n", proc.stderr.read() if proc.poll() is not None else ""
        assert [p.name for p in temp.iterdir() if p.name.startswith("changju-scan-")]
        proc.send_signal(simulate.SIGBREAK)
        _, raw_err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    err = raw_err.decode("gbk", errors="replace")
    assert proc.returncode == 128 + simulate.SIGBREAK, err
    assert "Traceback" not in err and "已终止" in err
    assert sorted(temp.iterdir()) == []  # the reader's folder (and anything a library put in it) is gone
    assert snapshot(root) == before
