"""The typing slips people really make in changju.yaml, found on the line where they are.

A YAML parser reports where it gave up, in its own words, often a line later
(``mapping values are not allowed here``). People typing on a Chinese input method
make a handful of slips; this module finds them in the raw text and says, in plain
words, which character to change:

* a full-width colon ``：`` after a key (``name：刘雨桐``), a key with no space after its
  colon (``name:刘雨桐``), a full-width space ``　`` in the indentation or after the colon;
* a tab in the indentation;
* full-width brackets ``（）｛｝［］`` where a ``{…}`` or ``[…]`` was meant, a full-width comma
  ``，`` between the items of ``{…}`` or ``[…]``;
* a quote opened and not closed on its line;
* curly quotes ``“刘雨桐”`` around a value (they stay part of the name).

``find_slips(text)`` returns `Slip`s. ``error`` slips break the YAML or the structure; they
are shown in place of the parser's message when the manifest cannot be read. ``warning``
slips leave readable YAML whose value is probably not what was meant (curly quotes, a
full-width comma in a list). Pure: nothing here reads files, prints or exits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from changju_check.report import Msg

__all__ = ["Slip", "find_slips"]


@dataclass(frozen=True)
class Slip:
    line: int  # 1-based
    column: int  # 1-based
    severity: Literal["error", "warning"]
    message: Msg
    key: str | None = None  # the key on that line, where there is one


_KEY = r"[A-Za-z_][A-Za-z0-9_\-]*"
_BLOCK_SCALAR = re.compile(r":\s+[|>][0-9+\-]*\s*(#.*)?$")
_FW_OPEN = {"（": "(", "｛": "{", "［": "[", "【": "["}
_CURLY_OPEN = "“”‘’「『"
_CURLY_CLOSE = "”“’‘」』"


def _strip_comment(line: str) -> str:
    """The line without a trailing ``# comment`` (a ``#`` inside quotes is kept)."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            if i == 0 or line[i - 1] in " \t:-[{,":
                quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i]
    return line


def _msg(zh: str, en: str) -> Msg:
    return Msg(zh=zh, en=en)


def find_slips(text: str) -> list[Slip]:
    """Every slip in the manifest's text, in line order."""
    slips: list[Slip] = []
    block_indent: int | None = None  # inside a `key: |` block scalar deeper than this
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.lstrip(" ")
        indent = len(raw) - len(stripped)
        if block_indent is not None:
            if not stripped.strip() or indent > block_indent:
                continue
            block_indent = None
        if not raw.strip() or raw.lstrip(" \t\u3000").startswith("#"):
            continue
        slips.extend(_line_slips(number, raw))
        if _BLOCK_SCALAR.search(_strip_comment(raw).rstrip()):
            block_indent = indent
    return slips


def _line_slips(number: int, raw: str) -> list[Slip]:
    out: list[Slip] = []
    lead = re.match(r"^[ \t\u3000]*", raw).group(0)
    if "\t" in lead:
        col = lead.index("\t") + 1
        out.append(
            Slip(
                number,
                col,
                "error",
                _msg(
                    f"第 {number} 行用 Tab 键缩进；YAML 只能用空格缩进，请把 Tab 换成空格（同一层的键对齐）",
                    f"line {number} is indented with a tab; YAML indents with spaces only - replace the tab with spaces",
                ),
            )
        )
    if "\u3000" in lead:
        col = lead.index("\u3000") + 1
        out.append(
            Slip(
                number,
                col,
                "error",
                _msg(
                    f"第 {number} 行行首有全角空格“　”；缩进请用半角空格",
                    f"line {number} starts with a full-width space (U+3000); indent with ordinary spaces",
                ),
            )
        )
    body = _strip_comment(raw[len(lead) :]).rstrip()
    offset = len(lead)
    if body.startswith("- ") or body == "-":
        offset += 2
        body = body[2:].lstrip(" ")
    if not body:
        return out

    key: str | None = None
    value: str | None = None
    value_col = 0
    match = re.match(rf"^({_KEY}):(?=\s|$)", body)
    if match:  # a proper `key: value`
        key = match.group(1)
        value = body[match.end() :]
        value_col = offset + match.end() + 1
        if value.startswith("\u3000"):
            out.append(
                Slip(
                    number,
                    value_col,
                    "error",
                    _msg(
                        f"第 {number} 行 {key}: 后面是全角空格“　”；冒号后请用半角空格（如 {key}: {value.strip()}）",
                        f"line {number}: the space after '{key}:' is a full-width space (U+3000); use an ordinary space",
                    ),
                    key,
                )
            )
        value_col += len(value) - len(value.lstrip(" \t\u3000"))
        value = value.strip(" \t\u3000")
    else:
        fw = re.match(rf"^({_KEY})\s*：\s*(.*)$", body)
        tight = re.match(rf"^({_KEY}):(\S.*)$", body)
        if fw:
            key, rest = fw.group(1), fw.group(2)
            col = offset + body.index("：") + 1
            out.append(
                Slip(
                    number,
                    col,
                    "error",
                    _msg(
                        f"第 {number} 行 {key} 后面用了全角冒号“：”；请改成半角冒号加一个空格“: ”（{key}: {rest}）",
                        f"line {number}: '{key}' is followed by a full-width colon '：'; write an ASCII colon and a space ('{key}: {rest}')",
                    ),
                    key,
                )
            )
            value, value_col = rest, col + 1
        elif tight and not tight.group(2).startswith("//"):
            key, rest = tight.group(1), tight.group(2)
            col = offset + len(key) + 1
            out.append(
                Slip(
                    number,
                    col,
                    "error",
                    _msg(
                        f"第 {number} 行 {key}: 的冒号后面缺少空格；请写成“{key}: {rest.lstrip(chr(0x3000))}”（冒号后加一个半角空格）",
                        f"line {number}: no space after '{key}:'; write '{key}: {rest}' (a space after the colon)",
                    ),
                    key,
                )
            )
            value = None  # the whole line is one broken token; nothing more to say about it
        else:
            value, value_col = body, offset + 1  # a list item's value
    if value:
        out.extend(_value_slips(number, value_col, value, key))
    return out


