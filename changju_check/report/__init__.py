"""The report: the objects every stage writes its findings into (`Msg`, `Finding`, `Evidence`,
`MaterialResult`, `Report`), rendered later by `render/`. This room imports nothing of the package,
so every other room may import it.
"""

from changju_check.report.model import (
    LANGS,
    Evidence,
    Fact,
    Finding,
    MaterialResult,
    Msg,
    PortableError,
    Preview,
    PreviewPage,
    Report,
    Severity,
)

__all__ = ["LANGS", "Evidence", "Fact", "Finding", "MaterialResult", "Msg", "PortableError", "Preview", "PreviewPage", "Report", "Severity"]
