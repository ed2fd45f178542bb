"""The caches are this user's alone: an entry nobody but this user's runs sealed is a miss, never
a fact; folders are 0700 and files 0600 whatever the umask; they live in the platform's cache
folder (%LOCALAPPDATA% on Windows, not a visible ~/.cache).

The attack: a well-formed OCR cache entry written for a file's hash (the README's CI example
shares the cache across branches) turned an expired contract or ID card into a valid one."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from changju_check import scan
from changju_check.cli import app
from changju_check.rulebook import cache as rulecache
from changju_check.rulebook.cache import read_sealed

ROOT = Path(__file__).resolve().parents[2]
SCANS = ROOT / "tests" / "scans"
runner = CliRunner()
needs_extra = pytest.mark.skipif(not scan.available(), reason='needs pip install ".[scan]"')
posix_modes = pytest.mark.skipif(os.name == "nt", reason="Windows keeps the cache private by the folder's ACL")

TEXT_SHAPE = {"source": "ocr", "lines": [["劳动合同 期限自2022年3月1日至2026年2月28日止", 0.99]], "reason": None, "size": [1240, 1754]}


@pytest.fixture
def private_home(tmp_path, monkeypatch):
    """A user of our own: cache and data folders in tmp_path, a umask that shares by default."""
    monkeypatch.setenv("CHANGJU_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("CHANGJU_CACHE_KEY", raising=False)
    monkeypatch.delenv("CHANGJU_NO_RULE_CACHE", raising=False)
    rulecache._KEYS.clear()
    old = os.umask(0o022)
    yield tmp_path
    os.umask(old)
    rulecache._KEYS.clear()


def _payload(entry: Path) -> bytes:
    """What an attacker who can read the cache but not the key sees of an entry: its JSON."""
    raw = entry.read_bytes()
    return raw.partition(b"\n")[2] if raw.startswith(b"changju-") else raw


def test_a_planted_well_formed_ocr_entry_is_a_miss(private_home):
    from changju_check.scan.cache import Cache
    from changju_check.scan.reader import CACHE_SHAPES

    store = Cache(root=private_home / "cache" / "scans")
    key = "ab" * 32
    path = store._path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(TEXT_SHAPE, ensure_ascii=False), encoding="utf-8")  # as the old cache stored it
    assert store.get(key, CACHE_SHAPES["text"]) is None and store.misses == 1


def test_an_entry_sealed_with_another_users_key_is_a_miss(private_home, monkeypatch):
    from changju_check.scan.cache import Cache
    from changju_check.scan.reader import CACHE_SHAPES

    store = Cache(root=private_home / "cache" / "scans")
    monkeypatch.setenv("CHANGJU_CACHE_KEY", "another user's or branch's key")
    store.put("cd" * 32, TEXT_SHAPE)
    assert store.get("cd" * 32, CACHE_SHAPES["text"]) == TEXT_SHAPE  # the same key: a hit
    monkeypatch.delenv("CHANGJU_CACHE_KEY")
    assert store.get("cd" * 32, CACHE_SHAPES["text"]) is None  # this user's own key: a miss


def test_an_entry_moved_to_another_files_name_is_a_miss(private_home):
    from changju_check.scan.cache import Cache
    from changju_check.scan.reader import CACHE_SHAPES

    store = Cache(root=private_home / "cache" / "scans")
    store.put("ef" * 32, TEXT_SHAPE)  # a genuine entry of this user, for another file
    target = store._path("01" * 32)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(store._path("ef" * 32), target)
    assert store.get("01" * 32, CACHE_SHAPES["text"]) is None


@needs_extra
def test_a_planted_cache_entry_cannot_make_an_expired_contract_valid(private_home):
    """End to end: the contract scan ends 2022-02-28 (CJ202). Every OCR entry the run stored is
    rewritten to say 2026, as a planted entry would; the next run still reads 2022 from the page."""
    root = private_home / "packet"
    shutil.copytree(ROOT / "examples" / "research-complete", root)
    (root / "2-申报人材料" / "劳动合同.pdf").unlink()
    shutil.copy(SCANS / "contract_old_2019.jpg", root / "2-申报人材料" / "劳动合同.jpg")
    text = (root / "changju.yaml").read_text(encoding="utf-8")
    (root / "changju.yaml").write_text("\n".join(l for l in text.splitlines() if "contract:" not in l) + "\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}

    def run():
        result = runner.invoke(app, ["check", str(root), "--read-scans", "--format", "json"])
        return result, json.loads(result.stdout)

    result, first = run()
    assert "CJ202" in {f["code"] for f in first["findings"]}, result.output
    planted = 0
    for entry in (private_home / "cache" / "scans").rglob("*.json"):
        payload = _payload(entry)
        if b"2022" in payload:
            entry.write_bytes(payload.replace(b"2022", b"2026"))
            planted += 1
    assert planted
    result, second = run()
    assert "CJ202" in {f["code"] for f in second["findings"]}, result.output
    assert any(e["fact"] == "contract_end" and e["value"] == "2022-02-28" for e in second["evidence"])
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_a_planted_rule_cache_entry_is_a_miss(private_home):
    """A rule set planted in the rule cache (one where CJ101 is a mere note) is never used."""
    from changju_check.rulebook import load

    load._cached.cache_clear()
    load.load_rules()  # fills the cache
    entry = next((private_home / "cache" / "rules").glob("ruleset-*.json"))
    payload = _payload(entry)
    entry.write_bytes(payload.replace(b'"min_items"', b'"min_items_"'))  # anything else: unsealed
    assert read_sealed(entry) is None
    load._cached.cache_clear()
    assert load.load_rules().categories  # built afresh from the YAML
    assert read_sealed(entry) is not None  # and the entry replaced by a sealed one


def _modes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): stat.S_IMODE(p.stat().st_mode) for p in [folder, *folder.rglob("*")]}


@posix_modes
def test_cache_folders_are_0700_and_files_0600_whatever_the_umask(private_home):
    from changju_check.scan.cache import Cache

    Cache().put("ab" * 32, TEXT_SHAPE)
    rulecache.write("checklists-x.json", b"{}")
    modes = _modes(private_home / "cache")
    assert modes and all(m == (0o700 if (private_home / "cache" / p).is_dir() else 0o600) for p, m in modes.items()), modes
    key = private_home / "data" / "changju-check" / "cache-key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700


@posix_modes
def test_an_existing_shared_cache_folder_is_made_private(private_home):
    from changju_check.scan.cache import Cache

    (private_home / "cache" / "scans" / "ab").mkdir(parents=True, mode=0o755)
    os.chmod(private_home / "cache", 0o755)
    Cache().put("ab" * 32, TEXT_SHAPE)
    assert all(m in (0o700, 0o600) for m in _modes(private_home / "cache").values())


@posix_modes
def test_a_key_others_can_read_is_not_used(private_home):
    from changju_check.scan.cache import Cache
    from changju_check.scan.reader import CACHE_SHAPES

    Cache().put("ab" * 32, TEXT_SHAPE)
    key = private_home / "data" / "changju-check" / "cache-key"
    os.chmod(key, 0o644)
    rulecache._KEYS.clear()
    assert Cache().get("ab" * 32, CACHE_SHAPES["text"]) is None


def test_the_caches_live_in_the_platforms_user_cache_folder(tmp_path, monkeypatch):
    """Where platformdirs says (on Windows %LOCALAPPDATA%\\changju-check\\Cache), not ~/.cache."""
    import platformdirs

    local = tmp_path / "AppData" / "Local" / "changju-check" / "Cache"
    monkeypatch.delenv("CHANGJU_CACHE_DIR", raising=False)
    monkeypatch.delenv("CHANGJU_NO_RULE_CACHE", raising=False)
    monkeypatch.setattr(platformdirs, "user_cache_dir", lambda appname=None, appauthor=None, *a, **k: str(local))
    from changju_check.scan.cache import cache_dir as scan_cache_dir

    assert rulecache.cache_dir() == local / "rules"
    assert scan_cache_dir() == local / "scans"


def test_a_key_folder_inside_the_packet_writes_nothing_there(tmp_path, monkeypatch):
    from tests.packets import youth_packet

    root = youth_packet(tmp_path / "王磊")
    monkeypatch.setenv("XDG_DATA_HOME", str(root / ".data"))
    monkeypatch.setenv("CHANGJU_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CHANGJU_CACHE_KEY", raising=False)
    monkeypatch.delenv("CHANGJU_NO_RULE_CACHE", raising=False)
    rulecache._KEYS.clear()
    from changju_check.rulebook import load

    load._cached.cache_clear()  # the rule set is read (and would be cached) afresh
    before = sorted(p for p in root.rglob("*"))
    result = runner.invoke(app, ["check", str(root), "--format", "json"], env={"CHANGJU_LANG": "en"})
    assert result.exit_code in (0, 1), result.output
    assert sorted(p for p in root.rglob("*")) == before
    rulecache._KEYS.clear()
