"""How well the readers read: precision and recall per document kind and fact, false passes and
false failures per check, over the project's own corpus of real-layout documents.

    python bench/accuracy.py                 # the table (Markdown) and bench/accuracy_results.json
    python bench/accuracy.py --no-ocr        # text layers only (no [scan] extra needed)

The corpus and its ground truth live beside their generators: `tests/realdocs/corpus/` with
`expected.yaml` (`tests/realdocs/make_corpus.py`: text-layer PDFs, printed-and-scanned copies,
phone photos) and `tests/scans/` with `expected.yaml` (`tests/scans/make_corpus.py`: scans and photos
of contracts, ID cards, a passport, audit reports, a tax record, a licence).

Three measures:

1. **Facts** — each file read as `changju check` reads it (its text layer; OCR for images and
   image-only PDFs) and every fact its ground truth names compared: a fact read right is a true
   positive, read wrong a false positive (and a miss), not read a miss. Precision = right / read,
   recall = right / expected, per document kind and fact.
2. **Confidence** — every fact read, right or wrong, with the confidence the reader gave it: the
   share right at and above `scan.facts.CONFIDENT` (the threshold a fact needs to decide a check
   the manifest is silent on; below it the check is a review, 需人工确认) and below it. This is
   what the threshold was chosen from.
3. **Checks** — each corpus file that must raise a code (or must not) put into a youth or
   registration packet in place of its kind's file, the packet checked: a code that should fire and
   does not is a false pass, a code that fires on a correct document a false failure.

Nothing is timed here; OCR results are cached (the user cache, or CHANGJU_CACHE_DIR).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REALDOCS = ROOT / "tests" / "realdocs" / "corpus"
SCANS = ROOT / "tests" / "scans"
RESULTS = Path(__file__).resolve().parent / "accuracy_results.json"
IMAGES = (".jpg", ".jpeg", ".png")


# ---------------------------------------------------------------------------- reading one file


def _text_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    try:
        return [(p.extract_text() or "") for p in PdfReader(path).pages[:3]]
    except Exception:  # noqa: BLE001 - an unreadable page is a miss, not a crash
        return []


def _ocr(paths: list[Path], wants: dict[str, frozenset[str]]) -> dict[str, tuple[list, list]]:
    """name -> (pages read, evidence) by the [scan] extra's reader (cached)."""
    from changju_check.scan import ScanRequest, read_scans

    requests = [
        ScanRequest(material="", file=p.name, open=(lambda p=p: open(p, "rb")),
                    kind="pdf" if p.suffix == ".pdf" else "jpeg" if p.suffix in (".jpg", ".jpeg") else "png",
                    want=wants[p.name], pages=3)
        for p in paths
    ]
    result = read_scans(requests, pages=3, timeout=600)
    out: dict[str, tuple[list, list]] = {p.name: ([], []) for p in paths}
    for page in sorted(result.pages, key=lambda pg: (pg.file, pg.page)):
        out[page.file][0].append(page)
    for ev in result.evidence:
        out[ev.file][1].append(ev)
    return out


def _facts_of_pages(name: str, texts: list[str], pages=None) -> dict[str, tuple[object, float]]:
    """What the check's own readers make of a file's pages (`pages`: the OCR'd PageReads, None for a
    text layer): fact -> (value, confidence)."""
    from changju_check.rulebook.load import load_rules
    from changju_check.scan.documents import facts_of
    from changju_check.scan.extract import extract_audit_year
    from changju_check.scan.layout import read_document
    from changju_check.scan.textlayer import ocr_confidence

    got: dict[str, tuple[object, float]] = {}
    doc = read_document(texts) if any(t.strip() for t in texts) else None
    if doc is not None:
        confidence = ocr_confidence(doc, pages) if pages else 1.0
        f = facts_of(doc, doc.layout.material, name, confidence=confidence, page_texts=texts)
        got["kind"] = (doc.layout.kind, confidence)
        if f.contract is not None:
            start, end, opened = f.contract
            if start:
                got["start"] = (start.isoformat(), confidence)
            if end:
                got["end"] = (end.isoformat(), confidence)
            if opened:
                got["open_ended"] = (True, confidence)
        if f.expiry is not None:
            got["expiry"] = (f.expiry.isoformat() if isinstance(f.expiry, date) else str(f.expiry), confidence)
        if f.years:
            got["years"] = (list(f.years), confidence)
        if f.issued:
            got["issued"] = (f.issued.isoformat(), confidence)
        if f.licence_end is not None:
            got["term_end"] = (f.licence_end.isoformat() if isinstance(f.licence_end, date) else str(f.licence_end), confidence)
        if f.salary_months is not None:
            got["salary_months"] = (f.salary_months, confidence)
        if f.si_periods:
            got["first"] = (str(f.si_periods[-1].start).replace("-", ""), confidence)
            got["last"] = (str(f.si_periods[-1].end).replace("-", ""), confidence)
        if f.person_name:
            got["name"] = (f.person_name, confidence)
        if f.unit_name:
            got["unit_name"] = (f.unit_name, confidence)
        code = f.values.get("verification_code")
        if code:
            got["code"] = (code, confidence)
        return got
    head = next((t for t in texts if t.strip()), "")
    if head:
        year = extract_audit_year(head)
        if year is not None and "审计报告" in "".join(head.split())[:200]:
            every = [score for pg in pages or () for score in pg.scores]
            got["year"] = (year.year, min(every) if every else 1.0)
        rules = load_rules()
        from changju_check.recognise.names import Recogniser

        for category in ("youth", "registration"):  # the person's materials, then the unit's registration
            match = Recogniser(rules.catalogue, rules.categories[category]).match_text(head, name)
            if match.material:
                break
        if match.material:
            got["material"] = (match.material, 1.0)
        from changju_check.scan.facts import read_facts

        heads = {name: (match.material or "", head, 1.0)}
        for fact in read_facts([], heads=heads):
            if fact.key == "unit.type":
                got["unit_type"] = (fact.value, fact.confidence)
    return got


def _norm(value) -> str:
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "".join(str(value).split()).upper()


# ---------------------------------------------------------------------------- the corpus


FACT_KEYS = ("kind", "start", "end", "open_ended", "expiry", "years", "issued", "term_end", "salary_months",
             "first", "last", "year", "code", "material", "name", "unit_name", "contract_start", "contract_end",
             "contract_open_ended", "unit_type")


def _realdocs(ocr: bool):
    """(file, kind, source, truth, read) for the realdocs corpus."""
    import yaml

    expected = yaml.safe_load((REALDOCS / "expected.yaml").read_text(encoding="utf-8"))
    images = [REALDOCS / n for n in expected if (REALDOCS / n).suffix in IMAGES or expected[n].get("variant")]
    scanned = _ocr(images, {p.name: frozenset({"document"}) for p in images}) if ocr and images else {}
    for name, truth in sorted(expected.items()):
        truth = {k: v for k, v in truth.items() if k in FACT_KEYS}
        if not truth:
            continue
        path = REALDOCS / name
        variant = expected[name].get("variant")
        if variant is None:
            read = _facts_of_pages(name, _text_pages(path))
            source = "text layer"
        elif not ocr:
            continue
        else:
            pages, _ = scanned.get(name, ([], []))
            read = _facts_of_pages(name, [pg.text for pg in pages], pages)
            source = {"phone": "phone photo", "poor": "poor photo"}.get(variant, "scan")
        kind = truth.get("kind") or expected.get(expected[name].get("source", ""), {}).get("kind") or _kind_of(name)
        yield name, kind, source, truth, read


def _kind_of(name: str) -> str:
    prefixes = {"si_": "social_insurance_record", "iit_": "iit_record", "contract": "labor_contract",
                "id_card": "id_card", "licence": "business_licence", "high_tech": "high_tech_certificate",
                "chsi": "chsi_record", "cscse": "cscse_certificate", "audit": "audit_report", "tax_clearance":
                "tax_clearance_certificate", "tax_": "tax_payment_certificate", "degree_report": "degree_report",
                "commitment": "commitment_letter", "personal_integrity": "personal_integrity_statement",
                "degree_certificate": "degree_certificate", "institution": "business_licence"}
    return next((kind for prefix, kind in prefixes.items() if name.startswith(prefix)), "other")


def _scans(ocr: bool):
    """(file, kind, source, truth, read) for tests/scans: the reader's own extractors (evidence)."""
    import yaml

    if not ocr:
        return
    files = yaml.safe_load((SCANS / "expected.yaml").read_text(encoding="utf-8"))["files"]
    chosen = {n: f for n, f in files.items() if f.get("facts")}
    paths = [SCANS / n for n in chosen]
    scanned = _ocr(paths, {n: frozenset(w for w in f["want"] if w != "seal") for n, f in chosen.items()})
    kinds = {"contract": "labor_contract", "identity": "id_card / passport", "audit_year": "audit_report",
             "iit_years": "iit_record", "licence_name": "business_licence"}
    for name, spec in sorted(chosen.items()):
        _, evidence = scanned[name]
        read = {ev.fact: (ev.value, ev.confidence) for ev in evidence}
        kind = kinds.get(next(w for w in spec["want"] if w != "seal"), "other")
        source = "text layer" if name == "contract_text_layer.pdf" else "scan"
        yield name, kind, source, spec["facts"], read


