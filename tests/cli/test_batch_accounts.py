"""A batch accounts for every folder, and its summary says what is ready to bind and why not."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from changju_check.cli import app
from changju_check.packet.discover import find_packets, packet_of
from tests.packets import build, youth_packet

runner = CliRunner()
FORM = {"申报书.pdf": 2}


def check(*args):
    return runner.invoke(app, ["check", *map(str, args)])


def _agency(tmp_path: Path) -> Path:
    root = tmp_path / "客户"
    youth_packet(root / "ready", add=FORM)
    youth_packet(root / "no-form")
    youth_packet(root / "flawed", drop=("2-申报人材料/身份证.pdf", "2-申报人材料/劳动合同.pdf"), add=FORM)
    build(root / "王五（未写清单）", {"1-申报单位材料/单位诚信声明.pdf": 1, "2-申报人材料/身份证.pdf": 1})
    return root


def test_a_folder_without_manifest_is_listed_never_skipped(tmp_path):
    root = _agency(tmp_path)
    (root / "empty").mkdir()
    found = {p.path.name: p.kind for p in find_packets(root)}
    assert found == {"ready": "manifest", "no-form": "manifest", "flawed": "manifest", "王五（未写清单）": "no_manifest"}
    result = check("--batch", root, "--format", "json", "--jobs", "1")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["summary"]["packets"] == 4
    no_manifest = next(p for p in data["packets"] if p["packet"].endswith("王五（未写清单）"))
    assert no_manifest["fatal"]["code"] == "CJ410"


def test_a_folder_without_manifest_is_checked_with_the_category_given(tmp_path):
    root = _agency(tmp_path)
    result = check("--batch", root, "--category", "youth", "--format", "json", "--jobs", "1")
    packet = next(p for p in json.loads(result.stdout)["packets"] if p["packet"].endswith("王五（未写清单）"))
    assert "fatal" not in packet and packet["category"] == "youth"
    assert "CJ412" in [f["code"] for f in packet["findings"]]
    assert "CJ412" not in [f["code"] for p in json.loads(result.stdout)["packets"] if not p["packet"].endswith("王五（未写清单）") for f in p["findings"]]


def test_scans_lying_between_packet_folders_are_listed_too(tmp_path):
    root = _agency(tmp_path)
    build(root, {"扫描0001.pdf": 1})
    found = find_packets(root)
    loose = [p for p in found if p.kind == "loose"]
    assert [(p.path, p.files) for p in loose] == [(root, ("扫描0001.pdf",))]
    assert packet_of(root / "扫描0001.pdf", found) == loose[0]
    assert packet_of(root / "ready" / "2-申报人材料" / "身份证.pdf", found).path == root / "ready"
    result = check("--batch", root, "--format", "json", "--jobs", "1")
    row = next(p for p in json.loads(result.stdout)["packets"] if p.get("fatal", {}).get("code") == "CJ411")
    assert "扫描0001.pdf" in row["fatal"]["message"]


def test_a_zip_beside_the_packet_folders_is_a_packet(tmp_path):
    import zipfile

    root = _agency(tmp_path)
    src = youth_packet(tmp_path / "src")
    with zipfile.ZipFile(root / "赵六.zip", "w") as zf:
        for f in sorted(src.rglob("*")):
            if f.is_file():
                zf.write(f, f.relative_to(src).as_posix())
    assert ("赵六.zip", "zip") in {(p.path.name, p.kind) for p in find_packets(root)}


def test_the_summary_is_one_row_per_packet_worst_first_with_reasons_and_ready_to_bind(tmp_path, monkeypatch):
    _agency(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = check("--batch", "客户", "--summary", "--jobs", "1", "--no-color")
    assert result.exit_code == 2
    out = result.stdout
    assert "─" * 20 not in out.split("汇总")[0]  # --summary: no packet's checklist before the table
    order = [name for line in out.splitlines() for name in ("王五", "flawed", "no-form", "ready") if f"/{name}" in line]
    assert order == ["王五", "flawed", "no-form", "ready"]
    assert "缺少必要材料 2.(1)" in out
    lines = out.splitlines()
    below = {name: lines[i + 1] for i, line in enumerate(lines) for name in ("no-form", "flawed") if f"/{name} " in line}
    assert below["no-form"].lstrip().startswith("· 缺少申报书")  # its reason on the line below it
    assert below["flawed"].lstrip().startswith("· 缺少必要材料 2.(1)")
    ready = next(line for line in out.splitlines() if "/ready" in line)
    assert "✓ 可装订" in ready  # the stage a passing packet reached, in its verdict
    assert "✓ 可上传" in next(line for line in out.splitlines() if "/no-form" in line)
    assert "无清单" in next(line for line in out.splitlines() if "/王五" in line)
    assert "4 个材料包" in out and "可以上传：2 个，其中可以装订：1 个（共 4 个材料包）" in out


def test_csv_opens_in_excel_with_the_chinese_intact(tmp_path):
    root = _agency(tmp_path)
    out = tmp_path / "汇总.csv"
    result = check("--batch", root, "--format", "csv", "--output", out, "--jobs", "1")
    assert result.exit_code == 2
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel on Windows reads UTF-8
    assert b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0][:3] == ["材料包", "类别", "结论"]
    assert len(rows) == 1 + 4
    assert rows[1][0].endswith("王五（未写清单）") and rows[1][2] == "无清单"
    flawed = next(r for r in rows if r[0].endswith("flawed"))
    assert rows[0][5:7] == ["可上传", "可装订"]
    assert flawed[5:7] == ["否", "否"]
    assert "；" in flawed[7] and flawed[3] == "2"  # two reasons, joined; two errors


def test_csv_per_finding_quotes_commas_and_neutralises_formulas(tmp_path):
    root = tmp_path / "p"
    youth_packet(root / "a", add={"=HYPERLINK(1,2).pdf": 1, **FORM})
    result = check("--batch", root, "--format", "csv", "--per-finding", "--jobs", "1")
    raw = result.stdout_bytes if hasattr(result, "stdout_bytes") else result.stdout.encode("utf-8")
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    head = rows[0]
    assert head[7:9] == ["严重程度", "编号"]
    unmatched = next(r for r in rows[1:] if r[8] == "CJ103")
    assert unmatched[10] == "'=HYPERLINK(1,2).pdf"  # a formula is never a formula in Excel
    assert '"\'=HYPERLINK(1,2).pdf"' in text  # the comma inside is quoted


def test_every_stderr_line_of_a_batch_names_its_packet(tmp_path):
    root = _agency(tmp_path)
    build(root / "broken", {"身份证.pdf": 1}, "category: [youth\n")
    result = check("--batch", root, "--format", "json", "--jobs", "1")
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 2
    assert any("broken" in line for line in lines) and any("王五（未写清单）" in line for line in lines)
    assert all(str(root) in line for line in lines)
