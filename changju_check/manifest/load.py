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

from pathlib import Path

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
from changju_check.report import Msg

# --- loading -------------------------------------------------------------------------------------


def parse_manifest(data: bytes | str, source: str = MANIFEST_NAME, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Manifest:
    """Parse a manifest from bytes or text; ``source`` names it in messages. Raises ManifestError."""
    try:
        loaded = load_yaml(data, source, max_bytes=max_bytes)
    except YamlLoadError as exc:
        problem = ManifestProblem(
            field=_dotted(exc.path) if exc.path else None,
            line=exc.line,
            column=exc.column,
            message=Msg(zh=exc.message_zh, en=exc.message),
        )
        raise ManifestError(source, [problem], kind="yaml", yaml_kind=exc.kind) from None

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
            problems.sort(key=lambda p: (p.line if p.line is not None else 0, p.field or ""))
            raise ManifestError(source, problems, kind="field") from None
        except RecursionError:  # cannot happen below safeyaml's depth cap; never let it escape
            problem = ManifestProblem(
                field=None, line=None, message=Msg(zh="嵌套层数过多，无法读取", en="nested too deeply to read")
            )
            raise ManifestError(source, [problem], kind="structure") from None
    manifest._lines = dict(loaded.lines)
    manifest._source = source
    manifest._notes = notes
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
