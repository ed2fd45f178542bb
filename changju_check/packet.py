"""Discovery of a packet: the files of a folder or a .zip, found without trusting either.

A packet is a folder (subfolders allowed) or a .zip file. This module lists its files and
reports what is wrong with the listing itself (links out of the packet, loops, unreadable
folders, unsafe or odd names, zip bombs). It never writes into, moves or deletes anything of
the user's, never extracts a zip, and never stats or opens a path outside the packet: symbolic
links are resolved one component at a time, and a link whose target leaves the packet is
reported (CJ305) without touching the target.

`open_packet(path)` returns a `Packet`; each `PacketFile.open()` gives a readable, seekable
binary stream (a zip member is read through a size cap into memory or a temporary file in the
system temp directory, never next to the user's files). What is inside the files is the
business of `inspect.py`.
"""

from __future__ import annotations

import os
import re
import stat
import struct
import tempfile
import threading
import unicodedata
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO, Literal

from changju_check import codes
from changju_check.report import Finding, Msg

# Limits. Module constants so that tests (and a future option) can change them.
MAX_ZIP_ENTRY_SIZE = 500 * 1024**2  # bytes, uncompressed, one zip member
MAX_ZIP_TOTAL_SIZE = 2 * 1024**3  # bytes, uncompressed, all members of one zip together
MAX_ZIP_ENTRIES = 20_000  # entries in the central directory
MAX_FILES = 20_000  # files in a folder packet
MAX_DEPTH = 32  # nested folders
MAX_LINK_HOPS = 40  # symbolic links followed while resolving one path (as Linux's ELOOP)
MANIFEST_CAP = 1_000_001  # bytes read of changju.yaml at most (the loader refuses more than 1 MB)
SPOOL_IN_MEMORY = 16 * 1024**2  # a zip member larger than this is spooled to a temporary file
MAX_FINDINGS_PER_KIND = 20  # then one summary finding, so a hostile zip cannot flood the report

MANIFEST_NAMES = ("changju.yaml", "changju.yml")
JUNK_FILES = {"thumbs.db", "desktop.ini"}
JUNK_DIRS = {"__macosx"}

_DRIVE = re.compile(r"^[A-Za-z]:")
_S_IFLNK = 0o120000


class PacketError(Exception):
    """The input cannot be used as a packet at all (the CLI exits 2)."""

    def __init__(self, msg: Msg):
        super().__init__(msg.en)
        self.msg = msg


# ----------------------------------------------------------------------------- sources


class _DirSource:
    """A regular file inside a folder packet, by its resolved path (inside the packet)."""

    def __init__(self, real_path: str):
        self.real_path = real_path

    def open(self) -> BinaryIO:
        flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(self.real_path, flags)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise OSError(f"not a regular file: {self.real_path}")
            return os.fdopen(fd, "rb")
        except BaseException:
            os.close(fd)
            raise


class _ZipHandle:
    """The packet's zip file, opened lazily and shared by its members; picklable (reopens)."""

    def __init__(self, path: str, zf: zipfile.ZipFile | None = None):
        self.path = path
        self._zf = zf
        self._lock = threading.Lock()

    def get(self) -> zipfile.ZipFile:
        with self._lock:
            if self._zf is None:
                self._zf = zipfile.ZipFile(self.path)
            return self._zf

    def close(self) -> None:
        with self._lock:
            if self._zf is not None:
                self._zf.close()
                self._zf = None

    def __getstate__(self) -> dict:
        return {"path": self.path}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["path"])


class ZipMemberTooLarge(OSError):
    """A zip member produced more bytes than it declared or than the cap allows."""


class _ZipSource:
    def __init__(self, handle: _ZipHandle, info: zipfile.ZipInfo):
        self.handle = handle
        self.info = info

    def open(self) -> BinaryIO:
        limit = min(self.info.file_size, MAX_ZIP_ENTRY_SIZE)
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
        try:
            with self.handle.get().open(self.info) as src:
                total = 0
                while True:
                    # never more than one byte past the cap: a lying member is stopped while reading
                    chunk = src.read(min(1 << 20, limit - total + 1))
                    if not chunk:
                        break
                    total += len(chunk)
                    if total > limit:
                        raise ZipMemberTooLarge(f"zip member {self.info.orig_filename!r} inflates beyond {limit} bytes")
                    spool.write(chunk)
            spool.seek(0)
            return spool  # type: ignore[return-value]
        except BaseException:
            spool.close()
            raise


