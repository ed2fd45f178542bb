"""The checklists `list-required` prints, compiled once per rule directory and cached as plain
JSON (keyed like the rule-set cache), so that a warm run builds no model. Light: the loader and
the checklist compiler are imported only on a cache miss."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from changju_check.rulebook.cache import (
    Each,
    default_rules_dir,
    fingerprint,
    matches,
    read,
    write,
)

_HERE = Path(__file__).parent

CHECKLIST_CODE = (_HERE / "model.py", _HERE / "checklist.py", _HERE / "load.py")

_BOTH = {"zh": str, "en": str}
_ROW = {"zh": [str], "en": [str]}  # a table row's cells in each language
_BINDING = {"zh": (str, None), "en": (str, None)}  # a category without a binding line has none
# what `checklist.compile_checklists` makes; an entry of another shape is a miss, never a traceback
CHECKLISTS_SHAPE = {
    "format": int,
    "categories": Each(
        {
            "key": str,
            "title": str,
            "title_en": (str, None),
            "audience": _BOTH,
            "sections": [{"title": str, "title_en": (str, None), "items": [{"optional": bool, "record": dict, "row": _ROW}]}],
            "binding": _BINDING,
        }
    ),
    "offline": Each({"key": str, "title": str, "title_en": (str, None), "mode": str, "explanation": _BOTH}),
    "aliases": Each(str),
    "valid": str,
}


def checklists(directory: Path | str | None = None) -> dict[str, Any]:
    """The compiled checklists of a rule directory (see `checklist.compile_checklists`).

    Raises the loader's RuleError when the directory is broken."""
    import json

    path = Path(directory) if directory is not None else default_rules_dir()
    path = path.resolve()
    key = fingerprint(path, CHECKLIST_CODE) if path.is_dir() else None
    name = f"checklists-{key}.json"
    if key is not None:
        raw = read(name)
        if raw is not None:
            try:
                data = json.loads(raw)
                if matches(data, CHECKLISTS_SHAPE) and data["format"] == 1:
                    return data
            except (ValueError, RecursionError):
                pass
    from changju_check.rulebook.checklist import compile_checklists
    from changju_check.rulebook.load import load_rules

    data = compile_checklists(load_rules(path))
    if key is not None:
        write(name, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    return data
