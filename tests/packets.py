"""A small builder of packets in tmp_path, for the checker's tests.

`build(tmp_path, files, manifest)` writes each file: an int n makes an n-page PDF,
bytes are written as they are, "jpg"/"png" make a tiny image.
"""

from __future__ import annotations

import io
from pathlib import Path

from changju_check.engine.run import CheckOptions, check_packet


def pdf_bytes(pages: int = 1) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def image_bytes(fmt: str) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buf, format="JPEG" if fmt == "jpg" else "PNG")
    return buf.getvalue()


def build(root: Path, files: dict[str, object], manifest: str | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, int):
            path.write_bytes(pdf_bytes(content))
        elif content in ("jpg", "png"):
            path.write_bytes(image_bytes(content))  # type: ignore[arg-type]
        else:
            path.write_bytes(content)  # type: ignore[arg-type]
    if manifest is not None:
        (root / "changju.yaml").write_text(manifest, encoding="utf-8")
    return root


def check(root: Path, **options):
    return check_packet(root, CheckOptions(**options))


def codes(report) -> list[str]:
    return sorted(f.code for f in report.findings if f.waived is None)


def findings(report, code: str):
    return [f for f in report.findings if f.code == code and f.waived is None]


UNIT_FILES = {
    "1-申报单位材料/2020年度财务审计报告.pdf": 3,
    "1-申报单位材料/2021年度财务审计报告.pdf": 3,
    "1-申报单位材料/2022年度财务审计报告.pdf": 3,
    "1-申报单位材料/单位诚信声明.pdf": 1,
    "1-申报单位材料/申报承诺书.pdf": 1,
}

PERSON_FILES = {
    "2-申报人材料/身份证.pdf": 1,
    "2-申报人材料/学历学位证书.pdf": 1,
    "2-申报人材料/学信网学历认证报告.pdf": 1,
    "2-申报人材料/学位在线验证报告.pdf": 1,  # 学历、学位认证书: the 学历 and the 学位 verification
    "2-申报人材料/劳动合同.pdf": 2,
    "2-申报人材料/社保缴费记录.pdf": 1,
    "2-申报人材料/个税2021-2022.pdf": 1,
    "2-申报人材料/个人诚信声明.pdf": 1,
}

RECOMMENDATION = "该同志长期从事人工智能芯片研发工作，主持完成多项核心技术攻关，带领团队实现产品量产，" \
    "获得发明专利授权十余项，为企业发展作出突出贡献，特此推荐。"

YOUTH_MANIFEST = f"""\
category: youth
as_of: 2023-08-31
unit: {{name: 北京智芯微电子科技有限公司, type: enterprise}}
applicant:
  name: 王磊
  nationality: CN
  hired_on: 2021-03-01
  contract: {{start: 2022-03-01, end: 2025-02-28}}
recommendation: {RECOMMENDATION}
"""


def youth_packet(root: Path, *, drop: tuple[str, ...] = (), add: dict | None = None, manifest: str = YOUTH_MANIFEST) -> Path:
    files = {**UNIT_FILES, **PERSON_FILES}
    for name in drop:
        del files[name]
    files.update(add or {})
    return build(root, files, manifest)
