"""Hostile and broken manifests: every one ends in a ManifestError (or YamlLoadError) that says
what is wrong and where - never a raw PyYAML/pydantic exception, a hang, or a memory blow-up."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from changju_check.manifest import Manifest, ManifestError, load_manifest, parse_manifest
from changju_check.manifest.safeyaml import YamlLoadError, load_yaml


def refused(data: bytes | str) -> ManifestError:
    with pytest.raises(ManifestError) as info:
        parse_manifest(data, "changju.yaml")
    exc = info.value
    # every error is usable as is: bilingual, located, and not a wrapped library message only
    msg = exc.to_msg()
    assert msg.en.startswith("changju.yaml") and msg.zh.startswith("changju.yaml")
    assert exc.message and exc.message_zh
    assert exc.__cause__ is None and (exc.__context__ is None or exc.__suppress_context__)
    return exc


# --- syntax --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, line, column, words",
    [
        ("category: youth\nunit:\n  name: a: b\n", 3, 10, "mapping values are not allowed"),
        ("entries:\n  patents: [a, b\ncategory: youth\n", 3, 9, "expected ',' or ']'"),
        ("unit:\n  name: x\n type: enterprise\n", 3, 2, "expected <block end>"),
        ("category: youth\n---\ncategory: leader\n", 2, 1, "expected a single document"),
    ],
)
def test_syntax_error_has_line_and_column(text: str, line: int, column: int, words: str):
    exc = refused(text)
    assert exc.kind == "yaml" and exc.yaml_kind == "syntax"
    assert (exc.line, exc.column) == (line, column)
    assert words in exc.message
    assert str(exc).startswith(f"changju.yaml:{line}:{column}: YAML syntax error")
    assert "YAML 语法错误" in exc.message_zh


@pytest.mark.parametrize(
    "text, line, column, words, parser_words",
    [
        ("unit:\n\tname: x\n", 2, 1, "indented with a tab", "found character '\\t'"),
        # the parser gives up at the end of the file (line 3); the quote was opened on line 2
        ("category: youth\nrecommendation: \"unclosed\n", 2, 17, "is not closed", "unexpected end of stream"),
    ],
)
def test_a_typing_slip_is_named_on_its_own_line_with_the_parsers_words_as_detail(text, line, column, words, parser_words):
    exc = refused(text)
    assert exc.kind == "yaml" and exc.yaml_kind == "syntax"
    assert (exc.line, exc.column) == (line, column)
    assert words in exc.message and parser_words in exc.message
    assert exc.message_zh.startswith(f"第 {line} 行") and "YAML 解析器的原话" in exc.message_zh


def test_yaml_load_error_str():
    with pytest.raises(YamlLoadError) as info:
        load_yaml("a: b: c\n", "rules/x.yaml")
    assert str(info.value) == "rules/x.yaml:1:5: YAML syntax error: mapping values are not allowed here"
    assert (info.value.line, info.value.column, info.value.kind) == (1, 5, "syntax")


# --- duplicate keys ------------------------------------------------------------------------------


def test_duplicate_key_names_the_field():
    exc = refused("unit:\n  name: a\n  name: b\n")
    assert exc.field == "unit.name"
    assert str(exc) == "changju.yaml:3:3: unit.name: duplicate key 'name': already given on line 2"


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("category: youth\ncategory: leader\n", 2, "duplicate key 'category': already given on line 1"),
        ("unit:\n  name: a\n  type: enterprise\n  name: b\n", 4, "duplicate key 'name': already given on line 2"),
        ("materials:\n  1: a.pdf\n  true: b.pdf\n", 3, "duplicate key 'true' (same as 1)"),
        ("materials:\n  1: a.pdf\n  1.0: b.pdf\n", 3, "duplicate key '1.0' (same as 1)"),
        ("materials:\n  a: x.pdf\n  'a': y.pdf\n", 3, "duplicate key 'a'"),
        ("waive:\n  - {code: CJ101, reason: a, code: CJ102}\n", 2, "duplicate key 'code'"),
    ],
)
def test_duplicate_keys(text: str, line: int, words: str):
    exc = refused(text)
    assert exc.yaml_kind == "duplicate-key" and exc.line == line
    assert exc.field is not None and f": {exc.field}: duplicate key" in str(exc)
    assert words in exc.message
    assert "重复的键" in exc.message_zh


# --- anchors, aliases, tags ----------------------------------------------------------------------


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ['lol0: &lol0 "lol"']
    for i in range(1, levels + 1):
        lines.append(f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_refused_before_anything_is_built():
    text = billion_laughs()
    tracemalloc.start()
    try:
        exc = refused(text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert exc.yaml_kind == "alias" and exc.line == 1
    assert "anchors (&lol0) are not allowed" in exc.message
    assert peak < 5_000_000  # 9**9 "lol"s were never made


def test_billion_laughs_inside_a_field():
    exc = refused("category: youth\nunit:\n  name: &n x\napplicant:\n  name: *n\n")
    assert exc.yaml_kind == "alias" and (exc.line, exc.column) == (3, 9)


def test_self_referencing_alias():
    exc = refused("entries: &e\n  patents: *e\n")
    assert exc.yaml_kind == "alias" and exc.line == 1


def test_alias_without_anchor():
    exc = refused("category: *nowhere\n")
    assert exc.yaml_kind == "alias" and exc.line == 1 and "*nowhere" in exc.message


def test_merge_key_is_just_an_unknown_key():
    exc = refused("unit:\n  <<: {name: x}\n")
    assert exc.kind == "field" and exc.field == "unit.<<" and exc.line == 2


@pytest.mark.parametrize(
    "text",
    [
        "category: !!python/object/apply:os.system ['echo hi']\n",
        "category: !!binary aGVsbG8=\n",
        "materials: !!set {a, b}\n",
        "category: !custom youth\n",
        "waive: !!omap [{code: CJ101}]\n",
    ],
)
def test_tags_refused(text: str):
    exc = refused(text)
    assert exc.yaml_kind == "tag" and exc.line == 1


def test_complex_key_refused():
    exc = refused("materials:\n  ? [a, b]\n  : x.pdf\n")
    assert exc.yaml_kind == "complex-key" and exc.line == 2


# --- size ----------------------------------------------------------------------------------------


def test_oversized_manifest_refused_before_parsing():
    data = b"# " + b"x" * 1_000_000 + b"\ncategory: youth\n"
    exc = refused(data)
    assert exc.yaml_kind == "too-large" and "1,000,000" in exc.message


def test_oversized_manifest_file(tmp_path: Path):
    path = tmp_path / "changju.yaml"
    with path.open("wb") as fh:
        fh.write(b"category: youth\n")
        fh.seek(50_000_000)  # sparse: 50 MB claimed, never read
        fh.write(b"\n")
    with pytest.raises(ManifestError) as info:
        load_manifest(path)
    assert info.value.yaml_kind == "too-large" and str(path) in str(info.value)


def test_just_under_the_limit_is_read():
    data = b"category: youth\n# " + b"x" * (1_000_000 - 100) + b"\n"
    assert len(data) <= 1_000_000
    assert parse_manifest(data, "changju.yaml").category == "youth"


def test_huge_integer_is_an_error_not_a_crash():
    exc = refused("unit:\n  paid_in_capital: 1" + "0" * 5000 + "\n")
    assert exc.kind == "yaml" and exc.line == 2 and exc.field == "unit.paid_in_capital"


def test_huge_exponent_is_not_finite():
    exc = refused("unit:\n  paid_in_capital: 1e999\n")
    assert exc.field == "unit.paid_in_capital" and "finite" in exc.message


# --- encodings -----------------------------------------------------------------------------------

GBK_TEXT = "category: youth\nunit:\n  name: 北京某某科技有限公司\n  type: 企业\napplicant:\n  nationality: 中国\n"


@pytest.mark.parametrize("codec", ["gbk", "gb18030"])
def test_gbk_manifest_is_decoded_with_a_note(codec: str, tmp_path: Path):
    data = GBK_TEXT.encode(codec)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    m = parse_manifest(data, "changju.yaml")
    assert m.unit.name == "北京某某科技有限公司" and m.unit.type == "enterprise" and m.applicant.foreign is False
    assert len(m.notes) == 1
    assert "GBK" in m.notes[0].en and "UTF-8" in m.notes[0].zh
    path = tmp_path / "changju.yaml"
    path.write_bytes(data)
    loaded = load_manifest(path)
    assert len(loaded.notes) == 1 and str(path) in loaded.notes[0].en
    assert loaded.line_of("unit", "type") == 4


def test_gbk_error_keeps_lines():
    exc = refused("unit:\n  name: 北京\n  typ: 企业\n".encode("gbk"))
    assert exc.field == "unit.typ" and exc.line == 3


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_unicode_with_bom(codec: str):
    data = GBK_TEXT.encode(codec)
    if codec in ("utf-16-le", "utf-16-be"):
        data = "\ufeff".encode(codec) + data
    m = parse_manifest(data, "changju.yaml")
    assert m.unit.name == "北京某某科技有限公司" and m.notes == []
    assert m.line_of("applicant", "nationality") == 6


def test_utf8_needs_no_note():
    assert parse_manifest(GBK_TEXT.encode("utf-8"), "changju.yaml").notes == []


@pytest.mark.parametrize(
    "data, line",
    [
        (b"category: youth\nunit:\n  name: \xff\xfe\xfa\n", 3),
        (b"category: caf\xe9\n", 1),  # Latin-1
        (b"category: youth\n\x80\n", 2),
    ],
)
def test_undecodable_bytes(data: bytes, line: int):
    exc = refused(data)
    assert exc.yaml_kind == "encoding" and exc.line == line
    assert "byte offset" in exc.message and "UTF-8" in exc.message
    assert "无法解码" in exc.message_zh


def test_broken_utf16():
    exc = refused(b"\xff\xfec\x00a\x00t")  # UTF-16 BOM and an odd number of bytes
    assert exc.yaml_kind == "encoding"


@pytest.mark.parametrize("text, line", [("category: you\x00th\n", 1), ("a: 1\nrecommendation: x\x07y\n", 2), ("category: \ud800\n", 1)])
def test_control_characters(text: str, line: int):
    exc = refused(text)
    assert exc.yaml_kind == "encoding" and exc.line == line
    assert "control character" in exc.message


def test_gbk_looking_garbage_with_control_characters_is_not_guessed():
    # decodes as GB18030 but contains control characters: not a text file a person saved
    data = "category: 北京".encode("gbk") + b"\x01\x02\n"
    exc = refused(data)
    assert exc.yaml_kind == "encoding"


# --- nesting -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "materials: " + "[" * 100_000,
        "materials:\n  a: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n",
        "entries:\n" + "".join("  " * i + "- \n" for i in range(1, 500)),
    ],
)
def test_deep_nesting_is_a_clear_error(text: str):
    exc = refused(text)
    assert exc.yaml_kind == "too-deep" and exc.line is not None
    assert "nested more than" in exc.message and "嵌套" in exc.message_zh


def test_recursion_error_never_escapes_the_loader():
    # with the depth cap lifted, Python's own recursion limit is reached inside PyYAML
    with pytest.raises(YamlLoadError) as info:
        load_yaml("[" * 100_000, "deep.yaml", max_depth=10**9)
    assert info.value.kind == "too-deep"


def test_nesting_within_the_cap_is_a_field_error():
    exc = refused("materials:\n  a: " + "[" * 30 + "x" + "]" * 30 + "\n")
    assert exc.kind == "field" and exc.field == "materials.a"


# --- structure -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, words",
    [
        ("- category: youth\n", "not a list"),
        ("youth\n", "not the text 'youth'"),
        ("42\n", "not the number 42"),
        ("true\n", "not true"),
        ("2023-08-31\n", "not the date 2023-08-31"),
        ("'category: youth'\n", "not the text"),
    ],
)
def test_top_level_must_be_a_mapping(text: str, words: str):
    exc = refused(text)
    assert exc.kind == "structure" and exc.line == 1
    assert "must be a mapping" in exc.message and words in exc.message
    assert "清单顶层应为映射" in exc.message_zh


@pytest.mark.parametrize("data", [b"", b"\n\n", b"# comment only\n", b"---\n", b"~\n", b"\xef\xbb\xbf", b"   \n"])
def test_empty_manifests(data: bytes, tmp_path: Path):
    assert parse_manifest(data, "changju.yaml").model_dump(exclude_none=True) == {}
    path = tmp_path / "changju.yaml"
    path.write_bytes(data)
    m = load_manifest(path)
    assert isinstance(m, Manifest) and m.model_dump(exclude_none=True) == {}


def test_zero_byte_file(tmp_path: Path):
    path = tmp_path / "changju.yaml"
    path.touch()
    m = load_manifest(path)
    assert m.category is None and m.notes == [] and m.line_of("category") is None


def test_directory_instead_of_file(tmp_path: Path):
    with pytest.raises(ManifestError) as info:
        load_manifest(tmp_path)
    assert info.value.kind == "io"


# --- YAML 1.1 surprises do not turn into wrong facts ---------------------------------------------


def test_yaml11_surprises():
    m = parse_manifest(
        "category: youth\napplicant:\n  nationality: NO\nmaterials:\n  '010': on\n  x: [1:20]\n",
        "changju.yaml",
    )
    assert m.applicant.nationality == "NO"  # Norway, not false
    assert m.materials == {"010": ["on"], "x": ["1:20"]}  # 'on' is not true, 1:20 is not 80
    exc = refused("unit:\n  tax_paid: yes\n")  # yes is not a boolean
    assert exc.field == "unit.tax_paid"


# --- nothing else ever escapes -------------------------------------------------------------------

_YAML_ALPHABET = st.sampled_from(
    list("abc:-?[]{},&*!|>'\"%@`#\n\t \\0123456789.~") + ["\n  ", "category", "unit", "北京", "\ufeff", "\x00", "true", "&a", "*a"]
)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_YAML_ALPHABET, max_size=60).map("".join))
def test_random_text_gives_manifest_or_manifest_error(text: str):
    try:
        result = parse_manifest(text, "changju.yaml")
    except ManifestError as exc:
        assert exc.to_msg().en
    else:
        assert isinstance(result, Manifest)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.binary(max_size=200))
def test_random_bytes_give_manifest_or_manifest_error(data: bytes):
    try:
        result = parse_manifest(data, "changju.yaml")
    except ManifestError as exc:
        assert exc.to_msg().zh
    else:
        assert isinstance(result, Manifest)
