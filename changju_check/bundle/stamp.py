"""The attachment page number, stamped small at the bottom centre of the page as displayed.

The stamp is an overlay on the page copy in the book: the page's own content streams are
not decoded or rewritten (a 100 MB scan stays a 100 MB pass-through), only wrapped:
/Contents becomes [`q`, original streams..., `Q` + the number], so nothing the original
content leaves on the graphics state can move or hide the number. /Rotate and an offset
/CropBox are honoured: the number sits upright at the bottom of the page as it is shown.
"""

from __future__ import annotations

from pypdf import PdfWriter
from pypdf._page import PageObject
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
)

FONT_SIZE = 9.0
BASELINE = 22.0  # points above the bottom edge of the displayed page (about 7.8 mm)
FONT_KEY = "/CJPageNo"


class Stamper:
    """Adds page numbers to pages of one PdfWriter (shares one font object and one `q`)."""

    def __init__(self, writer: PdfWriter) -> None:
        self.writer = writer
        self.font_ref = writer._add_object(
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Font"),
                    NameObject("/Subtype"): NameObject("/Type1"),
                    NameObject("/BaseFont"): NameObject("/Helvetica"),
                    NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
                }
            )
        )
        pre = DecodedStreamObject()
        pre.set_data(b"q\n")
        self.pre_ref = writer._add_object(pre)

    def _font_key(self, page: PageObject) -> str:
        res_obj = page.get("/Resources")
        res = res_obj.get_object() if res_obj is not None else None
        if not isinstance(res, DictionaryObject):
            res = DictionaryObject()
            page[NameObject("/Resources")] = res
        fonts_obj = res.get("/Font")
        fonts = fonts_obj.get_object() if fonts_obj is not None else None
        if not isinstance(fonts, DictionaryObject):
            fonts = DictionaryObject()
            res[NameObject("/Font")] = fonts
        key, n = FONT_KEY, 0
        while key in fonts and fonts.raw_get(key) != self.font_ref:
            n += 1
            key = f"{FONT_KEY}{n}"
        fonts[NameObject(key)] = self.font_ref
        return key

    def stamp(self, page: PageObject, text: str) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        key = self._font_key(page)
        box = page.cropbox
        llx, urx = sorted((float(box.left), float(box.right)))
        lly, ury = sorted((float(box.bottom), float(box.top)))
        w, h = urx - llx, ury - lly
        rot = page.rotation % 360
        # the matrix from display coordinates (origin bottom-left of the page as shown) to
        # user space, for each /Rotate (clockwise)
        if rot == 90:
            m, disp_w = (0, 1, -1, 0, llx + w, lly), h
        elif rot == 180:
            m, disp_w = (-1, 0, 0, -1, llx + w, lly + h), w
        elif rot == 270:
            m, disp_w = (0, -1, 1, 0, llx, lly + h), h
        else:
            m, disp_w = (1, 0, 0, 1, llx, lly), w
        safe = "".join(ch for ch in text if ch.isascii() and ch not in "()\\")
        x = (disp_w - stringWidth(safe, "Helvetica", FONT_SIZE)) / 2
        cm = " ".join(_num(v) for v in m)
        post = DecodedStreamObject()
        post.set_data(
            (
                f"Q\nq {cm} cm BT {key} {_num(FONT_SIZE)} Tf 0 g 0 Tr "
                f"1 0 0 1 {_num(x)} {_num(BASELINE)} Tm ({safe}) Tj ET Q\n"
            ).encode("ascii")
        )
        post_ref = self.writer._add_object(post)

        contents = page.get("/Contents")
        streams: list = []
        if contents is not None:
            resolved = contents.get_object()
            if isinstance(resolved, ArrayObject):
                streams = list(resolved)
            elif resolved is not None:
                streams = [contents if isinstance(contents, IndirectObject) else self.writer._add_object(resolved)]
        page[NameObject("/Contents")] = ArrayObject([self.pre_ref, *streams, post_ref])


def _num(v: float) -> str:
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s
