"""The `changju` command line: parse options, call the library, pick a renderer, set the exit code.

Only Typer is imported at start-up; every command imports what it needs when
it runs, so `changju --help` stays fast (no pypdf, no rich tables).

Exit codes: 0 no errors, 1 errors found, 2 unusable input.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from changju_check import __version__

app = typer.Typer(
    name="changju",
    help="昌聚工程申报材料检查工具 / Checklist and validator for 昌聚工程 application packets (2023 guide).",
    add_completion=True,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
rules_app = typer.Typer(help="规则文件 / The rule files.", rich_markup_mode=None, no_args_is_help=True)
app.add_typer(rules_app, name="rules")


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


class ListFormat(str, Enum):
    table = "table"
    markdown = "markdown"
    json = "json"


def _lang(lang: Optional[Lang]) -> str:
    if lang is not None:
        return lang.value
    env = os.environ.get("CHANGJU_LANG", "").strip().lower()
    return "en" if env.startswith("en") else "zh"


def _say(text: str, err: bool = False) -> None:
    stream = sys.stderr if err else sys.stdout
    stream.write(text if text.endswith("\n") else text + "\n")
    stream.flush()


def _fail(msg, lang: str, code: int = 2) -> "typer.Exit":
    _say(("error: " if lang == "en" else "错误：") + msg.get(lang), err=True)
    return typer.Exit(code)


def _rules(rules_dir: Optional[Path], lang: str):
    from changju_check.rules import RuleError, load_rules

    try:
        return load_rules(rules_dir)
    except RuleError as exc:
        raise _fail(exc.to_msg(), lang)


def _category(rules, name: str, lang: str, fmt: "ListFormat" = None):
    """The category named on the command line; exits 2 for an unknown one, 0 for an offline type."""
    from changju_check.engine import OfflineCategory, resolve_category, unknown_category_msg

    try:
        return resolve_category(rules, name)
    except KeyError:
        raise _fail(unknown_category_msg(rules, name), lang)
    except OfflineCategory as exc:
        _say(_offline_text(exc.offline, lang, fmt or ListFormat.table))
        raise typer.Exit(0)


def _version(value: bool) -> None:
    if value:
        _say(f"changju {__version__}")
        raise typer.Exit(0)


@app.callback()
def main_callback(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """昌聚工程申报材料检查工具 / Checklist and validator for 昌聚工程 application packets."""


LANG_OPTION = typer.Option(None, "--lang", help="zh (default) or en; also CHANGJU_LANG.")
RULES_OPTION = typer.Option(None, "--rules", help="Use another rule directory (e.g. next year's guide).")


# --------------------------------------------------------------------------- categories


@app.command("categories")
def categories_cmd(
    fmt: ListFormat = typer.Option(ListFormat.table, "--format", "-f"),
    lang_opt: Optional[Lang] = LANG_OPTION,
    rules_dir: Optional[Path] = RULES_OPTION,
) -> None:
    """Every category with its aliases, mode, cover colour and copies. / 列出申报类别。"""
    from changju_check.describe import category_record

    lang = _lang(lang_opt)
    rules = _rules(rules_dir, lang)
    records = [category_record(rules, k) for k in rules.categories]
    records += [
        {
            "key": t.key,
            "title": t.title,
            "title_en": t.title_en,
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
        import json

        _say(json.dumps(records, ensure_ascii=False, indent=2))
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


def _table(heads: list[str], rows: list[list[str]], fmt: ListFormat, title: str | None = None) -> str:
    if fmt == ListFormat.markdown:
        esc = lambda s: s.replace("|", "\\|").replace("\n", " ")  # noqa: E731
        lines = [f"### {title}", ""] if title else []
        lines.append("| " + " | ".join(heads) + " |")
        lines.append("|" + "---|" * len(heads))
        lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
        return "\n".join(lines)
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for h in heads:
        table.add_column(h, overflow="fold")
    for row in rows:
        table.add_row(*row)
    console = _console()
    with console.capture() as captured:
        console.print(table)
    return captured.get()


_CONSOLE = None


def _console():
    """One rich console for the tables of a command (colour only on a terminal)."""
    global _CONSOLE
    if _CONSOLE is None:
        from rich.console import Console

        tty = sys.stdout.isatty()
        _CONSOLE = Console(force_terminal=tty, width=_width(), no_color=not tty)
    return _CONSOLE


def _width() -> int:
    try:
        return max(80, min(os.get_terminal_size().columns, 160))
    except OSError:
        return 120


# --------------------------------------------------------------------------- list-required


@app.command("list-required")
def list_required_cmd(
    category: str = typer.Argument(..., help="Category key or Chinese name, e.g. youth / 青年"),
    show_all: bool = typer.Option(False, "--all", help="Also list the optional materials."),
    fmt: ListFormat = typer.Option(ListFormat.table, "--format", "-f"),
    lang_opt: Optional[Lang] = LANG_OPTION,
    rules_dir: Optional[Path] = RULES_OPTION,
) -> None:
    """The materials a category requires, in the guide's order. / 列出某类别的必要材料。"""
    import json

    from changju_check import rulecache
    from changju_check.report import Msg

    lang = _lang(lang_opt)
    en = lang == "en"
    try:
        doc = rulecache.checklists(rules_dir)  # no model is built when the cache is warm
    except Exception as exc:  # RuleError: a broken rule directory
        msg = exc.to_msg() if hasattr(exc, "to_msg") else Msg(zh=str(exc), en=str(exc))
        raise _fail(msg, lang)
    key = doc["aliases"].get(rulecache.fold(category))
    if key is None:
        raise _fail(
            Msg(zh=f"未知的申报类别“{category}”。可选类别：{doc['valid']}", en=f"Unknown category '{category}'. Valid categories: {doc['valid']}"),
            lang,
        )
    if key in doc["offline"]:
        _say(_offline_text(doc["offline"][key], lang, fmt))
        raise typer.Exit(0)
    cat = doc["categories"][key]
    chosen = [(s, i) for s in cat["sections"] for i in s["items"] if show_all or not i["optional"]]
    if fmt == ListFormat.json:
        _say(json.dumps([i["record"] for _, i in chosen], ensure_ascii=False, indent=2))
        return
    out: list[str] = []
    heads = ["No." if en else "序号", "Material" if en else "材料", "Condition / constraint" if en else "条件 / 要求"]
    for section in cat["sections"]:
        rows = [i["row"][lang] for s, i in chosen if s is section]
        if rows:
            out.append(_table(heads, rows, fmt, title=section["title_en"] if en else section["title"]))
    title = f"{cat['title_en']} ({key})" if en else f"{cat['title']}（{key}）"
    out.insert(0, f"## {title}\n" if fmt == ListFormat.markdown else title)
    out.append("* required; *? required under the stated condition" if en else "* 必要材料；*? 满足所列条件时为必要材料")
    if cat["binding"][lang]:
        out.append(cat["binding"][lang])
    _say("\n".join(out))


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


