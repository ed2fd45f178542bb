"""A worker whose parent was killed ends, as Windows runs it: spawned, no SIGALRM to interrupt its
work, and os.getppid() keeping the dead parent's pid (Windows does not re-parent). The worker is
busy inside one long piece of work, reading nothing from its pipe, when its parent is killed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from changju_check.inspect import limits
from tests.hostile.test_workers import _ended  # gone, or a zombie nobody reaps
from tests.windows import simulate

REPO = Path(__file__).resolve().parents[2]

BUSY_PARENT = r"""
from changju_check.inspect import limits
from changju_check.packet import PacketFile
from tests.windows.test_orphans import busy
worker = limits.Worker()
assert worker.start()
print(worker._proc.pid, flush=True)
worker.run(busy, PacketFile.from_bytes("扫描件.pdf", b"%PDF-1.4\n"), 300.0, None)
"""


def busy(pf, arg):  # pragma: no cover - runs in the worker: one call that takes minutes
    import time

    print("busy", flush=True)
    time.sleep(300)


def test_a_busy_worker_whose_parent_was_killed_ends_within_a_few_checks():
    env = dict(os.environ)
    simulate.enable_for_children(env)  # the parent and its worker run as on Windows, also in the normal suite
    parent = subprocess.Popen([sys.executable, "-c", BUSY_PARENT], cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)
    try:
        pid = int(parent.stdout.readline())
        assert parent.stdout.readline().strip() == "busy"  # inside the long call, not reading its pipe
        assert not _ended(pid)
    finally:
        parent.kill()  # as Task Manager's End task: no handler of the parent's runs
        parent.wait()
        parent.stdout.close()
    try:
        deadline = time.monotonic() + 5 * limits.PARENT_CHECK_S
        while not _ended(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _ended(pid), "the worker outlived its parent"
    finally:
        if not _ended(pid):
            os.kill(pid, 9)
