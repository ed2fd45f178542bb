"""Page previews for the HTML report: the first pages of each file as small JPEG pictures.

PDF pages are rendered with PDFium (pypdfium2), JPEG and PNG images with Pillow (JPEG decoded
at a reduced scale, EXIF rotation honoured). Each file gets a thumbnail of its first page
(`THUMB_LONG_SIDE`) and its first pages at a readable size (`LONG_SIDE`) for the larger view.
Every picture is at most `MAX_BYTES` (40 KB): quality, then size, come down until it fits. A
packet's pictures share a budget (`PACKET_BUDGET`, so that the report of a 25-file packet stays
under 2 MB with base64): every file keeps its thumbnail; the larger pages are kept while the
budget lasts, every file's first page before anyone's second.

Every file is hostile: the rendering runs in worker processes under the same time limit as the
inspection (`inspect.limits.Worker`: a file that hangs or crashes PDFium costs only its own
preview), and a file that cannot be rendered (damaged, password, not a page format, over the
limit) gets a `Preview` with a `problem` instead of pictures — never an exception.

`start_previews` begins at once and needs nothing from the inspection (what a file is, it tells
from the file's first bytes, as the inspection does): the pictures are drawn in the workers while
the packet is inspected and checked in the calling process; `PreviewRun.result()` collects them.

The pages the report names (`named_pages`: a 需人工确认's page, a fact's evidence, a fact read — a
contract's term on page 3, a 社保 record's month on page 4) are drawn too, and only those beyond
the first pages: `result(named=…)` draws what the first pages did not cover, one page at a time
(a 200-page PDF costs the pages named, not its length). A page named beyond the file's length, or
one that cannot be drawn, gets its reason in `Preview.page_problems` (the sheet shows it as the
caption), never an exception.
"""

from __future__ import annotations

import io
import math
import threading
import warnings
from typing import Any

from changju_check.inspect.limits import Outcome, Worker, import_now, usable_cores
from changju_check.inspect.model import HEAD_BYTES
from changju_check.inspect.sniff import sniff
from changju_check.packet import PacketFile
from changju_check.report import Msg, Preview, PreviewPage

LONG_SIDE = 720  # pixels: sharp enough to read a date on the enlarged page
THUMB_LONG_SIDE = 280  # the thumbnail (shown 120 CSS pixels wide)
MIN_LONG_SIDE = 240
MAX_BYTES = 40_000  # per picture
PACKET_BUDGET = 1_300_000  # bytes of pictures per packet: x 4/3 for base64, plus the page, < 2 MB
PAGES = 2  # pages per file rendered for the larger view (the first is the thumbnail)
NAMED_PER_FILE = 12  # pages named by the report drawn per file, beyond the first PAGES (the first 12 named)
QUALITIES = (70, 55, 42, 32)
MAX_IMAGE_PIXELS = 120_000_000  # a larger image (after JPEG's reduced decode) is not previewed


# drawing processes: one fewer than the cores, at most two — the check runs beside them in this
# process, and a third busy process on two cores only makes all three wait for each other
WORKERS = max(1, min(2, usable_cores() - 1))
PRELOAD = ("pypdfium2", "PIL.Image", "PIL.JpegImagePlugin")  # what a drawing worker imports as it starts
PDFIUM_PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD: PdfiumError.err_code of a PDF that needs a password


def _problem(pf: PacketFile, zh: str, en: str) -> Preview:
    return Preview(file=pf.path, problem=Msg(zh=zh, en=en))


def preview_timed_out(pf: PacketFile, timeout: float) -> Preview:
    return _problem(pf, f"预览超时（超过 {timeout:g} 秒）", f"rendering took longer than {timeout:g} s")


def preview_failed(pf: PacketFile, exc: BaseException) -> Preview:
    detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:120]
    return _problem(pf, f"无法显示页面（{detail}）", f"the page cannot be drawn ({detail})")


OUTCOME = Outcome(result=Preview, timed_out=preview_timed_out, unexpected=preview_failed)


# --------------------------------------------------------------------------- one file (in a worker)

# what to draw of a file: (kind, the first pages, the pages named beyond them, the thumbnail too)
Request = tuple[str, int, tuple[int, ...], bool]


