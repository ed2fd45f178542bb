"""Build the synthetic scan corpus in tests/scans/ (run once; the output is committed).

Real scans of IDs and contracts cannot be committed, so this renders look-alikes: Chinese text
with a CJK font at 150 dpi, red seals (ring, star, unit name on an arc; round and oval, several
sizes, one faint), then a scanner's flaws: off-white paper, a slight rotation (within 2 degrees),
blur, noise and JPEG compression at quality 70. Near misses are included on purpose: a red
heading (红头文件), a red logo, a blank page, a tiny photo and a badly blurred one. Three PDFs hold a JPEG
and no text layer (what a scanner writes); one PDF has a real text layer.

The facts each file must give are in expected.yaml, written by this script.

Needs, on the machine that generates (not for the tests): a CJK font
(`apt-get install fonts-wqy-microhei fonts-noto-cjk`), Pillow, numpy, reportlab, PyYAML.

    python tests/scans/make_corpus.py [--out tests/scans]
"""

from __future__ import annotations

import argparse
import math
import random
import time
from pathlib import Path

import numpy as np
import yaml
from PIL import Image, ImageDraw, ImageFilter, ImageFont

DPI = 150
A4 = (210, 297)  # mm
PAPER = (247, 245, 238)
INK = (28, 28, 32)
SEAL_RED = (214, 36, 44)

FONT_BODY = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
]
FONT_HEAD = [
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 2),  # Noto Serif CJK SC
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
]
FONT_MONO = ["/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", "/usr/share/fonts/truetype/noto/NotoSansMono-Regular.ttf"]


def mm(v: float, dpi: int = DPI) -> int:
    return int(round(v / 25.4 * dpi))


def _first(paths):
    for p in paths:
        path, index = (p if isinstance(p, tuple) else (p, 0))
        if Path(path).exists():
            return path, index
    raise SystemExit("no CJK font found: apt-get install fonts-wqy-microhei fonts-noto-cjk")


_font_cache: dict = {}


def font(kind: str, size_pt: float, dpi: int = DPI) -> ImageFont.FreeTypeFont:
    px = max(6, int(round(size_pt / 72 * dpi)))
    key = (kind, px)
    if key not in _font_cache:
        path, index = _first({"body": FONT_BODY, "head": FONT_HEAD, "mono": FONT_MONO}[kind])
        _font_cache[key] = ImageFont.truetype(path, px, index=index)
    return _font_cache[key]


class Page:
    """An A4 page drawn in millimetres."""

    def __init__(self, size_mm=A4, dpi: int = DPI):
        self.dpi = dpi
        self.im = Image.new("RGB", (mm(size_mm[0], dpi), mm(size_mm[1], dpi)), PAPER)
        self.draw = ImageDraw.Draw(self.im)

    def text(self, x, y, s, size=10.5, kind="body", fill=INK, anchor="la"):
        self.draw.text((mm(x, self.dpi), mm(y, self.dpi)), s, font=font(kind, size, self.dpi), fill=fill, anchor=anchor)

    def para(self, x, y, s, width_mm=160, size=10.5, leading=1.9, fill=INK) -> float:
        """Wrapped Chinese paragraph; returns the y below it."""
        f = font("body", size, self.dpi)
        max_px = mm(width_mm, self.dpi)
        line = ""
        lines = []
        for ch in s:
            if f.getlength(line + ch) > max_px:
                lines.append(line)
                line = ch
            else:
                line += ch
        if line:
            lines.append(line)
        step = size / 72 * 25.4 * leading
        for ln in lines:
            self.text(x, y, ln, size=size, fill=fill)
            y += step
        return y

    def rule(self, x0, y, x1, fill=INK, width_mm=0.3):
        self.draw.line([(mm(x0, self.dpi), mm(y, self.dpi)), (mm(x1, self.dpi), mm(y, self.dpi))], fill=fill, width=max(1, mm(width_mm, self.dpi)))

    def signature(self, x, y, rng: random.Random):
        pts = []
        for i in range(14):
            pts.append((mm(x + i * 2.2, self.dpi), mm(y + rng.uniform(-2.5, 2.5), self.dpi)))
        self.draw.line(pts, fill=(30, 30, 70), width=max(1, mm(0.5, self.dpi)), joint="curve")


