"""Reader processes with a hard per-file time limit and a memory limit.

PDFium renders in native code, where Python's SIGALRM handler never runs: a page that draws one
stream thousands of times keeps a worker busy for minutes although the alarm went off. So the
limit is kept from outside. Each worker is a spawned process of our own, given one file at a
time; the parent notes when it handed the file over and kills the worker when the file's time is
up (`timeout` plus a short grace in which the worker's own alarm can answer "timeout" itself),
then starts a fresh one for the next file. One file's failure never costs another file its
reading: a crash, the kill or the memory limit ends only the file in hand.

The memory limit is `resource.setrlimit(RLIMIT_AS)` set by the worker on itself before it reads
anything (POSIX; on Windows a job object of its own with JOB_OBJECT_LIMIT_PROCESS_MEMORY, `limit_memory_by_job`): an allocation beyond it fails with
MemoryError inside the worker (reported as "out of memory", never as a damaged file) or ends the
worker (reported as a stopped reader).

Start-up (imports, the OCR models, loaded before the worker says "ready") is not counted against
a file — on a busy machine loading the models can take longer than a file's limit, and a killed
worker's replacement must not pay for it inside the next file's time. A worker must say "ready"
within `STARTUP_GRACE` seconds, or it is killed; if no worker can start at all (a caller's script
without the `if __name__ == "__main__":` guard), `run_jobs` returns None and the caller reads in
its own process.
"""

from __future__ import annotations

import os
import time
from collections import deque
from typing import Any

STARTUP_GRACE = 120.0  # seconds a worker may take to start (imports) before it is given up
KILL_GRACE = 0.5  # seconds past the file's limit before the parent kills a worker
DEFAULT_MEMORY_MB = 2048  # address space of one worker: OCR of a page peaks at ~1.1 GB of it
CRASHED = "the reader process stopped (crashed or ran out of memory)"
TIMEOUT = "timeout"


def memory_limit_mb() -> int:
    """The worker's address-space limit in MB (`CHANGJU_SCAN_MEMORY_MB`; 0 turns it off)."""
    raw = os.environ.get("CHANGJU_SCAN_MEMORY_MB", "")
    try:
        value = int(raw)
    except ValueError:
        return DEFAULT_MEMORY_MB
    return max(0, value)


def _limit_memory(megabytes: int) -> None:  # pragma: no cover - runs in a worker process
    if megabytes <= 0:
        return
    try:
        import resource
    except ImportError:  # Windows: a job object holds the same limit
        _limit_memory_windows(megabytes * 1024 * 1024)
        return
    limit = megabytes * 1024 * 1024
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (OSError, ValueError):
        pass


# Job object (Windows): winnt.h's values
JOB_OBJECT_LIMIT_PROCESS_MEMORY = 0x00000100
JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x00002000
JOB_OBJECT_EXTENDED_LIMIT_INFORMATION = 9  # JOBOBJECTINFOCLASS JobObjectExtendedLimitInformation
JOB_LIMIT_FLAGS = JOB_OBJECT_LIMIT_PROCESS_MEMORY | JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
_EXTENDED: Any = None


