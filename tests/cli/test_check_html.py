"""`changju check --format html` end to end: one file per packet (or a folder for a batch), page
thumbnails within their size limits, a placeholder — never a crash — for a file that cannot be
drawn, and the time limit on rendering."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from changju_check.cli import app
from changju_check.inspect.preview import MAX_BYTES, make_previews
from changju_check.packet import open_packet
from tests.html_packets import HEIC, LOCKED, REPO, SCRIPT_NAME, TRUNCATED, hostile_packet, scanned_packet
from tests.render.htmldom import parse

runner = CliRunner()


def run(*args):
    return runner.invoke(app, ["check", *map(str, args)])


def thumbs(doc):
    return {li.get("data-file"): li for li in doc.find_all("li", cls="file")}


def test_check_format_html_writes_one_self_contained_file_and_prints_the_summary(tmp_path):
    out = tmp_path / "report.html"
    result = run(REPO / "examples" / "youth-flawed", "--format", "html", "-o", out)
    assert result.exit_code == 1, result.output  # the exit code of the check, whatever the format
    assert "已写入" in result.output and re.search(r"✗ \d+ 个错误，\d+ 个警告 — 不通过", result.output)
    doc = parse(out.read_text(encoding="utf-8"))
    assert doc.find(id="verdict").get("data-verdict") == "failed"
    cards = thumbs(doc)
    assert len(cards) == 20  # every file of the packet but the manifest
    for name, card in cards.items():
        img = card.find("img", cls="thumb")
        assert img is not None, name
        assert len(base64.b64decode(img.get("src").split(",", 1)[1])) <= MAX_BYTES
    if hasattr(os, "fchmod"):  # POSIX mode bits (Windows files have none)
        assert oct(out.stat().st_mode & 0o777) != "0o600"
    # the 申报书 is recognised (the book's cover), not a file that matches nothing
    assert doc.find(id="unmatched") is None
    form = doc.find(id="recognised").find(data_material="application_form")
    assert "申报书" in form.find(cls="title").text() and form.find("li", cls="file", data_file="申报书.pdf") is not None


def test_hostile_files_show_as_text_and_placeholders_never_a_crash(tmp_path):
    packet = hostile_packet(tmp_path / "packet")
    out = tmp_path / "out" / "report.html"
    result = run(packet, "--format", "html", "-o", out, "--lang", "en")
    assert result.exit_code == 1, result.output
    page = out.read_text(encoding="utf-8")
    doc = parse(page)
    assert not doc.find_all("script")
    cards = thumbs(doc)
    assert cards[SCRIPT_NAME].find("img", cls="thumb") is not None  # a real PDF with a hostile name: drawn
    assert SCRIPT_NAME in cards[SCRIPT_NAME].find(cls="fname").text()
    for name, code in ((TRUNCATED, "CJ301"), (LOCKED, "CJ302"), (HEIC, "CJ304")):
        card = cards[name]
        assert card.find("img") is None, name
        assert card.find(cls="placeholder").text().startswith("No preview"), name
        assert card.find(cls="finding", data_code=code) is not None, name
    assert "the PDF needs a password" in cards[LOCKED].find(cls="placeholder").text()
    assert not list(packet.rglob("*.html"))  # nothing written into the packet


def test_batch_writes_index_and_one_report_per_packet(tmp_path):
    root = tmp_path / "root"
    for name in ("youth-complete", "youth-flawed"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        import shutil

        shutil.copytree(REPO / "examples" / name, root / name)
    out = tmp_path / "sheets"
    result = run("--batch", root, "--format", "html", "-o", str(out) + "/", "--jobs", "2")
    assert result.exit_code == 1, result.output
    assert sorted(p.name for p in out.iterdir()) == ["001-youth-complete.html", "002-youth-flawed.html", "index.html"]
    index = parse((out / "index.html").read_text(encoding="utf-8"))
    rows = index.find("tbody").find_all("tr")
    assert [(r.get("data-verdict"), r.find("a").get("href")) for r in rows] == [
        ("passed", "001-youth-complete.html"),
        ("failed", "002-youth-flawed.html"),
    ]
    flawed = parse((out / "002-youth-flawed.html").read_text(encoding="utf-8"))
    assert all(li.find("img", cls="thumb") is not None for li in flawed.find_all("li", cls="file"))


def test_batch_html_needs_an_output_folder_outside_the_packets(tmp_path):
    root = tmp_path / "root"
    import shutil

    shutil.copytree(REPO / "examples" / "youth-complete", root / "a")
    result = run("--batch", root, "--format", "html")
    assert result.exit_code == 2 and "-o" in result.output
    result = run(root / "a", "--format", "html", "-o", root / "a" / "report.html")
    assert result.exit_code == 2 and "材料包内" in result.output
    assert not (root / "a" / "report.html").exists()
    (tmp_path / "file").write_text("x")
    result = run("--batch", root, "--format", "html", "-o", tmp_path / "file")
    assert result.exit_code == 2


def test_an_existing_folder_as_output_gets_the_packets_name(tmp_path):
    result = run(REPO / "examples" / "youth-complete", "--format", "html", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "youth-complete.html").is_file()


def test_html_on_stdout_is_utf8_on_a_chinese_windows_console(tmp_path):
    env = {**os.environ, "PYTHONIOENCODING": "gbk", "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-m", "changju_check", "check", str(REPO / "examples" / "youth-complete"), "--format", "html"],
        capture_output=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    text = proc.stdout.decode("utf-8")
    assert text.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in text and "✓" in text


def test_a_25_file_packet_report_stays_under_2_mb_with_thumbnails_under_40_kb(tmp_path):
    packet = scanned_packet(tmp_path / "packet", files=25)
    out = tmp_path / "report.html"
    result = run(packet, "--format", "html", "-o", out)
    assert result.exit_code in (0, 1), result.output
    size = out.stat().st_size
    assert size < 2_000_000, size
    doc = parse(out.read_text(encoding="utf-8"))
    cards = thumbs(doc)
    assert len(cards) == 25
    for card in cards.values():
        for img in card.find_all("img"):
            assert len(base64.b64decode(img.get("src").split(",", 1)[1])) <= MAX_BYTES


def test_rendering_runs_under_the_per_file_time_limit(tmp_path, monkeypatch):
    from changju_check.inspect import model

    # no grace after the limit: where no SIGALRM answers inside the worker (Windows), the parent's
    # kill at the limit is what stops a page; a tiny PDF would otherwise finish within the grace
    monkeypatch.setattr(model, "WORKER_GRACE", 0)
    packet = hostile_packet(tmp_path / "packet")
    with open_packet(packet) as opened:
        files = [pf for pf in opened.files if pf.path.endswith("劳动合同.pdf")]
        previews = make_previews(files, timeout=1e-4, workers=1)
    (only,) = previews.values()
    assert not only.pages and "预览超时" in only.problem.zh


def test_previews_in_a_zip_packet(tmp_path):
    import zipfile

    src = REPO / "examples" / "youth-complete"
    archive = tmp_path / "packet.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in src.rglob("*"):
            if path.is_file():
                zf.write(path, path.relative_to(src).as_posix())
    out = tmp_path / "zip.html"
    result = run(archive, "--format", "html", "-o", out)
    assert result.exit_code == 0, result.output
    cards = thumbs(parse(out.read_text(encoding="utf-8")))
    assert cards and all(c.find("img", cls="thumb") is not None for c in cards.values())


def test_other_formats_make_no_previews(tmp_path):
    from changju_check.engine.run import CheckOptions, check_packet

    report = check_packet(Path(REPO / "examples" / "youth-complete"), CheckOptions())
    assert report.previews == {}
    assert "previews" not in report.to_dict()


def test_pages_are_drawn_while_the_packet_is_inspected(monkeypatch):
    """The previews need nothing from the inspection: they start first and are collected last."""
    from changju_check import inspect as inspect_pkg
    from changju_check.engine.run import CheckOptions, check_packet
    from changju_check.inspect import preview

    events = []
    real_start, real_inspect, real_result = preview.start_previews, inspect_pkg.inspect_files, preview.PreviewRun.result

    def start(*a, **k):
        events.append("previews started")
        return real_start(*a, **k)

    def inspect(*a, **k):
        events.append("inspection")
        return real_inspect(*a, **k)

    def result(self, *a, **k):
        events.append("previews collected")
        return real_result(self, *a, **k)

    monkeypatch.setattr(preview, "start_previews", start)
    monkeypatch.setattr(inspect_pkg, "inspect_files", inspect)
    monkeypatch.setattr(preview.PreviewRun, "result", result)
    report = check_packet(REPO / "examples" / "youth-complete", CheckOptions(previews=True))
    assert events == ["previews started", "inspection", "previews collected"]
    assert report.previews and all(p.thumbnail is not None for p in report.previews.values() if p.problem is None)


def test_a_file_that_cannot_be_opened_gets_a_placeholder_naming_why_not_its_real_path(tmp_path):
    """Told before anything is drawn (the kind comes from the first bytes): no worker, no path."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("named pipes are POSIX")
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4\n")
    with open_packet(tmp_path) as opened:
        (pf,) = opened.files
        os.unlink(tmp_path / "a.pdf")
        os.mkfifo(tmp_path / "a.pdf")  # replaced by a named pipe after the packet was listed
        (only,) = make_previews([pf], timeout=5).values()
    assert "不是普通文件" in only.problem.zh and "not a regular file" in only.problem.en
    assert str(tmp_path) not in only.problem.zh + only.problem.en


