"""Python made to behave as it does on Windows, on Linux: the tests of the CLI, bundle and packet
readers run under it (`.ci/run`, `CHANGJU_SIMULATE_WINDOWS=1`).

What changes (`install()`), each as the Windows build of CPython has it:

* POSIX-only APIs are gone: `signal.SIGALRM`, `signal.setitimer`, `signal.SIGHUP`, `os.fork`,
  `os.wait4`, `os.mkfifo`, `os.pathconf`, `os.fchmod`, and the modules `resource` and `fcntl`
  (importing them raises ImportError). `signal.SIGBREAK` (Ctrl+Break) exists: it is the real
  SIGUSR2 underneath, so a test can send it (`SIGBREAK`).
* `ctypes.WinDLL`/`ctypes.windll`/`ctypes.WINFUNCTYPE` exist, with a kernel32 of our own
  (`FakeKernel32`) that records what changju asks of it: the job object that caps a reader's
  memory (checked against the SDK's struct layout, then enforced with RLIMIT_AS as Linux does)
  and the console control handler (called with CTRL_CLOSE_EVENT from a thread of its own, as
  Windows does when the console is closed, when the process receives `CONSOLE_CLOSE`).
* multiprocessing has one start method, spawn (`get_context("fork")` raises ValueError).
* `ProcessPoolExecutor(max_workers=62)` or more raises ValueError, as on Windows.
* `os.getppid()` keeps the parent's pid after the parent has ended (Windows does not re-parent).
* `/proc/self/fd` and `/dev/fd` do not exist (os.stat/os.open/open raise FileNotFoundError).
* The sharing rule: a file held open — by any descriptor of this process, Python's or a native
  library's such as qpdf's (read from the real /proc/self/fd) — cannot be deleted, renamed, or
  replaced: os.remove/unlink/rename/replace and shutil.rmtree raise PermissionError with
  winerror 32 (ERROR_SHARING_VIOLATION), as Windows does for a file opened without
  FILE_SHARE_DELETE (every file Python, qpdf, Excel or WPS opens).

* MAX_PATH: a path of 260 characters or more (made absolute) is refused (FileNotFoundError,
  winerror 3) unless it carries the extended-length prefix `\\\\?\\`, which here stands before a
  POSIX path (`\\\\?\\/tmp/…`) and is removed before the real call; scandir's entries, an absolute
  link target read through it, abspath and realpath keep it, isabs takes it as absolute, and open()
  hands it to its opener, as on Windows. changju's `report.paths.WINDOWS` is set (it adds the prefix
  as on Windows), and the native code that opens paths itself (qpdf's Job, watchfiles) gets them
  as on Windows.

What cannot change: `os.name`, `sys.platform` and path syntax stay POSIX, so code that asks
`os.name == "nt"` is not exercised here (its pure parts are tested directly: report/paths.py);
changju asks for capabilities instead where it can (signal.SIGBREAK, ctypes.WinDLL).

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
import json
import resource as _real_resource  # the fake kernel32 enforces a job's memory limit with it
import signal
import struct
import sys
import threading
from pathlib import Path

ENV = "CHANGJU_SIMULATE_WINDOWS"
SITE = Path(__file__).resolve().parent / "site"
REMOVED_SIGNALS = ("SIGALRM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGCHLD", "SIGPIPE", "SIGWINCH")
REMOVED_SIGNAL_FUNCS = ("setitimer", "getitimer", "alarm", "pause", "siginterrupt", "pthread_kill", "pthread_sigmask")
# os.getuid stays: pytest's tmp_path asks for it (changju itself does not)
REMOVED_OS = ("fork", "forkpty", "wait4", "wait3", "mkfifo", "pathconf", "fpathconf", "fchmod",
              "setsid", "killpg", "getpgid", "sched_getaffinity")
_installed = False
SIGBREAK = signal.Signals.SIGUSR2.value  # what the simulated Ctrl+Break is underneath (the real signal to send)
CONSOLE_CLOSE = signal.Signals.SIGUSR1.value  # sent to a process: its console is closed (CTRL_CLOSE_EVENT)
KERNEL32_LOG = "CHANGJU_SIMULATE_KERNEL32_LOG"  # a file: every fake kernel32 call as a JSON line


class _Func:
    """One kernel32 function: callable, with the restype/argtypes attributes ctypes' have."""

    def __init__(self, call):
        self.call, self.restype, self.argtypes = call, None, None

    def __call__(self, *args):
        return self.call(*args)


