"""The desk app in a real browser (Debian's Chromium driven by Playwright), as the HR officer uses
it: she pastes her folder's path as Explorer copies it (with quotes), picks 青年类人才, confirms the
name read from her ID card, saves, sees what is missing, puts the missing report into the folder
in Explorer and watches the item turn ✓ without reloading, then gets the book as a PDF.
An agency opens a season folder: the table, sorted, filtered, a packet clicked into, the CSV.

Skipped, with the reason, only where Chromium (or Playwright) is missing."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser import Chromium, missing_reason
from tests.desk.desk_app import REPO, copy_packet, env, start_app

pytestmark = pytest.mark.skipif(missing_reason() is not None, reason=missing_reason() or "")


@pytest.fixture(scope="module")
def browser():
    with Chromium.start() as chromium:
        yield chromium


@pytest.fixture
def packet(tmp_path):
    """youth-complete as a packet she is still putting together: no category chosen, the
    applicant's name not typed, the 学信网 report not yet downloaded (kept aside in `spare`)."""
    folder = copy_packet("youth-complete", tmp_path / "张三 申报材料")
    spare = tmp_path / "下载" / "学信网学历认证报告.pdf"
    spare.parent.mkdir()
    shutil.move(folder / "2-申报人材料" / "学信网学历认证报告.pdf", spare)
    text = (folder / "changju.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^category: .*\n", "", text)
    text = re.sub(r"(?m)^  name: 刘雨桐\n", "", text)
    (folder / "changju.yaml").write_text(text, encoding="utf-8")
    return folder, spare


