"""Hostile and broken files: every one ends as a finding, none as an exception or a hang."""

from __future__ import annotations

import importlib.util
import logging
import os
import signal
import threading
import time
import tracemalloc

import pytest

import changju_check.inspect as inspect_mod
import changju_check.inspect.model as inspect_limits  # WORKER_GRACE lives beside FileInfo
from changju_check.inspect import FileInfo, inspect_file, inspect_files
from changju_check.packet import PacketFile, open_packet


def one(name: str, data: bytes, **kw) -> FileInfo:
    return inspect_file(PacketFile.from_bytes(name, data), **kw)


def codes_of(info: FileInfo) -> list[str]:
    return [f.code for f in info.findings]


# ----------------------------------------------------------------------------- PDFs


def test_valid_pdfs_have_no_findings(h):
    for n in (1, 3):
        info = one(f"{n}.pdf", h.pages_pdf(n))
        assert (info.kind, info.pages, info.findings, info.ok) == ("pdf", n, (), True)


def test_truncated_pdf_is_cj301_in_plain_words(h):
    info = one("审计报告.pdf", h.truncated_pdf())
    assert codes_of(info) == ["CJ301"]
    assert "不完整" in info.findings[0].message.zh
    assert "incomplete" in info.findings[0].message.en
    assert info.findings[0].file == "审计报告.pdf"


def test_random_bytes_named_pdf(h):
    info = one("scan.pdf", os.urandom(4096))
    assert info.kind == "other"
    assert codes_of(info) == ["CJ301"]
    assert "not PDF" in info.findings[0].message.en


def test_pdf_header_then_garbage_is_cj301_not_a_crash():
    info = one("x.pdf", b"%PDF-1.7\n" + os.urandom(3000))
    assert info.kind == "pdf"
    assert codes_of(info) == ["CJ301"]


def test_broken_xref_is_repaired_with_a_warning(h):
    info = one("x.pdf", h.broken_xref_pdf())
    assert info.pages == 2
    assert codes_of(info) == ["CJ308"]
    assert info.findings[0].severity == "warning"
    assert info.ok


def test_pypdf_never_prints_and_its_logger_is_restored(h, capsys):
    root_records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            root_records.append(record)

    keep = Keep()
    logging.getLogger().addHandler(keep)
    pypdf_logger = logging.getLogger("pypdf")
    before = (pypdf_logger.level, pypdf_logger.propagate, list(pypdf_logger.handlers))
    try:
        one("x.pdf", h.broken_xref_pdf())
        one("y.pdf", h.truncated_pdf())
    finally:
        logging.getLogger().removeHandler(keep)
    assert root_records == []
    assert capsys.readouterr() == ("", "")
    assert (pypdf_logger.level, pypdf_logger.propagate, list(pypdf_logger.handlers)) == before


def test_user_password_is_cj302(h):
    info = one("x.pdf", h.encrypted_pdf(user="secret", owner="owner", algorithm="AES-256"))
    assert info.encrypted == "user"
    assert codes_of(info) == ["CJ302"]
    assert info.pages is None


def test_owner_password_only_is_info_and_pages_are_counted(h):
    for algorithm in ("RC4-128", "AES-128", "AES-256"):
        info = one("bank.pdf", h.encrypted_pdf(user="", owner="owner", pages=2, algorithm=algorithm))
        assert info.encrypted == "owner"
        assert info.pages == 2
        assert codes_of(info) == ["CJ306"]
        assert info.findings[0].severity == "info"
        assert info.ok


def test_pdf_with_no_pages_is_cj303(h):
    info = one("x.pdf", h.zero_pages_pdf())
    assert info.pages == 0
    assert codes_of(info) == ["CJ303"]


def test_page_tree_cycle_is_cj301(h):
    info = one("x.pdf", h.kids_cycle_pdf())
    assert codes_of(info) == ["CJ301"]
    assert "循环" in info.findings[0].message.zh


def test_exponential_page_tree_hits_the_limit(h):
    info = one("x.pdf", h.exponential_tree_pdf(), timeout=30)
    assert codes_of(info) == ["CJ301"]


def test_flate_bomb_with_text_requested_is_graceful(h):
    info = one("x.pdf", h.flate_bomb_pdf(200), text_pages=1)
    assert info.pages == 1
    # pypdf stops at its 75 MB output limit; either it says so (CJ301) or it yields no text
    assert codes_of(info) in ([], ["CJ301"])
    assert not info.text


def test_text_layer_only_when_asked(h):
    data = h.text_pdf("2021年度审计报告")
    assert one("a.pdf", data).text is None
    assert "2021年度审计报告" in one("a.pdf", data, text_pages=1).text


