"""The checklist follows her changes in Explorer: a file moved out, back under a name that says
nothing, then renamed as it should be — each followed within two seconds, and the last re-check
opens only the file whose name changed."""

from __future__ import annotations

import json

from tests.desk.desk_app import copy_packet, start_app


def test_a_file_deleted_then_renamed_back_in_explorer_is_followed_within_two_seconds(tmp_path):
    import time

    packet = copy_packet("youth-complete", tmp_path / "p")
    app = start_app(str(packet))
    try:
        app.login()

        def status_after(change) -> tuple[str, float]:
            before = json.loads(app.request("GET", "/api/state")[2])["version"]
            started = time.monotonic()
            change()
            while time.monotonic() - started < 30:
                state = json.loads(app.request("GET", "/api/state")[2])
                if state["version"] > before and not state["busy"]:
                    break
                time.sleep(0.02)
            report = json.loads(app.request("GET", "/api/report")[2])
            return next(m["status"] for m in report["materials"] if m["id"] == "degree_certification"), time.monotonic() - started

        report_file = packet / "2-申报人材料" / "学信网学历认证报告.pdf"
        aside = packet.parent / "aside.pdf"
        status, took = status_after(lambda: report_file.rename(aside))  # moved out of the folder
        assert status == "missing" and took < 2.0, took
        misnamed = packet / "2-申报人材料" / "新建文件.pdf"
        status, took = status_after(lambda: aside.rename(misnamed))  # back, under a name that says nothing
        status, took = status_after(lambda: misnamed.rename(report_file))  # renamed as it should be
        assert status == "present" and took < 2.0, took
        assert json.loads(app.request("GET", "/api/state")[2])["inspected"] == ["2-申报人材料/学信网学历认证报告.pdf"]
    finally:
        app.stop()
