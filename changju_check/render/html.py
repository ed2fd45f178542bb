"""`--format html`: the review sheet — one self-contained page per packet that a person scrolls,
prints and ticks.

Like every renderer it reads a whole `Report` (plus the rule set, for the section headings,
the binding line and the file-name words of a missing item) and returns a string. The page
thumbnails are already in the report (`Report.previews`, made by `inspect.previews` when the
engine is asked for them); nothing here opens a file of the packet.

The page is one file: the CSS inline, every image a `data:` URI, no script at all, and a
Content-Security-Policy that forbids loading anything (so the page works from a USB stick or
an e-mail attachment, and a hostile file name could not fetch or run anything even if it got
past the escaping). It is laid out by a Jinja2 template with autoescape on: every file name,
manifest value and message is text. The enlarged pages are `<details>` elements, the code
explanations are in the same file (`#code-CJ101`), and the print styles turn it into an A4
binding checklist with a tick box per item and per copy.

Batch: `batch_files(reports, lang)` gives `{"index.html": …, "001-<packet>.html": …}`; the
index has one row per packet (verdict, errors, warnings, the first reasons, a link).
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from typing import Any, Sequence

import changju_check
from changju_check.render._common import (
    SEVERITY_WORD,
    STATUS_WORD,
    VERDICT_WORD,
    Tally,
    category_display,
    category_title,
    check_lang,
    counts_line,
    label,
    severity_of,
    CLEAR,
    confidence_word,
    evidence_value,
    fact_word,
    stage_line,
    summary_line,
    verdict,
    visible,
    where,
    word,
)
from changju_check.report import Evidence, Finding, MaterialResult, Report
from changju_check.report.personal import mask_in_text

# symbol per status: with the word beside it the state reads in black-and-white print too
STATUS_MARK = {"present": "✓", "missing": "✗", "waived": "◇", "not_applicable": "—", "optional_missing": "○"}
SEVERITY_MARK = {"error": "✗", "warning": "▲", "review": "?", "info": "ℹ", "waived": "◇"}
VERDICT_MARK = {"passed": "✓", "failed": "✗", "unusable": "✗"}

# the cover colours of 附件4 as screen colours (by the rule file's English colour name)
SWATCH = {
    "yellow": "#f7d117",
    "lake blue": "#1f8fd0",
    "pinkish purple": "#c88ac8",
    "navy blue": "#1d2a5c",
    "orange": "#f28c28",
    "red": "#d7141a",
    "white": "#ffffff",
}

WORDS: dict[str, dict[str, str]] = {
    "heading": {"zh": "昌聚工程申报材料检查单", "en": "Changju application packet review sheet"},
    "index_heading": {"zh": "昌聚工程申报材料检查汇总", "en": "Changju packets: summary"},
    "manifest": {"zh": "清单文件", "en": "Manifest"},
    "config": {"zh": "配置文件", "en": "Configuration"},
    "waived": {"zh": "已豁免", "en": "Waived"},
    "binding": {"zh": "装订", "en": "Binding"},
    "packet_findings": {"zh": "整个材料包的问题", "en": "Findings about the whole packet"},
    "unmatched": {"zh": "未对应任何材料的文件", "en": "Files that match no material"},
    "recognised": {"zh": "清单以外的材料", "en": "Materials outside the checklist"},
    "codes": {"zh": "代码说明", "en": "What the codes mean"},
    "names": {"zh": "可识别的文件名", "en": "File names recognised"},
    "waived_reason": {"zh": "豁免理由", "en": "Waived because"},
    "enlarge": {"zh": "点击查看大图", "en": "Click for a larger view"},
    "close": {"zh": "再次点击缩略图关闭", "en": "click the thumbnail again to close"},
    "ticks": {"zh": "各份已装订：", "en": "Bound in copy:"},
    "no_ticks": {"zh": "无需装订", "en": "nothing to bind"},
    "copies_head": {"zh": "份", "en": "copy"},
    "copy_done": {"zh": "整份装订完成：", "en": "Copy complete:"},
    "ev_fact": {"zh": "信息", "en": "Fact"},
    "ev_scan": {"zh": "扫描件", "en": "Scan"},
    "ev_manifest": {"zh": "清单", "en": "Manifest"},
    "ev_where": {"zh": "位置", "en": "Where"},
    "ev_confidence": {"zh": "识别", "en": "Reading"},
    "reasons": {"zh": "主要问题", "en": "First reasons"},
    "no_preview": {"zh": "无法预览", "en": "No preview"},
    "page": {"zh": "第 {n} 页", "en": "page {n}"},
    "pages": {"zh": "{n} 页", "en": "{n} pages"},
    "one_page": {"zh": "1 页", "en": "1 page"},
    "more_pages": {"zh": "（其余 {n} 页未显示）", "en": "({n} more pages not shown)"},
    "footer": {"zh": "由 changju {v} 生成 · 本页不联网、不含脚本，可离线打开和打印", "en": "Made by changju {v} · this page loads nothing and runs no script; it opens and prints offline"},
    "more_reasons": {"zh": "另有 {n} 条", "en": "and {n} more"},
    "upload": {"zh": "可上传", "en": "Ready to upload"},
    "bind": {"zh": "可装订", "en": "Ready to bind"},
    "yes": {"zh": "是", "en": "yes"},
    "look": {"zh": "请核对此处", "en": "Look here"},
    "no": {"zh": "否", "en": "no"},
}


# an 18-character ID number (or the old 15-digit one) not inside a longer run of letters/digits

INDEX_REASONS = 3
LOOK_PICTURES = 10  # pictures of the places to look at per sheet (each at most 24 KB): the sheet stays < 2 MB


def _w(key: str, lang: str, **fmt: Any) -> str:
    text = WORDS[key]["en" if lang == "en" else "zh"]
    return text.format(**fmt) if fmt else text


def _text(value: str) -> str:
    """Text from the report as the page shows it: control and bidi characters visible, ID numbers masked."""
    return mask_in_text(visible(value))


# --------------------------------------------------------------------------- the template


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("changju_check", "render/templates"),
        autoescape=True,  # every value is text: file names, manifest values, messages
        undefined=StrictUndefined,  # a misspelt name in the template is an error, not a blank
        trim_blocks=False,
        lstrip_blocks=False,
    )


@lru_cache(maxsize=1)
def _css() -> str:
    from importlib import resources

    return resources.files("changju_check").joinpath("render/templates/report.css").read_text(encoding="utf-8")


def _labels(lang: str) -> dict[str, str]:
    t = {k: _w(k, lang) for k in WORDS}
    for key in ("packet", "category", "as_of", "strict", "fix", "verdict", "errors", "warnings", "reason"):
        t[key] = label(key, lang)
    t["colon"] = ": " if lang == "en" else "："
    return t


def _page(template: str, lang: str, *, printer: "SheetPrinter | None" = None, **values: Any) -> str:
    if printer is not None:
        text = printer.fill(template, lang, values)
        if text is not None:
            return text
    return _fill_here(template, lang, values)


def _fill_here(template: str, lang: str, values: dict[str, Any]) -> str:
    from markupsafe import Markup

    env = _environment()
    return env.get_template(template).render(
        html_lang="en" if lang == "en" else "zh-CN",
        # our own stylesheet (package data, never user input): <style> is raw text, where an
        # escaped ">" or quote would break the rules
        css=Markup(_css()),
        t=_labels(lang),
        generator=f"changju {changju_check.__version__}",
        footer=_w("footer", lang, v=changju_check.__version__),
        **values,
    )


# --------------------------------------------------------------------------- one packet


def render(report: Report, lang: str = "zh", *, rules: Any = None, printer: "SheetPrinter | None" = None) -> str:
    """The review sheet of one packet, as one HTML document (filled in by `printer`'s process
    where one was started; the same page either way)."""
    check_lang(lang)
    return _page("report.html.j2", lang, printer=printer, **_packet_view(report, lang, _rules(rules)))


# --------------------------------------------------------------------------- a printer beside the check


def _filled(_unused: Any, request: tuple[str, str, dict[str, Any]]) -> str:
    template, lang, values = request
    return _fill_here(template, lang, values)


def _not_filled(_unused: Any, _reason: Any) -> None:
    return None


class SheetPrinter:
    """A process that gets the template ready while the packet is checked, then fills it in.

    Importing Jinja and compiling the sheet's template costs ~70 ms of CPU, on the critical path
    of a one-packet `check --format html` if done after the check. Started before the check,
    this process (an `inspect.limits.Worker`: forked on Linux, spawned on Windows; Ctrl-C, a
    killed parent and a time limit handled as for the inspection's workers) imports
    `render.warm` — which compiles the template — on a core the check leaves idle; at the end
    the page's values (plain data) go to it and the page comes back. Anything that goes wrong
    (no second core, no process, a value that cannot be sent, a time-out) gives None, and the
    page is filled in here: the same page, only later."""

    TIMEOUT_S = 60.0

    def __init__(self) -> None:
        from changju_check.inspect.limits import Outcome, Worker

        self._outcome = Outcome(result=str, timed_out=_not_filled, unexpected=_not_filled)
        self._worker: Any = Worker(preload=("changju_check.render.warm",))
        if not self._worker.start():
            self._worker = None

    @classmethod
    def start(cls) -> "SheetPrinter | None":
        """A printer where another core can do the work, else None."""
        from changju_check.inspect.limits import usable_cores

        if usable_cores() < 2:
            return None
        printer = cls()
        return printer if printer._worker is not None else None

    def fill(self, template: str, lang: str, values: dict[str, Any]) -> str | None:
        if self._worker is None:
            return None
        try:
            return self._worker.run(_filled, None, self.TIMEOUT_S, (template, lang, values), self._outcome)
        except Exception:  # noqa: BLE001 - a value that cannot be pickled, a broken pipe: fill it in here
            return None
        finally:
            self.close()

    def close(self) -> None:
        if self._worker is not None:
            worker, self._worker = self._worker, None
            worker.close()


def _rules(rules: Any) -> Any:
    if rules is not None:
        return rules
    try:
        from changju_check.rulebook.load import load_rules

        return load_rules(None)
    except Exception:  # noqa: BLE001 - a sheet without headings beats no sheet
        return None


def _packet_view(report: Report, lang: str, rules: Any) -> dict[str, Any]:
    category = rules.categories.get(report.category) if rules is not None else None
    binding = _binding(rules, category, lang)
    copies = list(range(1, binding["copies"] + 1)) if binding else []
    placed = _Placement(report)
    looks = _looks(report, lang)
    files_seen: set[str] = set()

    sections: list[dict[str, Any]] = []
    for m in report.materials:
        if not sections or sections[-1]["key"] != m.section:
            sections.append({"key": m.section, "title": _section_title(category, m.section, lang), "entries": []})
        item_files = []
        for path in m.files:
            files_seen.add(path)
            item_files.append(_file_view(report, path, placed.by_file.pop(path, []), lang, looks))
        hint = _missing_hint(report, m, rules, placed.by_material.get(m.id, []), lang) if m.status == "missing" else None
        sections[-1]["entries"].append(
            {
                "id": m.id,
                "anchor": "item-" + re.sub(r"[^0-9A-Za-z_-]+", "-", m.id),
                "number": m.number,
                "title": _text(m.title_en if lang == "en" else m.title),
                "status": m.status,
                "mark": STATUS_MARK[m.status],
                "word": word(STATUS_WORD, m.status, lang),
                "condition": _condition(category, m, lang) if m.status in ("not_applicable", "optional_missing") or not isinstance(m.required, bool) else None,
                "waived": _text(m.waived) if m.waived else None,
                "hint": hint,
                "findings": [_finding_view(report, f, lang, looks) for f in placed.by_material.pop(m.id, [])],
                "evidence": [_evidence_view(report, e, lang) for e in placed.evidence_for(m)],
                "files": item_files,
                "ticks": m.status in ("present", "waived", "missing") or bool(m.files),
            }
        )
    recognised = []  # files of materials that are not checklist items (the 申报书)
    for mid, paths in sorted(report.assigned.items()):
        if mid in placed.item_of or not paths:
            continue
        material = rules.catalogue.materials.get(mid) if rules is not None else None
        title = (material.title_en if lang == "en" else material.title) if material is not None else mid
        cards = [_file_view(report, path, placed.by_file.pop(path, []), lang, looks) for path in paths if path not in files_seen]
        files_seen.update(paths)
        if cards:
            recognised.append({"id": mid, "title": _text(title), "files": cards})
    unmatched = [
        _file_view(report, path, placed.by_file.pop(path, []), lang, looks)
        for path in sorted(set(report.unmatched) | set(report.previews) - files_seen)
        if path not in files_seen
    ]
    leftovers = [f for fs in placed.by_file.values() for f in fs] + [f for fs in placed.by_material.values() for f in fs]
    packet_findings = sorted(placed.packet + leftovers, key=Finding.sort_key)
    used_codes = sorted({f.code for f in report.findings} | ({report.fatal.code} if report.fatal else set()))
    return {
        "page_title": f"{visible(report.packet, keep_newlines=False)} — {_w('heading', lang)}",
        "packet": _text(report.packet),
        "category": category_display(report, lang),
        "as_of": report.as_of.isoformat(),
        "manifest": _text(report.manifest) if report.manifest else None,
        "config": _text(report.config) if report.config else None,
        "strict": report.strict,
        "verdict": _verdict_view(report, lang),
        "binding": binding,
        "copies": copies,
        "fatal": _finding_view(report, report.fatal, lang) if report.fatal else None,
        "packet_findings": [_finding_view(report, f, lang, looks) for f in packet_findings],
        "sections": sections,
        "recognised": recognised,
        "unmatched": unmatched,
        "codes": _codes(used_codes, lang),
    }


class _Placement:
    """Where each finding and fact goes: under the file it names (if the sheet shows that file),
    else under its item, else at the top with the packet-wide ones."""

    def __init__(self, report: Report):
        self.report = report
        self.item_of: dict[str, str] = {}
        for m in report.materials:
            for mid in m.accepted:
                self.item_of.setdefault(mid, m.id)
        for m in report.materials:
            self.item_of[m.id] = m.id
        shown = {p for m in report.materials for p in m.files} | set(report.unmatched) | set(report.previews)
        self.by_file: dict[str, list[Finding]] = {}
        self.by_material: dict[str, list[Finding]] = {}
        self.packet: list[Finding] = []
        for f in report.sorted_findings():
            if f.file and f.file in shown:
                self.by_file.setdefault(f.file, []).append(f)
            elif f.material and f.material in self.item_of:
                self.by_material.setdefault(self.item_of[f.material], []).append(f)
            else:
                self.packet.append(f)

    def evidence_for(self, m: MaterialResult) -> list[Evidence]:
        files = set(m.files)
        found = [e for e in self.report.evidence if self.item_of.get(e.material) == m.id or (e.material not in self.item_of and e.file in files)]
        return sorted(found, key=lambda e: (e.file, e.page, e.fact))


def _section_title(category: Any, key: str, lang: str) -> str:
    if category is not None:
        for section in category.sections:
            if section.key == key:
                title = section.title_en if lang == "en" and getattr(section, "title_en", None) else section.title
                return f"{section.number}. {title}" if section.number else title
    return key


def _condition(category: Any, m: MaterialResult, lang: str) -> str | None:
    if category is None:
        return None
    from changju_check.rulebook.checklist import condition_text

    for _, item in category.items():
        if item.key == m.id:
            text = condition_text(item, lang)
            return _text(text) if text else None
    return None


def _binding(rules: Any, category: Any, lang: str) -> dict[str, Any] | None:
    """The binding line of 附件4: cover colour (a swatch), copies, how to print, and the rules to tick."""
    if rules is None or category is None or not getattr(category, "binding", None):
        return None
    b = rules.binding
    cover = b.cover_for(category.binding)
    if cover is None:
        return None
    en = lang == "en"
    colour = cover.colour.get(lang)
    sep = ", " if en else "，"
    printing = sep.join(
        ([("double-sided" if en else "双面打印")] if b.double_sided else [])
        + [b.binding_method.get(lang), b.spine.get(lang)]
    )
    rules_to_tick = [b.cover_page.get(lang), b.toc.get(lang)] + [s.get(lang) for s in b.stamps] + [b.seam_stamps.get(lang), b.signatures.get(lang)]
    return {
        "colour": colour,
        "swatch": SWATCH.get(cover.colour.en.strip().lower(), "transparent"),
        "cover": f"cover: {colour}" if en else f"封皮{colour}",
        "copies": int(cover.copies),
        "copies_text": f"{cover.copies} copies" if en else f"{cover.copies}份",
        "print": printing,
        "rules": rules_to_tick,
    }


def _missing_hint(report: Report, m: MaterialResult, rules: Any, findings: list[Finding], lang: str) -> dict[str, Any]:
    """For a missing item: the file-name words that would have been recognised, and the fix."""
    keywords: list[str] = []
    if rules is not None:
        for mid in (m.accepted or (m.id,)):
            material = rules.catalogue.materials.get(mid)
            for k in getattr(material, "keywords", ()) or ():
                if k not in keywords:
                    keywords.append(k)
    code = next((f.code for f in findings if f.code.startswith("CJ1")), "CJ101")
    return {"keywords": [_text(k) for k in keywords[:10]], "fix": _fix(code, lang)}


def _fix(code: str, lang: str) -> str | None:
    from changju_check.rulebook.codes import catalogue

    entry = catalogue().get(code)
    return entry.fix.get(lang) if entry is not None else None


def _codes(used: Sequence[str], lang: str) -> list[dict[str, str]]:
    from changju_check.rulebook.codes import catalogue

    out = []
    for code in used:
        entry = catalogue().get(code)
        if entry is None:
            continue
        out.append(
            {
                "code": entry.code,
                "title": entry.title.get(lang),
                "severity": word(SEVERITY_WORD, entry.severity, lang),
                "description": entry.description.get(lang),
                "fix": entry.fix.get(lang),
            }
        )
    return out


def _verdict_view(report: Report, lang: str) -> dict[str, Any]:
    key = verdict(report)
    line = summary_line(report, lang)
    if line.startswith("ℹ"):  # an offline project type: nothing was checked, so nothing passed
        return {"key": "offline", "mark": "ℹ", "word": line.lstrip("ℹ ").strip(), "counts": "", "errors": 0, "warnings": 0,
                "stage": None, "stage_key": "offline"}
    counts = line.split(" — ")[0].lstrip("✓✗ ").strip()
    return {
        "stage": stage_line(report, lang),
        "stage_key": report.stage,
        "key": key,
        "mark": VERDICT_MARK[key],
        "word": word(VERDICT_WORD, key, lang),
        "counts": counts,
        "errors": report.errors,
        "warnings": report.warnings,
    }


def _finding_view(report: Report, f: Finding, lang: str,
                  looks: dict[Finding, dict[str, Any]] | None = None) -> dict[str, Any]:
    waived = f.waived is not None
    severity = severity_of(report, f)
    reason = None
    if waived:
        reason = f"（理由：{_text(f.waived)}）" if lang == "zh" else f"(reason: {_text(f.waived)})"
    loc = where(report, f)
    return {
        "code": f.code,
        "severity": "waived" if waived else severity,
        "css": "waived" if waived else severity,
        "sev_mark": SEVERITY_MARK["waived" if waived else severity],
        "sev_word": word(STATUS_WORD, "waived", lang) if waived else word(SEVERITY_WORD, severity, lang),
        "where": mask_in_text(loc) if loc else "",
        "message": _text(f.message.get(lang)),
        "waived_text": reason,
        "look": (looks or {}).get(f),
    }


def _looks(report: Report, lang: str) -> dict[Finding, dict[str, Any]]:
    """The place each finding decided from a page names (its file and page: a 需人工确认, the
    contract's term read on page 3, an expiry on an ID card): where the sheet has a picture of that
    page, the region around the value's box (OCR), else the page scaled down, as a data: JPEG - the
    first `LOOK_PICTURES` of them, the reviews' first, so that the sheet stays within its size."""
    out: dict[Finding, dict[str, Any]] = {}
    pictures = 0
    named = [f for f in report.sorted_findings() if f.waived is None and f.file and f.page]
    for f in sorted(named, key=lambda f: severity_of(report, f) != "review"):  # stable: the reviews first
        box = _look_box(report, f)
        picture = None
        preview = report.previews.get(f.file)
        if pictures < LOOK_PICTURES and preview is not None:
            from changju_check.inspect.preview import look_picture

            try:
                picture = look_picture(preview, f.page, box)
            except Exception:  # noqa: BLE001 - a picture that cannot be cut: the page is still named
                picture = None
        where = mask_in_text(f"{visible(f.file, keep_newlines=False)} · {_w('page', lang, n=f.page)}")
        out[f] = {
            "file": f.file,
            "page": f.page,
            "box": ",".join(f"{v:.4f}" for v in box) if box else None,
            "where": where,
            "note": page_note(preview, f.page, lang) if picture is None else None,
            "src": f"data:{picture.mime};base64,{base64.b64encode(picture.data).decode('ascii')}" if picture else None,
            "width": picture.width if picture else None,
            "height": picture.height if picture else None,
            "alt": f"{_w('look', lang)}{'：' if lang == 'zh' else ': '}{where}",
        }
        pictures += picture is not None
    return out


def page_note(preview: Any, page: int, lang: str) -> str | None:
    """Why a page named has no picture: beyond the file's length, a page that cannot be drawn, a
    file that cannot be drawn; None where only the sheet's size left it out."""
    if preview is None:
        return None
    why = preview.page_problem(page)
    if why is None and preview.page_count and page > preview.page_count:
        from changju_check.inspect.preview import beyond

        why = beyond(page, preview.page_count)
    if why is None and preview.problem is not None:
        why = preview.problem
    return _text(why.get(lang)) if why is not None else None


def _page_anchor(path: str, page: int) -> str:
    """The id of a file's page in the sheet (the evidence's 位置 links to it)."""
    import hashlib

    return f"p{hashlib.sha1(path.encode('utf-8', 'surrogatepass')).hexdigest()[:10]}-{page}"


def _look_box(report: Report, f: Finding) -> tuple[float, float, float, float] | None:
    """Where on the finding's page the value it names was read (an `Evidence.box`), if the OCR gave one."""
    for e in report.evidence:
        box = _valid_box(e.box) if e.file == f.file and e.page == f.page and e.value else None
        if box is not None and e.value in f.message.zh:
            return box
    return None


def _valid_box(box: Any) -> tuple[float, float, float, float] | None:
    """(x0, y0, x1, y1) as fractions of the page, origin top left; None for anything else."""
    try:
        x0, y0, x1, y1 = (float(v) for v in box)
    except (TypeError, ValueError):
        return None
    return (x0, y0, x1, y1) if 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1 else None


def _evidence_view(report: Report, e: Evidence, lang: str) -> dict[str, Any]:
    manifest = report.manifest_facts.get(e.fact)
    page = _w("page", lang, n=e.page)
    preview = report.previews.get(e.file)
    shown = preview is not None and any(p.number == e.page for p in preview.pages)
    return {
        "fact": e.fact,
        "label": fact_word(e.fact, lang),
        "value": _text(evidence_value(e.value, lang)),
        "manifest": _text(manifest) if manifest is not None else "—",
        "where": f"{visible(e.file, keep_newlines=False)} · {page}",
        "href": f"#{_page_anchor(e.file, e.page)}" if shown else None,
        "confidence": confidence_word(e.confidence, lang),
        "low": e.confidence < CLEAR,
    }


def _boxes(report: Report, path: str, page: int, lang: str) -> list[dict[str, Any]]:
    """The evidence boxes drawn on one page: `Evidence.box` as fractions (x0, y0, x1, y1) of the page."""
    out = []
    for e in report.evidence:
        box = _valid_box(e.box) if e.file == path and e.page == page and e.box else None
        if box is None:
            continue
        x0, y0, x1, y1 = box
        name = fact_word(e.fact, lang)
        value = _text(evidence_value(e.value, lang))
        out.append(
            {
                "left": f"{x0 * 100:.2f}",
                "top": f"{y0 * 100:.2f}",
                "width": f"{(x1 - x0) * 100:.2f}",
                "height": f"{(y1 - y0) * 100:.2f}",
                "label": f"{name}：{value}" if lang == "zh" else f"{name}: {value}",
            }
        )
    return out


def _file_view(report: Report, path: str, findings: list[Finding], lang: str,
               looks: dict[Finding, dict[str, Any]] | None = None) -> dict[str, Any]:
    preview = report.previews.get(path)
    shown = visible(path, keep_newlines=False)
    count = preview.page_count if preview is not None else None

    def picture(p) -> dict[str, Any]:
        return {
            "src": f"data:{p.mime};base64,{base64.b64encode(p.data).decode('ascii')}",
            "width": p.width,
            "height": p.height,
            "number": p.number,
            "label": _w("page", lang, n=p.number),
            "alt": f"{shown} · {_w('page', lang, n=p.number)}",
            "boxes": _boxes(report, path, p.number, lang),
            "anchor": _page_anchor(path, p.number),
        }

    thumb = picture(preview.thumbnail) if preview is not None and preview.thumbnail is not None else None
    pages = [picture(p) for p in preview.pages] if preview is not None and thumb is not None else []
    more = None
    if pages and count and count > len(pages):
        more = _w("more_pages", lang, n=count - len(pages))
    problem = None
    if thumb is None:
        reason = preview.problem.get(lang) if preview is not None and preview.problem is not None else None
        problem = _w("no_preview", lang) + (f"{'：' if lang == 'zh' else ': '}{reason}" if reason else "")
    return {
        "name": shown,
        "page_count": (_w("one_page", lang) if count == 1 else _w("pages", lang, n=count)) if count else "",
        "thumb": thumb,
        "pages": pages,
        "more": more,
        "problem": problem,
        # the pages named that have no picture, and why (beyond the file's length, a broken page)
        "page_notes": [_text(why.get(lang)) for _, why in preview.page_problems] if preview is not None and thumb is not None else [],
        "findings": [_finding_view(report, f, lang, looks) for f in findings],
    }


# --------------------------------------------------------------------------- many packets


def report_filename(index: int, report: Report) -> str:
    """ "003-申报人3.html": numbered (unique, in the batch's order), the packet's own name kept
    where Windows allows it."""
    name = report.packet.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or "packet"
    if name.lower().endswith(".zip"):
        name = name[:-4]
    name = re.sub(r'[\x00-\x1f\x7f<>:"/\\|?*\u202a-\u202e\u2066-\u2069]+', "_", name).strip(" .") or "packet"
    return f"{index:03d}-{name[:60]}.html"


class BatchFiles:
    """A batch's HTML output as its reports come: `add` gives each packet's sheet (its file name
    and text) and keeps only its row of the index, `index` the index page at the end. A sheet
    holds the packet's pictures: written and let go one at a time, a batch of any size needs the
    memory of a packet."""

    def __init__(self, lang: str = "zh", *, rules: Any = None):
        check_lang(lang)
        self.lang, self.rules = lang, rules
        self.rows: list[dict[str, Any]] = []
        self.tally = Tally()
        self.configs: set[str] = set()  # the configuration files the checks applied

    def add(self, report: Report) -> tuple[str, str]:
        name = self.add_row(report)
        if self.rules is None:
            self.rules = _rules(None)
        return name, _page("report.html.j2", self.lang, **_packet_view(report, self.lang, self.rules))

    def add_row(self, r: Report) -> str:
        lang = self.lang
        self.tally.add(r)
        if r.config:
            self.configs.add(_text(r.config))
        name = report_filename(len(self.rows) + 1, r)
        key = verdict(r)
        reasons = []
        active = ([r.fatal] if r.fatal else []) + [f for f in r.active_findings() if severity_of(r, f) in ("error", "warning")]
        for f in active[:INDEX_REASONS]:
            reasons.append({"code": f.code, "message": _text(f.message.get(lang)).splitlines()[0] if f.message.get(lang) else ""})
        more = _w("more_reasons", lang, n=len(active) - INDEX_REASONS) if len(active) > INDEX_REASONS else None
        self.rows.append(
            {
                "packet": _text(r.packet),
                "href": name,
                "category": category_title(r, lang),
                "verdict": key,
                "mark": VERDICT_MARK[key],
                "word": word(VERDICT_WORD, key, lang),
                "errors": r.errors,
                "warnings": r.warnings,
                "waived": sum(1 for f in r.findings if f.waived is not None),
                "stage": r.stage,
                "upload": _w("yes" if r.ready_to_upload else "no", lang),
                "bind": _w("yes" if r.ready_to_bind else "no", lang),
                "reasons": reasons,
                "more": more,
            }
        )
        return name

    def index(self) -> str:
        s = self.tally.counts
        key = "passed" if s["passed"] == s["packets"] else "failed"
        return _page(
            "index.html.j2",
            self.lang,
            page_title=_w("index_heading", self.lang),
            verdict={"key": key, "mark": VERDICT_MARK[key], "counts": counts_line(s, self.lang).lstrip("✓✗ ")},
            rows=self.rows,
            config="；".join(sorted(self.configs)) or None,
        )


def render_batch(reports: Sequence[Report], lang: str = "zh", *, rules: Any = None) -> str:
    """The batch index page (its links point at `report_filename` names beside it)."""
    return _index(list(reports), lang)


def batch_files(reports: Sequence[Report], lang: str = "zh", *, rules: Any = None) -> dict[str, str]:
    """Every file of a batch's HTML output: `index.html` and one sheet per packet."""
    files = BatchFiles(lang, rules=rules)
    sheets = dict(files.add(r) for r in reports)
    return {"index.html": files.index(), **sheets}


def _index(reports: list[Report], lang: str) -> str:
    files = BatchFiles(lang)
    for r in reports:
        files.add_row(r)
    return files.index()
