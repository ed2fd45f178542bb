"""Build the real-document corpus in tests/realdocs/corpus/ (run once; the output is committed).

Reproductions of the documents applicants really download and scan, rebuilt from their published
titles, field labels, layouts and date formats (issue 16): the 北京市社会保险个人权益记录（参保人员缴费信息）,
the 个人所得税纳税记录（原《税收完税证明》）, the 税收完税证明（表格式）and 无欠税证明, the 营业执照, the
高新技术企业证书, the 学信网 教育部学历证书电子注册备案表, the 中国高等教育学位在线验证报告, the 留学服务中心
国(境)外学历学位认证书, the 人社部 labour-contract template (cover page, term on page 2 or 3, 第N种) and the
身份证. Personal data are made up; every ID number and 统一社会信用代码 carries a valid check character
(computed here), unless a file is a near miss on purpose.

Each document is described once (lines, table rows, seals) and rendered two ways:

- a text-layer PDF (reportlab, the Adobe CID font STSong-Light, so the text is real text as in a
  downloaded record; printed seals are images, as in a downloaded record);
- image variants with Pillow and a Noto CJK font: a flatbed scan (off-white, 0.6° rotation, light
  blur, JPEG), a phone photo (3-5° rotation, a shadow across the page, noise, JPEG 70), and an
  image-only PDF of the scan. Red seals are rings with the owner's name on the arc and a star.

Near misses for every code are built in (see `expected.yaml`, written by this script): an ID number
in full-width digits, a name with a stray ☑, a 社保 record that starts the month after hiring, one
paid by another unit for three months, one whose last month is 202305 (reference 2023-08-31), a 高企
certificate issued exactly three years before the reference date, a licence whose 营业期限 ended, …

Needs (on the machine that generates, not for the tests): reportlab, Pillow, numpy, PyYAML, and a
CJK font for the images (`apt-get install fonts-noto-cjk`).

    python tests/realdocs/make_corpus.py [--out tests/realdocs/corpus]
"""

from __future__ import annotations

import argparse
import io
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
A4 = (210.0, 297.0)  # mm
INK = (25, 25, 30)
SEAL_RED = (210, 38, 44)
PAPER = (248, 246, 240)
FONT_IMAGE = ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"]

