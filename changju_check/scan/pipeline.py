"""The heavy half of reading scans: render pages, read text layers, OCR, look for seals.

Runs inside worker processes (or in-process when `workers=0`). Input and output are plain,
picklable data: a job dict in, a result dict out. Every third-party import is inside a function,
so importing this module costs nothing.

Nothing here downloads anything: the OCR engine is built with explicit paths to the model files
inside the installed rapidocr wheel; if they are missing, `EngineUnavailable` is raised instead
of letting rapidocr fetch them.
"""

from __future__ import annotations

import contextlib
import io
import logging
import math
import os
import signal
import statistics
import time
import warnings
from importlib import metadata, util
from pathlib import Path
from typing import Any

from changju_check.report import PortableError

PIPELINE_VERSION = "3"  # 2: crooked pages deskewed before boxes join lines; 3: detection at DET_SIDE, lines one by one
# Text *detection* runs on a copy scaled to this long side; *recognition* still reads each line
# from the full-resolution page. Detection was two thirds of a page's time at 150 dpi (an A4 page,
# 1240x1754, in 1.4-1.8 s on 2 cores); at 1280 it takes 0.7-0.9 s and the lines found are the same
# but for seal debris and where a label and its value join (bench/scan_bench.py, tests/scan).
DET_SIDE = 1280
MAX_PIXELS = 40_000_000  # cap for a rendered page (a poster-sized PDF page at 150 dpi is huge)
MAX_OCR_SIDE = 2400  # images are scaled down to this long side (A4 at ~200 dpi)
MIN_SIDE = 300  # below this a page is "too small" to read
MIN_USABLE_CHARS = 6  # CJK characters, letters and digits read with a decent score
MIN_LINE_SCORE = 0.5

_ENGINE: Any = None
_ENGINE_THREADS: int | None = None


class EngineUnavailable(PortableError, RuntimeError):
    """The OCR engine or its bundled models are not installed."""


class _Timeout(Exception):
    pass


class ImageTooLarge(PortableError, ValueError):
    """An image with more pixels than can be decoded safely."""

    def __init__(self, width: int, height: int) -> None:
        super().__init__(f"image too large ({width}x{height} pixels)")
        mp = width * height / 1e6
        self.zh = f"图片过大（{width}×{height}，{mp:,.0f} 百万像素），未识别其内容"
        self.en = f"the image is too large ({width}×{height}, {mp:,.0f} megapixels); its content was not read"


# ---------------------------------------------------------------------------- versions


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "-"


def engine_version() -> str:
    """Everything an OCR result depends on; part of the cache key."""
    return ";".join([
        f"rapidocr={_version('rapidocr')}",
        f"onnxruntime={_version('onnxruntime')}",
        f"pypdfium2={_version('pypdfium2')}",
        f"pypdf={_version('pypdf')}",
        f"pillow={_version('pillow')}",
        f"pipeline={PIPELINE_VERSION}",
    ])


def seal_version() -> str:
    from changju_check.scan.seals import SEAL_ALGO_VERSION

    return ";".join([SEAL_ALGO_VERSION, f"pypdfium2={_version('pypdfium2')}", f"pillow={_version('pillow')}"])


# ---------------------------------------------------------------------------- the OCR engine


def model_paths() -> dict[str, Path] | None:
    """The det/rec/cls ONNX models shipped inside the rapidocr wheel, found without importing it."""
    spec = util.find_spec("rapidocr")
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(list(spec.submodule_search_locations)[0]) / "models"
    if not root.is_dir():
        return None
    found: dict[str, Path] = {}
    for task in ("det", "rec", "cls"):
        candidates = sorted(root.glob(f"*{task}*.onnx"))
        # prefer the newest PP-OCR generation when several are bundled
        candidates.sort(key=lambda p: ("PP-OCRv" in p.name, p.name), reverse=True)
        if candidates:
            found[task] = candidates[0]
    if "det" not in found or "rec" not in found:
        return None
    return found


