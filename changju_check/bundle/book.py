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

Inputs are opened through `BookFile.open` (read-only) and read lazily by pypdf; the book is
written to a temporary file beside `out` and moved into place with os.replace, so an
interrupted run leaves no half-written book. Same inputs, same bytes: no timestamps unless
SOURCE_DATE_EPOCH (or `source_date_epoch`) is given, and the /ID is a hash of the inputs.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO, Iterator

from pypdf import PdfReader, PdfWriter, apply_configuration
from pypdf.generic import ArrayObject, ByteStringObject

from changju_check.bundle.fonts import choose_font
from changju_check.bundle.images import image_to_pdf
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

FORM_OUTLINE_TITLE = "申报书"
FORMAT_VERSION = b"changju-bundle/1"
_CHUNK = 1 << 20
_QUIET_LOGGERS = ("pypdf", "img2pdf", "PIL", "reportlab", "fontTools")
# pypdf 7 refuses streams declared longer than 75 MB; one page of a scan can be larger. The
# bundler copies stream bytes without decoding them, so within it a stream may be as long as
# this (memory stays about the size of the largest scan plus the libraries: see
# bench/bundle_memory.py). Only this limit is raised, only while a book is made.
MAX_STREAM_BYTES = 200_000_000


@dataclass
class _Source:
    file: BookFile
    reader: object  # pypdf.PdfReader
    pages: int


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def _quiet_logs() -> Iterator[_Collect]:
    """pypdf and img2pdf log repairs and oddities; with no handler configured Python's
    last-resort handler would print them to stderr. Give them a handler for the duration."""
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


def _read_all(stream: BinaryIO) -> bytes:
    chunks = []
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


class _Loader:
    """Opens every input once, hashes it, and gives pypdf a lazy reader on it."""

    def __init__(self, stack: contextlib.ExitStack, tmpdir: Path, hasher) -> None:
        self.stack = stack
        self.tmpdir = tmpdir
        self.hasher = hasher
        self.notes: list[Msg] = []
        self.count = 0

    def _open(self, f: BookFile) -> BinaryIO:
        try:
            stream = f.open()
        except Exception as exc:
            raise _fail(f"无法打开文件 {f.name}：{exc}", f"cannot open {f.name}: {exc}", f.name) from exc
        self.stack.callback(stream.close)
        return stream

    def load(self, f: BookFile) -> _Source:
        self.count += 1
        stream = self._open(f)
        try:
            if f.kind == "pdf":
                if not (getattr(stream, "seekable", lambda: False)()):
                    spool = self.stack.enter_context(tempfile.TemporaryFile(dir=self.tmpdir))
                    shutil.copyfileobj(stream, spool, _CHUNK)
                    stream = spool
                stream.seek(0)
                digest = hashlib.sha256()
                while chunk := stream.read(_CHUNK):
                    digest.update(chunk)
                stream.seek(0)
                content_hash = digest.digest()
                reader = PdfReader(stream, strict=False)
            elif f.kind in ("jpeg", "png"):
                data = _read_all(stream)
                content_hash = hashlib.sha256(data).digest()
                tmp_pdf = self.tmpdir / f"image-{self.count}.pdf"
                for note in image_to_pdf(data, tmp_pdf):
                    self.notes.append(Msg(f"{f.name}：{note.zh}", f"{f.name}: {note.en}"))
                del data
                reader = PdfReader(self.stack.enter_context(open(tmp_pdf, "rb")), strict=False)
            else:
                raise _fail(f"不支持的文件类型：{f.kind}", f"unsupported file kind: {f.kind}", f.name)
            pages = len(reader.pages)
        except BundleError:
            raise
        except Exception as exc:  # pypdf/img2pdf/Pillow raise many types on hostile input
            raise _describe(f, exc) from exc
        if pages == 0:
            raise _fail(f"文件 {f.name} 没有页面。", f"{f.name} has no pages.", f.name)
        self.hasher.update(b"file\0" + f.kind.encode() + b"\0" + f.name.encode("utf-8") + b"\0" + content_hash)
        return _Source(file=f, reader=reader, pages=pages)


def _describe(f: BookFile, exc: Exception) -> BundleError:
    name = type(exc).__name__
    if name in ("FileNotDecryptedError", "DependencyError") or "encrypt" in str(exc).lower():
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


def _add_source_pages(writer, src: _Source, on_page=None) -> int:
    """Append every page of a source; returns the writer index of its first page."""
    first = len(writer.pages)
    try:
        for i in range(src.pages):
            page = writer.add_page(src.reader.pages[i])
            if on_page is not None:
                on_page(page)
    except BundleError:
        raise
    except Exception as exc:
        raise _describe(src.file, exc) from exc
    return first


