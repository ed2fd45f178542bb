"""CJ203, CJ204 (and CJ208): 占股权不低于30%（含30%），且为第一大自然人股东."""

from __future__ import annotations

from changju_check.checks.context import CheckContext
from changju_check.rulebook.codes import finding

CODES = ("CJ203", "CJ204", "CJ208")


def check(ctx: CheckContext, section, item, constraint):
    if not item.is_applicable(ctx.fact):
        return
    number = ctx.number(section, item)
    percent = ctx.fact("applicant.equity.percent")
    largest = ctx.fact("applicant.equity.largest_natural_person")
    line = ctx.line("applicant", "equity")
    if percent is None:
        yield finding(
            "CJ208",
            f"{number} changju.yaml 中没有 applicant.equity.percent，无法核对“占股权不低于{constraint.min_percent:g}%”",
            f"{number} applicant.equity.percent is not in changju.yaml; the {constraint.min_percent:g}% minimum cannot be verified",
            material=item.key,
            line=line,
        )
    elif percent < constraint.min_percent:
        yield finding(
            "CJ203",
            f"{number} 申报人持股 {percent:g}%，低于 {constraint.min_percent:g}%",
            f"{number} the applicant holds {percent:g}%, below {constraint.min_percent:g}%",
            material=item.key,
            line=ctx.line("applicant", "equity", "percent") or line,
        )
    if not constraint.largest_natural_person:
        return
    if largest is None:
        yield finding(
            "CJ208",
            f"{number} changju.yaml 中没有 applicant.equity.largest_natural_person，无法核对是否为第一大自然人股东",
            f"{number} applicant.equity.largest_natural_person is not in changju.yaml; cannot verify the largest natural-person shareholder",
            material=item.key,
            line=line,
        )
    elif largest is False:
        yield finding(
            "CJ204",
            f"{number} 申报人不是第一大自然人股东",
            f"{number} the applicant is not the largest natural-person shareholder",
            material=item.key,
            line=ctx.line("applicant", "equity", "largest_natural_person") or line,
        )
