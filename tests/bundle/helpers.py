"""Generators of test inputs and small readers of the book (imported by the tests)."""

from __future__ import annotations

import io
import re

A4 = (595.2756, 841.8898)


def pdf_bytes(markers: list[str], size=A4, rotate: int = 0, cropbox=None) -> bytes:
    """A PDF with one page per marker (reportlab, invariant, Helvetica text)."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=size, invariant=1)
    for m in markers:
        c.setFont("Helvetica", 14)
        c.drawString(72, size[1] - 100, m)
        c.showPage()
    c.save()
    data = buf.getvalue()
    if rotate or cropbox:
        from pypdf import PdfReader, PdfWriter
        from pypdf.generic import RectangleObject

        r = PdfReader(io.BytesIO(data))
        w = PdfWriter()
        for p in r.pages:
            p = w.add_page(p)
            if rotate:
                p.rotate(rotate)
            if cropbox:
                p.cropbox = RectangleObject(cropbox)
        out = io.BytesIO()
        w.write(out)
        data = out.getvalue()
    return data


def jpeg_bytes(size=(400, 300), orientation: int | None = None, color=(180, 200, 240)) -> bytes:
    from PIL import Image, ImageDraw

    im = Image.new("RGB", size, color)
    d = ImageDraw.Draw(im)
    d.rectangle([0, 0, size[0] // 4, size[1] // 4], fill=(200, 30, 30))  # a red top-left corner
    buf = io.BytesIO()
    kwargs = {}
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation
        kwargs["exif"] = exif.tobytes()
    im.save(buf, format="JPEG", quality=85, **kwargs)
    return buf.getvalue()


def png_bytes(size=(300, 200), alpha: bool = False) -> bytes:
    from PIL import Image

    im = Image.new("RGBA" if alpha else "RGB", size, (20, 120, 60, 128) if alpha else (20, 120, 60))
    buf = io.BytesIO()
    im.save(buf, format="PNG")
    return buf.getvalue()


def page_text(page) -> str:
    return page.extract_text() or ""


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)




def display_size(page) -> tuple[float, float]:
    box = page.cropbox
    w, h = abs(float(box.width)), abs(float(box.height))
    return (h, w) if page.rotation % 180 == 90 else (w, h)


def text_runs(page) -> list[tuple[str, float, float]]:
    """(text, x, y) of every text run, in the coordinates of the page as displayed
    (origin at the bottom left of what a viewer shows, /Rotate and /CropBox applied)."""
    box = page.cropbox
    llx, urx = sorted((float(box.left), float(box.right)))
    lly, ury = sorted((float(box.bottom), float(box.top)))
    w, h = urx - llx, ury - lly
    rot = page.rotation % 360
    runs: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if not text.strip():
            return
        ux = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
        uy = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        if rot == 90:
            dx, dy = uy - lly, llx + w - ux
        elif rot == 180:
            dx, dy = llx + w - ux, lly + h - uy
        elif rot == 270:
            dx, dy = lly + h - uy, ux - llx
        else:
            dx, dy = ux - llx, uy - lly
        runs.append((text.strip(), dx, dy))

    page.extract_text(visitor_text=visit)
    return runs


def outline_flat(reader) -> list[tuple[int, str, int]]:
    """(level, title, 0-based page index) of every bookmark, depth first."""
    out: list[tuple[int, str, int]] = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((level, str(item.title), reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return out


def sha256_file(path) -> str:
    import hashlib

    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def png_rgba16_bytes(w: int = 40, h: int = 30) -> bytes:
    """A 16-bit RGBA PNG (half-transparent red), which img2pdf refuses to embed as is."""
    import struct
    import zlib

    raw = b"".join(b"\x00" + struct.pack(">HHHH", 65535, 0, 0, 32768) * w for _ in range(h))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", w, h, 16, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
