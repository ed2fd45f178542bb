"""Small checks shared by the renderer tests."""

from __future__ import annotations

import re

from changju_check.report import Report

CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
ANSI = re.compile("\x1b\\[")


def user_text(report: Report) -> list[str]:
    """Text that comes from the packet itself (file names, waiver reasons): may be Chinese."""
    items = set()
    for m in report.materials:
        items.update(m.files)
        if m.waived:
            items.add(m.waived)
    for f in report.findings + ([report.fatal] if report.fatal else []):
        if f.file:
            items.add(f.file)
        if f.waived:
            items.add(f.waived)
    return sorted(items, key=len, reverse=True)


def without_user_text(text: str, report: Report) -> str:
    for item in user_text(report):
        text = text.replace(item, "")
    return text


def cjk(text: str) -> list[str]:
    return CJK.findall(text)
