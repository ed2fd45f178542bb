"""Several packets at once, spread over worker processes (`changju check DIR1 DIR2`, `--batch ROOT`).

Each packet is checked in a worker's main thread, so the per-file time limit
(SIGALRM) works there too. Reports come back in the order the packets were given.
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Iterator

from changju_check.engine.run import CheckOptions, check_packet, unexpected_report
from changju_check.packet.discover import Found
from changju_check.report import Report


def _one(args: tuple[Path, CheckOptions]) -> Report:
    """One packet's report, whatever happens: an exception is this packet's fatal finding."""
    path, options = args
    try:
        return check_packet(path, options)
    except Exception as exc:  # noqa: BLE001 - one broken packet never costs the others their report
        return unexpected_report(str(path), exc)


def _warm(rules_dir) -> None:
    """Load the rules and what every packet's check imports, once, then move them out of the
    garbage collector's sight (tens of thousands of long-lived objects it would otherwise walk
    again for every packet). Done in the main process before the workers fork, they start
    with all of it (each would otherwise import pypdf and the checks again); a spawned worker
    (not on Linux) does it itself."""
    import gc

    from changju_check.rulebook.load import load_rules

    try:
        load_rules(rules_dir)
    except Exception:  # noqa: BLE001 - check_packet reports a broken rule directory itself
        pass
    _preload()
    gc.freeze()


def _preload() -> None:
    """Import what `check_packet` imports on its first packet (a fork then shares it)."""
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


# Windows' ProcessPoolExecutor refuses more than 61 workers (WaitForMultipleObjects waits on at
# most 64 handles) with a ValueError; no batch gains from more processes than that anywhere.
MAX_WORKERS = 61


def default_jobs() -> int:
    try:
        found = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        found = os.cpu_count() or 1
    return max(1, min(found, MAX_WORKERS))


def check_many(packets: list[Path], options: CheckOptions, *, jobs: int = 0, progress: bool = False) -> list[Report]:
    jobs = jobs or default_jobs()
    jobs = max(1, min(jobs, len(packets), MAX_WORKERS))
    work = [(p, options) for p in packets]
    if jobs == 1:
        _warm(options.rules_dir)
        return _run(map(_one, work), len(work), progress)
    return _run(_in_pool(work, jobs, options.rules_dir), len(work), progress)


def _in_pool(work: list[tuple[Path, CheckOptions]], jobs: int, rules_dir) -> Iterator[Report]:
    """The reports in order. A worker that dies (killed, out of memory) breaks the pool and every
    packet it still held: those are checked again, each in a pool of its own, so that only the
    packet that kills its worker ends with an error report."""
    from concurrent.futures.process import BrokenProcessPool

    import multiprocessing

    forked = multiprocessing.get_start_method() == "fork"
    if forked:
        _warm(rules_dir)  # the workers fork with it all loaded (and frozen): no initializer
    with ProcessPoolExecutor(max_workers=jobs, initializer=None if forked else _warm,
                             initargs=() if forked else (rules_dir,)) as pool:
        futures = [pool.submit(_one, item) for item in work]
        for i, future in enumerate(futures):
            try:
                yield future.result()
                continue
            except BrokenProcessPool:
                pass
            except Exception as exc:  # noqa: BLE001 - e.g. a report that cannot be pickled
                yield unexpected_report(str(work[i][0]), exc)
                continue
            # the pool is broken: this and every later unfinished packet, one pool each
            for j in range(i, len(work)):
                done = futures[j].done() and not futures[j].cancelled() and futures[j].exception() is None
                yield futures[j].result() if done else _alone(work[j], rules_dir)
            return


def _alone(item: tuple[Path, CheckOptions], rules_dir) -> Report:
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(max_workers=1, initializer=_warm, initargs=(rules_dir,)) as pool:
            return pool.submit(_one, item).result()
    except BrokenProcessPool:
        return unexpected_report(str(item[0]), RuntimeError("the checking process stopped (killed or out of memory)"))
    except Exception as exc:  # noqa: BLE001
        return unexpected_report(str(item[0]), exc)


def _run(results, total: int, progress: bool) -> list[Report]:
    if not progress:
        return list(results)
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    reports: list[Report] = []
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(file=sys.stderr),
        transient=True,
    ) as bar:
        task = bar.add_task("checking", total=total)
        for report in results:
            reports.append(report)
            bar.advance(task)
    return reports


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


def check_found(found: list[Found], options: CheckOptions, *, jobs: int = 0, progress: bool = False) -> list[Report]:
    """Every packet `find_packets` found, in its order; loose scans (CJ411) and skipped candidates
    (CJ305, CJ301) become a report each."""
    listed = ("loose", "skipped")  # named with the reason they are not checked, never dropped
    paths = [f.path for f in found if f.kind not in listed]
    checked = iter(check_many(paths, options, jobs=jobs, progress=progress) if paths else [])
    return [loose_report(f) if f.kind in listed else next(checked) for f in found]


__all__ = ["check_found", "check_many", "default_jobs", "loose_report"]
