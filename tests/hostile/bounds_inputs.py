"""Generators of the second round of hostile input (bounded work, honest types, lost reports).

Everything is built from a few lines of bytes by the tests themselves; nothing binary is kept.
Imported by the tests as `tests.hostile.bounds_inputs`.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

from tests.hostile.conftest import (
    build_pdf,  # the hand-written PDF writer shared by the hostile tests
)


def _stream(body: bytes, extra: bytes = b"") -> bytes:
    comp = zlib.compress(body, 9)
    return b"<< %s /Length %d /Filter /FlateDecode >>\nstream\n" % (extra, len(comp)) + comp + b"\nendstream"


def _rects(n: int) -> bytes:
    """A content stream filling `n` small rectangles across an A4 page (what a dense drawing holds)."""
    return b"".join(b"%d %d 5 5 re f\n" % (i % 590, (i * 7) % 840) for i in range(n))


def render_bomb_pdf(uses: int = 4000, *, via: str = "form") -> bytes:
    """One A4 page that draws one 2,000-rectangle stream `uses` times: as a form XObject
    (`q /F1 Do Q` repeated) or listed `uses` times in the page's /Contents array. Some KB on disk,
    minutes of PDFium without the precheck."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"}
    if via == "form":
        objects[3] = page + b"/Resources << /XObject << /F1 5 0 R >> >> /Contents 4 0 R >>"
        objects[4] = _stream(b"q /F1 Do Q\n" * uses)
        objects[5] = _stream(_rects(2000), b"/Type /XObject /Subtype /Form /BBox [0 0 595 842]")
    else:
        objects[3] = page + b"/Contents [%s] >>" % b" ".join([b"4 0 R"] * uses)
        objects[4] = _stream(_rects(2000))
    return build_pdf(objects)


def looping_form_pdf() -> bytes:
    """A form XObject that draws itself."""
    return build_pdf({
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /F1 5 0 R >> >> /Contents 4 0 R >>",
        4: _stream(b"q /F1 Do Q\n"),
        5: _stream(b"q /F1 Do Q\n", b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /F1 5 0 R >> >>"),
    })


def slow_page_pdf(pages: int = 3) -> bytes:
    """Pages each under every precheck limit (15 MB of content, 192 megapixels drawn) that still
    take PDFium seconds to render: only the worker's kill at the time limit stops them."""
    side = 2000
    image = zlib.compress(bytes(range(256)) * (side * side * 3 // 256), 9)
    content = b"q /F1 Do Q\n" * 440 + b"q 595 0 0 842 0 0 cm /Im1 Do Q\n" * 48
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>"}
    kids = b" ".join(b"%d 0 R" % (10 + i) for i in range(pages))
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages)
    objects[3] = _stream(content)
    objects[4] = _stream(_rects(2000), b"/Type /XObject /Subtype /Form /BBox [0 0 595 842]")
    objects[5] = (b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
                  b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % (side, side, len(image))
                  + image + b"\nendstream")
    for i in range(pages):
        objects[10 + i] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                           b"/Resources << /XObject << /F1 4 0 R /Im1 5 0 R >> >> /Contents 3 0 R >>")
    return build_pdf(objects)


def page_pdf(width_pt: float, height_pt: float) -> bytes:
    """One blank page of the given size (points)."""
    return build_pdf({
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] >>" % (width_pt, height_pt),
    })


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def write_big_png(path: Path, width: int = 13000, height: int = 13000, *, colour_type: int = 6) -> int:
    """A valid PNG of width x height transparent-black pixels (RGBA by default): a 13000 x 13000
    RGBA image is ~650 KB on disk and 676 MB decoded. Returns the file size.

    Written fast: the rows are all alike, so a block of rows is deflated once, ended with a full
    flush (which makes its compressed bytes independent of what came before), and repeated."""
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour_type]
    row = b"\0" * (1 + width * channels)
    per_block = max(1, min(height, (1 << 22) // len(row)))
    blocks, rest = divmod(height, per_block)

    def deflated(data: bytes) -> bytes:
        comp = zlib.compressobj(9, zlib.DEFLATED, -15)
        return comp.compress(data) + comp.flush(zlib.Z_FULL_FLUSH)

    block = row * per_block
    unit = deflated(block)
    adler = 1
    for _ in range(blocks):
        adler = zlib.adler32(block, adler)
    tail_data = row * rest
    adler = zlib.adler32(tail_data, adler)
    end = zlib.compressobj(9, zlib.DEFLATED, -15)
    tail = end.compress(tail_data) + end.flush()
    with open(path, "wb") as fh:
        fh.write(b"\x89PNG\r\n\x1a\n")
        fh.write(png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)))
        fh.write(png_chunk(b"IDAT", b"\x78\xda"))
        for _ in range(blocks):
            fh.write(png_chunk(b"IDAT", unit))
        fh.write(png_chunk(b"IDAT", tail + struct.pack(">I", adler & 0xFFFFFFFF)))
        fh.write(png_chunk(b"IEND", b""))
        return fh.tell()


