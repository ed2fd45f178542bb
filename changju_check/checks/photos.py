"""CJ206, CJ214: 提供论坛过程照片，不超过15张 (15 included) - and at least one photo: press clippings
alone are not 论坛过程照片. An image is one photo, a page of a PDF of photos one photo."""

from __future__ import annotations

from changju_check.checks.context import CheckContext
from changju_check.rulebook.codes import finding

CODES = ("CJ206", "CJ214")


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
    number = ctx.number(section, item)
    if paths and n < constraint.min:
        yield finding(
            "CJ214",
            f"{number} 须提供论坛过程照片：材料中没有照片（图片文件，或名称含“照片”的 PDF），只有 " + "，".join(paths),
            f"{number} photos of the forum are asked for: the material holds no photo (an image file, or a PDF named 照片), only "
            + ", ".join(paths),
            material=item.key,
        )
    if n > constraint.max:
        yield finding(
            "CJ206",
            f"{number} 论坛照片共 {n} 张，超过 {constraint.max} 张",
            f"{number} {n} forum photos, more than {constraint.max}",
            material=item.key,
        )
