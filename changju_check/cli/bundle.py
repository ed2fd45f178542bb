"""`changju bundle`: the printable book."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from changju_check.cli.app import (
    COLOR_OPTION,
    LANG_OPTION,
    NO_COLOR_OPTION,
    RULES_OPTION,
    Lang,
    _check_output_name,
    _fail,
    _keep_caches_out,
    _lang,
    _refuse_output_in_packets,
    _rules,
    repo_config,
    _say,
    _say_json,
    app,
)
from changju_check.cli import recognition as shared  # the options check and bundle share

# --------------------------------------------------------------------------- bundle


def _content_kind(pf) -> str:
    """The kind of a file whose extension says nothing (CJ313), from its first bytes, so that a
    PDF named .docx is bound as the PDF check found it to be."""
    from changju_check.inspect.model import HEAD_BYTES
    from changju_check.inspect.sniff import sniff

    try:
        with pf.open() as fh:
            kind = sniff(fh.read(HEAD_BYTES), pf.path)[0]
    except Exception:  # noqa: BLE001 - the book's loader reports an unreadable file itself
        return "pdf"
    return kind if kind in ("pdf", "jpeg", "png") else "pdf"


@app.command("bundle")
def bundle_cmd(
    ctx: typer.Context,
    packet: Optional[Path] = typer.Argument(None, help="The packet folder or .zip"),
    out: Path = typer.Option(..., "--output", "-o", help="The book to write (outside the packet); with --batch a folder"),
    batch: Optional[Path] = typer.Option(None, "--batch", help="Bundle every ready packet under this root into the --output folder"),
    jobs: int = typer.Option(0, "--jobs", "-j", help="Worker processes for checking a batch (default: CPU count)"),
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
    strict: Optional[bool] = shared.STRICT_OPTION,
    select: Optional[str] = shared.SELECT_OPTION,
    ignore: Optional[str] = shared.IGNORE_OPTION,
    file_timeout: float = shared.FILE_TIMEOUT_OPTION,
    read_scans: Optional[bool] = shared.READ_SCANS_OPTION,
    scan_pages: int = shared.SCAN_PAGES_OPTION,
    seals: str = shared.SEALS_OPTION,
    no_cache: bool = shared.NO_CACHE_OPTION,
    lang_opt: Optional[Lang] = LANG_OPTION,
    _color: Optional[str] = COLOR_OPTION,
    _no_color: bool = NO_COLOR_OPTION,
    rules_dir: Optional[Path] = RULES_OPTION,
) -> None:
    """The print-ready book: 申报书, 附件材料目录, attachments in the guide's order."""

    from changju_check.bundle.plan import (
        BundleRefused,
        binding_sheet,
        bound_files,
        plan_book,
        sheet_text,
    )
    from changju_check.bundle import BookOptions, BundleError
    from changju_check.engine.run import check_packet
    from changju_check.report import Msg

    lang = _lang(lang_opt, [packet] if packet is not None else [])
    en = lang == "en"
    if fmt not in ("text", "json"):
        raise _fail(Msg(zh="--format 只能是 text 或 json", en="--format takes text or json"), lang)
    config = repo_config(lang, _packet_folders(packet, batch))
    settings = shared.verdict_settings(lang, config, as_of=as_of, strict=strict, select=select, ignore=ignore, rules_dir=rules_dir,
                                lang_opt=lang_opt, read_scans=read_scans)
    recognition = shared.recognition_options(lang, read_scans=settings["read_scans"].value, scan_pages=scan_pages, seals=seals,
                                      no_cache=no_cache, file_timeout=file_timeout)
    book_options = BookOptions(page_numbers=not no_page_numbers, recto=recto, font=font)
    if batch is not None:
        _bundle_batch(ctx, batch, out, settings, recognition, category, book_options, force=force, overwrite=overwrite,
                      include_unmatched=include_unmatched, jobs=jobs, fmt=fmt, lang=lang)
        return
    if packet is None:
        raise _fail(Msg(zh="请给出材料包路径，或用 --batch 给出根目录", en="give a packet path, or a root with --batch"), lang)
    _refuse_output_in_packets(out, [packet], lang, manifest)
    _check_output_name(out, lang)
    if out.exists() and not overwrite:
        raise _fail(Msg(zh=f"{out} 已存在；要替换请加 --overwrite", en=f"{out} exists; use --overwrite to replace it"), lang)
    scan_cache_ok = _keep_caches_out(ctx, [packet], lang, scan_cache=recognition.read_scans is not False and not recognition.no_cache)
    rules = _rules(settings["rules"].value, lang)
    from changju_check.cli.progress import pages_bar, say_unread

    options = shared.check_options(settings, recognition, scan_cache_ok=scan_cache_ok, category=category, manifest=manifest)
    with pages_bar(lang, enabled=fmt == "text" and sys.stderr.isatty()) as bar:
        options.progress = bar
        report = check_packet(packet, options)
    options.progress = None
    if recognition.read_scans is None:
        say_unread(report.unread, lang)
    if report.fatal is None and report.category not in rules.categories:  # an offline type (CJ406)
        for f in report.findings:
            _say(f"{report.category_title_en if en else report.category_title}: {f.message.get(lang)}")
        raise typer.Exit(0)
    try:
        plan = plan_book(report, rules, force=force, include_unmatched=include_unmatched)
    except BundleRefused as exc:
        if fmt == "json":
            _say_json({"ok": False, "findings": [f.to_dict(lang) for f in exc.findings], "files": bound_files(report)})
        else:
            _say("不能装订：" if not en else "Not bundled:", err=True)
            for f in exc.findings:
                _say(f"  {f.code} {f.message.get(lang)}", err=True)
        raise typer.Exit(exc.exit_code)

    try:
        result = write_book(packet, plan, out, book_options)
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
        "files": bound_files(report),
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


