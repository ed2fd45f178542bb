"""Inspections kept between checks of the same packet (the desk app re-checks a packet each time
a file in it changes): a file whose path, size, modification time and pages wanted are the same
as last time is not opened again; every other file is inspected as `inspect_files` inspects it.

A file's identity is read from the file system when the check asks (`os.stat` of the resolved
path inside the packet); a file that cannot be stat'ed, or a zip member, is always inspected.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

from changju_check.inspect.model import FileInfo
from changju_check.packet import PacketFile


def _stamp(pf: PacketFile) -> tuple[int, int] | None:
    real = getattr(pf._source, "real_path", None)
    if real is None:
        return None
    try:
        st = os.stat(real, follow_symlinks=False)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


class InspectionMemo:
    """`inspect(files, timeout=…, text_pages_for=…)`, a drop-in for `inspect_files` that inspects
    only the files that changed since the last call. `inspected` counts the files really opened
    by the last call (for the tests and the bench)."""

    def __init__(self, inspect: Callable[..., dict[str, FileInfo]] | None = None) -> None:
        if inspect is None:
            from changju_check.inspect import inspect_files as inspect
        self._inspect = inspect
        self._kept: dict[str, tuple[tuple, FileInfo]] = {}
        self._lock = threading.Lock()
        self.inspected: list[str] = []

    def inspect(self, files: list[PacketFile], *, timeout: float | None = 5.0,
                text_pages_for: Callable[[PacketFile], int] | None = None) -> dict[str, FileInfo]:
        with self._lock:
            keys: dict[str, tuple | None] = {}
            todo: list[PacketFile] = []
            results: dict[str, FileInfo] = {}
            for pf in files:
                stamp = _stamp(pf)
                pages = int(text_pages_for(pf)) if text_pages_for is not None else 0
                key = None if stamp is None else (pf.size, *stamp, pages)
                keys[pf.path] = key
                kept = self._kept.get(pf.path)
                if key is not None and kept is not None and kept[0] == key:
                    results[pf.path] = kept[1]
                else:
                    todo.append(pf)
            fresh = self._inspect(todo, timeout=timeout, text_pages_for=text_pages_for) if todo else {}
            self.inspected = [pf.path for pf in todo]
            self._kept = {p: v for p, v in self._kept.items() if p in keys}  # files gone are forgotten
            for path, info in fresh.items():
                key = keys.get(path)
                if key is not None and not any(f.code == "CJ301" for f in info.findings):  # a time-out may pass next time
                    self._kept[path] = (key, info)
                else:
                    self._kept.pop(path, None)
            results.update(fresh)
            return {pf.path: results[pf.path] for pf in files if pf.path in results}
