"""read_scans on the synthetic corpus (tests/scans): every file's facts read exactly, seals,
CJ504, text layers, the cache (used on the second run, outside the packet), no network during
OCR, hostile files, the time limit. Needs the [scan] extra; skipped cleanly without it."""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("rapidocr")
pytest.importorskip("onnxruntime")
pytest.importorskip("pypdfium2")
pytest.importorskip("numpy")
yaml = pytest.importorskip("yaml")

import changju_check.scan as scan  # noqa: E402
from changju_check.scan import ScanRequest, read_scans  # noqa: E402
from changju_check.scan import pipeline  # noqa: E402

if not scan.available():  # pragma: no cover
    pytest.skip("the [scan] extra is incomplete (rapidocr models missing)", allow_module_level=True)

CORPUS = Path(__file__).parents[1] / "scans"
EXPECTED = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))["files"]


def request(path: Path, want, *, material=None, name=None, kind=None, **kw) -> ScanRequest:
    kind = kind or {"pdf": "pdf", "jpg": "jpeg", "jpeg": "jpeg", "png": "png"}[path.suffix.lstrip(".").lower()]
    return ScanRequest(material=material or path.stem, file=name or path.name, open=lambda: open(path, "rb"),
                       kind=kind, want=set(want), **kw)


def facts_of(result, file):
    return {e.fact: e.value for e in result.evidence if e.file == file and e.fact != "seal"}


@pytest.fixture(scope="module")
def corpus_result(tmp_path_factory):
    """The whole corpus read once, in parallel (2 worker processes), with a private cache."""
    cache = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CHANGJU_CACHE_DIR", str(cache))
        reqs = [request(CORPUS / name, set(e["want"]) | {"seal"}) for name, e in sorted(EXPECTED.items())]
        return read_scans(reqs, workers=2)


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    path = tmp_path / "cache"
    monkeypatch.setenv("CHANGJU_CACHE_DIR", str(path))
    return path


@pytest.fixture
def count_ocr(monkeypatch):
    calls = []
    real = pipeline.ocr

    def counting(image, threads=0):
        calls.append(image.size)
        return real(image, threads)

    monkeypatch.setattr(pipeline, "ocr", counting)
    return calls


# ----------------------------------------------------------------------------------- the corpus


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_facts_read_exactly(corpus_result, name):
    assert facts_of(corpus_result, name) == EXPECTED[name].get("facts", {})


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_seals(corpus_result, name):
    pages = [p for p in corpus_result.pages if p.file == name and p.page == 1]
    assert len(pages) == 1
    assert len(pages[0].seals) == EXPECTED[name]["seals"]
    has_evidence = any(e.fact == "seal" for e in corpus_result.evidence if e.file == name)
    assert has_evidence == (EXPECTED[name]["seals"] > 0)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_cj504_only_where_no_text(corpus_result, name):
    cj504 = [f for f in corpus_result.findings if f.file == name and f.code == "CJ504"]
    assert bool(cj504) == bool(EXPECTED[name].get("no_text"))
    for f in cj504:
        assert f.severity == "info" and f.message.zh and f.message.en


def test_corpus_evidence_is_complete_and_confident(corpus_result):
    for ev in corpus_result.evidence:
        assert 0.5 <= ev.confidence <= 1.0, ev
        assert ev.page == 1
    assert not [f for f in corpus_result.findings if f.code != "CJ504"]


