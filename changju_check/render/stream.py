"""A batch rendered as its reports come, so that a season's 10,000 packets need no more memory
than ten: each format's `Stream` turns one report at a time into text and keeps only what the end
needs (counts, the summary rows, SARIF's results).

    s = stream("json", "zh")
    out.write(s.head())                  # when s.ahead: known before the first packet
    for report in reports:
        out.write(s.add(report))         # this packet's part, in the order of the batch
    out.write(s.tail())

A format whose beginning depends on the whole batch (Markdown's summary table, JUnit's totals,
SARIF's rule list) has `ahead` False: its `head()` is asked for after the last `add`, and the
caller keeps the added parts (a spooled file) until then. `collect` gives the whole text, and is
what every `render_batch` is: streamed and collected output are the same bytes by construction.
"""

from __future__ import annotations

from typing import Any, Iterable, Protocol

from changju_check.report import Report


class Stream(Protocol):
    ahead: bool

    def head(self) -> str: ...

    def add(self, report: Report) -> str: ...

    def tail(self) -> str: ...


def collect(s: Stream, reports: Iterable[Report]) -> str:
    """The whole text of a stream over `reports`."""
    if s.ahead:
        parts = [s.head()]
        parts.extend(s.add(r) for r in reports)
    else:
        body = [s.add(r) for r in reports]
        parts = [s.head(), *body]
    parts.append(s.tail())
    return "".join(parts)


def stream(fmt: str, lang: str = "zh", **options: Any) -> Stream:
    """The `Stream` of a format (every format but html, which writes a file per packet), with the
    render options it accepts (see changju_check.render)."""
    import inspect

    from changju_check.render import OPTIONS, get
    from changju_check.render._common import check_lang

    check_lang(lang)
    unknown = set(options) - OPTIONS
    if unknown:
        raise TypeError(f"unknown render option(s): {', '.join(sorted(unknown))}")
    cls = getattr(get(fmt), "Stream", None)
    if cls is None:
        raise ValueError(f"the {fmt} format is not rendered as a stream")
    accepted = inspect.signature(cls).parameters
    return cls(lang, **{k: v for k, v in options.items() if k in accepted})


__all__ = ["Stream", "collect", "stream"]