def test_choose_category_confirm_facts_watch_an_item_turn_present_and_bundle(browser, packet, tmp_path):
    folder, spare = packet
    temp = tmp_path / "temp"
    temp.mkdir()
    cache = tmp_path / "cache"
    app = start_app(TMPDIR=str(temp), TEMP=str(temp), TMP=str(temp), CHANGJU_CACHE_DIR=str(cache))  # no folder: she chooses it
    try:
        page = browser.new_page(downloads=True)
        pw = page.pw
        pw.goto(app.url)
        assert pw.url.endswith("/choose")  # the token became a cookie and left the address bar
        pw.fill("input[name=path]", f'"{folder}"')  # Explorer's 复制为路径, quotes and all
        pw.click("form[data-form=open] button[type=submit]")
        pw.wait_for_url("**/category")
        pw.click("button[data-category=youth]")
        pw.wait_for_url("**/facts")

        name = pw.locator('.field[data-key="applicant.name"]')
        assert name.get_attribute("data-fact-state") == "unconfirmed"
        assert name.locator("input").input_value() == "刘雨桐"  # read from 身份证.pdf
        assert "身份证.pdf" in name.locator(".source").inner_text()
        # the ID card says CN; she reads and writes 中国
        assert pw.locator('.field[data-key="applicant.nationality"] input').input_value() == "中国"
        counter = pw.locator('[data-counter="recommendation"]')
        assert "92 字" in counter.inner_text() and "✓" in counter.inner_text()
        pw.fill('textarea[name="recommendation"]', "太短")
        assert "还差 48 字" in counter.inner_text()  # live, as she types
        pw.fill('textarea[name="recommendation"]', "刘雨桐博士专注重组胶原蛋白研发，入选北京市科技新星计划，获授权发明专利1项，主持的重组胶原蛋白敷料中试开发项目进展顺利，作为公司创始股东带领团队实现产品上市，创新能力突出，特推荐申报。")

        pw.click("[data-action=save]")  # refused: a read fact is not confirmed yet
        pw.wait_for_selector("#flash:not([hidden])")
        assert "没有确认" in pw.inner_text("#flash")
        assert "category" not in (folder / "changju.yaml").read_text(encoding="utf-8")
        name.locator("[data-fact=confirm]").click()
        for other in pw.locator('.field[data-fact-state="unconfirmed"]').all():
            other.locator("[data-fact=confirm]").click()
        pw.click("[data-action=save]")
        pw.wait_for_url("**/check")

        saved = (folder / "changju.yaml").read_text(encoding="utf-8")
        assert "category: youth" in saved and "name: 刘雨桐" in saved and "papers:" in saved  # entries kept
        assert saved.startswith("# youth-complete: example packet")  # the file's comments kept
        assert "  # 92 characters\n" in saved and "entries:  # in the order entered" in saved
        assert "  name: 刘雨桐  # 读自 2-申报人材料/身份证.pdf 第1页\n" in saved  # confirmed from the ID card: where it was read
        assert "unit: {name: 北京小汤山生物科技有限公司, type: enterprise}\n" in saved  # unchanged: untouched
        assert sorted(p.name for p in folder.iterdir()) == sorted(["1-申报单位材料", "2-申报人材料", "changju.yaml", "个人诚信声明.pdf", "单位诚信声明.pdf", "申报书.pdf", "申报承诺书.pdf"])

        item = pw.locator('[data-material="degree_certification"]')
        assert item.get_attribute("data-status") == "missing"
        assert pw.get_attribute("[data-verdict]", "data-verdict") == "fail"
        assert "学信网" in item.inner_text() or "认证" in item.inner_text()
        assert pw.locator('[data-section="unit"] h2').inner_text().startswith("1.")
        assert pw.locator('[data-action="bundle"]').is_disabled()

        pw.evaluate("window.__stay = 1")  # gone if the page reloads
        shutil.copy(spare, folder / "2-申报人材料" / spare.name)  # she saves the download into the folder
        pw.wait_for_selector('[data-material="degree_certification"][data-status="present"]', timeout=15_000)
        assert pw.evaluate("window.__stay") == 1  # no reload: the list was replaced in place
        assert pw.get_attribute("[data-verdict]", "data-verdict") == "pass"
        assert "可装订：是" in pw.inner_text("#verdict")

        thumb = pw.locator('[data-material="degree_certification"] img.thumb').first  # the 学历 and the 学位 report: two parts, two pictures
        thumb.scroll_into_view_if_needed()
        pw.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle(), timeout=30_000)

        with pw.expect_download(timeout=300_000) as download:
            pw.click('[data-action="bundle"]')
        book = download.value
        assert book.suggested_filename.endswith("装订本.pdf")
        data = Path(book.path()).read_bytes()
        assert data.startswith(b"%PDF-")
        from pypdf import PdfReader

        assert len(PdfReader(io.BytesIO(data)).pages) > 10
        assert not list(folder.rglob("*装订本*"))  # never inside the packet
        assert list(temp.iterdir()) == []  # no copy of a scan left in the temporary folder
        assert page.console_errors() == []
        assert all(u.startswith(app.base) or u.startswith("blob:") or u.startswith("data:") for u in page.requests())

        sheet = browser.new_page()
        sheet.pw.context.add_cookies(page.pw.context.cookies())
        sheet.pw.goto(app.base + "/sheet")
        assert sheet.pw.locator("article.item").count() > 10
        assert sheet.evaluate("document.scripts.length") == 0
        pw.click("[data-action=quit]")
        assert app.proc.wait(30) == 0  # 退出 ends the app
        assert list(temp.iterdir()) == []

        again = start_app(CHANGJU_CACHE_DIR=str(cache))  # the next day: her folder is among the recent ones
        try:
            page = browser.new_page()
            page.pw.goto(again.url)
            assert page.pw.locator("a.place.recent", has_text=folder.name).count() == 1
        finally:
            again.stop()
    finally:
        app.stop()


def test_closing_the_last_tab_ends_the_app(browser, tmp_path):
    folder = copy_packet("youth-flawed", tmp_path / "p")
    app = start_app(str(folder))
    try:
        page = browser.new_page()
        page.pw.goto(app.url)
        page.pw.wait_for_selector("[data-verdict]")
        page.pw.goto(app.base + "/facts")  # moving between the steps does not end it
        page.pw.wait_for_selector("form[data-form=facts]")
        assert app.proc.poll() is None
        page.pw.close()
        assert app.proc.wait(60) == 0
    finally:
        app.stop()


