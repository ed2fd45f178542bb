"""`check --read-scans`: which files to read for which facts, and what the checker does with them.

The reading itself (OCR, seals, the cache) is the optional extra `changju_check.scan`; this
module only turns the checker's context into scan requests and the scan's results back into
findings, evidence and facts for the other checks (a contract only on paper still gets
CJ201/CJ202; an audit report whose name gives no year gets its year from the page).
"""

from __future__ import annotations

from pathlib import PurePosixPath

from changju_check.report import Finding


def _kind(ctx, path: str) -> str | None:
    kind = ctx.kind(path)
    return kind if kind in ("pdf", "jpeg", "png") else None


# material -> the manifest facts its pages give: by default (no --read-scans) a scan is read only
# where one of them is missing from changju.yaml (a well-named packet with a full manifest reads none)
AUTO_FACTS = {
    "labor_contract": ("applicant.contract.start", "applicant.contract.end"),
    "id_card": ("applicant.name",),
    "passport": ("applicant.name",),
    "business_licence": ("unit.name",),
    "social_insurance_record": ("applicant.hired_on",),
}
# (a fact the material itself implies - a 完税证明 says tax was paid, a 学信网 report that the degree
# is domestic - is no reason to read: the name already gave it)


def _worth_reading(ctx, material: str, path: str, years_materials: set[str]) -> bool:
    """Whether reading a placed file's pages can change the result: a fact of changju.yaml its
    pages give and the manifest lacks (one the category uses), or the years of a record whose name
    and text layer say none."""
    uses = set(ctx.category.facts)
    written = ctx.manifest.lines  # a fact written in changju.yaml is given (even one set aside as an example)
    for key in AUTO_FACTS.get(material, ()):
        path = tuple(key.split("."))
        if path in written or path[:-1] in written and path[-2] == "contract":
            continue
        if (key in uses or key.rsplit(".", 1)[0] in uses) and ctx.manifest.fact(key) is None:
            if key.startswith("applicant.contract.") and (ctx.manifest.fact("applicant.contract.open_ended")):
                continue  # an open-ended contract in the manifest has its start or says so
            return True
    return material in years_materials and not ctx.years_of(path)


def plan_requests(ctx, by_path, options, undecided=()):
    """Scan requests: each assigned file for the facts its material's scan gives (and its layout,
    where the file has no text-layer document yet); each file whose name said nothing, for its
    title (recognition by content). `--scan-pages` caps the pages read; a layout says how many it
    needs (the 人社部 contract's term is on page 2). By default (`options.read_scans` None) only
    the files whose reading can change the result: those not placed, and those of `_worth_reading`."""
    from changju_check.scan import ScanRequest
    from changju_check.scan.textlayer import document_materials, pages_wanted, read_until

    catalogue = ctx.rules.catalogue.materials
    all_seals = options.seals == "all"
    seal_materials = {m for m in ctx.assigned if all_seals or catalogue.get(m) is not None and catalogue[m].seal}
    # the registration's contact ID belongs to the contact person, not to an applicant
    holder = None if ctx.category.key == "registration" else "applicant.name"
    read_as_documents = {d.file for d in ctx.documents}
    readable = document_materials(ctx.rules.catalogue)
    cap = max(1, options.scan_pages)
    requests = []
    auto = options.read_scans is None
    years_materials = {
        (c.material or m) for _, item in ctx.category.items() for c in item.constraints if c.type == "years"
        for m in item.all_materials()
    } if auto else set()

    def usable(path):
        info = ctx.files.get(path)
        return _kind(ctx, path) is not None and info is not None and info.ok  # a broken file has its CJ3xx

    for material, paths in sorted(ctx.assigned.items()):
        if material == "application_form":
            continue
        definition = catalogue.get(material)
        base = set(definition.scan) if definition is not None else set()
        if material in seal_materials:
            base.add("seal")
        for path in paths:
            if auto and (path in read_as_documents or not _worth_reading(ctx, material, path, years_materials)):
                continue
            want = set(base)
            if material in readable and path not in read_as_documents:
                want.add("document")
            if not want or not usable(path):
                continue
            requests.append(
                ScanRequest(
                    material=material,
                    file=path,
                    open=by_path[path].open,
                    kind=_kind(ctx, path),
                    want=frozenset(want),
                    pages=min(cap, max(1, pages_wanted(material, ctx.rules.catalogue))) if "document" in want or "contract" in want else 1,
                    holder=holder if material in ("id_card", "passport") else "applicant.name",
                    until=read_until(material, ctx.rules.catalogue),
                )
            )
    for path in sorted(undecided):
        if usable(path) and path not in read_as_documents:
            want = {"document", "seal"} if all_seals else {"document"}
            requests.append(ScanRequest(material="", file=path, open=by_path[path].open, kind=_kind(ctx, path),
                                        want=frozenset(want), pages=min(cap, pages_wanted(None))))
    return requests, seal_materials