def render_preview(pf: PacketFile, request: Request) -> Preview:
    """The first pages of one file and the pages named, as pictures. May raise (a file whose first
    page cannot be drawn); the caller's limit catches. A page named that cannot be drawn, or beyond
    the file's length, is a `page_problems` entry."""
    kind, first, named, thumb = request
    if kind == "pdf":
        try:
            return _pdf_preview(pf, first, named, thumb)
        except Exception as exc:
            if getattr(exc, "err_code", None) == PDFIUM_PASSWORD_ERROR:
                return _problem(pf, "PDF 设有打开密码", "the PDF needs a password")
            raise
    im = _image(pf, kind)
    data, width, height = encode(im)
    pages = (PreviewPage(number=1, mime="image/jpeg", data=data, width=width, height=height),) if first or 1 in named else ()
    thumbnail = None
    if thumb:
        data, width, height = encode(_shrink(im, THUMB_LONG_SIDE))
        thumbnail = PreviewPage(number=1, mime="image/jpeg", data=data, width=width, height=height)
    return Preview(file=pf.path, page_count=1, thumbnail=thumbnail, pages=pages,
                   page_problems=tuple((n, beyond(n, 1)) for n in named if n > 1))


def beyond(number: int, count: int) -> Msg:
    return Msg(zh=f"第 {number} 页超出文件页数（共 {count} 页）", en=f"page {number} is beyond the file's {count} page(s)")


def page_failed(number: int, exc: BaseException) -> Msg:
    detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:120]
    return Msg(zh=f"第 {number} 页无法显示（{detail}）", en=f"page {number} cannot be drawn ({detail})")


def _shrink(im: Any, long_side: int) -> Any:
    """Scaled down to `long_side` with a box filter: fast, and sharp enough from 2-3x the size."""
    from PIL import Image

    factor = long_side / max(im.width, im.height)
    if factor >= 1:
        return im
    return im.resize((max(1, round(im.width * factor)), max(1, round(im.height * factor))), Image.BOX)


def _pdf_preview(pf: PacketFile, first: int, named: tuple[int, ...], thumb: bool) -> Preview:
    """The first `first` pages and the pages `named` at LONG_SIDE, the first page again at
    THUMB_LONG_SIDE where `thumb` (PDFium draws a page at that size several times faster than Pillow
    scales the larger picture down). One page is drawn and encoded at a time: a long PDF costs the
    pages asked for. PDFium writes RGB itself (`rev_byteorder`): no conversion of its BGR pixels.
    The first page failing fails the file (as an unreadable file); a later page is its own problem."""
    import pypdfium2 as pdfium

    with pf.open() as fh:
        pdf = pdfium.PdfDocument(fh)
        try:
            count = len(pdf)
            out: list[PreviewPage] = []
            problems: list[tuple[int, Msg]] = []
            thumbnail = None
            wanted = sorted(set(range(1, min(first, count) + 1)) | {n for n in named if n >= 1})
            for number in wanted:
                if number > count:
                    problems.append((number, beyond(number, count)))
                    continue
                try:
                    page = pdf[number - 1]
                    try:
                        width, height = page.get_size()
                        data, w, h = encode(_draw(page, LONG_SIDE / max(width, height, 1.0)))
                        out.append(PreviewPage(number=number, mime="image/jpeg", data=data, width=w, height=h))
                        if number == 1 and thumb:
                            data, w, h = encode(_draw(page, THUMB_LONG_SIDE / max(width, height, 1.0)))
                            thumbnail = PreviewPage(number=1, mime="image/jpeg", data=data, width=w, height=h)
                    finally:
                        page.close()
                except Exception as exc:  # noqa: BLE001 - one broken page is that page's problem
                    if number == 1 and thumb:
                        raise
                    problems.append((number, page_failed(number, exc)))
            return Preview(file=pf.path, page_count=count, thumbnail=thumbnail, pages=tuple(out),
                           page_problems=tuple(problems))
        finally:
            pdf.close()


def _draw(page: Any, scale: float) -> Any:
    im = page.render(scale=scale, may_draw_forms=True, rev_byteorder=True).to_pil()
    return im if im.mode == "RGB" else im.convert("RGB")


