"""The stable text of `changju explain CODE` and the site's finding-codes page.

One catalogue (rulebook/codes.yaml) feeds three places: this text, the code table on the
documentation site's codes page (`codes_markdown_table`, through docs/hooks.py) and SARIF's
`rules[]` (whose `help.text` is `explain_body`). The layout of `explain_text` is documented and stable:

    CJ101  缺少必要材料
    严重程度：错误

    说明：
    <description>

    修改方法：
    <fix>

(English: "CJ101  Required material missing", "Severity: error", "Description:",
"How to fix:"). Lines are not wrapped; the terminal does that.
"""

from __future__ import annotations

from changju_check.render._common import SEVERITY_WORD, check_lang, label, word
from changju_check.rulebook import codes


def _colon(lang: str) -> str:
    return ": " if lang == "en" else "："


def explain_body(code: str, lang: str = "zh") -> str:
    """Description and fix of a code: SARIF's `help.text`, and the body of `explain_text`."""
    check_lang(lang)
    entry = codes.get(code)
    colon = _colon(lang).rstrip()
    return (
        f"{label('description', lang)}{colon}\n{entry.description.get(lang)}\n\n"
        f"{label('fix', lang)}{colon}\n{entry.fix.get(lang)}"
    )


def explain_text(code: str, lang: str = "zh") -> str:
    """What `changju explain CODE` prints (ends with a newline). Unknown code: KeyError."""
    check_lang(lang)
    entry = codes.get(code)
    severity = word(SEVERITY_WORD, entry.severity, lang)
    return (
        f"{entry.code}  {entry.title.get(lang)}\n"
        f"{label('severity', lang)}{_colon(lang)}{severity}\n\n"
        f"{explain_body(code, lang)}\n"
    )


def _md_cell(text: str) -> str:
    from changju_check.render.markdown import escape_cell

    return escape_cell(text)


def codes_markdown_table(lang: str = "zh") -> str:
    """The table of codes (`changju explain --table`, the site's codes page), generated from the
    catalogue (ends with a newline)."""
    check_lang(lang)
    head = [label("code", lang), label("severity", lang), label("title", lang), label("fix", lang)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for entry in sorted(codes.catalogue().values(), key=lambda c: c.code):
        cells = [
            entry.code,
            word(SEVERITY_WORD, entry.severity, lang),
            _md_cell(entry.title.get(lang)),
            _md_cell(entry.fix.get(lang)),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
