"""The time limit every inspection runs under: a SIGALRM interval timer in a POSIX main thread,
else a worker process killed when the limit passes (`Worker`). Generic: it runs any
`inner(pf, arg) -> result`; an `Outcome` says what a result is and how a time-out or a crash
becomes one (the inspection's default: a `FileInfo` with CJ301; the page previews have their own)."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from changju_check.inspect import model  # WORKER_GRACE read at use (tests lower it)
from changju_check.inspect.model import (
    ALARM_REPEAT,
    WORKER_START_TIMEOUT,
    FileInfo,
    timed_out,
    unexpected,
)
from changju_check.packet import PacketFile


@dataclass(frozen=True)
class Outcome:
    """What a limited call must return, and what it returns instead when it times out
    (`timed_out(pf, timeout)`) or raises (`unexpected(pf, exc)`). Picklable: sent to the worker."""

    result: type = FileInfo
    timed_out: Callable[[PacketFile, float], Any] = timed_out
    unexpected: Callable[[PacketFile, BaseException], Any] = unexpected


INSPECTION = Outcome()
PARENT_CHECK_S = 1.0  # how often a worker checks that its parent is still there


def usable_cores() -> int:
    """The cores this process may run on (its affinity on Linux; the machine's count elsewhere):
    what the batch's workers, the preview workers and the sheet's printer are sized by."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class TimedOut(BaseException):
    """Raised by the SIGALRM handler; a BaseException so that `except Exception` in libraries cannot eat it."""


def alarm_usable() -> bool:
    return (
        hasattr(signal, "SIGALRM")
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )


class Alarm:
    """SIGALRM time limits for a series of calls (a packet's files): the handler is installed once
    for the series, each call only sets and clears the timer (installing a handler costs several
    times more than the timer). Main thread of a POSIX process only (`alarm_usable`). Someone
    else's running timer is given back what is left of it at the end."""

    def __enter__(self) -> "Alarm":
        self._armed = False
        self._started = time.monotonic()
        self._previous_delay, self._previous_interval = signal.getitimer(signal.ITIMER_REAL)
        self._previous_handler = signal.signal(signal.SIGALRM, self._on_alarm)
        return self

    def _on_alarm(self, signum: int, frame: Any) -> None:
        if self._armed:
            raise TimedOut

    def run(self, inner: Callable[[PacketFile, Any], Any], pf: PacketFile, timeout: float, arg: Any,
            outcome: Outcome = INSPECTION) -> Any:
        """`inner(pf, arg)` within `timeout` seconds; a time-out is `outcome.timed_out(pf, timeout)`."""
        try:
            try:
                self._armed = True
                signal.setitimer(signal.ITIMER_REAL, timeout, ALARM_REPEAT)
                return guarded(inner, pf, arg, outcome)
            finally:
                self._armed = False
                signal.setitimer(signal.ITIMER_REAL, 0)
        except TimedOut:  # raised in the finally above, before the timer was cleared
            self._armed = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            return outcome.timed_out(pf, timeout)

    def __exit__(self, *exc: object) -> None:
        self._armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        previous = self._previous_handler
        signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
        if self._previous_delay > 0:  # someone else's timer was running: give it back what is left
            left = self._previous_delay - (time.monotonic() - self._started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6), self._previous_interval)


def run_with_alarm(
    inner: Callable[[PacketFile, Any], Any], pf: PacketFile, timeout: float, text_pages: Any, outcome: Outcome = INSPECTION
) -> Any:
    """One call under its own alarm (see `Alarm` for a series of them)."""
    with Alarm() as alarm:
        return alarm.run(inner, pf, timeout, text_pages, outcome)


def guarded(inner: Callable[[PacketFile, Any], Any], pf: PacketFile, text_pages: Any, outcome: Outcome = INSPECTION) -> Any:
    try:
        info = inner(pf, text_pages)
        if not isinstance(info, outcome.result):
            raise TypeError(f"inspection returned {type(info).__name__}")
        return info
    except Exception as exc:  # noqa: BLE001 - RecursionError, MemoryError, anything a library raises
        return outcome.unexpected(pf, exc)


def _context() -> Any:
    """Fork where it is safe and cheap, else spawn. A forked worker is a copy of this process with
    everything imported (a spawned one starts an interpreter and imports: ~0.05 s each). Only on
    Linux (macOS's system libraries are not fork-safe, Windows has no fork) and only from a process
    running no other thread: a fork copies one thread but every lock as it was."""
    import multiprocessing

    if sys.platform.startswith("linux") and threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")  # safe from any thread, and the only choice on Windows


