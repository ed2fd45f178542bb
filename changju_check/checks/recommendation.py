"""CJ205 (and CJ208): 申报单位推荐理由 要求50-200字 (附件4 第5条)."""

from __future__ import annotations

import unicodedata

from changju_check.checks.context import CheckContext
from changju_check.rulebook.codes import finding

CODES = ("CJ205", "CJ208")


def char_count(text: str) -> int:
    """Characters as a reviewer counts them: every character except white space."""
    return sum(1 for ch in unicodedata.normalize("NFC", text) if not ch.isspace())


def check(ctx: CheckContext):
    rule = ctx.category.recommendation
    if rule is None:
        return
    text = ctx.fact("recommendation")
    if text is None:
        yield finding(
            "CJ208",
            f"changju.yaml 中没有 recommendation（推荐理由），无法核对“要求{rule.min_chars}-{rule.max_chars}字”",
            f"recommendation is not in changju.yaml; the {rule.min_chars}-{rule.max_chars} character rule cannot be verified",
        )
        return
    n = char_count(text)
    if n < rule.min_chars or n > rule.max_chars:
        side_zh = "不足" if n < rule.min_chars else "超过"
        yield finding(
            "CJ205",
            f"推荐理由为 {n} 字，{side_zh}要求（{rule.min_chars}-{rule.max_chars}字）",
            f"the recommendation has {n} characters, outside {rule.min_chars}-{rule.max_chars}",
            line=ctx.line("recommendation"),
        )
