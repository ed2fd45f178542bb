"""What `check` says on the terminal while pages are read, and how to install the scan extra.

A progress bar on stderr (only on a terminal; stdout stays the report) while the [scan] extra
reads a packet's pages, and the install command in the form this tool was started: `py -m pip`
on Windows, the virtual environment's own interpreter inside one, pipx where pipx installed it.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator, Optional

EXTRA = '"changju-check[scan]"'


def install_command(executable: str | None = None, prefix: str | None = None, base_prefix: str | None = None,
                    windows: bool | None = None) -> str:
    """The command that installs the scan extra for the interpreter running this tool."""
    executable = sys.executable if executable is None else executable
    prefix = sys.prefix if prefix is None else prefix
    base_prefix = getattr(sys, "base_prefix", prefix) if base_prefix is None else base_prefix
    windows = os.name == "nt" if windows is None else windows
    parts = prefix.replace("\\", "/").lower().split("/")
    if "pipx" in parts:
        return f"pipx install --force {EXTRA}"
    if prefix != base_prefix:  # a virtual environment: its own interpreter
        exe = f'"{executable}"' if " " in executable else executable
        return f"{exe} -m pip install {EXTRA}"
    return f"{'py' if windows else 'python3'} -m pip install {EXTRA}"


def missing_msg():
    """--read-scans without the extra (exit 2): what to install, in this tool's form."""
    from changju_check.report import Msg

    cmd = install_command()
    return Msg(zh=f"读取扫描件（--read-scans）需要扫描组件，请先安装：{cmd}",
               en=f"Reading scans (--read-scans) needs the scan extra; install it with: {cmd}")


@contextmanager
def pages_bar(lang: str, enabled: bool) -> Iterator[Optional[Callable[[int, int], None]]]:
    """A callback drawing `读取页面 [#####.....] 3/8` on stderr, cleared at the end; None when the
    bar is off (stderr is not a terminal, --quiet)."""
    if not enabled:
        yield None
        return
    from changju_check.cli import output

    drawn = [False]
    label = "Reading pages" if lang == "en" else "读取页面"

    def draw(done: int, total: int) -> None:
        width = 20
        filled = width * done // max(1, total)
        output.say_partial(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", err=True)
        drawn[0] = True

    try:
        yield draw
    finally:
        if drawn[0]:
            output.say_partial("\r" + " " * 40 + "\r", err=True)


def say_unread(files: Iterable[str], lang: str) -> None:
    """Without the [scan] extra: one line on stderr (stdout stays the report) on what reading the
    pages would have added - the files it would have read (each report's `unread`, gathered as a
    batch's reports pass) - and how to install it, in the form this tool was started."""
    from changju_check.cli import output

    unread = sorted(set(files))
    if not unread:
        return
    shown = "、".join(unread[:3]) + (f" 等 {len(unread)} 个文件" if len(unread) > 3 else "")
    shown_en = ", ".join(unread[:3]) + (f" and {len(unread) - 3} more" if len(unread) > 3 else "")
    if lang == "en":
        output.say(f"Reading the pages of {shown_en} would place them and read their facts; install the scan extra: "
                   f"{install_command()}", err=True)
    else:
        output.say(f"读取 {shown} 的页面可识别其材料并读出其中的信息；请安装扫描组件：{install_command()}", err=True)
