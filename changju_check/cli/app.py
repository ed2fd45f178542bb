"""The `changju` app: its options, the helpers every command shares (language, messages, exit
codes, tables), and `main()`. The commands live beside it, one module per group.

Only Typer is imported at start-up; every command imports what it needs when
it runs, so `changju --help` stays fast (no pypdf, no rich tables).

Exit codes: 0 no errors, 1 errors found, 2 unusable input.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Callable, Iterator, Optional

import typer

from changju_check.report.invocation import prog
from changju_check import __version__

# Help texts are declared in English; main() puts the Chinese ones of cli/i18n.py on the command
# tree unless --lang en / CHANGJU_LANG=en asks for English.
app = typer.Typer(
    name="changju",
    help="Checklist and validator for 昌聚工程 application packets (2023 guide).",
    add_completion=True,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
rules_app = typer.Typer(help="The rule files.", rich_markup_mode=None, no_args_is_help=True)
app.add_typer(rules_app, name="rules")


class Terminated(BaseException):
    """SIGTERM or SIGHUP, raised where the program is, so that every `finally` and every
    cleanup runs as for Ctrl-C (the temporary file of a report or of `bundle`'s book)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


# the ending signal of this run, and what to call when it comes (cli/__init__._terminate)
ENDING: dict = {"signum": None, "hooks": []}


def when_terminated(hook) -> "Callable[[], None]":
    """Call `hook` (no arguments, quick, thread-safe) when an ending signal arrives; returns the
    function that takes it away again."""
    ENDING["hooks"].append(hook)
    return lambda: ENDING["hooks"].remove(hook) if hook in ENDING["hooks"] else None


class Lang(str, Enum):
    zh = "zh"
    en = "en"


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    sarif = "sarif"
    junit = "junit"
    github = "github"
    html = "html"
    gitlab = "gitlab"
    csv = "csv"


class ListFormat(str, Enum):
    table = "table"
    markdown = "markdown"
    json = "json"


_ROOT: dict[str, Optional[str]] = {"lang": None, "color": None}  # options given before the command


def _lang(lang: Optional[Lang], packets=()) -> str:
    """--lang after the command, else --lang before it, else CHANGJU_LANG, else the repository
    configuration's lang (never one inside the folders `packets` being checked), else Chinese."""
    if lang is not None:
        return lang.value
    if _ROOT["lang"] is not None:
        return _ROOT["lang"]
    if os.environ.get("CHANGJU_LANG", "").strip():
        from changju_check.cli.i18n import env_lang

        return env_lang()
    from changju_check.cli.config import current_lang

    return current_lang(packets) or "zh"


def _say(text: str, err: bool = False) -> None:
    """A human line on stdout or stderr (never raises; see cli/output.py)."""
    from changju_check.cli import output

    output.say(text, err=err)


def _say_json(data) -> None:
    """JSON on stdout: UTF-8 bytes whatever the console's code page."""
    import json

    from changju_check.cli import output

    output.write_report(json.dumps(data, ensure_ascii=False, indent=2), "json")


def _say_listing(text: str, fmt: "ListFormat | None") -> None:
    """A listing in its format: JSON as UTF-8 bytes, a table or Markdown as text."""
    from changju_check.cli import output

    output.write_report(text, "json" if fmt == ListFormat.json else "text")


def _color_choice(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    choice = value.strip().lower()
    if choice not in ("auto", "always", "never"):
        raise typer.BadParameter("auto, always or never")
    _ROOT["color"] = choice
    return choice


def _no_color(value: bool) -> bool:
    if value:
        _ROOT["color"] = "never"
    return value


def _color() -> bool:
    """Colour for what goes to stdout: --color, then NO_COLOR / FORCE_COLOR, then a terminal."""
    from changju_check.cli import output

    return output.use_color(_ROOT["color"])


def _fail(msg, lang: str, code: int = 2) -> "typer.Exit":
    _say(("error: " if lang == "en" else "错误：") + msg.get(lang), err=True)
    return typer.Exit(code)


def _refuse_output_in_packets(out: Path, packets: list[Path], lang: str, manifest: Optional[Path] = None) -> None:
    """Every command that writes refuses a destination inside a packet it reads (a folder, or a
    zip file itself), or the manifest it was given: changju never writes into a packet."""
    from changju_check.report import Msg
    from changju_check.write import is_inside

    for packet in packets:
        if packet.exists() and is_inside(out, packet):
            raise _fail(Msg(zh=f"输出文件不能在材料包内：{out}", en=f"the output must not be inside the packet: {out}"), lang)
    if manifest is not None and is_inside(out, manifest):
        raise _fail(Msg(zh=f"输出文件不能是清单文件本身：{out}", en=f"the output must not be the manifest itself: {out}"), lang)


def _write_output(out: Path, text: str, lang: str) -> None:
    """Write a report or template the safe way (changju_check.write); exit 2 saying why it failed."""
    from changju_check.write import write_text

    from changju_check.report.paths import long_path

    try:
        write_text(long_path(out), text)  # \\?\ past MAX_PATH on Windows
    except OSError as exc:
        raise _fail(_write_error(out, exc), lang)


def _write_error(out: Path, exc: OSError):
    """Why a report could not be written (a file open in Excel or WPS, a path too long, the OS's reason)."""
    from changju_check.report import Msg
    from changju_check.report.paths import write_error_zh_en

    return Msg(*write_error_zh_en(str(out), exc))


@contextmanager
def _caches_kept_out_of(packets: list[Path], lang: str, scan_cache: bool = False) -> Iterator[bool]:
    """A cache folder (CHANGJU_CACHE_DIR, XDG_CACHE_HOME) inside a packet being read is not used
    for this run, with a note on stderr: nothing is written into a packet. Nor is any cache when
    the folder of the key that seals them (XDG_DATA_HOME) lies in a packet. Yields whether the OCR
    cache may be used. The rule cache is turned off through CHANGJU_NO_RULE_CACHE, which worker
    processes inherit, and restored afterwards."""
    from changju_check.report import Msg
    from changju_check.rulebook.cache import cache_dir as rule_cache_dir, key_folder
    from changju_check.write import is_inside

    folders = [("rules", rule_cache_dir()), ("key", key_folder())]
    if scan_cache:
        from changju_check.scan.cache import cache_dir as scan_cache_dir

        folders.append(("scans", scan_cache_dir()))
    off = set()
    for kind, folder in folders:
        if folder is None:
            continue
        for packet in packets:
            if is_inside(folder, packet):
                off.add(kind)
                _say(
                    ("注意：" if lang != "en" else "note: ")
                    + Msg(
                        zh=f"缓存目录 {folder} 在材料包 {packet} 内，本次不使用（不向材料包写入任何文件）。",
                        en=f"the cache folder {folder} is inside the packet {packet}; it is not used (nothing is written into a packet).",
                    ).get(lang),
                    err=True,
                )
                break
    if "key" in off:  # no key may be made there: no cache is sealed, so none is used
        off |= {"rules", "scans"}
    saved = os.environ.get("CHANGJU_NO_RULE_CACHE")
    if "rules" in off:
        os.environ["CHANGJU_NO_RULE_CACHE"] = "1"
    try:
        yield "scans" not in off
    finally:
        if "rules" in off:
            if saved is None:
                os.environ.pop("CHANGJU_NO_RULE_CACHE", None)
            else:
                os.environ["CHANGJU_NO_RULE_CACHE"] = saved


def _keep_caches_out(ctx: typer.Context, packets: list[Path], lang: str, scan_cache: bool = False) -> bool:
    """`_caches_kept_out_of` for the rest of the command (undone when the command ends)."""
    return ctx.with_resource(_caches_kept_out_of(packets, lang, scan_cache))


def _check_output_name(out: Path, lang: str) -> None:
    """Refuse (exit 2) an output name the file system cannot hold, naming the user's own name (the
    temporary file written first beside it has a short name of fixed length, `.changju-XXXXXXXX.tmp`,
    whatever the output's name: any name the file system holds can be written)."""
    import os
    import sys

    from changju_check.report import Msg

    folder = out.parent if str(out.parent) else Path(".")
    try:
        limit = os.pathconf(folder if folder.exists() else ".", "PC_NAME_MAX")
        size = len(out.name.encode(sys.getfilesystemencoding(), "surrogateescape"))  # bytes (ext4, APFS)
        unit_zh, unit_en = "字节", "bytes"
    except (AttributeError, OSError, ValueError):  # Windows: NTFS counts 255 UTF-16 units
        limit = 255
        size = len(out.name.encode("utf-16-le", "surrogatepass")) // 2
        unit_zh, unit_en = "个字符", "characters"
    if size > limit:
        raise _fail(
            Msg(
                zh=f"输出文件名过长（{size} {unit_zh}，文件系统最多允许 {limit} {unit_zh}）：{out.name}。请换一个较短的文件名。",
                en=f"the output name is too long for the file system ({size} {unit_en}; it allows {limit}): {out.name}. "
                   f"Choose a shorter name.",
            ),
            lang,
        )


def _rules(rules_dir: Optional[Path], lang: str):
    from changju_check.rulebook.load import RuleError, load_rules

    try:
        return load_rules(rules_dir)
    except RuleError as exc:
        raise _fail(exc.to_msg(), lang)


def _category(rules, name: str, lang: str, fmt: "ListFormat" = None):
    """The category named on the command line; exits 2 for an unknown one, 0 for an offline type."""
    from changju_check.engine.run import (
        OfflineCategory,
        resolve_category,
        unknown_category_msg,
    )

    try:
        return resolve_category(rules, name)
    except KeyError:
        raise _fail(unknown_category_msg(rules, name), lang)
    except OfflineCategory as exc:
        _say_listing(_offline_text(exc.offline, lang, fmt or ListFormat.table), fmt)
        raise typer.Exit(0)


def _version(value: bool) -> None:
    if value:
        _say(f"changju {__version__}")
        raise typer.Exit(0)


LANG_HELP = "zh (default) or en; also CHANGJU_LANG. Before or after the command."
COLOR_HELP = "auto (default: colour on a terminal; NO_COLOR and FORCE_COLOR are obeyed), always or never."


@app.callback()
def main_callback(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
    lang_opt: Optional[Lang] = typer.Option(None, "--lang", help=LANG_HELP),
    color: Optional[str] = typer.Option(None, "--color", metavar="auto|always|never", callback=_color_choice, help=COLOR_HELP),
    no_color: bool = typer.Option(False, "--no-color", callback=_no_color, help="No colour (the same as --color never)."),
) -> None:
    """Checklist and validator for 昌聚工程 application packets (2023 guide)."""
    # set afresh on every run (a test may run many in one process); a command's own options follow
    _ROOT["lang"] = lang_opt.value if lang_opt is not None else None
    _ROOT["color"] = "never" if no_color else color
    global _CONSOLE
    _CONSOLE = None  # built for this run's width and colour


LANG_OPTION = typer.Option(None, "--lang", help=LANG_HELP)
RULES_OPTION = typer.Option(None, "--rules", help="Use another rule directory (e.g. next year's guide).")
# on every command (the value is kept in _ROOT and read by _color())
COLOR_OPTION = typer.Option(None, "--color", metavar="auto|always|never", callback=_color_choice, expose_value=False, help=COLOR_HELP)
NO_COLOR_OPTION = typer.Option(False, "--no-color", callback=_no_color, expose_value=False, help="No colour (the same as --color never).")


def _table(heads: list[str], rows: list[list[str]], fmt: ListFormat, title: str | None = None) -> str:
    if fmt == ListFormat.markdown:
        esc = lambda s: s.replace("|", "\\|").replace("\n", " ")  # noqa: E731
        lines = [f"### {title}", ""] if title else []
        lines.append("| " + " | ".join(heads) + " |")
        lines.append("|" + "---|" * len(heads))
        lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
        return "\n".join(lines)
    from changju_check.cli.table import draw

    return draw(heads, rows, width=_width(), title=title, styled=_color())


def _wrap(text: str) -> str:
    """Plain text folded to the console's width (CJK characters count two cells); a line's own
    indentation is kept on the lines it folds into. cli/table.wrap, not rich: no start-up cost."""
    from changju_check.cli import output
    from changju_check.cli.table import cell_width, wrap

    limit = output.width()
    out: list[str] = []
    for line in text.splitlines():
        if cell_width(line) <= limit:
            out.append(line)
            continue
        body = line.lstrip()
        indent = line[: len(line) - len(body)]
        out.extend(indent + part for part in wrap(body, max(1, limit - cell_width(indent))))
    return "\n".join(out)


_CONSOLE = None


def _console():
    """One rich console for the tables of a command (colour only on a terminal)."""
    global _CONSOLE
    if _CONSOLE is None:
        from rich.console import Console

        color = _color()
        _CONSOLE = Console(
            force_terminal=color, width=_width(), no_color=not color, color_system="standard" if color else None, legacy_windows=False
        )
    return _CONSOLE


def _width() -> int:
    """COLUMNS, else the terminal's width, else 120 for a file or pipe; never below 40."""
    from changju_check.cli import output

    return output.width()


def _offline_text(offline, lang: str, fmt: ListFormat) -> str:
    """How an offline, external or not-open type is handled (an OfflineType or its compiled record)."""
    import json

    if isinstance(offline, dict):
        from types import SimpleNamespace

        from changju_check.report import Msg

        offline = SimpleNamespace(**{**offline, "explanation": Msg(**offline["explanation"])})

    if fmt == ListFormat.json:
        return json.dumps(
            {
                "key": offline.key,
                "title": offline.title,
                "title_en": offline.title_en,
                "mode": offline.mode,
                "guide_section": offline.guide_section,
                "explanation": offline.explanation.get(lang),
            },
            ensure_ascii=False,
            indent=2,
        )
    title = offline.title_en if lang == "en" else offline.title
    return f"{title}（{offline.guide_section}）\n{offline.explanation.get(lang)}"


def _parse_date(value: Optional[str], lang: str) -> Optional[date]:
    if value is None:
        return None
    from changju_check.manifest import parse_date
    from changju_check.report import Msg

    try:
        return parse_date(value)
    except Exception:
        raise _fail(Msg(zh=f"--as-of 的日期无效：{value}", en=f"invalid --as-of date: {value}"), lang)


# --------------------------------------------------------------------------- shared by check, bundle, summary, config



def _codes(value: Optional[str]) -> Optional[frozenset[str]]:
    if not value:
        return None
    return frozenset(c.strip().upper() for c in value.split(",") if c.strip())


def _known_codes(codes: Optional[frozenset[str]], option: str, lang: str) -> Optional[frozenset[str]]:
    """--select / --ignore: every prefix must start at least one known code (a typo never turns the
    linter off); exit 2 naming the unknown ones, as ruff does."""
    if not codes:
        return codes
    from changju_check.report import Msg
    from changju_check.rulebook.codes import catalogue

    known = catalogue()
    bad = sorted(c for c in codes if not any(k.startswith(c) for k in known))
    if bad:
        raise _fail(
            Msg(
                zh=f"{option} 中有未知的代码：{', '.join(bad)}（{prog()} explain --table 列出全部代码）",
                en=f"unknown code in {option}: {', '.join(bad)} ({prog()} explain --table lists them)",
            ),
            lang,
        )
    return codes


def repo_config(lang: str, packets=()):
    """The repository configuration (changju.toml / [tool.changju]) for a check of the folders
    `packets`; exit 2 naming the file if broken. A file inside one of those packets is not applied
    (nor read): a note on stderr says so and why."""
    from changju_check.cli.config import ConfigError, current

    try:
        config = current(packets)
    except ConfigError as exc:
        raise _fail(exc.msg, lang)
    for path, packet in config.ignored:
        _say(("注意：" if lang != "en" else "note: ") + ignored_config_msg(path, packet).get(lang), err=True)
    return config


def ignored_config_msg(path: Path, packet: Path):
    from changju_check.report import Msg

    return Msg(
        zh=f"配置文件 {path} 在材料包 {packet} 内，未采用：材料包只能以其文件和清单内容决定检查结果，"
           f"不能改变检查的配置（忽略的代码、规则目录等）。",
        en=f"the configuration file {path} is inside the packet {packet} and was not applied: a packet "
           f"decides its verdict by its files and its manifest, never by the settings it is checked with "
           f"(ignored codes, the rule directory, …).",
    )


def _write(body: str, fmt: str, output: Optional[Path], lang: str) -> None:
    """The report on stdout ("-" or none: machine formats as UTF-8 bytes, the CSV with its BOM and
    CRLF) or in the file, written the safe way."""
    from changju_check.cli import output as out

    if not out.to_stdout(output):
        _write_output(output, body if body.endswith("\n") else body + "\n", lang)
        return
    out.write_report(body, fmt)