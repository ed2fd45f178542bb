"""`changju rules validate` and `--rules DIR`: a broken rule file names its file, line and field."""

from __future__ import annotations

import shutil

from typer.testing import CliRunner

from changju_check.cli import app
from changju_check.rulebook.load import default_rules_dir

runner = CliRunner()


def copy_rules(tmp_path):
    target = tmp_path / "rules2024"
    shutil.copytree(default_rules_dir(), target)
    return target


def test_the_shipped_rules_pass_validation():
    result = runner.invoke(app, ["rules", "validate"])
    assert result.exit_code == 0, result.stderr
    assert "8" in result.stdout


def test_a_wrong_type_names_file_line_and_field(tmp_path):
    rules = copy_rules(tmp_path)
    path = rules / "youth.yaml"
    text = path.read_text(encoding="utf-8").replace("{type: max_count", "{type: max_count")
    text = text.replace("required: true\n", "required: maybe\n", 1)
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["rules", "validate", str(rules)])
    assert result.exit_code == 2
    assert "youth.yaml:" in result.stderr
    assert "sections.0.items.0.required" in result.stderr


def test_a_reference_to_an_unknown_material_names_file_and_field(tmp_path):
    rules = copy_rules(tmp_path)
    path = rules / "research.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("material: audit_report", "material: audit_reprot", 1), encoding="utf-8")
    result = runner.invoke(app, ["rules", "validate", str(rules)])
    assert result.exit_code == 2
    assert "research.yaml:" in result.stderr and "audit_reprot" in result.stderr and "sections.0.items.0" in result.stderr


def test_an_unknown_key_in_a_rule_file_is_an_error(tmp_path):
    rules = copy_rules(tmp_path)
    path = rules / "forum.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("binding: forum", "binding: forum\ncolour: white"), encoding="utf-8")
    result = runner.invoke(app, ["rules", "validate", str(rules)])
    assert result.exit_code == 2 and "forum.yaml:" in result.stderr and "colour" in result.stderr


def test_an_unknown_fact_in_a_condition_is_an_error(tmp_path):
    rules = copy_rules(tmp_path)
    path = rules / "startup.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("fact: applicant.team", "fact: applicant.teem"), encoding="utf-8")
    result = runner.invoke(app, ["rules", "validate", str(rules)])
    assert result.exit_code == 2 and "applicant.teem" in result.stderr


def test_next_years_rules_are_a_yaml_edit(tmp_path):
    rules = copy_rules(tmp_path)
    path = rules / "youth.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("years: [2021, 2022]", "years: [2022, 2023]"), encoding="utf-8")
    result = runner.invoke(app, ["list-required", "youth", "--rules", str(rules)])
    assert result.exit_code == 0 and "2022、2023" in result.stdout


def test_a_missing_rule_directory_exits_2(tmp_path):
    result = runner.invoke(app, ["rules", "validate", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "nope" in result.stderr


def test_the_compiled_rule_cache_follows_every_edit(tmp_path, monkeypatch):
    from changju_check.rulebook import load as rules_module

    monkeypatch.setenv("CHANGJU_CACHE_DIR", str(tmp_path / "cache"))
    copy = copy_rules(tmp_path)
    first = rules_module._load_dir(copy)
    rules_module._to_cache(copy, first)
    assert rules_module._from_cache(copy).categories.keys() == first.categories.keys()
    path = copy / "youth.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: 青年类人才\n", "title: 青年人才（改）\n"), encoding="utf-8")
    assert rules_module._from_cache(copy) is None  # an edited rule file misses the cache
    (tmp_path / "cache" / "rules").mkdir(parents=True, exist_ok=True)
    for stale in (tmp_path / "cache" / "rules").iterdir():
        stale.write_bytes(b"not a pickle")
    rules_module._cached.cache_clear()
    assert rules_module.load_rules(copy).categories["youth"].title == "青年人才（改）"


def test_the_rule_cache_can_be_turned_off(tmp_path, monkeypatch):
    from changju_check.rulebook import cache as rulecache

    monkeypatch.setenv("CHANGJU_NO_RULE_CACHE", "1")
    assert rulecache.cache_dir() is None


def test_list_required_is_the_same_from_the_compiled_checklists_and_without_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CHANGJU_CACHE_DIR", str(tmp_path / "cache"))
    cold = runner.invoke(app, ["list-required", "youth", "--all", "--format", "json"]).stdout
    warm = runner.invoke(app, ["list-required", "youth", "--all", "--format", "json"]).stdout
    assert any(p.name.startswith("checklists-") for p in (tmp_path / "cache" / "rules").iterdir())
    monkeypatch.setenv("CHANGJU_NO_RULE_CACHE", "1")
    uncached = runner.invoke(app, ["list-required", "youth", "--all", "--format", "json"]).stdout
    assert cold == warm == uncached


def test_a_warm_list_required_answers_from_the_compiled_checklists_without_building_them(tmp_path, monkeypatch):
    from changju_check.rulebook import checklist

    monkeypatch.setenv("CHANGJU_CACHE_DIR", str(tmp_path / "cache"))
    for key in ("youth", "registration"):  # registration: a category without a binding line
        cold = runner.invoke(app, ["list-required", key, "--all"]).stdout

        def built_again(*args, **kwargs):
            raise AssertionError("the compiled checklists were built again: the cache entry was not used")

        with monkeypatch.context() as m:
            m.setattr(checklist, "compile_checklists", built_again)
            warm = runner.invoke(app, ["list-required", key, "--all"])
        assert warm.exit_code == 0, warm.output
        assert warm.stdout == cold


def test_a_damaged_compiled_checklist_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("CHANGJU_CACHE_DIR", str(tmp_path / "cache"))
    first = runner.invoke(app, ["list-required", "forum"]).stdout
    for path in (tmp_path / "cache" / "rules").iterdir():
        path.write_bytes(b"{not json")
    assert runner.invoke(app, ["list-required", "forum"]).stdout == first


# --------------------------------------------------------------------------- rules new (next year's guide)


def test_rules_new_copies_the_newest_year_and_lists_the_lines_that_name_a_year(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["rules", "new", "2024"])
    assert result.exit_code == 0, result.stderr
    copied = tmp_path / "rules" / "2024"
    shipped = default_rules_dir()
    assert sorted(p.name for p in copied.iterdir()) == sorted(p.name for p in shipped.glob("*.yaml"))
    for path in copied.iterdir():
        assert path.read_bytes() == (shipped / path.name).read_bytes()
    # the reference years of the audit reports must be re-read against the new guide: they are listed
    assert "2020" in result.stdout and "youth.yaml:" in result.stdout
    # and the copy is a rule set the tool accepts as it is
    validated = runner.invoke(app, ["rules", "validate", str(copied)])
    assert validated.exit_code == 0, validated.stderr


def test_rules_new_never_overwrites_an_existing_folder(tmp_path):
    target = tmp_path / "2024"
    target.mkdir()
    (target / "youth.yaml").write_text("# mine\n", encoding="utf-8")
    result = runner.invoke(app, ["rules", "new", "2024", "--to", str(target)])
    assert result.exit_code == 2
    assert "已存在" in result.stderr
    assert (target / "youth.yaml").read_text(encoding="utf-8") == "# mine\n"
