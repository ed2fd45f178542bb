"""`read_scans`: from scan requests to evidence and CJ504 findings.

The light half (this module) runs in the caller's process: it reads each file's bytes through
the request's `open`, hashes them, looks the pages up in the cache, sends what is missing to
worker processes (`pipeline.run_job`), stores their results, then turns the pages' text into
facts with the pure extractors. Nothing is written in the packet; nothing is printed.
"""

from __future__ import annotations

import hashlib
import os
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Literal

from changju_check.report import Evidence, Finding, Msg
from changju_check.rulebook import codes
from changju_check.scan import extract
from changju_check.scan.cache import Cache, cache_dir, entry_key
from changju_check.scan.dates import normalise
from changju_check.scan.seals import SealCandidate
from changju_check.scan.workers import CRASHED as _CRASHED
from changju_check.write import is_inside

__all__ = ["FileRead", "PageRead", "ScanRequest", "ScanResult", "WANTS", "read_scans"]

Kind = Literal["pdf", "jpeg", "png"]
# "document": the page's text, for the layouts (scan/layouts/*.yaml) to recognise and read
WANTS = frozenset({"contract", "identity", "audit_year", "iit_years", "licence_name", "seal", "document"})
TEXT_WANTS = WANTS - {"seal"}
MAX_FILE_BYTES = 200 * 1024 * 1024
DEFAULT_DPI = 150


@dataclass(frozen=True)
class ScanRequest:
    """One file of the packet to read.

    `material`: the material id; `file`: its packet-relative path (as in findings); `open`:
    returns a binary file object (the caller owns packet access: a folder, a zip member ...);
    `kind`: "pdf", "jpeg" or "png"; `want`: facts to read, a subset of `WANTS`; `pages`: how many
    leading pages to read (default: `read_scans(pages=)`); `holder`: the manifest fact the name on
    an identity document must equal ("applicant.name"; None for, say, the unit contact's ID);
    `until`: the layout (kind) of the document the file holds - its pages are read only until they
    give the facts the layout needs (`Layout.done_when`).
    """

    material: str
    file: str
    open: Callable[[], BinaryIO]
    kind: Kind
    want: frozenset[str]
    pages: int | None = None
    holder: str | None = "applicant.name"
    until: str | None = None

    def __post_init__(self) -> None:
        want = frozenset(self.want)
        unknown = want - WANTS
        if unknown:
            raise ValueError(f"unknown scan facts {sorted(unknown)}; known: {sorted(WANTS)}")
        if self.kind not in ("pdf", "jpeg", "png"):
            raise ValueError(f"unsupported scan kind {self.kind!r}")
        object.__setattr__(self, "want", want)


@dataclass(frozen=True)
class PageRead:
    """What was read from one page."""

    material: str
    file: str
    page: int  # 1-based
    source: str  # "text-layer" | "ocr" | "none" | "not-read" (only the seal was looked for)
    text: str = ""
    reason: str | None = None  # why no usable text: "blank" | "too_small" | "no_text"
    seals: tuple[SealCandidate, ...] | None = None  # None: not looked for
    greyscale: bool = False
    cached: bool = False
    scores: tuple[float, ...] = ()  # the OCR confidence of each line of `text` (1.0 for a text layer)


@dataclass(frozen=True)
class FileRead:
    material: str
    file: str
    kind: str
    want: frozenset[str]
    holder: str | None
    pages_read: int
    page_count: int
    error: Msg | None = None


@dataclass
class ScanResult:
    """Evidence and findings (CJ504) of `read_scans`, and what each page gave, for `cross_check`."""

    evidence: list[Evidence] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    pages: list[PageRead] = field(default_factory=list)
    files: list[FileRead] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------------------- running jobs


# What the reader stores in the OCR cache, per part; an entry of another shape is a miss.
_SEAL_FIELDS = ("cx", "cy", "width", "height", "rim_coverage", "hollowness", "confidence")
CACHE_SHAPES: dict[str, Any] = {
    "meta": {"page_count": int},
    "text": {"source": str, "lines": [[str, float]], "reason": (str, None), "size": ([int], None)},
    "seal": {"seals": [{k: float for k in _SEAL_FIELDS}], "greyscale": bool},
}


