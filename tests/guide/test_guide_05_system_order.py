"""“须与系统填报专利顺序保持一致”: an order that cannot be verified is not an error. When files and
entries differ in number (one PDF holding all three patents) the order is a warning that says it
cannot be verified; `entries: {patents: []}` left from a template is “not given” (CJ208)."""

from tests.packets import check, codes, findings, youth_packet

PATENTS = ["一种芯片散热的方法", "一种低功耗电路", "一种封装结构"]


def manifest(entries: str) -> str:
    return (
        "category: youth\nas_of: 2023-08-31\napplicant: {equity: {percent: 40}}\n"
        f"recommendation: {'字' * 60}\nentries:\n  patents: {entries}\n"
    )


def packet(tmp_path, names, entries="[" + ", ".join(PATENTS) + "]"):
    return youth_packet(tmp_path, add={f"2-申报人材料/专利/{n}.pdf": 3 for n in names}, manifest=manifest(entries))


def test_shunxu_one_pdf_holding_all_three_patents_is_a_warning_not_an_error(tmp_path):
    report = check(packet(tmp_path, ["专利证书（3项）"]))
    (f,) = findings(report, "CJ207")
    assert f.severity == "warning" and "无法" in f.message.zh and "3 项" in f.message.zh
    assert report.exit_code == 0


def test_shunxu_near_miss_files_whose_names_put_entries_out_of_order_are_still_an_error(tmp_path):
    report = check(packet(tmp_path, ["01-一种低功耗电路", "02-一种芯片散热的方法", "03-一种封装结构"]))
    assert {f.severity for f in findings(report, "CJ207")} == {"error"}


def test_shunxu_fewer_files_than_entries_still_catches_a_pair_out_of_order(tmp_path):
    report = check(packet(tmp_path, ["01-一种封装结构", "02-一种芯片散热的方法"]))
    severities = sorted(f.severity for f in findings(report, "CJ207"))
    assert severities == ["error", "warning"]
    in_order = check(packet(tmp_path / "b", ["01-一种芯片散热的方法", "02-一种封装结构"]))
    assert [f.severity for f in findings(in_order, "CJ207")] == ["warning"]


def test_shunxu_unnumbered_files_named_after_their_entries_are_in_a_known_order(tmp_path):
    assert "CJ207" not in codes(check(packet(tmp_path, PATENTS)))


def test_shunxu_unnumbered_files_that_name_no_entry_cannot_be_verified_a_warning(tmp_path):
    (f,) = findings(check(packet(tmp_path, ["专利证书a", "专利证书b", "专利证书c"])), "CJ207")
    assert f.severity == "warning" and "没有序号" in f.message.zh


def test_shunxu_empty_entries_from_a_template_are_not_given_cj208(tmp_path):
    report = check(packet(tmp_path, ["01-一种芯片散热的方法", "02-一种低功耗电路"], entries="[]"))
    assert "CJ207" not in codes(report)
    (f,) = findings(report, "CJ208")
    assert "entries.patents" in f.message.zh
