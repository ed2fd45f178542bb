"""The slips people really make typing changju.yaml on a Chinese input method: each is named in
Chinese, on its own line, with the character and the fix; YAML's words only as a detail."""

from __future__ import annotations

import pytest

from changju_check.manifest import ManifestError, parse_manifest

HEAD = "category: youth\nas_of: 2023-08-31\napplicant:\n"


def problems(text: str) -> list:
    with pytest.raises(ManifestError) as info:
        parse_manifest(text.encode("utf-8"), "changju.yaml")
    return info.value.problems


def only(text: str):
    (problem,) = problems(text)
    return problem


@pytest.mark.parametrize(
    "name, text, line, words",
    [
        ("a full-width colon after a key", HEAD + "  name：刘雨桐\n  nationality: CN\n", 4, ["全角冒号“：”", "name: 刘雨桐"]),
        ("no space after the colon", HEAD + "  name:刘雨桐\n  nationality: CN\n", 4, ["缺少空格", "name: 刘雨桐"]),
        ("no space after the colon, last key", HEAD + "  name:刘雨桐\n", 4, ["缺少空格"]),
        ("a tab in the indentation", HEAD + "\tname: 刘雨桐\n", 4, ["Tab", "空格缩进"]),
        ("a full-width space in the indentation", HEAD + "　 name: 刘雨桐\n", 4, ["全角空格“　”", "半角空格"]),
        ("a full-width space after the colon", HEAD + "  name:　刘雨桐\n  team: false\n", 4, ["全角空格“　”", "name: 刘雨桐"]),
        ("a full-width comma in {…}", HEAD + "  contract: {start: 2021-03-01，end: 2024-02-29}\n", 4,
         ["全角逗号“，”", "{start: 2021-03-01, end: 2024-02-29}"]),
        ("full-width parentheses for {…}", HEAD + "  equity: （percent: 35）\n", 4, ["全角括号“（”", "{percent: 35}"]),
        ("full-width braces", HEAD + "  equity: ｛percent: 35｝\n", 4, ["全角括号“｛”", "{percent: 35}"]),
        ("a quote not closed", HEAD + '  name: "刘雨桐\n  nationality: CN\nunit:\n  name: 北京\n', 4, ["引号 \" 没有配对"]),
    ],
)
def test_a_slip_is_named_in_chinese_on_its_line_with_the_fix(name, text, line, words):
    problem = only(text)
    assert problem.line == line, name
    for w in words:
        assert w in problem.message.zh, (name, problem.message.zh)
    assert "mapping values are not allowed" not in problem.message.zh.split("（YAML 解析器的原话")[0]


def test_the_parsers_own_words_are_kept_as_a_detail():
    problem = only(HEAD + "  name：刘雨桐\n  nationality: CN\n")
    assert problem.message.zh.endswith("（YAML 解析器的原话：mapping values are not allowed here，第 5 行）")
    assert "(YAML parser: mapping values are not allowed here, line 5)" in problem.message.en


def test_a_block_of_recommendation_text_is_not_a_slip():
    text = HEAD + "  name: 刘雨桐\nrecommendation: |\n  该同志：成绩突出，name:刘，“好”\n  \tx\n"
    assert parse_manifest(text.encode(), "changju.yaml").slips == []


def test_full_width_punctuation_inside_a_value_is_not_a_slip():
    text = HEAD + "  name: 刘雨桐  # 姓名：与身份证一致\nrecommendation: 该同志在……方面：成绩突出，特推荐。\n"
    m = parse_manifest(text.encode(), "changju.yaml")
    assert m.slips == [] and m.recommendation.startswith("该同志")


def test_curly_quotes_around_a_value_are_a_warning_on_their_line():
    m = parse_manifest((HEAD + "  name: “刘雨桐”\n").encode(), "changju.yaml")
    (slip,) = m.slips
    assert slip.line == 4 and slip.severity == "warning"
    assert "中文引号" in slip.message.zh and "写成 刘雨桐" in slip.message.zh


def test_a_full_width_comma_in_a_list_is_a_warning():
    m = parse_manifest("entries:\n  patents: [方法一，方法二]\n".encode(), "changju.yaml")
    (slip,) = m.slips
    assert slip.line == 2 and "全角逗号" in slip.message.zh


def test_every_slip_is_listed_each_on_its_own_line():
    text = HEAD + "  name：刘雨桐\n  nationality: CN\nunit:\n  name:北京小汤山生物科技有限公司\n  type: enterprise\n"
    lines = [p.line for p in problems(text)]
    assert lines == [4, 7]


def test_the_valid_facts_are_kept_for_the_checklist():
    text = HEAD + "  name：刘雨桐\n  nationality: CN\n  equity: {percent: 35, largest_natural_person: true}\nunit:\n  nmae: 北京\n"
    with pytest.raises(ManifestError) as info:
        parse_manifest(text.encode(), "changju.yaml")
    exc = info.value
    assert [p.line for p in exc.problems] == [4, 8]  # the slip and the unknown key below it
    assert "未知的键 'nmae'" in exc.problems[1].message.zh
    partial = exc.partial
    assert partial.category == "youth" and partial.applicant.equity.percent == 35 and partial.applicant.name is None
