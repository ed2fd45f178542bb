"""The manifest (`changju.yaml`): its typed model (model.py), what can be wrong with it
(problems.py), reading it (load.py) and the strict, safe YAML reader under it (safeyaml.py).

`parse_manifest(bytes)` / `load_manifest(path)` return a `Manifest` or raise `ManifestError`
listing every problem with its line. Imports `report/` only.
"""

from changju_check.manifest.load import load_manifest, parse_manifest
from changju_check.manifest.model import (
    FACT_NAMES,
    MANIFEST_NAME,
    Applicant,
    Contract,
    Entries,
    Entry,
    Equity,
    Manifest,
    Unit,
    Waiver,
    manifest_json_schema,
    parse_date,
)
from changju_check.manifest.problems import ManifestError, ManifestProblem

__all__ = [
    "FACT_NAMES",
    "MANIFEST_NAME",
    "Applicant",
    "Contract",
    "Entries",
    "Entry",
    "Equity",
    "Manifest",
    "ManifestError",
    "ManifestProblem",
    "Unit",
    "Waiver",
    "load_manifest",
    "manifest_json_schema",
    "parse_date",
    "parse_manifest",
]
