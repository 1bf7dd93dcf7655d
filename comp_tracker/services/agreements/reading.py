"""Reading: one agreement's schedule, and lists of agreements with their standing (an
agreement's history is :mod:`comp_tracker.services.agreements.history`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from comp_tracker.domain import (
    AgreementStatus,
    Schedule,
    Standing,
    compute_schedule,
    dump_agreement,
    standing_of,
)
from comp_tracker.domain.money import ZERO
from comp_tracker.services.context import Context, ServiceError
from comp_tracker.storage.reads import (
    agreements_selection,
    load_agreements,
    load_one,
)

#: The statuses an agreement can have on a day, worst first (``--status`` accepts these).
AGREEMENT_STATUSES = tuple(status.value for status in AgreementStatus)


def read_status(status: str | None) -> AgreementStatus | None:
    """A ``--status`` filter, or the one-line refusal naming it."""
    if status is None:
        return None
    try:
        return AgreementStatus(status)
    except ValueError:
        raise ServiceError(
            "status", status, f"must be one of {', '.join(AGREEMENT_STATUSES)}"
        ) from None


def show(
    ctx: Context, agreement: str, as_of: dt.date, *, as_recorded_at: dt.datetime | None = None
) -> Schedule:
    """The stored agreement's schedule as of ``as_of`` (optionally as recorded at a moment)."""
    with ctx.db.read() as session:
        item = load_one(session, agreement, as_recorded_at=as_recorded_at)
    return compute_schedule(item.terms, item.events, as_of)


@dataclass(frozen=True, slots=True)
class AgreementLine:
    """One agreement of a list: who and when, and its standing on the list's day."""

    agreement: str
    company: str
    employee: str
    effective: dt.date
    expires: dt.date
    ends_on: dt.date
    standing: Standing


def list_agreements(
    ctx: Context,
    as_of: dt.date,
    *,
    company: str | None = None,
    employee: str | None = None,
    status: str | None = None,
) -> list[AgreementLine]:
    """Agreements with their standing on ``as_of``, filtered; ordered by company, employee, id."""
    wanted = read_status(status)
    # For overdue or due: only agreements with something that can have fallen due and is not
    # settled for good.
    late = wanted in (AgreementStatus.OVERDUE, AgreementStatus.DUE)
    selection = agreements_selection(
        company=company, employee=employee, late_on=as_of if late else None
    )
    with ctx.db.read() as session:
        loaded = load_agreements(session, selection)
    lines = []
    for item in loaded:
        schedule = compute_schedule(item.terms, item.events, as_of)
        standing = standing_of(schedule)
        if wanted is not None and standing.status is not wanted:
            continue
        lines.append(
            AgreementLine(
                agreement=item.key,
                company=item.terms.company,
                employee=item.terms.employee,
                effective=item.terms.effective,
                expires=schedule.terms.expires,
                ends_on=schedule.ends_on,
                standing=standing,
            )
        )
    lines.sort(key=lambda line: (line.company, line.employee, line.agreement))
    return lines


def totals(lines: list[AgreementLine]) -> tuple[Decimal, Decimal]:
    """The principal and the late interest outstanding on the listed agreements."""
    return (
        sum((line.standing.principal_outstanding for line in lines), ZERO),
        sum((line.standing.interest_outstanding for line in lines), ZERO),
    )


def export_agreement(ctx: Context, agreement: str) -> str:
    """The stored agreement (current terms, events in force) as an agreement file."""
    with ctx.db.read() as session:
        item = load_one(session, agreement)
    header = (
        f"# Exported by comp-tracker from the database: agreement {item.key}, terms revision "
        f"{item.revision}, version {item.version}.\n"
        "# Voided events are left out; 'comp-tracker history' shows them.\n\n"
    )
    return header + dump_agreement(item.terms, item.events)
