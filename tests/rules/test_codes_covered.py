"""Every code in the catalogue is exercised by a test (firing and near miss live beside it)."""

from pathlib import Path

from changju_check.rulebook.codes import catalogue

TESTS = Path(__file__).parents[1]


def test_every_code_appears_in_a_test_besides_this_one():
    sources = "\n".join(
        p.read_text(encoding="utf-8") for p in TESTS.rglob("*.py") if p.name != Path(__file__).name
    )
    missing = [code for code in catalogue() if code not in sources]
    assert missing == []


def test_every_code_has_both_languages_and_a_fix():
    for code in catalogue().values():
        assert code.title.zh and code.title.en and code.fix.zh and code.fix.en
        assert code.severity in ("error", "warning", "review", "info")
