"""What the pages show, computed from a report: the verdict in one word, the two stages
(可上传 / 可装订), the checklist grouped as the guide groups it (the review sheet's own view,
render/html.py, so the app and the printed sheet say the same), and the category chooser."""

from __future__ import annotations

from typing import Any

from changju_check.report import Report

# one line each on who a category is for (from the guide's list of online project types 一（二）2
# and the materials each category asks for)
CATEGORY_LINES = {
    "registration": "申报单位首次注册或更新注册信息：营业执照、完税证明等单位材料（系统注册审核通过后方可申报项目）。",
    "research": "在企业从事科技研发、拥有核心技术和发明专利的领军人才或其团队。",
    "startup": "在昌平创办科技企业、持有股权并实缴注册资金的创业领军人才或其团队。",
    "service": "从事技术转移、检验检测、知识产权等科技服务的领军人才或其团队。",
    "finance": "在金融机构从事科技金融等金融服务的领军人才或其团队。",
    "management": "在企业担任高级管理职务（须提供任命书或任职证明）的经营管理领军人才或其团队。",
    "youth": "在企业工作、有创新成果的青年人才（合同、社保、个税记录齐全；持股 30% 及以上可免合同）。",
    "forum": "举办高层次科技人才论坛的人才发展平台：活动方案、专项审计报告、论坛照片、成果落地证明。",
}
SECTION_WORDS = {"unit": "申报单位", "person": "申报人"}


def verdict(data: dict[str, Any]) -> dict[str, Any]:
    """pass / fail / review from a JSON report, with the two stages. `ready_to_upload` is read where
    the report has it, else derived (every attachment, no error: what passing meant before)."""
    summary = data.get("summary") or {}
    errors = int(summary.get("errors", 0) or 0)
    reviews = int(summary.get("review", summary.get("reviews", 0)) or 0)
    fatal = data.get("fatal")
    ok = bool(data.get("ok")) and fatal is None
    upload = data.get("ready_to_upload")
    if upload is None:
        upload = ok
    bind = bool(data.get("ready_to_bind")) and bool(upload)
    key = "fail" if (errors or fatal or not ok) else "review" if reviews else "pass"
    if fatal:
        line = "无法检查：" + str(fatal.get("message", "")).splitlines()[0]
    elif key == "fail":
        line = f"还有 {errors} 个问题要改"
    elif bind:
        line = "材料齐全，可以装订"
    elif upload:
        line = "材料齐全，可上传系统；装订前还需下载带水印的申报书" if not reviews else f"有 {reviews} 项需人工确认"
    else:
        line = "请看下面的清单"
    if key == "review" and not fatal:
        line = f"有 {reviews} 项需人工确认；" + line
    return {"key": key, "line": line, "errors": errors, "warnings": int(summary.get("warnings", 0) or 0),
            "reviews": reviews, "upload": bool(upload), "bind": bind}


def checklist(report: Report, rules: Any, lang: str = "zh", drawn: dict[str, Any] | None = None) -> dict[str, Any]:
    """The review sheet's view of the report with the app's pictures: every file of an item gets its
    packet path (the thumbnail's address) beside the sheet's card. `drawn`: the pictures drawn so
    far, of which only what they say without a picture is used (page counts, a page named that has
    none and why); the pictures themselves come from the thumbnail route."""
    from dataclasses import replace

    from changju_check.render.html import _packet_view

    shown = {p for m in report.materials for p in m.files} | set(report.unmatched) | {p for ps in report.assigned.values() for p in ps}
    told = {path: replace(p, thumbnail=None, pages=(), problem=None) for path, p in (drawn or {}).items() if path in shown}
    bare = replace(report, previews=told)
    view = _packet_view(bare, lang, rules)
    by_id = {m.id: m for m in report.materials}
    for section in view["sections"]:
        section["short"] = SECTION_WORDS.get(section["key"], "")
        for entry in section["entries"]:
            m = by_id.get(entry["id"])
            paths = list(m.files) if m is not None else []
            for card, path in zip(entry["files"], paths):
                card["path"] = path
    for group in view["recognised"]:
        for card, path in zip(group["files"], report.assigned.get(group["id"], [])):
            card["path"] = path
    seen = {p for m in report.materials for p in m.files} | {p for g in view["recognised"] for p in report.assigned.get(g["id"], [])}
    for card, path in zip(view["unmatched"], [p for p in sorted(set(report.unmatched)) if p not in seen]):
        card["path"] = path
    return view


def category_choices(rules: Any) -> list[dict[str, Any]]:
    out = []
    for key, c in rules.categories.items():
        out.append({"key": key, "title": c.title, "line": CATEGORY_LINES.get(key, ""), "mode": "online"})
    return out


def offline_choices(rules: Any) -> list[dict[str, Any]]:
    return [{"key": t.key, "title": t.title, "line": t.explanation.zh} for t in rules.offline]
