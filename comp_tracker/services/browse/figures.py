"""The agreements' standings on a day, as the Agreements table shows them: the domain's
:class:`~comp_tracker.domain.Standing` per agreement, and :class:`DayFigures`, every row's
standing on one as-of date kept in arrays of integers (cents, day numbers, status codes) so
that a collection never has to walk them (see :mod:`comp_tracker.services.browse.table`)."""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Sequence

from comp_tracker.domain import (
    AgreementError,
    AgreementStatus,
    Standing,
    compute_schedule,
    standing_of,
)
from comp_tracker.domain.money import from_cents, to_cents
from comp_tracker.services.context import Context
from comp_tracker.storage.reads import load_agreements, no_cycle_collection

#: A status's code in :class:`DayFigures` (0: not computed yet), worst first: sorting by it puts
#: the overdue first.
STATUS_CODE = {status: code for code, status in enumerate(AgreementStatus, start=1)}
STATUSES = tuple(AgreementStatus)
NO_AMOUNT = -1  # next_owed's cents when no installment is left to pay
NO_DAY = 0  # next_due's and next_deadline's day number when none is


def _day(number: int) -> dt.date | None:
    return None if number == NO_DAY else dt.date.fromordinal(number)


def _day_number(day: dt.date | None) -> int:
    return NO_DAY if day is None else day.toordinal()


def compute_figures(ctx: Context, ids: Sequence[int], as_of: dt.date) -> dict[int, Standing]:
    """The standings of the agreements ``ids`` (database ids) on ``as_of``: a few
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
            found[item.agreement_id] = standing_of(schedule)
    return found


class DayFigures:
    """Every agreement's standing on one as-of date, by row: money in cents, dates as day
    numbers (``date.toordinal``) and the status as a code (0 while not computed yet).

    A row's status is written last, so a row whose status is known has all its figures.
    """

    def __init__(self, as_of: dt.date, size: int) -> None:
        self.as_of = as_of
        self.status = bytearray(size)
        self.next_due = array("q", [NO_DAY]) * size
        self.next_owed = array("q", [NO_AMOUNT]) * size
        self.next_deadline = array("q", [NO_DAY]) * size
        self.outstanding = array("q", [0]) * size
        self.interest = array("q", [0]) * size
        self.paid = array("q", [0]) * size
        self.known = 0
        #: 1 for each row that can be overdue or due on the date (``Browser.set_late``); None
        #: until known.
        self.late: bytearray | None = None

    def put(self, index: int, standing: Standing) -> None:
        self.put_packed(index, _packed(standing))

    def put_packed(self, index: int, packed: Sequence[int]) -> None:
        """A standing packed by :func:`pack` (without the id)."""
        code, next_due, next_owed, next_deadline, outstanding, interest, paid = packed
        fresh = not self.status[index]
        self.next_due[index] = next_due
        self.next_owed[index] = next_owed
        self.next_deadline[index] = next_deadline
        self.outstanding[index] = outstanding
        self.interest[index] = interest
        self.paid[index] = paid
        self.status[index] = code
        if fresh:
            self.known += 1

    def get(self, index: int) -> Standing | None:
        code = self.status[index]
        if not code:
            return None
        next_owed = self.next_owed[index]
        return Standing(
            as_of=self.as_of,
            status=STATUSES[code - 1],
            principal_outstanding=from_cents(self.outstanding[index]),
            interest_outstanding=from_cents(self.interest[index]),
            paid=from_cents(self.paid[index]),
            next_due=_day(self.next_due[index]),
            next_owed=None if next_owed == NO_AMOUNT else from_cents(next_owed),
            next_deadline=_day(self.next_deadline[index]),
        )


def _packed(standing: Standing) -> tuple[int, ...]:
    return (
        STATUS_CODE[standing.status],
        _day_number(standing.next_due),
        NO_AMOUNT if standing.next_owed is None else to_cents(standing.next_owed),
        _day_number(standing.next_deadline),
        to_cents(standing.principal_outstanding),
        to_cents(standing.interest_outstanding),
        to_cents(standing.paid),
    )


#: Integers per agreement in :func:`pack`: the id and a standing's seven.
PACKED = 8


def pack(found: dict[int, Standing]) -> array[int]:
    """Standings as integers, cheap to send from another process: per agreement its id, status
    code, next due day number, next owed cents, next deadline day number, principal and
    interest outstanding and paid cents."""
    packed = array("q")
    for agreement_id, standing in found.items():
        packed.append(agreement_id)
        packed.extend(_packed(standing))
    return packed
