"""Private folders in the shared temporary directory (a reader's TMPDIR, the desk app's book), and
the sweep of those a dead run left behind.

A run ended by Task Manager's "End task" (TerminateProcess) or by SIGKILL runs no cleanup at all:
its folder stays in %TEMP% with whatever was in it (the desk app's book holds a copy of every
scan). Each folder's name carries the pid of the process that made it (`changju-<kind>-<pid>-…`);
the next run that makes one removes every such folder whose process has ended, so no copy of a
scan outlives the next run. A folder whose process still runs is left alone (a pid Windows has
given to a new process keeps its folder until that one ends: never a live run's folder removed).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile

PREFIX = "changju-"
_OURS = re.compile(r"changju-(scan|book)-(\d+)-")
_swept = False


def private_dir(kind: str) -> str:
    """A new folder `changju-<kind>-<pid>-XXXX` of this process's (0700 where the system has modes),
    after removing those dead runs left behind (once per process)."""
    sweep_stale()
    return tempfile.mkdtemp(prefix=f"{PREFIX}{kind}-{os.getpid()}-")


def sweep_stale(folder: str | None = None, *, force: bool = False) -> list[str]:
    """Remove the private folders of runs that have ended from `folder` (the temporary
    directory); returns their names. Once per process unless `force`."""
    global _swept
    if _swept and not force:
        return []
    _swept = True
    base = folder or tempfile.gettempdir()
    removed = []
    try:
        entries = list(os.scandir(base))
    except OSError:
        return removed
    uid = os.getuid() if hasattr(os, "getuid") else None
    for entry in entries:
        match = _OURS.match(entry.name)
        if not match or int(match.group(2)) == os.getpid():
            continue
        try:
            if not entry.is_dir(follow_symlinks=False):
                continue
            if uid is not None and entry.stat(follow_symlinks=False).st_uid != uid:
                continue  # someone else's (a shared /tmp): theirs to sweep
        except OSError:
            continue
        if process_alive(int(match.group(2))):
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        if not os.path.exists(entry.path):
            removed.append(entry.name)
    return removed


def process_alive(pid: int) -> bool:
    """Whether process `pid` is running (in doubt: yes). Windows: OpenProcess and a wait of 0 ms on
    its handle (never os.kill, which on Windows ends the process); elsewhere signal 0."""
    import ctypes

    if hasattr(ctypes, "WinDLL"):
        return _alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # EPERM: someone else's process
    return True


def _alive_windows(pid: int) -> bool:
    """OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION); no such process: ended;
    access denied: running. WaitForSingleObject(handle, 0) == WAIT_TIMEOUT: still running. Run under
    the tests' Windows simulation with its kernel32; the real calls are reasoned, not run."""
    import ctypes
    from ctypes import wintypes

    try:
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        kernel32.OpenProcess.restype = wintypes.HANDLE
        handle = kernel32.OpenProcess(0x00100000 | 0x1000, False, pid)
        if not handle:
            return ctypes.get_last_error() == 5  # ERROR_ACCESS_DENIED: it runs, as someone else
        try:
            return kernel32.WaitForSingleObject(wintypes.HANDLE(handle), 0) == 0x102  # WAIT_TIMEOUT
        finally:
            kernel32.CloseHandle(wintypes.HANDLE(handle))
    except (AttributeError, OSError):
        return True
