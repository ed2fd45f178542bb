"""A folder packet: walked without trusting it. Symbolic links are resolved one component at a
time; a link whose target leaves the packet is reported (CJ305) without touching the target;
loops, unreadable folders and special files are findings."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from changju_check.packet.model import (
    DRIVE,
    MAX_DEPTH,
    MAX_FILES,
    MAX_LINK_HOPS,
    DirSource,
    NotARegularFile,
    Packet,
    PacketError,
    PacketFile,
    UnusableSource,
    reason_en,
    reason_zh,
)
from changju_check.packet.names import (
    clean_name,
    fs_name,
    is_junk_dir,
    is_junk_file,
    is_manifest_name,
    odd_name_findings,
)
from changju_check.report import Finding, Msg
from changju_check.rulebook import codes

# ----------------------------------------------------------------------------- folders


class _Escape(Exception):
    pass


class _Loop(Exception):
    pass


def _split_target(target: str) -> list[str]:
    seps = [os.sep] + ([os.altsep] if os.altsep else [])
    for sep in seps[1:]:
        target = target.replace(sep, seps[0])
    return target.split(seps[0])


def _resolve_link(roots: tuple[str, ...], root_real: str, link_parts: list[str]) -> tuple[list[str], os.stat_result]:
    """Resolve the link at root/link_parts without leaving the packet.

    Components are resolved one at a time from the packet root, so every path that is
    lstat'ed is inside the packet; a target that would leave it raises _Escape before
    anything outside is touched. A relative target may climb out and straight back in
    (`../packet/a.pdf`): that is decided on the names alone, because the packet root is a
    real path whose ancestors are real folders. More than MAX_LINK_HOPS links raise _Loop.
    """
    root_parts = [p for p in _split_target(root_real) if p]
    resolved = list(link_parts[:-1])  # the walk only descends real folders
    pending = [link_parts[-1]]
    up = 0  # folders above the root the path has climbed (by name only, nothing is touched there)
    hops = 0
    st: os.stat_result | None = None
    while pending:
        comp = pending.pop(0)
        if comp in ("", "."):
            continue
        if up and comp != "..":
            if comp == root_parts[len(root_parts) - up]:
                up -= 1
                continue
            raise _Escape
        if comp == "..":
            if resolved and not up:
                resolved.pop()
            elif len(root_parts) > up:
                up += 1
            else:
                raise _Escape
            st = None
            continue
        cand = resolved + [comp]
        full = os.path.join(root_real, *cand)
        st = os.lstat(full)
        if stat.S_ISLNK(st.st_mode):
            hops += 1
            if hops > MAX_LINK_HOPS:
                raise _Loop
            target = os.readlink(full)
            if os.path.isabs(target) or DRIVE.match(target):
                for root in roots:
                    if target == root or target.startswith(root.rstrip(os.sep) + os.sep):
                        resolved = []
                        pending = _split_target(target[len(root) :]) + pending
                        break
                else:
                    raise _Escape
            else:
                pending = _split_target(target) + pending
            st = None
            continue
        if pending and not stat.S_ISDIR(st.st_mode):
            raise NotADirectoryError(full)
        resolved = cand
    if up:
        raise _Escape  # ends above the root
    if st is None:  # ended on a "..": the link names a folder
        st = os.lstat(os.path.join(root_real, *resolved)) if resolved else os.lstat(root_real)
    return resolved, st


def _is_reparse_point(entry: os.DirEntry) -> bool:
    """A Windows junction or other reparse point: resolved like a link, never walked into."""
    if os.name != "nt":
        return False
    attributes = getattr(entry.stat(follow_symlinks=False), "st_file_attributes", 0)
    return bool(attributes & getattr(stat, "FILE_ATTRIBUTE_REPARSE_POINT", 0x400))


def open_dir(path: Path) -> Packet:
    root_abs = os.path.abspath(path)
    root_real = os.path.realpath(path)
    roots = tuple(dict.fromkeys((root_real, root_abs)))
    findings: list[Finding] = []
    files: list[PacketFile] = []
    manifests: dict[str, PacketFile] = {}
    seen_inodes: set[tuple[int, int]] = set()
    links: list[tuple[str, str, list[str]]] = []  # (shown path, raw path, link parts)
    shown_paths: set[str] = set()
    count = 0

    def add_file(parts_raw: list[str], real_parts: list[str], st: os.stat_result, *, at_root_name: str | None = None) -> None:
        raw_names = [fs_name(p) for p in parts_raw]
        shown = "/".join(clean_name(p) for p in raw_names)
        pf = PacketFile(
            path=shown,
            raw_name="/".join(raw_names),
            size=st.st_size,
            _source=DirSource(os.path.join(root_real, *real_parts)),
        )
        if at_root_name is not None:
            manifests[at_root_name] = pf
            return
        if shown in shown_paths:
            findings.append(
                codes.finding(
                    "CJ307",
                    "另有一个文件规范化后与此同名（Unicode 形式不同），只检查了其中一个。",
                    "Another file has the same name once normalised (a different Unicode form); only one was checked.",
                    file=shown,
                )
            )
            return
        shown_paths.add(shown)
        files.append(pf)

    def unusable_manifest(name: str, at_root: bool, error: OSError) -> None:
        if at_root:  # there is a manifest, it cannot be read: say so, do not check without it
            manifests[name] = PacketFile(path=clean_name(fs_name(name)), raw_name=fs_name(name), size=0,
                                         _source=UnusableSource(error))

    def rel_shown(parts: list[str]) -> str:
        return "/".join(clean_name(fs_name(p)) for p in parts)

    stack: list[list[str]] = [[]]
    while stack:
        rel = stack.pop()
        full = os.path.join(root_real, *rel) if rel else root_real
        try:
            with os.scandir(full) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            shown = rel_shown(rel) or "."
            findings.append(
                codes.finding(
                    "CJ301",
                    f"无法读取该文件夹（{reason_zh(exc)}），其中的文件未检查。",
                    f"Cannot read this folder ({reason_en(exc)}); the files in it were not checked.",
                    file=shown,
                )
            )
            continue
        for entry in entries:
            name = entry.name
            parts = rel + [name]
            at_root_manifest = not rel and is_manifest_name(name)
            try:
                is_link = entry.is_symlink() or _is_reparse_point(entry)
                is_dir = not is_link and entry.is_dir(follow_symlinks=False)
            except OSError:
                is_link, is_dir = False, False
            if is_dir:
                if is_junk_dir(name):
                    continue
                if len(parts) > MAX_DEPTH:
                    findings.append(
                        codes.finding(
                            "CJ301",
                            f"文件夹嵌套超过 {MAX_DEPTH} 层，未检查。",
                            f"The folder is nested more than {MAX_DEPTH} deep; it was not checked.",
                            file=rel_shown(parts),
                        )
                    )
                    continue
                stack.append(parts)
                continue
            if is_junk_file(name) and not at_root_manifest:
                continue
            if is_link:
                links.append((rel_shown(parts), "/".join(fs_name(p) for p in parts), parts))
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError as exc:
                findings.append(_unreadable(rel_shown(parts), exc))
                unusable_manifest(name, at_root_manifest, exc)
                continue
            if not stat.S_ISREG(st.st_mode):
                findings.append(_not_regular(rel_shown(parts)))
                unusable_manifest(name, at_root_manifest, NotARegularFile(name))
                continue
            if not os.access(os.path.join(full, name), os.R_OK):
                findings.append(_unreadable(rel_shown(parts), PermissionError()))
                unusable_manifest(name, at_root_manifest, PermissionError(name))
                continue
            count += 1
            if count > MAX_FILES:
                raise PacketError(
                    Msg(
                        zh=f"{path} 中的文件超过 {MAX_FILES} 个，请确认选择了正确的材料包文件夹。",
                        en=f"{path} holds more than {MAX_FILES} files; check that it is the right packet folder.",
                    )
                )
            seen_inodes.add((st.st_dev, st.st_ino))
            add_file(parts, parts, st, at_root_name=name if at_root_manifest else None)

    for shown, _raw, parts in sorted(links):
        at_root_manifest = len(parts) == 1 and is_manifest_name(parts[0])
        try:
            real_parts, st = _resolve_link(roots, root_real, parts)
        except _Escape:
            try:
                target = os.readlink(os.path.join(root_real, *parts))
            except OSError:
                target = "?"
            target = clean_name(fs_name(target))
            findings.append(
                codes.finding(
                    "CJ305",
                    f"符号链接指向材料包之外（{target}），未读取。",
                    f"The symbolic link points outside the packet ({target}); it was not read.",
                    file=shown,
                )
            )
            continue
        except _Loop:
            findings.append(
                codes.finding(
                    "CJ301",
                    "符号链接形成循环，无法读取。",
                    "The symbolic link loops; it cannot be read.",
                    file=shown,
                )
            )
            continue
        except (FileNotFoundError, NotADirectoryError):
            findings.append(
                codes.finding(
                    "CJ301",
                    "符号链接指向的文件不存在。",
                    "The symbolic link points to a file that does not exist.",
                    file=shown,
                )
            )
            continue
        except OSError as exc:
            findings.append(_unreadable(shown, exc))
            continue
        if stat.S_ISDIR(st.st_mode):
            continue  # a folder inside the packet: its files are listed under their real path
        if not stat.S_ISREG(st.st_mode):
            findings.append(_not_regular(shown))
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen_inodes:
            continue  # the same file is already listed (under its own name or an earlier link)
        if not os.access(os.path.join(root_real, *real_parts), os.R_OK):
            findings.append(_unreadable(shown, PermissionError()))
            continue
        seen_inodes.add(key)
        add_file(parts, real_parts, st, at_root_name=parts[0] if at_root_manifest else None)

    findings.extend(odd_name_findings(files))
    return Packet(root=Path(root_abs), kind="dir", display=str(path), files=files, findings=findings, manifests=manifests)


def _unreadable(shown: str, exc: BaseException) -> Finding:
    return codes.finding(
        "CJ301",
        f"无法读取该文件（{reason_zh(exc)}）。",
        f"Cannot read the file ({reason_en(exc)}).",
        file=shown,
    )


def _not_regular(shown: str) -> Finding:
    return codes.finding(
        "CJ304",
        "不是普通文件（管道、设备或套接字），未读取。",
        "Not a regular file (a pipe, device or socket); it was not read.",
        file=shown,
    )
