"""cross_check: what the scans say against the manifest and the file names (CJ209, CJ501-CJ504).

Pure data in and out, so these run without the [scan] extra. Each code has a case that fires and
a near miss that must not."""

from __future__ import annotations

from datetime import date

from changju_check.report import Evidence
from changju_check.scan import ScanFacts, cross_check, same_name, same_unit
from changju_check.scan.reader import FileRead, PageRead, ScanResult
from changju_check.scan.seals import SealCandidate

AS_OF = date(2023, 6, 1)
SEAL = SealCandidate(cx=0.7, cy=0.8, width=0.2, height=0.14, rim_coverage=1.0, hollowness=1.8, confidence=0.99)


def manifest(**values):
    data = {
        "applicant.name": "张三",
        "unit.name": "北京昌聚科技有限公司",
        "applicant.contract.start": None,
        "applicant.contract.end": None,
        "applicant.contract.open_ended": None,
    }
    data.update({k.replace("__", "."): v for k, v in values.items()})
    return lambda name: data.get(name)


def result(*evidence, files=(), pages=(), findings=()):
    return ScanResult(evidence=list(evidence), findings=list(findings), pages=list(pages), files=list(files))


def ev(fact, value, *, material="contract", file="contract.pdf", page=1, confidence=0.98):
    return Evidence(material, file, page, fact, value, confidence)


def run(res, fact=None, *, name_years=None, seal_materials=frozenset()):
    return cross_check(res, fact or manifest(), AS_OF, name_years or {}, set(seal_materials))


def codes_of(findings):
    return [f.code for f in findings]


# ----------------------------------------------------------------------------------- CJ501 contract


def test_contract_end_contradicts_manifest():
    res = result(ev("contract_start", "2022-03-01"), ev("contract_end", "2024-02-29"))
    findings, _ = run(res, manifest(applicant__contract__start=date(2022, 3, 1), applicant__contract__end=date(2025, 2, 28)))
    assert codes_of(findings) == ["CJ501"]
    f = findings[0]
    assert f.severity == "error"
    assert "manifest: 2025-02-28, scan p.1: 2024-02-29" in f.message.en
    assert "清单：2025-02-28，扫描件第1页：2024-02-29" in f.message.zh
    assert (f.material, f.file) == ("contract", "contract.pdf")


def test_contract_matching_dates_pass():
    res = result(ev("contract_start", "2022-03-01"), ev("contract_end", "2025-02-28"))
    findings, facts = run(res, manifest(applicant__contract__start="2022-03-01", applicant__contract__end=date(2025, 2, 28)))
    assert findings == []
    assert facts.contract_end == date(2025, 2, 28)


def test_contract_start_contradicts_manifest():
    res = result(ev("contract_start", "2019-03-01"), ev("contract_end", "2025-02-28"))
    findings, _ = run(res, manifest(applicant__contract__start=date(2022, 3, 1), applicant__contract__end=date(2025, 2, 28)))
    assert codes_of(findings) == ["CJ501"]
    assert "start" in findings[0].message.en and "2019-03-01" in findings[0].message.en


def test_manifest_open_ended_but_scan_has_an_end():
    res = result(ev("contract_start", "2022-03-01"), ev("contract_end", "2025-02-28"))
    findings, _ = run(res, manifest(applicant__contract__open_ended=True))
    assert codes_of(findings) == ["CJ501"]
    assert "manifest: open-ended" in findings[0].message.en
    assert "无固定期限" in findings[0].message.zh


def test_scan_open_ended_but_manifest_has_an_end():
    res = result(ev("contract_open_ended", "true"), ev("contract_start", "2020-07-01"))
    findings, _ = run(res, manifest(applicant__contract__end=date(2025, 2, 28)))
    assert codes_of(findings) == ["CJ501"]
    assert "scan p.1: open-ended" in findings[0].message.en


def test_open_ended_on_both_sides_passes():
    res = result(ev("contract_open_ended", "true"), ev("contract_start", "2020-07-01"))
    findings, facts = run(res, manifest(applicant__contract__open_ended=True, applicant__contract__start="2020-07-01"))
    assert findings == []
    assert facts.contract_open_ended is True and facts.has_contract


