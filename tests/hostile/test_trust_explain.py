"""`changju explain CODE` folds its paragraphs to the terminal's width (COLUMNS), as every other
command does: no line wider than the console, in either language, and no word of the text lost."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from changju_check.cli import app
from changju_check.render._common import cell_width
from changju_check.rulebook.codes import catalogue

runner = CliRunner()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("columns", [40, 60, 100])
def test_explain_wraps_to_columns(lang, columns):
    for code in ("CJ101", "CJ305", "CJ404"):
        result = runner.invoke(app, ["explain", code, "--lang", lang], env={"COLUMNS": str(columns)})
        assert result.exit_code == 0, result.output
        widest = max(cell_width(line) for line in result.output.splitlines())
        assert widest <= columns, (code, widest, result.output)
        entry = catalogue()[code]
        flat = "".join(result.output.split())
        assert "".join(entry.fix.get(lang).split()) in flat  # folded, nothing dropped


def test_explain_on_a_wide_terminal_keeps_a_paragraph_on_one_line():
    result = runner.invoke(app, ["explain", "CJ404", "--lang", "en"], env={"COLUMNS": "200"})
    fix = catalogue()["CJ404"].fix.get("en")
    assert len(fix) < 200 and fix in result.output
