"""Terminal tables for `list-required` and `categories`, drawn without rich.

Rich draws the same tables, but importing and laying out rich's Table costs more than the rest
of `list-required` together (≈ 40 ms of a 0.2 s command). This draws rich's default look — a
heavy head (┏━┳┓ ┃ ┡━╇┩), light body (│ └─┴┘), one space of padding, the title centred above —
with the same wrapping: columns shrink from the widest down until the table fits the width;
text wraps at spaces, and a run without spaces (Chinese) is folded where the column ends.
Widths count East Asian wide characters as two columns. On a terminal the header is bold and
the title italic, as rich prints them; elsewhere it is plain text.
"""

from __future__ import annotations

import unicodedata

_BOLD, _ITALIC, _RESET = "\x1b[1m", "\x1b[3m", "\x1b[0m"


def cell_width(text: str) -> int:
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return width


def _fold(word: str, width: int) -> list[str]:
    """A word wider than the column, cut into pieces that fit (a wide character is never split)."""
    pieces, current, used = [], "", 0
    for ch in word:
        w = cell_width(ch)
        if current and used + w > width:
            pieces.append(current)
            current, used = "", 0
        current += ch
        used += w
    if current:
        pieces.append(current)
    return pieces


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` columns: words joined by spaces, over-long words folded."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for word in paragraph.split():
            w = cell_width(word)
            if line and used + 1 + w <= width:
                line, used = f"{line} {word}", used + 1 + w
                continue
            if line:
                lines.append(line)
                line, used = "", 0
            if w <= width:
                line, used = word, w
            else:
                *full, last = _fold(word, width)
                lines.extend(full)
                line, used = last, cell_width(last)
        lines.append(line)
    return lines or [""]


def _share(excess: int, columns: list[int], widths: list[int], cap: int | None) -> None:
    """Take `excess` columns off `columns` (indices), spread evenly with rounding, each cut at most
    `cap` (or the column's width)."""
    remaining, count = excess, len(columns)
    for i in columns:
        cut = min(cap if cap is not None else widths[i], round(remaining / count))
        widths[i] -= cut
        remaining -= cut
        count -= 1


def _fit(widths: list[int], available: int) -> list[int]:
    """Shrink the widest columns first, all the widest together, down towards the next widest,
    until the sum fits; then, if it still does not, every column evenly (rich's arithmetic)."""
    widths = list(widths)
    while (excess := sum(widths) - available) > 0:
        top = max(widths)
        second = max((w for w in widths if w != top), default=0)
        if top == second or top <= 0:
            break
        _share(excess, [i for i, w in enumerate(widths) if w == top], widths, min(excess, top - second))
    excess = sum(widths) - available
    if excess > 0:
        _share(excess, list(range(len(widths))), widths, None)
    return widths


def draw(heads: list[str], rows: list[list[str]], *, width: int = 120, title: str | None = None,
         styled: bool = False) -> str:
    """The table as text, at most `width` columns wide, ending with a newline."""
    n = len(heads)
    natural = [max([cell_width(line) for cell in [heads[i], *(r[i] for r in rows)] for line in cell.split("\n")] or [0])
               for i in range(n)]
    padded = [max(1, w) + 2 for w in natural]  # one space either side
    fitted = _fit(padded, width - (n + 1))  # borders: one more than columns
    inner = [max(1, min(p, f) - 2) for p, f in zip(padded, fitted)]
    total = sum(inner) + 3 * n + 1

    def rule(left: str, mid: str, right: str, fill: str) -> str:
        return left + mid.join(fill * (w + 2) for w in inner) + right

    def row_lines(cells: list[str], bar: str, bold: bool) -> list[str]:
        wrapped = [wrap(c, w) for c, w in zip(cells, inner)]
        height = max(len(w) for w in wrapped)
        out = []
        for k in range(height):
            parts = []
            for lines, w in zip(wrapped, inner):
                text = lines[k] if k < len(lines) else ""
                pad = " " * (w - cell_width(text))
                parts.append(f" {_BOLD}{text}{_RESET}{pad} " if bold and styled and text else f" {text}{pad} ")
            out.append(bar + bar.join(parts) + bar)
        return out

    lines: list[str] = []
    if title:
        for t in wrap(title, total):
            space = total - cell_width(t)
            left = space // 2
            shown = f"{_ITALIC}{t}{_RESET}" if styled else t
            lines.append(" " * left + shown + " " * (space - left))
    lines.append(rule("┏", "┳", "┓", "━"))
    lines.extend(row_lines(heads, "┃", True))
    lines.append(rule("┡", "╇", "┩", "━"))
    for r in rows:
        lines.extend(row_lines(r, "│", False))
    lines.append(rule("└", "┴", "┘", "─"))
    return "\n".join(lines) + "\n"