def job_limit_information(limit: int) -> Any:
    """A JOBOBJECT_EXTENDED_LIMIT_INFORMATION (winnt.h) capping each process of the job at `limit`
    bytes of committed memory. The layout is the SDK's: on 64-bit Windows 144 bytes, LimitFlags at
    offset 16 and ProcessMemoryLimit at 112 (LARGE_INTEGER = int64, DWORD = uint32, SIZE_T and
    ULONG_PTR = size_t; ctypes pads as MSVC does). KILL_ON_JOB_CLOSE: anything the reader itself
    started ends with it (the job's only handle is the reader's own)."""
    import ctypes

    global _EXTENDED
    if _EXTENDED is None:
        dword = ctypes.c_uint32

        class IO_COUNTERS(ctypes.Structure):
            _fields_ = [(n, ctypes.c_ulonglong) for n in ("ReadOperationCount", "WriteOperationCount", "OtherOperationCount",
                                                            "ReadTransferCount", "WriteTransferCount", "OtherTransferCount")]

        class JOBOBJECT_BASIC_LIMIT_INFORMATION(ctypes.Structure):
            _fields_ = [("PerProcessUserTimeLimit", ctypes.c_int64), ("PerJobUserTimeLimit", ctypes.c_int64),
                        ("LimitFlags", dword), ("MinimumWorkingSetSize", ctypes.c_size_t),
                        ("MaximumWorkingSetSize", ctypes.c_size_t), ("ActiveProcessLimit", dword),
                        ("Affinity", ctypes.c_size_t), ("PriorityClass", dword), ("SchedulingClass", dword)]

        class JOBOBJECT_EXTENDED_LIMIT_INFORMATION(ctypes.Structure):
            _fields_ = [("BasicLimitInformation", JOBOBJECT_BASIC_LIMIT_INFORMATION), ("IoInfo", IO_COUNTERS),
                        ("ProcessMemoryLimit", ctypes.c_size_t), ("JobMemoryLimit", ctypes.c_size_t),
                        ("PeakProcessMemoryUsed", ctypes.c_size_t), ("PeakJobMemoryUsed", ctypes.c_size_t)]

        _EXTENDED = JOBOBJECT_EXTENDED_LIMIT_INFORMATION
    info = _EXTENDED()
    info.BasicLimitInformation.LimitFlags = JOB_LIMIT_FLAGS
    info.ProcessMemoryLimit = limit
    return info


def limit_memory_by_job(kernel32: Any, limit: int) -> bool:
    """Put this process in a job object of its own whose process memory limit is `limit` bytes
    (`kernel32`: the Windows DLL, or a stand-in in the tests). An allocation past the limit fails
    in the worker (MemoryError: "out of memory"), or native code ends the worker (a stopped
    reader): either way that file's finding says so and the next file gets a fresh worker, as with
    RLIMIT_AS on POSIX. Returns whether the limit is in place.

    Run under the test suite's Windows simulation with a recording kernel32 (the calls, the handles,
    the struct's bytes at the SDK's offsets); the real kernel32 call is reasoned, not run here.
    Windows 8 and later nest jobs, so this works also where the parent already runs in a job (a
    CI runner, a terminal). Where no job can be made the reader runs without a cap, as with
    CHANGJU_SCAN_MEMORY_MB=0: a watchdog polling the worker's memory from the parent would need
    another native API (GetProcessMemoryInfo) or psutil, and could only kill the worker after the
    allocation had already happened; CreateJobObjectW fails only when the system is out of
    resources."""
    import ctypes
    from ctypes import wintypes

    try:
        kernel32.CreateJobObjectW.restype = wintypes.HANDLE
        kernel32.GetCurrentProcess.restype = wintypes.HANDLE
        job = kernel32.CreateJobObjectW(None, None)
        if not job:
            return False
        info = job_limit_information(limit)
        if not kernel32.SetInformationJobObject(wintypes.HANDLE(job), JOB_OBJECT_EXTENDED_LIMIT_INFORMATION,
                                                ctypes.byref(info), ctypes.sizeof(info)):
            return False
        return bool(kernel32.AssignProcessToJobObject(wintypes.HANDLE(job), kernel32.GetCurrentProcess()))
    except (AttributeError, OSError):
        return False


def _limit_memory_windows(limit: int) -> bool:
    """The job object's limit where this is Windows (ctypes has WinDLL); False elsewhere."""
    import ctypes

    if not hasattr(ctypes, "WinDLL"):
        return False
    try:
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    except OSError:
        return False
    return limit_memory_by_job(kernel32, limit)


