"""`changju bundle`: the printable book (申报书 + 附件材料目录 + attachments) as one PDF.

    from changju_check.bundle import BookFile, BookMaterial, BookOptions, build_book

    result = build_book(
        form=[BookFile.from_path("申报书.pdf")],
        materials=[BookMaterial("1.(1)", "财务审计报告", (BookFile.from_path("审计2020.pdf"),), section="1. 申报单位提供材料")],
        out=Path("装订本.pdf"),
        options=BookOptions(recto=True),
    )

Library code: it never prints and never exits; failures are `BundleError(msg)`.
"""

from changju_check.bundle.book import build_book
from changju_check.bundle.fonts import (
    SHIPPED_FONT,
    SYSTEM_FONT_PATTERNS,
    FontChoice,
    choose_font,
)
from changju_check.bundle.model import (
    BookFile,
    BookMaterial,
    BookOptions,
    BookResult,
    BundleError,
    FileKind,
    MaterialPlacement,
    kind_from_name,
)
from changju_check.bundle.toc import TOC_TITLE, page_range_text

__all__ = [
    "BookFile",
    "BookMaterial",
    "BookOptions",
    "BookResult",
    "BundleError",
    "FileKind",
    "FontChoice",
    "MaterialPlacement",
    "SHIPPED_FONT",
    "SYSTEM_FONT_PATTERNS",
    "TOC_TITLE",
    "build_book",
    "choose_font",
    "kind_from_name",
    "page_range_text",
]
