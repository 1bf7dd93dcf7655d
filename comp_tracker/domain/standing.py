"""An agreement's standing on a day: its status, what it owes and what comes next.

One value, computed here from the engine's schedule and read by everything that shows an
agreement's standing: ``comp-tracker agreements``, the Agreements grid, the Employees and
Companies screens, the agreement screen's summary, the previews and the CLI's "owed" lines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .model import OPEN_STATUSES, InstallmentState, Schedule, Status
from .money import ZERO


class AgreementStatus(StrEnum):
    """An agreement's status on a day, worst first (the order sorts put the overdue first)."""

    OVERDUE = "overdue"  # a deadline has passed with money still owed: late interest runs
    DUE = "due"  # an installment is in its payment window: pay now
    ACTIVE = "active"  # in force, nothing to pay today
    ENDED = "ended"  # over (expired, terminated or ended by a change in control), nothing owed


def owed(state: InstallmentState) -> Decimal:
    """What an installment owes on the schedule's day: unpaid principal and late interest."""
    return state.principal_outstanding + state.interest_outstanding


@dataclass(frozen=True, slots=True)
class Standing:
    """An agreement as it stands on ``as_of``."""

    as_of: dt.date
    status: AgreementStatus
    principal_outstanding: Decimal
    interest_outstanding: Decimal  # late interest accrued and not paid
    paid: Decimal  # principal and interest paid by the day
    #: The earliest installment neither paid nor forfeited (by due date, then number): its due
    #: date and what it owes on the day. None when every installment is settled.
    next_due: dt.date | None
    next_owed: Decimal | None
    #: The earliest deadline (last day to pay without late interest) of those installments.
    next_deadline: dt.date | None

    @property
    def owed(self) -> Decimal:
        """Principal and late interest outstanding."""
        return self.principal_outstanding + self.interest_outstanding


def agreement_status(schedule: Schedule) -> AgreementStatus:
    """overdue: a deadline has passed with money owed; due: in a payment window; ended: over
    and nothing owed; active: otherwise."""
    statuses = {i.status for i in schedule.installments}
    if Status.OVERDUE in statuses:
        return AgreementStatus.OVERDUE
    if Status.DUE in statuses:
        return AgreementStatus.DUE
    if schedule.ends_on <= schedule.as_of:
        return AgreementStatus.ENDED
    return AgreementStatus.ACTIVE


def standing_of(schedule: Schedule) -> Standing:
    """The agreement's standing on the schedule's as-of date."""
    ahead = [i for i in schedule.installments if i.status in OPEN_STATUSES]
    following = min(ahead, key=lambda i: (i.due, i.number), default=None)
    principal = interest = paid = ZERO
    for state in schedule.installments:
        principal += state.principal_outstanding
        interest += state.interest_outstanding
        paid += state.principal_paid + state.interest_paid
    return Standing(
        as_of=schedule.as_of,
        status=agreement_status(schedule),
        principal_outstanding=principal,
        interest_outstanding=interest,
        paid=paid,
        next_due=None if following is None else following.due,
        next_owed=None if following is None else owed(following),
        next_deadline=min((i.deadline for i in ahead), default=None),
    )
