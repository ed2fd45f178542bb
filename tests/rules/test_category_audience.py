"""Who each category is for is the rule file's `audience` (zh, en), in the guide's words: 一（二）2 names
the online project types, and each category's own list says whose materials it asks for (三（二）2
科研人才（团队）, 三（三）2 创业人才（团队）… 四（二）the forum of a 人才发展平台). The desk app's chooser,
`list-required`, `categories`, `init` and the site's checklist pages all show that one line; a rule
file without it is refused, naming the file and the field."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from changju_check.cli import app
from changju_check.desk import view
from changju_check.rulebook.load import default_rules_dir, load_rules

runner = CliRunner()
RULES = load_rules()

# the guide's own words each line repeats (whitespace and the width of brackets aside)
QUOTED = {
    "registration": ["申报单位", "完成单位注册", "须更新、确认", "审核通过后方可进入项目申报环节"],
    "research": ["科研人才（团队）", "最新工作合同", "合同期限不低于2年", "合同剩余有效期在半年以上"],
    "startup": ["创业人才（团队）", "团队带头人", "第一大自然人股东", "且占股权不低于30%"],
    "service": ["科技服务人才（团队）", "主持或参与", "重点科技服务工作", "合同期限不低于2年", "剩余有效期在半年以上"],
    "finance": ["金融服务人才（团队）", "主持或参与", "重点金融服务工作", "合同期限不低于2年", "剩余有效期在半年以上"],
    "management": ["经营管理人才（团队）", "主持或参与", "重点经营管理工作", "工作合同", "任命书", "任职证明", "《公司章程》或验资报告"],
    "youth": ["青年类人才", "合同期限不低于2年", "剩余有效期在半年以上", "拥有企业30%及以上股权的无须提供"],
    "forum": ["高层次科技人才论坛", "人才发展平台", "实施方案", "专项审计报告", "成果落地证明", "昌聚专家", "身份证件", "在职证明"],
}
# what the lines once said and the guide does not: no line may say it
NOT_THE_GUIDES = ["核心技术", "技术转移", "检验检测", "知识产权等科技服务", "金融机构", "科技金融", "高级管理职务", "创新成果", "在昌平创办"]

_HERE = Path(__file__).resolve()
GUIDE = next(
    # ../shared beside the checkout (/work/main), or beside the worktrees' folder (/work/wt/NAME)
    (p for p in (_HERE.parents[3] / "shared", _HERE.parents[4] / "shared") if (p / "guide" / "2023-changju-guide.txt").is_file()),
    None,
)


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")


def test_every_category_of_the_shipped_rules_says_who_it_is_for_in_both_languages():
    assert list(RULES.categories) == list(QUOTED)
    for key, category in RULES.categories.items():
        assert category.audience.zh.strip() and category.audience.en.strip(), key


@pytest.mark.parametrize("key", list(QUOTED))
def test_each_line_repeats_the_guides_words_and_nothing_the_guide_does_not_say(key):
    line = RULES.categories[key].audience.zh
    for words in QUOTED[key]:
        assert words in line, (key, words)
    for words in NOT_THE_GUIDES:
        assert words not in line, (key, words)


@pytest.mark.skipif(GUIDE is None, reason="the guide is in ../shared/guide")
def test_the_quoted_words_are_the_guides_and_the_dropped_ones_are_not():
    guide = _plain((GUIDE / "guide" / "2023-changju-guide.txt").read_text(encoding="utf-8"))
    for key, quoted in QUOTED.items():
        for words in quoted:
            assert _plain(words) in guide, (key, words)
    for words in NOT_THE_GUIDES:
        assert words not in guide, words
    # the youth line's exemption is the guide's note on the contract, 30% included (及以上)
    assert "拥有企业30%及以上股权的无须提供" in guide


def test_the_desk_apps_chooser_shows_each_categorys_line():
    choices = {c["key"]: c for c in view.category_choices(RULES)}
    assert list(choices) == list(RULES.categories)
    for key, category in RULES.categories.items():
        assert choices[key]["line"] == category.audience.zh
    assert not hasattr(view, "CATEGORY_LINES")  # no copy of the guide left in the desk's code


@pytest.mark.parametrize("key", list(QUOTED))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_list_required_says_who_the_category_is_for_under_its_title(key, lang):
    category = RULES.categories[key]
    result = runner.invoke(app, ["list-required", key, "--lang", lang], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    title, *rest = result.stdout.splitlines()
    assert title == (f"{category.title_en} ({key})" if lang == "en" else f"{category.title}（{key}）")
    said = rest[: next(i for i, s in enumerate(rest) if s.startswith(" "))]  # up to the first table's title
    assert (" " if lang == "en" else "").join(said) == category.audience.get(lang)
    markdown = runner.invoke(app, ["list-required", key, "--format", "markdown", "--lang", lang]).stdout
    assert markdown.split("\n\n")[1] == category.audience.get(lang)  # a paragraph under the heading


def test_a_narrow_console_folds_the_line_and_keeps_every_character():
    line = RULES.categories["management"].audience.zh
    result = runner.invoke(app, ["list-required", "management"], env={"COLUMNS": "60"})
    shown = result.stdout.splitlines()[1:]
    assert all(len(s) <= 30 for s in shown[:2])
    assert "".join(shown).startswith(line)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_categories_lists_who_each_category_is_for(lang):
    import json

    records = {r["key"]: r for r in json.loads(runner.invoke(app, ["categories", "--format", "json"]).stdout)}
    text = runner.invoke(app, ["categories", "--lang", lang]).stdout
    text = " ".join(text.split()) if lang == "en" else text.replace("\n", "")  # as folded to the width
    for key, category in RULES.categories.items():
        assert records[key]["audience"] == category.audience.zh and records[key]["audience_en"] == category.audience.en
        assert (f"{key}: " if lang == "en" else f"{key}：") + category.audience.get(lang) in text
    for offline in RULES.offline:  # an offline type has its explanation instead
        assert records[offline.key]["audience"] is None


def test_init_writes_the_line_into_the_manifests_head(tmp_path):
    result = runner.invoke(app, ["init", str(tmp_path / "p"), "--category", "startup"])
    assert result.exit_code == 0, result.output
    head = (tmp_path / "p" / "changju.yaml").read_text(encoding="utf-8").splitlines()[:4]
    assert "# 适用对象：" + RULES.categories["startup"].audience.zh in head


# --------------------------------------------------------------------------- the line is data


def _copy(tmp_path) -> Path:
    target = tmp_path / "rules2024"
    shutil.copytree(default_rules_dir(), target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_next_years_line_is_a_yaml_edit(tmp_path, monkeypatch):
    monkeypatch.setenv("CHANGJU_CACHE_DIR", str(tmp_path / "cache"))
    rules = _copy(tmp_path)
    _edit(rules / "youth.yaml", "  zh: 青年类人才：", "  zh: 青年类人才（2024 年指南）：")
    result = runner.invoke(app, ["list-required", "youth", "--rules", str(rules)], env={"COLUMNS": "200"})
    assert result.stdout.splitlines()[1].startswith("青年类人才（2024 年指南）：")
    choices = {c["key"]: c["line"] for c in view.category_choices(load_rules(rules))}
    assert choices["youth"].startswith("青年类人才（2024 年指南）：")


def test_rules_new_carries_every_line_over(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["rules", "new", "2024"]).exit_code == 0
    copied = load_rules(tmp_path / "rules" / "2024")
    for key, category in RULES.categories.items():
        assert copied.categories[key].audience == category.audience


def test_a_rule_file_without_the_line_is_refused_naming_the_file_and_the_field(tmp_path):
    rules = _copy(tmp_path)
    path = rules / "finance.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"audience:\n  zh: .*\n  en: .*\n", "", text, count=1), encoding="utf-8")
    assert "audience" not in path.read_text(encoding="utf-8")
    result = runner.invoke(app, ["rules", "validate", str(rules)])
    assert result.exit_code == 2
    assert re.search(r"finance\.yaml:\d+: audience: Field required — one line on who the category is for", result.stderr), result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_empty_line_is_refused_too(tmp_path, lang):
    rules = _copy(tmp_path)
    path = rules / "forum.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(rf"(audience:\n(?:  \w\w: .*\n)*?  {lang}: ).*\n", r'\1""\n', text, count=1), encoding="utf-8")
    result = runner.invoke(app, ["rules", "validate", str(rules)])
    assert result.exit_code == 2
    assert re.search(rf"forum\.yaml:\d+: audience: .*{lang} is empty", result.stderr), result.stderr


def test_the_desk_apps_category_page_shows_the_rule_files_lines(tmp_path):
    from tests.desk.desk_app import copy_packet, start_app

    rules = _copy(tmp_path)
    _edit(rules / "research.yaml", "  zh: 申报单位的科研人才（团队）：", "  zh: 申报单位的科研人才（团队，2024 年指南）：")
    packet = copy_packet("youth-flawed", tmp_path / "刘雨桐")
    desk = start_app(str(packet), "--rules", str(rules))
    try:
        desk.login()
        status, _, body = desk.request("GET", "/category")
    finally:
        desk.stop()
    assert status == 200
    page = body.decode("utf-8")
    assert "申报单位的科研人才（团队，2024 年指南）：" in page
    for key in ("registration", "startup", "service", "finance", "management", "youth", "forum"):
        assert RULES.categories[key].audience.zh in page, key
