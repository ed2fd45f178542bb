#!/usr/bin/env python3
"""The changju-check benchmark: every target a ratio against its baseline, measured side by side.

    python bench/run.py             # the full run (200 packets × 25 PDFs; a few minutes on 2 cores)
    python bench/run.py --quick     # tiny corpus, one round (the test suite's smoke test)

Each target compares `changju` with the unavoidable work of the same job, done by a bare library
in a process of its own (bench/baselines.py; bench/bare_app.py for start-up): both run as whole
processes, alternately (the order rotates every round), and the figure is the ratio of their
medians. A busy moment on a shared machine then slows both alike, so the ratio holds where an
absolute time would not. The load average and the machine are recorded beside the figures.

What a baseline does is recorded from the checker (bench/record.py): the pages whose text the
rules make `check` extract, the pages `--read-scans` OCRs, the thumbnails `--format html`
renders — never a hand-kept copy of the rules' choices.

Prints every ratio with its baseline and ends with `all met` or what is not met; writes
bench/results.json (or --out); the documentation site shows the table made from it (docs/hooks.py,
through bench/table.py) whenever the site is built. Benchmarks are not tests: the exit code is 0
whether or not a target is met.
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
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import corpus as corpus_mod  # noqa: E402 - bench/ is not a package
import table  # noqa: E402

PY = sys.executable
DEFAULT_OUT = BENCH / "results.json"
SEASON_OUT = BENCH / "season_results.json"

# --------------------------------------------------------------------------- targets
# kind "max": checker time ÷ baseline time must be at most the limit;
# kind "min": baseline time ÷ checker time (the checker's share of the baseline's throughput) at least.
# kind "max_mb": an amount of memory (MB) must be at most the limit.
# A key "batch_j1@200" is the target "batch_j1" at a batch of 200 packets.
TARGETS = {
    "startup_help": ("max", 1.2),
    "startup_list_required": ("max", 1.2),
    "batch_j1": ("min", 0.85),
    "batch_j2": ("min", 0.85),
    "speedup_j2": ("min", 1.8),
    "read_scans": ("min", 0.90),
    "html": ("max", 1.0),
    "season_memory": ("max_mb", 300),
}
BATCH_SIZES = (50, 200, 800)
SEASON_SIZES = (800, 2000)  # and --season (10,000): the main process's peak memory, a line fitted through them
SCAN_TIMEOUT = 600  # s per file for the --read-scans runs (the default 30 s is a safety limit, not a speed)
FORBIDDEN_AT_STARTUP = ("pypdf", "rich.table", "rapidocr", "onnxruntime", "pypdfium2")

# --------------------------------------------------------------------------- running things


def child_env(**extra: str) -> dict:
    env = dict(os.environ)
    paths = [str(REPO)] + ([extra.pop("PYTHONPATH")] if "PYTHONPATH" in extra else [])
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    for var in ("CHANGJU_LANG", "PYTHONDONTWRITEBYTECODE", "CHANGJU_NO_RULE_CACHE"):
        env.pop(var, None)  # measure with .pyc files and the rule cache, as an installed tool runs
    env.update(extra)
    return env


def run(cmd: list[str], env: dict, ok=(0,)) -> dict:
    """One child process: wall time, CPU time (user + system, with its waited-for workers), peak RSS."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if proc.stderr:
        proc.stderr.close()
    if code not in ok:
        raise RuntimeError(f"{' '.join(cmd)} exited {code}:\n{err.decode(errors='replace')[-2000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024}


def side_by_side(jobs: dict[str, tuple[list[str], dict, tuple]], rounds: int, warm=True) -> dict[str, dict]:
    """Run the jobs once to warm up (page cache, .pyc, rule cache: all of them, or the names in
    `warm`), then `rounds` rounds of all of them, the order rotated each round. Returns per job
    the medians and every wall time."""
    names = list(jobs)
    for name in names if warm is True else (warm or ()):
        cmd, env, ok = jobs[name]
        run(cmd, env, ok)
    got: dict[str, list[dict]] = {n: [] for n in names}
    for r in range(rounds):
        order = names[r % len(names):] + names[: r % len(names)]
        for name in order:
            cmd, env, ok = jobs[name]
            got[name].append(run(cmd, env, ok))
    return {
        n: {
            "wall_s": r4(statistics.median(x["wall"] for x in runs)),
            "min_wall_s": r4(min(x["wall"] for x in runs)),
            "cpu_s": r4(statistics.median(x["cpu"] for x in runs)),
            "rss_mb": r2(max(x["rss_mb"] for x in runs)),
            "walls": [r4(x["wall"]) for x in runs],
        }
        for n, runs in got.items()
    }


def child_json(cmd: list[str], env: dict) -> dict:
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])} exited {proc.returncode}:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout)


