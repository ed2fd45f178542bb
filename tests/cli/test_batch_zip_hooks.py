"""Batch mode, zip packets, the pre-commit hook manifest and the CI formats from the command line."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import yaml
from typer.testing import CliRunner

from changju_check.cli import app
from tests.packets import youth_packet

runner = CliRunner()
ROOT = Path(__file__).parents[2]


def check(*args):
    return runner.invoke(app, ["check", *map(str, args)])


def test_several_packets_give_one_json_document_and_the_worst_exit_code(tmp_path):
    good = youth_packet(tmp_path / "good")
    bad = youth_packet(tmp_path / "bad", drop=("2-申报人材料/身份证.pdf",))
    result = check(good, bad, "--format", "json", "--jobs", "2")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [Path(p["packet"]).name for p in data["packets"]] == ["good", "bad"]
    assert data["summary"]["packets"] == 2


def test_batch_finds_every_folder_holding_a_manifest(tmp_path):
    youth_packet(tmp_path / "a")
    youth_packet(tmp_path / "nested" / "b")
    (tmp_path / "not-a-packet").mkdir()
    result = check("--batch", tmp_path, "--format", "json", "--jobs", "1")
    assert result.exit_code == 0, result.stdout
    names = sorted(Path(p["packet"]).name for p in json.loads(result.stdout)["packets"])
    assert names == ["a", "b"]


def test_batch_text_ends_with_a_summary_table(tmp_path):
    youth_packet(tmp_path / "a")
    youth_packet(tmp_path / "b", drop=("2-申报人材料/身份证.pdf",))
    result = check("--batch", tmp_path, "--jobs", "2")
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if "youth" in line]
    assert len(lines) >= 2


def test_an_unusable_packet_in_a_batch_exits_2(tmp_path):
    youth_packet(tmp_path / "a")
    result = check(tmp_path / "a", tmp_path / "missing", "--format", "json")
    assert result.exit_code == 2


class _GbkName(zipfile.ZipInfo):
    """Writes the name as GBK bytes without the UTF-8 flag, as Chinese Windows does
    (zipfile itself would encode a non-ASCII name as UTF-8 and set the flag)."""

    __slots__ = ()

    def _encodeFilenameFlags(self):  # noqa: N802 (zipfile's name)
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def _zip_with_gbk_names(path: Path, files: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(_GbkName(name, date_time=(2023, 8, 1, 9, 0, 0)), data)


def test_a_zip_made_on_chinese_windows_shows_proper_chinese_names(tmp_path):
    packet = youth_packet(tmp_path / "p")
    files = {str(p.relative_to(packet)).replace("\\", "/"): p.read_bytes() for p in packet.rglob("*") if p.is_file()}
    archive = tmp_path / "packet.zip"
    _zip_with_gbk_names(archive, files)
    result = check(archive, "--format", "json")
    assert result.exit_code == 0, result.stdout
    data = json.loads(result.stdout)
    files_listed = [f for m in data["materials"] for f in m["files"]]
    assert "2-申报人材料/劳动合同.pdf" in files_listed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p", "packet.zip"]  # nothing extracted


def test_sarif_and_junit_and_github_from_the_command_line(tmp_path):
    root = youth_packet(tmp_path, drop=("2-申报人材料/身份证.pdf",))
    sarif = json.loads(check(root, "--format", "sarif").stdout)
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"][0]["ruleId"] == "CJ101"
    suite = ET.fromstring(check(root, "--format", "junit").stdout)
    assert suite.tag in ("testsuite", "testsuites") and suite.iter("failure")
    github = check(root, "--format", "github").stdout
    assert github.startswith("::error ") and "title=CJ101" in github


def test_the_pre_commit_hook_manifest():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["entry"].startswith("changju check") and hook["pass_filenames"] is True


def test_batch_over_the_examples_gives_one_summary_line_per_example_and_the_worst_exit_code():
    examples = ROOT / "examples"
    packets = sorted(p.parent.name for p in examples.glob("*/changju.yaml"))
    result = check("--batch", examples, "--no-color")
    assert result.exit_code == 1  # the flawed examples have errors
    summary = result.stdout.split("汇总", 1)[1]
    for name in packets:
        assert sum(1 for line in summary.splitlines() if f"examples/{name} " in line or line.strip().startswith(f"{examples}/{name}")) == 1, name
    complete = check(*sorted(examples.glob("*-complete")), "--format", "json")
    assert complete.exit_code == 0


def test_the_progress_bar_goes_to_stderr_and_leaves_the_reports_in_order(tmp_path, capsys):
    from changju_check.engine.batch import check_many
    from changju_check.engine.run import CheckOptions

    roots = [youth_packet(tmp_path / name) for name in ("b", "a")]
    reports = check_many(roots, CheckOptions(), jobs=1, progress=True)
    assert [Path(r.packet).name for r in reports] == ["b", "a"]
    assert capsys.readouterr().out == ""  # nothing on stdout: the report stays clean for pipes