# ----------------------------------------------------------------------------------------- seals


def seal_image(diameter_mm: float, text: str, *, height_mm: float | None = None, bottom: str | None = None,
               star: bool = True, dpi: int = DPI, colour=SEAL_RED) -> Image.Image:
    """A red seal on a transparent background: ring, star, text on the upper arc."""
    w = mm(diameter_mm, dpi)
    h = mm(height_mm or diameter_mm, dpi)
    pad = 6
    im = Image.new("L", (w + 2 * pad, h + 2 * pad), 0)  # ink coverage
    d = ImageDraw.Draw(im)
    ring = max(2, mm(diameter_mm * 0.03, dpi))
    d.ellipse([pad, pad, pad + w - 1, pad + h - 1], outline=255, width=ring)
    cx, cy = pad + w / 2, pad + h / 2
    a, b = w / 2, h / 2
    if star:
        r_out = min(a, b) * 0.28
        r_in = r_out * 0.40
        pts = []
        for k in range(10):
            ang = -math.pi / 2 + k * math.pi / 5
            rr = r_out if k % 2 == 0 else r_in
            pts.append((cx + rr * math.cos(ang), cy + rr * math.sin(ang)))
        d.polygon(pts, fill=255)
    # text on the upper arc
    n = len(text)
    span = math.radians(min(250, 22 * n + 20))
    char_px = int(min(a, b) * (0.30 if n <= 12 else 0.24))
    f = ImageFont.truetype(_first(FONT_BODY)[0], char_px, index=0)
    ra, rb = a - ring - char_px * 0.85, b - ring - char_px * 0.85
    for i, ch in enumerate(text):
        t = -math.pi / 2 - span / 2 + span * (i + 0.5) / n
        x, y = cx + ra * math.cos(t), cy + rb * math.sin(t)
        glyph = Image.new("L", (char_px * 2, char_px * 2), 0)
        ImageDraw.Draw(glyph).text((char_px, char_px), ch, font=f, fill=255, anchor="mm")
        glyph = glyph.rotate(-math.degrees(t) - 90, resample=Image.BICUBIC)
        im.paste(255, (int(x - char_px), int(y - char_px)), glyph)
    if bottom:
        fb = ImageFont.truetype(_first(FONT_BODY)[0], int(min(a, b) * 0.20), index=0)
        d.text((cx, cy + min(a, b) * 0.52), bottom, font=fb, fill=255, anchor="mm")
    rgba = Image.new("RGBA", im.size, colour + (0,))
    rgba.putalpha(im)
    return rgba


def stamp(page: Page, seal: Image.Image, cx_mm: float, cy_mm: float, angle: float, rng: np.random.Generator,
          strength: float = 0.92, patchy: float = 0.15, colour=SEAL_RED):
    """Press the seal on the page: multiply blend, uneven ink."""
    seal = seal.rotate(angle, resample=Image.BICUBIC, expand=True)
    alpha = np.asarray(seal.getchannel("A")).astype(np.float32) / 255.0
    if patchy:
        noise = rng.random(alpha.shape).astype(np.float32)
        blot = np.asarray(Image.fromarray((noise * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(3))).astype(np.float32) / 255
        alpha = alpha * np.clip(1.0 - patchy * 4 * (0.5 - blot).clip(0), 0, 1)
    alpha *= strength
    colour = np.array(colour, dtype=np.float32) / 255.0
    x0 = mm(cx_mm, page.dpi) - seal.width // 2
    y0 = mm(cy_mm, page.dpi) - seal.height // 2
    region = np.asarray(page.im.crop((x0, y0, x0 + seal.width, y0 + seal.height))).astype(np.float32) / 255.0
    blended = region * (1 - alpha[..., None]) + region * colour * alpha[..., None]
    page.im.paste(Image.fromarray((blended * 255).clip(0, 255).astype(np.uint8)), (x0, y0))


# ------------------------------------------------------------------------------- scanner flaws


def scanned(page: Page, rng: random.Random, *, blur: float = 0.6, noise: float = 3.0, max_angle: float = 2.0) -> Image.Image:
    angle = rng.uniform(-max_angle, max_angle)
    im = page.im.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=PAPER)
    if blur:
        im = im.filter(ImageFilter.GaussianBlur(blur))
    a = np.asarray(im).astype(np.float32)
    nrng = np.random.default_rng(rng.randrange(2**32))
    a += nrng.normal(0, noise, a.shape[:2])[..., None]
    # uneven illumination, as from a flatbed lid
    h, w = a.shape[:2]
    grad = np.linspace(-4, 4, w, dtype=np.float32)[None, :, None]
    a += grad
    return Image.fromarray(a.clip(0, 255).astype(np.uint8))


