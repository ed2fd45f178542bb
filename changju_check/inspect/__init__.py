"""Per-file inspection: what a file really is, whether it opens, how many pages it has.

Every file of a packet is treated as hostile. The type comes from the magic bytes, not the
extension. PDFs are opened lazily from a file object (never a path or the whole file in
memory), reading only the trailer, the encryption dictionary and the page tree, and the text
layer only when asked. Images get a cheap structural check (JPEG end-of-image marker, PNG chunk
chain up to IEND) and are decoded only when small (JPEG at 1/8 scale). Nothing escapes
`inspect_file`: every failure becomes a finding, and each file is inspected under a time limit.

Time limit: in the main thread of a POSIX process a SIGALRM interval timer interrupts the
inspection (the CLI's batch mode calls `inspect_files` in worker processes' main threads, so
that is the normal case). Elsewhere (another thread, or Windows) the inspection runs in a
spawned worker process that is killed when the limit passes.

pypdf reports the repairs it makes through the "pypdf" logger; while a PDF is read that logger
is captured (and kept from propagating), so nothing is ever printed into a user's report.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from changju_check.inspect.file import _inspect_unbounded
from changju_check.inspect.limits import Alarm, Worker, alarm_usable, guarded
from changju_check.inspect.model import FileInfo, unexpected
from changju_check.inspect.pdf import _CapturePypdf
from changju_check.packet import PacketFile


def inspect_file(pf: PacketFile, *, timeout: float | None = 5.0, text_pages: int = 0) -> FileInfo:
    """Inspect one file under a time limit of `timeout` seconds (None or 0: no limit)."""
    try:
        return inspect_files([pf], timeout=timeout, text_pages_for=lambda _: text_pages)[pf.path]
    except Exception as exc:  # noqa: BLE001 - the contract: nothing escapes
        return unexpected(pf, exc)


def inspect_files(
    files: list[PacketFile],
    *,
    timeout: float | None = 5.0,
    text_pages_for: Callable[[PacketFile], int] | None = None,
) -> dict[str, FileInfo]:
    """Inspect files one after the other; keyed by `PacketFile.path`."""
    results: dict[str, FileInfo] = {}
    worker: Worker | None = None
    alarm: Alarm | None = None
    limited = bool(timeout) and timeout > 0 and not math.isinf(timeout)  # type: ignore[operator]
    capture = _CapturePypdf()  # one for the packet; each PDF's own capture nests in it
    try:
        capture.__enter__()
        if limited and alarm_usable():
            alarm = Alarm().__enter__()  # one handler for the packet, a timer per file
        for pf in files:
            pages = int(text_pages_for(pf)) if text_pages_for is not None else 0
            try:
                if alarm is not None:
                    results[pf.path] = alarm.run(_inspect_unbounded, pf, timeout, pages)  # type: ignore[arg-type]
                elif limited:
                    worker = worker or Worker()
                    results[pf.path] = worker.run(_inspect_unbounded, pf, timeout, pages)  # type: ignore[arg-type]
                else:
                    results[pf.path] = guarded(_inspect_unbounded, pf, pages)
            except Exception as exc:  # noqa: BLE001 - the contract: nothing escapes
                results[pf.path] = unexpected(pf, exc)
    finally:
        if alarm is not None:
            alarm.__exit__(None, None, None)
        capture.__exit__(None, None, None)
        if worker is not None:
            worker.close()
    return results


__all__ = ["FileInfo", "inspect_file", "inspect_files"]
