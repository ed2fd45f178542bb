"""`changju bundle --batch ROOT -o DIR/`: one book per ready packet, and why the others were not bundled."""

from __future__ import annotations

import json

from pypdf import PdfReader
from typer.testing import CliRunner

from changju_check.cli import app
from tests.packets import build, youth_packet

runner = CliRunner()


def test_bundle_a_batch_writes_one_book_per_ready_packet_and_says_why_not_for_the_others(tmp_path):
    root = tmp_path / "客户"
    youth_packet(root / "ready", add={"申报书.pdf": 2})
    youth_packet(root / "nested" / "ready2", add={"申报书.pdf": 1})
    youth_packet(root / "no-form")
    youth_packet(root / "flawed", drop=("2-申报人材料/身份证.pdf",), add={"申报书.pdf": 1})
    build(root / "no-manifest", {"身份证.pdf": 1})
    out = tmp_path / "books"
    result = runner.invoke(app, ["bundle", "--batch", str(root), "-o", str(out) + "/", "--jobs", "1"])
    assert result.exit_code == 2, result.stdout + result.stderr
    books = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf"))
    assert books == ["nested/ready2.pdf", "ready.pdf"]
    assert len(PdfReader(out / "ready.pdf").pages) > 2
    text = result.stdout + result.stderr
    assert "CJ601" in text and "no-form" in text
    assert "flawed" in text and "CJ101" in text
    assert "no-manifest" in text and "CJ410" in text
    again = runner.invoke(app, ["bundle", "--batch", str(root), "-o", str(out), "--format", "json", "--jobs", "1"])
    data = json.loads(again.stdout)
    assert {b["packet"]: b["bundled"] for b in data["packets"]}[str(root / "ready")] is False  # exists: no --overwrite
    assert all(p.stat().st_size > 0 for p in out.rglob("*.pdf"))


def test_bundle_a_batch_refuses_an_output_folder_inside_the_root(tmp_path):
    root = tmp_path / "客户"
    youth_packet(root / "ready", add={"申报书.pdf": 2})
    result = runner.invoke(app, ["bundle", "--batch", str(root), "-o", str(root / "books")])
    assert result.exit_code == 2 and not (root / "books").exists()