def imported_modules(cmd: list[str], env: dict) -> list[str]:
    proc = subprocess.run([PY, "-X", "importtime", *cmd[1:]], cwd=REPO, env=env, capture_output=True, text=True)
    mods = []
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name and name != "package":
                mods.append(name)
    return mods


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def loadavg() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def r2(x: float) -> float:
    return round(x, 2)


def r4(x: float) -> float:
    return round(x, 4)


def log(msg: str) -> None:
    sys.stderr.write(msg + "\n")
    sys.stderr.flush()


# --------------------------------------------------------------------------- rows


class Rows:
    def __init__(self) -> None:
        self.rows: list[dict] = []

    def target(self, key: str, measure: str, baseline: str, ratio: float | None, detail: str,
               note: str | None = None) -> None:
        kind, limit = TARGETS[key.split("@")[0]]
        if kind == "max_mb":
            target = f"≤ {limit:g} MB"
        else:
            target = f"≤ {limit:g}×" if kind == "max" else (f"≥ {limit:.0%}" if limit < 1.5 else f"≥ {limit:g}×")
        if ratio is None:
            met = None
        else:
            met = ratio <= limit if kind in ("max", "max_mb") else ratio >= limit
        if ratio is None:
            shown = None
        elif kind == "max_mb":
            shown = f"{ratio:.0f} MB"
        else:
            shown = f"{ratio:.0%}" if kind == "min" and limit < 1.5 else f"{ratio:.2f}×"
        self.rows.append({"key": key, "measure": measure, "baseline": baseline, "target": target,
                          "ratio": None if ratio is None else r4(ratio), "shown": shown, "detail": detail,
                          "met": met, "note": note})

    def reference(self, key: str, measure: str, baseline: str, shown: str, detail: str) -> None:
        self.rows.append({"key": key, "measure": measure, "baseline": baseline, "target": "—", "ratio": None,
                          "shown": shown, "detail": detail, "met": None, "note": None})


# --------------------------------------------------------------------------- the measurements


