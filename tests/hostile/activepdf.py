"""PDFs that carry behaviour as well as pages: scripts, launch/submit actions, attachments, XFA.

Each is a valid one-page PDF written by hand (tests.hostile.conftest.build_pdf), with the page's
visible text `MARKER-<kind>` and the hostile part spelt out below, so a reader sees exactly
what a full PDF reader would run, open or send. Every script, file name and URL contains
PAYLOAD, so a test can prove that none of it reached the printed book.

    python -m tests.hostile.activepdf OUTDIR     # writes one file per kind, to look at
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.hostile.conftest import build_pdf

PAYLOAD = b"CJ-PAYLOAD"
JS = b"<< /S /JavaScript /JS (app.alert('" + PAYLOAD + b"'); this.exportDataObject({cName: 'a.exe', nLaunch: 2});) >>"
EMBEDDED = b"MZ fake executable " + PAYLOAD
RECT = b"/Rect [72 600 300 640]"


def _content(kind: str) -> bytes:
    text = b"BT /F1 18 Tf 72 700 Td (MARKER-" + kind.encode() + b") Tj ET"
    return b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream"


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _annot(subtype: bytes, body: bytes) -> bytes:
    return b"<< /Type /Annot /Subtype " + subtype + b" " + RECT + b" /P 3 0 R " + body + b" >>"


# What each kind adds: (catalog extra, page extra, further objects from number 10 on).
# The catalog is object 1, the page tree 2, the page 3, its content 4, the font 5.
KINDS: dict[str, tuple[bytes, bytes, dict[int, bytes]]] = {
    # the document runs a script when it is opened
    "open_js": (b"/OpenAction " + JS, b"", {}),
    # a document-level script in the name tree (runs on open in Acrobat)
    "names_js": (b"/Names << /JavaScript << /Names [(init) 10 0 R] >> >>", b"", {10: JS}),
    # the page runs a script when it is shown
    "page_aa": (b"", b"/AA << /O " + JS + b" >>", {}),
    # a harmless GoTo on open whose /Next is a script
    "next_chain": (b"/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next " + JS + b" >>", b"", {}),
    # a link that starts a program
    "launch_link": (b"", b"/Annots [10 0 R]", {10: _annot(b"/Link", b"/A << /S /Launch /F (calc-" + PAYLOAD + b".exe) >>")}),
    # a link that opens another file
    "gotor_link": (b"", b"/Annots [10 0 R]", {10: _annot(b"/Link", b"/A << /S /GoToR /F (other-" + PAYLOAD + b".pdf) /D [0 /Fit] >>")}),
    # a form button that posts the form to a server
    "submit_form": (
        b"/AcroForm << /Fields [10 0 R] >>",
        b"/Annots [10 0 R]",
        {10: _annot(b"/Widget", b"/FT /Btn /Ff 65536 /T (send) /A << /S /SubmitForm /F << /FS /URL /F (http://example.invalid/" + PAYLOAD + b") >> >>")},
    ),
    # a form button that imports data from a file
    "import_data": (
        b"/AcroForm << /Fields [10 0 R] >>",
        b"/Annots [10 0 R]",
        {10: _annot(b"/Widget", b"/FT /Btn /Ff 65536 /T (load) /A << /S /ImportData /F (data-" + PAYLOAD + b".fdf) >>")},
    ),
    # a text field whose keystroke action is a script
    "field_aa": (
        b"/AcroForm << /Fields [10 0 R] >>",
        b"/Annots [10 0 R]",
        {10: _annot(b"/Widget", b"/FT /Tx /T (name) /V (x) /AA << /K " + JS + b" >>")},
    ),
    # an XFA form (its template holds scripts)
    "xfa": (
        b"/AcroForm << /Fields [] /XFA 10 0 R >>",
        b"",
        {10: _stream(b"<xdp:xdp><template><script>app.alert('" + PAYLOAD + b"')</script></template></xdp:xdp>")},
    ),
    # a paper-clip annotation carrying an executable
    "attachment_annot": (
        b"",
        b"/Annots [10 0 R]",
        {
            10: _annot(b"/FileAttachment", b"/Name /PushPin /FS 11 0 R"),
            11: b"<< /Type /Filespec /F (a-" + PAYLOAD + b".exe) /EF << /F 12 0 R >> >>",
            12: _stream(EMBEDDED, b"/Type /EmbeddedFile "),
        },
    ),
    # a document-level embedded file
    "embedded_files": (
        b"/Names << /EmbeddedFiles << /Names [(a.exe) 10 0 R] >> >>",
        b"",
        {10: b"<< /Type /Filespec /F (a-" + PAYLOAD + b".exe) /EF << /F 11 0 R >> >>", 11: _stream(EMBEDDED, b"/Type /EmbeddedFile ")},
    ),
    # a filled-in form field that prints (no script): what prints is drawn into the book's page
    "filled_field": (
        b"/AcroForm << /Fields [10 0 R] >>",
        b"/Annots [10 0 R]",
        {
            10: _annot(b"/Widget", b"/FT /Tx /T (name) /V (MARKER-filled) /F 4 /AP << /N 11 0 R >>"),
            11: _stream(
                b"BT /F1 12 Tf 2 8 Td (MARKER-filled) Tj ET",
                b"/Type /XObject /Subtype /Form /BBox [0 0 228 40] /Resources << /Font << /F1 5 0 R >> >> ",
            ),
        },
    ),
    # an ordinary hyperlink: stripped from the book, but not what CJ309 is about
    "uri_link": (b"", b"/Annots [10 0 R]", {10: _annot(b"/Link", b"/A << /S /URI /URI (http://example.invalid/" + PAYLOAD + b") >>")}),
}

# kinds that `check` reports (CJ309); a hyperlink and a filled-in field are not behaviour to report
REPORTED = tuple(k for k in KINDS if k not in ("uri_link", "filled_field"))


def active_pdf(kind: str) -> bytes:
    catalog, page, extra = KINDS[kind]
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> " + page + b" >>",
        4: _content(kind),
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        **extra,
    }
    return build_pdf(objects)


def all_active_pdf() -> bytes:
    """One page with every kind of active content at once (for the book test)."""
    catalog = b"/OpenAction " + JS + b" /Names << /JavaScript << /Names [(init) 20 0 R] >> /EmbeddedFiles << /Names [(a.exe) 21 0 R] >> >>"
    catalog += b" /AcroForm << /Fields [12 0 R 13 0 R] /XFA 23 0 R >> /AA << /WC " + JS + b" >>"
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> "
        b"/AA << /O " + JS + b" /C " + JS + b" >> /Annots [10 0 R 11 0 R 12 0 R 13 0 R 14 0 R 15 0 R] >>",
        4: _content("all"),
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        10: _annot(b"/Link", b"/A << /S /Launch /F (calc-" + PAYLOAD + b".exe) /Next " + JS + b" >>"),
        11: _annot(b"/FileAttachment", b"/FS 21 0 R"),
        12: _annot(b"/Widget", b"/FT /Btn /Ff 65536 /T (send) /A << /S /SubmitForm /F << /FS /URL /F (http://example.invalid/" + PAYLOAD + b") >> >>"),
        13: _annot(b"/Widget", b"/FT /Tx /T (name) /V (x) /AA << /K " + JS + b" >>"),
        14: _annot(b"/Link", b"/A << /S /URI /URI (http://example.invalid/" + PAYLOAD + b") >>"),
        15: _annot(b"/Square", b"/C [1 0 0] /AA << /E " + JS + b" >> /A << /S /ImportData /F (d-" + PAYLOAD + b".fdf) >>"),
        20: JS,
        21: b"<< /Type /Filespec /F (a-" + PAYLOAD + b".exe) /EF << /F 22 0 R >> >>",
        22: _stream(EMBEDDED, b"/Type /EmbeddedFile "),
        23: _stream(b"<xdp:xdp><script>app.alert('" + PAYLOAD + b"')</script></xdp:xdp>"),
    }
    return build_pdf(objects)


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    for kind in KINDS:
        (out / f"{kind}.pdf").write_bytes(active_pdf(kind))
    (out / "all.pdf").write_bytes(all_active_pdf())
    print(f"wrote {len(KINDS) + 1} files to {out}")
