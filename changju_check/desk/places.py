"""The folder chooser: the places of her own machine to start from, the folders inside one, and a
pasted path as Explorer's "复制为路径" writes it.

Only folders (and .zip files, which are packets too) are listed, never the files of a folder:
what the browser shows is what a file dialog would show. Hidden and system folders are left out.
"""

from __future__ import annotations

import os
import string
import sys
from dataclasses import dataclass
from pathlib import Path

from changju_check.packet.discover import is_scan
from changju_check.packet.names import is_manifest_name
from changju_check.report.paths import native

MAX_ENTRIES = 500
QUOTES = "\"'“”‘’「」"
RECENT_MAX = 8


@dataclass(frozen=True)
class Entry:
    name: str
    path: str
    kind: str  # folder | zip | place
    note: str = ""


def clean_path(text: str) -> str:
    """A pasted path: whitespace and the quotes Explorer's "复制为路径" puts around it removed
    (straight or curly, as an input method may turn them), `~` expanded."""
    value = text.strip()
    while len(value) >= 2 and value[0] in QUOTES and value[-1] in QUOTES:
        value = value[1:-1].strip()
    return os.path.expanduser(value) if value.startswith("~") else value


def _known_folder(name: str, zh: str) -> Path | None:
    home = Path.home()
    for candidate in (home / name, home / zh, home / "OneDrive" / name):
        if candidate.is_dir():
            return candidate
    return None


def places(recent: list[str]) -> list[Entry]:
    """Desktop, documents, downloads, the home folder, recent folders, and on Windows the drives."""
    found: list[Entry] = []
    for name, zh in (("Desktop", "桌面"), ("Documents", "文档"), ("Downloads", "下载")):
        folder = _known_folder(name, zh)
        if folder is not None:
            found.append(Entry(zh, str(folder), "place"))
    found.append(Entry("个人文件夹", str(Path.home()), "place"))
    for path in recent[:RECENT_MAX]:
        if native(path).exists():
            found.append(Entry(Path(path).name or path, path, "recent", "最近打开"))
    if sys.platform == "win32":
        for letter in string.ascii_uppercase:
            drive = f"{letter}:\\"
            if os.path.exists(drive):
                found.append(Entry(f"{letter}: 盘", drive, "drive"))
    else:
        found.append(Entry("根目录 /", "/", "drive"))
    return found


def _hidden(entry: os.DirEntry) -> bool:
    if entry.name.startswith((".", "$", "~$")) or entry.name in ("__pycache__", "node_modules"):
        return True
    attrs = getattr(entry.stat(follow_symlinks=False), "st_file_attributes", 0)
    return bool(attrs & 0x6)  # FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM


def listing(folder: Path) -> tuple[list[Entry], int, bool]:
    """The sub-folders and .zip files of `folder` (sorted by name), how many scans it holds itself,
    and whether it holds a changju.yaml. Raises OSError when the folder cannot be read."""
    entries: list[Entry] = []
    scans = 0
    manifest = False
    with os.scandir(native(folder)) as it:  # \\?\ on Windows; the entries are named as the user sees them
        for entry in it:
            try:
                if _hidden(entry):
                    continue
                if entry.is_dir():
                    entries.append(Entry(entry.name, os.path.join(folder, entry.name), "folder"))
                elif entry.is_file():
                    lower = entry.name.lower()
                    if lower.endswith(".zip"):
                        entries.append(Entry(entry.name, os.path.join(folder, entry.name), "zip"))
                    elif is_manifest_name(entry.name):
                        manifest = True
                    elif is_scan(entry.name):
                        scans += 1
            except OSError:
                continue
            if len(entries) >= MAX_ENTRIES:
                break
    entries.sort(key=lambda e: (e.kind != "folder", e.name.lower()))
    return entries, scans, manifest


def parent_of(folder: Path) -> str | None:
    parent = folder.parent
    return None if parent == folder else str(parent)
