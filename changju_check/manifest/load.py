"""Reading ``changju.yaml``: bytes or a path in, a `Manifest` out.

The manifest states the facts the scans cannot be trusted to tell (the unit's
type, the contract dates, the equity share ...) and, optionally, which file is
which material and which findings are accepted exceptions. Every field is
optional: a packet may have a partial manifest or none.

Strict on purpose - a typo must never silently drop a fact:

* an unknown key at any level is an error that names the key and its line
  (with a "did you mean" when a known key is close);
* a yes/no field takes only ``true``/``false`` (not ``1``, not ``"yes"``); a
  number field takes a number, never ``true``; a text field takes text;
* dates: a YAML date, ``2023-08-31``, ``2023/8/31``, ``2023.8.31``,
  ``2023年8月31日`` (spaces and full-width digits allowed); ``2023-02-30`` is an
  error naming the field.

``parse_manifest``/``load_manifest`` raise ``ManifestError`` (file, dotted field
path, line; bilingual via ``to_msg()``), never a raw YAML or pydantic exception.
The YAML itself is read by ``changju_check.manifest.safeyaml`` (no anchors/aliases, no
duplicate keys, size and depth caps, YAML 1.2 scalars so ``NO`` stays the string
"NO"). Nothing here prints or exits.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import (
    ValidationError,
)

from changju_check.manifest.model import MANIFEST_NAME, Manifest, _kind
from changju_check.manifest.problems import (
    ManifestError,
    ManifestProblem,
    _dotted,
    _problem,
)
from changju_check.manifest.safeyaml import DEFAULT_MAX_BYTES, YamlLoadError, load_yaml
from changju_check.manifest.slips import Slip, find_slips
from changju_check.report import Msg

SALVAGE_TRIES = 20  # broken lines dropped, one at a time, to read what else the manifest says


def _text_of(data: bytes | str) -> str:
    """The manifest as text, for finding slips (undecodable bytes are replaced: this is only a look)."""
    if isinstance(data, str):
        return data
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace")


def _slip_problem(slip: Slip, detail: Msg | None = None) -> ManifestProblem:
    message = slip.message
    if detail is not None:
        message = Msg(zh=f"{message.zh}（YAML 解析器的{detail.zh}）", en=f"{message.en} (YAML parser: {detail.en})")
    return ManifestProblem(field=None, line=slip.line, column=slip.column, message=message)


def _yaml_problems(exc: YamlLoadError, slips: list[Slip]) -> list[ManifestProblem]:
    """The slips that broke the YAML, in plain words on their own lines; the parser's message only
    as a detail of the slip nearest to where it gave up. Without a slip: the parser's message."""
    yaml_msg = Msg(zh=exc.message_zh, en=exc.message)
    errors = [s for s in slips if s.severity == "error"]
    if not errors or exc.kind != "syntax":
        return [ManifestProblem(field=_dotted(exc.path) if exc.path else None, line=exc.line, column=exc.column, message=yaml_msg)]
    where = exc.line or 0
    nearest = min(errors, key=lambda s: (abs(s.line - where) if s.line <= where else 10**6 + s.line, s.line))
    words = re.sub(r"^(YAML syntax error|YAML 语法错误)\s*[:：]\s*", "", exc.message)
    at_zh, at_en = (f"，第 {exc.line} 行", f", line {exc.line}") if exc.line else ("", "")
    detail = Msg(zh=f"原话：{words}{at_zh}", en=f"{words}{at_en}")
    return [_slip_problem(s, detail if s is nearest else None) for s in errors]


def _without_line(text: str, line: int) -> str:
    lines = text.split("\n")
    if 1 <= line <= len(lines):
        lines[line - 1] = ""
    return "\n".join(lines)


