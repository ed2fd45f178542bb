"""Personal numbers as reports show them: every ID number (18 characters, or the old 15 digits) inside a
text masked as `110108********1234` — the region and the last four stay. One rule for every format."""

from __future__ import annotations

import re

_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])([0-9]{6})([0-9]{5}|[0-9]{8})([0-9]{3}[0-9Xx])(?![0-9A-Za-z])")


def mask_in_text(text: str) -> str:
    """Every ID number inside a longer text, masked."""
    return _ID_IN_TEXT.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), text)