def _child(conn: Any, memory_mb: int, threads: int, tmp: str) -> None:  # pragma: no cover - runs in a worker process
    import tempfile

    # a temporary folder of the worker's own, removed by the parent even when the worker is
    # killed: onnxruntime's bundled telemetry SDK drops a `.ses` file into TMPDIR
    for name in ("TMPDIR", "TEMP", "TMP"):
        os.environ[name] = tmp
    tempfile.tempdir = tmp
    from changju_check.inspect.limits import watch_parent
    from changju_check.scan import pipeline

    watch_parent()  # a reader busy in PDFium or the OCR when its parent is killed ends too
    pipeline.worker_init()
    _limit_memory(memory_mb)
    pipeline.warm(threads)  # imports and the OCR models: start-up, not a file's time
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            out = pipeline.run_job(job)
        except BaseException as exc:  # noqa: BLE001 - run_job catches Exception; this is the rest
            out = {"page_count": 0, "pages": {}, "error": f"{type(exc).__name__}", "ocr_pages": 0}
        try:
            conn.send(out)
        except MemoryError:
            conn.send({"page_count": 0, "pages": {}, "error": "out of memory", "ocr_pages": 0})


def _error(message: str) -> dict[str, Any]:
    return {"page_count": 0, "pages": {}, "error": message, "ocr_pages": 0}


# every reader started and not yet ended, whoever holds it (or no one: an ending signal can arrive
# between a reader's start and the line that keeps it); `release_spare` ends what is left
_OPEN: set = set()


class _Worker:
    def __init__(self, ctx: Any, memory_mb: int, threads: int) -> None:
        from changju_check.write.temp import private_dir

        self.memory_mb, self.threads = memory_mb, threads
        self.tmp: str | None = None
        self.proc: Any = None
        self.conn: Any = None
        _OPEN.add(self)
        try:
            self.tmp = private_dir("scan")
            parent, child = ctx.Pipe()
            self.conn = parent
            self.proc = ctx.Process(target=_child, args=(child, memory_mb, threads, self.tmp), daemon=True,
                                    name="changju-scan")
            self.proc.start()
            child.close()
        except BaseException:  # Ctrl-C or an ending signal while starting: nothing is left behind
            self.kill()
            raise
        self.ready = False
        self.job: int | None = None
        self.handed = 0.0
        self.deadline = time.monotonic() + STARTUP_GRACE

    def kill(self) -> None:
        try:
            if self.proc is not None:
                self.proc.kill()
                self.proc.join(5)
        except Exception:  # noqa: BLE001
            pass
        try:
            if self.conn is not None:
                self.conn.close()
        except OSError:
            pass
        self._tidy()

    def _tidy(self) -> None:
        import shutil

        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
        _OPEN.discard(self)

    def stop(self) -> None:
        try:
            self.conn.send(None)
            self.proc.join(2)
        except (OSError, ValueError, BrokenPipeError):
            pass
        if self.proc.is_alive():
            self.kill()
        else:
            self.conn.close()
            self._tidy()


_SPARE: _Worker | None = None  # a reader started ahead (`prestart`), for the next `run_jobs`


