"""`--shard K/N`: a deterministic, stable share of a batch for one CI runner.

A packet's shard is a hash of its path relative to the batch root (POSIX
separators, NFC), so the same packet lands in the same shard for the same N on
every machine, whatever else the batch holds: adding or removing a packet moves
no other one. Shards are numbered 1..N, as CI matrices count them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePath

_SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True)
class Shard:
    index: int  # 1..count
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str) -> Shard:
    """ "2/3" -> Shard(2, 3); ValueError (with the reason in words) for anything else."""
    match = _SPEC.match(text or "")
    if not match:
        raise ValueError(f"expected K/N (e.g. 1/3), got {text!r}")
    index, count = int(match.group(1)), int(match.group(2))
    if count < 1 or not 1 <= index <= count:
        raise ValueError(f"K must be between 1 and N (N ≥ 1), got {text!r}")
    return Shard(index, count)


def shard_key(packet: Path | str, root: Path | str | None) -> str:
    """The packet's path relative to the batch root as the hash sees it ("." for the root itself)."""
    p = Path(packet)
    if root is not None:
        try:
            p = Path(packet).relative_to(Path(root))
        except ValueError:
            p = Path(packet)
    text = PurePath(p).as_posix().strip("/") or "."
    return unicodedata.normalize("NFC", text)


def shard_of(key: str, count: int) -> int:
    """The shard (1..count) of a packet key: SHA-256 of its UTF-8 bytes, modulo count."""
    digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def select_shard(packets: list[Path], shard: Shard, root: Path | str | None) -> list[Path]:
    """The packets of one shard, in their original order."""
    return [p for p in packets if shard_of(shard_key(p, root), shard.count) == shard.index]


__all__ = ["Shard", "parse_shard", "select_shard", "shard_key", "shard_of"]