class Worker:
    """One worker process that runs files sent to it; killed and replaced on a time-out. Started
    at the first `run`, or before by `start()` (from a thread running alone, it is forked).
    `preload`: modules the work imports, imported by the worker as soon as it has said it is ready
    (while this process goes on); a forked worker has them already where this process imported
    them before (`import_now`: worth it when several workers would each import them)."""

    def __init__(self, preload: tuple[str, ...] = ()) -> None:
        self._proc: Any = None
        self._conn: Any = None
        self._preload = preload

    def start(self) -> bool:
        """Start the process now (not at the first `run`); False if it cannot start."""
        if self._proc is None or not self._proc.is_alive():
            try:
                self._start()
            except Exception:  # noqa: BLE001 - e.g. a script without a __main__ guard cannot spawn
                return False
        return True

    def _start(self) -> None:
        ctx = _context()
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_worker_main, args=(child, os.getpid(), self._preload), daemon=True,
                           name="changju-inspect")
        proc.start()
        child.close()
        if not parent.poll(WORKER_START_TIMEOUT) or parent.recv() != "ready":
            proc.kill()
            raise RuntimeError("the inspection worker did not start")
        self._proc, self._conn = proc, parent

    def run(
        self, inner: Callable[[PacketFile, Any], Any], pf: PacketFile, timeout: float, text_pages: Any, outcome: Outcome = INSPECTION
    ) -> Any:
        """`inner(pf, text_pages)` in the worker, killed after `timeout` seconds (plus WORKER_GRACE)."""
        if not self.start():  # no worker, no limit: pypdf's own limits still stop the known bombs
            return guarded(inner, pf, text_pages, outcome)
        self._conn.send((inner, pf, timeout, text_pages, outcome))
        if self._conn.poll(timeout + model.WORKER_GRACE):
            try:
                return self._conn.recv()
            except (EOFError, OSError):
                self._kill()
                return outcome.unexpected(pf, RuntimeError("the inspection process stopped unexpectedly"))
        self._kill()
        return outcome.timed_out(pf, timeout)

    def end_now(self) -> None:
        """End the process at once, from any thread: a call waiting in `run` returns its outcome's
        `unexpected` (the pipe closes); the thread that owns this worker still calls `close`."""
        proc = self._proc
        if proc is not None:
            try:
                proc.kill()
            except (OSError, ValueError, AttributeError):
                pass

    def _kill(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.join(5)
        if self._conn is not None:
            self._conn.close()
        self._proc = self._conn = None

    def close(self) -> None:
        if self._proc is None:
            return
        try:
            self._conn.send(None)
            self._proc.join(2)
        except (OSError, ValueError):
            pass
        if self._proc.is_alive():
            self._proc.kill()
            self._proc.join(5)
        self._conn.close()
        self._proc = self._conn = None


def parent_gone(parent_pid: int = 0) -> bool:
    """Whether the process that started this worker has ended. multiprocessing's parent sentinel
    says so on every system (Windows: the parent's process handle; POSIX: a pipe, whose other end
    a sibling forked later may still hold); on POSIX a changed parent pid (re-parenting) says so
    too, but on Windows the pid never changes, so it alone never tells."""
    import multiprocessing

    if parent_pid and os.getppid() != parent_pid:
        return True
    parent = multiprocessing.parent_process()
    if parent is not None:
        try:
            return not parent.is_alive()
        except (OSError, ValueError):
            pass
    return False


def watch_parent(parent_pid: int = 0, period: float | None = None) -> threading.Thread:
    """End this worker process within `period` seconds (PARENT_CHECK_S) of its parent's end, also
    while it is busy inside one long piece of work and reads nothing from its pipe: on Windows no
    alarm interrupts that work and no parent is left to kill the worker at its time limit. A daemon
    thread asks `parent_gone` every period and ends the process at once (`os._exit`: no cleanup
    handler of the parent's runs in a worker)."""
    every = PARENT_CHECK_S if period is None else period

    def watch() -> None:
        while True:
            time.sleep(every)
            if parent_gone(parent_pid):
                os._exit(0)

    thread = threading.Thread(target=watch, name="changju-parent-watch", daemon=True)
    thread.start()
    return thread


def import_now(modules: tuple[str, ...]) -> None:
    """Import `modules` here (a missing one is the work's to report)."""
    import importlib

    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the work itself reports a missing library
            pass


def _worker_main(conn: Any, parent_pid: int = 0, preload: tuple[str, ...] = ()) -> None:
    """The worker process: inspect each request under the alarm if it can, answer, repeat. Ctrl-C
    is the parent's to handle (it ends its workers), SIGTERM and SIGHUP end a worker at once, without
    the parent's cleanup handlers; a worker whose parent is gone ends too, idle or busy
    (`watch_parent`: a forked one holds copies of its siblings' pipes, so it may never see the end
    of its own, and a busy one reads no pipe)."""
    if hasattr(signal, "SIGINT"):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP", "SIGBREAK"):  # a forked worker has the CLI's handlers: end quietly instead
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    watch_parent(parent_pid)
    conn.send("ready")
    import_now(preload)  # while the parent goes on (a no-op where a forked worker has them already)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        inner, pf, timeout, text_pages, outcome = request
        if alarm_usable():
            info = run_with_alarm(inner, pf, timeout, text_pages, outcome)
        else:
            info = guarded(inner, pf, text_pages, outcome)
        conn.send(info)
