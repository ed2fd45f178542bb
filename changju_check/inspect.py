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

import logging
import math
import os
import signal
import struct
import threading
import time
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO, Literal

from changju_check import codes
from changju_check.packet import PacketFile, ZipMemberTooLarge
from changju_check.report import Finding

Kind = Literal["pdf", "jpeg", "png", "heic", "empty", "other"]

HEAD_BYTES = 8192
TEXT_CHARS_CAP = 200_000  # characters of text layer kept per file
JPEG_DECODE_MAX_PIXELS = 200_000_000  # decoded at 1/8 scale (1/64 of the memory)
PNG_DECODE_MAX_PIXELS = 4_000_000  # PNG has no reduced decode: only small ones are decoded
TAIL_BYTES = 65536
ALARM_REPEAT = 0.05  # the alarm repeats until cleared, in case library code swallows one
WORKER_GRACE = 2.0  # seconds the parent waits beyond the limit before killing a worker
WORKER_START_TIMEOUT = 60.0

HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs"}
HEIF_GENERIC = {b"mif1", b"msf1"}  # HEIF image/sequence: shared by HEIC and AVIF
AVIF_BRANDS = {b"avif", b"avis"}

_EXT_KIND = {
    ".pdf": "pdf",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".jpe": "jpeg",
    ".jfif": "jpeg",
    ".png": "png",
}
_KIND_NAME = {  # (zh, en), for "content is X, not Y"
    "pdf": ("PDF", "PDF"),
    "jpeg": ("JPEG 图片", "a JPEG image"),
    "png": ("PNG 图片", "a PNG image"),
    "heic": ("HEIC/HEIF 图片（手机照片格式）", "a HEIC/HEIF image (a phone photo format)"),
}
_CLAIM_NAME = {"pdf": ("PDF", "PDF"), "jpeg": ("JPG 图片", "a JPG image"), "png": ("PNG 图片", "a PNG image")}


@dataclass(frozen=True)
class FileInfo:
    """What inspection found out about one file."""

    path: str
    kind: Kind
    pages: int | None = None  # PDF page count; 1 for an image
    encrypted: Literal["owner", "user"] | None = None
    text: str | None = None  # text layer of the first pages, when asked for
    years: tuple[int, ...] = ()  # left empty here: the recogniser reads years from names and text
    findings: tuple[Finding, ...] = ()

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)


# ----------------------------------------------------------------------------- public API


def inspect_file(pf: PacketFile, *, timeout: float | None = 5.0, text_pages: int = 0) -> FileInfo:
    """Inspect one file under a time limit of `timeout` seconds (None or 0: no limit)."""
    try:
        if not timeout or timeout <= 0 or math.isinf(timeout):
            return _guarded(_inspect_unbounded, pf, text_pages)
        if _alarm_usable():
            return _run_with_alarm(_inspect_unbounded, pf, timeout, text_pages)
        worker = _Worker()
        try:
            return worker.run(pf, timeout, text_pages)
        finally:
            worker.close()
    except Exception as exc:  # noqa: BLE001 - the contract: nothing escapes
        return _unexpected(pf, exc)


def inspect_files(
    files: list[PacketFile],
    *,
    timeout: float | None = 5.0,
    text_pages_for: Callable[[PacketFile], int] | None = None,
) -> dict[str, FileInfo]:
    """Inspect files one after the other; keyed by `PacketFile.path`."""
    results: dict[str, FileInfo] = {}
    worker: _Worker | None = None
    try:
        for pf in files:
            pages = int(text_pages_for(pf)) if text_pages_for is not None else 0
            limited = bool(timeout) and timeout > 0 and not math.isinf(timeout)  # type: ignore[operator]
            if limited and not _alarm_usable():
                worker = worker or _Worker()
                try:
                    results[pf.path] = worker.run(pf, timeout, pages)  # type: ignore[arg-type]
                except Exception as exc:  # noqa: BLE001
                    results[pf.path] = _unexpected(pf, exc)
            else:
                results[pf.path] = inspect_file(pf, timeout=timeout, text_pages=pages)
    finally:
        if worker is not None:
            worker.close()
    return results


# ----------------------------------------------------------------------------- time limit