def jpeg_bytes(size: tuple[int, int] = (64, 48), *, exif: bytes | None = None) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, (200, 30, 30)).save(buf, "JPEG", quality=80, **kwargs)
    return buf.getvalue()


def huge_jpeg(width: int = 60000, height: int = 60000) -> bytes:
    """A small JPEG whose frame header (SOF0) is rewritten to claim width x height pixels: the
    structure is whole (markers, end of image), the size is what a 60000-pixel panorama declares."""
    data = bytearray(jpeg_bytes((64, 48)))
    pos = data.find(b"\xff\xc0")
    struct.pack_into(">HH", data, pos + 5, height, width)
    return bytes(data)


def corrupt_exif_jpeg() -> bytes:
    """A photo whose EXIF block says "turn right" (Orientation 6) and names a camera maker whose
    text lies beyond the block's end, as a phone app that cut the EXIF short leaves it: Pillow
    warns (with its own site-packages path) every time it reads the tags."""
    exif = (b"Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08" + b"\x00\x02"
            + b"\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00"  # Orientation = 6
            + b"\x01\x0f\x00\x02\x00\x00\x00\x64\x00\x00\x10\x00"  # Make: 100 bytes at 0x1000
            + b"\x00\x00\x00\x00")
    return jpeg_bytes((640, 480), exif=exif)


def stored_zip_holding(name: str, data: bytes) -> bytes:
    """A zip whose one entry is stored (not compressed): the member's bytes appear as they are."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr(zipfile.ZipInfo(name, date_time=(2023, 5, 1, 12, 0, 0)), data)
    return buf.getvalue()


def bad_crc_zip(entries: dict[str, bytes], broken: str) -> bytes:
    """A zip of `entries` whose member `broken` has a wrong CRC-32 in both headers."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, data in entries.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=(2023, 5, 1, 12, 0, 0)), data)
    out = bytearray(buf.getvalue())
    target = broken.encode("utf-8")
    for sig, crc_at, name_len_at, name_at in ((b"PK\x03\x04", 14, 26, 30), (b"PK\x01\x02", 16, 28, 46)):
        pos = out.find(sig)
        while pos != -1:
            n = struct.unpack_from("<H", out, pos + name_len_at)[0]
            if bytes(out[pos + name_at: pos + name_at + n]) == target:
                crc = struct.unpack_from("<I", out, pos + crc_at)[0]
                struct.pack_into("<I", out, pos + crc_at, crc ^ 0xDEADBEEF)
            pos = out.find(sig, pos + 4)
    return bytes(out)