# evidence fact -> the manifest fact it is compared with
MANIFEST_FACT = {
    "contract_start": "applicant.contract.start",
    "contract_end": "applicant.contract.end",
    "contract_open_ended": "applicant.contract.open_ended",
    "name": "applicant.name",
    "unit_name": "unit.name",
}


def manifest_values(ctx) -> dict[str, str]:
    """What the manifest says for each fact the scans can read (shown beside the evidence)."""
    values = {}
    for fact, name in MANIFEST_FACT.items():
        value = ctx.fact(name)
        if value is not None:
            values[fact] = str(value).lower() if isinstance(value, bool) else str(value)
    return values


def read_packet_scans(ctx, by_path, options, packet_root=None, undecided=(), unread=None) -> list[Finding]:
    from changju_check.recognise.names import years_in
    from changju_check.scan import available, cross_check, read_scans

    requests, seal_materials = plan_requests(ctx, by_path, options, undecided)
    if not requests:
        return []
    if options.read_scans is None and not available():
        if unread is not None:  # what reading would have added: the CLI says so, with the install command
            unread.extend(sorted({r.file for r in requests}))
        return []
    ctx.scans_read = True
    result = read_scans(
        requests,
        pages=options.scan_pages,
        cache=options.scan_cache,
        timeout=max(30.0, options.file_timeout),
        packet_root=packet_root,  # a cache directory inside the packet is refused
        progress=getattr(options, "progress", None),
    )
    findings = _documents_from_scans(ctx, result)
    if options.seals == "all":
        seal_materials |= set(ctx.moved_by_content.values())
    text_read = {d.file for d in ctx.documents if d.source == "text-layer"}
    # a file whose text layer was read already gave these facts (scan.textlayer): only its seal is new
    result.evidence = [ev for ev in result.evidence if ev.fact == "seal" or ev.file not in text_read]
    _seal_owners(ctx, result)
    name_years = {r.file: years_in(PurePosixPath(r.file).name) for r in requests}
    found, facts = cross_check(result, ctx.fact, ctx.as_of, name_years, seal_materials)
    findings += found + _issuer_seals(ctx, result, seal_materials)
    ctx.evidence = list(result.evidence)
    for ev in result.evidence:
        if ev.fact in ("year", "years") and not name_years.get(ev.file):
            ctx.scan_years[ev.file] = tuple(sorted(int(y) for y in ev.value.split(",") if y.strip().isdigit()))
    if facts.has_contract:
        ctx.scan_contracts = facts.contract()
    return findings


def _documents_from_scans(ctx, result) -> list[Finding]:
    """The layouts on the OCR'd pages: documents for the cross-checks, and recognition by content
    of the files whose names said nothing (CJ509)."""
    from changju_check.rulebook import codes
    from changju_check.scan.documents import facts_of
    from changju_check.scan.layout import read_document
    from changju_check.scan.textlayer import ocr_confidence

    catalogue = ctx.rules.catalogue
    findings: list[Finding] = []
    pages: dict[tuple[str, str], list] = {}
    for page in result.pages:
        if page.source == "ocr" or (page.source == "text-layer" and page.material == ""):
            pages.setdefault((page.material, page.file), []).append(page)
    known = {d.file for d in ctx.documents}
    category_materials = set(ctx.category.material_ids())
    titles = {m: d.title for m, d in catalogue.materials.items()}
    for (material, file), got in sorted(pages.items()):
        if file in known:
            continue
        got.sort(key=lambda pg: pg.page)
        texts = [pg.text for pg in got]
        if got and got[0].source == "ocr":
            ctx.ocr_heads[file] = (got[0].text, min(got[0].scores, default=0.0))
        doc = read_document(texts)
        if doc is not None and material and material not in catalogue.filed_as(doc.layout.materials) and file in ctx.explicit:
            doc = read_document(texts, materials=catalogue.filed_from(material))  # the manifest says what the file is
        if doc is None:
            found = _by_title(ctx, file, got, result) if not material else []
            if found:
                _relabel(result, file, ctx.moved_by_content[file])
                findings += found
            continue
        if material not in catalogue.filed_as(doc.layout.materials):
            target = catalogue.filed_in(doc.layout.materials, category_materials)  # as the text layer's (textlayer.recognise)
            if target is None:
                continue
            if material:
                ctx.assigned[material] = [p for p in ctx.assigned.get(material, []) if p != file]
                if not ctx.assigned[material]:
                    del ctx.assigned[material]
                zh = (f"文件名对应“{titles.get(material, material)}”，但识别出页面标题为《{doc.layout.title}》，"
                      f"按“{titles.get(target, target)}”计")
                en = f"the name suggests {material}, but the page's title (read by OCR) is '{doc.layout.title_en}': counted as {target}"
            else:
                zh = f"文件名未说明材料，识别出页面标题为《{doc.layout.title}》，按“{titles.get(target, target)}”计"
                en = f"the name says nothing; the page's title (read by OCR) is '{doc.layout.title_en}', counted as {target}"
            ctx.assigned.setdefault(target, []).append(file)
            ctx.moved_by_content[file] = target
            same_item = any(material in set(item.all_materials()) and target in set(item.all_materials())
                            for _, item in ctx.category.items())
            findings.append(codes.finding("CJ514" if material and not same_item else "CJ509", zh, en,
                                          material=target, file=file))
            _relabel(result, file, target)
            material = target
        facts = facts_of(doc, material, file, confidence=ocr_confidence(doc, got), source="ocr", page_texts=texts)
        ctx.documents.append(facts)
        known.add(file)
    return findings


