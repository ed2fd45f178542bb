"""`changju config`: the settings `check` uses in this folder, and where each came from."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Optional

import typer

from changju_check.cli.app import (
    LANG_OPTION,
    RULES_OPTION,
    Lang,
    _codes,
    _fail,
    _known_codes,
    _lang,
    _parse_date,
    _say,
    app,
    repo_config,
)


def _source_zh(source: str) -> str:
    from changju_check.cli.config import COMMAND_LINE, DEFAULT

    return {COMMAND_LINE: "命令行", DEFAULT: "默认"}.get(source, source)
_DEFAULT_SHOWN = {
    "as_of": {"zh": "（清单的 as_of，否则今天）", "en": "(the manifest's as_of, else today)"},
    "select": {"zh": "（全部代码）", "en": "(every code)"},
    "ignore": {"zh": "（无）", "en": "(none)"},
    "rules": {"zh": "（随附的规则）", "en": "(the shipped rules)"},
    "read_scans": {"zh": "auto（装有 [scan] 扩展时，在能改变结果之处读取页面）",
                   "en": "auto (with the [scan] extra: pages read where that can change the result)"},
}


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list, frozenset, set)):
        return sorted(value)
    if isinstance(value, Path):
        return str(value)
    return value


def _shown(key: str, value: Any, lang: str) -> str:
    lang = "en" if lang == "en" else "zh"
    if value is None or value == () or value == frozenset():
        return _DEFAULT_SHOWN.get(key, {"zh": "—", "en": "—"})[lang]
    if isinstance(value, bool):
        return "true" if value else "false"
    value = _plain(value)
    return ", ".join(value) if isinstance(value, list) else str(value)


@app.command("config")
def config_cmd(
    as_of: Optional[str] = typer.Option(None, "--as-of"),
    strict: Optional[bool] = typer.Option(None, "--strict/--no-strict"),
    select: Optional[str] = typer.Option(None, "--select"),
    ignore: Optional[str] = typer.Option(None, "--ignore"),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json"),
    lang_opt: Optional[Lang] = LANG_OPTION,
    rules_dir: Optional[Path] = RULES_OPTION,
) -> None:
    """The effective settings of `check` here, and where each came from. / 显示生效的配置及其来源。"""
    import json

    from changju_check.report import Msg

    lang = _lang(lang_opt)
    if fmt not in ("text", "json"):
        raise _fail(Msg(zh="--format 只能是 text 或 json", en="--format takes text or json"), lang)
    # here is a packet (it holds a changju.yaml): `check .` would not apply a configuration inside it
    here = Path(".")
    try:
        is_packet = any(p.name.lower() == "changju.yaml" for p in here.iterdir())
    except OSError:
        is_packet = False
    config = repo_config(lang, [here] if is_packet else [])
    given = {
        "as_of": _parse_date(as_of, lang),
        "strict": strict,
        "select": _known_codes(_codes(select), "--select", lang),
        "ignore": _known_codes(_codes(ignore), "--ignore", lang),
        "lang": lang_opt.value if lang_opt else None,
        "rules": rules_dir.resolve() if rules_dir else None,
    }
    from changju_check.cli.config import settle  # imported when the command runs: start-up stays light

    settings = settle(config, given)
    if fmt == "json":
        doc = {
            "file": str(config.path) if config.path else None,
            "settings": {k: {"value": _plain(s.value), "source": s.source} for k, s in settings.items()},
        }
        _say(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    en = lang == "en"
    if config.path:
        _say(("Configuration: " if en else "配置文件：") + str(config.path))
    else:
        _say("No configuration file (changju.toml, or [tool.changju] in pyproject.toml, from here upward)" if en
             else "没有配置文件（从当前目录向上查找 changju.toml 或 pyproject.toml 中的 [tool.changju]）")
    width = max(len(k) for k in settings)
    for key, s in settings.items():
        source = s.source if en else _source_zh(s.source)
        _say(f"{key:<{width}}  {_shown(key, s.value, lang)}    ({'from ' if en else '来自 '}{source})")
