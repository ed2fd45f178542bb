#!/usr/bin/env python3
"""Generate the example packets in examples/ (deterministically).

    python examples/make_examples.py            # writes next to this script
    python examples/make_examples.py --out DIR  # writes DIR/<packet>/...

Each packet is a folder of small generated PDFs (and a few JPGs) named the way people
name their scans, plus a `changju.yaml`. Re-running the script produces byte-identical
files: reportlab's canvas runs with `invariant=1` (fixed dates and document id), images
are drawn from fixed pixel data, and nothing depends on the clock, the locale or the
order of a directory listing.

Every PDF page carries an ASCII marker, `MARKER <packet> <item> <material>[#k] p<page>`,
plus a Chinese heading in reportlab's built-in CID font STSong-Light (no font file is
embedded), so a test can find each file's pages in a bound book.

Only the packet folders this script knows are replaced; nothing else in --out is touched.
What each packet demonstrates, and the findings it should give, is in examples/README.md.
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import math
import shutil
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from PIL import Image, ImageDraw
from reportlab import rl_config
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

rl_config.useA85 = 0  # binary streams: a quarter smaller than ASCII85

CJK = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(CJK))

AS_OF = date(2023, 8, 31)

# The guide's item numbers per category, for the page markers: read from the rule files
# (rules/2023/<category>.yaml), never written out a second time here.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout


def _numbers() -> dict[str, dict[str, str]]:
    from changju_check.rulebook.load import load_rules

    numbers: dict[str, dict[str, str]] = {}
    for key, category in load_rules().categories.items():
        numbers[key] = {}
        for section, item in category.items():
            number = f"{section.number}.{item.number}" if section.number else item.number
            for material in item.all_materials():
                numbers[key].setdefault(material, number)
    return numbers


NUMBERS = _numbers()

CATEGORY_TITLES = {
    "research": "科技研发领军人才（团队）",
    "startup": "科技创业领军人才（团队）",
    "service": "科技服务领军人才（团队）",
    "finance": "金融服务领军人才（团队）",
    "management": "经营管理领军人才（团队）",
    "youth": "青年类人才",
    "forum": "高层次科技人才论坛",
    "registration": "申报单位注册材料",
}
COVER_COLOURS = {
    "research": "黄色", "startup": "湖蓝色", "service": "粉紫色", "finance": "藏蓝色",
    "management": "橘色", "youth": "红色", "forum": "白色",
}


# ============================================================================ documents


@dataclass
class Doc:
    """One file of a packet.

    kind: pdf | scan_pdf (a page image with only the marker and a neutral heading as text)
          | jpeg (a photo) | empty (0 bytes) | truncated (a PDF cut short) | heic (a phone photo)
    pages: (heading, lines) per page; the first page's heading is the document's title.
    """

    path: str
    material: str  # what the document really is: a catalogue material id (also in the marker)
    pages: list[tuple[str, list[str]]] = field(default_factory=list)
    kind: str = "pdf"
    seal: bool = True
    photo: int = 0  # seed of a photo's drawing
    number: str | None = None  # the guide's item number for the marker, when not the material's own
    recognised: bool = True  # False: named (on purpose) so that the checker cannot tell what it is


@dataclass
class Packet:
    name: str
    category: str
    manifest: list[tuple[str, object]]  # top-level keys in order
    docs: list[Doc]
    notes: list[str] = field(default_factory=list)  # comment lines at the top of changju.yaml

    def doc(self, path: str) -> Doc:
        for d in self.docs:
            if d.path == path:
                return d
        raise KeyError(path)

    def drop(self, *paths: str) -> None:
        for p in paths:
            self.docs.remove(self.doc(p))

    def set(self, key: str, value: object) -> None:
        for i, (k, _) in enumerate(self.manifest):
            if k == key:
                self.manifest[i] = (key, value)
                return
        self.manifest.append((key, value))

    def get(self, key: str) -> object:
        return dict(self.manifest)[key]


# ---------------------------------------------------------------------------- PDF drawing

PAGE_W, PAGE_H = A4
RED = Color(0.85, 0.1, 0.1)
GREY = Color(0.55, 0.55, 0.55)
WATERMARK = Color(0.85, 0.85, 0.85)


def _wrap(text: str, width: int) -> list[str]:
    """Wrap Chinese text by character count (ASCII letters count half)."""
    lines: list[str] = []
    line, used = "", 0.0
    for ch in text:
        w = 0.5 if ord(ch) < 128 else 1.0
        if used + w > width:
            lines.append(line)
            line, used = "", 0.0
        line += ch
        used += w
    if line:
        lines.append(line)
    return lines


def _seal(c: canvas.Canvas, x: float, y: float, unit: str) -> None:
    c.saveState()
    c.setStrokeColor(RED)
    c.setFillColor(RED)
    c.setLineWidth(2)
    c.circle(x, y, 42, stroke=1, fill=0)
    # a five-pointed star
    pts = []
    for i in range(10):
        r = 12 if i % 2 == 0 else 5
        a = math.pi / 2 + i * math.pi / 5
        pts.append((x + r * math.cos(a), y + 6 + r * math.sin(a)))
    p = c.beginPath()
    p.moveTo(*pts[0])
    for pt in pts[1:]:
        p.lineTo(*pt)
    p.close()
    c.drawPath(p, stroke=0, fill=1)
    c.setFont(CJK, 6)
    c.drawCentredString(x, y + 24, unit[:12])
    c.setFont(CJK, 9)
    c.drawCentredString(x, y - 18, "公章")
    c.restoreState()


def _marker(packet: str, number: str, material: str, page: int) -> str:
    return f"MARKER {packet} {number} {material} p{page}"


def pdf_bytes(doc: Doc, packet: Packet, marker_id: str, number: str, unit: str) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, pageCompression=1)
    c.setTitle(doc.pages[0][0] if doc.pages else "")
    c.setAuthor("changju-check examples")
    c.setCreator("examples/make_examples.py")
    c.setProducer("reportlab")
    for index, (heading, lines) in enumerate(doc.pages, start=1):
        if doc.kind == "scan_pdf":
            _scan_page(c, doc, index)
        c.setFont(CJK, 18)
        c.drawCentredString(PAGE_W / 2, PAGE_H - 80, heading)
        c.setFont("Helvetica", 8)
        c.setFillColor(GREY)
        c.drawString(50, PAGE_H - 40, _marker(packet.name, number, marker_id, index))
        c.setFillColor(Color(0, 0, 0))
        if doc.kind != "scan_pdf":
            y = PAGE_H - 130
            c.setFont(CJK, 11)
            for text in lines:
                for part in _wrap(text, 38) or [""]:
                    c.drawString(70, y, part)
                    y -= 20
            if doc.material == "application_form" and index == 1:
                _form_cover(c)
        c.setFont("Helvetica", 8)
        c.setFillColor(GREY)
        c.drawCentredString(PAGE_W / 2, 40, f"- {index} / {len(doc.pages)} -")
        c.setFillColor(Color(0, 0, 0))
        if index == 1 and doc.seal and doc.kind != "scan_pdf":
            _seal(c, PAGE_W - 150, 150, unit)
        c.showPage()
    c.save()
    return buf.getvalue()


def _form_cover(c: canvas.Canvas) -> None:
    c.saveState()
    c.setFillColor(WATERMARK)
    c.setFont(CJK, 40)
    c.translate(PAGE_W / 2, PAGE_H / 2 - 80)
    c.rotate(35)
    c.drawCentredString(0, 0, "昌聚工程申报系统")
    c.restoreState()


def _scan_page(c: canvas.Canvas, doc: Doc, index: int) -> None:
    """A page that is only a picture: grey 'text' bars and a red seal, drawn from fixed data."""
    img = Image.new("RGB", (300, 420), (236, 234, 228))
    d = ImageDraw.Draw(img)
    d.rectangle((90, 30, 210, 44), fill=(60, 60, 60))
    for row in range(12):
        y = 80 + row * 22
        length = 200 - (row * 37) % 90
        d.rectangle((40, y, 40 + length, y + 7), fill=(90, 90, 90))
    d.ellipse((190, 300, 270, 380), outline=(200, 30, 30), width=4)
    d.rectangle((30 + index, 395, 60 + index, 400), fill=(120, 120, 120))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=45, optimize=False)
    c.drawImage(ImageReader(io.BytesIO(out.getvalue())), 60, 60, width=PAGE_W - 120, height=PAGE_H - 160)


def photo_bytes(seed: int, size: tuple[int, int] = (240, 160)) -> bytes:
    """A small 'photo' of a forum: stage, screen, rows of heads. Fixed pixel data per seed."""
    w, h = size
    img = Image.new("RGB", size, (40 + seed * 13 % 60, 50 + seed * 29 % 70, 90 + seed * 17 % 80))
    d = ImageDraw.Draw(img)
    d.rectangle((0, h * 2 // 3, w, h), fill=(110, 40 + seed * 7 % 50, 40))  # floor / carpet
    d.rectangle((w // 4, 12, w * 3 // 4, h // 2), fill=(220, 220, 235))  # screen
    d.rectangle((w // 4 + 10, 20, w // 4 + 10 + (seed * 11) % 90, 30), fill=(180, 30, 30))  # banner
    for row in range(3):
        for col in range(9):
            x = 10 + col * 26 + (row % 2) * 12
            y = h * 2 // 3 + 6 + row * 16
            d.ellipse((x, y, x + 12, y + 12), fill=(20 + (col * seed) % 40, 20, 20))
    d.rectangle((w // 2 - 6, h // 2 - 4, w // 2 + 6, h * 2 // 3), fill=(30, 30, 30))  # speaker
    out = io.BytesIO()
    img.save(out, "JPEG", quality=70, optimize=False)
    return out.getvalue()


def id_card_photo() -> bytes:
    img = Image.new("RGB", (320, 200), (245, 245, 245))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((10, 10, 310, 190), radius=12, fill=(222, 236, 246), outline=(150, 170, 190))
    d.rectangle((220, 40, 290, 130), fill=(200, 200, 200))
    d.ellipse((235, 50, 275, 95), fill=(150, 120, 100))
    for row in range(5):
        d.rectangle((30, 40 + row * 24, 180 - row * 12, 48 + row * 24), fill=(80, 80, 80))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=70, optimize=False)
    return out.getvalue()


# A HEIC file as an iPhone writes it: an ISO-BMFF 'ftyp' box with the heic brand, then a
# 'meta' box. Only the header matters here (the checker sniffs the type from the bytes).
HEIC_BYTES = (
    b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"
    + b"\x00\x00\x00\x22meta\x00\x00\x00\x00\x00\x00\x00\x21hdlr\x00\x00\x00\x00\x00\x00\x00\x00pict"
    + bytes(range(256)) * 8
)


# ============================================================================ content


def L(*lines: str) -> list[str]:
    return list(lines)


def audit(unit: str, year: int, firm: str = "北京中昌会计师事务所（普通合伙）") -> list[tuple[str, list[str]]]:
    n = {2020: "0217", 2021: "0309", 2022: "0288"}[year]
    pages = [
        (f"{year}年度财务审计报告", L(unit, f"{year}年1月1日至{year}年12月31日", firm, f"京中昌审字[{year + 1}]第{n}号")),
        ("审计报告（正文）", L(f"{unit}全体股东：", "我们审计了后附的财务报表，包括资产负债表、利润表、现金流量表以及财务报表附注。",
                           "我们认为，后附的财务报表在所有重大方面按照企业会计准则的规定编制，公允反映了财务状况以及经营成果和现金流量。")),
        ("资产负债表", L(f"编制单位：{unit}", f"截至{year}年12月31日", "单位：人民币元")),
    ]
    if year != 2020:
        pages.append(("财务报表附注", L("一、公司基本情况", "二、财务报表的编制基础", "三、重要会计政策及会计估计")))
    return pages


def one(heading: str, *lines: str) -> list[tuple[str, list[str]]]:
    return [(heading, list(lines))]


def contract_pages(unit: str, person: str, start: date | None, end: date | None) -> list[tuple[str, list[str]]]:
    term = f"合同期限自{start:%Y年%m月%d日}起至{end:%Y年%m月%d日}止。" if start and end else "合同期限见第二条。"
    return [
        ("劳动合同书", L(f"甲方（用人单位）：{unit}", f"乙方（劳动者）：{person}", "第一条 合同期限", term)),
        ("劳动合同书（续）", L("第二条 工作内容和工作地点", "第三条 劳动报酬", "甲方（盖章）：", "乙方（签字）：")),
    ]


def paper_pages(title: str, journal: str, issue: str, person: str, pages: int = 3) -> list[tuple[str, list[str]]]:
    result = [
        (journal, L(f"{issue}", "ISSN 1000-0000  CN 11-0000", "（刊物封面页）")),
        ("目  次", L(f"{title} …… {person}等 ( 12 )", "（目录页）")),
        (title, L(person + "1，王明2，李华1", "（1.北京某研究院；2.清华大学）", "摘要：……", "（论文内容页／署名页）")),
    ]
    if pages >= 4:
        result.append((f"{title}（续）", L("参考文献", "[1] ……")))
    return result[:pages]


def form_pages(category: str, unit: str, person: str | None, recommendation: str | None) -> list[tuple[str, list[str]]]:
    title = CATEGORY_TITLES[category]
    pages = [
        ("2023年度“昌聚工程”评选申报书", L(
            f"申报类别：{title}", f"申报单位：{unit}", f"申报人：{person}" if person else "项目名称：2023昌平高层次科技人才论坛",
            f"封皮颜色：{COVER_COLOURS[category]}", "昌平区人才工作领导小组办公室制", "2023年8月")),
        ("一、基本信息", L(f"申报单位：{unit}", f"申报人：{person}" if person else "活动名称：高层次科技人才论坛",
                       "（系统导出，带水印）")),
    ]
    if recommendation is not None:
        pages.append(("申报单位意见", L("推荐理由：", recommendation, "法人或授权委托人签字：", "（单位公章）  2023年8月")))
    return pages


# ============================================================================ packets


def entry(title: str, year: int | None = None) -> object:
    return {"title": title, "year": year} if year is not None else title


def common_unit_docs(unit: str, unit_dir: str = "1-申报单位材料", first: int = 1) -> list[Doc]:
    return [
        Doc(f"{unit_dir}/{first + i:02d}-{y}年度财务审计报告.pdf", "audit_report", audit(unit, y))
        for i, y in enumerate((2020, 2021, 2022))
    ]


def statements(unit: str, person: str | None) -> list[Doc]:
    docs = [
        Doc("单位诚信声明.pdf", "unit_integrity_statement", one(
            "申报单位诚信声明", "我单位承诺各项经营活动均遵守国家和北京市有关法律、法规、规章及行业规范，且近三年内在经营活动中没有违法记录。",
            "法定代表人（签字）：", f"申报单位（公章）：{unit}", "2023年8月")),
    ]
    if person is not None:
        docs += [
            Doc("申报承诺书.pdf", "commitment_letter", one(
                "申报承诺书", f"兹有我单位人员{person}申报2023年度“昌聚工程”政策。我单位郑重承诺，在其入选后将认真落实人才情况变动、人才退出备案上报等管理职责。",
                "申报人承诺（签字）：", f"申报单位（公章）：{unit}", "2023年8月")),
            Doc("个人诚信声明.pdf", "personal_integrity_statement", one(
                "申报个人诚信声明", f"本人{person}郑重承诺，严格遵守国家和地方法律、法规，近两年没有违法违规记录。",
                "本人签字：", "2023年8月"), seal=False),
        ]
    return docs


def person_basics(person: str, *, foreign: bool = False, cert: str = "学信网学历认证报告.pdf",
                  cert_material: str = "degree_certification", school: str = "清华大学", degree: str = "博士研究生",
                  degree_cert: str = "学位在线验证报告.pdf") -> list[Doc]:
    """The identity document, the 学历 and 学位 certificates (one file holding both) and their
    verification: for a domestic degree two reports — the 学历 one (`cert`, 学信网 备案表) and the 学位
    one (`degree_cert`, 学位在线验证报告) —; for a foreign degree the 留学服务中心 certificate (or the
    unit's letter), which covers both."""
    d = "2-申报人材料"
    docs = []
    if foreign:
        docs.append(Doc(f"{d}/护照.pdf", "passport", one("护照（资料页）", "PASSPORT  UNITED STATES OF AMERICA", f"姓名：{person}", "有效期至：2031年05月19日"), seal=False))
    else:
        docs.append(Doc(f"{d}/身份证.pdf", "id_card", one("居民身份证（正反面）", f"姓名：{person}", "有效期限：2019.06.01-2039.06.01"), seal=False))
    docs.append(Doc(f"{d}/学历学位证书.pdf", "degree_certificate", [
        ("毕业证书", L(f"学生{person}，于{school}修业期满，成绩合格，准予毕业。", f"学历：{degree}")),
        ("学位证书", L(f"{person}在{school}完成学业，授予博士学位。")),
    ], seal=False))
    heading = {
        "degree_certification": "教育部学历证书电子注册备案表",
        "degree_certification_abroad": "国（境）外学历学位认证书",
        "degree_explanation_letter": "关于申报人学历认证情况的说明",
    }[cert_material]
    lines = {
        "degree_certification": L(f"姓名：{person}", f"毕业院校：{school}", "在线验证码：……（学信网）"),
        "degree_certification_abroad": L(f"姓名：{person}", f"获得学位院校：{school}", "教育部留学服务中心  认证编号：……"),
        "degree_explanation_letter": L(f"我单位员工{person}的最高学位于{school}取得，因该校档案系统迁移，留学服务中心认证尚在办理，暂无法提供认证书。",
                                       "特此说明，并对上述内容的真实性负责。"),
    }[cert_material]
    docs.append(Doc(f"{d}/{cert}", cert_material, one(heading, *lines), seal=cert_material == "degree_explanation_letter"))
    if cert_material == "degree_certification":
        docs.append(Doc(f"{d}/{degree_cert}", cert_material, one(
            "中国高等教育学位在线验证报告", f"姓名：{person}", f"学位授予单位：{school}", "所授学位：博士", "在线验证码：……（学位网）"),
            seal=False))
    return docs


def person_records(unit: str, person: str, *, contract: tuple[date, date] | None, social: bool = True) -> list[Doc]:
    d = "2-申报人材料"
    docs = []
    if contract is not None:
        docs.append(Doc(f"{d}/劳动合同.pdf", "labor_contract", contract_pages(unit, person, *contract)))
    if social:
        docs.append(Doc(f"{d}/社保缴费记录.pdf", "social_insurance_record", one(
            "北京市社会保险个人权益记录（参保人员缴费信息）", f"姓名：{person}", f"单位名称：{unit}", "查询时间段：入职至今"), seal=False))
    docs.append(Doc(f"{d}/个税2021-2022.pdf", "iit_record", [
        ("个人所得税纳税记录（2021年度）", L(f"纳税人姓名：{person}", f"扣缴义务人：{unit}", "国家税务总局北京市昌平区税务局")),
        ("个人所得税纳税记录（2022年度）", L(f"纳税人姓名：{person}", f"扣缴义务人：{unit}")),
    ], seal=False))
    return docs


def numbered(prefix: str, material: str, items: list, heading_of, lines_of=None, pages_of=None) -> list[Doc]:
    docs = []
    for i, item in enumerate(items, start=1):
        title = item["title"] if isinstance(item, dict) else item
        name = heading_of(title, item)
        if pages_of is not None:
            pages = pages_of(title, item)
        else:
            pages = one(title, *(lines_of(title, item) if lines_of else []))
        docs.append(Doc(f"{prefix}/{i:02d}-{name}.pdf", material, pages))
    return docs


def same(title, item):
    return title


def patent_lines(person):
    return lambda title, item: L("发明专利证书", f"发明名称：{title}", f"发明人：{person}等", "国家知识产权局")


def project_pages(unit, person):
    def make(title, item):
        year = item["year"] if isinstance(item, dict) else None
        return [
            ("项目任务书", L(f"项目名称：{title}", f"承担单位：{unit}", f"项目负责人：{person}", f"立项年度：{year}年")),
            ("项目验收证明", L(f"项目名称：{title}", "验收结论：通过验收")),
        ]
    return make


def recommend(text: str) -> str:
    return "".join(text.split())


# ---------------------------------------------------------------------------- the complete packets


def research_complete() -> Packet:
    unit, person = "北京昌科智能装备有限公司", "陈思远"
    unit_patents = ["一种五轴数控机床热误差实时补偿方法", "一种基于视觉的刀具磨损在线检测装置"]
    unit_awards = ["北京市专精特新中小企业", "中关村金种子企业"]
    awards = ["北京市科学技术进步奖二等奖"]
    patents = ["一种主轴热变形多点测温装置", "数控系统插补误差的自适应修正方法"]
    projects = [entry("高档数控机床热误差补偿关键技术研究", 2021), entry("智能产线数字孪生平台研发", 2022)]
    standards = ["数控机床热误差补偿测试方法"]
    papers = [entry("五轴机床热误差建模与补偿研究", 2022), entry("基于数字孪生的数控产线调度优化", 2023)]
    docs = [Doc("申报书.pdf", "application_form", form_pages("research", unit, person, RECOMMEND["research"]))]
    docs += common_unit_docs(unit)
    docs += numbered("1-申报单位材料/单位发明专利", "unit_patents", unit_patents, same, lambda t, i: L("发明专利证书", f"专利权人：{unit}"))
    docs += numbered("1-申报单位材料/单位奖项及资质", "unit_awards", unit_awards, same, lambda t, i: L(f"授予{unit}", "特发此证"))
    docs += statements(unit, person)
    docs += person_basics(person, cert="留学服务中心学历学位认证书.pdf", cert_material="degree_certification_abroad",
                          school="慕尼黑工业大学（德国）")
    d = "2-申报人材料"
    docs.append(Doc(f"{d}/职称证书.pdf", "professional_title", one("专业技术资格证书", f"姓名：{person}", "资格名称：正高级工程师"), seal=False))
    docs += person_records(unit, person, contract=(date(2021, 3, 1), date(2026, 2, 28)))
    docs += numbered(f"{d}/获奖", "personal_awards", awards, same, lambda t, i: L("获奖证书", f"获奖人：{person}（第一完成人）"))
    docs += numbered(f"{d}/专利", "personal_patents", patents, same, patent_lines(person))
    docs += numbered(f"{d}/项目", "personal_projects", projects, lambda t, i: f"{t}-任务书及验收证明", pages_of=project_pages(unit, person))
    docs += numbered(f"{d}/标准", "personal_standards", standards, same, lambda t, i: L("团体标准 T/CMTBA 1023-2022", f"主要起草人：{person}"))
    docs += numbered(f"{d}/论文", "personal_papers", papers, same,
                     pages_of=lambda t, i: paper_pages(t, "机械工程学报", f"{i['year']}年第6期", person, 4))
    docs.append(Doc(f"{d}/成果转化证明.pdf", "achievement_transfer", one("项目成果转化证明", "热误差补偿系统已在3家机床企业应用，累计销售额2860万元。")))
    manifest = [
        ("category", "research"),
        ("as_of", AS_OF),
        ("unit", {"name": unit, "type": "enterprise"}),
        ("applicant", {"name": person, "nationality": "CN", "team": False, "degree_abroad": True,
                       "hired_on": date(2018, 7, 1), "contract": {"start": date(2021, 3, 1), "end": date(2026, 2, 28)}}),
        ("recommendation", RECOMMEND["research"]),
        ("entries", {"unit_patents": unit_patents, "unit_awards": unit_awards, "awards": awards, "patents": patents,
                     "projects": projects, "standards": standards, "papers": papers}),
    ]
    notes = ["科技研发领军人才：博士学位在德国取得，提供教育部留学服务中心的国（境）外学历学位认证书。"]
    return Packet("research-complete", "research", manifest, docs, notes)


def startup_complete() -> Packet:
    unit, person = "北京未来芯动科技有限公司", "林晓峰"
    unit_patents = ["一种低功耗存算一体芯片架构"]
    unit_awards = ["昌平区创新型中小企业"]
    unit_projects = [entry("存算一体AI芯片原型研制", 2022)]
    awards = ["第七届中国创新创业大赛一等奖"]
    u = "1-申报单位材料"
    docs = [Doc("申报书.pdf", "application_form", form_pages("startup", unit, person, RECOMMEND["startup"]))]
    docs.append(Doc(f"{u}/01-投资协议及资金到账证明.pdf", "investment_proof", [
        ("A轮投资协议", L("投资方：北京昌平科技创新投资基金（有限合伙）", f"目标公司：{unit}", "投资金额：人民币3000万元")),
        ("资金到账证明", L("中国银行北京昌平支行", "收款人：" + unit, "金额：30,000,000.00元")),
    ]))
    docs.append(Doc(f"{u}/02-实缴情况说明.pdf", "paid_in_capital_explanation", one(
        "关于注册资金实缴情况的说明", f"{unit}注册资本1000万元，按公司章程约定于2030年12月31日前缴足，截至目前实缴资金为0元。", "特此说明。")))
    docs += common_unit_docs(unit, first=3)
    docs += numbered(f"{u}/单位专利", "unit_patents", unit_patents, same, lambda t, i: L("发明专利证书", f"专利权人：{unit}"))
    docs += numbered(f"{u}/单位奖项及资质", "unit_awards", unit_awards, same, lambda t, i: L(f"授予{unit}", "昌平区科学技术委员会"))
    docs += numbered(f"{u}/单位承担项目", "unit_projects", unit_projects, same,
                     pages_of=lambda t, i: [("项目任务书", L(f"项目名称：{t}", f"承担单位：{unit}", "立项年度：2022年")),
                                            ("结题确认书", L(f"项目名称：{t}", "结论：同意结题"))])
    docs += statements(unit, person)
    docs += person_basics(person, school="北京大学")
    d = "2-申报人材料"
    docs.append(Doc(f"{d}/公司章程.pdf", "equity_proof", [
        (f"{unit}章程", L("第一章 总则", "（经北京市昌平区市场监督管理局备案）")),
        ("第三章 股东的出资方式和出资额", L(f"{person}：认缴出资400万元，占注册资本40%", "王海涛：认缴出资250万元，占注册资本25%",
                                    "北京昌平科技创新投资基金（有限合伙）：认缴出资350万元，占注册资本35%")),
        ("第八章 附则", L("全体股东签字、盖章：", "2023年3月15日")),
    ]))
    docs.append(Doc(f"{d}/劳动合同.pdf", "labor_contract", contract_pages(unit, person, date(2021, 6, 1), date(2026, 5, 31))))
    docs.append(Doc(f"{d}/团队成员社保缴费记录.pdf", "team_social_insurance", [
        ("北京市社会保险个人权益记录（参保人员缴费信息）", L("姓名：王海涛", f"单位名称：{unit}", "查询时间段：入职至今")),
        ("北京市社会保险个人权益记录（参保人员缴费信息）", L("姓名：赵一鸣", f"单位名称：{unit}", "查询时间段：入职至今")),
        ("北京市社会保险个人权益记录（参保人员缴费信息）", L("姓名：孙雅琪", f"单位名称：{unit}", "查询时间段：入职至今")),
    ], seal=False))
    docs.append(Doc(f"{d}/个税2021-2022.pdf", "iit_record", [
        ("个人所得税纳税记录（2021年度）", L(f"纳税人姓名：{person}", f"扣缴义务人：{unit}")),
        ("个人所得税纳税记录（2022年度）", L(f"纳税人姓名：{person}", f"扣缴义务人：{unit}")),
    ], seal=False))
    docs += numbered(f"{d}/获奖", "personal_awards", awards, same, lambda t, i: L("获奖证书", f"获奖人：{person}（团队负责人）"))
    docs.append(Doc(f"{d}/成果转化证明.pdf", "achievement_transfer", one("项目成果转化证明", "存算一体芯片样片已交付两家智能终端企业试用。")))
    manifest = [
        ("category", "startup"),
        ("as_of", AS_OF),
        ("unit", {"name": unit, "type": "enterprise", "paid_in_capital": 0}),
        ("applicant", {"name": person, "nationality": "CN", "team": True, "degree_abroad": False,
                       "equity": {"percent": 40, "largest_natural_person": True}}),
        ("recommendation", RECOMMEND["startup"]),
        ("entries", {"unit_patents": unit_patents, "unit_awards": unit_awards, "unit_projects": unit_projects, "awards": awards}),
    ]
    notes = ["科技创业领军团队：团队成员社保记录（团队申报时提供）；实缴资金为0，以加盖公章的情况说明代替入资回单；",
             "团队带头人持股40%，为第一大自然人股东；现任职务以劳动合同证明。"]
    return Packet("startup-complete", "startup", manifest, docs, notes)


def service_complete() -> Packet:
    unit, person = "北京昌平检验检测技术服务有限公司", "Michael Johnson"
    unit_patents = ["一种动力电池热失控预警检测方法"]
    unit_awards = ["CNAS实验室认可证书"]
    innovations = ["新能源汽车动力电池安全检测平台建设", "储能电站电池健康度评估服务"]
    awards = ["北京市科学技术奖三等奖"]
    patents = ["一种电池包气密性快速检测装置"]
    projects = [entry("动力电池安全评价方法研究", 2022)]
    standards = ["电动汽车用动力蓄电池安全检测规范"]
    papers = ["锂离子电池组热失控早期预警方法"]
    docs = [Doc("申报书.pdf", "application_form", form_pages("service", unit, person, RECOMMEND["service"]))]
    docs += common_unit_docs(unit)
    docs += numbered("1-申报单位材料/单位发明专利", "unit_patents", unit_patents, same, lambda t, i: L("发明专利证书", f"专利权人：{unit}"))
    docs += numbered("1-申报单位材料/单位奖项及资质", "unit_awards", unit_awards, same, lambda t, i: L("中国合格评定国家认可委员会", f"授予{unit}"))
    docs += statements(unit, person)
    docs += person_basics(person, foreign=True, degree_cert="学位网学位认证报告.pdf", school="清华大学")
    d = "2-申报人材料"
    docs += person_records(unit, person, contract=(date(2022, 1, 1), date(2024, 12, 31)))
    docs += numbered(f"{d}/科技服务创新", "service_innovation", innovations, same, lambda t, i: L("工作情况证明", f"主持人：{person}"))
    docs += numbered(f"{d}/获奖", "personal_awards", awards, same, lambda t, i: L("获奖证书", f"获奖人：{person}"))
    docs += numbered(f"{d}/专利", "personal_patents", patents, same, patent_lines(person))
    docs += numbered(f"{d}/项目", "personal_projects", projects, lambda t, i: f"{t}-任务书及验收证明", pages_of=project_pages(unit, person))
    docs += numbered(f"{d}/标准", "personal_standards", standards, same, lambda t, i: L("北京市地方标准", f"起草人：{person}"))
    docs += numbered(f"{d}/论文", "personal_papers", papers, same,
                     pages_of=lambda t, i: paper_pages(t, "储能科学与技术", "2022年第9期", person, 3))
    manifest = [
        ("category", "service"),
        ("as_of", AS_OF),
        ("unit", {"name": unit, "type": "enterprise"}),
        ("applicant", {"name": person, "nationality": "US", "team": False, "degree_abroad": False,
                       "hired_on": date(2019, 4, 15), "contract": {"start": date(2022, 1, 1), "end": date(2024, 12, 31)}}),
        ("recommendation", RECOMMEND["service"]),
        ("entries", {"unit_patents": unit_patents, "unit_awards": unit_awards, "innovations": innovations, "awards": awards,
                     "patents": patents, "projects": projects, "standards": standards, "papers": papers}),
    ]
    notes = ["科技服务领军人才：外籍（美国）申报人，提供有效护照（不提供身份证）；博士学位在清华大学取得，提供学信网学历认证报告和学位网学位认证报告。"]
    return Packet("service-complete", "service", manifest, docs, notes)


def finance_complete() -> Packet:
    unit, person = "北京沙河创业投资管理有限公司", "王静"
    unit_awards = ["2022年度北京市优秀股权投资机构"]
    innovations = ["昌平区硬科技母基金设立与运营", "科技企业投贷联动服务模式"]
    awards = ["2022年度中国股权投资优秀投资人"]
    projects = [entry("昌平区科技金融服务体系建设研究", 2021)]
    papers = ["科技型中小企业股权融资约束研究"]
    docs = [Doc("申报书.pdf", "application_form", form_pages("finance", unit, person, RECOMMEND["finance"]))]
    docs += common_unit_docs(unit)
    docs += numbered("1-申报单位材料/单位奖项及资质", "unit_awards", unit_awards, same, lambda t, i: L(f"授予{unit}", "北京股权投资基金协会"))
    docs += statements(unit, person)
    docs += person_basics(person, cert="学历认证情况说明.pdf", cert_material="degree_explanation_letter",
                          school="伦敦政治经济学院（英国）", degree="硕士研究生")
    d = "2-申报人材料"
    docs.append(Doc(f"{d}/职称证书.pdf", "professional_title", one("专业技术资格证书", f"姓名：{person}", "资格名称：高级经济师（金融）"), seal=False))
    docs += person_records(unit, person, contract=(date(2020, 9, 1), date(2025, 8, 31)))
    docs += numbered(f"{d}/金融服务创新", "finance_innovation", innovations, same, lambda t, i: L("工作情况证明", f"负责人：{person}"))
    docs += numbered(f"{d}/获奖", "personal_awards", awards, same, lambda t, i: L("荣誉证书", f"授予：{person}"))
    docs += numbered(f"{d}/项目", "personal_projects", projects, lambda t, i: f"{t}-任务书及结题证明", pages_of=project_pages(unit, person))
    docs += numbered(f"{d}/论文", "personal_papers", papers, same,
                     pages_of=lambda t, i: paper_pages(t, "金融研究", "2021年第11期", person, 3))
    docs.append(Doc(f"{d}/软件著作权登记证书.pdf", "ip_proof", one("计算机软件著作权登记证书", "软件名称：科技企业投融资风险评估系统V1.0", f"著作权人：{unit}")))
    manifest = [
        ("category", "finance"),
        ("as_of", AS_OF),
        ("unit", {"name": unit, "type": "enterprise"}),
        ("applicant", {"name": person, "nationality": "CN", "team": False, "degree_abroad": True,
                       "hired_on": date(2017, 9, 1), "contract": {"start": date(2020, 9, 1), "end": date(2025, 8, 31)}}),
        ("recommendation", RECOMMEND["finance"]),
        ("entries", {"unit_awards": unit_awards, "innovations": innovations, "awards": awards, "projects": projects, "papers": papers}),
    ]
    notes = ["金融服务领军人才：硕士学位在英国取得，暂无法提供留学服务中心认证书，由单位出具加盖公章的说明代替。"]
    return Packet("finance-complete", "finance", manifest, docs, notes)


def management_complete() -> Packet:
    unit, person = "北京回龙观医疗器械股份有限公司", "赵建国"
    unit_patents = ["一种一次性使用输液器流量调节装置"]
    unit_awards = ["北京市企业技术中心"]
    innovations = ["精益生产管理体系建设", "海外市场渠道拓展与合规管理"]
    awards = ["北京市优秀企业家"]
    projects = [entry("医用耗材智能工厂建设", 2022)]
    papers = ["医疗器械企业精益生产实践与成效"]
    docs = [Doc("申报书.pdf", "application_form", form_pages("management", unit, person, RECOMMEND["management"]))]
    docs += common_unit_docs(unit)
    docs += numbered("1-申报单位材料/单位发明专利", "unit_patents", unit_patents, same, lambda t, i: L("发明专利证书", f"专利权人：{unit}"))
    docs += numbered("1-申报单位材料/单位奖项及资质", "unit_awards", unit_awards, same, lambda t, i: L(f"认定{unit}", "北京市经济和信息化局"))
    docs += statements(unit, person)
    basics = person_basics(person, school="中国人民大学", degree="硕士研究生（EMBA）")
    basics[0] = Doc("2-申报人材料/身份证.jpg", "id_card", kind="jpeg")
    docs += basics
    d = "2-申报人材料"
    docs.append(Doc(f"{d}/职称证书.pdf", "professional_title", one("专业技术资格证书", f"姓名：{person}", "资格名称：正高级经济师"), seal=False))
    docs.append(Doc(f"{d}/任命书.pdf", "position_proof", one(
        "任命书", f"经{unit}董事会2022年第三次会议审议通过，任命{person}为公司总经理，任期三年。", "董事会（盖章）", "2022年6月20日")))
    docs.append(Doc(f"{d}/个税2021-2022.pdf", "iit_record", [
        ("个人所得税纳税记录（2021年度）", L(f"纳税人姓名：{person}", f"扣缴义务人：{unit}")),
        ("个人所得税纳税记录（2022年度）", L(f"纳税人姓名：{person}", f"扣缴义务人：{unit}")),
    ], seal=False))
    docs += numbered(f"{d}/经营管理创新", "management_innovation", innovations, same, lambda t, i: L("工作情况证明", f"主持人：{person}"))
    docs += numbered(f"{d}/获奖", "personal_awards", awards, same, lambda t, i: L("荣誉证书", f"授予：{person}"))
    docs += numbered(f"{d}/项目", "personal_projects", projects, lambda t, i: f"{t}-任务书及验收证明", pages_of=project_pages(unit, person))
    docs += numbered(f"{d}/论文", "personal_papers", papers, same,
                     pages_of=lambda t, i: paper_pages(t, "中国医疗器械信息", "2023年第4期", person, 3))
    docs.append(Doc(f"{d}/成果转化证明.pdf", "achievement_transfer", one("项目成果转化证明", "智能工厂建成后产能提升40%，年新增产值1.2亿元。")))
    manifest = [
        ("category", "management"),
        ("as_of", AS_OF),
        ("unit", {"name": unit, "type": "enterprise"}),
        ("applicant", {"name": person, "nationality": "CN", "team": False, "degree_abroad": False}),
        ("recommendation", RECOMMEND["management"]),
        ("entries", {"unit_patents": unit_patents, "unit_awards": unit_awards, "innovations": innovations,
                     "awards": awards, "projects": projects, "papers": papers}),
    ]
    notes = ["经营管理领军人才：现任职务以董事会任命书证明（三选一）；本类别不要求社保记录；身份证为手机拍摄的 JPG。"]
    return Packet("management-complete", "management", manifest, docs, notes)


def youth_complete() -> Packet:
    unit, person = "北京小汤山生物科技有限公司", "刘雨桐"
    unit_patents = ["一种重组胶原蛋白的制备方法"]
    patents = ["一种高纯度重组胶原蛋白纯化工艺"]
    projects = [entry("重组胶原蛋白敷料中试开发", 2023)]
    papers = ["重组人源化胶原蛋白的表达与纯化"]
    docs = [Doc("申报书.pdf", "application_form", form_pages("youth", unit, person, RECOMMEND["youth"]))]
    docs += common_unit_docs(unit)
    docs += numbered("1-申报单位材料/单位发明专利", "unit_patents", unit_patents, same, lambda t, i: L("发明专利证书", f"专利权人：{unit}"))
    docs += statements(unit, person)
    docs += person_basics(person, school="中国农业大学")
    d = "2-申报人材料"
    docs += person_records(unit, person, contract=None)
    docs.append(Doc(f"{d}/重要情况证明.pdf", "youth_highlights", one("申报人重要情况证明材料", "入选2022年度北京市科技新星计划（与系统“重要情况说明”勾选内容一致）。")))
    docs += numbered(f"{d}/专利", "personal_patents", patents, same, patent_lines(person))
    docs += numbered(f"{d}/项目", "personal_projects", projects, lambda t, i: f"{t}-任务书", pages_of=project_pages(unit, person))
    docs += numbered(f"{d}/论文", "personal_papers", papers, same,
                     pages_of=lambda t, i: paper_pages(t, "生物工程学报", "2022年第7期", person, 3))
    docs.append(Doc(f"{d}/其他附件-公司章程.pdf", "achievement_transfer", [
        (f"{unit}章程（节选）", L("第三章 股东的出资方式和出资额", f"{person}：认缴出资350万元，占注册资本35%")),
        ("第八章 附则", L("全体股东签字、盖章：", "2021年12月10日")),
    ]))
    manifest = [
        ("category", "youth"),
        ("as_of", AS_OF),
        ("unit", {"name": unit, "type": "enterprise"}),
        ("applicant", {"name": person, "nationality": "CN", "team": False, "degree_abroad": False,
                       "hired_on": date(2020, 12, 1), "equity": {"percent": 35, "largest_natural_person": True}}),
        ("recommendation", RECOMMEND["youth"]),
        ("entries", {"unit_patents": unit_patents, "patents": patents, "projects": projects, "papers": papers}),
    ]
    notes = ["青年类人才：申报人持股35%（≥30%），按指南无须提供工作合同；公司章程作为其他附件材料提供。"]
    return Packet("youth-complete", "youth", manifest, docs, notes)


def forum_complete() -> Packet:
    unit, person = "北京未来科学城人才发展促进中心", "黄志明"
    docs = [Doc("申报书.pdf", "application_form", form_pages("forum", unit, None, None))]
    docs.append(Doc("1-论坛活动实施方案.pdf", "forum_plan", [
        ("2023昌平高层次科技人才论坛活动实施方案（终版）", L("一、活动主题：聚才昌平 创新未来", "二、时间地点：2023年6月16日，未来科学城")),
        ("活动实施方案（续）", L("三、议程安排", "四、组织保障", "五、经费预算")),
    ]))
    docs.append(Doc("2-论坛专项审计报告.pdf", "forum_audit_report", [
        ("高层次科技人才论坛专项审计报告", L(f"被审计单位：{unit}", "北京中昌会计师事务所（普通合伙）", "京中昌专审字[2023]第0516号")),
        ("一、单位基本情况  二、近两年财政资助情况", L("（一）单位基本情况……", "（二）2021–2022年获得的各类财政资助……")),
        ("三、活动基本内容及完成效果", L("活动实施周期：2023年5月至6月", "参会专家126人，签约项目5项")),
        ("四、资金投入及付款情况  五、发票取得情况", L("实际投入资金86.4万元，已付款86.4万元", "已取得发票86.4万元，发票单位与项目单位名称一致")),
    ]))
    for i in range(1, 13):
        docs.append(Doc(f"3-现场照片/IMG_{i:04d}.jpg", "forum_photos", kind="jpeg", photo=i))
    docs.append(Doc("4-活动成果落地证明.pdf", "forum_outcome", one(
        "论坛活动成果落地证明", "论坛期间签约的“高端医疗影像设备研发”等5个项目已落地昌平区。", "北京市昌平区科学技术委员会")))
    docs.append(Doc("5-昌聚专家身份证.pdf", "id_card", one("居民身份证（正反面）", f"姓名：{person}", "有效期限：2015.03.10-2035.03.10"), seal=False))
    docs.append(Doc("6-社保缴费记录.pdf", "social_insurance_record", one(
        "北京市社会保险个人权益记录（参保人员缴费信息）", f"姓名：{person}", f"单位名称：{unit}", "查询时间段：入职至今"), seal=False))
    docs.append(Doc("6-在职证明.pdf", "employment_certificate", one(
        "在职证明", f"兹证明{person}同志自2016年3月起在我单位工作，现任首席专家。", f"{unit}（公章）", "2023年8月15日")))
    docs.append(Doc("7-单位诚信声明.pdf", "unit_integrity_statement", one(
        "申报单位诚信声明", "我单位承诺各项经营活动均遵守国家和北京市有关法律、法规、规章及行业规范，且近三年内在经营活动中没有违法记录。",
        "法定代表人（签字）：", f"申报单位（公章）：{unit}", "2023年8月")))
    manifest = [
        ("category", "forum"),
        ("as_of", AS_OF),
        ("unit", {"name": unit, "type": "institution"}),
        ("applicant", {"name": person, "nationality": "CN"}),
    ]
    notes = ["高层次科技人才论坛：12张现场照片（不超过15张）；昌聚专家在职证明三选二，提供社保记录和单位《在职证明》。",
             "applicant 在本类别中描述昌聚专家；本类别无推荐理由要求。"]
    return Packet("forum-complete", "forum", manifest, docs, notes)


def registration_complete() -> Packet:
    unit = "北京昌科智能装备有限公司"
    docs = [
        Doc("1-营业执照副本.pdf", "business_licence", one("营业执照（副本）", f"名称：{unit}", "统一社会信用代码：91110114MA00000000", "登记机关：北京市昌平区市场监督管理局")),
        Doc("2-高新技术企业证书.pdf", "high_tech_certificate", one("高新技术企业证书", f"企业名称：{unit}", "发证时间：2022年12月1日  有效期：三年")),
        Doc("3-联系人身份证.pdf", "id_card", one("居民身份证（正反面）", "姓名：周敏（单位联系人）", "有效期限：2018.09.01-2038.09.01"), seal=False),
        Doc("4-2022年度完税证明.pdf", "tax_payment_certificate", one("税收完税证明", f"纳税人名称：{unit}", "税款所属时期：2022年1月1日至2022年12月31日", "国家税务总局北京市昌平区税务局")),
    ]
    manifest = [
        ("category", "registration"),
        ("as_of", AS_OF),
        ("unit", {"name": unit, "type": "enterprise", "tax_paid": True}),
    ]
    notes = ["申报单位注册材料（指南二）：营业执照、高新技术企业证书、联系人身份证、2022年度完税证明。"]
    return Packet("registration-complete", "registration", manifest, docs, notes)


RECOMMEND = {
    "research": "陈思远博士长期从事高档数控机床热误差补偿技术研究，主持完成北京市科技计划项目2项，获授权发明专利2项，"
                "牵头制定团体标准1项，研究成果已在3家机床企业实现产业化，累计销售额2860万元，为我区智能装备产业发展作出突出贡献，特推荐申报。",
    "startup": "林晓峰带领团队创办北京未来芯动科技有限公司，专注存算一体AI芯片研发，完成A轮融资3000万元，"
               "团队获第七届中国创新创业大赛一等奖，芯片样片已交付智能终端企业试用，发展潜力大，特推荐申报。",
    "service": "Michael Johnson博士负责动力电池安全检测平台建设，主持制定北京市地方标准1项，"
               "为区内新能源汽车和储能企业提供检测服务300余次，获北京市科学技术奖三等奖，服务成效显著，特推荐申报。",
    "finance": "王静女士从事科技金融工作十余年，牵头设立昌平区硬科技母基金，创新投贷联动服务模式，"
               "累计引导社会资本投资区内科技企业42家、金额18.6亿元，获评中国股权投资优秀投资人，特推荐申报。",
    "management": "赵建国同志任公司总经理以来，推行精益生产管理体系，主持建设医用耗材智能工厂，"
                  "带领公司拓展海外市场，近三年营业收入年均增长35%，获评北京市优秀企业家，经营管理业绩突出，特推荐申报。",
    "youth": "刘雨桐博士专注重组胶原蛋白研发，入选北京市科技新星计划，获授权发明专利1项，"
             "主持的重组胶原蛋白敷料中试开发项目进展顺利，作为公司创始股东带领团队实现产品上市，创新能力突出，特推荐申报。",
}
RECOMMEND = {k: recommend(v) for k, v in RECOMMEND.items()}


# ---------------------------------------------------------------------------- the flawed packets


def flawed(base: Packet, notes: list[str]) -> Packet:
    p = copy.deepcopy(base)
    p.name = base.name.replace("-complete", "-flawed")
    p.notes = ["本材料包故意包含以下问题（见 examples/README.md）："] + [f"  - {n}" for n in notes]
    return p


def research_flawed() -> Packet:
    p = flawed(research_complete(), [
        "CJ102：缺少2021年度财务审计报告；",
        "CJ207：论文文件按发表时间编号，与系统填报顺序（entries.papers）相反；",
        "CJ104 + CJ101：单位诚信声明和个人诚信声明扫描成了一个文件“诚信声明.pdf”，无法确定归属，两项必要材料因此都算缺失。",
    ])
    p.drop("1-申报单位材料/02-2021年度财务审计报告.pdf")
    entries = copy.deepcopy(p.get("entries"))
    entries["papers"] = list(reversed(entries["papers"]))
    p.set("entries", entries)
    unit_statement = p.doc("单位诚信声明.pdf").pages[0]
    personal_statement = p.doc("个人诚信声明.pdf").pages[0]
    p.drop("单位诚信声明.pdf", "个人诚信声明.pdf")
    p.docs.append(Doc("诚信声明.pdf", "unit_integrity_statement+personal_integrity_statement",
                      [unit_statement, personal_statement], number="1.(4)+2.(13)", recognised=False))
    return p


def startup_flawed() -> Packet:
    p = flawed(startup_complete(), [
        "CJ203：申报人持股25%，低于30%；",
        "CJ204：另一位自然人股东持股40%，申报人不是第一大自然人股东；",
        "CJ103 + CJ101：入资银行回单用扫描仪默认名“扫描件001.pdf”保存（纯图片，无文字层），无法识别，注册资金实缴证明因此缺失。",
    ])
    unit = p.get("unit")
    unit = dict(unit, paid_in_capital=3000000)
    p.set("unit", unit)
    applicant = copy.deepcopy(p.get("applicant"))
    applicant["equity"] = {"percent": 25, "largest_natural_person": False}
    p.set("applicant", applicant)
    p.drop("1-申报单位材料/02-实缴情况说明.pdf")
    p.docs.append(Doc("扫描件001.pdf", "paid_in_capital_proof", [("扫描文档", [])], kind="scan_pdf", recognised=False))
    articles = p.doc("2-申报人材料/公司章程.pdf")
    articles.pages[1] = ("第三章 股东的出资方式和出资额", L("王海涛：认缴出资400万元，占注册资本40%", "林晓峰：认缴出资250万元，占注册资本25%",
                                                   "北京昌平科技创新投资基金（有限合伙）：认缴出资350万元，占注册资本35%"))
    return p


def service_flawed() -> Packet:
    p = flawed(service_complete(), [
        "CJ201：合同期限2022-09-01至2024-07-31，为1年11个月，不足2年；",
        "CJ205：推荐理由只有38字（要求50-200字）；",
        "CJ301：学位网认证报告下载中断，PDF 被截断，无法打开。",
    ])
    applicant = copy.deepcopy(p.get("applicant"))
    applicant["contract"] = {"start": date(2022, 9, 1), "end": date(2024, 7, 31)}
    p.set("applicant", applicant)
    unit = p.get("unit")["name"]
    p.doc("2-申报人材料/劳动合同.pdf").pages = contract_pages(unit, "Michael Johnson", date(2022, 9, 1), date(2024, 7, 31))
    p.set("recommendation", SHORT_RECOMMENDATION)
    p.doc("2-申报人材料/学位网学位认证报告.pdf").kind = "truncated"
    return p


SHORT_RECOMMENDATION = "该同志业务能力强，工作认真负责，检测服务成绩突出，团队认可度高，特推荐申报。"


def finance_flawed() -> Packet:
    p = flawed(finance_complete(), [
        "CJ202：合同2023-12-31到期，距参照日期2023-08-31只剩4个月（须在半年以上）；",
        "CJ303：个税记录文件为0字节（从税务APP导出失败）；",
        "CJ211：第2篇论文只扫描了目录页和正文首页（2页），缺刊物封面页。",
    ])
    applicant = copy.deepcopy(p.get("applicant"))
    applicant["contract"] = {"start": date(2021, 1, 1), "end": date(2023, 12, 31)}
    p.set("applicant", applicant)
    unit = p.get("unit")["name"]
    p.doc("2-申报人材料/劳动合同.pdf").pages = contract_pages(unit, "王静", date(2021, 1, 1), date(2023, 12, 31))
    p.doc("2-申报人材料/个税2021-2022.pdf").kind = "empty"
    entries = copy.deepcopy(p.get("entries"))
    second = "昌平区科技企业投贷联动实践与思考"
    entries["papers"] = entries["papers"] + [second]
    p.set("entries", entries)
    pages = paper_pages(second, "北京金融评论", "2023年第2期", "王静", 3)[1:]
    p.docs.append(Doc(f"2-申报人材料/论文/02-{second}.pdf", "personal_papers", pages))
    return p


def management_flawed() -> Packet:
    p = flawed(management_complete(), [
        "CJ210：第2个项目为2018年立项，超出“近三年”（2020年及以后），文件名和系统填报年份都显示2018；",
        "CJ304：任命书用手机拍照后直接上传了 HEIC 格式；",
        "CJ101：缺少《个人诚信声明》。",
    ])
    entries = copy.deepcopy(p.get("entries"))
    old = entry("医疗器械GMP质量体系升级改造", 2018)
    entries["projects"] = entries["projects"] + [old]
    p.set("entries", entries)
    unit = p.get("unit")["name"]
    p.docs.append(Doc("2-申报人材料/项目/02-2018年医疗器械GMP质量体系升级改造-验收证明.pdf", "personal_projects",
                      project_pages(unit, "赵建国")(old["title"], old)))
    p.drop("2-申报人材料/任命书.pdf")
    p.docs.append(Doc("2-申报人材料/任命书.HEIC", "position_proof", kind="heic"))
    p.drop("个人诚信声明.pdf")
    return p


def youth_flawed() -> Packet:
    p = flawed(youth_complete(), [
        "申报人持股20%（低于30%），须提供工作合同；合同已提供，但 changju.yaml 没有填写合同起止日期（CJ208 警告）；",
        "CJ101：缺少学信网学历认证报告（学位在线验证报告只证明学位，学历部分仍缺）；",
        "CJ207：第1个项目文件没有序号，排在编号02的文件之后，两个文件都不在系统填报的位置（各一处错误）。",
    ])
    applicant = copy.deepcopy(p.get("applicant"))
    applicant["equity"] = {"percent": 20, "largest_natural_person": False}
    p.set("applicant", applicant)
    unit = p.get("unit")["name"]
    p.docs.append(Doc("2-申报人材料/劳动合同.pdf", "labor_contract", contract_pages(unit, "刘雨桐", date(2021, 1, 1), date(2025, 12, 31)),
                       kind="scan_pdf"))  # scanned: its term is not in a text layer, so CJ208 asks for it
    p.drop("2-申报人材料/学信网学历认证报告.pdf")
    doc = p.doc("2-申报人材料/其他附件-公司章程.pdf")
    doc.pages[0] = (doc.pages[0][0], L("第三章 股东的出资方式和出资额", "刘雨桐：认缴出资200万元，占注册资本20%"))
    entries = copy.deepcopy(p.get("entries"))
    extra = entry("胶原蛋白基医用敷料临床前研究", 2022)
    entries["projects"] = entries["projects"] + [extra]
    p.set("entries", entries)
    first = p.doc("2-申报人材料/项目/01-重组胶原蛋白敷料中试开发-任务书.pdf")
    first.path = "2-申报人材料/项目/重组胶原蛋白敷料中试开发-任务书.pdf"
    p.docs.append(Doc("2-申报人材料/项目/02-胶原蛋白基医用敷料临床前研究-任务书.pdf", "personal_projects",
                      project_pages(unit, "刘雨桐")(extra["title"], extra)))
    return p


def forum_flawed() -> Packet:
    p = flawed(forum_complete(), [
        "CJ206：上传了17张现场照片（不超过15张）；",
        "CJ101：昌聚专家在职证明只提供了单位《在职证明》，三选二只满足一项。",
    ])
    for i in range(13, 18):
        p.docs.append(Doc(f"3-现场照片/IMG_{i:04d}.jpg", "forum_photos", kind="jpeg", photo=i))
    p.drop("6-社保缴费记录.pdf")
    return p


PACKETS = [
    research_complete, research_flawed,
    startup_complete, startup_flawed,
    service_complete, service_flawed,
    finance_complete, finance_flawed,
    management_complete, management_flawed,
    youth_complete, youth_flawed,
    forum_complete, forum_flawed,
    registration_complete,
]


# ============================================================================ writing


def _yaml_scalar(value: object) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    plain_ok = (
        text
        and text == text.strip()
        and not any(c in text for c in ":#{}[],&*!|>'\"%@`")
        and text.lower() not in ("true", "false", "null", "yes", "no", "on", "off", "~")
        and not text[0].isdigit()
        and not text.startswith(("-", "?"))
    )
    return text if plain_ok else json.dumps(text, ensure_ascii=False)


def _yaml_flow(value: object) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_yaml_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_flow(v) for v in value) + "]"
    return _yaml_scalar(value)


