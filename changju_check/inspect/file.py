"""The inspection of one file without a time limit: sniff, then the PDF or image reader."""

from __future__ import annotations

import io
import os

from changju_check.inspect.image import inspect_image
from changju_check.inspect.model import (
    HEAD_BYTES,
    FileInfo,
    empty_file,
    kind_from_ext,
    mismatch,
    open_failed,
    wrong_extension,
)
from changju_check.inspect.pdf import inspect_pdf
from changju_check.inspect.sniff import sniff
from changju_check.packet import PacketFile
from changju_check.report import Finding
from changju_check.rulebook import codes


IN_MEMORY_BYTES = 8 * 1024 * 1024  # a PDF up to this size is read whole and parsed from memory


def _inspect_unbounded(pf: PacketFile, text_pages: int) -> FileInfo:
    """Inspect without a time limit (the callers above add one). May raise; `guarded` catches."""
    if pf.size == 0:
        return empty_file(pf)
    try:
        fh = pf.open()
    except Exception as exc:  # noqa: BLE001
        return FileInfo(path=pf.path, kind=kind_from_ext(pf.path), findings=(open_failed(pf, exc),))
    with fh:
        head = fh.read(HEAD_BYTES)
        if not head:
            return empty_file(pf)
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        fh.seek(0)
        kind, what_zh, what_en = sniff(head, pf.path)
        claimed = kind_from_ext(pf.path)
        findings: list[Finding] = []
        if kind in ("pdf", "jpeg", "png") and claimed != "other" and kind != claimed:
            if not (kind in ("jpeg", "png") and claimed in ("jpeg", "png")):  # image for image is fine
                findings.append(mismatch(pf, what_zh, what_en, claimed))
        elif kind in ("pdf", "jpeg", "png") and claimed == "other":
            findings.append(wrong_extension(pf, kind))
        if kind == "pdf":
            if size <= IN_MEMORY_BYTES:
                # pypdf reads a PDF a few bytes at a time (tens of thousands of reads and seeks
                # for a packet): from memory they cost a fraction of a buffered file's
                return inspect_pdf(pf, io.BytesIO(fh.read()), text_pages, findings)
            return inspect_pdf(pf, fh, text_pages, findings)
        if kind in ("jpeg", "png"):
            findings.extend(inspect_image(pf, fh, kind, size))
            return FileInfo(path=pf.path, kind=kind, pages=1, findings=tuple(findings))
        if kind == "heic":
            ext = os.path.splitext(pf.path)[1]
            named = f"（扩展名为 {ext}）" if claimed != "other" else ""
            named_en = f" (named {ext})" if claimed != "other" else ""
            findings.append(
                codes.finding(
                    "CJ304",
                    f"文件是 HEIC/HEIF 格式的手机照片{named}，申报系统不接受。请在相册中导出为 JPG，或转换为 PDF。",
                    f"The file is a HEIC/HEIF phone photo{named_en}, which the system does not accept. "
                    "Export it as JPG from the photo gallery, or convert it to PDF.",
                    file=pf.path,
                )
            )
            return FileInfo(path=pf.path, kind="heic", findings=tuple(findings))
        if claimed != "other":
            findings.append(mismatch(pf, what_zh, what_en, claimed))
        else:
            ext = os.path.splitext(pf.path)[1]
            named_zh = f"扩展名为 {ext}，内容" if ext else ""
            named_en = f"named {ext} and its content is " if ext else ""
            findings.append(
                codes.finding(
                    "CJ304",
                    f"文件{named_zh}是{what_zh}，申报系统只接受 PDF、JPG、PNG。请导出为 PDF 或 JPG。",
                    f"The file is {named_en}{what_en}; the system accepts only PDF, JPG and PNG. Export it as PDF or JPG.",
                    file=pf.path,
                )
            )
        return FileInfo(path=pf.path, kind="other", findings=tuple(findings))
