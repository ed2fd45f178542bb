"""A full disk, simulated: the temporary file of every write (changju_check/write) accepts `room`
bytes, then raises OSError(ENOSPC) as a real full file system does."""

from __future__ import annotations

import errno
import os


class FullFile:
    def __init__(self, fh, room: int) -> None:
        self._fh = fh
        self._room = room

    def write(self, data) -> int:
        data = bytes(data)
        if len(data) > self._room:
            self._fh.write(data[: self._room])
            self._room = 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._room -= len(data)
        return self._fh.write(data)

    def __getattr__(self, name):
        return getattr(self._fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._fh.close()


def full_disk(monkeypatch, room: int = 64) -> None:
    from changju_check.write import file as output

    real = output._open_temp
    monkeypatch.setattr(output, "_open_temp", lambda fd: FullFile(real(fd), room))