def manifest_text(packet: Packet) -> str:
    out = [f"# {packet.name}: example packet of changju-check (generated by examples/make_examples.py)."]
    out += [f"# {n}" for n in packet.notes]
    for key, value in packet.manifest:
        if key in ("unit", "applicant") and isinstance(value, dict):
            if key == "unit":
                out.append(f"{key}: {_yaml_flow(value)}")
                continue
            out.append(f"{key}:")
            for k, v in value.items():
                out.append(f"  {k}: {_yaml_flow(v)}")
        elif key == "entries":
            out.append("entries:  # in the order entered in the online system")
            for k, items in value.items():
                out.append(f"  {k}:")
                for item in items:
                    out.append(f"    - {_yaml_flow(item)}")
        elif key == "recommendation":
            out.append(f"recommendation: {_yaml_scalar(value)}  # {len(value)} characters")
        else:
            out.append(f"{key}: {_yaml_flow(value)}")
    return "\n".join(out) + "\n"


def _marker_ids(packet: Packet) -> dict[str, str]:
    """material[#k] per document, k counting the documents of the same material."""
    counts: dict[str, int] = {}
    for d in packet.docs:
        counts[d.material] = counts.get(d.material, 0) + 1
    seen: dict[str, int] = {}
    ids = {}
    for d in packet.docs:
        seen[d.material] = seen.get(d.material, 0) + 1
        ids[d.path] = d.material if counts[d.material] == 1 else f"{d.material}#{seen[d.material]}"
    return ids


