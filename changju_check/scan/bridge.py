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


def plan_requests(ctx, by_path, options):
    from changju_check.scan import ScanRequest

    catalogue = ctx.rules.catalogue.materials
    all_seals = options.seals == "all"
    seal_materials = {m for m in ctx.assigned if all_seals or catalogue.get(m) is not None and catalogue[m].seal}
    # the registration's contact ID belongs to the contact person, not to an applicant
    holder = None if ctx.category.key == "registration" else "applicant.name"
    requests = []
    for material, paths in sorted(ctx.assigned.items()):
        if material == "application_form":
            continue
        definition = catalogue.get(material)
        want = set(definition.scan) if definition is not None else set()
        if material in seal_materials:
            want.add("seal")
        if not want:
            continue
        for path in paths:
            info = ctx.files.get(path)
            kind = _kind(ctx, path)
            if kind is None or info is None or not info.ok:
                continue  # a broken file already has its CJ3xx finding
            requests.append(
                ScanRequest(
                    material=material,
                    file=path,
                    open=by_path[path].open,
                    kind=kind,
                    want=frozenset(want),
                    pages=options.scan_pages,
                    holder=holder if material in ("id_card", "passport") else "applicant.name",
                )
            )
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


def read_packet_scans(ctx, by_path, options, packet_root=None) -> list[Finding]:
    from changju_check.recognise.names import years_in
    from changju_check.scan import cross_check, read_scans

    requests, seal_materials = plan_requests(ctx, by_path, options)
    if not requests:
        return []
    result = read_scans(
        requests,
        pages=options.scan_pages,
        cache=options.scan_cache,
        timeout=max(30.0, options.file_timeout),
        packet_root=packet_root,  # a cache directory inside the packet is refused
    )
    name_years = {r.file: years_in(PurePosixPath(r.file).name) for r in requests}
    findings, facts = cross_check(result, ctx.fact, ctx.as_of, name_years, seal_materials)
    ctx.evidence = list(result.evidence)
    for ev in result.evidence:
        if ev.fact in ("year", "years") and not name_years.get(ev.file):
            ctx.scan_years[ev.file] = tuple(sorted(int(y) for y in ev.value.split(",") if y.strip().isdigit()))
    if facts.has_contract:
        ctx.scan_contracts = {
            "start": facts.contract_start,
            "end": facts.contract_end,
            "open_ended": bool(facts.contract_open_ended),
            "source": f"{facts.contract_file} p.{facts.contract_page}",
        }
    return findings