def _image(pf: PacketFile, kind: str) -> Any:
    from PIL import Image, ImageOps

    with pf.open() as fh, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Image.open(fh, formats=["JPEG" if kind == "jpeg" else "PNG"]) as im:
            if kind == "jpeg":
                im.draft("RGB", (LONG_SIDE * 2, LONG_SIDE * 2))  # decode at 1/2..1/8 scale
            if im.width * im.height > MAX_IMAGE_PIXELS:
                raise ValueError(f"image of {im.width}x{im.height} pixels is too large to preview")
            im.load()
            im = ImageOps.exif_transpose(im)
            if im.mode in ("RGBA", "LA", "P", "PA"):
                rgba = im.convert("RGBA")
                white = Image.new("RGB", rgba.size, "white")
                white.paste(rgba, mask=rgba.getchannel("A"))
                im = white
            else:
                im = im.convert("RGB")
            return _shrink(im, LONG_SIDE)


def encode(im: Any, max_bytes: int = MAX_BYTES) -> tuple[bytes, int, int]:
    """JPEG at most `max_bytes`: lower quality first, then smaller, down to MIN_LONG_SIDE. A page
    is encoded once where it fits at the first quality (nearly every page: a scan of text at 720
    pixels is 15-35 KB). Huffman tables are optimised: on a page that is mostly white the standard
    tables make the picture up to twice as large (the bench packet's sheet: 0.30 MB with them,
    0.52 MB without), and the sheet must stay under 2 MB."""
    from PIL import Image

    while True:
        for quality in QUALITIES:
            buf = io.BytesIO()
            im.save(buf, "JPEG", quality=quality, optimize=True, progressive=False)
            if buf.tell() <= max_bytes:
                return buf.getvalue(), im.width, im.height
        long_side = max(im.width, im.height)
        if long_side <= MIN_LONG_SIDE:
            return buf.getvalue(), im.width, im.height  # a pathological page: the smallest we make
        factor = max(MIN_LONG_SIDE / long_side, 0.7)
        im = im.resize((max(1, round(im.width * factor)), max(1, round(im.height * factor))), Image.LANCZOS)


# --------------------------------------------------------------------------- the place to look at


LOOK_LONG_SIDE = 360  # a page shown whole beside a 需人工确认 (no box known): between thumbnail and page
LOOK_MAX_BYTES = 24_000  # per crop: a few reviews must not push the sheet past its size


def crop(jpeg: bytes, box: tuple[float, float, float, float], margin: float = 0.04) -> bytes:
    """The part of a page picture where a fact was read, with a margin, as a JPEG (in memory)."""
    from PIL import Image

    with Image.open(io.BytesIO(jpeg)) as im:
        w, h = im.size
        x0, y0, x1, y1 = box
        area = (max(0, int((x0 - margin) * w)), max(0, int((y0 - margin) * h)),
                min(w, int((x1 + margin) * w) + 1), min(h, int((y1 + margin) * h) + 1))
        out = io.BytesIO()
        im.crop(area).convert("RGB").save(out, "JPEG", quality=80)
        return out.getvalue()


def _page_number(page: Any) -> bool:
    return isinstance(page, int) and not isinstance(page, bool) and page >= 1


def review_pages(findings: Any) -> frozenset[tuple[str, int]]:
    """(file, page) of every place a 需人工确认 asks a person to look at: pages no budget may drop."""
    return frozenset((f.file, f.page) for f in findings if f.severity == "review" and f.file and _page_number(f.page))


def named_pages(report: Any) -> frozenset[tuple[str, int]]:
    """(file, page) of every page the report names: a finding's page (a 需人工确认's above all), a
    fact's evidence (the contract's term, a 社保 record's month), a fact read for the manifest."""
    out = {(f.file, f.page) for f in report.findings if f.file and _page_number(f.page)}
    out |= {(e.file, e.page) for e in report.evidence if e.file and _page_number(e.page)}
    out |= {(f.file, f.page) for f in report.facts if f.file and _page_number(f.page)}
    return frozenset(out)


