"""保存 without losing what changju.yaml says: the file edited in place, by the marks of its nodes.

`edit(text, old, new, sources)` changes `text` (whose data, read by the manifest's own loader, is
`old`) so that it reads as `new`: a value that changed is replaced where it stands, a new one added
at the end of its mapping (with the mapping's indentation), one no longer given removed with its
line. Everything else — comments, blank lines, key order, the keys the form does not manage, the
file's line endings — stays as it was, byte for byte. A value confirmed from a page gets the
comment `changju init` writes (`# 读自 文件 第N页`); a comment init wrote beside a value (读自 …,
待填：…) goes when the value is changed, any other comment stays.

The file is composed by the manifest's strict loader (`safeyaml.compose_yaml`: size, depth,
anchors, aliases and tags refused as for a check; nothing is constructed) and the result is read
again with `load_yaml`: it must give exactly `new`. Where it cannot be edited so (flow style
where lines would be added or removed, a value spanning lines, a key sharing its line, anything
the re-read does not confirm), `CannotEdit` says why in Chinese and the caller writes the whole
file instead. Nothing here reads or writes a file.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode

SOURCE = "changju.yaml"
INIT_NOTES = ("待填", "to fill", "读自", "read from")  # comments changju init writes beside a value
_STR = "tag:yaml.org,2002:str"
_COMMENT = re.compile(r"[ \t]*#[ \t]?(.*)")


class CannotEdit(Exception):
    """The file cannot be edited in place safely; `reason` (Chinese) says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def same(a: Any, b: Any) -> bool:
    """Equal data, types included (True is not 1, a date is not its text)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def edit(text: str, old: dict, new: dict, sources: dict[tuple, str] | None = None) -> str:
    """`text` edited to read as `new`; `sources`: key path -> "文件 第N页" of each value confirmed
    from a page. Raises CannotEdit."""
    from changju_check.manifest.safeyaml import YamlLoadError, compose_yaml, load_yaml

    try:
        root = compose_yaml(text, SOURCE)
    except YamlLoadError as exc:
        raise CannotEdit(f"文件无法逐项修改：{exc.message_zh}") from None
    editor = _Editor(text, sources or {})
    if root is None:  # nothing but comments (or nothing at all): the answers after them
        out = text + ("" if not text or text.endswith("\n") else editor.nl) + "".join(
            line + editor.nl for line in editor._block(new, 0, ()))
    elif isinstance(root, MappingNode) and not root.flow_style:
        editor.mapping(root, old, new, ())
        out = editor.result()
    else:
        raise CannotEdit("文件不是逐行书写的键值")
    try:
        got = load_yaml(out, SOURCE).data
    except YamlLoadError as exc:
        raise CannotEdit(f"修改后无法读回：{exc.message_zh}") from None
    if not same(got, new):
        raise CannotEdit("修改后读回的内容与表单不一致")
    return out


def scalar(value: Any, flow: bool = False) -> str:
    """A value as YAML text that the manifest's loader reads back as the same value: plain where
    that holds, else double-quoted."""
    from changju_check.manifest.safeyaml import YamlLoadError, load_yaml

    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, date)):
        text = value.isoformat() if isinstance(value, date) else repr(value)
    elif isinstance(value, str):
        text = value
    else:
        raise CannotEdit("无法逐项写出列表")
    if text and text == text.strip() and "\n" not in text and "\r" not in text:
        probe = f"k: {{v: {text}}}\n" if flow else f"k: {text}\n"
        try:
            got = load_yaml(probe, SOURCE).data
        except YamlLoadError:
            got = None
        if isinstance(got, dict) and same(got.get("k"), {"v": value} if flow else value):
            return text
    if not isinstance(value, str):
        raise CannotEdit(f"无法写出取值 {text!r}")
    return json.dumps(value, ensure_ascii=False)  # JSON's escapes are YAML's double-quoted ones


def _end(node: Node) -> int:
    """Where a value's text ends (a block collection: where its last value ends)."""
    if isinstance(node, ScalarNode):
        if node.style in ("|", ">"):
            raise CannotEdit("有跨行书写的取值")
        return node.end_mark.index
    if not node.flow_style and node.value:
        last = node.value[-1]
        return _end(last[1] if isinstance(node, MappingNode) else last)
    return node.end_mark.index


