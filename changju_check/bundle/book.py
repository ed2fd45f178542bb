"""`build_book`: the whole printable book in one call.

Order (附件4《系统申报材料装订须知》): the watermarked 申报书 downloaded from the system (its
first page is the cover), then the generated 附件材料目录, then every attachment, section by
section, material by material, each material's files in the order given.

Numbering: attachment pages are numbered from 1 on the first attachment page. With
`recto=True` blank pages are inserted so that the TOC and every material start on a
right-hand (odd) page of the book; blank pages inside the attachments count in the
numbering (as in any book) but carry no printed number. The TOC's own pages are not
numbered and the TOC's length changes nothing in the attachment numbering, so the TOC is
laid out once.

Memory: the pages are merged by qpdf (pikepdf's page copy), which copies a page's objects into the
book but reads the bytes of its streams (the scanned images) from the input only while the book
is written, one stream at a time. Peak memory is therefore about the largest single stream plus
the page dictionaries (and the one-page PDFs of the images, made in memory), whatever the number
and size of the inputs (bench/bundle_memory.py).

Pages, not behaviour: what prints of an annotation is drawn into its page, then every page is
stripped of annotations, actions and attachments, and the book's catalogue holds only what
changju puts there (bundle/active.py).

Inputs are opened through `BookFile.open` (read-only) and qpdf reads them through those Python
streams: it never opens a file itself, nothing is copied to disk (an image becomes a one-page PDF
in memory), and every handle is one this process closes, before anything is renamed or removed
(Windows refuses to remove or rename a file that is held open). A page's /Rotate that is not a
multiple of 90 (a name, a string) is written as no rotation, as viewers show it, with a warning.
The book is written to a temporary file beside `out` and moved
into place (changju_check/write), so an interrupted run leaves no half-written book; a
full disk is a BundleError naming the book's size (qpdf never sees the failing write: `_WriteGuard`). Same inputs,
same bytes: no timestamps unless SOURCE_DATE_EPOCH (or `source_date_epoch`) is given, and the
/ID is derived from the book's content (qpdf's deterministic ID).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import stat
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO, Iterator

import pikepdf

from changju_check.bundle.active import strip_book
from changju_check.bundle.fonts import choose_font
from changju_check.bundle.images import ImageTooLarge, image_to_pdf
from changju_check.bundle.model import (
    BookFile,
    BookMaterial,
    BookOptions,
    BookResult,
    BundleError,
    MaterialPlacement,
)
from changju_check.bundle.stamp import Stamper
from changju_check.bundle.toc import (
    PAGE_H,
    PAGE_W,
    TOC_TITLE,
    TocRow,
    page_range_text,
    render_toc,
    toc_text,
)
from changju_check.report import Msg
from changju_check.report.paths import held_open, long_path, write_error_zh_en
from changju_check.write import write_file

FORM_OUTLINE_TITLE = "申报书"
_CHUNK = 1 << 20
_QUIET_LOGGERS = ("pikepdf", "pypdf", "img2pdf", "PIL", "reportlab", "fontTools")


@dataclass
class _Source:
    file: BookFile
    path: str | None  # a PDF qpdf reads itself: the open file's descriptor path or the file's own path
    pdf: pikepdf.Pdf | None  # otherwise the document, held in memory (an image's page, a zip member)
    pages: int


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def _quiet_logs() -> Iterator[_Collect]:
    """qpdf (through pikepdf) and img2pdf log repairs and oddities; with no handler configured
    Python's last-resort handler would print them to stderr. Give them a handler for the duration."""
    handler = _Collect()
    loggers = [logging.getLogger(name) for name in _QUIET_LOGGERS]
    for lg in loggers:
        lg.addHandler(handler)
    try:
        yield handler
    finally:
        for lg in loggers:
            lg.removeHandler(handler)


def _fail(zh: str, en: str, file: str | None = None) -> BundleError:
    return BundleError(Msg(zh, en), file=file)


def _source_date_epoch(options: BookOptions, warnings: list[Msg]) -> int | None:
    if options.source_date_epoch is not None:
        return int(options.source_date_epoch)
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or raw.strip() == "":
        return None
    try:
        value = int(raw.strip())
        datetime.fromtimestamp(value, timezone.utc)
        return value
    except (ValueError, OverflowError, OSError):
        warnings.append(
            Msg(
                f"环境变量 SOURCE_DATE_EPOCH 的值“{raw}”不是有效的时间戳，已忽略。",
                f"SOURCE_DATE_EPOCH={raw!r} is not a valid timestamp and was ignored.",
            )
        )
        return None


