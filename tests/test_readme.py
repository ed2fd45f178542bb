"""README is the landing page; its two Quickstart commands stay what .ci/run runs. (The finding
codes, checklists and benchmark tables it once held are pages of the site: tests/docs/.)"""

from pathlib import Path

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_quickstart_has_exactly_two_commands():
    section = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    block = section.split("```bash", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line.strip() and not line.strip().startswith("#")]
    assert len(commands) == 2
    assert commands[0] == "pip install . && changju check examples/youth-complete"
    assert "pytest" in commands[1]
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci


def test_readme_is_short():
    assert len(README.splitlines()) <= 200
