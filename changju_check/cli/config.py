"""Repository configuration: `changju.toml` (top-level keys) or `[tool.changju]` in `pyproject.toml`.

Found from the current directory upward, the nearest one wins; in one folder
`changju.toml` is taken before `pyproject.toml`, and a `pyproject.toml` without a
`[tool.changju]` table is passed over (as ruff does). Keys, all optional:

    as_of  = 2023-08-31          # TOML date or a string changju.yaml accepts; default for packets
                                 # whose manifest has no as_of (a manifest's own as_of wins)
    strict = true                # warnings count as errors
    select = ["CJ1", "CJ201"]    # code prefixes, as --select
    ignore = ["CJ103"]           # code prefixes, as --ignore
    lang   = "en"                # zh | en
    rules  = "rules/2024"        # a rule directory, relative to the file
    read_scans = false           # never read pages (CI); true: read every scan; "auto" (default):
                                 # where reading can change the result and the [scan] extra is installed

A configuration file found inside (or at the root of) a packet being checked is never applied:
a packet may decide its verdict by its files and its manifest's facts, never by the settings it
is checked with (`cd packet && changju check .` would otherwise take `ignore = ["CJ1"]` or
`rules = ".r"` from the client's own folder). Such a file is not even read; the search goes on
upward, and `RepoConfig.ignored` names it so that the CLI can say why it was passed over.

`changju config` (config_cmd.py) shows the effective settings and where each came from.
The command line wins over the file (`--strict/--no-strict`, `--select`, …), and
CHANGJU_LANG over its `lang`. An unknown key, a wrong type or an unknown code is a
ConfigError naming the file and the key (the CLI exits 2). Nothing here prints.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from changju_check.report.invocation import prog
from changju_check.report.msg import Msg, PortableError

FILE_NAMES = ("changju.toml", "pyproject.toml")
KEYS = ("as_of", "strict", "select", "ignore", "lang", "rules", "read_scans")
DEFAULT = "default"
COMMAND_LINE = "command line"


class ConfigError(PortableError):
    def __init__(self, msg: Msg):
        self.msg = msg
        super().__init__(msg.en)


@dataclass
class RepoConfig:
    path: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)
    ignored: tuple[tuple[Path, Path], ...] = ()  # (a configuration file, the packet folder holding it)


@dataclass(frozen=True)
class Setting:
    value: Any
    source: str  # "command line", "CHANGJU_LANG", a config file's path, or "default"


def _table(path: Path) -> dict[str, Any] | None:
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(Msg(zh=f"无法读取配置文件 {path}：{exc}", en=f"cannot read the configuration {path}: {exc}"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(Msg(zh=f"{path}：TOML 语法错误：{exc}", en=f"{path}: TOML syntax error: {exc}"))
    if path.name == "pyproject.toml":
        tool = data.get("tool")
        table = tool.get("changju") if isinstance(tool, dict) else None
        if table is None:
            return None
        if not isinstance(table, dict):
            raise ConfigError(Msg(zh=f"{path}：[tool.changju] 应当是一个表", en=f"{path}: [tool.changju] must be a table"))
        return table
    return data


def _holder(folder: Path, packets: tuple[Path, ...]) -> Path | None:
    """The packet folder that `folder` lies in (or is), if any."""
    for packet in packets:
        try:
            folder.relative_to(packet)
            return packet
        except ValueError:
            continue
    return None


def _resolved_folders(packets) -> tuple[Path, ...]:
    out = []
    for p in packets:
        try:
            path = Path(p).resolve()
            if path.is_dir():  # a name too long for the file system raises here, not False
                out.append(path)
        except (OSError, RuntimeError):
            continue
    return tuple(out)


def find_config(start: Path | None = None, packets=(), ignored: list | None = None) -> tuple[Path, dict[str, Any]] | None:
    """The nearest configuration from `start` (default: the current directory) upward, passing
    over (unread) every file inside one of the folders `packets`; those go to `ignored` as
    (file, packet) pairs."""
    folder = Path(start or os.getcwd()).resolve()
    inside = _resolved_folders(packets)
    for candidate in (folder, *folder.parents):
        holder = _holder(candidate, inside)
        for name in FILE_NAMES:
            path = candidate / name
            if not path.is_file():
                continue
            if holder is not None:
                if ignored is not None and (name != "pyproject.toml" or _mentions_changju(path)):
                    ignored.append((path, holder))
                continue
            table = _table(path)
            if table is not None:
                return path, table
    return None


def _mentions_changju(path: Path) -> bool:
    """Whether a pyproject.toml inside a packet carries a [tool.changju] table (read as bytes,
    never parsed: it is not ours to validate)."""
    try:
        with open(path, "rb") as fh:
            return b"changju" in fh.read(1 << 20)
    except OSError:
        return False


def _where(path: Path) -> str:
    return f"[tool.changju] in {path}" if path.name == "pyproject.toml" else str(path)


def _codes(path: Path, key: str, value: Any, known: set[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [v for v in value.split(",")]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _type_error(path, key, "a list of code prefixes, e.g. [\"CJ1\", \"CJ201\"]", "代码前缀的列表，如 [\"CJ1\", \"CJ201\"]")
    codes = tuple(v.strip().upper() for v in value if v.strip())
    bad = [c for c in codes if not any(k.startswith(c) for k in known)]
    if bad:
        raise ConfigError(
            Msg(
                zh=f"{_where(path)}：{key} 中有未知的代码 {', '.join(bad)}（{prog()} explain --table 列出全部代码）",
                en=f"{_where(path)}: unknown code {', '.join(bad)} in {key} ({prog()} explain --table lists them)",
            )
        )
    return codes


def _type_error(path: Path, key: str, en: str, zh: str) -> ConfigError:
    return ConfigError(Msg(zh=f"{_where(path)}：{key} 应当是{zh}", en=f"{_where(path)}: {key} must be {en}"))


def validate(path: Path, table: dict[str, Any], known_codes: set[str]) -> dict[str, Any]:
    """The file's values, typed: as_of a date, select/ignore tuples of upper-case prefixes,
    rules a Path relative to the file's folder."""
    import difflib

    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in KEYS:
            close = difflib.get_close_matches(key, KEYS, n=1)
            hint_zh = f"（是不是 {close[0]}？）" if close else ""
            hint_en = f" (did you mean {close[0]}?)" if close else ""
            raise ConfigError(
                Msg(
                    zh=f"{_where(path)}：未知的键 {key}{hint_zh}；可用的键：{', '.join(KEYS)}",
                    en=f"{_where(path)}: unknown key {key}{hint_en}; known keys: {', '.join(KEYS)}",
                )
            )
        if key == "as_of":
            values[key] = _date(path, value)
        elif key == "strict":
            if not isinstance(value, bool):
                raise _type_error(path, key, "true or false", " true 或 false")
            values[key] = value
        elif key in ("select", "ignore"):
            values[key] = _codes(path, key, value, known_codes)
        elif key == "lang":
            if value not in ("zh", "en"):
                raise _type_error(path, key, '"zh" or "en"', ' "zh" 或 "en"')
            values[key] = value
        elif key == "read_scans":
            if isinstance(value, str) and value.strip().lower() == "auto":
                value = None
            elif not isinstance(value, bool):
                raise _type_error(path, key, 'true, false or "auto"', ' true、false 或 "auto"')
            values[key] = value
        elif key == "rules":
            if not isinstance(value, str) or not value.strip():
                raise _type_error(path, key, "a folder path", "规则目录的路径")
            values[key] = (path.parent / value).resolve()
    return values