def test_corpus_cross_check_gives_the_expected_codes(corpus_result):
    from datetime import date

    manifest = {"applicant.name": "张三", "unit.name": "北京昌聚科技有限公司",
                "applicant.contract.start": date(2022, 3, 1), "applicant.contract.end": date(2025, 2, 28)}
    findings, facts = scan.cross_check(
        corpus_result, manifest.get, date(2023, 6, 1),
        {"audit_2020.jpg": (2020,), "audit_2020_is_2019.jpg": (2020,), "audit_2021.pdf": (2021,),
         "iit_2021-2022.jpg": (2021, 2022)},
        {"integrity_sealed", "integrity_unsealed", "red_heading", "red_logo", "commitment_two_seals"},
    )
    got = sorted((f.code, f.file) for f in findings)
    assert ("CJ502", "audit_2020_is_2019.jpg") in got
    assert ("CJ209", "id_card_expired.jpg") in got
    assert ("CJ209", "id_card_long_term.jpg") not in got
    assert ("CJ503", "integrity_unsealed.jpg") in got and ("CJ503", "red_heading.jpg") in got
    assert ("CJ503", "red_logo.jpg") in got and ("CJ503", "integrity_sealed.jpg") not in got
    assert ("CJ501", "contract_old_2019.jpg") in got and ("CJ501", "contract_2022.jpg") not in got
    assert ("CJ501", "id_card_expired.jpg") in got  # 王五 is not 张三
    assert ("CJ501", "business_licence.jpg") not in got
    assert ("CJ502", "audit_2020.jpg") not in got and ("CJ502", "iit_2021-2022.jpg") not in got
    assert facts.contract_start is not None


# ----------------------------------------------------------------------------------- text layers, pages


def test_text_layer_is_used_instead_of_ocr(cache_dir, count_ocr):
    res = read_scans([request(CORPUS / "contract_text_layer.pdf", {"contract"})], workers=0)
    assert facts_of(res, "contract_text_layer.pdf") == {"contract_start": "2022-03-01", "contract_end": "2024-02-29"}
    assert count_ocr == []
    assert res.pages[0].source == "text-layer"


def test_image_only_pdf_is_ocrd(cache_dir, count_ocr):
    res = read_scans([request(CORPUS / "audit_2021.pdf", {"audit_year"})], workers=0)
    assert facts_of(res, "audit_2021.pdf") == {"year": "2021"}
    assert len(count_ocr) == 1 and res.pages[0].source == "ocr"


def test_pages_n_reads_the_following_pages(tmp_path, cache_dir, count_ocr):
    from PIL import Image

    cover = Image.open(CORPUS / "integrity_unsealed.jpg").convert("RGB")
    term = Image.open(CORPUS / "contract_2022.jpg").convert("RGB")
    pdf = tmp_path / "contract.pdf"
    cover.save(pdf, "PDF", resolution=150, save_all=True, append_images=[term])
    first = read_scans([request(pdf, {"contract"})], workers=0)
    assert facts_of(first, "contract.pdf") == {}
    both = read_scans([request(pdf, {"contract"})], workers=0, pages=2)
    assert facts_of(both, "contract.pdf") == {"contract_start": "2022-03-01", "contract_end": "2025-02-28"}
    assert {e.page for e in both.evidence} == {2}
    per_request = read_scans([request(pdf, {"contract"}, pages=2)], workers=0)
    assert facts_of(per_request, "contract.pdf") == facts_of(both, "contract.pdf")


def test_png_is_read(tmp_path, cache_dir):
    from PIL import Image

    png = tmp_path / "id.png"
    Image.open(CORPUS / "id_card_zhangsan.jpg").save(png)
    res = read_scans([request(png, {"identity"})], workers=0)
    assert facts_of(res, "id.png") == {"name": "张三", "expiry": "2035-03-01"}


def test_transparent_png_is_read_on_white(tmp_path, cache_dir):
    from PIL import Image

    page = Image.open(CORPUS / "id_card_zhangsan.jpg").convert("L")
    ink = page.point(lambda v: 255 - v)  # dark text -> opaque, paper -> transparent
    rgba = Image.new("RGBA", page.size, (0, 0, 0, 0))
    rgba.putalpha(ink)
    png = tmp_path / "id.png"
    rgba.save(png)
    res = read_scans([request(png, {"identity"})], workers=0)
    assert facts_of(res, "id.png") == {"name": "张三", "expiry": "2035-03-01"}


