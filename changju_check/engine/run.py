"""The linter core: packet + manifest + rules → one Report.

Nothing here prints or exits. Steps: open the packet, read the manifest, pick
the category, recognise and inspect the files, build the checklist, run the
constraint checks, apply waivers and --select/--ignore.
"""

from __future__ import annotations

import os

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

from changju_check.report.invocation import prog
from changju_check.report import Finding, Msg, PortableError, Report
from changju_check.rulebook.codes import finding
from changju_check.rulebook.load import RuleSet, load_rules
from changju_check.rulebook.model import Category, OfflineType

IMAGE_KINDS = ("jpeg", "png")


@dataclass
class CheckOptions:
    category: str | None = None
    manifest: Path | None = None
    as_of: date | None = None
    rules_dir: Path | None = None
    file_timeout: float = 5.0
    strict: bool = False
    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    # True: read every scan (--read-scans); None: read the pages where that can change the result
    # (a file its name and text layer do not place, a fact the manifest lacks) - the CLI's default
    # where the [scan] extra is installed; False: never (--no-read-scans, CI)
    read_scans: bool | None = False
    scan_pages: int = 3  # a cap: each layout reads the pages it needs (the contract's term is on page 2)
    seals: str = "required"  # required | all
    scan_cache: bool = True
    previews: bool = False  # the first pages of every file as pictures (Report.previews, for --format html)
    show_personal: bool = False  # ID and social-security numbers read from pages shown unmasked
    # the repository configuration's as_of: used when neither --as-of nor the manifest gives one
    default_as_of: date | None = None
    # part of a batch: a packet without manifest checked as --category says so (CJ412)
    in_batch: bool = False
    # the repository configuration applied (its path, for every report), and the configuration
    # files found inside a packet and not applied: (file, packet folder) pairs, noted there (CJ413)
    config: str | None = None
    config_ignored: tuple[tuple[str, str], ...] = ()
    # inspections kept between checks of one packet (inspect/memo.py, the desk app): only the
    # files that changed are opened again; None: every file is inspected
    memo: object | None = field(default=None, repr=False, compare=False)
    # called as pages are read (done, total): the CLI's progress bar on a terminal (not pickled to a
    # batch's workers: None there)
    progress: object = field(default=None, repr=False, compare=False)


class OfflineCategory(PortableError):
    """The category is handled outside the online system (offline, external, not open)."""

    def __init__(self, offline: OfflineType):
        self.offline = offline
        super().__init__(offline.key)


@dataclass
class _Loaded:
    rules: RuleSet
    category: Category
    manifest: object
    manifest_path: str | None
    as_of: date
    notes: list[Finding] = field(default_factory=list)
    # fact -> (the template's example it holds, its CJ407): withdrawn where a page says the same
    examples: dict[str, tuple[object, Finding]] = field(default_factory=dict)
    original: object = None  # the manifest as written (before template examples were scrubbed)


def resolve_category(rules: RuleSet, name: str) -> Category:
    """A category by key, title or alias; raises OfflineCategory or KeyError."""
    found = rules.find(name)
    if found is None:
        raise KeyError(name)
    if isinstance(found, OfflineType):
        raise OfflineCategory(found)
    return found


def unknown_category_msg(rules: RuleSet, name: str | None) -> Msg:
    valid = ", ".join(f"{k} ({c.title})" for k, c in rules.categories.items())
    if not name:
        return Msg(
            zh=f"没有指定申报类别：请用 --category 或在 changju.yaml 中写 category。可选类别：{valid}",
            en=f"No category given: use --category or `category` in changju.yaml. Valid categories: {valid}",
        )
    return Msg(
        zh=f"未知的申报类别“{name}”。可选类别：{valid}",
        en=f"Unknown category '{name}'. Valid categories: {valid}",
    )


def offline_by_fact(rules: RuleSet, category: Category, fact) -> OfflineType | None:
    """An offline type whose condition holds on the manifest's facts (一（二）1: a municipal-or-higher
    talent title) takes over any category that uses those facts."""
    for t in rules.offline:
        if t.when is not None and t.when.facts() <= set(category.facts) and t.when.evaluate(fact):
            return t
    return None