def look_picture(preview: Preview | None, page: int,
                 box: tuple[float, float, float, float] | None = None) -> PreviewPage | None:
    """The picture of the place a person is asked to look at: the region around `box` (fractions of
    the page) on the page's larger picture, else that page scaled down; None where the preview has
    no picture of that page (beyond the pages drawn, or a file that cannot be drawn)."""
    from PIL import Image

    if preview is None:
        return None
    picture = next((p for p in preview.pages if p.number == page), None)
    if picture is None and page == 1:
        picture = preview.thumbnail
    if picture is None:
        return None
    with Image.open(io.BytesIO(crop(picture.data, box) if box is not None else picture.data)) as im:
        im.load()
        data, width, height = encode(_shrink(im.convert("RGB"), LOOK_LONG_SIDE), LOOK_MAX_BYTES)
    return PreviewPage(number=page, mime="image/jpeg", data=data, width=width, height=height)


# --------------------------------------------------------------------------- a packet


def _request(pf: PacketFile, named: tuple[int, ...] = ()) -> Request | Preview:
    """What to draw of a file, from its first bytes (`sniff`, as the inspection tells a file's kind)."""
    if pf.size == 0:
        return _problem(pf, "空文件", "the file is empty")
    try:
        with pf.open() as fh:
            head = fh.read(HEAD_BYTES)
    except Exception as exc:  # noqa: BLE001 - a file that cannot be opened gets its placeholder
        from changju_check.packet.model import reason_en, reason_zh

        return _problem(pf, f"无法打开文件（{reason_zh(exc)}）", f"the file cannot be opened ({reason_en(exc)})")
    if not head:
        return _problem(pf, "空文件", "the file is empty")
    kind = sniff(head, pf.path)[0]
    if kind == "pdf":
        return ("pdf", PAGES, _beyond_first(named, PAGES), True)
    if kind in ("jpeg", "png"):
        return (kind, 1, _beyond_first(named, 1), True)
    return _problem(pf, "不是 PDF 或 JPG/PNG 图片", "not a PDF, JPG or PNG")


def _beyond_first(named: Any, first: int) -> tuple[int, ...]:
    return tuple(sorted(n for n in set(named) if n > first))[:NAMED_PER_FILE]


def _by_file(named: frozenset[tuple[str, int]]) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    for path, page in named:
        if _page_number(page):
            out.setdefault(path, set()).add(page)
    return out


def _missing(preview: Preview, pages: set[int]) -> tuple[tuple[int, ...], tuple[tuple[int, Msg], ...]]:
    """Of the pages named, those still to draw (within the file's length), and those beyond it."""
    have = {p.number for p in preview.pages} | {n for n, _ in preview.page_problems}
    todo = sorted(n for n in pages if n not in have)
    count = preview.page_count
    if count is None:
        return tuple(todo[:NAMED_PER_FILE]), ()
    inside = [n for n in todo if n <= count][:NAMED_PER_FILE]
    return tuple(inside), tuple((n, beyond(n, count)) for n in todo if n > count)


def needs_pages(preview: Preview, path: str, named: frozenset[tuple[str, int]]) -> bool:
    """A file drawn before has a page `named` not drawn yet (nor known not to exist)."""
    pages = _by_file(named).get(path)
    return bool(pages) and preview.thumbnail is not None and any(_missing(preview, pages))


def merged(base: Preview, more: Preview, asked: tuple[int, ...] = ()) -> Preview:
    """`base` with the pages drawn after it (`more`, for the pages `asked`): pages in page order, a
    page drawn twice kept once; a drawing that failed as a whole is each page's problem."""
    from dataclasses import replace

    problems = list(base.page_problems) + list(more.page_problems)
    if more.problem is not None:
        problems += [(n, Msg(zh=f"第 {n} 页：{more.problem.zh}", en=f"page {n}: {more.problem.en}")) for n in asked]
    pages = {p.number: p for p in more.pages}
    pages.update({p.number: p for p in base.pages})
    drawn = set(pages)
    seen: set[int] = set()
    kept_problems = []
    for n, why in problems:
        if n not in drawn and n not in seen:
            seen.add(n)
            kept_problems.append((n, why))
    return replace(base, page_count=base.page_count or more.page_count, thumbnail=base.thumbnail or more.thumbnail,
                   pages=tuple(pages[n] for n in sorted(pages)), page_problems=tuple(sorted(kept_problems, key=lambda t: t[0])))


