"""CJ211: 论文须包括刊物封面页、目录页、论文内容页、署名页 — a paper PDF shorter than that."""

from __future__ import annotations

from changju_check.checks.context import CheckContext
from changju_check.rulebook.codes import finding

CODES = ("CJ211",)


def check(ctx: CheckContext, section, item, constraint):
    number = ctx.number(section, item)
    parts_zh = "、".join(p.zh for p in constraint.parts)
    parts_en = ", ".join(p.en for p in constraint.parts)
    for path in ctx.item_files(item):
        if ctx.kind(path) != "pdf":
            continue
        pages = ctx.pages(path)
        if pages is not None and 0 < pages < constraint.pages:
            yield finding(
                "CJ211",
                f"{number} 只有 {pages} 页，每篇论文应至少 {constraint.pages} 页（{parts_zh}）",
                f"{number} {pages} page(s); each paper needs at least {constraint.pages} ({parts_en})",
                material=item.key,
                file=path,
            )
