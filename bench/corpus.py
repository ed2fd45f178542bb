"""The bench corpus: packets named and filled like real ones, generated outside the repository.

- `build_corpus`: N packets of 25 PDFs named like the real youth materials, each with a
  changju.yaml (category youth, as_of 2023-08-31), and a scan packet where some one-page files
  are replaced by big image-only PDFs (random bytes: the memory figure).
- `build_ocr_packet`: the first packet with its scanned materials (ID card, contract, audit
  reports, tax record, the sealed statements) replaced by the page images of the scan test corpus
  (tests/scans, made by tests/scans/make_corpus.py): what `check --read-scans` reads.

The small PDFs are a few templates made once with pypdf (in a child process: the bench's own
process never imports pypdf) and copied.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

PY = sys.executable
MiB = 1024 * 1024
REPO = Path(__file__).resolve().parents[1]
SCAN_CORPUS = REPO / "tests" / "scans"

MANIFEST = """\
category: youth
as_of: 2023-08-31
unit: {name: 北京智芯微电子科技有限公司, type: enterprise}
applicant:
  name: 李明远
  nationality: CN
  hired_on: 2021-03-15
  contract: {start: 2022-03-01, end: 2025-02-28}
recommendation: 该同志长期从事人工智能芯片研发工作，主持完成多项核心技术攻关，带领团队实现产品量产，获得发明专利授权十余项，为企业发展作出突出贡献，特此推荐。
entries:
  papers: [面向边缘计算的神经网络加速器设计, 低功耗存算一体芯片架构研究, 稀疏卷积的硬件实现方法, 片上网络的拥塞控制, 混合精度量化训练方法]
  awards: [北京市科学技术奖二等奖, 中国电子学会科技进步奖, 昌平区优秀青年人才]
  patents: [一种神经网络加速器及其控制方法, 一种存算一体单元电路, 一种低功耗片上网络路由器]
  projects: [国家重点研发计划课题, 北京市自然科学基金项目]
"""

# (relative path, template pages): the 25 files of a youth packet, in the guide's order
PACKET_FILES: list[tuple[str, int]] = [
    ("1-申报单位材料/2020年度财务审计报告.pdf", 60),
    ("1-申报单位材料/2021年度财务审计报告.pdf", 60),
    ("1-申报单位材料/2022年度财务审计报告.pdf", 60),
    ("1-申报单位材料/单位诚信声明.pdf", 1),
    ("1-申报单位材料/申报承诺书.pdf", 1),
    ("2-申报人材料/身份证.pdf", 1),
    ("2-申报人材料/学历学位证书.pdf", 1),
    ("2-申报人材料/学信网学历学位认证报告.pdf", 1),
    ("2-申报人材料/劳动合同.pdf", 3),
    ("2-申报人材料/社保缴费记录.pdf", 1),
    ("2-申报人材料/个税2021-2022.pdf", 1),
    ("2-申报人材料/获奖/01-北京市科学技术奖二等奖.pdf", 1),
    ("2-申报人材料/获奖/02-中国电子学会科技进步奖.pdf", 1),
    ("2-申报人材料/获奖/03-昌平区优秀青年人才.pdf", 1),
    ("2-申报人材料/专利/01-一种神经网络加速器及其控制方法.pdf", 1),
    ("2-申报人材料/专利/02-一种存算一体单元电路.pdf", 1),
    ("2-申报人材料/专利/03-一种低功耗片上网络路由器.pdf", 1),
    ("2-申报人材料/项目/01-国家重点研发计划课题.pdf", 3),
    ("2-申报人材料/项目/02-北京市自然科学基金项目.pdf", 3),
    ("2-申报人材料/论文/01-面向边缘计算的神经网络加速器设计.pdf", 60),
    ("2-申报人材料/论文/02-低功耗存算一体芯片架构研究.pdf", 60),
    ("2-申报人材料/论文/03-稀疏卷积的硬件实现方法.pdf", 3),
    ("2-申报人材料/论文/04-片上网络的拥塞控制.pdf", 3),
    ("2-申报人材料/论文/05-混合精度量化训练方法.pdf", 3),
    ("2-申报人材料/个人诚信声明.pdf", 1),
]
BIG_NAMES = ["2-申报人材料/社保缴费记录.pdf", "2-申报人材料/学历学位证书.pdf", "2-申报人材料/身份证.pdf",
             "1-申报单位材料/单位诚信声明.pdf", "1-申报单位材料/申报承诺书.pdf"]

# Runs in a child (the parent stays free of pypdf): one PDF per page count, each page with a
# small content stream and a Helvetica text line, like the text layer of a printed-to-PDF page.
TEMPLATE_SCRIPT = r"""
import sys
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

out = sys.argv[1]
for pages in map(int, sys.argv[2:]):
    w = PdfWriter()
    font = w._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica")}))
    for n in range(pages):
        page = w.add_blank_page(width=595, height=842)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
        body = DecodedStreamObject()
        body.set_data(("0.9 g 40 40 515 762 re f 0 g BT /F1 11 Tf 72 770 Td (Scanned page %d of %d) Tj ET" % (n + 1, pages)).encode())
        page[NameObject("/Contents")] = w._add_object(body)
    with open(f"{out}/p{pages}.pdf", "wb") as fh:
        w.write(fh)
