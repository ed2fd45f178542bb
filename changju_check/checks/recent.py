"""CJ210: 近三年 — a project or paper older than the three years before the reference year."""

from __future__ import annotations

from pathlib import PurePosixPath

from changju_check.checks.context import CheckContext
from changju_check.recognise.names import years_in
from changju_check.rulebook.codes import finding

CODES = ("CJ210",)


def check(ctx: CheckContext, section, item, constraint):
    first_year = ctx.as_of.year - constraint.years
    number = ctx.number(section, item)
    for path in ctx.item_files(item):
        years = years_in(PurePosixPath(path).name)
        if years and max(years) < first_year:
            yield finding(
                "CJ210",
                f"{number} 年份 {max(years)} 早于近{constraint.years}年（{first_year}年及以后）",
                f"{number} from {max(years)}, before the last {constraint.years} years ({first_year} on)",
                material=item.key,
                file=path,
            )
    ordered = next((c for c in item.constraints if c.type == "ordered"), None)
    if ordered is None:
        return
    entries = getattr(ctx.manifest.entries, ordered.entries, None) if ctx.manifest.entries else None
    for index, entry in enumerate(entries or []):
        if entry.year is not None and entry.year < first_year:
            yield finding(
                "CJ210",
                f"{number} 系统填报第{index + 1}项“{entry.title}”为 {entry.year} 年，早于近{constraint.years}年（{first_year}年及以后）",
                f"{number} entry {index + 1} “{entry.title}” is from {entry.year}, before the last {constraint.years} years ({first_year} on)",
                material=item.key,
                line=ctx.line("entries", ordered.entries, index),
            )
