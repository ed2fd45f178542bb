"""A safe YAML loader for the rule files and the packet manifest.

One loader, one verdict. ``load_yaml`` returns plain dicts, lists and scalars and
a map from key paths to line numbers, or raises ``YamlLoadError`` naming the
source, line and column. It refuses what a data file has no use for and what
PyYAML would otherwise accept silently:

* more than ``max_bytes`` (checked before anything is decoded or parsed);
* anchors and aliases, refused while composing - before anything is built - so
  "billion laughs" and self-referencing aliases cost nothing;
* duplicate keys in a mapping (the last one would silently win); ``1:`` and
  ``true:`` collide, as do ``1:`` and ``1.0:``;
* keys that are not plain values (``? [a, b]``), merge keys are not special
  (``<<`` is an ordinary key, so a strict schema rejects it);
* explicit tags other than the plain ones (``!!binary``, ``!!set``, ``!foo`` ...);
* nesting deeper than ``max_depth`` (a clear error instead of ``RecursionError``).

Scalars follow the YAML 1.2 core schema, which is also what editors (VS Code's
yaml-language-server) use, rather than PyYAML's YAML 1.1 rules:

* only ``true``/``false`` (also ``True``/``TRUE``...) are booleans: ``yes``,
  ``no``, ``on``, ``off`` and ``NO`` (Norway) stay strings;
* ``010`` is 10, not 8; ``0o10`` is 8, ``0x10`` is 16; ``1:20`` is a string,
  not 80; ``1_000`` is 1000; ``1e3`` is a float;
* only ``null``/``Null``/``NULL``/``~``/empty are null; ``=`` is a string;
* dates stay: ``2023-08-31`` is a ``datetime.date``. A date-shaped scalar that
  is not a real date (``2023-02-30``) is kept as the string, so the schema that
  reads it can name the field.

Encoding: UTF-8 (with or without BOM), UTF-16/UTF-32 with a BOM; bytes that are
not UTF-8 but decode cleanly as GB18030 (GBK files saved by Chinese Windows
Notepad) are accepted and ``LoadedYaml.encoding`` says ``"gb18030"`` so the
caller can tell the user. Anything else is an error naming the byte offset and
line.

Nothing here prints or exits.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from changju_check.report import Msg, PortableError

__all__ = [
    "compose_yaml",
    "dump_yaml",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_DEPTH",
    "LoadedYaml",
    "YamlLoadError",
    "load_yaml",
]

DEFAULT_MAX_BYTES = 1_000_000
DEFAULT_MAX_DEPTH = 64

_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = frozenset(
    _TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)


class YamlLoadError(PortableError):
    """A YAML document that cannot be loaded.

    ``message`` is English, ``message_zh`` Chinese; ``line`` and ``column`` are
    1-based (None when unknown); ``kind`` is a short stable word for tests and
    callers: ``too-large``, ``encoding``, ``syntax``, ``alias``, ``duplicate-key``,
    ``complex-key``, ``tag``, ``too-deep``, ``value`` (a scalar that cannot be
    built, e.g. an integer of thousands of digits).
    ``str(e)`` is ``"source:line:col: message"``.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str,
        line: int | None = None,
        column: int | None = None,
        message_zh: str | None = None,
        kind: str = "syntax",
        path: tuple | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.message_zh = message_zh or message
        self.source = source
        self.line = line
        self.column = column
        self.kind = kind
        self.path = path  # key path of the offending value, where known (duplicate keys, bad values)

    def location(self) -> str:
        parts = [self.source]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        return f"{self.location()}: {self.message}"

    def to_msg(self) -> Msg:
        loc = self.location()
        return Msg(zh=f"{loc}: {self.message_zh}", en=f"{loc}: {self.message}")


class LoadedYaml(tuple):
    """The result of ``load_yaml``: unpacks as ``data, lines = load_yaml(...)``.

    * ``data``: plain dicts/lists/str/int/float/bool/None/date/datetime (None for
      an empty document);
    * ``lines``: key path -> 1-based line. A mapping member's path is its
      parent's path plus the key (``("applicant", "contract", "end")``) and its
      line is the line of the key; a sequence item's path ends with its index
      (``("entries", "patents", 2)``) and its line is where the item starts.
      The root is ``()``.
    * ``encoding`` (attribute, not unpacked): ``"utf-8"``, ``"utf-8-sig"``,
      ``"utf-16"``, ``"utf-32"``, ``"gb18030"`` (not UTF-8: decoded as GBK/GB18030,
      worth telling the user) or ``"str"`` when text was passed in.
    """

    encoding: str

    def __new__(cls, data: Any, lines: dict[tuple, int], encoding: str = "utf-8") -> "LoadedYaml":
        self = super().__new__(cls, (data, lines))
        self.encoding = encoding
        return self

    @property
    def data(self) -> Any:
        return self[0]

    @property
    def lines(self) -> dict[tuple, int]:
        return self[1]

    @property
    def legacy_encoding(self) -> bool:
        """True when the bytes were not UTF-8/UTF-16 but GBK/GB18030."""
        return self.encoding == "gb18030"

    def __repr__(self) -> str:
        return f"LoadedYaml(data={self[0]!r}, lines=<{len(self[1])}>, encoding={self.encoding!r})"