def _packet_folders(packet: Optional[Path], batch: Optional[Path]) -> list[Path]:
    """The packet folders a bundle reads: the one given, or those `--batch` finds."""
    if packet is not None:
        return [packet]
    if batch is not None and batch.is_dir():
        from changju_check.packet.discover import find_packets

        return [f.path for f in find_packets(batch) if f.kind in ("manifest", "no_manifest")]
    return []


def write_book(packet: Path, plan, out: Path, options):
    """The book of a planned packet (BundleError when a file cannot go in)."""
    from pathlib import PurePath

    from changju_check.bundle import BookFile, BookMaterial, build_book
    from changju_check.bundle.plan import file_kind
    from changju_check.packet import open_packet

    with open_packet(packet) as opened:
        by_path = {pf.path: pf for pf in opened.files}

        def book_file(path: str) -> BookFile:
            pf = by_path.get(path)
            if pf is None:  # listed when the packet was checked, gone now
                from changju_check.bundle import BundleError
                from changju_check.report import Msg

                raise BundleError(Msg(zh=f"文件 {path} 在检查之后被移动或删除，未生成装订本；请重新运行。",
                                      en=f"{path} was moved or deleted after the packet was checked; no book was written. Run again."))
            return BookFile(name=PurePath(path).name, open=pf.open, kind=file_kind(path) or _content_kind(pf),
                            path=pf.local_path)

        return build_book(
            form=[book_file(p) for p in plan.form],
            materials=[
                BookMaterial(number, title, tuple(book_file(p) for p in files), section=section)
                for number, title, section, files in plan.materials
            ],
            out=out,
            options=options,
        )


def _book_path(found_path: Path, root: Path, out_dir: Path) -> Path:
    """DIR/<the packet's path under ROOT>.pdf (a zip's name without .zip; ROOT itself: its name)."""
    try:
        rel = found_path.relative_to(root)
    except ValueError:
        rel = Path(found_path.name)
    if str(rel) in ("", "."):
        rel = Path(root.resolve().name or "packet")
    return out_dir / rel.with_name(rel.stem + ".pdf" if rel.suffix.lower() == ".zip" else rel.name + ".pdf")


