"""CJ101: a required material, or a required group of alternatives, is missing.

Also builds the checklist: one `MaterialResult` per numbered item of the guide.
"""

from __future__ import annotations

from changju_check.checks.context import CheckContext
from changju_check.report import Finding, MaterialResult
from changju_check.rulebook.codes import finding

CODES = ("CJ101",)


def checklist(ctx: CheckContext) -> tuple[list[MaterialResult], list[Finding]]:
    results: list[MaterialResult] = []
    findings: list[Finding] = []
    for section, item in ctx.items():
        case = item.active_case(ctx.fact)
        applicable = item.is_applicable(ctx.fact)
        required_now = applicable and item.is_required(ctx.fact)
        present = [m for m in case.of if any(ctx.usable(p) for p in ctx.files_of(m))]
        files = tuple(ctx.item_files(item, active_only=False))
        satisfied = len(present) >= case.choose
        broken = [p for p in ctx.item_files(item) if not ctx.usable(p)]
        parts = _missing_parts(ctx, present) if satisfied and required_now else []
        if parts:
            status = "missing"
        elif satisfied or (files and not required_now and not broken):
            status = "present"
        elif not applicable:
            status = "not_applicable"
        elif required_now:
            status = "missing"
        else:
            status = "optional_missing"
        number = ctx.number(section, item)
        zh, en = ctx.title(item)
        results.append(
            MaterialResult(
                id=item.key,
                section=section.key,
                number=number,
                title=zh,
                title_en=en,
                required=item.required_data(),
                required_now=required_now,
                status=status,
                files=files,
                accepted=tuple(case.of),
            )
        )
        if status == "missing" and parts:
            findings.append(_missing_part(ctx, item, number, zh, en, parts))
        elif status == "missing":
            findings.append(_missing(ctx, item, number, zh, en, case, present, broken))
    return results, findings


def _missing_parts(ctx: CheckContext, present: list[str]) -> list[tuple[str, object]]:
    """(material, part) of a two-part material (学历、学位) that no usable file covers."""
    from changju_check.recognise.parts import missing_parts

    kinds: dict[str, set[str]] = {}
    for doc in ctx.documents:
        kinds.setdefault(doc.file, set()).add(doc.kind)
    out = []
    for m in present:
        definition = ctx.rules.catalogue.materials[m]
        if not definition.parts:
            continue
        usable = [p for p in ctx.files_of(m) if ctx.usable(p)]
        by_key = {part.key: part for part in definition.parts}
        out += [(m, by_key[key]) for key in missing_parts(definition, ctx.fact, usable, lambda p: kinds.get(p, set()))]
    return out


def _missing_part(ctx: CheckContext, item, number, zh, en, parts) -> Finding:
    """CJ101 naming the part of a two-part material that is missing, and the words that recognise it."""
    names_zh = "、".join(part.title for _, part in parts)
    names_en = "; ".join(part.title_en for _, part in parts)
    words = [k for _, part in parts for k in part.keywords[:2]]
    hint_zh = "；文件名中含有" + "、".join(f"“{k}”" for k in words) + "即可识别" if words else ""
    hint_en = "; a file whose name contains " + ", ".join(words) + " is recognised" if words else ""
    return finding(
        "CJ101",
        f"缺少必要材料 {number} {zh}中的{names_zh}{hint_zh}",
        f"Required material missing: {number} {en}: {names_en}{hint_en}",
        material=item.key,
    )


NAMES_SHOWN = 4


def _names_note(ctx, case) -> tuple[str, str] | None:
    """Which file names would have been recognised (the catalogue's keywords), for the fix."""
    from changju_check.rulebook.checklist import material_names

    names = material_names(ctx.rules, case.of)
    if not names:
        return None
    shown = names[:NAMES_SHOWN]
    more_zh = "等" if len(names) > NAMES_SHOWN else ""
    return (
        "文件名中含有" + "、".join(f"“{n}”" for n in shown) + f"{more_zh}即可识别",
        "a file whose name contains " + ", ".join(shown) + (" (or another listed by list-required --names)" if more_zh else "") + " is recognised",
    )


def _missing(ctx, item, number, zh, en, case, present, broken) -> Finding:
    f = _missing_finding(ctx, item, number, zh, en, case, present)
    notes_zh, notes_en = [], []
    names = _names_note(ctx, case)
    if names:
        notes_zh.append(names[0])
        notes_en.append(names[1])
    if broken:
        notes_zh.append("文件无法使用（见 CJ3xx）：" + "，".join(broken))
        notes_en.append("unusable file(s) (see CJ3xx): " + ", ".join(broken))
    maybe = [p for p, ms in ctx.ambiguous.items() if set(ms) & set(case.of)]
    if maybe:
        notes_zh.append("可能是该材料但同时对应多项材料的文件（见 CJ104）：" + "，".join(maybe))
        notes_en.append("file(s) that may be it but match several materials (see CJ104): " + ", ".join(maybe))
    if not notes_zh:
        return f
    from dataclasses import replace

    from changju_check.report import Msg

    return replace(f, message=Msg(zh=f.message.zh + "；" + "；".join(notes_zh), en=f.message.en + "; " + "; ".join(notes_en)))


def _missing_finding(ctx, item, number, zh, en, case, present) -> Finding:
    if len(case.of) == 1:
        want_zh, want_en = ctx.material_title(case.of[0])
        if want_zh.strip("《》") in zh:
            extra_zh = extra_en = ""
        else:
            extra_zh, extra_en = f"（应提供：{want_zh}）", f" (expected: {want_en})"
        return finding(
            "CJ101",
            f"缺少必要材料 {number} {zh}{extra_zh}",
            f"Required material missing: {number} {en}{extra_en}",
            material=item.key,
        )
    options_zh = "、".join(ctx.material_title(m)[0] for m in case.of)
    options_en = "; ".join(ctx.material_title(m)[1] for m in case.of)
    return finding(
        "CJ101",
        f"缺少必要材料 {number} {zh}：须提供{options_zh}中的{case.choose}项，已提供{len(present)}项",
        f"Required material missing: {number} {en}: {case.choose} of [{options_en}] needed, {len(present)} found",
        material=item.key,
    )