def _value(handle):
    return getattr(handle, "value", handle)


class FakeKernel32:
    """The kernel32 functions changju calls, as Windows documents them, recording every call
    (`calls`, and the file named by CHANGJU_SIMULATE_KERNEL32_LOG). SetInformationJobObject reads
    the struct's bytes at the SDK's offsets for 64-bit Windows (JOBOBJECT_EXTENDED_LIMIT_INFORMATION:
    144 bytes, LimitFlags at 16, ProcessMemoryLimit at 112, JobMemoryLimit at 120) and fails, as
    Windows does, for a wrong size, class or handle. `enforce`: AssignProcessToJobObject puts the
    job's process memory limit in place with RLIMIT_AS."""

    CURRENT_PROCESS = 2**64 - 1  # GetCurrentProcess()'s pseudo-handle, (HANDLE)-1, as an unsigned HANDLE
    EXTENDED_SIZE, FLAGS_AT, PROCESS_LIMIT_AT, JOB_LIMIT_AT = 144, 16, 112, 120
    PROCESS_MEMORY, KILL_ON_CLOSE = 0x100, 0x2000

    def __init__(self, enforce: bool = False) -> None:
        self.enforce = enforce
        self.calls: list[dict] = []
        self.jobs: dict[int, dict] = {}
        self.handlers: list = []
        for name in ("CreateJobObjectW", "SetInformationJobObject", "AssignProcessToJobObject",
                     "GetCurrentProcess", "SetConsoleCtrlHandler", "OpenProcess", "WaitForSingleObject", "CloseHandle"):
            setattr(self, name, _Func(getattr(self, "_" + name)))

    def __getattr__(self, name: str):
        """Any other kernel32 function (a library that finds `ctypes.windll` sets up its own, as
        colorama does for the console: GetStdHandle, SetConsoleTextAttribute, …): there, and it
        fails as a Windows call fails (returns 0, the last error set), recorded too."""
        if name.startswith("_"):
            raise AttributeError(name)

        def failing(*args):
            self._record(call=name, unsimulated=True)
            import ctypes

            ctypes.set_last_error(120)  # ERROR_CALL_NOT_IMPLEMENTED
            return 0

        func = _Func(failing)
        setattr(self, name, func)
        return func

    def _record(self, **call) -> None:
        self.calls.append(call)
        log = os.environ.get(KERNEL32_LOG)
        if log:
            with open(log, "a", encoding="utf-8") as fh:
                fh.write(json.dumps({**call, "pid": os.getpid()}) + "\n")

    def _CreateJobObjectW(self, attributes, name):
        handle = 0x1F0 + 4 * len(self.jobs)
        self.jobs[handle] = {}
        self._record(call="CreateJobObjectW", attributes=attributes, name=name, job=handle)
        return handle

    def _GetCurrentProcess(self):
        return self.CURRENT_PROCESS

    def _SetInformationJobObject(self, job, info_class, info, size):
        import ctypes

        job, raw = _value(job), ctypes.string_at(ctypes.addressof(info._obj), ctypes.sizeof(info._obj))
        fields = {}
        if len(raw) == self.EXTENDED_SIZE:
            fields = {"flags": struct.unpack_from("<I", raw, self.FLAGS_AT)[0],
                      "process_memory_limit": struct.unpack_from("<Q", raw, self.PROCESS_LIMIT_AT)[0],
                      "job_memory_limit": struct.unpack_from("<Q", raw, self.JOB_LIMIT_AT)[0]}
        self._record(call="SetInformationJobObject", job=job, info_class=info_class, size=size,
                     struct_size=len(raw), **fields)
        if job not in self.jobs or info_class != 9 or size != self.EXTENDED_SIZE or len(raw) != size:
            return 0  # ERROR_INVALID_HANDLE / ERROR_BAD_LENGTH
        self.jobs[job] = fields
        return 1

    def _AssignProcessToJobObject(self, job, process):
        job, process = _value(job), _value(process)
        self._record(call="AssignProcessToJobObject", job=job, process=process)
        if job not in self.jobs or process != self.CURRENT_PROCESS:
            return 0
        limits = self.jobs[job]
        if self.enforce and limits.get("flags", 0) & self.PROCESS_MEMORY:
            _, hard = _real_resource.getrlimit(_real_resource.RLIMIT_AS)
            _real_resource.setrlimit(_real_resource.RLIMIT_AS, (limits["process_memory_limit"], hard))
        return 1

    def _OpenProcess(self, access, inherit, pid):
        """A handle to process `pid`, or 0 where there is no such process (a zombie counts as
        running, as a process handle keeps an ended process's object on Windows)."""
        self._record(call="OpenProcess", access=access, inherit=bool(inherit), target=pid)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            import ctypes

            ctypes.set_last_error(87)  # ERROR_INVALID_PARAMETER: no such process
            return 0
        except PermissionError:
            pass
        return 0x10000 + pid

    def _WaitForSingleObject(self, handle, milliseconds):
        pid = _value(handle) - 0x10000
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return 0  # WAIT_OBJECT_0: the process has ended
        except PermissionError:
            pass
        return 0x102  # WAIT_TIMEOUT

    def _CloseHandle(self, handle):
        return 1

    def _SetConsoleCtrlHandler(self, handler, add):
        self._record(call="SetConsoleCtrlHandler", add=bool(add), handler=handler is not None)
        if add:
            self.handlers.append(handler)
        elif handler in self.handlers:
            self.handlers.remove(handler)
        return 1

    def close_console(self, event: int = 2) -> None:
        """What Windows does when the console window is closed: each handler, last registered
        first, called with CTRL_CLOSE_EVENT from a new thread; the first that returns TRUE ends it."""

        def deliver():
            for handler in reversed(self.handlers):
                if handler(event):
                    return

        threading.Thread(target=deliver, name="console-close", daemon=True).start()


