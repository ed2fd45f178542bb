"""README stays true: every code is documented from the catalogue, every command is shown."""

from pathlib import Path

from changju_check.rules.codes import catalogue
from changju_check.render import codes_markdown_table

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_code_table_is_generated_from_the_catalogue():
    start = README.index("<!-- codes:start -->") + len("<!-- codes:start -->")
    end = README.index("<!-- codes:end -->")
    assert README[start:end].strip() == codes_markdown_table("en").strip()
    for code in catalogue():
        assert f"| {code} |" in README


def test_readme_quickstart_has_exactly_two_commands():
    section = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    block = section.split("```bash", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line.strip() and not line.strip().startswith("#")]
    assert len(commands) == 2
    assert "pytest" in commands[1]
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci
