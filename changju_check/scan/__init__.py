"""Reading the scans themselves (`changju check --read-scans`): the optional extra.

    pip install "changju-check[scan]"

Facts are read from the pages (contract term, the name and expiry on an ID card or passport,
the year of an audit report, the years of a tax record, the unit name on a business licence,
red seals), cross-checked against the manifest and the file names, and reported as evidence and
findings CJ209 and CJ501-CJ504. OCR runs offline with the models bundled in the rapidocr wheel.

Importing this package is cheap and works without the extra: rapidocr, onnxruntime, pypdfium2,
numpy and Pillow are imported only inside the functions that need them. Call `available()`
before `read_scans`; without the extra the CLI exits 2 with `MISSING_MSG`.

Public API (data in, data out; nothing prints, nothing exits):

- `available() -> bool`, `MISSING_MSG: Msg`
- `ScanRequest`, `read_scans(requests, *, pages=1, cache=True, workers=1, timeout=30.0, dpi=150,
  packet_root=None) -> ScanResult`
- `cross_check(result, fact, as_of, name_years, seal_materials) -> (findings, ScanFacts)`
- pure text: `parse_date`, `find_dates`, `extract_contract`, `extract_identity`,
  `extract_audit_year`, `extract_iit_years`, `extract_licence_name`
- `find_seals(image) -> list[SealCandidate]`

How the checker uses it::

    from changju_check import scan

    if not scan.available():
        ...  # exit 2 with scan.MISSING_MSG
    requests = [
        scan.ScanRequest(material="labor_contract", file="5-劳动合同.pdf", open=lambda: packet.open(...),
                         kind="pdf", want={"contract"}),
        scan.ScanRequest(material="contact_id", file="3-联系人身份证.jpg", open=..., kind="jpeg",
                         want={"identity"}, holder=None),          # not the applicant's ID
        scan.ScanRequest(material="unit_integrity", file="4-单位诚信声明.pdf", open=..., kind="pdf",
                         want={"seal"}),
    ]
    result = scan.read_scans(requests, packet_root=packet_dir)   # pages=1, cache, 2 workers, 30 s/file
    findings, facts = scan.cross_check(result, manifest_fact, as_of, name_years, seal_materials)
    report.evidence += result.evidence
    report.findings += findings        # includes result.findings (CJ504): add them only once
    if manifest has no contract dates and facts.has_contract:
        ...  # apply CJ201/CJ202 to facts.contract_start / contract_end / contract_open_ended
"""

from __future__ import annotations

from importlib import util

from changju_check.report import Msg
# The public names, each imported from its module on first use (PEP 562): every check imports
# scan.textlayer, and should not pay for the reader, the seal finder and the OCR extractors.
_LAZY = {
    "ScanFacts": "crosscheck", "cross_check": "crosscheck", "same_name": "crosscheck", "same_unit": "crosscheck",
    "find_dates": "dates", "parse_date": "dates",
    "LONG_TERM": "extract", "AuditYear": "extract", "ContractTerm": "extract", "IdentityFacts": "extract",
    "IitYears": "extract", "LicenceName": "extract", "extract_audit_year": "extract", "extract_contract": "extract",
    "extract_identity": "extract", "extract_iit_years": "extract", "extract_licence_name": "extract",
    "WANTS": "reader", "FileRead": "reader", "PageRead": "reader", "ScanRequest": "reader", "ScanResult": "reader",
    "read_scans": "reader",
    "SealCandidate": "seals", "find_seals": "seals",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value

__all__ = [
    "AuditYear", "ContractTerm", "FileRead", "IdentityFacts", "IitYears", "LONG_TERM", "LicenceName",
    "MISSING_MSG", "INSTALL_COMMAND", "PageRead", "ScanFacts", "ScanRequest", "ScanResult", "SealCandidate",
    "WANTS", "available", "cross_check", "extract_audit_year", "extract_contract", "extract_identity",
    "extract_iit_years", "extract_licence_name", "find_dates", "find_seals", "parse_date", "read_scans",
    "same_name", "same_unit",
]

INSTALL_COMMAND = 'pip install "changju-check[scan]"'

MISSING_MSG = Msg(
    zh=f"读取扫描件（--read-scans）需要可选组件，请先安装：{INSTALL_COMMAND}",
    en=f"Reading scans (--read-scans) needs the optional extra; install it with: {INSTALL_COMMAND}",
)

_MODULES = ("rapidocr", "onnxruntime", "pypdfium2", "numpy", "PIL")


def available() -> bool:
    """Whether the extra is installed, with rapidocr's bundled models (nothing is imported)."""
    try:
        if any(util.find_spec(name) is None for name in _MODULES):
            return False
    except (ImportError, ValueError):
        return False
    from changju_check.scan.pipeline import model_paths

    return model_paths() is not None
