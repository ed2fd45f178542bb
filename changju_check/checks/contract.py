"""CJ201, CJ202 (and CJ208): 合同期限不低于2年，且合同剩余有效期在半年以上.

Both bounds include the boundary (不低于 / 以上), and a contract is valid through
its end date: 2022-03-01 to 2024-02-29 is exactly two years. An open-ended
contract (无固定期限) passes both.
"""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from changju_check.checks.context import CheckContext
from changju_check.rules.codes import finding

CODES = ("CJ201", "CJ202", "CJ208")


def term_ok(start: date, end: date, min_years: int) -> bool:
    return end + timedelta(days=1) >= start + relativedelta(years=min_years)


def remaining_ok(end: date, as_of: date, min_months: int) -> bool:
    return end + timedelta(days=1) >= as_of + relativedelta(months=min_months)


def _span(start: date, end: date) -> tuple[str, str]:
    delta = relativedelta(end + timedelta(days=1), start)
    months = delta.years * 12 + delta.months
    y, m, d = months // 12, months % 12, delta.days
    zh = f"{y}年" * bool(y) + f"{m}个月" * bool(m) + f"{d}天" * bool(d) or "0天"
    en = " ".join(s for s in (f"{y} year(s)" * bool(y), f"{m} month(s)" * bool(m), f"{d} day(s)" * bool(d)) if s) or "0 days"
    return zh, en


def contract_facts(ctx: CheckContext):
    """(start, end, open_ended, source) from the manifest, else from the scan of the contract."""
    start = ctx.fact("applicant.contract.start")
    end = ctx.fact("applicant.contract.end")
    open_ended = bool(ctx.fact("applicant.contract.open_ended"))
    if start is not None or end is not None or open_ended:
        return start, end, open_ended, "manifest"
    scan = ctx.scan_contracts
    if scan:
        return scan.get("start"), scan.get("end"), bool(scan.get("open_ended")), scan.get("source", "scan")
    return None, None, False, None


def check(ctx: CheckContext, section, item, constraint):
    if not item.is_applicable(ctx.fact) or constraint.material not in ctx.active_materials(item):
        return
    has_files = bool(ctx.files_of(constraint.material))
    case = item.active_case(ctx.fact)
    if len(case.of) > 1 and not has_files:
        return  # one of several alternatives, and not the one provided
    # where the other alternatives already make up the group (三选二), a bad contract is not needed
    others = [m for m in case.of if m != constraint.material and any(ctx.usable(p) for p in ctx.files_of(m))]
    spare = len(case.of) > 1 and len(others) >= case.choose
    number = ctx.number(section, item)
    title_zh, title_en = ctx.title(item)
    start, end, open_ended, source = contract_facts(ctx)
    line = ctx.line("applicant", "contract")
    if source is None or (end is None and not open_ended):
        yield finding(
            "CJ208",
            f"{number} {title_zh}：changju.yaml 中没有 applicant.contract 的起止日期，无法核对合同期限和剩余有效期",
            f"{number} {title_en}: applicant.contract has no dates in changju.yaml; the term and the time left cannot be verified",
            material=item.key,
            line=line,
        )
        return
    if open_ended:
        return
    where_zh = "" if source == "manifest" else f"（据扫描件 {source}）"
    where_en = "" if source == "manifest" else f" (read from {source})"
    if constraint.min_years and start is not None and not term_ok(start, end, constraint.min_years):
        zh, en = _span(start, end)
        yield finding(
            "CJ201",
            f"{number} 合同期限 {start} 至 {end} 为 {zh}，不足 {constraint.min_years} 年{where_zh}",
            f"{number} contract term {start} to {end} is {en}, less than {constraint.min_years} years{where_en}",
            material=item.key,
            line=ctx.line("applicant", "contract", "end") or line,
        )
    elif constraint.min_years and start is None:
        yield finding(
            "CJ208",
            f"{number} 没有合同起始日期（applicant.contract.start），无法核对合同期限",
            f"{number} no contract start date (applicant.contract.start): the term cannot be verified",
            material=item.key,
            line=line,
        )
    if not remaining_ok(end, ctx.as_of, constraint.min_remaining_months):
        if constraint.min_remaining_months == 0:
            zh = f"{number} 合同已于 {end} 到期（参照日期 {ctx.as_of}），须为有效期内的合同{where_zh}"
            en = f"{number} the contract ended on {end} (reference date {ctx.as_of}); it must be in force{where_en}"
        else:
            left_zh, left_en = _span(ctx.as_of, end) if end >= ctx.as_of else ("0天", "none")
            zh = (
                f"{number} 合同截止 {end}，距参照日期 {ctx.as_of} 剩余 {left_zh}，"
                f"不足 {constraint.min_remaining_months} 个月{where_zh}"
            )
            en = (
                f"{number} the contract ends {end}: {left_en} left at the reference date {ctx.as_of}, "
                f"less than {constraint.min_remaining_months} months{where_en}"
            )
        if spare:
            zh += "；其余材料已满足要求，可不提供该合同"
            en += "; the other materials already suffice, so the contract may be left out"
        yield finding(
            "CJ202",
            zh,
            en,
            material=item.key,
            line=ctx.line("applicant", "contract", "end") or line,
            severity="warning" if spare else None,
        )