def _run_jobs(jobs: list[dict[str, Any]], workers: int, timeout: float,
              progress: Callable[[int, int], None] | None = None) -> list[dict[str, Any]]:
    """Run the jobs in `workers` processes (0: in this process), each file within `timeout`
    seconds and the workers' memory limit (`workers.py`); a worker stuck in native code is killed
    at the limit, and one hostile file never costs the others their reading."""
    from changju_check.scan import pipeline, workers as procs

    if not jobs:
        return []
    import multiprocessing

    def inline() -> list[dict[str, Any]]:
        out = []
        for job in jobs:
            out.append(pipeline.run_inline(job))
            if progress is not None:
                progress(len(out), len(jobs))
        return out

    if workers <= 0 or multiprocessing.current_process().daemon:
        # a daemonic process (a multiprocessing.Pool worker) may not start children
        return inline()
    results = procs.run_jobs(jobs, workers, timeout, progress=progress)
    if results is None:
        # no worker could start at all (e.g. a caller's script without the
        # `if __name__ == "__main__":` guard that multiprocessing needs): read in this process
        return inline()
    return results


# ---------------------------------------------------------------------------- facts from text


def _confidence(lines: list[tuple[str, float]], spans: Iterable[tuple[int, int]], repaired: bool) -> float:
    if not lines:
        return 0.0
    offsets = []
    pos = 0
    for text, _ in lines:
        offsets.append((pos, pos + len(text)))
        pos += len(text) + 1
    scores = []
    for a, b in spans:
        if a == b == 0:
            continue
        for (s, e), (_, score) in zip(offsets, lines):
            if s < b and a < e:
                scores.append(score)
    value = min(scores) if scores else statistics.median(score for _, score in lines)
    if repaired:
        value *= 0.9
    return round(max(0.0, min(1.0, value)), 3)


def _facts(want: frozenset[str], lines: list[tuple[str, float]], have: set[str]) -> list[tuple[str, str, float]]:
    """(fact, value, confidence) read from one page's lines, skipping facts already found."""
    text = "\n".join(t for t, _ in lines)
    out: list[tuple[str, str, float]] = []
    if "contract" in want and not have & {"contract_start", "contract_end", "contract_open_ended"}:
        term = extract.extract_contract(text)
        if term is not None:
            conf = _confidence(lines, term.spans, term.repaired)
            if term.open_ended:
                out.append(("contract_open_ended", "true", conf))
            if term.start:
                out.append(("contract_start", term.start.isoformat(), conf))
            if term.end:
                out.append(("contract_end", term.end.isoformat(), conf))
    if "identity" in want and not {"name", "expiry"} <= have:
        ident = extract.extract_identity(text)
        if ident is not None:
            if ident.name and "name" not in have:
                out.append(("name", ident.name, _confidence(lines, [ident.spans.get("name", (0, 0))], False)))
            if ident.expiry is not None and "expiry" not in have:
                value = ident.expiry if isinstance(ident.expiry, str) else ident.expiry.isoformat()
                out.append(("expiry", value, _confidence(lines, [ident.spans.get("expiry", (0, 0))], ident.repaired)))
    if "audit_year" in want and "year" not in have:
        year = extract.extract_audit_year(text)
        if year is not None:
            out.append(("year", str(year.year), _confidence(lines, year.spans, year.repaired)))
    if "iit_years" in want and "years" not in have:
        years = extract.extract_iit_years(text)
        if years is not None:
            out.append(("years", ",".join(str(y) for y in years.years), _confidence(lines, years.spans, years.repaired)))
    if "licence_name" in want and "unit_name" not in have:
        name = extract.extract_licence_name(text)
        if name is not None:
            out.append(("unit_name", name.name, _confidence(lines, name.spans, False)))
    return out


def _cj504_page(material: str, file: str, page: int, reason: str | None, size) -> Finding:
    size_txt = f"{size[0]}×{size[1]}" if size else ""
    if reason == "blank":
        zh = f"扫描件第{page}页为空白页，无法识别文字。"
        en = f"Page {page} of the scan is blank: there is no text to read."
    elif reason == "too_small":
        zh = f"扫描件第{page}页分辨率过低（{size_txt}像素），无法识别文字。"
        en = f"Page {page} of the scan is too small to read ({size_txt} pixels)."
    else:
        zh = f"扫描件第{page}页未能识别出文字（可能过于模糊或分辨率过低）。"
        en = f"No text could be read on page {page} of the scan (too blurred or too low a resolution?)."
    return codes.finding("CJ504", zh, en, material=material, file=file, page=page)