kernel32: FakeKernel32 | None = None  # this process's, once installed


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
    def ours(module: str) -> bool:
        """changju's or its tests' code, not this simulation (its fake kernel32 uses resource)."""
        return module.startswith(_Blocked.OURS) and not module.endswith("windows.simulate")

    @staticmethod
    def _from_us() -> bool:
        """The import comes from changju or its tests. Other tools in the process tree (pre-commit
        runs the hook) choose by sys.platform, which stays linux here: they keep their modules."""
        frame = sys._getframe(2)
        while frame is not None:
            module = frame.f_globals.get("__name__", "")
            if not module.startswith(("importlib", "_frozen_importlib")):
                return _Blocked.ours(module)
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
    if _installed or getattr(os, "_changju_simulated", False):  # also a second copy of this module
        return  # (tests.windows.simulate beside sitecustomize's windows.simulate)
    _installed = os._changju_simulated = True  # type: ignore[attr-defined]
    os.environ[ENV] = "1"

    # ---- POSIX-only APIs and modules
    for name in REMOVED_SIGNALS + REMOVED_SIGNAL_FUNCS:
        if hasattr(signal, name):
            delattr(signal, name)
    signal.SIGBREAK = SIGBREAK
    for name in REMOVED_OS:
        if hasattr(os, name):
            delattr(os, name)
    for name in _Blocked.BLOCKED:
        sys.modules.pop(name, None)
    sys.meta_path.insert(0, _Blocked())
    real_import = builtins.__import__

    def import_(name, globals=None, locals=None, fromlist=(), level=0):
        # also once a library outside changju has imported the module (it is then in sys.modules)
        if level == 0 and name in _Blocked.BLOCKED and _Blocked.ours((globals or {}).get("__name__", "")):
            raise ModuleNotFoundError(f"No module named '{name}'", name=name)
        return real_import(name, globals, locals, fromlist, level)

    builtins.__import__ = import_

    # ---- kernel32 through ctypes: the job object, the console control handler
    import ctypes
    from types import SimpleNamespace

    global kernel32
    kernel32 = FakeKernel32(enforce=True)

    def win_dll(name, *args, **kwargs):
        if name.lower().removesuffix(".dll") != "kernel32":
            raise OSError(126, f"The specified module could not be found: {name}")  # ERROR_MOD_NOT_FOUND
        return kernel32

    ctypes.WinDLL = win_dll
    ctypes.windll = SimpleNamespace(kernel32=kernel32)
    ctypes.WINFUNCTYPE = ctypes.CFUNCTYPE  # one calling convention on x64
    last_error = threading.local()  # ctypes' private copy of GetLastError, per thread (use_last_error=True)

    def set_last_error(value):
        old, last_error.value = getattr(last_error, "value", 0), value
        return old

    ctypes.set_last_error = set_last_error
    ctypes.get_last_error = lambda: getattr(last_error, "value", 0)
    signal.signal(CONSOLE_CLOSE, lambda signum, frame: kernel32.close_console(2))

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

    _max_path()


