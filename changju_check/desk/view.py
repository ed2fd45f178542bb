"""What the pages show, computed from a report: the verdict in one word, the two stages
(可上传 / 可装订), the checklist grouped as the guide groups it (the review sheet's own view,
render/html.py, so the app and the printed sheet say the same), and the category chooser."""

from __future__ import annotations

from typing import Any

from changju_check.report import Report

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
    """Every online category with its line on who it is for (the rule file's `audience`)."""
    return [{"key": key, "title": c.title, "line": c.audience.zh, "mode": "online"} for key, c in rules.categories.items()]


def offline_choices(rules: Any) -> list[dict[str, Any]]:
    return [{"key": t.key, "title": t.title, "line": t.explanation.zh} for t in rules.offline]