def save_jpeg(im: Image.Image, path: Path, quality: int = 70):
    im.save(path, "JPEG", quality=quality, optimize=True, dpi=(DPI, DPI))


def save_image_pdf(im: Image.Image, path: Path, quality: int = 70):
    """A scanner's PDF: one JPEG per page, no text layer."""
    fixed = time.gmtime(1683676800)  # 2023-05-10: the same bytes on every run
    im.save(path, "PDF", resolution=DPI, quality=quality, creationDate=fixed, modDate=fixed)


# ----------------------------------------------------------------------------------- documents

UNIT = "北京昌聚科技有限公司"


def contract(rng, start: str, end: str | None, *, party="张三", open_ended=False) -> Page:
    p = Page()
    p.text(105, 28, "劳动合同书", size=22, kind="head", anchor="ma")
    y = 50
    y = p.para(25, y, f"甲方（用人单位）：{UNIT}")
    y = p.para(25, y, "住所：北京市昌平区科技园区超前路9号")
    y = p.para(25, y, f"乙方（劳动者）：{party}")
    y = p.para(25, y, "身份证号码：110114199001011234")
    y += 4
    y = p.para(25, y, "根据《中华人民共和国劳动法》《中华人民共和国劳动合同法》等法律法规，甲乙双方经平等自愿、协商一致，签订本合同。")
    y += 2
    y = p.para(25, y, "第一条 合同期限", size=12)
    if open_ended:
        y = p.para(25, y, "（一）固定期限：自 年 月 日起至 年 月 日止。")
        y = p.para(25, y, f"（二）无固定期限：自{start}起至法定的解除或终止条件出现时止。")
        y = p.para(25, y, "（三）以完成一定工作任务为期限。")
    else:
        y = p.para(25, y, f"本合同为固定期限劳动合同，合同期限自{start}起至{end}止。")
        year = start.split("年")[0]
        y = p.para(25, y, f"其中试用期自{start}起至{year}年5月31日止。")
    y += 2
    y = p.para(25, y, "第二条 工作内容和工作地点", size=12)
    y = p.para(25, y, "甲方根据工作需要，安排乙方在研发部从事软件工程师岗位工作，工作地点为北京市昌平区。乙方应按照甲方的要求，按时完成规定的工作数量，达到规定的质量标准。")
    y += 2
    y = p.para(25, y, "第三条 工作时间和休息休假", size=12)
    y = p.para(25, y, "甲方安排乙方执行标准工时制度，每日工作时间不超过八小时，每周工作时间不超过四十小时。")
    return p


def id_cards(rng, name: str, sex: str, birth: str, valid: str, number: str) -> Page:
    p = Page()
    card = (85.6, 54)
    for k, (x0, y0) in enumerate([(62, 40), (62, 110)]):
        p.draw.rounded_rectangle([mm(x0), mm(y0), mm(x0 + card[0]), mm(y0 + card[1])], radius=mm(3), fill=(232, 238, 244), outline=(150, 160, 170), width=2)
        if k == 0:
            p.text(x0 + 6, y0 + 7, "姓名", size=8, fill=(40, 80, 140))
            p.text(x0 + 17, y0 + 6.5, name, size=11)
            p.text(x0 + 6, y0 + 15, "性别", size=8, fill=(40, 80, 140))
            p.text(x0 + 17, y0 + 15, sex, size=9)
            p.text(x0 + 30, y0 + 15, "民族", size=8, fill=(40, 80, 140))
            p.text(x0 + 41, y0 + 15, "汉", size=9)
            p.text(x0 + 6, y0 + 23, "出生", size=8, fill=(40, 80, 140))
            p.text(x0 + 17, y0 + 23, birth, size=9)
            p.text(x0 + 6, y0 + 31, "住址", size=8, fill=(40, 80, 140))
            p.text(x0 + 17, y0 + 31, "北京市昌平区回龙观街道", size=9)
            p.text(x0 + 17, y0 + 36.5, "龙锦苑东三区5号楼", size=9)
            p.text(x0 + 6, y0 + 45, "公民身份号码", size=8, fill=(40, 80, 140))
            p.text(x0 + 30, y0 + 44.5, number, size=10.5, kind="mono")
            p.draw.rectangle([mm(x0 + 60), mm(y0 + 6), mm(x0 + 80), mm(y0 + 32)], fill=(205, 210, 215))
        else:
            p.text(x0 + 30, y0 + 10, "中华人民共和国", size=13, kind="head")
            p.text(x0 + 30, y0 + 19, "居民身份证", size=15, kind="head")
            p.text(x0 + 14, y0 + 36, "签发机关", size=8, fill=(40, 80, 140))
            p.text(x0 + 30, y0 + 35.5, "北京市公安局昌平分局", size=9)
            p.text(x0 + 14, y0 + 44, "有效期限", size=8, fill=(40, 80, 140))
            p.text(x0 + 30, y0 + 43.5, valid, size=9)
    return p


