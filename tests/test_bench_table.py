"""The benchmark table is bench/results.json's (the site's Benchmarks page shows it: tests/docs/);
every target in it has its baseline and ratio."""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import table  # noqa: E402


def _results() -> dict:
    return json.loads((REPO / "bench" / "results.json").read_text(encoding="utf-8"))


def test_every_target_in_results_json_has_its_baseline_and_ratio():
    results = _results()
    assert {"cpu", "cores"} <= set(results["machine"]) and results["loadavg_start"]
    for row in results["rows"]:
        assert row["baseline"]
        if row["met"] is not None and row["target"] != "—":
            assert row["ratio"] is not None


def test_a_target_not_measured_says_so_and_is_not_counted_as_met():
    results = _results()
    row = dict(results["rows"][0], met=None, ratio=None, shown=None, detail="not measured: no html format",
               target="≤ 2×")
    md = table.markdown({**results, "rows": [row]}, with_season=False)
    assert "not measured: no html format" in md and "| not measured |" in md
    assert "| yes |" not in md


def test_the_table_has_one_row_per_measure():
    results = _results()
    md = table.markdown(results, with_season=False)
    assert md.count("\n| ") == len(results["rows"]) + 1  # the header, then one row each
    assert all(r["measure"] in md for r in results["rows"])


def test_the_season_run_s_rows_follow_when_it_was_run():
    results = _results()
    assert table.SEASON.exists()  # bench/run.py --only season, committed beside results.json
    season = json.loads(table.SEASON.read_text(encoding="utf-8"))
    md = table.markdown(results)
    assert md.count("\n| ") == len(results["rows"]) + len(season["rows"]) + 1
    assert all(f"{r['measure']} (`run.py --only season`" in md for r in season["rows"])
