"""Finding a Chinese font for the 附件材料目录 that reportlab can embed.

Order of choice:
  1. the font the user named (`BookOptions.font`),
  2. the subset of Droid Sans Fallback shipped in `changju_check/data/` (Apache-2.0): it covers
     every title of the rule files and GB 2312, so it serves nearly every TOC, and reportlab
     parses its 1 MB in about 20 ms where a system collection such as simsun.ttc or
     wqy-zenhei.ttc (10–17 MB) takes 85 ms or more,
  3. the usual system fonts (Windows, macOS, Linux; `SYSTEM_FONT_PATTERNS`), for a TOC with a
     character the subset lacks (a rare name, a CJK Extension B character),
  4. reportlab's Adobe-GB1 CID font STSong-Light, which is NOT embedded: the result then
     carries a loud warning.

A candidate is used only if reportlab can embed it (TrueType `glyf` outlines: CFF-based
OpenType such as Noto Sans CJK .otf/.ttc is skipped with a reason) and it has a glyph for
every character the TOC will print. ASCII (digits, Latin letters) and the en dash of page
ranges are set in Times-Roman, one of the PDF standard fonts, as Chinese documents set digits
in Times New Roman; so are other WinAnsi characters a CJK font lacks. A font that lacks a
Chinese character is passed over.
"""

from __future__ import annotations

import glob
import hashlib
import os
import struct
from dataclasses import dataclass
from pathlib import Path

from changju_check.report import Msg

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SHIPPED_FONT = DATA_DIR / "DroidSansFallback-subset.ttf"
LATIN_FONT = "Times-Roman"  # PDF standard font: ASCII, the en dash, WinAnsi characters the CJK font lacks
CID_FALLBACK = "STSong-Light"

_WINDIR = os.environ.get("WINDIR") or os.environ.get("SystemRoot") or "C:/Windows"
_HOME = os.path.expanduser("~")

# Glob patterns, in order of preference: Song/Ming (serif, the usual face of a Chinese
# official document) before Hei (sans). Patterns for other systems simply match nothing.
SYSTEM_FONT_PATTERNS: list[str] = [
    # Windows
    f"{_WINDIR}/Fonts/simsun.ttc",
    f"{_WINDIR}/Fonts/simsun.ttf",
    f"{_WINDIR}/Fonts/msyh.ttc",
    f"{_WINDIR}/Fonts/msyh.ttf",
    f"{_WINDIR}/Fonts/simhei.ttf",
    f"{_WINDIR}/Fonts/Deng.ttf",
    f"{_WINDIR}/Fonts/simkai.ttf",
    f"{_WINDIR}/Fonts/simfang.ttf",
    # macOS
    "/System/Library/Fonts/Supplemental/Songti.ttc",
    "/Library/Fonts/Songti.ttc",
    "/System/Library/Fonts/STHeiti*.ttc",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "/System/Library/Fonts/PingFang.ttc",
    # Linux and other Unixes (Debian/Ubuntu/Fedora/Arch package layouts)
    "/usr/share/fonts/**/NotoSerifCJK*.ttf",
    "/usr/share/fonts/**/NotoSerifSC*.ttf",
    "/usr/share/fonts/**/uming.ttc",
    "/usr/share/fonts/**/NotoSansCJK*.ttf",
    "/usr/share/fonts/**/NotoSansSC*.ttf",
    "/usr/share/fonts/**/wqy-microhei.ttc",
    "/usr/share/fonts/**/wqy-zenhei.ttc",
    "/usr/share/fonts/**/ukai.ttc",
    "/usr/share/fonts/**/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/**/DroidSansFallback.ttf",
    "/usr/local/share/fonts/**/*CJK*.ttf",
    f"{_HOME}/.local/share/fonts/**/*CJK*.ttf",
    f"{_HOME}/.fonts/**/*CJK*.ttf",
    f"{_HOME}/.local/share/fonts/**/wqy-*.ttc",
    f"{_HOME}/.fonts/**/wqy-*.ttc",
]


@dataclass(frozen=True)
class FontChoice:
    """The font the TOC is set in."""

    reg_name: str  # the name registered with reportlab
    face_name: str  # PostScript name (what the PDF calls it), e.g. "DroidSansFallback"
    path: str | None
    subfont_index: int
    embedded: bool
    source: str  # option | system | shipped | cid-fallback
    chars: frozenset[int] | None  # code points the font has (None: the CID font, all of GB)
    skipped: tuple[tuple[str, Msg], ...] = ()
    warnings: tuple[Msg, ...] = ()

    def has(self, ch: str) -> bool:
        return self.chars is None or ord(ch) in self.chars


