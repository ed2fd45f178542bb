import json

from changju_check.render import render
from changju_check.render.jsonfmt import batch_dict

from .conftest import flawed_report


def test_json_equals_the_reports_own_dict(report, lang):
    out = render(report, "json", lang)
    assert json.loads(out) == report.to_dict(lang)


def test_json_is_byte_identical_across_renders(lang):
    first = render(flawed_report(), "json", lang).encode("utf-8")
    second = render(flawed_report(), "json", lang).encode("utf-8")
    assert first == second


def test_json_layout(report):
    out = render(report, "json", "zh")
    assert out.endswith("}\n") and not out.endswith("\n\n")
    assert "科技创业类" in out  # ensure_ascii=False
    assert out.startswith('{\n  "ok": false,\n  "category": "startup"')  # the report's own key order


def test_json_batch(reports, lang):
    data = json.loads(render(reports, "json", lang))
    assert data == batch_dict(reports, lang)
    assert [p["packet"] for p in data["packets"]] == ["packets/zhang", "packets/li", "packets/wang"]
    assert data["packets"][0] == reports[0].to_dict(lang)
    assert data["summary"] == {"packets": 3, "passed": 1, "failed": 1, "unusable": 1, "errors": 3, "warnings": 2}
