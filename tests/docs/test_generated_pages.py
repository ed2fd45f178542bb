"""The site's reference pages are generated from the program itself (docs/hooks.py): every finding
code of the catalogue, every category of the rules, every command and option of the CLI, every
manifest field and the benchmark tables have their page, in Chinese and in English."""

from __future__ import annotations

import json
import re

import pytest
import typer.main
from typer.testing import CliRunner

from changju_check.cli import app
from changju_check.manifest import manifest_json_schema
from changju_check.render import codes_markdown_table
from changju_check.rulebook.codes import catalogue
from changju_check.rulebook.load import load_rules
from tests.docs.site import REPO, hooks

LANGS = ("zh", "en")


@pytest.fixture(scope="module")
def pages():
    return {lang: hooks.pages(lang) for lang in LANGS}


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("lang", LANGS)
def test_every_finding_code_has_its_section_and_row_on_the_codes_page(pages, lang):
    page = pages[lang]["reference/codes.md"]
    assert codes_markdown_table(lang).strip() in page  # the table `changju explain --table` prints
    for code, entry in catalogue().items():
        assert f"## {code} {entry.title.get(lang)} {{#{code.lower()}}}" in page
        assert entry.description.get(lang) in page and entry.fix.get(lang) in page


def test_a_code_added_to_the_catalogue_gets_its_section(monkeypatch):
    from changju_check.rulebook import codes as codes_module

    real = codes_module.catalogue()
    extra = codes_module.Code(
        code="CJ999",
        severity="warning",
        title=codes_module.Msg(zh="新代码", en="A new code"),
        description=codes_module.Msg(zh="说明", en="what it means"),
        fix=codes_module.Msg(zh="修改", en="how to fix"),
    )
    monkeypatch.setattr(codes_module, "catalogue", lambda: {**real, "CJ999": extra})
    assert "## CJ999 A new code {#cj999}" in hooks.codes_page("en")


@pytest.mark.parametrize("lang", LANGS)
def test_every_category_has_its_checklist_page_with_every_item(pages, lang):
    rules = load_rules()
    assert rules.categories, "no categories loaded"
    for key, category in rules.categories.items():
        page = pages[lang].get(f"reference/checklists/{key}.md")
        assert page is not None, f"no checklist page for {key}"
        assert page.startswith(f"# {category.title_en if lang == 'en' else category.title}\n")
        assert f"\n\n{category.audience.get(lang)}\n\n" in page, key  # who it is for: a paragraph of its own
        records = json.loads(_invoke("list-required", key, "--all", "--format", "json", "--lang", lang))
        assert records
        for record in records:
            title = record["title_en"] if lang == "en" else record["title"]
            assert f"{record['number']} | {title} |" in page, (key, record["number"])


@pytest.mark.parametrize("lang", LANGS)
def test_the_checklist_index_links_every_category_and_explains_every_offline_type(pages, lang):
    page = pages[lang]["reference/checklists/index.md"]
    rules = load_rules()
    for key, category in rules.categories.items():
        assert f"]({key}.md)" in page
        assert f"| {category.audience.get(lang)} |" in page
    for offline in rules.offline:
        assert f"`{offline.key}`" in page
        assert offline.explanation.get(lang).split("。")[0] in page


def test_the_nav_lists_one_checklist_page_per_category():
    nav = [{"参考": [{"材料清单": ["reference/checklists/index.md", "reference/checklists/stale.md"]}]}]
    config = {"nav": nav, "docs_dir": str(REPO / "docs")}
    hooks.on_config(config)
    listed = nav[0]["参考"][0]["材料清单"]
    assert listed == ["reference/checklists/index.md"] + [f"reference/checklists/{k}.md" for k in load_rules().categories]
    with pytest.raises(ValueError, match="checklists/index.md"):
        hooks.on_config({"nav": [{"首页": "index.md"}], "docs_dir": str(REPO / "docs")})


def _commands(cmd, path):
    subs = getattr(cmd, "commands", None) or {}
    if not subs:
        yield path, cmd
    for name, sub in subs.items():
        yield from _commands(sub, f"{path} {name}")


@pytest.mark.parametrize("lang", LANGS)
def test_the_cli_page_lists_every_command_and_every_option(pages, lang):
    page = pages[lang]["reference/cli.md"]
    root = typer.main.get_command(app)
    for path, cmd in _commands(root, "changju"):
        assert f"## `{path}`" in page
        section = page.split(f"## `{path}`", 1)[1].split("\n## ", 1)[0]
        for param in cmd.params:
            if getattr(param, "hidden", False):
                continue
            names = [o for o in [*param.opts, *getattr(param, "secondary_opts", [])] if o.startswith("--")]
            if names:
                assert all(n in section for n in names), (path, names)
    assert not re.search(r"`[^`\n]*\\\|[^`\n]*`", page)  # an escaped "|" in a code span would show its backslash
    assert "<code>--lang &lt;zh&#124;en&gt;</code>" in page


