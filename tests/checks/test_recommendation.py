"""CJ205 — 申报单位须认真填写推荐理由……要求50-200字."""

from changju_check.checks.recommendation import char_count
from tests.packets import check, codes, findings, youth_packet


def manifest(text):
    return f"category: youth\nas_of: 2023-08-31\napplicant: {{equity: {{percent: 40}}}}\nrecommendation: {text}\n"


def test_50_and_200_characters_pass(tmp_path):
    assert "CJ205" not in codes(check(youth_packet(tmp_path / "a", manifest=manifest("字" * 50))))
    assert "CJ205" not in codes(check(youth_packet(tmp_path / "b", manifest=manifest("字" * 200))))


def test_49_characters_is_too_short(tmp_path):
    (f,) = findings(check(youth_packet(tmp_path, manifest=manifest("字" * 49))), "CJ205")
    assert "49" in f.message.zh and f.line == 4


def test_201_characters_is_too_long(tmp_path):
    assert "CJ205" in codes(check(youth_packet(tmp_path, manifest=manifest("字" * 201))))


def test_white_space_does_not_count():
    assert char_count("推荐 理由\n好") == 5


def test_the_forum_has_no_recommendation_rule(tmp_path):
    from tests.packets import build

    report = check(build(tmp_path, {"实施方案.pdf": 1}, "category: forum\nrecommendation: 短\n"))
    assert "CJ205" not in codes(report) and "CJ208" not in codes(report)