class _BytesSource:
    def __init__(self, data: bytes):
        self.data = data

    def open(self) -> BinaryIO:
        import io

        return io.BytesIO(self.data)


@dataclass(frozen=True)
class PacketFile:
    """One file of the packet.

    `path` is relative to the packet root, with POSIX separators, in Unicode NFC, control
    characters replaced by U+FFFD: the name to show and to match. `raw_name` is the relative
    path as found (NFD from macOS, decoded from GBK in a zip, undecodable bytes as \\xNN).
    `size` is the size on disk, or the declared uncompressed size of a zip member.
    """

    path: str
    raw_name: str
    size: int
    _source: object = field(default=None, repr=False, compare=False)

    def open(self) -> BinaryIO:
        """A readable, seekable binary stream; the caller closes it."""
        if self._source is None:
            raise OSError(f"{self.path}: no source to read from")
        return self._source.open()  # type: ignore[attr-defined]

    @classmethod
    def from_bytes(cls, path: str, data: bytes) -> "PacketFile":
        """An in-memory file, for tests and callers that already hold the bytes."""
        return cls(path=path, raw_name=path, size=len(data), _source=_BytesSource(data))


# ----------------------------------------------------------------------------- names


# A name made only of these (CJK ideographs, ASCII letters and digits, usual punctuation) is
# already NFC and has nothing to note: the common case, checked with one regex, not per character.
_PLAIN_NAME = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbfA-Za-z0-9._\-()\[\]#&+@'!,~（）【】《》，、：；！？～－＿＋＆＃]*")
_SURROGATES = re.compile("[\udc80-\udcff]")


def _plain(name: str) -> bool:
    return _PLAIN_NAME.fullmatch(name) is not None


def _clean(name: str) -> str:
    """NFC, and control/invisible format characters replaced so a name cannot drive a terminal."""
    if _plain(name):
        return name
    name = unicodedata.normalize("NFC", name)
    return "".join("\ufffd" if unicodedata.category(c) in ("Cc", "Cf") else c for c in name)


# full-width punctuation that Chinese file names use all the time: not worth a note
_USUAL_CJK_PUNCTUATION = frozenset("（）【】《》，、：；！？～－＿＋＆＃")


def _is_fullwidth(c: str) -> bool:
    """Full-width letters, digits and symbols (ＡＢＣ１２３／), not the usual Chinese punctuation."""
    o = ord(c)
    return (0xFF01 <= o <= 0xFF5E and c not in _USUAL_CJK_PUNCTUATION) or 0xFFE0 <= o <= 0xFFE6


def _name_problems(raw: str) -> tuple[list[str], list[str]]:
    zh: list[str] = []
    en: list[str] = []
    if _plain(raw):
        return zh, en
    if unicodedata.normalize("NFC", raw) != raw:
        zh.append("macOS 分解形式（NFD）")
        en.append("decomposed Unicode (NFD, as macOS writes it)")
    if any(c.isspace() and unicodedata.category(c) not in ("Cc",) for c in raw):
        zh.append("空格")
        en.append("spaces")
    if any(_is_fullwidth(c) for c in raw):
        zh.append("全角字符")
        en.append("full-width characters")
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in raw):
        zh.append("控制字符或不可见字符")
        en.append("control or invisible characters")
    return zh, en


def _odd_name_findings(files: list[PacketFile]) -> list[Finding]:
    """CJ307 for each file, and each folder once, whose own name is unusual."""
    out: list[Finding] = []
    seen: set[str] = set()
    for pf in files:
        raw_parts = pf.raw_name.split("/")
        clean_parts = pf.path.split("/")
        if len(raw_parts) != len(clean_parts):  # cannot happen; be safe rather than wrong
            raw_parts = clean_parts
        for i, raw in enumerate(raw_parts):
            shown = "/".join(clean_parts[: i + 1])
            if shown in seen:
                continue
            seen.add(shown)
            zh, en = _name_problems(raw)
            if not zh:
                continue
            what_zh, what_en = ("文件夹名", "folder name") if i < len(raw_parts) - 1 else ("文件名", "file name")
            out.append(
                codes.finding(
                    "CJ307",
                    f"{what_zh}含有{'、'.join(zh)}，已按规范形式识别，上传系统时可能出错。",
                    f"The {what_en} has {', '.join(en)}; it was matched in normalised form, "
                    "but the upload may stumble on it.",
                    file=shown,
                )
            )
    return out


