import subprocess
import sys

import pytest

from changju_check import render as render_pkg
from changju_check.render import FORMATS, get, render, render_batch

from .conftest import fatal_report, flawed_report, passing_report


def test_formats_registry():
    assert set(FORMATS) == {"text", "json", "markdown", "sarif", "junit", "github", "html", "gitlab", "csv"}
    for name, module in FORMATS.items():
        assert callable(module.render) and callable(module.render_batch), name
    assert get("json") is FORMATS["json"]


def test_unknown_format_names_the_choices(report):
    with pytest.raises(ValueError, match="unknown format 'xml'.*sarif"):
        render(report, "xml")


def test_unknown_language(report):
    with pytest.raises(ValueError, match="unknown language"):
        render(report, "text", "fr")


def test_unknown_option_is_an_error(report):
    with pytest.raises(TypeError, match="colour"):
        render(report, "text", "zh", colour=True)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_common_options_accepted_by_every_format(report, reports, fmt):
    options = {"color": False, "width": 120, "details": True, "srcroot": "/tmp"}
    assert render(report, fmt, "zh", **options)
    assert render_batch(reports, fmt, "en", **options)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_format_is_deterministic(fmt, lang):
    """Two reports built alike render to the same bytes: no clock, host or dict-order noise."""
    assert render(flawed_report(), fmt, lang) == render(flawed_report(), fmt, lang)
    batch = [flawed_report(), passing_report(), fatal_report()]
    again = [flawed_report(), passing_report(), fatal_report()]
    assert render(batch, fmt, lang) == render(again, fmt, lang)


def test_import_does_not_import_rich():
    code = (
        "import sys, changju_check.render as r\n"
        "assert 'rich' not in sys.modules, sorted(m for m in sys.modules if m.startswith('rich'))\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"


def test_render_text_shortcut(report):
    assert render_pkg.render_text(report, "zh") == render(report, "text", "zh")


@pytest.mark.parametrize("fmt", ["text", "markdown", "sarif", "junit", "github"])
def test_undecodable_file_names_still_give_utf8(report, fmt):
    """os.fsdecode leaves undecodable bytes as lone surrogates; the output must still encode."""
    from changju_check.report import Finding, Msg

    report.findings.append(Finding("CJ307", "info", Msg("文件名不规范", "unusual name"), file="bad\udcff.pdf"))
    out = render(report, fmt, "en")
    out.encode("utf-8")
    if fmt == "sarif":
        assert "bad%FF.pdf" in out


def _unopenable():
    from datetime import date

    from changju_check.report import Finding, Msg, Report

    return Report(
        packet="no/such/dir",
        category="",
        category_title="",
        category_title_en="",
        as_of=date(2023, 6, 30),
        fatal=Finding("CJ400", "error", Msg("路径不存在", "path does not exist")),
    )


def test_packet_that_could_not_be_opened_points_at_the_packet():
    import json

    r = _unopenable()
    text = render(r, "text", "en")
    assert text.splitlines()[0] == "Packet: no/such/dir   Category: —   As of: 2023-06-30"
    assert text.rstrip().endswith("✗ 1 error, 0 warnings — unusable\nCould not be checked: fix what is said at the top, then check again")
    assert render(r, "github", "en").startswith("::error file=no/such/dir,title=CJ400::path does not exist\n")
    log = json.loads(render(r, "sarif", "en"))
    loc = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert loc == {"uri": "no/such/dir", "uriBaseId": "%SRCROOT%"}
    assert json.loads(render(r, "json", "en")) == r.to_dict("en")
    assert "**Category**: —" in render(r, "markdown", "en")