def test_where_no_worker_can_start_one_thread_draws_in_this_process(monkeypatch):
    """PDFium is not thread-safe: without worker processes (a daemonic process, a script without
    a __main__ guard) the pages are drawn one file at a time here."""
    import threading

    from changju_check.inspect import limits, preview

    monkeypatch.setattr(limits.Worker, "_start", lambda self: (_ for _ in ()).throw(RuntimeError("no processes here")))
    busy, most = [0], [0]
    lock = threading.Lock()
    real = preview.render_preview

    def counting(pf, request):
        with lock:
            busy[0] += 1
            most[0] = max(most[0], busy[0])
        try:
            return real(pf, request)
        finally:
            with lock:
                busy[0] -= 1

    monkeypatch.setattr(preview, "render_preview", counting)
    with open_packet(REPO / "examples" / "youth-complete") as opened:
        previews = make_previews(opened.files, timeout=30)
    assert most[0] == 1 and previews and all(p.thumbnail is not None for p in previews.values() if p.problem is None)


def test_a_pdf_page_is_drawn_at_its_two_sizes_in_its_own_colours(tmp_path):
    """The thumbnail (280 px on the long side) and the larger page (720 px) of a PDF keep the page's
    shape and colours: a red box stays red (PDFium's BGR read as RGB would make it blue)."""
    import io

    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from changju_check.inspect.preview import LONG_SIDE, THUMB_LONG_SIDE

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFillColorRGB(1, 0, 0)
    c.rect(0, 0, A4[0], A4[1], fill=1, stroke=0)
    c.showPage()
    c.save()
    packet = tmp_path / "p"
    packet.mkdir()
    (packet / "红.pdf").write_bytes(buf.getvalue())
    with open_packet(packet) as opened:
        preview = make_previews(list(opened.files), workers=1)["红.pdf"]
    for picture, long_side in ((preview.thumbnail, THUMB_LONG_SIDE), (preview.pages[0], LONG_SIDE)):
        with Image.open(io.BytesIO(picture.data)) as im:
            assert max(im.size) == long_side and (picture.width, picture.height) == im.size
            assert abs(im.width / im.height - A4[0] / A4[1]) < 0.01
            r, g, b = im.convert("RGB").getpixel((im.width // 2, im.height // 2))
            assert r > 200 and g < 60 and b < 60, (r, g, b)


def _report_and_rules():
    from changju_check.engine.run import CheckOptions, check_packet
    from changju_check.rulebook.load import load_rules

    return check_packet(REPO / "examples" / "youth-flawed", CheckOptions(previews=True)), load_rules(None)


def test_the_printer_process_fills_in_the_same_sheet_and_ends():
    """The sheet's template is made ready in a printer process while the packet is checked
    (issue 30: ~70 ms of Jinja off the critical path); the page is the one filled in here."""
    from changju_check.render import html

    report, rules = _report_and_rules()
    printer = html.SheetPrinter()
    worker = printer._worker
    assert worker is not None and worker._proc is not None and worker._proc.is_alive()
    here = html.render(report, "zh", rules=rules)
    there = html.render(report, "zh", rules=rules, printer=printer)
    assert there == here and "<html" in there
    assert printer._worker is None and worker._proc is None  # closed after its one page


def test_a_printer_that_fails_leaves_the_sheet_to_be_filled_in_here(monkeypatch):
    from changju_check.render import html

    report, rules = _report_and_rules()
    printer = html.SheetPrinter()
    printer._worker._proc.kill()  # the process is gone before the page is asked of it
    printer._worker._proc.join()
    assert html.render(report, "en", rules=rules, printer=printer) == html.render(report, "en", rules=rules)

    class Unpicklable:
        def __reduce__(self):
            raise TypeError("cannot be sent")

    printer = html.SheetPrinter()
    assert printer.fill("report.html.j2", "zh", {"x": Unpicklable()}) is None and printer._worker is None