def file_bytes(doc: Doc, packet: Packet, marker_id: str) -> bytes:
    unit = dict(packet.manifest)["unit"]["name"]
    number = doc.number or ("form" if doc.material == "application_form" else NUMBERS[packet.category][doc.material])
    if doc.kind == "jpeg":
        return id_card_photo() if doc.material == "id_card" else photo_bytes(doc.photo)
    if doc.kind == "heic":
        return HEIC_BYTES
    if doc.kind == "empty":
        return b""
    if not doc.pages:
        raise ValueError(f"{packet.name}/{doc.path}: a PDF needs pages")
    data = pdf_bytes(doc, packet, marker_id, number, unit)
    if doc.kind == "truncated":
        return data[: len(data) * 2 // 5]  # the download broke off: no page tree, no xref, no %%EOF
    return data


def write_packet(packet: Packet, out: Path) -> list[Path]:
    root = out / packet.name
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    written = []
    ids = _marker_ids(packet)
    paths = [d.path for d in packet.docs]
    if len(set(paths)) != len(paths):
        raise ValueError(f"{packet.name}: duplicate paths")
    for doc in packet.docs:
        target = root / doc.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file_bytes(doc, packet, ids[doc.path]))
        written.append(target)
    (root / "changju.yaml").write_text(manifest_text(packet), encoding="utf-8", newline="\n")
    written.append(root / "changju.yaml")
    return written


def build(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for make in PACKETS:
        written += write_packet(make(), out)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent,
                        help="folder to write the packets into (default: the folder of this script)")
    args = parser.parse_args(argv)
    written = build(args.out)
    total = sum(p.stat().st_size for p in written)
    print(f"{len(PACKETS)} packets, {len(written)} files, {total / 1024:.0f} KiB in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
