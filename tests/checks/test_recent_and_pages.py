"""CJ210 — 近三年承担项目; CJ211 — 论文包括刊物封面页、目录页、论文内容页、署名页."""

from tests.packets import check, codes, findings, youth_packet

BASE = f"category: youth\nas_of: 2023-08-31\napplicant: {{equity: {{percent: 40}}}}\nrecommendation: {'字' * 60}\n"


def test_a_project_from_2020_is_within_the_last_three_years(tmp_path):
    root = youth_packet(tmp_path, add={"2-申报人材料/项目/2020年重点研发项目任务书.pdf": 2}, manifest=BASE)
    assert "CJ210" not in codes(check(root))


def test_a_project_from_2019_is_older_than_three_years(tmp_path):
    root = youth_packet(tmp_path, add={"2-申报人材料/项目/2019年重点研发项目任务书.pdf": 2}, manifest=BASE)
    (f,) = findings(check(root), "CJ210")
    assert "2019" in f.message.zh and f.severity == "warning"


def test_an_old_entry_year_in_the_manifest_is_reported(tmp_path):
    text = BASE + "entries:\n  projects: [{title: 某项目, year: 2018}]\n"
    root = youth_packet(tmp_path, add={"2-申报人材料/项目/01-某项目.pdf": 1}, manifest=text)
    assert "CJ210" in codes(check(root))


def test_a_paper_with_cover_contents_and_article_pages_passes(tmp_path):
    root = youth_packet(tmp_path, add={"2-申报人材料/论文/01-论文.pdf": 3}, manifest=BASE + "entries: {papers: [论文]}\n")
    assert "CJ211" not in codes(check(root))


def test_a_two_page_paper_lacks_pages(tmp_path):
    root = youth_packet(tmp_path, add={"2-申报人材料/论文/01-论文.pdf": 2}, manifest=BASE + "entries: {papers: [论文]}\n")
    (f,) = findings(check(root), "CJ211")
    assert f.file.endswith("01-论文.pdf")
