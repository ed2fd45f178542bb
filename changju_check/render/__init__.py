"""Renderers: pure functions of a whole Report (or a list of them for a batch) and a language.

    from changju_check.render import render
    text = render(report, "text", "zh", color=True)      # one packet
    sarif = render([r1, r2], "sarif", "en")             # a batch

`FORMATS` maps each format name to its module; every module has
`render(report, lang, **options) -> str` and `render_batch(reports, lang, **options) -> str`.
Options: `color` and `width` (text), `details` (text and markdown batches: each
packet in full before the summary table), `srcroot` (sarif: make absolute packet
paths relative to it), `rules` (html: the RuleSet for section headings, the binding line
and the file-name words; default: the shipped rules). The CLI may pass any of these to any format; a format ignores
the ones it has no use for. Any other keyword is an error.

Nothing here prints, exits or reads the terminal, and importing this package does not
import rich: the text renderers import it when they run.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Iterator, Mapping
from types import ModuleType
from typing import Any, Sequence

from changju_check.render._common import (
    batch_summary,
    batch_summary_line,
    check_lang,
    summary_line,
)
from changju_check.render.explain import (
    codes_markdown_table,
    explain_body,
    explain_text,
)
from changju_check.report import Report

class _Formats(Mapping[str, ModuleType]):
    """Format name → its module, imported when first asked for: a command that renders JSON
    (or only measures a column's width) does not pay for the XML, SARIF and HTML writers."""

    _MODULES = {"text": "text", "json": "jsonfmt", "markdown": "markdown", "sarif": "sarif", "junit": "junit",
                "github": "github", "html": "html", "gitlab": "gitlab", "csv": "csvfmt"}

    def __getitem__(self, fmt: str) -> ModuleType:
        return importlib.import_module(f"{__name__}.{self._MODULES[fmt]}")

    def __iter__(self) -> Iterator[str]:
        return iter(self._MODULES)

    def __len__(self) -> int:
        return len(self._MODULES)


FORMATS: Mapping[str, ModuleType] = _Formats()

DEFAULT_FORMAT = "text"
OPTIONS = frozenset({"color", "width", "details", "srcroot", "rules", "per_finding", "hint", "verbose"})


def get(fmt: str) -> ModuleType:
    """The module of a format; ValueError naming the formats for an unknown one."""
    try:
        return FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}: choose from {', '.join(FORMATS)}") from None


def _call(func: Any, first: Any, lang: str, options: dict[str, Any]) -> str:
    unknown = set(options) - OPTIONS
    if unknown:
        raise TypeError(f"unknown render option(s): {', '.join(sorted(unknown))}")
    accepted = inspect.signature(func).parameters
    return func(first, lang, **{k: v for k, v in options.items() if k in accepted})


def render(
    report_or_reports: Report | Sequence[Report],
    fmt: str = DEFAULT_FORMAT,
    lang: str = "zh",
    **options: Any,
) -> str:
    """Render one report, or a batch (any list or tuple of reports), as a string."""
    check_lang(lang)
    module = get(fmt)
    if isinstance(report_or_reports, Report):
        return _quoted(_call(module.render, report_or_reports, lang, options), fmt)
    return _quoted(_call(module.render_batch, list(report_or_reports), lang, options), fmt)


_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_QUOTE = {"json": "\\u{:04x}", "sarif": "\\u{:04x}", "gitlab": "\\u{:04x}", "junit": "&#x{:04x};"}


def _quoted(body: str, fmt: str) -> str:
    """Bidi controls from a packet's names, written as the format's own escape (\\u202e in JSON,
    &#x202e; in XML): the same data once parsed, but a log or an editor showing the raw file
    cannot be made to display a name backwards. (JSON already escapes control characters; the
    text formats show them visibly, see _common.visible.)"""
    form = _QUOTE.get(fmt)
    return _BIDI.sub(lambda m: form.format(ord(m.group(0))), body) if form else body


def render_batch(reports: Sequence[Report], fmt: str = DEFAULT_FORMAT, lang: str = "zh", **options: Any) -> str:
    """Render several reports: text and markdown end with a summary table (see batch.py)."""
    return render(list(reports), fmt, lang, **options)


def batch_stream(fmt: str, lang: str = "zh", **options: Any) -> Any:
    """A batch rendered as its reports come (see stream.py): the format's `Stream` with the
    options it accepts; every format but html (a file per packet: html.BatchFiles)."""
    check_lang(lang)
    unknown = set(options) - OPTIONS
    if unknown:
        raise TypeError(f"unknown render option(s): {', '.join(sorted(unknown))}")
    cls = getattr(get(fmt), "Stream", None)
    if cls is None:
        raise ValueError(f"the {fmt} format is not rendered as a stream")
    accepted = inspect.signature(cls).parameters
    stream = cls(lang, **{k: v for k, v in options.items() if k in accepted})
    return _QuotedStream(stream, fmt) if fmt in _QUOTE else stream


class _QuotedStream:
    """A format's stream whose every part has its bidi controls quoted as `render` quotes a whole
    report (`_quoted` works a character at a time: the parts quoted are the whole quoted)."""

    def __init__(self, stream: Any, fmt: str) -> None:
        self.stream, self.fmt = stream, fmt
        self.ahead = stream.ahead

    def head(self) -> str:
        return _quoted(self.stream.head(), self.fmt)

    def add(self, report: Report) -> str:
        return _quoted(self.stream.add(report), self.fmt)

    def tail(self) -> str:
        return _quoted(self.stream.tail(), self.fmt)


def render_summary(rows: Sequence[Any], fmt: str, lang: str = "zh", **options: Any) -> str:
    """The summary as text, markdown, csv (one row per packet) or json (the rows and counts)."""
    from changju_check.render import csvfmt, markdown, summary, text

    if fmt == "text":
        return text.summary_text(rows, lang, color=bool(options.get("color")), width=options.get("width"))  # type: ignore[arg-type]
    if fmt == "markdown":
        return markdown.summary_markdown(rows, lang)
    if fmt == "csv":
        return csvfmt.packet_table(rows, lang)
    if fmt == "json":
        import json

        doc = {"rows": [r.to_dict() for r in rows], "summary": summary.counts(rows)}
        return _quoted(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", "json")
    raise ValueError(f"unknown summary format {fmt!r}: choose from {', '.join(summary.SUMMARY_FORMATS)}")


def render_text(report: Report, lang: str = "zh", color: bool = False, width: int | None = None) -> str:
    """The default output for people (see text.py)."""
    from changju_check.render import text

    return text.render(report, lang, color=color, width=width)


__all__ = [
    "DEFAULT_FORMAT",
    "batch_summary",
    "batch_summary_line",
    "batch_stream",
    "FORMATS",
    "codes_markdown_table",
    "explain_body",
    "explain_text",
    "get",
    "render",
    "render_batch",
    "render_summary",
    "render_text",
    "summary_line",
]
