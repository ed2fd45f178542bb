"""`changju init`: a commented changju.yaml for a category."""

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
    _category,
    _fail,
    _lang,
    _parse_date,
    _rules,
    _say,
    _write_output,
    app,
)
from changju_check.cli.rules import list_required_cmd

# --------------------------------------------------------------------------- init


@app.command("init")
def init_cmd(
    directory: Path = typer.Argument(..., help="The packet folder (created if missing)"),
    category: str = typer.Option(..., "--category", "-c", help="Category key or Chinese name"),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing changju.yaml"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Reference date written as as_of (default: today)"),
    read_scans: Optional[bool] = typer.Option(
        None, "--read-scans/--no-read-scans",
        help="Fill in the facts the folder's documents say (default: where the folder already holds files)"),
    lang_opt: Optional[Lang] = LANG_OPTION,
    _color: Optional[str] = COLOR_OPTION,
    _no_color: bool = NO_COLOR_OPTION,
    rules_dir: Optional[Path] = RULES_OPTION,
) -> None:
    """Write a commented changju.yaml for a category and list the files to gather; on a folder that
    already holds documents, with every fact they say filled in and where it was read."""
    from changju_check.report import Msg
    from changju_check.rulebook import template

    lang = _lang(lang_opt)
    today = _parse_date(as_of, lang)
    rules = _rules(rules_dir, lang)
    cat = _category(rules, category, lang)
    from changju_check.report.paths import native

    target = directory / "changju.yaml"
    folder = native(directory)  # \\?\ on Windows: a folder in WeChat's downloads may pass MAX_PATH
    if ((folder / "changju.yaml").exists() or (folder / "changju.yaml").is_symlink()) and not force:
        raise _fail(
            Msg(zh=f"{target} 已存在；要覆盖请加 --force", en=f"{target} exists; use --force to overwrite it"), lang
        )
    if folder.exists() and not folder.is_dir():
        raise _fail(Msg(zh=f"{directory} 不是文件夹", en=f"{directory} is not a folder"), lang)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _fail(Msg(zh=f"无法创建 {directory}：{exc.strerror or exc}", en=f"cannot create {directory}: {exc.strerror or exc}"), lang)
    read = None
    if read_scans is not False and any(p.is_file() and p.name != "changju.yaml" for p in folder.rglob("*")):
        read = _facts_of_folder(directory, cat.key, today, rules_dir, read_scans, lang)
    _write_output(target, template.render(rules, cat, lang, today=today, read=read or None), lang)
    if read:
        _say(("Filled in from the documents: " if lang == "en" else "已从材料中填入：") + ", ".join(sorted(read)))
    _say(("Wrote " if lang == "en" else "已写入 ") + str(target))
    _say("Files to gather:" if lang == "en" else "需要准备的材料：")
    list_required_cmd(category=cat.key, show_all=False, fmt=ListFormat.table, lang_opt=Lang(lang), rules_dir=rules_dir)


def _facts_of_folder(directory: Path, category: str, as_of, rules_dir, read_scans, lang: str) -> dict:
    """Manifest key -> (value, "file 第N页") for each fact the folder's documents say with enough
    confidence (and agree on): the check's own reading, pages read where they can tell something."""
    import sys

    from changju_check.cli.progress import pages_bar
    from changju_check.engine.run import CheckOptions, check_packet
    from changju_check.scan.facts import decide

    options = CheckOptions(category=category, as_of=as_of, rules_dir=rules_dir, read_scans=read_scans,
                           manifest=None, file_timeout=30.0)
    with pages_bar(lang, enabled=sys.stderr.isatty()) as bar:
        options.progress = bar
        report = check_packet(directory, options)
    if report.fatal is not None:
        return {}
    chosen = decide(report.facts, lambda key: None).chosen
    where = (lambda f: f"{f.file} p.{f.page}") if lang == "en" else (lambda f: f"{f.file} 第{f.page}页")
    return {key: (fact.value, where(fact)) for key, fact in chosen.items()}
