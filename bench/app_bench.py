#!/usr/bin/env python3
"""The desk app's targets on the 25-file bench packet (bench/corpus.py), as ratios in one run:

1. first checklist: from starting `changju app PACKET --no-browser --port 0` to the checklist page
   (`GET /check`, its verdict and every item in the HTML) <= 1.5 x the wall time of
   `changju check PACKET --format json` — both child processes started the same way, interleaved;
2. one file added: from the copy into the folder to the new verdict (`/api/state`'s version
   moves, as the page's event stream says) <= 0.5 s + the time to inspect that one file (measured
   beside it: `inspect_file` of the same file in a fresh process, median) — and the app inspected
   only that file (`/api/state`'s `inspected`).

    python bench/app_bench.py                 # 5 interleaved runs
    python bench/app_bench.py --repeats 3 --out /tmp/a.json

Writes bench/app_results.json. Not a test: the exit code is 0 whether or not a target is met.
"""

from __future__ import annotations

import argparse
import http.client
import json
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
import corpus as bench_corpus  # noqa: E402  (bench/corpus.py: the bench packet)
import run as bench_run  # noqa: E402  (bench/run.py: the child environment)

FIRST_MAX_RATIO = 1.5
UPDATE_MAX_OVER_S = 0.5
DEFAULT_OUT = REPO / "bench" / "app_results.json"
ENV = bench_run.child_env()
CHANGJU = [bench_run.PY, "-m", "changju_check"]
ADDED = "2-申报人材料/专利/04-一种片上网络拥塞控制方法.pdf"  # a file the packet does not have yet

INSPECT_ONE = r"""
import sys, time
from changju_check.inspect import inspect_file
from changju_check.packet import open_packet
with open_packet(sys.argv[1]) as p:
    pf = next(f for f in p.files if f.path == sys.argv[2])
    t = time.perf_counter(); inspect_file(pf, text_pages=1); print(time.perf_counter() - t)
"""


def check_json(packet: Path) -> float:
    started = time.perf_counter()
    subprocess.run([*CHANGJU, "check", str(packet), "--format", "json"], cwd=REPO, env=ENV, stdout=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


class App:
    def __init__(self, packet: Path) -> None:
        self.started = time.perf_counter()
        self.proc = subprocess.Popen([*CHANGJU, "app", str(packet), "--no-browser", "--port", "0"], cwd=REPO, env=ENV,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        url = self.proc.stdout.readline().decode("utf-8").strip()
        parts = urlsplit(url)
        self.port = parts.port
        status, headers, _ = self.get(parts.path + "?" + parts.query, cookie=False)
        self.cookie = headers["set-cookie"].split(";")[0]

    def get(self, path: str, cookie: bool = True) -> tuple[int, dict, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        conn.request("GET", path, headers={"Host": f"127.0.0.1:{self.port}", **({"Cookie": self.cookie} if cookie else {})})
        answer = conn.getresponse()
        body = answer.read()
        conn.close()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, body

    def state(self) -> dict:
        return json.loads(self.get("/api/state")[2])

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def first_checklist(packet: Path) -> tuple[float, App]:
    app = App(packet)
    status, _, body = app.get("/check")
    took = time.perf_counter() - app.started
    html = body.decode("utf-8")
    assert status == 200 and 'data-verdict="' in html and html.count("data-material=") >= 20, status
    return took, app


def one_file_added(app: App, packet: Path, source: Path) -> tuple[float, list[str]]:
    before = app.state()["version"]
    target = packet / ADDED
    started = time.perf_counter()
    shutil.copy(source, target)
    while True:
        state = app.state()
        if state["version"] > before and not state["busy"]:
            took = time.perf_counter() - started
            break
        if time.perf_counter() - started > 60:
            raise RuntimeError("no new verdict in 60 s")
        time.sleep(0.01)
    return took, state["inspected"]


def inspect_one(packet: Path) -> float:
    out = subprocess.run([bench_run.PY, "-c", INSPECT_ONE, str(packet), ADDED], cwd=REPO, env=ENV, capture_output=True, check=True)
    return float(out.stdout.decode().strip())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()
    cores = bench_run.cores()
    results: dict = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "cores": cores,
        "load_average_at_start": (bench_run.loadavg() or [None])[0],
        "targets": {"first_checklist_over_check": FIRST_MAX_RATIO, "update_over_inspect_one_s": UPDATE_MAX_OVER_S},
    }
    checks, firsts, updates, inspects, inspected = [], [], [], [], []
    with tempfile.TemporaryDirectory(prefix="changju-app-bench-") as tmp:
        root = Path(tmp)
        corpus = bench_corpus.build_corpus(root / "bench", 1, 25, 0, 1)
        pristine = corpus["one_packet"]
        source = pristine / "2-申报人材料/专利/01-一种神经网络加速器及其控制方法.pdf"
        check_json(pristine)  # warm the file cache and the rule cache for both
        for i in range(args.repeats):
            packet = root / f"run{i}"
            shutil.copytree(pristine, packet)
            checks.append(check_json(packet))
            took, app = first_checklist(packet)
            firsts.append(took)
            try:
                time.sleep(0.5)  # the watcher is up; the pictures are being drawn, as when she looks
                took, files = one_file_added(app, packet, source)
                updates.append(took)
                inspected.append(files)
            finally:
                app.stop()
            inspects.append(inspect_one(packet))
            shutil.rmtree(packet)
    check_s, first_s = statistics.median(checks), statistics.median(firsts)
    update_s, inspect_s = statistics.median(updates), statistics.median(inspects)
    results["bench_packet"] = {
        "files": 25,
        "check_json_s": round(check_s, 3),
        "first_checklist_s": round(first_s, 3),
        "first_over_check": round(first_s / check_s, 2),
        "update_s": round(update_s, 3),
        "inspect_one_s": round(inspect_s, 3),
        "update_minus_inspect_one_s": round(update_s - inspect_s, 3),
        "inspected_after_add": inspected[0] if inspected else None,
        "runs": {"check_json": [round(x, 3) for x in checks], "first": [round(x, 3) for x in firsts], "update": [round(x, 3) for x in updates]},
    }
    r = results["bench_packet"]
    r["met"] = {
        "first_checklist": r["first_over_check"] <= FIRST_MAX_RATIO,
        "update": r["update_minus_inspect_one_s"] <= UPDATE_MAX_OVER_S and all(f == [ADDED] for f in inspected),
    }
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"check --format json {check_s:.2f} s · first checklist {first_s:.2f} s = {r['first_over_check']:.2f}x (target <= {FIRST_MAX_RATIO}x): "
          f"{'met' if r['met']['first_checklist'] else 'NOT MET'}")
    print(f"one file added: new verdict in {update_s:.3f} s, inspecting that file {inspect_s:.3f} s, difference {r['update_minus_inspect_one_s']:.3f} s "
          f"(target <= {UPDATE_MAX_OVER_S} s; inspected {inspected[0] if inspected else '-'}): {'met' if r['met']['update'] else 'NOT MET'}")
    print(f"{cores} cores, load average {results['load_average_at_start']} at the start; written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
