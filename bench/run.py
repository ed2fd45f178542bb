#!/usr/bin/env python3
"""The changju-check benchmark: start-up, one packet, batch throughput and peak memory, side by side.

    python bench/run.py                      # full run (200 packets × 25 PDFs, 3 scans of 100 MB)
    python bench/run.py --quick              # tiny corpus, a few seconds (the smoke test uses this)
    python bench/run.py --packets 50 --files 25 --big 2 --out /tmp/r.json

A synthetic corpus is generated in a temporary folder outside the repository (removed at the
end unless --keep): the small PDFs are a few templates made once with pypdf and copied; the
scan-like files are one page whose image XObject is N MB of random bytes, written in 1 MB
chunks. Files are named like real materials (2020年度财务审计报告.pdf, 身份证.pdf, 论文/01-….pdf)
and each packet has a changju.yaml (category youth, as_of 2023-08-31), so the checker does the
work it does on a real packet.

Every measurement runs the CLI in a child process (`python -m changju_check ...` from the
repository, i.e. what the `changju` script runs) and takes its wall time; peak memory is the
child's ru_maxrss from os.wait4. The parent never imports pypdf or the checker, so that its
own memory cannot leak into the children's figures.

Prints a table (target, measured, met?), writes bench/results.json (or --out), and ends with
the markdown table for README's Performance section. Benchmarks are not tests: nothing here
fails a build; the exit code is 0 whether or not a target is met.
"""

from __future__ import annotations

import argparse
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

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable
MiB = 1024 * 1024
DEFAULT_OUT = REPO / "bench" / "results.json"
README = REPO / "bench" / "README.md"

# --------------------------------------------------------------------------- targets

STARTUP_MAX_OVER = 0.15  # s over `python -c pass`
ONE_PACKET_MAX = 0.5  # s wall, 25-file packet
BATCH_MIN_RATIO = 0.80  # of the pypdf-only baseline's throughput
SPEEDUP_MIN = 1.6  # "near-linear" gain from the second worker (2.0 is linear)
PEAK_RSS_MAX_MB = 200.0
FORBIDDEN_AT_STARTUP = ("pypdf", "rich.table")

# --------------------------------------------------------------------------- corpus

MANIFEST = """\
category: youth
as_of: 2023-08-31
unit: {name: 北京某某科技有限公司, type: enterprise}
applicant:
  name: 张三
  nationality: CN
  hired_on: 2021-03-01
  contract: {start: 2022-03-01, end: 2025-02-28}
recommendation: 该同志长期从事人工智能芯片研发工作，主持完成多项核心技术攻关，带领团队实现产品量产，获得发明专利授权十余项，为企业发展作出突出贡献，特此推荐。
entries:
  papers: [面向边缘计算的神经网络加速器设计, 低功耗存算一体芯片架构研究, 稀疏卷积的硬件实现方法, 片上网络的拥塞控制, 混合精度量化训练方法]
  awards: [北京市科学技术奖二等奖, 中国电子学会科技进步奖, 昌平区优秀青年人才]
  patents: [一种神经网络加速器及其控制方法, 一种存算一体单元电路, 一种低功耗片上网络路由器]
  projects: [国家重点研发计划课题, 北京市自然科学基金项目]
"""

