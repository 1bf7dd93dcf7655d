"""The engine's figures of an agreement on a day, as the Agreements table shows them: one
:class:`Figures` per agreement, and :class:`DayFigures`, every row's figures on one as-of date
kept in arrays of integers (cents, day numbers, status codes) so that a collection never has to
walk them (see :mod:`comp_tracker.services.browse.table`)."""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from comp_tracker.domain import OPEN_STATUSES, AgreementError, Schedule, compute_schedule
from comp_tracker.domain.money import from_cents, to_cents
from comp_tracker.services.agreements.reading import AGREEMENT_STATUSES, agreement_status
from comp_tracker.services.context import Context
from comp_tracker.storage.reads import load_agreements, no_cycle_collection

#: A status's code in :class:`DayFigures` (0: not computed yet), worst first: sorting by it puts
#: the overdue first.
STATUS_CODE = {status: code for code, status in enumerate(AGREEMENT_STATUSES, start=1)}
NO_AMOUNT = -1  # next_owed's cents when no installment is left to pay
NO_DAY = 0  # next_due's day number when none is


@dataclass(frozen=True, slots=True)
class Figures:
    """An agreement on the as-of date, as the engine computes it."""

    status: str  # one of queries.AGREEMENT_STATUSES
    #: The earliest installment not yet paid or forfeited (scheduled, in window or overdue):
    #: its due date and what it owes on the as-of date (principal and late interest).
    next_due: dt.date | None
    next_owed: Decimal | None
    outstanding: Decimal  # principal outstanding
    interest: Decimal  # late interest outstanding


def figures_of(schedule: Schedule) -> Figures:
    following = min(
        (i for i in schedule.installments if i.status in OPEN_STATUSES),
        key=lambda i: (i.due, i.number),
        default=None,
    )
    return Figures(
        status=agreement_status(schedule),
        next_due=None if following is None else following.due,
        next_owed=None
        if following is None
        else following.principal_outstanding + following.interest_outstanding,
        outstanding=schedule.principal_outstanding,
        interest=schedule.interest_outstanding,
    )


def compute_figures(ctx: Context, ids: Sequence[int], as_of: dt.date) -> dict[int, Figures]:
    """The engine's figures of the agreements ``ids`` (database ids) on ``as_of``: a few
    queries, then the engine, about 60 µs an agreement. An agreement whose records the engine
    refuses (which the writers never store) is left out.

    The cycle collector is paused meanwhile, as for the load itself: the agreements loaded
    would otherwise survive into its oldest generation and set off full collections, each of
    which pauses every thread (the UI's too) for a tenth of a second in the app.
    """
    if not ids:
        return {}
    with ctx.db.read() as connection:
        loaded = load_agreements(connection, ids=ids)
    found = {}
    with no_cycle_collection():
        for item in loaded:
            try:
                schedule = compute_schedule(item.terms, item.events, as_of)
            except AgreementError:
                continue
            found[item.agreement_id] = figures_of(schedule)
    return found


class DayFigures:
    """Every agreement's figures on one as-of date, by row: money in cents, dates as day
    numbers (``date.toordinal``) and the status as a code (0 while not computed yet).

    A row's status is written last, so a row whose status is known has all its figures.
    """

    def __init__(self, size: int) -> None:
        self.status = bytearray(size)
        self.next_due = array("q", [NO_DAY]) * size
        self.next_owed = array("q", [NO_AMOUNT]) * size
        self.outstanding = array("q", [0]) * size
        self.interest = array("q", [0]) * size
        self.known = 0
        #: 1 for each row that can be overdue or due on the date (``Browser.set_late``); None
        #: until known.
        self.late: bytearray | None = None

    def put(self, index: int, figures: Figures) -> None:
        fresh = not self.status[index]
        self.next_due[index] = NO_DAY if figures.next_due is None else figures.next_due.toordinal()
        self.next_owed[index] = (
            NO_AMOUNT if figures.next_owed is None else to_cents(figures.next_owed)
        )
        self.outstanding[index] = to_cents(figures.outstanding)
        self.interest[index] = to_cents(figures.interest)
        self.status[index] = STATUS_CODE[figures.status]
        if fresh:
            self.known += 1

    def put_packed(self, index: int, packed: Sequence[int]) -> None:
        """Figures packed by :func:`pack` (without the id)."""
        code, next_due, next_owed, outstanding, interest = packed
        fresh = not self.status[index]
        self.next_due[index] = next_due
        self.next_owed[index] = next_owed
        self.outstanding[index] = outstanding
        self.interest[index] = interest
        self.status[index] = code
        if fresh:
            self.known += 1

    def get(self, index: int) -> Figures | None:
        code = self.status[index]
        if not code:
            return None
        next_due, next_owed = self.next_due[index], self.next_owed[index]
        return Figures(
            status=AGREEMENT_STATUSES[code - 1],
            next_due=None if next_due == NO_DAY else dt.date.fromordinal(next_due),
            next_owed=None if next_owed == NO_AMOUNT else from_cents(next_owed),
            outstanding=from_cents(self.outstanding[index]),
            interest=from_cents(self.interest[index]),
        )


#: Integers per agreement in :func:`pack`.
PACKED = 6


def pack(found: dict[int, Figures]) -> array[int]:
    """Figures as integers, cheap to send from another process: per agreement its id, status
    code, next due day number, next owed cents, principal and interest outstanding cents."""
    packed = array("q")
    for agreement_id, figures in found.items():
        packed.extend(
            (
                agreement_id,
                STATUS_CODE[figures.status],
                NO_DAY if figures.next_due is None else figures.next_due.toordinal(),
                NO_AMOUNT if figures.next_owed is None else to_cents(figures.next_owed),
                to_cents(figures.outstanding),
                to_cents(figures.interest),
            )
        )
    return packed
