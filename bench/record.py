"""What the checker really reads, recorded so that a baseline does exactly the same unavoidable work.

    python bench/record.py text PLAN.json PACKET...          # pages whose text layer `check` extracts
    python bench/record.py ocr PLAN.json PACKET              # pages `check --read-scans` OCRs
    python bench/record.py thumbs PLAN.json PACKET OUT.html  # pages `check --format html` renders (in its workers too)

Each runs the checker in this process (a child of bench/run.py, never timed) with the library
calls that do the unavoidable work wrapped to note what they were asked: pypdf's
`PageObject.extract_text`, the scan reader's jobs, pypdfium2's `PdfPage.render`. The plan is not
a copy of the rules' page selection: it is what the rules' data made the checker do, so it
follows the rules (and the code that reads them) as they change. The baselines in
bench/baselines.py then do that work and nothing else.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path


IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")


def _inode_map(roots: list[Path]) -> dict[tuple[int, int], str]:
    found = {}
    for root in roots:
        for d, _, names in os.walk(root):
            for n in names:
                p = os.path.join(d, n)
                st = os.stat(p)
                found[(st.st_dev, st.st_ino)] = os.path.abspath(p)
    return found


def _options(**kw):
    from changju_check.engine.run import CheckOptions

    return CheckOptions(**kw)


# --------------------------------------------------------------------------- text layers


def record_text(packets: list[Path]) -> dict:
    """{"packets": [[[path, [[index, kwargs], ...]] per PDF] per packet], "extract_calls": n, "codes": {...}}.

    Every PDF of every packet is listed (the baseline opens each and counts its pages), with the
    pages whose text the checker extracted."""
    import pypdf
    from pypdf import PdfReader, PageObject

    inodes = _inode_map(packets)
    seen: dict[str, dict[int, dict]] = {}
    calls = [0]
    orig_init = PdfReader.__init__
    orig_extract = PageObject.extract_text

    # the file being inspected: a PDF small enough is handed to pypdf in memory (no fileno)
    from changju_check.inspect import file as inspect_file_mod

    orig_inspect_pdf = inspect_file_mod.inspect_pdf
    current: list = [None, None]  # packet folder, PDF being inspected

    def inspect_pdf(pf, *args, **kwargs):
        current[1] = os.path.abspath(os.path.join(current[0], pf.path)) if current[0] else None
        try:
            return orig_inspect_pdf(pf, *args, **kwargs)
        finally:
            current[1] = None

    def init(self, stream, *args, **kwargs):
        orig_init(self, stream, *args, **kwargs)
        try:
            st = os.fstat(stream.fileno()) if hasattr(stream, "fileno") else os.stat(stream)
            self._bench_path = inodes.get((st.st_dev, st.st_ino))
        except (OSError, TypeError, ValueError, AttributeError):
            self._bench_path = current[1]

    def extract(self, *args, **kwargs):
        calls[0] += 1
        reader = getattr(self, "pdf", None)
        path = getattr(reader, "_bench_path", None)
        if path is not None:
            index = self.page_number
            if index is not None and not args:
                seen.setdefault(path, {}).setdefault(index, {k: v for k, v in kwargs.items()
                                                            if isinstance(v, (str, int, float, bool, type(None)))})
        return orig_extract(self, *args, **kwargs)

    PdfReader.__init__ = init
    PageObject.extract_text = extract
    inspect_file_mod.inspect_pdf = inspect_pdf
    from changju_check.engine.run import check_packet

    options = _options()
    codes: dict[str, int] = {}
    for packet in packets:
        current[0] = str(packet)
        report = check_packet(packet, options)
        if report.fatal is not None:
            codes["fatal:" + report.fatal.code] = codes.get("fatal:" + report.fatal.code, 0) + 1
        for f in report.findings:
            codes[f.code] = codes.get(f.code, 0) + 1
    PdfReader.__init__ = orig_init
    PageObject.extract_text = orig_extract
    inspect_file_mod.inspect_pdf = orig_inspect_pdf

    plan = []
    for packet in packets:
        files = []
        for d, _, names in sorted(os.walk(packet)):
            for n in sorted(names):
                p = os.path.abspath(os.path.join(d, n))
                if n.lower().endswith(".pdf"):
                    files.append([p, sorted([i, kw] for i, kw in seen.get(p, {}).items())])
                elif n.lower().endswith(IMAGE_SUFFIXES):  # the tight baseline opens it with PIL
                    files.append([p, "image"])
        plan.append(files)
    return {"packets": plan, "extract_calls": calls[0], "codes": dict(sorted(codes.items())), "pypdf": pypdf.__version__}


# --------------------------------------------------------------------------- OCR


def record_ocr(packet: Path, cache_dir: Path) -> dict:
    """The pages `check --read-scans` OCR'd (file, page, image size, dpi), and which of them gave no
    fact: {"pages": [...], "ocr_pages": n, "unneeded": n, "facts": n}."""
    os.environ["CHANGJU_CACHE_DIR"] = str(cache_dir)  # cold: an empty cache
    from changju_check import scan
    from changju_check.scan import reader

    by_sha = {}
    for d, _, names in os.walk(packet):
        for n in names:
            p = os.path.abspath(os.path.join(d, n))
            by_sha[hashlib.sha256(Path(p).read_bytes()).hexdigest()] = p
    jobs_seen: list[tuple[dict, dict]] = []
    results = []
    orig_run, orig_read = reader._run_jobs, scan.read_scans

    def run_jobs(jobs, workers, timeout, progress=None):
        outs = orig_run(jobs, workers, timeout, progress)
        jobs_seen.extend(zip(jobs, outs))
        return outs

    def read_scans(requests, **kwargs):
        result = orig_read(requests, **kwargs)
        results.append(result)
        return result

    reader._run_jobs = run_jobs
    scan.read_scans = read_scans
    reader_read = reader.read_scans
    reader.read_scans = read_scans
    try:
        from changju_check.engine.run import check_packet

        check_packet(packet, _options(read_scans=True, file_timeout=600.0))  # as bench/run.py times it
    finally:
        reader._run_jobs, scan.read_scans, reader.read_scans = orig_run, orig_read, reader_read

    pages = []
    for job, out in jobs_seen:
        path = by_sha.get(hashlib.sha256(job["data"]).hexdigest())
        for index, parts in sorted((out.get("pages") or {}).items(), key=lambda kv: int(kv[0])):
            text = parts.get("text") or {}
            if text.get("source") == "ocr":
                pages.append({"file": path, "kind": job["kind"], "page": int(index), "dpi": job.get("dpi", 150),
                              "size": text.get("size")})
    # a page OCR'd after the last page of its file that gave a fact was not needed
    last_fact: dict[str, int] = {}
    facts = 0
    rel = {os.path.relpath(p, packet).replace(os.sep, "/"): p for p in by_sha.values()}
    for result in results:
        for ev in result.evidence:
            if ev.fact == "seal":
                continue
            facts += 1
            p = rel.get(ev.file, ev.file)
            last_fact[p] = max(last_fact.get(p, 0), ev.page - 1)
    files_with_facts = set(last_fact)
    unneeded = sum(1 for pg in pages if pg["file"] in files_with_facts and pg["page"] > last_fact[pg["file"]])
    from changju_check.scan.pipeline import engine_params, model_paths

    paths = model_paths()
    models = {k: str(v) for k, v in (paths or {}).items()}
    # the checker's own RapidOCR settings (detection size, one line at a time), without a thread
    # count: bare rapidocr runs as configured, on every core
    params = engine_params(paths) if paths else {}
    return {"pages": pages, "ocr_pages": len(pages), "unneeded": unneeded, "facts": facts,
            "files_read": sum(len(r.files) for r in results), "models": models, "params": params}


# --------------------------------------------------------------------------- thumbnails


def record_thumbs(packet: Path, out: Path) -> dict:
    """The pages `check --format html` renders with pypdfium2, with the render arguments. The
    renders happen in spawned workers, so the CLI runs as a child whose every process loads
    bench/record_site/sitecustomize.py (it notes each render)."""
    import subprocess

    log = out.with_suffix(".renders.jsonl")
    env = dict(os.environ, CHANGJU_BENCH_RENDER_LOG=str(log))
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).parent / "record_site"), env.get("PYTHONPATH", "")])
    subprocess.run([sys.executable, "-m", "changju_check", "check", str(packet), "--format", "html", "--output", str(out)],
                   env=env, stdout=subprocess.DEVNULL, check=False)
    inodes = _inode_map([packet])
    by_sha = {hashlib.sha256(Path(p).read_bytes()).hexdigest(): p for p in inodes.values()}
    renders = []
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    for line in lines:
        r = json.loads(line)
        path = r.get("path") or inodes.get((r.get("dev"), r.get("ino"))) or by_sha.get(r.get("sha"))
        if path is not None:
            renders.append({"file": path, "page": r["page"], "kwargs": r["kwargs"]})
    return {"renders": renders, "pages": len(renders), "report_written": out.exists()}


def main(argv: list[str]) -> int:
    what, plan_path, *rest = argv
    if what == "text":
        plan = record_text([Path(p) for p in rest])
    elif what == "ocr":
        plan = record_ocr(Path(rest[0]), Path(rest[1]))
    elif what == "thumbs":
        plan = record_thumbs(Path(rest[0]), Path(rest[1]))
    else:
        sys.stderr.write(__doc__)
        return 2
    Path(plan_path).write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
