"""The plain data that goes into and comes out of `build_book`."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, Literal

from changju_check.report import Msg, PortableError

FileKind = Literal["pdf", "jpeg", "png"]

_SUFFIX_KIND: dict[str, FileKind] = {
    ".pdf": "pdf",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".jpe": "jpeg",
    ".png": "png",
}


class BundleError(PortableError):
    """The book cannot be made. `msg` says why, in both languages; nothing was written."""

    def __init__(self, msg: Msg, *, file: str | None = None) -> None:
        super().__init__(msg.en)
        self.msg = msg
        self.file = file


def kind_from_name(name: str) -> FileKind | None:
    """The kind of a file from its suffix (.pdf, .jpg/.jpeg, .png), or None."""
    return _SUFFIX_KIND.get(Path(name).suffix.lower())


@dataclass(frozen=True)
class BookFile:
    """One input file. `open` returns a fresh readable binary stream each time it is called
    (the bundler closes it); the bundler never writes to it."""

    name: str  # shown in the outline (normally the file name, e.g. "2021年度审计报告.pdf")
    open: Callable[[], BinaryIO] = field(repr=False, compare=False)
    kind: FileKind
    # the file on disk that `open` reads, when there is one: where /proc/self/fd does not exist
    # (Windows) qpdf reads a PDF by this path instead of a copy
    path: str | None = field(default=None, compare=False)

    @classmethod
    def from_path(cls, path: str | Path, *, name: str | None = None, kind: FileKind | None = None) -> "BookFile":
        """A file on disk, opened read-only ('rb') when the book is made."""
        p = Path(path)
        k = kind or kind_from_name(p.name)
        if k is None:
            raise ValueError(f"cannot tell the kind of {p.name!r}: give kind='pdf'|'jpeg'|'png'")

        def _open() -> BinaryIO:
            return open(p, "rb")

        return cls(name=name or p.name, open=_open, kind=k, path=str(p))

    @classmethod
    def from_bytes(cls, data: bytes, *, name: str, kind: FileKind) -> "BookFile":
        """A file held in memory (a zip member, a generated page, a test fixture)."""
        return cls(name=name, open=lambda: io.BytesIO(data), kind=kind)


@dataclass(frozen=True)
class BookMaterial:
    """One row of the 附件材料目录: the guide's number, its title, its files in order.

    `section`, when given, is the heading of the guide's group (e.g. "1. 申报单位提供材料");
    consecutive materials with the same section get one heading row in the TOC."""

    number: str  # e.g. "1.(1)" or "2.(5)"
    title: str  # Chinese, as the guide words it
    files: tuple[BookFile, ...]
    section: str = ""


@dataclass(frozen=True)
class BookOptions:
    page_numbers: bool = True  # stamp the attachment page number at the bottom centre
    recto: bool = False  # start the TOC and every material on a right-hand (odd) page
    font: Path | None = None  # a CJK TrueType font (.ttf/.ttc/.otf with glyf outlines) for the TOC
    # PDF CreationDate/ModDate. None: from the environment variable SOURCE_DATE_EPOCH when it is
    # set, else no dates at all (the book is byte-identical for identical inputs either way).
    source_date_epoch: int | None = None
    title: str = "申报材料"  # the PDF's /Title


@dataclass(frozen=True)
class MaterialPlacement:
    """Where one material landed, in both numberings."""

    number: str
    title: str
    first: int  # attachment numbering (what the TOC prints and the stamps show)
    last: int
    book_first: int  # 1-based page of the whole book
    files: tuple[tuple[str, int, int], ...]  # (file name, first book page, page count)


@dataclass
class BookResult:
    total_pages: int
    form_pages: int
    toc_pages: int
    blank_pages: int
    attachment_pages: int  # pages of the attachments themselves, blanks not included
    ranges: list[tuple[str, str, int, int]]  # (number, title, first, last), attachment numbering
    first_attachment_page: int  # 1-based book page that carries attachment page 1 (0 if none)
    font_name: str  # the font face used for the TOC (PostScript name), e.g. "DroidSansFallback"
    font_path: str | None  # None for the non-embedded STSong-Light fallback
    font_embedded: bool
    font_source: str  # option | system | shipped | cid-fallback
    warnings: list[Msg] = field(default_factory=list)
    font_skipped: list[tuple[str, Msg]] = field(default_factory=list)  # fonts tried and why not
    placements: list[MaterialPlacement] = field(default_factory=list)
    output: str = ""