def _mrz_check(s: str) -> str:
    w = (7, 3, 1)
    total = 0
    for i, ch in enumerate(s):
        v = int(ch) if ch.isdigit() else (ord(ch) - 55 if ch.isalpha() else 0)
        total += v * w[i % 3]
    return str(total % 10)


def passport(rng) -> Page:
    p = Page()
    x0, y0 = 30, 60
    p.draw.rectangle([mm(x0), mm(y0), mm(x0 + 150), mm(y0 + 105)], fill=(236, 232, 240), outline=(150, 140, 160), width=2)
    p.text(x0 + 60, y0 + 6, "护照 PASSPORT", size=12, kind="head")
    p.draw.rectangle([mm(x0 + 6), mm(y0 + 18), mm(x0 + 40), mm(y0 + 62)], fill=(205, 205, 212))
    rows = [
        ("类型/Type", "P", "国家码/Country Code", "USA"),
        ("护照号/Passport No.", "512345678", None, None),
        ("姓/Surname", "SMITH", None, None),
        ("名/Given names", "JOHN", None, None),
        ("出生日期/Date of birth", "01 JAN 1985", None, None),
        ("有效期至/Date of expiry", "15 MAR 2030", None, None),
    ]
    y = y0 + 16
    for label, value, label2, value2 in rows:
        p.text(x0 + 48, y, label, size=7, fill=(70, 70, 90))
        p.text(x0 + 48, y + 3.8, value, size=10)
        if label2:
            p.text(x0 + 95, y, label2, size=7, fill=(70, 70, 90))
            p.text(x0 + 95, y + 3.8, value2, size=10)
        y += 10.5
    doc, nat, dob, exp = "512345678", "USA", "850101", "300315"
    line1 = ("P<" + nat + "SMITH<<JOHN").ljust(44, "<")
    personal = "<" * 14
    line2 = doc + _mrz_check(doc) + nat + dob + _mrz_check(dob) + "M" + exp + _mrz_check(exp) + personal + "0"
    line2 += _mrz_check(doc + _mrz_check(doc) + dob + _mrz_check(dob) + exp + _mrz_check(exp) + personal + "0")
    assert len(line1) == len(line2) == 44
    p.text(x0 + 5, y0 + 84, line1, size=10.5, kind="mono")
    p.text(x0 + 5, y0 + 93, line2, size=10.5, kind="mono")
    return p


def audit(rng, year: int, *, with_seal=True) -> tuple[Page, None]:
    p = Page()
    p.text(105, 26, "审 计 报 告", size=20, kind="head", anchor="ma")
    p.text(185, 40, f"京审字[{year + 1}]第0{rng.randint(100, 999)}号", size=10.5, anchor="ra")
    y = 52
    y = p.para(25, y, f"{UNIT}全体股东：")
    y = p.para(25, y, "一、审计意见", size=12)
    y = p.para(25, y, f"我们审计了{UNIT}（以下简称昌聚科技）财务报表，包括{year}年12月31日的资产负债表，{year}年度的利润表、现金流量表、所有者权益变动表以及相关财务报表附注。")
    y = p.para(25, y, f"我们认为，后附的财务报表在所有重大方面按照企业会计准则的规定编制，公允反映了昌聚科技{year}年12月31日的财务状况以及{year}年度的经营成果和现金流量。")
    y = p.para(25, y, "二、形成审计意见的基础", size=12)
    y = p.para(25, y, "我们按照中国注册会计师审计准则的规定执行了审计工作。审计报告的“注册会计师对财务报表审计的责任”部分进一步阐述了我们在这些准则下的责任。")
    p.text(25, 230, "北京正信会计师事务所（特殊普通合伙）", size=10.5)
    p.text(25, 240, "中国·北京", size=10.5)
    p.text(150, 240, f"{year + 1}年4月20日", size=10.5)
    return p