def latin_ok(ch: str) -> bool:
    """Can a PDF standard Latin font (WinAnsiEncoding) print this character?"""
    if ch in " \t\n":
        return True
    try:
        b = ch.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return b[0] >= 0x20 and b[0] != 0x7F


def system_font_candidates(patterns: list[str] | None = None) -> list[Path]:
    """The font files matching `SYSTEM_FONT_PATTERNS`, in order, without duplicates."""
    seen: set[str] = set()
    found: list[Path] = []
    for pattern in SYSTEM_FONT_PATTERNS if patterns is None else patterns:
        for hit in sorted(glob.glob(pattern, recursive=True)):
            key = os.path.realpath(hit)
            if key in seen or not os.path.isfile(hit):
                continue
            seen.add(key)
            found.append(Path(hit))
    return found


# ----------------------------------------------------------------------------- sfnt probe


def sfnt_faces(path: Path) -> list[tuple[int, str, set[bytes]]]:
    """(subfont index, sfnt version tag, table tags) for each face of a .ttf/.otf/.ttc.

    Reads only the headers: it tells TrueType (`glyf`) from CFF outlines without handing
    the file to reportlab. Raises ValueError for anything that is not an sfnt font."""
    with open(path, "rb") as f:
        head = f.read(12)
        if len(head) < 12:
            raise ValueError("file too short to be a font")
        if head[:4] == b"ttcf":
            (count,) = struct.unpack(">I", head[8:12])
            if not 0 < count <= 64:
                raise ValueError(f"implausible number of faces in a TrueType collection: {count}")
            offsets = struct.unpack(f">{count}I", f.read(4 * count))
        else:
            offsets = (0,)
        faces = []
        for index, off in enumerate(offsets):
            f.seek(off)
            hdr = f.read(12)
            if len(hdr) < 12:
                raise ValueError("truncated font header")
            version = hdr[:4]
            if version not in (b"\x00\x01\x00\x00", b"true", b"OTTO"):
                raise ValueError(f"not a TrueType/OpenType font (sfnt version {version!r})")
            (num_tables,) = struct.unpack(">H", hdr[4:6])
            if num_tables > 200:
                raise ValueError("implausible number of font tables")
            records = f.read(16 * num_tables)
            tags = {records[i * 16 : i * 16 + 4] for i in range(len(records) // 16)}
            faces.append((index, "OTTO" if version == b"OTTO" else "glyf", tags))
        return faces


_TTF_CACHE: dict[tuple[str, int, int, int], object] = {}


def _load_ttfont(path: Path, index: int):
    """A registered reportlab TTFont for one face (cached per file version)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    st = path.stat()
    key = (str(path.resolve()), index, st.st_size, st.st_mtime_ns)
    font = _TTF_CACHE.get(key)
    if font is None:
        digest = hashlib.sha1(repr(key).encode("utf-8")).hexdigest()[:12]
        font = TTFont(f"CJTOC-{digest}", str(path), subfontIndex=index)
        _TTF_CACHE[key] = font
    pdfmetrics.registerFont(font)
    return font


def _face_name(font) -> str:
    name = font.face.name
    return name.decode("latin-1") if isinstance(name, bytes) else str(name)


def _missing(chars: set[str], cmap: dict[int, int]) -> list[str]:
    return sorted(ch for ch in chars if ord(ch) not in cmap and not latin_ok(ch))


def try_font(path: Path, needed: set[str]) -> tuple[object | None, int, Msg | None]:
    """(registered TTFont, subfont index, None) for the first face of `path` that reportlab
    can embed and that has every needed character; else (None, -1, the reason)."""
    try:
        faces = sfnt_faces(path)
    except (OSError, ValueError, struct.error) as exc:
        return None, -1, Msg(f"不是可用的字体文件：{exc}", f"not a usable font file: {exc}")
    reasons: list[Msg] = []
    for index, outline, tags in faces:
        if outline == "OTTO" or (b"glyf" not in tags and (b"CFF " in tags or b"CFF2" in tags)):
            reasons.append(
                Msg(
                    "字形为 CFF（PostScript）轮廓，reportlab 无法嵌入（如 Noto Sans CJK 的 .otf/.ttc）",
                    "CFF (PostScript) outlines, which reportlab cannot embed (e.g. Noto Sans CJK .otf/.ttc)",
                )
            )
            continue
        if b"glyf" not in tags or b"cmap" not in tags:
            reasons.append(Msg("缺少 glyf 或 cmap 表", "no glyf or cmap table"))
            continue
        try:
            font = _load_ttfont(path, index)
        except Exception as exc:  # reportlab raises TTFError, struct.error, IndexError, ...
            reasons.append(Msg(f"reportlab 无法读取该字体：{exc}", f"reportlab cannot use it: {exc}"))
            continue
        missing = _missing(needed, font.face.charToGlyph)
        if missing:
            sample = "".join(missing[:12])
            reasons.append(
                Msg(
                    f"缺少目录所需的 {len(missing)} 个字符（如“{sample}”）",
                    f"lacks {len(missing)} characters the TOC needs (e.g. {sample!r})",
                )
            )
            continue
        return font, index, None
    if not reasons:
        return None, -1, Msg("字体文件中没有字形", "no face in the font file")
    if len(reasons) == 1:
        return None, -1, reasons[0]
    return None, -1, Msg(
        "；".join(f"第{i}个字形：{r.zh}" for i, r in enumerate(reasons)),
        "; ".join(f"face {i}: {r.en}" for i, r in enumerate(reasons)),
    )


def _choice(font, path: Path, index: int, source: str, skipped, warnings) -> FontChoice:
    return FontChoice(
        reg_name=font.fontName,
        face_name=_face_name(font),
        path=str(path),
        subfont_index=index,
        embedded=True,
        source=source,
        chars=frozenset(font.face.charToGlyph),
        skipped=tuple(skipped),
        warnings=tuple(warnings),
    )


def cid_fallback_warning() -> Msg:
    return Msg(
        "警告：没有找到可嵌入的中文 TrueType 字体，附件材料目录使用了未嵌入的 Adobe 字体 STSong-Light。"
        "目录只有在阅读器或打印机自带中文字体时才能正确显示，打印前请务必检查目录页；"
        "可用 --font 指定一个中文 TrueType 字体（如 Windows 的 simsun.ttc）。",
        "WARNING: no embeddable Chinese TrueType font was found, so the TOC (附件材料目录) uses "
        "the non-embedded Adobe font STSong-Light. It renders only where the PDF viewer or "
        "printer supplies a Chinese font: check the TOC pages before printing, or name a Chinese "
        "TrueType font with --font (e.g. simsun.ttc on Windows).",
    )


def choose_font(
    text: str,
    explicit: Path | None = None,
    *,
    system: list[Path] | None = None,
    shipped: Path | None = None,
) -> FontChoice:
    """The first usable font for `text` (every character the TOC prints).

    `system` and `shipped` default to `system_font_candidates()` and `SHIPPED_FONT`; they are
    parameters so that callers (and tests) can pin the search."""
    needed = {ch for ch in text if not ch.isspace()}
    skipped: list[tuple[str, Msg]] = []
    warnings: list[Msg] = []

    if explicit is not None:
        p = Path(explicit)
        if not p.is_file():
            reason = Msg("文件不存在", "no such file")
        else:
            font, index, reason = try_font(p, needed)
            if font is not None:
                return _choice(font, p, index, "option", skipped, warnings)
        assert reason is not None
        skipped.append((str(p), reason))
        warnings.append(
            Msg(
                f"指定的字体 {p} 不能用于目录（{reason.zh}），已改用其他字体。",
                f"the font {p} cannot be used for the TOC ({reason.en}); another font was used.",
            )
        )

    ship = SHIPPED_FONT if shipped is None else shipped
    if ship and Path(ship).is_file():
        font, index, reason = try_font(Path(ship), needed)
        if font is not None:
            return _choice(font, Path(ship), index, "shipped", skipped, warnings)
        assert reason is not None
        skipped.append((str(ship), reason))
    else:
        skipped.append((str(ship), Msg("随软件提供的字体文件不存在", "the shipped font file is missing")))

    for p in system_font_candidates() if system is None else system:
        font, index, reason = try_font(Path(p), needed)
        if font is not None:
            return _choice(font, Path(p), index, "system", skipped, warnings)
        assert reason is not None
        skipped.append((str(p), reason))

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    warnings.append(cid_fallback_warning())
    return FontChoice(
        reg_name=CID_FALLBACK,
        face_name=CID_FALLBACK,
        path=None,
        subfont_index=0,
        embedded=False,
        source="cid-fallback",
        chars=None,
        skipped=tuple(skipped),
        warnings=tuple(warnings),
    )
