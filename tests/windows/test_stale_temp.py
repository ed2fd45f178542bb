"""After Task Manager's "End task" (TerminateProcess: no handler, no `finally` runs) a run's private
folder stays in the temporary directory, with the desk app's book (a copy of every scan) in it.
The next run removes the folders of every run that has ended, and leaves a running one's alone:
no copy of a scan outlives the next run. Run as Windows would (the simulation's kernel32 answers
OpenProcess/WaitForSingleObject), also in the normal suite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.windows import simulate

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "youth-complete"

MAKES_A_BOOK = r"""
import sys, time
from changju_check.write.temp import private_dir
folder = private_dir("book")
with open(folder + "/申报书.pdf", "wb") as fh:
    fh.write(b"%PDF-1.7 copies of the scans")
print(folder, flush=True)
time.sleep(300)
"""


def _start(env):
    proc = subprocess.Popen([sys.executable, "-c", MAKES_A_BOOK], cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)
    return proc, Path(proc.stdout.readline().strip())


def test_the_next_run_removes_what_an_ended_run_left_in_the_temporary_directory(tmp_path):
    temp = tmp_path / "temp"
    temp.mkdir()
    env = dict(os.environ, TMPDIR=str(temp), CHANGJU_LANG="zh", PYTHONIOENCODING="utf-8",
               PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    simulate.enable_for_children(env)
    ended, ended_folder = _start(env)
    running, running_folder = _start(env)
    try:
        assert ended_folder.parent == temp and (ended_folder / "申报书.pdf").is_file()
        assert ended_folder.name.startswith(f"changju-book-{ended.pid}-")
        ended.kill()  # End task: nothing of the run's own cleans up
        ended.wait()
        assert (ended_folder / "申报书.pdf").is_file()
        someone_elses = temp / "changju-notes"  # not a run's folder: not ours to judge
        someone_elses.mkdir()
        run = subprocess.run([sys.executable, "-m", "changju_check", "check", str(EXAMPLE)], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stdout[-1000:] + run.stderr[-1000:]
        assert not ended_folder.exists()
        assert (running_folder / "申报书.pdf").is_file()  # a run still going keeps its folder
        assert someone_elses.is_dir()
    finally:
        for proc in (ended, running):
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            proc.stdout.close()
