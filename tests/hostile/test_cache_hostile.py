"""Code from the cache: the rule cache and the OCR cache hold parsed data (JSON checked for its shape),
never pickles. Whoever can write the cache folder (a shared CI cache, another user) cannot run code
in changju, and an entry of the wrong shape is a cache miss, never a traceback."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from changju_check.rulebook import load
from changju_check.rulebook.cache import fingerprint, read_sealed, write_sealed

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "changju_check"


class _Evil:
    """Unpickling this runs a command: what a planted cache entry would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _ruleset_entry(cache: Path) -> Path:
    directory = load.default_rules_dir().resolve()
    key = fingerprint(directory, load._RULESET_CODE)
    return cache / "rules" / f"ruleset-{key}.json"


def _fresh():
    load._cached.cache_clear()
    return load._load_dir(load.default_rules_dir().resolve())


def test_no_cache_module_imports_pickle():
    for rel in ("rulebook/load.py", "rulebook/cache.py", "rulebook/compiled.py", "scan/cache.py", "scan/reader.py"):
        path = PACKAGE / rel
        assert path.exists(), rel
        assert "pickle" not in path.read_text(encoding="utf-8"), rel


def test_a_planted_pickle_runs_nothing(tmp_path):
    cache = tmp_path / "cache"
    marker = tmp_path / "PWNED"
    entry = _ruleset_entry(cache)
    entry.parent.mkdir(parents=True)
    payload = pickle.dumps(_Evil(marker))
    entry.write_bytes(payload)
    entry.with_suffix(".pickle").write_bytes(payload)  # the old name too
    env = dict(os.environ, CHANGJU_CACHE_DIR=str(cache), PYTHONPATH=str(REPO))
    env.pop("CHANGJU_NO_RULE_CACHE", None)
    proc = subprocess.run(
        [sys.executable, "-m", "changju_check", "categories", "--format", "json"],
        capture_output=True, text=True, env=env, cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert not marker.exists()
    json.loads(read_sealed(entry))  # replaced by a JSON entry, sealed with this user's key


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"\x80\x04not json",
        b"[]",
        b'{"format": 2}',
        b'{"format": 2, "catalogue": {"$m": "os.system", "command": "true"}}',
        b"[" * 100_000 + b"]" * 100_000,
        "mutated",  # a real entry with one field of the wrong type / an unknown field / an unknown model
        "unknown_field",
        "unknown_model",
    ],
)
def test_a_rule_cache_entry_of_the_wrong_shape_is_a_miss(tmp_path, monkeypatch, payload):
    cache = tmp_path / "cache"
    monkeypatch.setenv("CHANGJU_CACHE_DIR", str(cache))
    monkeypatch.delenv("CHANGJU_NO_RULE_CACHE", raising=False)
    expected = _fresh()
    entry = _ruleset_entry(cache)
    if isinstance(payload, str):
        load._cached.cache_clear()
        load.load_rules()  # writes a good entry
        data = json.loads(read_sealed(entry))
        if payload == "mutated":
            data["catalogue"]["materials"] = ["not", "a", "mapping"]
        elif payload == "unknown_field":
            data["binding"]["__class__"] = "x"
        else:
            data["binding"]["$m"] = "Path"
        payload = json.dumps(data).encode("utf-8")
    write_sealed(entry, payload, cache)  # sealed with this user's key: what the shape check is for
    load._cached.cache_clear()
    rules = load.load_rules()
    assert rules.catalogue == expected.catalogue
    assert rules.categories == expected.categories
    assert rules.binding == expected.binding


def test_a_good_rule_cache_entry_gives_the_same_rules_as_the_yaml(tmp_path, monkeypatch):
    monkeypatch.setenv("CHANGJU_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CHANGJU_NO_RULE_CACHE", raising=False)
    expected = _fresh()
    load._cached.cache_clear()
    load.load_rules()  # miss: validates the YAML, writes the entry
    load._cached.cache_clear()
    cached = load.load_rules()  # hit: built from the entry
    assert _ruleset_entry(tmp_path / "cache").exists()
    assert cached.catalogue == expected.catalogue
    assert cached.categories == expected.categories
    assert cached.offline == expected.offline
    assert cached.binding == expected.binding
    assert cached._aliases == expected._aliases
    assert cached.find("青年") is cached.categories["youth"]


# --------------------------------------------------------------------------- the OCR cache


@pytest.mark.parametrize(
    "part, value",
    [
        ("text", ["not", "a", "dict"]),
        ("text", {"source": "ocr", "lines": [["only one"]], "reason": None}),
        ("text", {"source": "ocr", "lines": [[1, "x"]], "reason": None}),
        ("text", {"source": 3, "lines": [], "reason": None}),
        ("seal", {"seals": [{"cx": 0.5}], "greyscale": False}),
        ("seal", {"seals": "many", "greyscale": False}),
        ("meta", {"page_count": "3"}),
        ("meta", 7),
    ],
)
def test_an_ocr_cache_entry_of_the_wrong_shape_is_a_miss(tmp_path, part, value):
    from changju_check.scan.cache import Cache
    from changju_check.scan.reader import CACHE_SHAPES

    store = Cache(root=tmp_path)
    store.put("ab" * 32, value)
    assert store.get("ab" * 32, CACHE_SHAPES[part]) is None
    assert store.misses == 1 and store.hits == 0


@pytest.mark.parametrize(
    "part, value",
    [
        ("text", {"source": "ocr", "lines": [["2022年3月1日", 0.93]], "reason": None, "size": [1240, 1754]}),
        ("text", {"source": "blank", "lines": [], "reason": "blank", "size": None}),
        ("seal", {"seals": [{"cx": 0.5, "cy": 0.4, "width": 0.2, "height": 0.2, "rim_coverage": 0.9,
                             "hollowness": 2.0, "confidence": 0.8}], "greyscale": False}),
        ("meta", {"page_count": 3}),
    ],
)
def test_an_ocr_cache_entry_of_the_right_shape_is_a_hit(tmp_path, part, value):
    from changju_check.scan.cache import Cache
    from changju_check.scan.reader import CACHE_SHAPES

    store = Cache(root=tmp_path)
    store.put("cd" * 32, value)
    assert store.get("cd" * 32, CACHE_SHAPES[part]) == value