"""


def write_scan_pdf(path: Path, megabytes: float) -> int:
    """A one-page PDF whose image XObject is `megabytes` of random bytes (8-bit grey, no filter).

    Written in 1 MB chunks; never more than a chunk in memory. Returns the file size."""
    width = 8192
    height = max(1, int(megabytes * MiB) // width)
    length = width * height
    offsets: list[int] = []
    with open(path, "wb") as fh:
        def obj(body: bytes) -> None:
            offsets.append(fh.tell())
            fh.write(body)

        fh.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        obj(b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
        obj(b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n")
        obj(b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>\nendobj\n")
        content = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
        obj(b"4 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (len(content), content))
        obj(b"5 0 obj\n<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Length %d >>\nstream\n" % (width, height, length))
        left = length
        while left:
            n = min(MiB, left)
            fh.write(os.urandom(n))
            left -= n
        fh.write(b"\nendstream\nendobj\n")
        xref = fh.tell()
        fh.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
        for off in offsets:
            fh.write(b"%010d 00000 n \n" % off)
        fh.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref))
        return fh.tell()


def packet_files(n_files: int) -> list[tuple[str, int]]:
    """The first n_files of the 25 real names; beyond 25, more papers (60 and 3 pages)."""
    files = list(PACKET_FILES[:n_files])
    for i in range(len(files), n_files):
        files.append((f"2-申报人材料/论文/{i - 19:02d}-补充论文{i}.pdf", 60 if i % 2 else 3))
    return files


def build_corpus(root: Path, n_packets: int, n_files: int, n_big: int, big_mb: float) -> dict:
    """The batch corpus under root/corpus and the big-scan packet under root/scan-packet."""
    templates = root / "_templates"
    templates.mkdir(parents=True)
    counts = sorted({p for _, p in packet_files(n_files)})
    subprocess.run([PY, "-c", TEMPLATE_SCRIPT, str(templates), *map(str, counts)], check=True)
    blobs = {p: (templates / f"p{p}.pdf").read_bytes() for p in counts}

    corpus = root / "corpus"
    files = packet_files(n_files)
    total_bytes = 0
    for i in range(n_packets):
        packet = corpus / f"{i:04d}-申报人{i}"
        for rel, pages in files:
            path = packet / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(blobs[pages])
            total_bytes += len(blobs[pages])
        (packet / "changju.yaml").write_text(MANIFEST, encoding="utf-8")

    # The scan packet: the same packet, with n_big of its one-page files replaced by big scans.
    # It lives beside the corpus (the batch figures stay about the 25-file packets).
    big = root / "scan-packet"
    for rel, pages in files:
        path = big / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(blobs[pages])
    (big / "changju.yaml").write_text(MANIFEST, encoding="utf-8")
    big_sizes = []
    names = [n for n in BIG_NAMES if any(n == r for r, _ in files)] or [files[-1][0]]
    for k in range(n_big):
        rel = names[k % len(names)]
        if k >= len(names):
            rel = rel.replace(".pdf", f"-{k + 1}.pdf")
        big_sizes.append(write_scan_pdf(big / rel, big_mb))
    shutil.rmtree(templates)
    return {
        "corpus": corpus,
        "one_packet": corpus / f"{0:04d}-申报人0",
        "scan_packet": big,
        "packets": n_packets,
        "files_per_packet": n_files,
        "pages_per_packet": sum(p for _, p in files),
        "corpus_mb": round(total_bytes / MiB, 1),
        "big_files": len(big_sizes),
        "big_file_mb": [round(s / MiB, 1) for s in big_sizes],
    }


# (material file in the packet, page image of the scan corpus): the files a youth packet has on paper
OCR_FILES = [
    ("2-申报人材料/身份证.pdf", "id_card_zhangsan.jpg"),
    ("2-申报人材料/劳动合同.pdf", "contract_2022.jpg"),
    ("1-申报单位材料/2020年度财务审计报告.pdf", "audit_2020.jpg"),
    ("1-申报单位材料/2021年度财务审计报告.pdf", "audit_2021.pdf"),
    ("2-申报人材料/个税2021-2022.pdf", "iit_2021-2022.jpg"),
    ("1-申报单位材料/单位诚信声明.pdf", "integrity_sealed_scan.pdf"),
    ("1-申报单位材料/申报承诺书.pdf", "commitment_two_seals.jpg"),
]


def build_ocr_packet(packet: Path, dest: Path, limit: int | None = None) -> dict:
    """A copy of `packet` whose scanned materials are page images (JPEG files keep the material's
    name with .jpg). Returns what was replaced; {} when the scan corpus is not there."""
    shutil.copytree(packet, dest)
    replaced = {}
    for rel, image in OCR_FILES[:limit]:
        src = SCAN_CORPUS / image
        if not src.exists() or not (dest / rel).exists():
            continue
        (dest / rel).unlink()
        target = dest / (rel[: -len(".pdf")] + src.suffix)
        shutil.copyfile(src, target)
        replaced[str(target.relative_to(dest))] = image
    return replaced


def linked_batch(corpus: Path, dest: Path, n_packets: int) -> Path:
    """A batch root of `n_packets` packets made of hard links to the files of `corpus`'s packets
    (taken in turn): a season's 10,000 packets without 2 GB of copies. The checker reads each
    file as if it were its own (the page cache holds the few distinct ones, for the checker and
    its baseline alike)."""
    sources = sorted(p for p in corpus.iterdir() if (p / "changju.yaml").is_file())
    for i in range(n_packets):
        src = sources[i % len(sources)]
        packet = dest / f"{i:05d}-申报人{i}"
        for d, _, names in os.walk(src):
            rel = Path(d).relative_to(src)
            (packet / rel).mkdir(parents=True, exist_ok=True)
            for n in names:
                try:
                    os.link(Path(d) / n, packet / rel / n)
                except OSError:  # a file system without hard links
                    shutil.copyfile(Path(d) / n, packet / rel / n)
    return dest