def _temp_beside(out: Path) -> tuple[Path, int]:
    for _ in range(20):
        tmp = out.with_name(f".{out.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:
            continue
        return tmp, fd
    raise FileExistsError(f"cannot create a temporary file beside {out}")


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
    hasher = hashlib.sha256(FORMAT_VERSION)
    hasher.update(repr((options.page_numbers, options.recto, options.title, epoch)).encode("utf-8"))

    with _quiet_logs(), apply_configuration(maximum_declared_stream_length=MAX_STREAM_BYTES), contextlib.ExitStack() as stack:
        tmpdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="changju-bundle-")))
        loader = _Loader(stack, tmpdir, hasher)
        form_srcs = [loader.load(f) for f in form]
        mat_srcs: list[list[_Source]] = []
        for m in materials:
            hasher.update(b"material\0" + f"{m.number}\0{m.title}\0{m.section}".encode("utf-8"))
            mat_srcs.append([loader.load(f) for f in m.files])
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
        hasher.update(b"toc\0" + hashlib.sha256(toc_pdf).digest())

        toc_reader = PdfReader(io.BytesIO(toc_pdf))
        toc_pages = len(toc_reader.pages)

        # ---- assemble
        writer = PdfWriter()
        blank_count = 0

        def blank() -> None:
            nonlocal blank_count
            writer.add_blank_page(PAGE_W, PAGE_H)
            blank_count += 1

        form_firsts = [_add_source_pages(writer, s) for s in form_srcs]
        if options.recto and len(writer.pages) % 2 == 1:
            blank()
        toc_first = len(writer.pages)
        for page in toc_reader.pages:
            writer.add_page(page)
        if options.recto and materials and len(writer.pages) % 2 == 1:
            blank()
        att_offset = len(writer.pages)  # book index of attachment page 1 is att_offset
        stamper = Stamper(writer) if options.page_numbers else None

        def stamp(page) -> None:
            if stamper is not None:
                stamper.stamp(page, str(len(writer.pages) - att_offset))

        placements: list[MaterialPlacement] = []
        file_firsts: list[list[int]] = []
        for m, srcs, (blanks, first, last) in zip(materials, mat_srcs, plan):
            for _ in range(blanks):
                blank()
            assert len(writer.pages) - att_offset + 1 == first
            firsts = [_add_source_pages(writer, s, stamp) for s in srcs]
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
        total = len(writer.pages)
        attachment_pages = sum(s.pages for srcs in mat_srcs for s in srcs)

        # ---- outline (bookmarks)
        form_item = writer.add_outline_item(title=FORM_OUTLINE_TITLE, page_number=0)
        if len(form_srcs) > 1:
            for s, i in zip(form_srcs, form_firsts):
                writer.add_outline_item(title=s.file.name, page_number=i, parent=form_item)
        writer.add_outline_item(title=TOC_TITLE, page_number=toc_first)
        for m, srcs, firsts in zip(materials, mat_srcs, file_firsts):
            item = writer.add_outline_item(title=f"{m.number} {m.title}", page_number=firsts[0], is_open=False)
            for s, i in zip(srcs, firsts):
                writer.add_outline_item(title=s.file.name, page_number=i, parent=item)

        # ---- page labels: what a viewer shows matches the printed numbers
        writer.set_page_label(0, toc_first - 1, prefix=f"{FORM_OUTLINE_TITLE}-", style="/D", start=1)
        writer.set_page_label(toc_first, att_offset - 1, prefix="目录-", style="/D", start=1)
        if total > att_offset:
            writer.set_page_label(att_offset, total - 1, style="/D", start=1)

        # ---- metadata and identity
        from changju_check import __version__

        info = {"/Producer": f"changju-check {__version__}", "/Creator": "changju-check", "/Title": options.title}
        if epoch is not None:
            info["/CreationDate"] = info["/ModDate"] = _pdf_date(epoch)
        writer.add_metadata(info)
        file_id = ByteStringObject(hasher.digest()[:16])
        writer._ID = ArrayObject([file_id, file_id])  # pypdf has no public setter; else random

        # ---- write atomically
        try:
            tmp, fd = _temp_beside(out)
        except OSError as exc:
            raise _fail(f"无法在 {out.parent} 中写文件：{exc}", f"cannot write in {out.parent}: {exc}") from exc
        try:
            with os.fdopen(fd, "wb") as fh:
                writer.write(fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, out)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            if isinstance(exc, Exception):
                raise _fail(f"写出装订本失败：{type(exc).__name__}: {exc}", f"writing the book failed: {type(exc).__name__}: {exc}") from exc
            raise

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