def _by_title(ctx, file: str, got: list, result) -> list[Finding]:
    """A file whose name said nothing and whose page is no layout's (申报承诺书, 诚信声明, 学位证书, a
    passport, an audit report …): its material from the title the page starts with, as a text
    layer's is matched (the catalogue's keywords); then what that material's pages give (a passport's
    name and expiry, an audit report's year), read from the same OCR'd lines."""
    from changju_check.recognise.names import Recogniser
    from changju_check.report import Evidence
    from changju_check.rulebook import codes
    from changju_check.scan.reader import _facts as facts_on_page

    text = next((pg.text for pg in got if pg.text.strip()), "")
    if not text:
        return []
    match = Recogniser(ctx.rules.catalogue, ctx.category).match_text(text, file)
    if len(match.materials) != 1:
        return []
    target = match.materials[0]
    definition = ctx.rules.catalogue.materials[target]
    ctx.assigned.setdefault(target, []).append(file)
    ctx.moved_by_content[file] = target
    wants = frozenset(definition.scan or ()) - {"seal"}
    have: set[str] = set()
    for pg in got:
        lines = list(zip(pg.text.split("\n"), pg.scores))
        for fact, value, confidence in facts_on_page(wants, lines, have) if wants and lines else ():
            have.add(fact)
            result.evidence.append(Evidence(target, file, pg.page, fact, value, confidence))
    return [codes.finding("CJ509", f"文件名未说明材料，页面标题（文字识别）表明是“{definition.title}”，按此材料计",
                          f"the name says nothing; the page's title (read by OCR) says '{match.keyword}': counted as {target}",
                          material=target, file=file)]


def _relabel(result, file: str, material: str) -> None:
    """What was read from a file whose OCR'd title decided its material, under that material."""
    from dataclasses import replace

    result.pages = [replace(pg, material=material) if pg.file == file else pg for pg in result.pages]
    result.files = [replace(fr, material=material) if fr.file == file else fr for fr in result.files]
    # (a layout's facts come as a document; those read for the material its title gave are kept)
    result.evidence = [replace(ev, material=material) for ev in result.evidence
                       if ev.file == file and (ev.fact == "seal" or ev.material == material)] + [
        ev for ev in result.evidence if ev.file != file]
    result.findings = [replace(f, material=material) if f.file == file else f for f in result.findings]


def _issuer(ctx, file: str) -> str | None:
    return next((d.issuer for d in ctx.documents if d.file == file and d.issuer), None)


def _seal_owners(ctx, result) -> None:
    """A seal's owner is not read from its ring: on a downloaded record it is the issuer's; elsewhere
    it is said as found, owner not verified."""
    from dataclasses import replace

    out = []
    for ev in result.evidence:
        if ev.fact == "seal":
            issuer = _issuer(ctx, ev.file)
            ev = replace(ev, value=f"found: {issuer} (issuer)" if issuer else "found, owner not verified")
        out.append(ev)
    result.evidence = out


def _issuer_seals(ctx, result, seal_materials) -> list[Finding]:
    """CJ503: where the unit's seal is asked for (--seals all: every attachment), the printed seal
    of the issuing office (社保中心, 税务局, 市场监管局 …) on a downloaded record is not the unit's."""
    from changju_check.rulebook import codes

    out = []
    for page in result.pages:
        if page.page != 1 or not page.seals or page.material not in seal_materials:
            continue
        issuer = _issuer(ctx, page.file)
        if issuer:
            out.append(codes.finding(
                "CJ503",
                f"首页的红章是出具机关（{issuer}）打印的印章，不是申报单位的公章；装订的复印件须另加盖单位公章。",
                f"the red seal on the first page is the issuing office's ({issuer}), printed on the record - not the "
                "unit's seal; stamp the bound copy with the unit's seal.",
                material=page.material, file=page.file, page=page.page))
    return out