def iit(rng) -> Page:
    p = Page()
    p.text(105, 24, "中华人民共和国", size=14, kind="head", anchor="ma")
    p.text(105, 33, "个人所得税纳税记录", size=16, kind="head", anchor="ma")
    p.text(25, 48, "纳税人名称：张三", size=10.5)
    p.text(110, 48, "纳税人识别号：110114199001011234", size=10.5)
    p.text(25, 56, "税款所属期：2021年01月至2022年12月", size=10.5)
    y = 68
    p.rule(25, y - 2, 185)
    for x, h in ((25, "所属期"), (55, "所得项目"), (95, "扣缴义务人"), (160, "实缴税额")):
        p.text(x, y, h, size=9.5)
    y += 8
    for yy in (2021, 2022):
        for m in (1, 4, 7, 10, 12):
            p.text(25, y, f"{yy}-{m:02d}", size=9.5)
            p.text(55, y, "工资薪金所得", size=9.5)
            p.text(95, y, UNIT, size=9.5)
            p.text(160, y, f"{rng.randint(900, 2400)}.{rng.randint(10, 99)}", size=9.5)
            y += 7
    p.rule(25, y, 185)
    p.text(25, y + 8, "开具日期：2023年03月05日", size=10.5)
    p.text(25, y + 16, "国家税务总局北京市昌平区税务局", size=10.5)
    return p


def licence(rng) -> Page:
    p = Page()
    p.draw.rectangle([mm(12), mm(12), mm(198), mm(285)], outline=(170, 120, 60), width=mm(2))
    p.text(105, 40, "营 业 执 照", size=30, kind="head", anchor="ma")
    p.text(40, 62, "统一社会信用代码  91110114MA01ABCD2X", size=11)
    rows = [("名 称", UNIT), ("类 型", "有限责任公司（自然人投资或控股）"), ("法定代表人", "张三"),
            ("经营范围", "技术开发、技术咨询、技术服务；软件开发"), ("注册资本", "500万元"),
            ("成立日期", "2018年06月08日"), ("住 所", "北京市昌平区科技园区超前路9号")]
    y = 80
    for label, value in rows:
        p.text(30, y, label, size=11)
        p.text(62, y, value, size=11)
        y += 11
    p.text(120, 225, "登记机关", size=11)
    p.text(130, 250, "2021年06月08日", size=11)
    return p


def statement(rng, title: str, *, heading_red=False, logo=False) -> Page:
    p = Page()
    y = 28
    if logo:
        cx, cy, r = mm(30), mm(22), mm(9)
        p.draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=SEAL_RED)
        p.draw.text((cx, cy), "CJ", font=font("head", 16), fill=(250, 250, 250), anchor="mm")
        p.text(45, 17, UNIT, size=14, kind="head", fill=SEAL_RED)
        p.text(45, 25, "Beijing Changju Technology Co., Ltd.", size=8, fill=SEAL_RED)
        p.rule(20, 33, 190, fill=SEAL_RED, width_mm=0.6)
        y = 45
    if heading_red:
        p.text(105, 22, f"{UNIT}文件", size=26, kind="head", fill=SEAL_RED, anchor="ma")
        p.rule(20, 40, 190, fill=SEAL_RED, width_mm=0.9)
        y = 52
    p.text(105, y, title, size=18, kind="head", anchor="ma")
    y += 16
    y = p.para(25, y, "北京市昌平区人才工作局：")
    y = p.para(25, y, f"我单位{UNIT}郑重声明：本单位申报2023年“昌聚工程”所提交的全部材料真实、准确、完整，不存在任何虚假记载、误导性陈述或重大遗漏。如有不实，本单位愿意承担由此产生的一切后果。")
    y = p.para(25, y, "本单位近三年内无重大违法违规行为，未被列入严重违法失信名单，依法纳税，按时缴纳社会保险。")
    p.text(110, 215, "法定代表人（签字）：", size=10.5)
    p.signature(152, 218, rng)
    p.text(110, 232, f"单位（盖章）：{UNIT}", size=10.5)
    p.text(130, 246, "2023年5月10日", size=10.5)
    return p


