"""Commands about the rules themselves: `categories`, `list-required`, `explain`, `rules validate`,
`rules new`, `schema`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from changju_check.cli.app import (
    COLOR_OPTION,
    LANG_OPTION,
    NO_COLOR_OPTION,
    RULES_OPTION,
    Lang,
    ListFormat,
    _fail,
    _lang,
    _offline_text,
    _rules,
    _say,
    _say_json,
    _say_listing,
    _table,
    _wrap,
    app,
    rules_app,
)

# --------------------------------------------------------------------------- categories


@app.command("categories")
def categories_cmd(
    fmt: ListFormat = typer.Option(ListFormat.table, "--format", "-f"),
    lang_opt: Optional[Lang] = LANG_OPTION,
    _color: Optional[str] = COLOR_OPTION,
    _no_color: bool = NO_COLOR_OPTION,
    rules_dir: Optional[Path] = RULES_OPTION,
) -> None:
    """Every category with who it is for, its aliases, mode, cover colour and copies."""
    from changju_check.rulebook.checklist import category_record

    lang = _lang(lang_opt)
    rules = _rules(rules_dir, lang)
    records = [category_record(rules, k) for k in rules.categories]
    records += [
        {
            "key": t.key,
            "title": t.title,
            "title_en": t.title_en,
            "audience": None,  # an offline type has its explanation instead (list-required prints it)
            "audience_en": None,
            "aliases": list(t.aliases),
            "mode": t.mode,
            "guide_section": t.guide_section,
            "cover_colour": None,
            "cover_colour_en": None,
            "copies": None,
        }
        for t in rules.offline
    ]
    if fmt == ListFormat.json:

        _say_json(records)
        return
    modes = {
        "online": ("线上", "online"),
        "offline": ("线下", "offline"),
        "external": ("另行规定", "separate rules"),
        "not_open": ("未开放", "not open"),
    }
    en = lang == "en"
    heads = ["key", "Category" if en else "类别", "Mode" if en else "方式", "Cover" if en else "封皮", "Copies" if en else "份数", "Aliases" if en else "别名"]
    rows = [
        [
            r["key"],
            r["title_en"] if en else r["title"],
            modes[r["mode"]][1 if en else 0],
            (r["cover_colour_en"] if en else r["cover_colour"]) or "—",
            str(r["copies"] or "—"),
            ", ".join(r["aliases"]),
        ]
        for r in records
    ]
    _say(_table(heads, rows, fmt, title="Categories" if en else "申报类别"))
    # who each online category is for (the rule files' `audience`), one paragraph each under the table
    lines = [(r["key"], r["audience_en"] if en else r["audience"]) for r in records if r["audience"]]
    if fmt == ListFormat.markdown:
        _say("\n".join(["", "### " + ("Who each category is for" if en else "各类别的适用对象"), ""] + [f"- `{k}`: {a}" for k, a in lines]))
    else:
        _say("\n" + ("Who each category is for:" if en else "各类别的适用对象："))
        for key, audience in lines:
            _say(_wrap(f"{key}: {audience}" if en else f"{key}：{audience}"))


# --------------------------------------------------------------------------- list-required


@app.command("list-required")
def list_required_cmd(
    category: str = typer.Argument(..., help="Category key or Chinese name, e.g. youth / 青年"),
    show_all: bool = typer.Option(False, "--all", help="Also list the optional materials."),
    names: bool = typer.Option(False, "--names", help="Also list the file-name words that recognise each material."),
    fmt: ListFormat = typer.Option(ListFormat.table, "--format", "-f"),
    lang_opt: Optional[Lang] = LANG_OPTION,
    _color: Optional[str] = COLOR_OPTION,
    _no_color: bool = NO_COLOR_OPTION,
    rules_dir: Optional[Path] = RULES_OPTION,
) -> None:
    """Who a category is for, and the materials it requires in the guide's order."""
    from changju_check.rulebook import cache as rulecache
    from changju_check.rulebook import compiled

    lang = _lang(lang_opt)
    en = lang == "en"
    try:
        doc = compiled.checklists(rules_dir)  # no model is built when the cache is warm
    except Exception as exc:  # RuleError: a broken rule directory
        from changju_check.report import Msg

        msg = exc.to_msg() if hasattr(exc, "to_msg") else Msg(zh=str(exc), en=str(exc))
        raise _fail(msg, lang)
    key = doc["aliases"].get(rulecache.fold(category))
    if key is None:
        from changju_check.report import Msg

        raise _fail(
            Msg(zh=f"未知的申报类别“{category}”。可选类别：{doc['valid']}", en=f"Unknown category '{category}'. Valid categories: {doc['valid']}"),
            lang,
        )
    if key in doc["offline"]:
        _say_listing(_offline_text(doc["offline"][key], lang, fmt), fmt)
        raise typer.Exit(0)
    cat = doc["categories"][key]
    chosen = [(s, i) for s in cat["sections"] for i in s["items"] if show_all or not i["optional"]]
    if fmt == ListFormat.json:
        _say_json([{**i["record"], "names": i["names"]} if names else i["record"] for _, i in chosen])
        return
    out: list[str] = []
    heads = ["No." if en else "序号", "Material" if en else "材料", "Condition / constraint" if en else "条件 / 要求"]
    if names:
        heads.append("File names containing" if en else "可识别的文件名（含其一）")
    for section in cat["sections"]:
        rows = [i["row"][lang] + ([("、" if not en else ", ").join(i["names"])] if names else []) for s, i in chosen if s is section]
        if rows:
            out.append(_table(heads, rows, fmt, title=section["title_en"] if en else section["title"]))
    title = f"{cat['title_en']} ({key})" if en else f"{cat['title']}（{key}）"
    audience = cat["audience"][lang]  # who the category is for (the rule file's `audience`)
    if fmt == ListFormat.markdown:
        out.insert(0, f"## {title}\n\n{audience}\n")
    else:
        out.insert(0, title + "\n" + _wrap(audience))
    out.append(_wrap("* required; *? required under the stated condition" if en else "* 必要材料；*? 满足所列条件时为必要材料"))
    if cat["binding"][lang]:
        out.append(_wrap(cat["binding"][lang]))
    _say("\n".join(out))