def test_low_confidence_reading_does_not_contradict():
    res = result(ev("contract_end", "2024-02-29", confidence=0.3))
    findings, _ = run(res, manifest(applicant__contract__end=date(2025, 2, 28)))
    assert findings == []


def test_contract_only_on_paper_gives_facts_for_cj201_cj202():
    # the manifest has no contract dates: the scan's dates come back for the term rules
    res = result(ev("contract_start", "2022-03-01", page=2), ev("contract_end", "2023-08-31", page=2))
    findings, facts = run(res)
    assert findings == []
    assert facts == ScanFacts(date(2022, 3, 1), date(2023, 8, 31), False, "contract.pdf", 2)


def test_the_latest_contract_is_chosen():
    res = result(
        ev("contract_start", "2019-03-01", file="old.jpg"), ev("contract_end", "2022-02-28", file="old.jpg"),
        ev("contract_start", "2022-03-01", file="new.jpg"), ev("contract_end", "2025-02-28", file="new.jpg"),
    )
    _, facts = run(res)
    assert (facts.contract_file, facts.contract_end) == ("new.jpg", date(2025, 2, 28))


def test_old_contract_scanned_with_manifest_giving_the_new_one():
    res = result(ev("contract_start", "2019-03-01", file="old.jpg"), ev("contract_end", "2022-02-28", file="old.jpg"))
    findings, _ = run(res, manifest(applicant__contract__start="2022-03-01", applicant__contract__end="2025-02-28"))
    assert codes_of(findings) == ["CJ501", "CJ501"]


def test_no_contract_read_gives_empty_facts():
    _, facts = run(result())
    assert facts == ScanFacts() and not facts.has_contract


# ----------------------------------------------------------------------------------- CJ501 names


def id_files(holder="applicant.name"):
    return [FileRead("id_card", "id.jpg", "jpeg", frozenset({"identity"}), holder, 1, 1)]


def test_id_name_contradicts_manifest():
    res = result(ev("name", "王五", material="id_card", file="id.jpg"), files=id_files())
    findings, _ = run(res)
    assert codes_of(findings) == ["CJ501"]
    assert "manifest: 张三, scan p.1: 王五" in findings[0].message.en
    assert "清单：张三，扫描件第1页：王五" in findings[0].message.zh


def test_id_name_matching_passes():
    res = result(ev("name", "张 三", material="id_card", file="id.jpg"), files=id_files())
    assert run(res)[0] == []


def test_contact_persons_id_is_not_compared_with_the_applicant():
    res = result(ev("name", "王五", material="contact_id", file="id.jpg"),
                 files=[FileRead("contact_id", "id.jpg", "jpeg", frozenset({"identity"}), None, 1, 1)])
    assert run(res)[0] == []


def test_passport_name_in_another_order_passes():
    res = result(ev("name", "SMITH JOHN", material="id_card", file="id.jpg"), files=id_files())
    assert run(res, manifest(applicant__name="John Smith"))[0] == []


def test_passport_name_differs():
    res = result(ev("name", "SMITH JANE", material="id_card", file="id.jpg"), files=id_files())
    assert codes_of(run(res, manifest(applicant__name="John Smith"))[0]) == ["CJ501"]


def test_names_in_different_scripts_are_not_compared():
    assert same_name("张三", "ZHANG SAN") is None
    res = result(ev("name", "ZHANG SAN", material="id_card", file="id.jpg"), files=id_files())
    assert run(res)[0] == []


def test_unit_name_contradicts_manifest():
    res = result(ev("unit_name", "北京昌聚软件有限公司", material="licence", file="licence.jpg"))
    findings, _ = run(res)
    assert codes_of(findings) == ["CJ501"]
    assert "北京昌聚软件有限公司" in findings[0].message.zh


def test_unit_name_brackets_and_width_pass():
    assert same_unit("昌聚（北京）科技有限公司", "昌聚(北京)科技有限公司")
    res = result(ev("unit_name", "昌聚(北京)科技有限公司", material="licence", file="licence.jpg"))
    assert run(res, manifest(unit__name="昌聚（北京）科技有限公司"))[0] == []


# ----------------------------------------------------------------------------------- CJ209


def test_expired_id_card():
    res = result(ev("expiry", "2022-01-10", material="id_card", file="id.jpg"), files=id_files())
    findings, _ = run(res)
    assert codes_of(findings) == ["CJ209"]
    assert findings[0].severity == "error"
    assert "2022-01-10" in findings[0].message.en and "2023-06-01" in findings[0].message.en