def _bundle_batch(ctx, root: Path, out_dir: Path, settings, recognition, category, book_options, *, force: bool, overwrite: bool,
                  include_unmatched: bool, jobs: int, fmt: str, lang: str) -> None:
    """One book per ready packet under ROOT, in DIR mirroring ROOT's folders; why not, for the others."""
    import json

    from changju_check.bundle import BundleError
    from changju_check.bundle.plan import BundleRefused, binding_sheet, plan_book
    from changju_check.engine.batch import iter_found
    from changju_check.packet.discover import find_packets
    from changju_check.report import Msg

    en = lang == "en"
    from changju_check.report.paths import native

    if not native(root).is_dir():
        raise _fail(Msg(zh=f"--batch 的目录不存在：{root}", en=f"--batch folder not found: {root}"), lang)
    from changju_check.write import is_inside

    if is_inside(out_dir, root):
        raise _fail(
            Msg(
                zh=f"输出文件夹不能在 {root} 内（下次批量检查会把它当作材料包）：{out_dir}",
                en=f"the output folder must not be inside {root} (the next batch would take it for a packet): {out_dir}",
            ),
            lang,
        )
    if out_dir.exists() and not out_dir.is_dir():
        raise _fail(Msg(zh=f"{out_dir} 不是文件夹", en=f"{out_dir} is not a folder"), lang)
    rules = _rules(settings["rules"].value, lang)
    found = find_packets(root)
    scan_cache_ok = _keep_caches_out(ctx, [f.path for f in found], lang,
                                     scan_cache=recognition.read_scans is not False and not recognition.no_cache)
    # each packet bound as its report comes (the report is let go once its book is made)
    reports = iter_found(found, shared.check_options(settings, recognition, scan_cache_ok=scan_cache_ok, category=category,
                                              in_batch=True), jobs=jobs)
    results = []
    for f, report in zip(found, reports):
        entry = {"packet": report.packet, "bundled": False, "output": None, "pages": None, "reasons": []}
        results.append(entry)
        code = 0
        if report.fatal is not None:
            entry["reasons"] = [report.fatal.to_dict(lang)]
            code = 2
        elif report.category not in rules.categories:  # an offline type (CJ406)
            entry["reasons"] = [x.to_dict(lang) for x in report.findings]
        else:
            try:
                plan = plan_book(report, rules, force=force, include_unmatched=include_unmatched)
            except BundleRefused as exc:
                entry["reasons"] = [x.to_dict(lang) for x in exc.findings]
                code = exc.exit_code
            else:
                target = _book_path(f.path, root, out_dir)
                if target.exists() and not overwrite:
                    msg = Msg(zh=f"{target} 已存在；要替换请加 --overwrite", en=f"{target} exists; use --overwrite to replace it")
                    entry["reasons"] = [{"code": None, "message": msg.get(lang)}]
                    code = 2
                else:
                    try:
                        target.parent.mkdir(parents=True, exist_ok=True)
                        result = write_book(Path(report.packet), plan, target, book_options)
                    except (BundleError, OSError) as exc:
                        msg = exc.msg if isinstance(exc, BundleError) else Msg(zh=str(exc), en=str(exc))
                        entry["reasons"] = [{"code": None, "message": msg.get(lang)}]
                        code = 1
                    else:
                        entry.update(bundled=True, output=str(target), pages=result.total_pages,
                                     binding=binding_sheet(rules, report.category, result.total_pages, book_options.recto),
                                     left_out=plan.left_out)
        entry["exit_code"] = code
    worst = max((e["exit_code"] for e in results), default=0)
    done = [e for e in results if e["bundled"]]
    skipped = [e for e in results if not e["bundled"]]
    if fmt == "json":
        doc = {"packets": results, "summary": {"packets": len(results), "bundled": len(done), "not_bundled": len(skipped)}}
        _say(json.dumps(doc, ensure_ascii=False, indent=2))
        raise typer.Exit(worst)
    _say((f"Bundled {len(done)} of {len(results)} packets into {out_dir}:" if en else f"已装订 {len(done)} 个（共 {len(results)} 个材料包），写入 {out_dir}："))
    for e in done:
        _say(f"  {e['output']}  " + (f"{e['pages']} pages" if en else f"共 {e['pages']} 页"))
    if skipped:
        _say((f"Not bundled ({len(skipped)}):" if en else f"未装订（{len(skipped)} 个）："))
        for e in skipped:
            first = e["reasons"][0] if e["reasons"] else {"code": None, "message": ""}
            more = len(e["reasons"]) - 1
            tail = (f" (+{more} more)" if en else f"（另有 {more} 项）") if more > 0 else ""
            _say(f"  {e['packet']}: {(first['code'] + ' ') if first.get('code') else ''}{first['message'].splitlines()[0] if first['message'] else ''}{tail}")
    raise typer.Exit(worst)
