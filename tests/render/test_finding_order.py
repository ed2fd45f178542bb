"""Findings in the order a person works through them: severity, packet-wide first, the guide's
numbering (not the material ids' alphabet), then file."""

from datetime import date

from changju_check.report import Finding, MaterialResult, Msg, Report


def _m(id, number):
    return MaterialResult(id=id, section="person", number=number, title=id, title_en=id, required=True,
                          required_now=True, status="missing", accepted=(id, f"{id}_alt"))


def _f(code, severity="error", material=None, file=None, line=None):
    return Finding(code, severity, Msg(code, code), material=material, file=file, line=line)


def test_findings_follow_severity_then_packet_wide_then_the_guides_numbering_then_file():
    report = Report(
        packet="p", category="youth", category_title="青年类人才", category_title_en="Youth", as_of=date(2023, 8, 31),
        materials=[_m("audit_report", "1.(1)"), _m("unit_integrity", "1.(5)"), _m("id_document", "2.(1)"),
                   _m("degree_certification", "2.(3)"), _m("projects", "2.(11)")],
        findings=[
            _f("CJ207", material="projects", line=22),
            _f("CJ101", material="degree_certification"),
            _f("CJ101", material="unit_integrity"),
            _f("CJ102", material="audit_report"),
            _f("CJ301", file="b.pdf"),
            _f("CJ301", file="a.pdf"),
            _f("CJ209", material="id_document_alt", file="护照.pdf"),
            _f("CJ404", "warning", line=30),
            _f("CJ103", "warning", file="扫描件001.pdf"),
            _f("CJ401", "info"),
            _f("CJ208", "warning", material="projects", line=9),
        ],
    )
    got = [(f.code, f.material or f.file or "") for f in report.sorted_findings()]
    assert got == [
        ("CJ102", "audit_report"),  # 1.(1)
        ("CJ101", "unit_integrity"),  # 1.(5)
        ("CJ209", "id_document_alt"),  # 2.(1), through the item's accepted materials
        ("CJ101", "degree_certification"),  # 2.(3)
        ("CJ207", "projects"),  # 2.(11) after 2.(3), not before it
        ("CJ301", "a.pdf"),  # files that belong to no material, by name
        ("CJ301", "b.pdf"),
        ("CJ404", ""),  # warnings: packet-wide first
        ("CJ208", "projects"),
        ("CJ103", "扫描件001.pdf"),
        ("CJ401", ""),
    ]


def test_strict_mode_sorts_warnings_with_the_errors():
    report = Report(packet="p", category="youth", category_title="", category_title_en="", as_of=date(2023, 8, 31),
                    materials=[_m("a", "1.(1)"), _m("b", "1.(2)")], strict=True,
                    findings=[_f("CJ101", material="b"), _f("CJ208", "warning", material="a")])
    assert [f.code for f in report.sorted_findings()] == ["CJ208", "CJ101"]
