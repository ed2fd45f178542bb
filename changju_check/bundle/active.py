"""The book carries pages, not behaviour: what is removed from every page copied into it.

A print shop opens the book in a full PDF reader; whatever a packet's file could run, open or
send there must not come along. So:

- every annotation that prints (a stamp, a note, a filled-in form field, a paper clip's icon) is
  flattened first: its appearance is drawn into the page's content (qpdf's
  flattenAnnotations, `Pdf.flatten_annotations("print")`), so the printed page looks as it did;
- then every page loses all its annotations (links, file attachments, form widgets with their
  submit and script actions, screens and media), its additional actions (/AA) and its article
  beads (/B);
- and the book's catalogue holds only its page tree: no /OpenAction, /AA, /Names (document
  JavaScript, embedded files), /AcroForm (fields' scripts, XFA) of any input survives.

What `check` reports of the same things is in inspect/active.py (CJ309).
"""

from __future__ import annotations

PAGE_KEYS = ("/AA", "/B", "/Annots")
CATALOG_KEEP = ("/Type", "/Pages")


def strip_book(pdf) -> None:
    """Flatten what prints and remove all behaviour from a (pikepdf) document, in place."""
    pdf.flatten_annotations("print")
    root = pdf.Root
    for key in list(root.keys()):
        if key not in CATALOG_KEEP:
            del root[key]
    for page in pdf.pages:
        obj = page.obj
        for key in PAGE_KEYS:
            if key in obj:
                del obj[key]


__all__ = ["strip_book"]