# ---------------------------------------------------------------------------- people and units

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def id_number(first17: str) -> str:
    """GB 11643: the ISO 7064 MOD 11-2 check character."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS))
    return first17 + "10X98765432"[total % 11]


def credit_code(first17: str) -> str:
    """GB 32100: the MOD 31 check character."""
    total = sum(_CC_CHARS.index(c) * w for c, w in zip(first17, _CC_WEIGHTS))
    return first17 + _CC_CHARS[(31 - total % 31) % 31]


NAME = "张三"
ID = id_number("11010819900101123")  # born 1990-01-01
ID_OTHER = id_number("11010819910101123")  # a different person, valid check digit
UNIT = "北京某某科技有限公司"
CC = credit_code("91110114MA01ABCD1")
OTHER_UNIT = "北京甲乙信息技术有限公司"
OTHER_CC = credit_code("91110108MA00XYWB2")
TAX_OFFICE = "国家税务总局北京市昌平区税务局"
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


# ---------------------------------------------------------------------------- a document, described once

@dataclass
class Item:
    kind: str  # text | seal | rule
    x: float
    y: float  # mm from the top
    text: str = ""
    size: float = 10.5
    owner: str = ""  # a seal's owner (on its arc)
    r: float = 20.0


@dataclass
class Doc:
    name: str
    pages: list[list[Item]] = field(default_factory=lambda: [[]])
    y: float = 22.0

    def page(self) -> "Doc":
        self.pages.append([])
        self.y = 22.0
        return self

    def _add(self, item: Item) -> None:
        self.pages[-1].append(item)

    def title(self, text: str, size: float = 17) -> "Doc":
        self._add(Item("text", A4[0] / 2 - len(text) * size * 0.3528 / 2, self.y, text, size))
        self.y += size * 0.3528 + 5
        return self

    def line(self, text: str, size: float = 10.5, x: float = 20) -> "Doc":
        self._add(Item("text", x, self.y, text, size))
        self.y += size * 0.3528 + 3.2
        return self

    def cells(self, cells: list[str], xs: list[float], size: float = 8.5) -> "Doc":
        for text, x in zip(cells, xs):
            if text:
                self._add(Item("text", x, self.y, text, size))
        self.y += size * 0.3528 + 2.6
        return self

    def rule(self) -> "Doc":
        self._add(Item("rule", 18, self.y - 1.5))
        self.y += 1.5
        return self

    def gap(self, mm_: float) -> "Doc":
        self.y += mm_
        return self

    def seal(self, owner: str, x: float = 150, y: float | None = None, r: float = 19) -> "Doc":
        self._add(Item("seal", x, y if y is not None else self.y, owner=owner, r=r))
        return self


# ---------------------------------------------------------------------------- the real layouts

def social_insurance(name=NAME, ssn=ID, unit=UNIT, periods=None, query_period="201807-202308",
                     ym_style="plain", supplement: str | None = None) -> Doc:
    """北京市社会保险个人权益记录（参保人员缴费信息）."""
    periods = periods or [("201807", "202102", OTHER_UNIT, "海淀区"), ("202103", "202307", unit, "昌平区")]

    def ym(v: str) -> str:
        return f"{v[:4]}.{v[4:]}" if ym_style == "dot" else v

    d = Doc("social_insurance")
    d.title("北京市社会保险个人权益记录").title("（参保人员缴费信息）", 13)
    d.line(f"参保人姓名：{name}", 10, 20).gap(-6.7).line(f"社会保障号码：{ssn}", 10, 105)
    d.line(f"单位名称：{unit}", 10)
    d.line(f"查询时间段：{ym(query_period[:6])}-{ym(query_period[7:])}", 10, 20).gap(-6.7)
    d.line("查询日期：2023-08-15", 10, 105)
    d.line("校验码：7KQ2M9XD4TBW   查询流水号：20230815093012468135", 9)
    d.rule().line("一、养老保险单位变动记录", 11)
    xs = [20, 48, 76, 100, 168]
    d.cells(["缴费起始年月", "缴费截止年月", "实际缴费月数", "单位名称", "缴费区县"], xs)
    for start, end, who, district in periods:
        months = (int(end[:4]) * 12 + int(end[4:])) - (int(start[:4]) * 12 + int(start[4:])) + 1
        mark = "*" if supplement and start == supplement else ""
        d.cells([mark + ym(start), ym(end), str(months), who, district], xs)
    d.rule().line("二、五险缴费明细", 11)
    xs2 = [20, 50, 64, 88, 108, 122, 146, 166]
    d.cells(["缴费起止年月", "养老月数", "年缴费基数", "个人缴费", "失业月数", "年缴费基数", "个人缴费", "工伤月数"], xs2)
    for start, end, _, _ in periods:
        y0, y1 = int(start[:4]), int(end[:4])
        for y in range(y0, y1 + 1):
            a = start if y == y0 else f"{y}01"
            b = end if y == y1 else f"{y}12"
            n = int(b[4:]) - int(a[4:]) + 1
            d.cells([f"{ym(a)}-{ym(b)}", str(n), "156000.00", f"{n * 1040:.2f}", str(n), "156000.00",
                     f"{n * 65:.2f}", str(n)], xs2)
    d.rule().line("备注：1.“*”表示补缴；2.本记录可通过校验码和查询流水号在北京市社会保险网上服务平台验证真伪。", 8.5)
    d.seal("北京市社会保险事业管理中心", 60, d.y + 12).seal("北京市昌平区社会保险事业管理中心", 150, d.y + 12)
    return d


def iit_record(name=NAME, id_=ID, period=("2021年01月", "2022年12月"), months=None, id_on_page=None) -> Doc:
    """个人所得税纳税记录（原《税收完税证明》）: no 扣缴义务人 column."""
    months = months or [(y, m) for y in (2021, 2022) for m in range(1, 13)]
    d = Doc("iit")
    d.title("个人所得税纳税记录").title("（原《税收完税证明》）", 12)
    d.line("No. 123456789012345678", 9, 150)
    d.line(f"记录期间：{period[0]}-{period[1]}", 10)
    d.line(f"纳税人名称：{name}", 10, 20).gap(-6.7).line(f"纳税人识别号：{id_on_page or id_}", 10, 105)
    d.line("身份证件类型：居民身份证", 10, 20).gap(-6.7).line(f"身份证件号码：{id_on_page or id_}", 10, 105)
    xs = [18, 40, 60, 82, 104, 142, 190]
    d.cells(["申报日期", "实缴(退)金额", "入(退)库日期", "所得项目", "税款所属期", "入库税务机关", "备注"], xs, 8)
    for i, (y, m) in enumerate(months):
        ny, nm = (y + 1, 1) if m == 12 else (y, m + 1)
        last = [31, 29 if y % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        d.cells([f"{ny}-{nm:02d}-07", f"{1200 + i * 3:,.2f}", f"{ny}-{nm:02d}-08", "工资薪金所得",
                 f"{y}-{m:02d}-01至{y}-{m:02d}-{last:02d}", TAX_OFFICE, ""], xs, 7.5)
        if d.y > 260:
            d.page()
    d.line("金额合计：(大写) 叁万零伍佰陆拾肆元整    ¥30,564.00", 9)
    d.line(f"开具机关(盖章)：{TAX_OFFICE}", 9).line("开具时间：2023-08-15", 9)
    d.line("查询验证码：4F7A-2C9D-8E1B-6H3K", 9)
    d.line("说明：本记录涉及纳税人敏感信息，不得用于本人申请以外的用途。可通过个人所得税APP验证真伪。", 8)
    d.seal(TAX_OFFICE, 150, d.y - 16)
    return d


def tax_payment(unit=UNIT, cc=CC, rows=None) -> Doc:
    """税收完税证明（表格式）."""
    rows = rows or [
        ("321016220100012345", "增值税", "软件服务", "2022.01.01-2022.03.31", "2022.04.15", "123,456.78"),
        ("321016220400023456", "增值税", "软件服务", "2022.04.01-2022.06.30", "2022.07.15", "98,765.43"),
        ("321016230500034567", "企业所得税", "应纳税所得额", "2022-01-01 至 2022-12-31", "2023-05-20", "45,678.90"),
    ]
    d = Doc("tax_payment")
    d.title("中华人民共和国", 14).title("税收完税证明")
    d.line("No. 311016230800012345", 9, 150)
    d.line("填发日期：2023年08月15日", 10, 20).gap(-6.7).line(f"税务机关：{TAX_OFFICE}", 10, 90)
    d.line(f"纳税人识别号：{cc}", 10).line(f"纳税人名称：{unit}", 10)
    xs = [18, 56, 76, 100, 142, 170]
    d.cells(["原凭证号", "税种", "品目名称", "税款所属时期", "入(退)库日期", "实缴(退)金额"], xs)
    for r in rows:
        d.cells(list(r), xs)
    d.line("金额合计 (大写) 贰拾陆万柒仟玖佰零壹元壹角壹分    ¥267,901.11", 9)
    d.line("税务机关（盖章）          填票人：电子税务局", 9)
    d.line("备注：本凭证不作纳税人记账、抵扣凭证。", 8.5)
    d.seal(TAX_OFFICE, 60, d.y + 6)
    return d


def tax_clearance(unit=UNIT, cc=CC) -> Doc:
    """无欠税证明 (电子税务局)."""
    d = Doc("tax_clearance")
    d.title("无欠税证明").line("京税无欠税〔2023〕12345号", 10, 130)
    d.line(f"经查询税收征管信息系统，截至2023年08月14日，未发现{unit}", 11)
    d.line(f"（纳税人识别号：{cc}）有欠税情形。", 11)
    d.line("本证明仅证明纳税人在上述时间未发现欠税情形，不作为纳税人完税的凭证。", 10)
    d.gap(10).line(TAX_OFFICE, 11, 110).line("2023年08月15日", 11, 125)
    d.seal(TAX_OFFICE, 140, d.y - 10)
    return d


def business_licence(unit=UNIT, cc=CC, term=("2015年03月10日", "长期"), spaced=True) -> Doc:
    """营业执照（副本）: widely spaced labels."""
    sp = (lambda s: "　　".join(s)) if spaced else (lambda s: s)
    d = Doc("licence")
    d.title("营 业 执 照", 22).title("（副　本）", 12)
    d.line(f"统一社会信用代码  {cc}", 10).line("(1-1)", 9, 170)
    d.gap(4)
    d.line(f"{sp('名称')}  {unit}", 11).line(f"{sp('类型')}  有限责任公司(自然人投资或控股)", 11)
    d.line("法定代表人  李四", 11)
    d.line("经营范围  技术开发、技术咨询、技术服务、技术转让；软件开发；计算机系统服务。", 11)
    d.line("注册资本  500万元", 11).line("成立日期  2015年03月10日", 11)
    d.line(f"营业期限  {term[0]} 至 {term[1]}", 11)
    d.line(f"{sp('住所')}  北京市昌平区科技园区某某路1号院2号楼3层301", 11)
    d.gap(12).line("登记机关  北京市昌平区市场监督管理局", 11, 110).line("2022年06月01日", 11, 130)
    d.seal("北京市昌平区市场监督管理局", 150, d.y - 10)
    return d


def high_tech(unit=UNIT, number="GR202011004567", issued="2020年8月31日") -> Doc:
    d = Doc("high_tech")
    d.title("高新技术企业证书", 22).gap(8)
    d.line(f"企业名称：{unit}", 12).line(f"证书编号：{number}", 12)
    d.line(f"发证时间：{issued}", 12).line("有效期：三年", 12)
    d.gap(10).line("批准机关：北京市科学技术委员会  北京市财政局  国家税务总局北京市税务局", 10)
    d.seal("北京市科学技术委员会", 70, d.y + 14).seal("北京市财政局", 140, d.y + 14)
    return d


def chsi_record(name=NAME, birth="1990年01月01日", code="A1B2C3D4E5F6G7H8") -> Doc:
    """学信网 教育部学历证书电子注册备案表."""
    d = Doc("chsi")
    d.title("教育部学历证书电子注册备案表", 15).line("更新日期：2023年08月10日", 9, 140)
    xs = [22, 40, 92, 110]
    d.cells(["姓名", name, "性别", "男"], xs, 10).cells(["出生日期", birth, "民族", "汉族"], xs, 10)
    d.cells(["证件号码", "110108********1231", "", ""], xs, 10)
    d.cells(["入学日期", "2008年09月01日", "毕(结)业日期", "2012年07月01日"], xs, 10)
    d.cells(["学校名称", "北京某某大学", "专业", "计算机科学与技术"], xs, 10)
    d.cells(["学历类别", "普通高等教育", "学制", "4年"], xs, 10)
    d.cells(["层次", "本科", "学历证书编号", "100011201205001234"], [22, 40, 92, 118], 10)
    d.cells(["校(院)长姓名", "王五", "毕(结)业", "毕业"], xs, 10)
    d.gap(6).line(f"在线验证码：{code}", 11)
    d.line("本备案表主要用于学历信息核查，请登录学信网（www.chsi.com.cn）输入在线验证码查询。", 8.5)
    return d


def degree_report(name=NAME, birth="1990年01月01日") -> Doc:
    """中国高等教育学位在线验证报告."""
    d = Doc("cdgdc")
    d.title("中国高等教育学位在线验证报告", 15).line("更新日期：2023年08月11日", 9, 140)
    xs = [22, 48, 92, 118]
    d.cells(["姓名", name, "性别", "男"], xs, 10).cells(["出生日期", birth, "获学位日期", "2015年07月01日"], xs, 10)
    d.cells(["学位授予单位", "北京某某大学", "所授学位", "工学博士"], xs, 10)
    d.cells(["学科/专业", "计算机科学与技术", "学位证书编号", "1000132015001234"], xs, 10)
    d.gap(6).line("在线验证码：8C3F2A9D7E1B4K6M", 11)
    d.line("本报告在有效期内可通过学信网（www.chsi.com.cn）输入在线验证码查询。", 8.5)
    return d


def cscse_certificate(name=NAME, number="教留服认美[2016]01234号") -> Doc:
    """教育部留学服务中心 国(境)外学历学位认证书."""
    d = Doc("cscse")
    d.title("教育部留学服务中心", 14).title("国(境)外学历学位认证书", 18)
    d.line(f"证书编号：{number}", 11)
    d.line(f"持证人：{name}   性别：男   出生日期：1990年01月01日", 11)
    d.line("获得学位：理学硕士   颁发国家(地区)：美国   颁发机构：美国某某大学", 11)
    d.line("学习时间：2012年09月至2015年06月   学位颁发日期：2015年06月15日", 11)
    d.line("认证意见：该学位证书为美国某某大学颁发的理学硕士学位证书。", 11)
    d.gap(8).line("教育部留学服务中心", 11, 120).line("2016年09月01日", 11, 125)
    d.seal("教育部留学服务中心", 150, d.y - 10)
    return d


CONTRACT_NOTES = [
    "注意事项",
    "一、本合同文本供用人单位与建立劳动关系的劳动者签订劳动合同时使用。",
    "二、用人单位应当与招用的劳动者自用工之日起一个月内依法订立书面劳动合同，并就劳动合同的内容协商一致。",
    "三、用人单位应当如实告知劳动者工作内容、工作条件、工作地点、职业危害、安全生产状况、劳动报酬。",
    "四、依法签订的劳动合同具有法律效力，双方应按照劳动合同的约定全面履行各自的义务。",
    "五、劳动合同应使用蓝、黑钢笔或签字笔填写，字迹清楚，文字简练、准确，不得涂改。",
    "六、劳动合同一式两份，双方各执一份，试用期包括在劳动合同期限内。",
]


def contract(choice="1", fixed=("2021", "3", "1", "2024", "2", "29"), open_start=None, unit=UNIT, cc=CC,
             name=NAME, id_=ID, cover=True, notes_apart=False) -> Doc:
    """劳动合同（通用）, 人力资源社会保障部 template: a cover with 注意事项, the term on page 2. As the
    template is printed double-sided (`notes_apart`): the cover alone, 注意事项 on its back, the
    text and the term from page 3."""
    d = Doc("contract")
    if cover:
        d.gap(30).title("劳 动 合 同", 26).title("（通用）", 14).gap(20)
        d.line(f"甲方（用人单位）：{unit}", 13, 40).line(f"乙方（劳动者）：{name}", 13, 40)
        d.line("签订日期：  年  月  日", 13, 40).gap(18)
        if notes_apart:
            d.gap(40).line("中华人民共和国人力资源和社会保障部制", 12, 60).page().gap(20)
        for i, note in enumerate(CONTRACT_NOTES):
            d.line(note, 12 if i == 0 else 9, 90 if i == 0 else 20)
        if not notes_apart:
            d.line("中华人民共和国人力资源和社会保障部制", 10, 110)
        d.page()
    d.line(f"甲方（用人单位）：{unit}", 10.5).line(f"统一社会信用代码：{cc}", 10.5)
    d.line("法定代表人（主要负责人）或委托代理人：李四", 10.5)
    d.line("注册地址：北京市昌平区科技园区某某路1号院2号楼3层301", 10.5)
    d.line(f"乙方（劳动者）：{name}", 10.5).line(f"居民身份证号码：{id_}", 10.5)
    d.line("户籍地址：北京市海淀区某某路1号   经常居住地（通讯地址）：北京市昌平区某某小区", 10.5)
    d.line("根据《中华人民共和国劳动法》《中华人民共和国劳动合同法》等法律法规政策规定，甲乙双方遵循合法、", 10)
    d.line("公平、平等自愿、协商一致、诚实信用的原则订立本合同。", 10)
    d.line("一、劳动合同期限", 11)
    d.line(f"第一条 甲乙双方自用工之日起建立劳动关系，双方约定按下列第 {choice} 种方式确定劳动合同期限：", 10)
    f = fixed or (" ", " ", " ", " ", " ", " ")
    d.line(f"1、固定期限：自 {f[0]} 年 {f[1]} 月 {f[2]} 日起至 {f[3]} 年 {f[4]} 月 {f[5]} 日止，其中，试用期从用工之日起至"
           f" {f[0] if fixed else ' '} 年 {('5' if fixed else ' ')} 月 {('31' if fixed else ' ')} 日止。", 10)
    o = open_start or (" ", " ", " ")
    d.line(f"2、无固定期限：自 {o[0]} 年 {o[1]} 月 {o[2]} 日起至依法解除、终止劳动合同时止，其中，试用期从用工之日起至"
           "   年   月   日止。", 10)
    d.line("3、以完成一定工作任务为期限：自   年   月   日起至       工作任务完成时止。", 10)
    d.line("甲方应当以书面形式通知乙方工作任务完成。", 10)
    d.line("二、工作内容和工作地点", 11).line("第二条 乙方工作岗位是 研发工程师，岗位职责为 芯片设计。", 10)
    return d


def id_card(name=NAME, id_=ID, validity="2016.05.20-2026.05.20", birth=("1990", "1", "1")) -> Doc:
    """居民身份证, front and back copied on one page."""
    d = Doc("id_card")
    d.gap(10).line(f"姓名  {name}", 12, 40).line("性别  男      民族  汉", 12, 40)
    d.line(f"出生  {birth[0]} 年 {birth[1]} 月 {birth[2]} 日", 12, 40)
    d.line("住址  北京市海淀区某某路1号", 12, 40).line(f"公民身份号码  {id_}", 12, 40)
    d.gap(30).line("中华人民共和国", 16, 70).line("居民身份证", 20, 75)
    d.line("签发机关  北京市公安局海淀分局", 12, 40).line(f"有效期限  {validity}", 12, 40)
    return d


def audit_report(year=2022) -> Doc:
    d = Doc("audit")
    d.title("审计报告").line(f"京某审字[{year + 1}]第0123号", 10, 130)
    d.line(f"{UNIT}全体股东：", 11)
    d.line(f"我们审计了{UNIT}财务报表，包括{year}年12月31日的资产负债表，{year}年度的利润表、现金流量表。", 10)
    d.line(f"我们认为，后附的财务报表在所有重大方面按照企业会计准则的规定编制，公允反映了{year}年度的经营成果。", 10)
    d.gap(8).line(f"{year + 1}年3月20日", 11, 130)
    d.seal("北京某某会计师事务所", 150, d.y - 8)
    return d


def integrity_statement(seal_owner: str | None = UNIT) -> Doc:
    d = Doc("integrity")
    d.title("单位诚信声明").line("本单位郑重声明：所提交的申报材料真实、准确、完整，如有虚假，愿承担相应责任。", 11)
    d.gap(20).line(f"申报单位（盖章）：{UNIT}", 11, 90).line("2023年8月20日", 11, 130)
    if seal_owner:
        d.seal(seal_owner, 150, d.y - 10)
    return d


def institution_certificate(unit="北京市昌平区某某研究院", code="12110114MB0123456X") -> Doc:
    """事业单位法人证书 (副本), as the registration office prints it: a public institution's licence."""
    d = Doc("institution_certificate")
    d.title("事业单位法人证书", 22).line("（副本）", 12, 95).gap(8)
    d.line(f"统一社会信用代码　{code}", 11)
    d.line(f"名　　称　{unit}", 11).line("宗旨和业务范围　开展科学研究，促进科技发展。", 11)
    d.line("住　　所　北京市昌平区科技园区某某路1号", 11).line("法定代表人　王某某", 11)
    d.line("经费来源　财政补助", 11).line("开办资金　￥500万元", 11)
    d.line("举办单位　北京市昌平区人民政府", 11).line("有效期　自2021年05月10日至2026年05月09日", 11)
    d.gap(10).line("登记管理机关　北京市昌平区事业单位登记管理局", 11, 80)
    return d