# --------------------------------------------------------------------------- explain


@app.command("explain")
def explain_cmd(
    code: Optional[str] = typer.Argument(None, help="A finding code, e.g. CJ101"),
    table: bool = typer.Option(False, "--table", help="Print every code as a Markdown table (README's code table)"),
    lang_opt: Optional[Lang] = LANG_OPTION,
) -> None:
    """What a finding code means and how to fix it. / 解释检查代码。"""
    from changju_check.codes import catalogue
    from changju_check.render import codes_markdown_table, explain_text
    from changju_check.report import Msg

    lang = _lang(lang_opt)
    if table:
        _say(codes_markdown_table(lang))
        return
    if code is None:
        raise _fail(Msg(zh="请给出代码，如 CJ101", en="give a code, e.g. CJ101"), lang)
    if code.upper() not in catalogue():
        known = ", ".join(sorted(catalogue()))
        raise _fail(Msg(zh=f"未知的代码 {code}。已知代码：{known}", en=f"unknown code {code}. Known codes: {known}"), lang)
    _say(explain_text(code.upper(), lang))


# --------------------------------------------------------------------------- rules validate


@rules_app.command("validate")
def rules_validate_cmd(directory: Optional[Path] = typer.Argument(None, help="Rule directory (default: the shipped 2023 rules)"), lang_opt: Optional[Lang] = LANG_OPTION) -> None:
    """Check a rule directory (e.g. for next year's guide). / 校验规则文件。"""
    lang = _lang(lang_opt)
    rules = _rules(directory, lang)
    n_items = sum(len(c.items()) for c in rules.categories.values())
    en = lang == "en"
    _say(
        f"{rules.directory}: OK — {len(rules.catalogue.materials)} materials, {len(rules.categories)} categories, {n_items} items, {len(rules.offline)} offline types"
        if en
        else f"{rules.directory}：通过 — {len(rules.catalogue.materials)} 种材料，{len(rules.categories)} 个类别，{n_items} 项，{len(rules.offline)} 个线下类型"
    )


