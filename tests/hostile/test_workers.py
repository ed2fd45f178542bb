"""The worker processes that draw previews and inspect under a hard time limit: forked on Linux
when nothing else runs (no new interpreter, no imports), spawned otherwise; Ctrl-C is the
parent's to handle (no traceback from a worker); a worker whose parent was killed ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from changju_check.inspect import limits
from changju_check.inspect.file import _inspect_unbounded
from changju_check.packet import PacketFile

REPO = Path(__file__).resolve().parents[2]
linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork is used on Linux only")
forks = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork exists on Linux only (Windows: spawn)")

LONE = r"""
from changju_check.inspect import limits
print(limits._context().get_start_method())
"""

ORPHAN = r"""
import sys, time
from changju_check.inspect.limits import Worker
w = Worker()
assert w.start()
print(w._proc.pid, flush=True)
time.sleep(60)
"""


def _ended(pid: int) -> bool:
    """Gone, or a zombie nobody reaps (a container's init may not)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            return any(line.startswith("State:") and "Z" in line for line in fh)
    except FileNotFoundError:
        return True


@linux
@forks
def test_a_worker_started_while_nothing_else_runs_is_forked():
    out = subprocess.run([sys.executable, "-c", LONE], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "fork"


def test_a_worker_started_beside_other_threads_is_spawned():
    seen = []
    t = threading.Thread(target=lambda: seen.append(limits._context().get_start_method()))
    t.start()
    t.join()
    assert seen == ["spawn"]


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or os.name == "nt", reason="POSIX signals")
def test_ctrl_c_is_the_parents_a_worker_keeps_working_and_prints_no_traceback(h, capfd):
    worker = limits.Worker()
    assert worker.start()
    try:
        os.kill(worker._proc.pid, signal.SIGINT)  # what a terminal sends the whole process group
        time.sleep(0.3)
        assert worker._proc.is_alive()
        info = worker.run(_inspect_unbounded, PacketFile.from_bytes("a.pdf", h.pages_pdf(3)), 10.0, 1)
        assert info.pages == 3
    finally:
        worker.close()
    assert "Traceback" not in capfd.readouterr().err


@linux
def test_a_worker_whose_parent_was_killed_ends():
    proc = subprocess.Popen([sys.executable, "-c", ORPHAN], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        pid = int(proc.stdout.readline())
        assert not _ended(pid)
    finally:
        proc.kill()
        proc.wait()
    deadline = time.monotonic() + 10 * limits.PARENT_CHECK_S
    while not _ended(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _ended(pid)


class _Raised(BaseException):
    pass


def _raise(signum, frame):
    raise _Raised(signum)


@linux
@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")
def test_a_hangup_ends_a_forked_worker_quietly_not_through_the_parents_handler(capfd):
    """The CLI turns SIGTERM/SIGHUP into an exception so that its cleanups run; a forked worker
    has a copy of that handler, and would print the exception's traceback when the terminal closes."""
    previous = signal.signal(signal.SIGHUP, _raise)
    try:
        worker = limits.Worker()
        assert worker.start()
    finally:
        signal.signal(signal.SIGHUP, previous)
    try:
        os.kill(worker._proc.pid, signal.SIGHUP)
        worker._proc.join(5)
        assert worker._proc.exitcode == -signal.SIGHUP
    finally:
        worker.close()
    assert "Traceback" not in capfd.readouterr().err


def _drawing_for_ever(pf, request):
    time.sleep(120)


def test_stopping_the_previews_does_not_wait_for_a_page_being_drawn(tmp_path, monkeypatch):
    """The desk app closing (or a check that failed) ends the drawing workers at once: it does not
    wait for the page in progress, which can take up to the file time limit on a busy machine."""
    from changju_check.inspect import preview
    from changju_check.packet import open_packet

    for name in ("一.pdf", "二.pdf"):
        (tmp_path / name).write_bytes(b"%PDF-1.4\n%%EOF\n")
    monkeypatch.setattr(preview, "render_preview", _drawing_for_ever)
    with open_packet(tmp_path) as packet:
        run = preview.start_previews(list(packet.files), timeout=300, workers=1)
        time.sleep(1.0)  # the worker is inside its first page
        procs = [w._proc for w in run._workers if w._proc is not None]
        assert procs and all(p.is_alive() for p in procs)
        started = time.monotonic()
        run.cancel()
        assert time.monotonic() - started < 10
        for p in procs:
            p.join(5)
            assert not p.is_alive()
