import xml.etree.ElementTree as ET

from changju_check.render import render
from changju_check.report import Finding, Msg

from .conftest import flawed_report
from .helpers import cjk, without_user_text


def parse(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def cases(suite: ET.Element) -> dict[str, ET.Element]:
    return {tc.get("name"): tc for tc in suite.findall("testcase")}


def test_suite_counts(report):
    suite = parse(render(report, "junit", "zh"))
    assert suite.tag == "testsuite"
    assert suite.get("name") == "packets/zhang"
    # 7 materials + the unrecognised file + the manifest (CJ404 has only a line)
    assert suite.get("tests") == "9" == str(len(suite.findall("testcase")))
    assert suite.get("failures") == "2"
    assert suite.get("errors") == "0"
    assert suite.get("skipped") == "3"
    assert suite.get("time") == "0"
    assert len(suite.findall("testcase/failure")) == 2
    assert len(suite.findall("testcase/skipped")) == 3


def test_material_test_cases(report):
    tcs = cases(parse(render(report, "junit", "zh")))
    contract = tcs["2.(5) 申报人与申报单位签订的最新工作合同"]
    assert contract.get("classname") == "packets/zhang.person"  # the packet, then the section
    assert contract.get("file") == "packets/zhang/劳动合同.pdf"
    assert contract.get("time") == "0"
    (failure,) = contract.findall("failure")
    assert failure.get("type") == "CJ201"
    assert failure.get("message").startswith("合同期限不足2年")
    assert "changju.yaml:12" in failure.text

    passing = tcs["1.(1) 营业执照副本"]
    assert list(passing) == []  # a passing material is a passing test case

    missing = tcs["2.(1) 有效身份证件"]
    assert missing.find("failure").get("type") == "CJ101"
    assert "file" not in missing.attrib

    assert tcs["2.(2) 护照"].find("skipped").get("message") == "不适用"
    assert tcs["2.(9) 获奖证书"].find("skipped").get("message") == "可选，未提供"
    waived = tcs["1.(6) 完税证明"]
    assert waived.find("skipped").get("message") == "已豁免：事业单位，无需完税证明"
    assert waived.find("failure") is None

    audit = tcs["1.(4) 近三年财务审计报告"]
    assert audit.find("failure") is None
    assert "CJ306" in audit.find("system-out").text


def test_findings_without_material(report):
    tcs = cases(parse(render(report, "junit", "zh")))
    hostile = tcs["9-其他|说明, 附件:100%.pdf"]
    assert hostile.get("classname") == "packets/zhang.files"
    assert hostile.find("failure") is None  # a warning is not a failure
    assert hostile.find("system-out").text.startswith("warning: CJ103")
    manifest = tcs["changju.yaml"]
    assert "CJ404" in manifest.find("system-out").text


def test_finding_with_neither_file_nor_material_goes_to_packet(report):
    report.findings.append(Finding("CJ601", "error", Msg("缺少申报书", "Application form missing")))
    suite = parse(render(report, "junit", "en"))
    packet = cases(suite)["Packet"]
    assert packet.get("classname") == "packets/zhang.packet"
    assert packet.find("failure").get("type") == "CJ601"
    assert suite.get("failures") == "3"


def test_waived_finding_alone_skips_its_test_case(report):
    report.findings.append(Finding("CJ103", "warning", Msg("x", "x"), file="旧.pdf", waived="留档"))
    tcs = cases(parse(render(report, "junit", "zh")))
    assert "留档" in tcs["旧.pdf"].find("skipped").get("message")


def test_strict_warnings_fail():
    suite = parse(render(flawed_report(strict=True), "junit", "en"))
    assert suite.get("failures") == "4"
    assert cases(suite)["9-其他|说明, 附件:100%.pdf"].find("failure").get("type") == "CJ103"


def test_unusable_packet_is_an_error(unusable_report):
    suite = parse(render(unusable_report, "junit", "en"))
    assert suite.get("errors") == "1" and suite.get("tests") == "1"
    (error,) = suite.findall("testcase/error")
    assert error.get("type") == "CJ401"
    assert suite.find("properties/property[@name='verdict']").get("value") == "unusable"


def test_batch(reports):
    root = parse(render(reports, "junit", "zh"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["packets/zhang", "packets/li", "packets/wang"]
    for key in ("tests", "failures", "errors", "skipped"):
        assert root.get(key) == str(sum(int(s.get(key)) for s in suites))
    assert root.get("tests") == "11"


def test_control_characters_stay_valid_xml(report):
    report.findings.append(Finding("CJ307", "info", Msg("名\x01", "name\x01"), file="a\x01\x1b.pdf"))
    tcs = cases(parse(render(report, "junit", "en")))
    assert "a\\x01\\x1b.pdf" in tcs


def test_english_names_and_messages(report):
    out = render(report, "junit", "en")
    tcs = cases(parse(out))
    assert "2.(5) Latest employment contract between applicant and unit" in tcs
    assert not cjk(without_user_text(out, report))
