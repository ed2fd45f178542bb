"""PDFs: opened lazily from a file object, reading only the trailer, the encryption dictionary and
the page tree, and the text layer only when asked. pypdf's repairs, reported through its logger,
are captured and kept from the user's terminal."""

from __future__ import annotations

import logging
import re
import threading
import warnings
from typing import Any, BinaryIO, Literal

from changju_check.inspect.model import PAGE_SEPARATOR, TEXT_CHARS_CAP, FileInfo, shorten
from changju_check.inspect.sizes import MAX_PAGE_POINTS, page_too_large_msg, too_large
from changju_check.packet import PacketFile
from changju_check.report import Finding, Msg
from changju_check.rulebook import codes


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


_ACTIVE = threading.local()  # the capture open in this thread, if any


class _CapturePypdf:
    """Capture the 'pypdf' logger and pypdf's warnings for the duration; nothing reaches stderr.

    Captures nest: inside an open one (`inspect_files` opens one around a packet's files), a
    capture installs nothing and sees only what was logged while it was open, so a packet's
    files do not each pay for installing and removing a handler and a warnings filter."""

    def __enter__(self) -> "_CapturePypdf":
        outer = getattr(_ACTIVE, "capture", None)
        self._outer = outer
        if outer is not None:
            self._from = (len(outer.handler.messages), len(outer.caught))
            return self
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
        _ACTIVE.capture = self
        return self

    def __exit__(self, *exc: object) -> None:
        if self._outer is not None:
            return
        _ACTIVE.capture = None
        self._warnings.__exit__(*exc)
        self.logger.removeHandler(self.handler)
        self.logger.propagate = self._propagate
        if self._level_changed:  # setLevel clears every logger's cache: only when we changed it
            self.logger.setLevel(self._level)

    @property
    def messages(self) -> list[str]:
        if self._outer is not None:
            logged, warned = self._outer.handler.messages, self._outer.caught
            start_logged, start_warned = self._from
        else:
            logged, warned, start_logged, start_warned = self.handler.messages, self.caught, 0, 0
        found = list(logged[start_logged:])
        found += [str(w.message) for w in warned[start_warned:] if _from_pypdf(w)]
        return found


def _from_pypdf(w: warnings.WarningMessage) -> bool:
    """A warning pypdf gave about the file it reads. Its category is pypdf's own: a
    ResourceWarning raised when the garbage collector happens to run inside pypdf's code (an
    unclosed pipe of a finished subprocess, say) carries pypdf's file name too, and says nothing
    about the PDF."""
    from pypdf.errors import PdfReadWarning

    return issubclass(w.category, PdfReadWarning) and "pypdf" in (w.filename or "")


_TRUNCATION_SIGNS = ("EOF marker not found", "EOF marker seems truncated", "startxref found while searching")


def inspect_pdf(pf: PacketFile, fh: BinaryIO, text_pages: int, findings: list[Finding]) -> FileInfo:
    from pypdf import PasswordType, PdfReader
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
                        f"PDF 的内容超过安全上限（{shorten(str(bomb))}），可能是恶意构造的文件。",
                        f"The PDF's content exceeds a safety limit ({shorten(str(bomb))}); it may be a crafted file.",
                        file=pf.path,
                    )
                )
        active: tuple[str, ...] = ()
        oversized = None
        if error is None and pages:
            from changju_check.inspect.active import active_content

            page_list = _page_list(reader)
            active = active_content(reader.trailer.get("/Root"), page_list)
            oversized = _oversized_pages(page_list)
    truncated = any(sign in m for m in structural for sign in _TRUNCATION_SIGNS)
    cut_update = not truncated and error is None and encrypted != "user" and _last_update_cut(fh)

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
    elif cut_update:
        findings.append(
            codes.finding(
                "CJ308",
                "PDF 最后一次保存的修订不完整（文件在增量更新的中途被截断），读到的是上一次保存的版本："
                "之后的修改（新增的页面、签字、批注）可能缺失。",
                "The PDF's last saved revision is incomplete (the file was cut off inside an incremental update), "
                "so what was read is the previous revision: later changes (added pages, signatures, annotations) "
                "may be missing.",
                file=pf.path,
            )
        )
    elif structural:
        more_zh = f"等 {len(structural)} 处" if len(structural) > 1 else ""
        more_en = f", and {len(structural) - 1} more" if len(structural) > 1 else ""
        findings.append(
            codes.finding(
                "CJ308",
                f"PDF 结构有误，已修复读取（{shorten(structural[0], 120)}{more_zh}），部分阅读器或申报系统可能无法打开。",
                f"The PDF's structure is damaged; it was read with repairs ({shorten(structural[0], 120)}{more_en}), "
                "but some viewers or the upload system may not open it.",
                file=pf.path,
            )
        )
    if active:
        from changju_check.inspect.active import describe

        zh, en = describe(active)
        findings.append(
            codes.finding(
                "CJ309",
                f"PDF 含有脚本或附件：{zh}。在完整的 PDF 阅读器中打开时可能被运行；装订本只保留页面，不带这些内容。",
                f"The PDF carries scripts or attachments: {en}. A full PDF reader may run them; the bound book keeps "
                "the pages only, without them.",
                file=pf.path,
            )
        )
    if pages == 0:
        findings.append(codes.finding("CJ303", "PDF 没有任何页面。", "The PDF has no pages.", file=pf.path))
    if oversized is not None:
        findings.append(too_large(pf.path, oversized))
    return FileInfo(path=pf.path, kind="pdf", pages=pages, encrypted=encrypted, text=text, findings=tuple(findings))


