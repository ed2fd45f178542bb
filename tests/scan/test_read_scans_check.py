"""`changju check --read-scans` end to end (the reading itself is tested in tests/test_scan_*.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from changju_check import scan
from changju_check.cli import app

runner = CliRunner()
ROOT = Path(__file__).parents[2]
SCANS = ROOT / "tests" / "scans"

needs_extra = pytest.mark.skipif(not scan.available(), reason='needs pip install ".[scan]"')


def research_packet(tmp_path: Path, contract_scan: str, manifest_contract: str | None) -> Path:
    root = tmp_path / "packet"
    shutil.copytree(ROOT / "examples" / "research-complete", root)
    (root / "2-申报人材料" / "劳动合同.pdf").unlink()
    shutil.copy(SCANS / contract_scan, root / "2-申报人材料" / ("劳动合同" + Path(contract_scan).suffix))
    text = (root / "changju.yaml").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if "contract:" not in line]
    if manifest_contract:
        index = next(i for i, line in enumerate(lines) if line.startswith("applicant:"))
        lines.insert(index + 1, f"  contract: {manifest_contract}")
    (root / "changju.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def run(root: Path, tmp_path: Path, *extra: str):
    result = runner.invoke(
        app, ["check", str(root), "--read-scans", "--format", "json", *extra], env={"CHANGJU_CACHE_DIR": str(tmp_path / "cache")}
    )
    return result, json.loads(result.stdout)


@needs_extra
def test_a_contract_only_on_paper_still_gets_the_contract_rules(tmp_path):
    root = research_packet(tmp_path, "contract_old_2019.jpg", None)
    result, data = run(root, tmp_path)
    codes = {f["code"] for f in data["findings"]}
    assert "CJ202" in codes and "CJ208" not in codes  # the scan's end date 2022-02-28 is long past
    assert any(e["fact"] == "contract_end" and e["value"] == "2022-02-28" for e in data["evidence"])
    assert result.exit_code == 1


@needs_extra
def test_a_scan_that_contradicts_the_manifest_is_cj501(tmp_path):
    root = research_packet(tmp_path, "contract_old_2019.jpg", "{start: 2022-03-01, end: 2025-02-28}")
    _, data = run(root, tmp_path)
    (f,) = [f for f in data["findings"] if f["code"] == "CJ501"][:1]
    assert "2025-02-28" in f["message"] and "2022-02-28" in f["message"]


@needs_extra
def test_matching_dates_pass(tmp_path):
    root = research_packet(tmp_path, "contract_2022.jpg", "{start: 2022-03-01, end: 2025-02-28}")
    _, data = run(root, tmp_path)
    assert not {"CJ501", "CJ201", "CJ202"} & {f["code"] for f in data["findings"]}


def test_without_the_extra_read_scans_exits_2_with_the_install_command(tmp_path, monkeypatch):
    monkeypatch.setattr(scan, "available", lambda: False)
    result = runner.invoke(app, ["check", str(ROOT / "examples" / "youth-complete"), "--read-scans"])
    assert result.exit_code == 2
    assert 'pip install "changju-check[scan]"' in result.stderr


def test_nothing_from_the_extra_is_imported_by_help():
    import subprocess
    import sys

    code = "import sys; from changju_check.cli import app\n" \
        "import changju_check.scan\n" \
        "bad = [m for m in ('rapidocr', 'onnxruntime', 'pypdfium2', 'numpy', 'pypdf', 'rich.table') if m in sys.modules]\n" \
        "print(bad)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip() == "[]"


@needs_extra
def test_the_text_report_shows_what_was_read_beside_the_manifest(tmp_path):
    root = research_packet(tmp_path, "contract_2022.jpg", "{start: 2022-03-01, end: 2025-02-28}")
    result = runner.invoke(
        app, ["check", str(root), "--read-scans", "--no-color"], env={"CHANGJU_CACHE_DIR": str(tmp_path / "cache")}
    )
    text = result.stdout
    # by default only the facts a finding quotes; the others are counted, --verbose shows them
    assert "另有" in text and "--verbose" in text and "contract_end" not in text
    result = runner.invoke(
        app, ["check", str(root), "--read-scans", "--no-color", "--verbose"], env={"CHANGJU_CACHE_DIR": str(tmp_path / "cache")}
    )
    text = result.stdout
    assert "从页面读取" in text
    line = next(line for line in text.splitlines() if "合同截止日" in line)
    assert line.count("2025-02-28") == 2  # the scan's value and the manifest's, side by side
    assert "清晰" in line or "需核对" in line  # how surely it was read, in words
    assert not {"contract_end", "person_name", "si_periods", "置信度"} & set(text.split())


def readers_started(monkeypatch) -> list:
    """Every reader process started from now on (`scan.workers._Worker`), in a list."""
    from changju_check.scan import workers

    started = []
    real = workers._Worker.__init__

    def counting(self, *a, **k):
        started.append(self)
        real(self, *a, **k)

    monkeypatch.setattr(workers._Worker, "__init__", counting)
    return started


@needs_extra
def test_the_reader_started_ahead_reads_the_scans(tmp_path, monkeypatch):
    """`check --read-scans` starts its reader before the inspection (the OCR models load
    meanwhile); the reading then takes that reader instead of starting another."""
    from changju_check.scan import workers

    started = readers_started(monkeypatch)
    root = research_packet(tmp_path, "contract_old_2019.jpg", None)
    _, data = run(root, tmp_path)
    assert any(e["fact"] == "contract_end" for e in data["evidence"])
    assert len(started) == 1 and workers._SPARE is None
    assert not Path(started[0].tmp).exists() and not started[0].proc.is_alive()


@needs_extra
def test_a_reader_started_ahead_that_nothing_needed_is_ended(tmp_path, monkeypatch):
    """Every page in the cache (the second check): the reader started ahead is ended, its
    temporary folder removed."""
    from changju_check.scan import workers

    root = research_packet(tmp_path, "contract_old_2019.jpg", None)
    run(root, tmp_path)  # fills the cache
    started = readers_started(monkeypatch)
    _, data = run(root, tmp_path)
    assert any(e["fact"] == "contract_end" for e in data["evidence"])
    assert len(started) == 1 and workers._SPARE is None
    assert not Path(started[0].tmp).exists() and not started[0].proc.is_alive()
