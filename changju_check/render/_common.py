"""Words and helpers shared by every renderer.

Everything here is pure: it reads a `Report` (or several) and returns strings or
plain data. No renderer prints, and none imports rich at module level.
"""

from __future__ import annotations

import os
import posixpath
import re
import unicodedata
from typing import Iterable, Sequence

from changju_check.report.invocation import prog
from changju_check.report import LANGS, Finding, MaterialResult, Report

# --------------------------------------------------------------------------- words

STATUS_MARK: dict[str, str] = {
    "present": "✓",
    "missing": "✗",
    "not_applicable": "—",
    "optional_missing": "○",
    "waived": "",
}

STATUS_WORD: dict[str, dict[str, str]] = {
    "present": {"zh": "已提供", "en": "present"},
    "missing": {"zh": "缺少", "en": "missing"},
    "not_applicable": {"zh": "不适用", "en": "not applicable"},
    "optional_missing": {"zh": "可选，未提供", "en": "optional, not provided"},
    "waived": {"zh": "已豁免", "en": "waived"},
}

SEVERITY_HEADING: dict[str, dict[str, str]] = {
    "error": {"zh": "错误", "en": "Errors"},
    "warning": {"zh": "警告", "en": "Warnings"},
    "review": {"zh": "需人工确认", "en": "To confirm by a person"},
    "info": {"zh": "提示", "en": "Notes"},
    "waived": {"zh": "已豁免", "en": "Waived"},
}

SEVERITY_WORD: dict[str, dict[str, str]] = {
    "error": {"zh": "错误", "en": "error"},
    "warning": {"zh": "警告", "en": "warning"},
    "review": {"zh": "需人工确认", "en": "to confirm"},
    "info": {"zh": "提示", "en": "note"},
}

VERDICT_WORD: dict[str, dict[str, str]] = {
    "passed": {"zh": "通过", "en": "passed"},
    "failed": {"zh": "不通过", "en": "failed"},
    "unusable": {"zh": "无法检查", "en": "unusable"},
}

LABELS: dict[str, dict[str, str]] = {
    "packet": {"zh": "材料包", "en": "Packet"},
    "category": {"zh": "类别", "en": "Category"},
    "as_of": {"zh": "参照日期", "en": "As of"},
    "config": {"zh": "配置文件", "en": "Configuration"},
    "number": {"zh": "序号", "en": "No."},
    "material": {"zh": "材料", "en": "Material"},
    "status": {"zh": "状态", "en": "Status"},
    "files": {"zh": "文件", "en": "Files"},
    "findings": {"zh": "检查结果", "en": "Findings"},
    "reason": {"zh": "理由", "en": "reason"},
    "errors": {"zh": "错误", "en": "Errors"},
    "warnings": {"zh": "警告", "en": "Warnings"},
    "verdict": {"zh": "结论", "en": "Verdict"},
    "strict": {"zh": "严格模式：警告按错误计", "en": "strict mode: warnings count as errors"},
    "fatal": {"zh": "无法检查材料包", "en": "The packet could not be checked"},
    "fatal_partial": {
        "zh": "清单文件有误，下面的检查结果不完整；请按提示改正后再运行一次",
        "en": "The manifest has errors, so the results below are incomplete; fix it as shown and run again",
    },
    "no_findings": {"zh": "没有发现问题。", "en": "No findings."},
    "summary": {"zh": "汇总", "en": "Summary"},
    "severity": {"zh": "严重程度", "en": "Severity"},
    "description": {"zh": "说明", "en": "Description"},
    "fix": {"zh": "修改方法", "en": "How to fix"},
    "code": {"zh": "编号", "en": "Code"},
    "title": {"zh": "名称", "en": "Title"},
    "file": {"zh": "文件", "en": "file"},
}


def word(table: dict[str, dict[str, str]], key: str, lang: str) -> str:
    return table[key]["en" if lang == "en" else "zh"]


def label(key: str, lang: str) -> str:
    return word(LABELS, key, lang)


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: choose from {', '.join(LANGS)}")
    return lang


# --------------------------------------------------------------------------- safe text

# C0/C1 controls, the bidirectional overrides/isolates that can disguise a file name, and
# lone surrogates (undecodable bytes of a file name, as os.fsdecode leaves them).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def visible(text: str, *, keep_newlines: bool = True) -> str:
    """Replace control and bidi characters with visible escapes (\\x1b, \\u202e).

    Tabs are kept; newlines (and CR) are kept when `keep_newlines`, otherwise shown as
    a space. Terminal escape sequences in a hostile file name cannot reach the terminal.
    """

    def repl(match: re.Match[str]) -> str:
        ch = match.group(0)
        if ch == "\r" and keep_newlines:
            return ch
        code = ord(ch)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    text = _UNSAFE.sub(repl, text)
    if not keep_newlines:
        text = text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    return text


def cell_width(text: str) -> int:
    """Terminal cell width: East Asian wide and full-width characters take two cells."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def shorten(text: str, limit: int, siblings: Sequence[str] = ()) -> str:
    """A file name in at most `limit` cells without losing what tells it apart: the extension,
    the numbers (a leading 01-, a year) and the part that differs from its `siblings` (the other
    files of the same material) are kept; folders go first, then the words the files share."""
    if cell_width(text) <= limit or limit < 8:
        return text
    folder, slash, base = text.rpartition("/")
    prefix = "…/" if slash else ""
    if slash and cell_width(prefix + base) <= limit:
        return prefix + base
    stem, dot, ext = base.rpartition(".")
    if not (dot and stem and 0 < cell_width(ext) <= 6):
        stem, ext = base, ""
    tail = "." + ext if ext else ""
    stems = [s.rpartition("/")[2].rpartition(".")[0] or s for s in siblings if s != text] or []
    lo, hi = _differing_span(stem, stems)
    budget = limit - cell_width(prefix) - cell_width(tail)
    parts = _elide(stem, budget, lo, hi)
    if parts is None and prefix:  # the folders' ellipsis is the first thing to give up
        prefix, budget = "", budget + cell_width(prefix)
        parts = _elide(stem, budget, lo, hi)
    if parts is None:  # nothing left to take out: cut the middle
        return _middle(stem, limit - cell_width(tail)) + tail
    return prefix + parts + tail


def _differing_span(stem: str, others: Sequence[str]) -> tuple[int, int]:
    """[lo, hi) of `stem` that differs from the other stems: outside it, the common prefix and suffix
    (numbers count as equal there: they are kept anyway)."""
    if not others:
        return 0, len(stem)
    norm = re.sub(r"\d", "#", stem)
    rest = [re.sub(r"\d", "#", o) for o in others]
    lo = min(len(os.path.commonprefix([norm, o])) for o in rest)
    suffix = min(len(os.path.commonprefix([norm[::-1], o[::-1]])) for o in rest)
    return lo, max(lo, len(stem) - suffix)


def _elide(stem: str, budget: int, lo: int, hi: int) -> str | None:
    """Take characters out of the middle of `stem`'s word runs (never a digit), one ellipsis per
    run, until it fits `budget` cells: first the runs shared with the siblings, then the others."""
    runs = []  # [start, end, zone]: maximal runs of non-digits, split at the differing span
    i = 0
    while i < len(stem):
        if stem[i].isdigit():
            i += 1
            continue
        j = i
        while j < len(stem) and not stem[j].isdigit() and j not in (lo, hi) or j == i:
            j += 1
        runs.append([i, j, 0 if (j <= lo or i >= hi) else 1])
        i = j
    gaps: dict[int, list[int]] = {}  # run index -> [g0, g1) taken out

    def render() -> str:
        out, pos = [], 0
        for k, (start, end, _) in enumerate(runs):
            out.append(stem[pos:start])
            if k in gaps:
                g0, g1 = gaps[k]
                out.append(stem[start:g0] + "…" + stem[g1:end])
            else:
                out.append(stem[start:end])
            pos = end
        out.append(stem[pos:])
        return "".join(out)

    def left(k: int) -> int:
        start, end, _ = runs[k]
        g0, g1 = gaps.get(k, (0, 0))
        return (end - start) - (g1 - g0)

    for zone in (0, 1):
        while cell_width(render()) > budget:
            candidates = [k for k, r in enumerate(runs) if r[2] == zone and left(k) > 2]
            if not candidates:
                break
            k = max(candidates, key=lambda k: (left(k), -k))
            start, end, _ = runs[k]
            if k not in gaps:
                mid = (start + end) // 2
                gaps[k] = [mid, mid + 1]
            else:
                g0, g1 = gaps[k]
                if (g0 - start) >= (end - g1):
                    gaps[k][0] = g0 - 1
                else:
                    gaps[k][1] = g1 + 1
        if cell_width(render()) <= budget:
            return render()
    return None


def _middle(text: str, limit: int) -> str:
    budget = limit - 1
    head_budget = (budget + 1) // 2
    head = _take(text, head_budget)
    end = _take(text[::-1], budget - cell_width(head))[::-1]
    return f"{head}…{end}"


def _take(text: str, budget: int) -> str:
    out = []
    used = 0
    for ch in text:
        w = cell_width(ch)
        if used + w > budget:
            break
        out.append(ch)
        used += w
    return "".join(out)


def short_files(files: Sequence[str], *, limit: int = 40, most: int = 3, sep: str = ", ") -> str:
    """Comma-separated file names, each shortened; past `most`, "… (+N)"."""
    names = [visible(f, keep_newlines=False) for f in files]
    shown = [shorten(name, limit, names) for name in names[:most]]
    if len(files) > most:
        shown.append(f"… (+{len(files) - most})")
    return sep.join(shown)


# --------------------------------------------------------------------------- report facts


def materials_by_id(report: Report) -> dict[str, MaterialResult]:
    return {m.id: m for m in report.materials}


def material_title(material: MaterialResult, lang: str) -> str:
    return material.title_en if lang == "en" else material.title


def material_label(report: Report, material_id: str | None, lang: str, file: str | None = None) -> str | None:
    """ "2.(5) 申报人与申报单位签订的最新工作合同" for an item or material id (a material the item
    accepts, e.g. id_card of 2.(1) 有效身份证件, or the item listing `file`), the id itself if unknown."""
    if material_id is None:
        return None
    material = materials_by_id(report).get(material_id)
    if material is None:
        material = next((m for m in report.materials if material_id in m.accepted), None)
    if material is None and file is not None:
        material = next((m for m in report.materials if file in m.files), None)
    if material is None:
        return material_id
    return f"{material.number} {material_title(material, lang)}".strip()


# what each fact read from a page is called, for people (evidence in text and HTML; JSON keeps the ids)
FACT_WORDS: dict[str, dict[str, str]] = {
    "document": {"zh": "文件种类", "en": "document"},
    "contract_start": {"zh": "合同起始日", "en": "contract start"},
    "contract_end": {"zh": "合同截止日", "en": "contract end"},
    "contract_open_ended": {"zh": "无固定期限", "en": "open-ended"},
    "name": {"zh": "姓名", "en": "name"},
    "person_name": {"zh": "姓名", "en": "name"},
    "expiry": {"zh": "证件有效期至", "en": "valid until"},
    "validity": {"zh": "有效期限", "en": "validity"},
    "year": {"zh": "审计年度", "en": "year audited"},
    "years": {"zh": "所属年度", "en": "years"},
    "period_years": {"zh": "所属年度", "en": "years covered"},
    "unit_name": {"zh": "单位名称", "en": "unit name"},
    "seal": {"zh": "红色公章", "en": "red seal"},
    "si_periods": {"zh": "缴费记录（起止年月、单位）", "en": "contributions (months, unit)"},
    "salary_months": {"zh": "工资薪金所得月数", "en": "months of salary income"},
    "address": {"zh": "住所", "en": "address"},
    "as_at": {"zh": "截至日期", "en": "as at"},
    "awarding_unit": {"zh": "学位授予单位", "en": "awarding institution"},
    "birth_date": {"zh": "出生日期", "en": "date of birth"},
    "capital": {"zh": "注册资本", "en": "registered capital"},
    "certificate_number": {"zh": "证书编号", "en": "certificate number"},
    "credit_code": {"zh": "统一社会信用代码", "en": "unified social credit code"},
    "degree": {"zh": "所授学位", "en": "degree"},
    "degree_date": {"zh": "获学位日期", "en": "degree awarded on"},
    "fixed_term": {"zh": "固定期限", "en": "fixed term"},
    "founded": {"zh": "成立日期", "en": "founded"},
    "id_number": {"zh": "身份证件号码", "en": "ID number"},
    "id_type": {"zh": "身份证件类型", "en": "ID type"},
    "issued": {"zh": "开具（发证）日期", "en": "issued"},
    "legal_representative": {"zh": "法定代表人", "en": "legal representative"},
    "number": {"zh": "编号", "en": "number"},
    "open_term": {"zh": "无固定期限", "en": "open-ended term"},
    "period": {"zh": "记录期间", "en": "period"},
    "query_date": {"zh": "查询日期", "en": "query date"},
    "query_period": {"zh": "查询时间段", "en": "period queried"},
    "school": {"zh": "学校名称", "en": "school"},
    "social_security_number": {"zh": "社会保障号码", "en": "social security number"},
    "tax_office": {"zh": "税务机关", "en": "tax office"},
    "taxpayer_id": {"zh": "纳税人识别号", "en": "taxpayer ID"},
    "term": {"zh": "合同期限", "en": "contract term"},
    "term_choice": {"zh": "合同期限类型（第几种）", "en": "term chosen"},
    "type": {"zh": "类型", "en": "type"},
    "updated": {"zh": "更新日期", "en": "updated"},
    "verification_code": {"zh": "在线验证码", "en": "verification code"},
}


def fact_word(fact: str, lang: str) -> str:
    """What a fact read from a page is called (the id itself for one nobody named yet)."""
    found = FACT_WORDS.get(fact)
    return found["en" if lang == "en" else "zh"] if found else fact


def evidence_value(value: str, lang: str) -> str:
    """A value read from a page as a person reads it: a seal found, its owner; yes for a flag."""
    en = lang == "en"
    if value == "found":
        return "found" if en else "有"
    if value == "found, owner not verified":
        return "found, whose seal not verified" if en else "有（未核实是哪个单位的章）"
    if value.startswith("found: ") and value.endswith(" (issuer)"):
        issuer = value[len("found: "):-len(" (issuer)")]
        return f"found: {issuer}'s (the issuer)" if en else f"有：{issuer}的章（出具机关）"
    if value == "true":
        return "yes" if en else "是"
    if value == "false":
        return "no" if en else "否"
    return value


def deciding_evidence(report: Report) -> list:
    """The facts read from the pages that decided a finding: those a problem (error or warning)
    quotes, from its file or from a file it names."""
    found = []
    problems = [f for f in report.active_findings() if report.effective_severity(f) in ("error", "warning")]
    for e in report.evidence:
        if e.fact == "document" or len(e.value.strip()) < 2:
            continue
        for f in problems:
            text = f.message.zh + "\n" + f.message.en
            names_file = e.file == f.file or e.file in text or e.file.rsplit("/", 1)[-1] in text
            if names_file and e.value in text:
                found.append(e)
                break
    return found


CLEAR = 0.8  # a fact read at least this surely is shown as clear; below it, to be checked by eye


def confidence_word(confidence: float, lang: str) -> str:
    """清晰 / 需核对 instead of a number: how surely the reader read it."""
    if confidence >= CLEAR:
        return "clear" if lang == "en" else "清晰"
    return "check by eye" if lang == "en" else "需核对"


def category_title(report: Report, lang: str) -> str:
    """The category's title ("—" for a packet that could not be read far enough to know it)."""
    title = report.category_title_en if lang == "en" else report.category_title
    return title or report.category or "—"


