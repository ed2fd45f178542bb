"""“中国籍人才提供有效身份证，外籍人才提供有效护照”: the guide's own words, and every usual way to
write a nationality, decide which document is asked for; an unrecognised value is a CJ401 that
names the field and the accepted forms, never silently “foreign”."""

import pytest

from changju_check.manifest import ManifestError, parse_manifest
from tests.packets import check, codes, findings, youth_packet

YOUTH = "category: youth\nas_of: 2023-08-31\napplicant: {{nationality: {value}}}\n"


@pytest.mark.parametrize(
    "value", ["中国籍", "中国", "中国大陆", "中华人民共和国", "Chinese", "China", "CN", "CHN", "PRC", "ＣＮ", "中國"]
)
def test_zhongguoji_rencai_every_way_to_write_china_asks_for_the_id_card(value):
    manifest = parse_manifest(YOUTH.format(value=value))
    assert manifest.applicant.nationality == "CN"
    assert manifest.fact("applicant.foreign") is False


def test_zhongguoji_rencai_the_id_card_is_accepted_for_zhongguoji(tmp_path):
    report = check(youth_packet(tmp_path, manifest=YOUTH.format(value="中国籍")))
    assert {m.id: m.status for m in report.materials}["identity_document"] == "present"


@pytest.mark.parametrize("value, code", [("美国", "US"), ("美国籍", "US"), ("USA", "US"), ("Germany", "DE"), ("德國", "DE"), ("日本国籍", "JP"), ("外籍", "FOREIGN")])
def test_waiji_rencai_other_countries_are_read_from_iso_3166(value, code):
    manifest = parse_manifest(YOUTH.format(value=value))
    assert manifest.applicant.nationality == code
    assert manifest.fact("applicant.foreign") is True


def test_waiji_rencai_a_foreign_national_gives_a_passport(tmp_path):
    report = check(youth_packet(tmp_path, manifest=YOUTH.format(value="美国籍")))
    (f,) = [f for f in findings(report, "CJ101") if f.material == "identity_document"]
    assert "护照" in f.message.zh


def test_an_unrecognised_nationality_is_cj401_naming_the_field_and_the_accepted_forms(tmp_path):
    with pytest.raises(ManifestError) as exc:
        parse_manifest(YOUTH.format(value="火星"))
    assert exc.value.field == "applicant.nationality"
    assert "中国籍" in exc.value.message_zh and "ISO 3166" in exc.value.message_zh
    report = check(youth_packet(tmp_path, manifest=YOUTH.format(value="火星")))
    assert report.fatal is not None and report.fatal.code == "CJ401" and report.exit_code == 2
    assert "applicant.nationality" in report.fatal.message.zh


@pytest.mark.parametrize("value, code", [("香港", "HK"), ("中国香港", "HK"), ("Macau", "MO"), ("台湾", "TW"), ("TW", "TW")])
def test_gangaotai_residents_are_chinese_nationals_not_foreign(value, code):
    manifest = parse_manifest(YOUTH.format(value=value))
    assert manifest.applicant.nationality == code
    assert manifest.fact("applicant.foreign") is False and manifest.fact("applicant.hmt") is True


def test_gangaotai_residents_give_the_residence_permit_or_travel_permit_not_a_passport(tmp_path):
    drop = ("2-申报人材料/身份证.pdf",)
    add = {"2-申报人材料/港澳台居民居住证.pdf": 1}
    report = check(youth_packet(tmp_path, drop=drop, add=add, manifest=YOUTH.format(value="香港")))
    assert {m.id: m.status for m in report.materials}["identity_document"] == "present"
    assert "CJ103" not in codes(report)
    missing = check(youth_packet(tmp_path / "b", drop=drop, manifest=YOUTH.format(value="台湾")))
    (f,) = [f for f in findings(missing, "CJ101") if f.material == "identity_document"]
    assert "居住证" in f.message.zh or "通行证" in f.message.zh


# ---------------------------------------------------------------- shown as people write it


@pytest.mark.parametrize(
    "code, zh, en",
    [("CN", "中国", "China"), ("HK", "香港", "Hong Kong"), ("MO", "澳门", "Macao"), ("TW", "台湾", "Taiwan"),
     ("FOREIGN", "外籍", "foreign"), ("US", "美国", "United States"), ("DE", "德国", "Germany"), ("KR", "韩国", "South Korea")],
)
def test_a_nationality_is_shown_by_its_name_and_the_name_reads_back_the_same(code, zh, en):
    from changju_check.manifest.nationality import nationality_name

    assert nationality_name(code) == zh and nationality_name(code, "en") == en
    for shown in (zh, en):
        assert parse_manifest(YOUTH.format(value=shown)).applicant.nationality == code


def test_every_iso_country_has_a_name_that_reads_back_to_its_code():
    import pycountry

    from changju_check.manifest.nationality import nationality_name, read_nationality

    for country in pycountry.countries:
        for lang in ("zh", "en"):
            name = nationality_name(country.alpha_2, lang)
            assert read_nationality(name) == country.alpha_2, (country.alpha_2, lang, name)
            if lang == "zh":
                assert not name.isascii(), (country.alpha_2, name)  # a Chinese name, not the code


def test_init_writes_zhongguo_where_the_id_card_says_cn_and_the_verdict_is_the_same(tmp_path):
    import json
    import shutil
    from datetime import date

    from typer.testing import CliRunner

    from changju_check.cli import app
    from changju_check.rulebook import template
    from changju_check.rulebook.load import load_rules
    from tests.desk.desk_app import REPO

    rules = load_rules()
    text = template.render(rules, rules.categories["youth"], today=date(2023, 8, 31),
                           read={"applicant.nationality": ("CN", "身份证.pdf 第1页")})
    assert "  nationality: 中国  # 读自 身份证.pdf 第1页\n" in text
    assert "nationality: China  #" in template.render(rules, rules.categories["youth"], "en")
    assert parse_manifest(text).applicant.nationality == "CN"

    runner = CliRunner()
    reports = []
    for name, written in (("cn", "CN"), ("zh", "中国")):
        packet = tmp_path / name
        shutil.copytree(REPO / "examples" / "youth-complete", packet)
        manifest = packet / "changju.yaml"
        manifest.write_text(manifest.read_text(encoding="utf-8").replace("nationality: CN", f"nationality: {written}"), encoding="utf-8")
        result = runner.invoke(app, ["check", str(packet), "--format", "json"])
        data = json.loads(result.stdout)
        data.pop("packet", None)
        reports.append((result.exit_code, data))
    assert reports[0] == reports[1]
    assert [f["value"] for f in reports[1][1].get("facts", []) if f["key"] == "applicant.nationality"] == ["CN"]  # the JSON's contract