# ---------------------------------------------------------------------------- measures


def measure_facts(rows):
    table: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: {"expected": 0, "read": 0, "right": 0})
    by_confidence: list[tuple[float, bool, str]] = []
    misses = []
    for name, kind, source, truth, read in rows:
        for fact, value in truth.items():
            cell = table[(kind, fact)]
            cell["expected"] += 1
            got = read.get(fact)
            if got is None:
                misses.append(f"{name}: {fact} not read")
                continue
            cell["read"] += 1
            right = _norm(got[0]) == _norm(value)
            cell["right"] += right
            by_confidence.append((float(got[1]), right, f"{name}:{fact}"))
            if not right:
                misses.append(f"{name}: {fact} read {got[0]!r}, is {value!r} (confidence {got[1]})")
    return table, by_confidence, misses


def confidence_table(by_confidence, threshold: float):
    above = [r for c, r, _ in by_confidence if c >= threshold]
    below = [r for c, r, _ in by_confidence if c < threshold]
    return {
        "threshold": threshold,
        "at_or_above": {"facts": len(above), "right": sum(above)},
        "below": {"facts": len(below), "right": sum(below)},
        "lowest_right": min((c for c, r, _ in by_confidence if r), default=None),
        "highest_wrong": max((c for c, r, _ in by_confidence if not r), default=None),
    }


# the slot of each document kind in the test packets (youth; registration for the unit's documents)
SLOTS = {
    "social_insurance_record": ("youth", "2-申报人材料/社保缴费记录.pdf"),
    "iit_record": ("youth", "2-申报人材料/个税2021-2022.pdf"),
    "labor_contract": ("youth", "2-申报人材料/劳动合同.pdf"),
    "id_card": ("youth", "2-申报人材料/身份证.pdf"),
    "chsi_record": ("youth", "2-申报人材料/学信网学历认证报告.pdf"),
    "business_licence": ("registration", "1-营业执照.pdf"),
    "high_tech_certificate": ("registration", "2-高新技术企业证书.pdf"),
    "tax_payment_certificate": ("registration", "4-2022年度完税证明.pdf"),
}
CROSS_CHECKS = ("CJ201", "CJ202", "CJ209", "CJ501", "CJ502", "CJ505", "CJ506", "CJ507", "CJ508", "CJ511")


def measure_checks(tmp: Path, ocr: bool = True):
    """Per code: (should fire, fired) over the corpus files that say which codes they must raise."""
    import yaml

    from tests.packets import check, codes
    from tests.realdocs.test_check_realdocs import registration, youth

    expected = yaml.safe_load((REALDOCS / "expected.yaml").read_text(encoding="utf-8"))
    per_code: dict[str, dict[str, int]] = defaultdict(lambda: {"cases": 0, "false_pass": 0, "false_failure": 0})
    notes = []
    cases = [("(the correct packets)", None, [])]
    for name, truth in sorted(expected.items()):
        if "codes" in truth or "invalid" in truth:
            cases.append((name, _kind_of(name), truth.get("codes") or (["CJ511"] if "invalid" in truth else [])))
    # the correct packet again, its documents photographed or scanned and named anyhow (recognised
    # by their OCR'd titles, read by default): no cross-check may fire
    if ocr:
        cases.append(("(the correct packet, scanned and named anyhow)", "scans", []))
    for i, (name, kind, must) in enumerate(cases):
        if kind == "scans":
            packet = youth(tmp / "scans", **{"社保缴费记录.pdf": None, "IMG_2031.jpg": "IMG_2031.jpg",
                                             "个税2021-2022.pdf": None, "mmexport1692070312345.jpg": "mmexport1692070312345.jpg",
                                             "劳动合同.pdf": None, "扫描件005.pdf": "扫描全能王 2023-08-15 10.32.pdf",
                                             "身份证.pdf": None, "IMG_20230812_101602.jpg": "id_card_scan.jpg"})
            reports = [check(packet, read_scans=None, file_timeout=600)]
        elif kind is None:
            reports = [check(youth(tmp / "ok-youth")), check(registration(tmp / "ok-registration"))]
        else:
            category, slot = SLOTS.get(kind, (None, None))
            if category is None:
                continue
            build = youth if category == "youth" else registration
            packet = build(tmp / f"case{i}")
            (packet / slot).write_bytes((REALDOCS / name).read_bytes())
            reports = [check(packet)]
        fired = {c for r in reports for c in codes(r) if c in CROSS_CHECKS}
        for code in CROSS_CHECKS:
            should = code in must
            if not should and code not in fired and kind not in (None, "scans"):
                continue  # (a correct packet counts as a case of every check: none may fire)
            cell = per_code[code]
            cell["cases"] += 1
            if should and code not in fired:
                cell["false_pass"] += 1
                notes.append(f"{name}: {code} should fire and does not")
            if code in fired and not should:
                cell["false_failure"] += 1
                notes.append(f"{name}: {code} fires on a correct document")
    return dict(per_code), notes


