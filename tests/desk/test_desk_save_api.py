"""保存 through the app itself (`POST /api/manifest`, as the page sends it): a file that cannot be
edited in place is written whole and the answer says its comments could not be kept (the page
shows it before moving on); a changju.yaml that cannot be read is replaced only on a second,
confirmed request; a hostile one never breaks the 基本情况 page; nothing but changju.yaml is ever
written into the packet."""

from __future__ import annotations

import json

import pytest

from tests.browser import Chromium, missing_reason
from tests.desk.desk_app import copy_packet, start_app

FOLDED = """# 人事处：推荐理由经领导审定，勿改
category: youth
as_of: 2023-08-31
unit: {name: 北京小汤山生物科技有限公司, type: enterprise}
applicant:
  name: 刘雨桐
  nationality: CN
  degree_abroad: false
  hired_on: 2020-12-01
  equity: {percent: 35, largest_natural_person: true}
recommendation: >
  刘雨桐博士专注重组胶原蛋白研发，入选北京市科技新星计划，获授权发明专利1项，
  主持的重组胶原蛋白敷料中试开发项目进展顺利，作为公司创始股东带领团队实现产品上市，创新能力突出，特推荐申报。
"""
ANCHORS = "category: youth\nunit: &u {name: 北京小汤山生物科技有限公司}\napplicant: *u\n"
DEEP = "category: youth\nx: " + "[" * 3000 + "]" * 3000 + "\n"


def files(packet):
    return sorted((str(p.relative_to(packet)), p.stat().st_size if p.name != "changju.yaml" else 0) for p in packet.rglob("*"))


def values(recommendation: str) -> dict:
    return {"unit.name": "北京小汤山生物科技有限公司", "unit.type": "enterprise", "applicant.name": "刘雨桐",
            "applicant.nationality": "中国", "applicant.degree_abroad": "false", "applicant.hired_on": "2020-12-01",
            "applicant.equity.percent": "35", "applicant.equity.largest_natural_person": "true",
            "recommendation": recommendation}


@pytest.fixture
def app_on(tmp_path):
    started = []

    def start(manifest: str):
        packet = copy_packet("youth-complete", tmp_path / "刘雨桐")
        (packet / "changju.yaml").write_text(manifest, encoding="utf-8")
        app = start_app(str(packet))
        started.append(app)
        app.login()
        return app, packet

    yield start
    for app in started:
        app.stop()


def test_a_value_spanning_lines_is_saved_by_writing_the_whole_file_and_the_answer_says_so(app_on):
    app, packet = app_on(FOLDED)
    before = files(packet)
    status, _, body = app.post("/api/manifest", json.dumps({"values": values("新的推荐理由" * 12)}).encode())
    answer = json.loads(body)
    assert status == 200 and "注释没能保留" in answer["note"] and "跨了几行" in answer["note"]
    text = (packet / "changju.yaml").read_text(encoding="utf-8")
    assert "勿改" not in text and "recommendation: " + "新的推荐理由" * 12 in text
    assert files(packet) == before  # nothing but changju.yaml, and no other file


@pytest.mark.parametrize("manifest", [ANCHORS, DEEP])
def test_a_manifest_that_cannot_be_read_is_replaced_only_when_she_confirms(app_on, manifest):
    app, packet = app_on(manifest)
    assert app.post("/api/category", b'{"category": "youth"}')[0] == 200
    assert app.request("GET", "/facts")[0] == 200  # the page is shown, whatever the file holds
    sent = {"values": values("理由" * 30)}
    status, _, body = app.post("/api/manifest", json.dumps(sent).encode())
    assert status == 409 and json.loads(body)["unreadable"] is True and "无法读取" in json.loads(body)["error"]
    assert (packet / "changju.yaml").read_text(encoding="utf-8") == manifest
    status, _, body = app.post("/api/manifest", json.dumps({**sent, "replace": True}).encode())
    assert status == 200 and "无法读取" in json.loads(body)["note"]
    assert "name: 刘雨桐" in (packet / "changju.yaml").read_text(encoding="utf-8")


@pytest.mark.skipif(missing_reason() is not None, reason=missing_reason() or "")
def test_the_page_tells_her_the_comments_could_not_be_kept_before_moving_on(app_on):
    app, packet = app_on(FOLDED)
    with Chromium.start() as browser:
        page = browser.new_page()
        pw = page.pw
        pw.goto(app.url)
        pw.goto(app.base + "/facts")
        pw.fill('textarea[name="recommendation"]', "新的推荐理由" * 12)
        pw.click("[data-action=save]")
        pw.wait_for_selector("#flash [data-action=saved-next]")
        assert "注释没能保留" in pw.inner_text("#flash") and pw.url.endswith("/facts")  # she reads it first
        pw.click("#flash [data-action=saved-next]")
        pw.wait_for_url("**/check")
        assert page.console_errors() == []
