"""The packet object: a folder's or a zip's files (`Packet`, `PacketFile`), the limits every
reader keeps, and the streams a file is read through (a zip member through a size cap, into memory
or a private temporary file, never next to the user's files). What is inside the files is the
business of `inspect/`."""

from __future__ import annotations

import io
import os
import re
import stat
import tempfile
import threading
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal

from changju_check.report import Finding, Msg, PortableError
from changju_check.rulebook import codes

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

DRIVE = re.compile(r"^[A-Za-z]:")
S_IFLNK = 0o120000


class PacketError(PortableError):
    """The input cannot be used as a packet at all (the CLI exits 2)."""

    def __init__(self, msg: Msg):
        super().__init__(msg.en)
        self.msg = msg


# ----------------------------------------------------------------------------- sources


class DirSource:
    """A regular file inside a folder packet, by its resolved path (inside the packet)."""

    def __init__(self, real_path: str):
        self.real_path = real_path

    def open(self) -> BinaryIO:
        # The file object owns the descriptor from the moment it exists (`opener`): a time
        # limit's exception arriving between the open and the return then closes it once, through
        # the object. Closing the bare number as well would later close whatever file was given
        # that number in the meantime ("Bad file descriptor" in someone else's read).
        fh = io.open(self.real_path, "rb", opener=_open_no_follow)
        try:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise NotARegularFile(f"not a regular file: {self.real_path}")
        except BaseException:
            fh.close()
            raise
        return fh


def _open_no_follow(path: str, flags: int) -> int:
    """Read-only, no symlink followed, and no wait on a FIFO without a writer."""
    return os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))


class NotARegularFile(OSError):
    """The name is there, but it is a named pipe, a device or a socket: never opened (a FIFO
    without a writer would block the open for ever)."""


class UnusableSource:
    """A root manifest that is there but cannot be read (a FIFO, a device, no permission):
    opening it raises the reason, so the manifest is reported as unreadable, not as absent."""

    def __init__(self, error: OSError):
        self.error = error

    def open(self) -> BinaryIO:
        raise self.error


class ZipHandle:
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


class ZipSource:
    def __init__(self, handle: ZipHandle, info: zipfile.ZipInfo):
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


class BytesSource:
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

    @property
    def local_path(self) -> str | None:
        """The file on disk for a folder packet's file (its resolved path inside the packet), None for
        a zip member or bytes in memory: for a reader that must open the file itself (qpdf)."""
        return getattr(self._source, "real_path", None)

    def open(self) -> BinaryIO:
        """A readable, seekable binary stream; the caller closes it."""
        if self._source is None:
            raise OSError(f"{self.path}: no source to read from")
        return self._source.open()  # type: ignore[attr-defined]

    @classmethod
    def from_bytes(cls, path: str, data: bytes) -> "PacketFile":
        """An in-memory file, for tests and callers that already hold the bytes."""
        return cls(path=path, raw_name=path, size=len(data), _source=BytesSource(data))


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
        handle: ZipHandle | None = None,
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
            if isinstance(pf._source, ZipSource):
                with pf._source.handle.get().open(pf._source.info) as fh:
                    return fh.read(MANIFEST_CAP)
            with pf.open() as fh:
                return fh.read(MANIFEST_CAP)
        except (OSError, zipfile.BadZipFile, EOFError, ValueError, RuntimeError, NotImplementedError) as exc:
            raise PacketError(
                Msg(
                    zh=f"无法读取清单文件 {pf.path}：{reason_zh(exc)}",
                    en=f"Cannot read the manifest {pf.path}: {reason_en(exc)}",
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
            or DRIVE.match(norm)
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


def reason_zh(exc: BaseException) -> str:
    if isinstance(exc, NotARegularFile):
        return "不是普通文件（命名管道、设备或套接字）"
    if isinstance(exc, zipfile.BadZipFile) and "CRC" in str(exc):
        return "压缩包中该文件的数据已损坏（CRC 校验和不符）"
    if isinstance(exc, PermissionError):
        return "没有读取权限"
    if isinstance(exc, FileNotFoundError):
        return "文件不存在"
    return f"{type(exc).__name__}: {exc}"


def reason_en(exc: BaseException) -> str:
    if isinstance(exc, NotARegularFile):
        return "it is not a regular file (a named pipe, device or socket)"
    if isinstance(exc, zipfile.BadZipFile) and "CRC" in str(exc):
        return "its data in the zip is damaged (CRC-32 mismatch)"
    if isinstance(exc, PermissionError):
        return "no read permission"
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    return f"{type(exc).__name__}: {exc}"


class Capped:
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
