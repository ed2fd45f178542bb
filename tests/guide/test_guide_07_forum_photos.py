"""四（二）3 “高层次科技人才论坛媒体宣传及活动现场展示材料（提供论坛过程照片，不超过15张）”: press
clippings without a single photo of the forum are pointed out (CJ214, a warning)."""

from tests.packets import build, check, codes, findings

BASE = {"1-活动实施方案.pdf": 2, "2-专项审计报告.pdf": 3, "4-成果落地证明.pdf": 1, "5-专家身份证.pdf": 1}


def test_luntan_guocheng_zhaopian_press_clippings_without_photos_are_a_warning(tmp_path):
    report = check(build(tmp_path, {**BASE, "3-媒体报道.pdf": 4}, "category: forum\nas_of: 2023-08-31\n"))
    (f,) = findings(report, "CJ214")
    assert f.severity == "warning" and "论坛过程照片" in f.message.zh


def test_luntan_guocheng_zhaopian_near_miss_one_photo_beside_the_clippings_is_enough(tmp_path):
    files = {**BASE, "3-媒体报道.pdf": 4, "3-现场照片/IMG_0001.jpg": "jpg"}
    assert "CJ214" not in codes(check(build(tmp_path, files, "category: forum\nas_of: 2023-08-31\n")))
    pdf = {**BASE, "3-论坛过程照片.pdf": 6}
    assert "CJ214" not in codes(check(build(tmp_path / "pdf", pdf, "category: forum\nas_of: 2023-08-31\n")))
