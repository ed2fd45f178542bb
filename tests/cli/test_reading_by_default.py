"""Reading the pages when it helps, without being asked (issue 27): `--read-scans` reads every scan,
`--no-read-scans` and the repository configuration's `read_scans = false` none; by default the pages
that can change the result are read where the [scan] extra is installed, and without it one line
says what reading would add and how to install it, in the form the tool was started."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from changju_check.cli import app
from changju_check.cli.progress import install_command
from tests.realdocs.test_check_realdocs import youth

runner = CliRunner()


def _unnamed_contract(tmp_path):
    # the contract scanned and named by the scanner app: its name says nothing
    return youth(tmp_path / "packet", **{"劳动合同.pdf": None, "扫描全能王 2023-08-15 10.32.pdf": "扫描全能王 2023-08-15 10.32.pdf"})


def test_without_the_extra_one_line_says_what_reading_would_add_and_how_to_install_it(tmp_path, monkeypatch):
    from changju_check import scan

    monkeypatch.setattr(scan, "available", lambda: False)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check", str(_unnamed_contract(tmp_path)), "--format", "json"])
    assert result.exit_code == 1  # the contract is not placed: CJ101 as before
    json.loads(result.stdout)  # stdout stays the report
    lines = [ln for ln in result.stderr.splitlines() if "changju-check[scan]" in ln]
    assert len(lines) == 1 and "扫描全能王 2023-08-15 10.32.pdf" in lines[0]
    assert install_command() in lines[0]


def test_no_line_when_nothing_would_be_read(tmp_path, monkeypatch):
    from changju_check import scan

    monkeypatch.setattr(scan, "available", lambda: False)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check", str(youth(tmp_path / "packet")), "--format", "json"])
    assert "changju-check[scan]" not in result.stderr


@pytest.mark.parametrize("how", [["--no-read-scans"], "config"])
def test_no_read_scans_and_the_configuration_turn_reading_off(tmp_path, monkeypatch, how):
    from changju_check.scan import reader

    def refuse(*args, **kwargs):
        raise AssertionError("no page may be read")

    monkeypatch.setattr(reader, "read_scans", refuse)
    monkeypatch.chdir(tmp_path)
    args = ["check", str(_unnamed_contract(tmp_path)), "--format", "json"]
    if how == "config":
        (tmp_path / "changju.toml").write_text("read_scans = false\n", encoding="utf-8")
    else:
        args += how
    result = runner.invoke(app, args)
    data = json.loads(result.stdout)
    assert "CJ103" in {f["code"] for f in data["findings"]}  # the scan stays unplaced: nothing was read
    assert "changju-check[scan]" not in result.stderr


def test_the_configuration_takes_auto_and_refuses_anything_else(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "changju.toml").write_text('read_scans = "auto"\n', encoding="utf-8")
    shown = runner.invoke(app, ["config", "--format", "json"])
    assert json.loads(shown.stdout)["settings"]["read_scans"]["value"] is None
    other = tmp_path / "other"  # (the configuration is read once per folder and process)
    other.mkdir()
    monkeypatch.chdir(other)
    (other / "changju.toml").write_text('read_scans = "sometimes"\n', encoding="utf-8")
    result = runner.invoke(app, ["check", str(youth(tmp_path / "packet"))])
    assert result.exit_code == 2 and "read_scans" in result.stderr


def test_a_well_named_packet_with_a_full_manifest_reads_no_page(tmp_path, monkeypatch):
    from changju_check.scan import reader

    def refuse(*args, **kwargs):
        raise AssertionError("no page may be read")

    monkeypatch.setattr(reader, "read_scans", refuse)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check", str(youth(tmp_path / "packet")), "--format", "json"])
    assert result.exit_code == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "executable, prefix, base, windows, expected",
    [
        (r"C:\Python312\python.exe", r"C:\Python312", r"C:\Python312", True, 'py -m pip install "changju-check[scan]"'),
        ("/usr/bin/python3", "/usr", "/usr", False, 'python3 -m pip install "changju-check[scan]"'),
        (r"C:\hr\venv\Scripts\python.exe", r"C:\hr\venv", r"C:\Python312", True,
         r'C:\hr\venv\Scripts\python.exe -m pip install "changju-check[scan]"'),
        (r"C:\Program Files\venv\python.exe", r"C:\Program Files\venv", r"C:\Python312", True,
         r'"C:\Program Files\venv\python.exe" -m pip install "changju-check[scan]"'),
        ("/home/hr/.local/pipx/venvs/changju-check/bin/python", "/home/hr/.local/pipx/venvs/changju-check", "/usr",
         False, 'pipx install --force "changju-check[scan]"'),
    ],
)
def test_the_install_command_in_the_form_the_tool_runs(executable, prefix, base, windows, expected):
    assert install_command(executable, prefix, base, windows) == expected


def test_the_progress_bar_draws_on_stderr_and_clears(capsys):
    from changju_check.cli.progress import pages_bar

    with pages_bar("zh", enabled=True) as bar:
        bar(1, 4)
        bar(4, 4)
    err = capsys.readouterr().err
    assert "读取页面 [#####" in err and "4/4" in err and err.endswith("\r")
    with pages_bar("zh", enabled=False) as bar:
        assert bar is None


def test_bundle_says_it_too(tmp_path, monkeypatch):
    from changju_check import scan

    monkeypatch.setattr(scan, "available", lambda: False)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["bundle", str(_unnamed_contract(tmp_path)), "-o", str(tmp_path / "book.pdf")])
    assert [ln for ln in result.stderr.splitlines() if "changju-check[scan]" in ln and "扫描全能王" in ln]
