"""`changju check` end to end: exit codes, formats, and a packet with broken files still fully reported."""

from __future__ import annotations

import io
import json

from typer.testing import CliRunner

from changju_check.cli import app
from tests.packets import YOUTH_MANIFEST, build, pdf_bytes, youth_packet

runner = CliRunner()


def run(*args, env=None):
    return runner.invoke(app, ["check", *map(str, args)], env=env)


def encrypted_pdf(user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(1))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_a_complete_packet_exits_0(tmp_path):
    result = run(youth_packet(tmp_path))
    assert result.exit_code == 0, result.stdout
    assert "✓" in result.stdout


def test_errors_exit_1(tmp_path):
    result = run(youth_packet(tmp_path, drop=("2-申报人材料/身份证.pdf",)))
    assert result.exit_code == 1 and "CJ101" in result.stdout


def test_json_contract_and_byte_identical_runs(tmp_path):
    root = youth_packet(tmp_path, drop=("2-申报人材料/身份证.pdf",))
    first = run(root, "--format", "json")
    second = run(root, "--format", "json")
    assert first.stdout == second.stdout
    data = json.loads(first.stdout)
    assert set(data) >= {"ok", "category", "as_of", "packet", "materials", "findings", "summary"}
    assert data["ok"] is False and data["category"] == "youth" and data["as_of"] == "2023-08-31"
    m = data["materials"][0]
    assert set(m) >= {"id", "title", "required", "status", "files"}
    f = data["findings"][0]
    assert set(f) >= {"code", "severity", "material", "file", "message"}
    assert data["summary"]["errors"] == 1


def test_a_packet_with_a_corrupt_an_encrypted_and_an_empty_file_gets_the_full_report(tmp_path):
    root = youth_packet(
        tmp_path,
        drop=("2-申报人材料/个人诚信声明.pdf",),
        add={
            "2-申报人材料/劳动合同.pdf": pdf_bytes(2)[:300],
            "2-申报人材料/社保缴费记录.pdf": encrypted_pdf("secret"),
            "2-申报人材料/学历学位证书.pdf": b"",
        },
    )
    data = json.loads(run(root, "--format", "json").stdout)
    got = {(f["code"], f["file"] or f["material"]) for f in data["findings"]}
    assert ("CJ301", "2-申报人材料/劳动合同.pdf") in got
    assert ("CJ302", "2-申报人材料/社保缴费记录.pdf") in got
    assert ("CJ303", "2-申报人材料/学历学位证书.pdf") in got
    assert ("CJ101", "personal_integrity_statement") in got  # every other finding still there