def bench_startup(root: Path, rounds: int, rows: Rows, env: dict) -> dict:
    shape = child_json([PY, str(BENCH / "bare_app.py"), "dump"], env)
    bare_dir = root / "bare"
    sys.path.insert(0, str(BENCH))
    import bare_app

    bare_app.write(bare_dir, shape)
    bare_env = child_env(PYTHONPATH=str(bare_dir), CHANGJU_CACHE_DIR=env["CHANGJU_CACHE_DIR"])
    real, bare = [PY, "-m", "changju_check"], [PY, "-m", "bare_changju"]
    # the list-required baseline: Typer and rich imported, the same table printed (its text
    # recorded from the checker, so the baseline writes exactly the same bytes)
    table_text = root / "list-required.txt"
    table_text.write_bytes(subprocess.run([*real, "list-required", "youth"], cwd=REPO, env=env, check=True,
                                          capture_output=True).stdout)
    typer_rich = [PY, "-c", "import sys, typer, rich; sys.stdout.buffer.write(open(sys.argv[1], 'rb').read())",
                  str(table_text)]
    got = side_by_side({
        "bare_help": ([*bare, "--help"], bare_env, (0,)),
        "help": ([*real, "--help"], env, (0,)),
        "typer_rich_table": (typer_rich, env, (0,)),
        "list_required": ([*real, "list-required", "youth"], env, (0,)),
        "bare_list_required": ([*bare, "list-required", "youth"], bare_env, (0,)),
        "explain": ([*real, "explain", "CJ101"], env, (0,)),
        "python_c_pass": ([PY, "-c", "pass"], env, (0,)),
    }, rounds)
    mods = imported_modules([*real, "--help"], env)
    forbidden = sorted({m for m in mods for f in FORBIDDEN_AT_STARTUP if m == f or m.startswith(f + ".")})
    shape_n = bare_app.count(shape)
    out = {**got, "shape": shape_n, "help_modules": len(mods), "help_forbidden_imported": forbidden}
    same = f"bare Typer app, same shape ({shape_n['commands']} commands, {shape_n['parameters']} parameters)"
    # A start-up is short and always the same work: noise only ever adds to it, so the fastest of
    # the alternating runs is the closest to the work itself (the medians are kept beside it).
    for key, name, base, label, desc in (
            ("startup_help", "help", "bare_help", "`changju --help`", same),
            ("startup_list_required", "list_required", "typer_rich_table", "`changju list-required youth`",
             "`python -c \"import typer, rich\"` writing the same table")):
        c, b = got[name]["min_wall_s"], got[base]["min_wall_s"]
        cm, bm = got[name]["wall_s"], got[base]["wall_s"]
        cc, bc = got[name]["cpu_s"], got[base]["cpu_s"]
        extra = ""
        if name == "list_required":
            extra = (f"; the bare Typer app of the same shape: {got['bare_list_required']['min_wall_s']:.3f} s; "
                     f"`explain CJ101` {got['explain']['min_wall_s']:.3f} s")
        rows.target(key, f"start-up: {label}", desc, c / b,
                    f"fastest of {rounds}: {c:.3f} s vs {b:.3f} s; medians {cm:.3f} s vs {bm:.3f} s ({cm / bm:.2f}×); "
                    f"CPU {cc:.3f} s vs {bc:.3f} s ({cc / bc:.2f}×)" + extra)
    rows.reference("startup_modules", "modules imported by `--help`", "—",
                   "none of them" if not forbidden else "imports " + ", ".join(forbidden),
                   f"{len(mods)} modules; forbidden: {', '.join(FORBIDDEN_AT_STARTUP)}")
    log(f"start-up (fastest): --help {got['help']['min_wall_s']:.3f} s (bare {got['bare_help']['min_wall_s']:.3f}), "
        f"list-required {got['list_required']['min_wall_s']:.3f} s (bare {got['bare_list_required']['min_wall_s']:.3f}); "
        f"python -c pass {got['python_c_pass']['min_wall_s']:.3f} s")
    out["check_formats"] = _check_formats(shape)
    return out


def _check_formats(shape: dict) -> list[str]:
    for c in shape["commands"]:
        if c["name"] == "check":
            for p in c["params"]:
                if "--format" in p["opts"]:
                    a = p["annotation"]
                    while a["kind"] in ("optional", "list"):
                        a = a["of"]
                    return list(a.get("values", []))
    return []


def bench_batch(root: Path, corpus: dict, rounds: int, rows: Rows, env: dict, sizes: tuple[int, ...]) -> dict:
    """`check --batch` with 1 and 2 workers beside the tight baseline, at each batch size (the
    first N packets of the corpus, as hard links: a batch root of their own)."""
    out: dict = {"sizes": {}, "rounds": rounds}
    one_core = cores() < 2
    base_desc = ("tight loop: read every file into memory, open it with pypdf (or PIL), extract the text of "
                 "the pages the checker extracted")
    for n in sizes:
        batch_root = corpus_mod.linked_batch(corpus["corpus"], root / f"batch-{n}", n)
        packets = sorted(p.parent for p in batch_root.glob("*/changju.yaml"))
        plan_path = root / f"text-plan-{n}.json"
        subprocess.run([PY, str(BENCH / "record.py"), "text", str(plan_path), *map(str, packets)], cwd=REPO, env=env,
                       check=True)
        plan = json.loads(plan_path.read_text(encoding="utf-8"))
        text_pages = sum(len(w) for files in plan["packets"] for _, w in files if w != "image")
        jobs = {}
        for j in (1, 2):
            jobs[f"changju_j{j}"] = ([PY, "-m", "changju_check", "check", "--batch", str(batch_root), "--jobs", str(j),
                                      "--format", "json"], env, (0,))  # every corpus packet checks clean
            jobs[f"baseline_j{j}"] = ([PY, str(BENCH / "baselines.py"), "tight", str(plan_path), str(j)], env, (0,))
        before = loadavg()
        # the recording run has read every file and filled the rule cache: no separate warm-up
        got = side_by_side(jobs, rounds, warm=False)
        size = {"packets": n, "text_pages_per_packet": r2(text_pages / n), "codes": plan["codes"],
                "extract_calls_per_packet": r2(plan["extract_calls"] / n), "loadavg": [before, loadavg()], **got}
        out["sizes"][str(n)] = size
        load = f"load {before[0]:g}" if before else "load unknown"
        for j in (1, 2):
            c, b = got[f"changju_j{j}"], got[f"baseline_j{j}"]
            rows.target(f"batch_j{j}@{n}", f"default check, batch of {n}, {j} worker{'s' if j > 1 else ''}",
                        base_desc + (" (Pool(2), a packet per task)" if j > 1 else ""), b["wall_s"] / c["wall_s"],
                        f"{n / c['wall_s']:.1f} vs {n / b['wall_s']:.1f} packets/s; by CPU time "
                        f"{b['cpu_s'] / c['cpu_s']:.0%}; {load}")
        speed = got["changju_j1"]["wall_s"] / got["changju_j2"]["wall_s"]
        base_speed = got["baseline_j1"]["wall_s"] / got["baseline_j2"]["wall_s"]
        size["speedup"], size["speedup_baseline"] = r2(speed), r2(base_speed)
        rows.target(f"speedup_j2@{n}", f"default check, batch of {n}, speed-up from the 2nd worker",
                    "the same checker with 1 worker", None if one_core else speed,
                    f"the tight baseline's own: {base_speed:.2f}×; {load}",
                    note="one core: not measurable" if one_core else None)
        log(f"batch {n}: {text_pages / n:.1f} text pages a packet; j1 {n / got['changju_j1']['wall_s']:.1f} vs "
            f"{n / got['baseline_j1']['wall_s']:.1f} packets/s; j2 {n / got['changju_j2']['wall_s']:.1f} vs "
            f"{n / got['baseline_j2']['wall_s']:.1f}; speed-up {speed:.2f}× (baseline {base_speed:.2f}×)")
        shutil.rmtree(batch_root, ignore_errors=True)
    return out


