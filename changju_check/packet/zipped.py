"""A .zip packet: read in place, never extracted. Names decoded (UTF-8 flag, else GBK as Chinese
Windows writes them), unsafe paths (`..`, absolute, drive letters) refused, bombs (sizes, ratios,
overlapping members, entry counts) stopped by the limits in `model.py`."""

from __future__ import annotations

import os
import struct
import zipfile
from dataclasses import replace
from pathlib import Path

from changju_check.packet import model  # the limits, read at use (tests lower them)
from changju_check.packet.model import (
    DRIVE,
    S_IFLNK,
    Capped,
    Packet,
    PacketError,
    PacketFile,
    ZipHandle,
    ZipSource,
)
from changju_check.packet.names import (
    clean_name,
    is_junk_dir,
    is_junk_file,
    is_manifest_name,
    odd_name_findings,
)
from changju_check.report import Finding, Msg
from changju_check.rulebook import codes

# ----------------------------------------------------------------------------- zips

_SUPPORTED_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}


def _zip_entry_count(path: Path) -> int | None:
    """The entry count the end-of-central-directory record declares, before zipfile builds them all."""
    end_rec = getattr(zipfile, "_EndRecData", None)
    if end_rec is None:
        return None
    try:
        with open(path, "rb") as fh:
            rec = end_rec(fh)
    except Exception:
        return None
    if not rec:
        return None
    return int(rec[4])  # _ECD_ENTRIES_TOTAL


def _plausible_misses(text: str) -> int:
    """Characters a Chinese file name would not hold: anything but ASCII, the common ideographs
    (GB2312's 6,763, which every name on a Chinese desktop is nearly always written in), CJK and
    full-width punctuation, and combining marks (macOS writes names decomposed). GBK bytes read as
    UTF-8 give Cyrillic, Greek, Hebrew, Armenian (学位证 → ѧλ֤); UTF-8 bytes read as GBK give
    rare ideographs (劳动合同 → 鍔冲姩鍚堝悓), or fail outright."""
    import unicodedata

    misses = 0
    for ch in text:
        o = ord(ch)
        if o < 0x80 or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or 0x2000 <= o <= 0x206F or ch in "·×":
            continue
        if 0x4E00 <= o <= 0x9FFF:
            try:
                ch.encode("gb2312")
                continue
            except UnicodeEncodeError:
                pass
        elif unicodedata.category(ch) == "Mn":
            continue
        misses += 1
    return misses


def archive_encoding(infos: list[zipfile.ZipInfo]) -> str:
    """The encoding of the archive's unflagged names, decided for all of them together.

    Explorer, 7-Zip, WinRAR and 360压缩 on a Chinese Windows write names in GBK without the UTF-8
    flag (bit 11); macOS and Linux tools write UTF-8, often without the flag. Many short GBK names
    are also valid UTF-8 (学位证.pdf, 学位.*, 目录.*, 一.*), so name by name the wrong reading wins.
    Here every candidate (UTF-8, GB18030) must decode every name; among those, the one whose names
    read as Chinese file names (fewest stray characters over all names) wins; a tie goes to the
    system the archive says made it (`create_system` 0: MS-DOS/Windows → GB18030, else UTF-8).
    (A statistical detector such as charset-normalizer was tried and does not earn its place here:
    a packet's names are a few short words, where it guesses from too little text.)"""
    raws = [i.orig_filename.encode("cp437") for i in infos if not i.flag_bits & 0x800]
    raws = [r for r in raws if not r.isascii()]
    if not raws:
        return "utf-8"
    scores: dict[str, int] = {}
    for enc in ("utf-8", "gb18030"):
        try:
            scores[enc] = sum(_plausible_misses(r.decode(enc)) for r in raws)
        except UnicodeDecodeError:
            continue
    if not scores:
        return "utf-8"  # name by name, then (see _zip_name)
    windows = sum(1 for i in infos if i.create_system == 0) * 2 >= len(infos)
    return min(scores, key=lambda enc: (scores[enc], 0 if (enc == "gb18030") == windows else 1))


def _zip_name(info: zipfile.ZipInfo, encoding: str = "utf-8") -> tuple[str, bool]:
    """The entry's name as the author meant it, and whether it could be decoded at all.

    UTF-8 flagged names are taken as they are. Others are read in the archive's encoding
    (`archive_encoding`), then as UTF-8 and GBK (GB18030, its superset) where a name does not
    decode in it; cp437 is the last resort.
    """
    if info.flag_bits & 0x800:
        return info.orig_filename, True
    raw = info.orig_filename.encode("cp437")
    for enc in dict.fromkeys((encoding, "utf-8", "gb18030")):
        try:
            return raw.decode(enc), True
        except UnicodeDecodeError:
            continue
    return info.orig_filename, False