class _TimedOut(BaseException):
    """Raised by the SIGALRM handler; a BaseException so that `except Exception` in libraries cannot eat it."""


def _alarm_usable() -> bool:
    return (
        hasattr(signal, "SIGALRM")
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )


def _run_with_alarm(inner: Callable[[PacketFile, int], FileInfo], pf: PacketFile, timeout: float, text_pages: int) -> FileInfo:
    armed = [True]

    def on_alarm(signum: int, frame: Any) -> None:
        if armed[0]:
            raise _TimedOut

    started = time.monotonic()
    previous_delay, previous_interval = signal.getitimer(signal.ITIMER_REAL)
    previous_handler = signal.signal(signal.SIGALRM, on_alarm)
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, timeout, ALARM_REPEAT)
            return _guarded(inner, pf, text_pages)
        finally:
            armed[0] = False
    except _TimedOut:
        armed[0] = False
        return _timed_out(pf, timeout)
    finally:
        armed[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler if previous_handler is not None else signal.SIG_DFL)
        if previous_delay > 0:  # someone else's timer was running: give it back what is left
            left = previous_delay - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6), previous_interval)


def _guarded(inner: Callable[[PacketFile, int], FileInfo], pf: PacketFile, text_pages: int) -> FileInfo:
    try:
        info = inner(pf, text_pages)
        if not isinstance(info, FileInfo):
            raise TypeError(f"inspection returned {type(info).__name__}")
        return info
    except Exception as exc:  # noqa: BLE001 - RecursionError, MemoryError, anything a library raises
        return _unexpected(pf, exc)


def _timed_out(pf: PacketFile, timeout: float) -> FileInfo:
    return FileInfo(
        path=pf.path,
        kind=_kind_from_ext(pf.path),
        findings=(
            codes.finding(
                "CJ301",
                f"检查超时（超过 {timeout:g} 秒），文件可能已损坏或是恶意构造的。",
                f"Inspection timed out (more than {timeout:g} s); the file may be damaged or crafted.",
                file=pf.path,
            ),
        ),
    )


def _unexpected(pf: PacketFile, exc: BaseException) -> FileInfo:
    detail = _short(f"{type(exc).__name__}: {exc}")
    return FileInfo(
        path=pf.path,
        kind=_kind_from_ext(pf.path),
        findings=(
            codes.finding(
                "CJ301",
                f"检查时发生意外错误，文件无法读取（{detail}）。",
                f"An unexpected error stopped the inspection; the file cannot be read ({detail}).",
                file=pf.path,
            ),
        ),
    )


def _kind_from_ext(path: str) -> Kind:
    return _EXT_KIND.get(os.path.splitext(path)[1].lower(), "other")  # type: ignore[return-value]


