"""The pre-commit hook receives the changed files, checks only their packets, and is quiet when clean.

The test runs pre-commit itself (from the test extra) in a temporary git repository, with the
hook definition read from this repository's .pre-commit-hooks.yaml; only `language` becomes
`system` (the `changju` of this environment), so no virtual environment is built and nothing
is fetched.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from changju_check.packet import open_packet
from tests.packets import build, youth_packet

ROOT = Path(__file__).parents[2]
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def test_the_hooks_receive_file_names_and_check_only_their_packets():
    for hook in HOOKS:
        assert hook["pass_filenames"] is True and hook["require_serial"] is True
        assert hook["entry"].startswith("changju check --changed") and "--quiet" in hook["entry"]


def _listed(path: str, hook: dict) -> bool:
    return bool(re.search(hook.get("files", ""), path)) and not re.search(hook.get("exclude", "^$"), path)


def test_the_hook_patterns_match_exactly_the_files_changju_reads(tmp_path):
    names = {
        "changju.yaml": 1, "身份证.pdf": 1, "照片/1.JPG": b"x", "合同.PDF": 1, "说明.docx": b"x", "notes.txt": b"x",
        ".DS_Store": b"x", "Thumbs.db": b"x", "desktop.ini": b"x", "__MACOSX/._a.pdf": b"x", ".git/config": b"x",
        "sub/.hidden.pdf": b"x", "changju.yml": b"x", "扫描件/IMG_0001.jpeg": b"x", "a.heic": b"x",
    }
    packet = build(tmp_path / "p", {k: v for k, v in names.items() if k != "changju.yaml"}, "category: youth\n")
    with open_packet(packet) as opened:
        read = {pf.path for pf in opened.files} | {"changju.yaml"}
    for hook in HOOKS:
        listed = {n for n in names if _listed(f"packets/p/{n}", hook)}
        assert listed == read, hook["id"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_pre_commit_run_checks_only_the_packet_whose_file_changed(tmp_path):
    repo = tmp_path / "repo"
    youth_packet(repo / "packets" / "甲", drop=("2-申报人材料/身份证.pdf",))  # flawed, but unchanged
    youth_packet(repo / "packets" / "乙")
    youth_packet(repo / "packets" / "丙")
    (repo / "README.md").write_text("packets\n", encoding="utf-8")
    hook = dict(HOOKS[0], language="system")
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    env = {
        **os.environ,
        "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
        "PYTHONIOENCODING": "utf-8",
    }

    def sh(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True, encoding="utf-8", timeout=300)

    assert sh("git", "init", "-q").returncode == 0
    sh("git", "add", "-A")
    assert sh("git", "commit", "-q", "-m", "packets", "--no-verify").returncode == 0
    pre_commit = [sys.executable, "-m", "pre_commit", "run"]

    # a change in 乙 that breaks it: only 乙 is reported, never the unchanged (flawed) 甲
    (repo / "packets" / "乙" / "2-申报人材料" / "简历.docx").write_bytes(b"PK\x03\x04 not really a document")
    sh("git", "add", "-A")
    failed = sh(*pre_commit)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "packets/乙" in failed.stdout and "CJ304" in failed.stdout
    assert "packets/甲" not in failed.stdout and "packets/丙" not in failed.stdout
    sh("git", "commit", "-q", "-m", "break 乙", "--no-verify")

    # a clean change in 丙: the hook passes and prints nothing of its own
    (repo / "packets" / "丙" / "1-申报单位材料" / "单位诚信声明.pdf").write_bytes(
        (repo / "packets" / "丙" / "2-申报人材料" / "个人诚信声明.pdf").read_bytes()
    )
    sh("git", "add", "-A")
    passed = sh(*pre_commit, "--verbose")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "CJ" not in passed.stdout and "packets/" not in passed.stdout

    # a file outside every packet: nothing to check
    (repo / "README.md").write_text("packets, updated\n", encoding="utf-8")
    sh("git", "add", "-A")
    assert sh(*pre_commit).returncode == 0