def offline_report(packet: str, offline: OfflineType, as_of: date, *, because: bool = False, line=None) -> Report:
    """A project type handled outside the online system: nothing to check, the guide's explanation
    (after the reason, when a manifest fact sent the packet there)."""
    report = Report(
        packet=packet,
        category=offline.key,
        category_title=offline.title,
        category_title_en=offline.title_en,
        as_of=as_of,
    )
    zh, en = offline.explanation.zh, offline.explanation.en
    if because and offline.reason is not None:
        zh, en = offline.reason.zh + zh, offline.reason.en + " " + en
    report.findings.append(finding("CJ406", zh, en, line=line))
    return report


def _fatal_report(packet: str, code: str, msg: Msg, *, category: str = "", as_of: date | None = None, line=None) -> Report:
    report = Report(
        packet=packet,
        category=category,
        category_title="",
        category_title_en="",
        as_of=as_of or date.today(),
    )
    report.fatal = finding(code, msg.zh, msg.en, line=line)
    return report


def unexpected_report(packet: str, exc: BaseException) -> Report:
    """The report of a packet whose check failed in a way nobody foresaw (exit 2): it names the
    error, and the other packets of a batch keep their own reports."""
    detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
    if isinstance(exc, MemoryError):
        msg = Msg(zh="检查此材料包时内存不足，未能完成检查（不是文件损坏）。",
                  en="The check of this packet ran out of memory and could not finish (this is not a damaged file).")
    else:
        msg = Msg(zh=f"检查此材料包时发生意外错误，未能完成检查（{detail}）。",
                  en=f"An unexpected error stopped the check of this packet ({detail}).")
    return _fatal_report(packet, "CJ400", msg)


def check_packet(path: Path, options: CheckOptions | None = None) -> Report:
    """Check one packet (a folder or a .zip). Never raises for bad input: an unusable packet gives a
    report with `fatal` set (exit 2), an offline project type a report that explains it (CJ406).
    The report names the configuration file applied, and notes one inside the packet that was not
    (CJ413)."""
    options = options or CheckOptions()
    report = _check_one(path, options)
    report.config = options.config
    for config, packet in options.config_ignored:
        if _same_folder(packet, path):
            report.findings.append(finding(
                "CJ413",
                f"材料包内的配置文件 {_shown_in(config, packet)} 未采用：材料包不能改变检查的配置。",
                f"The configuration file {_shown_in(config, packet)} inside the packet was not applied: "
                f"a packet cannot change the settings it is checked with.",
            ))
    return report


def _same_folder(a, b) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except (OSError, RuntimeError):
        return False


def _shown_in(file: str, folder: str) -> str:
    """`file` relative to `folder` (POSIX separators), or its name."""
    try:
        return Path(file).relative_to(folder).as_posix()
    except ValueError:
        return Path(file).name


