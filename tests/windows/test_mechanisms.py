"""Windows' own mechanisms, where Linux can run them (the pure parts, the simulation) — what only a
real Windows can show (the real kernel32 calls behind the console close handler and the job object)
is named on docs/guide/install's "How it is tested"; the simulated ones are in test_console.py,
test_memory_cap.py, test_orphans.py, test_stale_temp.py and test_long_paths.py."""

from __future__ import annotations

import multiprocessing
import os
import time

import pytest

from changju_check.cli import expand_wildcards
from changju_check.report import invocation
from changju_check.report.paths import long_path, short_path, too_long, too_long_zh_en, write_error_zh_en


def test_wildcards_are_expanded_on_windows_as_a_posix_shell_would(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "材料").mkdir()
    for name in ("张三.zip", "李四.zip", "说明.txt"):
        (tmp_path / "材料" / name).write_bytes(b"")
    for n in (2, 1):
        (tmp_path / f"shard-{n}.json").write_text("{}")
    args = ["check", os.path.join("材料", "*.zip"), "-o", "out-*.json", "--ignore", "CJ1*"]
    assert expand_wildcards(args, windows=True) == [
        "check", os.path.join("材料", "张三.zip"), os.path.join("材料", "李四.zip"), "-o", "out-*.json", "--ignore", "CJ1*"]
    assert expand_wildcards(["summary", "shard-*.json"], windows=True) == ["summary", "shard-1.json", "shard-2.json"]
    assert expand_wildcards(["check", "nothing-*.zip"], windows=True) == ["check", "nothing-*.zip"]  # reported as not found
    assert expand_wildcards(["check", "材料/*.zip"], windows=False) == ["check", "材料/*.zip"]  # the shell's job


def test_hints_name_the_command_as_the_user_ran_it():
    assert invocation.detect("C:\\Python312\\Scripts\\changju.exe", windows=True) == "changju"
    main = "C:\\Python312\\Lib\\site-packages\\changju_check\\__main__.py"
    assert invocation.detect(main, windows=True, has_py_launcher=True) == "py -m changju_check"
    assert invocation.detect(main, windows=True, has_py_launcher=False) == "python -m changju_check"


def test_a_hint_printed_under_py_m_is_runnable_as_printed():
    import subprocess
    import sys
    from pathlib import Path

    flawed = Path(__file__).resolve().parents[2] / "examples" / "youth-flawed"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "CHANGJU_LANG": "en", "COLUMNS": "200"}
    run = subprocess.run([sys.executable, "-m", "changju_check", "check", str(flawed)], capture_output=True,
                         text=True, env=env, timeout=120)
    exe = os.path.basename(sys.executable)
    assert f"{exe} -m changju_check explain CJ" in run.stdout, run.stdout[-500:]
    assert "changju explain" not in run.stdout.replace(f"{exe} -m changju_check explain", "")


def test_long_paths_get_the_extended_prefix_on_windows_only():
    deep = "C:\\Users\\hr\\Documents\\WeChat Files\\wxid_abc\\FileStorage\\File\\2023-08\\" + "申报材料\\" * 40 + "身份证.pdf"
    assert len(deep) > 260
    assert long_path(deep, windows=True) == "\\\\?\\" + deep
    assert long_path("\\\\server\\share\\" + "a\\" * 130 + "b.pdf", windows=True).startswith("\\\\?\\UNC\\server\\share\\")
    assert long_path("C:\\short\\a.pdf", windows=True) == "C:\\short\\a.pdf"
    assert long_path(deep, windows=False) == deep
    assert short_path(long_path(deep, windows=True)) == deep
    assert too_long(deep, FileNotFoundError(2, "not found"), windows=True)
    zh, en = too_long_zh_en(deep, windows=True)
    assert "路径过长" in zh and "Disable path length limit" in en and "D:\\申报材料" in zh


def test_a_report_open_in_excel_says_to_close_it(tmp_path):
    report = tmp_path / "报告.csv"
    report.write_text("old")
    err = PermissionError(13, "The process cannot access the file because it is being used by another process")
    err.winerror = 32
    zh, en = write_error_zh_en(str(report), err)
    assert "正被其他程序打开" in zh and "Excel" in zh and "WPS" in zh and "请关闭该文件后重试" in zh
    assert "Close it and try again" in en


def test_the_batch_pool_is_capped_at_windows_limit_of_61(monkeypatch):
    from changju_check.engine import batch

    monkeypatch.setattr(os, "cpu_count", lambda: 128)
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    assert batch.default_jobs() == 61
    seen = []

    def fake_pool(packets, options, workers):
        seen.append(workers.jobs)
        return iter(())

    monkeypatch.setattr(batch, "_in_pool", fake_pool)
    monkeypatch.setattr(batch.Workers, "start", lambda self: self)  # no process started: the count is the point
    batch.check_many([f"p{i}" for i in range(100)], batch.CheckOptions(), jobs=100)
    assert seen == [61]
    assert batch.Workers(100).jobs == 61  # the workers `check --batch -j 100` starts before finding the packets