class PreviewRun:
    """Previews being drawn: the workers are started by the constructor (in the calling thread, so
    that on Linux they can be forked while it runs alone) and fed by one thread each.

    `named`: pages the report is known to name already (the desk app draws after the check);
    `drawn`: pictures drawn before (the desk app's files that did not change), of which only the
    pages named and not yet drawn are drawn, and merged into them."""

    def __init__(self, files: list[PacketFile], *, timeout: float, workers: int, budget: int,
                 named: frozenset[tuple[str, int]] = frozenset(), drawn: dict[str, Preview] | None = None) -> None:
        self._files, self._budget, self._count = files, budget, workers
        self._results: dict[str, Preview] = {}
        self._base: dict[str, tuple[Preview, tuple[int, ...]]] = {}  # drawn before, and the pages asked of it
        self._limit = timeout if timeout and timeout > 0 and not math.isinf(timeout) else 3600.0
        by_file = _by_file(named)
        jobs: list[tuple[PacketFile, Request]] = []
        for pf in files:
            before = (drawn or {}).get(pf.path)
            if before is not None:
                before, job = self._still_to_draw(pf, before, by_file.get(pf.path, set()))
                if job is not None:
                    jobs.append((pf, job))
                else:
                    self._results[pf.path] = before
                continue
            request = _request(pf, by_file.get(pf.path, ()))
            if isinstance(request, Preview):
                self._results[pf.path] = request
            else:
                jobs.append((pf, request))
        self._threads: list[threading.Thread] = []
        self._workers: list[Worker] = []
        self._lock = threading.Lock()
        self._cancelled = False
        self._start(jobs)

    def _start(self, jobs: list[tuple[PacketFile, Request]]) -> None:
        wanted = [Worker(preload=PRELOAD) for _ in range(max(1, min(self._count, len(jobs))))] if jobs else []
        if len(wanted) > 1:  # imported once, before they fork, rather than once in each
            import_now(PRELOAD)
        started = [w for w in wanted if w.start()]
        with self._lock:  # cancel() sees these workers, or they see that it was called
            self._pending = [] if self._cancelled else list(reversed(jobs))
            # where no worker can start (a daemonic process, a script without a __main__ guard), one
            # thread renders in this process, without a limit: PDFium must never run in two threads
            self._workers = started or wanted[:1]
            if self._cancelled:
                for w in self._workers:
                    w.end_now()
            self._threads = [threading.Thread(target=self._work, args=(w,), name=f"changju-preview-{i}", daemon=True)
                             for i, w in enumerate(self._workers)]
        for t in self._threads:
            t.start()

    def _work(self, worker: Worker) -> None:
        try:
            while True:
                with self._lock:
                    if not self._pending:
                        return
                    pf, request = self._pending.pop()
                try:
                    preview = worker.run(render_preview, pf, self._limit, request, OUTCOME)
                except Exception as exc:  # noqa: BLE001 - the contract: nothing escapes
                    preview = preview_failed(pf, exc)
                with self._lock:
                    base = self._base.pop(pf.path, None)
                    self._results[pf.path] = merged(base[0], preview, base[1]) if base is not None else preview
        finally:
            worker.close()

    def _still_to_draw(self, pf: PacketFile, preview: Preview, pages: set[int]) -> tuple[Preview, Request | None]:
        """`preview` with the pages named beyond the file's length as its problems, and the request
        for the pages named still to draw (None: none), to be merged into it when drawn."""
        todo, over = _missing(preview, pages)
        if over:
            preview = merged(preview, Preview(file=pf.path, page_problems=over))
        if not todo or preview.thumbnail is None:
            return preview, None
        self._base[pf.path] = (preview, todo)
        return preview, ("pdf", 0, todo, False)

    def _join(self) -> None:
        for t in self._threads:
            t.join()
        self._threads = []

    def result(self, keep: frozenset[tuple[str, int]] = frozenset(),
               named: frozenset[tuple[str, int]] = frozenset()) -> dict[str, Preview]:
        """A `Preview` for every file, keyed by path in packet order, within the budget (the pages
        `keep` names - (path, page) of the places a 需人工确认 asks to look at - kept before any other,
        then the other pages `named`). The pages named (`keep` among them) that the first drawing
        did not cover are drawn now: only those, one at a time."""
        self._join()
        wanted = _by_file(named | keep)
        more: list[tuple[PacketFile, Request]] = []
        for pf in self._files:
            preview = self._results.get(pf.path)
            if preview is None or preview.thumbnail is None or pf.path not in wanted:
                continue
            self._results[pf.path], job = self._still_to_draw(pf, preview, wanted[pf.path])
            if job is not None:
                more.append((pf, job))
        if more and not self._cancelled:
            self._start(more)
            self._join()
        ordered = {pf.path: self._results[pf.path] for pf in self._files if pf.path in self._results}
        return within_budget(ordered, self._budget, keep, named)

    def cancel(self) -> None:
        """Stop drawing (the check failed, the app is closing): what is pending is dropped and the
        workers are ended at once — a page being drawn is not waited for (up to the file time
        limit, longer on a busy machine: an app asked to stop must stop)."""
        with self._lock:
            self._cancelled = True
            self._pending.clear()
            workers = list(self._workers)
        for w in workers:
            w.end_now()
        self._join()


