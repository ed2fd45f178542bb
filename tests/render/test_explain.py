import pytest

from changju_check.rulebook import codes
from changju_check.render import codes_markdown_table, explain_body, explain_text


def test_explain_text_zh():
    entry = codes.get("CJ201")
    assert explain_text("CJ201", "zh") == (
        f"CJ201  {entry.title.zh}\n严重程度：错误\n\n说明：\n{entry.description.zh}\n\n修改方法：\n{entry.fix.zh}\n"
    )


def test_explain_text_en():
    entry = codes.get("CJ306")
    assert explain_text("cj306", "en") == (
        f"CJ306  {entry.title.en}\nSeverity: note\n\n"
        f"Description:\n{entry.description.en}\n\nHow to fix:\n{entry.fix.en}\n"
    )


def test_explain_body_is_inside_explain_text():
    for code in codes.catalogue():
        for lang in ("zh", "en"):
            assert explain_body(code, lang) in explain_text(code, lang)


def test_unknown_code():
    with pytest.raises(KeyError):
        explain_text("CJ000")


def test_codes_table_has_a_row_per_code(lang):
    table = codes_markdown_table(lang)
    rows = table.splitlines()
    assert len(rows) == 2 + len(codes.catalogue())
    assert rows[0] == ("| 编号 | 严重程度 | 名称 | 修改方法 |" if lang == "zh" else "| Code | Severity | Title | How to fix |")
    for code, row in zip(sorted(codes.catalogue()), rows[2:]):
        assert row.startswith(f"| {code} | ")
        assert row.count(" | ") - row.count("\\|") == 3
