"""docs/hooks.py imported by path (docs/ is not a package): the generators of the site's pages."""

from __future__ import annotations

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"


def load_hooks():
    spec = importlib.util.spec_from_file_location("changju_docs_hooks", DOCS / "hooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


hooks = load_hooks()