def engine_params(paths: dict[str, Path], threads: int = 0) -> dict[str, Any]:
    """RapidOCR's settings for this pipeline (bench/baselines.py runs bare rapidocr with the same)."""
    params: dict[str, Any] = {
        "Global.log_level": "critical",
        "Global.use_cls": False,  # scans are upright; a 180-degree line classifier costs time
        "Det.model_path": str(paths["det"]),
        "Det.limit_type": "max",
        "Det.limit_side_len": DET_SIDE,
        "Rec.model_path": str(paths["rec"]),
        # one line at a time: a batch is padded to its widest line, which cost a third more time
        # on a page of short labels and values, and misread two words of the test scans
        "Rec.rec_batch_num": 1,
    }
    if "cls" in paths:
        params["Cls.model_path"] = str(paths["cls"])
    if threads > 0:
        params["EngineConfig.onnxruntime.intra_op_num_threads"] = threads
        params["EngineConfig.onnxruntime.inter_op_num_threads"] = 1
    return params


def get_engine(threads: int = 0):
    """The process's RapidOCR engine, built once, offline (explicit model paths)."""
    global _ENGINE, _ENGINE_THREADS
    if _ENGINE is not None and _ENGINE_THREADS == threads:
        return _ENGINE
    paths = model_paths()
    if paths is None:
        raise EngineUnavailable("rapidocr's bundled models were not found")
    logging.getLogger("RapidOCR").setLevel(logging.CRITICAL)
    from rapidocr import RapidOCR  # noqa: PLC0415 - the extra's heavy import

    logging.getLogger("RapidOCR").setLevel(logging.CRITICAL)
    _ENGINE = RapidOCR(params=engine_params(paths, threads))
    _ENGINE_THREADS = threads
    return _ENGINE


def ocr(image, threads: int = 0) -> list[tuple[str, float, tuple[float, float, float, float]]]:
    """OCR one page image: (text, score, (x0, y0, x1, y1)) per detected text box."""
    import numpy as np

    engine = get_engine(threads)
    array = np.asarray(image.convert("RGB"))[:, :, ::-1].copy()  # BGR, as OpenCV expects
    out = engine(array)
    boxes = getattr(out, "boxes", None)
    txts = getattr(out, "txts", None) or ()
    scores = getattr(out, "scores", None) or ()
    quads = [np.asarray(boxes[i], dtype=float) if boxes is not None and i < len(boxes) else None
             for i in range(len(txts))]
    # a page photographed or scanned crooked: the skew of its text lines (from the long boxes'
    # top edges) is undone on the box coordinates, so that a table row stays one line
    angles = []
    for pts in quads:
        if pts is not None and pts.shape == (4, 2):
            dx, dy = pts[1] - pts[0]
            if dx > 3 * max(1.0, float(np.linalg.norm(pts[3] - pts[0]))):
                angles.append(math.atan2(dy, dx))
    skew = statistics.median(angles) if len(angles) >= 3 else 0.0
    cos, sin = math.cos(-skew), math.sin(-skew)
    result = []
    for i, text in enumerate(txts):
        pts = quads[i]
        if pts is not None:
            if abs(skew) > 0.003:  # about 0.2 degrees
                pts = pts @ np.array([[cos, sin], [-sin, cos]])
            box = (float(pts[:, 0].min()), float(pts[:, 1].min()), float(pts[:, 0].max()), float(pts[:, 1].max()))
        else:
            box = (0.0, float(i), 0.0, float(i) + 1)
        result.append((str(text), float(scores[i]) if i < len(scores) else 0.0, box))
    return result


def layout(boxes) -> list[tuple[str, float]]:
    """OCR boxes to text lines in reading order: boxes whose vertical centres are close join one
    line, left to right; a wide gap becomes two spaces. Returns (line text, lowest score)."""
    items = [b for b in boxes if b[0].strip()]
    if not items:
        return []
    heights = [max(1.0, b[2][3] - b[2][1]) for b in items]
    unit = statistics.median(heights)
    items.sort(key=lambda b: ((b[2][1] + b[2][3]) / 2, b[2][0]))
    lines: list[list] = []
    for b in items:
        cy = (b[2][1] + b[2][3]) / 2
        if lines:
            last = lines[-1]
            lcy = sum((x[2][1] + x[2][3]) / 2 for x in last) / len(last)
            if abs(cy - lcy) <= 0.5 * unit:
                last.append(b)
                continue
        lines.append([b])
    result = []
    for line in lines:
        line.sort(key=lambda b: b[2][0])
        text = ""
        prev_x1 = None
        for b in line:
            if prev_x1 is not None:
                text += "  " if b[2][0] - prev_x1 > 2 * unit else " "
            text += b[0].strip()
            prev_x1 = b[2][2]
        result.append((text, min(b[1] for b in line)))
    return result


