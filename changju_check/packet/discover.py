"""Which packets a batch root holds (`changju check --batch ROOT`): every one, none skipped.

Walking down from ROOT (never following a link to a folder, never leaving ROOT):

- a folder with a `changju.yaml` (any case) is a packet; its subfolders belong to it;
- a `.zip` that lies in a folder of packets is a packet (its manifest is inside);
- a folder without a manifest, with no manifest anywhere below it, that holds scans
  (PDF, images, Word/OFD documents) is a packet **without manifest**: the batch lists it;
- a folder that holds packets is a container; scans lying directly in it belong to
  no packet, and the batch lists them too (`loose`).

ROOT itself is a packet when it holds a `changju.yaml`; otherwise it is a container.
Nothing here opens a file: only names are read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from changju_check.packet.model import MANIFEST_NAMES
from changju_check.packet.names import is_junk_dir as _is_junk_dir, is_junk_file as _is_junk_file

# what a person puts into a packet: PDFs, images, and documents changju refuses with CJ304
SCAN_SUFFIXES = frozenset(
    ".pdf .jpg .jpeg .png .heic .heif .tif .tiff .bmp .gif .webp .doc .docx .ofd .wps".split()
)
MANIFEST = MANIFEST_NAMES[0]  # "changju.yaml": the name changju reads
MAX_DEPTH = 32


@dataclass(frozen=True)
class Found:
    path: Path
    kind: str  # "manifest" | "zip" | "no_manifest" | "loose"
    files: tuple[str, ...] = field(default=())  # for "loose": the scans lying in the container
    other_manifest: str | None = None  # for "no_manifest": e.g. a changju.yml that is not read


def is_scan(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in SCAN_SUFFIXES and not _is_junk_file(name)


def _entries(folder: Path) -> tuple[list[str], list[str]]:
    """(sub-folder names, file names) of a folder, links to folders not followed, junk left out."""
    dirs: list[str] = []
    files: list[str] = []
    try:
        with os.scandir(folder) as it:
            for entry in it:
                try:
                    if entry.is_dir(follow_symlinks=False):
                        if not _is_junk_dir(entry.name):
                            dirs.append(entry.name)
                    elif not _is_junk_file(entry.name):
                        files.append(entry.name)
                except OSError:
                    continue
    except OSError:
        pass
    return sorted(dirs), sorted(files)


def _manifest_in(files: list[str]) -> bool:
    return any(f.lower() == MANIFEST for f in files)


class _Tree:
    """What each folder below the root holds, computed once (names only)."""

    def __init__(self) -> None:
        self.cache: dict[Path, tuple[bool, bool]] = {}

    def holds(self, folder: Path, depth: int = 0) -> tuple[bool, bool]:
        """(a manifest somewhere in it or below, a scan somewhere in it or below)."""
        if folder in self.cache:
            return self.cache[folder]
        dirs, files = _entries(folder)
        manifest = _manifest_in(files)
        scans = any(is_scan(f) for f in files)
        if not manifest and depth < MAX_DEPTH:
            for d in dirs:
                m, s = self.holds(folder / d, depth + 1)
                manifest, scans = manifest or m, scans or s
                if manifest:
                    break
        self.cache[folder] = (manifest, scans)
        return manifest, scans


def find_packets(root: Path) -> list[Found]:
    """Every packet under ROOT, sorted by path (see the module's docstring)."""
    root = Path(root)
    dirs, files = _entries(root)
    if _manifest_in(files):
        return [Found(root, "manifest")]
    tree = _Tree()
    found: list[Found] = []
    _container(root, dirs, files, tree, found, 0)
    return sorted(found, key=lambda f: str(f.path))


def _container(folder: Path, dirs: list[str], files: list[str], tree: _Tree, found: list[Found], depth: int) -> None:
    loose = [f for f in files if is_scan(f) and not f.lower().endswith(".zip")]
    found.extend(Found(folder / f, "zip") for f in files if f.lower().endswith(".zip"))
    for d in dirs:
        sub = folder / d
        sub_dirs, sub_files = _entries(sub)
        if _manifest_in(sub_files):
            found.append(Found(sub, "manifest"))
            continue
        manifest, scans = tree.holds(sub, depth + 1)
        if manifest and depth < MAX_DEPTH:
            _container(sub, sub_dirs, sub_files, tree, found, depth + 1)
        elif scans:
            other = next((f for f in sub_files if f.lower() in MANIFEST_NAMES[1:]), None)
            found.append(Found(sub, "no_manifest", other_manifest=other))
    if loose and (depth > 0 or found):
        found.append(Found(folder, "loose", files=tuple(loose)))
    elif loose:  # a root with scans and no packet folder at all: the root is one packet without manifest
        found.append(Found(folder, "no_manifest"))


def packet_of(file: Path, packets: list[Found]) -> Found | None:
    """The packet a file belongs to (the deepest packet folder holding it), or None."""
    best: Found | None = None
    for p in packets:
        if p.kind == "loose":
            continue
        if p.kind == "zip":
            if file == p.path:
                return p
            continue
        try:
            file.relative_to(p.path)
        except ValueError:
            continue
        if best is None or len(p.path.parts) > len(best.path.parts):
            best = p
    if best is None:
        best = next((p for p in packets if p.kind == "loose" and file.parent == p.path and file.name in p.files), None)
    return best


__all__ = ["Found", "SCAN_SUFFIXES", "find_packets", "is_scan", "packet_of"]
