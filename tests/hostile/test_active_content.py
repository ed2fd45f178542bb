"""Active content: `check` says which file carries scripts or attachments (CJ309), and the book that
`bundle` makes carries the pages only — no script, action, attachment or form reaches the print shop."""

from __future__ import annotations

import json

import pikepdf
import pytest
from typer.testing import CliRunner

from changju_check.bundle import BookFile, BookMaterial, build_book
from changju_check.cli import app
from tests.hostile.activepdf import KINDS, PAYLOAD, REPORTED, active_pdf, all_active_pdf
from tests.hostile.test_nothing_written import snapshot
from tests.packets import pdf_bytes, youth_packet

runner = CliRunner()
TARGET = "2-申报人材料/个人诚信声明.pdf"

# names that only behaviour uses: none may be anywhere in the book
ACTIVE_KEYS = {"/JS", "/JavaScript", "/AA", "/OpenAction", "/EmbeddedFiles", "/EF", "/XFA", "/AcroForm", "/Names", "/URI"}
ACTIVE_NAMES = {"/JavaScript", "/Launch", "/URI", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE", "/EmbeddedFile",
                "/FileAttachment", "/Filespec", "/Link", "/Rendition", "/Screen"}


def run_json(args):
    result = runner.invoke(app, args)
    assert "Traceback" not in result.output
    return result, json.loads(result.stdout)


def cj309(report) -> list[dict]:
    return [f for f in report["findings"] if f["code"] == "CJ309"]


@pytest.mark.parametrize("kind", REPORTED)
def test_check_reports_a_pdf_with_scripts_or_attachments(tmp_path, kind):
    root = youth_packet(tmp_path / "p", add={TARGET: active_pdf(kind)})
    before = snapshot(root)
    result, report = run_json(["check", str(root), "--format", "json"])
    found = cj309(report)
    assert len(found) == 1 and found[0]["file"].endswith("个人诚信声明.pdf"), report["findings"]
    assert found[0]["severity"] == "warning"
    assert result.exit_code == 0  # a warning: the packet is still complete
    assert snapshot(root) == before


@pytest.mark.parametrize("kind", ["plain", "uri_link", "filled_field"])
def test_check_says_nothing_of_a_plain_pdf_or_a_hyperlink(tmp_path, kind):
    data = pdf_bytes(1) if kind == "plain" else active_pdf(kind)
    root = youth_packet(tmp_path / "p", add={TARGET: data})
    result, report = run_json(["check", str(root), "--format", "json"])
    assert cj309(report) == [] and result.exit_code == 0


def test_cj309_names_what_the_file_carries_in_both_languages(tmp_path):
    root = youth_packet(tmp_path / "p", add={TARGET: all_active_pdf()})
    _, zh = run_json(["check", str(root), "--format", "json"])
    _, en = run_json(["check", str(root), "--format", "json", "--lang", "en"])
    assert "PDF 含有脚本或附件" in cj309(zh)[0]["message"]
    for words in ("JavaScript", "嵌入的附件", "XFA", "启动程序"):
        assert words in cj309(zh)[0]["message"]
    assert "embedded files" in cj309(en)[0]["message"] and "JavaScript" in cj309(en)[0]["message"]


def _all_dicts(pdf: pikepdf.Pdf):
    """Every dictionary in the file, direct ones inside others included."""
    todo = [pdf.trailer] + list(pdf.objects)
    seen = set()
    while todo:
        obj = todo.pop()
        if isinstance(obj, pikepdf.Object) and obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            yield obj
            todo.extend(obj.get(k) for k in obj.keys())
        elif isinstance(obj, pikepdf.Array):
            todo.extend(obj)


def assert_no_behaviour(book_path):
    with pikepdf.open(book_path) as book:
        for d in _all_dicts(book):
            keys = set(d.keys())
            assert not keys & ACTIVE_KEYS, (keys, repr(d)[:200])
            for k in keys:
                v = d.get(k)
                if isinstance(v, pikepdf.Name):
                    assert str(v) not in ACTIVE_NAMES, (k, v)
            if isinstance(d, pikepdf.Stream):
                assert PAYLOAD not in d.read_bytes()
            for k in keys:
                v = d.get(k)
                if isinstance(v, pikepdf.String):
                    assert PAYLOAD not in bytes(v), (k, v)
        assert set(book.Root.keys()) <= {"/Type", "/Pages", "/Outlines", "/PageLabels"}
    assert PAYLOAD not in book_path.read_bytes()


def test_the_book_carries_pages_not_behaviour(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    files = []
    for kind in list(KINDS) + ["all"]:
        path = src / f"{kind}.pdf"
        path.write_bytes(all_active_pdf() if kind == "all" else active_pdf(kind))
        files.append(BookFile.from_path(path))
    form = [BookFile.from_bytes(active_pdf("open_js"), name="申报书.pdf", kind="pdf")]
    out = tmp_path / "book.pdf"
    result = build_book(form, [BookMaterial("2.(8)", "申报人获奖情况", tuple(files))], out)
    assert result.attachment_pages == len(files)
    assert_no_behaviour(out)
    # the pages themselves are all there, with their text
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(out).pages)
    for kind in list(KINDS) + ["all"]:
        assert f"MARKER-{kind}" in text
    assert "MARKER-filled" in text  # the field's printed appearance, drawn into the page


def test_bundle_command_strips_a_packet_file_and_check_warned_of_it(tmp_path):
    root = youth_packet(tmp_path / "p", add={TARGET: all_active_pdf(), "申报书.pdf": 2})
    before = snapshot(root)
    out = tmp_path / "book.pdf"
    result = runner.invoke(app, ["bundle", str(root), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert_no_behaviour(out)
    assert snapshot(root) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.pdf", "p"]  # no temporary file or spool left
