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
    lang_opt: Optional[Lang] = LANG_OPTION,
    _color: Optional[str] = COLOR_OPTION,
    _no_color: bool = NO_COLOR_OPTION,
    rules_dir: Optional[Path] = RULES_OPTION,
) -> None:
    """Write a commented changju.yaml for a category and list the files to gather."""
    from changju_check.report import Msg
    from changju_check.rules import template

    lang = _lang(lang_opt)
    rules = _rules(rules_dir, lang)
    cat = _category(rules, category, lang)
    target = directory / "changju.yaml"
    if (target.exists() or target.is_symlink()) and not force:
        raise _fail(
            Msg(zh=f"{target} 已存在；要覆盖请加 --force", en=f"{target} exists; use --force to overwrite it"), lang
        )
    if directory.exists() and not directory.is_dir():
        raise _fail(Msg(zh=f"{directory} 不是文件夹", en=f"{directory} is not a folder"), lang)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _fail(Msg(zh=f"无法创建 {directory}：{exc.strerror or exc}", en=f"cannot create {directory}: {exc.strerror or exc}"), lang)
    _write_output(target, template.render(rules, cat, lang), lang)
    _say(("Wrote " if lang == "en" else "已写入 ") + str(target))
    _say("Files to gather:" if lang == "en" else "需要准备的材料：")
    list_required_cmd(category=cat.key, show_all=False, fmt=ListFormat.table, lang_opt=Lang(lang), rules_dir=rules_dir)