def test_same_file_for_two_materials_is_read_once(cache_dir, count_ocr):
    path = CORPUS / "id_card_zhangsan.jpg"
    res = read_scans([request(path, {"identity"}, material="a"), request(path, {"identity"}, material="b")],
                     workers=0, cache=False)
    assert len(count_ocr) == 1
    assert {(e.material, e.fact) for e in res.evidence} == {("a", "name"), ("a", "expiry"), ("b", "name"), ("b", "expiry")}


def test_unknown_want_is_a_programming_error():
    with pytest.raises(ValueError):
        ScanRequest("m", "f.pdf", lambda: io.BytesIO(b""), "pdf", {"horoscope"})


# ----------------------------------------------------------------------------------- the cache


def test_cache_is_used_on_the_second_run_and_lives_outside_the_packet(tmp_path, cache_dir, count_ocr):
    packet = tmp_path / "packet"
    packet.mkdir()
    for name in ("id_card_zhangsan.jpg", "contract_2022.jpg"):
        shutil.copy(CORPUS / name, packet / name)
    before = sorted((p.name, p.stat().st_mtime_ns) for p in packet.iterdir())
    reqs = [request(packet / "id_card_zhangsan.jpg", {"identity"}), request(packet / "contract_2022.jpg", {"contract", "seal"})]

    first = read_scans(reqs, workers=0, packet_root=packet)
    assert len(count_ocr) == 2
    second = read_scans(reqs, workers=0, packet_root=packet)
    assert len(count_ocr) == 2  # no OCR the second time
    assert second.evidence == first.evidence
    assert all(p.cached for p in second.pages)
    assert second.stats["cache_hits"] >= 3

    assert sorted((p.name, p.stat().st_mtime_ns) for p in packet.iterdir()) == before
    entries = list(cache_dir.rglob("*.json"))
    assert entries and all(packet not in e.parents for e in entries)


def test_cache_false_reads_again_and_writes_nothing(cache_dir, count_ocr):
    reqs = [request(CORPUS / "id_card_zhangsan.jpg", {"identity"})]
    read_scans(reqs, workers=0, cache=False)
    read_scans(reqs, workers=0, cache=False)
    assert len(count_ocr) == 2
    assert not cache_dir.exists() or not list(cache_dir.rglob("*.json"))


def test_cache_key_changes_with_the_file(tmp_path, cache_dir, count_ocr):
    path = tmp_path / "id.jpg"
    shutil.copy(CORPUS / "id_card_zhangsan.jpg", path)
    read_scans([request(path, {"identity"})], workers=0)
    shutil.copy(CORPUS / "id_card_long_term.jpg", path)  # same name, new content
    res = read_scans([request(path, {"identity"})], workers=0)
    assert len(count_ocr) == 2
    assert facts_of(res, "id.jpg") == {"name": "李四", "expiry": "长期"}


def test_cache_inside_the_packet_is_not_used(tmp_path, monkeypatch, count_ocr):
    packet = tmp_path / "packet"
    packet.mkdir()
    shutil.copy(CORPUS / "id_card_zhangsan.jpg", packet / "id.jpg")
    monkeypatch.setenv("CHANGJU_CACHE_DIR", str(packet / ".cache"))
    read_scans([request(packet / "id.jpg", {"identity"})], workers=0, packet_root=packet)
    assert sorted(p.name for p in packet.iterdir()) == ["id.jpg"]


# ----------------------------------------------------------------------------------- offline


def test_no_network_access_during_ocr(monkeypatch, cache_dir):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access attempted during OCR")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(pipeline, "_ENGINE", None)  # build the engine (models) under the block
    res = read_scans([request(CORPUS / "passport_smith.jpg", {"identity"})], workers=0, cache=False)
    assert facts_of(res, "passport_smith.jpg") == {"name": "SMITH JOHN", "expiry": "2030-03-15"}
    assert attempts == []


