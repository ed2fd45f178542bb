#!/usr/bin/env python3
"""The HTML review sheet's targets: the report of the 25-file bench packet in <= 2 s on 2 cores
(thumbnails included) and <= 2 MB — measured side by side with the same packet's JSON check.

    python bench/html_bench.py                 # 7 interleaved runs of each command
    python bench/html_bench.py --repeats 3 --out /tmp/h.json

Two packets, generated in a temporary folder outside the repository:

- the bench packet of `bench/run.py` (25 PDFs named like a youth packet, 332 pages; its
  `build_corpus`), the packet the target is about;
- a scanned packet: 25 JPEG "phone scans" of A4 pages at 150 dpi (paper noise, text lines, a
  red seal) — the worst case for the thumbnails' size budget.

Each command runs in a child process (`python -m changju_check check …`), as the bench of
run.py does; the figure is the median wall time. Writes bench/html_results.json. Not a test:
the exit code is 0 whether or not a target is met.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
import corpus as bench_corpus  # noqa: E402  (bench/corpus.py: the bench packet)
import run as bench_run  # noqa: E402  (bench/run.py: the child environment)

HTML_MAX_S = 2.0
HTML_MAX_BYTES = 2_000_000
THUMB_MAX_BYTES = 40_000
DEFAULT_OUT = REPO / "bench" / "html_results.json"
ENV = bench_run.child_env()
CHANGJU = [bench_run.PY, "-m", "changju_check"]

SCANNED = r"""
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from tests.html_packets import scanned_packet
scanned_packet(Path(sys.argv[1]), files=25)
"""


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system, the child's workers included) of one run."""
    got = bench_run.run(cmd, ENV, ok=(0, 1))
    return got["wall"], got["cpu"]


def images(html: str) -> list[int]:
    return [len(base64.b64decode(m)) for m in re.findall(r'src="data:image/jpeg;base64,([^"]+)"', html)]


def measure(packet: Path, out: Path, repeats: int) -> dict:
    check = [*CHANGJU, "check", str(packet)]
    json_cmd = [*check, "--format", "json"]
    html_cmd = [*check, "--format", "html", "-o", str(out)]
    timed(json_cmd), timed(html_cmd)  # warm the page cache and the .pyc files
    json_s, html_s = [], []
    for _ in range(repeats):  # interleaved: a busy moment slows both alike
        json_s.append(timed(json_cmd))
        html_s.append(timed(html_cmd))
    json_wall = statistics.median(w for w, _ in json_s)
    html_wall = statistics.median(w for w, _ in html_s)
    text = out.read_text(encoding="utf-8")
    sizes = images(text)
    return {
        "json_check_s": round(json_wall, 3),
        "html_s": round(html_wall, 3),
        "html_over_json": round(html_wall / json_wall, 2),
        # CPU seconds hardly move with other load on the machine: on 2 quiet cores the wall time
        # of the html run is about its CPU time over the cores it keeps busy
        "json_check_cpu_s": round(statistics.median(c for _, c in json_s), 3),
        "html_cpu_s": round(statistics.median(c for _, c in html_s), 3),
        "html_bytes": out.stat().st_size,
        "images": len(sizes),
        "largest_image_bytes": max(sizes, default=0),
        "files": len(re.findall(r'<li class="file"', text)),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    results: dict = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "cores": cores,
        "load_average_at_start": round(os.getloadavg()[0], 2),
        "targets": {"html_s": HTML_MAX_S, "html_bytes": HTML_MAX_BYTES, "image_bytes": THUMB_MAX_BYTES},
    }
    with tempfile.TemporaryDirectory(prefix="changju-html-bench-") as tmp:
        root = Path(tmp)
        corpus = bench_corpus.build_corpus(root / "bench", 1, 25, 0, 1)
        scanned = root / "scanned"
        subprocess.run([bench_run.PY, "-c", SCANNED, str(scanned), str(REPO)], check=True, env=ENV)
        started = time.perf_counter()
        results["bench_packet"] = measure(corpus["one_packet"], root / "bench.html", args.repeats)
        results["scanned_packet"] = measure(scanned, root / "scanned.html", args.repeats)
        results["bench_seconds"] = round(time.perf_counter() - started, 1)
    for name in ("bench_packet", "scanned_packet"):
        r = results[name]
        r["met"] = r["html_s"] <= HTML_MAX_S and r["html_bytes"] <= HTML_MAX_BYTES and r["largest_image_bytes"] <= THUMB_MAX_BYTES
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{'packet':16} {'json check':>11} {'html':>8} {'ratio':>6} {'cpu json/html':>14} {'size':>10} {'images':>7} {'largest':>8}  met")
    for name in ("bench_packet", "scanned_packet"):
        r = results[name]
        print(
            f"{name:16} {r['json_check_s']:>10.2f}s {r['html_s']:>7.2f}s {r['html_over_json']:>6.2f} "
            f"{r['json_check_cpu_s']:>6.2f}/{r['html_cpu_s']:<6.2f}s "
            f"{r['html_bytes'] / 1e6:>8.2f}MB {r['images']:>7} {r['largest_image_bytes'] / 1e3:>6.1f}KB  {'yes' if r['met'] else 'NO'}"
        )
    print(f"{cores} cores, load average {results['load_average_at_start']} at the start; written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
