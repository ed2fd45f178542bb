"""The third round's attacks as a user meets them: `changju` in its own process, on a Chinese
Windows console (GBK) with stdout redirected, a private TMPDIR and cache. Each run keeps its
promise — the exit code, no traceback, nothing left in the temporary folder, no packet file
changed, nothing executed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


from tests.packets import YOUTH_MANIFEST, youth_packet

FORM = {"申报书.pdf": 2}
HOSTILE = "王磊\x1b]8;;https:evil.example\x07点此\x1b]8;;\x07\x1b[2J"


def _run(args, cwd: Path, tmp_path: Path):
    tmp = tmp_path / "tmpdir"
    tmp.mkdir(exist_ok=True)
    env = {**os.environ, "TMPDIR": str(tmp), "TEMP": str(tmp), "TMP": str(tmp),
           "CHANGJU_CACHE_DIR": str(tmp_path / "cache"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "PYTHONIOENCODING": "gbk", "COLUMNS": "100", "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    env.pop("CHANGJU_LANG", None)
    proc = subprocess.run([sys.executable, "-m", "changju_check", *args], cwd=cwd, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    out, err = proc.stdout.decode("gbk", "replace"), proc.stderr.decode("gbk", "replace")
    assert "Traceback" not in out + err, err[-2000:]
    assert sorted(p.name for p in tmp.iterdir()) == []
    return proc.returncode, out, err


def _snapshot(root: Path):
    return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()}


def test_cd_packet_check_dot_with_a_planted_config(tmp_path):
    root = youth_packet(tmp_path / "客户" / "王磊", drop=("2-申报人材料/身份证.pdf",), add=FORM)
    (root / "changju.toml").write_text('ignore = ["CJ1", "CJ3"]\n', encoding="utf-8")
    marker = tmp_path / "PWNED"
    (root / "pyproject.toml").write_text(f'[tool.changju]\nrules = "`touch {marker}`"\n', encoding="utf-8")
    before = _snapshot(root)
    code, out, err = _run(["check", "."], root, tmp_path)
    assert code == 1 and "CJ101" in out and "CJ413" in out
    assert "changju.toml" in err
    assert _snapshot(root) == before and not marker.exists()


def test_a_batch_of_hostile_names_and_a_forged_shard(tmp_path):
    batch = tmp_path / "batch"
    youth_packet(batch / HOSTILE, manifest=YOUTH_MANIFEST + "waive:\n  - {code: CJ101, reason: 已说明}\n")
    youth_packet(batch / "张三", add=FORM)
    before = _snapshot(batch)
    code, out, err = _run(["check", "--batch", str(batch), "--format", "json", "--jobs", "1", "-o", str(tmp_path / "s.json")], tmp_path, tmp_path)
    assert code == 2 and "\x1b" not in out + err
    doc = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    doc["packets"] = [{**p, "ok": "true"} if p.get("fatal") else p for p in doc["packets"]]
    (tmp_path / "forged.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, out, err = _run(["summary", str(tmp_path / "forged.json")], tmp_path, tmp_path)
    assert code == 2 and "forged.json" in err and ".ok" in err
    assert _snapshot(batch) == before