def _check_layout(path: Path, infos: list[zipfile.ZipInfo], start_dir: int) -> tuple[set[int], set[int]]:
    """Entries without a local header, and entries whose data runs into the next entry.

    The second set is the overlapping-entries bomb (CVE-2024-0450), which CPython 3.11.7 does
    not check: every entry must end before the next one (or the central directory) begins.
    Only the 30-byte local headers are read.
    """
    missing: set[int] = set()
    overlap: set[int] = set()
    order = sorted(range(len(infos)), key=lambda i: infos[i].header_offset)
    ends: dict[int, int] = {}
    with open(path, "rb") as fh:
        for i in order:
            info = infos[i]
            fh.seek(info.header_offset)
            head = fh.read(30)
            if len(head) < 30 or head[:4] != b"PK\x03\x04":
                missing.add(i)
                continue
            name_len, extra_len = struct.unpack("<HH", head[26:30])
            ends[i] = info.header_offset + 30 + name_len + extra_len + info.compress_size
    for pos, i in enumerate(order):
        if i in missing:
            continue
        limit = infos[order[pos + 1]].header_offset if pos + 1 < len(order) else start_dir
        if ends[i] > limit:
            overlap.add(i)
    return missing, overlap


def open_zip(path: Path) -> Packet:
    corrupt = Msg(
        zh=f"{path} 不是有效的 zip 压缩包（文件损坏或不完整）。",
        en=f"{path} is not a valid zip file (corrupt or incomplete).",
    )
    declared = _zip_entry_count(path)
    if declared is not None and declared > model.MAX_ZIP_ENTRIES:
        raise PacketError(
            Msg(
                zh=f"{path} 含有 {declared} 个条目，超过上限 {model.MAX_ZIP_ENTRIES}。",
                en=f"{path} has {declared} entries, more than the limit of {model.MAX_ZIP_ENTRIES}.",
            )
        )
    try:
        zf = zipfile.ZipFile(path)
    except PermissionError as exc:
        raise PacketError(Msg(zh=f"无法读取 {path}：没有读取权限", en=f"Cannot read {path}: no read permission")) from exc
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, UnicodeDecodeError, struct.error, OverflowError) as exc:
        raise PacketError(corrupt) from exc
    try:
        return _zip_packet(path, zf)
    except PacketError:
        zf.close()
        raise
    except (OSError, EOFError, ValueError, struct.error, OverflowError, KeyError) as exc:
        zf.close()
        raise PacketError(corrupt) from exc


