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


def render_preview(pf: PacketFile, request: tuple[str, int]) -> Preview:
    """The first `pages` pages of one file as pictures. May raise; the caller's limit catches."""
    kind, pages = request
    if kind == "pdf":
        try:
            images, small, count = _pdf_images(pf, pages)
        except Exception as exc:
            if getattr(exc, "err_code", None) == PDFIUM_PASSWORD_ERROR:
                return _problem(pf, "PDF 设有打开密码", "the PDF needs a password")
            raise
    else:
        images, count = [_image(pf, kind)], 1
        small = _shrink(images[0], THUMB_LONG_SIDE)
    out = []
    for number, im in enumerate(images, 1):
        data, width, height = encode(im)
        out.append(PreviewPage(number=number, mime="image/jpeg", data=data, width=width, height=height))
    thumbnail = None
    if small is not None:
        data, width, height = encode(small)
        thumbnail = PreviewPage(number=1, mime="image/jpeg", data=data, width=width, height=height)
    return Preview(file=pf.path, page_count=count, thumbnail=thumbnail, pages=tuple(out))


def _shrink(im: Any, long_side: int) -> Any:
    """Scaled down to `long_side` with a box filter: fast, and sharp enough from 2-3x the size."""
    from PIL import Image

    factor = long_side / max(im.width, im.height)
    if factor >= 1:
        return im
    return im.resize((max(1, round(im.width * factor)), max(1, round(im.height * factor))), Image.BOX)


def _pdf_images(pf: PacketFile, pages: int) -> tuple[list[Any], Any, int]:
    """The first `pages` pages at LONG_SIDE, the first page again at THUMB_LONG_SIDE (PDFium draws
    a page at that size several times faster than Pillow scales the larger picture down), and the
    page count. PDFium writes RGB itself (`rev_byteorder`): no conversion of its BGR pixels."""
    import pypdfium2 as pdfium

    with pf.open() as fh:
        pdf = pdfium.PdfDocument(fh)
        try:
            count = len(pdf)
            images, small = [], None
            for index in range(min(pages, count)):
                page = pdf[index]
                try:
                    width, height = page.get_size()
                    images.append(_draw(page, LONG_SIDE / max(width, height, 1.0)))
                    if index == 0:
                        small = _draw(page, THUMB_LONG_SIDE / max(width, height, 1.0))
                finally:
                    page.close()
            return images, small, count
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


def review_pages(findings: Any) -> frozenset[tuple[str, int]]:
    """(file, page) of every place a 需人工确认 asks a person to look at: pages no budget may drop."""
    return frozenset((f.file, f.page) for f in findings if f.severity == "review" and f.file and f.page)


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


def _request(pf: PacketFile) -> tuple[str, int] | Preview:
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
        return ("pdf", PAGES)
    if kind in ("jpeg", "png"):
        return (kind, 1)
    return _problem(pf, "不是 PDF 或 JPG/PNG 图片", "not a PDF, JPG or PNG")


class PreviewRun:
    """Previews being drawn: the workers are started by the constructor (in the calling thread, so
    that on Linux they can be forked while it runs alone) and fed by one thread each."""

    def __init__(self, files: list[PacketFile], *, timeout: float, workers: int, budget: int) -> None:
        self._files, self._budget = files, budget
        self._results: dict[str, Preview] = {}
        jobs: list[tuple[PacketFile, tuple[str, int]]] = []
        for pf in files:
            request = _request(pf)
            if isinstance(request, Preview):
                self._results[pf.path] = request
            else:
                jobs.append((pf, request))
        self._limit = timeout if timeout and timeout > 0 and not math.isinf(timeout) else 3600.0
        self._pending = list(reversed(jobs))
        self._lock = threading.Lock()
        wanted = [Worker(preload=PRELOAD) for _ in range(max(1, min(workers, len(jobs))))] if jobs else []
        if len(wanted) > 1:  # imported once, before they fork, rather than once in each
            import_now(PRELOAD)
        started = [w for w in wanted if w.start()]
        # where no worker can start (a daemonic process, a script without a __main__ guard), one
        # thread renders in this process, without a limit: PDFium must never run in two threads
        self._workers = started or wanted[:1]
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
                    self._results[pf.path] = preview
        finally:
            worker.close()

    def result(self, keep: frozenset[tuple[str, int]] = frozenset()) -> dict[str, Preview]:
        """A `Preview` for every file, keyed by path in packet order, within the budget (the pages
        `keep` names - (path, page) of the places a 需人工确认 asks to look at - kept before any other)."""
        for t in self._threads:
            t.join()
        ordered = {pf.path: self._results[pf.path] for pf in self._files if pf.path in self._results}
        return within_budget(ordered, self._budget, keep)

    def cancel(self) -> None:
        """Stop drawing (the check failed, the app is closing): what is pending is dropped and the
        workers are ended at once — a page being drawn is not waited for (up to the file time
        limit, longer on a busy machine: an app asked to stop must stop)."""
        with self._lock:
            self._pending.clear()
        for w in self._workers:
            w.end_now()
        for t in self._threads:
            t.join()


def start_previews(files: list[PacketFile], *, timeout: float = 5.0, workers: int = WORKERS,
                   budget: int = PACKET_BUDGET) -> PreviewRun:
    """Begin drawing every file's first pages; `.result()` waits for them."""
    return PreviewRun(files, timeout=timeout, workers=workers, budget=budget)


def make_previews(files: list[PacketFile], *, timeout: float = 5.0, workers: int = WORKERS,
                  budget: int = PACKET_BUDGET) -> dict[str, Preview]:
    """A `Preview` for every file, keyed by path, within `budget` bytes of pictures."""
    return start_previews(files, timeout=timeout, workers=workers, budget=budget).result()


def within_budget(previews: dict[str, Preview], budget: int,
                  keep: frozenset[tuple[str, int]] = frozenset()) -> dict[str, Preview]:
    """Every thumbnail and the pages `keep` names ((path, page): a few, kept whatever the budget);
    the larger pages while the budget lasts: every file's first page in file order, then every
    file's second page, and so on (a file's pages stay contiguous from page 1)."""
    from dataclasses import replace

    used = sum(len(p.thumbnail.data) for p in previews.values() if p.thumbnail is not None)
    kept: dict[str, list[PreviewPage]] = {path: [] for path in previews}
    for path, page in sorted(keep):
        if path in previews and len(kept[path]) < page:
            more = previews[path].pages[len(kept[path]):page]
            used += sum(len(p.data) for p in more)
            kept[path].extend(more)
    depth = max((len(p.pages) for p in previews.values()), default=0)
    for index in range(depth):
        for path, p in previews.items():
            if index < len(p.pages) and len(kept[path]) == index and used + len(p.pages[index].data) <= budget:
                used += len(p.pages[index].data)
                kept[path].append(p.pages[index])
    return {path: p if len(kept[path]) == len(p.pages) else replace(p, pages=tuple(kept[path])) for path, p in previews.items()}


__all__ = ["MAX_BYTES", "PACKET_BUDGET", "PreviewRun", "crop", "encode", "look_picture", "make_previews", "render_preview", "review_pages", "start_previews", "within_budget"]
