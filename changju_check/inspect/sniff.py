"""What a file really is, from its magic bytes, not its extension."""

from __future__ import annotations

import os

from changju_check.inspect.model import (
    AVIF_BRANDS,
    HEIC_BRANDS,
    HEIF_GENERIC,
    KIND_NAME,
    Kind,
)


def _ftyp_brands(head: bytes) -> tuple[bytes, list[bytes]] | None:
    if len(head) < 16 or head[4:8] != b"ftyp":
        return None
    box = int.from_bytes(head[0:4], "big")
    end = min(box if box >= 16 else 16, len(head))
    return head[8:12], [head[i : i + 4] for i in range(16, end - 3, 4)]


def _first_zip_member(head: bytes) -> str | None:
    """The name of a zip's first entry, from its local header (for the message only)."""
    if not head.startswith(b"PK\x03\x04") or len(head) < 30:
        return None
    flags = int.from_bytes(head[6:8], "little")
    n = int.from_bytes(head[26:28], "little")
    raw = head[30 : 30 + min(n, 120)]
    name = raw.decode("utf-8" if flags & 0x800 else "gbk", "replace")
    name = "".join(ch for ch in name if ch.isprintable())
    return name or None


def sniff(head: bytes, path: str) -> tuple[Kind, str, str]:
    """The kind of the content and a description of it (zh, en), from the first bytes.

    A zip comes first: a stored (uncompressed) zip of a PDF carries `%PDF-` a few dozen bytes in,
    and pypdf would read the PDF out of it, but the upload system sees a zip."""
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
        inner = _first_zip_member(head)
        if inner:
            return "other", f"ZIP 压缩包（内含 {inner} 等）", f"a zip archive (holding {inner} …)"
        return "other", "ZIP 压缩包", "a zip archive"
    if b"%PDF-" in head[:1024]:
        return "pdf", "PDF", "PDF"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg", *KIND_NAME["jpeg"]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png", *KIND_NAME["png"]
    ftyp = _ftyp_brands(head)
    if ftyp is not None:
        major, compatible = ftyp
        brands = {major, *compatible}
        if major in AVIF_BRANDS or (major in HEIF_GENERIC and brands & AVIF_BRANDS and not brands & HEIC_BRANDS):
            return "other", "AVIF 图片", "an AVIF image"
        if brands & HEIC_BRANDS or major in HEIF_GENERIC:
            return "heic", *KIND_NAME["heic"]
        return "other", "视频文件（MP4/MOV）", "a video (MP4/MOV)"
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
    if looks_like_text(head[:4096]):
        return "other", "文本文件", "a text file"
    return "other", "无法识别的数据", "unrecognised data"


def looks_like_text(sample: bytes) -> bool:
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
