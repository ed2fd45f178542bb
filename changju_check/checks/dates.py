"""CJ401 (not fatal): a date of changju.yaml that contradicts the reference date.

社保记录“定制时间为入职至今”: the hiring date is a fact of the past. `applicant.hired_on` after the
reference date cannot be true, so it is an error in the manifest - named with its line, while the
rest of the packet is still checked.
"""

from __future__ import annotations

from changju_check.checks.context import CheckContext
from changju_check.rulebook.codes import finding

CODES = ("CJ401",)


def check(ctx: CheckContext):
    hired = ctx.manifest.fact("applicant.hired_on")
    if hired is not None and hired > ctx.as_of:
        yield finding(
            "CJ401",
            f"applicant.hired_on：入职日期 {hired} 晚于参照日期 {ctx.as_of}，入职日期应在参照日期当天或之前，请核对（或核对 as_of）",
            f"applicant.hired_on: the hiring date {hired} is after the reference date {ctx.as_of}; it must be on or before it - check it (or as_of)",
            line=ctx.line("applicant", "hired_on"),
            severity="error",
        )
