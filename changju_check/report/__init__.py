"""The report: the objects every stage writes its findings into (`Msg`, `Finding`, `Evidence`,
`MaterialResult`, `Report`), rendered later by `render/`. This room imports nothing of the package,
so every other room may import it.
"""

__all__ = ["LANGS", "Evidence", "Fact", "Finding", "MaterialResult", "Msg", "PortableError", "Preview", "PreviewPage", "Report", "Severity"]


_LIGHT = ("LANGS", "Msg", "PortableError")  # report/msg.py: no dataclass of the report is built for them


def __getattr__(name: str):
    """The model is imported when one of its names is first asked for, not with the package: the
    CLI imports `report.invocation` at start-up, and `--help`, `list-required` and `explain` never
    build a report. A message or an error of changju's needs only report/msg.py."""
    if name not in __all__:
        raise AttributeError(f"module 'changju_check.report' has no attribute {name!r}")
    if name in _LIGHT:
        from changju_check.report import msg as source
    else:
        from changju_check.report import model as source
    value = globals()[name] = getattr(source, name)  # asked for once
    return value
