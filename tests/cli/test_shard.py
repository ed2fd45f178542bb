"""`--shard K/N`: a deterministic, stable share of a batch, and `changju summary` of the shards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from changju_check.cli import app
from changju_check.engine.shard import Shard, parse_shard, select_shard, shard_key, shard_of
from tests.packets import build, youth_packet

runner = CliRunner()


def test_shard_spec_is_k_of_n_counted_from_1():
    assert parse_shard("2/3") == Shard(2, 3)
    assert parse_shard(" 1 / 1 ") == Shard(1, 1)
    for bad in ("0/3", "4/3", "3", "a/b", "1/0", "-1/2", ""):
        with pytest.raises(ValueError):
            parse_shard(bad)


def _names(n: int) -> list[Path]:
    return [Path("ROOT") / f"客户{i:03d}" for i in range(n)]


def test_shards_1_2_3_of_3_are_disjoint_and_cover_the_batch():
    packets = _names(60)
    shares = [select_shard(packets, Shard(k, 3), "ROOT") for k in (1, 2, 3)]
    seen = [p for share in shares for p in share]
    assert sorted(seen) == sorted(packets) and len(seen) == len(set(seen))
    assert all(share for share in shares)  # 60 packets: every shard gets some


def test_adding_a_packet_moves_no_other_one():
    before = _names(40)
    after = before + [Path("ROOT") / "新客户"]
    for k in (1, 2, 3):
        old = set(select_shard(before, Shard(k, 3), "ROOT"))
        new = set(select_shard(after, Shard(k, 3), "ROOT"))
        assert old <= new and len(new - old) <= 1


def test_the_shard_is_a_hash_of_the_path_relative_to_the_root_whatever_the_root_is_called():
    assert shard_key(Path("/ci/a/ROOT/x/客户1"), Path("/ci/a/ROOT")) == "x/客户1"
    assert shard_key(Path("ROOT"), Path("ROOT")) == "."
    key = shard_key(Path("/runner1/packets/客户1"), Path("/runner1/packets"))
    assert key == shard_key(Path("/runner2/work/packets/客户1"), Path("/runner2/work/packets"))
    assert shard_of(key, 7) == shard_of("客户1", 7)


def _batch(tmp_path: Path, n: int) -> Path:
    root = tmp_path / "packets"
    for i in range(n):
        drop = ("2-申报人材料/身份证.pdf",) if i % 3 == 0 else ()
        youth_packet(root / f"p{i:02d}", drop=drop)
    build(root / "no-manifest", {"身份证.pdf": 1})
    return root


def _check(*args) -> "object":
    return runner.invoke(app, ["check", *map(str, args)])


def test_the_cli_shards_cover_the_batch_and_summary_of_the_shards_equals_the_one_run_summary(tmp_path):
    root = _batch(tmp_path, 7)
    one = _check("--batch", root, "--format", "json", "--jobs", "1")
    everything = sorted(p["packet"] for p in json.loads(one.stdout)["packets"])
    reports = []
    seen: list[str] = []
    codes = []
    for k in (1, 2, 3):
        result = _check("--batch", root, "--shard", f"{k}/3", "--format", "json", "--jobs", "1")
        codes.append(result.exit_code)
        path = tmp_path / f"shard{k}.json"
        path.write_text(result.stdout, encoding="utf-8")
        reports.append(path)
        seen += [p["packet"] for p in json.loads(result.stdout)["packets"]]
    assert sorted(seen) == everything and len(seen) == len(set(seen))
    whole = tmp_path / "whole.json"
    whole.write_text(one.stdout, encoding="utf-8")
    for fmt in ("text", "markdown", "csv"):
        merged = runner.invoke(app, ["summary", *map(str, reports), "--format", fmt])
        single = runner.invoke(app, ["summary", str(whole), "--format", fmt])
        direct = _check("--batch", root, "--summary", "--format", fmt, "--jobs", "1", "--no-color") if fmt != "csv" else None
        assert merged.stdout == single.stdout, fmt
        if direct is not None:
            assert merged.stdout == direct.stdout, fmt
        assert merged.exit_code == max(codes) == one.exit_code == 2  # the folder without manifest


def test_summary_refuses_a_file_that_is_not_a_report_naming_it(tmp_path):
    bad = tmp_path / "notes.json"
    bad.write_text('{"hello": 1}', encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    for path in (bad, broken, tmp_path / "missing.json"):
        result = runner.invoke(app, ["summary", str(path)])
        assert result.exit_code == 2 and path.name in result.stderr


def test_an_empty_shard_is_an_empty_batch_not_an_error(tmp_path):
    root = tmp_path / "packets"
    youth_packet(root / "only")
    results = [_check("--batch", root, "--shard", f"{k}/5", "--format", "json") for k in range(1, 6)]
    sizes = [len(json.loads(r.stdout)["packets"]) for r in results]
    assert sorted(sizes) == [0, 0, 0, 0, 1] and all(r.exit_code == 0 for r in results)


def test_a_bad_shard_spec_exits_2_naming_it(tmp_path):
    root = tmp_path / "packets"
    youth_packet(root / "only")
    result = _check("--batch", root, "--shard", "4/3")
    assert result.exit_code == 2 and "4/3" in result.stderr