def _zip_packet(path: Path, zf: zipfile.ZipFile) -> Packet:
    infos = zf.infolist()
    if len(infos) > model.MAX_ZIP_ENTRIES:
        raise PacketError(
            Msg(
                zh=f"{path} 含有 {len(infos)} 个条目，超过上限 {model.MAX_ZIP_ENTRIES}。",
                en=f"{path} has {len(infos)} entries, more than the limit of {model.MAX_ZIP_ENTRIES}.",
            )
        )
    missing, overlap = _check_layout(path, infos, getattr(zf, "start_dir", os.path.getsize(path)))
    encoding = archive_encoding(infos)
    handle = ZipHandle(str(path), zf)
    findings: list[Finding] = []
    slip = Capped("另有 {n} 个条目路径不安全，已跳过。", "{n} more entries have unsafe paths and were skipped.", "CJ305")
    broken = Capped("另有 {n} 个条目无法读取，已跳过。", "{n} more entries cannot be read and were skipped.", "CJ301")
    locked = Capped("另有 {n} 个条目已加密，已跳过。", "{n} more entries are encrypted and were skipped.", "CJ302")
    odd_undecodable = Capped("另有 {n} 个条目名称无法解码。", "{n} more entry names cannot be decoded.", "CJ307")

    candidates: list[tuple[list[str], str, zipfile.ZipInfo]] = []  # (raw parts, shown path, info)
    for index, info in enumerate(infos):
        name, decodable = _zip_name(info, encoding)
        shown_full = clean_name(name)
        norm = name.replace("\\", "/")
        raw_parts = norm.split("/")
        if (
            "\x00" in name
            or norm.startswith("/")
            or DRIVE.match(norm)
            or ".." in raw_parts
        ):
            slip.add(
                codes.finding(
                    "CJ305",
                    "压缩包条目的路径指向材料包之外（“..”、绝对路径或盘符），已跳过。",
                    "The zip entry's path leads out of the packet ('..', absolute or a drive letter); it was skipped.",
                    file=shown_full,
                )
            )
            continue
        parts = [p for p in raw_parts if p not in ("", ".")]
        if not parts or norm.endswith("/"):
            continue  # a folder entry
        if any(is_junk_dir(p) for p in parts[:-1]) or is_junk_file(parts[-1]):
            continue
        shown = "/".join(clean_name(p) for p in parts)
        if not decodable:
            odd_undecodable.add(
                codes.finding(
                    "CJ307",
                    "压缩包条目名称既不是 UTF-8 也不是 GBK 编码，显示可能是乱码。",
                    "The zip entry's name is neither UTF-8 nor GBK; it may show garbled.",
                    file=shown,
                )
            )
        if info.create_system == 3 and (info.external_attr >> 16) & 0o170000 == S_IFLNK:
            slip.add(
                codes.finding(
                    "CJ305",
                    "压缩包条目是符号链接，不会跟随，已跳过。",
                    "The zip entry is a symbolic link; links are not followed, it was skipped.",
                    file=shown,
                )
            )
            continue
        if info.flag_bits & 0x1:
            locked.add(
                codes.finding(
                    "CJ302",
                    "压缩包条目设置了密码，无法读取，已跳过。请不加密重新压缩。",
                    "The zip entry is password-protected and cannot be read; it was skipped. "
                    "Compress the files again without a password.",
                    file=shown,
                )
            )
            continue
        if info.compress_type not in _SUPPORTED_METHODS:
            broken.add(
                codes.finding(
                    "CJ301",
                    f"压缩包条目使用了不支持的压缩方式（{info.compress_type}），已跳过。",
                    f"The zip entry uses an unsupported compression method ({info.compress_type}); it was skipped.",
                    file=shown,
                )
            )
            continue
        if index in missing:
            broken.add(
                codes.finding(
                    "CJ301",
                    "压缩包条目的数据不在目录所指的位置（压缩包损坏），已跳过。",
                    "The zip entry is not where the zip's directory says (a damaged zip); it was skipped.",
                    file=shown,
                )
            )
            continue
        if index in overlap:
            broken.add(
                codes.finding(
                    "CJ301",
                    "压缩包条目与其他条目的数据重叠（可能是恶意构造的压缩炸弹），已跳过。",
                    "The zip entry overlaps another entry's data (possibly a crafted zip bomb); it was skipped.",
                    file=shown,
                )
            )
            continue
        if info.file_size > model.MAX_ZIP_ENTRY_SIZE:
            broken.add(
                codes.finding(
                    "CJ301",
                    f"压缩包条目解压后为 {info.file_size} 字节，超过单个文件上限 {model.MAX_ZIP_ENTRY_SIZE} 字节，已跳过。",
                    f"The zip entry would inflate to {info.file_size} bytes, more than the limit of "
                    f"{model.MAX_ZIP_ENTRY_SIZE} bytes per file; it was skipped.",
                    file=shown,
                )
            )
            continue
        candidates.append((parts, shown, info))

    # Duplicate names (after normalisation): which copy a reviewer sees depends on the tool, so none is used.
    by_shown: dict[str, int] = {}
    for _parts, shown, _info in candidates:
        by_shown[shown] = by_shown.get(shown, 0) + 1
    unique = []
    reported: set[str] = set()
    for parts, shown, info in candidates:
        if by_shown[shown] == 1:
            unique.append((parts, shown, info))
        elif shown not in reported:
            reported.add(shown)
            broken.add(
                codes.finding(
                    "CJ301",
                    f"压缩包中有 {by_shown[shown]} 个同名条目，无法确定使用哪一个，均已跳过。",
                    f"The zip has {by_shown[shown]} entries of this name; which one counts is ambiguous, so all were skipped.",
                    file=shown,
                )
            )

    # One top folder holding everything: that folder is the root.
    prefix: list[str] = []
    shown_prefix = ""
    if unique and all(len(p) > 1 for p, _s, _i in unique):
        tops = {p[0] for p, _s, _i in unique}
        if len(tops) == 1:
            prefix = [unique[0][0][0]]
            shown_prefix = clean_name(prefix[0])

    files: list[PacketFile] = []
    manifests: dict[str, PacketFile] = {}
    total = 0
    over_total = 0
    for parts, shown, info in sorted(unique, key=lambda t: t[1]):
        parts = parts[len(prefix) :]
        rel_shown = "/".join(clean_name(p) for p in parts)
        pf = PacketFile(path=rel_shown, raw_name="/".join(parts), size=info.file_size, _source=ZipSource(handle, info))
        if len(parts) == 1 and is_manifest_name(parts[0]):
            manifests[parts[0]] = pf
            continue
        if total + info.file_size > model.MAX_ZIP_TOTAL_SIZE:
            over_total += 1
            continue
        total += info.file_size
        files.append(pf)
    if over_total:
        findings.append(
            codes.finding(
                "CJ301",
                f"压缩包解压后总大小超过上限 {model.MAX_ZIP_TOTAL_SIZE} 字节，其余 {over_total} 个文件未检查。",
                f"The zip would inflate to more than the limit of {model.MAX_ZIP_TOTAL_SIZE} bytes; "
                f"the remaining {over_total} files were not checked.",
            )
        )
    for collector in (slip, broken, locked, odd_undecodable):
        findings.extend(collector.findings())
    if prefix:  # findings about skipped entries name them relative to the root too
        top = shown_prefix + "/"
        findings = [
            replace(f, file=f.file[len(top) :]) if f.file and f.file.startswith(top) else f for f in findings
        ]
    findings.extend(odd_name_findings(files))
    display = f"{path}!/{shown_prefix}" if prefix else str(path)
    return Packet(
        root=Path(os.path.abspath(path)),
        kind="zip",
        display=display,
        files=files,
        findings=findings,
        manifests=manifests,
        handle=handle,
    )