def run_polled(cmd: list[str], env: dict, ok=(0, 1)) -> dict:
    """One child process, its memory read from /proc while it runs: the main process's peak RSS
    (VmHWM) and the largest of its children's (the workers), beside wall and CPU time."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    main_peak, worker_peak, samples = 0, 0, []

    def hwm(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        except (OSError, ValueError):
            pass
        return 0

    while proc.poll() is None:
        main_peak = max(main_peak, hwm(proc.pid))
        try:
            children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        except OSError:
            children = []
        for c in children:
            worker_peak = max(worker_peak, hwm(int(c)))
        samples.append((round(time.perf_counter() - start, 2), round(main_peak / 1024, 1)))
        time.sleep(0.05)
    wall = time.perf_counter() - start
    err = proc.stderr.read() if proc.stderr else b""
    code = proc.returncode
    if code not in ok:
        raise RuntimeError(f"{' '.join(cmd)} exited {code}:\n{err.decode(errors='replace')[-2000:]}")
    return {"wall_s": r2(wall), "main_peak_mb": r2(main_peak / 1024), "worker_peak_mb": r2(worker_peak / 1024),
            "samples": samples[:: max(1, len(samples) // 50)]}


def bench_season(root: Path, corpus: dict, rows: Rows, env: dict, season: int, partial: Path | None = None) -> dict:
    """The main process's peak memory over a season's batch (`--only season`): batches of
    SEASON_SIZES and `season` packets, 2 workers, JSON to stdout; a line fitted through them.
    Each size's figures are written to `partial` as soon as they are measured (the 10,000-packet
    batch takes many minutes: a run stopped half-way keeps what it measured)."""
    sizes = sorted({*SEASON_SIZES, season} if season else set(SEASON_SIZES))
    out: dict = {"sizes": {}}
    for n in sizes:
        batch_root = corpus_mod.linked_batch(corpus["corpus"], root / f"season-{n}", n)
        before = loadavg()
        got = run_polled([PY, "-m", "changju_check", "check", "--batch", str(batch_root), "--jobs", "2", "--format",
                          "json"], env)
        got["loadavg"] = [before, loadavg()]
        out["sizes"][str(n)] = got
        log(f"season {n}: main process peak {got['main_peak_mb']} MB, workers {got['worker_peak_mb']} MB, "
            f"{got['wall_s']} s (load {before[0] if before else '?'})")
        shutil.rmtree(batch_root, ignore_errors=True)
        if partial is not None:
            partial.parent.mkdir(parents=True, exist_ok=True)
            partial.write_text(json.dumps({"season": out, "machine": {"cpu": cpu_model(), "cores": cores()}},
                                          ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    xs = [float(n) for n in sizes]
    ys = [out["sizes"][str(n)]["main_peak_mb"] for n in sizes]
    slope, intercept = _fit(xs, ys)
    out["fit"] = {"mb_per_1000_packets": r2(slope * 1000), "intercept_mb": r2(intercept),
                  "at_10000_mb": r2(intercept + slope * 10000)}
    top = sizes[-1]
    measured_top = out["sizes"][str(top)]["main_peak_mb"]
    rows.target(f"season_memory@{top}", f"peak memory of the main process, batch of {top:,} packets (2 workers)",
                "— (an amount, not a ratio: the issue's flat line)",
                measured_top if top >= 10000 else intercept + slope * 10000,
                ("measured" if top >= 10000 else "fitted to 10,000 from " + ", ".join(f"{n:,}" for n in sizes))
                + f"; {', '.join(f'{n:,}: {y:.0f} MB' for n, y in zip(sizes, ys))}; "
                f"growth {slope * 1000:.2f} MB per 1,000 packets; workers' peak "
                f"{max(out['sizes'][str(n)]['worker_peak_mb'] for n in sizes):.0f} MB")
    return out


def _fit(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """Least-squares line through the points: (slope, intercept)."""
    if len(xs) < 2:
        return 0.0, ys[0] if ys else 0.0
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else 0.0
    return slope, my - slope * mx


def bench_scans(root: Path, corpus: dict, rounds: int, rows: Rows, env: dict, quick: bool) -> dict:
    label = "`check --read-scans`, pages per second"
    base_desc = "rapidocr alone on the same page images at the same size (one process, all cores)"
    if not (has("rapidocr") and has("onnxruntime") and has("pypdfium2")):
        rows.target("read_scans", label, base_desc, None, "not measured: the [scan] extra is not installed")
        return {"measured": False, "reason": "no [scan] extra"}
    packet = root / "ocr-packet"
    replaced = corpus_mod.build_ocr_packet(corpus["one_packet"], packet, limit=1 if quick else None)
    if not replaced:
        rows.target("read_scans", label, base_desc, None, "not measured: tests/scans is missing")
        return {"measured": False, "reason": "no scan corpus"}
    plan_path = root / "ocr-plan.json"
    subprocess.run([PY, str(BENCH / "record.py"), "ocr", str(plan_path), str(packet), str(root / "ocr-cache")],
                   cwd=REPO, env=env, check=True)
    plan = json.loads(plan_path.read_text(encoding="utf-8"))
    pages = plan["ocr_pages"]
    if not pages:
        rows.target("read_scans", label, base_desc, None, "not measured: no page was OCR'd")
        return {"measured": False, "reason": "no page OCR'd", "plan": plan}
    got = side_by_side({
        # --file-timeout: on a busy shared machine a page can outlast the 30 s safety limit, and a file
        # given up on is work the baseline never does; the limit changes nothing else
        "changju": ([PY, "-m", "changju_check", "check", str(packet), "--read-scans", "--no-cache", "--file-timeout",
                     str(SCAN_TIMEOUT), "--format", "json"], env, (0, 1)),
        "baseline": ([PY, str(BENCH / "baselines.py"), "ocr", str(plan_path)], env, (0,)),
    }, rounds, warm=False)  # the recording run has read the images and loaded the models once already
    c, b = got["changju"]["wall_s"], got["baseline"]["wall_s"]
    share = plan["unneeded"] / pages
    rows.target("read_scans", label, base_desc, b / c,
                f"{pages / c:.2f} vs {pages / b:.2f} pages/s ({pages} pages OCR'd, {len(replaced)} scanned files, "
                f"cold); OCR'd pages no fact needed: {plan['unneeded']} ({share:.0%})")
    log(f"scans: {pages} pages, checker {c:.2f} s, bare rapidocr {b:.2f} s; unneeded {plan['unneeded']}")
    return {"measured": True, "files_scanned": len(replaced), "ocr_pages": pages, "facts": plan["facts"],
            "unneeded_pages": plan["unneeded"], "unneeded_share": r4(share),
            "dpi": sorted({p["dpi"] for p in plan["pages"]}), **got}


def bench_html(root: Path, corpus: dict, rounds: int, rows: Rows, env: dict, formats: list[str]) -> dict:
    label = f"`check --format html` over `--format json`, {corpus['files_per_packet']}-file packet"
    base_desc = "pypdfium2 alone rendering the same pictures (same pages, same scale), each JPEG-encoded once"
    if "html" not in formats:
        rows.target("html", label, base_desc, None, "not measured: no html format")
        return {"measured": False, "reason": "no html format"}
    if not has("pypdfium2"):
        rows.target("html", label, base_desc, None, "not measured: pypdfium2 is not installed")
        return {"measured": False, "reason": "no pypdfium2"}
    packet = corpus["one_packet"]
    plan_path, out_html = root / "thumbs-plan.json", root / "report.html"
    subprocess.run([PY, str(BENCH / "record.py"), "thumbs", str(plan_path), str(packet), str(out_html)], cwd=REPO,
                   env=env, check=True)
    plan = json.loads(plan_path.read_text(encoding="utf-8"))
    if not plan["renders"]:
        rows.target("html", label, base_desc, None, "not measured: the report rendered no page with pypdfium2")
        return {"measured": False, "reason": "no render recorded"}
    got = side_by_side({
        "changju": ([PY, "-m", "changju_check", "check", str(packet), "--format", "html", "--output",
                     str(root / "bench.html")], env, (0, 1)),
        "changju_json": ([PY, "-m", "changju_check", "check", str(packet), "--format", "json"], env, (0, 1)),
        "baseline": ([PY, str(BENCH / "baselines.py"), "thumbs", str(plan_path)], env, (0,)),
    }, rounds, warm=False)  # the recording run has rendered the same pages once already
    c, j, b = got["changju"]["wall_s"], got["changju_json"]["wall_s"], got["baseline"]["wall_s"]
    cc, jc, bc = got["changju"]["cpu_s"], got["changju_json"]["cpu_s"], got["baseline"]["cpu_s"]
    size = (root / "bench.html").stat().st_size / 1024 / 1024
    rows.target("html", label, base_desc, (c - j) / b,
                f"the sheet {c:.2f} s − the JSON check {j:.2f} s = {c - j:.2f} s over the bare renderer's {b:.2f} s; "
                f"CPU {cc:.2f} − {jc:.2f} = {cc - jc:.2f} s vs {bc:.2f} s ({plan['pages']} pictures; report {size:.2f} MB)")
    return {"measured": True, "thumbnails": plan["pages"], "report_mb": r2(size), **got}


def bench_memory(root: Path, corpus: dict, rows: Rows, env: dict) -> dict:
    """For reference: peak memory of `check` on a packet with big scans, beside pypdf opening the
    same files (the scans are read lazily: neither should grow with their size)."""
    packet = corpus["scan_packet"]
    plan_path = root / "mem-plan.json"
    files = [[str(p), []] for p in sorted(packet.rglob("*.pdf"))]
    plan_path.write_text(json.dumps({"packets": [files]}), encoding="utf-8")
    got = side_by_side({
        "changju": ([PY, "-m", "changju_check", "check", str(packet), "--format", "json"], env, (0, 1)),
        "baseline": ([PY, str(BENCH / "baselines.py"), "pdf", str(plan_path), "1"], env, (0,)),
    }, 1, warm=False)
    c, b = got["changju"]["rss_mb"], got["baseline"]["rss_mb"]
    rows.reference("memory", f"peak RSS, packet with {corpus['big_files']} × {corpus['big_file_mb'][0] if corpus['big_file_mb'] else 0:g} MB scans",
                   "pypdf opening the same files", f"{c:.0f} MB", f"baseline {b:.0f} MB")
    return got


# --------------------------------------------------------------------------- main


def bench(args) -> dict:
    rounds = 1 if args.quick else args.rounds
    results: dict = {"loadavg_start": loadavg()}
    t0 = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="changju-bench-"))  # outside the repository
    rows = Rows()
    env = child_env(CHANGJU_CACHE_DIR=str(root / "cache"))  # the bench's own rule cache, warmed by the first run
    try:
        corpus = corpus_mod.build_corpus(root, args.packets, args.files, args.big, args.big_mb)
        sizes = tuple(sorted(set(args.sizes)))
        results["corpus"] = {k: v for k, v in corpus.items() if not isinstance(v, Path)}
        results["corpus"]["generation_s"] = r2(time.perf_counter() - t0)
        log(f"corpus: {corpus['packets']} packets × {corpus['files_per_packet']} PDFs ({corpus['corpus_mb']} MB), "
            f"in {results['corpus']['generation_s']} s  [{root}]")
        sections = [("startup", lambda: bench_startup(root, rounds * 5 if not args.quick else 3, rows, env))]
        sections.append(("batch", lambda: bench_batch(root, corpus, rounds, rows, env, sizes)))
        sections.append(("scans", lambda: bench_scans(root, corpus, max(1, rounds - 1), rows, env, args.quick)))
        sections.append(("html", lambda: bench_html(root, corpus, rounds, rows, env,
                                                    results["startup"].get("check_formats", []))))
        sections.append(("memory", lambda: bench_memory(root, corpus, rows, env)))
        sections.append(("season", lambda: bench_season(root, corpus, rows, env, args.season,
                                                        args.out.with_name(args.out.stem + ".partial.json"))))
        for name, fn in sections:
            if name == "season" and not (args.only and "season" in args.only):
                continue  # on demand only: minutes of a busy machine
            if args.only and name not in args.only and not (name == "startup" and "html" in args.only):
                continue  # (the HTML section reads the formats the start-up section found)
            before = loadavg()
            results[name] = fn()
            results[name]["loadavg"] = [before, loadavg()]
    finally:
        if args.keep:
            log(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    results["rows"] = rows.rows
    results["total_s"] = r2(time.perf_counter() - t0)
    results["loadavg_end"] = loadavg()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--packets", type=int, default=None,
                        help="distinct packets in the corpus (default 200; quick 4); a batch of more repeats them as hard links")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=None,
                        help="batch sizes measured (default 50,200,800; quick 4)")
    parser.add_argument("--season", type=int, default=10000,
                        help="with --only season: the largest batch whose memory is measured (default 10000; 0: "
                             "only 800 and 2,000, fitted)")
    parser.add_argument("--files", type=int, default=25, help="PDFs per packet (default 25)")
    parser.add_argument("--big", type=int, default=None, help="big scans in the memory packet (default 3; quick 1)")
    parser.add_argument("--big-mb", type=float, default=None, help="size of each big scan in MB (default 100; quick 2)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per measurement (default 3)")
    parser.add_argument("--quick", action="store_true", help="tiny corpus, one round (a smoke run)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the JSON")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpus (its path is printed)")
    parser.add_argument("--only", action="append", choices=["startup", "batch", "scans", "html", "memory", "season"],
                        help="measure only this section (repeatable); season (never part of the full run): the main "
                             "process's memory over 800, 2,000 and --season packets")
    args = parser.parse_args(argv)
    args.packets = args.packets if args.packets is not None else (4 if args.quick else 200)
    args.sizes = args.sizes or ([4] if args.quick else list(BATCH_SIZES))
    args.big = args.big if args.big is not None else (1 if args.quick else 3)
    args.big_mb = args.big_mb if args.big_mb is not None else (2.0 if args.quick else 100.0)
    if args.only == ["season"] and args.out.resolve() == DEFAULT_OUT.resolve():
        args.out = SEASON_OUT  # the site's benchmarks table shows it beside results.json's rows
        args.big = 0
    elif args.only and args.out.resolve() == DEFAULT_OUT.resolve():
        parser.error("--only measures a part: give --out, results.json holds whole runs only")
    if args.packets < 1 or args.files < 1 or args.big < 0 or args.big_mb <= 0 or args.rounds < 1:
        parser.error("--packets, --files and --rounds must be ≥ 1, --big ≥ 0, --big-mb > 0")

    results = bench(args)
    results["machine"] = {
        "cpu": cpu_model(),
        "cores": cores(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    results["options"] = {"packets": args.packets, "files": args.files, "big": args.big, "big_mb": args.big_mb,
                          "rounds": args.rounds, "quick": args.quick, "sizes": args.sizes,
                          "season": args.season if args.only and "season" in args.only else None}
    unmet = [r["measure"] for r in results["rows"] if r["met"] is False]
    unmeasured = [r["measure"] for r in results["rows"] if r["target"] != "—" and r["met"] is None]
    results["all_met"] = not unmet
    results["not_met"] = unmet
    results["not_measured"] = unmeasured
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(table.plain(results))
    print()
    if unmet:
        print("not met: " + "; ".join(unmet))
    else:
        print("all met" + (f" (not measured: {'; '.join(unmeasured)})" if unmeasured else ""))
    print(f"({results['total_s']} s; written to {args.out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