def _check_one(path: Path, options: CheckOptions) -> Report:
    from changju_check.manifest import ManifestError, parse_manifest
    from changju_check.packet import PacketError, open_packet

    options = options or CheckOptions()
    display = str(path)
    try:
        rules = load_rules(options.rules_dir)
    except Exception as exc:  # RuleError: the rule directory itself is broken
        msg = exc.to_msg() if hasattr(exc, "to_msg") else Msg(zh=str(exc), en=str(exc))
        return _fatal_report(display, "CJ401", msg)
    try:
        packet = open_packet(path)
    except PacketError as exc:
        return _fatal_report(display, "CJ400", exc.msg)

    with packet:
        # ---------------------------------------------------------------- manifest
        notes: list[Finding] = []
        manifest_path: str | None = None
        try:
            if options.manifest is not None:
                manifest_path = str(Path(options.manifest).resolve())
                try:
                    raw = _read_capped(options.manifest)
                except OSError as exc:
                    from changju_check.packet.model import reason_en, reason_zh

                    detail_zh = reason_zh(exc) if exc.strerror is None else exc.strerror
                    detail_en = reason_en(exc) if exc.strerror is None else exc.strerror
                    return _fatal_report(
                        display,
                        "CJ401",
                        Msg(
                            zh=f"无法读取清单文件 {options.manifest}：{detail_zh}",
                            en=f"cannot read the manifest {options.manifest}: {detail_en}",
                        ),
                    )
                manifest = parse_manifest(raw, manifest_path)
            else:
                try:
                    raw = packet.manifest_bytes()
                except PacketError as exc:  # there is a manifest and it cannot be read
                    report = _fatal_report(display, "CJ401", exc.msg)
                    report.manifest = "changju.yaml"
                    return report
                if raw is not None:
                    manifest_path = "changju.yaml"
                manifest = parse_manifest(raw or b"", manifest_path or "changju.yaml")
        except ManifestError as exc:
            msg = _manifest_error_msg(exc)
            fatal = finding("CJ401", msg.zh, msg.en, line=exc.line)
            if exc.partial is None or not (options.category or exc.partial.category):
                report = _fatal_report(display, "CJ401", fatal.message, line=exc.line)
                report.manifest = manifest_path or exc.source
                return report
            # A checklist even so: the files are still discovered and recognised with what the
            # manifest could tell; the report stays unusable (exit 2) with every problem on top.
            manifest, manifest_fatal = exc.partial, fatal
            manifest_path = manifest_path or exc.source
        else:
            manifest_fatal = None
        for note in manifest.notes:
            notes.append(finding("CJ401", note.zh, note.en, severity="info"))
        for slip in manifest.slips:
            notes.append(finding("CJ408", slip.message.zh, slip.message.en, line=slip.line))
        original = manifest
        manifest = _template_examples(manifest, manifest_path or "changju.yaml", notes)

        # ---------------------------------------------------------------- category
        name = options.category or manifest.category
        as_of = options.as_of or manifest.as_of or options.default_as_of or date.today()
        if not name and manifest_path is None:
            return _fatal_report(display, "CJ410", _no_manifest_msg(path), as_of=as_of)
        if not name:
            return _fatal_report(display, "CJ405", unknown_category_msg(rules, None), as_of=as_of)
        if manifest_path is None and options.in_batch:
            notes.append(
                finding(
                    "CJ412",
                    f"没有 changju.yaml：按 --category {name} 检查，清单中的事实都未知",
                    f"no changju.yaml: checked as --category {name}, with none of the manifest's facts",
                )
            )
        try:
            category = resolve_category(rules, name)
        except OfflineCategory as exc:
            return offline_report(display, exc.offline, as_of)
        except KeyError:
            line = manifest.line_of("category") if options.category is None else None  # from the manifest?
            report = _fatal_report(display, "CJ405", unknown_category_msg(rules, name), as_of=as_of, line=line)
            report.manifest = manifest_path
            return report

        routed = offline_by_fact(rules, category, manifest.fact)
        if routed is not None:
            report = offline_report(display, routed, as_of, because=True, line=manifest.line_of(sorted(routed.when.facts())[0]))
            report.manifest = manifest_path
            return report
        loaded = _Loaded(rules, category, manifest, manifest_path, as_of, notes,
                         examples=_examples_held(original, notes), original=original)
        report = _check(packet, loaded, options)
        report.packet = display
        report.fatal = manifest_fatal
        return report


def _template_examples(manifest, source: str, notes: list[Finding]):
    """CJ407 for every fact still holding the `init` template's example; those that decide whether
    a material is required count as not given, so an example never makes one "not applicable"."""
    from changju_check.rulebook import template

    flagged = template.example_values(manifest)
    for fact in flagged:
        shown = template.EXAMPLE_TEXT.get(fact) or template.EXAMPLE_TEXT.get(fact.rsplit(".", 1)[0], "")
        if fact == "applicant.equity.percent":
            shown = "35"
        condition = fact in template.CONDITION_FACTS
        notes.append(
            finding(
                "CJ407",
                f"{source} 中 {fact} 仍是 {prog()} init 模板的示例值（{shown}）；请改成真实情况或删去该行"
                + ("（检查时按未填写处理）" if condition else ""),
                f"{fact} in {source} still holds the {prog()} init template's example ({shown}); replace it with the real fact or delete the line"
                + (" (treated as not given)" if condition else ""),
                line=manifest.line_of(fact),
            )
        )
    empty = template.left_empty(manifest)
    if empty:
        notes.append(
            finding(
                "CJ407",
                f"{source} 中还有模板的空白项没有填写：{'、'.join(empty)}",
                f"{source} still has template items left empty: {', '.join(empty)}",
                line=manifest.line_of(empty[0]),
            )
        )
    scrub = [f for f in flagged if f in template.CONDITION_FACTS]
    return template.without_facts(manifest, scrub) if scrub else manifest


