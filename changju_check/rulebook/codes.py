"""The catalogue of finding codes (rulebook/codes.yaml) and the one way to make a Finding."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from changju_check.report import Finding, Msg, Severity


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    title: Msg
    description: Msg
    fix: Msg
    # shown in the text report only with --verbose (the tool's uncertainty, not the packet's problem)
    verbose_only: bool = False


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Code]:
    import yaml

    text = resources.files("changju_check").joinpath("rulebook/codes.yaml").read_text(encoding="utf-8")
    # libyaml's safe loader where PyYAML has it: ten times faster than the pure-Python one
    # (0.01 s instead of 0.1 s, paid by every command that reports a finding)
    raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))["codes"]
    result = {}
    for code, entry in raw.items():
        result[code] = Code(
            code=code,
            severity=entry["severity"],
            title=Msg(**entry["title"]),
            description=Msg(**entry["description"]),
            fix=Msg(**entry["fix"]),
            verbose_only=bool(entry.get("verbose_only", False)),
        )
    return result


def get(code: str) -> Code:
    try:
        return catalogue()[code.upper()]
    except KeyError:
        raise KeyError(f"unknown code {code}") from None


def finding(
    code: str,
    zh: str,
    en: str,
    *,
    material: str | None = None,
    file: str | None = None,
    line: int | None = None,
    severity: Severity | None = None,
    page: int | None = None,
) -> Finding:
    """Make a finding; its severity comes from the catalogue unless given."""
    entry = get(code)
    return Finding(
        code=entry.code,
        severity=severity or entry.severity,
        message=Msg(zh=zh, en=en),
        material=material,
        file=file,
        line=line,
        page=page,
    )
