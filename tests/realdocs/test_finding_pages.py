"""A finding decided by what a page says names that page (issues 27 and 28: "It names the page to
look at"): the contract's term read on page 3 of a double-sided 人社部 contract (CJ501, CJ201, CJ202,
CJ213), an ID card's 有效期限 (CJ209), the year on a 个税 record against its name (CJ502), the
identity and the unit across documents (CJ505, CJ506), the months of a 社保 record (CJ507), a
licence's 营业期限 (CJ508), a number failing its check character (CJ511), and under --read-scans a
first page without the unit's red seal (CJ503) or without text (CJ504). In `--format json` the
finding has `file` and `page`; the HTML review sheet draws that page beside it.

A term given in changju.yaml decides CJ201/CJ202 from the manifest: no page is named then."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from changju_check.cli import app
from tests.packets import check, findings
from tests.realdocs.test_check_realdocs import REG, YOUTH, registration, youth
from tests.render.htmldom import parse

runner = CliRunner()

CONTRACT = "2-申报人材料/劳动合同.pdf"
NO_TERM = YOUTH  # the youth manifest gives no applicant.contract: the term comes from the contract's pages


def _term(start: str, end: str) -> str:
    return YOUTH.replace("  hired_on: 2021-03-01\n", f"  hired_on: 2021-03-01\n  contract: {{start: {start}, end: {end}}}\n")


def _short_contract(path: Path) -> None:
    """The 人社部 contract printed double-sided (the term on page 3), for 2022-03-01 to 2023-12-31:
    shorter than 2 years, and less than half a year left at 2023-08-31."""
    from tests.realdocs.make_corpus import contract, render_pdf

    render_pdf(contract(fixed=("2022", "3", "1", "2023", "12", "31"), notes_apart=True), path)


def _youth(tmp_path: Path, manifest: str = YOUTH, **files: str) -> Path:
    return youth(tmp_path, manifest=manifest, **files)


# (code, packet, the file and page the finding must name, a word of its message)
CASES = {
    "CJ501-end": ("CJ501", lambda t: _youth(t, _term("2021-03-01", "2025-02-28"), **{"劳动合同.pdf": "contract_term_p3.pdf"}),
                  CONTRACT, 3, "合同截止日期"),
    "CJ501-start": ("CJ501", lambda t: _youth(t, _term("2021-04-01", "2024-02-29"), **{"劳动合同.pdf": "contract_term_p3.pdf"}),
                    CONTRACT, 3, "合同起始日期"),
    "CJ201": ("CJ201", "short", CONTRACT, 3, "不足 2 年"),
    "CJ202": ("CJ202", "short", CONTRACT, 3, "不足半年"),
    "CJ202-page-2": ("CJ202", lambda t: _youth(t, NO_TERM.replace("2023-08-31", "2023-09-02")),
                     CONTRACT, 2, "不足半年"),
    "CJ213": ("CJ213", lambda t: _youth(t, NO_TERM.replace("as_of: 2023-08-31", "as_of: 2021-02-26"),
                                        **{"劳动合同.pdf": "contract_term_p3.pdf"}), CONTRACT, 3, "尚未生效"),
    "CJ209": ("CJ209", lambda t: _youth(t, NO_TERM.replace("2023-08-31", "2026-06-01")),
              "2-申报人材料/身份证.pdf", 1, "证件已过期"),
    "CJ502": ("CJ502", lambda t: _youth(t, **{"个税2021-2022.pdf": None, "纳税记录2021-2022.pdf": "iit_2020_2021.pdf"}),
              "2-申报人材料/纳税记录2021-2022.pdf", 1, "年度"),
    "CJ505": ("CJ505", lambda t: _youth(t, **{"个税2021-2022.pdf": "iit_other_id.pdf"}), CONTRACT, 2, "身份证号码"),
    "CJ506": ("CJ506", lambda t: registration(t, **{"2022年度完税证明.pdf": "tax_other_code.pdf"}), None, 1, "统一社会信用代码"),
    "CJ507": ("CJ507", lambda t: _youth(t, **{"社保缴费记录.pdf": "si_last_202305.pdf"}),
              "2-申报人材料/社保缴费记录.pdf", 1, "最后缴费月份"),
    "CJ508-licence": ("CJ508", lambda t: registration(t, **{"营业执照副本.pdf": "licence_ended.pdf"}),
                      "营业执照副本.pdf", 1, "营业期限"),
    "CJ508-high-tech": ("CJ508", "high_tech", "高新技术企业证书.pdf", 1, "发证时间"),
    "CJ511": ("CJ511", lambda t: _youth(t, **{"身份证.pdf": "id_card_bad_check.pdf"}),
              "2-申报人材料/身份证.pdf", 1, "校验位"),
    # the pages looked at under --read-scans (the unit's papers of this packet are blank grey pages)
    "CJ503": ("CJ503", "read", "1-申报单位材料/单位诚信声明.pdf", 1, "首页"),
    "CJ504": ("CJ504", "read", "1-申报单位材料/2020年度财务审计报告.pdf", 1, "空白页"),
}


def _packet(tmp_path: Path, how) -> Path:
    if how == "short":
        packet = _youth(tmp_path)
        _short_contract(packet / CONTRACT)
        return packet
    if how == "read":
        return _youth(tmp_path)
    if how == "high_tech":
        packet = registration(tmp_path)
        (packet / "changju.yaml").write_text(REG.replace("2023-08-31", "2023-09-01"), encoding="utf-8")
        return packet
    return how(tmp_path)


def _the_finding(items, code: str, word: str):
    chosen = [f for f in items if f["code"] == code and word in f["message"]]
    assert chosen, (code, word, [f["message"] for f in items if f["code"] == code])
    return chosen[0]


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_finding_decided_by_a_page_names_it_in_json_and_the_sheet_draws_it_beside_it(tmp_path, case):
    code, how, file, page, word = CASES[case]
    packet = _packet(tmp_path / "packet", how)
    read = ["--read-scans", "--no-cache"] if how == "read" else []
    if read:
        pytest.importorskip("rapidocr")
        from changju_check import scan

        if not scan.available():
            pytest.skip("needs the [scan] extra")
    out = tmp_path / "report.json"
    result = runner.invoke(app, ["check", str(packet), *read, "--format", "json", "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    found = _the_finding(json.loads(out.read_text(encoding="utf-8"))["findings"], code, word)
    assert found["page"] == page and found["file"] and (file is None or found["file"] == file), found
    # the message names the page too (the contract checks name their source as "file p.N", CJ503 "首页")
    assert f"第{page}页" in found["message"] or f"p.{page}" in found["message"] or code in ("CJ503", "CJ511")

    sheet = tmp_path / "sheet.html"
    result = runner.invoke(app, ["check", str(packet), *read, "--format", "html", "-o", str(sheet)])
    assert result.exit_code in (0, 1), result.output
    doc = parse(sheet.read_text(encoding="utf-8"))
    items = [li for li in doc.find_all("li", cls="finding", data_code=code) if word in li.find(cls="msg").text()]
    assert items, code
    figure = items[0].find("figure", cls="look")
    assert figure is not None, f"{code}: no picture of the page beside the finding"
    assert (figure.get("data-file"), figure.get("data-page")) == (found["file"], str(page))
    src = figure.find("img").get("src")
    assert src.startswith("data:image/jpeg;base64,") and base64.b64decode(src.split(",", 1)[1])[:3] == b"\xff\xd8\xff"
    assert f"第 {page} 页" in figure.find("figcaption").text()


def test_a_term_given_in_the_manifest_decides_cj202_and_names_no_page(tmp_path):
    report = check(_youth(tmp_path, _term("2021-03-01", "2024-02-29").replace("2023-08-31", "2023-09-02")))
    (cj202,) = findings(report, "CJ202")
    assert cj202.page is None and cj202.file is None and cj202.line is not None  # the manifest's line


def test_the_desk_app_shows_page_3_beside_the_contracts_end_date_that_differs(tmp_path):
    import re
    from html import unescape
    from urllib.parse import parse_qs, urlsplit

    from tests.desk.desk_app import start_app

    _, how, file, page, _ = CASES["CJ501-end"]
    running = start_app(str(how(tmp_path / "packet")))
    try:
        running.login()
        status, _, body = running.request("GET", "/check/list")
        assert status == 200
        # the finding in the checklist, its picture right after its message
        (address,) = [unescape(a) for a in re.findall(r'合同截止日期[^<]*<a class="look"[^>]*><img class="look[^"]*" src="([^"]+)"',
                                                       body.decode("utf-8"))]
        query = parse_qs(urlsplit(address).query)
        assert query["file"] == [file] and query["page"] == [str(page)]
        status, headers, picture = running.request("GET", address)
        assert status == 200 and headers["content-type"] == "image/jpeg" and picture[:3] == b"\xff\xd8\xff"
    finally:
        running.stop()
