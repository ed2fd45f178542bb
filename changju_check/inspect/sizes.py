"""The largest image and page that can be bound, in pixels and points (not bytes).

A book is printed on A4. The finest a print shop's laser printer resolves is 600 dpi, and an A4
page at 600 dpi is 4961 x 7016 = 34.8 megapixels: an image with more pixels than that shows
nothing more on paper. Bundling an image that must be decoded (transparency flattened onto white,
a mirrored EXIF orientation turned upright) holds it about twice in memory at 3-4 bytes a pixel
(7 bytes a pixel in all): 40 megapixels is 280 MB, inside the bundle's memory target (300 MB).
So the limit is 40 megapixels — above every 600-dpi A4 scan and every phone photo saved at its
normal size (12-24 MP), below the 48/50/108 MP "full resolution" modes, which the finding asks
to export smaller. Bytes say nothing about it: a 13000 x 13000 PNG of one colour is 641 KB on
disk and 676 MB decoded.

A PDF page is copied into the book as it is; PDF viewers (Acrobat's implementation limit, PDF
1.7 reference, Annex C) show no page larger than 14,400 points (200 inches) on a side, so a
larger page is refused too.

`check` reports both (CJ314, "too large", never "damaged"); `bundle` refuses the same files with
the same words, so nothing `check` passes is refused by `bundle` for its size.
"""

from __future__ import annotations

from changju_check.report import Finding, Msg
from changju_check.rulebook import codes

MAX_BIND_PIXELS = 40_000_000
MAX_PAGE_POINTS = 14_400


def image_too_large_msg(width: int, height: int) -> Msg | None:
    """Why an image of width x height pixels cannot be bound, or None if it can."""
    if width * height <= MAX_BIND_PIXELS:
        return None
    mp = width * height / 1e6
    limit = MAX_BIND_PIXELS // 1_000_000
    return Msg(
        zh=f"图片过大（{width}×{height} 像素，约 {mp:,.0f} 百万像素），超过可装订的上限 {limit} 百万像素"
           f"（A4 以 600 dpi 打印只需约 35 百万像素）。这不是文件损坏：请缩小后重新保存（如长边 7000 像素以内）。",
        en=f"The image is too large ({width}×{height} pixels, about {mp:,.0f} megapixels) to bind: the limit is "
           f"{limit} megapixels (A4 printed at 600 dpi needs about 35). The file is not damaged: scale it down "
           "and save it again (e.g. at most 7,000 pixels on the long side).",
    )


def page_too_large_msg(width_pt: float, height_pt: float, page: int) -> Msg | None:
    """Why a PDF page of the given size (points, user units applied) cannot be bound, or None."""
    if max(width_pt, height_pt) <= MAX_PAGE_POINTS:
        return None
    w_cm, h_cm = width_pt / 72 * 2.54, height_pt / 72 * 2.54
    return Msg(
        zh=f"第 {page} 页过大（{w_cm:,.0f}×{h_cm:,.0f} 厘米），超过 PDF 阅读器能显示的上限（边长 508 厘米），"
           "无法装订打印。这不是文件损坏：请按 A4 重新导出。",
        en=f"Page {page} is too large ({w_cm:,.0f}×{h_cm:,.0f} cm): PDF viewers show no page over 508 cm "
           "(200 inches) on a side, so it cannot be bound and printed. The file is not damaged: export it again at A4.",
    )


def too_large(path: str, msg: Msg) -> Finding:
    return codes.finding("CJ314", msg.zh, msg.en, file=path)


__all__ = ["MAX_BIND_PIXELS", "MAX_PAGE_POINTS", "image_too_large_msg", "page_too_large_msg", "too_large"]
