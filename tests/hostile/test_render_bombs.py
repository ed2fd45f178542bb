"""Render bombs under --read-scans: the per-file time limit holds although PDFium cannot be
interrupted, a worker runs under a memory limit, and a page's load is counted before it is
rendered. Needs the [scan] extra; skipped cleanly without it."""

from __future__ import annotations

import os
import io
import time
from pathlib import Path

import pytest

pytest.importorskip("pypdfium2")
pytest.importorskip("rapidocr")

from changju_check.scan import ScanRequest, read_scans  # noqa: E402
from changju_check.inspect import complexity
from changju_check.scan import workers  # noqa: E402
from tests.hostile import bounds_inputs as bi  # noqa: E402

GOOD = Path(__file__).resolve().parents[1] / "scans" / "contract_text_layer.pdf"


def _job(data: bytes, pages: int = 1) -> dict:
    return {"data": data, "kind": "pdf", "dpi": 150, "needs": {i: ["text"] for i in range(pages)}}


def _request(name: str, data: bytes) -> ScanRequest:
    return ScanRequest(material="labor_contract", file=name, open=lambda: io.BytesIO(data), kind="pdf",
                       want={"contract"})


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CHANGJU_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _load(data: bytes) -> complexity.Load:
    from pypdf import PdfReader

    return complexity.page_load(PdfReader(io.BytesIO(data)).pages[0])


# ------------------------------------------------------------------ the precheck


def test_a_page_drawing_one_form_4000_times_is_counted_before_rendering():
    data = bi.render_bomb_pdf(4000, via="form")
    assert len(data) < 40_000  # a small file ...
    load = _load(data)
    assert load.draws == 4000 and load.content_bytes > complexity.MAX_CONTENT_BYTES  # ... a big program
    assert load.over() is not None


def test_a_contents_array_listing_one_stream_4000_times_is_counted_as_often():
    load = _load(bi.render_bomb_pdf(4000, via="contents"))
    assert load.content_bytes > complexity.MAX_CONTENT_BYTES and load.over()[1].startswith("the page's content")


def test_an_ordinary_scanned_page_is_far_below_every_limit():
    load = _load(GOOD.read_bytes())
    assert load.over() is None and load.content_bytes < 100_000
    scan = Path(__file__).resolve().parents[1] / "scans" / "integrity_sealed_scan.pdf"
    load = _load(scan.read_bytes())
    assert load.over() is None and load.draws == 1


def test_a_form_that_draws_itself_is_refused_not_followed():
    from pypdf import PdfReader

    with pytest.raises(complexity.TooComplex):
        complexity.check_page(PdfReader(io.BytesIO(bi.looping_form_pdf())).pages[0])


@pytest.mark.parametrize("via", ["form", "contents"])
def test_render_bomb_is_a_cj504_naming_the_load_and_fast(cache_dir, via):
    started = time.monotonic()
    res = read_scans([_request("劳动合同.pdf", bi.render_bomb_pdf(100_000, via=via))], workers=1, timeout=30.0, cache=False)
    elapsed = time.monotonic() - started
    assert [f.code for f in res.findings] == ["CJ504"]
    msg = res.findings[0].message
    assert "过于复杂" in msg.zh and "not rendered" in msg.en and ("MB" in msg.en)
    assert elapsed < 25  # start-up of the worker included; the render would take hours


# ------------------------------------------------------------------ the hard limit


def test_a_page_under_the_limits_that_renders_slowly_is_killed_at_the_time_limit():
    """Three pages each under every precheck limit but seconds of PDFium each: the parent kills
    the worker once the file's time is up; the next file gets a fresh worker and is read."""
    slow = bi.slow_page_pdf(3)
    assert _load(slow).over() is None
    good = _job(GOOD.read_bytes())
    out = workers.run_jobs([_job(slow, pages=3), good], 1, 1.0)
    assert out[0]["error"] == workers.TIMEOUT
    # from the moment the worker got the file to its end: the limit and the grace, not the
    # render (a page alone takes PDFium about 4 s; SIGALRM would only be seen after it). On a
    # loaded machine the alarm may fire before PDFium starts and end the file itself: the same bound
    assert out[0]["seconds"] < 1.0 + workers.KILL_GRACE + 1.0, out[0]
    assert out[1]["error"] is None and out[1]["pages"][0]["text"]["source"] == "text-layer"