def test_very_large_scan_stays_low_in_memory(h, tmp_path):
    # 100 MB is written in about a tenth of a second; CHANGJU_SLOW_TESTS=1 is not needed for it.
    megabytes = 100
    packet = tmp_path / "packet"
    packet.mkdir()
    h.write_large_pdf(packet / "大扫描件.pdf", megabytes)
    with open_packet(packet) as p:
        (pf,) = p.files
        assert pf.size > megabytes << 20
        tracemalloc.start()
        try:
            info = inspect_file(pf, timeout=60)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert (info.kind, info.pages, info.findings) == ("pdf", 1, ())
    assert peak < 20 * 1024**2, f"peak {peak} bytes for a {megabytes} MB file"


# ----------------------------------------------------------------------------- time limit


def _sleep_forever(pf, text_pages):
    time.sleep(60)


def _sleep_with_alarm_blocked(pf, text_pages):
    if hasattr(signal, "pthread_sigmask") and hasattr(signal, "SIGALRM"):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})  # only the parent's kill can stop this
    time.sleep(60)


def _swallow_one_interrupt(pf, text_pages):
    try:
        time.sleep(60)
    except BaseException:  # noqa: BLE001 - a library that eats everything once
        pass
    time.sleep(60)


def _is_timeout(info: FileInfo, limit: str) -> bool:
    return codes_of(info) == ["CJ301"] and f"检查超时（超过 {limit} 秒）" in info.findings[0].message.zh


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="POSIX alarm")
def test_hang_becomes_a_timeout_finding(monkeypatch):
    monkeypatch.setattr(inspect_mod, "_inspect_unbounded", _sleep_forever)
    info = one("slow.pdf", b"%PDF-1.4", timeout=0.5)
    assert _is_timeout(info, "0.5")
    assert "0.5 s" in info.findings[0].message.en
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.default_int_handler, None)


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="POSIX alarm")
def test_the_alarm_repeats_when_swallowed(monkeypatch):
    monkeypatch.setattr(inspect_mod, "_inspect_unbounded", _swallow_one_interrupt)
    assert _is_timeout(one("slow.pdf", b"%PDF-1.4", timeout=0.3), "0.3")


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="POSIX alarm")
def test_an_outer_alarm_is_given_back(monkeypatch):
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *a: fired.append(1))
    try:
        signal.setitimer(signal.ITIMER_REAL, 30)
        monkeypatch.setattr(inspect_mod, "_inspect_unbounded", _sleep_forever)
        assert _is_timeout(one("slow.pdf", b"%PDF-1.4", timeout=0.2), "0.2")
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 0 < left <= 30
        assert signal.getsignal(signal.SIGALRM) is not previous
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert fired == []


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="POSIX alarm")
def test_in_a_packet_only_the_hanging_file_times_out_and_the_alarm_is_put_back(monkeypatch, h):
    """inspect_files installs one SIGALRM handler for all of a packet's files and sets the timer
    per file: the file that hangs is the only time-out, the files after it are inspected in full,
    and the caller's own timer and handler are theirs again afterwards."""
    real = inspect_mod._inspect_unbounded

    def slow_middle(pf, text_pages):
        if pf.path == "2.pdf":
            time.sleep(60)
        return real(pf, text_pages)

    monkeypatch.setattr(inspect_mod, "_inspect_unbounded", slow_middle)
    files = [PacketFile.from_bytes(f"{i}.pdf", h.pages_pdf(i)) for i in (1, 2, 3)]
    fired = []

    def mine(*a):
        fired.append(1)

    previous = signal.signal(signal.SIGALRM, mine)
    try:
        signal.setitimer(signal.ITIMER_REAL, 30)
        infos = inspect_files(files, timeout=0.3)
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 0 < left <= 30
        handler = signal.getsignal(signal.SIGALRM)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert handler is mine  # the caller's handler, put back
    assert fired == []
    assert _is_timeout(infos["2.pdf"], "0.3")
    assert infos["1.pdf"].pages == 1 and infos["3.pdf"].pages == 3
    assert not infos["1.pdf"].findings and not infos["3.pdf"].findings


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="POSIX alarm")
def test_a_packet_without_a_time_limit_sets_no_alarm(monkeypatch, h):
    seen = []
    real = inspect_mod._inspect_unbounded

    def look(pf, text_pages):
        seen.append(signal.getitimer(signal.ITIMER_REAL))
        return real(pf, text_pages)

    monkeypatch.setattr(inspect_mod, "_inspect_unbounded", look)
    infos = inspect_files([PacketFile.from_bytes("a.pdf", h.pages_pdf(2))], timeout=0)
    assert infos["a.pdf"].pages == 2 and seen == [(0.0, 0.0)]


def _importable_here() -> bool:
    return importlib.util.find_spec(__name__) is not None


