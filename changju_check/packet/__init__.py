"""The packet: discovery of a folder's or a .zip's files, without trusting either.

A packet is a folder (subfolders allowed) or a .zip file. This room lists its files and reports
what is wrong with the listing itself (links out of the packet, loops, unreadable folders, unsafe
or odd names, zip bombs). It never writes into, moves or deletes anything of the user's, never
extracts a zip, and never stats or opens a path outside the packet.

- `model.py`  `Packet`, `PacketFile`, `PacketError`, the limits, the read streams
- `names.py`  display names and the notes odd names get
- `folder.py` the folder walk (links resolved one component at a time)
- `zipped.py` the zip reader (names decoded, bombs stopped)

`open_packet(path)` returns a `Packet`; each `PacketFile.open()` gives a readable, seekable
binary stream.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from changju_check.packet.folder import open_dir
from changju_check.packet.model import (
    Packet,
    PacketError,
    PacketFile,
    ZipMemberTooLarge,
    reason_en,
    reason_zh,
)
from changju_check.packet.zipped import open_zip
from changju_check.report import Msg
from changju_check.report.paths import long_path, too_long, too_long_zh_en


def open_packet(path: Path | str) -> Packet:
    """Discover the packet at `path`: a folder or a .zip file. Raises PacketError if unusable."""
    path = Path(path)
    # Windows: every file under the packet is reached through the root, so an extended-length root
    # (\\?\D:\...) carries every path past MAX_PATH (WeChat's and QQ's download folders): the root
    # gets the prefix whatever its own length, since the files below it may pass MAX_PATH
    native = Path(long_path(path, always=True))
    try:
        st = os.stat(native)
    except FileNotFoundError as exc:
        if too_long(str(native), exc):
            raise PacketError(Msg(*too_long_zh_en(str(path.absolute())))) from None
        raise PacketError(Msg(zh=f"路径不存在：{path}", en=f"No such file or folder: {path}")) from None
    except OSError as exc:
        if too_long(str(native), exc):
            raise PacketError(Msg(*too_long_zh_en(str(path.absolute())))) from None
        raise PacketError(
            Msg(zh=f"无法访问 {path}：{reason_zh(exc)}", en=f"Cannot access {path}: {reason_en(exc)}")
        ) from exc
    if stat.S_ISDIR(st.st_mode):
        packet = open_dir(native)
    elif stat.S_ISREG(st.st_mode) and path.suffix.lower() == ".zip":
        packet = open_zip(native)
    else:
        packet = None
    if packet is not None:
        if native != path:  # shown as the user typed it, without the prefix
            packet.display = packet.display.replace(str(native), str(path), 1)
        return packet
    raise PacketError(
        Msg(
            zh=f"{path} 既不是文件夹也不是 .zip 压缩包。",
            en=f"{path} is neither a folder nor a .zip file.",
        )
    )




__all__ = ["Packet", "PacketError", "PacketFile", "ZipMemberTooLarge", "open_packet"]