def _pdf_date(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("D:%Y%m%d%H%M%SZ")


def _fd_path(stream: BinaryIO) -> str | None:
    """A path naming the open file itself (not its name in the folder, which could be swapped
    for a link meanwhile), when the stream is a regular file and the system has one (not Windows)."""
    try:
        fd = stream.fileno()
        st = os.fstat(fd)
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    for candidate in (f"/proc/self/fd/{fd}", f"/dev/fd/{fd}"):
        try:
            if os.stat(candidate).st_ino == st.st_ino:
                return candidate
        except OSError:
            continue
    return None


def _disk_path(f: BookFile, stream: BinaryIO) -> str | None:
    """Where qpdf can read this PDF itself: the open file by its descriptor, else (Windows) the
    file's own path when `stream` is that very file."""
    found = _fd_path(stream)
    if found is not None or f.path is None:
        return found
    try:
        if os.path.samestat(os.fstat(stream.fileno()), os.stat(f.path)):
            return long_path(f.path)
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        pass
    return None


class _Loader:
    """Opens every input once. A PDF on disk is read by qpdf in place (no copy); any other PDF (a
    zip member) and every image (made a one-page PDF) is held in memory as a pikepdf document:
    nothing is copied to disk, so nothing has to be removed. Counts the pages (and finds a password
    or damage) on the way."""

    def __init__(self, stack: contextlib.ExitStack) -> None:
        self.stack = stack
        self.notes: list[Msg] = []

    def _open(self, f: BookFile) -> BinaryIO:
        try:
            stream = f.open()
        except Exception as exc:
            raise _fail(f"无法打开文件 {f.name}：{exc}", f"cannot open {f.name}: {exc}", f.name) from exc
        self.stack.callback(stream.close)
        return stream

    def load(self, f: BookFile) -> _Source:
        stream = self._open(f)
        path: str | None = None
        pdf: pikepdf.Pdf | None = None
        try:
            if f.kind == "pdf":
                path = _disk_path(f, stream)
                if path is not None:
                    with pikepdf.open(path, access_mode=pikepdf.AccessMode.stream) as counted:
                        pages = len(counted.pages)
                else:
                    buf = io.BytesIO(stream.read())
                    pdf = self.stack.enter_context(pikepdf.open(buf))
                    pages = len(pdf.pages)
            elif f.kind in ("jpeg", "png"):
                data = stream.read()
                buf = io.BytesIO()  # the image's one-page PDF, in memory: no copy of a scan on disk
                for note in image_to_pdf(data, buf):
                    self.notes.append(Msg(f"{f.name}：{note.zh}", f"{f.name}: {note.en}"))
                del data
                buf.seek(0)
                pdf = self.stack.enter_context(pikepdf.open(buf))
                pages = len(pdf.pages)
            else:
                raise _fail(f"不支持的文件类型：{f.kind}", f"unsupported file kind: {f.kind}", f.name)
        except BundleError:
            raise
        except Exception as exc:  # qpdf/img2pdf/Pillow raise many types on hostile input
            raise _describe(f, exc) from exc
        if pages == 0:
            raise _fail(f"文件 {f.name} 没有页面。", f"{f.name} has no pages.", f.name)
        return _Source(file=f, path=path, pdf=pdf, pages=pages)


def _describe(f: BookFile, exc: BaseException) -> BundleError:
    name = type(exc).__name__
    if isinstance(exc, MemoryError):
        return _fail(
            f"装订 {f.name} 时内存不足（这不说明文件已损坏）：请关闭其他程序后重试。",
            f"ran out of memory while binding {f.name} (that does not mean it is damaged): close other programs and try again.",
            f.name,
        )
    if isinstance(exc, ImageTooLarge):
        return _fail(f"{f.name}：{exc.msg.zh}", f"{f.name}: {exc.msg.en}", f.name)
    if isinstance(exc, pikepdf.PasswordError) or "encrypt" in str(exc).lower() or "password" in str(exc).lower():
        return _fail(
            f"文件 {f.name} 已加密，无法装订：请提供未加密的版本。",
            f"{f.name} is encrypted and cannot be bound: provide an unencrypted copy.",
            f.name,
        )
    kind = {"pdf": "PDF", "jpeg": "JPEG 图片", "png": "PNG 图片"}.get(f.kind, f.kind)
    kind_en = {"pdf": "PDF", "jpeg": "JPEG image", "png": "PNG image"}.get(f.kind, f.kind)
    return _fail(
        f"无法读取{kind} {f.name}（文件损坏或格式不符）：{name}: {exc}",
        f"cannot read the {kind_en} {f.name} (damaged or not what its name says): {name}: {exc}",
        f.name,
    )


def _merge(sources: list[_Source]) -> pikepdf.Pdf:
    """Every page of every source, in order, in one new document. The PDFs on disk are merged by
    qpdf (--pages), which copies a page's objects but reads its streams' bytes (the scanned images)
    from the input only while the book is written: peak memory stays near the largest stream. The
    documents held in memory are copied in at their places. qpdf keeps the files it opened until
    the returned document is closed *and* dropped (`_release`)."""
    on_disk = [s for s in sources if s.path is not None]
    try:
        if on_disk:
            args = ["qpdf", "--empty", "--no-warn", "--warning-exit-0", "--pages"]
            for s in on_disk:
                args += [s.path, "1-z"]
            args += ["--", "merged.pdf"]  # never written: create_pdf stops before the output stage
            book = pikepdf.Job(args).create_pdf()
        else:
            book = pikepdf.new()
        pos = 0
        for s in sources:
            if s.pdf is not None:
                for i, page in enumerate(s.pdf.pages):
                    book.pages.insert(pos + i, page)
            pos += s.pages
        return book
    except Exception as exc:  # noqa: BLE001 - the loader opened each file: this is the merge itself
        raise _fail(f"无法合并页面：{type(exc).__name__}: {exc}", f"merging the pages failed: {type(exc).__name__}: {exc}") from exc


def _normalise_rotation(book: pikepdf.Pdf, warnings: list[Msg]) -> None:
    """A page's /Rotate must be a multiple of 90 (ISO 32000 7.7.3.3); viewers show any other value
    (a name, a string, 45) as 0. Written so, explicitly, so that the stamp and every viewer agree."""
    odd = 0
    for page in book.pages:
        value = page.obj.get("/Rotate")
        if value is None:
            continue
        try:
            number = int(value)
            ok = float(value) == number and number % 90 == 0
        except (TypeError, ValueError, OverflowError):
            ok = False
        if not ok:
            del page.obj["/Rotate"]
            odd += 1
    if odd:
        warnings.append(
            Msg(
                f"{odd} 页的旋转角度（/Rotate）无效，已按不旋转装订（与阅读器显示一致）。",
                f"{odd} page(s) had an invalid rotation (/Rotate); bound unrotated, as viewers show them.",
            )
        )


class _WriteGuard:
    """The book's file as qpdf sees it: a write that fails is remembered, never raised into qpdf.

    An exception raised inside qpdf's output pipeline becomes a C++ exception; where qpdf is
    flushing or tearing down (a full disk shows it there) that ends the process with
    std::terminate — exit 134, no clean-up, the temporary file left beside the output. So the
    first OSError is kept, the rest of the book is counted and dropped, and `check()` raises it
    in Python once qpdf has returned."""

    def __init__(self, fh: BinaryIO) -> None:
        self._fh = fh
        self.error: OSError | None = None
        self.offered = 0  # bytes qpdf handed over: the book's size, also when the disk was full

    def write(self, data) -> int:
        size = len(data)
        self.offered += size
        if self.error is None:
            try:
                self._fh.write(data)
            except OSError as exc:
                self.error = exc
        return size

    def flush(self) -> None:
        if self.error is None:
            try:
                self._fh.flush()
            except OSError as exc:
                self.error = exc

    def seek(self, offset: int, whence: int = 0) -> int:  # pikepdf asks for a seekable stream
        return self._fh.seek(offset, whence)

    def tell(self) -> int:
        return self._fh.tell()

    def seekable(self) -> bool:
        return True

    def check(self) -> None:
        if self.error is not None:
            raise self.error


def _write_failed(exc: OSError, out: Path, size: int) -> BundleError:
    import errno
    import shutil

    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)) or getattr(exc, "winerror", None) in (39, 112):
        try:
            free = shutil.disk_usage(out.parent).free
        except OSError:
            free = None
        def mb(n: int) -> str:
            return f"{n / 1024**2:.1f} MB" if n >= 1024**2 else f"{max(1, round(n / 1024))} KB"

        left_zh = f"，{out.parent} 所在磁盘只剩 {mb(free)}" if free is not None else ""
        left_en = f"; {mb(free)} free where {out.parent} is" if free is not None else ""
        return _fail(
            f"磁盘空间不足（{exc.strerror}），未生成装订本：装订本约 {mb(size)}{left_zh}。请清理磁盘或用 -o 换一个位置后重试。",
            f"the disk is full ({exc.strerror}); no book was written: the book is about {mb(size)}{left_en}. "
            f"Free some space or choose another place with -o, then try again.",
        )
    if held_open(str(out), exc):
        return _fail(*write_error_zh_en(str(out), exc))
    return _fail(f"写出装订本失败：{type(exc).__name__}: {exc}", f"writing the book failed: {type(exc).__name__}: {exc}")