def _in_thread(fn):
    out = {}
    worker = threading.Thread(target=lambda: out.update(result=fn()))
    worker.start()
    worker.join(120)
    return out["result"]


@pytest.mark.skipif(not _importable_here(), reason="the spawned worker must import this module by name")
def test_outside_the_main_thread_a_worker_process_is_killed_on_time_out(monkeypatch):
    monkeypatch.setattr(inspect_mod, "_inspect_unbounded", _sleep_with_alarm_blocked)
    monkeypatch.setattr(inspect_limits, "WORKER_GRACE", 0.5)
    info = _in_thread(lambda: one("slow.pdf", b"%PDF-1.4", timeout=0.3))
    assert _is_timeout(info, "0.3")


def test_outside_the_main_thread_results_are_the_same(h, tmp_path):
    h.write(tmp_path, "a.pdf", h.pages_pdf(3))
    h.write(tmp_path, "b.pdf", h.truncated_pdf())
    with open_packet(tmp_path) as p:
        here = inspect_files(p.files)
        there = _in_thread(lambda: inspect_files(p.files))
    assert there == here
    assert there["a.pdf"].pages == 3
    assert codes_of(there["b.pdf"]) == ["CJ301"]


def _boom(pf, text_pages):  # module level: a spawned worker (Windows) finds it by name
    raise KeyError("/Root")


def test_an_unexpected_exception_becomes_cj301(monkeypatch):
    monkeypatch.setattr(inspect_mod, "_inspect_unbounded", _boom)
    info = one("x.pdf", b"%PDF-1.4")
    assert codes_of(info) == ["CJ301"]
    assert "KeyError" in info.findings[0].message.en


def test_recursion_error_becomes_cj301(monkeypatch):
    def deep(pf, text_pages):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(inspect_mod, "_inspect_unbounded", deep)
    assert codes_of(one("x.pdf", b"%PDF-1.4", timeout=None)) == ["CJ301"]


# ----------------------------------------------------------------------------- empty, images, other types


def test_zero_byte_file_is_cj303():
    info = one("空.pdf", b"")
    assert (info.kind, codes_of(info)) == ("empty", ["CJ303"])