def usable_chars(lines) -> int:
    n = 0
    for text, score in lines:
        if score >= MIN_LINE_SCORE:
            n += sum(1 for ch in text if ch.isalnum())
    return n


# ---------------------------------------------------------------------------- pages


@contextlib.contextmanager
def _quiet():
    """pypdf logs repairs through `logging`, Pillow warns: neither may reach a user's report."""
    logger = logging.getLogger("pypdf")
    old = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(old)


def _is_blank(image) -> bool:
    import numpy as np

    small = image.convert("L")
    small.thumbnail((600, 600))
    a = np.asarray(small).astype(np.int16)
    ref = int(np.median(a))
    return bool((a < ref - 60).mean() < 0.0003)


def _load_image(data: bytes):
    from PIL import Image, ImageOps

    with _quiet():
        bound = Image.MAX_IMAGE_PIXELS
        Image.MAX_IMAGE_PIXELS = None  # open reads the header only; the size is judged below
        try:
            im = Image.open(io.BytesIO(data))
        finally:
            Image.MAX_IMAGE_PIXELS = bound
        if im.width * im.height > 2 * MAX_PIXELS:
            raise ImageTooLarge(im.width, im.height)
        if im.format == "JPEG":
            im.draft("RGB", (MAX_OCR_SIDE, MAX_OCR_SIDE))
        im.load()
        im = ImageOps.exif_transpose(im)
    if im.mode == "P" and "transparency" in im.info:
        im = im.convert("RGBA")
    if im.mode in ("RGBA", "LA", "PA"):
        # transparent pixels hide an arbitrary colour (often black): lay the page on white paper
        from PIL import Image as _Image

        paper = _Image.new("RGB", im.size, (255, 255, 255))
        paper.paste(im.convert("RGBA"), mask=im.convert("RGBA").getchannel("A"))
        im = paper
    elif im.mode not in ("RGB", "L"):
        im = im.convert("RGB")
    if max(im.size) > MAX_OCR_SIDE:
        im.thumbnail((MAX_OCR_SIDE, MAX_OCR_SIDE))
    return im


class _Pdf:
    """A PDF opened once for both its text layer (pypdf) and rendering (pypdfium2)."""

    def __init__(self, data: bytes):
        self.data = data
        self._reader = None
        self._doc = None
        self._checked: set[int] = set()

    def reader(self):
        if self._reader is None:
            from pypdf import PdfReader

            with _quiet():
                self._reader = PdfReader(io.BytesIO(self.data))
        return self._reader

    def doc(self):
        if self._doc is None:
            import pypdfium2 as pdfium

            self._doc = pdfium.PdfDocument(self.data)
        return self._doc

    def page_count(self) -> int:
        try:
            return len(self.doc())
        except Exception:  # noqa: BLE001 - fall back on pypdf's count
            with _quiet():
                return len(self.reader().pages)

    def text(self, index: int) -> str:
        try:
            with _quiet():
                return self.reader().pages[index].extract_text() or ""
        except Exception:  # noqa: BLE001 - a text layer we cannot read is no text layer
            return ""

    def render(self, index: int, dpi: int):
        self.check_load(index)
        page = self.doc()[index]
        w_pt, h_pt = page.get_size()
        scale = dpi / 72.0
        if w_pt * h_pt * scale * scale > MAX_PIXELS:
            scale = (MAX_PIXELS / max(1.0, w_pt * h_pt)) ** 0.5
        image = page.render(scale=scale).to_pil()
        return image.convert("RGB") if image.mode not in ("RGB", "L") else image

    def check_load(self, index: int) -> None:
        """Refuse a page whose content would keep a renderer or text extractor busy beyond reason
        (inspect/complexity.py); each page is counted once."""
        if index in self._checked:
            return
        self._checked.add(index)
        from changju_check.inspect.complexity import TooComplex, check_page

        try:
            with _quiet():
                check_page(self.reader().pages[index])
        except TooComplex:
            raise
        except Exception:  # noqa: BLE001 - a page pypdf cannot walk is left to PDFium and the time limit
            return

    def close(self):
        if self._doc is not None:
            with contextlib.suppress(Exception):
                self._doc.close()