def _fs_name(name: str) -> str:
    """A directory entry's name as text: undecodable bytes tried as GBK, else shown as \\xNN."""
    if _SURROGATES.search(name) is None:
        return name
    raw = os.fsencode(name)
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace")


def _is_junk_dir(name: str) -> bool:
    return name.startswith(".") or name.lower() in JUNK_DIRS


def _is_junk_file(name: str) -> bool:
    return name.startswith(".") or name.lower() in JUNK_FILES


def _is_manifest_name(name: str) -> bool:
    return name.lower() in MANIFEST_NAMES


class _Capped:
    """Collects findings of one kind; past MAX_FINDINGS_PER_KIND only counts them."""

    def __init__(self, zh: str, en: str, code: str):
        self.items: list[Finding] = []
        self.more = 0
        self.code, self.zh, self.en = code, zh, en

    def add(self, f: Finding) -> None:
        if len(self.items) < MAX_FINDINGS_PER_KIND:
            self.items.append(f)
        else:
            self.more += 1

    def findings(self) -> list[Finding]:
        out = list(self.items)
        if self.more:
            out.append(codes.finding(self.code, self.zh.format(n=self.more), self.en.format(n=self.more)))
        return out


# ----------------------------------------------------------------------------- the packet


class Packet:
    """The files of one packet; a context manager (closes the zip)."""

    root: Path
    kind: Literal["dir", "zip"]
    display: str
    files: list[PacketFile]
    findings: list[Finding]

    def __init__(
        self,
        *,
        root: Path,
        kind: Literal["dir", "zip"],
        display: str,
        files: list[PacketFile],
        findings: list[Finding],
        manifests: dict[str, PacketFile] | None = None,
        handle: _ZipHandle | None = None,
    ):
        self.root = root
        self.kind = kind
        self.display = display
        self.files = sorted(files, key=lambda f: f.path)
        self.findings = sorted(findings, key=lambda f: (f.file or "", f.code, f.message.en))
        self._manifests = manifests or {}
        self._handle = handle

    def __repr__(self) -> str:
        return f"Packet({self.display!r}, kind={self.kind!r}, files={len(self.files)}, findings={len(self.findings)})"

    def __enter__(self) -> "Packet":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()

    # -- the manifest

    def manifest_bytes(self, name: str = "changju.yaml") -> bytes | None:
        """The root manifest's bytes (at most MANIFEST_CAP of them), or None if there is none.

        Raises PacketError when the manifest exists but cannot be read.
        """
        pf = self._manifests.get(name) or next(
            (f for n, f in self._manifests.items() if n.lower() == name.lower()), None
        )
        if pf is None:
            return None
        try:
            if isinstance(pf._source, _ZipSource):
                with pf._source.handle.get().open(pf._source.info) as fh:
                    return fh.read(MANIFEST_CAP)
            with pf.open() as fh:
                return fh.read(MANIFEST_CAP)
        except (OSError, zipfile.BadZipFile, EOFError, ValueError, RuntimeError, NotImplementedError) as exc:
            raise PacketError(
                Msg(
                    zh=f"无法读取清单文件 {pf.path}：{_reason_zh(exc)}",
                    en=f"Cannot read the manifest {pf.path}: {_reason_en(exc)}",
                )
            ) from exc

    # -- the manifest's `materials` paths

    def resolve(self, pattern: str) -> tuple[list[PacketFile], Finding | None]:
        """The files a manifest path or glob names (`scans/*.pdf`, `**/审计*.pdf`, `证书/`).

        Matching is on the listing only: nothing is stat'ed or opened. `*` and `?` stay inside one
        folder, `**` spans folders, a bare folder name means the files under it. The exact case is
        tried first, then case-insensitively (packets are made on Windows and macOS). Absolute
        paths, drive letters and `..` (also written with backslashes) give a CJ305 finding and no
        files.
        """
        text = unicodedata.normalize("NFC", str(pattern)).strip()
        norm = text.replace("\\", "/")
        parts = norm.split("/")
        if (
            not text
            or "\x00" in text
            or norm.startswith("/")
            or _DRIVE.match(norm)
            or ".." in parts
        ):
            return [], codes.finding(
                "CJ305",
                f"路径“{text}”指向材料包之外或不是相对路径（不允许绝对路径、盘符和“..”），未读取。",
                f"The path “{text}” points outside the packet or is not relative (absolute paths, drive "
                "letters and '..' are not allowed); nothing was read.",
            )
        parts = [p for p in parts if p not in ("", ".")]
        if not parts:
            return list(self.files), None
        regex = _glob_regex(parts)
        for flags in (0, re.IGNORECASE):
            rx = re.compile(regex, flags)
            hits = [f for f in self.files if rx.match(f.path)]
            if hits:
                return hits, None
            if not _has_magic(parts):
                prefix = "/".join(parts) + "/"
                under = [
                    f for f in self.files if (f.path.startswith(prefix) if not flags else f.path.lower().startswith(prefix.lower()))
                ]
                if under:
                    return under, None
        return [], None


