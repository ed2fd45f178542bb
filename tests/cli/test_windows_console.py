"""A Chinese Windows console: stdout redirected as cp936 (GBK), pipes that close early, no stdout at all.

Every command in every format runs as a real process with ``PYTHONIOENCODING=gbk`` and its
stdout redirected: the exit code is the one the command means, machine formats are UTF-8
bytes, human formats decode as GBK, and nothing prints a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
COMPLETE = EXAMPLES / "youth-complete"
FLAWED = EXAMPLES / "youth-flawed"
MACHINE = {"json", "sarif", "junit", "html"}


def changju(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "PYTHONIOENCODING": "gbk", "NO_COLOR": "", "CHANGJU_LANG": "", **(env or {})}
    full_env.pop("COLUMNS", None)
    return subprocess.run(
        [sys.executable, "-m", "changju_check", *args], capture_output=True, env=full_env, cwd=ROOT, timeout=120, **kwargs
    )


def _cases(tmp: str) -> list[tuple[str, tuple[str, ...], int, str]]:
    """(id, argv, expected exit code, format of stdout)."""
    cases = []
    for fmt in ("text", "json", "markdown", "sarif", "junit", "github"):
        cases.append((f"check-complete-{fmt}", ("check", str(COMPLETE), "-f", fmt), 0, fmt))
        cases.append((f"check-flawed-{fmt}", ("check", str(FLAWED), "-f", fmt), 1, fmt))
        cases.append((f"check-flawed-en-{fmt}", ("--lang", "en", "check", str(FLAWED), "-f", fmt), 1, fmt))
        cases.append((f"batch-{fmt}", ("check", "--batch", str(EXAMPLES), "-f", fmt, "-j", "1"), 1, fmt))
        # --output FILE: the report in the file, the summary line on stdout
        cases.append((f"check-output-{fmt}", ("check", str(FLAWED), "-f", fmt, "-o", f"{tmp}/report-{fmt}"), 1, "text"))
    for fmt in ("table", "markdown", "json"):
        cases.append((f"list-required-{fmt}", ("list-required", "青年", "--all", "-f", fmt), 0, fmt))
        cases.append((f"categories-{fmt}", ("categories", "-f", fmt), 0, fmt))
    cases += [
        # the review sheet: UTF-8 bytes on stdout for one packet, files for -o FILE and a batch's -o DIR/
        ("check-complete-html", ("check", str(COMPLETE), "-f", "html"), 0, "html"),
        ("check-flawed-html", ("check", str(FLAWED), "-f", "html"), 1, "html"),
        ("check-output-html", ("check", str(FLAWED), "-f", "html", "-o", f"{tmp}/report-html"), 1, "text"),
        ("batch-html", ("check", "--batch", str(EXAMPLES), "-f", "html", "-j", "1", "-o", f"{tmp}/sheets/"), 1, "text"),
        ("list-required-names", ("list-required", "youth", "--names"), 0, "text"),
        ("list-required-offline", ("list-required", "顶尖类"), 0, "text"),
        ("explain", ("explain", "CJ101"), 0, "text"),
        ("explain-en", ("explain", "CJ201", "--lang", "en"), 0, "text"),
        ("explain-table", ("explain", "--table"), 0, "markdown"),
        ("schema", ("schema",), 0, "json"),
        ("rules-validate", ("rules", "validate"), 0, "text"),
        ("init", ("init", f"{tmp}/new-packet", "-c", "youth"), 0, "text"),
        ("bundle-text", ("bundle", str(COMPLETE), "-o", f"{tmp}/book.pdf"), 0, "text"),
        ("bundle-json", ("bundle", str(COMPLETE), "-o", f"{tmp}/book2.pdf", "-f", "json"), 0, "json"),
        ("help", ("--help",), 0, "text"),
        ("help-check", ("check", "--help"), 0, "text"),
        ("help-en", ("--lang", "en", "list-required", "--help"), 0, "text"),
        ("version", ("--version",), 0, "text"),
        ("unknown-category", ("check", str(COMPLETE), "-c", "不存在的类别"), 2, "text"),
        ("missing-folder", ("check", f"{tmp}/没有这个文件夹", "-f", "json"), 2, "json"),
        ("bad-option", ("check", "--no-such-option"), 2, "text"),
    ]
    return cases


def test_every_command_in_every_format_survives_a_gbk_console(tmp_path):
    failures = []
    for case_id, argv, expected, fmt in _cases(str(tmp_path)):
        proc = changju(*argv)
        problems = []
        if proc.returncode != expected:
            problems.append(f"exit {proc.returncode}, expected {expected}")
        if b"Traceback" in proc.stderr or b"Traceback" in proc.stdout:
            problems.append("traceback")
        try:
            proc.stderr.decode("gbk")
        except UnicodeDecodeError:
            problems.append("stderr is not GBK")
        try:
            text = proc.stdout.decode("utf-8" if fmt in MACHINE or fmt == "json" else "gbk")
        except UnicodeDecodeError as exc:
            problems.append(f"stdout does not decode: {exc}")
            text = ""
        if fmt == "json" and text:
            json.loads(text)
        if fmt in ("text", "markdown", "github", "table") and not text.strip() and expected != 2:
            problems.append("empty stdout")
        if problems:
            failures.append(f"{case_id}: {'; '.join(problems)}\n{proc.stderr.decode('gbk', 'replace')[-800:]}")
    assert not failures, "\n".join(failures)
    for fmt in ("json", "sarif", "junit", "text", "markdown", "github", "html"):  # every file written with -o is UTF-8
        body = (tmp_path / f"report-{fmt}").read_bytes().decode("utf-8")
        assert "2.(3)" in body
    index = (tmp_path / "sheets" / "index.html").read_bytes().decode("utf-8")
    assert "youth-flawed" in index


def test_marks_degrade_to_characters_gbk_has():
    out = changju("check", str(FLAWED)).stdout.decode("gbk")
    assert "√ 已提供" in out and "× 缺少" in out and "\n× " in out and " 个错误" in out and "-m changju_check explain CJ101" in out
    assert "✓" not in out and "✗" not in out


def test_json_is_utf8_whatever_the_locale():
    out = changju("check", str(COMPLETE), "-f", "json").stdout
    assert "青年类人才" in out.decode("utf-8")
    assert json.loads(out)["ok"] is True


def test_a_pipe_closed_after_the_first_line_exits_quietly(tmp_path):
    import shutil

    for i in range(12):  # a batch of passing packets whose JSON is far more than a pipe holds
        shutil.copytree(COMPLETE, tmp_path / f"packet-{i:02d}")
    head = subprocess.Popen(["head", "-1"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    proc = subprocess.run(
        [sys.executable, "-m", "changju_check", "check", "--batch", str(tmp_path), "-j", "1", "-f", "json"],
        stdout=head.stdin,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONIOENCODING": "gbk"},
        timeout=120,
    )
    head.stdin.close()
    head.wait()
    assert proc.stderr == b"", proc.stderr.decode("gbk", "replace")
    assert proc.returncode == 0  # the verdict is kept: every packet passed


@pytest.mark.parametrize("argv", [("check", str(COMPLETE)), ("list-required", "youth"), ("--help",)])
def test_a_closed_stdout_exits_quietly(argv):
    proc = subprocess.run(
        ["sh", "-c", '"$0" -m changju_check "$@" >&-', sys.executable, *argv],
        capture_output=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.stderr == b"", proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 0


@pytest.mark.parametrize("encoding", ["cp437", "cp850", "cp1252"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_single_byte_console_gets_the_whole_report_with_unprintable_characters_replaced(encoding, lang):
    """`chcp 437` (an English Windows, a CI runner): the single-byte code page reports itself to the
    error handler as 'charmap'; the report came out empty (0 bytes, exit 1)."""
    run = changju("--lang", lang, "check", str(FLAWED), env={"PYTHONIOENCODING": encoding})
    assert run.returncode == 1, run.stderr.decode(encoding, "replace")
    out = run.stdout.decode(encoding)  # every byte is the console's own
    assert b"Traceback" not in run.stderr
    assert "CJ101" in out and len(out.splitlines()) > 10
    if lang == "en":
        assert "youth-flawed" in out and "\\u" not in out.split("youth-flawed")[0]
    else:
        assert "\\u6750\\u6599" in out  # 材料: shown as its code, never dropped
