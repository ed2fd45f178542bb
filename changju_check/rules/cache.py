"""The compiled rule cache, kept light: importing this module imports no pydantic.

Loading and validating the YAML rule files costs ~0.2 s, paid by every command. What is
derived from a rule directory that passed validation is kept in the user's cache directory
(never inside a packet), keyed by the changju version, the bytes of every rule file and of the
code that derives it: any edit misses the cache and validates afresh. A broken or foreign cache
file is ignored and replaced. CHANGJU_NO_RULE_CACHE=1 turns the cache off.

Two artefacts: the validated rule set (JSON of the records, read back with its shape checked:
rules/frozen.py; for every command) and the checklists of
`list-required` (plain JSON), which lets that command answer without building a single model.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent  # changju_check/rules/


def default_rules_dir() -> Path:
    """The newest guide shipped: the highest-numbered year folder under rules/ (2023 today)."""
    base = HERE
    years = sorted((p for p in base.iterdir() if p.is_dir() and p.name.isdigit()), key=lambda p: int(p.name))
    return years[-1] if years else base / "2023"


def fold(text: str) -> str:
    """NFKC + lower case, no spaces: the form used to compare category names and aliases."""
    return unicodedata.normalize("NFKC", text).casefold().replace(" ", "")


def cache_dir() -> Path | None:
    if os.environ.get("CHANGJU_NO_RULE_CACHE"):
        return None
    explicit = os.environ.get("CHANGJU_CACHE_DIR")
    if explicit:
        return Path(explicit) / "rules"
    base = os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base else Path.home() / ".cache"
    return root / "changju-check" / "rules"


def fingerprint(directory: Path, code: tuple[Path, ...]) -> str | None:
    """A key for what `code` derives from `directory`'s rule files."""
    from changju_check import __version__

    digest = hashlib.sha256(__version__.encode())
    try:
        for path in sorted(directory.glob("*.yaml")) + list(code):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    except OSError:
        return None
    return digest.hexdigest()[:32]


def read(name: str) -> bytes | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return (folder / name).read_bytes()
    except OSError:
        return None


def write(name: str, data: bytes) -> None:
    folder = cache_dir()
    if folder is None:
        return
    from changju_check.write import write_file

    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_file(folder / name, data)
    except Exception:  # noqa: BLE001 - no cache (read-only home, full disk): just slower
        pass


class Each:
    """A shape for `matches`: a mapping of str keys, every value of `shape`."""

    def __init__(self, shape: Any) -> None:
        self.shape = shape


def matches(value: Any, shape: Any) -> bool:
    """Whether parsed JSON `value` has `shape`: a type (bool and int kept apart), None, a tuple of
    alternatives, `[shape]` for a list of it, `[a, b]` for a list of exactly an a and a b, `{key: shape}` for a mapping holding at least those
    keys, `Each(shape)` for a mapping of str keys, `object` for anything. What a cache entry is
    checked against before it is used: an entry of the wrong shape is a miss."""
    if shape is object:
        return True
    if shape is None:
        return value is None
    if isinstance(shape, tuple):
        return any(matches(value, s) for s in shape)
    if isinstance(shape, Each):
        return isinstance(value, dict) and all(isinstance(k, str) and matches(v, shape.shape) for k, v in value.items())
    if isinstance(shape, dict):
        return isinstance(value, dict) and all(k in value and matches(value[k], s) for k, s in shape.items())
    if isinstance(shape, list) and len(shape) == 1:
        return isinstance(value, list) and all(matches(v, shape[0]) for v in value)
    if isinstance(shape, list):
        return isinstance(value, list) and len(value) == len(shape) and all(map(matches, value, shape))
    if shape is bool:
        return value is True or value is False
    if shape is int:
        return type(value) is int
    if shape is float:
        return type(value) in (int, float)
    return isinstance(value, shape)


__all__ = ["Each", "cache_dir", "default_rules_dir", "fingerprint", "fold", "matches", "read", "write"]