def category_display(report: Report, lang: str) -> str:
    """ "科技创业类 (startup)", or just the title when the key adds nothing."""
    title = category_title(report, lang)
    if report.category and report.category != title:
        return f"{title} ({report.category})"
    return title


def severity_of(report: Report, finding: Finding) -> str:
    """The severity a renderer shows: strict mode makes warnings errors; waived keep theirs."""
    if finding.waived is not None:
        return finding.severity
    return report.effective_severity(finding)


def all_findings(report: Report) -> list[Finding]:
    """Active findings (sorted, the fatal one first), then the waived ones."""
    result = []
    if report.fatal is not None:
        result.append(report.fatal)
    result.extend(report.active_findings())
    result.extend(waived_findings(report))
    return result


def waived_findings(report: Report) -> list[Finding]:
    return [f for f in report.sorted_findings() if f.waived is not None]


def grouped_findings(report: Report) -> dict[str, list[Finding]]:
    """Active findings by shown severity (error, warning, info), the fatal one first."""
    groups: dict[str, list[Finding]] = {"error": [], "warning": [], "review": [], "info": []}
    if report.fatal is not None:
        groups["error"].append(report.fatal)
    for f in report.active_findings():
        groups[severity_of(report, f)].append(f)
    return groups


def waived_materials_without_finding(report: Report) -> list[MaterialResult]:
    covered = {f.material for f in report.findings if f.waived is not None}
    return [m for m in report.materials if m.status == "waived" and m.id not in covered]


