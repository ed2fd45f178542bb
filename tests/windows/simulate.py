"""Python made to behave as it does on Windows, on Linux: the tests of the CLI, bundle and packet
readers run under it (`.ci/run`, `CHANGJU_SIMULATE_WINDOWS=1`).

What changes (`install()`), each as the Windows build of CPython has it:

* POSIX-only APIs are gone: `signal.SIGALRM`, `signal.setitimer`, `signal.SIGHUP`, `os.fork`,
  `os.wait4`, `os.mkfifo`, `os.pathconf`, `os.fchmod`, and the modules `resource` and `fcntl`
  (importing them raises ImportError). `signal.SIGBREAK` (Ctrl+Break) exists.
* multiprocessing has one start method, spawn (`get_context("fork")` raises ValueError).
* `ProcessPoolExecutor(max_workers=62)` or more raises ValueError, as on Windows.
* `os.getppid()` keeps the parent's pid after the parent has ended (Windows does not re-parent).
* `/proc/self/fd` and `/dev/fd` do not exist (os.stat/os.open/open raise FileNotFoundError).
* The sharing rule: a file held open — by any descriptor of this process, Python's or a native
  library's such as qpdf's (read from the real /proc/self/fd) — cannot be deleted, renamed, or
  replaced: os.remove/unlink/rename/replace and shutil.rmtree raise PermissionError with
  winerror 32 (ERROR_SHARING_VIOLATION), as Windows does for a file opened without
  FILE_SHARE_DELETE (every file Python, qpdf, Excel or WPS opens).

What cannot change: `os.name`, `sys.platform` and path syntax stay POSIX, so code that asks
`os.name == "nt"` is not exercised here (its pure parts are tested directly: report/paths.py).

A child process (a CLI run, a spawned worker) gets the same through `tests/windows/site/
sitecustomize.py`, which `enable_for_children()` puts on PYTHONPATH.
"""

from __future__ import annotations

import builtins
import errno
import io
import multiprocessing
import os
import shutil
import signal
import sys
from pathlib import Path

ENV = "CHANGJU_SIMULATE_WINDOWS"
SITE = Path(__file__).resolve().parent / "site"
REMOVED_SIGNALS = ("SIGALRM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGCHLD", "SIGPIPE", "SIGWINCH")
REMOVED_SIGNAL_FUNCS = ("setitimer", "getitimer", "alarm", "pause", "siginterrupt", "pthread_kill", "pthread_sigmask")
# os.getuid stays: pytest's tmp_path asks for it (changju itself does not)
REMOVED_OS = ("fork", "forkpty", "wait4", "wait3", "mkfifo", "pathconf", "fpathconf", "fchmod",
              "setsid", "killpg", "getpgid", "sched_getaffinity")
_installed = False


def active() -> bool:
    return os.environ.get(ENV, "") not in ("", "0")


class _Blocked:
    """A finder that makes `import resource` / `import fcntl` fail, as on Windows."""

    BLOCKED = {"resource", "fcntl"}  # what changju could reach for; tools that test sys.platform (pre-commit) keep theirs
    OURS = ("changju_check", "tests", "__main__", "__mp_main__")

    def find_spec(self, name, path=None, target=None):
        if name in self.BLOCKED and self._from_us():
            raise ModuleNotFoundError(f"No module named '{name}'", name=name)
        return None

    @staticmethod
    def _from_us() -> bool:
        """The import comes from changju or its tests. Other tools in the process tree (pre-commit
        runs the hook) choose by sys.platform, which stays linux here: they keep their modules."""
        frame = sys._getframe(2)
        while frame is not None:
            module = frame.f_globals.get("__name__", "")
            if not module.startswith(("importlib", "_frozen_importlib")):
                return module.startswith(_Blocked.OURS)
            frame = frame.f_back
        return True


def _is_fd_path(path) -> bool:
    try:
        text = os.fsdecode(path) if not isinstance(path, int) else ""
    except TypeError:
        return False
    return text.startswith(("/proc/self/fd", "/dev/fd", f"/proc/{os.getpid()}/fd"))