def test_a_season_folder_opens_as_the_agency_table(browser, tmp_path):
    season = tmp_path / "2023 第一批"
    season.mkdir()
    for name in ("youth-complete", "youth-flawed", "forum-flawed"):
        copy_packet(name, season / name)
    app = start_app(str(season))
    try:
        page = browser.new_page(downloads=True)
        pw = page.pw
        pw.goto(app.url)
        pw.wait_for_url("**/batch")
        rows = pw.locator("table.batch tbody tr")
        assert rows.count() == 3
        names = lambda: [r.inner_text().split("\t")[0].strip() for r in rows.all()]  # noqa: E731
        pw.click("th:has-text('错误')")
        first = names()
        pw.click("th:has-text('错误')")
        assert names() == list(reversed(first))
        pw.fill("[data-filter=batch]", "forum")
        assert [r.is_visible() for r in rows.all()].count(True) == 1
        pw.fill("[data-filter=batch]", "")
        with pw.expect_download() as download:
            pw.click("a:has-text('导出 CSV')")
        got = Path(download.value.path()).read_bytes()
        cli = subprocess.run([sys.executable, "-m", "changju_check", "check", "--batch", str(season), "--summary", "--format", "csv"],
                             cwd=REPO, capture_output=True, env=env())
        assert got == cli.stdout  # the same as --summary --format csv
        assert len(list(csv.reader(io.StringIO(got.decode("utf-8-sig"))))) == 4
        pw.click("tr[data-packet$='youth-flawed']")
        pw.wait_for_url("**/check")
        assert pw.get_attribute("[data-verdict]", "data-verdict") == "fail"
        assert pw.locator("nav a:has-text('汇总表')").count() == 1
    finally:
        app.stop()


def test_save_to_a_folder_chosen_in_the_apps_own_folder_browser_never_inside_the_packet(browser, tmp_path):
    """另存到: she picks the folder in the same browser as the packet's (桌面, 文档, 下载, drives), not a
    typed path; inside the packet is refused with the reason; the book lands in the folder chosen."""
    home = tmp_path / "home"
    desktop = home / "Desktop"
    folder = copy_packet("youth-complete", desktop / "张三 申报材料")
    (desktop / "装订本").mkdir()
    app = start_app(str(folder), HOME=str(home), USERPROFILE=str(home))
    try:
        page = browser.new_page()
        pw = page.pw
        pw.goto(app.url)
        pw.wait_for_selector('[data-verdict="pass"]')
        assert pw.locator('[data-action="bundle"]').is_enabled()  # the download is still there
        pw.click('[data-action="bundle-save"]')
        dialog = pw.locator("dialog#save-to")
        dialog.wait_for(state="visible")
        assert page.dialogs == []  # no prompt() for a typed path
        dialog.locator("[data-places] button", has_text="桌面").click()
        entries = dialog.locator("[data-entries]")
        entries.locator("button", has_text="装订本").wait_for()
        assert sorted(entries.locator("button").all_inner_texts()) == ["▸ 张三 申报材料", "▸ 装订本"]

        entries.locator("button", has_text="张三 申报材料").click()  # into the packet: refused
        dialog.locator("[data-path]", has_text="张三 申报材料").wait_for()
        dialog.locator('[data-action="bundle-here"]').click()
        problem = dialog.locator("[data-problem]")
        problem.wait_for(state="visible")
        assert "不能保存在材料包里" in problem.inner_text()
        assert not list(folder.rglob("*装订本*"))

        dialog.locator("[data-browse-up]").click()
        entries.locator("button", has_text="装订本").click()
        dialog.locator("[data-path]", has_text="装订本").wait_for()
        dialog.locator('[data-action="bundle-here"]').click()
        dialog.wait_for(state="hidden", timeout=300_000)
        assert "已保存装订本" in pw.inner_text("#flash")
        (book,) = (desktop / "装订本").iterdir()
        assert book.name == "张三 申报材料-装订本.pdf" and book.read_bytes().startswith(b"%PDF-")
        assert str(book) in pw.inner_text("#flash")
        assert not list(folder.rglob("*装订本*"))
        assert [e for e in page.console_errors() if "status of 400" not in e] == []  # the refusal is the one 400
    finally:
        app.stop()