def _examples_held(manifest, notes: list[Finding]) -> dict:
    """Fact -> (its value, its CJ407) for each fact holding a template example."""
    from changju_check.rulebook import template

    out = {}
    for fact in template.example_values(manifest):
        note = next((n for n in notes if n.code == "CJ407" and f" {fact} " in n.message.zh), None)
        if note is not None:
            out[fact] = (template.value_of(manifest, fact), note)
    return out


def _examples_confirmed(loaded: _Loaded, facts) -> dict:
    """The template examples (fact -> (value, CJ407)) that a page of the packet says too (张三 read
    from the ID card is the applicant's name, not a leftover of the template)."""
    from changju_check.scan.facts import same_value

    read: dict[str, list] = {}
    for f in facts:
        read.setdefault(f.key, []).append(f.value)
    out = {}
    for fact, (value, note) in loaded.examples.items():
        if fact == "applicant.contract" and value is not None:
            pairs = (("applicant.contract.start", value.start), ("applicant.contract.end", value.end))
            if all(any(same_value(k, v, got) for got in read.get(k, [])) for k, v in pairs if v is not None):
                out[fact] = (value, note)
        elif any(same_value(fact, value, got) for got in read.get(fact, [])):
            out[fact] = (value, note)
    return out


def _no_manifest_msg(path: Path) -> Msg:
    """CJ410's words, naming a file meant as changju.yaml that is not read and how to fix it."""
    from changju_check.packet.names import near_manifest_name

    try:
        from changju_check.report.paths import native

        near = sorted(n for n in os.listdir(native(path)) if near_manifest_name(n)) if native(path).is_dir() else []
    except OSError:
        near = []
    zh = en = ""
    if near:
        name = near[0]
        if name.lower().endswith(".txt"):
            zh = (f" 找到了 {name}：记事本在隐藏扩展名时会自动加上 .txt。请在资源管理器中勾选“查看 → 文件扩展名”，"
                  f"把它改名为 changju.yaml（或用 {prog()} init 重新生成）。")
            en = (f" Found {name}: Notepad adds .txt when Explorer hides extensions. Turn on View → File name "
                  f"extensions in Explorer and rename it to changju.yaml (or write a new one with {prog()} init).")
        else:
            zh = f" 找到了 {name}，但它不会被读取：请改名为 changju.yaml。"
            en = f" Found {name}, which is not read: rename it to changju.yaml."
    return Msg(
        zh=f"没有 changju.yaml，类别未知：用 {prog()} init 写清单，或用 --category 指定类别。{zh}".rstrip(),
        en=f"no changju.yaml, so the category is unknown: write one with {prog()} init, or give --category.{en}",
    )


def _manifest_error_msg(exc) -> Msg:
    """The manifest's problems; the first one's file and line are the finding's own, not repeated."""
    parts: dict[str, list[str]] = {"zh": [], "en": []}
    for i, problem in enumerate(exc.problems[:20]):
        for lang in ("zh", "en"):
            where = ""
            if i > 0:
                where = f"{exc.source}:{problem.line}: " if problem.line is not None else f"{exc.source}: "
            field_ = f"{problem.field}: " if problem.field else ""
            parts[lang].append(where + field_ + problem.message.get(lang))
    if len(exc.problems) > 20:
        parts["zh"].append(f"… 另有 {len(exc.problems) - 20} 处问题")
        parts["en"].append(f"… and {len(exc.problems) - 20} more")
    return Msg(zh="\n".join(parts["zh"]), en="\n".join(parts["en"]))


def _read_capped(path: Path, cap: int = 1_000_001) -> bytes:
    """The manifest named by --manifest, opened without blocking: a FIFO with no writer, a
    device or a folder is refused before anything is read."""
    import os
    import stat

    from changju_check.packet.model import NotARegularFile

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotARegularFile("not a regular file")
        fh = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with fh:
        return fh.read(cap)


