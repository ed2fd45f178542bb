"""Generators of hostile input, all built in tmp_path by the tests themselves.

Nothing binary is committed: every broken PDF, image and zip is made here from
a few lines of bytes, so a reader can see exactly what is wrong with it.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from pathlib import Path
from types import SimpleNamespace

import pytest

# --------------------------------------------------------------------------- PDF


def build_pdf(objects: dict[int, bytes], *, root: int = 1, trailer_extra: bytes = b"", header: bytes = b"%PDF-1.4\n") -> bytes:
    """A PDF from numbered object bodies, with a correct xref table and trailer."""
    out = bytearray(header + b"%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        if num in offsets:
            out += b"%010d 00000 n \n" % offsets[num]
        else:
            out += b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (size, root, trailer_extra, xref)
    return bytes(out)


def pages_pdf(n: int = 1) -> bytes:
    """A valid PDF of n blank A4 pages, written by hand."""
    first_page = 3
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(n))
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
    }
    for i in range(n):
        objects[first_page + i] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
    return build_pdf(objects)


def text_pdf(text: str = "2021年度审计报告 Audit report 2021") -> bytes:
    """A one-page PDF with a text layer (reportlab, with a CJK font)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont("STSong-Light", 14)
    c.drawString(72, 760, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def encrypted_pdf(*, user: str, owner: str, pages: int = 2, algorithm: str = "AES-128") -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    for _ in range(pages):
        w.add_blank_page(595, 842)
    w.encrypt(user_password=user, owner_password=owner, algorithm=algorithm)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def truncated_pdf() -> bytes:
    data = pages_pdf(3)
    return data[: len(data) // 2]


def broken_xref_pdf() -> bytes:
    """Valid objects, but every xref offset is wrong by the junk inserted after the header."""
    data = pages_pdf(2)
    return data.replace(b"%PDF-1.4\n", b"%PDF-1.4\n% a comment someone inserted after the fact\n", 1)


def zero_pages_pdf() -> bytes:
    return build_pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [] /Count 0 >>"})


def kids_cycle_pdf() -> bytes:
    """Pages node 2 has node 3 as a kid, and node 3 has node 2: the page tree loops."""
    return build_pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
        }
    )