# (relative path, template pages): the 25 files of a youth packet, in the guide's order
PACKET_FILES: list[tuple[str, int]] = [
    ("1-申报单位材料/2020年度财务审计报告.pdf", 60),
    ("1-申报单位材料/2021年度财务审计报告.pdf", 60),
    ("1-申报单位材料/2022年度财务审计报告.pdf", 60),
    ("1-申报单位材料/单位诚信声明.pdf", 1),
    ("1-申报单位材料/申报承诺书.pdf", 1),
    ("2-申报人材料/身份证.pdf", 1),
    ("2-申报人材料/学历学位证书.pdf", 1),
    ("2-申报人材料/学信网学历认证报告.pdf", 1),
    ("2-申报人材料/劳动合同.pdf", 3),
    ("2-申报人材料/社保缴费记录.pdf", 1),
    ("2-申报人材料/个税2021-2022.pdf", 1),
    ("2-申报人材料/获奖/01-北京市科学技术奖二等奖.pdf", 1),
    ("2-申报人材料/获奖/02-中国电子学会科技进步奖.pdf", 1),
    ("2-申报人材料/获奖/03-昌平区优秀青年人才.pdf", 1),
    ("2-申报人材料/专利/01-一种神经网络加速器及其控制方法.pdf", 1),
    ("2-申报人材料/专利/02-一种存算一体单元电路.pdf", 1),
    ("2-申报人材料/专利/03-一种低功耗片上网络路由器.pdf", 1),
    ("2-申报人材料/项目/01-国家重点研发计划课题.pdf", 3),
    ("2-申报人材料/项目/02-北京市自然科学基金项目.pdf", 3),
    ("2-申报人材料/论文/01-面向边缘计算的神经网络加速器设计.pdf", 60),
    ("2-申报人材料/论文/02-低功耗存算一体芯片架构研究.pdf", 60),
    ("2-申报人材料/论文/03-稀疏卷积的硬件实现方法.pdf", 3),
    ("2-申报人材料/论文/04-片上网络的拥塞控制.pdf", 3),
    ("2-申报人材料/论文/05-混合精度量化训练方法.pdf", 3),
    ("2-申报人材料/个人诚信声明.pdf", 1),
]
BIG_NAMES = ["2-申报人材料/社保缴费记录.pdf", "2-申报人材料/学历学位证书.pdf", "2-申报人材料/身份证.pdf",
             "1-申报单位材料/单位诚信声明.pdf", "1-申报单位材料/申报承诺书.pdf"]

# Runs in a child (the parent stays free of pypdf): one PDF per page count, each page with a
# small content stream and a Helvetica text line, like the text layer of a printed-to-PDF page.
TEMPLATE_SCRIPT = r"""
import sys
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

out = sys.argv[1]
for pages in map(int, sys.argv[2:]):
    w = PdfWriter()
    font = w._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica")}))
    for n in range(pages):
        page = w.add_blank_page(width=595, height=842)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
        body = DecodedStreamObject()
        body.set_data(("0.9 g 40 40 515 762 re f 0 g BT /F1 11 Tf 72 770 Td (Scanned page %d of %d) Tj ET" % (n + 1, pages)).encode())
        page[NameObject("/Contents")] = w._add_object(body)
    with open(f"{out}/p{pages}.pdf", "wb") as fh:
        w.write(fh)
"""