def _unshare_works() -> bool:
    if not shutil.which("unshare"):
        return False
    try:
        return subprocess.run(["unshare", "-n", "true"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


@pytest.mark.skipif(not _unshare_works(), reason="needs `unshare -n` (a network namespace) on this machine")
def test_ocr_in_a_process_without_network(tmp_path):
    code = (
        "import sys; from changju_check.scan import ScanRequest, read_scans\n"
        f"p = {str(CORPUS / 'id_card_zhangsan.jpg')!r}\n"
        "r = read_scans([ScanRequest('id', 'id.jpg', lambda: open(p, 'rb'), 'jpeg', {'identity'})], workers=1, cache=False)\n"
        "print(sorted((e.fact, e.value) for e in r.evidence)); print([f.message.en for f in r.findings])\n"
    )
    env = {**os.environ, "CHANGJU_CACHE_DIR": str(tmp_path / "cache"),
           "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[2]), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(["unshare", "-n", sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "[('expiry', '2035-03-01'), ('name', '张三')]" in done.stdout
    assert done.stderr == ""  # the library printed nothing


# ----------------------------------------------------------------------------------- hostile files


class Boom(io.BytesIO):
    def __enter__(self):
        raise PermissionError("denied")


HOSTILE = {
    "empty.pdf": (b"", "pdf"),
    "garbage.pdf": (b"%PDF-1.7\n" + b"\x00garbage" * 200, "pdf"),
    "not_a_pdf.pdf": (b"GIF89a" + b"\x00" * 100, "pdf"),
    "truncated.jpg": (None, "jpeg"),
    "text.png": (b"this is not a png", "png"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_give_cj504_not_a_crash(name, cache_dir):
    data, kind = HOSTILE[name]
    if data is None:
        data = (CORPUS / "contract_2022.jpg").read_bytes()[:5000]
    res = read_scans([ScanRequest("m", name, lambda: io.BytesIO(data), kind, {"contract", "seal"})], workers=0)
    assert res.evidence == []
    assert [f.code for f in res.findings] == ["CJ504"]
    assert res.files[0].error is not None or res.pages


def test_unopenable_file_gives_cj504(cache_dir):
    res = read_scans([ScanRequest("m", "x.jpg", lambda: Boom(), "jpeg", {"identity"})], workers=0)
    assert [f.code for f in res.findings] == ["CJ504"]
    assert "PermissionError" in res.findings[0].message.en


def test_password_protected_pdf_gives_cj504(tmp_path, cache_dir):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(CORPUS / "contract_text_layer.pdf").pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    data = buf.getvalue()
    res = read_scans([ScanRequest("m", "locked.pdf", lambda: io.BytesIO(data), "pdf", {"contract"})], workers=0)
    assert res.evidence == []
    assert [f.code for f in res.findings] == ["CJ504"]


def test_hostile_files_through_worker_processes(cache_dir):
    good = CORPUS / "id_card_zhangsan.jpg"
    reqs = [
        ScanRequest("bad", "garbage.pdf", lambda: io.BytesIO(b"%PDF-1.4 broken"), "pdf", {"contract"}),
        request(good, {"identity"}),
    ]
    res = read_scans(reqs, workers=2)
    assert [(f.code, f.file) for f in res.findings] == [("CJ504", "garbage.pdf")]
    assert facts_of(res, good.name) == {"name": "张三", "expiry": "2035-03-01"}


def test_time_limit_per_file(cache_dir):
    res = read_scans([request(CORPUS / "contract_2022.jpg", {"contract"})], workers=1, timeout=0.001, cache=False)
    assert res.evidence == []
    assert [f.code for f in res.findings] == ["CJ504"]
    assert "longer than" in res.findings[0].message.en and "超时" in res.findings[0].message.zh


def test_a_crashing_worker_costs_only_its_own_file(cache_dir):
    from changju_check.scan.reader import _CRASHED, _run_jobs

    good = {"data": (CORPUS / "contract_text_layer.pdf").read_bytes(), "kind": "pdf", "dpi": 150, "needs": {0: ["text"]}}
    crash = {**good, "_test_crash": True}
    out = _run_jobs([crash, good, good], 2, 30.0)
    assert out[0]["error"] == _CRASHED
    assert out[1]["error"] is None and out[1]["pages"][0]["text"]["source"] == "text-layer"
    assert out[2]["error"] is None