def verdict(report: Report) -> str:
    if report.fatal is not None:
        return "unusable"
    return "passed" if report.ok else "failed"


def _count(n: int, zh: str, en_one: str, en_many: str, lang: str) -> str:
    if lang == "en":
        return f"{n} {en_one if n == 1 else en_many}"
    return f"{n} {zh}"


def summary_line(report: Report, lang: str) -> str:
    """ "✗ 2 个错误，1 个警告 — 不通过" / "✓ 0 errors, 0 warnings — passed"."""
    if report.fatal is None and not report.materials and any(f.code == "CJ406" for f in report.findings):
        # an offline / external / not-open project type: nothing was checked
        return "ℹ 该项目类型不在线上申报，未检查材料" if lang == "zh" else "ℹ handled outside the online system: nothing checked"
    mark = "✓" if report.ok else "✗"
    errors = _count(report.errors, "个错误", "error", "errors", lang)
    warnings = _count(report.warnings, "个警告", "warning", "warnings", lang)
    sep = "，" if lang == "zh" else ", "
    reviews = ""
    if report.reviews:  # said only when there are some: a person must look at the pages they name
        reviews = sep + (f"{report.reviews} 项需人工确认" if lang == "zh" else f"{report.reviews} to confirm by a person")
    return f"{mark} {errors}{sep}{warnings}{reviews} — {word(VERDICT_WORD, verdict(report), lang)}"