def _drop(raw: Any, loc: tuple) -> bool:
    """Remove the value at `loc` (a pydantic error location) from the raw data; False if not found."""
    node = raw
    for part in loc[:-1]:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return False
    last = loc[-1] if loc else None
    if isinstance(node, dict) and last in node:
        del node[last]
        return True
    if isinstance(node, list) and isinstance(last, int) and 0 <= last < len(node):
        del node[last]
        return True
    return False


def _valid_part(raw: Any) -> Manifest | None:
    """The manifest with every invalid field left out (None if nothing valid is left)."""
    if not isinstance(raw, dict):
        return None
    for _ in range(SALVAGE_TRIES):
        try:
            return Manifest.model_validate(raw)
        except ValidationError as exc:
            locs = [tuple(e["loc"]) for e in exc.errors(include_url=False)]
            locs = [loc[:-1] if loc and loc[-1] == "[key]" else loc for loc in locs]
            if not any(_drop(raw, loc) for loc in sorted(set(locs), key=len, reverse=True)):
                return None
        except RecursionError:
            return None
    return None


def _salvage(text: str, bad_line: int | None, source: str, max_bytes: int) -> tuple[Manifest | None, list[ManifestProblem]]:
    """What a manifest that is not valid YAML still says: drop the broken line and try again (the
    line the parser names, else the nearest one above it not yet dropped)."""
    dropped: set[int] = set()
    count = len(text.split("\n"))
    while bad_line is not None and len(dropped) < SALVAGE_TRIES:
        line = min(bad_line, count)
        while line in dropped and line > 1:
            line -= 1
        if line in dropped or line < 1:
            return None, []
        dropped.add(line)
        text = _without_line(text, line)
        try:
            loaded = load_yaml(text, source, max_bytes=max_bytes)
        except YamlLoadError as exc:
            bad_line = exc.line if exc.kind == "syntax" else None
            continue
        return _partial(loaded, source)
    return None, []


def _partial(loaded: Any, source: str) -> tuple[Manifest | None, list[ManifestProblem]]:
    """The valid part of readable YAML, and the problems of the rest (unknown keys, bad values)."""
    import copy

    raw = loaded.data
    if raw is None:
        return Manifest(), []
    if not isinstance(raw, dict):
        return None, []
    problems: list[ManifestProblem] = []
    try:
        Manifest.model_validate(raw)
    except ValidationError as exc:
        problems = [_problem(e, loaded.lines) for e in exc.errors(include_url=False)]
    except RecursionError:
        return None, []
    manifest = _valid_part(copy.deepcopy(raw))
    if manifest is not None:
        manifest._lines = dict(loaded.lines)
        manifest._source = source
    return manifest, problems


def _merge(problems: list[ManifestProblem], slips: list[Slip]) -> list[ManifestProblem]:
    """Field problems and slips, by line; a field problem on a slip's line is the slip's echo
    (`　name` an unknown key because of the full-width space) and is left out."""
    kept = _not_echoes(problems, slips)
    kept += [_slip_problem(s) for s in slips if s.severity == "error"]
    return sorted(kept, key=lambda p: (p.line if p.line is not None else 0, p.field or ""))


def _not_echoes(problems: list[ManifestProblem], slips: list[Slip]) -> list[ManifestProblem]:
    """Field problems that are not merely a slip seen from the model: on the slip's own line, or
    "expected a mapping, got text" on the key just above it (`applicant:` over `  name:刘雨桐`)."""
    slip_lines = {s.line for s in slips if s.severity == "error"}

    def echo(p: ManifestProblem) -> bool:
        if p.line in slip_lines:
            return True
        return p.line is not None and p.line + 1 in slip_lines and p.message.en.startswith("expected a mapping")

    return [p for p in problems if not echo(p)]


# --- loading -------------------------------------------------------------------------------------


