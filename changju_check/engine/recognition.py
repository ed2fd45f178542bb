"""One recognition of a packet's files, for every command: which material each file is.

`recognise_packet` is the only place that decides it, in this order: the manifest's `materials`
mapping; the file's name (catalogue keywords, folders, a material the category files as another:
`counts_as`); the text layer of a file whose name says nothing, and the title of a real document on
its pages (CJ509); with `read_scans`, the OCR'd title of a file still undecided. `check`, `bundle`,
the batch summary, the review sheet and the JSON report all read the same `Recognition` (through
`check_packet`), so a file is the same material whatever the command, given the same
`RecognitionOptions` (the options that change what is read: `--read-scans`, `--scan-pages`,
`--no-cache`, `--file-timeout`, `--seals`).

Nothing here prints or exits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from changju_check.report import Finding


@dataclass
class Recognition:
    """What the files are, and what reading them gave on the way."""

    ctx: object  # checks.context.CheckContext: assigned (material -> files, natural order), files, texts, documents
    unmatched: list[str] = field(default_factory=list)
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)
    page_texts: dict[str, list[str]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    # files whose pages would have been read by default had the [scan] extra been installed
    unread: list[str] = field(default_factory=list)

    def material_of(self) -> dict[str, str]:
        """Packet path -> the material it was recognised as (files matching none are absent)."""
        return {p: m for m, paths in self.ctx.assigned.items() for p in paths}


def recognise_packet(packet, loaded, options, recogniser) -> Recognition:
    """Recognise and inspect every file of an open packet (`loaded`: rules, category, manifest,
    reference date; `options`: CheckOptions, of which the recognition options count here)."""
    from changju_check.checks.context import CheckContext
    from changju_check.inspect import inspect_files
    from changju_check.recognise.assign import (
        assign_by_name,
        assign_by_text,
        assign_explicit,
        entry_titles,
        recognition_findings,
    )
    from changju_check.scan.textlayer import facts_from, pages_wanted, split_pages

    rules, category, manifest = loaded.rules, loaded.category, loaded.manifest
    findings: list[Finding] = []

    assignment = assign_explicit(packet, manifest, category)
    findings.extend(assignment.findings)
    assign_by_name(packet, recogniser, assignment)

    need_text = set(assignment.unmatched) | {
        p for m in years_materials(category) for p in assignment.assigned.get(m, []) if not _name_has_year(p)
    }
    named_as = {p: m for m, paths in assignment.assigned.items() for p in paths}
    undecided = set(assignment.unmatched) | set(assignment.ambiguous)

    def text_pages_for(pf) -> int:
        # every real document's text layer is read (its first pages: the contract's term is on page 2)
        wanted = pages_wanted(None) if pf.path in undecided else pages_wanted(named_as.get(pf.path), rules.catalogue)
        return max(1 if pf.path in need_text else 0, wanted)

    inspect = options.memo.inspect if options.memo is not None else inspect_files  # type: ignore[attr-defined]
    infos = inspect(packet.files, timeout=options.file_timeout, text_pages_for=text_pages_for)
    texts: dict[str, str] = {}
    page_texts: dict[str, list[str]] = {}
    for path, info in infos.items():
        findings.extend(info.findings)
        if info.text:
            page_texts[path] = split_pages(info.text)
            texts[path] = page_texts[path][0]
    assign_by_text(recogniser, assignment, texts)
    reading = _recognise_documents(assignment, page_texts, rules, category)
    findings.extend(reading.findings)
    findings.extend(recognition_findings(rules, category, recogniser, assignment, infos))
    assigned = assignment.ordered(entry_titles(manifest, category))
    unmatched, ambiguous = list(assignment.unmatched), dict(assignment.ambiguous)

    ctx = CheckContext(
        rules=rules,
        category=category,
        manifest=manifest,
        manifest_path=loaded.manifest_path,
        as_of=loaded.as_of,
        files=infos,
        assigned=assigned,
        texts=texts,
        ambiguous=dict(ambiguous),
        explicit=set(assignment.explicit),
    )
    ctx.documents = facts_from(reading, page_texts)
    unread: list[str] = []
    # True: every scan (--read-scans); None: the pages whose reading can change the result (a file
    # not placed, a fact the manifest lacks - the default); False: none (--no-read-scans)
    if options.read_scans is not False:
        from changju_check.scan.bridge import read_packet_scans

        by_path = {pf.path: pf for pf in packet.files}
        findings.extend(read_packet_scans(ctx, by_path, options, packet_root=packet.root if packet.kind == "dir" else None,
                                          undecided=set(unmatched) | set(ambiguous), unread=unread))
        if ctx.moved_by_content:  # an OCR'd title decided what a file named nothing is
            findings = [f for f in findings if not (f.code in ("CJ103", "CJ104") and f.file in ctx.moved_by_content)]
            unmatched = [p for p in unmatched if p not in ctx.moved_by_content]
            ambiguous = {p: m for p, m in ambiguous.items() if p not in ctx.moved_by_content}
            ctx.ambiguous = dict(ambiguous)
            ctx.assigned = assignment_order(ctx.assigned, entry_titles(manifest, category))
    return Recognition(ctx=ctx, unmatched=unmatched, ambiguous=ambiguous, page_texts=page_texts, findings=findings,
                       unread=unread)


def years_materials(category) -> set[str]:
    """The materials of the category asked for several years (“2020、2021、2022 年度”)."""
    return {
        (c.material or m)
        for _, item in category.items()
        for c in item.constraints
        if c.type == "years"
        for m in item.all_materials()
    }


def order_by_years(ctx) -> None:
    """The files of a material of several years in year order (the years its pages say, else its
    name's): the guide's “2020、2021、2022 年度” is an order, and the book follows it."""
    from changju_check.recognise.assign import entry_titles
    from changju_check.recognise.order import natural_order

    titles = entry_titles(ctx.manifest, ctx.category)
    for m in years_materials(ctx.category):
        if len(ctx.assigned.get(m, [])) > 1:
            ctx.assigned[m] = natural_order(ctx.assigned[m], titles.get(m), ctx.years_of)


def assignment_order(assigned: dict[str, list[str]], titles: dict[str, list[str]]) -> dict[str, list[str]]:
    """Each material's files in their natural order (after a file moved by its OCR'd title)."""
    from changju_check.recognise.order import natural_order

    return {m: natural_order(paths, titles.get(m)) for m, paths in assigned.items()}


def _name_has_year(path: str) -> bool:
    from changju_check.recognise.names import years_in

    return bool(years_in(PurePosixPath(path).name))


def _recognise_documents(assignment, page_texts, rules, category):
    """Which real document each file's text layer holds; a title that says another material of
    the category (or a material where the name said none) moves the file there (CJ509)."""
    from changju_check.scan.textlayer import document_materials, recognise

    named_as = {p: m for m, paths in assignment.assigned.items() for p in paths}
    readable = document_materials(rules.catalogue)
    undecided = set(assignment.unmatched) | set(assignment.ambiguous)
    candidates = {p: t for p, t in page_texts.items() if p in undecided or named_as.get(p) in readable}
    reading = recognise(candidates, named_as, set(category.material_ids()), assignment.explicit, rules.catalogue,
                        alternatives(category))
    for path, (old, new) in reading.moved.items():
        if old is not None and path in assignment.assigned.get(old, []):
            assignment.assigned[old].remove(path)
            if not assignment.assigned[old]:
                del assignment.assigned[old]
        if path in assignment.unmatched:
            assignment.unmatched.remove(path)
        assignment.ambiguous.pop(path, None)
        assignment.add(new, path)
    return reading


def alternatives(category) -> dict[str, frozenset[str]]:
    """Material -> the materials of the checklist items it belongs to (a 认证书 is either the
    domestic report or the 留学服务中心 certificate: content choosing one of them is no contradiction)."""
    out: dict[str, set[str]] = {}
    for _, item in category.items():
        group = set(item.all_materials())
        for m in group:
            out.setdefault(m, set()).update(group)
    return {m: frozenset(g) for m, g in out.items()}
