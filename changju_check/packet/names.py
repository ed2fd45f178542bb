"""File names: cleaned for display (NFC, no control characters), and the notes an odd name gets
(full-width, invisible, mixed-script characters; names a Windows PC cannot write)."""

from __future__ import annotations

import os
import re
import unicodedata

from changju_check.packet.model import (
    JUNK_DIRS,
    JUNK_FILES,
    MANIFEST_NAMES,
    PacketFile,
)
from changju_check.report import Finding
from changju_check.rulebook import codes

# ----------------------------------------------------------------------------- names


# A name made only of these (CJK ideographs, ASCII letters and digits, usual punctuation) is
# already NFC and has nothing to note: the common case, checked with one regex, not per character.
_PLAIN_NAME = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbfA-Za-z0-9._\-()\[\]#&+@'!,~（）【】《》，、：；！？～－＿＋＆＃]*")
_SURROGATES = re.compile("[\udc80-\udcff]")


def _plain(name: str) -> bool:
    return _PLAIN_NAME.fullmatch(name) is not None


def clean_name(name: str) -> str:
    """NFC, and control/invisible format characters replaced so a name cannot drive a terminal."""
    if _plain(name):
        return name
    name = unicodedata.normalize("NFC", name)
    return "".join("\ufffd" if unicodedata.category(c) in ("Cc", "Cf") else c for c in name)


# full-width punctuation that Chinese file names use all the time: not worth a note
_USUAL_CJK_PUNCTUATION = frozenset("（）【】《》，、：；！？～－＿＋＆＃")


def _is_fullwidth(c: str) -> bool:
    """Full-width letters, digits and symbols (ＡＢＣ１２３／), not the usual Chinese punctuation."""
    o = ord(c)
    return (0xFF01 <= o <= 0xFF5E and c not in _USUAL_CJK_PUNCTUATION) or 0xFFE0 <= o <= 0xFFE6


def _name_problems(raw: str) -> tuple[list[str], list[str]]:
    zh: list[str] = []
    en: list[str] = []
    if _plain(raw):
        return zh, en
    if unicodedata.normalize("NFC", raw) != raw:
        zh.append("macOS 分解形式（NFD）")
        en.append("decomposed Unicode (NFD, as macOS writes it)")
    if any(c.isspace() and unicodedata.category(c) not in ("Cc",) for c in raw):
        zh.append("空格")
        en.append("spaces")
    if any(_is_fullwidth(c) for c in raw):
        zh.append("全角字符")
        en.append("full-width characters")
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in raw):
        zh.append("控制字符或不可见字符")
        en.append("control or invisible characters")
    return zh, en


def odd_name_findings(files: list[PacketFile]) -> list[Finding]:
    """CJ307 for each file, and each folder once, whose own name is unusual."""
    out: list[Finding] = []
    seen: set[str] = set()
    for pf in files:
        raw_parts = pf.raw_name.split("/")
        clean_parts = pf.path.split("/")
        if len(raw_parts) != len(clean_parts):  # cannot happen; be safe rather than wrong
            raw_parts = clean_parts
        for i, raw in enumerate(raw_parts):
            shown = "/".join(clean_parts[: i + 1])
            if shown in seen:
                continue
            seen.add(shown)
            zh, en = _name_problems(raw)
            if not zh:
                continue
            what_zh, what_en = ("文件夹名", "folder name") if i < len(raw_parts) - 1 else ("文件名", "file name")
            out.append(
                codes.finding(
                    "CJ307",
                    f"{what_zh}含有{'、'.join(zh)}，已按规范形式识别，上传系统时可能出错。",
                    f"The {what_en} has {', '.join(en)}; it was matched in normalised form, "
                    "but the upload may stumble on it.",
                    file=shown,
                )
            )
    return out


def fs_name(name: str) -> str:
    """A directory entry's name as text: undecodable bytes tried as GBK, else shown as \\xNN."""
    if _SURROGATES.search(name) is None:
        return name
    raw = os.fsencode(name)
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace")


def is_junk_dir(name: str) -> bool:
    return name.startswith(".") or name.lower() in JUNK_DIRS


def is_junk_file(name: str) -> bool:
    return name.startswith(".") or name.lower() in JUNK_FILES


def is_manifest_name(name: str) -> bool:
    return name.lower() in MANIFEST_NAMES


_NEAR_MANIFEST = re.compile(r"^changju\s*(\.(ya?ml|txt))+\s*$|^changju\s*$", re.IGNORECASE)


def near_manifest_name(name: str) -> bool:
    """A name meant as changju.yaml that changju does not read: changju.yml, and the
    changju.yaml.txt that Notepad saves where Explorer hides extensions (and changju.txt,
    changju.yml.txt, a bare `changju`)."""
    return name != MANIFEST_NAMES[0] and bool(_NEAR_MANIFEST.match(name))
