"""Rules in plain words: the checklist behind `list-required`, `categories` and `init`.

Pure data in, data out; the CLI renders it.
"""

from __future__ import annotations

from typing import Any

from changju_check.rulebook.load import RuleSet
from changju_check.rulebook.model import Category, Item, Section


def constraint_text(c, lang: str) -> str:
    en = lang == "en"
    t = c.type
    if t == "years":
        ys = "、".join(str(y) for y in c.years) if not en else ", ".join(str(y) for y in c.years)
        return f"years {ys}, one file per year (or a file naming several)" if en else f"须有 {ys} 年度（文件名写明年度）"
    if t == "contract":
        if c.in_force or (c.min_years == 0 and c.min_remaining_months == 0):
            return "a contract in force at the reference date" if en else "有效期内工作合同"
        months_zh = "半年" if c.min_remaining_months == 6 else f"{c.min_remaining_months}个月"
        months_en = "six months" if c.min_remaining_months == 6 else f"{c.min_remaining_months} months"
        return (
            f"a term of at least {c.min_years} years and at least {months_en} left"
            if en
            else f"合同期限不低于{c.min_years}年，且合同剩余有效期在{months_zh}以上"
        )
    if t == "equity":
        tail_en = ", the largest natural-person shareholder" if c.largest_natural_person else ""
        tail_zh = "，且为第一大自然人股东" if c.largest_natural_person else ""
        return f"at least {c.min_percent:g}% of the shares{tail_en}" if en else f"占股权不低于{c.min_percent:g}%{tail_zh}"
    if t == "ordered":
        return (
            f"in the order entered in the system (entries.{c.entries})"
            if en
            else f"与系统填报顺序一致（entries.{c.entries}）"
        )
    if t == "recent":
        return f"from the last {c.years} years" if en else f"近{c.years}年"
    if t == "min_pages":
        parts = ", ".join(p.en for p in c.parts) if en else "、".join(p.zh for p in c.parts)
        return f"each at least {c.pages} pages: {parts}" if en else f"每篇至少{c.pages}页：{parts}"
    if t == "max_count":
        return f"at most {c.max} photos" if en else f"不超过{c.max}张"
    if t == "contents":
        items = "; ".join(i.en for i in c.items) if en else "；".join(f"{n}{i.zh}" for n, i in zip("①②③④⑤⑥⑦⑧⑨", c.items))
        return f"must cover: {items}" if en else f"至少包括：{items}"
    return t


def condition_text(item: Item, lang: str) -> str | None:
    parts = []
    if item.applies is not None:
        parts.append(item.applies.text.get(lang))
    if not isinstance(item.required, bool):
        parts.append(item.required.text.get(lang))
    cases = item.cases()
    if len(cases) > 1 or cases[0].choose > 1 or len(cases[0].of) > 1:
        parts.extend(c.text.get(lang) for c in cases if c.text is not None)
    return ("；" if lang != "en" else "; ").join(parts) if parts else None


def item_number(section: Section, item: Item) -> str:
    return f"{section.number}.{item.number}" if section.number else item.number


def item_title_en(rules: RuleSet, item: Item) -> str:
    return item.title_en or (rules.catalogue.materials[item.material].title_en if item.material else item.key)


def item_record(rules: RuleSet, category: Category, section: Section, item: Item) -> dict[str, Any]:
    """The documented JSON record of one material of `list-required`."""
    number = item_number(section, item)
    title_en = item_title_en(rules, item)
    return {
        "id": item.key,
        "section": section.key,
        "number": number,
        "title": item.title,
        "title_en": title_en,
        "required": item.required_data(),
        "applies": item.applies.to_data() if item.applies is not None else None,
        "accepts": [
            {
                "of": list(c.of),
                "choose": c.choose,
                "when": c.when.to_data() if c.when is not None else None,
            }
            for c in item.cases()
        ],
        "note": item.note,
        "note_en": item.note_en,
        "constraints": [c.model_dump(mode="json") for c in item.constraints],
        "seal": any(rules.catalogue.materials[m].seal for m in item.all_materials()),
    }


def material_names(rules: RuleSet, material_ids) -> list[str]:
    """The file-name words that recognise any of these catalogue materials (catalogue `keywords`,
    in the catalogue's order, Chinese ones only, without repeats): what `list-required --names`
    and a missing material's message show."""
    names: list[str] = []
    for m in material_ids:
        material = rules.catalogue.materials.get(m)
        if material is None:
            continue
        for word in material.keywords:
            if word not in names and not word.isascii():
                names.append(word)
    return names


def binding_line(rules: RuleSet, category: Category, lang: str) -> str | None:
    if category.binding is None:
        return None
    cover = rules.binding.cover_for(category.binding)
    b = rules.binding
    if lang == "en":
        return (
            f"Binding: {cover.colour.en} cover, {cover.copies} copies, double-sided, {b.binding_method.en}, "
            f"{b.spine.en}; {b.toc.en}."
        )
    return f"装订：封皮{cover.colour.zh}，{cover.copies}份，双面打印，{b.binding_method.zh}，{b.spine.zh}；{b.toc.zh}。"


