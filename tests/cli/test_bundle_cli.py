"""`changju bundle` on a checked packet: order, refusals, safety (the PDF mechanics are in tests/bundle/)."""

from __future__ import annotations

import hashlib
import json

from pypdf import PdfReader
from typer.testing import CliRunner

from changju_check.cli import app
from tests.packets import pdf_bytes, youth_packet

runner = CliRunner()


def packet_with_form(root):
    return youth_packet(root, add={"申报书.pdf": 2, "2-申报人材料/照片/获奖证书.jpg": "jpg"})


def snapshot(root):
    return {p: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()}


def bundle(*args):
    return runner.invoke(app, ["bundle", *map(str, args)])


def test_a_complete_packet_bundles_in_the_guides_order(tmp_path):
    root = packet_with_form(tmp_path / "p")
    before = snapshot(root)
    out = tmp_path / "book.pdf"
    result = bundle(root, "-o", out, "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    data = json.loads(result.stdout)
    reader = PdfReader(out)
    assert len(reader.pages) == data["total_pages"] == data["form_pages"] + data["toc_pages"] + data["attachment_pages"]
    assert data["form_pages"] == 2
    numbers = [row["number"] for row in data["toc"]]
    assert numbers[0] == "1.(1)" and numbers.index("1.(4)") < numbers.index("2.(1)")
    toc_text = "".join(reader.pages[2].extract_text().split())
    assert "附件材料目录" in toc_text and "个人诚信声明" in toc_text
    assert data["binding"]["cover_colour"] == "红色" and data["binding"]["copies"] == 5
    assert data["binding"]["sheets_per_copy"] == (data["total_pages"] + 1) // 2
    assert snapshot(root) == before  # the packet is never written to
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.pdf", "p"]  # no temp file left


def test_missing_application_form_is_cj601(tmp_path):
    result = bundle(youth_packet(tmp_path / "p"), "-o", tmp_path / "book.pdf")
    assert result.exit_code == 1 and "CJ601" in result.stderr
    assert not (tmp_path / "book.pdf").exists()


def test_check_errors_refuse_unless_forced(tmp_path):
    root = youth_packet(tmp_path / "p", drop=("2-申报人材料/身份证.pdf",), add={"申报书.pdf": 1})
    refused = bundle(root, "-o", tmp_path / "book.pdf")
    assert refused.exit_code == 1 and "CJ101" in refused.stderr
    forced = bundle(root, "-o", tmp_path / "book.pdf", "--force")
    assert forced.exit_code == 0 and "CJ101" in forced.stderr
    assert (tmp_path / "book.pdf").exists()


def test_a_corrupt_file_is_refused_even_with_force(tmp_path):
    root = youth_packet(tmp_path / "p", add={"申报书.pdf": 1, "2-申报人材料/劳动合同.pdf": pdf_bytes(2)[:200]})
    result = bundle(root, "-o", tmp_path / "book.pdf", "--force")
    assert result.exit_code == 1 and "CJ301" in result.stderr


def test_output_inside_the_packet_is_refused(tmp_path):
    root = packet_with_form(tmp_path / "p")
    result = bundle(root, "-o", root / "book.pdf")
    assert result.exit_code == 2 and not (root / "book.pdf").exists()


def test_an_existing_output_is_refused_unless_overwrite(tmp_path):
    root = packet_with_form(tmp_path / "p")
    out = tmp_path / "book.pdf"
    out.write_bytes(b"old")
    assert bundle(root, "-o", out).exit_code == 2 and out.read_bytes() == b"old"
    assert bundle(root, "-o", out, "--overwrite").exit_code == 0 and out.read_bytes() != b"old"


def test_the_same_packet_gives_the_same_bytes(tmp_path):
    root = packet_with_form(tmp_path / "p")
    assert bundle(root, "-o", tmp_path / "a.pdf").exit_code == 0
    assert bundle(root, "-o", tmp_path / "b.pdf").exit_code == 0
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


def test_recto_starts_every_material_on_a_right_hand_page(tmp_path):
    root = packet_with_form(tmp_path / "p")
    data = json.loads(bundle(root, "-o", tmp_path / "book.pdf", "--recto", "--format", "json").stdout)
    assert data["blank_pages"] > 0
    assert len(PdfReader(tmp_path / "book.pdf").pages) == data["total_pages"]


def test_every_complete_example_bundles_without_errors(tmp_path):
    from pathlib import Path

    examples = sorted(p for p in (Path(__file__).parents[2] / "examples").glob("*-complete") if p.name != "registration-complete")
    assert len(examples) == 7
    for example in examples:
        out = tmp_path / f"{example.name}.pdf"
        result = bundle(example, "-o", out, "--format", "json")
        assert result.exit_code == 0, (example.name, result.stdout, result.stderr)
        data = json.loads(result.stdout)
        assert data["left_out"] == [] and data["forced_errors"] == []
        reader = PdfReader(out)
        assert len(reader.pages) == data["total_pages"]
        titles = [o.title for o in reader.outline if not isinstance(o, list)]
        assert len(titles) == 2 + len(data["toc"])  # the form, the TOC, one per material


def test_an_encrypted_file_is_refused_even_with_force(tmp_path):
    from tests.cli.test_cli_check import encrypted_pdf

    root = youth_packet(tmp_path / "p", add={"申报书.pdf": 1, "2-申报人材料/社保缴费记录.pdf": encrypted_pdf("secret")})
    result = bundle(root, "-o", tmp_path / "book.pdf", "--force")
    assert result.exit_code == 1 and "CJ302" in result.stderr
    assert not (tmp_path / "book.pdf").exists()


def test_a_material_of_several_years_is_bound_in_year_order_whatever_the_names(tmp_path):
    """“2020、2021、2022 年度《财务审计报告》” is an order: 审计报告2020 comes before 2021年度审计报告,
    and 审计报告.pdf whose page says 2020年度 also comes first (the page's year wins)."""
    from tests.realdocs.test_check_realdocs import corpus

    unit = "1-申报单位材料/"
    root = youth_packet(tmp_path / "p", drop=tuple(f"{unit}{y}年度财务审计报告.pdf" for y in (2020, 2021, 2022)),
                        add={f"{unit}2021年度审计报告.pdf": 3, f"{unit}2022年度审计报告.pdf": 3, f"{unit}审计报告2020.pdf": 3,
                             "申报书.pdf": 1})
    data = json.loads(bundle(root, "-o", tmp_path / "book.pdf", "--format", "json").stdout)
    audits = [row["file"] for row in data["files"] if row["material"] == "audit_report"]
    assert audits == [f"{unit}审计报告2020.pdf", f"{unit}2021年度审计报告.pdf", f"{unit}2022年度审计报告.pdf"]

    (root / f"{unit}审计报告2020.pdf").unlink()
    (root / f"{unit}审计报告.pdf").write_bytes(corpus("audit_2020.pdf"))
    data = json.loads(bundle(root, "-o", tmp_path / "book2.pdf", "--format", "json").stdout)
    audits = [row["file"] for row in data["files"] if row["material"] == "audit_report"]
    assert audits == [f"{unit}审计报告.pdf", f"{unit}2021年度审计报告.pdf", f"{unit}2022年度审计报告.pdf"]


def test_files_kept_in_the_systems_order_are_bound_in_it(tmp_path):
    """须与系统填报专利顺序保持一致: numbered files by their numbers (02 after 01 whatever the names)."""
    root = youth_packet(tmp_path / "p", add={"2-申报人材料/专利/02-一种芯片散热结构.pdf": 1,
                                             "2-申报人材料/专利/01-一种神经网络加速方法.pdf": 1, "申报书.pdf": 1})
    data = json.loads(bundle(root, "-o", tmp_path / "book.pdf", "--format", "json").stdout)
    patents = [row["file"] for row in data["files"] if row["material"] == "personal_patents"]
    assert patents == ["2-申报人材料/专利/01-一种神经网络加速方法.pdf", "2-申报人材料/专利/02-一种芯片散热结构.pdf"]