MAX_PAGE_CHARS = 50_000  # a first page holds a few thousand characters; a hostile text layer more


def _text_part(lines, source: str, reason: str | None, size) -> dict[str, Any]:
    kept = []
    total = 0
    for t, s in lines:
        t = t[:MAX_PAGE_CHARS]
        total += len(t)
        if total > MAX_PAGE_CHARS:
            break
        kept.append([t, round(s, 4)])
    return {"source": source, "lines": kept, "reason": reason, "size": list(size) if size else None}


def _read_image_text(image, threads: int) -> dict[str, Any]:
    size = image.size
    if min(size) < MIN_SIDE:
        return _text_part([], "none", "too_small", size)
    if _is_blank(image):
        return _text_part([], "none", "blank", size)
    lines = layout(ocr(image, threads))
    if usable_chars(lines) < MIN_USABLE_CHARS:
        return _text_part(lines, "ocr", "no_text", size)
    return _text_part(lines, "ocr", None, size)


def _seal_part(image) -> dict[str, Any]:
    from changju_check.scan.seals import find_seals, is_greyscale

    grey = is_greyscale(image)
    seals = [] if grey else find_seals(image)
    return {"seals": [s.to_dict() for s in seals], "greyscale": grey}


def page_text(part: Any) -> str:
    """The text of a page's "text" part (as read, or from the cache)."""
    lines = part.get("lines", []) if isinstance(part, dict) else []
    return "\n".join(str(line[0]) for line in lines if isinstance(line, (list, tuple)) and line)


def _enough(until: str | None, known: dict[int, str], index: int) -> bool:
    """Whether the pages before `index` (all read) give every fact the layout `until` needs."""
    if not until or index == 0 or any(i not in known for i in range(index)):
        return False
    from changju_check.scan.layout import read_enough

    return read_enough(until, [known[i] for i in range(index)])


def process(job: dict[str, Any]) -> dict[str, Any]:
    """One file: for each wanted page, the parts asked for ("text", "seal").

    job = {"data": bytes, "kind": "pdf"|"jpeg"|"png", "dpi": int, "threads": int,
           "needs": {page_index: ["text", "seal"]}, "until": layout kind | None,
           "known": {page_index: text of a page in the cache}}
    With `until`, the pages stop once those read (and `known`) give what that layout needs.
    result = {"page_count": int, "pages": {page_index: {"text": {...}, "seal": {...}}},
              "error": None | str, "ocr_pages": int}
    """
    kind = job["kind"]
    dpi = int(job.get("dpi", 150))
    threads = int(job.get("threads", 0))
    needs: dict[int, list[str]] = {int(k): list(v) for k, v in job["needs"].items()}
    result: dict[str, Any] = {"page_count": 0, "pages": {}, "error": None, "ocr_pages": 0}
    data = job["data"]
    until = job.get("until")
    known = {int(k): str(v) for k, v in (job.get("known") or {}).items()}
    if kind == "pdf":
        pdf = _Pdf(data)
        try:
            count = pdf.page_count()
            result["page_count"] = count
            for index in sorted(needs):
                if index >= count:
                    continue
                if _enough(until, known, index):
                    break  # e.g. the contract's term found on page 2: page 3 is not OCR'd
                parts: dict[str, Any] = {}
                image = None
                pdf.check_load(index)  # before pypdf's text extraction, which interprets the page too
                if "text" in needs[index]:
                    layer = pdf.text(index)
                    layer_lines = [(ln.strip(), 1.0) for ln in layer.splitlines() if ln.strip()]
                    if usable_chars(layer_lines) >= MIN_USABLE_CHARS:
                        parts["text"] = _text_part(layer_lines, "text-layer", None, None)
                    else:
                        image = pdf.render(index, dpi)
                        parts["text"] = _read_image_text(image, threads)
                        if parts["text"]["source"] == "ocr":
                            result["ocr_pages"] += 1
                if "seal" in needs[index]:
                    if image is None:
                        image = pdf.render(index, dpi)
                    parts["seal"] = _seal_part(image)
                result["pages"][index] = parts
                if "text" in parts:
                    known[index] = page_text(parts["text"])
        finally:
            pdf.close()
    else:
        image = _load_image(data)
        result["page_count"] = 1
        if 0 in needs:
            parts = {}
            if "text" in needs[0]:
                parts["text"] = _read_image_text(image, threads)
                if parts["text"]["source"] == "ocr":
                    result["ocr_pages"] += 1
            if "seal" in needs[0]:
                parts["seal"] = _seal_part(image)
            result["pages"][0] = parts
    return result