def category_record(rules: RuleSet, key: str) -> dict[str, Any]:
    c = rules.categories[key]
    cover = rules.binding.cover_for(c.binding) if c.binding else None
    return {
        "key": c.key,
        "title": c.title,
        "title_en": c.title_en,
        "audience": c.audience.zh,
        "audience_en": c.audience.en,
        "aliases": list(c.aliases),
        "mode": "online",
        "guide_section": c.guide_section,
        "cover_colour": cover.colour.zh if cover else None,
        "cover_colour_en": cover.colour.en if cover else None,
        "copies": cover.copies if cover else None,
    }


# --------------------------------------------------------------------------- compiled checklists


def _beyond_note(c, lang: str, note: str) -> str | None:
    """What a constraint adds to the guide's own note, which already words the rule (None: nothing)."""
    if c.type == "contents" and not all(i.get(lang) in note for i in c.items):
        return constraint_text(c, lang)  # a note that only summarises the list (the English one)
    if c.type == "years":
        return constraint_text(c, lang)
    if c.type == "min_pages":
        return f"each file at least {c.pages} pages" if lang == "en" else f"每篇的文件至少{c.pages}页"
    if c.type == "ordered":
        return f"checked against entries.{c.entries} in changju.yaml" if lang == "en" else f"按 changju.yaml 的 entries.{c.entries} 核对"
    return None


# condition facts -> the changju.yaml key a person fills in
_MANIFEST_KEY = {"applicant.foreign": "applicant.nationality", "applicant.hmt": "applicant.nationality"}


def _decided_by(item: Item, lang: str) -> str | None:
    """Which changju.yaml keys decide a conditional item (an either/or, 仅限, 无须提供 …)."""
    facts: set[str] = set()
    for req in (item.required, item.applies):
        if req is not None and not isinstance(req, bool):
            facts |= (req.when or req.unless).facts()
    for case in item.cases():
        if case.when is not None:
            facts |= case.when.facts()
    keys = sorted({_MANIFEST_KEY.get(f, f) for f in facts})
    if not keys:
        return None
    return f"decided by {', '.join(keys)} in changju.yaml" if lang == "en" else f"据 changju.yaml 的 {'、'.join(keys)} 判断"


def _row(rules: RuleSet, section: Section, item: Item, lang: str) -> list[str]:
    """Every condition of the guide's parentheses, in its words (the note), then what changju adds:
    the years to name, the pages to include, the changju.yaml keys that decide."""
    en = lang == "en"
    note = item.note_en if en else item.note
    if note:
        notes = [note] + [t for t in (_beyond_note(c, lang, note) for c in item.constraints) if t]
        notes += [t for t in [_decided_by(item, lang)] if t]
    else:
        notes = [t for t in [condition_text(item, lang)] if t]
        notes += [constraint_text(c, lang) for c in item.constraints]
    req = "*" if item.required is True else "" if item.required is False else "*?"
    title = item_title_en(rules, item) if en else item.title
    return [req + item_number(section, item), title, ("; " if en else "；").join(notes)]


def compile_checklists(rules: RuleSet) -> dict[str, Any]:
    """Everything `list-required` prints, as plain data: cached by changju_check.rulebook.cache so that
    the command needs no model at all once a rule directory has been validated."""
    from changju_check.rulebook.cache import fold

    categories = {}
    for key, category in rules.categories.items():
        sections = []
        for section in category.sections:
            sections.append(
                {
                    "title": section.title,
                    "title_en": section.title_en,
                    "items": [
                        {
                            "optional": item.required is False,
                            "names": material_names(rules, item.all_materials()),
                            "record": item_record(rules, category, section, item),
                            "row": {"zh": _row(rules, section, item, "zh"), "en": _row(rules, section, item, "en")},
                        }
                        for item in section.items
                    ],
                }
            )
        categories[key] = {
            "key": key,
            "title": category.title,
            "title_en": category.title_en,
            "audience": {"zh": category.audience.zh, "en": category.audience.en},
            "sections": sections,
            "binding": {"zh": binding_line(rules, category, "zh"), "en": binding_line(rules, category, "en")},
        }
    offline = {
        t.key: {
            "key": t.key,
            "title": t.title,
            "title_en": t.title_en,
            "mode": t.mode,
            "guide_section": t.guide_section,
            "explanation": {"zh": t.explanation.zh, "en": t.explanation.en},
        }
        for t in rules.offline
    }
    aliases = {}
    for key, category in rules.categories.items():
        for name in [key, category.title, *category.aliases]:
            aliases[fold(name)] = key
    for t in rules.offline:
        for name in [t.key, t.title, *t.aliases]:
            aliases.setdefault(fold(name), t.key)
    valid = ", ".join(f"{k} ({c.title})" for k, c in rules.categories.items())
    return {"format": 1, "categories": categories, "offline": offline, "aliases": aliases, "valid": valid}
