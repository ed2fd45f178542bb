"""The desk app's parts without a server: a re-check opens only the files that changed; the
questionnaire's answers become a manifest that `check` reads (and a wrong answer is named, not
written); a pasted path loses Explorer's quotes; the verdict in one word from any report, with
or without the fields the one-verdict and facts issues add."""

from __future__ import annotations

import os
import shutil
import time
from datetime import date

import pytest

from changju_check.desk import form, places, view
from changju_check.engine.run import CheckOptions, check_packet
from changju_check.inspect.memo import InspectionMemo
from changju_check.manifest import parse_manifest
from changju_check.render import jsonfmt
from changju_check.rulebook.load import load_rules
from tests.desk.desk_app import REPO, copy_packet


@pytest.fixture
def packet(tmp_path):
    return copy_packet("youth-flawed", tmp_path / "p")


def test_a_recheck_inspects_only_the_file_added_and_says_the_same_as_a_fresh_check(packet):
    memo = InspectionMemo()
    first = check_packet(packet, CheckOptions(memo=memo))
    from changju_check.packet import open_packet

    with open_packet(packet) as opened:
        every_file = sorted(f.path for f in opened.files)
    assert sorted(memo.inspected) == every_file  # the first check opens every file once
    again = check_packet(packet, CheckOptions(memo=memo))
    assert memo.inspected == []
    assert jsonfmt.render(again) == jsonfmt.render(first)
    added = packet / "2-申报人材料" / "学信网学历认证报告.pdf"
    shutil.copy(REPO / "examples" / "youth-complete" / "2-申报人材料" / added.name, added)
    third = check_packet(packet, CheckOptions(memo=memo))
    assert memo.inspected == ["2-申报人材料/学信网学历认证报告.pdf"]
    assert jsonfmt.render(third) == jsonfmt.render(check_packet(packet, CheckOptions()))
    assert next(m for m in third.materials if m.id == "degree_certification").status == "present"


def test_a_file_saved_again_is_inspected_again_and_a_deleted_one_forgotten(packet):
    memo = InspectionMemo()
    check_packet(packet, CheckOptions(memo=memo))
    target = packet / "申报承诺书.pdf"
    target.write_bytes(b"%PDF-1.4 damaged")
    later = time.time() + 5
    os.utime(target, (later, later))
    report = check_packet(packet, CheckOptions(memo=memo))
    assert memo.inspected == ["申报承诺书.pdf"]
    assert any(f.file == "申报承诺书.pdf" and f.severity == "error" for f in report.findings)
    target.unlink()
    check_packet(packet, CheckOptions(memo=memo))
    assert memo.inspected == [] and "申报承诺书.pdf" not in memo._kept


@pytest.mark.parametrize(
    "pasted, expected",
    [('"D:\\申报材料\\张三"', "D:\\申报材料\\张三"), ("  “/tmp/a b”  ", "/tmp/a b"), ("'/x'", "/x"), ("/plain", "/plain"), ('""', "")],
)
def test_a_pasted_path_loses_its_quotes(pasted, expected):
    assert places.clean_path(pasted) == expected


def test_the_folder_listing_shows_folders_and_zips_never_files(tmp_path):
    (tmp_path / "张三").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "李四.zip").write_bytes(b"PK")
    (tmp_path / "身份证.pdf").write_bytes(b"%PDF")
    (tmp_path / "changju.yaml").write_text("category: youth\n", encoding="utf-8")
    entries, scans, manifest = places.listing(tmp_path)
    assert [(e.name, e.kind) for e in entries] == [("张三", "folder"), ("李四.zip", "zip")]
    assert scans == 1 and manifest is True


def _youth():
    return load_rules().categories["youth"]


def test_the_answers_become_a_manifest_that_keeps_what_the_form_does_not_ask():
    existing = {"category": "forum", "as_of": date(2023, 8, 31), "entries": {"papers": ["甲"]}, "applicant": {"name": "旧名", "team": False}}
    values = {"unit.name": "北京某某生物科技有限公司", "unit.type": "enterprise", "applicant.name": "刘雨桐",
              "applicant.nationality": "中国", "applicant.degree_abroad": "false", "applicant.hired_on": "2020-12-01",
              "applicant.contract.start": "2021-03-01", "applicant.contract.end": "", "applicant.contract.open_ended": "true",
              "applicant.equity.percent": "20", "applicant.equity.largest_natural_person": "否", "recommendation": "理由"}
    data = form.build_manifest(existing, "youth", form.fields_for(_youth()), values)
    text = form.manifest_text(data)
    manifest = parse_manifest(text, "changju.yaml")
    assert manifest.category == "youth" and manifest.as_of == date(2023, 8, 31)
    assert manifest.applicant.name == "刘雨桐" and manifest.applicant.team is False
    assert manifest.applicant.contract.start == date(2021, 3, 1) and manifest.applicant.contract.end is None  # open-ended
    assert manifest.applicant.equity.percent == 20 and manifest.applicant.equity.largest_natural_person is False
    assert manifest.entries.papers and text.startswith("# changju.yaml")
    assert form.current_values(data)["applicant.contract.open_ended"] is True