def _error_msg(error: str, timeout: float, detail: list[str] | None = None) -> Msg:
    if error == "timeout":
        return Msg(zh=f"读取扫描件超时（超过{timeout:g}秒），未能识别其内容。",
                   en=f"Reading the scan took longer than {timeout:g} s; its content was not read.")
    if error.startswith("engine:"):
        return Msg(zh="文字识别组件不可用（模型文件缺失），请重新安装：pip install \"changju-check[scan]\"",
                   en="The OCR component is unusable (model files missing); reinstall: pip install \"changju-check[scan]\"")
    if error in ("too complex", "too large to render") and detail:
        return Msg(zh=f"扫描件页面过于复杂，未渲染识别：{detail[0]}。", en=f"The scan was not rendered: {detail[1]}.")
    if error == "out of memory":
        return Msg(zh="读取扫描件所需内存超过上限，未能识别其内容（文件本身未必损坏）。",
                   en="Reading the scan needed more memory than the limit allows; its content was not read "
                      "(the file itself need not be damaged).")
    if error == _CRASHED:  # killed by the system: past the memory limit (the job object's, RLIMIT_AS) or a crash
        return Msg(zh="读取扫描件的进程意外停止（多为所需内存超过上限），未能识别其内容（文件本身未必损坏）。",
                   en="The process reading the scan stopped (most often: it needed more memory than the limit "
                      "allows); its content was not read (the file itself need not be damaged).")
    if error == "too large":
        return Msg(zh=f"扫描件超过{MAX_FILE_BYTES // (1024 * 1024)} MB，未读取其内容。",
                   en=f"The scan is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; its content was not read.")
    return Msg(zh=f"无法读取扫描件内容：{error}", en=f"Could not read the scan's content: {error}")


# ---------------------------------------------------------------------------- read_scans


