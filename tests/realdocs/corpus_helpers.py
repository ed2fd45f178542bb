"""Helpers for the real-document corpus (tests/realdocs/corpus, built by make_corpus.py)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent / "corpus"


@lru_cache(maxsize=None)
def pages_of(name: str) -> tuple[str, ...]:
    """The text layer of a corpus PDF, page by page (as the inspection stage extracts it)."""
    from pypdf import PdfReader

    return tuple((p.extract_text() or "") for p in PdfReader(CORPUS / name).pages[:3])


@pytest.fixture
def corpus() -> Path:
    return CORPUS