def _has_magic(parts: list[str]) -> bool:
    return any(c in p for p in parts for c in "*?[")


def _glob_component(part: str) -> str:
    out = []
    i = 0
    while i < len(part):
        c = part[i]
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = i + 1
            if j < len(part) and part[j] in "!^":
                j += 1
            if j < len(part) and part[j] == "]":
                j += 1
            while j < len(part) and part[j] != "]":
                j += 1
            if j >= len(part):
                out.append(re.escape(c))
            else:
                body = part[i + 1 : j]
                neg = body[:1] in ("!", "^")
                if neg:
                    body = body[1:]
                body = body.replace("\\", "\\\\").replace("/", "")
                out.append(f"[{'^/' if neg else ''}{body}]")
                i = j
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


def _glob_regex(parts: list[str]) -> str:
    out = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if part == "**":
            out.append(".*" if last else "(?:[^/]+/)*")
        else:
            out.append(_glob_component(part) + ("" if last else "/"))
    return "".join(out) + r"\Z"


def _reason_zh(exc: BaseException) -> str:
    if isinstance(exc, PermissionError):
        return "没有读取权限"
    if isinstance(exc, FileNotFoundError):
        return "文件不存在"
    return f"{type(exc).__name__}: {exc}"


def _reason_en(exc: BaseException) -> str:
    if isinstance(exc, PermissionError):
        return "no read permission"
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    return f"{type(exc).__name__}: {exc}"


# ----------------------------------------------------------------------------- entry point


def open_packet(path: Path | str) -> Packet:
    """Discover the packet at `path`: a folder or a .zip file. Raises PacketError if unusable."""
    path = Path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise PacketError(Msg(zh=f"路径不存在：{path}", en=f"No such file or folder: {path}")) from None
    except OSError as exc:
        raise PacketError(
            Msg(zh=f"无法访问 {path}：{_reason_zh(exc)}", en=f"Cannot access {path}: {_reason_en(exc)}")
        ) from exc
    if stat.S_ISDIR(st.st_mode):
        return _open_dir(path)
    if stat.S_ISREG(st.st_mode) and path.suffix.lower() == ".zip":
        return _open_zip(path)
    raise PacketError(
        Msg(
            zh=f"{path} 既不是文件夹也不是 .zip 压缩包。",
            en=f"{path} is neither a folder nor a .zip file.",
        )
    )


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
            if os.path.isabs(target) or _DRIVE.match(target):
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