def commitment_letter(name=NAME, id_=ID) -> Doc:
    """附件2 as the system's template prints it, signed and sealed."""
    d = Doc("commitment")
    d.title("申报承诺书")
    d.line(f"兹有我单位人员/团队{name}（身份证号{id_}）申报2023年度“昌聚工程”政策。", 11)
    d.line("我单位郑重承诺，在其入选“昌聚工程”后，将认真落实人才情况变动、人才退出备案上报等管理职责。", 10)
    d.gap(16).line(f"申报人/团队承诺（签字）：{name}", 11, 90).line(f"申报单位（公章）：{UNIT}", 11, 90)
    d.line("2023年8月20日", 11, 130)
    d.seal(UNIT, 150, d.y - 12)
    return d


def personal_integrity(name=NAME, id_=ID) -> Doc:
    """附件3 申报个人诚信声明, signed."""
    d = Doc("personal_integrity")
    d.title("申报个人诚信声明")
    d.line(f"本人{name}（身份证号{id_}）郑重承诺，本人严格遵守国家和地方法律、法规，近两年没有违法违规记录。", 10)
    d.gap(20).line(f"本人签字：{name}", 11, 110).line("2023年8月20日", 11, 130)
    return d


def degree_certificate(name=NAME) -> Doc:
    """A 学位证书 as universities print it."""
    d = Doc("degree_certificate")
    d.title("学位证书", 22).gap(6)
    d.line(f"{name}，男，1990年1月1日生。在北京某某大学计算机科学与技术学科完成了博士研究生的学习计划，", 11)
    d.line("业已通过论文答辩，经审核符合《中华人民共和国学位条例》的规定，授予工学博士学位。", 11)
    d.gap(12).line("北京某某大学学位评定委员会主席", 11, 100).line("2018年6月30日", 11, 130)
    d.line("证书编号：1000142018000123", 10, 20)
    return d