# --- decoding -------------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# What a text file saved by a person never contains: C0/C1 controls (other than tab and line
# breaks) and private-use characters (where GB18030 puts its user-defined byte ranges).
_UNCLEAN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ue000-\uf8ff]")


def _line_col_of_offset(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, column


def _decode(data: bytes, source: str) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                line, column = _line_col_of_offset(data, exc.start)
                raise YamlLoadError(
                    f"not valid {encoding.upper()} text at byte {exc.start} (the file starts with a "
                    f"{encoding.upper()} byte-order mark); save it as UTF-8",
                    message_zh=f"第 {exc.start} 字节处不是有效的 {encoding.upper()} 文本（文件以 "
                    f"{encoding.upper()} 字节序标记开头）；请另存为 UTF-8 编码",
                    source=source,
                    line=line,
                    column=column,
                    kind="encoding",
                ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and not _UNCLEAN.search(text):
        return text, "gb18030"
    offset = utf8_error.start
    line, column = _line_col_of_offset(data, offset)
    bad = data[offset : offset + 4].hex(" ")
    raise YamlLoadError(
        f"not UTF-8 text: undecodable byte(s) {bad} at byte offset {offset}; save the file as UTF-8",
        message_zh=f"不是 UTF-8 文本：第 {offset} 字节处有无法解码的字节 {bad}；请将文件另存为 UTF-8 编码",
        source=source,
        line=line,
        column=column,
        kind="encoding",
    )


# --- the loader -----------------------------------------------------------------------------------


class _Refused(PortableError):
    """Raised inside the loader; turned into YamlLoadError with the source attached."""

    def __init__(self, kind: str, en: str, zh: str, mark: Any, path: tuple | None = None) -> None:
        super().__init__(en)
        self.kind, self.en, self.zh, self.mark, self.path = kind, en, zh, mark, path


_INT_RE = re.compile(r"^(?:[-+]?[0-9][0-9_]*|0o[0-7_]+|0x[0-9a-fA-F_]+)$")
_FLOAT_RE = re.compile(
    r"^(?:[-+]?(?:\.[0-9][0-9_]*|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader with the YAML 1.2 core scalars, no anchors/aliases, no odd tags, a depth cap."""

    yaml_implicit_resolvers: dict = {}  # replaced below; never inherit YAML 1.1's

    def __init__(self, stream: str, max_depth: int) -> None:
        super().__init__(stream)
        self._depth = 0
        self._max_depth = max_depth

    def compose_node(self, parent: Node | None, index: Any) -> Node:  # type: ignore[override]
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(
                "alias",
                f"aliases (*{event.anchor}) are not allowed; write the value out",
                f"不允许使用别名（*{event.anchor}）；请直接写出取值",
                event.start_mark,
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _Refused(
                "alias",
                f"anchors (&{anchor}) are not allowed; write each value out",
                f"不允许使用锚点（&{anchor}）；请直接写出每个取值",
                event.start_mark,
            )
        self._depth += 1
        try:
            if self._depth > self._max_depth:
                raise _Refused(
                    "too-deep",
                    f"nested more than {self._max_depth} levels deep",
                    f"嵌套超过 {self._max_depth} 层",
                    event.start_mark,
                )
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if node.tag not in _ALLOWED_TAGS:
            raise _Refused(
                "tag",
                f"the tag {node.tag} is not allowed here",
                f"不允许使用标签 {node.tag}",
                node.start_mark,
            )
        return node

    # YAML 1.2 core: decimal with leading zeros, 0o octal, 0x hex; no sexagesimal.
    def construct_yaml_int(self, node: ScalarNode) -> int:  # type: ignore[override]
        value = str(self.construct_scalar(node)).replace("_", "")
        sign = -1 if value.startswith("-") else 1
        value = value.lstrip("+-")
        if value.startswith("0o"):
            return sign * int(value[2:], 8)
        if value.startswith("0x"):
            return sign * int(value[2:], 16)
        return sign * int(value, 10)

    def construct_yaml_timestamp(self, node: ScalarNode) -> Any:  # type: ignore[override]
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:  # 2023-02-30: leave it to the schema, which names the field
            return node.value

    # -- building plain data with a line map --------------------------------------------------

    def build(self, node: Node, path: tuple, lines: dict[tuple, int]) -> Any:
        if isinstance(node, MappingNode):
            result: dict[Any, Any] = {}
            first_line: dict[Any, tuple[Any, int]] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    raise _Refused(
                        "complex-key",
                        "a key must be a plain value, not a list or mapping",
                        "键必须是简单取值，不能是列表或映射",
                        key_node.start_mark,
                    )
                key = self.construct_object(key_node)
                key_line = key_node.start_mark.line + 1
                if key in result:
                    other, other_line = first_line[key]
                    same = "" if repr(other) == repr(key) else f" (same as {other!r})"
                    same_zh = "" if repr(other) == repr(key) else f"（与 {other!r} 相同）"
                    raise _Refused(
                        "duplicate-key",
                        f"duplicate key {key_node.value!r}{same}: already given on line {other_line}",
                        f"重复的键 {key_node.value!r}{same_zh}：第 {other_line} 行已经出现过",
                        key_node.start_mark,
                        path + (key,),
                    )
                first_line[key] = (key, key_line)
                child = path + (key,)
                lines[child] = key_line
                result[key] = self.build(value_node, child, lines)
            return result
        if isinstance(node, SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                child = path + (index,)
                lines[child] = item.start_mark.line + 1
                items.append(self.build(item, child, lines))
            return items
        try:
            return self.construct_object(node)
        except (ValueError, OverflowError) as exc:  # e.g. an integer of 5,000 digits
            shown = node.value if len(node.value) <= 20 else node.value[:17] + "..."
            raise _Refused(
                "value",
                f"cannot read the value {shown!r}: {exc}",
                f"无法读取取值 {shown!r}：{exc}",
                node.start_mark,
                path,
            ) from None


_StrictLoader.add_implicit_resolver(
    _TAG + "bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_StrictLoader.add_implicit_resolver(
    _TAG + "null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
_StrictLoader.add_implicit_resolver(_TAG + "int", _INT_RE, list("-+0123456789"))
_StrictLoader.add_implicit_resolver(_TAG + "float", _FLOAT_RE, list("-+0123456789."))
_StrictLoader.add_implicit_resolver(
    _TAG + "timestamp",
    re.compile(
        r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
        |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
        (?:[Tt]|[ \t]+)[0-9][0-9]?
        :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
        (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""",
        re.X,
    ),
    list("0123456789"),
)
_StrictLoader.add_constructor(_TAG + "int", _StrictLoader.construct_yaml_int)
_StrictLoader.add_constructor(_TAG + "timestamp", _StrictLoader.construct_yaml_timestamp)


try:  # libyaml is in PyYAML's wheels for every common platform; the pure loader is the fallback
    from yaml.cyaml import CParser as _CParser
except ImportError:  # pragma: no cover
    _CParser = None


class _CStrictLoader(_CParser or _StrictLoader, _StrictLoader):  # type: ignore[misc]
    """The same loader with libyaml's C scanner and parser under it (about 5x faster).

    Only the tokenising is in C: composing (where aliases, anchors, tags and the depth cap are
    refused) and building stay the Python code above, fed with the C parser's events.
    """

    def __init__(self, stream: str, max_depth: int) -> None:
        yaml.reader.Reader(stream)  # the same check for control characters as the pure loader
        _CParser.__init__(self, stream)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self._depth = 0
        self._max_depth = max_depth

    def get_single_node(self) -> Node | None:  # the Python composer, not libyaml's
        return Composer.get_single_node(self)

    def get_mark(self) -> Any:
        return None



class _StrictDumper(yaml.SafeDumper):
    """SafeDumper that quotes a string wherever the strict loader would read it plain as something
    else (`0o10` is 8 in YAML 1.2, a string in PyYAML's 1.1 resolvers)."""

    yaml_implicit_resolvers = _StrictLoader.yaml_implicit_resolvers


def dump_yaml(data: Any) -> str:
    """Block-style YAML (keys in their order, Chinese as is) that `load_yaml` reads back as `data`."""
    return yaml.dump(data, Dumper=_StrictDumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=200)


def _mark_position(mark: Any) -> tuple[int | None, int | None]:
    if mark is None:
        return None, None
    return mark.line + 1, mark.column + 1


def load_yaml(
    data: bytes | str,
    source: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> LoadedYaml:
    """Load one YAML document safely; see the module docstring for what is refused.

    ``source`` is the name used in messages (a path or ``"<string>"``). Returns a
    ``LoadedYaml`` (unpacks as ``data, lines``; ``.encoding`` tells how the bytes
    were decoded). Raises ``YamlLoadError``, never a raw PyYAML exception,
    ``RecursionError`` or ``UnicodeDecodeError``. A non-mapping top level is the
    caller's business.
    """
    _within(data, max_bytes, source)
    if isinstance(data, str):
        text, encoding = data, "str"
    else:
        text, encoding = _decode(bytes(data), source)
    if text.startswith("\ufeff"):
        text = text[1:]

    if _CParser is not None:
        # the fast path; any problem is read again by the pure loader, whose messages and
        # positions are the ones documented and tested
        try:
            fast: dict[tuple, int] = {}
            c_loader = _CStrictLoader(text, max_depth)
            node = c_loader.get_single_node()
            if node is None:
                return LoadedYaml(None, fast, encoding)
            fast[()] = node.start_mark.line + 1
            return LoadedYaml(c_loader.build(node, (), fast), fast, encoding)
        except Exception:  # noqa: BLE001 - including RecursionError: the pure loader says what is wrong
            pass

    lines: dict[tuple, int] = {}

    def build(loader: _StrictLoader, node: Node) -> Any:
        lines[()] = node.start_mark.line + 1
        return loader.build(node, (), lines)

    return LoadedYaml(_pure(text, source, max_depth, build), lines, encoding)


def _within(data: str | bytes, max_bytes: int, source: str) -> None:
    """Refuse a file over `max_bytes` (text counted in UTF-8 bytes, without encoding a huge one)."""
    if isinstance(data, str):
        size = len(data) if len(data) > max_bytes else len(data.encode("utf-8", "surrogatepass"))
    else:
        size = len(data)
    if size > max_bytes:
        raise YamlLoadError(
            f"the file is {size:,} bytes; the limit is {max_bytes:,} bytes",
            message_zh=f"文件大小为 {size:,} 字节，超过上限 {max_bytes:,} 字节",
            source=source,
            kind="too-large",
        )


def compose_yaml(data: str, source: str, *, max_bytes: int = DEFAULT_MAX_BYTES, max_depth: int = DEFAULT_MAX_DEPTH) -> Node | None:
    """The node tree of one YAML document (text, a leading BOM removed by the caller), refused for
    the same reasons as `load_yaml` (size, anchors and aliases, tags, depth, control characters),
    with every node's start and end marks (`mark.index`: the offset in `data`). Nothing is
    constructed. For editing a file in place: read it with `load_yaml`, edit by these marks."""
    _within(data, max_bytes, source)
    return _pure(data, source, max_depth, lambda loader, node: node)


def _pure(text: str, source: str, max_depth: int, then: Any) -> Any:
    """Compose `text` with the pure-Python strict loader and return `then(loader, node)` (None for
    an empty document); every failure is a YamlLoadError with its line and column."""
    loader: _StrictLoader | None = None
    try:
        loader = _StrictLoader(text, max_depth)  # checks for control characters first
        node = loader.get_single_node()
        if node is None:
            return None
        return then(loader, node)
    except _Refused as exc:
        line, column = _mark_position(exc.mark)
        raise YamlLoadError(
            exc.en, message_zh=exc.zh, source=source, line=line, column=column, kind=exc.kind, path=exc.path
        ) from None
    except yaml.reader.ReaderError as exc:
        pos = exc.position
        line = text.count("\n", 0, pos) + 1
        column = pos - (text.rfind("\n", 0, pos) + 1) + 1
        char = exc.character
        code = f"U+{ord(char) if isinstance(char, str) else char:04X}"
        raise YamlLoadError(
            f"the text contains a control character ({code}) that YAML does not allow",
            message_zh=f"文本中含有 YAML 不允许的控制字符（{code}）",
            source=source,
            line=line,
            column=column,
            kind="encoding",
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = _mark_position(mark)
        problem = exc.problem or "invalid YAML"
        if exc.context and exc.context_mark is not None and exc.context_mark is not mark:
            cl, cc = _mark_position(exc.context_mark)
            problem = f"{problem} ({exc.context} at line {cl}, column {cc})"
        elif exc.context:
            problem = f"{problem} ({exc.context})"
        raise YamlLoadError(
            f"YAML syntax error: {problem}",
            message_zh=f"YAML 语法错误：{problem}",
            source=source,
            line=line,
            column=column,
            kind="syntax",
        ) from None
    except yaml.YAMLError as exc:
        raise YamlLoadError(
            f"YAML error: {exc}", message_zh=f"YAML 错误：{exc}", source=source, kind="syntax"
        ) from None
    except (ValueError, TypeError, OverflowError) as exc:  # a constructor choking on a scalar
        line, column = _mark_position(loader.get_mark() if loader is not None else None)
        raise YamlLoadError(
            f"cannot read a value: {exc}",
            message_zh=f"无法读取取值：{exc}",
            source=source,
            line=line,
            column=column,
            kind="syntax",
        ) from None
    except RecursionError:
        line, column = _mark_position(loader.get_mark() if loader is not None else None)
        raise YamlLoadError(
            "nested too deeply to read",
            message_zh="嵌套层数过多，无法读取",
            source=source,
            line=line,
            column=column,
            kind="too-deep",
        ) from None
    finally:
        if loader is not None:
            loader.dispose()
