"""JPG/PNG materials become A4 pages (img2pdf: JPEG data embedded as is, never re-encoded)."""

from __future__ import annotations

import io
from typing import BinaryIO

from changju_check.inspect.sizes import image_too_large_msg
from changju_check.report import Msg, PortableError

A4_MM = (210.0, 297.0)
BORDER_MM = 15.0  # white margin around the image; the page number sits inside it

_FLIPPED = (2, 4, 5, 7)  # EXIF orientations that mirror the image (img2pdf cannot express them)


def _layout():
    import img2pdf

    page = (img2pdf.mm_to_pt(A4_MM[0]), img2pdf.mm_to_pt(A4_MM[1]))
    border = img2pdf.mm_to_pt(BORDER_MM)
    # auto_orient: a landscape image gets a landscape A4 page. img2pdf honours EXIF rotation
    # by setting the page's /Rotate, so an image stored landscape with Orientation=6 is laid
    # out on a landscape page which then displays (and prints) as portrait, filled.
    return img2pdf.get_layout_fun(pagesize=page, border=(border, border), fit=img2pdf.FitMode.into, auto_orient=True)


class ImageTooLarge(PortableError):
    """More pixels than a book can hold (inspect/sizes.py); `check` reports the same (CJ314)."""

    def __init__(self, msg: Msg):
        super().__init__(msg.en)
        self.msg = msg


def _open_checked(data: bytes):
    """Pillow's image of the data, after its size was judged from the header alone (Pillow's own
    decompression-bomb error would otherwise call a large photo damaged)."""
    from PIL import Image

    bound = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        im = Image.open(io.BytesIO(data))
    finally:
        Image.MAX_IMAGE_PIXELS = bound
    big = image_too_large_msg(*im.size)
    if big is not None:
        im.close()
        raise ImageTooLarge(big)
    return im


def _exif_orientation(data: bytes) -> int | None:
    with _open_checked(data) as im:
        value = im.getexif().get(0x0112)
    return value if isinstance(value, int) else None


def _reencode(data: bytes, *, flatten: bool) -> bytes:
    """Apply a mirrored EXIF orientation and/or flatten transparency onto white."""
    from PIL import Image, ImageOps

    with _open_checked(data) as im:
        fmt = im.format
        im.load()
        out = ImageOps.exif_transpose(im)  # upright; the orientation tag is dropped
        if flatten or out.mode in ("RGBA", "LA", "PA") or "transparency" in out.info:
            # at most two copies alive: the RGBA image (its own alpha is the mask) and the white page
            rgba = out if out.mode == "RGBA" else out.convert("RGBA")
            del out
            white = Image.new("RGB", rgba.size, (255, 255, 255))
            white.paste(rgba, mask=rgba)
            del rgba
            out = white
        buf = io.BytesIO()
        if fmt == "JPEG" and out.mode in ("RGB", "L", "CMYK"):
            out.save(buf, format="JPEG", quality=95, subsampling=0)
        else:
            out.save(buf, format="PNG", optimize=False)
        return buf.getvalue()


def image_to_pdf(data: bytes, dest: BinaryIO) -> list[Msg]:
    """Write a one-page PDF for the image into the binary stream `dest` (seekable, at its start;
    the bundler gives an in-memory buffer); returns notes worth telling the user.

    Raises whatever img2pdf/Pillow raise on a broken image; the caller turns that into a
    BundleError naming the file."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        notes = _image_to_pdf(data, dest)
    if any("exif" in str(w.message).lower() or "tag" in str(w.message).lower() for w in caught):
        notes.append(Msg("图片的 EXIF 信息有损坏，已忽略无法读取的部分。",
                         "the image's EXIF data is damaged; the unreadable part was ignored."))
    return notes


def _image_to_pdf(data: bytes, out: BinaryIO) -> list[Msg]:
    import img2pdf

    notes: list[Msg] = []
    orientation = _exif_orientation(data)
    if orientation in _FLIPPED:
        data = _reencode(data, flatten=False)
        notes.append(
            Msg(
                f"图片带有镜像的 EXIF 方向（{orientation}），已按方向转正并重新编码。",
                f"the image has a mirrored EXIF orientation ({orientation}); it was turned upright and re-encoded.",
            )
        )
    kwargs = dict(
        layout_fun=_layout(),
        engine=img2pdf.Engine.internal,
        nodate=True,
        rotation=img2pdf.Rotation.ifvalid,  # honour EXIF 3/6/8, ignore invalid values
        first_frame_only=True,  # MPO photos carry a second (depth) frame
    )
    start = out.tell()
    try:
        img2pdf.convert(data, outputstream=out, **kwargs)
    except img2pdf.AlphaChannelError:
        out.seek(start)
        out.truncate()
        data = _reencode(data, flatten=True)
        img2pdf.convert(data, outputstream=out, **kwargs)
        notes.append(Msg("图片的透明背景已铺为白色。", "the image's transparency was flattened onto white."))
    return notes
