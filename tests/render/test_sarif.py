import json
import re
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest

import changju_check
from changju_check.rulebook import codes
from changju_check.render import render
from changju_check.render.explain import explain_body
from changju_check.render.sarif import artifact_location, rule_name, sarif_log

from .conftest import HOSTILE_FILE, flawed_report
from .helpers import cjk

SCHEMA = json.loads((Path(__file__).parents[1] / "data" / "sarif-2.1.0.json").read_text(encoding="utf-8"))

_FORMATS = jsonschema.FormatChecker()


@_FORMATS.checks("uri")
@_FORMATS.checks("uri-reference")
def _is_uri(value: object) -> bool:
    """A URI here is ASCII without spaces or characters that must be percent-encoded."""
    return not isinstance(value, str) or re.fullmatch(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*", value) is not None


def validate(text: str) -> dict:
    log = json.loads(text)
    jsonschema.Draft4Validator(SCHEMA, format_checker=_FORMATS).validate(log)
    return log


def results_by_code(log: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in log["runs"][0]["results"]:
        out.setdefault(r["ruleId"], []).append(r)
    return out


def test_validates_against_the_sarif_schema(report, ok_report, unusable_report, reports, lang):
    for r in (report, ok_report, unusable_report):
        validate(render(r, "sarif", lang))
    validate(render(reports, "sarif", lang))


def test_schema_check_is_real():
    """The shipped schema does reject a broken log (so the test above means something)."""
    with pytest.raises(jsonschema.ValidationError):
        validate(json.dumps({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]}))
    bad = json.loads(render(flawed_report(), "sarif"))
    bad["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        validate(json.dumps(bad))
    unencoded = json.loads(render(flawed_report(), "sarif"))
    unencoded["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "合同 1.pdf"
    with pytest.raises(jsonschema.ValidationError, match="uri"):
        validate(json.dumps(unencoded))


def test_top_level_and_driver(report):
    log = validate(render(report, "sarif", "zh"))
    assert log["version"] == "2.1.0"
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert len(log["runs"]) == 1
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "changju"
    assert driver["version"] == changju_check.__version__
    assert driver["informationUri"].startswith("https://")


def test_rules_are_the_whole_catalogue(report, lang):
    log = validate(render(report, "sarif", lang))
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    catalogue = codes.catalogue()
    assert [r["id"] for r in rules] == sorted(catalogue)
    for rule in rules:
        entry = catalogue[rule["id"]]
        assert rule["name"] == rule_name(entry.title.en)
        assert rule["shortDescription"]["text"] == entry.title.get(lang)
        assert rule["fullDescription"]["text"] == entry.description.get(lang)
        assert rule["help"]["text"] == explain_body(entry.code, lang)
        assert entry.fix.get(lang) in rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] == {"error": "error", "warning": "warning", "review": "warning", "info": "note"}[entry.severity]


def test_rule_name():
    assert rule_name("Required material missing") == "RequiredMaterialMissing"
    assert rule_name("Recommendation outside 50-200 characters") == "RecommendationOutside50200Characters"


def test_results_levels_and_indices(report):
    log = validate(render(report, "sarif", "zh"))
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len(run["results"]) == len(report.findings)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    by = results_by_code(log)
    assert by["CJ201"][0]["level"] == "error"
    assert by["CJ103"][0]["level"] == "warning"
    assert by["CJ306"][0]["level"] == "note"


def test_manifest_line_with_file_points_at_the_manifest_and_relates_the_file(report):
    log = validate(render(report, "sarif", "zh"))
    (result,) = results_by_code(log)["CJ201"]
    (loc,) = result["locations"]
    phys = loc["physicalLocation"]
    assert phys["artifactLocation"] == {"uri": "packets/zhang/changju.yaml", "uriBaseId": "%SRCROOT%"}
    assert phys["region"] == {"startLine": 12}
    (related,) = result["relatedLocations"]
    uri = related["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "packets/zhang/%E5%8A%B3%E5%8A%A8%E5%90%88%E5%90%8C.pdf"
    assert unquote(uri) == "packets/zhang/劳动合同.pdf"
    assert "[劳动合同.pdf](1)" in result["message"]["text"]
    assert related["id"] == 1


def test_file_only_finding_points_at_the_file_percent_encoded(report):
    log = validate(render(report, "sarif", "en"))
    (result,) = results_by_code(log)["CJ103"]
    phys = result["locations"][0]["physicalLocation"]
    uri = phys["artifactLocation"]["uri"]
    assert unquote(uri) == "packets/zhang/" + HOSTILE_FILE
    for raw in ("|", ",", ":", " ", "%."):
        assert raw not in uri
    assert phys["region"] == {"startLine": 1}
    assert "relatedLocations" not in result


def test_finding_without_file_or_line_points_at_the_manifest(report):
    log = validate(render(report, "sarif", "zh"))
    missing = [r for r in results_by_code(log)["CJ101"] if "suppressions" not in r]
    (result,) = missing
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "packets/zhang/changju.yaml"
    assert result["message"]["text"].startswith("2.(1) 有效身份证件: ")
    assert result["properties"] == {"packet": "packets/zhang", "material": "id_document"}


def test_line_only_finding(report):
    log = validate(render(report, "sarif", "zh"))
    (result,) = results_by_code(log)["CJ404"]
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 30}


def test_waived_findings_are_suppressed(report):
    log = validate(render(report, "sarif", "zh"))
    waived = [r for r in results_by_code(log)["CJ101"] if "suppressions" in r]
    assert len(waived) == 1
    assert waived[0]["suppressions"] == [
        {"kind": "external", "status": "accepted", "justification": "事业单位，无需完税证明"}
    ]


def test_strict_mode_levels():
    log = validate(render(flawed_report(strict=True), "sarif", "en"))
    assert results_by_code(log)["CJ103"][0]["level"] == "error"


def test_fatal_is_a_result(unusable_report):
    log = validate(render(unusable_report, "sarif", "en"))
    (result,) = log["runs"][0]["results"]
    assert result["ruleId"] == "CJ401" and result["level"] == "error"
    assert result["properties"]["fatal"] is True
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 3}


def test_fingerprints_are_distinct_and_stable(report):
    log = validate(render(report, "sarif", "zh"))
    prints = [r["partialFingerprints"]["changjuFinding/v1"] for r in log["runs"][0]["results"]]
    assert len(set(prints)) == len(prints)
    again = json.loads(render(flawed_report(), "sarif", "en"))
    assert prints == [r["partialFingerprints"]["changjuFinding/v1"] for r in again["runs"][0]["results"]]


def test_batch_is_one_run_with_every_packet(reports):
    log = validate(render(reports, "sarif", "zh"))
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    assert len(run["results"]) == sum(len(r.findings) + (1 if r.fatal else 0) for r in reports)
    assert {r["properties"]["packet"] for r in run["results"]} == {"packets/zhang", "packets/wang"}
    assert [p["verdict"] for p in run["properties"]["packets"]] == ["failed", "passed", "unusable"]


def test_absolute_packet_paths(report):
    report.packet = "/home/ci/repo/packets/zhang"
    log = validate(render(report, "sarif", "zh"))
    loc = results_by_code(log)["CJ103"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert loc["uri"].startswith("file:///home/ci/repo/packets/zhang/") and "uriBaseId" not in loc
    log = validate(render(report, "sarif", "zh", srcroot="/home/ci/repo"))
    loc = results_by_code(log)["CJ103"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert loc["uriBaseId"] == "%SRCROOT%" and loc["uri"].startswith("packets/zhang/")


def test_artifact_location_forms():
    assert artifact_location("./a b/c.pdf") == {"uri": "a%20b/c.pdf", "uriBaseId": "%SRCROOT%"}
    assert artifact_location("C:\\data\\x.pdf") == {"uri": "file:///C:/data/x.pdf"}
    assert artifact_location("C:\\data\\p\\x.pdf", srcroot="C:\\data") == {"uri": "p/x.pdf", "uriBaseId": "%SRCROOT%"}


def test_zip_packet(report):
    report.packet = "packets/zhang.zip"
    log = validate(render(report, "sarif", "zh"))
    loc = results_by_code(log)["CJ103"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert loc["uri"] == "packets/zhang.zip"
    assert loc["description"]["text"] == HOSTILE_FILE


def test_english_results_and_titles_are_english(report):
    log = validate(render(report, "sarif", "en"))
    run = log["runs"][0]
    assert run["language"] == "en-US"
    for rule in run["tool"]["driver"]["rules"]:
        assert not cjk(rule["shortDescription"]["text"]), rule["id"]
    for result in run["results"]:
        text = result["message"]["text"]
        for name in ("劳动合同.pdf",):
            text = text.replace(name, "")
        assert not cjk(text), text


def test_material_missing_from_checklist_and_unknown_code(report):
    from changju_check.report import Finding, Msg

    report.findings.append(Finding("CJ999", "warning", Msg("奇怪", "odd"), material="ghost"))
    log = validate(render(report, "sarif", "en"))
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[-1]["id"] == "CJ999"
    (result,) = results_by_code(log)["CJ999"]
    assert result["message"]["text"] == "ghost: odd"


def test_sarif_log_helper_matches_render(report):
    assert json.loads(render(report, "sarif", "zh")) == sarif_log([report], "zh")
