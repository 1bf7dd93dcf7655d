"""The values the schedule engine reads and writes: terms, events and the resulting schedule.

All records are immutable. Money is :class:`~decimal.Decimal`; dates are :class:`datetime.date`.
Each rule below cites the sentence of the model agreement (Exhibit 10.12, Hecla Mining Company and
Phillips S. Baker, Jr., 6 November 2001) it comes from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from .daycount import DayCount
from .money import ZERO

#: What :mod:`comp_tracker.domain` offers of this module (it re-exports them all).
__all__ = [
    "CLOSED_STATUSES",
    "OPEN_STATUSES",
    "Allocation",
    "Amendment",
    "AppliedPayment",
    "ChangeInControl",
    "EndReason",
    "Event",
    "Installment",
    "InstallmentState",
    "Payment",
    "Schedule",
    "Status",
    "Termination",
    "TerminationReason",
    "Terms",
]


class TerminationReason(StrEnum):
    """Why employment ended.

    Paragraph 3: "termination without cause means termination of the Employee's employment for
    other than the Employee's (i) death, (ii) total and permanent disability, (iii) intentional and
    continued gross malfeasance or nonfeasance of a material nature, (iv) refusal to or failure to
    attempt to follow the written legal directions of the Board ... or (v) conviction of a felony."
    A resignation is not an involuntary termination by the Company.

    Other retention agreements name two more, which the Hecla one has not: a resignation for good
    reason ("if your employment is terminated without cause or you resign for good reason ...
    you will receive the Retention Bonus"), which that agreement treats as a resignation, and a
    termination for cause, which it spells out as its own three reasons (iii) to (v): malfeasance,
    refusal and felony, kept as they are.
    """

    WITHOUT_CAUSE = "without_cause"
    GOOD_REASON = "good_reason"
    RESIGNATION = "resignation"
    DEATH = "death"
    DISABILITY = "disability"
    FOR_CAUSE = "for_cause"
    MALFEASANCE = "malfeasance"
    REFUSAL = "refusal"
    FELONY = "felony"


class Status(StrEnum):
    """Where an installment stands on the as-of date."""

    FORFEITED = "forfeited"  # will never be payable (termination or change in control)
    PAID = "paid"  # principal and late interest all paid
    SCHEDULED = "scheduled"  # before its due date
    DUE = "due"  # from the due date through the deadline: pay now
    OVERDUE = "overdue"  # after the deadline with something still owed: interest runs


#: An installment with something still to pay, now or later: neither paid nor forfeited.
OPEN_STATUSES = frozenset({Status.SCHEDULED, Status.DUE, Status.OVERDUE})
#: Paid or forfeited: nothing more can change it.
CLOSED_STATUSES = frozenset({Status.PAID, Status.FORFEITED})


class EndReason(StrEnum):
    EXPIRY = "expiry"
    TERMINATION = "termination"
    CHANGE_IN_CONTROL = "change_in_control"


@dataclass(frozen=True, slots=True)
class Installment:
    """One retention bonus amount and the date it is payable (paragraph 2)."""

    due: dt.date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Terms:
    """The terms of one retention agreement."""

    id: str
    company: str
    employee: str
    effective: dt.date
    expires: dt.date
    installments: tuple[Installment, ...]
    calendar: str = "US"
    payment_window_business_days: int = 3
    end_after_termination_business_days: int = 4
    late_interest_rate: Decimal = Decimal("0.10")
    day_count: DayCount = DayCount.ACT_365F
    accelerate_on: frozenset[TerminationReason] = frozenset({TerminationReason.WITHOUT_CAUSE})
    governing_law: str | None = None


@dataclass(frozen=True, slots=True)
class Payment:
    """Money paid to the employee. ``installment`` (1-based, in due-date order) targets one."""

    date: dt.date
    amount: Decimal
    installment: int | None = None
    ref: str = "payment"


@dataclass(frozen=True, slots=True)
class Termination:
    """The employee's employment terminated on ``date`` for ``reason``."""

    date: dt.date
    reason: TerminationReason
    ref: str = "termination"


@dataclass(frozen=True, slots=True)
class ChangeInControl:
    """A change in control of the Company on ``date``."""

    date: dt.date
    ref: str = "change_in_control"


@dataclass(frozen=True, slots=True)
class Amendment:
    """A written amendment by mutual agreement (paragraph 6), in force from ``date``.

    ``expires`` moves the expiry date; ``installments`` replaces the installments not yet due on
    ``date`` (an empty tuple cancels them). None leaves that part as it was.
    """

    date: dt.date
    expires: dt.date | None = None
    installments: tuple[Installment, ...] | None = None
    ref: str = "amendment"


Event = Payment | Termination | ChangeInControl | Amendment


class Allocation(NamedTuple):
    """The part of one payment applied to one installment (interest first, then principal)."""

    installment: int
    interest: Decimal
    principal: Decimal


class AppliedPayment(NamedTuple):
    """A payment as the engine applied it."""

    date: dt.date
    amount: Decimal
    allocations: tuple[Allocation, ...]
    ref: str


class InstallmentState(NamedTuple):
    """One installment as of the schedule's as-of date.

    ``principal_paid + principal_outstanding + principal_forfeited == amount`` always. A named
    tuple rather than a frozen dataclass: the engine builds one per installment per evaluation,
    and a named tuple is immutable too, at a third of the cost.
    """

    number: int
    original_due: dt.date
    due: dt.date
    deadline: dt.date
    amount: Decimal
    status: Status
    accelerated: bool
    principal_paid: Decimal
    principal_outstanding: Decimal
    principal_forfeited: Decimal
    interest_paid: Decimal
    interest_outstanding: Decimal
    earned: Decimal
    forfeited_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Schedule:
    """The engine's answer: an agreement as it stood on ``as_of``."""

    terms: Terms  # as amended by the amendments dated on or before as_of
    as_of: dt.date
    ends_on: dt.date
    end_reason: EndReason
    installments: tuple[InstallmentState, ...]
    payments: tuple[AppliedPayment, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    @property
    def principal_outstanding(self) -> Decimal:
        return sum((i.principal_outstanding for i in self.installments), ZERO)

    @property
    def interest_outstanding(self) -> Decimal:
        return sum((i.interest_outstanding for i in self.installments), ZERO)

    @property
    def earned(self) -> Decimal:
        return sum((i.earned for i in self.installments), ZERO)