STAGE_WORD: dict[str, dict[str, str]] = {
    "bind": {"zh": "可装订", "en": "ready to bind"},
    "upload": {"zh": "可上传", "en": "ready to upload"},
    "failed": {"zh": "未完成", "en": "not ready"},
    "unusable": {"zh": "无法检查", "en": "unusable"},
    "offline": {"zh": "线下申报", "en": "offline"},
}


def stage_line(report: Report, lang: str) -> str | None:
    """Which of the two stages the packet has reached (可上传: the attachments can be uploaded to the
    online system; 可装订: the watermarked 申报书 is in the packet too) and what the next one needs.
    None for a project type handled outside the system (the summary line says it)."""
    stage = report.stage
    en = lang == "en"
    if stage == "offline":
        return None
    if stage == "unusable":
        return ("Could not be checked: fix what is said at the top, then check again" if en
                else "无法检查：按最上面的提示改正材料包或清单后再检查一次")
    if stage == "failed":
        n = report.errors
        return (f"Not ready to upload: fix the {n} error{'s' if n != 1 else ''} above first" if en
                else f"还不能上传系统：先改正上面的 {n} 个错误")
    if stage == "upload" and not report.bound:
        return ("Complete: ready to upload to the system (registration materials are not bound)" if en
                else "材料齐全，可上传系统（注册材料无需装订）")
    if stage == "upload":
        return ("Complete: ready to upload to the system; before binding, the watermarked application form is still "
                "needed (download it once the system's review has passed)" if en
                else "材料齐全，可上传系统；装订前还需下载带水印的申报书（系统审核通过后下载）")
    return ("Complete and ready to bind: the application form is in the packet; changju bundle makes the book" if en
            else "材料齐全，可装订：申报书已在材料包中，用 changju bundle 生成装订本")


def learn_more(reports: Sequence[Report], lang: str) -> str | None:
    """ "了解代码的含义和修改方法：changju explain CJ101" (the first code shown), or None when
    there is nothing to fix (notes alone need no fixing). The CLI ends every human format with it."""
    for report in reports:
        for f in all_findings(report):
            if f.severity == "info":
                continue
            if lang == "en":
                return f"What a code means and how to fix it: {prog()} explain {f.code}"
            return f"了解代码的含义和修改方法：{prog()} explain {f.code}"
    return None


# --------------------------------------------------------------------------- paths


def join_packet(packet: str, rel: str) -> str:
    """The packet path joined with a packet-relative POSIX path ("." and "" drop out)."""
    packet = packet.replace("\\", "/").rstrip("/")
    if packet in ("", "."):
        return rel
    return posixpath.join(packet, rel)


def is_zip(packet: str) -> bool:
    return packet.lower().endswith(".zip")


