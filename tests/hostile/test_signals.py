"""SIGTERM and SIGHUP during `bundle` clean up as Ctrl-C does: no half-written book, no temporary
file beside it, no copy of a scan anywhere (neither beside the output nor in the temp directory).

A real `changju bundle` process is stopped in the middle of writing the book: a wrapper script
makes the first write to the book's temporary file announce itself and wait, so the signal
arrives while the temporary file exists. No copy of a scan is ever written to disk (the image's page is
made in memory), so the temporary file is the only thing beside the output."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile.test_nothing_written import snapshot
from tests.packets import youth_packet

REPO = Path(__file__).resolve().parents[2]

WRAPPER = r"""
import sys, time
from changju_check.write import file as wfile

real = wfile._open_temp

class Slow:
    def __init__(self, fh):
        self.fh, self.told = fh, False
    def write(self, data):
        if not self.told:
            self.told = True
            sys.stdout.write("WRITING\n"); sys.stdout.flush()
            for _ in range(600):  # working on: a signal, or Windows' console thread, interrupts between steps
                time.sleep(0.1)
        return self.fh.write(data)
    def __getattr__(self, name):
        return getattr(self.fh, name)
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        self.fh.close()

wfile._open_temp = lambda fd: Slow(real(fd))
sys.argv = ["changju"] + sys.argv[1:]
from changju_check.cli import main
main()
"""


def stop_bundle_while_writing(tmp_path, send, env=None):
    """A real `changju bundle` of a packet with a scan, stopped by `send(proc)` while it writes the
    book's temporary file; returns (exit code, stderr, the output folder, the temporary directory,
    the packet and its snapshot from before)."""
    from tests.bundle.helpers import jpeg_bytes

    root = youth_packet(tmp_path / "packet", add={"申报书.pdf": 2, "2-申报人材料/身份证.jpg": jpeg_bytes((600, 400))},
                        drop=("2-申报人材料/身份证.pdf",))
    before = snapshot(root)
    out_dir = tmp_path / "books"
    out_dir.mkdir()
    temp = tmp_path / "temp"
    temp.mkdir()
    # no rule cache: a cold cache's entry is written through the same temporary file, first
    env = dict(env if env is not None else os.environ, TMPDIR=str(temp), CHANGJU_NO_RULE_CACHE="1")
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.Popen(
        [sys.executable, "-c", WRAPPER, "bundle", str(root), "-o", str(out_dir / "book.pdf")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )
    try:
        line = proc.stdout.readline()
        assert line == b"WRITING\n", (line, proc.stderr.read() if proc.poll() is not None else "")
        during = sorted(p.name for p in out_dir.iterdir())
        assert len(during) == 1 and during[0].endswith(".tmp"), during  # the book's temp, and no copy of a scan
        send(proc)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    encoding = env.get("PYTHONIOENCODING") or "utf-8"
    return proc.returncode, err.decode(encoding, errors="replace"), out_dir, temp, root, before


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")
@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
def test_a_signal_during_bundle_leaves_no_temporary_file_and_no_scan_copy(tmp_path, signame):
    code, err, out_dir, temp, root, before = stop_bundle_while_writing(
        tmp_path, lambda proc: proc.send_signal(getattr(signal, signame)))
    assert code == 128 + getattr(signal, signame), err
    assert "Traceback" not in err
    assert sorted(out_dir.iterdir()) == []
    assert sorted(temp.iterdir()) == []
    assert snapshot(root) == before


def test_a_check_whose_ending_signal_was_lost_in_a_finaliser_still_ends_as_terminated(monkeypatch, capsys):
    """Python drops an exception raised while a finaliser runs; the handler recorded the signal,
    so the command ends with the code of a termination and says so (the work already done stays)."""
    import signal as signals

    import changju_check.cli as cli
    from changju_check.engine import run as engine_run

    real = engine_run.check_packet

    def check_and_lose_the_signal(*args, **kwargs):
        try:
            cli._terminate(signals.SIGTERM, None)
        except BaseException:  # noqa: BLE001 - as Python does with an exception raised in __del__
            pass
        return real(*args, **kwargs)

    monkeypatch.setattr(engine_run, "check_packet", check_and_lose_the_signal)
    with pytest.raises(SystemExit) as ended:
        cli.main(["check", str(REPO / "examples" / "youth-complete"), "--format", "json"])
    assert ended.value.code == 128 + signals.SIGTERM
    assert "已终止" in capsys.readouterr().err


def test_an_interruption_just_after_a_reader_started_leaves_no_reader_behind(tmp_path, monkeypatch):
    """Ctrl-C (or an ending signal) can arrive between a reader process's start and the line that
    keeps it: the reader and its private folder (where a library may leave copies) are still ended
    when the check unwinds (seen once in CI as a changju-scan-* folder left after Ctrl+Break)."""
    from changju_check import scan
    from changju_check.engine.run import CheckOptions, check_packet
    from changju_check.scan import workers

    if not scan.available():
        pytest.skip("needs the [scan] extra")
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # TMPDIR read afresh
    real = workers._Worker.__init__
    started = []

    def started_then_interrupted(self, *args, **kwargs):
        real(self, *args, **kwargs)
        started.append(self)
        raise KeyboardInterrupt  # as if Ctrl-C came right after the start, before anyone kept it

    monkeypatch.setattr(workers._Worker, "__init__", started_then_interrupted)
    with pytest.raises(KeyboardInterrupt):
        check_packet(REPO / "examples" / "youth-complete", CheckOptions(read_scans=True, scan_cache=False))
    assert started and not started[0].proc.is_alive()
    assert [p.name for p in temp.iterdir() if p.name.startswith("changju-")] == []
    assert workers._OPEN == set() and workers._SPARE is None