def test_an_emptied_answer_is_removed_and_a_wrong_one_named():
    data = form.build_manifest({"applicant": {"name": "刘雨桐", "hired_on": date(2020, 1, 1)}}, "youth", form.fields_for(_youth()),
                               {"applicant.hired_on": ""})
    assert data["applicant"] == {"name": "刘雨桐"}
    with pytest.raises(form.FormError) as caught:
        form.build_manifest({}, "youth", form.fields_for(_youth()), {"applicant.hired_on": "2020年13月", "applicant.equity.percent": "三十"})
    assert caught.value.problems == ["入职日期：日期应为 年-月-日，如 2023-08-31", "申报人持股比例（%）：请填数字"]


def test_facts_are_read_from_the_reports_facts_or_else_its_evidence():
    with_facts = {"facts": [{"key": "applicant.contract.end", "value": "2025-02-28", "file": "合同.pdf", "page": 2, "confidence": 0.4},
                            {"key": "applicant.contract.end", "value": "2025-02-27", "file": "合同2.pdf", "page": 2, "confidence": 0.9}]}
    read = form.read_facts(with_facts)
    assert read["applicant.contract.end"]["value"] == "2025-02-27" and read["applicant.contract.end"]["sure"]
    evidence = {"evidence": [{"material": "id_card", "file": "身份证.pdf", "page": 1, "fact": "person_name", "value": "刘雨桐", "confidence": 0.3},
                             {"material": "audit_report", "file": "a.pdf", "page": 1, "fact": "year", "value": "2020", "confidence": 1}]}
    read = form.read_facts(evidence)
    assert list(read) == ["applicant.name"] and read["applicant.name"]["sure"] is False


@pytest.mark.parametrize(
    "report, key, upload, bind",
    [
        ({"ok": True, "summary": {"errors": 0}, "ready_to_bind": True}, "pass", True, True),
        ({"ok": True, "summary": {"errors": 0}, "ready_to_bind": False}, "pass", True, False),  # before issue 26: derived
        ({"ok": True, "summary": {"errors": 0}, "ready_to_bind": False, "ready_to_upload": False}, "pass", False, False),
        ({"ok": False, "summary": {"errors": 2}, "ready_to_bind": False}, "fail", False, False),
        ({"ok": True, "summary": {"errors": 0, "review": 1}, "ready_to_bind": False, "ready_to_upload": True}, "review", True, False),
        ({"ok": False, "summary": {"errors": 1}, "fatal": {"message": "没有 changju.yaml"}}, "fail", False, False),
    ],
)
def test_the_verdict_in_one_word_with_its_two_stages(report, key, upload, bind):
    v = view.verdict(report)
    assert (v["key"], v["upload"], v["bind"]) == (key, upload, bind)


def test_a_fact_read_by_ocr_carries_its_box_and_the_crop_is_that_part_of_the_page():
    import io

    from PIL import Image

    from changju_check.desk.server import crop

    report = {"facts": [{"key": "applicant.name", "value": "刘雨桐", "file": "身份证.jpg", "page": 1, "confidence": 0.9}],
              "evidence": [{"material": "id_card", "file": "身份证.jpg", "page": 1, "fact": "name", "value": "刘雨桐",
                            "confidence": 0.9, "box": [0.25, 0.5, 0.75, 0.6]}]}
    assert form.read_facts(report)["applicant.name"]["box"] == "0.2500,0.5000,0.7500,0.6000"
    page = io.BytesIO()
    Image.new("RGB", (400, 600), "white").save(page, "JPEG")
    with Image.open(io.BytesIO(crop(page.getvalue(), (0.25, 0.5, 0.75, 0.6)))) as part:
        assert part.size == (233, 109)  # the box and 4 % of the page around it
