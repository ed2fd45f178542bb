#!/usr/bin/env python3
"""Default `changju check` time with every real document's text layer read, against a baseline.

    python bench/realdocs_bench.py --baseline f8baabd          # the commit before issue 16
    python bench/realdocs_bench.py --baseline main --repeats 9

Target (issue 16): the default check of the 25-file bench packet (bench/run.py's packet) with text
layers read takes at most 1.5x the baseline's time. Both trees run side by side in one run, in
alternation, each `python -m changju_check check PACKET` in a child process with its tree on
PYTHONPATH: the baseline is exported with `git archive REF` into a temporary folder.

Two packets are measured: the bench packet itself (its PDFs carry a one-line Helvetica text layer)
and the same packet with its nine real documents (ID card, degree report, contract, 社保, 个税, the
three audit reports …) replaced by the text-layer reproductions of tests/realdocs/corpus — the
pages a real download has, CID-font Chinese text, tables of 24 rows.

Writes bench/realdocs_results.json (or --out). Not a test: the exit code is 0 whether or not the
target is met.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "realdocs" / "corpus"
TARGET = 1.5
REAL = {  # bench packet path -> corpus file
    "1-申报单位材料/2020年度财务审计报告.pdf": "audit_2020.pdf",
    "1-申报单位材料/2022年度财务审计报告.pdf": "audit_2022.pdf",
    "2-申报人材料/身份证.pdf": "id_card.pdf",
    "2-申报人材料/学信网学历认证报告.pdf": "chsi.pdf",
    "2-申报人材料/劳动合同.pdf": "contract_fixed.pdf",
    "2-申报人材料/社保缴费记录.pdf": "si_ok.pdf",
    "2-申报人材料/个税2021-2022.pdf": "iit_2021_2022.pdf",
}


def _bench_corpus():
    spec = importlib.util.spec_from_file_location("bench_corpus", REPO / "bench" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def export(ref: str, dest: Path) -> str:
    sha = subprocess.run(["git", "rev-parse", ref], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    # the package, and since the rules moved to the top level (issue 31) the rules/ beside it and the
    # pyproject.toml by which the loader knows a checkout's rules/
    present = subprocess.run(["git", "ls-tree", "--name-only", sha], cwd=REPO, capture_output=True, text=True,
                             check=True).stdout.split()
    paths = [p for p in ("changju_check", "rules", "pyproject.toml") if p in present]
    data = subprocess.run(["git", "archive", sha, *paths], cwd=REPO, capture_output=True, check=True).stdout
    tar = dest / "tree.tar"
    tar.write_bytes(data)
    with tarfile.open(tar) as tf:
        tf.extractall(dest, filter="data")
    tar.unlink()
    return sha


def timed(tree: Path, packet: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(tree))
    env.pop("CHANGJU_LANG", None)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "changju_check", "check", str(packet), "--format", "json"],
                          cwd=tree, env=env, capture_output=True)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise RuntimeError(proc.stderr.decode(errors="replace")[-2000:])
    return wall


def write_results(path: Path, ref: str, sha: str, repeats: int, load_start: float, results: dict, **extra) -> dict:
    """The run's JSON (machine, baseline, load before and after, every packet's figures)."""
    out = {
        "measured": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": f"{platform.processor() or platform.machine()} ({os.cpu_count()} cores), Python {platform.python_version()}",
        "baseline": {"ref": ref, "commit": sha},
        "repeats": repeats,
        **extra,
        "load_average_start": round(load_start, 2),
        "load_average_end": round(os.getloadavg()[0], 2),
        "results": results,
    }
    path.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"baseline {ref} ({sha[:8]}), median of {repeats}, load {load_start:.2f} -> {out['load_average_end']:.2f}")
    return out


def arguments(description: str, out: Path):
    """--baseline, --repeats, --out: the side-by-side benches' command line."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--baseline", default="main", help="git ref of the baseline tree (default: main)")
    ap.add_argument("--repeats", type=int, default=9)
    ap.add_argument("--out", type=Path, default=out)
    return ap.parse_args()


def two_packets(root: Path) -> dict[str, Path]:
    """bench/run.py's 25-file packet, and the same with its real documents from the corpus."""
    corpus = _bench_corpus().build_corpus(root / "bench", 1, 25, 0, 0)
    packet = corpus["one_packet"]
    real = root / "real-packet"
    shutil.copytree(packet, real)
    for rel, name in REAL.items():
        (real / rel).write_bytes((CORPUS / name).read_bytes())
    return {"bench packet": packet, "bench packet with real documents": real}


def medians(base: Path, packet: Path, repeats: int) -> tuple[float, float]:
    """The median times of `check` on `packet` with the baseline tree and with this one: both warmed
    first (.pyc files, the page cache), then `repeats` rounds, the order alternating every round."""
    times: dict[Path, list[float]] = {base: [], REPO: []}
    for tree in (base, REPO):
        timed(tree, packet)
    for i in range(repeats):
        for tree in ((base, REPO) if i % 2 == 0 else (REPO, base)):
            times[tree].append(timed(tree, packet))
    return statistics.median(times[base]), statistics.median(times[REPO])


def main() -> None:
    args = arguments(__doc__.splitlines()[0], REPO / "bench" / "realdocs_results.json")
    load_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="changju-realdocs-") as tmp:
        root = Path(tmp)
        base = root / "baseline"
        base.mkdir()
        sha = export(args.baseline, base)
        results = {}
        for label, p in two_packets(root).items():
            b, c = medians(base, p, args.repeats)
            results[label] = {"baseline_s": round(b, 3), "current_s": round(c, 3), "ratio": round(c / b, 2),
                              "target_ratio": TARGET, "met": c / b <= TARGET}
    write_results(args.out, args.baseline, sha, args.repeats, load_start, results)
    print("| packet | baseline | with text layers read | ratio | target | met? |")
    print("|---|---|---|---|---|---|")
    for label, r in results.items():
        print(f"| {label} | {r['baseline_s']:.3f} s | {r['current_s']:.3f} s | {r['ratio']:.2f}× | ≤ {TARGET}× | "
              f"{'yes' if r['met'] else 'no'} |")


if __name__ == "__main__":
    main()
