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

None is skipped silently: a candidate that is not checked is listed with its reason (`skipped`,
a finding code and a message), and counts as not ready —

- a link to a folder (a symbolic link, a Windows junction) whose target lies outside ROOT (CJ305:
  changju never reads outside the root it was given; a link within ROOT is checked where it points);
- folders nested deeper than MAX_DEPTH below ROOT, which are not searched (CJ301).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from changju_check.packet.model import MANIFEST_NAMES
from changju_check.report import Msg
from changju_check.report.paths import native
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
    kind: str  # "manifest" | "zip" | "no_manifest" | "loose" | "skipped"
    files: tuple[str, ...] = field(default=())  # for "loose": the scans lying in the container
    other_manifest: str | None = None  # for "no_manifest": e.g. a changju.yml that is not read
    code: str | None = None  # for "skipped": why it is not checked (CJ305, CJ301) ...
    reason: Msg | None = None  # ... in words


def is_scan(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in SCAN_SUFFIXES and not _is_junk_file(name)


def _is_link(entry: os.DirEntry) -> bool:
    is_junction = getattr(entry, "is_junction", None)  # Python 3.12+: a Windows junction
    return entry.is_symlink() or bool(is_junction and is_junction())


def _entries(folder: Path, links: list[str] | None = None) -> tuple[list[str], list[str]]:
    """(sub-folder names, file names) of a folder, links to folders not followed (their names
    go to `links` when given), junk left out."""
    dirs: list[str] = []
    files: list[str] = []
    try:
        with os.scandir(native(folder)) as it:  # \\?\ on Windows: a season folder past MAX_PATH
            for entry in it:
                try:
                    if _is_link(entry) and entry.is_dir(follow_symlinks=True):
                        if links is not None and not _is_junk_dir(entry.name):
                            links.append(entry.name)
                    elif entry.is_dir(follow_symlinks=False):
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

    def __init__(self, root: Path) -> None:
        self.real_root = _real(root)
        self.cache: dict[Path, tuple[bool, bool, tuple[Found, ...]]] = {}

    def holds(self, folder: Path, depth: int = 0) -> tuple[bool, bool, tuple[Found, ...]]:
        """(a manifest somewhere in it or below, a scan somewhere in it or below, the candidates
        below it that cannot be checked: links out of the root, folders nested too deep)."""
        if folder in self.cache:
            return self.cache[folder]
        links: list[str] = []
        dirs, files = _entries(folder, links)
        manifest = _manifest_in(files)
        scans = any(is_scan(f) for f in files)
        skipped = tuple(_link_out(folder / name) for name in links if _outside(folder / name, self.real_root))
        if not manifest and dirs and depth >= MAX_DEPTH:
            skipped += (_too_deep(folder, folder / dirs[0]),)
        elif not manifest:
            for d in dirs:
                m, s, below = self.holds(folder / d, depth + 1)
                manifest, scans, skipped = manifest or m, scans or s, skipped + below
                if manifest:
                    break
        self.cache[folder] = (manifest, scans, skipped)
        return manifest, scans, skipped


def find_packets(root: Path) -> list[Found]:
    """Every packet under ROOT, sorted by path (see the module's docstring)."""
    root = Path(root)
    _, files = _entries(root)
    if _manifest_in(files):
        return [Found(root, "manifest")]
    found: list[Found] = []
    _container(root, _Tree(root), found, 0)
    return sorted(found, key=lambda f: str(f.path))


def _real(path: Path) -> Path | None:
    try:
        return native(path).resolve(strict=True)
    except (OSError, RuntimeError):  # RuntimeError: a link loop
        return None


def _outside(link: Path, real_root: Path | None) -> bool:
    target = _real(link)
    if target is None or real_root is None:
        return True
    try:
        target.relative_to(real_root)
        return False
    except ValueError:
        return True


def _link_out(link: Path) -> Found:
    return Found(link, "skipped", code="CJ305", reason=Msg(
        zh=f"这是指向批量检查目录之外的链接（{link.name}），未检查：changju 只读取所给目录内的文件。"
           f"请把材料包复制到该目录内。",
        en=f"a link ({link.name}) to a folder outside the batch root; not checked: changju reads only "
           f"inside the root it is given. Copy the packet into the root.",
    ))


def _too_deep(folder: Path, deepest: Path) -> Found:
    return Found(folder, "skipped", code="CJ301", reason=Msg(
        zh=f"文件夹嵌套超过 {MAX_DEPTH} 层（{deepest.name}），其下的文件夹未查找、未检查。请把材料包移到较浅的文件夹。",
        en=f"folders are nested more than {MAX_DEPTH} deep ({deepest.name}); what lies below was not looked "
           f"for or checked. Move the packets to a shallower folder.",
    ))


def _container(folder: Path, tree: _Tree, found: list[Found], depth: int) -> None:
    links: list[str] = []
    dirs, files = _entries(folder, links)
    found.extend(_link_out(folder / name) for name in links if _outside(folder / name, tree.real_root))
    loose = [f for f in files if is_scan(f) and not f.lower().endswith(".zip")]
    found.extend(Found(folder / f, "zip") for f in files if f.lower().endswith(".zip"))
    for d in dirs:
        sub = folder / d
        _, sub_files = _entries(sub)
        if _manifest_in(sub_files):
            found.append(Found(sub, "manifest"))
            continue
        manifest, scans, skipped = tree.holds(sub, depth + 1)
        if manifest:
            _container(sub, tree, found, depth + 1)
        elif scans:
            other = next((f for f in sub_files if f.lower() in MANIFEST_NAMES[1:]), None)
            found.append(Found(sub, "no_manifest", other_manifest=other))
        else:
            found.extend(skipped)
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