def install() -> None:
    """Make this process look like Windows (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    os.environ[ENV] = "1"

    # ---- POSIX-only APIs and modules
    for name in REMOVED_SIGNALS + REMOVED_SIGNAL_FUNCS:
        if hasattr(signal, name):
            delattr(signal, name)
    if not hasattr(signal, "SIGBREAK"):
        signal.SIGBREAK = 21  # its number on Windows; registering it works through SIGTERM's slot below
    for name in REMOVED_OS:
        if hasattr(os, name):
            delattr(os, name)
    for name in _Blocked.BLOCKED:
        sys.modules.pop(name, None)
    sys.meta_path.insert(0, _Blocked())
    real_import = builtins.__import__

    def import_(name, globals=None, locals=None, fromlist=(), level=0):
        # also once a library outside changju has imported the module (it is then in sys.modules)
        if level == 0 and name in _Blocked.BLOCKED and (globals or {}).get("__name__", "").startswith(_Blocked.OURS):
            raise ModuleNotFoundError(f"No module named '{name}'", name=name)
        return real_import(name, globals, locals, fromlist, level)

    builtins.__import__ = import_

    real_signal = signal.signal

    def fake_signal(signum, handler):
        if signum == 21:  # SIGBREAK: Linux has no such signal; accept it as Windows does
            return signal.SIG_DFL
        return real_signal(signum, handler)

    signal.signal = fake_signal

    # ---- no re-parenting: os.getppid() keeps the pid of a parent that has ended
    parent_pid = os.getppid()
    os.getppid = lambda: parent_pid

    # ---- spawn only
    from multiprocessing import context

    multiprocessing.set_start_method("spawn", force=True)
    real_get_context = multiprocessing.get_context

    def get_context(method=None):
        if method not in (None, "spawn"):
            raise ValueError(f"cannot find context for {method!r}")
        return real_get_context("spawn")

    multiprocessing.get_context = get_context
    context._default_context.get_context = get_context  # type: ignore[attr-defined]
    multiprocessing.get_all_start_methods = lambda: ["spawn"]
    context._default_context.get_all_start_methods = lambda: ["spawn"]  # type: ignore[attr-defined]

    # ---- Windows' ProcessPoolExecutor refuses more than 61 workers
    from concurrent.futures import process

    real_init = process.ProcessPoolExecutor.__init__

    def pool_init(self, max_workers=None, *args, **kwargs):
        if max_workers is not None and max_workers > 61:
            raise ValueError("max_workers must be <= 61")
        return real_init(self, max_workers, *args, **kwargs)

    process.ProcessPoolExecutor.__init__ = pool_init

    # ---- no /proc/self/fd
    real_stat, real_open, real_os_open, real_listdir = os.stat, builtins.open, os.open, os.listdir

    def _missing(path):
        return FileNotFoundError(errno.ENOENT, "The system cannot find the path specified", os.fsdecode(path))

    def stat(path, *a, **k):
        if _is_fd_path(path):
            raise _missing(path)
        return real_stat(path, *a, **k)

    def open_(file, *a, **k):
        if _is_fd_path(file):
            raise _missing(file)
        return real_open(file, *a, **k)

    def os_open(path, *a, **k):
        if _is_fd_path(path):
            raise _missing(path)
        return real_os_open(path, *a, **k)

    os.stat, builtins.open, io.open, os.open = stat, open_, open_, os_open

    # ---- the sharing rule
    def open_files() -> set[tuple[int, int]]:
        held = set()
        for name in real_listdir("/proc/self/fd"):
            try:
                st = os.fstat(int(name))
            except (OSError, ValueError):
                continue
            held.add((st.st_dev, st.st_ino))
        return held

    def refuse_if_open(*paths) -> None:
        held = None
        for path in paths:
            if isinstance(path, int):
                continue
            try:
                st = os.lstat(path)
            except OSError:
                continue
            if not os.path.isfile(path) and not os.path.isdir(path):
                continue
            held = open_files() if held is None else held
            if (st.st_dev, st.st_ino) in held:
                err = PermissionError(errno.EACCES, "The process cannot access the file because it is being used "
                                      "by another process", os.fsdecode(path))
                err.winerror = 32  # type: ignore[attr-defined]
                raise err

    def guarded(real, count):
        def call(*args, **kwargs):
            refuse_if_open(*args[:count])
            return real(*args, **kwargs)

        call.__wrapped__ = real  # type: ignore[attr-defined]
        return call

    os.remove = guarded(os.remove, 1)
    os.unlink = guarded(os.unlink, 1)
    os.rename = guarded(os.rename, 2)
    os.replace = guarded(os.replace, 2)
    real_rmtree = shutil.rmtree

    def rmtree(path, *a, **k):
        for folder, _, files in os.walk(path):
            refuse_if_open(*(os.path.join(folder, f) for f in files))
        return real_rmtree(path, *a, **k)

    shutil.rmtree = rmtree


def enable_for_children(environ: dict | None = None) -> None:
    """Child processes started from here (the CLI, spawned workers) run simulated as well."""
    env = os.environ if environ is None else environ
    env[ENV] = "1"
    parts = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    if str(SITE) not in parts:
        env["PYTHONPATH"] = os.pathsep.join([str(SITE), *parts])
