"""Several packets at once, spread over worker processes (`changju check DIR1 DIR2`, `--batch ROOT`).

    with Workers(jobs) as workers:              # start them first: they import while packets are found
        found = find_packets(root)
        for report in iter_found(found, options, workers=workers):
            ...                                 # each report as soon as it and those before it are done

Reports come back in the order the packets were given, one at a time, so that a caller that
writes each one out and lets it go holds only a few at once, whatever the size of the batch (a
programme office checks some 10,000 packets a season). `check_found` and `check_many` give
the list, for callers that want it.

Each packet is checked in a worker's main thread, so the per-file time limit works there too.
Workers are started before the packets are found and import what a check needs (pypdf, the
checks, the document layouts) in their own initializer, in parallel with the discovery, forked or
spawned alike (Windows spawns). They do not load the rules there: a rule cache inside a packet
is turned off (CHANGJU_NO_RULE_CACHE) only once the packets are known, and each task carries
that setting. Work is handed out in small chunks of packets, a few chunks ahead per worker.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from pathlib import Path
from typing import Iterable, Iterator, Optional

from changju_check.engine.run import CheckOptions, check_packet, unexpected_report
from changju_check.packet.discover import Found
from changju_check.report import Report

NO_RULE_CACHE = "CHANGJU_NO_RULE_CACHE"
AHEAD = 3  # chunks handed out per worker beyond the one it is checking


def _one(args: tuple[Path, CheckOptions]) -> Report:
    """One packet's report, whatever happens: an exception is this packet's fatal finding."""
    path, options = args
    try:
        return check_packet(path, options)
    except Exception as exc:  # noqa: BLE001 - one broken packet never costs the others their report
        return unexpected_report(str(path), exc)


def _chunk(paths: list[Path], options: CheckOptions, no_rule_cache: Optional[str]) -> list[Report]:
    """A worker's task: a few packets, with the main process's rule-cache setting."""
    if no_rule_cache:
        os.environ[NO_RULE_CACHE] = no_rule_cache
    else:
        os.environ.pop(NO_RULE_CACHE, None)
    return [_one((p, options)) for p in paths]


def _warm(rules_dir=None) -> None:
    """Load the rules (when given) and what every packet's check imports, once, then move them out
    of the garbage collector's sight (tens of thousands of long-lived objects it would otherwise
    walk again for every packet)."""
    import gc

    if rules_dir is not False:
        from changju_check.rulebook.load import load_rules

        try:
            load_rules(rules_dir)
        except Exception:  # noqa: BLE001 - check_packet reports a broken rule directory itself
            pass
    _preload()
    gc.freeze()


def _warm_worker() -> None:
    """A worker's initializer: the imports, not the rules (see the module's docstring)."""
    _warm(False)


def _preload() -> None:
    """Import what `check_packet` imports on its first packet."""
    import importlib

    for name in ("pypdf", "changju_check.manifest", "changju_check.packet", "changju_check.inspect",
                 "changju_check.inspect.active", "changju_check.inspect.complexity", "changju_check.checks",
                 "changju_check.checks.context", "changju_check.recognise.assign", "changju_check.scan.textlayer",
                 "changju_check.scan.examine", "changju_check.rulebook.template"):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a missing module is check_packet's to report
            pass
    try:
        from changju_check.scan.layout import load_layouts

        load_layouts()
    except Exception:  # noqa: BLE001 - a broken layout file is check_packet's to report
        pass


def _ready() -> int:
    return os.getpid()


# Windows' ProcessPoolExecutor refuses more than 61 workers (WaitForMultipleObjects waits on at
# most 64 handles) with a ValueError; no batch gains from more processes than that anywhere.
MAX_WORKERS = 61


def default_jobs() -> int:
    from changju_check.inspect.limits import usable_cores

    return max(1, min(usable_cores(), MAX_WORKERS))


class Workers:
    """The worker processes of a batch (none for `jobs` 1: the packets are checked in this
    process). Start them as early as possible; a context manager that shuts them down."""

    def __init__(self, jobs: int = 0) -> None:
        self.jobs = max(1, min(jobs or default_jobs(), MAX_WORKERS))
        self.pool = None

    def start(self) -> "Workers":
        if self.jobs > 1 and self.pool is None:
            from concurrent.futures import ProcessPoolExecutor

            self.pool = ProcessPoolExecutor(max_workers=self.jobs, initializer=_warm_worker)
            for _ in range(self.jobs):  # a spawned pool starts a process per task handed out
                self.pool.submit(_ready)
        return self

    def restart(self) -> None:
        """After a worker died (the pool is broken): a fresh pool for the packets still to check."""
        self.close()
        self.start()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def __enter__(self) -> "Workers":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()


def chunk_size(packets: int, jobs: int) -> int:
    """Packets per task: one for a small batch (the last tasks must not leave a worker idle),
    up to 8 for a large one (fewer round trips)."""
    return max(1, min(8, packets // (jobs * 16)))


def iter_reports(packets: list[Path], options: CheckOptions, *, jobs: int = 0,
                 workers: Optional[Workers] = None) -> Iterator[Report]:
    """Each packet's report, in the order given, as soon as it is ready."""
    if not packets:
        return
    if workers is None:
        jobs = max(1, min(jobs or default_jobs(), len(packets), MAX_WORKERS))
        if jobs > 1:
            with Workers(jobs) as own:
                yield from _in_pool(packets, options, own)
            return
    elif workers.pool is not None:
        yield from _in_pool(packets, options, workers)
        return
    _warm(options.rules_dir)
    for p in packets:
        yield _one((p, options))


