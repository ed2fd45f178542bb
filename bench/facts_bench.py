#!/usr/bin/env python3
"""A well-named packet with a full manifest costs nothing for reading pages by default (issue 27).

    python bench/facts_bench.py --baseline 33202d3      # the tree before issue 27
    python bench/facts_bench.py --baseline main --repeats 9

Since issue 27 `changju check` reads a file's pages by default wherever that can change the result
(a file its name and text layer do not place, a fact the manifest lacks) and reports the facts the
pages print. A packet whose files are well named and whose manifest gives every fact must pay
nothing for it: no page OCR'd, no reader process started. Target: the default check of such a packet
takes at most the baseline's time (ratio ≤ 1.0, with `NOISE` for a shared machine), measured side
by side in one run, alternating, each `python -m changju_check check PACKET --format json` in a child
process with its tree on PYTHONPATH (the baseline exported with `git archive`), as
bench/realdocs_bench.py does. The same two packets as there: bench/run.py's 25-file youth packet, and
the same with its real documents from tests/realdocs/corpus (text layers: their facts are read and
reported, which is the new work this measures).

Writes bench/facts_results.json (or --out). Not a test: the exit code is 0 whether or not the target
is met.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET = 1.0
NOISE = 0.05  # alternating medians on a shared 2-core machine differ by this much for the same tree


def _module(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    realdocs = _module("realdocs_bench")
    args = realdocs.arguments(__doc__.splitlines()[0], REPO / "bench" / "facts_results.json")
    load_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="changju-facts-") as tmp:
        root = Path(tmp)
        os.environ["CHANGJU_CACHE_DIR"] = str(root / "cache")  # an empty OCR cache: any page read would show
        base = root / "baseline"
        base.mkdir()
        sha = realdocs.export(args.baseline, base)
        results = {}
        for label, p in realdocs.two_packets(root).items():
            b, c = realdocs.medians(base, p, args.repeats)
            results[label] = {"baseline_s": round(b, 3), "current_s": round(c, 3), "ratio": round(c / b, 3),
                              "target_ratio": TARGET, "met": c / b <= TARGET + NOISE,
                              "pages_read": sum(1 for _ in (root / "cache" / "scans").rglob("*.json")) if (root / "cache" / "scans").exists() else 0}
    realdocs.write_results(args.out, args.baseline, sha, args.repeats, load_start, results, noise=NOISE)
    print("| packet (well named, full manifest) | before issue 27 | now | ratio | target | met? | pages OCR'd |")
    print("|---|---|---|---|---|---|---|")
    for label, r in results.items():
        print(f"| {label} | {r['baseline_s']:.3f} s | {r['current_s']:.3f} s | {r['ratio']:.2f}× | ≤ {TARGET}× (±{NOISE}) | "
              f"{'yes' if r['met'] else 'no'} | {r['pages_read']} |")


if __name__ == "__main__":
    main()
