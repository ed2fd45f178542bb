"""The performance table, made from bench/results.json (never typed by hand).

    python bench/table.py            # print the Markdown table
    python bench/table.py --plain    # print the terminal table (what bench/run.py prints)

The documentation site's Benchmarks page shows `markdown(results)`: docs/hooks.py calls it
whenever the site is built, so the page always shows the results.json of its commit.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results.json"
SEASON = BENCH / "season_results.json"  # `run.py --only season`, shown below the full run's rows


def _mark(row: dict) -> str:
    if row["met"] is None:
        return "—" if row["target"] == "—" else "not measured"
    return "yes" if row["met"] else "**no**"


def _load(results: dict) -> str:
    start, end = results.get("loadavg_start"), results.get("loadavg_end")
    if not start or not end:
        return "load average unknown"
    text = f"load average (1 min) {start[0]:g} at the start, {end[0]:g} at the end"
    cores = results.get("machine", {}).get("cores") or 1
    if max(start[0], end[0]) >= cores / 2:
        text += " — a loaded machine, shared with other work: absolute times are slow and noisy, the ratios less so"
    return text


def _result(row: dict) -> str:
    if row["shown"] is None:
        return row["detail"]
    return f"{row['shown']} ({row['detail']})"


def markdown(results: dict, *, with_season: bool = True) -> str:
    """The site's table: the full run's rows, then (`with_season`) the rows of the on-demand
    season run, when bench/season_results.json is there."""
    m, c = results["machine"], results["corpus"]
    lines = [
        f"Measured {m['date'][:10]} on {m['cpu']} ({m['cores']} cores), Python {m['python']}, {_load(results)}; "
        f"corpus: {c['packets']} distinct packets × {c['files_per_packet']} PDFs ({c['pages_per_packet']} pages each)"
        + (f", batches of {', '.join(str(n) for n in results['options']['sizes'])} packets (hard links to them)"
           if results["options"].get("sizes") else "") + "; "
        f"median of {results['options']['rounds']} alternating rounds.",
        "",
        "| Measure | Baseline (same run) | Target | Result | Met? |",
        "|---|---|---|---|---|",
    ]
    for r in results["rows"]:
        lines.append(f"| {r['measure']} | {r['baseline']} | {r['target']} | {_result(r)} | {_mark(r)} |")
    if with_season and SEASON.exists():
        season = json.loads(SEASON.read_text(encoding="utf-8"))
        when = f"`run.py --only season`, {season['machine']['date'][:10]}, {_load(season)}"
        for r in season["rows"]:
            lines.append(f"| {r['measure']} ({when}) | {r['baseline']} | {r['target']} | {_result(r)} | {_mark(r)} |")
    return "\n".join(lines)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def plain(results: dict) -> str:
    """The terminal table: measure, result with its baseline, target, met?"""
    heads = ("measure", "ratio", "target", "met?", "against / figures")
    rows = [(r["measure"].replace("`", ""), r["shown"] or "—", r["target"], _mark(r).strip("*"),
             f"{r['baseline']}: {r['detail']}") for r in results["rows"]]
    widths = [max(_width(x) for x in col) for col in zip(heads, *rows)][:-1]
    out = []
    for i, cells in enumerate([heads, *rows]):
        out.append("  ".join([*(c + " " * (w - _width(c)) for c, w in zip(cells, widths)), cells[-1]]).rstrip())
        if i == 0:
            out.append("  ".join("-" * w for w in widths) + "  " + "-" * 17)
    return f"{_load(results)}; {results['machine']['cpu']}, {results['machine']['cores']} cores\n" + "\n".join(out)


def main(argv: list[str]) -> int:
    results = json.loads(RESULTS.read_text(encoding="utf-8"))
    print(plain(results) if argv[:1] == ["--plain"] else markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
