"""A batch rendered as its reports come, so that a season's 10,000 packets need no more memory
than ten: each format's `Stream` turns one report at a time into text and keeps only what the end
needs (counts, the summary rows, SARIF's results).

    s = batch_stream("json", "zh")      # changju_check.render
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

from typing import Iterable, Protocol

from changju_check.report import Report


class Stream(Protocol):
    ahead: bool

    def head(self) -> str: ...

    def add(self, report: Report) -> str: ...

    def tail(self) -> str: ...


class Counted:
    """The common start of a stream that counts its packets (`self.tally`) and whose head is the
    fixed text `HEAD`."""

    ahead = True
    HEAD = ""

    def __init__(self, lang: str = "zh"):
        from changju_check.render._common import Tally, check_lang

        check_lang(lang)
        self.lang = lang
        self.tally = Tally()

    def head(self) -> str:
        return self.HEAD


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


__all__ = ["Counted", "Stream", "collect"]