def test_id_card_valid_on_the_reference_date_passes():
    res = result(ev("expiry", AS_OF.isoformat(), material="id_card", file="id.jpg"), files=id_files())
    assert run(res)[0] == []


def test_long_term_id_never_expires():
    res = result(ev("expiry", "长期", material="id_card", file="id.jpg"), files=id_files())
    assert run(res)[0] == []


# ----------------------------------------------------------------------------------- CJ502


def test_audit_year_contradicts_file_name():
    res = result(ev("year", "2019", material="audit", file="2020审计报告.jpg"))
    findings, _ = run(res, name_years={"2020审计报告.jpg": (2020,)})
    assert codes_of(findings) == ["CJ502"]
    assert findings[0].severity == "warning"
    assert "2020" in findings[0].message.en and "2019" in findings[0].message.en


def test_audit_year_matching_file_name_passes():
    res = result(ev("year", "2020", material="audit", file="2020审计报告.jpg"))
    assert run(res, name_years={"2020审计报告.jpg": (2020,)})[0] == []


def test_audit_year_without_a_year_in_the_name_passes():
    res = result(ev("year", "2019", material="audit", file="审计报告.jpg"))
    assert run(res, name_years={})[0] == []


def test_iit_years_naming_none_of_the_file_names_years():
    res = result(ev("years", "2019,2020", material="iit", file="2021-2022个税.jpg"))
    assert codes_of(run(res, name_years={"2021-2022个税.jpg": (2021, 2022)})[0]) == ["CJ502"]


def test_iit_first_page_showing_one_of_the_named_years_passes():
    # only the first page is read: a record with one year a page shows 2021 there
    res = result(ev("years", "2022", material="iit", file="2021-2022个税.jpg"))
    assert run(res, name_years={"2021-2022个税.jpg": (2021, 2022)})[0] == []


def test_iit_years_covering_the_named_years_pass():
    res = result(ev("years", "2021,2022", material="iit", file="2021-2022个税.jpg"))
    assert run(res, name_years={"2021-2022个税.jpg": (2021, 2022)})[0] == []


# ----------------------------------------------------------------------------------- CJ503


def seal_page(material, file, seals, *, grey=False, page=1):
    return PageRead(material, file, page, "not-read", seals=tuple(seals), greyscale=grey)


def test_no_seal_on_a_material_that_needs_one():
    res = result(pages=[seal_page("integrity", "integrity.jpg", [])])
    findings, _ = run(res, seal_materials={"integrity"})
    assert codes_of(findings) == ["CJ503"]
    assert findings[0].severity == "warning" and findings[0].file == "integrity.jpg"


def test_seal_found_passes():
    res = result(pages=[seal_page("integrity", "integrity.jpg", [SEAL])])
    assert run(res, seal_materials={"integrity"})[0] == []


def test_no_seal_on_a_material_that_needs_none():
    res = result(pages=[seal_page("contract", "contract.jpg", [])])
    assert run(res, seal_materials={"integrity"})[0] == []


def test_seal_on_another_file_of_the_material_passes():
    res = result(pages=[seal_page("commitment", "p1.jpg", []), seal_page("commitment", "p2.jpg", [SEAL])])
    assert run(res, seal_materials={"commitment"})[0] == []


def test_greyscale_scan_says_so():
    res = result(pages=[seal_page("integrity", "integrity.jpg", [], grey=True)])
    findings, _ = run(res, seal_materials={"integrity"})
    assert codes_of(findings) == ["CJ503"]
    assert "colour" in findings[0].message.en and "彩色" in findings[0].message.zh


def test_seal_not_looked_for_gives_no_cj503():
    res = result(pages=[PageRead("integrity", "integrity.jpg", 1, "ocr", seals=None)])
    assert run(res, seal_materials={"integrity"})[0] == []


# ----------------------------------------------------------------------------------- CJ504


def test_read_findings_are_passed_through():
    from changju_check.rulebook import codes

    cj504 = codes.finding("CJ504", "扫描件第1页为空白页", "Page 1 is blank", material="contract", file="blank.jpg")
    findings, _ = run(result(findings=[cj504]))
    assert findings == [cj504]
    assert findings[0].severity == "info"
