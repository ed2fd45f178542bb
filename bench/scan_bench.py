"""Benchmark of `changju check --read-scans` (the [scan] extra) on the synthetic corpus.

Measures:
1. seconds per OCR'd page at the default resolution (150 dpi), one page at a time in this
   process with all cores for the OCR engine, after one warm-up page (engine start-up is
   reported separately);
2. a 25-file packet read cold (empty cache, 2 worker processes: the default) and warm (same
   cache, second run).

Prints a table and writes bench/scan_results.json. Targets: <= 3 s per page on 2 cores, cold
< 30 s, warm < 1 s. The machine may be shared: the load average at the start is recorded.

    python bench/scan_bench.py [--out bench/scan_results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CORPUS = ROOT / "tests" / "scans"
TARGETS = {"seconds_per_page": 3.0, "cold_seconds": 30.0, "warm_seconds": 1.0}
OCR_PAGES = [
    "contract_2022.jpg", "contract_old_2019.jpg", "contract_open_ended.pdf", "audit_2020.jpg",
    "audit_2021.pdf", "iit_2021-2022.jpg", "business_licence.jpg", "id_card_zhangsan.jpg",
    "passport_smith.jpg",
]


def _kind(name: str) -> str:
    return {"pdf": "pdf", "jpg": "jpeg", "png": "png"}[name.rsplit(".", 1)[1]]


def per_page(dpi: int) -> dict:
    from changju_check.scan import pipeline

    threads = os.cpu_count() or 1
    t0 = time.perf_counter()
    pipeline.get_engine(threads)
    startup = time.perf_counter() - t0
    times = []
    for i, name in enumerate(OCR_PAGES + OCR_PAGES[:1]):
        job = {"data": (CORPUS / name).read_bytes(), "kind": _kind(name), "dpi": dpi, "threads": threads, "needs": {0: ["text"]}}
        t = time.perf_counter()
        out = pipeline.process(job)
        dt = time.perf_counter() - t
        if i > 0:  # the first page warms the engine up
            times.append(dt)
        assert out["pages"][0]["text"]["source"] == "ocr", name
    return {
        "engine_startup_s": round(startup, 3),
        "pages": len(times),
        "mean_s": round(statistics.mean(times), 3),
        "median_s": round(statistics.median(times), 3),
        "max_s": round(max(times), 3),
        "threads": threads,
    }


def packet_requests(folder: Path):
    """25 files: the corpus (23) plus two re-encoded copies, with what a checker would ask."""
    from PIL import Image

    from changju_check.scan import ScanRequest
    import yaml

    expected = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))["files"]
    files = {}
    for name, entry in expected.items():
        (folder / name).write_bytes((CORPUS / name).read_bytes())
        files[name] = set(entry["want"]) | {"seal"}
    for src, dst in (("contract_2022.jpg", "contract_copy.png"), ("audit_2020.jpg", "audit_copy.jpg")):
        im = Image.open(CORPUS / src)
        if dst.endswith(".png"):
            im.save(folder / dst)
        else:
            im.save(folder / dst, quality=85)
        files[dst] = set(expected[src]["want"]) | {"seal"}
    return [ScanRequest(material=name.rsplit(".", 1)[0], file=name, open=(lambda p=folder / name: open(p, "rb")),
                        kind=_kind(name), want=want) for name, want in sorted(files.items())]


def packet_runs() -> dict:
    from changju_check.scan import read_scans

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "packet").mkdir()
        os.environ["CHANGJU_CACHE_DIR"] = str(tmp / "cache")
        reqs = packet_requests(tmp / "packet")
        t = time.perf_counter()
        cold = read_scans(reqs, packet_root=tmp / "packet")
        cold_s = time.perf_counter() - t
        t = time.perf_counter()
        warm = read_scans(reqs, packet_root=tmp / "packet")
        warm_s = time.perf_counter() - t
        assert warm.evidence == cold.evidence
        return {
            "files": len(reqs),
            "ocr_pages": cold.stats["ocr_pages"],
            "cold_s": round(cold_s, 3),
            "cold_s_per_ocr_page": round(cold_s / max(1, cold.stats["ocr_pages"]), 3),
            "warm_s": round(warm_s, 4),
            "warm_cache_hits": warm.stats["cache_hits"],
            "evidence": len(cold.evidence),
            "workers": 2,
        }


def versions() -> dict:
    from importlib import metadata

    out = {}
    for dist in ("rapidocr", "onnxruntime", "pypdfium2", "numpy", "pillow", "pypdf"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = None
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description="benchmark of reading scans")
    ap.add_argument("--out", default=str(ROOT / "bench" / "scan_results.json"))
    ap.add_argument("--dpi", type=int, default=150)
    args = ap.parse_args()

    from changju_check.scan import available

    if not available():
        print('the [scan] extra is not installed: pip install "changju-check[scan]"', file=sys.stderr)
        return 2
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    page = per_page(args.dpi)
    packet = packet_runs()
    result = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_average_1min_at_start": load},
        "versions": versions(),
        "dpi": args.dpi,
        "per_page": page,
        "packet_25_files": packet,
        "targets": TARGETS,
        "ok": {
            "seconds_per_page": page["mean_s"] <= TARGETS["seconds_per_page"],
            "cold": packet["cold_s"] < TARGETS["cold_seconds"],
            "warm": packet["warm_s"] < TARGETS["warm_seconds"],
        },
    }
    rows = [
        ("engine start-up (models loaded)", f"{page['engine_startup_s']:.2f} s", ""),
        (f"OCR per page, {args.dpi} dpi, mean of {page['pages']}", f"{page['mean_s']:.2f} s", f"<= {TARGETS['seconds_per_page']:.0f} s"),
        ("OCR per page, median / max", f"{page['median_s']:.2f} / {page['max_s']:.2f} s", ""),
        (f"{packet['files']}-file packet, cold ({packet['ocr_pages']} pages OCR'd, 2 workers)", f"{packet['cold_s']:.1f} s", f"< {TARGETS['cold_seconds']:.0f} s"),
        ("  of which per OCR'd page", f"{packet['cold_s_per_ocr_page']:.2f} s", ""),
        (f"{packet['files']}-file packet, warm (cache)", f"{packet['warm_s']:.3f} s", f"< {TARGETS['warm_seconds']:.0f} s"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'result':>14}  target")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>14}  {target}")
    print(f"cpus: {os.cpu_count()}, load average at start: {load if load is None else round(load, 2)}")
    Path(args.out).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
