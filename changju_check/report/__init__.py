"""The report: the objects every stage writes its findings into (`Msg`, `Finding`, `Evidence`,
`MaterialResult`, `Report`), rendered later by `render/`. This room imports nothing of the package,
so every other room may import it.
"""

__all__ = ["LANGS", "Evidence", "Fact", "Finding", "MaterialResult", "Msg", "PortableError", "Preview", "PreviewPage", "Report", "Severity"]


def __getattr__(name: str):
    """The model is imported when one of its names is first asked for, not with the package: the
    CLI imports `report.invocation` at start-up, and `--help`, `list-required` and `explain` never
    build a report."""
    if name in __all__:
        from changju_check.report import model

        return getattr(model, name)
    raise AttributeError(f"module 'changju_check.report' has no attribute {name!r}")
