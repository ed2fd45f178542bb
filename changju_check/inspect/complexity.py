"""How much work a PDF page asks of a renderer, measured before it is rendered.

A page is a program: its content streams are interpreted, and every `Do` draws an XObject — an
image, or a form that is itself a program. A 34 KB file can list one stream in `/Contents`
thousands of times, or draw one form thousands of times, and keep PDFium busy for minutes (in
native code, where no Python signal reaches). So before a page is rendered its load is counted
with pypdf, each stream decoded once and counted as often as it is used:

- content bytes interpreted (the page's streams and every drawn form's, times their uses);
- XObjects drawn (`Do` operators, through nested forms);
- image pixels drawn (each image's width x height, times its uses).

A scanned page draws one image with a few dozen bytes of content; a page typeset by Word holds
tens of KB of content and a few images; a dense CAD drawing a few MB. The limits sit far above
that and far below what takes seconds to render (PDFium interprets roughly 8 MB of path
operators a second on one core) or to extract text from (pypdf walks every drawn form).
Used before `--read-scans` renders or reads a page's text layer, and before `check` reads one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from changju_check.report import PortableError

MAX_CONTENT_BYTES = 16 * 1024 * 1024
MAX_DRAWS = 10_000
MAX_DRAWN_PIXELS = 200_000_000
MAX_FORM_DEPTH = 12

_DO = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do(?![^\s/\[\]()<>{}%])")


@dataclass
class Load:
    content_bytes: int = 0
    draws: int = 0
    pixels: int = 0

    def add(self, other: "Load", times: int = 1) -> None:
        self.content_bytes += other.content_bytes * times
        self.draws += other.draws * times
        self.pixels += other.pixels * times

    def over(self) -> tuple[str, str] | None:
        """(zh, en) naming the first limit passed, or None."""
        if self.content_bytes > MAX_CONTENT_BYTES:
            mb = self.content_bytes / (1024 * 1024)
            return (f"页面内容需解释约 {mb:,.0f} MB（上限 {MAX_CONTENT_BYTES >> 20} MB）",
                    f"the page's content amounts to about {mb:,.0f} MB to interpret (limit {MAX_CONTENT_BYTES >> 20} MB)")
        if self.draws > MAX_DRAWS:
            return (f"页面绘制对象 {self.draws:,} 次（上限 {MAX_DRAWS:,} 次）",
                    f"the page draws objects {self.draws:,} times (limit {MAX_DRAWS:,})")
        if self.pixels > MAX_DRAWN_PIXELS:
            mp = self.pixels / 1e6
            return (f"页面绘制图像共 {mp:,.0f} 百万像素（上限 {MAX_DRAWN_PIXELS // 1_000_000:,}）",
                    f"the page draws {mp:,.0f} megapixels of images (limit {MAX_DRAWN_PIXELS // 1_000_000:,})")
        return None


class TooComplex(PortableError):
    """A page over the limits above (or whose forms nest or loop without end)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def _key(obj: Any) -> Any:
    ref = getattr(obj, "indirect_reference", None)
    return (ref.idnum, ref.generation) if ref is not None else id(obj)


def _resources(node: Any) -> Any:
    seen = 0
    while node is not None and seen < 64:
        res = node.get("/Resources")
        if res is not None:
            return res.get_object()
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
        seen += 1
    return None


class _Counter:
    def __init__(self) -> None:
        self.streams: dict[Any, bytes] = {}
        self.forms: dict[Any, Load] = {}
        self.active: set[Any] = set()

    def data(self, stream: Any) -> bytes:
        key = _key(stream)
        if key not in self.streams:
            self.streams[key] = stream.get_data()
        return self.streams[key]

    def program(self, datas: list[bytes], resources: Any, depth: int) -> Load:
        load = Load()
        counts: dict[bytes, int] = {}
        for data in datas:
            load.content_bytes += len(data)
            for m in _DO.finditer(data):
                counts[m.group(1)] = counts.get(m.group(1), 0) + 1
        if not counts:
            return load
        xobjects = resources.get("/XObject") if resources is not None else None
        xobjects = xobjects.get_object() if xobjects is not None else {}
        for name, times in counts.items():
            load.draws += times
            ref = xobjects.get("/" + name.decode("latin-1"))
            if ref is None:
                continue
            xo = ref.get_object()
            subtype = xo.get("/Subtype")
            if subtype == "/Image":
                try:
                    load.pixels += int(xo.get("/Width", 0)) * int(xo.get("/Height", 0)) * times
                except (TypeError, ValueError):
                    pass
            elif subtype == "/Form":
                load.add(self.form(xo, depth + 1), times)
            if load.over():
                return load
        return load

    def form(self, xo: Any, depth: int) -> Load:
        key = _key(xo)
        if key in self.forms:
            return self.forms[key]
        if key in self.active or depth > MAX_FORM_DEPTH:
            raise TooComplex("页面中的表单对象循环引用或嵌套过深", "the page's forms refer to themselves or nest too deeply")
        self.active.add(key)
        try:
            res = xo.get("/Resources")
            load = self.program([self.data(xo)], res.get_object() if res is not None else None, depth)
        finally:
            self.active.discard(key)
        self.forms[key] = load
        return load


def page_load(page: Any) -> Load:
    """The load of one pypdf page (raises TooComplex for looping forms; pypdf's own errors pass)."""
    counter = _Counter()
    contents = page.get("/Contents")
    datas: list[bytes] = []
    if contents is not None:
        obj = contents.get_object()
        items = list(obj) if isinstance(obj, list) else [contents]
        for item in items:
            stream = item.get_object()
            if hasattr(stream, "get_data"):
                datas.append(counter.data(stream))
            total = sum(len(d) for d in datas)
            if total > MAX_CONTENT_BYTES:
                break
    return counter.program(datas, _resources(page), 0)


def check_page(page: Any) -> None:
    """Raise TooComplex when the page is over a limit."""
    over = page_load(page).over()
    if over is not None:
        raise TooComplex(*over)


__all__ = ["Load", "MAX_CONTENT_BYTES", "MAX_DRAWN_PIXELS", "MAX_DRAWS", "TooComplex", "check_page", "page_load"]