class _Worker:
    """One spawned process that inspects files sent to it; killed and replaced on a time-out."""

    def __init__(self) -> None:
        self._proc: Any = None
        self._conn: Any = None

    def _start(self) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")  # safe from any thread, and the only choice on Windows
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_worker_main, args=(child,), daemon=True, name="changju-inspect")
        proc.start()
        child.close()
        if not parent.poll(WORKER_START_TIMEOUT) or parent.recv() != "ready":
            proc.kill()
            raise RuntimeError("the inspection worker did not start")
        self._proc, self._conn = proc, parent

    def run(self, pf: PacketFile, timeout: float, text_pages: int) -> FileInfo:
        if self._proc is None or not self._proc.is_alive():
            try:
                self._start()
            except Exception:  # noqa: BLE001 - e.g. a script without a __main__ guard cannot spawn
                # No worker, no limit: pypdf's own limits still stop the known bombs.
                return _guarded(_inspect_unbounded, pf, text_pages)
        self._conn.send((_inspect_unbounded, pf, timeout, text_pages))
        if self._conn.poll(timeout + WORKER_GRACE):
            try:
                return self._conn.recv()
            except (EOFError, OSError):
                self._kill()
                return _unexpected(pf, RuntimeError("the inspection process stopped unexpectedly"))
        self._kill()
        return _timed_out(pf, timeout)

    def _kill(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.join(5)
        if self._conn is not None:
            self._conn.close()
        self._proc = self._conn = None

    def close(self) -> None:
        if self._proc is None:
            return
        try:
            self._conn.send(None)
            self._proc.join(2)
        except (OSError, ValueError):
            pass
        if self._proc.is_alive():
            self._proc.kill()
            self._proc.join(5)
        self._conn.close()
        self._proc = self._conn = None


def _worker_main(conn: Any) -> None:
    """The worker process: inspect each request under the alarm if it can, answer, repeat."""
    conn.send("ready")
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        inner, pf, timeout, text_pages = request
        if _alarm_usable():
            info = _run_with_alarm(inner, pf, timeout, text_pages)
        else:
            info = _guarded(inner, pf, text_pages)
        conn.send(info)


# ----------------------------------------------------------------------------- the inspection


def _inspect_unbounded(pf: PacketFile, text_pages: int) -> FileInfo:
    """Inspect without a time limit (the callers above add one). May raise; `_guarded` catches."""
    if pf.size == 0:
        return _empty(pf)
    try:
        fh = pf.open()
    except Exception as exc:  # noqa: BLE001
        return FileInfo(path=pf.path, kind=_kind_from_ext(pf.path), findings=(_open_failed(pf, exc),))
    with fh:
        head = fh.read(HEAD_BYTES)
        if not head:
            return _empty(pf)
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        fh.seek(0)
        kind, what_zh, what_en = _sniff(head, pf.path)
        claimed = _kind_from_ext(pf.path)
        findings: list[Finding] = []
        if kind in ("pdf", "jpeg", "png") and claimed != "other" and kind != claimed:
            if not (kind in ("jpeg", "png") and claimed in ("jpeg", "png")):  # image for image is fine
                findings.append(_mismatch(pf, what_zh, what_en, claimed))
        if kind == "pdf":
            return _inspect_pdf(pf, fh, text_pages, findings)
        if kind in ("jpeg", "png"):
            findings.extend(_inspect_image(pf, fh, kind, size))
            return FileInfo(path=pf.path, kind=kind, pages=1, findings=tuple(findings))
        if kind == "heic":
            ext = os.path.splitext(pf.path)[1]
            named = f"（扩展名为 {ext}）" if claimed != "other" else ""
            named_en = f" (named {ext})" if claimed != "other" else ""
            findings.append(
                codes.finding(
                    "CJ304",
                    f"文件是 HEIC/HEIF 格式的手机照片{named}，申报系统不接受。请在相册中导出为 JPG，或转换为 PDF。",
                    f"The file is a HEIC/HEIF phone photo{named_en}, which the system does not accept. "
                    "Export it as JPG from the photo gallery, or convert it to PDF.",
                    file=pf.path,
                )
            )
            return FileInfo(path=pf.path, kind="heic", findings=tuple(findings))
        if claimed != "other":
            findings.append(_mismatch(pf, what_zh, what_en, claimed))
        else:
            findings.append(
                codes.finding(
                    "CJ304",
                    f"文件是{what_zh}，申报系统只接受 PDF、JPG、PNG。请导出为 PDF 或 JPG。",
                    f"The file is {what_en}; the system accepts only PDF, JPG and PNG. Export it as PDF or JPG.",
                    file=pf.path,
                )
            )
        return FileInfo(path=pf.path, kind="other", findings=tuple(findings))


def _empty(pf: PacketFile) -> FileInfo:
    return FileInfo(
        path=pf.path,
        kind="empty",
        findings=(codes.finding("CJ303", "文件大小为0字节。", "The file is 0 bytes.", file=pf.path),),
    )


def _open_failed(pf: PacketFile, exc: BaseException) -> Finding:
    if isinstance(exc, PermissionError):
        zh, en = "没有读取权限", "no read permission"
    elif isinstance(exc, ZipMemberTooLarge):
        zh, en = "压缩包中的该文件解压后超过声明的大小或上限", "the zip member inflates beyond its declared size or the limit"
    elif isinstance(exc, zipfile.BadZipFile):
        zh, en = f"压缩包中的该文件已损坏（{_short(str(exc))}）", f"the zip member is damaged ({_short(str(exc))})"
    else:
        detail = _short(f"{type(exc).__name__}: {exc}")
        zh, en = f"无法打开（{detail}）", f"it cannot be opened ({detail})"
    return codes.finding("CJ301", f"文件无法读取：{zh}。", f"The file cannot be read: {en}.", file=pf.path)


def _mismatch(pf: PacketFile, what_zh: str, what_en: str, claimed: str) -> Finding:
    ext = os.path.splitext(pf.path)[1]
    claim_zh, claim_en = _CLAIM_NAME[claimed]
    return codes.finding(
        "CJ301",
        f"文件扩展名为 {ext}，但内容是{what_zh}，不是{claim_zh}。",
        f"The file is named {ext} but its content is {what_en}, not {claim_en}.",
        file=pf.path,
    )


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ----------------------------------------------------------------------------- sniffing


def _ftyp_brands(head: bytes) -> tuple[bytes, list[bytes]] | None:
    if len(head) < 16 or head[4:8] != b"ftyp":
        return None
    box = int.from_bytes(head[0:4], "big")
    end = min(box if box >= 16 else 16, len(head))
    return head[8:12], [head[i : i + 4] for i in range(16, end - 3, 4)]


def _sniff(head: bytes, path: str) -> tuple[Kind, str, str]:
    """The kind of the content and a description of it (zh, en), from the first bytes."""
    if b"%PDF-" in head[:1024]:
        return "pdf", "PDF", "PDF"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg", *_KIND_NAME["jpeg"]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png", *_KIND_NAME["png"]
    ftyp = _ftyp_brands(head)
    if ftyp is not None:
        major, compatible = ftyp
        brands = {major, *compatible}
        if major in AVIF_BRANDS or (major in HEIF_GENERIC and brands & AVIF_BRANDS and not brands & HEIC_BRANDS):
            return "other", "AVIF 图片", "an AVIF image"
        if brands & HEIC_BRANDS or major in HEIF_GENERIC:
            return "heic", *_KIND_NAME["heic"]
        return "other", "视频文件（MP4/MOV）", "a video (MP4/MOV)"
    ext = os.path.splitext(path)[1].lower()
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        if ext == ".ofd" or b"OFD.xml" in head:
            return "other", "OFD 电子文件", "an OFD document"
        if ext == ".docx" or b"word/" in head:
            return "other", "Word 文档（docx）", "a Word document (docx)"
        if ext == ".xlsx" or b"xl/" in head:
            return "other", "Excel 表格（xlsx）", "an Excel workbook (xlsx)"
        if ext == ".pptx" or b"ppt/" in head:
            return "other", "PowerPoint 演示文稿（pptx）", "a PowerPoint file (pptx)"
        return "other", "ZIP 压缩包", "a zip archive"
    for magic, zh, en in (
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Office 文档（doc/xls/ppt）", "an old Office document (doc/xls/ppt)"),
        (b"GIF8", "GIF 图片", "a GIF image"),
        (b"BM", "BMP 图片", "a BMP image"),
        (b"II*\x00", "TIFF 图片", "a TIFF image"),
        (b"MM\x00*", "TIFF 图片", "a TIFF image"),
        (b"Rar!", "RAR 压缩包", "a RAR archive"),
        (b"7z\xbc\xaf\x27\x1c", "7z 压缩包", "a 7z archive"),
        (b"%!PS", "PostScript 文件", "a PostScript file"),
        (b"{\\rtf", "RTF 文档", "an RTF document"),
    ):
        if head.startswith(magic):
            return "other", zh, en
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "other", "WebP 图片", "a WebP image"
    if _looks_like_text(head[:4096]):
        return "other", "文本文件", "a text file"
    return "other", "无法识别的数据", "unrecognised data"


def _looks_like_text(sample: bytes) -> bool:
    for encoding in ("utf-8", "gb18030"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start < len(sample) - 3:  # not just a character cut at the end of the sample
                continue
            text = sample[: exc.start].decode(encoding)
        if text and sum(c.isprintable() or c in "\r\n\t\f" for c in text) >= 0.95 * len(text):
            return True
    return False


# ----------------------------------------------------------------------------- PDF


class _LogCapture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno < logging.WARNING:
            return
        try:
            self.messages.append(record.getMessage())
        except Exception:  # noqa: BLE001 - a badly formatted record is still a message
            self.messages.append(str(record.msg))


class _CapturePypdf:
    """Capture the 'pypdf' logger and pypdf's warnings for the duration; nothing reaches stderr."""

    def __enter__(self) -> "_CapturePypdf":
        self.logger = logging.getLogger("pypdf")
        self.handler = _LogCapture()
        self._level, self._propagate = self.logger.level, self.logger.propagate
        self.logger.addHandler(self.handler)
        self.logger.propagate = False
        self._level_changed = self.logger.getEffectiveLevel() > logging.WARNING
        if self._level_changed:
            self.logger.setLevel(logging.WARNING)
        self._warnings = warnings.catch_warnings(record=True)
        self.caught = self._warnings.__enter__()
        warnings.simplefilter("always")
        return self

    def __exit__(self, *exc: object) -> None:
        self._warnings.__exit__(*exc)
        self.logger.removeHandler(self.handler)
        self.logger.propagate = self._propagate
        if self._level_changed:  # setLevel clears every logger's cache: only when we changed it
            self.logger.setLevel(self._level)

    @property
    def messages(self) -> list[str]:
        found = list(self.handler.messages)
        found += [str(w.message) for w in self.caught if "pypdf" in (w.filename or "")]
        return found


_TRUNCATION_SIGNS = ("EOF marker not found", "EOF marker seems truncated", "startxref found while searching")


def _inspect_pdf(pf: PacketFile, fh: BinaryIO, text_pages: int, findings: list[Finding]) -> FileInfo:
    from pypdf import PdfReader
    from pypdf import PasswordType
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError

    pages: int | None = None
    encrypted: Literal["owner", "user"] | None = None
    text: str | None = None
    capture = _CapturePypdf()
    error: BaseException | None = None
    with capture:
        try:
            reader = PdfReader(fh, strict=False)
            if reader.is_encrypted:
                encrypted = "user" if reader.decrypt("") == PasswordType.NOT_DECRYPTED else "owner"
            if encrypted != "user":
                pages = len(reader.pages)
        except FileNotDecryptedError:
            encrypted = "user"
        except Exception as exc:  # noqa: BLE001 - see the facts: LimitReachedError, DependencyError, ValueError, KeyError, RecursionError...
            error = exc
        structural = list(capture.messages)
        if error is None and text_pages > 0 and pages:
            text, bomb = _extract_text(reader, min(text_pages, pages), LimitReachedError)
            if bomb is not None:
                findings.append(
                    codes.finding(
                        "CJ301",
                        f"PDF 的内容超过安全上限（{_short(str(bomb))}），可能是恶意构造的文件。",
                        f"The PDF's content exceeds a safety limit ({_short(str(bomb))}); it may be a crafted file.",
                        file=pf.path,
                    )
                )
    truncated = any(sign in m for m in structural for sign in _TRUNCATION_SIGNS)

    if encrypted == "user":
        findings.append(
            codes.finding(
                "CJ302",
                "PDF 设置了打开密码，审核人员无法查看。请去除密码后重新导出（打印为 PDF 即可）。",
                "The PDF needs a password to open, so reviewers cannot read it. Remove the password and export "
                "it again (printing to PDF will do).",
                file=pf.path,
            )
        )
        return FileInfo(path=pf.path, kind="pdf", encrypted="user", findings=tuple(findings))

    if error is not None:
        zh, en = _pdf_reason(error, truncated, LimitReachedError, DependencyError)
        findings.append(codes.finding("CJ301", f"PDF 无法读取：{zh}。", f"The PDF cannot be read: {en}.", file=pf.path))
        return FileInfo(path=pf.path, kind="pdf", encrypted=encrypted, findings=tuple(findings))

    if encrypted == "owner":
        findings.append(
            codes.finding(
                "CJ306",
                "PDF 设有权限密码，但没有打开密码，可以正常打开和打印。",
                "The PDF has an owner (permissions) password but no user password; it opens and prints normally.",
                file=pf.path,
            )
        )
    if truncated:
        findings.append(
            codes.finding(
                "CJ301",
                "PDF 文件不完整（缺少结尾标记，可能在下载或复制时被截断），部分内容可能丢失。",
                "The PDF is incomplete (its end-of-file marker is missing; it was probably cut short while "
                "downloading or copying), so some content may be lost.",
                file=pf.path,
            )
        )
    elif structural:
        more_zh = f"等 {len(structural)} 处" if len(structural) > 1 else ""
        more_en = f", and {len(structural) - 1} more" if len(structural) > 1 else ""
        findings.append(
            codes.finding(
                "CJ308",
                f"PDF 结构有误，已修复读取（{_short(structural[0], 120)}{more_zh}），部分阅读器或申报系统可能无法打开。",
                f"The PDF's structure is damaged; it was read with repairs ({_short(structural[0], 120)}{more_en}), "
                "but some viewers or the upload system may not open it.",
                file=pf.path,
            )
        )
    if pages == 0:
        findings.append(codes.finding("CJ303", "PDF 没有任何页面。", "The PDF has no pages.", file=pf.path))
    return FileInfo(path=pf.path, kind="pdf", pages=pages, encrypted=encrypted, text=text, findings=tuple(findings))


def _extract_text(reader: Any, count: int, limit_error: type) -> tuple[str, BaseException | None]:
    """The text layer of the first `count` pages; a broken text layer is not an error of the file."""
    parts: list[str] = []
    total = 0
    for index in range(count):
        try:
            page_text = reader.pages[index].extract_text() or ""
        except limit_error as exc:
            return "\n".join(parts), exc
        except Exception:  # noqa: BLE001 - pypdf's text extraction is best effort
            break
        parts.append(page_text)
        total += len(page_text)
        if total >= TEXT_CHARS_CAP:
            break
    return "\n".join(parts)[:TEXT_CHARS_CAP], None


def _pdf_reason(exc: BaseException, truncated: bool, limit_error: type, dependency_error: type) -> tuple[str, str]:
    detail = _short(f"{type(exc).__name__}: {exc}", 120)
    message = str(exc)
    if isinstance(exc, limit_error):
        return (
            f"超过安全上限，可能是恶意构造的文件（{detail}）",
            f"it exceeds a safety limit and may be a crafted file ({detail})",
        )
    if isinstance(exc, dependency_error):
        return (
            f"读取这种加密方式需要安装 cryptography 库（pip install 'pypdf[crypto]'）（{detail}）",
            f"this kind of encryption needs the cryptography package (pip install 'pypdf[crypto]') ({detail})",
        )
    if "cyclic" in message.lower():
        return "页面结构存在循环引用", "its page tree loops back on itself"
    if isinstance(exc, RecursionError):
        return "结构嵌套过深", "its structure is nested too deeply"
    if truncated or "ended unexpectedly" in message:
        return (
            "文件不完整，可能在下载或复制时被截断",
            "the file is incomplete; it was probably cut short while downloading or copying",
        )
    return f"PDF 结构损坏，无法修复（{detail}）", f"its structure is broken beyond repair ({detail})"


# ----------------------------------------------------------------------------- images


def _inspect_image(pf: PacketFile, fh: BinaryIO, kind: str, size: int) -> list[Finding]:
    if kind == "jpeg":
        dims, problem = _jpeg_structure(fh, size)
    else:
        dims, problem = _png_structure(fh, size)
    if problem is None and dims is not None:
        problem = _decode_check(fh, kind, dims)
    if problem is None:
        return []
    name_zh, name_en = ("JPEG", "JPEG") if kind == "jpeg" else ("PNG", "PNG")
    return [
        codes.finding(
            "CJ301",
            f"{name_zh} 图片无法读取：{problem[0]}。",
            f"The {name_en} image cannot be read: {problem[1]}.",
            file=pf.path,
        )
    ]


_TRUNCATED = ("文件不完整（缺少结束标记，可能在传输时被截断）", "it is incomplete (no end marker; probably cut short in transfer)")


def _jpeg_structure(fh: BinaryIO, size: int) -> tuple[tuple[int, int] | None, tuple[str, str] | None]:
    """Walk the JPEG segments up to the first scan (for the size), then look for the end marker."""
    fh.seek(2)
    dims: tuple[int, int] | None = None
    scan_at: int | None = None
    while True:
        byte = fh.read(1)
        if not byte:
            return dims, _TRUNCATED
        if byte != b"\xff":
            return dims, ("段结构损坏", "its segment structure is damaged")
        marker = fh.read(1)
        while marker == b"\xff":  # fill bytes
            marker = fh.read(1)
        if not marker:
            return dims, _TRUNCATED
        m = marker[0]
        if m == 0xD9:
            return dims, ("没有图像数据", "it holds no image data")
        if m == 0x01 or 0xD0 <= m <= 0xD7 or m == 0xD8:
            continue
        raw = fh.read(2)
        if len(raw) < 2:
            return dims, _TRUNCATED
        length = struct.unpack(">H", raw)[0]
        if length < 2:
            return dims, ("段结构损坏", "its segment structure is damaged")
        if 0xC0 <= m <= 0xCF and m not in (0xC4, 0xC8, 0xCC):
            sof = fh.read(5)
            if len(sof) < 5:
                return dims, _TRUNCATED
            height, width = struct.unpack(">HH", sof[1:5])
            dims = (width, height)
            fh.seek(length - 2 - 5, os.SEEK_CUR)
        elif m == 0xDA:
            scan_at = fh.tell() + length - 2
            break
        else:
            fh.seek(length - 2, os.SEEK_CUR)
        if fh.tell() > size:
            return dims, _TRUNCATED
    if dims is None or dims[0] == 0 or dims[1] == 0:
        return None, ("缺少图像尺寸信息", "it has no image size")
    # The end-of-image marker: usually in the last bytes; after it some phones append data
    # (motion photos), so fall back to a forward scan of the entropy-coded data, where 0xFF is
    # always stuffed and FFD9 can only be the real marker.
    start = max(scan_at, size - TAIL_BYTES)
    fh.seek(start)
    if b"\xff\xd9" in fh.read():
        return dims, None
    fh.seek(scan_at)
    carry = b""
    while True:
        chunk = fh.read(1 << 20)
        if not chunk:
            return dims, _TRUNCATED
        if b"\xff\xd9" in carry + chunk:
            return dims, None
        carry = chunk[-1:]


def _png_structure(fh: BinaryIO, size: int) -> tuple[tuple[int, int] | None, tuple[str, str] | None]:
    """Follow the PNG chunk chain from IHDR to IEND without reading the image data."""
    fh.seek(8)
    head = fh.read(8)
    if len(head) < 8:
        return None, _TRUNCATED
    length, ctype = struct.unpack(">I4s", head)
    if ctype != b"IHDR" or length != 13:
        return None, ("缺少 IHDR 头", "its IHDR header is missing")
    ihdr = fh.read(13)
    if len(ihdr) < 13:
        return None, _TRUNCATED
    width, height = struct.unpack(">II", ihdr[:8])
    if width == 0 or height == 0:
        return None, ("图像尺寸为0", "its size is zero")
    pos = 8 + 12 + 13
    while True:
        if pos + 12 > size:
            return (width, height), _TRUNCATED
        fh.seek(pos)
        head = fh.read(8)
        length, ctype = struct.unpack(">I4s", head)
        if length > 0x7FFFFFFF:
            return (width, height), ("数据块结构损坏", "its chunk structure is damaged")
        if ctype == b"IEND":
            return (width, height), None
        pos += 12 + length


def _decode_check(fh: BinaryIO, kind: str, dims: tuple[int, int]) -> tuple[str, str] | None:
    """Decode small images (JPEG at 1/8 scale) to find damage the structure does not show."""
    width, height = dims
    if width * height > (JPEG_DECODE_MAX_PIXELS if kind == "jpeg" else PNG_DECODE_MAX_PIXELS):
        return None
    try:
        from PIL import Image
    except ImportError:  # Pillow is optional: the structural check stands alone
        return None
    fh.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(fh, formats=["JPEG" if kind == "jpeg" else "PNG"]) as im:
                if kind == "jpeg":
                    im.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                im.load()
    except Image.DecompressionBombError:
        return None  # too large to decode here; the structure was fine
    except Exception as exc:  # noqa: BLE001 - Pillow raises OSError, SyntaxError, ValueError, struct.error...
        return (f"图像数据损坏（{_short(str(exc), 100)}）", f"its image data is damaged ({_short(str(exc), 100)})")
    return None