def _threads_for(workers: int) -> int:
    return max(1, (os.cpu_count() or 1) // max(1, workers))


def prestart(workers: int = 1) -> None:
    """Start a reader process now: its imports and OCR models (about a second) load while the
    caller inspects the packet, instead of after it. `run_jobs` takes it; `release_spare` ends it
    when no page needed reading (every page cached, or text layers only)."""
    import multiprocessing

    global _SPARE
    if _SPARE is not None or multiprocessing.current_process().daemon:
        return  # one already; or a daemonic process (a Pool worker), which may not start children
    try:
        _SPARE = _Worker(multiprocessing.get_context("spawn"), memory_limit_mb(), _threads_for(workers))
    except Exception:  # noqa: BLE001 - no reader ahead; run_jobs starts its own (or reads inline)
        _SPARE = None


def _take_spare(memory_mb: int, threads: int) -> _Worker | None:
    global _SPARE
    spare, _SPARE = _SPARE, None
    if spare is None:
        return None
    if spare.memory_mb == memory_mb and spare.threads == threads and spare.proc.is_alive():
        return spare
    spare.kill()
    return None


def release_spare() -> None:
    """End the reader started ahead if no job took it (killed: one loading models reads no stop),
    and any reader still open — one an ending signal separated from whoever was to keep it."""
    global _SPARE
    spare, _SPARE = _SPARE, None
    for worker in ([spare] if spare is not None else []) + [w for w in list(_OPEN) if w is not spare]:
        worker.kill()


def run_jobs(jobs: list[dict[str, Any]], workers: int, timeout: float, *,
             memory_mb: int | None = None, progress=None) -> list[dict[str, Any]] | None:
    """Run each job (a `pipeline.process` job dict) in one of `workers` processes, each file
    within `timeout` seconds (0: no limit) from the moment its worker received it.
    Returns one result per job, in order, or None when no worker could start."""
    import multiprocessing
    from multiprocessing.connection import wait

    if not jobs:
        return []
    ctx = multiprocessing.get_context("spawn")
    memory = memory_limit_mb() if memory_mb is None else memory_mb
    n = max(1, min(workers, len(jobs)))
    threads = _threads_for(n)
    queue = deque(range(len(jobs)))
    results: list[dict[str, Any] | None] = [None] * len(jobs)
    pool: list[_Worker] = []
    started_ok = False
    failed_starts = 0
    try:
        while queue or any(w.job is not None for w in pool):
            # keep n workers while there is work for them
            while len(pool) < min(n, len(queue) + sum(w.job is not None for w in pool)):
                pool.append(_take_spare(memory, threads) or _Worker(ctx, memory, threads))
            # files are handed out once no worker is still starting: a starting worker loads the
            # OCR models, and its CPU would otherwise come out of the first files' time
            starting = any(not w.ready for w in pool)
            for w in pool:
                if not starting and w.job is None and queue:
                    i = queue.popleft()
                    w.conn.send({**jobs[i], "threads": threads, "timeout": timeout})
                    w.job = i
                    w.handed = time.monotonic()
                    w.deadline = time.monotonic() + (timeout + KILL_GRACE if timeout and timeout > 0 else float("inf"))
            now = time.monotonic()
            wait_for = max(0.0, min(w.deadline for w in pool) - now) if pool else 0.0
            ready = wait([w.conn for w in pool], timeout=min(wait_for, 3600.0))
            now = time.monotonic()
            for w in list(pool):
                gone = False
                if w.conn in ready:
                    try:
                        message = w.conn.recv()
                    except (EOFError, OSError):
                        gone = True
                    else:
                        if message == "ready":
                            w.ready, started_ok = True, True
                        elif w.job is not None:
                            results[w.job] = message
                            w.job = None
                            if progress is not None:
                                progress(sum(r is not None for r in results), len(jobs))
                        w.deadline = float("inf")
                        continue
                elif now < w.deadline:
                    continue
                # the worker died, or its time is up
                w.kill()
                pool.remove(w)
                if w.job is not None:
                    results[w.job] = {**_error(CRASHED if gone else TIMEOUT),
                                      "seconds": round(time.monotonic() - w.handed, 3)}
                elif not w.ready:
                    failed_starts += 1
                    if not started_ok and failed_starts >= 2:
                        return None
                    if failed_starts > 2 + len(jobs):  # workers keep failing to start: give up
                        for i in queue:
                            results[i] = _error(CRASHED)
                        queue.clear()
    finally:
        for w in pool:
            if w.job is None and w.ready:
                w.stop()
            else:
                w.kill()
    return [r if r is not None else _error("not read") for r in results]


__all__ = ["CRASHED", "TIMEOUT", "KILL_GRACE", "STARTUP_GRACE", "memory_limit_mb", "prestart", "release_spare", "run_jobs"]
