"""A waiver names the material it waives, and every summary shows how many items a packet waived.

`waive: [{code: CJ101, reason: 已说明}]` once waived every missing material at once, and the
summaries showed the packet like a complete one ("✓ 通过 0 0 是"). Now a waiver of a missing
material (CJ101, or a missing year: CJ102) without `material` is a manifest error saying so
(CJ401, exit 2), and a packet's waived items are counted in every summary format."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from changju_check.cli import app
from tests.packets import YOUTH_MANIFEST, youth_packet

runner = CliRunner()
ENV = {"CHANGJU_LANG": "zh", "COLUMNS": "160"}
FORM = {"申报书.pdf": 2}  # the watermarked 申报书: a complete packet is ready to bind
MISSING = ("2-申报人材料/身份证.pdf", "2-申报人材料/学历学位证书.pdf")


def check(*args):
    return runner.invoke(app, ["check", *map(str, args)], env=ENV)


@pytest.mark.parametrize("code", ["CJ101", "CJ102", "cj101"])
def test_a_waiver_without_its_material_is_a_manifest_error_that_says_so(tmp_path, code):
    manifest = YOUTH_MANIFEST + f"waive:\n  - {{code: {code}, reason: 已说明}}\n"
    root = youth_packet(tmp_path / "p", drop=MISSING, add=FORM, manifest=manifest)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    result = check(root, "--format", "json")
    assert result.exit_code == 2, result.output
    doc = json.loads(result.stdout)
    assert doc["ok"] is False and doc["ready_to_bind"] is False
    assert doc["fatal"]["code"] == "CJ401"
    assert "material" in doc["fatal"]["message"] and "waive" in doc["fatal"]["message"]
    assert "Traceback" not in result.output
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("fmt", ["text", "markdown", "csv", "json"])
def test_a_blanket_waiver_never_shows_a_packet_without_an_identity_document_as_ready(tmp_path, fmt):
    manifest = YOUTH_MANIFEST + "waive:\n  - {code: CJ101, reason: 已说明}\n"
    youth_packet(tmp_path / "batch" / "王磊", drop=MISSING, add=FORM, manifest=manifest)
    result = check("--batch", tmp_path / "batch", "--summary", "--format", fmt, "--jobs", "1")
    assert result.exit_code == 2, result.output
    if fmt in ("text", "markdown"):
        row = next(line for line in result.stdout.splitlines() if "王磊" in line)
        assert "无法检查" in row and "通过" not in row and "是" not in row
    if fmt == "json":
        row = json.loads(result.stdout)["rows"][0]
        assert row["verdict"] == "unusable" and row["ready_to_bind"] is False


def _packet_with_one_waived_item(tmp_path):
    manifest = YOUTH_MANIFEST + "waive:\n  - {code: CJ101, material: identity_document, reason: 身份证补办中，已附派出所证明}\n"
    return youth_packet(tmp_path / "batch" / "王磊", drop=("2-申报人材料/身份证.pdf",), add=FORM, manifest=manifest)


def _waived_cell(fmt: str, out: str) -> str:
    if fmt == "json":
        return str(json.loads(out)["rows"][0]["waived"])
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"), newline="")))
        return rows[1][rows[0].index("已豁免")]
    if fmt == "markdown":
        head = next(line for line in out.splitlines() if line.startswith("| 材料包"))
        row = next(line for line in out.splitlines() if "王磊" in line)
        cells = [c.strip() for c in row.strip("|").split("|")]
        return cells[[c.strip() for c in head.strip("|").split("|")].index("已豁免")]
    lines = out.splitlines()
    head = next(line for line in lines if line.startswith("材料包"))
    row = next(line for line in lines if "王磊" in line)
    assert "已豁免" in head
    return row.split()[head.split().index("已豁免") + 1]  # the verdict "✓ 通过" is two words


@pytest.mark.parametrize("fmt", ["text", "markdown", "csv", "json"])
def test_every_summary_format_counts_the_waived_items(tmp_path, fmt):
    _packet_with_one_waived_item(tmp_path)
    result = check("--batch", tmp_path / "batch", "--summary", "--format", fmt, "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert _waived_cell(fmt, result.stdout) == "1"


@pytest.mark.parametrize("fmt", ["text", "markdown", "csv", "json"])
def test_changju_summary_counts_the_waived_items_of_each_shard(tmp_path, fmt):
    _packet_with_one_waived_item(tmp_path)
    shard = tmp_path / "shard-1.json"
    assert check("--batch", tmp_path / "batch", "--format", "json", "-o", shard, "--jobs", "1").exit_code == 0
    result = runner.invoke(app, ["summary", str(shard), "--format", fmt], env=ENV)
    assert result.exit_code == 0, result.output
    assert _waived_cell(fmt, result.stdout) == "1"


def test_a_waiver_that_names_its_material_still_works(tmp_path):
    root = _packet_with_one_waived_item(tmp_path)
    doc = json.loads(check(root, "--format", "json").stdout)
    assert doc["ok"] is True and doc["summary"]["waived"] == 1
    assert next(m for m in doc["materials"] if m["id"] == "identity_document")["status"] == "waived"


def test_the_html_index_counts_the_waived_items(tmp_path):
    _packet_with_one_waived_item(tmp_path)
    out = tmp_path / "sheets"
    result = check("--batch", tmp_path / "batch", "--format", "html", "-o", f"{out}/", "--jobs", "1")
    assert result.exit_code == 0, result.output
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<th>已豁免</th>" in index and '<td class="n" data-field="waived">1</td>' in index
