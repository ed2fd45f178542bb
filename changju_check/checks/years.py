"""CJ102: a year is missing from a multi-year material (audit 2020–2022, IIT 2021–2022, 完税 2022)."""

from __future__ import annotations

from changju_check.checks.context import CheckContext
from changju_check.rulebook.codes import finding

CODES = ("CJ102",)


def check(ctx: CheckContext, section, item, constraint):
    if not item.is_applicable(ctx.fact):
        return
    materials = [constraint.material] if constraint.material else ctx.active_materials(item)
    if not set(materials) & set(ctx.active_materials(item)):
        return  # e.g. 未欠税证明 instead of 完税证明: no year asked
    paths = [p for m in materials for p in ctx.files_of(m)]
    if not paths:
        return  # CJ101 says the material is missing
    covered: set[int] = set()
    undated: list[str] = []
    for path in paths:
        found = ctx.years_of(path)
        covered.update(found)
        if not found:
            undated.append(path)
    missing = [y for y in constraint.years if y not in covered]
    if not missing:
        return
    number = ctx.number(section, item)
    years_zh = "、".join(str(y) for y in missing)
    years_en = ", ".join(str(y) for y in missing)
    note_zh = note_en = ""
    if undated:
        note_zh = f"；{len(undated)} 个文件的文件名和文字层中没有年度：" + "，".join(undated)
        note_en = f"; {len(undated)} file(s) give no year in the name or text: " + ", ".join(undated)
    title_zh, title_en = ctx.material_title(materials[0])
    yield finding(
        "CJ102",
        f"{number} {title_zh.strip('《》')}缺少 {years_zh} 年度{note_zh}",
        f"{number} {title_en}: year {years_en} missing{note_en}",
        material=item.key,
    )
