"""Make the CJK font subset shipped in changju_check/data/ (run once, by a maintainer).

    pip install fonttools            # only needed for this script
    apt-get install fonts-droid-fallback
    python -m changju_check.bundle.make_font_subset \
        --source /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf

The subset keeps TrueType (glyf) outlines, which reportlab can embed, for:
  * every character of the rule files (rules/*/*.yaml: all material titles),
  * the fixed words of the TOC (附件材料目录, 序号, 材料名称, 页码, ...),
  * all 6,763 hanzi of GB 2312 and its full-width punctuation (default; --no-gb2312 to drop),
    so that a title edited later in the rule files almost surely still renders,
  * any --extra text files.
Droid Sans Fallback has no Latin glyphs; the TOC sets ASCII and the en dash in Times-Roman
(see fonts.py), so they need not be in the subset.

Re-run it whenever a rule file gains a character outside GB 2312; tests/bundle fail when
the shipped font misses a character of the rule files. Droid Sans Fallback is licensed
under the Apache License 2.0 (DroidSansFallback-LICENSE.txt beside the font).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from changju_check.bundle.fonts import SHIPPED_FONT, latin_ok
from changju_check.bundle.toc import TOC_FIXED_TEXT
from changju_check.rulebook.cache import rules_root

RULES_DIR = rules_root()


def gb2312_chars() -> set[str]:
    """Every character of GB 2312 (rows 0xA1-0xF7): punctuation, full-width forms, hanzi."""
    chars = set()
    for b1 in range(0xA1, 0xF8):
        for b2 in range(0xA1, 0xFF):
            try:
                chars.add(bytes([b1, b2]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def _titles(node, out: set[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "title" and isinstance(value, str):
                out.add(value)
            _titles(value, out)
    elif isinstance(node, list):
        for value in node:
            _titles(value, out)


def rule_titles(rules_dir: Path = RULES_DIR) -> set[str]:
    """Every `title:` of the rule files (rules/*/*.yaml): what the TOC prints."""
    import yaml

    titles: set[str] = set()
    for path in sorted(rules_dir.glob("*/*.yaml")):
        _titles(yaml.safe_load(path.read_text(encoding="utf-8")), titles)
    return titles


def rule_chars(rules_dir: Path = RULES_DIR) -> set[str]:
    """Every character of the rule files (titles, notes and comments: a superset, kept when
    the source font has them)."""
    chars: set[str] = set()
    for path in sorted(rules_dir.glob("*/*.yaml")):
        chars |= set(path.read_text(encoding="utf-8"))
    return chars


def required_chars(rules_dir: Path = RULES_DIR) -> set[str]:
    """The characters the TOC must be able to print: the titles and its fixed words."""
    return {ch for ch in "".join(rule_titles(rules_dir)) + TOC_FIXED_TEXT if not ch.isspace()}


def wanted_chars(*, gb2312: bool = True, extra: list[Path] = (), rules_dir: Path = RULES_DIR) -> set[str]:
    chars = rule_chars(rules_dir) | required_chars(rules_dir)
    if gb2312:
        chars |= gb2312_chars()
    for path in extra:
        chars |= set(path.read_text(encoding="utf-8"))
    return {ch for ch in chars if not ch.isspace() and ord(ch) >= 0x20}


def make_subset(source: Path, out: Path, chars: set[str], required: set[str]) -> tuple[int, list[str]]:
    """Write the subset; returns (characters kept, required characters the TOC could not print)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(source), recalcTimestamp=False, fontNumber=0)
    cmap = font.getBestCmap()
    keep = sorted(ord(ch) for ch in chars if ord(ch) in cmap)
    unprintable = sorted(ch for ch in required if ord(ch) not in cmap and not latin_ok(ch))

    opts = subset.Options()
    opts.layout_features = []  # no GSUB/GPOS features: the TOC is set horizontally, unshaped
    opts.hinting = False  # smaller; print and screen rendering stay fine
    opts.name_IDs = ["*"]  # keep copyright/licence strings
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.glyph_names = False
    opts.recalc_timestamp = False
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=keep)
    sub.subset(font)
    out.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(out))
    return len(keep), unprintable


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", type=Path, default=Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"))
    ap.add_argument("--out", type=Path, default=SHIPPED_FONT)
    ap.add_argument("--no-gb2312", dest="gb2312", action="store_false", help="only the rule files' characters")
    ap.add_argument("--extra", type=Path, action="append", default=[], help="a UTF-8 text file whose characters to add")
    args = ap.parse_args(argv)

    chars = wanted_chars(gb2312=args.gb2312, extra=args.extra)
    kept, unprintable = make_subset(args.source, args.out, chars | required_chars(), required_chars())
    size = args.out.stat().st_size
    sys.stdout.write(f"{args.out}: {kept} characters, {size:,} bytes\n")
    if unprintable:
        sys.stdout.write(
            f"{len(unprintable)} characters of the titles are neither in the font nor printable in Times-Roman: "
            + "".join(unprintable[:80])
            + "\n"
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
