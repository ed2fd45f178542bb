"""One packet, one recognition: `check` and `bundle` see the same files as the same materials.

For generated packets — real documents (the corpus's text-layer PDFs, phone photos and scans) under
names that say what they are or say nothing, with or without the downloaded 申报书, read with or
without `--read-scans` — `check`'s material for each file equals the item `bundle` binds it under,
and `check`'s `ready_to_bind` is true exactly when `bundle` makes the book."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from changju_check import scan
from changju_check.cli import app
from tests.packets import build
from tests.realdocs.test_check_realdocs import UNIT_FILES, YOUTH, corpus

runner = CliRunner()
CACHE = tempfile.mkdtemp(prefix="changju-one-recognition-")  # OCR read once for every example

# a real document: names that say what it is, names that say nothing, its text-layer PDF, its image
DOCUMENTS = {
    "high_tech": (["1-申报单位材料/高新证书", "1-申报单位材料/高新技术企业证书"], ["1-申报单位材料/扫描件003"],
                  "high_tech_2020.pdf", "high_tech_scan.jpg"),
    "social_insurance": (["2-申报人材料/社保缴费记录"], ["2-申报人材料/IMG_2031"], "si_ok.pdf", "IMG_2031.jpg"),
    "iit": (["2-申报人材料/个税2021-2022"], ["2-申报人材料/mmexport1692070312345"], "iit_2021_2022.pdf",
            "mmexport1692070312345.jpg"),
    "contract": (["2-申报人材料/劳动合同"], ["2-申报人材料/扫描全能王 2023-08-15 10.32"], "contract_fixed.pdf",
                 "扫描全能王 2023-08-15 10.32.pdf"),
    "id_card": (["2-申报人材料/身份证"], ["2-申报人材料/下载"], "id_card.pdf", "id_card_scan.jpg"),
}
BASE = {
    "2-申报人材料/学历学位证书.pdf": 1,
    "2-申报人材料/学信网学历认证报告.pdf": "chsi.pdf",
    "2-申报人材料/学位在线验证报告.pdf": "degree_report.pdf",
    "2-申报人材料/个人诚信声明.pdf": 1,
}


@st.composite
def packets(draw):
    files: dict[str, object] = {**UNIT_FILES, **BASE}
    for key, (named, unnamed, text_pdf, image) in DOCUMENTS.items():
        if not draw(st.booleans() if key == "high_tech" else st.integers(0, 3)):
            continue  # left out now and then: the packet is incomplete
        informative = draw(st.booleans())
        stem = draw(st.sampled_from(named if informative else unnamed))
        source = draw(st.sampled_from([text_pdf, image]))
        files[stem + Path(source).suffix] = source
    if draw(st.booleans()):
        files["申报书.pdf"] = 2
    read_scans = scan.available() and draw(st.booleans())
    return files, read_scans


def _build(root: Path, files: dict) -> Path:
    return build(root, {n: corpus(c) if isinstance(c, str) else c for n, c in files.items()}, YOUTH)


def _run(*args):
    result = runner.invoke(app, [*map(str, args), "--lang", "en"], env={"CHANGJU_CACHE_DIR": CACHE})
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    return result


@settings(max_examples=14, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(packets())
def test_check_and_bundle_recognise_every_file_alike(generated):
    files, read_scans = generated
    options = ["--read-scans", "--file-timeout", "900"] if read_scans else []
    with tempfile.TemporaryDirectory() as tmp:
        root = _build(Path(tmp) / "packet", files)
        check = json.loads(_run("check", root, "--format", "json", *options).stdout)
        bundled = _run("bundle", root, "-o", Path(tmp) / "book.pdf", "--format", "json", *options)
        book = json.loads(bundled.stdout)
    checked = {f: m["id"] for m in check["materials"] for f in m["files"]}
    bound = {row["file"]: row["material"] for row in book["files"] if row["material"] != "application_form"}
    assert bound == checked
    assert check["ready_to_bind"] == book["ok"] == (bundled.exit_code == 0)


def test_high_tech_certificate_is_a_qualification_of_the_unit_by_its_name(tmp_path):
    """高新证书.jpg: 高新技术企业证书 is a 资质 (catalogue `counts_as`): 1.(3) in check and in bundle,
    not CJ103 in one and 1.(3) in the other."""
    files = {**UNIT_FILES, **BASE, "2-申报人材料/身份证.pdf": "id_card.pdf", "2-申报人材料/劳动合同.pdf": "contract_fixed.pdf",
             "2-申报人材料/社保缴费记录.pdf": "si_ok.pdf", "2-申报人材料/个税2021-2022.pdf": "iit_2021_2022.pdf",
             "1-申报单位材料/高新证书.jpg": "high_tech_scan.jpg", "申报书.pdf": 2}
    root = _build(tmp_path / "packet", files)
    check = json.loads(_run("check", root, "--format", "json").stdout)
    awards = next(m for m in check["materials"] if m["id"] == "unit_awards")
    assert awards["files"] == ["1-申报单位材料/高新证书.jpg"]
    assert not [f for f in check["findings"] if f["code"] in ("CJ103", "CJ509")]
    book = json.loads(_run("bundle", root, "-o", tmp_path / "book.pdf", "--format", "json").stdout)
    assert {"file": "1-申报单位材料/高新证书.jpg", "material": "unit_awards", "number": "1.(3)"} in book["files"]


@pytest.mark.skipif(not scan.available(), reason="needs the [scan] extra")
def test_bundle_reads_the_scans_as_check_does(tmp_path):
    """A contract recognised only from its pages passes `check --read-scans`; `bundle --read-scans`
    binds it as 2.(5), not 'missing 2.(5)'."""
    files = {**UNIT_FILES, **BASE, "2-申报人材料/身份证.pdf": "id_card.pdf", "2-申报人材料/社保缴费记录.pdf": "si_ok.pdf",
             "2-申报人材料/个税2021-2022.pdf": "iit_2021_2022.pdf",
             "2-申报人材料/扫描全能王 2023-08-15 10.32.pdf": "扫描全能王 2023-08-15 10.32.pdf", "申报书.pdf": 2}
    root = _build(tmp_path / "packet", files)
    check = json.loads(_run("check", root, "--format", "json", "--read-scans", "--file-timeout", "900").stdout)
    assert check["ready_to_bind"] is True, check["findings"]
    bundled = _run("bundle", root, "-o", tmp_path / "book.pdf", "--format", "json", "--read-scans", "--file-timeout", "900")
    assert bundled.exit_code == 0, bundled.stdout + bundled.stderr
    rows = json.loads(bundled.stdout)["files"]
    assert {"file": "2-申报人材料/扫描全能王 2023-08-15 10.32.pdf", "material": "labor_contract", "number": "2.(5)"} in rows


def test_bundle_takes_the_verdict_settings_of_the_repository_configuration(tmp_path, monkeypatch):
    """`strict = true` in changju.toml makes a warning an error for `check`: `bundle` refuses that
    packet too (ready_to_bind false exactly when bundle fails)."""
    files = {**UNIT_FILES, **BASE, "2-申报人材料/身份证.pdf": "id_card.pdf", "2-申报人材料/劳动合同.pdf": "contract_fixed.pdf",
             "2-申报人材料/社保缴费记录.pdf": "si_ok.pdf", "2-申报人材料/个税2021-2022.pdf": "iit_2021_2022.pdf",
             "2-申报人材料/合影.jpg": "high_tech_scan.jpg", "申报书.pdf": 2}  # CJ103: a warning
    root = _build(tmp_path / "packet", files)
    work = tmp_path / "repo"
    work.mkdir()
    # (read_scans = false: read by default, the photo's page would say it is the 高企 certificate - no CJ103)
    (work / "changju.toml").write_text("strict = true\nread_scans = false\n", encoding="utf-8")
    monkeypatch.chdir(work)
    from changju_check.cli import config

    config._LOADED.clear()
    check = json.loads(_run("check", root, "--format", "json").stdout)
    assert check["ready_to_bind"] is False
    bundled = _run("bundle", root, "-o", tmp_path / "book.pdf", "--format", "json")
    assert bundled.exit_code == 1 and json.loads(bundled.stdout)["ok"] is False


@pytest.mark.parametrize("counts_as", ["unit_awards", "unit_patents"])
def test_where_a_high_tech_certificate_is_filed_is_the_catalogues_word_for_names_text_layers_and_ocr(tmp_path, counts_as):
    """高新技术企业证书 is a 资质 because catalogue.yaml says `counts_as: [unit_awards]`; the file's name,
    its text layer and its OCR'd page all read that one word: a rule set that says otherwise moves
    the certificate in all three (no layout or code keeps its own copy)."""
    import shutil

    from changju_check.rulebook.load import default_rules_dir

    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    catalogue = rules / "catalogue.yaml"
    text = catalogue.read_text(encoding="utf-8")
    assert "    counts_as: [unit_awards]\n" in text
    catalogue.write_text(text.replace("    counts_as: [unit_awards]\n", f"    counts_as: [{counts_as}]\n"), encoding="utf-8")
    named, layer, photo = "1-申报单位材料/高新证书.pdf", "1-申报单位材料/扫描件003.pdf", "1-申报单位材料/扫描件004.jpg"
    files = {**UNIT_FILES, **BASE, "2-申报人材料/身份证.pdf": "id_card.pdf", "2-申报人材料/劳动合同.pdf": "contract_fixed.pdf",
             named: "high_tech_2020.pdf", layer: "high_tech_2020.pdf"}
    if scan.available():
        files[photo] = "high_tech_scan.jpg"
    root = _build(tmp_path / "packet", files)
    check = json.loads(_run("check", root, "--format", "json", "--rules", rules, "--file-timeout", "900").stdout)
    filed = {f: m["id"] for m in check["materials"] for f in m["files"]}
    assert filed[named] == filed[layer] == counts_as  # by its name; by its text layer (the name says nothing)
    if scan.available():
        by_content = {f["file"]: f["message"] for f in check["findings"] if f["code"] == "CJ509"}
        assert filed[photo] == counts_as and "(read by OCR)" in by_content[photo]  # by its OCR'd page


def test_no_layout_repeats_what_the_catalogue_files_its_document_as():
    """A layout names the materials its document is; what else it counts as is `counts_as` alone."""
    from changju_check.rulebook.load import load_rules
    from changju_check.scan.layout import load_layouts

    catalogue = load_rules().catalogue
    for layout in load_layouts():
        for own in layout.materials:
            assert not set(catalogue.materials[own].counts_as) & set(layout.materials), (layout.kind, own)
    assert catalogue.filed_as(["high_tech_certificate"]) == ["high_tech_certificate", "unit_awards"]
