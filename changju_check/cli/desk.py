"""`changju app [FOLDER]`: the desk app in the browser (`changju-app`, `cli.gui_main`, starts it
without a console window).

Prints the address (with its one-time token) on the first lines, opens the browser unless
--no-browser, and serves until 退出, the last tab closed, Ctrl-C or SIGTERM. The web stack is
imported here, when the command runs: `changju --help` and `check` never load it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from changju_check.cli import recognition as shared  # check's recognition: the app reads the pages as check does
from changju_check.cli.app import (
    LANG_OPTION,
    RULES_OPTION,
    Lang,
    _fail,
    _keep_caches_out,
    _lang,
    _rules,
    _say,
    app,
    repo_config,
)


@app.command("app")
def app_cmd(
    ctx: typer.Context,
    folder: Optional[Path] = typer.Argument(None, help="The packet folder or .zip, or a season folder of packets (default: choose in the browser)"),
    port: int = typer.Option(0, "--port", help="Port on 127.0.0.1 (default: a free one)"),
    no_browser: bool = typer.Option(False, "--no-browser", help="Do not open the browser; only print the address"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Reference date (default: the manifest's as_of, else the configuration's, else today)"),
    lang_opt: Optional[Lang] = LANG_OPTION,
    rules_dir: Optional[Path] = RULES_OPTION,
    read_scans: Optional[bool] = shared.READ_SCANS_OPTION,
) -> None:
    """The desk app: choose, complete, check and bind a packet in the browser."""
    from changju_check.report import Msg

    lang = _lang(lang_opt)
    config = repo_config(lang)
    # as_of, strict, select, ignore, rules and read_scans settled as check settles them, so that the
    # app's verdict (and /api/report) is check's: the pages read where that can change the result
    settings = shared.verdict_settings(lang, config, as_of=as_of, strict=None, select=None, ignore=None,
                                       rules_dir=rules_dir, lang_opt=lang_opt, read_scans=read_scans)
    if folder is not None:
        from changju_check.desk.places import clean_path

        from changju_check.report.paths import native

        folder = Path(clean_path(str(folder)))
        if not native(folder).exists():
            raise _fail(Msg(zh=f"找不到：{folder}", en=f"not found: {folder}"), lang)
        # a cache folder inside the folder she opens is not used (not even the rule cache loaded next);
        # a folder chosen later in the browser: the OCR cache is checked at each check (desk/state.py)
        _keep_caches_out(ctx, [folder], lang, scan_cache=True)
    rules = _rules(settings["rules"].value, lang)
    if not 0 <= port <= 65535:
        raise _fail(Msg(zh="--port 应在 0–65535 之间", en="--port takes 0-65535"), lang)

    from changju_check.desk.server import serve_forever, start
    from changju_check.desk.state import Desk

    recognition = shared.recognition_options(lang, read_scans=settings["read_scans"].value)  # check's defaults
    base = shared.check_options(settings, recognition)
    desk = Desk(base, lang=lang, rules=rules)  # lang: /api/report and the CSV, as check would write them
    try:
        running = start(desk, port=port)
    except OSError as exc:
        raise _fail(Msg(zh=f"无法在 127.0.0.1:{port} 上启动：{exc.strerror or exc}", en=f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}"), lang)
    if folder is not None:
        desk.opening = desk.submit(lambda: desk.open_job(folder))  # checked in this thread, first thing
    _say(running.url)
    _say("changju 桌面应用已启动：在浏览器中打开上面的地址（关闭所有页面或点“退出”即结束；Ctrl-C 也可结束）。"
         if lang != "en" else "changju desk app: open the address above in a browser (closing every tab, 退出 or Ctrl-C ends it).")
    if not no_browser:
        import webbrowser

        try:
            webbrowser.open(running.url)
        except Exception:  # noqa: BLE001 - no browser: the address is printed
            pass
    from changju_check.cli.app import ENDING, Terminated, when_terminated

    forget = when_terminated(desk.stopping.set)  # the loop stops even where the signal's exception was lost
    try:
        serve_forever(running)
    finally:
        forget()
    if ENDING["signum"] is not None:
        raise Terminated(ENDING["signum"])
    _say("已退出" if lang != "en" else "stopped")