# --------------------------------------------------------------------------- schema


@app.command("schema")
def schema_cmd() -> None:
    """Print the JSON Schema of changju.yaml (for editors). / 输出清单文件的 JSON Schema。"""
    import json

    from changju_check.manifest import manifest_json_schema

    _say(json.dumps(manifest_json_schema(), ensure_ascii=False, indent=2))


# --------------------------------------------------------------------------- check


def _parse_date(value: Optional[str], lang: str) -> Optional[date]:
    if value is None:
        return None
    from changju_check.manifest import parse_date
    from changju_check.report import Msg

    try:
        return parse_date(value)
    except Exception:
        raise _fail(Msg(zh=f"--as-of 的日期无效：{value}", en=f"invalid --as-of date: {value}"), lang)


def _codes(value: Optional[str]) -> Optional[frozenset[str]]:
    if not value:
        return None
    return frozenset(c.strip().upper() for c in value.split(",") if c.strip())


@app.command("check")
def check_cmd(
    paths: List[Path] = typer.Argument(None, help="Packet folder(s) or .zip file(s)"),
    category: Optional[str] = typer.Option(None, "--category", "-c", help="Category key or Chinese name (overrides the manifest)"),
    manifest: Optional[Path] = typer.Option(None, "--manifest", "-m", help="Manifest file (default: changju.yaml in the packet)"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Reference date (default: the manifest's as_of, else today)"),
    fmt: CheckFormat = typer.Option(CheckFormat.text, "--format", "-f", help="text, json, markdown, sarif, junit or github"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file; the terminal still shows the summary"),
    strict: bool = typer.Option(False, "--strict", help="Warnings count as errors"),
    select: Optional[str] = typer.Option(None, "--select", help="Only these codes (comma-separated prefixes, e.g. CJ1,CJ201)"),
    ignore: Optional[str] = typer.Option(None, "--ignore", help="Skip these codes (comma-separated prefixes)"),
    batch: Optional[Path] = typer.Option(None, "--batch", help="Check every folder under this root that holds a changju.yaml"),
    jobs: int = typer.Option(0, "--jobs", "-j", help="Worker processes for several packets (default: CPU count)"),
    file_timeout: float = typer.Option(5.0, "--file-timeout", help="Seconds allowed to inspect one file"),
    read_scans: bool = typer.Option(False, "--read-scans", help="Read facts from the scans (needs the [scan] extra)"),
    scan_pages: int = typer.Option(1, "--scan-pages", help="Pages to read from each scan"),
    seals: str = typer.Option("required", "--seals", help="required: check seals where the guide asks for them; all: on every attachment"),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not use the OCR cache"),
    color: Optional[bool] = typer.Option(None, "--color/--no-color", help="Colour (default: when the output is a terminal)"),
    lang_opt: Optional[Lang] = LANG_OPTION,
    rules_dir: Optional[Path] = RULES_OPTION,
) -> None:
    """Check packet(s) against the category's rules. / 检查申报材料包。"""
    from changju_check.report import Msg

    lang = _lang(lang_opt)
    packets = list(paths or [])
    if batch is not None:
        if not batch.is_dir():
            raise _fail(Msg(zh=f"--batch 的目录不存在：{batch}", en=f"--batch folder not found: {batch}"), lang)
        packets += sorted(p.parent for p in batch.rglob("changju.yaml") if p.is_file())
        if not packets:
            raise _fail(Msg(zh=f"{batch} 下没有含 changju.yaml 的文件夹", en=f"no folder under {batch} holds a changju.yaml"), lang)
    if not packets:
        raise _fail(Msg(zh="请给出材料包路径", en="give a packet path"), lang)
    if seals not in ("required", "all"):
        raise _fail(Msg(zh="--seals 只能是 required 或 all", en="--seals takes required or all"), lang)
    if read_scans:
        from changju_check import scan

        if not scan.available():
            raise _fail(scan.MISSING_MSG, lang)

    from changju_check.engine import CheckOptions

    _rules(rules_dir, lang)  # a broken rule directory is the user's input too: exit 2 naming file and field
    options = CheckOptions(
        category=category,
        manifest=manifest,
        as_of=_parse_date(as_of, lang),
        rules_dir=rules_dir,
        file_timeout=file_timeout,
        strict=strict,
        select=_codes(select),
        ignore=_codes(ignore) or frozenset(),
        read_scans=read_scans,
        scan_pages=scan_pages,
        seals=seals,
        scan_cache=not no_cache,
    )
    is_batch = len(packets) > 1 or batch is not None
    if not is_batch:
        from changju_check.engine import check_packet

        reports = [check_packet(packets[0], options)]
    else:
        from changju_check.batch import check_many

        show_progress = fmt == CheckFormat.text and output is None and sys.stderr.isatty()
        reports = check_many(packets, options, jobs=jobs, progress=show_progress)

    _emit(reports, is_batch, fmt.value, lang, output, color)
    raise typer.Exit(max(r.exit_code for r in reports))


def _emit(reports, is_batch: bool, fmt: str, lang: str, output: Optional[Path], color: Optional[bool]) -> None:
    from changju_check.render import batch_summary_line, render, summary_line

    use_color = sys.stdout.isatty() if color is None else color
    options = {"color": use_color and output is None, "width": _width(), "srcroot": os.getcwd()}
    body = render(reports if is_batch else reports[0], fmt, lang, **options)
    if output is not None:
        try:
            output.write_text(body if body.endswith("\n") else body + "\n", encoding="utf-8")
        except OSError as exc:
            from changju_check.report import Msg

            raise _fail(Msg(zh=f"无法写入 {output}：{exc.strerror or exc}", en=f"cannot write {output}: {exc.strerror or exc}"), lang)
        line = batch_summary_line(reports, lang) if is_batch else summary_line(reports[0], lang)
        _say(line)
        return
    sys.stdout.write(body if body.endswith("\n") else body + "\n")
    sys.stdout.flush()
    for r in reports:
        if r.fatal is not None and fmt != "text":
            _say(("error: " if lang == "en" else "错误：") + r.fatal.message.get(lang), err=True)


def main() -> None:
    # Pydantic looks for third-party plugins (a scan of every installed package's entry points,
    # ~10 ms) when it first builds a model; changju uses none, so skip that unless the user asks.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)


# --------------------------------------------------------------------------- init


@app.command("init")
def init_cmd(
    directory: Path = typer.Argument(..., help="The packet folder (created if missing)"),
    category: str = typer.Option(..., "--category", "-c", help="Category key or Chinese name"),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing changju.yaml"),
    lang_opt: Optional[Lang] = LANG_OPTION,
    rules_dir: Optional[Path] = RULES_OPTION,
) -> None:
    """Write a commented changju.yaml for a category and list the files to gather. / 生成清单模板。"""
    from changju_check import template
    from changju_check.report import Msg

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
        tmp = directory / ".changju.yaml.tmp"
        tmp.write_text(template.render(rules, cat, lang), encoding="utf-8")
        os.replace(tmp, target)
    except OSError as exc:
        raise _fail(Msg(zh=f"无法写入 {target}：{exc.strerror or exc}", en=f"cannot write {target}: {exc.strerror or exc}"), lang)
    _say(("Wrote " if lang == "en" else "已写入 ") + str(target))
    _say("Files to gather:" if lang == "en" else "需要准备的材料：")
    list_required_cmd(category=cat.key, show_all=False, fmt=ListFormat.table, lang_opt=Lang(lang), rules_dir=rules_dir)


# --------------------------------------------------------------------------- bundle


@app.command("bundle")
def bundle_cmd(
    packet: Path = typer.Argument(..., help="The packet folder or .zip"),
    out: Path = typer.Option(..., "--output", "-o", help="The book to write (outside the packet)"),
    category: Optional[str] = typer.Option(None, "--category", "-c"),
    manifest: Optional[Path] = typer.Option(None, "--manifest", "-m"),
    force: bool = typer.Option(False, "--force", help="Bundle even when check finds errors (never broken files)"),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing output file"),
    no_page_numbers: bool = typer.Option(False, "--no-page-numbers", help="Do not stamp attachment page numbers"),
    recto: bool = typer.Option(False, "--recto", help="Start the TOC and every material on a right-hand page"),
    include_unmatched: bool = typer.Option(False, "--include-unmatched", help="Append unmatched files as 其他材料"),
    font: Optional[Path] = typer.Option(None, "--font", help="A CJK TrueType font for the TOC"),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json"),
    as_of: Optional[str] = typer.Option(None, "--as-of"),
    lang_opt: Optional[Lang] = LANG_OPTION,
    rules_dir: Optional[Path] = RULES_OPTION,
) -> None:
    """The print-ready book: 申报书, 附件材料目录, attachments in the guide's order. / 生成装订本 PDF。"""
    import json

    from changju_check.bundling import BundleRefused, binding_sheet, file_kind, inside, plan_book, sheet_text
    from changju_check.engine import CheckOptions, check_packet
    from changju_check.report import Msg

    lang = _lang(lang_opt)
    en = lang == "en"
    if fmt not in ("text", "json"):
        raise _fail(Msg(zh="--format 只能是 text 或 json", en="--format takes text or json"), lang)
    if packet.exists() and (inside(out, packet) if packet.is_dir() else out.resolve() == packet.resolve()):
        raise _fail(Msg(zh=f"输出文件不能在材料包内：{out}", en=f"the output must not be inside the packet: {out}"), lang)
    if out.exists() and not overwrite:
        raise _fail(Msg(zh=f"{out} 已存在；要替换请加 --overwrite", en=f"{out} exists; use --overwrite to replace it"), lang)
    rules = _rules(rules_dir, lang)
    options = CheckOptions(category=category, manifest=manifest, as_of=_parse_date(as_of, lang), rules_dir=rules_dir)
    report = check_packet(packet, options)
    if report.fatal is None and report.category not in rules.categories:  # an offline type (CJ406)
        for f in report.findings:
            _say(f"{report.category_title_en if en else report.category_title}: {f.message.get(lang)}")
        raise typer.Exit(0)
    try:
        plan = plan_book(report, rules, force=force, include_unmatched=include_unmatched)
    except BundleRefused as exc:
        if fmt == "json":
            _say(json.dumps({"ok": False, "findings": [f.to_dict(lang) for f in exc.findings]}, ensure_ascii=False, indent=2))
        else:
            _say("不能装订：" if not en else "Not bundled:", err=True)
            for f in exc.findings:
                _say(f"  {f.code} {f.message.get(lang)}", err=True)
        raise typer.Exit(exc.exit_code)

    from changju_check.bundle import BookFile, BookMaterial, BookOptions, BundleError, build_book
    from changju_check.packet import open_packet

    from pathlib import PurePath

    with open_packet(packet) as opened:
        by_path = {pf.path: pf for pf in opened.files}

        def book_file(path: str) -> BookFile:
            pf = by_path[path]
            return BookFile(name=PurePath(path).name, open=pf.open, kind=file_kind(path) or "pdf")

        try:
            result = build_book(
                form=[book_file(p) for p in plan.form],
                materials=[
                    BookMaterial(number, title, tuple(book_file(p) for p in files), section=section)
                    for number, title, section, files in plan.materials
                ],
                out=out,
                options=BookOptions(page_numbers=not no_page_numbers, recto=recto, font=font),
            )
        except BundleError as exc:
            raise _fail(exc.msg, lang, 1)
    sheet = binding_sheet(rules, report.category, result.total_pages, recto)
    data = {
        "ok": True,
        "output": str(out),
        "total_pages": result.total_pages,
        "form_pages": result.form_pages,
        "toc_pages": result.toc_pages,
        "blank_pages": result.blank_pages,
        "attachment_pages": result.attachment_pages,
        "toc": [{"number": n, "title": t, "first": a, "last": b} for n, t, a, b in result.ranges],
        "font": {"name": result.font_name, "path": result.font_path, "embedded": result.font_embedded, "source": result.font_source},
        "left_out": plan.left_out,
        "forced_errors": [f.to_dict(lang) for f in plan.findings],
        "warnings": [w.get(lang) for w in result.warnings],
        "binding": sheet,
    }
    if fmt == "json":
        _say(json.dumps(data, ensure_ascii=False, indent=2))
        return
    _say(("Wrote " if en else "已生成 ") + f"{out}: " + (f"{result.total_pages} pages" if en else f"共 {result.total_pages} 页"))
    _say(("TOC font: " if en else "目录字体：") + f"{result.font_name}" + ("" if result.font_embedded else (" (NOT embedded)" if en else "（未嵌入）")))
    for w in result.warnings:
        _say(("WARNING: " if en else "警告：") + w.get(lang), err=True)
    if plan.findings:
        _say(("Bundled despite errors (--force):" if en else "已强制装订，但存在错误："), err=True)
        for f in plan.findings:
            _say(f"  {f.code} {f.message.get(lang)}", err=True)
    if plan.left_out:
        _say(("Left out (match no material): " if en else "未装订（无法对应材料）：") + ", ".join(plan.left_out), err=True)
    _say(sheet_text(sheet, lang))
