"""CJ201, CJ202, CJ213 (and CJ208): 合同期限不低于2年，且合同剩余有效期在半年以上; 有效期内工作合同.

Periods count as 民法典 第二百零一至二百零四条: a contract runs from the start of its first day,
so a term of N years starting on day S is complete at the end of the day before S's corresponding
day N years on (2021-09-01 → 2023-08-31); where that month has no corresponding day (a start on
29 February), at the end of the month's last day (第二百零三条: 2020-02-29 → 2022-02-28). The
time left is counted the same way, the reference date being its first day. 不低于 / 以上 include the boundary.
A contract is in force on the reference date when start ≤ 参照日期 ≤ end, the end day included.
An open-ended contract (无固定期限) passes the term and the time left.
"""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from changju_check.checks.context import CheckContext
from changju_check.rulebook.codes import finding

CODES = ("CJ201", "CJ202", "CJ213", "CJ208")


def period_last_day(start: date, years: int = 0, months: int = 0) -> date:
    """The last day of a period of years/months whose first day is `start` (民法典 第二百零三条)."""
    target = start + relativedelta(years=years, months=months)  # clamped to the month's last day
    if target.day != start.day:
        return target  # no corresponding day in that month: its last day closes the period
    return target - timedelta(days=1)


def term_ok(start: date, end: date, min_years: int) -> bool:
    return min_years == 0 or end >= period_last_day(start, years=min_years)


def remaining_ok(end: date, as_of: date, min_months: int) -> bool:
    if min_months == 0:
        return end >= as_of  # in force on the reference date, the end day included
    return end >= period_last_day(as_of, months=min_months)


def _span(start: date, end: date) -> tuple[str, str]:
    """How long start..end is, both days included, in years, months and days."""
    delta = relativedelta(end + timedelta(days=1), start)
    months = delta.years * 12 + delta.months
    y, m, d = months // 12, months % 12, delta.days
    zh = f"{y}年" * bool(y) + f"{m}个月" * bool(m) + f"{d}天" * bool(d) or "0天"
    en = " ".join(s for s in (f"{y} year(s)" * bool(y), f"{m} month(s)" * bool(m), f"{d} day(s)" * bool(d)) if s) or "0 days"
    return zh, en


def _months_text(months: int) -> tuple[str, str]:
    return ("半年", "six months") if months == 6 else (f"{months}个月", f"{months} months")


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
    spare_zh = "；其余材料已满足要求，可不提供该合同" if spare else ""
    spare_en = "; the other materials already suffice, so the contract may be left out" if spare else ""
    number = ctx.number(section, item)
    title_zh, title_en = ctx.title(item)
    start, end, open_ended, source = contract_facts(ctx)
    line = ctx.line("applicant", "contract")
    if source is None and set(ctx.uncertain) & {"applicant.contract.start", "applicant.contract.end",
                                                 "applicant.contract.open_ended"}:
        return  # the pages give a term a person must confirm (CJ513 names them)
    if source is None or (end is None and not open_ended):
        if constraint.in_force:
            what_zh, what_en = "无法核对合同是否在有效期内", "whether it is in force cannot be verified"
        else:
            what_zh, what_en = "无法核对合同期限和剩余有效期", "the term and the time left cannot be verified"
        yield finding(
            "CJ208",
            f"{number} {title_zh}：changju.yaml 中没有 applicant.contract 的起止日期，{what_zh}",
            f"{number} {title_en}: applicant.contract has no dates in changju.yaml; {what_en}",
            material=item.key,
            line=line,
        )
        return
    where_zh = "" if source == "manifest" else f"（据扫描件 {source}）"
    where_en = "" if source == "manifest" else f" (read from {source})"
    # a term read from the pages: the finding names the page it was read on (the sheet shows it)
    page = {} if source == "manifest" else {"file": ctx.scan_contracts.get("file"), "page": ctx.scan_contracts.get("page")}
    if start is not None and start > ctx.as_of:
        if constraint.in_force:
            zh = f"{number} 合同自 {start} 起生效，参照日期 {ctx.as_of} 时尚未生效，须为有效期内的合同{where_zh}{spare_zh}"
            en = f"{number} the contract starts on {start}: not yet in force at the reference date {ctx.as_of}; it must be in force{where_en}{spare_en}"
            severity = "warning" if spare else "error"
        else:
            zh = f"{number} 合同自 {start} 起生效，参照日期 {ctx.as_of} 时尚未生效；如为续签合同，建议同时提供现行合同{where_zh}"
            en = f"{number} the contract starts on {start}, after the reference date {ctx.as_of}; if it is a renewal, add the contract now in force{where_en}"
            severity = "warning"
        yield finding("CJ213", zh, en, material=item.key, line=ctx.line("applicant", "contract", "start") or line,
                      severity=severity, **page)
    if open_ended:
        return
    if constraint.min_years and start is not None and not term_ok(start, end, constraint.min_years):
        zh, en = _span(start, end)
        yield finding(
            "CJ201",
            f"{number} 合同期限 {start} 至 {end} 为 {zh}，不足 {constraint.min_years} 年（合同期限不低于{constraint.min_years}年）{where_zh}",
            f"{number} contract term {start} to {end} is {en}, less than {constraint.min_years} years{where_en}",
            material=item.key,
            line=ctx.line("applicant", "contract", "end") or line,
            **page,
        )
    elif constraint.min_years and start is None:
        yield finding(
            "CJ208",
            f"{number} 没有合同起始日期（applicant.contract.start），无法核对合同期限",
            f"{number} no contract start date (applicant.contract.start): the term cannot be verified",
            material=item.key,
            line=line,
        )
    if remaining_ok(end, ctx.as_of, constraint.min_remaining_months):
        return
    if end < ctx.as_of:
        need_zh = "须为有效期内的合同" if constraint.in_force or not constraint.min_remaining_months else (
            f"须提供剩余有效期在{_months_text(constraint.min_remaining_months)[0]}以上的最新合同"
        )
        need_en = "it must be in force" if constraint.in_force or not constraint.min_remaining_months else (
            f"the latest contract must have at least {_months_text(constraint.min_remaining_months)[1]} left"
        )
        zh = f"{number} 合同已于 {end} 到期（参照日期 {ctx.as_of}），{need_zh}{where_zh}"
        en = f"{number} the contract ended on {end} (reference date {ctx.as_of}); {need_en}{where_en}"
    else:
        left_zh, left_en = _span(ctx.as_of, end)
        want_zh, want_en = _months_text(constraint.min_remaining_months)
        zh = f"{number} 合同截止 {end}，距参照日期 {ctx.as_of} 剩余 {left_zh}，不足{want_zh}（合同剩余有效期在{want_zh}以上）{where_zh}"
        en = f"{number} the contract ends {end}: {left_en} left at the reference date {ctx.as_of}, less than {want_en}{where_en}"
    yield finding(
        "CJ202",
        zh + spare_zh,
        en + spare_en,
        material=item.key,
        line=ctx.line("applicant", "contract", "end") or line,
        severity="warning" if spare else None,
        **page,
    )
