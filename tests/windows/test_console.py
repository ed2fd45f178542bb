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