def _check(packet, loaded: _Loaded, options: CheckOptions) -> Report:
    previews = None
    if options.previews:
        # drawn in worker processes while this one inspects and checks the packet
        from changju_check.inspect.preview import start_previews

        previews = start_previews(packet.files, timeout=options.file_timeout)
    reader = None
    try:
        if options.read_scans is True and packet.files:
            from changju_check import scan

            if scan.available():
                from changju_check.scan import workers as reader

                reader.prestart()  # the OCR models load while the packet is inspected
        report = _check_packet(packet, loaded, options)
    except BaseException:
        if previews is not None:
            previews.cancel()
        raise
    finally:
        if reader is not None:
            reader.release_spare()
    if previews is not None:
        # the pages the report names are drawn (a 需人工确认's kept whatever the budget): the review
        # sheet shows them beside it and in the file's pages
        from changju_check.inspect.preview import named_pages, review_pages

        report.previews = previews.result(review_pages(report.findings), named_pages(report))
    return report


def _check_packet(packet, loaded: _Loaded, options: CheckOptions) -> Report:
    from changju_check.checks import CONSTRAINT_CHECKS, PACKET_CHECKS, presence
    from changju_check.engine.recognition import order_by_years, recognise_packet

    rules, category, manifest = loaded.rules, loaded.category, loaded.manifest
    findings: list[Finding] = list(loaded.notes) + list(packet.findings)
    recognition = recognise_packet(packet, loaded, options, _recogniser(rules, category))
    findings.extend(recognition.findings)
    ctx = recognition.ctx
    unmatched, ambiguous = recognition.unmatched, recognition.ambiguous
    findings.extend(_settle_facts(ctx, loaded))  # before the cross-checks: they use what is settled
    findings = [f for f in findings if not any(f is w for w in ctx.withdrawn)]
    findings.extend(_examine(ctx, recognition.page_texts, options))
    if ctx.uncertain & {"applicant.contract.start", "applicant.contract.end", "applicant.contract.open_ended"} and \
            not any(ctx.manifest.fact(k) for k in ("applicant.contract.start", "applicant.contract.end")):
        ctx.scan_contracts = {}  # a term a person must confirm decides nothing (CJ513 says so)
    order_by_years(ctx)  # the years the pages say are known now

    materials, missing = presence.checklist(ctx)
    findings.extend(missing)
    for section, item in ctx.items():
        for constraint in item.constraints:
            check = CONSTRAINT_CHECKS.get(constraint.type)
            if check is not None:
                findings.extend(check(ctx, section, item, constraint))
    for check in PACKET_CHECKS:
        findings.extend(check(ctx))

    findings = _filter(findings, options)
    findings, materials = _apply_waivers(findings, materials, manifest)
    report = Report(
        packet="",
        category=category.key,
        category_title=category.title,
        category_title_en=category.title_en,
        as_of=loaded.as_of,
        manifest=loaded.manifest_path,
        materials=materials,
        findings=_dedupe(findings),
        strict=options.strict,
    )
    report.bound = category.binding is not None
    report.evidence = list(ctx.evidence)
    report.facts = list(ctx.facts)
    report.unread = list(recognition.unread)
    from changju_check.scan.bridge import manifest_values

    report.manifest_facts = manifest_values(ctx)  # shown beside the facts read from the pages
    report.scans_read = options.read_scans is True  # asked for: the text report shows every fact read
    report.assigned = {m: list(paths) for m, paths in ctx.assigned.items()}
    report.unmatched = sorted(set(unmatched) | set(ambiguous))
    return report


_RECOGNISERS: dict[tuple[int, str], object] = {}


def _recogniser(rules: RuleSet, category: Category):
    """One recogniser per rule set and category, kept for the next packet of a batch."""
    from changju_check.recognise.names import Recogniser

    key = (id(rules), category.key)
    found = _RECOGNISERS.get(key)
    if found is None or found.category is not category:
        found = _RECOGNISERS[key] = Recogniser(rules.catalogue, category)
    return found


def _filter(findings: list[Finding], options: CheckOptions) -> list[Finding]:
    result = []
    for f in findings:
        if options.select is not None and not any(f.code.startswith(s) for s in options.select):
            continue
        if any(f.code.startswith(s) for s in options.ignore):
            continue
        result.append(f)
    return result


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen = set()
    result = []
    for f in sorted(findings, key=Finding.sort_key):
        key = (f.code, f.material, f.file, f.message, f.waived)
        if key in seen:
            continue
        seen.add(key)
        result.append(f)
    return result


