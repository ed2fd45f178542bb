"""The OCR and render workers' memory cap where there is no `resource` (Windows): a job object of
the worker's own (scan/workers.limit_memory_by_job). The struct is checked byte by byte against
the Windows SDK's layout of JOBOBJECT_EXTENDED_LIMIT_INFORMATION; under the Windows simulation a
recording kernel32 enforces the job's limit as Linux would, and a reader past it gives the same
clear finding as on Linux while the rest of the packet is read and nothing is left behind. The
real kernel32 call is reasoned, not run here."""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from changju_check.scan import workers
from tests.windows import simulate

REPO = Path(__file__).resolve().parents[2]


def test_the_job_struct_has_the_sdk_layout_of_64_bit_windows():
    """winnt.h, x64: JOBOBJECT_BASIC_LIMIT_INFORMATION 64 bytes (LimitFlags at 16), IO_COUNTERS 48,
    then four SIZE_Ts: ProcessMemoryLimit at 112; 144 bytes in all."""
    info = workers.job_limit_information(1500 << 20)
    extended, basic = type(info), type(info.BasicLimitInformation)
    assert ctypes.sizeof(ctypes.c_size_t) == 8  # the layout below is 64-bit's (the only Python 3.11+ wheels for onnxruntime)
    assert ctypes.sizeof(info) == 144 and ctypes.sizeof(basic) == 64 and ctypes.sizeof(type(info.IoInfo)) == 48
    assert [(n, getattr(basic, n).offset) for n, _ in basic._fields_] == [
        ("PerProcessUserTimeLimit", 0), ("PerJobUserTimeLimit", 8), ("LimitFlags", 16), ("MinimumWorkingSetSize", 24),
        ("MaximumWorkingSetSize", 32), ("ActiveProcessLimit", 40), ("Affinity", 48), ("PriorityClass", 56),
        ("SchedulingClass", 60)]
    assert [(n, getattr(extended, n).offset) for n, _ in extended._fields_] == [
        ("BasicLimitInformation", 0), ("IoInfo", 64), ("ProcessMemoryLimit", 112), ("JobMemoryLimit", 120),
        ("PeakProcessMemoryUsed", 128), ("PeakJobMemoryUsed", 136)]
    raw = ctypes.string_at(ctypes.addressof(info), ctypes.sizeof(info))
    assert int.from_bytes(raw[16:20], "little") == 0x100 | 0x2000  # PROCESS_MEMORY | KILL_ON_JOB_CLOSE
    assert int.from_bytes(raw[112:120], "little") == 1500 << 20
    assert raw[120:144] == bytes(24) and raw[:16] == bytes(16)  # no job-wide cap, no time limits


def test_the_worker_puts_itself_in_a_job_capped_at_the_limit():
    kernel32 = simulate.FakeKernel32(enforce=False)  # records; puts no limit on this test process
    assert workers.limit_memory_by_job(kernel32, 1500 << 20)
    create, setinfo, assign = kernel32.calls
    assert create["call"] == "CreateJobObjectW" and create["attributes"] is None and create["name"] is None
    assert setinfo == {"call": "SetInformationJobObject", "job": create["job"], "info_class": 9, "size": 144,
                       "struct_size": 144, "flags": 0x2100, "process_memory_limit": 1500 << 20, "job_memory_limit": 0}
    assert assign == {"call": "AssignProcessToJobObject", "job": create["job"], "process": kernel32.CURRENT_PROCESS}


def test_no_job_no_cap_and_no_error():
    class NoJobs(simulate.FakeKernel32):
        def _CreateJobObjectW(self, attributes, name):
            return None  # out of system resources

    assert not workers.limit_memory_by_job(NoJobs(), 1 << 30)
    assert not workers.limit_memory_by_job(object(), 1 << 30)  # no such functions: no cap, no traceback


HOG = r"""
import sys
from changju_check.scan import reader

target, how = open(sys.argv[1], "rb").read(), sys.argv[2]
real = reader._run_jobs

def run_jobs(jobs, workers, timeout, progress=None):
    # the reader of one file goes past the cap: it allocates 3 GB, or the system ends it
    extra = {"_test_allocate_mb": 3000} if how == "allocates" else {"_test_crash": True}
    return real([{**job, **extra} if job["data"] == target else job for job in jobs], workers, timeout, progress)

reader._run_jobs = run_jobs
sys.argv = ["changju"] + sys.argv[3:]
from changju_check.cli import main
main()
"""


@pytest.mark.parametrize("how", ["allocates", "is-ended"])
def test_a_reader_past_the_cap_is_a_clear_finding_and_the_rest_is_read(tmp_path, how):
    pytest.importorskip("rapidocr")
    pytest.importorskip("pypdfium2")
    from tests.bundle.helpers import jpeg_bytes
    from tests.hostile.test_nothing_written import snapshot
    from tests.packets import youth_packet

    root = youth_packet(tmp_path / "packet", add={"2-申报人材料/身份证.jpg": jpeg_bytes((900, 600))},
                        drop=("2-申报人材料/身份证.pdf",))
    before = snapshot(root)
    temp, log = tmp_path / "temp", tmp_path / "kernel32.jsonl"
    temp.mkdir()
    env = dict(os.environ, TMPDIR=str(temp), CHANGJU_SCAN_MEMORY_MB="1500", CHANGJU_LANG="zh", PYTHONIOENCODING="utf-8",
               PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    simulate.enable_for_children(env)
    env[simulate.KERNEL32_LOG] = str(log)
    run = subprocess.run([sys.executable, "-c", HOG, str(root / "2-申报人材料" / "身份证.jpg"), how,
                          "check", str(root), "--read-scans", "--no-cache", "--format", "json"],
                         capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600)
    assert run.returncode in (0, 1) and "Traceback" not in run.stderr, run.stderr[-2000:]
    report = json.loads(run.stdout)
    found = [f for f in report["findings"] if f["file"] == "2-申报人材料/身份证.jpg" and f["code"] == "CJ504"]
    assert len(found) == 1 and "内存" in found[0]["message"] and "未必损坏" in found[0]["message"], report["findings"]
    assert not any(f["code"] in ("CJ101", "CJ502") for f in report["findings"]), report["findings"]  # the rest was read
    assert sorted(temp.iterdir()) == []  # the readers' temporary folders are gone
    assert snapshot(root) == before
    calls = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()]
    jobs = [c for c in calls if c["call"] == "SetInformationJobObject"]
    assert jobs and all(c["process_memory_limit"] == 1500 << 20 and c["flags"] == 0x2100 and c["size"] == 144
                        for c in jobs)
    assigned = {c["pid"] for c in calls if c["call"] == "AssignProcessToJobObject"}
    assert {c["pid"] for c in jobs} == assigned  # each reader put itself in its job
