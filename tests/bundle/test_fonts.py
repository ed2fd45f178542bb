"""The TOC font: explicit, shipped subset, system, STSong-Light fallback; coverage checks."""

from __future__ import annotations

import os
import struct
from pathlib import Path

from pypdf import PdfReader

import reportlab
from changju_check.bundle import BookFile, BookMaterial, BookOptions, build_book, fonts
from changju_check.bundle.fonts import SHIPPED_FONT, choose_font, latin_ok, sfnt_faces, system_font_candidates
from changju_check.bundle.toc import TOC_FIXED_TEXT

from .helpers import page_text, pdf_bytes, squash

VERA = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"  # Latin only
TEXT = TOC_FIXED_TEXT + "申报单位 2020、2021、2022 年度《财务审计报告》12–15"


def make_ttc(faces: list[bytes]) -> bytes:
    """A TrueType collection of the given .ttf files (table offsets rewritten)."""
    header_len = 12 + 4 * len(faces)
    dirs, tables, offsets = [], [], []
    pos = header_len + sum(12 + 16 * struct.unpack(">H", f[4:6])[0] for f in faces)
    for face in faces:
        (n,) = struct.unpack(">H", face[4:6])
        records = []
        for i in range(n):
            tag, checksum, off, length = struct.unpack(">4sIII", face[12 + 16 * i : 28 + 16 * i])
            data = face[off : off + length]
            records.append(struct.pack(">4sIII", tag, checksum, pos, length))
            padded = data + b"\0" * (-len(data) % 4)
            tables.append(padded)
            pos += len(padded)
        dirs.append(face[:12] + b"".join(records))
    for d in dirs:
        offsets.append(header_len + sum(len(x) for x in dirs[: len(offsets)]))
    head = b"ttcf" + struct.pack(">I", 0x00010000) + struct.pack(">I", len(faces)) + b"".join(struct.pack(">I", o) for o in offsets)
    return head + b"".join(dirs) + b"".join(tables)


def fake_cff_font(path: Path) -> Path:
    """What Noto Sans CJK .otf looks like from its table directory: OTTO + CFF."""
    tags = [b"CFF ", b"OS/2", b"cmap", b"head"]
    header = b"OTTO" + struct.pack(">HHHH", len(tags), 64, 2, 0)
    records = b"".join(struct.pack(">4sIII", t, 0, 0, 0) for t in tags)
    path.write_bytes(header + records + b"\0" * 64)
    return path


# ----------------------------------------------------------------------------- shipped subset


def test_shipped_font_is_small_licensed_and_glyf_based():
    assert SHIPPED_FONT.is_file()
    assert SHIPPED_FONT.stat().st_size < 2 * 1024 * 1024
    licence = SHIPPED_FONT.with_name("DroidSansFallback-LICENSE.txt").read_text(encoding="utf-8")
    assert "Apache License" in licence and "Version 2.0" in licence
    notice = SHIPPED_FONT.with_name("DroidSansFallback-NOTICE.txt").read_text(encoding="utf-8")
    assert "Droid Sans Fallback" in notice and "subset" in notice
    ((_, outline, tags),) = sfnt_faces(SHIPPED_FONT)
    assert outline == "glyf" and b"glyf" in tags


