"""Several packets at once, spread over worker processes (`changju check DIR1 DIR2`, `--batch ROOT`).

Each packet is checked in a worker's main thread, so the per-file time limit
(SIGALRM) works there too. Reports come back in the order the packets were given.
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from changju_check.engine.run import CheckOptions, check_packet
from changju_check.packet.discover import Found
from changju_check.report import Report


def _one(args: tuple[Path, CheckOptions]) -> Report:
    path, options = args
    return check_packet(path, options)


def _warm(rules_dir) -> None:
    """Worker start: load the rules once, then move them out of the garbage collector's sight
    (tens of thousands of long-lived objects it would otherwise walk again for every packet)."""
    import gc

    from changju_check.rules.load import load_rules

    try:
        load_rules(rules_dir)
    except Exception:  # noqa: BLE001 - check_packet reports a broken rule directory itself
        pass
    gc.freeze()


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def check_many(packets: list[Path], options: CheckOptions, *, jobs: int = 0, progress: bool = False) -> list[Report]:
    jobs = jobs or default_jobs()
    jobs = max(1, min(jobs, len(packets)))
    work = [(p, options) for p in packets]
    if jobs == 1:
        _warm(options.rules_dir)
        return _run(map(_one, work), len(work), progress)
    with ProcessPoolExecutor(max_workers=jobs, initializer=_warm, initargs=(options.rules_dir,)) as pool:
        return _run(pool.map(_one, work, chunksize=1), len(work), progress)


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
    """Scans lying in a folder of packets, outside every packet folder (CJ411): listed, not checked."""
    from datetime import date

    from changju_check.rules.codes import finding

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
    """Every packet `find_packets` found, in its order; loose scans become a CJ411 report each."""
    paths = [f.path for f in found if f.kind != "loose"]
    checked = iter(check_many(paths, options, jobs=jobs, progress=progress) if paths else [])
    return [loose_report(f) if f.kind == "loose" else next(checked) for f in found]


__all__ = ["check_found", "check_many", "default_jobs", "loose_report"]
