"""`changju bundle`: the printable book."""

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
    _fail,
    _keep_caches_out,
    _lang,
    _parse_date,
    _refuse_output_in_packets,
    _rules,
    _say,
    _say_json,
    app,
)

# --------------------------------------------------------------------------- bundle


@app.command("bundle")
def bundle_cmd(
    ctx: typer.Context,
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
    _color: Optional[str] = COLOR_OPTION,
    _no_color: bool = NO_COLOR_OPTION,
    rules_dir: Optional[Path] = RULES_OPTION,
) -> None:
    """The print-ready book: 申报书, 附件材料目录, attachments in the guide's order."""

    from changju_check.bundle.plan import (
        BundleRefused,
        binding_sheet,
        file_kind,
        plan_book,
        sheet_text,
    )
    from changju_check.engine.run import CheckOptions, check_packet
    from changju_check.report import Msg

    lang = _lang(lang_opt)
    en = lang == "en"
    if fmt not in ("text", "json"):
        raise _fail(Msg(zh="--format 只能是 text 或 json", en="--format takes text or json"), lang)
    _refuse_output_in_packets(out, [packet], lang, manifest)
    if out.exists() and not overwrite:
        raise _fail(Msg(zh=f"{out} 已存在；要替换请加 --overwrite", en=f"{out} exists; use --overwrite to replace it"), lang)
    _keep_caches_out(ctx, [packet], lang)
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
            _say_json({"ok": False, "findings": [f.to_dict(lang) for f in exc.findings]})
        else:
            _say("不能装订：" if not en else "Not bundled:", err=True)
            for f in exc.findings:
                _say(f"  {f.code} {f.message.get(lang)}", err=True)
        raise typer.Exit(exc.exit_code)

    from pathlib import PurePath

    from changju_check.bundle import (
        BookFile,
        BookMaterial,
        BookOptions,
        BundleError,
        build_book,
    )
    from changju_check.packet import open_packet

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
        _say_json(data)
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
