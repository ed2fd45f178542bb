"""一（二）1 “凡涉及拥有市级及以上人才头衔个人信息的项目，均采用线下申报形式”: an applicant who holds a
municipal-or-higher talent title is filed offline (CJ406), whatever talent category the packet names."""

import pytest
from typer.testing import CliRunner

from changju_check.cli import app
from changju_check.manifest import parse_manifest
from tests.packets import check, codes, findings, youth_packet

TITLED = "category: {category}\nas_of: 2023-08-31\napplicant: {{talent_title: {value}}}\n"


@pytest.mark.parametrize("category", ["youth", "research", "startup"])
def test_shiji_ji_yishang_rencai_touxian_is_filed_offline_whatever_the_category(tmp_path, category):
    report = check(youth_packet(tmp_path, manifest=TITLED.format(category=category, value="true")))
    (f,) = findings(report, "CJ406")
    assert "市级及以上人才头衔" in f.message.zh and "线下申报" in f.message.zh
    assert report.materials == [] and report.exit_code == 0


def test_shiji_ji_yishang_near_miss_no_title_is_checked_online(tmp_path):
    report = check(youth_packet(tmp_path, manifest=TITLED.format(category="youth", value="false")))
    assert "CJ406" not in codes(report) and report.materials


def test_shiji_ji_yishang_the_fact_is_in_the_manifest_and_the_init_template(tmp_path):
    assert parse_manifest("applicant: {talent_title: true}").fact("applicant.talent_title") is True
    result = CliRunner().invoke(app, ["init", str(tmp_path / "p"), "--category", "youth"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "p" / "changju.yaml").read_text(encoding="utf-8")
    assert "talent_title: false" in text and "市级及以上人才头衔" in text
    parse_manifest(text)  # the template stays a valid manifest
