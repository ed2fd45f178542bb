"""`changju bundle`: from a checked packet to the book plan, and the binding sheet.

The PDF mechanics are in `changju_check.bundle`; this module decides what goes
in, in which order, and what the print shop and the stamping need (from the
rule data of 附件4). Nothing here prints or exits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from changju_check.report import Finding, Msg, PortableError, Report
from changju_check.rulebook.codes import finding
from changju_check.rulebook.load import RuleSet

# a broken input is refused even with --force: the book would be broken too; so is one too
# large to bind (CJ314), with check's own words
UNBUNDLABLE = ("CJ301", "CJ302", "CJ303", "CJ304", "CJ305", "CJ314")


class BundleRefused(PortableError):
    def __init__(self, exit_code: int, findings: list[Finding] | None = None, msg: Msg | None = None):
        self.exit_code = exit_code
        self.findings = findings or []
        self.msg = msg
        super().__init__(msg.en if msg else "refused")


@dataclass
class BundlePlan:
    form: list[str]
    materials: list[tuple[str, str, str, list[str]]]  # (number, title, section heading, files)
    left_out: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def plan_book(report: Report, rules: RuleSet, *, force: bool, include_unmatched: bool) -> BundlePlan:
    if report.fatal is not None:
        raise BundleRefused(2, [report.fatal])
    broken = [f for f in report.active_findings() if f.code in UNBUNDLABLE and report.effective_severity(f) == "error"]
    if broken:
        raise BundleRefused(1, broken)
    errors = [f for f in report.active_findings() if report.effective_severity(f) == "error"]
    if errors and not force:
        raise BundleRefused(1, errors)
    form = report.assigned.get("application_form", [])
    if not form:
        missing = finding(
            "CJ601",
            "缺少申报书：系统审核通过后，在系统中下载带水印的申报书放入材料包（文件名含“申报书”），或在 materials 中以 application_form 指定",
            "no application form: once the online review has passed, download the watermarked 申报书 from the system into the packet (name containing 申报书), or map it as application_form under `materials`",
            material="application_form",
        )
        raise BundleRefused(1, [missing])
    category = rules.categories[report.category]
    headings = {}
    for section in category.sections:
        headings[section.key] = f"{section.number}. {section.title}" if section.number else section.title
    materials = []
    for m in report.materials:
        if not m.files:
            continue
        materials.append((m.number, m.title, headings.get(m.section, ""), list(m.files)))
    plan = BundlePlan(form=list(form), materials=materials, findings=errors if force else [])
    left_out = [p for p in report.unmatched]
    if left_out and include_unmatched:
        materials.append(("", "其他材料", "", left_out))
    elif left_out:
        plan.left_out = left_out
    return plan


def bound_files(report: Report) -> list[dict[str, Any]]:
    """Each file the book would hold and the item it is bound under (the 申报书 first), as `check`
    recognised it: the same recognition for both (engine/recognition.py)."""
    out = [{"file": p, "material": "application_form", "number": None} for p in report.assigned.get("application_form", [])]
    for m in report.materials:
        out += [{"file": p, "material": m.id, "number": m.number} for p in m.files]
    return out


def binding_sheet(rules: RuleSet, category_key: str, total_pages: int, recto: bool) -> dict[str, Any]:
    """What the print shop and the stamping need, from binding.yaml (附件4)."""
    category = rules.categories[category_key]
    b = rules.binding
    cover = b.cover_for(category.binding) if category.binding else None
    copies = cover.copies if cover else 1
    sheets = math.ceil(total_pages / 2) if b.double_sided else total_pages
    return {
        "category": category.key,
        "category_title": category.title,
        "cover_colour": cover.colour.zh if cover else None,
        "cover_colour_en": cover.colour.en if cover else None,
        "copies": copies,
        "double_sided": b.double_sided,
        "binding": b.binding_method.model_dump(),
        "spine": b.spine.model_dump(),
        "cover_page": b.cover_page.model_dump(),
        "pages_per_copy": total_pages,
        "sheets_per_copy": sheets,
        "pages_all_copies": total_pages * copies,
        "sheets_all_copies": sheets * copies,
        "stamps": [s.model_dump() for s in b.stamps] + [b.seam_stamps.model_dump()],
        "signatures": b.signatures.model_dump(),
        "recto": recto,
    }


def sheet_text(sheet: dict[str, Any], lang: str) -> str:
    en = lang == "en"
    if en:
        lines = [
            f"Category: {sheet['category']} — cover {sheet['cover_colour_en'] or '—'}, {sheet['copies']} copies",
            f"Print: double-sided, {sheet['binding']['en']}, {sheet['spine']['en']}",
            f"Per copy: {sheet['pages_per_copy']} pages, {sheet['sheets_per_copy']} sheets; all copies: "
            f"{sheet['pages_all_copies']} pages, {sheet['sheets_all_copies']} sheets",
            "Stamps: " + "; ".join(s["en"] for s in sheet["stamps"]),
            "Form: " + sheet["signatures"]["en"],
        ]
    else:
        lines = [
            f"类别：{sheet['category_title']} — 封皮{sheet['cover_colour'] or '—'}，{sheet['copies']}份",
            f"印制：双面打印，{sheet['binding']['zh']}，{sheet['spine']['zh']}",
            f"每份 {sheet['pages_per_copy']} 页、{sheet['sheets_per_copy']} 张；共 {sheet['pages_all_copies']} 页、{sheet['sheets_all_copies']} 张",
            "盖章：" + "；".join(s["zh"] for s in sheet["stamps"]),
            "申报表：" + sheet["signatures"]["zh"],
        ]
    return "\n".join(lines)


def file_kind(path: str) -> str | None:
    suffix = PurePosixPath(path).suffix.lower()
    return {".pdf": "pdf", ".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png"}.get(suffix)