# ---------------------------------------------------------------------------- rendering

def _seal_image(owner: str, r_mm: float, dpi: int, angle: float = 0.0):
    from PIL import Image, ImageDraw

    px = int(r_mm / 25.4 * dpi)
    size = 2 * px + 8
    im = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    dr = ImageDraw.Draw(im)
    c = size / 2
    w = max(2, px // 14)
    dr.ellipse([c - px, c - px, c + px, c + px], outline=SEAL_RED + (235,), width=w)
    # a five-pointed star
    pts = []
    for k in range(10):
        rr = px * (0.32 if k % 2 == 0 else 0.13)
        a = -math.pi / 2 + k * math.pi / 5
        pts.append((c + rr * math.cos(a), c + rr * math.sin(a)))
    dr.polygon(pts, fill=SEAL_RED + (235,))
    # the owner's name on the upper arc
    font = _font(int(px * 0.26))
    n = len(owner)
    span = min(math.radians(250), math.radians(22) * n)
    for i, ch in enumerate(owner):
        a = -math.pi / 2 - span / 2 + span * (i + 0.5) / n
        glyph = Image.new("RGBA", (int(px * 0.34),) * 2, (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((glyph.width / 2, glyph.height / 2), ch, font=font, fill=SEAL_RED + (235,), anchor="mm")
        glyph = glyph.rotate(-math.degrees(a) - 90, resample=Image.BICUBIC, expand=True)
        gx = c + px * 0.74 * math.cos(a) - glyph.width / 2
        gy = c + px * 0.74 * math.sin(a) - glyph.height / 2
        im.alpha_composite(glyph, (int(gx), int(gy)))
    return im.rotate(angle, resample=Image.BICUBIC)


_fonts: dict[int, object] = {}


def _font(px: int):
    from PIL import ImageFont

    if px not in _fonts:
        for path in FONT_IMAGE:
            if Path(path).exists():
                _fonts[px] = ImageFont.truetype(path, max(6, px), index=2 if "Noto" in path else 0)  # SC
                break
        else:
            raise SystemExit("no CJK font for the images: apt-get install fonts-noto-cjk")
    return _fonts[px]


def render_pdf(doc: Doc, path: Path) -> None:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    k = 72 / 25.4
    c = canvas.Canvas(str(path), pagesize=(A4[0] * k, A4[1] * k), invariant=1)
    c.setTitle(doc.name)
    for page in doc.pages:
        for it in page:
            if it.kind == "text":
                c.setFont("STSong-Light", it.size)
                c.drawString(it.x * k, (A4[1] - it.y - it.size * 0.3528) * k, it.text)
            elif it.kind == "rule":
                c.setLineWidth(0.5)
                c.line(18 * k, (A4[1] - it.y) * k, 192 * k, (A4[1] - it.y) * k)
            elif it.kind == "seal":
                im = _seal_image(it.owner, it.r, 200)
                buf = io.BytesIO()
                im.save(buf, "PNG")
                buf.seek(0)
                c.drawImage(ImageReader(buf), (it.x - it.r) * k, (A4[1] - it.y - it.r) * k, 2 * it.r * k, 2 * it.r * k,
                            mask="auto")
        c.showPage()
    c.save()


def render_page(doc: Doc, index: int, dpi: int = 150):
    from PIL import Image, ImageDraw

    W, H = int(A4[0] / 25.4 * dpi), int(A4[1] / 25.4 * dpi)
    im = Image.new("RGB", (W, H), PAPER)
    dr = ImageDraw.Draw(im)
    px = lambda v: int(v / 25.4 * dpi)  # noqa: E731
    for it in doc.pages[index]:
        if it.kind == "text":
            dr.text((px(it.x), px(it.y)), it.text, font=_font(int(it.size / 72 * dpi)), fill=INK)
        elif it.kind == "rule":
            dr.line([(px(18), px(it.y)), (px(192), px(it.y))], fill=INK, width=1)
    rgba = im.convert("RGBA")
    for it in doc.pages[index]:
        if it.kind == "seal":
            seal = _seal_image(it.owner, it.r, dpi, angle=random.uniform(-12, 12))
            rgba.alpha_composite(seal, (px(it.x) - seal.width // 2, px(it.y) - seal.height // 2))
    return rgba.convert("RGB")


def scanned(im, rng: random.Random):
    """A flatbed scan: slight rotation, a little blur, grain."""
    import numpy as np
    from PIL import Image, ImageFilter

    im = im.rotate(rng.uniform(-0.8, 0.8), resample=Image.BICUBIC, expand=False, fillcolor=PAPER)
    im = im.filter(ImageFilter.GaussianBlur(0.5))
    arr = np.asarray(im).astype(np.int16)
    arr = arr + np.random.default_rng(rng.randrange(1 << 30)).normal(0, 5, arr.shape).astype(np.int16)
    return Image.fromarray(np.clip(arr, 0, 255).astype("uint8"))


def phone_photo(im, rng: random.Random):
    """A phone photo of the page on a desk: rotated, a shadow across it, noise, a darker rim."""
    import numpy as np
    from PIL import Image, ImageFilter

    desk = Image.new("RGB", (int(im.width * 1.12), int(im.height * 1.08)), (96, 84, 70))
    page = im.rotate(rng.uniform(-5, 5), resample=Image.BICUBIC, expand=True, fillcolor=(96, 84, 70))
    desk.paste(page, ((desk.width - page.width) // 2, (desk.height - page.height) // 2))
    arr = np.asarray(desk.filter(ImageFilter.GaussianBlur(0.9))).astype(np.float32)
    h, w = arr.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    shadow = 1.0 - 0.35 * np.clip((xx / w * 0.8 + yy / h * 0.6) - 0.55, 0, 1) / 0.85  # a hand's shadow, lower right
    arr *= shadow[..., None]
    arr += np.random.default_rng(rng.randrange(1 << 30)).normal(0, 7, arr.shape)
    out = Image.fromarray(np.clip(arr, 0, 255).astype("uint8"))
    return out.resize((out.width * 4 // 5, out.height * 4 // 5), Image.LANCZOS)


def poor_photo(im, rng: random.Random):
    """A poor phone photo (bench/accuracy.py's hard cases): as `phone_photo`, then shaken and taken
    from further away - half the pixels, more blur - and saved at a low JPEG quality."""
    from PIL import Image, ImageFilter

    out = phone_photo(im, rng).filter(ImageFilter.GaussianBlur(rng.uniform(1.0, 1.4)))
    return out.resize((out.width * 11 // 20, out.height * 11 // 20), Image.LANCZOS)


def save_jpeg(im, path: Path, quality: int) -> None:
    im.save(path, "JPEG", quality=quality, optimize=True)


def save_image_pdf(images, path: Path) -> None:
    """An image-only PDF, as a scanner writes it."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    k = 72 / 25.4
    c = canvas.Canvas(str(path), pagesize=(A4[0] * k, A4[1] * k), invariant=1)
    for im in images:
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=72)
        buf.seek(0)
        c.drawImage(ImageReader(buf), 0, 0, A4[0] * k, A4[1] * k)
        c.showPage()
    c.save()


# ---------------------------------------------------------------------------- the corpus

def corpus() -> list[tuple[str, Doc, dict]]:
    """(file name, document, expected facts and findings) — text-layer PDFs."""
    hired_periods = [("201807", "202102", OTHER_UNIT, "海淀区"), ("202103", "202307", UNIT, "昌平区")]
    return [
        # ---- 社保
        ("si_ok.pdf", social_insurance(), {"kind": "social_insurance_record", "first": "202103", "last": "202307"}),
        ("si_dot_months.pdf", social_insurance(ym_style="dot"), {"kind": "social_insurance_record", "last": "202307"}),
        ("si_last_202306.pdf", social_insurance(periods=[("202103", "202306", UNIT, "昌平区")]), {"last": "202306"}),
        ("si_last_202305.pdf", social_insurance(periods=[("202103", "202305", UNIT, "昌平区")]), {"codes": ["CJ507"]}),
        ("si_starts_after_hiring.pdf", social_insurance(periods=[("202104", "202307", UNIT, "昌平区")]),
         {"codes": ["CJ507"]}),
        ("si_other_unit_3_months.pdf", social_insurance(periods=[
            ("202103", "202105", OTHER_UNIT, "海淀区"), ("202106", "202307", UNIT, "昌平区")]), {"codes": ["CJ507"]}),
        ("si_gap.pdf", social_insurance(periods=[("202103", "202112", UNIT, "昌平区"), ("202203", "202307", UNIT, "昌平区")]),
         {"codes": ["CJ507"]}),
        ("si_supplement.pdf", social_insurance(periods=hired_periods, supplement="202103"), {"first": "202103"}),
        ("si_other_person.pdf", social_insurance(ssn=ID_OTHER), {"codes": ["CJ505"]}),
        # ---- 个人所得税纳税记录
        ("iit_2021_2022.pdf", iit_record(), {"kind": "iit_record", "years": [2021, 2022], "salary_months": 24}),
        ("iit_2020_2021.pdf", iit_record(period=("2020年01月", "2021年12月"),
                                         months=[(y, m) for y in (2020, 2021) for m in range(1, 13)]),
         {"years": [2020, 2021]}),
        ("iit_fullwidth_id.pdf", iit_record(id_on_page=ID.translate(FULL_WIDTH)), {"codes": []}),
        ("iit_other_id.pdf", iit_record(id_on_page=ID_OTHER), {"codes": ["CJ505"]}),
        ("iit_name_tick.pdf", iit_record(name="☑张三"), {"codes": []}),
        # ---- 完税证明, 无欠税证明
        ("tax_2022.pdf", tax_payment(), {"kind": "tax_payment_certificate", "years": [2022]}),
        ("tax_other_code.pdf", tax_payment(cc=OTHER_CC), {"codes": ["CJ506"]}),
        ("tax_clearance.pdf", tax_clearance(), {"kind": "tax_clearance_certificate"}),
        # ---- 营业执照, 高企
        ("licence_long_term.pdf", business_licence(), {"kind": "business_licence", "term_end": "长期"}),
        ("licence_ended.pdf", business_licence(term=("2003年03月10日", "2023年03月09日")), {"codes": ["CJ508"]}),
        ("licence_unspaced.pdf", business_licence(spaced=False, term=("2015年03月10日", "2035年03月09日")),
         {"term_end": "2035-03-09"}),
        ("licence_bad_code.pdf", business_licence(cc=CC[:-1] + ("1" if CC[-1] != "1" else "2")), {"invalid": "credit_code"}),
        ("high_tech_2020.pdf", high_tech(), {"kind": "high_tech_certificate", "issued": "2020-08-31"}),
        ("high_tech_other_unit.pdf", high_tech(unit=OTHER_UNIT), {"codes": ["CJ506"]}),
        # ---- degree reports
        ("chsi.pdf", chsi_record(), {"kind": "chsi_record", "code": "A1B2C3D4E5F6G7H8"}),
        ("chsi_other_birth.pdf", chsi_record(birth="1991年01月01日"), {"codes": ["CJ505"]}),
        ("degree_report.pdf", degree_report(), {"kind": "degree_report"}),
        ("cscse_old.pdf", cscse_certificate(), {"kind": "cscse_certificate"}),
        ("cscse_new.pdf", cscse_certificate(number="202300012345"), {"kind": "cscse_certificate"}),
        # ---- contracts
        ("contract_fixed.pdf", contract(), {"kind": "labor_contract", "start": "2021-03-01", "end": "2024-02-29"}),
        ("contract_open.pdf", contract(choice="2", fixed=None, open_start=("2021", "3", "1")),
         {"start": "2021-03-01", "open_ended": True}),
        ("contract_other_unit.pdf", contract(unit=OTHER_UNIT, cc=OTHER_CC), {"codes": ["CJ506"]}),
        ("contract_no_cover.pdf", contract(cover=False), {"start": "2021-03-01"}),
        ("contract_term_p3.pdf", contract(notes_apart=True),
         {"kind": "labor_contract", "start": "2021-03-01", "end": "2024-02-29"}),
        # ---- ID cards
        ("id_card.pdf", id_card(), {"kind": "id_card", "expiry": "2026-05-20"}),
        ("id_card_long.pdf", id_card(validity="2016.05.20-长期"), {"expiry": "长期"}),
        ("id_card_bad_check.pdf", id_card(id_=ID[:-1] + ("2" if ID[-1] != "2" else "3")), {"invalid": "id_number"}),
        # ---- others
        ("audit_2022.pdf", audit_report(2022), {"year": 2022}),
        ("audit_2020.pdf", audit_report(2020), {"year": 2020}),
        ("audit_2021.pdf", audit_report(2021), {"year": 2021}),
        ("commitment.pdf", commitment_letter(), {"material": "commitment_letter"}),
        ("institution_certificate.pdf", institution_certificate(), {"material": "business_licence", "unit_type": "institution"}),
        ("personal_integrity.pdf", personal_integrity(), {"material": "personal_integrity_statement"}),
        ("degree_certificate.pdf", degree_certificate(), {"material": "degree_certificate"}),
        ("integrity_unit_seal.pdf", integrity_statement(), {}),
    ]


IMAGES = [
    # (file, source pdf in the corpus, page, variant)
    ("IMG_2031.jpg", "si_ok.pdf", 0, "phone"),
    ("mmexport1692070312345.jpg", "iit_2021_2022.pdf", 0, "phone"),
    ("licence_photo.jpg", "licence_long_term.pdf", 0, "phone"),
    ("id_card_scan.jpg", "id_card.pdf", 0, "scan"),
    ("high_tech_scan.jpg", "high_tech_2020.pdf", 0, "scan"),
    ("cscse_scan.jpg", "cscse_old.pdf", 0, "scan"),
    ("degree_certificate_scan.jpg", "degree_certificate.pdf", 0, "scan"),
    # poor photos: where the readers misread, and with what confidence (bench/accuracy.py)
    ("id_card_poor.jpg", "id_card.pdf", 0, "poor"),
    ("si_poor.jpg", "si_ok.pdf", 0, "poor"),
    ("iit_poor.jpg", "iit_2021_2022.pdf", 0, "poor"),
    ("licence_poor.jpg", "licence_long_term.pdf", 0, "poor"),
    ("high_tech_poor.jpg", "high_tech_2020.pdf", 0, "poor"),
    ("contract_p2_poor.jpg", "contract_fixed.pdf", 1, "poor"),
]
IMAGE_PDFS = [
    # (file, source, pages, variant): image-only PDFs
    ("扫描全能王 2023-08-15 10.32.pdf", "contract_fixed.pdf", 2, "scan"),
    ("tax_2022_scan.pdf", "tax_2022.pdf", 1, "scan"),
    ("audit_2022_scan.pdf", "audit_2022.pdf", 1, "scan"),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=HERE / "corpus")
    args = ap.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    docs = {}
    expected = {}
    for name, doc, facts in corpus():
        render_pdf(doc, out / name)
        docs[name] = doc
        expected[name] = facts
    for name, source, page, variant in IMAGES:
        rng = random.Random(name)  # each file its own draw: adding or removing one changes no other
        random.seed(name)
        im = render_page(docs[source], page)
        if variant == "phone":
            save_jpeg(phone_photo(im, rng), out / name, 70)
        elif variant == "poor":
            save_jpeg(poor_photo(im, rng), out / name, 45)
        else:
            save_jpeg(scanned(im, rng), out / name, 80)
        expected[name] = {"source": source, "variant": variant, **expected[source]}
    for name, source, pages, variant in IMAGE_PDFS:
        rng = random.Random(name)
        random.seed(name)
        save_image_pdf([scanned(render_page(docs[source], i), rng) for i in range(pages)], out / name)
        expected[name] = {"source": source, "variant": variant, **expected[source]}
    header = "# written by make_corpus.py: what each file must give (kind, facts, codes it must raise)\n"
    (out / "expected.yaml").write_text(header + yaml.safe_dump(expected, allow_unicode=True, sort_keys=True), encoding="utf-8")
    print(f"{len(expected)} files in {out}")


if __name__ == "__main__":
    main()