# ---------------------------------------------------------------------------- output


def markdown(table, confidence, checks) -> str:
    """Per document kind and source: the facts compared, precision and recall (per fact in the JSON;
    a fact below 100 % is named in the row)."""
    rows: dict[tuple[str, str], dict] = {}
    for (kind, source, fact), cell in sorted(table.items()):
        row = rows.setdefault((kind, source), {"facts": [], "expected": 0, "read": 0, "right": 0})
        weak = cell["right"] < cell["expected"] or cell["right"] < cell["read"]
        row["facts"].append(f"**{fact}** {cell['right']}/{cell['expected']}" if weak else fact)
        for key in ("expected", "read", "right"):
            row[key] += cell[key]
    lines = ["| document kind | source | facts | expected | read | right | precision | recall |",
             "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for (kind, source), row in rows.items():
        p = row["right"] / row["read"] if row["read"] else None
        r = row["right"] / row["expected"] if row["expected"] else None
        lines.append(f"| {kind} | {source} | {', '.join(row['facts'])} | {row['expected']} | {row['read']} | {row['right']} | "
                     f"{'—' if p is None else f'{p:.0%}'} | {'—' if r is None else f'{r:.0%}'} |")
    c = confidence
    lines += ["", f"Facts read at confidence ≥ {c['threshold']}: {c['at_or_above']['right']}/{c['at_or_above']['facts']} right; "
              f"below: {c['below']['right']}/{c['below']['facts']} right (lowest confidence of a right fact "
              f"{c['lowest_right']}, highest of a wrong one {c['highest_wrong']}).", "",
              "| check | cases | false passes | false failures |", "| --- | ---: | ---: | ---: |"]
    for code, cell in sorted(checks.items()):
        lines.append(f"| {code} | {cell['cases']} | {cell['false_pass']} | {cell['false_failure']} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-ocr", action="store_true", help="text layers only")
    ap.add_argument("--no-checks", action="store_true", help="skip the per-check measure")
    args = ap.parse_args(argv)
    from changju_check import scan
    from changju_check.scan.facts import CONFIDENT

    ocr = not args.no_ocr and scan.available()
    rows = list(_realdocs(ocr)) + list(_scans(ocr))
    table_by_source: dict[tuple[str, str, str], dict[str, int]] = {}
    for name, kind, source, truth, read in rows:
        t, _, _ = measure_facts([(name, kind, source, truth, read)])
        for (k, fact), cell in t.items():
            acc = table_by_source.setdefault((k, source, fact), {"expected": 0, "read": 0, "right": 0})
            for key in acc:
                acc[key] += cell[key]
    _, by_confidence, misses = measure_facts(rows)
    confidence = confidence_table(by_confidence, CONFIDENT)
    checks, check_notes = {}, []
    if not args.no_checks:
        tmp = Path(tempfile.mkdtemp(prefix="changju-accuracy-"))
        try:
            checks, check_notes = measure_checks(tmp, ocr)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    print(markdown(table_by_source, confidence, checks))
    for note in misses + check_notes:
        print("  -", note)
    RESULTS.write_text(json.dumps({
        "ocr": ocr,
        "facts": [{"kind": k, "source": s, "fact": f, **cell} for (k, s, f), cell in sorted(table_by_source.items())],
        "confidence": confidence,
        "checks": checks,
        "threshold_from": "every fact read at or above the threshold was right; no right fact was read below it",
        "misses": misses + check_notes,
    }, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
