"""Loaded by every Python process of a recording run (bench/record.py puts this folder on
PYTHONPATH), including the spawned workers that render thumbnails: notes each page pypdfium2
renders — the file (by device and inode, or path), the page, the render arguments — one JSON
line per render in $CHANGJU_BENCH_RENDER_LOG. Never on PYTHONPATH outside a recording run."""

import os

_LOG = os.environ.get("CHANGJU_BENCH_RENDER_LOG")


def _install() -> None:
    import json

    try:
        import pypdfium2 as pdfium
    except ImportError:
        return
    init, get_page, render = pdfium.PdfDocument.__init__, pdfium.PdfDocument.get_page, pdfium.PdfPage.render

    def _init(self, input, *args, **kwargs):
        init(self, input, *args, **kwargs)
        src = {}
        try:
            if isinstance(input, (str, os.PathLike)):
                src = {"path": os.path.abspath(input)}
            elif hasattr(input, "fileno"):
                st = os.fstat(input.fileno())
                src = {"dev": st.st_dev, "ino": st.st_ino}
            elif isinstance(input, (bytes, bytearray)):
                import hashlib

                src = {"sha": hashlib.sha256(bytes(input)).hexdigest()}
        except (OSError, ValueError, TypeError, AttributeError):
            src = {}
        self._bench_src = src

    def _get_page(self, index):
        page = get_page(self, index)
        page._bench_src, page._bench_index = getattr(self, "_bench_src", {}), index
        return page

    def _render(self, *args, **kwargs):
        src = getattr(self, "_bench_src", None)
        if src and not args:
            line = {**src, "page": self._bench_index,
                    "kwargs": {k: v for k, v in kwargs.items() if isinstance(v, (int, float, bool, type(None)))}}
            with open(_LOG, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(line) + "\n")
        return render(self, *args, **kwargs)

    pdfium.PdfDocument.__init__, pdfium.PdfDocument.get_page, pdfium.PdfPage.render = _init, _get_page, _render


if _LOG:
    _install()