def test_truncated_jpeg_is_cj301(h):
    data = h.jpeg_bytes((800, 600))
    info = one("photo.jpg", data[: len(data) // 2])
    assert info.kind == "jpeg"
    assert codes_of(info) == ["CJ301"]
    assert "incomplete" in info.findings[0].message.en


def test_jpeg_with_data_after_the_end_marker_is_fine(h):
    # motion photos append a video after the JPEG's end-of-image marker
    info = one("photo.jpg", h.jpeg_bytes() + os.urandom(200_000))
    assert (info.kind, info.findings) == ("jpeg", ())


def test_truncated_png_is_cj301(h):
    data = h.png_bytes((400, 300))
    info = one("photo.png", data[:-30])
    assert codes_of(info) == ["CJ301"]


def test_png_named_jpg_is_accepted_with_its_true_kind(h):
    info = one("photo.jpg", h.png_bytes())
    assert (info.kind, info.pages, info.findings) == ("png", 1, ())


def test_png_that_is_really_a_pdf(h):
    info = one("scan.png", h.pages_pdf(1))
    assert info.kind == "pdf"
    assert codes_of(info) == ["CJ301"]
    assert "content is PDF, not a PNG image" in info.findings[0].message.en


def test_png_that_is_really_text():
    info = one("scan.png", "这不是图片 this is not an image\n".encode() * 20)
    assert info.kind == "other"
    assert codes_of(info) == ["CJ301"]
    assert "text" in info.findings[0].message.en


@pytest.mark.parametrize("name", ["IMG_0001.heic", "IMG_0001.jpg", "IMG_0001"])
def test_heic_is_cj304_with_jpg_advice(h, name):
    info = one(name, h.heic_header())
    assert info.kind == "heic"
    assert codes_of(info) == ["CJ304"]
    assert "JPG" in info.findings[0].message.zh and "JPG" in info.findings[0].message.en


def test_heif_generic_brand_with_heic_compatible(h):
    assert one("x.heif", h.heic_header(b"mif1", (b"mif1", b"heic"))).kind == "heic"


def test_avif_shares_mif1_but_is_not_heic(h):
    info = one("x.avif", h.heic_header(b"mif1", (b"mif1", b"avif", b"miaf")))
    assert info.kind == "other"
    assert codes_of(info) == ["CJ304"]
    assert "AVIF" in info.findings[0].message.en


def test_docx_is_cj304(h):
    info = one("劳动合同.docx", h.docx_bytes())
    assert (info.kind, codes_of(info)) == ("other", ["CJ304"])
    assert "Word" in info.findings[0].message.en


def test_docx_named_pdf_is_cj301(h):
    info = one("劳动合同.pdf", h.docx_bytes())
    assert codes_of(info) == ["CJ301"]
    assert "Word" in info.findings[0].message.zh


def test_inspect_files_never_raises_on_a_packet_of_hostile_files(h, tmp_path):
    samples = {
        "a.pdf": h.truncated_pdf(),
        "b.pdf": os.urandom(1000),
        "c.pdf": h.kids_cycle_pdf(),
        "d.pdf": h.encrypted_pdf(user="x", owner="y"),
        "e.jpg": h.jpeg_bytes()[:100],
        "f.png": b"\x89PNG\r\n\x1a\n" + b"\xff" * 50,
        "g.heic": h.heic_header(),
        "h.pdf": b"",
        "i.jpg": b"\xff\xd8\xff\xe0\x00\x01",  # a segment length below 2
        "j.pdf": b"%PDF-" + b"\x00" * 10,
    }
    for name, data in samples.items():
        h.write(tmp_path, name, data)
    with open_packet(tmp_path) as p:
        infos = inspect_files(p.files, text_pages_for=lambda pf: 1)
    assert sorted(infos) == sorted(samples)
    assert all(not info.ok for info in infos.values())


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="POSIX alarm")
def test_tiny_limits_never_let_the_alarm_escape(h):
    data = h.pages_pdf(3)
    for limit in (1e-6, 1e-5, 1e-4, 1e-3, 1e-2) * 10:
        info = one("x.pdf", data, timeout=limit)
        assert info.pages == 3 or _is_timeout(info, f"{limit:g}")
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_packets_repair_messages_stay_with_the_file_that_caused_them(h):
    import logging

    logger = logging.getLogger("pypdf")
    before = (list(logger.handlers), logger.propagate, logger.level)
    files = [PacketFile.from_bytes("a.pdf", h.pages_pdf(1)), PacketFile.from_bytes("b.pdf", h.broken_xref_pdf()),
             PacketFile.from_bytes("c.pdf", h.pages_pdf(2))]
    infos = inspect_files(files, timeout=5.0)
    assert [codes_of(infos[p]) for p in ("a.pdf", "b.pdf", "c.pdf")] == [[], ["CJ308"], []]
    assert (list(logger.handlers), logger.propagate, logger.level) == before  # the capture is gone


def test_a_time_limit_arriving_as_a_file_is_opened_closes_it_once(tmp_path, monkeypatch):
    """The alarm's exception can arrive just after the file object was made: the descriptor is
    the object's alone, so it is closed once, and no later file that got the same number is
    closed under someone's feet ("Bad file descriptor" in another file's read)."""
    import io

    from changju_check.inspect.limits import TimedOut
    from changju_check.packet import model as packet_model

    path = tmp_path / "a.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    real_open = io.open

    def made_then_interrupted(*args, **kwargs):
        real_open(*args, **kwargs)  # made, then dropped as the exception unwinds
        raise TimedOut

    fds = lambda: len(os.listdir("/proc/self/fd"))  # noqa: E731
    before = fds()
    monkeypatch.setattr(packet_model.io, "open", made_then_interrupted)
    with pytest.raises(TimedOut):
        packet_model.DirSource(str(path)).open()
    monkeypatch.undo()
    assert fds() == before
    with packet_model.DirSource(str(path)).open() as fh:
        assert fh.read() == b"%PDF-1.4\n"


def test_a_small_pdf_is_parsed_from_memory_a_large_one_from_the_file_with_the_same_result(h, tmp_path, monkeypatch):
    """pypdf reads a PDF a few bytes at a time: a PDF up to IN_MEMORY_BYTES is read whole and
    parsed from memory, a larger one from the file; what is found is the same."""
    import io

    from changju_check.inspect import file as inspect_file_mod

    seen = []
    real = inspect_file_mod.inspect_pdf

    def spy(pf, fh, *args):
        seen.append(isinstance(fh, io.BytesIO))
        return real(pf, fh, *args)

    data = h.text_pdf("2022年度审计报告")
    (tmp_path / "a.pdf").write_bytes(data)
    monkeypatch.setattr(inspect_file_mod, "inspect_pdf", spy)
    with open_packet(tmp_path) as p:
        (pf,) = p.files
        # in this process (timeout=None) on every platform: the spy cannot see into a worker
        small = inspect_file(pf, text_pages=2, timeout=None)
        monkeypatch.setattr(inspect_file_mod, "IN_MEMORY_BYTES", len(data) - 1)
        large = inspect_file(pf, text_pages=2, timeout=None)
    assert seen == [True, False]
    assert small == large and small.pages == 1 and "2022" in small.text
