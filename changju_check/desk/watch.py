"""The packet's folder watched for her changes in Explorer (a file added, renamed, deleted or
saved again): `watchfiles` (Rust `notify`: ReadDirectoryChangesW on Windows, inotify on Linux,
FSEvents on macOS), in a thread of its own; a burst of changes is one call of `on_change`.
A .zip packet is watched through its folder, for changes to that one file."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable

DEBOUNCE_MS = 150  # changes within this time are one change (a copy writes a file in pieces)
STEP_MS = 50


class Watcher:
    def __init__(self, root: Path, on_change: Callable[[], None]) -> None:
        self.root = Path(root)
        self.on_change = on_change
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="changju-desk-watch")

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(3)

    def _run(self) -> None:
        try:
            from watchfiles import watch
        except ImportError:  # pragma: no cover - a dependency; without it the page is refreshed by hand
            return
        from changju_check.report.paths import native

        root = native(self.root)  # \\?\ on Windows: ReadDirectoryChangesW on a folder past MAX_PATH
        target, only = root, None
        if root.is_file():
            target, only = root.parent, str(root.resolve())
        try:
            for changes in watch(target, stop_event=self._stop, debounce=DEBOUNCE_MS, step=STEP_MS,
                                 recursive=only is None, raise_interrupt=False, ignore_permission_denied=True):
                if only is not None and not any(str(Path(p).resolve()) == only for _, p in changes):
                    continue
                self.on_change()
        except Exception:  # noqa: BLE001 - a folder that disappears ends the watching, not the app
            return