def write_scan_pdf(path: Path, megabytes: float) -> int:
    """A one-page PDF whose image XObject is `megabytes` of random bytes (8-bit grey, no filter).

    Written in 1 MB chunks; never more than a chunk in memory. Returns the file size."""
    width = 8192
    height = max(1, int(megabytes * MiB) // width)
    length = width * height
    offsets: list[int] = []
    with open(path, "wb") as fh:
        def obj(body: bytes) -> None:
            offsets.append(fh.tell())
            fh.write(body)

        fh.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        obj(b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
        obj(b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n")
        obj(b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>\nendobj\n")
        content = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
        obj(b"4 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (len(content), content))
        obj(b"5 0 obj\n<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Length %d >>\nstream\n" % (width, height, length))
        left = length
        while left:
            n = min(MiB, left)
            fh.write(os.urandom(n))
            left -= n
        fh.write(b"\nendstream\nendobj\n")
        xref = fh.tell()
        fh.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
        for off in offsets:
            fh.write(b"%010d 00000 n \n" % off)
        fh.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref))
        return fh.tell()


def packet_files(n_files: int) -> list[tuple[str, int]]:
    """The first n_files of the 25 real names; beyond 25, more papers (60 and 3 pages)."""
    files = list(PACKET_FILES[:n_files])
    for i in range(len(files), n_files):
        files.append((f"2-申报人材料/论文/{i - 19:02d}-补充论文{i}.pdf", 60 if i % 2 else 3))
    return files


def build_corpus(root: Path, n_packets: int, n_files: int, n_big: int, big_mb: float) -> dict:
    templates = root / "_templates"
    templates.mkdir(parents=True)
    counts = sorted({p for _, p in packet_files(n_files)})
    subprocess.run([PY, "-c", TEMPLATE_SCRIPT, str(templates), *map(str, counts)], check=True)
    blobs = {p: (templates / f"p{p}.pdf").read_bytes() for p in counts}

    corpus = root / "corpus"
    files = packet_files(n_files)
    total_bytes = 0
    for i in range(n_packets):
        packet = corpus / f"{i:04d}-申报人{i}"
        for rel, pages in files:
            path = packet / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(blobs[pages])
            total_bytes += len(blobs[pages])
        (packet / "changju.yaml").write_text(MANIFEST, encoding="utf-8")

    # The scan packet: the same packet, with n_big of its one-page files replaced by big scans.
    # It lives beside the corpus (the batch figures stay about the 25-file packets).
    big = root / "scan-packet"
    for rel, pages in files:
        path = big / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(blobs[pages])
    (big / "changju.yaml").write_text(MANIFEST, encoding="utf-8")
    big_sizes = []
    names = [n for n in BIG_NAMES if any(n == r for r, _ in files)] or [files[-1][0]]
    for k in range(n_big):
        rel = names[k % len(names)]
        if k >= len(names):
            rel = rel.replace(".pdf", f"-{k + 1}.pdf")
        big_sizes.append(write_scan_pdf(big / rel, big_mb))
    shutil.rmtree(templates)
    return {
        "corpus": corpus,
        "one_packet": corpus / f"{0:04d}-申报人0",
        "scan_packet": big,
        "packets": n_packets,
        "files_per_packet": n_files,
        "pages_per_packet": sum(p for _, p in files),
        "corpus_mb": round(total_bytes / MiB, 1),
        "big_files": len(big_sizes),
        "big_file_mb": [round(s / MiB, 1) for s in big_sizes],
    }


# --------------------------------------------------------------------------- running things


def child_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("CHANGJU_LANG", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # measure with .pyc files, as an installed tool runs
    return env


ENV = child_env()
CHANGJU = [PY, "-m", "changju_check"]


def run(cmd: list[str], *, ok=(0,)) -> tuple[float, int, int, float]:
    """Wall time (s), exit code, peak RSS (KiB, ru_maxrss) and CPU time (s, user + system, with the
    child's own waited-for workers) of one child run."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr_fd = proc.stderr
    err = stderr_fd.read() if stderr_fd else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if stderr_fd:
        stderr_fd.close()
    if proc.returncode not in ok:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{err.decode(errors='replace')[-2000:]}")
    return wall, proc.returncode, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def median_wall(cmd: list[str], repeats: int, ok=(0,)) -> float:
    run(cmd, ok=ok)  # warm the page cache and the .pyc files
    return statistics.median(run(cmd, ok=ok)[0] for _ in range(repeats))


def imported_modules(cmd: list[str]) -> list[str]:
    proc = subprocess.run([PY, "-X", "importtime", *cmd[1:]], cwd=REPO, env=ENV, capture_output=True, text=True)
    mods = []
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name and name != "package":
                mods.append(name)
    return mods


BASELINE_SCRIPT = r"""
import os, sys, time
from multiprocessing import Pool

def pdfs(packet):
    for d, _, names in os.walk(packet):
        for n in sorted(names):
            if n.endswith(".pdf"):
                yield os.path.join(d, n)

def one(packet):
    from pypdf import PdfReader
    pages = 0
    for path in pdfs(packet):
        with open(path, "rb") as fh:
            pages += len(PdfReader(fh).pages)
    return pages

root, jobs = sys.argv[1], int(sys.argv[2])
packets = sorted(os.path.join(root, d) for d in os.listdir(root))
if jobs == 1:
    total = sum(map(one, packets))
else:
    with Pool(jobs) as pool:
        total = sum(pool.imap(one, packets, chunksize=1))
print(total)
"""


# Where one process's time goes (in a child, so the parent stays free of the checker).
BREAKDOWN_SCRIPT = r"""
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
from changju_check.engine.run import CheckOptions, check_packet
t1 = time.perf_counter()
from changju_check.rules.load import load_rules
load_rules(None)
t2 = time.perf_counter()
import pypdf
t3 = time.perf_counter()
packets = [Path(p) for p in sys.argv[1:]]
check_packet(packets[0], CheckOptions())
t4 = time.perf_counter()
for p in packets:
    check_packet(p, CheckOptions())
t5 = time.perf_counter()
from changju_check.inspect import inspect_files
from changju_check.packet import open_packet
for p in packets:
    with open_packet(p) as packet:
        inspect_files(packet.files, timeout=5.0)
t6 = time.perf_counter()
n = len(packets)
print(json.dumps({"import_engine_s": t1 - t0, "load_rules_s": t2 - t1, "import_pypdf_s": t3 - t2,
                  "first_packet_s": t4 - t3, "steady_packet_ms": (t5 - t4) / n * 1000,
                  "steady_inspection_ms": (t6 - t5) / n * 1000, "packets": n}))
"""

BASELINE_STEADY_SCRIPT = r"""
import json, os, sys, time
from pypdf import PdfReader
packets = sys.argv[1:]
def one(packet):
    for d, _, names in os.walk(packet):
        for n in sorted(names):
            if n.endswith(".pdf"):
                with open(os.path.join(d, n), "rb") as fh:
                    len(PdfReader(fh).pages)
one(packets[0])
t = time.perf_counter()
for p in packets:
    one(p)
print(json.dumps({"steady_packet_ms": (time.perf_counter() - t) / len(packets) * 1000}))
"""


def child_json(cmd: list[str]) -> dict:
    proc = subprocess.run(cmd, cwd=REPO, env=ENV, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:3])} exited {proc.returncode}:\n{proc.stderr[-2000:]}")
    return {k: (r4(v) if isinstance(v, float) else v) for k, v in json.loads(proc.stdout).items()}


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def loadavg() -> list[float] | None:
    """1, 5 and 15 minute load averages: other processes on the same cores skew every figure."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


# --------------------------------------------------------------------------- the benchmark


def bench(args) -> dict:
    reps_start, reps_one = (2, 1) if args.quick else (10, 5)
    results: dict = {"rows": []}

    def row(name, target, measured, met, **extra):
        results["rows"].append({"measure": name, "target": target, "measured": measured, "met": met, **extra})

    t0 = time.perf_counter()
    results["loadavg_start"] = loadavg()
    root = Path(tempfile.mkdtemp(prefix="changju-bench-"))  # outside the repository
    try:
        corpus = build_corpus(root, args.packets, args.files, args.big, args.big_mb)
        results["corpus"] = {k: (str(v) if isinstance(v, Path) else v) for k, v in corpus.items()
                             if k not in ("corpus", "one_packet", "scan_packet")}
        results["corpus"]["generation_s"] = round(time.perf_counter() - t0, 2)
        log(f"corpus: {corpus['packets']} packets × {corpus['files_per_packet']} PDFs "
            f"({corpus['corpus_mb']} MB) + scan packet with {corpus['big_files']} × {args.big_mb:g} MB, "
            f"in {results['corpus']['generation_s']} s  [{root}]")

        # ---------------------------------------------------------------- start-up
        bare = median_wall([PY, "-c", "pass"], reps_start)
        helpt = median_wall([*CHANGJU, "--help"], reps_start)
        listt = median_wall([*CHANGJU, "list-required", "youth"], reps_start)
        mods = imported_modules([*CHANGJU, "--help"])
        forbidden = sorted({m for m in mods for f in FORBIDDEN_AT_STARTUP if m == f or m.startswith(f + ".")})
        results["startup"] = {
            "python_c_pass_s": r4(bare),
            "help_s": r4(helpt),
            "list_required_s": r4(listt),
            "help_over_bare_s": r4(helpt - bare),
            "list_required_over_bare_s": r4(listt - bare),
            "help_modules": len(mods),
            "help_forbidden_imported": forbidden,
            "help_third_party": sorted({m.split(".")[0] for m in mods if m.split(".")[0] in
                                        ("typer", "click", "rich", "pypdf", "pydantic", "yaml", "dateutil", "shellingham")}),
        }
        row("`changju --help` start-up", f"≤ python -c pass + {STARTUP_MAX_OVER:g} s",
            f"{helpt:.3f} s (+{helpt - bare:.3f} s over {bare:.3f} s)", helpt - bare <= STARTUP_MAX_OVER)
        row("`changju list-required youth`", f"≤ python -c pass + {STARTUP_MAX_OVER:g} s",
            f"{listt:.3f} s (+{listt - bare:.3f} s)", listt - bare <= STARTUP_MAX_OVER)
        row("modules imported by `--help`", "no pypdf, no rich.table",
            f"{len(mods)} modules; " + (("imports " + ", ".join(forbidden)) if forbidden else "neither pypdf nor rich.table"),
            not forbidden)
        log(f"start-up: bare {bare:.3f} s, --help {helpt:.3f} s, list-required {listt:.3f} s")

        # ---------------------------------------------------------------- one packet
        one = median_wall([*CHANGJU, "check", str(corpus["one_packet"]), "--format", "json"], reps_one, ok=(0, 1))
        findings = packet_findings(corpus["one_packet"])
        results["one_packet"] = {"files": corpus["files_per_packet"], "pages": corpus["pages_per_packet"],
                                 "wall_s": r4(one), "findings": findings}
        row(f"`changju check`, one {corpus['files_per_packet']}-file packet", f"< {ONE_PACKET_MAX:g} s",
            f"{one:.3f} s", one < ONE_PACKET_MAX)
        log(f"one packet: {one:.3f} s (findings: {findings})")

        # where the time of a check goes (no target: it explains the figures above and below)
        sample = sorted(p.parent for p in corpus["corpus"].glob("*/changju.yaml"))[: 5 if args.quick else 40]
        breakdown = child_json([PY, "-c", BREAKDOWN_SCRIPT, *map(str, sample)])
        breakdown["baseline_steady_packet_ms"] = child_json([PY, "-c", BASELINE_STEADY_SCRIPT, *map(str, sample)])[
            "steady_packet_ms"]
        results["breakdown"] = breakdown
        log("breakdown: " + ", ".join(f"{k} {v}" for k, v in breakdown.items()))

        # ---------------------------------------------------------------- batch
        n = corpus["packets"]
        batch: dict = {"packets": n}
        reps_batch = 1 if args.quick else 3
        batch["repeats"] = reps_batch
        for jobs in (1, 2):
            checker_cmd = [*CHANGJU, "check", "--batch", str(corpus["corpus"]), "--jobs", str(jobs), "--format", "json"]
            baseline_cmd = [PY, "-c", BASELINE_SCRIPT, str(corpus["corpus"]), str(jobs)]
            walls, bases, cpus, base_cpus = [], [], [], []
            for _ in range(reps_batch):  # interleaved, so that a busy moment hits both alike
                wall, _, _, cpu = run(checker_cmd, ok=(0, 1))
                walls.append(wall)
                cpus.append(cpu)
                wall, _, _, cpu = run(baseline_cmd)
                bases.append(wall)
                base_cpus.append(cpu)
            wall, base = statistics.median(walls), statistics.median(bases)
            batch[f"changju_j{jobs}_cpu_s"] = r4(statistics.median(cpus))
            batch[f"baseline_j{jobs}_cpu_s"] = r4(statistics.median(base_cpus))
            batch[f"cpu_ratio_j{jobs}"] = r4(batch[f"baseline_j{jobs}_cpu_s"] / batch[f"changju_j{jobs}_cpu_s"])
            batch[f"changju_j{jobs}_s"] = r4(wall)
            batch[f"baseline_j{jobs}_s"] = r4(base)
            batch[f"changju_j{jobs}_pps"] = r2(n / wall)
            batch[f"baseline_j{jobs}_pps"] = r2(n / base)
            batch[f"ratio_j{jobs}"] = r4(base / wall)
            log(f"batch -j{jobs}: changju {n / wall:.1f} packets/s, pypdf baseline {n / base:.1f} packets/s")
        batch["speedup_changju"] = r2(batch["changju_j1_s"] / batch["changju_j2_s"])
        batch["speedup_baseline"] = r2(batch["baseline_j1_s"] / batch["baseline_j2_s"])
        results["batch"] = batch
        for jobs in (1, 2):
            ratio = batch[f"ratio_j{jobs}"]
            row(f"batch throughput, {jobs} worker{'s' if jobs > 1 else ''}", f"≥ {BATCH_MIN_RATIO:.0%} of pypdf-only baseline",
                f"{batch[f'changju_j{jobs}_pps']:.1f} packets/s vs {batch[f'baseline_j{jobs}_pps']:.1f} ({ratio:.0%}; "
                f"by CPU time {batch[f'cpu_ratio_j{jobs}']:.0%})",
                ratio >= BATCH_MIN_RATIO)
        cores_n = cores()
        row("speed-up from the 2nd worker", f"≥ {SPEEDUP_MIN:g}× (near-linear)",
            f"{batch['speedup_changju']:.2f}× (baseline {batch['speedup_baseline']:.2f}×)",
            batch["speedup_changju"] >= SPEEDUP_MIN if cores_n >= 2 else None,
            note=None if cores_n >= 2 else "one core: not applicable")

        pdfinfo = shutil.which("pdfinfo")
        if pdfinfo:
            sample = sorted(p for p in corpus["corpus"].rglob("*.pdf"))[: 3 * corpus["files_per_packet"]]
            start = time.perf_counter()
            for p in sample:
                subprocess.run([pdfinfo, str(p)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            per = (time.perf_counter() - start) / len(sample)
            batch["pdfinfo_ms_per_file"] = r2(per * 1000)
            batch["pdfinfo_pps_equiv"] = r2(1 / (per * corpus["files_per_packet"]))
            row("reference: `pdfinfo` per file (poppler)", "—",
                f"{per * 1000:.1f} ms/file ≈ {batch['pdfinfo_pps_equiv']:.1f} packets/s, 1 process", None)
            log(f"pdfinfo: {per * 1000:.1f} ms per file")
        else:
            batch["pdfinfo_ms_per_file"] = None

        # ---------------------------------------------------------------- memory
        bare_rss = run([PY, "-c", "pass"])[2] / 1024
        wall, _, rss, _ = run([*CHANGJU, "check", str(corpus["scan_packet"]), "--format", "json"], ok=(0, 1))
        rss_mb = rss / 1024
        results["memory"] = {"scan_packet_files": corpus["files_per_packet"], "big_files": corpus["big_files"],
                             "big_file_mb": corpus["big_file_mb"], "peak_rss_mb": r2(rss_mb),
                             "python_c_pass_rss_mb": r2(bare_rss), "wall_s": r4(wall),
                             "findings": packet_findings(corpus["scan_packet"])}
        row(f"peak RSS, packet with {corpus['big_files']} × {args.big_mb:g} MB scans", f"< {PEAK_RSS_MAX_MB:g} MB",
            f"{rss_mb:.1f} MB (python -c pass: {bare_rss:.1f} MB)", rss_mb < PEAK_RSS_MAX_MB)
        log(f"memory: peak RSS {rss_mb:.1f} MB on the scan packet ({wall:.2f} s)")
    finally:
        if args.keep:
            log(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)

    results["total_s"] = r2(time.perf_counter() - t0)
    results["loadavg_end"] = loadavg()
    return results


def packet_findings(packet: Path) -> dict[str, int]:
    """Codes found in a packet (to show the checker did realistic work, not a fatal error)."""
    proc = subprocess.run([*CHANGJU, "check", str(packet), "--format", "json"], cwd=REPO, env=ENV,
                          capture_output=True, text=True)
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        return {"unparsable_output": 1}
    found: dict[str, int] = {}
    reports = data if isinstance(data, list) else [data]
    for rep in reports:
        if isinstance(rep, dict) and isinstance(rep.get("reports"), list):
            reports.extend(rep["reports"])
            continue
        if not isinstance(rep, dict):
            continue
        if rep.get("fatal"):
            found["fatal:" + str(rep["fatal"].get("code"))] = 1
        for f in rep.get("findings", []) or []:
            if isinstance(f, dict) and not f.get("waived"):
                found[f.get("code", "?")] = found.get(f.get("code", "?"), 0) + 1
    return dict(sorted(found.items()))


def r2(x: float) -> float:
    return round(x, 2)


def r4(x: float) -> float:
    return round(x, 4)


def log(msg: str) -> None:
    sys.stderr.write(msg + "\n")
    sys.stderr.flush()


def mark(met) -> str:
    return "—" if met is None else ("yes" if met else "**no**")


def markdown_table(results: dict) -> str:
    m = results["machine"]
    lines = [
        f"Measured {m['date'][:10]} on {m['cpu']} ({m['cores']} cores), Python {m['python']}; "
        f"corpus: {results['corpus']['packets']} packets × {results['corpus']['files_per_packet']} PDFs "
        f"({results['corpus']['pages_per_packet']} pages each), {results['corpus']['big_files']} "
        f"scan{'' if results['corpus']['big_files'] == 1 else 's'} of "
        f"{results['options']['big_mb']:g} MB; load average (1 min) {load_text(results)}.",
        "",
        "| Measure | Target | Measured | Met? |",
        "|---|---|---|---|",
    ]
    for r in results["rows"]:
        lines.append(f"| {r['measure']} | {r['target']} | {r['measured']} | {mark(r['met'])} |")
    return "\n".join(lines)


def load_text(results: dict) -> str:
    start, end = results.get("loadavg_start"), results.get("loadavg_end")
    if not start or not end:
        return "unknown"
    return f"{start[0]:g} at the start, {end[0]:g} at the end"


def plain_table(results: dict) -> str:
    heads = ("measure", "target", "measured", "met?")
    rows = [(r["measure"].replace("`", ""), r["target"], r["measured"], mark(r["met"]).strip("*")) for r in results["rows"]]
    widths = [max(disp_width(x) for x in col) for col in zip(heads, *rows)]
    out = []
    for i, cells in enumerate([heads, *rows]):
        out.append("  ".join(c + " " * (w - disp_width(c)) for c, w in zip(cells, widths)).rstrip())
        if i == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def disp_width(s: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def update_readme(markdown: str) -> None:
    """Put the table between the markers of bench/README.md (when both are there)."""
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    try:
        text = README.read_text(encoding="utf-8")
    except OSError:
        return
    if start not in text or end not in text:
        return
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    README.write_text(f"{head}{start}\n{markdown}\n{end}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--packets", type=int, default=None, help="packets in the corpus (default 200; quick 4)")
    parser.add_argument("--files", type=int, default=25, help="PDFs per packet (default 25)")
    parser.add_argument("--big", type=int, default=None, help="scan-like files in the scan packet (default 3; quick 1)")
    parser.add_argument("--big-mb", type=float, default=None, help="size of each scan-like file in MB (default 100; quick 2)")
    parser.add_argument("--quick", action="store_true", help="tiny corpus and few repeats (a few seconds)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the JSON")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpus (its path is printed)")
    args = parser.parse_args(argv)
    args.packets = args.packets if args.packets is not None else (4 if args.quick else 200)
    args.big = args.big if args.big is not None else (1 if args.quick else 3)
    args.big_mb = args.big_mb if args.big_mb is not None else (2.0 if args.quick else 100.0)
    if args.packets < 1 or args.files < 1 or args.big < 0 or args.big_mb <= 0:
        parser.error("--packets and --files must be ≥ 1, --big ≥ 0, --big-mb > 0")

    results = bench(args)
    results["machine"] = {
        "cpu": cpu_model(),
        "cores": cores(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    results["options"] = {"packets": args.packets, "files": args.files, "big": args.big, "big_mb": args.big_mb,
                          "quick": args.quick}
    results["all_met"] = all(r["met"] is not False for r in results["rows"])
    results["markdown"] = markdown_table(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if args.out.resolve() == DEFAULT_OUT.resolve() and not args.quick:
        update_readme(results["markdown"])

    print(plain_table(results))
    print()
    print(f"all targets met: {'yes' if results['all_met'] else 'no'}   ({results['total_s']} s; written to {args.out})")
    print()
    print(results["markdown"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
