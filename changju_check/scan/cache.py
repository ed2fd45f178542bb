"""The OCR cache: JSON files in the user's cache directory, never in the packet.

Location: `scans/` in the folder of every changju cache (rules/cache.py: `$CHANGJU_CACHE_DIR`, else
the platform's user cache folder). Private and sealed as every cache (rules/cache.py): folders
0700, files 0600, and each entry bound by an HMAC to its name and to a key only this user's runs
know — the name is derived from the file's bytes, so an entry planted for a file's hash (an
expired ID card read as a valid one) or copied from another user's cache is a miss, never a fact.

Key: SHA-256 of the file's bytes + the engine version (rapidocr, onnxruntime, pypdfium2, pypdf,
Pillow and our pipeline version; for seals the seal detector's version) + page + dpi + part.
Editing a file, upgrading the engine or changing the resolution therefore never reuses a stale
result. Writes are atomic (changju_check.write); a corrupt or unreadable entry, or one whose shape
is not what the reader stores, is a miss.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from changju_check.rulebook.cache import cache_root, matches, read_sealed, write_sealed

ENV_VAR = "CHANGJU_CACHE_DIR"


def cache_dir() -> Path:
    return cache_root() / "scans"


def entry_key(sha256: str, version: str, page: int, dpi: int, part: str) -> str:
    raw = f"{sha256}|{version}|page={page}|dpi={dpi}|{part}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class Cache:
    """Get/put JSON values; `enabled=False` makes every call a no-op miss."""

    def __init__(self, root: Path | None = None, enabled: bool = True):
        self.root = root if root is not None else cache_dir()
        self.enabled = enabled
        self.hits = 0
        self.misses = 0

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str, shape: Any = object) -> Any | None:
        """The entry's value, or None (a miss) when there is none or it does not have `shape`
        (see rules.cache.matches): a damaged or planted entry is never used."""
        if not self.enabled:
            return None
        raw = read_sealed(self._path(key))
        try:
            if raw is None:
                raise ValueError("no entry sealed by this user")
            value = json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
            self.misses += 1
            return None
        if not matches(value, shape):
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, key: str, value: Any) -> None:
        if not self.enabled:
            return
        path = self._path(key)
        try:
            write_sealed(path, json.dumps(value, ensure_ascii=False).encode("utf-8"), self.root.parent)
        except OSError:
            pass  # a read-only or full cache directory only costs speed