def _grandchild(conn):  # pragma: no cover - runs in a spawned process
    from changju_check.inspect.limits import parent_gone

    conn.send(os.getpid())
    for _ in range(200):
        if parent_gone():
            conn.send("gone")
            return
        time.sleep(0.05)
    conn.send("never")


def _child(conn):  # pragma: no cover - runs in a spawned process; ends at once, leaving its child
    ctx = multiprocessing.get_context("spawn")
    p = ctx.Process(target=_grandchild, args=(conn,), daemon=False)
    p.start()
    conn.recv() if False else None
    os._exit(0)


def test_a_worker_sees_its_parent_gone_without_the_parent_pid():
    """On Windows os.getppid() keeps the dead parent's pid: the worker asks multiprocessing's parent
    sentinel instead (spawn, as on Windows)."""
    ctx = multiprocessing.get_context("spawn")
    ours, theirs = ctx.Pipe()
    child = ctx.Process(target=_child, args=(theirs,))
    child.start()
    child.join(60)
    assert ours.poll(60)
    ours.recv()  # the grandchild's pid
    assert ours.poll(30) and ours.recv() == "gone"


def test_a_packet_path_too_long_to_open_is_named_so_not_missing(tmp_path):
    """ENAMETOOLONG here; on Windows the same message for a path past MAX_PATH that the system calls
    missing (the extended-length prefix is tried first)."""
    from typer.testing import CliRunner

    from changju_check.cli.app import app

    root = tmp_path / ("申报材料" * 30)  # 360 bytes in one name: more than any file system holds
    result = CliRunner().invoke(app, ["--lang", "zh", "check", str(root)])
    assert result.exit_code == 2
    flat = "".join(result.output.split())
    assert "路径或其中的文件名过长" in flat and "路径不存在" not in flat


def test_bundle_reads_a_folder_packets_pdfs_in_place_where_there_is_no_proc_fd(tmp_path, monkeypatch):
    """Windows has no /proc/self/fd: qpdf then reads the PDF by its own path (no copy, no memory
    copy), and the same file is read (the open descriptor and the path are one file)."""
    from changju_check.bundle import book
    from changju_check.bundle.model import BookFile
    from changju_check.packet import open_packet
    import contextlib

    from tests.packets import youth_packet

    monkeypatch.setattr(book, "_fd_path", lambda stream: None)
    root = youth_packet(tmp_path / "p")
    with open_packet(root) as packet, contextlib.ExitStack() as stack:
        pf = next(f for f in packet.files if f.path.endswith("劳动合同.pdf"))
        assert pf.local_path is not None
        source = book._Loader(stack).load(BookFile(name="劳动合同.pdf", open=pf.open, kind="pdf", path=pf.local_path))
        assert source.path is not None and source.pdf is None and source.pages == 2
        zipped = book._Loader(stack).load(BookFile(name="x.pdf", open=pf.open, kind="pdf"))  # no path: memory
        assert zipped.path is None and zipped.pdf is not None


def test_a_library_that_finds_windll_imports_under_the_simulation():
    """colorama (which mkdocs-material, of the docs extra, brings into the same environment; and
    rapidocr's logging imports it) sets up kernel32's console functions when it finds
    `ctypes.windll`: the simulated kernel32 has them, failing as a Windows call fails, so OCR is
    not lost to an AttributeError (it was, in an environment with the docs extra)."""
    import importlib.util
    import subprocess
    import sys

    # colorama comes with the docs extra only: the README's test command (test and scan extras) has
    # no colorama, and then rapidocr's own import is what is tried under the simulation
    libraries = [name for name in ("colorama.win32", "rapidocr.main") if importlib.util.find_spec(name.split(".")[0])]
    if not libraries:
        pytest.skip("neither colorama nor rapidocr is installed")
    code = ("from tests.windows import simulate\nsimulate.install()\nimport ctypes\n"
            "k = ctypes.windll.kernel32\nf = k.GetStdHandle\nf.restype = ctypes.c_void_p\n"
            "assert f(-11) == 0 and ctypes.get_last_error() == 120\n"
            f"import {', '.join(libraries)}\nprint('imported')\n")
    repo = __import__("pathlib").Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=repo,
                         env={**os.environ, "CHANGJU_SIMULATE_WINDOWS": "1"}, timeout=120)
    assert out.stdout.strip() == "imported", out.stderr[-2000:]
