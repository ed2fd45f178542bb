"""The GitHub Actions workflow runs what the README says, as the README says it."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = yaml.safe_load((ROOT / ".github" / "workflows" / "tests.yml").read_text(encoding="utf-8"))
README = (ROOT / "README.md").read_text(encoding="utf-8")
# the Chinese install steps (once README's 中文说明) are the site's page docs/guide/install.md
INSTALL = (ROOT / "docs" / "guide" / "install.md").read_text(encoding="utf-8")


def _quickstart() -> list[str]:
    section = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    block = section.split("```bash", 1)[1].split("```", 1)[0]
    return [line.strip() for line in block.splitlines() if line.strip() and not line.strip().startswith("#")]


def _steps(job: str) -> list[dict]:
    return WORKFLOW["jobs"][job]["steps"]


def test_the_suite_runs_the_readmes_test_command_on_windows_and_linux_python_311_to_313():
    matrix = WORKFLOW["jobs"]["suite"]["strategy"]["matrix"]
    assert set(matrix["os"]) == {"windows-latest", "ubuntu-latest"}
    assert matrix["python"] == ["3.11", "3.12", "3.13"]
    assert _quickstart()[1] in [s.get("run", "").strip() for s in _steps("suite")]


def test_the_quickstarts_first_command_runs_in_cmd_and_in_powershell_51():
    first = _quickstart()[0]
    by_shell = {s["shell"]: s["run"] for s in _steps("windows-user") if s.get("name", "").startswith("Quickstart")}
    assert by_shell["cmd"].strip() == first  # verbatim
    # PowerShell 5.1 (`shell: powershell`, not pwsh) has no `&&`: the same commands, one per line
    lines = [line.strip() for line in by_shell["powershell"].splitlines()]
    for part in first.split("&&"):
        assert part.strip() in lines


def test_the_chinese_sections_commands_are_the_ones_the_workflow_types():
    section = INSTALL.split("\n## ", 1)[0]  # the numbered steps, before "Windows 上的规矩"
    for step in _steps("windows-user"):
        if not step.get("name", "").startswith("README 中文说明"):
            continue
        for command in ("py -m pip install .", "py -m changju_check check examples\\youth-complete",
                        "py -m changju_check explain CJ101"):
            assert command in section and command in step["run"]
