"""What an inspection finds out about one file (`FileInfo`), the limits it keeps, and the findings
every reader gives the same way (empty, cannot open, content not what the extension says, timed out)."""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from typing import Literal

from changju_check.packet import PacketFile, ZipMemberTooLarge
from changju_check.report import Finding
from changju_check.rulebook import codes

Kind = Literal["pdf", "jpeg", "png", "heic", "empty", "other"]


PAGE_SEPARATOR = "\f"  # between the pages of FileInfo.text

HEAD_BYTES = 8192
TEXT_CHARS_CAP = 200_000  # characters of text layer kept per file
JPEG_DECODE_MAX_PIXELS = 200_000_000  # decoded at 1/8 scale (1/64 of the memory)
PNG_DECODE_MAX_PIXELS = 4_000_000  # PNG has no reduced decode: only small ones are decoded
TAIL_BYTES = 65536
ALARM_REPEAT = 0.05  # the alarm repeats until cleared, in case library code swallows one
WORKER_GRACE = 2.0  # seconds the parent waits beyond the limit before killing a worker
WORKER_START_TIMEOUT = 60.0

HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs"}
HEIF_GENERIC = {b"mif1", b"msf1"}  # HEIF image/sequence: shared by HEIC and AVIF
AVIF_BRANDS = {b"avif", b"avis"}

EXT_KIND = {
    ".pdf": "pdf",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".jpe": "jpeg",
    ".jfif": "jpeg",
    ".png": "png",
}
KIND_NAME = {  # (zh, en), for "content is X, not Y"
    "pdf": ("PDF", "PDF"),
    "jpeg": ("JPEG 图片", "a JPEG image"),
    "png": ("PNG 图片", "a PNG image"),
    "heic": ("HEIC/HEIF 图片（手机照片格式）", "a HEIC/HEIF image (a phone photo format)"),
}
CLAIM_NAME = {"pdf": ("PDF", "PDF"), "jpeg": ("JPG 图片", "a JPG image"), "png": ("PNG 图片", "a PNG image")}


@dataclass(frozen=True)
class FileInfo:
    """What inspection found out about one file."""

    path: str
    kind: Kind
    pages: int | None = None  # PDF page count; 1 for an image
    encrypted: Literal["owner", "user"] | None = None
    text: str | None = None  # text layer of the first pages, when asked for; pages joined by PAGE_SEPARATOR
    years: tuple[int, ...] = ()  # left empty here: the recogniser reads years from names and text
    findings: tuple[Finding, ...] = ()

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)




def timed_out(pf: PacketFile, timeout: float) -> FileInfo:
    return FileInfo(
        path=pf.path,
        kind=kind_from_ext(pf.path),
        findings=(
            codes.finding(
                "CJ301",
                f"检查超时（超过 {timeout:g} 秒），文件可能已损坏或是恶意构造的。",
                f"Inspection timed out (more than {timeout:g} s); the file may be damaged or crafted.",
                file=pf.path,
            ),
        ),
    )


def unexpected(pf: PacketFile, exc: BaseException) -> FileInfo:
    if isinstance(exc, MemoryError):  # the machine's limit, not the file's damage
        return FileInfo(
            path=pf.path,
            kind=kind_from_ext(pf.path),
            findings=(
                codes.finding(
                    "CJ315",
                    "检查该文件时内存不足，未能完成检查（这不说明文件已损坏）。请关闭其他程序后重试，或缩小该文件。",
                    "The check of this file ran out of memory (that does not mean the file is damaged). Close other "
                    "programs and try again, or make the file smaller.",
                    file=pf.path,
                ),
            ),
        )
    detail = shorten(f"{type(exc).__name__}: {exc}")
    return FileInfo(
        path=pf.path,
        kind=kind_from_ext(pf.path),
        findings=(
            codes.finding(
                "CJ301",
                f"检查时发生意外错误，文件无法读取（{detail}）。",
                f"An unexpected error stopped the inspection; the file cannot be read ({detail}).",
                file=pf.path,
            ),
        ),
    )


def kind_from_ext(path: str) -> Kind:
    return EXT_KIND.get(os.path.splitext(path)[1].lower(), "other")  # type: ignore[return-value]


def empty_file(pf: PacketFile) -> FileInfo:
    return FileInfo(
        path=pf.path,
        kind="empty",
        findings=(codes.finding("CJ303", "文件大小为0字节。", "The file is 0 bytes.", file=pf.path),),
    )


def open_failed(pf: PacketFile, exc: BaseException) -> Finding:
    from changju_check.report.paths import too_long

    real = pf.local_path
    if real is not None and too_long(real, exc):
        zh, en = "路径过长，无法打开（请把材料包移到较短的路径下）", "the path is too long to open (move the packet to a shorter path)"
    elif isinstance(exc, PermissionError):
        zh, en = "没有读取权限", "no read permission"
    elif isinstance(exc, ZipMemberTooLarge):
        zh, en = "压缩包中的该文件解压后超过声明的大小或上限", "the zip member inflates beyond its declared size or the limit"
    elif isinstance(exc, zipfile.BadZipFile):
        zh, en = f"压缩包中的该文件已损坏（{shorten(str(exc))}）", f"the zip member is damaged ({shorten(str(exc))})"
    else:
        detail = shorten(f"{type(exc).__name__}: {exc}")
        zh, en = f"无法打开（{detail}）", f"it cannot be opened ({detail})"
    return codes.finding("CJ301", f"文件无法读取：{zh}。", f"The file cannot be read: {en}.", file=pf.path)


def mismatch(pf: PacketFile, what_zh: str, what_en: str, claimed: str) -> Finding:
    ext = os.path.splitext(pf.path)[1]
    claim_zh, claim_en = CLAIM_NAME[claimed]
    return codes.finding(
        "CJ301",
        f"文件扩展名为 {ext}，但内容是{what_zh}，不是{claim_zh}。",
        f"The file is named {ext} but its content is {what_en}, not {claim_en}.",
        file=pf.path,
    )


def wrong_extension(pf: PacketFile, kind: str) -> Finding:
    """A PDF, JPG or PNG whose name does not say so (.docx, .pdf.crdownload, no extension): the
    upload system accepts files by their extension, so it would refuse or mislabel it."""
    ext = os.path.splitext(pf.path)[1]
    what_zh, what_en = CLAIM_NAME[kind]
    right = {"pdf": ".pdf", "jpeg": ".jpg", "png": ".png"}[kind]
    if ext.lower() in (".crdownload", ".part", ".download", ".tmp", ".partial"):
        named_zh, named_en = f"扩展名为 {ext}（下载未完成时的临时名）", f"named {ext} (the name of a download in progress)"
    elif ext:
        named_zh, named_en = f"扩展名为 {ext}", f"named {ext}"
    else:
        named_zh, named_en = "没有扩展名", "without an extension"
    return codes.finding(
        "CJ313",
        f"文件{named_zh}，但内容是 {what_zh}。申报系统按扩展名接收文件：请确认文件完整后把扩展名改为 {right}。",
        f"The file is {named_en} but its content is {what_en}. The upload system accepts files by their "
        f"extension: check that the file is complete, then rename it to {right}.",
        file=pf.path,
    )


def shorten(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