def exponential_tree_pdf(depth: int = 40) -> bytes:
    """Each Pages node lists the next one twice: 2**depth pages from a few hundred bytes."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>"}
    for level in range(depth):
        num = 2 + level
        objects[num] = b"<< /Type /Pages /Kids [%d 0 R %d 0 R] /Count %d >>" % (num + 1, num + 1, 2 ** (depth - level))
    objects[2 + depth] = b"<< /Type /Page /MediaBox [0 0 595 842] >>"
    return build_pdf(objects)


def flate_bomb_pdf(megabytes: int = 200) -> bytes:
    """One page whose content stream inflates from ~200 KB to `megabytes` MB of zeros."""
    comp = zlib.compressobj(9)
    chunk = b"\0" * (1 << 20)
    body = b"".join(comp.compress(chunk) for _ in range(megabytes)) + comp.flush()
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream"
    return build_pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            4: stream,
        }
    )


def write_large_pdf(path: Path, megabytes: int) -> None:
    """A valid one-page PDF carrying an uncompressed stream of `megabytes` MB (random, incompressible).

    Written in 1 MB chunks: the test process never holds the whole file.
    """
    chunk = os.urandom(1 << 20)
    length = megabytes << 20
    with open(path, "wb") as fh:
        offsets = {}
        fh.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        for num, body in (
            (1, b"<< /Type /Catalog /Pages 2 0 R >>"),
            (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
            (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 4 0 R >> >> >>"),
        ):
            offsets[num] = fh.tell()
            fh.write(b"%d 0 obj\n%s\nendobj\n" % (num, body))
        offsets[4] = fh.tell()
        fh.write(
            b"4 0 obj\n<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Length %d >>\nstream\n" % length
        )
        for _ in range(megabytes):
            fh.write(chunk)
        fh.write(b"\nendstream\nendobj\n")
        xref = fh.tell()
        fh.write(b"xref\n0 5\n0000000000 65535 f \n")
        for num in range(1, 5):
            fh.write(b"%010d 00000 n \n" % offsets[num])
        fh.write(b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref)


# ------------------------------------------------------------------------ images


def jpeg_bytes(size: tuple[int, int] = (64, 48)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, "JPEG", quality=80)
    return buf.getvalue()


def png_bytes(size: tuple[int, int] = (64, 48)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, (30, 30, 200)).save(buf, "PNG")
    return buf.getvalue()


def heic_header(major: bytes = b"heic", compatible: tuple[bytes, ...] = (b"mif1", b"heic")) -> bytes:
    """The start of an ISO-BMFF file: an ftyp box with the given brands, then filler."""
    body = major + b"\0\0\0\0" + b"".join(compatible)
    box = struct.pack(">I", 8 + len(body)) + b"ftyp" + body
    return box + struct.pack(">I", 16) + b"meta" + b"\0" * 8 + b"\0" * 200


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


# -------------------------------------------------------------------------- zips


class _RawNameInfo(zipfile.ZipInfo):
    """A ZipInfo whose name is written as the raw bytes it was given (cp437-decoded), flag untouched.

    zipfile would otherwise encode any non-ASCII name as UTF-8 and set flag bit 11.
    """

    __slots__ = ()

    def _encodeFilenameFlags(self):  # noqa: N802 (zipfile's name)
        return self.filename.encode("cp437"), self.flag_bits


def raw_zip(entries: list[tuple[bytes, bytes]], *, flag_bits: int = 0, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip whose names are raw bytes written without the UTF-8 flag (as Chinese Windows does)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries:
            info = _RawNameInfo(name.decode("cp437"), date_time=(2023, 5, 1, 12, 0, 0))
            info.compress_type = method
            info.flag_bits = flag_bits
            zf.writestr(info, data)
    return buf.getvalue()


def set_flag_bit(data: bytes, name: bytes, bit: int) -> bytes:
    """Set a general-purpose flag bit of entry `name` in both its local header and the central directory."""
    out = bytearray(data)
    for sig, flag_at, name_len_at, name_at in ((b"PK\x03\x04", 6, 26, 30), (b"PK\x01\x02", 8, 28, 46)):
        pos = out.find(sig)
        while pos != -1:
            n = struct.unpack_from("<H", out, pos + name_len_at)[0]
            if bytes(out[pos + name_at : pos + name_at + n]) == name:
                flags = struct.unpack_from("<H", out, pos + flag_at)[0]
                struct.pack_into("<H", out, pos + flag_at, flags | (1 << bit))
            pos = out.find(sig, pos + 4)
    return bytes(out)


def set_declared_size(data: bytes, name: bytes, size: int) -> bytes:
    """Make the central directory declare `size` uncompressed bytes for entry `name` (a lie)."""
    out = bytearray(data)
    pos = out.find(b"PK\x01\x02")
    while pos != -1:
        n = struct.unpack_from("<H", out, pos + 28)[0]
        if bytes(out[pos + 46 : pos + 46 + n]) == name:
            struct.pack_into("<I", out, pos + 24, size)
        pos = out.find(b"PK\x01\x02", pos + 4)
    return bytes(out)


def overlap_bomb_zip(entries: int = 30, kernel_mb: int = 1) -> bytes:
    """D. Fifield's quoted-overlap zip bomb (CVE-2024-0450 on CPython 3.11.7).

    Every entry's deflate stream first 'quotes' the next entry's local header in a stored block
    and then runs on into that entry's data, so all entries share one compressed kernel: entry i
    inflates to the headers of entries i+1.. plus the kernel's output. The CRCs are correct, so an
    unpatched zipfile happily reads every entry.
    """
    kernel_out = b"\0" * (kernel_mb << 20)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    kernel = comp.compress(kernel_out) + comp.flush()
    names = [b"%02d.pdf" % i for i in range(entries)]

    def local_header(name: bytes, crc: int, csize: int, usize: int) -> bytes:
        return struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, csize, usize, len(name), 0) + name

    # Build from the last entry backwards: entry i's content = headers(i+1..) + kernel_out.
    headers: list[bytes] = [b""] * entries
    sizes: list[tuple[int, int, int]] = [(0, 0, 0)] * entries
    quoted = b""  # stored blocks + headers that follow entry i's own header, up to the kernel
    content_prefix = b""  # the decompressed headers that precede the kernel output
    for i in range(entries - 1, -1, -1):
        csize = len(quoted) + len(kernel)
        usize = len(content_prefix) + len(kernel_out)
        crc = zlib.crc32(kernel_out, zlib.crc32(content_prefix))
        headers[i] = local_header(names[i], crc, csize, usize)
        sizes[i] = (crc, csize, usize)
        if i > 0:
            block = struct.pack("<BHH", 0, len(headers[i]), 0xFFFF ^ len(headers[i])) + headers[i]
            quoted = block + quoted
            content_prefix = headers[i] + content_prefix
    body = bytearray(headers[0])
    offsets = [0]
    for i in range(1, entries):
        body += struct.pack("<BHH", 0, len(headers[i]), 0xFFFF ^ len(headers[i]))
        offsets.append(len(body))
        body += headers[i]
    body += kernel
    cd_start = len(body)
    for i in range(entries):
        crc, csize, usize = sizes[i]
        body += struct.pack(
            "<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, csize, usize, len(names[i]), 0, 0, 0, 0, 0, offsets[i]
        ) + names[i]
    cd_size = len(body) - cd_start
    body += struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, entries, entries, cd_size, cd_start, 0)
    return bytes(body)


@pytest.fixture
def packet_dir(tmp_path: Path) -> Path:
    root = tmp_path / "packet"
    root.mkdir()
    return root


@pytest.fixture
def h():
    """The generators above, as one namespace (test modules do not import conftest by name)."""
    return _HELPERS


def write(root: Path, rel: str, data: bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


_HELPERS = SimpleNamespace(
    build_pdf=build_pdf,
    pages_pdf=pages_pdf,
    text_pdf=text_pdf,
    encrypted_pdf=encrypted_pdf,
    truncated_pdf=truncated_pdf,
    broken_xref_pdf=broken_xref_pdf,
    zero_pages_pdf=zero_pages_pdf,
    kids_cycle_pdf=kids_cycle_pdf,
    exponential_tree_pdf=exponential_tree_pdf,
    flate_bomb_pdf=flate_bomb_pdf,
    write_large_pdf=write_large_pdf,
    jpeg_bytes=jpeg_bytes,
    png_bytes=png_bytes,
    heic_header=heic_header,
    docx_bytes=docx_bytes,
    raw_zip=raw_zip,
    set_flag_bit=set_flag_bit,
    set_declared_size=set_declared_size,
    overlap_bomb_zip=overlap_bomb_zip,
    write=write,
)
