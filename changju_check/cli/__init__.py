"""The `changju` command line: parse options, call the library, pick a renderer, set the exit code.

Only Typer is imported at start-up; every command imports what it needs when it runs, so
`changju --help` stays fast (no pypdf, no rich tables). The only room that prints or exits.

- `app.py`    the Typer app, shared options and helpers, `main()`
- `rules.py`  categories, list-required, explain, rules validate, schema
- `check.py`  check
- `review.py` check --format html: where the review sheet(s) go
- `init.py`   init
- `bundle.py` bundle
- `desk.py`   app (the desk app in the browser; its server is the `desk` room) and `changju-app`
- `summary.py` summary (merge JSON reports of CI shards)
- `config.py` the repository configuration (changju.toml / [tool.changju]); `config_cmd.py` `changju config`

Exit codes: 0 no errors, 1 errors found, 2 unusable input.
"""

import os
import signal
import sys

from changju_check.cli import bundle, check, config_cmd, desk, init, rules, summary  # noqa: F401  (register the commands)
from changju_check.cli.app import app


class Terminated(BaseException):
    """SIGTERM or SIGHUP, raised where the program is, so that every `finally` and every
    cleanup runs as for Ctrl-C (the temporary file of a report or of `bundle`'s book)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _terminate(signum, frame) -> None:
    raise Terminated(signum)


# SIGTERM and SIGHUP (POSIX), SIGBREAK (Ctrl+Break in a Windows console): cleanup as for Ctrl-C
END_SIGNALS = ("SIGTERM", "SIGHUP", "SIGBREAK")
# the commands whose runs may leave a private temporary folder behind (a reader's, the desk app's book)
SWEEPING = ("check", "bundle", "app")
_console_handler = None  # kept referenced: Windows calls it from its own thread


def _on_console_close() -> None:
    """Closing the console window, logging off or shutting down sends CTRL_CLOSE_EVENT (2),
    CTRL_LOGOFF_EVENT (5) or CTRL_SHUTDOWN_EVENT (6), which Python's signal module never sees:
    Windows ends the process about 5 s after the handler returns. The handler raises Terminated in
    the main thread (as SIGTERM does) and waits for the cleanup (a report's or the book's temporary
    file) to finish, within that time. Only where there is a Windows console (signal.SIGBREAK
    exists: Windows only). Run in the tests under the Windows simulation with a recording kernel32
    (tests/windows/test_console.py); the real SetConsoleCtrlHandler call is reasoned, not run."""
    global _console_handler
    if not hasattr(signal, "SIGBREAK"):
        return
    import _thread
    import atexit
    import ctypes
    import threading

    done = threading.Event()
    atexit.register(done.set)

    def handler(event: int) -> int:
        if event not in (2, 5, 6):
            return 0  # Ctrl-C and Ctrl+Break: Python's own handlers
        _thread.interrupt_main(signal.SIGTERM)
        done.wait(4.5)
        return 1

    try:
        _console_handler = ctypes.WINFUNCTYPE(ctypes.c_int, ctypes.c_uint)(handler)
        ctypes.windll.kernel32.SetConsoleCtrlHandler(_console_handler, True)
    except (AttributeError, OSError):
        _console_handler = None


def expand_wildcards(args: list[str], windows: bool | None = None) -> list[str]:
    r"""What a POSIX shell does and cmd/PowerShell do not: `材料\*.zip`, `shard-*.json` become the
    matching paths (sorted), on Windows only. An option and the value of -o/--output stay as typed;
    a pattern that matches nothing stays as typed (and is then reported as not found)."""
    import glob

    if not ((os.name == "nt") if windows is None else windows):
        return args
    out: list[str] = []
    takes_path = ("-o", "--output")
    for i, arg in enumerate(args):
        if arg.startswith("-") or (i > 0 and args[i - 1] in takes_path) or not any(c in arg for c in "*?["):
            out.append(arg)
            continue
        found = sorted(glob.glob(arg, recursive="**" in arg))
        out.extend(found or [arg])
    return out


def main(argv: list[str] | None = None) -> None:
    """The `changju` command: Chinese help unless --lang en / CHANGJU_LANG=en; output that cannot
    crash on a GBK console, a closed pipe or a missing stdout (cli/output.py); exit 0/1/2."""
    # Pydantic looks for third-party plugins (a scan of every installed package's entry points,
    # ~10 ms) when it first builds a model; changju uses none, so skip that unless the user asks.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    for name in END_SIGNALS:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _terminate)
    _on_console_close()
    if not sys.warnoptions:  # libraries' warnings (Pillow's "Corrupt EXIF data" with its site-packages
        import warnings  # path) are not the user's business; -W or PYTHONWARNINGS still shows them

        warnings.simplefilter("ignore")
        os.environ.setdefault("PYTHONWARNINGS", "ignore")  # and so for spawned workers
    from changju_check.cli import i18n, output

    output.install()
    from changju_check.report import invocation

    invocation.set_prog(invocation.detect())
    args = expand_wildcards(sys.argv[1:] if argv is None else list(argv))
    if args and args[0] in SWEEPING and not {"--help", "-h"} & set(args):
        from changju_check.write.temp import sweep_stale

        sweep_stale()  # what a run ended by Task Manager left in the temporary directory
    lang = i18n.pick(args)
    code = _run(args, lang)
    output.finish()
    sys.exit(code)


def _run(args: list[str], lang: str) -> int:
    import typer

    from changju_check.cli import i18n, output
    from changju_check.report.invocation import prog

    command = typer.main.get_command(app)
    i18n.localise(command, lang)
    try:
        result = command.main(args=args, prog_name=prog(), standalone_mode=False)
    except KeyboardInterrupt:
        output.say("已中断" if lang == "zh" else "interrupted", err=True)
        return 130
    except Terminated as exc:
        output.say("已终止" if lang == "zh" else "terminated", err=True)
        return 128 + exc.signum
    except typer.Abort:
        output.say("已中断" if lang == "zh" else "Aborted!", err=True)
        return 1
    except Exception as exc:  # click's usage errors (the vendored or the installed click)
        show = getattr(exc, "show", None)
        if show is None or not hasattr(exc, "exit_code"):
            raise
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError":
            output.say(ctx.get_help())
            return 0
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        if ctx is not None and type(exc).__name__ != "ClickException":
            output.say(ctx.get_usage(), err=True)
            output.say(i18n.usage_error_text(message, ctx.command_path, lang), err=True)
        else:
            output.say(("错误：" if lang == "zh" else "Error: ") + message, err=True)
        return exc.exit_code
    return result if isinstance(result, int) else 0


def gui_main() -> None:
    """`changju-app` (a gui-script: on Windows no console window): the desk app, the browser opened
    on the folder chooser, or on the folder given (a shortcut's argument, a folder dropped on it)."""
    main(["app", *sys.argv[1:]])


__all__ = ["app", "gui_main", "main"]
