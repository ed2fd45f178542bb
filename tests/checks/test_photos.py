"""CJ206 — 提供论坛过程照片，不超过15张."""

from tests.packets import build, check, codes, findings


def forum(tmp_path, n_images=0, pdf_pages=0):
    files = {f"3-现场照片/IMG_{i:04d}.jpg": "jpg" for i in range(n_images)}
    if pdf_pages:
        files["3-论坛照片.pdf"] = pdf_pages
    return check(build(tmp_path, files, "category: forum\nas_of: 2023-08-31\n"))


def test_15_photos_pass(tmp_path):
    assert "CJ206" not in codes(forum(tmp_path, n_images=15))


def test_16_photos_are_too_many(tmp_path):
    (f,) = findings(forum(tmp_path, n_images=16), "CJ206")
    assert "16" in f.message.zh


def test_pages_of_a_pdf_of_photos_count_as_photos(tmp_path):
    assert "CJ206" in codes(forum(tmp_path, n_images=10, pdf_pages=6))
    assert "CJ206" not in codes(forum(tmp_path / "b", n_images=10, pdf_pages=5))


def test_a_press_clipping_pdf_is_not_counted_as_photos(tmp_path):
    files = {f"3-现场照片/IMG_{i:04d}.jpg": "jpg" for i in range(15)}
    files["3-媒体报道.pdf"] = 8
    report = check(build(tmp_path, files, "category: forum\nas_of: 2023-08-31\n"))
    assert "CJ206" not in codes(report)
    assert "3-媒体报道.pdf" in {m.id: m.files for m in report.materials}["forum_photos"]
