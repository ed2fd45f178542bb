"""CJ212: a deciding fact the manifest does not give, read from the document the packet holds.

The guide's either/or sentences ("国外取得学历须提供…认证书", "实缴资金为0的…出具情况说明",
"未纳税企业出具‘未欠税证明’", "外籍人才提供有效护照") turn on a fact of changju.yaml. When that fact is
not given, the default branch is checked; but when the packet holds the document of the other
branch and not the default one, an experienced reader takes the fact from the document. So does
this: the fact is inferred (the checklist, and every check, then read it), and a note says so.

Only simple conditions are read this way (`{fact: F, equals: V}` on an alternative of `accepts`),
and only when the manifest is silent on F: a given fact is never overridden.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from changju_check.rulebook.codes import finding

CODES = ("CJ212",)


@dataclass(frozen=True)
class Inferred:
    fact: str
    value: Any
    section: Any  # the item whose alternative decided it, and its section
    item: Any
    materials: tuple[str, ...]  # the other branch's materials found
    files: tuple[str, ...]


def infer_facts(category, manifest_fact: Callable[[str], Any], present: Callable[[str], list[str]]) -> dict[str, Inferred]:
    """Fact name -> what the documents say. `present(material)` lists the usable files of a material."""
    found: dict[str, Inferred] = {}
    for section, item in category.items():
        cases = item.cases()
        if len(cases) < 2:
            continue
        active = item.active_case(manifest_fact)
        if sum(1 for m in active.of if present(m)) >= active.choose:
            continue  # the default branch is there: nothing to decide
        for case in cases:
            cond = case.when
            if case is active or cond is None or cond.fact is None or cond.equals is None:
                continue
            if manifest_fact(cond.fact) is not None or cond.fact in found:
                continue
            have = [m for m in case.of if present(m)]
            if len(have) < case.choose:
                continue
            found[cond.fact] = Inferred(
                fact=cond.fact,
                value=cond.equals,
                section=section,
                item=item,
                materials=tuple(have),
                files=tuple(p for m in have for p in present(m)),
            )
            break
    return found


def _yaml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def check(ctx):
    for inferred in ctx.inferred.values():
        number = ctx.number(inferred.section, inferred.item)
        title_zh, title_en = ctx.title(inferred.item)
        names_zh = "、".join(ctx.material_title(m)[0] for m in inferred.materials)
        names_en = "; ".join(ctx.material_title(m)[1] for m in inferred.materials)
        files = "，".join(inferred.files)
        value = _yaml(inferred.value)
        yield finding(
            "CJ212",
            f"{number} {title_zh}：changju.yaml 中没有 {inferred.fact}，材料包中有{names_zh}（{files}），"
            f"按 {inferred.fact}: {value} 核对；如属实，请在 changju.yaml 中写明",
            f"{number} {title_en}: changju.yaml does not give {inferred.fact}, but the packet holds "
            f"{names_en} ({', '.join(inferred.files)}); checked as {inferred.fact}: {value} - write it in changju.yaml if so",
            material=inferred.item.key,
            line=ctx.line(*inferred.fact.split(".")[:1]),
        )