def test_the_time_limit_finding_names_the_limit(cache_dir):
    res = read_scans([_request("劳动合同.pdf", bi.slow_page_pdf(3))], workers=1, timeout=1.0, cache=False, pages=3)
    assert [f.code for f in res.findings] == ["CJ504"]
    assert "超过1秒" in res.findings[0].message.zh


def _has_memory_limit() -> bool:
    try:
        import resource  # noqa: F401
    except ImportError:
        import ctypes

        return hasattr(ctypes, "WinDLL")  # a job object (scan/workers.limit_memory_by_job; the simulation's kernel32)
    return True


@pytest.mark.skipif(not _has_memory_limit(), reason="a memory limit needs resource (POSIX) or a job object (Windows)")
def test_a_worker_runs_under_a_memory_limit(monkeypatch):
    """The limit is set in the worker itself: an allocation beyond it is a MemoryError there,
    reported as "out of memory", and the next file is read by a fresh worker."""
    monkeypatch.setenv("CHANGJU_SCAN_MEMORY_MB", "1500")
    big = {"data": b"", "kind": "pdf", "dpi": 150, "needs": {}, "_test_allocate_mb": 3000}
    out = workers.run_jobs([big, _job(GOOD.read_bytes())], 1, 30.0)
    assert out[0]["error"] == "out of memory"
    assert out[1]["error"] is None


def test_out_of_memory_is_not_called_damage(cache_dir):
    from changju_check.scan.reader import _error_msg

    msg = _error_msg("out of memory", 30.0)
    assert "内存" in msg.zh and "损坏" not in msg.zh.split("未必")[0] and "need not be damaged" in msg.en


def test_worker_memory_limit_default_and_off(monkeypatch):
    monkeypatch.delenv("CHANGJU_SCAN_MEMORY_MB", raising=False)
    assert workers.memory_limit_mb() == workers.DEFAULT_MEMORY_MB
    monkeypatch.setenv("CHANGJU_SCAN_MEMORY_MB", "0")
    assert workers.memory_limit_mb() == 0
    monkeypatch.setenv("CHANGJU_SCAN_MEMORY_MB", "lots")
    assert workers.memory_limit_mb() == workers.DEFAULT_MEMORY_MB


def test_check_reading_a_text_layer_counts_the_load_first():
    """Without --read-scans a name that says nothing makes check read the text layer, which pypdf
    interprets like a renderer: the bomb is a CJ301 naming the limit, at once."""
    from changju_check.inspect import inspect_file
    from changju_check.packet import PacketFile

    started = time.monotonic()
    info = inspect_file(PacketFile.from_bytes("scan.pdf", bi.render_bomb_pdf(100_000)), text_pages=1)
    assert time.monotonic() - started < 3
    assert [f.code for f in info.findings] == ["CJ301"]
    assert "safety limit" in info.findings[0].message.en and "MB" in info.findings[0].message.en


def test_check_read_scans_on_a_render_bomb_end_to_end(tmp_path):
    """The command a user runs: exit code, CJ504 naming the limit, no traceback, the packet
    unchanged, no temporary file, bounded time and memory."""
    from tests.packets import youth_packet

    root = youth_packet(tmp_path / "p", add={"2-申报人材料/劳动合同.pdf": bi.render_bomb_pdf(100_000)})
    before = bi.snapshot(root)
    run = bi.run_cli(["check", str(root), "--read-scans", "--no-cache", "--format", "json"], tmp_path, timeout=300)
    run.assert_clean()
    assert run.code in (0, 1)
    # check reads the contract's text layer itself (CJ301, a crafted file) or --read-scans refuses
    # to render it (CJ504): either way one finding naming the limit, never a render
    found = [f for f in run.json()["findings"] if f["file"] == "2-申报人材料/劳动合同.pdf" and f["code"] in ("CJ301", "CJ504")]
    assert len(found) == 1 and "limit 16 MB" in found[0]["message"], run.json()["findings"]
    assert bi.snapshot(root) == before
    assert run.seconds < 200 and run.peak_below(2500)  # generous: the rest of the packet is read too