MAX_PATH = 260
LONG_PREFIX = "\\\\?\\"


def _native(path):
    """What the file system gets for `path` as Windows' file API would: an extended-length path
    (`\\\\?\\` in front; here the prefix stands before a POSIX path, also after a join) without
    the prefix; any other path of MAX_PATH or more characters (made absolute) is refused."""
    if path is None or isinstance(path, int):
        return path
    raw = os.fspath(path)
    text = os.fsdecode(raw)
    at = text.find(LONG_PREFIX)
    if at >= 0:
        text = text[at + len(LONG_PREFIX):]
        return os.fsencode(text) if isinstance(raw, bytes) else text
    full = text if text.startswith("/") else os.path.join(os.getcwd(), text)
    if len(full) >= MAX_PATH:
        err = FileNotFoundError(errno.ENOENT, "The system cannot find the path specified", text)
        err.winerror = 3  # type: ignore[attr-defined]  # ERROR_PATH_NOT_FOUND
        raise err
    return raw


class _Entry:
    """An os.DirEntry whose path keeps the extended-length prefix of the folder listed, as Windows'."""

    def __init__(self, entry, path):
        self._entry, self.name, self.path = entry, entry.name, path

    def __getattr__(self, name):
        return getattr(self._entry, name)

    def __fspath__(self):
        return self.path

    def __repr__(self):
        return f"<DirEntry {self.name!r}>"


