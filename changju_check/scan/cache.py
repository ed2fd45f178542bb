"""The OCR cache: JSON files in the user's cache directory, never in the packet.

Location: `$CHANGJU_CACHE_DIR` if set, else platformdirs' user cache dir for "changju-check"
(`~/.cache/changju-check` on Linux, honouring `$XDG_CACHE_HOME`), then `scans/` below it.

Key: SHA-256 of the file's bytes + the engine version (rapidocr, onnxruntime, pypdfium2, pypdf,
Pillow and our pipeline version; for seals the seal detector's version) + page + dpi + part.
Editing a file, upgrading the engine or changing the resolution therefore never reuses a stale
result. Writes are atomic (changju_check.write); a corrupt or unreadable entry, or one whose shape
is not what the reader stores, is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from changju_check.rules.cache import matches
from changju_check.write import write_text

ENV_VAR = "CHANGJU_CACHE_DIR"


def cache_dir() -> Path:
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser() / "scans"
    try:
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("changju-check", appauthor=False)) / "scans"
    except ImportError:  # pragma: no cover - platformdirs comes with the extra
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base) / "changju-check" / "scans"


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
        try:
            with open(self._path(key), encoding="utf-8") as fh:
                value = json.load(fh)
        except (OSError, ValueError, RecursionError):
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
            path.parent.mkdir(parents=True, exist_ok=True)
            write_text(path, json.dumps(value, ensure_ascii=False))
        except OSError:
            pass  # a read-only or full cache directory only costs speed