def _in_pool(packets: list[Path], options: CheckOptions, workers: Workers) -> Iterator[Report]:
    """The reports in order, a bounded number of chunks in flight. A worker that dies (killed, out
    of memory) breaks the pool and every chunk it still held: those packets are checked again,
    each in a pool of its own, so that only the packet that kills its worker ends with an error
    report; the rest of the batch goes on in a fresh pool."""
    from concurrent.futures.process import BrokenProcessPool

    size = chunk_size(len(packets), workers.jobs)
    chunks = [packets[i:i + size] for i in range(0, len(packets), size)]
    flight: deque = deque()
    following = iter(chunks)

    def hand_out() -> None:
        while len(flight) < workers.jobs * (1 + AHEAD):
            chunk = next(following, None)
            if chunk is None:
                return
            future = workers.pool.submit(_chunk, chunk, options, os.environ.get(NO_RULE_CACHE))
            flight.append((chunk, future))

    hand_out()
    while flight:
        chunk, future = flight.popleft()
        try:
            reports = future.result()
        except BrokenProcessPool:
            lost = [chunk] + [c for c, _ in flight]
            done = [f for _, f in flight]
            flight.clear()
            for c, f in zip(lost, [future] + done):
                ok = f.done() and not f.cancelled() and f.exception() is None
                yield from f.result() if ok else (_alone(p, options) for p in c)
            workers.restart()
            hand_out()
            continue
        except Exception as exc:  # noqa: BLE001 - e.g. a report that cannot be pickled
            # one packet's fault costs only its own report
            reports = [_alone(p, options) for p in chunk] if len(chunk) > 1 else [unexpected_report(str(chunk[0]), exc)]
        hand_out()
        yield from reports


def _alone(path: Path, options: CheckOptions) -> Report:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(max_workers=1, initializer=_warm_worker) as pool:
            return pool.submit(_chunk, [path], options, os.environ.get(NO_RULE_CACHE)).result()[0]
    except BrokenProcessPool:
        return unexpected_report(str(path), RuntimeError("the checking process stopped (killed or out of memory)"))
    except Exception as exc:  # noqa: BLE001
        return unexpected_report(str(path), exc)


def with_progress(reports: Iterable[Report], total: int) -> Iterator[Report]:
    """The reports, with a progress bar on stderr while they come."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(file=sys.stderr),
        transient=True,
    ) as bar:
        task = bar.add_task("checking", total=total)
        for report in reports:
            yield report
            bar.advance(task)


def loose_report(found: Found) -> Report:
    """Scans lying in a folder of packets, outside every packet folder (CJ411), or a candidate
    `find_packets` could not check (a link out of the root, folders too deep): listed, not checked."""
    from datetime import date

    from changju_check.rulebook.codes import finding

    if found.kind == "skipped":  # a link out of the root, folders too deep: named, with the reason
        report = Report(packet=str(found.path), category="", category_title="", category_title_en="", as_of=date.today())
        report.fatal = finding(found.code, found.reason.zh, found.reason.en)
        return report
    names = list(found.files)
    shown = "、".join(names[:10]) + (f" … (+{len(names) - 10})" if len(names) > 10 else "")
    shown_en = ", ".join(names[:10]) + (f" … (+{len(names) - 10})" if len(names) > 10 else "")
    report = Report(packet=str(found.path), category="", category_title="", category_title_en="", as_of=date.today())
    report.fatal = finding(
        "CJ411",
        f"{len(names)} 个扫描件不在任何材料包文件夹中：{shown}",
        f"{len(names)} scan(s) outside every packet folder: {shown_en}",
    )
    return report


def iter_found(found: list[Found], options: CheckOptions, *, jobs: int = 0, progress: bool = False,
               workers: Optional[Workers] = None) -> Iterator[Report]:
    """Every packet `find_packets` found, in its order, each report as soon as it is ready; loose
    scans (CJ411) and skipped candidates (CJ305, CJ301) become a report each."""
    listed = ("loose", "skipped")  # named with the reason they are not checked, never dropped
    paths = [f.path for f in found if f.kind not in listed]
    checked = iter_reports(paths, options, jobs=jobs, workers=workers)
    reports = (loose_report(f) if f.kind in listed else next(checked) for f in found)
    return with_progress(reports, len(found)) if progress else reports


def check_many(packets: list[Path], options: CheckOptions, *, jobs: int = 0, progress: bool = False) -> list[Report]:
    reports = iter_reports(packets, options, jobs=jobs)
    return list(with_progress(reports, len(packets)) if progress else reports)


def check_found(found: list[Found], options: CheckOptions, *, jobs: int = 0, progress: bool = False) -> list[Report]:
    """`iter_found` as a list."""
    return list(iter_found(found, options, jobs=jobs, progress=progress))


__all__ = ["Workers", "check_found", "check_many", "default_jobs", "iter_found", "iter_reports", "loose_report"]