def read_scans(
    requests: list[ScanRequest],
    *,
    pages: int = 1,
    cache: bool = True,
    workers: int = 1,
    timeout: float = 30.0,
    dpi: int = DEFAULT_DPI,
    packet_root: str | os.PathLike[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ScanResult:
    """Read the facts in `want` from each request's first `pages` pages.

    A PDF page with a usable text layer is read with pypdf; other pages are rendered (pypdfium2,
    `dpi`) or decoded (Pillow) and OCR'd (rapidocr). Seals are looked for on the first page only.

    `cache`: reuse and store results in the user's cache directory (see `cache.py`); it is
    turned off when that directory lies inside `packet_root`, so nothing is ever written in the
    packet. `workers`: processes reading in parallel (0 reads in this process, without the time
    limit); `timeout`: seconds per file. One process is the default: it gives onnxruntime every
    core (a page in 0.8 s on 2 cores, 1.45 s on one), loads the models once, and a packet's few
    scanned pages are not left to one single-threaded worker while the other sits idle; memory
    is that of one reader (OCR of a page peaks at about 1.1 GB).

    `progress(done, total)` is called as each file needing OCR is read (for a progress bar).

    Returns evidence, CJ504 findings (a page without usable text, a file that could not be read
    or took too long) and, per page, what was read, for `cross_check`. A bad file never raises;
    call `available()` first: without the extra the OCR imports fail.
    """
    started = time.monotonic()
    store = Cache(enabled=cache)
    if cache and packet_root is not None and is_inside(cache_dir(), Path(packet_root)):
        store.enabled = False
    from changju_check.scan.layout import read_enough
    from changju_check.scan.pipeline import engine_version, page_text, seal_version

    text_version = engine_version()
    seal_ver = seal_version()
    result = ScanResult()

    # 1. read bytes and plan what each file needs
    plans: list[dict[str, Any]] = []
    jobs: dict[str, dict[str, Any]] = {}  # sha|kind -> job
    for req in requests:
        plan: dict[str, Any] = {"req": req, "error": None, "sha": None, "parts": {}, "page_count": None}
        plans.append(plan)
        try:
            with req.open() as fh:
                data = fh.read(MAX_FILE_BYTES + 1)
        except Exception as exc:  # noqa: BLE001 - the packet layer's errors are reported elsewhere too
            # no str(exc): an OSError's text holds the absolute path, which the finding already names
            detail = getattr(exc, "strerror", None)
            plan["error"] = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
            continue
        if len(data) > MAX_FILE_BYTES:
            plan["error"] = "too large"
            continue
        sha = hashlib.sha256(data).hexdigest()
        plan["sha"] = sha
        n_pages = max(1, req.pages or pages) if req.kind == "pdf" else 1
        meta = store.get(entry_key(sha, text_version, -1, 0, "meta"), CACHE_SHAPES["meta"])
        if isinstance(meta, dict) and isinstance(meta.get("page_count"), int):
            plan["page_count"] = meta["page_count"]
            n_pages = min(n_pages, meta["page_count"])
        needs: dict[int, list[str]] = {}
        known: dict[int, str] = {}  # the text of the pages in the cache (whether the pages read are enough)
        for index in range(n_pages):
            if req.until and len(known) == index and read_enough(req.until, [known[i] for i in range(index)]):
                break  # the cached pages already give what the layout needs: the rest stay unread
            wanted = []
            if req.want & TEXT_WANTS:
                wanted.append("text")
            if "seal" in req.want and index == 0:
                wanted.append("seal")
            for part in wanted:
                version = seal_ver if part == "seal" else text_version
                hit = store.get(entry_key(sha, version, index, dpi, part), CACHE_SHAPES[part])
                if hit is not None:
                    plan["parts"][(index, part)] = (hit, True)
                    if part == "text":
                        known[index] = page_text(hit)
                else:
                    needs.setdefault(index, []).append(part)
        plan["needs"] = {(i, part) for i, ps in needs.items() for part in ps}
        if needs or plan["page_count"] is None:
            job_id = f"{sha}|{req.kind}"
            job = jobs.setdefault(job_id, {"data": data, "kind": req.kind, "dpi": dpi, "needs": {},
                                           "until": req.until, "known": known})
            if job["until"] != req.until:  # the same file read for another document: every page asked
                job["until"] = None
            for index, parts in needs.items():
                have = job["needs"].setdefault(index, [])
                have.extend(p for p in parts if p not in have)
            plan["job"] = job_id

    # 2. run the jobs
    job_ids = list(jobs)
    outputs = dict(zip(job_ids, _run_jobs([jobs[j] for j in job_ids], workers, timeout, progress)))
    ocr_pages = sum(int(o.get("ocr_pages", 0)) for o in outputs.values())
    job_seconds = {jobs[j]["kind"] + ":" + j[:12]: outputs[j].get("seconds") for j in job_ids}
    for job_id, out in outputs.items():
        if out.get("error"):
            continue
        sha = job_id.split("|", 1)[0]
        store.put(entry_key(sha, text_version, -1, 0, "meta"), {"page_count": out["page_count"]})
        for index, parts in out["pages"].items():
            for part, value in parts.items():
                version = seal_ver if part == "seal" else text_version
                store.put(entry_key(sha, version, int(index), dpi, part), value)

    # 3. pages, evidence, findings
    for plan in plans:
        req: ScanRequest = plan["req"]
        error = plan["error"]
        page_count = plan["page_count"]
        parts = dict(plan["parts"])
        detail = None
        if error is None and "job" in plan:
            out = outputs[plan["job"]]
            if out.get("error"):
                error = out["error"]
                detail = out.get("detail")
            else:
                page_count = out["page_count"]
                for index, got in out["pages"].items():
                    for part, value in got.items():
                        if (int(index), part) in plan["needs"]:  # a shared job may hold more
                            parts.setdefault((int(index), part), (value, False))
        if error is not None:
            msg = _error_msg(error, timeout, detail)
            result.findings.append(codes.finding("CJ504", msg.zh, msg.en, material=req.material, file=req.file))
            result.files.append(FileRead(req.material, req.file, req.kind, req.want, req.holder, 0, page_count or 0, msg))
            continue
        indices = sorted({i for i, _ in parts})
        have: set[str] = set()
        for index in indices:
            text_part = parts.get((index, "text"), (None, False))[0]
            seal_part = parts.get((index, "seal"), (None, False))[0]
            cached = any(parts.get((index, p), (None, False))[1] for p in ("text", "seal"))
            lines = [(normalise(str(t)), float(s)) for t, s in (text_part or {}).get("lines", [])]
            seals = None
            grey = False
            if seal_part is not None:
                seals = tuple(SealCandidate.from_dict(s) for s in seal_part.get("seals", []))
                grey = bool(seal_part.get("greyscale"))
            reason = (text_part or {}).get("reason")
            page = PageRead(
                material=req.material, file=req.file, page=index + 1,
                source=(text_part or {}).get("source", "not-read"), text="\n".join(t for t, _ in lines),
                reason=reason, seals=seals, greyscale=grey, cached=cached, scores=tuple(s for _, s in lines),
            )
            result.pages.append(page)
            if text_part is not None and reason is not None:
                result.findings.append(_cj504_page(req.material, req.file, index + 1, reason, text_part.get("size")))
            if text_part is not None and lines:
                for fact, value, conf in _facts(req.want, lines, have):
                    have.add(fact)
                    result.evidence.append(Evidence(req.material, req.file, index + 1, fact, value, conf))
            if seals:
                best = max(s.confidence for s in seals)
                result.evidence.append(Evidence(req.material, req.file, index + 1, "seal", "found", round(best, 3)))
        result.files.append(FileRead(req.material, req.file, req.kind, req.want, req.holder,
                                     len(indices), page_count or len(indices)))
    result.stats = {
        "files": len(requests),
        "jobs": len(jobs),
        "ocr_pages": ocr_pages,
        "cache_hits": store.hits,
        "job_seconds": job_seconds,
        "cache": str(store.root) if store.enabled else None,
        "seconds": round(time.monotonic() - started, 3),
    }
    return result