class _Editor:
    def __init__(self, text: str, sources: dict[tuple, str]) -> None:
        self.text = text
        self.sources = sources
        self.nl = "\r\n" if "\r\n" in text else "\n"
        self.edits: list[tuple[int, int, int, int, str]] = []  # start, -depth, order, end, replacement

    def _put(self, start: int, end: int, replacement: str, depth: int) -> None:
        self.edits.append((start, -depth, len(self.edits), end, replacement))

    def result(self) -> str:
        out, pos = [], 0
        for start, _, _, end, replacement in sorted(self.edits):
            if start < pos:
                raise CannotEdit("修改的位置重叠")
            out.append(self.text[pos:start])
            out.append(replacement)
            pos = end
        out.append(self.text[pos:])
        return "".join(out)

    # ------------------------------------------------------------------ lines

    def _line_end(self, index: int) -> int:
        """Where the line holding `index` ends, before its line break."""
        at = self.text.find("\n", index)
        if at < 0:
            return len(self.text)
        return at - 1 if at > 0 and self.text[at - 1] == "\r" else at

    def _next_line(self, index: int) -> int:
        at = self.text.find("\n", index)
        return len(self.text) if at < 0 else at + 1

    def _line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def _said(self, path: tuple) -> str | None:
        source = self.sources.get(path)
        if source is None:
            return None
        return "读自 " + re.sub(r"[\x00-\x1f\x7f]", " ", source)

    def _tail(self, rest: str, path: tuple) -> str:
        """What follows a changed value on its line: her comment kept (the source added to it), a
        comment init wrote replaced by the new source or dropped."""
        said = self._said(path)
        found = _COMMENT.fullmatch(rest)
        if found is None:
            if rest.strip():
                raise CannotEdit("取值后面还有别的内容")
            return f"  # {said}" if said else rest
        if found.group(1).strip().lower().startswith(INIT_NOTES):
            return f"  # {said}" if said else ""
        return rest + (f"；{said}" if said else "")

    # ------------------------------------------------------------------ the walk

    def mapping(self, node: MappingNode, old: dict, new: dict, path: tuple) -> None:
        entries: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag == _STR:
                entries[key_node.value] = (key_node, value_node)
        flow = bool(node.flow_style)
        for key in old:
            if key not in new:
                self.remove(node, _entry(entries, key), path + (key,))
        for key, value in new.items():
            child = path + (key,)
            if key not in old:
                self.add(node, key, value, child)
                continue
            if same(old[key], value):
                continue
            key_node, value_node = _entry(entries, key)
            if isinstance(value, dict) and isinstance(old[key], dict) and isinstance(value_node, MappingNode):
                self.mapping(value_node, old[key], value, child)
                if value_node.flow_style and not flow:
                    self._flow_sources(value_node, child)
            elif isinstance(value_node, ScalarNode) and not isinstance(value, (dict, list)):
                self.replace(value_node, value, child, flow)
            elif isinstance(value, dict) and old[key] is None and isinstance(value_node, ScalarNode) and not flow:
                self.fill(key_node, value_node, value, child)
            else:
                raise CannotEdit(f"“{'.'.join(map(str, child))}”的写法无法逐项修改")

    def replace(self, node: ScalarNode, value: Any, path: tuple, flow: bool) -> None:
        if node.start_mark.line != node.end_mark.line or node.style in ("|", ">"):
            raise CannotEdit(f"“{'.'.join(map(str, path))}”的取值跨了几行")
        start, end = node.start_mark.index, node.end_mark.index
        text = scalar(value, flow)
        if flow:
            self._put(start, end, text, len(path))
            return
        gap = " " if start == end and self.text[start - 1 : start] == ":" else ""  # `name:` with nothing after it
        line_end = self._line_end(end)
        self._put(start, line_end, gap + text + self._tail(self.text[end:line_end], path), len(path))

    def fill(self, key_node: Node, value_node: ScalarNode, value: dict, path: tuple) -> None:
        """`unit:` written with nothing under it, now given a mapping."""
        if value_node.start_mark.index != value_node.end_mark.index:
            raise CannotEdit(f"“{'.'.join(map(str, path))}”的写法无法逐项修改")
        at = self._line_end(value_node.end_mark.index)
        lines = self._block(value, key_node.start_mark.column + 2, path)
        self._put(at, at, self.nl + self.nl.join(lines), len(path))

    def add(self, node: MappingNode, key: str, value: Any, path: tuple) -> None:
        if node.flow_style:
            if node.start_mark.line != node.end_mark.line:
                raise CannotEdit("有跨行书写的 {…}")
            entry = f"{scalar(key, True)}: {_flow(value)}"
            if node.value:
                self._put(_end(node.value[-1][1]), _end(node.value[-1][1]), ", " + entry, len(path))
            else:
                close = node.end_mark.index - 1
                if self.text[close : close + 1] != "}":
                    raise CannotEdit("无法在 {…} 中添加")
                self._put(close, close, entry, len(path))
            return
        column = node.value[0][0].start_mark.column
        if path == ("category",):  # first, as the template has it
            at = self._line_start(node.value[0][0].start_mark.index)
            self._put(at, at, self.nl.join(self._block({key: value}, column, ())) + self.nl, len(path))
            return
        lines = self.nl.join(self._block({key: value}, column, path[:-1])) + self.nl
        question = self._question(node, key, column)
        if question is not None:  # init's commented example with its 待填 question: the answer takes its place
            self._put(question[0], question[1], lines, len(path))
            return
        at = self._next_line(_end(node))
        if at == len(self.text) and self.text and not self.text.endswith("\n"):
            lines = self.nl + lines
        self._put(at, at, lines, len(path))

    def _question(self, node: MappingNode, key: str, column: int) -> tuple[int, int] | None:
        """The line `  # contract: {…}  # 待填：…` that init writes for a fact no page said, in
        this mapping or among the comment lines right after it."""
        start = self._line_start(node.value[0][0].start_mark.index)
        end = self._next_line(_end(node))
        comment = re.compile(" " * column + "#")
        while end < len(self.text) and comment.match(self.text, end):
            end = self._next_line(end)
        pattern = re.compile("^" + " " * column + r"# ?" + re.escape(key) + r":[^\n]*#[ \t]*(?:待填|to fill)", re.M)
        found = pattern.search(self.text, start, end)
        return (found.start(), self._next_line(found.start())) if found else None

    def remove(self, node: MappingNode, entry: tuple[Node, Node], path: tuple) -> None:
        key_node, value_node = entry
        if node.flow_style:
            entries = node.value
            index = next(i for i, (k, _) in enumerate(entries) if k is key_node)
            if index > 0:
                start, end = _end(entries[index - 1][1]), _end(value_node)
            elif len(entries) > 1:
                start, end = key_node.start_mark.index, entries[1][0].start_mark.index
            else:
                start, end = key_node.start_mark.index, _end(value_node)
            self._put(start, end, "", len(path))
            return
        start = self._line_start(key_node.start_mark.index)
        if self.text[start : key_node.start_mark.index].strip():
            raise CannotEdit(f"“{'.'.join(map(str, path))}”与别的内容在同一行")
        self._put(start, self._next_line(_end(value_node)), "", len(path))

    def _block(self, data: dict, column: int, path: tuple) -> list[str]:
        lines = []
        pad = " " * column
        for key, value in data.items():
            here = path + (key,)
            if isinstance(value, dict):
                if not value:
                    raise CannotEdit("空的映射")
                lines.append(f"{pad}{scalar(key)}:")
                lines.extend(self._block(value, column + 2, here))
            else:
                said = self._said(here)
                lines.append(f"{pad}{scalar(key)}: {scalar(value)}" + (f"  # {said}" if said else ""))
        return lines

    def _flow_sources(self, node: MappingNode, path: tuple) -> None:
        """The sources of values confirmed inside a one-line {…}: one comment after it."""
        said = [self._said(p) for p in sorted(self.sources) if p[: len(path)] == path and len(p) > len(path)]
        said = [s for s in said if s]
        if not said or node.start_mark.line != node.end_mark.line:
            return
        end = node.end_mark.index
        line_end = self._line_end(end)
        rest = self.text[end:line_end]
        found = _COMMENT.fullmatch(rest)
        note = "；".join(dict.fromkeys(said))
        if found is None and not rest.strip():
            self._put(end, line_end, f"  # {note}", len(path) + 1)
        elif found is not None and found.group(1).strip().lower().startswith(INIT_NOTES):
            self._put(end, line_end, f"  # {note}", len(path) + 1)
        elif found is not None:
            self._put(line_end, line_end, f"；{note}", len(path) + 1)


def _entry(entries: dict[str, tuple[Node, Node]], key: Any) -> tuple[Node, Node]:
    if not isinstance(key, str) or key not in entries:
        raise CannotEdit(f"键“{key}”的写法无法逐项修改")
    return entries[key]


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar(k, True)}: {_flow(v)}" for k, v in value.items()) + "}"
    return scalar(value, True)


__all__ = ["CannotEdit", "edit", "same", "scalar"]
