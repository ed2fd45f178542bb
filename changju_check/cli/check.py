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
    _check_output_name,
    _fail,
    _keep_caches_out,
    _lang,
    _refuse_output_in_packets,
    _rules,
    repo_config,
    _color,
    _say,
    _width,
    _wrap,
    _write,
    app,
)
from changju_check.cli import recognition as shared  # the options check and bundle share

# --------------------------------------------------------------------------- check

SUMMARY_FORMATS = ("text", "markdown", "csv", "json")
CONFIG_NAMES = ("changju.toml", "pyproject.toml")


def _changed_packets(files: list[Path]) -> list:
    """pre-commit's changed files -> the packets that hold them (found from the current folder);
    a changed repository configuration means every packet."""
    from changju_check.packet.discover import find_packets, packet_of

    found = find_packets(Path("."))
    cwd = Path.cwd()
    chosen = []
    for f in files:
        if f.name in CONFIG_NAMES and f.parent in (Path("."), Path("")):
            return found
        rel = f
        if f.is_absolute():
            try:
                rel = f.relative_to(cwd)
            except ValueError:
                continue
        packet = packet_of(rel, found)
        if packet is not None and packet not in chosen:
            chosen.append(packet)
    return [p for p in found if p in chosen]


@app.command("check")
def check_cmd(
    ctx: typer.Context,
    paths: List[Path] = typer.Argument(None, help="Packet folder(s) or .zip file(s); with --changed: changed files"),
    category: Optional[str] = typer.Option(None, "--category", "-c", help="Category key or Chinese name (overrides the manifest)"),
    manifest: Optional[Path] = typer.Option(None, "--manifest", "-m", help="Manifest file (default: changju.yaml in the packet)"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Reference date (default: the manifest's as_of, else the configuration's, else today)"),
    fmt: CheckFormat = typer.Option(CheckFormat.text, "--format", "-f", help="text, json, markdown, sarif, junit, github, gitlab, csv or html (the review sheet: -o FILE, or -o DIR/ for a batch)"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file; the terminal still shows the summary"),
    strict: Optional[bool] = shared.STRICT_OPTION,
    select: Optional[str] = shared.SELECT_OPTION,
    ignore: Optional[str] = shared.IGNORE_OPTION,
    batch: Optional[Path] = typer.Option(None, "--batch", help="Check every packet under this root (folders with or without changju.yaml, zips)"),
    summary_only: bool = typer.Option(False, "--summary", help="Print only the summary table (text, markdown, csv, json)"),
    per_finding: bool = typer.Option(False, "--per-finding", help="csv: one row per finding instead of one per packet"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only problems (nothing for a clean packet)"),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even when packets have errors (report-only jobs)"),
    shard: Optional[str] = typer.Option(None, "--shard", help="K/N: check only the K-th of N stable shares of the packets (CI matrix)"),
    changed: bool = typer.Option(False, "--changed", help="The paths are changed files (pre-commit): check the packets that hold them"),
    jobs: int = typer.Option(0, "--jobs", "-j", help="Worker processes for several packets (default: CPU count)"),
    file_timeout: float = shared.FILE_TIMEOUT_OPTION,
    read_scans: Optional[bool] = shared.READ_SCANS_OPTION,
    scan_pages: int = shared.SCAN_PAGES_OPTION,
    seals: str = shared.SEALS_OPTION,
    no_cache: bool = shared.NO_CACHE_OPTION,
    show_personal: bool = typer.Option(False, "--show-personal", help="Show ID and social-security numbers read from pages unmasked"),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="text: every fact read from the pages (by default only those behind a finding)"),
    lang_opt: Optional[Lang] = LANG_OPTION,
    _color_opt: Optional[str] = COLOR_OPTION,
    _no_color: bool = NO_COLOR_OPTION,
    rules_dir: Optional[Path] = RULES_OPTION,
) -> None:
    """Check packet(s) against the category's rules."""
    from changju_check.packet.discover import Found, find_packets
    from changju_check.report import Msg

    # the packets named on the command line: no configuration inside them is applied, not even its lang
    lang = _lang(lang_opt, [] if changed else [*(paths or []), *([batch] if batch is not None else [])])
    if output is not None:
        _check_output_name(output, lang)
    share = None
    if shard is not None:
        from changju_check.engine.shard import parse_shard

        try:
            share = parse_shard(shard)
        except ValueError:
            raise _fail(Msg(zh=f"--shard 应为 K/N（1 ≤ K ≤ N），如 1/3：{shard}", en=f"--shard takes K/N with 1 ≤ K ≤ N, e.g. 1/3: {shard}"), lang)

    if summary_only and fmt.value not in SUMMARY_FORMATS:
        raise _fail(Msg(zh="--summary 只用于 text、markdown、csv 或 json", en="--summary takes text, markdown, csv or json"), lang)
    from changju_check.report.paths import native

    if batch is not None and not native(batch).is_dir():
        raise _fail(Msg(zh=f"--batch 的目录不存在：{batch}", en=f"--batch folder not found: {batch}"), lang)
    workers = None
    if batch is not None or (not changed and len(paths or []) > 1):
        from changju_check.engine.batch import Workers, default_jobs

        # started now, they import what a check needs while the packets are found
        wanted = jobs or default_jobs()
        workers = ctx.with_resource(Workers(wanted if batch is not None else min(wanted, len(paths or []))))

    found: list[Found] = []
    root: Optional[Path] = None
    if changed:
        found = _changed_packets(list(paths or []))
        root = Path(".")
    else:
        found = [Found(p, "given") for p in paths or []]
        if batch is not None:
            found += find_packets(batch)
            root = batch
            if not found:
                raise _fail(Msg(zh=f"{batch} 下没有材料包（没有 changju.yaml，也没有扫描件）", en=f"no packet under {batch} (no changju.yaml, no scans)"), lang)
        if not found:
            raise _fail(Msg(zh="请给出材料包路径", en="give a packet path"), lang)
    packet_dirs = [f.path for f in found if f.kind in ("given", "manifest", "no_manifest")]
    config = repo_config(lang, packet_dirs)
    lang = _lang(lang_opt, packet_dirs)
    settings = shared.verdict_settings(lang, config, as_of=as_of, strict=strict, select=select, ignore=ignore,
                                       rules_dir=rules_dir, lang_opt=lang_opt, read_scans=read_scans)
    read_scans = settings["read_scans"].value  # True: every scan; False: none; None: where it helps
    if share is not None:
        from changju_check.engine.shard import shard_key, shard_of

        found = [f for f in found if shard_of(shard_key(f.path, root), share.count) == share.index]
    recognition = shared.recognition_options(lang, read_scans=read_scans, scan_pages=scan_pages, seals=seals,
                                      no_cache=no_cache, file_timeout=file_timeout)

    if output is not None:
        _refuse_output_in_packets(output, [f.path for f in found], lang, manifest)

    scan_cache_ok = _keep_caches_out(ctx, [f.path for f in found], lang, scan_cache=recognition.read_scans is not False and not recognition.no_cache)
    rules = settings["rules"].value
    rule_set = _rules(rules, lang)  # a broken rule directory is the user's input too: exit 2 naming file and field
    is_batch = len(found) != 1 or batch is not None or changed or share is not None
    if fmt == CheckFormat.html:
        from changju_check.cli.review import html_target

        output = html_target(output, [f.path for f in found], is_batch, lang)  # before the check: a wrong -o fails fast
    options = shared.check_options(
        settings,
        recognition,
        scan_cache_ok=scan_cache_ok,
        category=category,
        manifest=manifest,
        show_personal=show_personal,
        in_batch=batch is not None or changed,
        previews=fmt == CheckFormat.html,
        config=str(config.path) if config.path else None,
        config_ignored=tuple((str(path), str(packet)) for path, packet in config.ignored),
    )
    if is_batch:
        raise typer.Exit(_check_batch(found, options, workers, jobs, fmt, lang, output, rule_set, exit_zero=exit_zero,
                                      summary_only=summary_only, per_finding=per_finding, quiet=quiet, verbose=verbose,
                                      say_unread=read_scans is None and not quiet))
    from changju_check.cli.progress import pages_bar
    from changju_check.engine.run import check_packet

    printer = None
    if fmt == CheckFormat.html:  # the sheet's template is made ready on another core while the packet is checked
        from changju_check.render.html import SheetPrinter

        printer = SheetPrinter.start()
    try:
        with pages_bar(lang, enabled=not quiet and sys.stderr.isatty()) as bar:
            options.progress = bar
            report = check_packet(found[0].path, options)
        options.progress = None
        if fmt == CheckFormat.html:
            from changju_check.cli.review import emit_html

            emit_html(report, lang, output, rule_set, printer=printer)
        elif quiet and fmt == CheckFormat.text and output is None:
            from changju_check.render.summary import problem_lines

            lines = problem_lines([report], lang)
            if lines:
                _say("\n".join(lines))
        elif summary_only:
            from changju_check.render import render_summary, summary_line
            from changju_check.render.summary import rows_from_reports

            from changju_check.cli import output as out

            to_file = not out.to_stdout(output)
            body = render_summary(rows_from_reports([report], lang), fmt.value, lang, color=_color() and not to_file, width=_width())
            _write(body, fmt.value, output, lang)
            if to_file and not quiet:
                _say(summary_line(report, lang))
        else:
            _emit(report, fmt.value, lang, output, per_finding=per_finding, quiet=quiet, verbose=verbose)
    finally:
        if printer is not None:
            printer.close()
    if read_scans is None and not quiet:
        from changju_check.cli.progress import say_unread

        say_unread(report.unread, lang)
    raise typer.Exit(0 if exit_zero else report.exit_code)


def _check_batch(found, options, workers, jobs: int, fmt: CheckFormat, lang: str, output: Optional[Path], rule_set, *,
                 exit_zero: bool, summary_only: bool, per_finding: bool, quiet: bool, verbose: bool = False,
                 say_unread: bool = False) -> int:
    """A batch, each report written out as it comes (cli/batch_out.py); the exit code."""
    from changju_check.cli import batch_out
    from changju_check.engine.batch import iter_found

    # a bar on the terminal while the report goes elsewhere (stdout stays clean); where the report
    # itself comes to the terminal, packet by packet, it is the progress (a bar redrawn on stderr
    # between its lines would tear them)
    show_progress = (fmt == CheckFormat.text and output is None and not quiet and sys.stderr.isatty()
                     and not sys.stdout.isatty())
    unread: set[str] = set()  # what say_unread needs, gathered as the reports pass (none is kept)

    def noting(reports):
        for r in reports:
            unread.update(r.unread)
            yield r

    reports = noting(iter_found(found, options, jobs=jobs, progress=show_progress, workers=workers))
    if fmt == CheckFormat.html:
        code = batch_out.emit_html(reports, lang, output, rule_set)
    elif quiet and fmt == CheckFormat.text and output is None:
        code = batch_out.emit_problems(reports, lang)
    elif summary_only:
        code = batch_out.emit_summary(reports, fmt.value, lang, output, quiet=quiet)
    else:
        code = batch_out.emit(reports, fmt.value, lang, output, per_finding=per_finding, quiet=quiet, verbose=verbose)
    if say_unread:
        from changju_check.cli.progress import say_unread as say

        say(unread, lang)
    return 0 if exit_zero else code


def _emit(report, fmt: str, lang: str, output: Optional[Path], *, per_finding: bool = False, quiet: bool = False,
          verbose: bool = False) -> None:
    """One packet's report (a batch's: cli/batch_out.py)."""
    from changju_check.cli import output as out
    from changju_check.render import render, summary_line
    from changju_check.render._common import learn_more

    to_file = not out.to_stdout(output)
    options = {"color": _color() and not to_file, "width": _width(), "srcroot": os.getcwd(), "per_finding": per_finding,
               "verbose": verbose}
    hint = learn_more([report], lang) if fmt in ("text", "markdown", "github") else None
    if hint and fmt == "text":  # the verdict and the stage reached stay the last lines
        options["hint"], hint = _wrap(hint), None
    body = render(report, fmt, lang, **options)
    if hint:  # every other human format ends with how to learn more
        hint = f"_{hint}_" if fmt == "markdown" else _wrap(hint) if fmt == "text" else hint
        body = body.rstrip("\n") + "\n\n" + hint + "\n"
    _write(body, fmt, output, lang)
    if to_file:
        if not quiet or report.errors or report.warnings:
            _say(summary_line(report, lang))
        return
    colon = ": " if lang == "en" else "："
    if report.fatal is not None and fmt != "text":  # every line on stderr names its packet
        _say(("error: " if lang == "en" else "错误：") + report.packet + colon + report.fatal.message.get(lang).splitlines()[0], err=True)