def _alarm(signum, frame):  # pragma: no cover - runs in a worker process
    raise _Timeout()


def worker_init() -> None:  # pragma: no cover - runs in a worker process
    """Set up a worker process: quiet logs, no stray output."""
    logging.getLogger("RapidOCR").setLevel(logging.CRITICAL)
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    warnings.simplefilter("ignore")
    os.environ.setdefault("OMP_NUM_THREADS", "1")


def warm(threads: int = 0) -> None:  # pragma: no cover - runs in a worker process
    """Load what reading needs before the first file: the libraries and the OCR engine. A
    failure here is left for the job to report (EngineUnavailable names it)."""
    try:
        import numpy  # noqa: F401
        import PIL.Image  # noqa: F401
        import pypdf  # noqa: F401
        import pypdfium2  # noqa: F401

        get_engine(threads)
        # No trial inference: onnxruntime's first one sets up its arenas and is 0.1-0.2 s slower
        # than the next, and a trial on a small sample costs as much (0.2 s); the first page's
        # time limit (30 s) has room for it.
    except Exception:  # noqa: BLE001
        pass


def run_job(job: dict[str, Any]) -> dict[str, Any]:
    """Entry point in a worker process: `process` under the per-file time limit (SIGALRM; the
    OCR engine's native calls are short, so the alarm is honoured within about a second)."""
    if job.get("_test_crash"):  # private: lets the tests end a worker the way a native crash does
        os._exit(70)
    if job.get("_test_allocate_mb"):  # private: lets the tests reach the worker's memory limit
        try:
            hog = bytearray(int(job["_test_allocate_mb"]) << 20)
            del hog
        except MemoryError:
            return error_result(MemoryError())
    timeout = float(job.get("timeout") or 0)
    use_alarm = timeout > 0 and hasattr(signal, "setitimer")
    if use_alarm:
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    started = time.monotonic()
    try:
        out = process(job)
        out["seconds"] = round(time.monotonic() - started, 3)
        out["pid"] = os.getpid()
        return out
    except _Timeout:
        return {"page_count": 0, "pages": {}, "error": "timeout", "ocr_pages": 0,
                "seconds": round(time.monotonic() - started, 3)}
    except Exception as exc:  # noqa: BLE001 - hostile input: any failure is this file's problem
        if "_Timeout" in str(exc) or isinstance(exc.__context__, _Timeout):
            # the OCR engine wraps the alarm's exception in its own (ONNXRuntimeError + a traceback)
            return {"page_count": 0, "pages": {}, "error": "timeout", "ocr_pages": 0}
        return error_result(exc)
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def ping() -> str:
    """A worker that can answer this can start at all."""
    return "ok"


def run_inline(job: dict[str, Any]) -> dict[str, Any]:
    """`process` in the calling process (workers=0): no time limit, same error handling."""
    try:
        return process(job)
    except Exception as exc:  # noqa: BLE001
        return error_result(exc)


def error_result(exc: BaseException) -> dict[str, Any]:
    """The result of a job that failed: plain data, whatever was raised (MemoryError included)."""
    from changju_check.inspect.complexity import TooComplex

    out: dict[str, Any] = {"page_count": 0, "pages": {}, "ocr_pages": 0}
    if isinstance(exc, EngineUnavailable):
        out["error"] = f"engine: {exc}"
    elif isinstance(exc, MemoryError):
        out["error"] = "out of memory"
    elif isinstance(exc, TooComplex):
        out["error"] = "too complex"
        out["detail"] = [exc.zh, exc.en]
    elif isinstance(exc, ImageTooLarge):
        out["error"] = "too large to render"
        out["detail"] = [exc.zh, exc.en]
    else:
        out["error"] = f"{type(exc).__name__}: {exc}"[:300]
    return out
