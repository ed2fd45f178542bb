"""The app reads the pages as `check` does (issue 27's default, through issue 26's one recognition):
a packet of scans named the way scanners and browsers name them (扫描件003.pdf, IMG_….jpg, 下载(1).pdf)
and no changju.yaml gets, in the app, the report `changju check --format json` gives — every file
placed, the name and nationality read from the ID card photo, the contract's dates from its page 2 —
and 基本情况 shows them filled in with where they were read, yes-or-no answers in words (否, not
False). The app used to check with reading turned off: 申报人姓名 and the contract's dates were
empty, and /api/report was not check's."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from changju_check import scan
from tests.desk.desk_app import REPO, env, start_app
from tests.realdocs.test_facts_from_pages import AS_OF, named_anyhow

pytestmark = pytest.mark.skipif(not scan.available(), reason="needs the [scan] extra")


def _settled(app, before: int) -> dict:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        state = json.loads(app.request("GET", "/api/state")[2])
        if state["version"] > before and not state["busy"]:
            return state
        time.sleep(0.1)
    raise AssertionError("the app did not finish checking in 180 s")


def test_the_app_reads_the_pages_where_that_changes_the_result_and_says_what_check_says(tmp_path):
    packet = named_anyhow(tmp_path / "张三")
    app = start_app(str(packet), "--as-of", AS_OF)
    try:
        app.login()
        before = json.loads(app.request("GET", "/api/state")[2])["version"]
        assert app.post("/api/category", b'{"category": "youth"}')[0] == 200
        _settled(app, before - 1)
        body = app.request("GET", "/api/report")[2]
        report = json.loads(body)
        placed = {f for m in report["materials"] for f in m["files"]}
        assert len(placed) == 13 and "CJ103" not in {f["code"] for f in report["findings"]}
        facts = {(f["key"], f["file"]): f["value"] for f in report["facts"]}
        assert facts[("applicant.name", "IMG_20230812_101602.jpg")] == "张三"  # OCR'd from the ID card photo
        assert facts[("applicant.contract.end", "扫描件005.pdf")] == "2024-02-29"  # the contract's page 2
        cli = subprocess.run([sys.executable, "-m", "changju_check", "check", str(packet), "-c", "youth",
                              "--as-of", AS_OF, "--format", "json"], cwd=REPO, capture_output=True, env=env())
        assert body == cli.stdout  # the app's verdict is check's, byte for byte

        status, _, page = app.request("GET", "/facts")
        text = page.decode("utf-8")
        assert status == 200
        assert 'value="张三"' in text and "IMG_20230812_101602.jpg 第 1 页" in text
        assert 'value="2024-02-29"' in text and "扫描件005.pdf 第 2 页" in text
        assert "页面上读到“否”" in text and "“False”" not in text and "“True”" not in text
    finally:
        app.stop()


def test_an_ocr_cache_inside_the_opened_folder_is_not_used_and_nothing_is_written_there(tmp_path):
    """Reading pages caches what was read; where the cache folder lies inside the folder she opened,
    the app reads without it (as check does) and the packet stays as it was."""
    packet = named_anyhow(tmp_path / "张三")
    only = {"IMG_20230812_101602.jpg", "扫描件004.pdf"}  # a photo to OCR, and a text layer: quick
    for f in packet.iterdir():
        if f.name not in only:
            f.unlink()
    before = sorted(p.relative_to(packet).as_posix() for p in packet.rglob("*"))
    app = start_app(str(packet), "--as-of", AS_OF, CHANGJU_CACHE_DIR=str(packet / "缓存"))
    try:
        app.login()
        version = json.loads(app.request("GET", "/api/state")[2])["version"]
        assert app.post("/api/category", b'{"category": "youth"}')[0] == 200
        _settled(app, version)
        report = json.loads(app.request("GET", "/api/report")[2])
        assert any(f["key"] == "applicant.name" for f in report["facts"])  # read, without a cache
    finally:
        app.stop()
    after = sorted(p.relative_to(packet).as_posix() for p in packet.rglob("*"))
    assert after == before, after
