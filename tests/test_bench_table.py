"""README's performance table is bench/results.json's (the text is compared, never the timings)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import table  # noqa: E402


def _results() -> dict:
    return json.loads((REPO / "bench" / "results.json").read_text(encoding="utf-8"))


def test_readme_shows_the_table_of_results_json():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert table.block(readme) == table.markdown(_results()), "run: python bench/table.py"


def test_every_target_in_results_json_has_its_baseline_and_ratio():
    results = _results()
    assert {"cpu", "cores"} <= set(results["machine"]) and results["loadavg_start"]
    for row in results["rows"]:
        assert row["baseline"]
        if row["met"] is not None and row["target"] != "—":
            assert row["ratio"] is not None


def test_a_target_not_measured_says_so_and_is_not_counted_as_met(tmp_path):
    results = _results()
    row = dict(results["rows"][0], met=None, ratio=None, shown=None, detail="not measured: no html format",
               target="≤ 2×")
    md = table.markdown({**results, "rows": [row]})
    assert "not measured: no html format" in md and "| not measured |" in md
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{table.START}\nold\n{table.END}\nrest\n", encoding="utf-8")
    assert table.update_readme({**results, "rows": [row]}, readme)
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("intro\n") and text.endswith("\nrest\n") and "old" not in text