def _open_dir(path: Path) -> Packet:
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
        raw_names = [_fs_name(p) for p in parts_raw]
        shown = "/".join(_clean(p) for p in raw_names)
        pf = PacketFile(
            path=shown,
            raw_name="/".join(raw_names),
            size=st.st_size,
            _source=_DirSource(os.path.join(root_real, *real_parts)),
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

    def rel_shown(parts: list[str]) -> str:
        return "/".join(_clean(_fs_name(p)) for p in parts)

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
                    f"无法读取该文件夹（{_reason_zh(exc)}），其中的文件未检查。",
                    f"Cannot read this folder ({_reason_en(exc)}); the files in it were not checked.",
                    file=shown,
                )
            )
            continue
        for entry in entries:
            name = entry.name
            parts = rel + [name]
            at_root_manifest = not rel and _is_manifest_name(name)
            try:
                is_link = entry.is_symlink() or _is_reparse_point(entry)
                is_dir = not is_link and entry.is_dir(follow_symlinks=False)
            except OSError:
                is_link, is_dir = False, False
            if is_dir:
                if _is_junk_dir(name):
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
            if _is_junk_file(name) and not at_root_manifest:
                continue
            if is_link:
                links.append((rel_shown(parts), "/".join(_fs_name(p) for p in parts), parts))
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError as exc:
                findings.append(_unreadable(rel_shown(parts), exc))
                continue
            if not stat.S_ISREG(st.st_mode):
                findings.append(_not_regular(rel_shown(parts)))
                continue
            if not os.access(os.path.join(full, name), os.R_OK):
                findings.append(_unreadable(rel_shown(parts), PermissionError()))
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
        at_root_manifest = len(parts) == 1 and _is_manifest_name(parts[0])
        try:
            real_parts, st = _resolve_link(roots, root_real, parts)
        except _Escape:
            try:
                target = os.readlink(os.path.join(root_real, *parts))
            except OSError:
                target = "?"
            target = _clean(_fs_name(target))
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

    findings.extend(_odd_name_findings(files))
    return Packet(root=Path(root_abs), kind="dir", display=str(path), files=files, findings=findings, manifests=manifests)


def _unreadable(shown: str, exc: BaseException) -> Finding:
    return codes.finding(
        "CJ301",
        f"无法读取该文件（{_reason_zh(exc)}）。",
        f"Cannot read the file ({_reason_en(exc)}).",
        file=shown,
    )


def _not_regular(shown: str) -> Finding:
    return codes.finding(
        "CJ304",
        "不是普通文件（管道、设备或套接字），未读取。",
        "Not a regular file (a pipe, device or socket); it was not read.",
        file=shown,
    )


# ----------------------------------------------------------------------------- zips

_SUPPORTED_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}


def _zip_entry_count(path: Path) -> int | None:
    """The entry count the end-of-central-directory record declares, before zipfile builds them all."""
    end_rec = getattr(zipfile, "_EndRecData", None)
    if end_rec is None:
        return None
    try:
        with open(path, "rb") as fh:
            rec = end_rec(fh)
    except Exception:
        return None
    if not rec:
        return None
    return int(rec[4])  # _ECD_ENTRIES_TOTAL


def _zip_name(info: zipfile.ZipInfo) -> tuple[str, bool]:
    """The entry's name as the author meant it, and whether it could be decoded at all.

    UTF-8 flagged names are taken as they are. Others (the default of Chinese Windows tools)
    are tried as UTF-8 (macOS and Linux tools write UTF-8 without the flag) and then as GBK
    (GB18030, its superset); cp437 is the last resort.
    """
    if info.flag_bits & 0x800:
        return info.orig_filename, True
    raw = info.orig_filename.encode("cp437")
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc), True
        except UnicodeDecodeError:
            continue
    return info.orig_filename, False


def _check_layout(path: Path, infos: list[zipfile.ZipInfo], start_dir: int) -> tuple[set[int], set[int]]:
    """Entries without a local header, and entries whose data runs into the next entry.

    The second set is the overlapping-entries bomb (CVE-2024-0450), which CPython 3.11.7 does
    not check: every entry must end before the next one (or the central directory) begins.
    Only the 30-byte local headers are read.
    """
    missing: set[int] = set()
    overlap: set[int] = set()
    order = sorted(range(len(infos)), key=lambda i: infos[i].header_offset)
    ends: dict[int, int] = {}
    with open(path, "rb") as fh:
        for i in order:
            info = infos[i]
            fh.seek(info.header_offset)
            head = fh.read(30)
            if len(head) < 30 or head[:4] != b"PK\x03\x04":
                missing.add(i)
                continue
            name_len, extra_len = struct.unpack("<HH", head[26:30])
            ends[i] = info.header_offset + 30 + name_len + extra_len + info.compress_size
    for pos, i in enumerate(order):
        if i in missing:
            continue
        limit = infos[order[pos + 1]].header_offset if pos + 1 < len(order) else start_dir
        if ends[i] > limit:
            overlap.add(i)
    return missing, overlap