def start_previews(files: list[PacketFile], *, timeout: float = 5.0, workers: int = WORKERS,
                   budget: int = PACKET_BUDGET, named: frozenset[tuple[str, int]] = frozenset(),
                   drawn: dict[str, Preview] | None = None) -> PreviewRun:
    """Begin drawing every file's first pages (and the pages `named`, where known); `.result()`
    waits for them."""
    return PreviewRun(files, timeout=timeout, workers=workers, budget=budget, named=named, drawn=drawn)


def make_previews(files: list[PacketFile], *, timeout: float = 5.0, workers: int = WORKERS,
                  budget: int = PACKET_BUDGET, named: frozenset[tuple[str, int]] = frozenset()) -> dict[str, Preview]:
    """A `Preview` for every file, keyed by path, within `budget` bytes of pictures."""
    return start_previews(files, timeout=timeout, workers=workers, budget=budget).result(named=named)


def within_budget(previews: dict[str, Preview], budget: int,
                  keep: frozenset[tuple[str, int]] = frozenset(),
                  named: frozenset[tuple[str, int]] = frozenset()) -> dict[str, Preview]:
    """Every thumbnail and, whatever the budget, each page `keep` names ((path, page): a few) with
    the first pages before it; then while the budget lasts the other pages `named` (a fact's evidence), then the
    first pages: every file's first page in file order, then every file's second page, and so on."""
    from dataclasses import replace

    used = sum(len(p.thumbnail.data) for p in previews.values() if p.thumbnail is not None)
    kept: dict[str, dict[int, PreviewPage]] = {path: {} for path in previews}

    def add(path: str, page: PreviewPage) -> None:
        nonlocal used
        if page.number not in kept[path]:
            used += len(page.data)
            kept[path][page.number] = page

    for path, number in sorted(keep):
        if path in previews:
            for page in previews[path].pages:
                if page.number <= min(number, PAGES) or page.number == number:
                    add(path, page)
    for path, number in sorted(named - keep):
        page = next((p for p in previews[path].pages if p.number == number), None) if path in previews else None
        if page is not None and page.number not in kept[path] and used + len(page.data) <= budget:
            add(path, page)
    depth = max((len(p.pages) for p in previews.values()), default=0)
    for index in range(depth):
        for path, p in previews.items():
            # a file's first pages stay contiguous from page 1 (its pages named may come after)
            if index < len(p.pages) and p.pages[index].number == index + 1 \
                    and all(n in kept[path] for n in range(1, index + 1)) and used + len(p.pages[index].data) <= budget:
                add(path, p.pages[index])
    return {path: p if len(kept[path]) == len(p.pages) else replace(p, pages=tuple(kept[path][n] for n in sorted(kept[path])))
            for path, p in previews.items()}


__all__ = ["MAX_BYTES", "PACKET_BUDGET", "PreviewRun", "crop", "encode", "look_picture", "make_previews", "merged", "named_pages", "render_preview", "review_pages", "start_previews", "within_budget"]
