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
from changju_check.report import Report


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def render(report: Report, lang: str = "zh") -> str:
    check_lang(lang)
    return dumps(report.to_dict(lang))


def batch_dict(reports: Sequence[Report], lang: str = "zh") -> dict[str, Any]:
    check_lang(lang)
    return {"packets": [r.to_dict(lang) for r in reports], "summary": batch_summary(reports)}


def render_batch(reports: Sequence[Report], lang: str = "zh") -> str:
    return dumps(batch_dict(reports, lang))