def _open_zip(path: Path) -> Packet:
    corrupt = Msg(
        zh=f"{path} 不是有效的 zip 压缩包（文件损坏或不完整）。",
        en=f"{path} is not a valid zip file (corrupt or incomplete).",
    )
    declared = _zip_entry_count(path)
    if declared is not None and declared > MAX_ZIP_ENTRIES:
        raise PacketError(
            Msg(
                zh=f"{path} 含有 {declared} 个条目，超过上限 {MAX_ZIP_ENTRIES}。",
                en=f"{path} has {declared} entries, more than the limit of {MAX_ZIP_ENTRIES}.",
            )
        )
    try:
        zf = zipfile.ZipFile(path)
    except PermissionError as exc:
        raise PacketError(Msg(zh=f"无法读取 {path}：没有读取权限", en=f"Cannot read {path}: no read permission")) from exc
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, UnicodeDecodeError, struct.error, OverflowError) as exc:
        raise PacketError(corrupt) from exc
    try:
        return _zip_packet(path, zf)
    except PacketError:
        zf.close()
        raise
    except (OSError, EOFError, ValueError, struct.error, OverflowError, KeyError) as exc:
        zf.close()
        raise PacketError(corrupt) from exc


def _zip_packet(path: Path, zf: zipfile.ZipFile) -> Packet:
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise PacketError(
            Msg(
                zh=f"{path} 含有 {len(infos)} 个条目，超过上限 {MAX_ZIP_ENTRIES}。",
                en=f"{path} has {len(infos)} entries, more than the limit of {MAX_ZIP_ENTRIES}.",
            )
        )
    missing, overlap = _check_layout(path, infos, getattr(zf, "start_dir", os.path.getsize(path)))
    handle = _ZipHandle(str(path), zf)
    findings: list[Finding] = []
    slip = _Capped("另有 {n} 个条目路径不安全，已跳过。", "{n} more entries have unsafe paths and were skipped.", "CJ305")
    broken = _Capped("另有 {n} 个条目无法读取，已跳过。", "{n} more entries cannot be read and were skipped.", "CJ301")
    locked = _Capped("另有 {n} 个条目已加密，已跳过。", "{n} more entries are encrypted and were skipped.", "CJ302")
    odd_undecodable = _Capped("另有 {n} 个条目名称无法解码。", "{n} more entry names cannot be decoded.", "CJ307")

    candidates: list[tuple[list[str], str, zipfile.ZipInfo]] = []  # (raw parts, shown path, info)
    for index, info in enumerate(infos):
        name, decodable = _zip_name(info)
        shown_full = _clean(name)
        norm = name.replace("\\", "/")
        raw_parts = norm.split("/")
        if (
            "\x00" in name
            or norm.startswith("/")
            or _DRIVE.match(norm)
            or ".." in raw_parts
        ):
            slip.add(
                codes.finding(
                    "CJ305",
                    "压缩包条目的路径指向材料包之外（“..”、绝对路径或盘符），已跳过。",
                    "The zip entry's path leads out of the packet ('..', absolute or a drive letter); it was skipped.",
                    file=shown_full,
                )
            )
            continue
        parts = [p for p in raw_parts if p not in ("", ".")]
        if not parts or norm.endswith("/"):
            continue  # a folder entry
        if any(_is_junk_dir(p) for p in parts[:-1]) or _is_junk_file(parts[-1]):
            continue
        shown = "/".join(_clean(p) for p in parts)
        if not decodable:
            odd_undecodable.add(
                codes.finding(
                    "CJ307",
                    "压缩包条目名称既不是 UTF-8 也不是 GBK 编码，显示可能是乱码。",
                    "The zip entry's name is neither UTF-8 nor GBK; it may show garbled.",
                    file=shown,
                )
            )
        if info.create_system == 3 and (info.external_attr >> 16) & 0o170000 == _S_IFLNK:
            slip.add(
                codes.finding(
                    "CJ305",
                    "压缩包条目是符号链接，不会跟随，已跳过。",
                    "The zip entry is a symbolic link; links are not followed, it was skipped.",
                    file=shown,
                )
            )
            continue
        if info.flag_bits & 0x1:
            locked.add(
                codes.finding(
                    "CJ302",
                    "压缩包条目设置了密码，无法读取，已跳过。请不加密重新压缩。",
                    "The zip entry is password-protected and cannot be read; it was skipped. "
                    "Compress the files again without a password.",
                    file=shown,
                )
            )
            continue
        if info.compress_type not in _SUPPORTED_METHODS:
            broken.add(
                codes.finding(
                    "CJ301",
                    f"压缩包条目使用了不支持的压缩方式（{info.compress_type}），已跳过。",
                    f"The zip entry uses an unsupported compression method ({info.compress_type}); it was skipped.",
                    file=shown,
                )
            )
            continue
        if index in missing:
            broken.add(
                codes.finding(
                    "CJ301",
                    "压缩包条目的数据不在目录所指的位置（压缩包损坏），已跳过。",
                    "The zip entry is not where the zip's directory says (a damaged zip); it was skipped.",
                    file=shown,
                )
            )
            continue
        if index in overlap:
            broken.add(
                codes.finding(
                    "CJ301",
                    "压缩包条目与其他条目的数据重叠（可能是恶意构造的压缩炸弹），已跳过。",
                    "The zip entry overlaps another entry's data (possibly a crafted zip bomb); it was skipped.",
                    file=shown,
                )
            )
            continue
        if info.file_size > MAX_ZIP_ENTRY_SIZE:
            broken.add(
                codes.finding(
                    "CJ301",
                    f"压缩包条目解压后为 {info.file_size} 字节，超过单个文件上限 {MAX_ZIP_ENTRY_SIZE} 字节，已跳过。",
                    f"The zip entry would inflate to {info.file_size} bytes, more than the limit of "
                    f"{MAX_ZIP_ENTRY_SIZE} bytes per file; it was skipped.",
                    file=shown,
                )
            )
            continue
        candidates.append((parts, shown, info))

    # Duplicate names (after normalisation): which copy a reviewer sees depends on the tool, so none is used.
    by_shown: dict[str, int] = {}
    for _parts, shown, _info in candidates:
        by_shown[shown] = by_shown.get(shown, 0) + 1
    unique = []
    reported: set[str] = set()
    for parts, shown, info in candidates:
        if by_shown[shown] == 1:
            unique.append((parts, shown, info))
        elif shown not in reported:
            reported.add(shown)
            broken.add(
                codes.finding(
                    "CJ301",
                    f"压缩包中有 {by_shown[shown]} 个同名条目，无法确定使用哪一个，均已跳过。",
                    f"The zip has {by_shown[shown]} entries of this name; which one counts is ambiguous, so all were skipped.",
                    file=shown,
                )
            )

    # One top folder holding everything: that folder is the root.
    prefix: list[str] = []
    shown_prefix = ""
    if unique and all(len(p) > 1 for p, _s, _i in unique):
        tops = {p[0] for p, _s, _i in unique}
        if len(tops) == 1:
            prefix = [unique[0][0][0]]
            shown_prefix = _clean(prefix[0])

    files: list[PacketFile] = []
    manifests: dict[str, PacketFile] = {}
    total = 0
    over_total = 0
    for parts, shown, info in sorted(unique, key=lambda t: t[1]):
        parts = parts[len(prefix) :]
        rel_shown = "/".join(_clean(p) for p in parts)
        pf = PacketFile(path=rel_shown, raw_name="/".join(parts), size=info.file_size, _source=_ZipSource(handle, info))
        if len(parts) == 1 and _is_manifest_name(parts[0]):
            manifests[parts[0]] = pf
            continue
        if total + info.file_size > MAX_ZIP_TOTAL_SIZE:
            over_total += 1
            continue
        total += info.file_size
        files.append(pf)
    if over_total:
        findings.append(
            codes.finding(
                "CJ301",
                f"压缩包解压后总大小超过上限 {MAX_ZIP_TOTAL_SIZE} 字节，其余 {over_total} 个文件未检查。",
                f"The zip would inflate to more than the limit of {MAX_ZIP_TOTAL_SIZE} bytes; "
                f"the remaining {over_total} files were not checked.",
            )
        )
    for collector in (slip, broken, locked, odd_undecodable):
        findings.extend(collector.findings())
    if prefix:  # findings about skipped entries name them relative to the root too
        top = shown_prefix + "/"
        findings = [
            replace(f, file=f.file[len(top) :]) if f.file and f.file.startswith(top) else f for f in findings
        ]
    findings.extend(_odd_name_findings(files))
    display = f"{path}!/{shown_prefix}" if prefix else str(path)
    return Packet(
        root=Path(os.path.abspath(path)),
        kind="zip",
        display=display,
        files=files,
        findings=findings,
        manifests=manifests,
        handle=handle,
    )