def test_shipped_font_covers_every_title_of_the_rule_files():
    """Fails when a rule file gains a character the subset lacks: re-run make_font_subset.py."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    from changju_check.bundle.make_font_subset import gb2312_chars, required_chars, rule_titles

    assert len(rule_titles()) > 20  # the rule files are there and have titles
    cmap = TTFontFile(str(SHIPPED_FONT)).charToGlyph
    missing = sorted(ch for ch in required_chars() if ord(ch) not in cmap and not latin_ok(ch))
    assert missing == [], "re-run python -m changju_check.bundle.make_font_subset"
    assert all(ord(ch) in cmap for ch in gb2312_chars() if "\u4e00" <= ch <= "\u9fff")


# ----------------------------------------------------------------------------- choose_font


def test_explicit_font_wins():
    choice = choose_font(TEXT, SHIPPED_FONT)
    assert (choice.source, choice.face_name, choice.embedded) == ("option", "DroidSansFallback", True)
    assert choice.warnings == ()


def test_explicit_cff_font_is_skipped_with_a_reason(tmp_path):
    otf = fake_cff_font(tmp_path / "NotoSansCJKsc-Regular.otf")
    choice = choose_font(TEXT, otf, system=[])
    assert choice.source == "shipped"
    (path, reason), = [s for s in choice.skipped if s[0] == str(otf)]
    assert "CFF" in reason.en and "CFF" in reason.zh
    assert len(choice.warnings) == 1 and str(otf) in choice.warnings[0].en


def test_cff_collection_faces_are_all_skipped(tmp_path):
    one = fake_cff_font(tmp_path / "a.otf").read_bytes()
    ttc = tmp_path / "NotoSansCJK-Regular.ttc"
    ttc.write_bytes(b"ttcf" + struct.pack(">II", 0x00010000, 2) + struct.pack(">II", 20, 20) + one)
    assert [f[1] for f in sfnt_faces(ttc)] == ["OTTO", "OTTO"]
    choice = choose_font(TEXT, None, system=[ttc], shipped=tmp_path / "missing.ttf")
    assert choice.source == "cid-fallback"
    assert "CFF" in dict(choice.skipped)[str(ttc)].en


def test_a_font_without_chinese_is_skipped():
    choice = choose_font(TEXT, VERA, system=[])
    assert choice.source == "shipped"
    reason = dict(choice.skipped)[str(VERA)]
    assert "lacks" in reason.en and "缺少" in reason.zh


def test_missing_and_garbage_font_files_are_skipped(tmp_path):
    junk = tmp_path / "junk.ttf"
    junk.write_bytes(b"not a font at all, not even close")
    choice = choose_font(TEXT, tmp_path / "nope.ttf", system=[junk])
    assert choice.source == "shipped"
    assert "no such file" in dict(choice.skipped)[str(tmp_path / "nope.ttf")].en
    choice = choose_font(TEXT, None, system=[junk], shipped=tmp_path / "missing.ttf")
    skipped = dict(choice.skipped)
    assert "not a usable font" in skipped[str(junk)].en
    assert "shipped font file is missing" in skipped[str(tmp_path / "missing.ttf")].en


def test_the_right_face_of_a_ttc_is_used(tmp_path):
    ttc = tmp_path / "mixed.ttc"
    ttc.write_bytes(make_ttc([VERA.read_bytes(), SHIPPED_FONT.read_bytes()]))
    choice = choose_font(TEXT, None, system=[ttc], shipped=tmp_path / "missing.ttf")
    assert (choice.source, choice.path, choice.subfont_index) == ("system", str(ttc), 1)


def test_the_shipped_subset_comes_before_system_fonts(tmp_path):
    """The 1 MB subset is parsed in a fraction of the time a 10-17 MB system collection takes:
    a TOC it can set never opens a system font."""
    copy = tmp_path / "simsun.ttf"
    copy.write_bytes(SHIPPED_FONT.read_bytes())
    choice = choose_font(TEXT, None, system=[copy])
    assert (choice.source, choice.path) == ("shipped", str(SHIPPED_FONT))
    assert choice.skipped == ()


def test_a_system_font_sets_a_toc_with_characters_the_subset_lacks():
    """≤ and π are not in the subset (nor in WinAnsi, which Times-Roman sets): the system font
    that has them is used, and the subset is named as skipped with the reason."""
    choice = choose_font("≤π", None, system=[VERA])
    assert (choice.source, choice.path) == ("system", str(VERA))
    assert "lacks 2 characters" in dict(choice.skipped)[str(SHIPPED_FONT)].en


def test_a_character_missing_from_every_font_falls_back_to_stsong():
    choice = choose_font(TEXT + "\U00020000", None, system=[])  # CJK Extension B: not in the subset
    assert choice.source == "cid-fallback" and not choice.embedded
    assert "lacks" in dict(choice.skipped)[str(SHIPPED_FONT)].en


def test_system_font_candidates_globs_in_order_without_duplicates(tmp_path):
    (tmp_path / "a" / "deep").mkdir(parents=True)
    first = tmp_path / "a" / "deep" / "wqy-microhei.ttc"
    first.write_bytes(b"x")
    second = tmp_path / "simsun.ttc"
    second.write_bytes(b"x")
    link = tmp_path / "link.ttc"
    os.symlink(second, link)
    (tmp_path / "dir.ttc").mkdir()
    found = system_font_candidates([str(tmp_path / "simsun.ttc"), str(tmp_path / "**" / "wqy-microhei.ttc"), str(tmp_path / "link.ttc"), str(tmp_path / "dir.ttc")])
    assert found == [second, first]


def test_default_patterns_name_the_usual_places():
    joined = "\n".join(fonts.SYSTEM_FONT_PATTERNS)
    for name in ("simsun.ttc", "msyh.ttc", "simhei.ttf", "STHeiti", "Arial Unicode.ttf", "Songti.ttc", "wqy-microhei.ttc", "wqy-zenhei.ttc", "NotoSansCJK", "uming.ttc", "ukai.ttc", "DroidSansFallback"):
        assert name in joined


# ----------------------------------------------------------------------------- in the book


def _small_book(tmp_path, write, **opts):
    form = [BookFile.from_path(write("form.pdf", pdf_bytes(["MARKER-form-p1"])))]
    m = [BookMaterial("1.(1)", "申报单位 2020、2021、2022 年度《财务审计报告》", (BookFile.from_path(write("a.pdf", pdf_bytes(["MARKER-a-p1", "MARKER-a-p2"]))),))]
    out = tmp_path / "book.pdf"
    return build_book(form, m, out, BookOptions(**opts)), PdfReader(str(out))


def test_stsong_fallback_when_no_font_is_found_is_loud(tmp_path, write, monkeypatch):
    monkeypatch.setattr(fonts, "SHIPPED_FONT", tmp_path / "missing.ttf")
    r, book = _small_book(tmp_path, write)
    assert (r.font_name, r.font_path, r.font_embedded, r.font_source) == ("STSong-Light", None, False, "cid-fallback")
    (warning,) = [w for w in r.warnings if "STSong-Light" in w.en]
    assert "STSong-Light" in warning.zh and "未嵌入" in warning.zh and "non-embedded" in warning.en
    toc = book.pages[1]
    fonts_used = {str(toc["/Resources"]["/Font"][k].get_object()["/BaseFont"]) for k in toc["/Resources"]["/Font"]}
    assert "/STSong-Light" in fonts_used
    assert "附件材料目录" in squash(page_text(toc))


def test_result_names_the_font_used(tmp_path, write):
    r, _ = _small_book(tmp_path, write, font=SHIPPED_FONT)
    assert (r.font_name, r.font_path, r.font_embedded, r.font_source) == ("DroidSansFallback", str(SHIPPED_FONT), True, "option")


def test_an_unusable_font_option_warns_and_still_makes_the_book(tmp_path, write):
    r, book = _small_book(tmp_path, write, font=VERA)
    assert r.font_source == "shipped"
    assert any(str(VERA) in w.en for w in r.warnings)
    assert "附件材料目录" in squash(page_text(book.pages[1]))
