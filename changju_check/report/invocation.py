"""How the user runs changju, for every hint that names a command ("changju explain CJ101"): a
hint the user cannot paste is no hint. The CLI sets it once at start-up (`set_prog`); run as
`py -m changju_check` (Windows without the Scripts folder on PATH), hints say
`py -m changju_check explain CJ101`. In the base room so that renderers and the engine can use it."""

from __future__ import annotations

import os
import sys

_prog = "changju"


def prog() -> str:
    """The command as the user runs it: "changju", or e.g. "py -m changju_check"."""
    return _prog


def set_prog(value: str) -> None:
    global _prog
    _prog = value or "changju"


def detect(argv0: str | None = None, windows: bool | None = None, has_py_launcher: bool | None = None) -> str:
    """The command that started this process: `changju` (the installed script), or `-m changju_check`
    through the interpreter, named as the user would type it: `py -m changju_check` where Windows'
    py launcher is there, else the interpreter's own name (`python -m changju_check`)."""
    argv0 = sys.argv[0] if argv0 is None else argv0
    parts = argv0.replace("\\", "/").lower().split("/")  # a Windows path read anywhere
    if parts[-1] != "__main__.py" or len(parts) < 2 or parts[-2] != "changju_check":
        return "changju"  # the installed script, or changju called from another program
    windows = (os.name == "nt") if windows is None else windows
    if windows:
        if has_py_launcher is None:
            import shutil

            has_py_launcher = shutil.which("py") is not None
        if has_py_launcher:
            return "py -m changju_check"
        return "python -m changju_check"
    exe = os.path.basename(sys.executable or "python3") or "python3"
    return f"{exe} -m changju_check"