def _apply_waivers(findings, materials, manifest):
    """Mark findings the manifest's `waive` entries accept; an unused waiver is CJ404."""
    from dataclasses import replace

    waivers = list(manifest.waive or [])
    used = [False] * len(waivers)
    item_materials = {m.id: set(m.accepted) | {m.id} for m in materials}
    out = []
    for f in findings:
        reason = None
        for i, w in enumerate(waivers):
            if w.code != f.code:
                continue
            if w.material is not None:
                names = item_materials.get(f.material or "", {f.material})
                if w.material != f.material and w.material not in names:
                    continue
            if w.file is not None and unicodedata.normalize("NFC", w.file) != f.file:
                continue
            reason = w.reason
            used[i] = True
            break
        out.append(replace(f, waived=reason) if reason is not None else f)
    waived_items = {f.material: f.waived for f in out if f.code == "CJ101" and f.waived is not None}
    materials = [
        replace(m, status="waived", waived=waived_items[m.id]) if m.id in waived_items and m.status == "missing" else m
        for m in materials
    ]
    for i, w in enumerate(waivers):
        if not used[i]:
            out.append(
                finding(
                    "CJ404",
                    f"waive 第{i + 1}条（{w.code}{' ' + w.material if w.material else ''}）没有对应任何检查结果",
                    f"waive entry {i + 1} ({w.code}{' ' + w.material if w.material else ''}) matches no finding",
                    line=manifest.line_of("waive", i),
                )
            )
    return out, materials


def _settle_facts(ctx, loaded: _Loaded) -> list[Finding]:
    """The manifest facts the pages print, with their sources (`Report.facts`); those the checks
    may use where the manifest is silent (`ctx.read`), and the reviews (CJ512, CJ513). A template
    example the pages confirm (张三 on the ID card) is the real fact: its CJ407 is withdrawn
    (`ctx.withdrawn`) and, where it was set aside as not given, it is given again."""
    from changju_check.rulebook import template
    from changju_check.scan.facts import decide, read_facts

    registration = ctx.category.key == "registration"  # its ID card is the contact person's
    heads = {p: (m, ctx.texts.get(p) or ctx.ocr_heads.get(p, ("", 0.0))[0],
                 1.0 if p in ctx.texts else ctx.ocr_heads.get(p, ("", 0.0))[1])
             for m, paths in ctx.assigned.items() for p in paths if m == "business_licence"}
    ctx.facts = read_facts(ctx.documents, ctx.evidence, applicant_materials=frozenset() if registration else None,
                           heads=heads)
    if loaded.examples:
        confirmed = _examples_confirmed(loaded, ctx.facts)
        ctx.withdrawn = [note for _, note in confirmed.values()]
        scrubbed = [f for f in loaded.examples if f in template.CONDITION_FACTS]
        if any(f in confirmed for f in scrubbed):
            keep_out = [f for f in scrubbed if f not in confirmed]
            ctx.manifest = template.without_facts(loaded.original, keep_out) if keep_out else loaded.original
    decision = decide(ctx.facts, ctx.manifest.fact)
    ctx.read = decision.chosen
    ctx.uncertain = decision.uncertain
    return decision.findings


def _examine(ctx, page_texts, options) -> list[Finding]:
    """What the documents' pages say, against the manifest, the file names and each other."""
    from changju_check.recognise.names import years_in
    from changju_check.scan.examine import PERSON_MATERIALS
    from changju_check.scan.textlayer import AUDIT, cross_checks, merge_evidence

    audit_texts = {p: (AUDIT, page_texts[p][0]) for p in ctx.files_of(AUDIT) if p in page_texts}
    docs = list(ctx.documents)
    files = {d.file for d in docs} | set(audit_texts)
    name_years = {p: years_in(PurePosixPath(p).name) for p in files}
    registration = ctx.category.key == "registration"  # its ID card is the contact person's
    holders = {p: None for p in ctx.files_of("id_card")} if registration else {}
    people = PERSON_MATERIALS - {"id_card"} if registration else PERSON_MATERIALS
    found, evidence, page_years, contract = cross_checks(
        docs, audit_texts, ctx.fact, ctx.as_of, name_years, holders=holders,
        show_personal=options.show_personal, applicant_materials=people)
    ctx.page_years.update(page_years)
    ctx.evidence = merge_evidence(evidence, ctx.evidence)
    if contract is not None and not ctx.scan_contracts:
        ctx.scan_contracts = contract
    return found
