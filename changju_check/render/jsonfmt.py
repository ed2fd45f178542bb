"""JSON: exactly `Report.to_dict(lang)`, the documented contract, with a stable layout.

`ensure_ascii=False, indent=2`, keys in the report's own order, a trailing newline:
the same report gives the same bytes on every run.

Batch: `{"packets": [<report>, ...], "summary": {"packets", "passed", "failed",
"unusable", "errors", "warnings"}}`, the packets in the order given.
"""

from __future__ import annotations

import json
from typing import Any, Sequence

from changju_check.render._common import batch_summary, check_lang
from changju_check.render.stream import Counted
from changju_check.report import Report


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def render(report: Report, lang: str = "zh") -> str:
    check_lang(lang)
    return dumps(report.to_dict(lang))


def batch_dict(reports: Sequence[Report], lang: str = "zh") -> dict[str, Any]:
    check_lang(lang)
    return {"packets": [r.to_dict(lang) for r in reports], "summary": batch_summary(reports)}


def indented(data: Any, by: str) -> str:
    """`dumps(data)` as it reads nested `by` deep in an indented document (no newline at the end;
    JSON strings hold no raw line break, so every line can be shifted)."""
    return by + json.dumps(data, ensure_ascii=False, indent=2).replace("\n", "\n" + by)


class Stream(Counted):
    """A batch as its reports come (see render.stream): the same bytes as `render_batch`."""

    HEAD = '{\n  "packets": ['

    def add(self, report: Report, doc: dict[str, Any] | None = None) -> str:
        first = not self.tally.counts["packets"]
        self.tally.add(report)
        return ("\n" if first else ",\n") + indented(doc if doc is not None else report.to_dict(self.lang), "    ")

    def tail(self) -> str:
        close = "\n  ]" if self.tally.counts["packets"] else "]"
        return close + ',\n  "summary": ' + indented(self.tally.counts, "  ").lstrip() + "\n}\n"


def render_batch(reports: Sequence[Report], lang: str = "zh") -> str:
    from changju_check.render.stream import collect

    return collect(Stream(lang), reports)
