"""The compiled rule cache, kept light: importing this module imports no pydantic.

Loading and validating the YAML rule files costs ~0.2 s, paid by every command. What is
derived from a rule directory that passed validation is kept in the user's cache directory
(never inside a packet), keyed by the changju version, the bytes of every rule file and of the
code that derives it: any edit misses the cache and validates afresh. A broken or foreign cache
file is ignored and replaced. CHANGJU_NO_RULE_CACHE=1 turns the cache off.

Two artefacts: the validated rule set (JSON of the records, read back with its shape checked:
rules/frozen.py; for every command) and the checklists of
`list-required` (plain JSON), which lets that command answer without building a single model.

Every cache of changju (these rules, and the OCR cache of scan/cache.py) is private and sealed:

- **where**: `$CHANGJU_CACHE_DIR`, else the platform's user cache folder (platformdirs:
  `~/.cache/changju-check` on Linux, honouring `$XDG_CACHE_HOME`; `~/Library/Caches/changju-check`
  on macOS; `%LOCALAPPDATA%\\changju-check\\Cache` on Windows, never a roaming or shared folder);
- **who can read it**: folders 0700, files 0600 whatever the umask (the OCR cache holds names
  and ID numbers that every report masks);
- **who can write it**: every entry carries an HMAC-SHA256 of its name and bytes under a key only
  this user's runs know (`cache_key()`: 32 random bytes in the user's data folder, created 0600;
  or `$CHANGJU_CACHE_KEY`, e.g. a CI secret, so that a cache shared between jobs stays sealed). An
  entry planted by someone else, copied from another user or machine, or moved to another file's
  name fails the check and is a miss: it can never decide a fact or a rule.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import unicodedata
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent  # changju_check/rulebook/: the code that loads and validates rules
PACKAGE = HERE.parent


def rules_root() -> Path:
    """Where the guide's year folders are: inside the installed package (the wheel maps the
    repository's top-level rules/ to changju_check/rules/ at build time), or, in a checkout or an
    editable install, the repository's own rules/ beside changju_check/."""
    shipped = PACKAGE / "rules"
    if _has_years(shipped):
        return shipped
    checkout = PACKAGE.parent / "rules"
    if (PACKAGE.parent / "pyproject.toml").is_file() and _has_years(checkout):
        return checkout
    return shipped


def _has_years(folder: Path) -> bool:
    try:
        return any(p.is_dir() and p.name.isdigit() for p in folder.iterdir())
    except OSError:
        return False


def default_rules_dir() -> Path:
    """The newest guide shipped: the highest-numbered year folder under rules/ (2023 today)."""
    base = rules_root()
    try:
        years = sorted((p for p in base.iterdir() if p.is_dir() and p.name.isdigit()), key=lambda p: int(p.name))
    except OSError:
        years = []
    return years[-1] if years else base / "2023"


def fold(text: str) -> str:
    """NFKC + lower case, no spaces: the form used to compare category names and aliases."""
    return unicodedata.normalize("NFKC", text).casefold().replace(" ", "")


APP = "changju-check"
KEY_ENV = "CHANGJU_CACHE_KEY"
KEY_FILE = "cache-key"
_SEAL = b"changju-hmac-sha256:"


def cache_root() -> Path:
    """The folder of every changju cache: $CHANGJU_CACHE_DIR, else the platform's user cache folder."""
    explicit = os.environ.get("CHANGJU_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP, appauthor=False))


def cache_dir() -> Path | None:
    if os.environ.get("CHANGJU_NO_RULE_CACHE"):
        return None
    return cache_root() / "rules"


# --------------------------------------------------------------------------- private, sealed files


def _private(folder: Path, top: Path) -> None:
    """`folder` made (and every folder from `top` down to it) with mode 0700: only this user."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    chain = [folder, *folder.parents]
    for level in chain[: chain.index(top) + 1] if top in chain else [folder]:
        try:
            if level.stat().st_mode & 0o077:
                os.chmod(level, 0o700)
        except OSError:
            pass


def key_folder() -> Path | None:
    """The folder of the key file (None: the key comes from $CHANGJU_CACHE_KEY)."""
    if os.environ.get(KEY_ENV, "").strip():
        return None
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP, appauthor=False))


def _key_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP, appauthor=False)) / KEY_FILE


_KEYS: dict[tuple, bytes | None] = {}


def cache_key() -> bytes | None:
    """The key that seals this user's cache entries (None: no key can be had, so no cache)."""
    given = os.environ.get(KEY_ENV, "")
    if given.strip():
        return hashlib.sha256(b"changju-cache-key\0" + given.strip().encode("utf-8")).digest()
    path = _key_path()
    if (str(path),) not in _KEYS:
        _KEYS[(str(path),)] = _load_or_make_key(path)
    return _KEYS[(str(path),)]


def _load_or_make_key(path: Path) -> bytes | None:
    import secrets
    import time

    for attempt in range(20):
        try:
            with open(path, "rb") as fh:
                data = fh.read(256).strip()
            if len(data) >= 64:
                if hasattr(os, "getuid") and (os.stat(path).st_mode & 0o077 or os.stat(path).st_uid != os.getuid()):
                    return None  # a key others can read, or not this user's: no cache rather than a known key
                return bytes.fromhex(data.decode("ascii"))
        except FileNotFoundError:
            try:
                _private(path.parent, path.parent)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
            except FileExistsError:
                continue  # another run is writing it: read it on the next round
            except OSError:
                return None
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_hex(32).encode("ascii"))
            continue
        except (OSError, ValueError):
            return None
        time.sleep(0.01 * (attempt + 1))  # being written by another run
    return None


def _mac(key: bytes, name: str, data: bytes) -> bytes:
    return hmac.new(key, name.encode("utf-8") + b"\0" + data, hashlib.sha256).hexdigest().encode("ascii")


def write_sealed(path: Path, data: bytes, top: Path) -> None:
    """`data` into `path` (under the cache folder `top`), private and sealed; OSError to the caller."""
    key = cache_key()
    if key is None:
        return
    from changju_check.write import write_file

    _private(path.parent, top)
    write_file(path, _SEAL + _mac(key, path.name, data) + b"\n" + data)
    os.chmod(path, 0o600)


def read_sealed(path: Path) -> bytes | None:
    """The bytes `write_sealed` stored at `path`, or None: missing, unreadable, or not sealed by
    this user's key (planted, copied, moved from another name)."""
    key = cache_key()
    if key is None:
        return None
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError:
        return None
    head, sep, data = raw.partition(b"\n")
    if not sep or not head.startswith(_SEAL):
        return None
    if not hmac.compare_digest(head[len(_SEAL):], _mac(key, path.name, data)):
        return None
    return data


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
    return read_sealed(folder / name)


def write(name: str, data: bytes) -> None:
    folder = cache_dir()
    if folder is None:
        return
    try:
        write_sealed(folder / name, data, cache_root())
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


__all__ = ["Each", "cache_dir", "cache_key", "cache_root", "key_folder", "default_rules_dir", "rules_root", "fingerprint", "fold", "matches", "read",
           "read_sealed", "write", "write_sealed"]
