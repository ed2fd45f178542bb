"""The checks, one small module per family, registered by the constraint type they enforce.

Each constraint check is `check(ctx, section, item, constraint) -> Iterable[Finding]`;
each packet-wide check is `check(ctx) -> Iterable[Finding]`. `CODES` in each module
lists the codes it can raise (for --select/--ignore and the docs).
"""

from __future__ import annotations

from changju_check.checks import (
    contract,
    dates,
    equity,
    infer,
    order,
    pages,
    photos,
    presence,
    recent,
    recommendation,
    years,
)

CONSTRAINT_CHECKS = {
    "years": years.check,
    "contract": contract.check,
    "equity": equity.check,
    "ordered": order.check,
    "recent": recent.check,
    "min_pages": pages.check,
    "max_count": photos.check,
    "contents": None,  # a checklist for people: shown by list-required, not verifiable from the files
}

PACKET_CHECKS = [recommendation.check, infer.check, dates.check]

MODULES = [presence, years, contract, equity, order, recent, pages, photos, recommendation, infer, dates]
