"""Packets for the review sheet's tests, built in tmp_path from the examples (real-looking pages:
titles, text, red seals), plus the files a sheet must survive.

- `hostile_packet(root)`: examples/youth-flawed with a PDF named `<script>alert(1)</script>.pdf`,
  a PDF cut short in transfer, a PDF with an open password and a HEIC phone photo.
- `scanned_packet(root, files=25)`: a youth packet whose 25 files are phone-photo-like scans
  (noise, text lines, a red seal) — the worst case for the thumbnails' size budget.
"""

from __future__ import annotations

import io
import random
import shutil
from pathlib import Path

from tests.packets import PERSON_FILES, UNIT_FILES, YOUTH_MANIFEST, build

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
SCRIPT_NAME = "<script>alert(1)</script>.pdf"
TRUNCATED = "2-申报人材料/其他附件-截断的文件.pdf"
LOCKED = "2-申报人材料/其他附件-加密文件.pdf"
HEIC = "2-申报人材料/其他附件-手机照片.heic"


def hostile_packet(root: Path) -> Path:
    shutil.copytree(EXAMPLES / "youth-flawed", root)
    contract = next(root.rglob("*劳动合同*.pdf"), None) or next(root.rglob("*.pdf"))
    data = contract.read_bytes()
    (root / SCRIPT_NAME).parent.mkdir()  # the "/" of </script> makes it a folder `<script>alert(1)<`
    (root / SCRIPT_NAME).write_bytes(data)
    (root / TRUNCATED).write_bytes(data[: len(data) // 3])
    (root / LOCKED).write_bytes(_encrypted(data))
    (root / HEIC).write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64)
    return root


def _encrypted(data: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def scan_jpeg(seed: int, size: tuple[int, int] = (1240, 1754)) -> bytes:
    """A 150-dpi A4 'phone scan': grey paper with noise, dark text lines, a red ring seal."""
    from PIL import Image, ImageDraw, ImageFilter

    rnd = random.Random(seed)
    w, h = size
    im = Image.effect_noise((w, h), 28).convert("RGB")
    paper = Image.new("RGB", (w, h), (236, 232, 224))
    im = Image.blend(paper, im, 0.35)
    draw = ImageDraw.Draw(im)
    for row in range(60):
        y = 140 + row * 26
        x = 110
        while x < w - 200:
            word = rnd.randint(20, 120)
            draw.rectangle((x, y, x + word, y + 14), fill=(30, 30, 35))
            x += word + rnd.randint(10, 30)
    cx, cy = w - 320, h - 400
    draw.ellipse((cx - 120, cy - 120, cx + 120, cy + 120), outline=(210, 30, 30), width=10)
    draw.regular_polygon((cx, cy, 38), 5, fill=(210, 30, 30))
    im = im.filter(ImageFilter.GaussianBlur(0.6))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=88)
    return buf.getvalue()


def scanned_packet(root: Path, files: int = 25) -> Path:
    names = [n.replace(".pdf", ".jpg") for n in {**UNIT_FILES, **PERSON_FILES}]
    extra = [f"2-申报人材料/论文/{i:02d}-论文{i}.jpg" for i in range(1, files - len(names) + 1)]
    content = {name: scan_jpeg(i) for i, name in enumerate((names + extra)[:files])}
    return build(root, content, YOUTH_MANIFEST)
