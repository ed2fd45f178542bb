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


from changju_check.cli.app import ENDING, Terminated


def _terminate(signum, frame) -> None:
    """Raised where the program is (every `finally` runs, as for Ctrl-C). Python loses an exception
    raised while a finaliser (`__del__`, a weakref callback) happens to run: the signal is also
    recorded and the hooks run (the desk app's serving loop stops on it), so it is never lost."""
    ENDING["signum"] = signum
    for hook in list(ENDING["hooks"]):
        try:
            hook()
        except Exception:  # noqa: BLE001 - a hook must not keep the program from ending
            pass
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


def only_the_command_named(app, args: list[str]):
    """The app with only the command (or sub-group) `args` name, when they name one: Typer builds
    the Click parameters of every command it is given (a third of `list-required`'s time when it
    builds all twelve), and a run uses one. The group, its callback and the command are the same
    objects, so usage lines, help and errors are those of the whole app. Anything else (no
    command, `--help`, a misspelt command that Click would suggest a fix for) gets the whole app."""
    import copy
    import inspect

    takes_value: set[str] = set()
    if app.registered_callback is not None and app.registered_callback.callback is not None:
        for param in inspect.signature(app.registered_callback.callback).parameters.values():
            info = param.default
            if not isinstance(getattr(info, "default", None), bool):
                takes_value.update(getattr(info, "param_decls", None) or ())
    name, skip = None, False
    for arg in args:
        if skip:
            skip = False
        elif arg == "--":
            break
        elif arg.startswith("-"):
            skip = arg in takes_value
        else:
            name = arg
            break
    commands = [c for c in app.registered_commands if name is not None and c.name == name]
    groups = [g for g in app.registered_groups if name is not None and g.name == name]
    if not commands and not groups:
        return app
    narrowed = copy.copy(app)
    narrowed.registered_commands, narrowed.registered_groups = commands, groups
    return narrowed


def main(argv: list[str] | None = None) -> None:
    """The `changju` command: Chinese help unless --lang en / CHANGJU_LANG=en; output that cannot
    crash on a GBK console, a closed pipe or a missing stdout (cli/output.py); exit 0/1/2."""
    # Pydantic looks for third-party plugins (a scan of every installed package's entry points,
    # ~10 ms) when it first builds a model; changju uses none, so skip that unless the user asks.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    ENDING["signum"] = None
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

    command = typer.main.get_command(only_the_command_named(app, args))
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
    if ENDING["signum"] is not None:  # the signal's exception was lost in a finaliser: still a termination
        output.say("已终止" if lang == "zh" else "terminated", err=True)
        return 128 + ENDING["signum"]
    return result if isinstance(result, int) else 0


def gui_main() -> None:
    """`changju-app` (a gui-script: on Windows no console window): the desk app, the browser opened
    on the folder chooser, or on the folder given (a shortcut's argument, a folder dropped on it)."""
    main(["app", *sys.argv[1:]])


__all__ = ["app", "gui_main", "main"]
