"""Images: a cheap structural check (JPEG end-of-image marker, PNG chunk chain up to IEND), and a
decode only when small (JPEG at 1/8 scale)."""

from __future__ import annotations

import os
import struct
import warnings
from typing import BinaryIO

from changju_check.inspect.model import (
    JPEG_DECODE_MAX_PIXELS,
    PNG_DECODE_MAX_PIXELS,
    TAIL_BYTES,
    shorten,
)
from changju_check.inspect.sizes import image_too_large_msg, too_large
from changju_check.packet import PacketFile
from changju_check.report import Finding
from changju_check.rulebook import codes


def inspect_image(pf: PacketFile, fh: BinaryIO, kind: str, size: int) -> list[Finding]:
    if kind == "jpeg":
        dims, problem = _jpeg_structure(fh, size)
    else:
        dims, problem = _png_structure(fh, size)
    if problem is None and dims is not None:
        big = image_too_large_msg(*dims)
        if big is not None:  # whole, but more pixels than a book can hold: too large, not damaged
            return [too_large(pf.path, big)]
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
        return (f"图像数据损坏（{shorten(str(exc), 100)}）", f"its image data is damaged ({shorten(str(exc), 100)})")
    return None
