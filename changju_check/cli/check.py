"""`changju check`: one packet, several, or a batch; the report in the format asked for."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

from changju_check.cli.app import (
    COLOR_OPTION,
    LANG_OPTION,
    NO_COLOR_OPTION,
    RULES_OPTION,
    CheckFormat,
    Lang,
    _fail,
    _keep_caches_out,
    _lang,
    _parse_date,
    _refuse_output_in_packets,
    _rules,
    _color,
    _say,
    _width,
    _wrap,
    _write_output,
    app,
)

# --------------------------------------------------------------------------- check


def _codes(value: Optional[str]) -> Optional[frozenset[str]]:
    if not value:
        return None
    return frozenset(c.strip().upper() for c in value.split(",") if c.strip())


@app.command("check")
def check_cmd(
    ctx: typer.Context,
    paths: List[Path] = typer.Argument(None, help="Packet folder(s) or .zip file(s)"),
    category: Optional[str] = typer.Option(None, "--category", "-c", help="Category key or Chinese name (overrides the manifest)"),
    manifest: Optional[Path] = typer.Option(None, "--manifest", "-m", help="Manifest file (default: changju.yaml in the packet)"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Reference date (default: the manifest's as_of, else today)"),
    fmt: CheckFormat = typer.Option(CheckFormat.text, "--format", "-f", help="text, json, markdown, sarif, junit, github or html (the review sheet: -o FILE, or -o DIR/ for a batch)"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file (- for stdout); the terminal still shows the summary"),
    strict: bool = typer.Option(False, "--strict", help="Warnings count as errors"),
    select: Optional[str] = typer.Option(None, "--select", help="Only these codes (comma-separated prefixes, e.g. CJ1,CJ201)"),
    ignore: Optional[str] = typer.Option(None, "--ignore", help="Skip these codes (comma-separated prefixes)"),
    batch: Optional[Path] = typer.Option(None, "--batch", help="Check every folder under this root that holds a changju.yaml"),
    jobs: int = typer.Option(0, "--jobs", "-j", help="Worker processes for several packets (default: CPU count)"),
    file_timeout: float = typer.Option(5.0, "--file-timeout", help="Seconds allowed to inspect one file"),
    read_scans: bool = typer.Option(False, "--read-scans", help="Read facts from the scans (needs the [scan] extra)"),
    scan_pages: int = typer.Option(3, "--scan-pages", help="At most this many pages read from each scan (each document's layout says how many it needs)"),
    seals: str = typer.Option("required", "--seals", help="required: check seals where the guide asks for them; all: on every attachment"),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not use the OCR cache"),
    show_personal: bool = typer.Option(False, "--show-personal", help="Show ID and social-security numbers read from pages unmasked"),
    lang_opt: Optional[Lang] = LANG_OPTION,
    _color: Optional[str] = COLOR_OPTION,
    _no_color: bool = NO_COLOR_OPTION,
    rules_dir: Optional[Path] = RULES_OPTION,
) -> None:
    """Check packet(s) against the category's rules."""
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

    if output is not None:
        _refuse_output_in_packets(output, packets, lang, manifest)

    from changju_check.engine.run import CheckOptions

    scan_cache_ok = _keep_caches_out(ctx, packets, lang, scan_cache=read_scans and not no_cache)
    rule_set = _rules(rules_dir, lang)  # a broken rule directory is the user's input too: exit 2 naming file and field
    is_batch = len(packets) > 1 or batch is not None
    if fmt == CheckFormat.html:
        from changju_check.cli.review import html_target

        output = html_target(output, packets, is_batch, lang)  # before the check: a wrong -o fails fast
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
        show_personal=show_personal,
        scan_cache=not no_cache and scan_cache_ok,
        previews=fmt == CheckFormat.html,
    )
    if not is_batch:
        from changju_check.engine.run import check_packet

        reports = [check_packet(packets[0], options)]
    else:
        from changju_check.engine.batch import check_many

        show_progress = fmt == CheckFormat.text and output is None and sys.stderr.isatty()  # stdout stays clean
        reports = check_many(packets, options, jobs=jobs, progress=show_progress)

    if fmt == CheckFormat.html:
        from changju_check.cli.review import emit_html

        emit_html(reports, is_batch, lang, output, rule_set)
    else:
        _emit(reports, is_batch, fmt.value, lang, output)
    raise typer.Exit(max(r.exit_code for r in reports))


def _emit(reports, is_batch: bool, fmt: str, lang: str, output: Optional[Path]) -> None:
    from changju_check.cli import output as out
    from changju_check.render import batch_summary_line, render, summary_line
    from changju_check.render._common import learn_more

    to_file = not out.to_stdout(output)
    options = {"color": _color() and not to_file, "width": _width(), "srcroot": os.getcwd()}
    body = render(reports if is_batch else reports[0], fmt, lang, **options)
    hint = learn_more(reports, lang) if fmt in ("text", "markdown", "github") else None
    if hint:  # every human format ends with how to learn more
        hint = f"_{hint}_" if fmt == "markdown" else _wrap(hint) if fmt == "text" else hint
        body = body.rstrip("\n") + "\n\n" + hint + "\n"
    if to_file:
        _write_output(output, body if body.endswith("\n") else body + "\n", lang)
        line = batch_summary_line(reports, lang) if is_batch else summary_line(reports[0], lang)
        _say(line)
        return
    out.write_report(body, fmt)
    for r in reports:
        if r.fatal is not None and fmt != "text":
            _say(("error: " if lang == "en" else "错误：") + r.fatal.message.get(lang), err=True)
