"""Property-based: random manifests and random file bytes never crash `changju check`.

Bounded for CI (200 examples, fixed seed); CHANGJU_FUZZ_EXAMPLES=5000 for a longer run.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from changju_check.cli import app
from tests.packets import pdf_bytes

runner = CliRunner()
EXAMPLES = int(os.environ.get("CHANGJU_FUZZ_EXAMPLES", "200"))

NAMES = ["身份证.pdf", "劳动合同.pdf", "2021年度审计报告.pdf", "照片.jpg", "x.png", "诚信声明.pdf", "申报书.pdf", "a b　c.pdf"]
KEYS = ["category", "as_of", "unit", "applicant", "recommendation", "entries", "materials", "waive", "bogus"]
VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-10, 10**6),
        st.floats(allow_nan=True),
        st.sampled_from(["youth", "research", "2023-08-31", "2023年8月31日", "CN", "../x", "*.pdf", "CJ101", "&a", "*a"]),
        st.text(max_size=20),
    ),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(st.sampled_from(KEYS + ["start", "end", "percent", "code", "reason", "type"]), children, max_size=4)),
    max_leaves=12,
)


def _yaml(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)  # JSON is YAML


@seed(20231025)
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    manifest=st.one_of(
        st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=6).map(_yaml),
        st.text(max_size=200),
        st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
    ),
    files=st.dictionaries(
        st.sampled_from(NAMES),
        st.one_of(st.binary(max_size=300), st.just(pdf_bytes(1)), st.binary(max_size=60).map(lambda b: b"%PDF-1.4\n" + b)),
        max_size=4,
    ),
)
def test_random_packets_never_crash(manifest, files):
    root = Path(tempfile.mkdtemp(prefix="changju-fuzz-"))
    try:
        for name, data in files.items():
            (root / name).write_bytes(data)
        (root / "changju.yaml").write_text(manifest, encoding="utf-8", errors="surrogatepass") if "\ud800" not in manifest else None
        result = runner.invoke(app, ["check", str(root), "--format", "json", "--category", "youth", "--file-timeout", "2"])
        assert result.exit_code in (0, 1, 2), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert "Traceback" not in result.output
        json.loads(result.stdout)
    finally:
        shutil.rmtree(root, ignore_errors=True)