def incremental_cut_pdf(padding: int = 0) -> tuple[bytes, bytes]:
    """(whole, cut): a two-page PDF, then an incremental update that adds a page-count change and
    a third page; `cut` loses the update's tail (its xref and trailer), so a lenient reader falls
    back on the first revision and shows two pages where the author saved three. `padding` adds
    an object of that many bytes to the update (a signature's image is a few hundred KB)."""
    first = build_pdf({
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        4: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    })
    prev_xref = int(first.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    update = bytearray()
    offsets = {}
    base = len(first)
    for num, body in ((2, b"<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 >>"),
                      (5, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"),
                      (6, b"(" + b"x" * padding + b")")):
        offsets[num] = base + len(update)
        update += b"%d 0 obj\n%s\nendobj\n" % (num, body)
    xref_at = base + len(update)
    tail = (b"xref\n0 1\n0000000000 65535 f \n2 1\n%010d 00000 n \n5 2\n%010d 00000 n \n%010d 00000 n \n"
            % (offsets[2], offsets[5], offsets[6]))
    tail += b"trailer\n<< /Size 7 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (prev_xref, xref_at)
    whole = first + bytes(update) + tail
    cut = first + bytes(update) + tail[: len(tail) // 3]
    return whole, cut


# --------------------------------------------------------------------------- running the CLI


def snapshot(root: Path) -> dict:
    """Every name under root with its bytes' digest, mtime and mode (a packet's whole state)."""
    import hashlib
    import os

    state = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            st = path.lstat()
            digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() and not path.is_symlink() else None
            state[str(path.relative_to(root))] = (digest, st.st_mtime_ns, st.st_mode)
    return state


class Run:
    """One `changju` process: exit code, stdout, stderr, wall time and peak memory (MB) of the
    process and the children it waited for (None where the system cannot tell: Windows)."""

    def peak_below(self, mb: float) -> bool:
        """The peak memory stayed below `mb` (True where it cannot be measured: the bound is then
        the time limit's and the refusal's)."""
        return self.peak_mb is None or self.peak_mb < mb

    def __init__(self, code: int, out: str, err: str, seconds: float, peak_mb: float, tmp: Path):
        self.code, self.out, self.err, self.seconds, self.peak_mb, self.tmp = code, out, err, seconds, peak_mb, tmp

    def json(self):
        import json

        return json.loads(self.out)

    def assert_clean(self) -> None:
        """No traceback, no library warning, no temporary file left in its private TMPDIR."""
        both = self.out + self.err
        assert "Traceback" not in both, both[-3000:]
        # a library's warning names its own source file (site-packages/…/x.py:12); the book's font,
        # a data file of the installed package, may be named in the JSON and is not a warning
        assert not re.search(r"site-packages\S*\.py\b", both) and "Warning:" not in both, both[-3000:]
        left = sorted(p.name for p in self.tmp.iterdir())
        assert left == [], left


def run_cli(args: list[str], tmp_path: Path, *, timeout: float = 120, env: dict | None = None, stdin=None) -> Run:
    """Run `python -m changju_check ARGS` as a user would, with a private TMPDIR and cache."""
    import os
    import subprocess
    import sys
    import time

    tmp = tmp_path / f"tmpdir-{len(list(tmp_path.glob('tmpdir-*')))}"
    tmp.mkdir()
    full_env = {**os.environ, "TMPDIR": str(tmp), "CHANGJU_CACHE_DIR": str(tmp_path / "cache"),
                "CHANGJU_LANG": "en", "PYTHONIOENCODING": "utf-8", "COLUMNS": "200"}
    full_env.pop("PYTHONWARNINGS", None)
    full_env.update(env or {})
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "changju_check", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=stdin if stdin is not None else subprocess.DEVNULL,
                            env=full_env, cwd=tmp_path)
    if hasattr(os, "wait4") and not os.environ.get("CHANGJU_SIMULATE_WINDOWS"):
        out, err, peak_mb = _communicate_measured(proc, timeout, args)
    else:  # Windows (or its simulation): no wait4; a memory bound is then not measured (peak_mb None)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise AssertionError(f"changju {' '.join(args)} did not finish in {timeout} s") from None
        peak_mb = None
    seconds = time.monotonic() - started
    return Run(proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), seconds, peak_mb, tmp)


def _communicate_measured(proc, timeout: float, args: list[str]) -> tuple[bytes, bytes, float]:
    """Read the child's output and reap it with wait4: the peak memory (MB) of that process and the
    workers it waited for — not RUSAGE_CHILDREN, which is the largest child the whole test run has
    reaped so far (an earlier OCR test's 538 MB failed a 600 MB bound it had nothing to do with)."""
    import threading

    chunks: dict[str, bytes] = {}

    def drain(name, stream):
        chunks[name] = stream.read()
        stream.close()

    readers = [threading.Thread(target=drain, args=(n, s), daemon=True)
               for n, s in (("out", proc.stdout), ("err", proc.stderr))]
    for t in readers:
        t.start()
    _, usage, finished = wait_measured(proc, timeout)
    if not finished:
        raise AssertionError(f"changju {' '.join(args)} did not finish in {timeout} s")
    for t in readers:
        t.join()
    return chunks.get("out", b""), chunks.get("err", b""), usage.ru_maxrss / 1024


def wait_measured(proc, timeout: float):
    """Reap `proc` with wait4 (killed after `timeout` s): (wait status, its rusage — the process and
    the children it waited for — and whether it finished by itself). Also bench/hostile_bench.py's."""
    import os
    import time

    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            proc.kill()
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            return status, usage, False
        time.sleep(0.01)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return status, usage, True
