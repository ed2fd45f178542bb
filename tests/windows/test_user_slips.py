"""What a Windows user does by habit: Notepad's changju.yaml.txt, a report left open in Excel or WPS,
wildcards that the shell does not expand, `py -m changju_check`."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from changju_check.cli.app import app
from tests.packets import YOUTH_MANIFEST, youth_packet

runner = CliRunner()


def _flat(text: str) -> str:
    """The output without the line breaks and indents of its wrapping."""
    return "".join(text.split())


@pytest.mark.parametrize("name", ["changju.yaml.txt", "changju.yml.txt", "changju.txt", "Changju.YAML.TXT"])
def test_notepads_changju_yaml_txt_is_named_with_its_fix(tmp_path, name):
    root = youth_packet(tmp_path / "p")
    (root / "changju.yaml").rename(root / name)
    result = runner.invoke(app, ["--lang", "zh", "check", str(root)])
    assert result.exit_code == 2, result.output
    assert f"找到了{name}" in _flat(result.output) and "文件扩展名" in _flat(result.output)
    assert "改名为changju.yaml" in _flat(result.output)
    result = runner.invoke(app, ["--lang", "en", "check", str(root)])
    assert _flat(f"Found {name}: Notepad adds .txt") in _flat(result.output)


def test_changju_yml_is_named_with_its_fix(tmp_path):
    root = youth_packet(tmp_path / "p")
    (root / "changju.yaml").rename(root / "changju.yml")
    result = runner.invoke(app, ["--lang", "en", "check", str(root)])
    assert _flat("Found changju.yml, which is not read: rename it to changju.yaml.") in _flat(result.output)


def test_a_packet_with_its_manifest_gets_no_such_hint(tmp_path):
    root = youth_packet(tmp_path / "p")
    (root / "changju.txt.bak").write_text(YOUTH_MANIFEST, encoding="utf-8")  # not a near name
    result = runner.invoke(app, ["--lang", "en", "check", str(root)])
    assert "Found" not in result.output and result.exit_code in (0, 1)


def test_a_report_open_in_excel_is_named_with_close_the_file(tmp_path, monkeypatch):
    """Windows refuses to replace a file another program holds open (winerror 32); the simulation's
    sharing rule raises it for a file this process holds, as Excel would hold it."""
    import errno

    from changju_check.write import file as wfile

    root = youth_packet(tmp_path / "p")
    report = tmp_path / "报告.csv"
    report.write_text("上周的报告", encoding="utf-8")

    def in_use(src, dst):
        err = PermissionError(errno.EACCES, "The process cannot access the file because it is being used by another process")
        err.winerror = 32
        raise err

    monkeypatch.setattr(wfile.os, "replace", in_use)
    result = runner.invoke(app, ["--lang", "zh", "check", str(root), "--format", "csv", "-o", str(report)])
    assert result.exit_code == 2
    assert "正被其他程序打开（例如Excel或WPS）。请关闭该文件后重试" in _flat(result.output)
    assert report.read_text(encoding="utf-8") == "上周的报告"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".changju-")]
