"""list-required and categories draw their tables without rich, exactly as rich would draw them."""

from __future__ import annotations

import subprocess
import sys

import pytest
from rich.console import Console
from rich.table import Table

from changju_check.cli.table import cell_width, draw, wrap
from changju_check.rulebook import compiled


def _rich(heads, rows, width, title):
    table = Table(title=title, show_lines=False)
    for h in heads:
        table.add_column(h, overflow="fold")
    for row in rows:
        table.add_row(*row)
    console = Console(force_terminal=False, width=width, no_color=True)
    with console.capture() as captured:
        console.print(table)
    return captured.get()


def _checklist_tables():
    doc = compiled.checklists(None)
    for key, cat in sorted(doc["categories"].items()):
        for lang in ("zh", "en"):
            heads = ["No.", "Material", "Condition / constraint"] if lang == "en" else ["序号", "材料", "条件 / 要求"]
            for section in cat["sections"]:
                rows = [i["row"][lang] for i in section["items"]]
                if rows:
                    yield f"{key}-{lang}-{section['title_en']}", heads, rows, section["title_en" if lang == "en" else "title"]


@pytest.mark.parametrize("width", [80, 120, 160])
def test_every_checklist_table_is_drawn_as_rich_draws_it(width):
    tables = list(_checklist_tables())
    assert len(tables) > 20
    for name, heads, rows, title in tables:
        assert draw(heads, rows, width=width, title=title) == _rich(heads, rows, width, title), name


def test_a_chinese_run_longer_than_its_column_is_folded_at_the_column_never_inside_a_character():
    lines = wrap("国(境)外学历提供教育部留学服务中心认证书，无法提供的由单位出具说明并加盖公章", 21)
    assert all(cell_width(line) <= 21 for line in lines)
    assert "".join(lines) == "国(境)外学历提供教育部留学服务中心认证书，无法提供的由单位出具说明并加盖公章"
    assert cell_width("序号") == 4 and cell_width("No.") == 3


def test_a_table_too_wide_for_the_terminal_shrinks_its_widest_column_first():
    heads, rows = ["No.", "Material", "Condition"], [["*1", "短", "x " * 100]]
    out = draw(heads, rows, width=80)
    assert out == _rich(heads, rows, 80, None)
    assert max(cell_width(line) for line in out.splitlines()) <= 80


def test_list_required_does_not_import_rich():
    code = (
        "import sys, io, contextlib\n"
        "sys.argv = ['changju', 'list-required', 'youth']\n"
        "from changju_check.cli import main\n"
        "buf = io.StringIO()\n"
        "try:\n"
        "    with contextlib.redirect_stdout(buf):\n"
        "        main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "assert '申报单位提供材料' in buf.getvalue(), buf.getvalue()\n"
        "print(sorted(m for m in sys.modules if m == 'rich' or m.startswith('rich.')))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
