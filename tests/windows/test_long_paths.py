"""A packet in a WeChat download folder, its files' full paths past MAX_PATH (~300 characters), as
Windows without "Disable path length limit" refuses them unless they carry the extended-length
prefix (`\\\\?\\`): check finds and reads every file, bundle writes the book, the review sheet shows
the previews. Run under the Windows simulation (MAX_PATH enforced), also in the normal suite."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from changju_check.report.paths import long_path
from tests.windows import simulate

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "youth-complete"
WECHAT = ("Documents", "WeChat Files", "wxid_4f8k2m9q1z7x22", "FileStorage", "File", "2023-08")
FOLDER = "北京某某生物科技有限公司-张三-青年类人才-申报材料（已盖章最终版，请勿修改）"


def _deep(tmp_path: Path, total: int) -> Path:
    """A packet root under a WeChat-like nesting whose longest file path is about `total` characters."""
    base = tmp_path.joinpath(*WECHAT)
    longest = max(len(str(p.relative_to(EXAMPLE))) for p in EXAMPLE.rglob("*")) + 1
    room = total - longest - len(str(base)) - 1
    parts = []
    while room > len(FOLDER) + 1 + 20:  # folder names of at most ~40 characters, as WeChat's downloads
        parts.append(FOLDER)
        room -= len(FOLDER) + 1
    parts.append(("材料" * 40)[: max(1, room)])
    return base.joinpath(*parts)


def _run(args, cwd, env):
    return subprocess.run([sys.executable, "-m", "changju_check", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)


@pytest.fixture
def env(tmp_path):
    env = dict(os.environ, CHANGJU_LANG="zh", PYTHONIOENCODING="utf-8", COLUMNS="200", CHANGJU_NO_RULE_CACHE="1",
               PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    if os.name != "nt":
        simulate.enable_for_children(env)  # Windows' MAX_PATH; on Windows itself, the real one
    return env


@pytest.mark.parametrize("total", [300, 268])  # the whole packet past MAX_PATH / only the files in it
def test_a_packet_past_max_path_is_read_bound_and_previewed(tmp_path, env, total):
    root = _deep(tmp_path, total)
    shutil.copytree(EXAMPLE, long_path(root, always=True))
    files = sorted(p for p in Path(long_path(root, always=True)).rglob("*") if p.is_file())
    lengths = [len(str(root)) + len(str(p)) - len(long_path(root, always=True)) for p in files]
    assert max(lengths) >= total - 2 and (total < 280 or len(str(root)) >= 260), (len(str(root)), max(lengths))
    assert sum(n >= 260 for n in lengths) >= 5

    run = _run(["check", str(root), "--format", "json"], tmp_path, env)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stdout[-2000:] + run.stderr[-2000:]
    report = json.loads(run.stdout)
    assert not [f for f in report["findings"] if f["code"] in ("CJ101", "CJ301") or "无法读取" in f["message"]]
    seen = {f for m in report["materials"] for f in m["files"]}
    assert len(seen) >= len(files) - 2  # every file found (the manifest and the declaration are not materials)

    book = tmp_path / "装订" / "申报书-张三.pdf"
    book.parent.mkdir()
    run = _run(["bundle", str(root), "-o", str(book)], tmp_path, env)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stdout[-2000:] + run.stderr[-2000:]
    from pypdf import PdfReader

    assert len(PdfReader(book).pages) > len(files)  # every PDF bound, with the cover and contents

    sheet = tmp_path / "审核表.html"
    run = _run(["check", str(root), "--format", "html", "-o", str(sheet)], tmp_path, env)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stdout[-2000:] + run.stderr[-2000:]
    html = sheet.read_text(encoding="utf-8")
    short = _run(["check", str(EXAMPLE), "--format", "html", "-o", str(tmp_path / "short.html")], tmp_path, env)
    assert short.returncode == 0
    previews = len(re.findall("data:image/jpeg;base64,", html))
    assert previews > 0 and previews == len(re.findall("data:image/jpeg;base64,", (tmp_path / "short.html").read_text(encoding="utf-8")))
    assert "\\\\?\\" not in html and "\\\\?\\" not in run.stdout  # the user sees the path as Explorer shows it


def test_a_season_folder_past_max_path_with_a_folder_and_a_zip_packet(tmp_path, env):
    import zipfile

    season = _deep(tmp_path, 292)  # the folder of the season's downloads, ~250 characters
    shutil.copytree(EXAMPLE, long_path(season / "张三-青年类", always=True))
    with zipfile.ZipFile(long_path(season / "李四-青年类.zip", always=True), "w") as zf:
        for p in sorted(EXAMPLE.rglob("*")):
            if p.is_file():
                zf.write(p, p.relative_to(EXAMPLE).as_posix())
    assert len(str(season / "李四-青年类.zip")) >= 260

    run = _run(["check", str(season / "李四-青年类.zip"), "--format", "json"], tmp_path, env)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stdout[-2000:] + run.stderr[-2000:]
    assert not [f for f in json.loads(run.stdout)["findings"] if f["code"] in ("CJ101", "CJ301")]

    run = _run(["check", "--batch", str(season), "--summary", "--format", "csv"], tmp_path, env)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stdout[-2000:] + run.stderr[-2000:]
    rows = [line for line in run.stdout.splitlines()[1:] if line.strip()]
    assert len(rows) == 2 and "张三-青年类" in run.stdout and "李四-青年类.zip" in run.stdout, run.stdout
    assert "\\\\?\\" not in run.stdout


def test_inside_the_packet_whether_or_not_the_path_carries_the_prefix(tmp_path):
    """The packet's root is an extended-length path on Windows, and Windows' realpath may add the
    prefix to a long path: a cache folder or a report inside the packet is still found inside."""
    from changju_check.report.paths import native
    from changju_check.write import is_inside
    from changju_check.write.file import _plain

    root = tmp_path / "申报材料"
    (root / "缓存").mkdir(parents=True)
    assert is_inside(root / "缓存", native(root)) and is_inside(native(root / "缓存"), root)
    assert not is_inside(tmp_path / "别处", native(root))
    assert str(_plain(Path("\\\\?\\D:\\微信\\申报材料"))) == str(Path("D:\\微信\\申报材料"))
    assert str(_plain(Path("\\\\?\\UNC\\nas\\hr\\申报材料"))) == str(Path("\\\\nas\\hr\\申报材料"))


def test_init_writes_the_manifest_into_a_folder_past_max_path(tmp_path, env):
    folder = _deep(tmp_path, 300) / "王五-青年类"  # not there yet: init makes it
    assert len(str(folder / "changju.yaml")) >= 260
    run = _run(["init", str(folder), "--category", "youth", "--no-read-scans"], tmp_path, env)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stdout[-2000:] + run.stderr[-2000:]
    written = Path(long_path(folder / "changju.yaml", always=True))
    assert written.is_file() and "category: youth" in written.read_text(encoding="utf-8")


def test_the_desk_app_checks_serves_and_previews_a_packet_past_max_path(tmp_path, env):
    from urllib.parse import quote

    from tests.desk.desk_app import start_app

    root = _deep(tmp_path, 300)
    shutil.copytree(EXAMPLE, long_path(root, always=True))
    extra = {k: env[k] for k in ("PYTHONPATH", simulate.ENV) if k in env}
    app = start_app(str(root), cwd=tmp_path, **extra)
    try:
        app.login()
        status, _, body = app.request("GET", "/api/report")
        assert status == 200
        report = json.loads(body)
        assert report["summary"]["errors"] == 0 and not [f for f in report["findings"] if f["code"] in ("CJ101", "CJ301")]
        name = "2-申报人材料/学信网学历认证报告.pdf"
        status, headers, body = app.request("GET", "/file?path=" + quote(name))
        assert status == 200 and body == (Path(long_path(root, always=True)) / name).read_bytes()
        status, headers, body = app.request("GET", "/thumb?file=" + quote(name))
        assert status == 200 and headers["content-type"] == "image/jpeg" and body[:3] == b"\xff\xd8\xff"
    finally:
        app.stop()
    assert "Traceback" not in app.err.decode("utf-8", "replace")
