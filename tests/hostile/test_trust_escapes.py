"""Every string that comes from a packet (a folder or file name, a manifest value) is escaped for
the medium it is written to: a folder named with an OSC 8 hyperlink or a screen-clearing escape
reaches neither a terminal, a CI log (stderr of `--format json|github|junit`, `changju summary`'s
warnings) nor a spreadsheet cell raw."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from changju_check.cli import app
from tests.packets import YOUTH_MANIFEST, youth_packet

runner = CliRunner(mix_stderr=False) if "mix_stderr" in CliRunner.__init__.__code__.co_varnames else CliRunner()
ENV = {"CHANGJU_LANG": "en", "COLUMNS": "160"}
# a folder name a client could send: an OSC 8 link around the name, then "clear the screen"
HOSTILE = "王磊\x1b]8;;https:evil.example\x07点此查看\x1b]8;;\x07\x1b[2J\u202e"
RAW = ("\x1b", "\x07", "\u202e")


def _batch(tmp_path):
    root = tmp_path / "batch"
    youth_packet(root / HOSTILE, manifest=YOUTH_MANIFEST + "bogus_key: 1\n")  # unusable: its error goes to stderr
    return root


def _clean(text: str) -> None:
    for ch in RAW:
        assert ch not in text, repr(text)


@pytest.mark.parametrize("fmt", ["json", "github", "junit", "sarif", "gitlab", "csv", "markdown"])
def test_batch_errors_on_stderr_are_escaped(tmp_path, fmt):
    result = runner.invoke(app, ["check", "--batch", str(_batch(tmp_path)), "--format", fmt, "--jobs", "1"], env=ENV)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    _clean(result.stderr)
    assert "\\x1b]8;;https:evil.example\\x07" in result.stderr  # the name is still shown, escaped


def test_the_csv_packet_column_is_escaped(tmp_path):
    result = runner.invoke(app, ["check", "--batch", str(_batch(tmp_path)), "--format", "csv", "--jobs", "1"], env=ENV)
    rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"), newline="")))
    packet = rows[1][0]
    _clean(packet)
    assert "\\x1b[2J" in packet


@pytest.mark.parametrize("fmt", ["csv", "text", "markdown"])
def test_changju_summary_escapes_the_duplicate_warning_and_every_cell(tmp_path, fmt):
    root = _batch(tmp_path)
    shards = []
    for i in (1, 2):
        shard = tmp_path / f"shard-{i}.json"
        runner.invoke(app, ["check", "--batch", str(root), "--format", "json", "-o", str(shard), "--jobs", "1"], env=ENV)
        assert HOSTILE in json.loads(shard.read_text(encoding="utf-8"))["packets"][0]["packet"]
        shards.append(str(shard))
    result = runner.invoke(app, ["summary", *shards, "--format", fmt], env=ENV)
    assert result.exit_code == 2
    assert "more than one report" in result.stderr
    _clean(result.stderr)
    _clean(result.stdout)


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab", "junit", "text", "markdown", "github", "csv"])
def test_stdout_of_every_format_carries_no_raw_control_or_bidi_character(tmp_path, fmt):
    root = tmp_path / "batch"
    youth_packet(root / HOSTILE, drop=("2-申报人材料/身份证.pdf",), add={"说明\u202e.pdf": 1})
    result = runner.invoke(app, ["check", "--batch", str(root), "--format", fmt, "--jobs", "1"], env=ENV)
    assert result.exit_code == 1, result.output
    _clean(result.stdout)
    if fmt == "json":  # the format's own escape: the same name once parsed
        assert json.loads(result.stdout)["packets"][0]["packet"].endswith(HOSTILE)
    if fmt == "junit":
        import xml.etree.ElementTree as ET

        names = [s.get("name") for s in ET.fromstring(result.stdout.encode("utf-8")).iter("testsuite")]
        assert any(HOSTILE.replace("\x1b", "").replace("\x07", "") in (n or "") or "\u202e" in (n or "") for n in names)
