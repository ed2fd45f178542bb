"""Paths as Windows needs them: extended-length (`\\\\?\\`) paths past MAX_PATH, and the message a
path that is still too long gets. In the base room (`report`) because every stage that opens a
file (packet, inspect, bundle, write, cli) needs it; pure functions, no I/O.

Windows without the "Disable path length limit" setting (LongPathsEnabled) refuses a path of 260
characters or more (248 for a folder) through the ordinary API; WeChat's and QQ's download
folders make such paths easily. Prefixed with `\\\\?\\` (a UNC path with `\\\\?\\UNC\\`) the path is
handed to the file system as it is, up to about 32,767 characters. The prefix turns off the
API's own clean-up of the path, so the path is made absolute and normalised first.
"""

from __future__ import annotations

import ntpath
import os
from typing import Optional, Union

WINDOWS = os.name == "nt"  # whether file APIs need the prefix (the tests' Windows simulation sets it on Linux)
MAX_PATH = 260
_SHORT_ENOUGH = 240  # below this nothing changes (a folder's limit is 248; keep room for a file name)
PREFIX = "\\\\?\\"
UNC_PREFIX = "\\\\?\\UNC\\"


def long_path(path: Union[str, "os.PathLike[str]"], windows: Optional[bool] = None, *, always: bool = False) -> str:
    """`path` as a string every Windows file API accepts whatever its length: an absolute,
    normalised path with the `\\\\?\\` prefix once it nears MAX_PATH, or whatever its length with
    `always` (a folder whose files may pass MAX_PATH below it: a packet's root); unchanged
    elsewhere (and on other systems). `windows` is for tests (default: this system is Windows)."""
    text = os.fspath(path)
    if not (WINDOWS if windows is None else windows):
        return text
    if text.startswith(PREFIX) or text.startswith("\\\\.\\"):
        return text
    if os.name != "nt" and not ntpath.splitdrive(text)[0]:  # POSIX syntax (the tests' Windows simulation)
        full = os.path.abspath(text)
    else:
        full = ntpath.normpath(ntpath.join(os.getcwd(), text) if os.name == "nt" and not ntpath.isabs(text) else text)
    if len(full) < _SHORT_ENOUGH and not always:
        return text
    if full.startswith("\\\\"):  # \\server\share\... -> \\?\UNC\server\share\...
        return UNC_PREFIX + full[2:]
    return PREFIX + full


def native(path: Union[str, "os.PathLike[str]"]) -> "Path":
    """The folder or file as every file operation should name it: with the extended-length prefix
    on Windows whatever its length (what lies below it may pass MAX_PATH); unchanged elsewhere.
    Show the user `path` itself (or `short_path`), never this."""
    from pathlib import Path

    return Path(long_path(path, always=True))


def short_path(path: str) -> str:
    """The path as the user typed it and Explorer shows it (the `\\\\?\\` prefix removed)."""
    if path.startswith(UNC_PREFIX):
        return "\\\\" + path[len(UNC_PREFIX):]
    if path.startswith(PREFIX):
        return path[len(PREFIX):]
    return path


def too_long(path: str, error: Optional[BaseException] = None, windows: Optional[bool] = None) -> bool:
    """Whether a failure to open `path` is (most likely) its length: ENAMETOOLONG anywhere; on
    Windows a path of MAX_PATH or more that the system says is not there (ERROR_PATH_NOT_FOUND,
    ERROR_FILENAME_EXCED_RANGE)."""
    import errno

    if error is not None and getattr(error, "errno", None) == errno.ENAMETOOLONG:
        return True
    if not (WINDOWS if windows is None else windows):
        return False
    if error is not None and getattr(error, "winerror", None) == 206:  # ERROR_FILENAME_EXCED_RANGE
        return True
    return len(short_path(path)) >= MAX_PATH


def too_long_zh_en(path: str, windows: Optional[bool] = None) -> tuple[str, str]:
    """What to tell the user about a path too long to open, in both languages."""
    n = len(short_path(path))
    if not (os.name == "nt" if windows is None else windows):
        return (
            f"路径或其中的文件名过长（{n} 个字符）：{path}。请换用较短的路径或文件名。",
            f"the path, or a name in it, is too long ({n} characters): {path}. Use a shorter path or name.",
        )
    return (
        f"路径过长（{n} 个字符，Windows 默认上限 260）：{short_path(path)}。请把材料包移到较短的路径下"
        f"（例如 D:\\申报材料\\），或在 Windows 中开启“启用 Win32 长路径”（安装 Python 时点击“Disable path length limit”）。",
        f"the path is too long ({n} characters; Windows allows 260 by default): {short_path(path)}. Move the packet "
        f"to a shorter path (such as D:\\packets\\), or enable Win32 long paths (\"Disable path length limit\" at the "
        f"end of the Python installer).",
    )


def held_open(path: str, error: BaseException) -> bool:
    """Whether writing `path` failed because another program holds the file open: Windows refuses
    to replace a file open in Excel or WPS (ERROR_SHARING_VIOLATION 32, ERROR_LOCK_VIOLATION 33,
    or ERROR_ACCESS_DENIED 5 on an existing file)."""
    if not isinstance(error, PermissionError):
        return False
    code = getattr(error, "winerror", None)
    if code in (32, 33):
        return True
    return code == 5 and os.path.isfile(path)


def write_error_zh_en(path: str, error: OSError) -> tuple[str, str]:
    """Why `path` could not be written, in both languages, with what to do where there is something."""
    shown = short_path(os.fspath(path))
    if held_open(os.fspath(path), error):
        return (
            f"无法写入 {shown}：文件正被其他程序打开（例如 Excel 或 WPS）。请关闭该文件后重试，或用 -o 换一个文件名。",
            f"cannot write {shown}: the file is open in another program (such as Excel or WPS). Close it and try "
            f"again, or choose another name with -o.",
        )
    if too_long(os.fspath(path), error):
        return too_long_zh_en(os.fspath(path))
    reason = error.strerror or str(error)
    return f"无法写入 {shown}：{reason}", f"cannot write {shown}: {reason}"