# --------------------------------------------------------------------------- explain


@app.command("explain")
def explain_cmd(
    code: Optional[str] = typer.Argument(None, help="A finding code, e.g. CJ101"),
    table: bool = typer.Option(False, "--table", help="Print every code as a Markdown table (the table on the documentation site's Finding codes page)"),
    lang_opt: Optional[Lang] = LANG_OPTION,
    _color: Optional[str] = COLOR_OPTION,
    _no_color: bool = NO_COLOR_OPTION,
) -> None:
    """What a finding code means and how to fix it."""
    from changju_check.render import codes_markdown_table, explain_text
    from changju_check.report import Msg
    from changju_check.rulebook.codes import catalogue

    lang = _lang(lang_opt)
    if table:
        _say(codes_markdown_table(lang))
        return
    if code is None:
        raise _fail(Msg(zh="请给出代码，如 CJ101", en="give a code, e.g. CJ101"), lang)
    if code.upper() not in catalogue():
        known = ", ".join(sorted(catalogue()))
        raise _fail(Msg(zh=f"未知的代码 {code}。已知代码：{known}", en=f"unknown code {code}. Known codes: {known}"), lang)
    _say(_wrap(explain_text(code.upper(), lang).rstrip("\n")))  # folded to COLUMNS like every other command


# --------------------------------------------------------------------------- rules validate