def manifest_relpath(report: Report) -> str:
    """The manifest as a packet-relative path ("changju.yaml" unless the report says otherwise)."""
    manifest = report.manifest or "changju.yaml"
    norm = manifest.replace("\\", "/")
    packet = report.packet.replace("\\", "/").rstrip("/")
    if packet and packet != "." and norm.startswith(packet + "/"):
        return norm[len(packet) + 1 :]
    if posixpath.isabs(norm) or re.match(r"^[A-Za-z]:/", norm):
        return posixpath.basename(norm)
    return norm


def manifest_path(report: Report) -> str:
    """The manifest's path as the user would open it: the packet path joined, unless the
    report already gives it absolute or under the packet path."""
    norm = (report.manifest or "changju.yaml").replace("\\", "/")
    packet = report.packet.replace("\\", "/").rstrip("/")
    if posixpath.isabs(norm) or re.match(r"^[A-Za-z]:/", norm):
        return norm
    if packet and packet != "." and norm.startswith(packet + "/"):
        return norm
    return join_packet(report.packet, norm)


def where(report: Report, finding: Finding) -> str:
    """ "劳动合同.pdf", "changju.yaml:12", "劳动合同.pdf (changju.yaml:12)" or ""."""
    parts = []
    if finding.file:
        parts.append(visible(finding.file, keep_newlines=False))
    if finding.line is not None:
        loc = f"{manifest_relpath(report)}:{finding.line}"
        parts.append(f"({loc})" if parts else loc)
    return " ".join(parts)


def finding_label(report: Report, finding: Finding, lang: str) -> str | None:
    """The material label to show before a finding, or None when its message already names it."""
    label_ = material_label(report, finding.material, lang, finding.file)
    material = materials_by_id(report).get(finding.material or "")
    if label_ and material is not None and material.number and material.number in finding.message.get(lang):
        return None
    return label_


def finding_line(report: Report, finding: Finding, lang: str, *, with_reason: bool = True) -> str:
    """ "CJ101 [2.(5) 工作合同] 劳动合同.pdf: message" (the plain-text form)."""
    head = finding.code
    label_ = finding_label(report, finding, lang)
    if label_:
        head += f" [{label_}]"
    loc = where(report, finding)
    if loc:
        head += f" {loc}"
    text = f"{head}: {finding.message.get(lang)}"
    if with_reason and finding.waived is not None:
        reason = finding.waived
        text += f"（理由：{reason}）" if lang == "zh" else f" (reason: {reason})"
    return visible(text)


# --------------------------------------------------------------------------- batch


class Tally:
    """A batch's counts, a packet at a time (a batch is rendered as its reports come)."""

    def __init__(self) -> None:
        self.counts = {"packets": 0, "passed": 0, "failed": 0, "unusable": 0, "errors": 0, "warnings": 0}
        self.exit_code = 0

    def add(self, report: Report) -> Report:
        c = self.counts
        c["packets"] += 1
        c[verdict(report)] += 1
        c["errors"] += report.errors
        c["warnings"] += report.warnings
        self.exit_code = max(self.exit_code, report.exit_code)
        return report


def batch_summary(reports: Iterable[Report]) -> dict[str, int]:
    tally = Tally()
    for r in reports:
        tally.add(r)
    return dict(tally.counts)


def batch_summary_line(reports: Sequence[Report], lang: str) -> str:
    """ "✗ 3 个材料包：1 个通过，1 个不通过，1 个无法检查；共 4 个错误，2 个警告"."""
    return counts_line(batch_summary(reports), lang)


def counts_line(s: dict[str, int], lang: str) -> str:
    """The batch line from its counts (packets, passed, failed, unusable, errors, warnings)."""
    mark = "✓" if s["passed"] == s["packets"] else "✗"
    if lang == "en":
        packets = _count(s["packets"], "", "packet", "packets", lang)
        errors = _count(s["errors"], "", "error", "errors", lang)
        warnings = _count(s["warnings"], "", "warning", "warnings", lang)
        return (
            f"{mark} {packets}: {s['passed']} passed, {s['failed']} failed, "
            f"{s['unusable']} unusable; {errors}, {warnings} in all"
        )
    return (
        f"{mark} {s['packets']} 个材料包：{s['passed']} 个通过，{s['failed']} 个不通过，"
        f"{s['unusable']} 个无法检查；共 {s['errors']} 个错误，{s['warnings']} 个警告"
    )
