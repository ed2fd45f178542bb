"""The compiled rule cache, kept light: importing this module imports no pydantic.

Loading and validating the YAML rule files costs ~0.2 s, paid by every command. What is
derived from a rule directory that passed validation is kept in the user's cache directory
(never inside a packet), keyed by the changju version, the bytes of every rule file and of the
code that derives it: any edit misses the cache and validates afresh. A broken or foreign cache
file is ignored and replaced. CHANGJU_NO_RULE_CACHE=1 turns the cache off.

Two artefacts: the validated rule set (pickled, for every command) and the checklists of
`list-required` (plain JSON), which lets that command answer without building a single model.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import unicodedata
from pathlib import Path

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
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".cache-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, folder / name)
    except Exception:  # noqa: BLE001 - no cache (read-only home, full disk): just slower
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


__all__ = ["cache_dir", "default_rules_dir", "fingerprint", "fold", "read", "write"]