def _date(path: Path, value: Any) -> date:
    from datetime import datetime

    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        from changju_check.manifest import parse_date

        try:
            return parse_date(value)
        except Exception:  # noqa: BLE001 - any parse failure is the same mistake
            pass
    raise _type_error(path, "as_of", "a date such as 2023-08-31", "日期，如 2023-08-31")


def load_config(start: Path | None = None, known_codes: set[str] | None = None, packets=()) -> RepoConfig:
    """The configuration that applies in `start` (default: the current directory) to a check of
    the folders `packets`, validated; files inside those packets are passed over (`ignored`)."""
    ignored: list[tuple[Path, Path]] = []
    found = find_config(start, packets, ignored)
    if found is None:
        return RepoConfig(ignored=tuple(ignored))
    if known_codes is None:
        from changju_check.rulebook.codes import catalogue

        known_codes = set(catalogue())
    path, table = found
    return RepoConfig(path=path, values=validate(path, table, known_codes), ignored=tuple(ignored))


def settle(config: RepoConfig, given: dict[str, Any], env: dict[str, str] | None = None) -> dict[str, Setting]:
    """Each key's effective value and where it came from: the command line (values not None in
    `given`), then CHANGJU_LANG for lang, then the file, then the default."""
    env = os.environ if env is None else env
    source = str(config.path) if config.path else ""
    defaults: dict[str, Any] = {"as_of": None, "strict": False, "select": None, "ignore": (), "lang": "zh", "rules": None,
                                "read_scans": None}
    out: dict[str, Setting] = {}
    for key in KEYS:
        if given.get(key) is not None:
            out[key] = Setting(given[key], COMMAND_LINE)
        elif key == "lang" and env.get("CHANGJU_LANG", "").strip():
            out[key] = Setting("en" if env["CHANGJU_LANG"].strip().lower().startswith("en") else "zh", "CHANGJU_LANG")
        elif key in config.values:
            out[key] = Setting(config.values[key], source)
        else:
            out[key] = Setting(defaults[key], DEFAULT)
    return out


_LOADED: dict[tuple, RepoConfig] = {}


def current(packets=()) -> RepoConfig:
    """The configuration of the current directory for a check of the folders `packets`, loaded
    once per process (ConfigError if broken)."""
    key = (os.getcwd(), _resolved_folders(packets))
    if key not in _LOADED:
        _LOADED[key] = load_config(packets=packets)
    return _LOADED[key]


def current_lang(packets=()) -> str | None:
    """The configuration's lang, or None (also when the file is broken: the command that reads
    the whole configuration reports that)."""
    try:
        return current(packets).values.get("lang")
    except ConfigError:
        return None


__all__ = ["ConfigError", "current", "current_lang", "FILE_NAMES", "KEYS", "RepoConfig", "Setting", "find_config", "load_config", "settle", "validate"]