def test_the_cli_page_is_in_chinese_for_chinese():
    page = hooks.cli_page("zh")
    assert "检查申报材料包是否符合所选类别的要求。" in page  # check's Chinese help (cli/i18n.py)
    assert "[默认：text]" in page and "[default:" not in page
    assert "Check packet(s) against the category's rules." in hooks.cli_page("en")


@pytest.mark.parametrize("lang", LANGS)
def test_every_manifest_field_of_the_schema_is_on_the_manifest_page(lang):
    table = hooks.manifest_fields(lang)
    schema = manifest_json_schema()
    for key in schema["properties"]:
        assert f"| `{key}` |" in table
    for key in schema["$defs"]["Applicant"]["properties"]:
        assert f"| `applicant.{key}` |" in table
    assert "| `applicant.contract.end` |" in table and "| `entries.papers` |" in table
    assert ("Nationality" if lang == "en" else "国籍：中国籍人才提供有效身份证") in table


@pytest.mark.parametrize("lang", LANGS)
def test_the_readings_block_quotes_every_recorded_reading(lang):
    block = hooks.readings_block(lang)
    for category in load_rules().categories.values():
        for reading in category.readings:
            assert reading in block
        for _section, item in category.items():
            if item.reading:
                assert item.reading in block


def test_the_benchmark_page_shows_the_table_of_results_json():
    import sys

    sys.path.insert(0, str(REPO / "bench"))
    try:
        import table
    finally:
        sys.path.remove(str(REPO / "bench"))
    results = json.loads((REPO / "bench" / "results.json").read_text(encoding="utf-8"))
    page = (REPO / "docs" / "dev" / "benchmarks.md").read_text(encoding="utf-8")
    filled = hooks.fill(page, "zh")
    assert table.markdown(results) in filled
    assert "<!-- gen:" not in filled


@pytest.mark.parametrize("name", sorted(hooks.BLOCKS))
def test_every_generated_block_is_used_by_a_page_and_fills_in_both_languages(name):
    users = [p for p in (REPO / "docs").rglob("*.md") if f"<!-- gen:{name} -->" in p.read_text(encoding="utf-8")]
    assert users, f"no page shows <!-- gen:{name} -->"
    for lang in LANGS:
        assert hooks.BLOCKS[name](lang).strip()


def test_an_unknown_marker_fails_the_build():
    with pytest.raises(KeyError, match="bench.nothing"):
        hooks.fill("<!-- gen:bench.nothing -->", "en")


def test_bench_figures_come_from_the_json(tmp_path, monkeypatch):
    data = json.loads((REPO / "bench" / "realdocs_results.json").read_text(encoding="utf-8"))
    data["results"]["bench packet"]["ratio"] = 9.87
    (tmp_path / "realdocs_results.json").write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(hooks, "BENCH", tmp_path)
    assert "9.87×" in hooks.bench_realdocs("en")


def test_the_accuracy_page_shows_every_fact_and_check_of_accuracy_results_json(tmp_path, monkeypatch):
    data = json.loads((REPO / "bench" / "accuracy_results.json").read_text(encoding="utf-8"))
    for lang in ("zh", "en"):
        block = hooks.bench_accuracy(lang)
        for f in data["facts"]:
            assert f"| {f['kind']} | {f['fact']} |" in block
        for code in data["checks"]:
            assert f"[{code}](../reference/codes.md#{code.lower()})" in block
    # a fact read wrong shows in its row: precision right/read, recall right/expected
    data["facts"] = [{"kind": "labor_contract", "source": "scan", "fact": "end", "expected": 4, "read": 4, "right": 3}]
    data["checks"] = {"CJ201": {"cases": 2, "false_pass": 1, "false_failure": 0}}
    (tmp_path / "accuracy_results.json").write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(hooks, "BENCH", tmp_path)
    block = hooks.bench_accuracy("en")
    assert "| labor_contract | end | **scan** 3/4 | 3 / 4 / 4 | 75% | 75% |" in block
    assert "| [CJ201](../reference/codes.md#cj201) | 2 | 1 | 0 |" in block


def test_generated_pages_are_written_once_and_ignored_by_git(tmp_path):
    written = hooks.write_pages(tmp_path)
    assert (tmp_path / "reference" / "codes.md").is_file() and (tmp_path / "reference" / "codes.en.md").is_file()
    before = {p: p.stat().st_mtime_ns for p in written}
    hooks.write_pages(tmp_path)
    assert {p: p.stat().st_mtime_ns for p in written} == before  # unchanged text is not rewritten
    ignored = (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/docs/reference/" in ignored
    assert not re.search(r"^docs/reference/", "\n".join(_tracked()), re.M), "a generated page is committed"


def _tracked() -> list[str]:
    import subprocess

    out = subprocess.run(["git", "ls-files", "docs"], cwd=REPO, capture_output=True, text=True, check=False)
    return out.stdout.splitlines()