_FW_FLOW = str.maketrans({"（": "{", "）": "}", "｛": "{", "｝": "}", "［": "[", "］": "]", "【": "[", "】": "]", "：": ": "})


def _ascii_flow(value: str) -> str:
    """What a flow mapping or list typed with full-width punctuation should read."""
    text = value.translate(_FW_FLOW)
    text = re.sub(r"\s*，\s*", ", ", text)
    return re.sub(r":\s+", ": ", text)


def _value_slips(number: int, col: int, value: str, key: str | None) -> list[Slip]:
    out: list[Slip] = []
    what = f" {key} 的值" if key else "这一项"
    what_en = f"the value of '{key}'" if key else "this item"
    first = value[0]
    if first in _FW_OPEN:
        ascii_ = _FW_OPEN[first]
        pair = "{}" if ascii_ in "({" else "[]"
        kind_zh = "映射" if pair == "{}" else "列表"
        out.append(
            Slip(
                number,
                col,
                "error",
                _msg(
                    f"第 {number} 行{what}以全角括号“{first}”开头；{kind_zh}要用半角括号 {pair} 和半角逗号，"
                    f"写成 {_ascii_flow(value)}",
                    f"line {number}: {what_en} starts with a full-width bracket '{first}'; write a {'mapping' if pair == '{}' else 'list'} with ASCII {pair} and commas",
                ),
                key,
            )
        )
        return out
    if first in "{[" and "，" in value:
        in_map = first == "{"
        out.append(
            Slip(
                number,
                col + value.index("，"),
                "error" if in_map else "warning",
                _msg(
                    f"第 {number} 行{what}中用了全角逗号“，”分隔；"
                    + (f"{{…}} 中的各项要用半角逗号加空格“, ”分隔：{_ascii_flow(value)}" if in_map else "如果这是两项，请用半角逗号“,”分隔，否则它们会被当作一项"),
                    f"line {number}: {what_en} is separated by a full-width comma '，'; "
                    + ("items of {…} are separated by ASCII ', '" if in_map else "if these are two items, separate them with an ASCII comma, else they count as one"),
                ),
                key,
            )
        )
    if first in "\"'":
        rest = value[1:]
        closed = re.search(r'(?<!\\)"' if first == '"' else "'", rest)
        if closed is None:
            out.append(
                Slip(
                    number,
                    col,
                    "error",
                    _msg(
                        f"第 {number} 行{what}的引号 {first} 没有配对（缺少结尾的 {first}）；请补上或去掉引号",
                        f"line {number}: the quote {first} of {what_en} is not closed on this line; close it or remove it",
                    ),
                    key,
                )
            )
    elif first in _CURLY_OPEN:
        close = value[-1] if value[-1] in _CURLY_CLOSE else None
        inner = value[1:-1] if close else value[1:]
        out.append(
            Slip(
                number,
                col,
                "warning",
                _msg(
                    f"第 {number} 行{what}带着中文引号 {first}…{close or ''}，引号会被当作内容的一部分；"
                    f"请去掉引号（写成 {inner}），需要引号时用英文引号 \"{inner}\"",
                    f"line {number}: {what_en} is wrapped in curly quotes '{first}{close or ''}', which become part of the value; "
                    f"remove them (write {inner}) or use ASCII quotes",
                ),
                key,
            )
        )
    return out