def parse_manifest(data: bytes | str, source: str = MANIFEST_NAME, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Manifest:
    """Parse a manifest from bytes or text; ``source`` names it in messages. Raises ManifestError."""
    try:
        loaded = load_yaml(data, source, max_bytes=max_bytes)
    except YamlLoadError as exc:
        partial = None
        problems = [
            ManifestProblem(field=_dotted(exc.path) if exc.path else None, line=exc.line, column=exc.column,
                            message=Msg(zh=exc.message_zh, en=exc.message))
        ]
        if exc.kind == "syntax":
            text = _text_of(data)
            slips = find_slips(text)
            problems = _yaml_problems(exc, slips)
            first_bad = min([s.line for s in slips if s.severity == "error"] + ([exc.line] if exc.line else []), default=None)
            partial, more = _salvage(text, first_bad, source, max_bytes)
            shown = {p.line for p in problems}
            more = [p for p in _not_echoes(more, slips) if p.line not in shown]
            problems = sorted(problems + more, key=lambda p: p.line or 0)
        elif exc.kind in ("duplicate-key", "value", "tag", "complex-key"):
            partial, more = _salvage(_text_of(data), exc.line, source, max_bytes)
            problems += [p for p in more if p.line != exc.line]
        raise ManifestError(source, problems, kind="yaml", yaml_kind=exc.kind, partial=partial) from None

    notes: list[Msg] = []
    if loaded.legacy_encoding:
        notes.append(
            Msg(
                zh=f"{source} 不是 UTF-8 编码，已按 GBK/GB18030 读取；建议另存为 UTF-8",
                en=f"{source} is not UTF-8; it was read as GBK/GB18030. Consider saving it as UTF-8",
            )
        )
    raw = loaded.data
    if raw is None:
        manifest = Manifest()
    else:
        if not isinstance(raw, dict):
            got_en, got_zh = _kind(raw)
            problem = ManifestProblem(
                field=None,
                line=loaded.lines.get(()),
                message=Msg(
                    zh=f"清单顶层应为映射（键: 值，如 “category: youth”），实际为{got_zh}",
                    en=f"the manifest must be a mapping of keys to values (e.g. 'category: youth'), not {got_en}",
                ),
            )
            raise ManifestError(source, [problem], kind="structure")
        try:
            manifest = Manifest.model_validate(raw)
        except ValidationError as exc:
            problems = [_problem(e, loaded.lines) for e in exc.errors(include_url=False)]
            # a slip explains what the field error only shows (`name:刘雨桐` makes applicant a text)
            problems = _merge(problems, find_slips(_text_of(data)))
            partial, _ = _partial(loaded, source)
            raise ManifestError(source, problems, kind="field", partial=partial) from None
        except RecursionError:  # cannot happen below safeyaml's depth cap; never let it escape
            problem = ManifestProblem(
                field=None, line=None, message=Msg(zh="嵌套层数过多，无法读取", en="nested too deeply to read")
            )
            raise ManifestError(source, [problem], kind="structure") from None
    manifest._lines = dict(loaded.lines)
    manifest._source = source
    manifest._notes = notes
    # readable YAML whose value is probably not what was meant (curly quotes, a full-width comma)
    manifest._slips = [s for s in find_slips(_text_of(data)) if s.severity == "warning"]
    return manifest


def load_manifest(path: Path | str, *, source: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Manifest:
    """Read and parse a manifest file. An empty file gives an empty Manifest. Raises ManifestError."""
    path = Path(path)
    name = source if source is not None else str(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # never more than the cap, whatever the file claims
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        problem = ManifestProblem(
            field=None,
            line=None,
            message=Msg(zh=f"无法读取清单文件：{reason}", en=f"cannot read the manifest: {reason}"),
        )
        raise ManifestError(name, [problem], kind="io") from None
    if len(data) > max_bytes:
        problem = ManifestProblem(
            field=None,
            line=None,
            message=Msg(
                zh=f"清单文件超过上限 {max_bytes:,} 字节", en=f"the manifest is larger than the limit of {max_bytes:,} bytes"
            ),
        )
        raise ManifestError(name, [problem], kind="yaml", yaml_kind="too-large")
    return parse_manifest(data, name, max_bytes=max_bytes)
