"""CJ206: 提供论坛过程照片，不超过15张 (15 included). An image is one photo, a PDF page one photo."""

from __future__ import annotations

from changju_check.checks.context import CheckContext
from changju_check.rules.codes import finding

CODES = ("CJ206",)


def count_photos(ctx: CheckContext, paths: list[str], pdf_words: list[str]) -> int:
    """Image files count one each; a PDF of photos (named so) one per page; other PDFs (press
    clippings and the like) are not photos."""
    from changju_check.recognise.names import fold

    words = [fold(w) for w in pdf_words]
    total = 0
    for path in paths:
        kind = ctx.kind(path)
        if kind == "pdf" and any(w in fold(path) for w in words):
            total += ctx.pages(path) or 0
        elif kind in ("jpeg", "png"):
            total += 1
    return total


def check(ctx: CheckContext, section, item, constraint):
    paths = ctx.item_files(item)
    n = count_photos(ctx, paths, constraint.pdf_words)
    if n > constraint.max:
        number = ctx.number(section, item)
        yield finding(
            "CJ206",
            f"{number} 论坛照片共 {n} 张，超过 {constraint.max} 张",
            f"{number} {n} forum photos, more than {constraint.max}",
            material=item.key,
        )
