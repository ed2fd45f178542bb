"""CJ207 — 须与系统填报专利/奖项/项目/标准/论文顺序保持一致."""

from tests.packets import check, codes, findings, youth_packet

PATENTS = ["一种芯片散热的方法", "一种低功耗电路", "一种封装结构"]


def manifest(entries):
    items = ", ".join(entries)
    return f"category: youth\nas_of: 2023-08-31\napplicant: {{equity: {{percent: 40}}}}\nrecommendation: {'字' * 60}\nentries:\n  patents: [{items}]\n"


def packet(tmp_path, names, entries=PATENTS):
    return youth_packet(tmp_path, add={f"2-申报人材料/专利/{n}.pdf": 1 for n in names}, manifest=manifest(entries))


def test_files_in_the_systems_order_pass(tmp_path):
    names = [f"{i + 1:02d}-{t}" for i, t in enumerate(PATENTS)]
    assert "CJ207" not in codes(check(packet(tmp_path, names)))


def test_files_out_of_order_are_reported_by_position(tmp_path):
    names = ["01-一种低功耗电路", "02-一种芯片散热的方法", "03-一种封装结构"]
    found = findings(check(packet(tmp_path, names)), "CJ207")
    assert len(found) == 2
    assert any("第1个文件" in f.message.zh and "第2项" in f.message.zh for f in found)


def test_a_count_mismatch_is_reported(tmp_path):
    names = ["01-一种芯片散热的方法", "02-一种低功耗电路"]
    (f,) = findings(check(packet(tmp_path, names)), "CJ207")
    assert "3 项" in f.message.zh and "2 个文件" in f.message.zh


def test_unnumbered_files_that_name_no_entry_cannot_be_ordered(tmp_path):
    (f,) = findings(check(packet(tmp_path, ["专利甲", "专利乙", "专利丙"])), "CJ207")
    assert "没有序号" in f.message.zh and f.severity == "warning"


def test_several_files_without_entries_is_cj208(tmp_path):
    root = youth_packet(
        tmp_path,
        add={"2-申报人材料/专利/01-a专利.pdf": 1, "2-申报人材料/专利/02-b专利.pdf": 1},
        manifest=f"category: youth\nas_of: 2023-08-31\napplicant: {{equity: {{percent: 40}}}}\nrecommendation: {'字' * 60}\n",
    )
    assert [f.material for f in findings(check(root), "CJ208")] == ["personal_patents"]


def test_unnumbered_files_follow_the_systems_entries_in_the_book(tmp_path):
    root = packet(tmp_path, ["一种封装结构", "一种低功耗电路", "一种芯片散热的方法"])
    assigned = check(root).assigned["personal_patents"]
    assert [p.rsplit("/", 1)[1] for p in assigned] == [f"{t}.pdf" for t in PATENTS]


def test_leading_numbers_come_before_the_entries_order(tmp_path):
    root = packet(tmp_path, ["2-一种芯片散热的方法", "1-一种低功耗电路", "一种封装结构"])
    assigned = check(root).assigned["personal_patents"]
    assert [p.rsplit("/", 1)[1] for p in assigned] == ["1-一种低功耗电路.pdf", "2-一种芯片散热的方法.pdf", "一种封装结构.pdf"]
