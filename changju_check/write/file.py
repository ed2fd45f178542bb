"""Writing a file the user asked for (a report, the book, a manifest template), safely.

One way for every write: the bytes go to a temporary file created exclusively in the
destination's folder (`tempfile.mkstemp`: O_CREAT|O_EXCL, and O_NOFOLLOW where the system has
it, so a link planted under a guessable name is never followed), are flushed to disk, and the
temporary file is renamed over the destination (`os.replace`, atomic on one file system). A
destination that is itself a symbolic link is replaced by the new file; the link's target is
never written. Whatever goes wrong on the way — a full disk, an exception in the producer, a
signal turned into an exception by the CLI — the temporary file is removed and the destination
is left as it was.

The temporary name is short and fixed in shape (`.changju-XXXXXXXX.tmp`), so it never fails
where the destination's own name would not.

Library code: raises OSError; never prints.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable, Union

TEMP_PREFIX = ".changju-"
TEMP_SUFFIX = ".tmp"

Producer = Union[bytes, Callable[[BinaryIO], None]]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def is_inside(path: Path | str, root: Path | str) -> bool:
    """Whether `path` (resolved: links followed, as the write would) lies in or is `root`, whether
    or not either is written with Windows' extended-length prefix (a packet's root has it, and
    Windows' realpath may add it to a long path)."""
    try:
        _plain(Path(path).resolve()).relative_to(_plain(Path(root).resolve()))
        return True
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a link loop
        return False


def _plain(path: Path) -> Path:
    """`path` without the extended-length prefix (\\\\?\\C:\\…, \\\\?\\UNC\\server\\…)."""
    text = str(path)
    if text.startswith("\\\\?\\UNC\\"):
        return Path("\\\\" + text[8:])
    if text.startswith("\\\\?\\"):
        return Path(text[4:])
    return path


def _open_temp(fd: int) -> BinaryIO:
    return os.fdopen(fd, "wb")


def write_file(dest: Path | str, content: Producer) -> Path:
    """Write `content` (bytes, or a function that writes to the binary file it is given) to
    `dest` atomically. The new file gets the mode a plain `open(dest, "w")` would give it
    (0666 less the umask). Returns `dest` as a Path."""
    dest = Path(dest)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
    try:
        with _open_temp(fd) as fh:
            if isinstance(content, (bytes, bytearray, memoryview)):
                fh.write(content)
            else:
                content(fh)
            fh.flush()
            os.fsync(fh.fileno())
            if hasattr(os, "fchmod"):
                os.fchmod(fh.fileno(), 0o666 & ~_umask())
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return dest


def write_text(dest: Path | str, text: str) -> Path:
    """`write_file` for text, encoded as UTF-8."""
    return write_file(dest, text.encode("utf-8"))


__all__ = ["TEMP_PREFIX", "TEMP_SUFFIX", "is_inside", "write_file", "write_text"]
