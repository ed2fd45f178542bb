"""The baselines: the unavoidable work of each target, done with the bare libraries and nothing else.

    python bench/baselines.py pdf PLAN.json JOBS   # pypdf: open every PDF, count its pages, extract the recorded pages
    python bench/baselines.py pdf-memory PLAN.json # the same, one process, each PDF read whole and parsed from memory
    python bench/baselines.py tight PLAN.json JOBS # the tight baseline: every file read into memory, each PDF opened
                                                   # with pypdf and the recorded pages extracted, each image opened with PIL
    python bench/baselines.py ocr PLAN.json        # rapidocr on the recorded page images, at the same size
    python bench/baselines.py thumbs PLAN.json     # pypdfium2: render the recorded pages with the same arguments, encode JPEG

Plans come from bench/record.py (what the checker was made to do by its rules). Each runs as a
whole process, timed by bench/run.py from the outside exactly like the checker: interpreter
start-up and library imports are paid by both.
"""

from __future__ import annotations

import json
import os
import sys


IN_MEMORY_BYTES = 8 * 1024 * 1024  # as changju_check.inspect.file: smaller PDFs parsed from memory


def _one_packet(files, in_memory: bool = False) -> int:
    import io

    from pypdf import PdfReader

    pages = 0
    for path, wanted in files:
        if wanted == "image":
            continue
        with open(path, "rb") as fh:
            if in_memory and os.fstat(fh.fileno()).st_size <= IN_MEMORY_BYTES:
                reader = PdfReader(io.BytesIO(fh.read()))
            else:
                reader = PdfReader(fh)
            pages += len(reader.pages)
            for index, kwargs in wanted:
                reader.pages[index].extract_text(**kwargs)
    return pages


def _tight_packet(files) -> int:
    """The work a check cannot avoid: read the file, parse it, extract the pages the rules read."""
    import io

    from pypdf import PdfReader

    pages = 0
    for path, wanted in files:
        with open(path, "rb") as fh:
            data = fh.read()
        if wanted == "image":
            from PIL import Image

            with Image.open(io.BytesIO(data)) as im:
                pages += im.size[0] > 0
            continue
        reader = PdfReader(io.BytesIO(data))
        pages += len(reader.pages)
        for index, kwargs in wanted:
            reader.pages[index].extract_text(**kwargs)
    return pages


def _warm_tight() -> None:
    import pypdf  # noqa: F401 - each worker imports it once, as the checker's do
    from PIL import Image  # noqa: F401


def tight(plan: dict, jobs: int) -> int:
    packets = plan["packets"]
    _warm_tight()
    if jobs <= 1:
        return sum(map(_tight_packet, packets))
    from multiprocessing import Pool

    with Pool(jobs) as pool:  # forked after the imports; a packet per task
        return sum(pool.imap(_tight_packet, packets, chunksize=1))


def pdf(plan: dict, jobs: int, in_memory: bool = False) -> int:
    packets = plan["packets"]
    if in_memory:  # one process only: the figure shown beside the 1-worker batch
        return sum(_one_packet(files, in_memory=True) for files in packets)
    if jobs <= 1:
        return sum(map(_one_packet, packets))
    from multiprocessing import Pool

    with Pool(jobs) as pool:  # one packet per task, as `check --batch` hands them out
        return sum(pool.imap(_one_packet, packets, chunksize=1))


def ocr(plan: dict) -> int:
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image
    from rapidocr import RapidOCR

    # the settings the checker's pipeline uses (recorded by bench/record.py from
    # changju_check.scan.pipeline.engine_params: model paths, detection size, recognition batch)
    engine = RapidOCR(params=plan["params"])
    boxes = 0
    docs: dict = {}
    for page in plan["pages"]:
        if page["kind"] == "pdf":
            doc = docs.get(page["file"])
            if doc is None:
                doc = docs[page["file"]] = pdfium.PdfDocument(page["file"])
            image = doc[page["page"]].render(scale=page["dpi"] / 72.0).to_pil()
        else:
            image = Image.open(page["file"])
        size = tuple(page["size"] or image.size)
        if image.size != size:
            if image.format == "JPEG":
                image.draft("RGB", size)
            image = image.resize(size)
        array = np.asarray(image.convert("RGB"))[:, :, ::-1].copy()
        out = engine(array)
        boxes += len(getattr(out, "txts", None) or ())
    return boxes


def thumbs(plan: dict) -> int:
    import io

    import pypdfium2 as pdfium

    total = 0
    docs: dict = {}
    for r in plan["renders"]:
        doc = docs.get(r["file"])
        if doc is None:
            doc = docs[r["file"]] = pdfium.PdfDocument(r["file"])
        image = doc[r["page"]].render(**r["kwargs"]).to_pil()
        buf = io.BytesIO()
        image.convert("RGB").save(buf, "JPEG", quality=75)
        total += buf.tell()
    return total


def main(argv: list[str]) -> int:
    what, plan_path, *rest = argv
    with open(plan_path, encoding="utf-8") as fh:
        plan = json.load(fh)
    if what == "pdf":
        print(pdf(plan, int(rest[0]) if rest else 1))
    elif what == "pdf-memory":
        print(pdf(plan, 1, in_memory=True))
    elif what == "tight":
        print(tight(plan, int(rest[0]) if rest else 1))
    elif what == "ocr":
        print(ocr(plan))
    elif what == "thumbs":
        print(thumbs(plan))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