@rules_app.command("validate")
def rules_validate_cmd(directory: Optional[Path] = typer.Argument(None, help="Rule directory (default: the shipped 2023 rules)"), lang_opt: Optional[Lang] = LANG_OPTION, _color: Optional[str] = COLOR_OPTION, _no_color: bool = NO_COLOR_OPTION) -> None:
    """Check a rule directory (e.g. for next year's guide)."""
    lang = _lang(lang_opt)
    rules = _rules(directory, lang)
    n_items = sum(len(c.items()) for c in rules.categories.values())
    en = lang == "en"
    _say(
        f"{rules.directory}: OK — {len(rules.catalogue.materials)} materials, {len(rules.categories)} categories, {n_items} items, {len(rules.offline)} offline types"
        if en
        else f"{rules.directory}：通过 — {len(rules.catalogue.materials)} 种材料，{len(rules.categories)} 个类别，{n_items} 项，{len(rules.offline)} 个线下类型"
    )


@rules_app.command("new")
def rules_new_cmd(
    year: int = typer.Argument(..., help="新一年的年份，如 2024 / the new guide's year, e.g. 2024"),
    dest: Optional[Path] = typer.Option(None, "--to", help="复制到哪个文件夹（默认 rules/<年份>）/ where to copy (default rules/<year>)"),
    source: Optional[Path] = typer.Option(None, "--from", help="从哪一年的规则复制（默认最新的一年）/ the rule folder to start from (default: the newest shipped)"),
    lang_opt: Optional[Lang] = LANG_OPTION,
    _color: Optional[str] = COLOR_OPTION,
    _no_color: bool = NO_COLOR_OPTION,
) -> None:
    """复制最新一年的规则，作为下一年指南的起点 / Copy the newest year's rules as the start of the next."""
    from changju_check.report import Msg
    from changju_check.rulebook.cache import default_rules_dir
    from changju_check.rulebook.newyear import copy_year

    lang = _lang(lang_opt)
    src = source if source is not None else default_rules_dir()
    target = dest if dest is not None else Path("rules") / str(year)
    try:
        review = copy_year(src, target)
    except FileExistsError:
        raise _fail(Msg(zh=f"{target} 已存在，不覆盖。", en=f"{target} exists; not overwritten."), lang) from None
    except OSError as exc:
        raise _fail(Msg(zh=f"无法复制 {src} 到 {target}：{exc.strerror or exc}", en=f"cannot copy {src} to {target}: {exc.strerror or exc}"), lang) from None
    en = lang == "en"
    _say(f"{target}: copied from {src}" if en else f"{target}：已从 {src} 复制")
    if review:
        _say("Lines that name a year — check each against the new guide:" if en else "以下各行写有年份，请逐条对照新指南修改：")
        for name, line_no, text in review:
            _say(f"  {name}:{line_no}: {text}")
    _say(
        f"Then: changju rules validate {target}  ·  try it: changju check PACKET --rules {target}"
        if en
        else f"改完后：changju rules validate {target}  ·  试用：changju check 材料包 --rules {target}"
    )


# --------------------------------------------------------------------------- schema


@app.command("schema")
def schema_cmd(
    report: bool = typer.Option(False, "--report", help="The JSON Schema of the JSON report instead (what changju summary accepts)"),
    output: Optional[Path] = typer.Option(
        None, "--output", "-o", help="Write the schema to this file (UTF-8; `>` in Windows PowerShell 5.1 writes UTF-16)"
    ),
    _color: Optional[str] = COLOR_OPTION,
    _no_color: bool = NO_COLOR_OPTION,
) -> None:
    """Print the JSON Schema of changju.yaml (for editors), or with --report of the JSON report."""
    if report:
        from changju_check.report.schema import report_json_schema

        schema = report_json_schema()
    else:
        from changju_check.manifest import manifest_json_schema

        schema = manifest_json_schema()
    if output is None or str(output) == "-":
        _say_json(schema)
        return
    import json

    from changju_check.cli.app import _write_output

    lang = _lang(None)
    _write_output(output, json.dumps(schema, ensure_ascii=False, indent=2) + "\n", lang)
    _say(("Wrote " if lang == "en" else "已写入 ") + str(output))
