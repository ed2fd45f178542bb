"""Two stages, said plainly (附件4 第1条): the attachments are uploaded to the online system first
(可上传: every attachment the category needs, no error); after the system's review passes the
watermarked 申报书 is downloaded and bound in front of them (可装订). A packet waiting only for its
申报书 has no error (exit 0) and is ready to upload, not to bind."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from changju_check.cli import app
from tests.packets import youth_packet
from tests.render.htmldom import parse

runner = CliRunner()
FORM = {"申报书.pdf": 2}


def check(*args):
    return runner.invoke(app, ["check", *map(str, args), "--no-color"], env={"COLUMNS": "100"})


def test_a_packet_waiting_for_its_application_form_is_ready_to_upload_not_to_bind(tmp_path):
    root = youth_packet(tmp_path / "p")
    result = check(root)
    assert result.exit_code == 0
    lines = result.stdout.rstrip("\n").splitlines()
    assert lines[-2] == "✓ 0 个错误，0 个警告 — 通过"
    assert lines[-1] == "材料齐全，可上传系统；装订前还需下载带水印的申报书（系统审核通过后下载）"
    data = json.loads(check(root, "--format", "json").stdout)
    assert (data["ok"], data["ready_to_upload"], data["ready_to_bind"]) == (True, True, False)


def test_a_packet_with_its_application_form_is_ready_to_bind(tmp_path):
    root = youth_packet(tmp_path / "p", add=FORM)
    result = check(root)
    assert result.exit_code == 0
    assert result.stdout.rstrip("\n").splitlines()[-1] == "材料齐全，可装订：申报书已在材料包中，用 changju bundle 生成装订本"
    data = json.loads(check(root, "--format", "json").stdout)
    assert (data["ready_to_upload"], data["ready_to_bind"]) == (True, True)


def test_a_packet_with_errors_is_ready_for_neither_and_says_what_comes_first(tmp_path):
    root = youth_packet(tmp_path / "p", drop=("2-申报人材料/身份证.pdf",), add=FORM)
    result = check(root)
    assert result.exit_code == 1
    assert result.stdout.rstrip("\n").splitlines()[-1] == "还不能上传系统：先改正上面的 1 个错误"
    data = json.loads(check(root, "--format", "json").stdout)
    assert (data["ready_to_upload"], data["ready_to_bind"]) == (False, False)


def test_the_batch_index_shows_both_stages_per_packet(tmp_path):
    root = tmp_path / "batch"
    youth_packet(root / "ready", add=FORM)
    youth_packet(root / "no-form")
    youth_packet(root / "flawed", drop=("2-申报人材料/身份证.pdf",))
    result = check("--batch", root, "--format", "html", "-o", f"{tmp_path / 'sheets'}/", "--jobs", "1")
    assert result.exit_code == 1, result.stdout + result.stderr
    dom = parse((tmp_path / "sheets" / "index.html").read_text(encoding="utf-8"))
    heads = [th.text() for th in dom.find_all("th")]
    assert "可上传" in heads and "可装订" in heads
    stages = {}
    for tr in dom.find_all("tr"):
        link = tr.find("a")
        if link is not None:
            cells = {td.get("data-field"): td.text() for td in tr.find_all("td") if td.get("data-field")}
            stages[link.text().rsplit("/", 1)[-1]] = (tr.get("data-stage"), cells["upload"], cells["bind"])
    assert stages == {"ready": ("bind", "是", "是"), "no-form": ("upload", "是", "否"), "flawed": ("failed", "否", "否")}


def test_the_summary_says_the_stage_each_passing_packet_reached(tmp_path):
    root = tmp_path / "batch"
    youth_packet(root / "ready", add=FORM)
    youth_packet(root / "no-form")
    out = check("--batch", root, "--summary", "--jobs", "1").stdout
    assert "✓ 可装订" in next(line for line in out.splitlines() if "ready" in line and "可" in line)
    assert "✓ 可上传" in next(line for line in out.splitlines() if "no-form" in line and "可" in line)
    assert "可以上传：2 个，其中可以装订：1 个（共 2 个材料包）" in out


def test_the_registration_is_not_bound_so_no_summary_waits_for_its_application_form():
    """附件4 binds the talent categories' attachments; the registration's materials are not bound. The
    report carries that from the rules (`bound`), and the summary reads it there, not from a name."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "examples"
    doc = json.loads(runner.invoke(app, ["check", str(root / "registration-complete"), "--format", "json"]).stdout)
    assert doc["bound"] is False and doc["ready_to_upload"] is True
    youth = json.loads(runner.invoke(app, ["check", str(root / "youth-complete"), "--format", "json"]).stdout)
    assert youth["bound"] is True
    summary = runner.invoke(app, ["check", str(root / "registration-complete"), str(root / "youth-flawed"),
                                  "--summary", "--format", "csv", "--lang", "en"]).stdout
    registration = next(line for line in summary.splitlines() if "registration-complete" in line)
    assert "no application form" not in registration