def _page_list(reader: Any) -> Any:
    """The page dictionaries, once counted: pypdf's own flattened list (indexing `reader.pages`
    counts the pages again on every access), or the lazy sequence where there is none."""
    flat = getattr(reader, "flattened_pages", None)
    return flat if isinstance(flat, list) else reader.pages


def _oversized_pages(pages: Any) -> Msg | None:
    """The first page too large to bind (sizes.py), if any; a page whose box cannot be read is
    not judged here."""
    last_box = None
    for index, page in enumerate(pages):
        try:
            box = page.get("/MediaBox")  # pypdf copies an inherited box onto each page it lists
            if box is None:
                continue
            box = box.get_object()
            if "/UserUnit" not in page:
                if box == last_box:  # most pages of a file share one size: judged once
                    continue
                last_box = box
            x0, y0, x1, y1 = (float(v) for v in box)
            unit = float(page.get("/UserUnit", 1) or 1)
            if max(abs(x1 - x0), abs(y1 - y0)) * unit <= MAX_PAGE_POINTS:
                continue
            msg = page_too_large_msg(abs(x1 - x0) * unit, abs(y1 - y0) * unit, index + 1)
        except Exception:  # noqa: BLE001 - a broken box is pypdf's and the viewer's business
            continue
        if msg is not None:
            return msg
    return None


_REVISION_SIGNS = re.compile(rb"\d+\s+\d+\s+obj\b|\bxref\b|\btrailer\b|\bstartxref\b")


REVISION_SCAN_BYTES = 16 * 1024 * 1024  # how far back from the end the last %%EOF is looked for


def _last_update_cut(fh: BinaryIO) -> bool:
    """True when objects, an xref or a trailer follow the last %%EOF: an incremental update was
    appended and then cut off before its own %%EOF, so a lenient reader (pypdf searches back for
    the previous %%EOF without a word) uses the revision before. A whole file ends in %%EOF: one
    4 KB read; a cut one is read back until its last %%EOF (at most 16 MB)."""
    try:
        where = fh.tell()
        fh.seek(0, 2)
        size = fh.tell()
        tail = b""
        end = -1
        step = 4096
        while end == -1 and len(tail) < min(size, REVISION_SCAN_BYTES):
            start = max(0, size - len(tail) - step)
            fh.seek(start)
            tail = fh.read(size - len(tail) - start) + tail
            end = tail.rfind(b"%%EOF")
            step = 1 << 20
        fh.seek(where)
    except (OSError, ValueError):
        return False
    return end != -1 and _REVISION_SIGNS.search(tail, end + 5) is not None


def _extract_text(reader: Any, count: int, limit_error: type) -> tuple[str, BaseException | None]:
    """The text layer of the first `count` pages; a broken text layer is not an error of the file."""
    parts: list[str] = []
    total = 0
    from changju_check.inspect.complexity import TooComplex, check_page

    pages = _page_list(reader)
    for index in range(count):
        try:
            page = pages[index]
            check_page(page)  # extract_text interprets the page: count its load first
            page_text = page.extract_text() or ""
        except (limit_error, TooComplex) as exc:
            return PAGE_SEPARATOR.join(parts), exc
        except Exception:  # noqa: BLE001 - pypdf's text extraction is best effort
            break
        parts.append(page_text)
        total += len(page_text)
        if total >= TEXT_CHARS_CAP:
            break
    return PAGE_SEPARATOR.join(parts)[:TEXT_CHARS_CAP], None


def _pdf_reason(exc: BaseException, truncated: bool, limit_error: type, dependency_error: type) -> tuple[str, str]:
    detail = shorten(f"{type(exc).__name__}: {exc}", 120)
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