def build(out: Path) -> dict:
    rng = random.Random(20230510)
    nrng = np.random.default_rng(20230510)
    out.mkdir(parents=True, exist_ok=True)
    expected: dict[str, dict] = {}

    def jpeg(name, page, want, facts=None, seals=0, no_text=False, **kw):
        save_jpeg(scanned(page, rng, **kw), out / name)
        expected[name] = _entry("jpeg", want, facts, seals, no_text)

    def image_pdf(name, page, want, facts=None, seals=0, no_text=False, **kw):
        save_image_pdf(scanned(page, rng, **kw), out / name)
        expected[name] = _entry("pdf", want, facts, seals, no_text)

    # labour contracts
    jpeg("contract_2022.jpg", contract(rng, "2022年3月1日", "2025年2月28日"), ["contract"],
         {"contract_start": "2022-03-01", "contract_end": "2025-02-28"})
    jpeg("contract_old_2019.jpg", contract(rng, "2019年3月1日", "2022年2月28日"), ["contract"],
         {"contract_start": "2019-03-01", "contract_end": "2022-02-28"})
    image_pdf("contract_open_ended.pdf", contract(rng, "2020年7月1日", None, open_ended=True), ["contract"],
              {"contract_start": "2020-07-01", "contract_open_ended": "true"})
    _text_layer_contract(out / "contract_text_layer.pdf")
    expected["contract_text_layer.pdf"] = _entry("pdf", ["contract"], {"contract_start": "2022-03-01", "contract_end": "2024-02-29"}, 0, False)

    # identity documents
    jpeg("id_card_zhangsan.jpg", id_cards(rng, "张三", "男", "1990年1月1日", "2015.03.01-2035.03.01", "110114199001011234"),
         ["identity"], {"name": "张三", "expiry": "2035-03-01"})
    jpeg("id_card_long_term.jpg", id_cards(rng, "李四", "女", "1968年5月20日", "2010.05.20-长期", "110114196805201226"),
         ["identity"], {"name": "李四", "expiry": "长期"})
    jpeg("id_card_expired.jpg", id_cards(rng, "王五", "男", "1985年7月12日", "2012.01.10-2022.01.10", "110114198507120017"),
         ["identity"], {"name": "王五", "expiry": "2022-01-10"})
    jpeg("passport_smith.jpg", passport(rng), ["identity"], {"name": "SMITH JOHN", "expiry": "2030-03-15"})

    # audit reports (with the accounting firm's seal)
    for name, year in (("audit_2020.jpg", 2020), ("audit_2020_is_2019.jpg", 2019)):
        page = audit(rng, year)
        stamp(page, seal_image(40, "北京正信会计师事务所", bottom="审计业务专用章"), 60, 232, rng.uniform(-20, 20), nrng)
        jpeg(name, page, ["audit_year"], {"year": str(year)}, seals=1)
    page = audit(rng, 2021)
    stamp(page, seal_image(40, "北京正信会计师事务所", bottom="审计业务专用章"), 60, 232, rng.uniform(-20, 20), nrng)
    image_pdf("audit_2021.pdf", page, ["audit_year"], {"year": "2021"}, seals=1)

    # tax record, licence
    page = iit(rng)
    stamp(page, seal_image(40, "国家税务总局北京市昌平区税务局", bottom="征税专用章"), 150, 170, rng.uniform(-15, 15), nrng)
    jpeg("iit_2021-2022.jpg", page, ["iit_years"], {"years": "2021,2022"}, seals=1)
    page = licence(rng)
    stamp(page, seal_image(42, "北京市昌平区市场监督管理局", bottom="登记专用章"), 142, 235, rng.uniform(-15, 15), nrng)
    jpeg("business_licence.jpg", page, ["licence_name", "seal"], {"unit_name": UNIT}, seals=1)

    # statements that must bear the unit's seal, and near misses
    page = statement(rng, "单位诚信声明")
    stamp(page, seal_image(42, UNIT), 150, 236, rng.uniform(-25, 25), nrng)
    jpeg("integrity_sealed.jpg", page, ["seal"], seals=1)
    jpeg("integrity_unsealed.jpg", statement(rng, "单位诚信声明"), ["seal"], seals=0)
    page = statement(rng, "申报承诺书")
    stamp(page, seal_image(45, UNIT), 150, 236, rng.uniform(-25, 25), nrng)
    stamp(page, seal_image(38, UNIT, height_mm=26, bottom="合同专用章", star=False), 60, 236, rng.uniform(-10, 10), nrng)
    jpeg("commitment_two_seals.jpg", page, ["seal"], seals=2)
    page = statement(rng, "情况说明")
    stamp(page, seal_image(30, UNIT), 150, 236, rng.uniform(-25, 25), nrng, strength=0.55, patchy=0.35)
    jpeg("explanation_faint_seal.jpg", page, ["seal"], seals=1)
    page = statement(rng, "单位诚信声明")
    stamp(page, seal_image(42, UNIT), 150, 236, rng.uniform(-25, 25), nrng)
    image_pdf("integrity_sealed_scan.pdf", page, ["seal"], seals=1)
    jpeg("red_heading.jpg", statement(rng, "关于申报材料的情况说明", heading_red=True), ["seal"], seals=0)
    jpeg("red_logo.jpg", statement(rng, "单位诚信声明", logo=True), ["seal"], seals=0)

    # pages with no usable text
    jpeg("blank.jpg", Page(), ["contract"], no_text=True)
    tiny = contract(rng, "2022年3月1日", "2025年2月28日").im.resize((180, 254), Image.BILINEAR).filter(ImageFilter.GaussianBlur(1.2))
    save_jpeg(tiny, out / "tiny_blurred.jpg", quality=60)
    expected["tiny_blurred.jpg"] = _entry("jpeg", ["contract"], None, 0, True)
    # full size, but far too blurred to read (a shaken phone photo)
    blurred = scanned(contract(rng, "2022年3月1日", "2025年2月28日"), rng).filter(ImageFilter.GaussianBlur(5))
    save_jpeg(blurred, out / "blurred.jpg")
    expected["blurred.jpg"] = _entry("jpeg", ["contract"], None, 0, True)
    return expected


