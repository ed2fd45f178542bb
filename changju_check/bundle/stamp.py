"""The attachment page number, stamped small at the bottom centre of the page as displayed.

The stamp is an overlay on the page copy in the book: the page's own content streams are
not decoded or rewritten (a 100 MB scan stays a 100 MB pass-through), only wrapped:
/Contents becomes [`q`, original streams..., `Q` + the number], so nothing the original
content leaves on the graphics state can move or hide the number. /Rotate and an offset
/CropBox are honoured: the number sits upright at the bottom of the page as it is shown.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary, Name

FONT_SIZE = 9.0
BASELINE = 22.0  # points above the bottom edge of the displayed page (about 7.8 mm)
FONT_KEY = "/CJPageNo"


class Stamper:
    """Adds page numbers to pages of one pikepdf.Pdf (shares one font object and one `q`)."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self.font_ref = pdf.make_indirect(
            Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica, Encoding=Name.WinAnsiEncoding)
        )
        self.pre_ref = pdf.make_stream(b"q\n")

    def _font_key(self, page: pikepdf.Dictionary) -> str:
        res = page.get("/Resources")
        if not isinstance(res, Dictionary):
            res = Dictionary()
            page["/Resources"] = res
        fonts = res.get("/Font")
        if not isinstance(fonts, Dictionary):
            fonts = Dictionary()
            res["/Font"] = fonts
        key, n = FONT_KEY, 0
        while key in fonts and fonts.get(key).objgen != self.font_ref.objgen:
            n += 1
            key = f"{FONT_KEY}{n}"
        fonts[key] = self.font_ref
        return key

    def stamp(self, page: pikepdf.Page, text: str) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        obj = page.obj
        key = self._font_key(obj)
        box = [float(v) for v in page.cropbox]
        llx, urx = sorted((box[0], box[2]))
        lly, ury = sorted((box[1], box[3]))
        w, h = urx - llx, ury - lly
        rot = int(obj.get("/Rotate", 0)) % 360
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
        post = self.pdf.make_stream(
            (
                f"Q\nq {cm} cm BT {key} {_num(FONT_SIZE)} Tf 0 g 0 Tr "
                f"1 0 0 1 {_num(x)} {_num(BASELINE)} Tm ({safe}) Tj ET Q\n"
            ).encode("ascii")
        )
        contents = obj.get("/Contents")
        if isinstance(contents, Array):
            streams = list(contents)
        elif contents is None:
            streams = []
        else:
            streams = [contents if contents.is_indirect else self.pdf.make_indirect(contents)]
        obj["/Contents"] = Array([self.pre_ref, *streams, post])


def _num(v: float) -> str:
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s
