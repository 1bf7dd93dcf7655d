"""What needs attention: the unpaid installments of a schedule that are upcoming, in their payment
window, or overdue. Pure: a :class:`Schedule` in, flags out; the due job and the TUI share it.

From the agreement (paragraph 3): the amounts "shall be paid ... on or within three business days
after the dates indicated. If the Company fails to pay any such amount, the amount unpaid shall
bear interest at a rate of ten percent per annum." So an unpaid installment is

* **upcoming** when its payment date falls within the next N business days after the as-of date,
  counted on the agreement's own calendar (N is the job's ``--within``, 3 by default): HR has
  those days to prepare the payment;
* **in window** from its payment date through its deadline (the engine's status ``due``): pay it
  now, by the deadline, and no interest runs;
* **overdue** after its deadline with principal or interest unpaid (the engine's ``overdue``):
  interest runs every day until it is paid.

For an overdue installment the flag carries the interest owed so far (the engine's figure) and the
interest one more day adds: principal unpaid x annual rate / the day count's year (365 for
ACT/365F, 360 for ACT/360 and 30/360), rounded half-up to the cent. That is what waiting one more
day costs; it is an estimate for the reader, never booked.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from .calendars import get_calendar
from .model import Schedule, Status
from .money import ZERO, round_cents


class Stage(StrEnum):
    UPCOMING = "upcoming"
    IN_WINDOW = "in window"
    OVERDUE = "overdue"


class Flag(NamedTuple):
    """One unpaid installment that needs attention on ``as_of``."""

    agreement: str
    company: str
    employee: str
    calendar: str
    installment: int
    due: dt.date
    deadline: dt.date
    stage: Stage
    principal_owed: Decimal
    interest_owed: Decimal  # so far, as of the as-of date (only an overdue one has any)
    daily_interest: Decimal  # what one more day adds (zero unless overdue)

    @property
    def owed(self) -> Decimal:
        return self.principal_owed + self.interest_owed


def upcoming_until(calendar: str, as_of: dt.date, within: int) -> dt.date:
    """The last payment date that counts as upcoming: ``within`` business days after ``as_of``."""
    return get_calendar(calendar).add_business_days(as_of, within)


def flags_of(schedule: Schedule, within: int = 3) -> list[Flag]:
    """The flags of one agreement's schedule, in installment order.

    ``within`` is the number of business days ahead that makes a payment date upcoming; 0 flags
    nothing ahead. Installments paid, forfeited, or due later than that are not flagged.
    """
    if within < 0:
        raise ValueError("within must not be negative")
    terms = schedule.terms
    horizon: dt.date | None = None
    flags = []
    for state in schedule.installments:
        if state.status is Status.SCHEDULED:
            if horizon is None:
                horizon = upcoming_until(terms.calendar, schedule.as_of, within)
            if state.due > horizon:
                continue
            stage = Stage.UPCOMING
        elif state.status is Status.DUE:
            stage = Stage.IN_WINDOW
        elif state.status is Status.OVERDUE:
            stage = Stage.OVERDUE
        else:
            continue
        daily = ZERO
        if stage is Stage.OVERDUE and state.principal_outstanding:
            daily = round_cents(
                state.principal_outstanding
                * terms.late_interest_rate
                / Decimal(terms.day_count.basis)
            )
        flags.append(
            Flag(
                agreement=terms.id,
                company=terms.company,
                employee=terms.employee,
                calendar=terms.calendar,
                installment=state.number,
                due=state.due,
                deadline=state.deadline,
                stage=stage,
                principal_owed=state.principal_outstanding,
                interest_owed=state.interest_outstanding,
                daily_interest=daily,
            )
        )
    return flags