def _entry(kind, want, facts, seals, no_text):
    e: dict = {"kind": kind, "want": list(want)}
    if facts:
        e["facts"] = dict(facts)
    e["seals"] = seals  # red seals on the first page (looked for on every file by the tests)
    if no_text:
        e["no_text"] = True
    return e


def _text_layer_contract(path: Path):
    """A contract produced by a word processor: a real text layer (embedded CJK TrueType)."""
    from reportlab.lib.pagesizes import A4 as RL_A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    fpath = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
    pdfmetrics.registerFont(TTFont("WQY", fpath, subfontIndex=0))
    c = canvas.Canvas(str(path), pagesize=RL_A4, invariant=1)
    c.setFont("WQY", 20)
    c.drawCentredString(RL_A4[0] / 2, RL_A4[1] - 80, "劳动合同书")
    c.setFont("WQY", 11)
    lines = [
        f"甲方（用人单位）：{UNIT}",
        "乙方（劳动者）：张三",
        "第一条 合同期限",
        "本合同为固定期限劳动合同，合同期限自 2022-03-01 起至 2024-02-29 止。",
        "第二条 工作内容",
        "乙方在研发部从事软件工程师岗位工作。",
    ]
    y = RL_A4[1] - 130
    for ln in lines:
        c.drawString(70, y, ln)
        y -= 24
    c.showPage()
    c.save()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent))
    args = ap.parse_args()
    out = Path(args.out)
    expected = build(out)
    header = "# Facts each corpus file must give (written by make_corpus.py; do not edit by hand)\n"
    (out / "expected.yaml").write_text(header + yaml.safe_dump({"files": expected}, allow_unicode=True, sort_keys=True), encoding="utf-8")
    total = sum((out / n).stat().st_size for n in expected)
    print(f"{len(expected)} files, {total / 1e6:.2f} MB in {out}")


if __name__ == "__main__":
    main()