class _Listing:
    def __init__(self, listing, folder):
        self._listing, self._folder = listing, folder

    def __iter__(self):
        return self

    def __next__(self):
        entry = next(self._listing)
        if self._folder is None:
            return entry
        sep = b"/" if isinstance(self._folder, bytes) else "/"
        return _Entry(entry, self._folder.rstrip(sep) + sep + entry.name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self._listing.close()


def _max_path() -> None:
    """MAX_PATH as Windows without LongPathsEnabled has it: a path of 260 characters or more is
    refused unless it starts with `\\\\?\\`; changju's `long_path` adds the prefix as on Windows."""
    def wrap(real, count=1):
        def call(*args, **kwargs):
            args = tuple(_native(a) if i < count else a for i, a in enumerate(args))
            for key in ("src", "dst", "path", "file"):
                if key in kwargs and i_path(kwargs[key]):
                    kwargs[key] = _native(kwargs[key])
            return real(*args, **kwargs)

        call.__wrapped__ = real  # type: ignore[attr-defined]
        return call

    def i_path(value):
        return isinstance(value, (str, bytes, os.PathLike))

    for name, count in (("stat", 1), ("lstat", 1), ("open", 1), ("listdir", 1), ("mkdir", 1), ("rmdir", 1),
                        ("remove", 1), ("unlink", 1), ("rename", 2), ("replace", 2), ("utime", 1), ("chmod", 1),
                        ("access", 1), ("readlink", 1), ("truncate", 1)):
        if hasattr(os, name):
            setattr(os, name, wrap(getattr(os, name), count))
    real_io_open, wrapped_os_open = builtins.open, os.open

    def open_(file, mode="r", buffering=-1, encoding=None, errors=None, newline=None, closefd=True, opener=None):
        # the path reaches the opener as given (Windows passes the prefixed path on); without one,
        # Python's own open is an opener through the (simulated) os.open
        if isinstance(file, (str, bytes, os.PathLike)):
            _native(file)  # MAX_PATH
            if opener is None:
                opener = lambda path, flags: wrapped_os_open(path, flags, 0o666)  # noqa: E731
        return real_io_open(file, mode, buffering, encoding, errors, newline, closefd, opener)

    builtins.open = io.open = open_
    real_readlink = os.readlink

    def readlink(path, *args, **kwargs):  # an absolute target read through a \\?\ path keeps the prefix
        target = real_readlink(path, *args, **kwargs)
        if not isinstance(path, int) and LONG_PREFIX in os.fsdecode(os.fspath(path)) and os.path.isabs(target):
            return (os.fsencode(LONG_PREFIX) if isinstance(target, bytes) else LONG_PREFIX) + target
        return target

    os.readlink = readlink
    real_scandir = os.scandir

    def scandir(path="."):
        if isinstance(path, int):
            return real_scandir(path)
        raw = os.fspath(path)
        prefixed = LONG_PREFIX in os.fsdecode(raw)
        return _Listing(real_scandir(_native(raw)), raw if prefixed else None)

    os.scandir = scandir

    # os.path as ntpath treats an extended-length path: absolute already, resolved with its prefix kept
    real_abspath, real_realpath = os.path.abspath, os.path.realpath

    def split_prefix(path):
        text = os.fsdecode(os.fspath(path))
        at = text.find(LONG_PREFIX)
        return (None, text) if at < 0 else (LONG_PREFIX, text[at + len(LONG_PREFIX):])

    def keep_prefix(real):
        def call(path, *args, **kwargs):
            prefix, rest = split_prefix(path)
            if prefix is None:
                return real(path, *args, **kwargs)
            out = prefix + real(rest, *args, **kwargs)
            return os.fsencode(out) if isinstance(os.fspath(path), bytes) else out

        return call

    os.path.abspath, os.path.realpath = keep_prefix(real_abspath), keep_prefix(real_realpath)
    real_isabs = os.path.isabs
    os.path.isabs = lambda path: os.fsdecode(os.fspath(path)).startswith(LONG_PREFIX) or real_isabs(path)
    # changju's own paths are Windows' (the extended-length prefix where a path is long), set when
    # changju_check.report.paths is imported (not before: a process may never import changju)
    _after_import("changju_check.report.paths", _windows_paths)
    _after_import("pikepdf", _qpdf_on_windows)
    _after_import("watchfiles", _notify_on_windows)


def _notify_on_windows(module) -> None:
    """watchfiles (Rust notify) opens the folder itself: as on Windows, it takes an extended-length
    path (and reports the changes under it) and refuses a long one without it."""
    real_watch = module.watch

    def watch(*paths, **kwargs):
        prefixed = any(LONG_PREFIX in os.fsdecode(os.fspath(p)) for p in paths)
        for changes in real_watch(*(_native(p) for p in paths), **kwargs):
            yield {(change, LONG_PREFIX + path) for change, path in changes} if prefixed else changes

    module.watch = watch


def _windows_paths(module) -> None:
    module.WINDOWS = True


def _qpdf_on_windows(module) -> None:
    """qpdf opens the files a Job names itself (native code, out of the simulation's reach): on
    Windows it opens them with _wfopen, which takes an extended-length path and refuses a long one
    without it. The Job is given the paths as Windows' qpdf would see them."""
    real_job = module.Job

    def job(args, *rest, **kwargs):
        if isinstance(args, (list, tuple)):
            args = [_native(a) if isinstance(a, str) and (LONG_PREFIX in a or len(a) >= MAX_PATH) else a for a in args]
        return real_job(args, *rest, **kwargs)

    module.Job = job


def _after_import(name: str, change) -> None:
    """`change(module)` once `name` is imported (now, if it is already)."""
    if name in sys.modules:
        change(sys.modules[name])
        return
    sys.meta_path.insert(0, _AfterImport(name, change))


class _AfterImport:
    def __init__(self, name, change):
        self.name, self.change = name, change

    def find_spec(self, name, path=None, target=None):
        if name != self.name:
            return None
        sys.meta_path.remove(self)
        import importlib.util

        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        real_exec, change = spec.loader.exec_module, self.change

        def exec_module(module):
            real_exec(module)
            change(module)

        spec.loader.exec_module = exec_module
        return spec


def enable_for_children(environ: dict | None = None) -> None:
    """Child processes started from here (the CLI, spawned workers) run simulated as well."""
    env = os.environ if environ is None else environ
    env[ENV] = "1"
    parts = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    if str(SITE) not in parts:
        env["PYTHONPATH"] = os.pathsep.join([str(SITE), *parts])