def _blank_page(pdf: pikepdf.Pdf) -> pikepdf.Page:
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=pikepdf.Array([0, 0, PAGE_W, PAGE_H]),
        Resources=pikepdf.Dictionary(),
        Contents=pdf.make_stream(b""),
    )
    return pikepdf.Page(pdf.make_indirect(page))


def _page_labels(pdf: pikepdf.Pdf, toc_first: int, att_offset: int, total: int) -> None:
    """What a viewer shows as page numbers: 申报书-1…, 目录-1…, then the printed numbers."""
    nums: list = [0, pikepdf.Dictionary(S=pikepdf.Name.D, P=pikepdf.String(f"{FORM_OUTLINE_TITLE}-"), St=1)]
    nums += [toc_first, pikepdf.Dictionary(S=pikepdf.Name.D, P=pikepdf.String("目录-"), St=1)]
    if total > att_offset:
        nums += [att_offset, pikepdf.Dictionary(S=pikepdf.Name.D, St=1)]
    pdf.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(nums))


def build_book(
    form: list[BookFile],
    materials: list[BookMaterial],
    out: Path,
    options: BookOptions = BookOptions(),
) -> BookResult:
    """Make the printable book at `out`: the 申报书 file(s), the 附件材料目录, the attachments.

    Raises BundleError (with a bilingual Msg, and `.file` naming the input at fault) when
    there is no form, an input cannot be read (damaged, encrypted with a user password, not
    what its kind says) or the book cannot be written; `out` is then left as it was. A
    material without files is a programming error (ValueError): leave it out instead."""
    out = Path(out)
    if not form:
        raise _fail(
            "没有申报书：装订本须以系统下载的带水印申报书开头。",
            "no application form: the book must start with the watermarked 申报书 downloaded from the system.",
        )
    for m in materials:
        if not m.files:
            raise ValueError(f"material {m.number} has no files")
    if not out.parent.is_dir():
        raise _fail(f"输出目录不存在：{out.parent}", f"the output folder does not exist: {out.parent}")

    warnings: list[Msg] = []
    epoch = _source_date_epoch(options, warnings)

    with _quiet_logs(), contextlib.ExitStack() as stack:
        loader = _Loader(stack)
        form_srcs = [loader.load(f) for f in form]
        mat_srcs: list[list[_Source]] = [[loader.load(f) for f in m.files] for m in materials]
        warnings += loader.notes

        # ---- plan: attachment numbering does not depend on the TOC
        form_pages = sum(s.pages for s in form_srcs)
        plan: list[tuple[int, int, int]] = []  # (blanks before, first, last) in attachment numbering
        att = 0
        for srcs in mat_srcs:
            blanks = 1 if options.recto and att % 2 == 1 else 0
            att += blanks
            first = att + 1
            att += sum(s.pages for s in srcs)
            plan.append((blanks, first, att))
        rows = [
            TocRow(m.number, m.title, page_range_text(first, last), m.section)
            for m, (_, first, last) in zip(materials, plan)
        ]

        # ---- the TOC
        font = choose_font(toc_text(rows), options.font)
        warnings += list(font.warnings)
        try:
            toc_pdf, _ = render_toc(rows, font)
        except Exception as exc:  # reportlab on an odd font
            raise _fail(f"无法生成附件材料目录：{exc}", f"cannot lay out the TOC: {exc}") from exc
        toc = stack.enter_context(pikepdf.open(io.BytesIO(toc_pdf)))
        toc_pages = len(toc.pages)

        # ---- assemble: the merged inputs, with the TOC and blank pages put in between
        book = stack.enter_context(_merge(form_srcs + [s for srcs in mat_srcs for s in srcs]))
        _normalise_rotation(book, warnings)
        strip_book(book)
        pos = 0  # the book index being filled
        blank_count = 0

        def insert(page) -> None:
            nonlocal pos
            book.pages.insert(pos, page)
            pos += 1

        def blank() -> None:
            nonlocal blank_count
            insert(_blank_page(book))
            blank_count += 1

        form_firsts = []
        for s in form_srcs:
            form_firsts.append(pos)
            pos += s.pages
        if options.recto and pos % 2 == 1:
            blank()
        toc_first = pos
        for page in toc.pages:
            insert(page)
        if options.recto and materials and pos % 2 == 1:
            blank()
        att_offset = pos  # book index of attachment page 1 is att_offset
        stamper = Stamper(book) if options.page_numbers else None

        placements: list[MaterialPlacement] = []
        file_firsts: list[list[int]] = []
        for m, srcs, (blanks, first, last) in zip(materials, mat_srcs, plan):
            for _ in range(blanks):
                blank()
            assert pos - att_offset + 1 == first
            firsts = []
            for s in srcs:
                firsts.append(pos)
                for _ in range(s.pages):
                    if stamper is not None:
                        stamper.stamp(book.pages[pos], str(pos - att_offset + 1))
                    pos += 1
            file_firsts.append(firsts)
            placements.append(
                MaterialPlacement(
                    number=m.number,
                    title=m.title,
                    first=first,
                    last=last,
                    book_first=att_offset + first,
                    files=tuple((s.file.name, i + 1, s.pages) for s, i in zip(srcs, firsts)),
                )
            )
        total = len(book.pages)
        assert pos == total
        attachment_pages = sum(s.pages for srcs in mat_srcs for s in srcs)

        # ---- outline (bookmarks)
        with book.open_outline() as outline:
            form_item = pikepdf.OutlineItem(FORM_OUTLINE_TITLE, 0)
            if len(form_srcs) > 1:
                form_item.children += [pikepdf.OutlineItem(s.file.name, i) for s, i in zip(form_srcs, form_firsts)]
            outline.root.append(form_item)
            outline.root.append(pikepdf.OutlineItem(TOC_TITLE, toc_first))
            for m, srcs, firsts in zip(materials, mat_srcs, file_firsts):
                item = pikepdf.OutlineItem(f"{m.number} {m.title}", firsts[0])
                item.is_closed = True
                item.children += [pikepdf.OutlineItem(s.file.name, i) for s, i in zip(srcs, firsts)]
                outline.root.append(item)

        _page_labels(book, toc_first, att_offset, total)

        # ---- metadata
        from changju_check import __version__

        info = {"/Producer": f"changju-check {__version__}", "/Creator": "changju-check", "/Title": options.title}
        if epoch is not None:
            info["/CreationDate"] = info["/ModDate"] = _pdf_date(epoch)
        book.trailer.Info = book.make_indirect(pikepdf.Dictionary({k: pikepdf.String(v) for k, v in info.items()}))

        # ---- write atomically (the stream bytes are read from the inputs now)
        guard: _WriteGuard | None = None

        def save(fh: BinaryIO) -> None:
            nonlocal guard
            guard = _WriteGuard(fh)
            book.save(guard, deterministic_id=True, stream_decode_level=pikepdf.StreamDecodeLevel.none)
            guard.check()

        try:
            write_file(Path(long_path(out)), save)  # \\?\ past MAX_PATH on Windows
        except OSError as exc:
            raise _write_failed(exc, out, guard.offered if guard is not None else 0) from exc
        except Exception as exc:  # noqa: BLE001 - a vanished folder, a broken stream
            raise _fail(
                f"写出装订本失败：{type(exc).__name__}: {exc}", f"writing the book failed: {type(exc).__name__}: {exc}"
            ) from exc

    return BookResult(
        total_pages=total,
        form_pages=form_pages,
        toc_pages=toc_pages,
        blank_pages=blank_count,
        attachment_pages=attachment_pages,
        ranges=[(p.number, p.title, p.first, p.last) for p in placements],
        first_attachment_page=att_offset + 1 if placements else 0,
        font_name=font.face_name,
        font_path=font.path,
        font_embedded=font.embedded,
        font_source=font.source,
        warnings=warnings,
        font_skipped=list(font.skipped),
        placements=placements,
        output=str(out),
    )