def test_an_owner_password_only_pdf_opens_and_is_info(tmp_path):
    root = youth_packet(tmp_path, add={"2-申报人材料/社保缴费记录.pdf": encrypted_pdf("")})
    result = run(root, "--format", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == 0
    assert [f["severity"] for f in data["findings"] if f["code"] == "CJ306"] == ["info"]


def test_markdown_format(tmp_path):
    result = run(youth_packet(tmp_path), "--format", "markdown")
    assert result.exit_code == 0 and "|" in result.stdout


def test_english(tmp_path):
    result = run(youth_packet(tmp_path, drop=("2-申报人材料/身份证.pdf",)), "--lang", "en")
    assert "Required material missing" in result.stdout or "missing" in result.stdout
    env = run(youth_packet(tmp_path / "b", drop=("2-申报人材料/身份证.pdf",)), env={"CHANGJU_LANG": "en"})
    assert "missing" in env.stdout


def test_category_option_overrides_the_manifest_and_accepts_chinese(tmp_path):
    result = run(youth_packet(tmp_path), "--category", "经营管理", "--format", "json")
    assert json.loads(result.stdout)["category"] == "management"


def test_as_of_option_overrides_the_manifest(tmp_path):
    result = run(youth_packet(tmp_path), "--as-of", "2024年9月2日", "--format", "json")
    data = json.loads(result.stdout)
    assert data["as_of"] == "2024-09-02"
    assert any(f["code"] == "CJ202" for f in data["findings"])


def test_unknown_category_exits_2_listing_the_valid_ones(tmp_path):
    result = run(youth_packet(tmp_path), "--category", "astronaut")
    assert result.exit_code == 2 and "research" in result.stdout + result.stderr


def test_an_offline_type_exits_0_with_the_explanation(tmp_path):
    result = run(youth_packet(tmp_path), "--category", "杰出类")
    assert result.exit_code == 0 and "线下申报" in result.stdout


def test_a_missing_folder_exits_2(tmp_path):
    result = run(tmp_path / "nope")
    assert result.exit_code == 2
    assert "Traceback" not in result.stdout + result.stderr


def test_a_broken_manifest_exits_2_naming_field_and_line(tmp_path):
    root = youth_packet(tmp_path, manifest="category: youth\napplicant:\n  nationalty: CN\n")
    result = run(root, "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["fatal"]["code"] == "CJ401" and data["fatal"]["line"] == 3
    assert "nationalty" in data["fatal"]["message"]


def test_a_manifest_given_by_option(tmp_path):
    root = youth_packet(tmp_path / "p", manifest="category: research\n")
    other = tmp_path / "youth.yaml"
    other.write_text(YOUTH_MANIFEST, encoding="utf-8")
    data = json.loads(run(root, "--manifest", other, "--format", "json").stdout)
    assert data["category"] == "youth"


def test_an_unknown_material_id_in_the_manifest_is_cj402(tmp_path):
    text = YOUTH_MANIFEST + "materials:\n  labour_contract: 2-申报人材料/劳动合同.pdf\n"
    data = json.loads(run(youth_packet(tmp_path, manifest=text), "--format", "json").stdout)
    (f,) = [f for f in data["findings"] if f["code"] == "CJ402"]
    assert "labour_contract" in f["message"] and f["line"] == 11


def test_an_explicit_mapping_assigns_the_file(tmp_path):
    text = YOUTH_MANIFEST + "materials:\n  labor_contract: scans/005.pdf\n"
    root = youth_packet(tmp_path, drop=("2-申报人材料/劳动合同.pdf",), add={"scans/005.pdf": 2}, manifest=text)
    data = json.loads(run(root, "--format", "json").stdout)
    assert {m["id"]: m["files"] for m in data["materials"]}["labor_contract"] == ["scans/005.pdf"]
    assert data["ok"] is True


def test_a_mapping_that_matches_nothing_is_cj403(tmp_path):
    text = YOUTH_MANIFEST + "materials:\n  professional_title: scans/*.pdf\n"
    data = json.loads(run(youth_packet(tmp_path, manifest=text), "--format", "json").stdout)
    assert any(f["code"] == "CJ403" for f in data["findings"])


def test_a_path_outside_the_packet_is_cj305_and_never_opened(tmp_path):
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(pdf_bytes(1))
    text = YOUTH_MANIFEST + "materials:\n  professional_title: ../secret.pdf\n"
    data = json.loads(run(youth_packet(tmp_path / "p", manifest=text), "--format", "json").stdout)
    assert any(f["code"] == "CJ305" for f in data["findings"])
    assert all("secret" not in x for m in data["materials"] for x in m["files"])


def test_an_unused_waiver_is_cj404(tmp_path):
    text = YOUTH_MANIFEST + "waive:\n  - {code: CJ201, reason: 已续签}\n"
    data = json.loads(run(youth_packet(tmp_path, manifest=text), "--format", "json").stdout)
    assert [f["code"] for f in data["findings"]] == ["CJ404"]


def test_select_and_ignore(tmp_path):
    root = youth_packet(tmp_path, drop=("2-申报人材料/身份证.pdf",), add={"扫描件.pdf": 1})
    only = json.loads(run(root, "--select", "CJ103", "--format", "json").stdout)
    assert {f["code"] for f in only["findings"]} == {"CJ103"}
    result = run(root, "--ignore", "CJ101", "--format", "json")
    assert "CJ101" not in {f["code"] for f in json.loads(result.stdout)["findings"]} and result.exit_code == 0


def test_output_file_keeps_the_summary_on_the_terminal(tmp_path):
    out = tmp_path / "report.json"
    result = run(youth_packet(tmp_path / "p"), "--format", "json", "--output", out)
    assert result.exit_code == 0 and json.loads(out.read_text(encoding="utf-8"))["ok"] is True
    assert result.stdout.strip().startswith("✓")


def test_no_manifest_and_no_category_exits_2(tmp_path):
    root = build(tmp_path, {"身份证.pdf": 1})
    result = run(root)
    assert result.exit_code == 2


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and "changju" in result.stdout


def test_unknown_category_is_fatal_cj405_in_json(tmp_path):
    result = run(youth_packet(tmp_path), "--category", "astronaut", "--format", "json")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["fatal"]["code"] == "CJ405"


def test_a_missing_folder_is_fatal_cj400_in_json(tmp_path):
    result = run(tmp_path / "nope", "--format", "json")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["fatal"]["code"] == "CJ400"


def test_an_offline_type_is_an_info_report_in_every_format(tmp_path):
    root = youth_packet(tmp_path)
    data = json.loads(run(root, "--category", "HICCOOL", "--format", "json").stdout)
    assert data["ok"] is True and data["category"] == "hiccool"
    assert [(f["code"], f["severity"]) for f in data["findings"]] == [("CJ406", "info")]
    assert run(root, "--category", "博士后", "--format", "sarif").exit_code == 0
