"""What the desk app holds for the person using it: the folder she opened (a packet, or a season
folder of packets), its latest report, the pictures of its pages, and the work queue.

Checks run in the thread that started the app (`Desk.run_jobs`, called by `serve`): in the main
thread of a POSIX process the inspection's time limit is a SIGALRM timer, as for `changju check`;
the web server answers from its own thread and waits for the result. A re-check after a file
changed goes through the same `check_packet` with an `InspectionMemo`: the files that did not
change are not opened again, so the new verdict costs the inspection of the changed file plus
the (fast) recognition and checks.

Nothing here writes into the packet except `save_manifest`, which she asks for with 保存.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from changju_check.engine.run import CheckOptions
from changju_check.inspect.memo import InspectionMemo, _stamp
from changju_check.report import Report

LEAVE_GRACE_S = 8.0  # the last tab closed this long ago (and none opened since): the app ends


@dataclass
class Pictures:
    """The first pages of the packet's files and the pages the report names, as pictures, drawn
    after each check for the files that changed and the pages newly named (in worker processes,
    as the review sheet's), kept in memory only."""

    kept: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # path -> (stamp, Preview)
    lock: threading.Condition = field(default_factory=threading.Condition)
    pending: set[str] = field(default_factory=set)
    threads: list[threading.Thread] = field(default_factory=list)
    runs: list[Any] = field(default_factory=list)  # PreviewRuns drawing now
    closed: bool = False

    def close(self, wait: float = 20.0) -> None:
        """No more drawing: what is pending is dropped, the workers are ended (a worker process
        still starting when the app exits would print its own traceback)."""
        with self.lock:
            self.closed = True
            runs = list(self.runs)
        for run in runs:
            run.cancel()
        for thread in list(self.threads):
            thread.join(wait)

    def get(self, path: str, wait: float) -> Any:
        deadline = time.monotonic() + wait
        with self.lock:
            while path in self.pending and time.monotonic() < deadline:
                self.lock.wait(max(0.01, deadline - time.monotonic()))
            kept = self.kept.get(path)
            return kept[1] if kept is not None else None

    def drawn(self) -> dict[str, Any]:
        """What is drawn now, without waiting: path -> Preview."""
        with self.lock:
            return {path: kept[1] for path, kept in self.kept.items()}


class Desk:
    """The app's state. Methods named `*_job` run in the checking thread (through `submit`)."""

    def __init__(self, base: CheckOptions, *, lang: str = "zh", rules: Any = None) -> None:
        self.base = base
        self.lang = lang
        self.rules = rules
        self.root: Path | None = None
        self.kind: str | None = None  # packet | batch
        self.season: Path | None = None  # the season folder a packet was opened from
        self.category: str | None = None  # chosen in the app while the manifest has none
        self.report: Report | None = None
        self.report_json: str = ""
        self.version = 0
        self.checked_in = 0.0  # seconds the latest check took
        self.busy = False  # a job is running (the page says 正在检查)
        self.memo = InspectionMemo()
        self.pictures = Pictures()
        self.batch_reports: list[Report] = []
        self.recent: list[str] = _load_recent()
        self.jobs: "queue.Queue[tuple[Callable[[], Any], Future]]" = queue.Queue()
        self.stopping = threading.Event()
        self.clients = 0
        self.ever_connected = False
        self.left_at: float | None = None
        self.watcher: Any = None
        self.opening: Future | None = None  # the folder given on the command line, being opened
        self._recheck_queued = threading.Event()
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ the work queue

    def submit(self, fn: Callable[[], Any]) -> Future:
        fut: Future = Future()
        self.jobs.put((fn, fut))
        return fut

    def run_jobs(self, timeout: float = 0.2) -> None:
        """Run what is queued (in the calling thread); wait at most `timeout` for the first job."""
        try:
            fn, fut = self.jobs.get(timeout=timeout)
        except queue.Empty:
            return
        if not fut.set_running_or_notify_cancel():
            return
        self.busy = True
        try:
            result = fn()
        except BaseException as exc:  # noqa: BLE001 - the waiting request reports it
            fut.set_exception(exc)
            if not isinstance(exc, Exception):  # Ctrl-C, SIGTERM: the app ends
                raise
        else:
            fut.set_result(result)  # (a signal arriving in here ends the app with the future settled)
        finally:
            self.busy = False

    # ------------------------------------------------------------------ tabs

    def client_joined(self) -> None:
        with self._lock:
            self.clients += 1
            self.ever_connected = True
            self.left_at = None

    def client_left(self) -> None:
        with self._lock:
            self.clients -= 1
            if self.clients <= 0:
                self.left_at = time.monotonic()

    def abandoned(self, grace: float = LEAVE_GRACE_S) -> bool:
        """Every tab of the app has been closed for `grace` seconds."""
        with self._lock:
            return self.ever_connected and self.clients <= 0 and self.left_at is not None and time.monotonic() - self.left_at > grace

    # ------------------------------------------------------------------ opening a folder

    def open_job(self, path: Path) -> str:
        """Open a packet (folder or .zip) or a season folder; check it. Returns the kind."""
        from changju_check.packet.discover import find_packets

        from changju_check.report.paths import native

        path = Path(path)
        kind = "packet"
        if native(path).is_dir():
            found = find_packets(path)
            if len(found) > 1 or (len(found) == 1 and not _same(found[0].path, path)):
                kind = "batch"
        self._stop_watching()
        self.root, self.kind, self.category = path, kind, None
        self.memo = InspectionMemo()
        self.pictures = Pictures()
        self.report, self.report_json, self.batch_reports = None, "", []
        if kind == "batch":
            self.season = path
            self.batch_job()
        else:
            self.check_job()
            self._watch()
        text = str(path.resolve())
        self.recent = [text] + [r for r in self.recent if r != text][:9]
        _save_recent(self.recent, path)
        return kind

    def open_from_season_job(self, path: Path) -> str:
        season = self.season
        kind = self.open_job(path)
        self.season = season
        return kind

    # ------------------------------------------------------------------ checking

    def options(self) -> CheckOptions:
        return replace(self.base, category=self.category or self.base.category, memo=self.memo, previews=False,
                       scan_cache=self.base.scan_cache and not _caches_inside(self.root))

    def check_job(self) -> Report:
        from changju_check.engine.run import check_packet
        from changju_check.render import jsonfmt

        self._recheck_queued.clear()
        if self.root is None:
            raise RuntimeError("no packet open")
        started = time.perf_counter()
        report = check_packet(self.root, self.options())
        text = jsonfmt.render(report, self.lang)
        self.checked_in = time.perf_counter() - started
        self.report, self.report_json = report, text
        self.version += 1
        self._draw_pictures()
        return report

    def recheck_soon(self) -> None:
        """A file changed (the watcher's thread): one re-check queued, however many changes came."""
        if self.kind == "packet" and not self._recheck_queued.is_set():
            self._recheck_queued.set()
            self.submit(self.check_job)

    def batch_job(self) -> list[Report]:
        from changju_check.engine.batch import check_found
        from changju_check.packet.discover import find_packets

        assert self.root is not None
        found = find_packets(self.root)
        options = replace(self.base, in_batch=True, previews=False,
                          scan_cache=self.base.scan_cache and not _caches_inside(self.root))
        self.batch_reports = check_found(found, options, jobs=0, progress=False) if found else []
        self.version += 1
        return self.batch_reports

    # ------------------------------------------------------------------ pictures

    def _draw_pictures(self) -> None:
        """Start drawing the pages of the files that are new or changed since they were drawn."""
        if self.root is None or self.report is None:
            return
        from changju_check.inspect.preview import named_pages

        root, pictures, named = self.root, self.pictures, named_pages(self.report)
        thread = threading.Thread(target=_draw, args=(root, pictures, self.base.file_timeout, named), daemon=True,
                                  name="changju-desk-pictures")
        with pictures.lock:
            if pictures.closed:
                return
            pictures.threads = [t for t in pictures.threads if t.is_alive()] + [thread]
        thread.start()

    # ------------------------------------------------------------------ watching

    def _watch(self) -> None:
        if self.root is None:
            return
        from changju_check.desk.watch import Watcher

        self.watcher = Watcher(self.root, self.recheck_soon)
        self.watcher.start()

    def _stop_watching(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None

    def close(self) -> None:
        self.stopping.set()
        self._stop_watching()
        self.pictures.close()


def _draw(root: Path, pictures: Pictures, timeout: float, named: frozenset[tuple[str, int]] = frozenset()) -> None:
    """Draw the files that are new or changed (their first pages and the pages `named`), and of the
    others only the pages `named` not drawn yet (a re-check that names another page)."""
    from changju_check.inspect.preview import needs_pages, start_previews
    from changju_check.packet import PacketError, open_packet

    try:
        packet = open_packet(root)
    except PacketError:
        return
    with packet:
        stamps = {pf.path: _stamp(pf) or ("zip", pf.size) for pf in packet.files}
        with pictures.lock:
            for gone in set(pictures.kept) - set(stamps):
                del pictures.kept[gone]
            changed = [pf for pf in packet.files if pf.path not in pictures.pending and (pictures.kept.get(pf.path) or (None,))[0] != stamps[pf.path]]
            before = {pf.path: pictures.kept[pf.path][1] for pf in packet.files
                      if pf.path not in pictures.pending and pf.path in pictures.kept and pictures.kept[pf.path][0] == stamps[pf.path]
                      and needs_pages(pictures.kept[pf.path][1], pf.path, named)}
            todo = changed + [pf for pf in packet.files if pf.path in before]
            if pictures.closed or not todo:
                return
            pictures.pending.update(pf.path for pf in todo)
            # under the lock: close() sees it
            run = start_previews(todo, timeout=timeout, budget=10**12, named=named, drawn=before)
            pictures.runs.append(run)
        drawn: dict[str, Any] = {}
        try:
            drawn = run.result()
        finally:
            with pictures.lock:
                pictures.runs.remove(run)
                for pf in todo:
                    pictures.pending.discard(pf.path)
                    if pf.path in drawn:
                        pictures.kept[pf.path] = (stamps[pf.path], drawn[pf.path])
                pictures.lock.notify_all()


def _recent_file() -> Path | None:
    """The folders opened lately, beside the rule cache (CHANGJU_CACHE_DIR, XDG_CACHE_HOME or
    ~/.cache/changju-check): a list of paths, nothing from inside them."""
    from changju_check.rulebook.cache import cache_dir

    folder = cache_dir()
    return folder.parent / "desk-recent.json" if folder is not None else None


def _load_recent() -> list[str]:
    import json

    path = _recent_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path is not None else []
    except (OSError, ValueError):
        return []
    return [p for p in data if isinstance(p, str)][:10] if isinstance(data, list) else []


def _save_recent(recent: list[str], opened: Path) -> None:
    import json

    from changju_check.write import is_inside, write_text

    path = _recent_file()
    if path is None or is_inside(path, opened):  # never a file inside the folder she opened
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, json.dumps(recent, ensure_ascii=False))
    except OSError:
        pass


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()


def _caches_inside(root: Path | None) -> bool:
    """Whether the OCR cache, or the folder of the key that seals it, lies inside the opened folder:
    then no page read is cached (nothing is written into a packet), as `check` does."""
    if root is None:
        return False
    from changju_check.rulebook.cache import key_folder
    from changju_check.scan.cache import cache_dir
    from changju_check.write import is_inside

    return any(folder is not None and is_inside(folder, root) for folder in (cache_dir(), key_folder()))
