"""Peak memory of `build_book`: it must stay near the largest single input, not the sum.

    python bench/bundle_memory.py                 # 3 scans of 100 MB, 100 pages each: a 300-page book
    python bench/bundle_memory.py --scans 1 --pages 10   # one 100 MB scan of 10 pages
    python bench/bundle_memory.py --jpeg-mb 40    # plus a 40 MB JPEG photo as a material
    python bench/bundle_memory.py --out bench/bundle_memory.json   # where the figures go (default)

Targets (issue 19): peak RSS <= the largest single input + 200 MB, and the 300-page packet of
100 MB scans bundles within 2 GB. Exit 1 when either is missed.

The inputs are generated once in a temporary folder (random noise compresses badly, so a
JPEG of noise is about as big as a scan gets), in a child process; the book is then made in
a fresh child process that reports its own peak RSS (resource.getrusage(RUSAGE_SELF)
.ru_maxrss). A second child that only imports the libraries gives the baseline. The parent
stays small because Linux carries a parent's peak RSS into its children. Linux and macOS
only (resource).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MiB = 1024 * 1024


def _maxrss_mib() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / MiB if sys.platform == "darwin" else rss / 1024  # bytes on macOS, KiB on Linux


def noise_jpeg(width: int, height: int, quality: int = 92) -> bytes:
    from PIL import Image

    im = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    buf = io.BytesIO()
    im.save(buf, format="JPEG", quality=quality)
    return buf.getvalue()


def make_inputs(folder: Path, scan_mb: float, pages: int, jpeg_mb: float, scans: int = 1) -> dict[str, int]:
    import img2pdf
    from reportlab.pdfgen import canvas

    # the form: two plain pages
    c = canvas.Canvas(str(folder / "form.pdf"), pagesize=(595.2756, 841.8898), invariant=1)
    for i in (1, 2):
        c.drawString(72, 760, f"MARKER-form-p{i}")
        c.showPage()
    c.save()

    # each scan: `pages` noise JPEGs of equal size adding up to scan_mb, wrapped by img2pdf (a few
    # distinct images cycled: neither library shares equal streams, so memory is as for distinct ones)
    per_page = scan_mb * MiB / pages
    side = 1000
    probe = len(noise_jpeg(side, side))
    scale = (per_page / probe) ** 0.5
    width, height = int(side * scale / 1.414), int(side * scale * 1.414)  # A4-ish portrait
    distinct = [noise_jpeg(width, height) for _ in range(min(pages, 4))]
    for n in range(scans):
        images = [distinct[(i + n) % len(distinct)] for i in range(pages)]
        with open(folder / f"scan{n + 1}.pdf", "wb") as f:
            img2pdf.convert(images, outputstream=f, engine=img2pdf.Engine.internal, nodate=True)
    del distinct

    if jpeg_mb:
        per = len(noise_jpeg(side, side))
        s = (jpeg_mb * MiB / per) ** 0.5
        (folder / "photo.jpg").write_bytes(noise_jpeg(int(side * s * 1.2), int(side * s / 1.2)))
    return {p.name: p.stat().st_size for p in sorted(folder.iterdir())}


def child(folder: Path, out: Path, baseline: bool) -> None:
    from changju_check.bundle import BookFile, BookMaterial, BookOptions, build_book  # noqa: F401

    import img2pdf  # noqa: F401  (the baseline loads what a real run loads)
    import pypdf  # noqa: F401
    import reportlab.platypus  # noqa: F401

    result = {}
    if not baseline:
        scans = sorted(folder.glob("scan*.pdf"))
        materials = [BookMaterial(f"1.({i + 1})", f"扫描件 {p.name}", (BookFile.from_path(p),)) for i, p in enumerate(scans)]
        if (folder / "photo.jpg").exists():
            materials.append(BookMaterial("2.(1)", "申报人有效身份证件", (BookFile.from_path(folder / "photo.jpg"),)))
        t = time.perf_counter()
        r = build_book([BookFile.from_path(folder / "form.pdf")], materials, out, BookOptions(recto=True))
        result = {"seconds": round(time.perf_counter() - t, 2), "pages": r.total_pages, "font": r.font_name, "out_bytes": out.stat().st_size}
    result["peak_rss_mib"] = round(_maxrss_mib(), 1)
    sys.stdout.write(json.dumps(result) + "\n")


def run_child(folder: Path, out: Path, baseline: bool) -> dict:
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    args = [sys.executable, __file__, "--child", str(folder), str(out)] + (["--baseline"] if baseline else [])
    proc = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"child failed ({proc.returncode}):\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scan-mb", type=float, default=100.0, help="size of each scan (default 100)")
    ap.add_argument("--scans", type=int, default=3, help="scans in the packet (default 3)")
    ap.add_argument("--pages", type=int, default=100, help="pages of each scan (default 100)")
    ap.add_argument("--jpeg-mb", type=float, default=0.0)
    ap.add_argument("--over-largest-mb", type=float, default=200.0, help="allowed above the largest input (200)")
    ap.add_argument("--machine-mb", type=float, default=2048.0, help="the machine it must bundle on (2048)")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "bundle_memory.json")
    ap.add_argument("--workdir", type=Path, help="keep the generated inputs and the book here")
    ap.add_argument("--child", nargs=2, metavar=("FOLDER", "OUT"), help=argparse.SUPPRESS)
    ap.add_argument("--baseline", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--make-inputs", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        child(Path(args.child[0]), Path(args.child[1]), args.baseline)
        return 0
    if args.make_inputs:
        sys.stdout.write(json.dumps(make_inputs(args.make_inputs, args.scan_mb, args.pages, args.jpeg_mb, args.scans)) + "\n")
        return 0

    with tempfile.TemporaryDirectory(prefix="bundle-bench-") as tmp:
        folder = args.workdir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        # generate in a child too: on Linux a child's ru_maxrss starts from its parent's peak
        # at fork, so this process must stay small
        gen = subprocess.run(
            [sys.executable, __file__, "--make-inputs", str(folder), "--scan-mb", str(args.scan_mb),
             "--pages", str(args.pages), "--jpeg-mb", str(args.jpeg_mb), "--scans", str(args.scans)],
            capture_output=True, text=True, check=True,
        )
        sizes = json.loads(gen.stdout.strip().splitlines()[-1])
        base = run_child(folder, folder / "book.pdf", baseline=True)
        res = run_child(folder, folder / "book.pdf", baseline=False)
    largest = max(size for name, size in sizes.items() if name != "form.pdf") / MiB
    total = sum(sizes.values()) / MiB
    limit = min(largest + args.over_largest_mb, args.machine_mb)
    met = res["peak_rss_mib"] <= limit
    print("inputs: " + ", ".join(f"{name} {size / MiB:.1f} MiB" for name, size in sizes.items()))
    print(f"book: {res['pages']} pages, {res['out_bytes'] / MiB:.1f} MiB, font {res['font']}, {res['seconds']} s")
    print(
        f"peak RSS: {res['peak_rss_mib']} MiB (imports alone: {base['peak_rss_mib']} MiB); largest input "
        f"{largest:.1f} MiB, all inputs {total:.1f} MiB; target <= largest + {args.over_largest_mb:.0f} MiB "
        f"and <= {args.machine_mb:.0f} MiB: {'met' if met else 'NOT met'}"
    )
    import platform

    figures = {
        "measured": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_average_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "inputs_mib": {name: round(size / MiB, 1) for name, size in sizes.items()},
        "largest_input_mib": round(largest, 1),
        "all_inputs_mib": round(total, 1),
        "book_pages": res["pages"],
        "book_mib": round(res["out_bytes"] / MiB, 1),
        "seconds": res["seconds"],
        "peak_rss_mib": res["peak_rss_mib"],
        "imports_only_rss_mib": base["peak_rss_mib"],
        "target_mib": round(limit, 1),
        "met": met,
    }
    args.out.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.out}")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
