"""The schedule engine: terms + events + an as-of date in, a schedule out.

A pure function over values, in the manner of a beancount plugin: no database, no clock, no I/O.
The same input always gives the same output.

    >>> import datetime as dt
    >>> from decimal import Decimal
    >>> terms = Terms(id="a", company="Hecla Mining Company", employee="P. Baker",
    ...               effective=dt.date(2001, 11, 6), expires=dt.date(2003, 1, 7),
    ...               installments=(Installment(dt.date(2002, 6, 30), Decimal("66000.00")),))
    >>> s = compute_schedule(terms, [], as_of=dt.date(2002, 7, 31))
    >>> s.installments[0].status, s.installments[0].deadline, s.installments[0].interest_outstanding
    (<Status.OVERDUE: 'overdue'>, datetime.date(2002, 7, 3), Decimal('506.30'))

The rules, each traced to the model agreement (Exhibit 10.12):

* Deadline (paragraph 3, "paid ... on or within three business days after the dates
  indicated"): the Nth business day after the due date, N = ``payment_window_business_days``.
* Late interest (paragraph 3, "the amount unpaid shall bear interest at a rate of ten percent per
  annum"): simple interest on the unpaid principal for each calendar day after the deadline up to
  and including the payment date (or the as-of date), under the agreement's day count. Not
  compounded: interest accrues on principal only.
* Payments go first to the installment's accrued interest, rounded half-up to cents at the payment
  date, then to its principal (the United States Rule). A payment naming an installment goes to it;
  one that does not goes to the outstanding installments, oldest due date first, spilling over.
* Termination (paragraph 3, "No amount which has not then become due hereunder shall become
  payable ... following ... the Employee's termination of employment for any reason; provided that
  if the Employee's employment is involuntarily terminated by the Company without cause ... any
  remaining unpaid amounts hereunder shall be accelerated and shall become immediately due, and
  shall be paid at the time of the Employee's termination ... or within three business days
  thereafter"): installments due on or before the termination date stay payable as scheduled;
  later ones are accelerated (due the termination date) if the reason is in ``accelerate_on``, and
  forfeited otherwise.
* Change in control (same sentence): installments due after it are forfeited; no acceleration.
* End (paragraph 1, "shall end on the earliest of January 7, 2003, the fourth business day after
  the date as of which the Employee's employment terminates for any reason, or the date of a
  Change in Control"): the earliest of expiry, the Nth business day after termination
  (N = ``end_after_termination_business_days``) and the change-in-control date. A termination or a
  change in control after the end changes nothing. Amounts that became due stay owed after it.
* Amendments (paragraph 1, "unless extended by mutual agreement"; paragraph 6, "may be amended or
  cancelled by mutual agreement of the parties in writing") take effect from their date: they may
  move the expiry date, or replace the installments not yet due; they never rewrite what was
  already due.
* Earned, for accruals: each installment is earned ratably over its own service period, from the
  effective date to its original due date ("additional compensation for the continued retention
  of the Employee's services until the respective dates indicated", paragraph 2). Accelerated
  installments are fully earned at termination; forfeited ones earn nothing beyond what was paid
  on them before the forfeiture (a payment that stands is compensation).
* Events dated after the as-of date are ignored: the schedule says what was known to be true then.

Choices the agreement does not settle (each produces a warning in the schedule):

* Termination and change in control on the same day: the termination is applied first, so a
  termination without cause accelerates (paragraph 3's proviso is an exception to the rule that
  nothing becomes payable after either event); the agreement ends that day.
* An installment paid (wholly or partly) before it fell due and then forfeited: the payment stands
  and only the unpaid remainder is forfeited; what was paid counts as earned at the forfeiture.
  One paid in full early is not forfeited at all; it is fully earned at the termination or change
  in control (and under acceleration, which moves only unpaid amounts, it keeps its due date).
* Events on the same day are applied in this order: amendment, termination, change in control,
  payments (payments in the order given). So a payment on the termination date can settle an
  accelerated installment, and a payment on that date to a forfeited installment is refused.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, localcontext
from operator import attrgetter

from .calendars import BusinessCalendar, get_calendar
from .daycount import DayCount
from .errors import ScheduleError
from .model import (
    Allocation,
    Amendment,
    AppliedPayment,
    ChangeInControl,
    EndReason,
    Event,
    Installment,
    InstallmentState,
    Payment,
    Schedule,
    Status,
    Termination,
    Terms,
)
from .money import ENGINE_CONTEXT, ZERO, round_cents

# Enum members read once: attribute access on an Enum class is slow in Python 3.11, and the
# result loop reads them for every installment.
_FORFEITED, _PAID, _SCHEDULED, _DUE, _OVERDUE = (
    Status.FORFEITED,
    Status.PAID,
    Status.SCHEDULED,
    Status.DUE,
    Status.OVERDUE,
)
_EXPIRY = EndReason.EXPIRY
_BY_DUE = attrgetter("due")
_BASIS = {day_count: Decimal(day_count.basis) for day_count in DayCount}

_SAME_DAY_ORDER: dict[type, int] = {Amendment: 0, Termination: 1, ChangeInControl: 2, Payment: 3}
_END_ORDER = {EndReason.EXPIRY: 0, EndReason.TERMINATION: 1, EndReason.CHANGE_IN_CONTROL: 2}
_EXACT_ZERO = Decimal(0)


class _Ledger:
    """The running state of one installment while events are applied (internal, mutable)."""

    __slots__ = (
        "accelerated",
        "accrued",
        "accrued_through",
        "amount",
        "deadline",
        "due",
        "earned_settled",
        "forfeited_on",
        "interest_paid",
        "original_due",
        "principal_forfeited",
        "principal_outstanding",
        "principal_paid",
    )

    def __init__(self, installment: Installment, deadline: dt.date) -> None:
        self.original_due = installment.due
        self.due = installment.due
        self.amount = installment.amount
        self.deadline = deadline
        self.accelerated = False
        self.forfeited_on: dt.date | None = None
        self.principal_paid = ZERO
        self.principal_forfeited = ZERO
        #: Always amount - principal_paid - principal_forfeited (kept, not recomputed).
        self.principal_outstanding = installment.amount
        self.interest_paid = ZERO
        self.accrued = _EXACT_ZERO  # exact (unrounded) interest accrued so far
        self.accrued_through: dt.date | None = None
        #: Set when a termination or change in control fixes what the installment earns for
        #: good (service has ended); None while it is earned ratably.
        self.earned_settled: Decimal | None = None

    def interest_outstanding(self) -> Decimal:
        # Rounding the cumulative accrual (not each segment) keeps rounding errors from adding
        # up and means outstanding interest can never go negative.
        if self.accrued_through is None:
            return ZERO  # never late: the common case, without a Decimal rounding
        return round_cents(self.accrued) - self.interest_paid


class _Run:
    """One evaluation of an agreement; applies events in date order."""

    __slots__ = (
        "amended",
        "basis",
        "calendar",
        "change_in_control",
        "day_count",
        "expires",
        "ledgers",
        "payments",
        "rate",
        "termination",
        "termination_end",
        "terms",
        "warnings",
        "window",
    )

    def __init__(self, terms: Terms) -> None:
        self.terms = terms
        self.calendar: BusinessCalendar = get_calendar(terms.calendar)
        self.window = terms.payment_window_business_days
        self.rate = terms.late_interest_rate
        self.basis = _BASIS[terms.day_count]
        self.day_count = terms.day_count
        self.ledgers = [self._new_ledger(i) for i in _in_due_order(terms.installments)]
        self.expires = terms.expires
        self.termination: Termination | None = None
        self.termination_end: dt.date | None = None
        self.change_in_control: dt.date | None = None
        self.payments: list[AppliedPayment] = []
        self.warnings: list[str] = []
        self.amended = False

    # -- helpers -------------------------------------------------------------------------------

    def _new_ledger(self, installment: Installment) -> _Ledger:
        return _Ledger(installment, self.calendar.add_business_days(installment.due, self.window))

    def end(self) -> tuple[dt.date, EndReason]:
        if self.termination_end is None and self.change_in_control is None:
            return self.expires, _EXPIRY
        candidates = [(self.expires, EndReason.EXPIRY)]
        if self.termination_end is not None:
            candidates.append((self.termination_end, EndReason.TERMINATION))
        if self.change_in_control is not None:
            candidates.append((self.change_in_control, EndReason.CHANGE_IN_CONTROL))
        return min(candidates, key=lambda c: (c[0], _END_ORDER[c[1]]))

    def _after_end(self, event: Event, what: str) -> bool:
        ends_on, reason = self.end()
        if event.date <= ends_on:
            return False
        self.warnings.append(
            f"{what} on {event.date} is after the agreement ended on {ends_on} "
            f"({reason.value.replace('_', ' ')}); it changes nothing"
        )
        return True

    def _accrue(self, ledger: _Ledger, until: dt.date) -> None:
        """Simple interest on the unpaid principal for each day after the deadline to ``until``."""
        if until <= ledger.deadline or ledger.forfeited_on is not None:
            return
        start = ledger.deadline
        if ledger.accrued_through is not None and ledger.accrued_through > start:
            start = ledger.accrued_through
        if until <= start:
            return
        principal = ledger.principal_outstanding
        if principal:
            days = self.day_count.days(start, until)
            ledger.accrued += principal * self.rate * days / self.basis
        ledger.accrued_through = until

    def _forfeit(self, ledger: _Ledger, on: dt.date, cause: str) -> None:
        """Forfeit what is unpaid; what was paid early stands, and is what was earned."""
        number = self.ledgers.index(ledger) + 1
        ledger.earned_settled = ledger.principal_paid
        if not ledger.principal_outstanding:
            self.warnings.append(
                f"installment {number} was paid in full before it fell due; {cause} on {on} "
                "forfeits nothing of it"
            )
            return
        if ledger.principal_paid:
            self.warnings.append(
                f"installment {number} was paid {ledger.principal_paid} before it fell due; "
                f"{cause} on {on} forfeits only the unpaid {ledger.principal_outstanding}: the "
                "payment stands"
            )
        ledger.principal_forfeited = ledger.principal_outstanding
        ledger.principal_outstanding = ZERO
        ledger.forfeited_on = on

    # -- events --------------------------------------------------------------------------------

    def apply(self, event: Event) -> None:
        if isinstance(event, Payment):
            self._pay(event)
        elif isinstance(event, Termination):
            self._terminate(event)
        elif isinstance(event, ChangeInControl):
            self._change_control(event)
        else:
            self._amend(event)

    def _terminate(self, event: Termination) -> None:
        if self._after_end(event, "termination"):
            return
        on = event.date
        accelerate = event.reason in self.terms.accelerate_on
        for ledger in self.ledgers:
            if ledger.forfeited_on is not None or ledger.due <= on:
                continue  # due on or before termination: stays payable as scheduled
            if accelerate:
                ledger.earned_settled = ledger.amount  # fully earned at termination
                if ledger.principal_outstanding:  # "any remaining unpaid amounts"
                    ledger.due = on
                    ledger.deadline = self.calendar.add_business_days(on, self.window)
                    ledger.accelerated = True
            else:
                self._forfeit(ledger, on, f"the termination ({event.reason.value})")
        self.termination = event
        self.termination_end = self.calendar.add_business_days(
            on, self.terms.end_after_termination_business_days
        )

    def _change_control(self, event: ChangeInControl) -> None:
        if self._after_end(event, "change in control"):
            return
        on = event.date
        if self.termination is not None and self.termination.date == on:
            self.warnings.append(
                f"termination ({self.termination.reason.value}) and change in control on the same "
                f"day, {on}: the agreement does not say which comes first; the termination was "
                f"applied first and the agreement ends on {on}"
            )
        for ledger in self.ledgers:
            if ledger.forfeited_on is None and ledger.due > on:
                self._forfeit(ledger, on, "the change in control")
        self.change_in_control = on

    def _amend(self, event: Amendment) -> None:
        if self._after_end(event, "amendment"):
            return
        on = event.date
        if event.installments is not None:
            governing = self.termination.date if self.termination else self.change_in_control
            if governing is not None:
                raise ScheduleError(
                    f"{event.ref}.installments",
                    [str(i.due) for i in event.installments],
                    f"installments cannot change after the "
                    f"{'termination' if self.termination else 'change in control'} on {governing}",
                )
            kept = [ledger for ledger in self.ledgers if ledger.due <= on]
            for number, ledger in enumerate(self.ledgers, start=1):
                if ledger.due > on and ledger.principal_paid:
                    raise ScheduleError(
                        f"{event.ref}.installments",
                        [str(i.due) for i in event.installments],
                        f"would replace installment {number}, which has "
                        f"{ledger.principal_paid} paid on it",
                    )
            added = [self._new_ledger(i) for i in _in_due_order(event.installments)]
            self.ledgers = kept + added
        expires = event.expires if event.expires is not None else self.expires
        for number, ledger in enumerate(self.ledgers, start=1):
            # The due date in force: an accelerated installment is due on the termination date.
            if ledger.forfeited_on is None and ledger.due > expires:
                field = "expires" if event.expires is not None else "installments"
                raise ScheduleError(
                    f"{event.ref}.{field}",
                    event.expires if event.expires is not None else str(ledger.due),
                    f"installment {number} is due on {ledger.due}, after the agreement "
                    f"expires on {expires}",
                )
        self.expires = expires
        self.amended = True

    def _pay(self, event: Payment) -> None:
        on = event.date
        if event.installment is not None:
            number = event.installment
            if not 1 <= number <= len(self.ledgers):
                raise ScheduleError(
                    f"{event.ref}.installment",
                    number,
                    f"no such installment on {on}; the agreement has {len(self.ledgers)}",
                )
            ledger = self.ledgers[number - 1]
            self._accrue(ledger, on)
            if ledger.forfeited_on is not None:
                raise ScheduleError(
                    f"{event.ref}.installment",
                    number,
                    f"installment {number} was forfeited on {ledger.forfeited_on}; "
                    "nothing is payable on it",
                )
            interest = ledger.interest_outstanding()
            owed = ledger.principal_outstanding + interest
            if event.amount > owed:
                raise ScheduleError(
                    f"{event.ref}.amount",
                    event.amount,
                    f"overpayment: only {owed} is owed on installment {number} on {on}",
                )
            targets = [(ledger.due, number, ledger, interest)]
        else:
            owed = ZERO
            targets = []
            for number, ledger in enumerate(self.ledgers, start=1):
                if ledger.forfeited_on is None:
                    self._accrue(ledger, on)
                    interest = ledger.interest_outstanding()
                    owed_here = ledger.principal_outstanding + interest
                    if owed_here:
                        owed += owed_here
                        targets.append((ledger.due, number, ledger, interest))
            if len(targets) > 1:
                targets.sort(key=_oldest_first)
            if event.amount > owed:
                raise ScheduleError(
                    f"{event.ref}.amount",
                    event.amount,
                    f"overpayment: only {owed} is owed in all on {on}",
                )
        remaining = event.amount
        allocations: list[Allocation] = []
        for _, number, ledger, interest in targets:
            if not remaining:
                break
            to_interest = min(remaining, interest)
            ledger.interest_paid += to_interest
            remaining -= to_interest
            to_principal = min(remaining, ledger.principal_outstanding)
            ledger.principal_paid += to_principal
            ledger.principal_outstanding -= to_principal
            remaining -= to_principal
            if to_interest or to_principal:
                allocations.append(Allocation(number, to_interest, to_principal))
        self.payments.append(AppliedPayment(on, event.amount, tuple(allocations), event.ref))

    # -- result --------------------------------------------------------------------------------

    def result(self, as_of: dt.date) -> Schedule:
        """The schedule as of ``as_of``, once every event up to it has been applied.

        Reads the ledgers without changing them, so more events can be applied afterwards and
        the run asked again at a later date (:func:`compute_schedules`).
        """
        effective = self.terms.effective
        rate = self.rate
        basis = self.basis
        days = self.day_count.days
        states = []
        # The hot path of the engine: helpers inlined, attributes read once.
        for number, ledger in enumerate(self.ledgers, start=1):
            deadline = ledger.deadline
            due = ledger.due
            amount = ledger.amount
            forfeited_on = ledger.forfeited_on
            accrued_through = ledger.accrued_through
            if as_of > deadline and forfeited_on is None:
                # What _accrue would add up to as_of, without recording it.
                accrued = ledger.accrued
                start = deadline
                if accrued_through is not None and accrued_through > start:
                    start = accrued_through
                principal = ledger.principal_outstanding
                if as_of > start and principal:
                    accrued += principal * rate * days(start, as_of) / basis
                interest_outstanding = round_cents(accrued) - ledger.interest_paid
            elif accrued_through is None:
                interest_outstanding = ZERO
            else:
                interest_outstanding = round_cents(ledger.accrued) - ledger.interest_paid
            principal_outstanding = ledger.principal_outstanding
            if forfeited_on is not None:
                status = _FORFEITED
            elif not principal_outstanding and not interest_outstanding:
                status = _PAID
            elif as_of < due:
                status = _SCHEDULED
            elif as_of <= deadline:
                status = _DUE
            else:
                status = _OVERDUE
            earned = ledger.earned_settled
            if earned is None:  # earned ratably over [effective, original due]
                span = (ledger.original_due - effective).days
                elapsed = (as_of - effective).days
                if elapsed >= span:
                    earned = amount
                elif elapsed <= 0:
                    earned = ZERO
                else:
                    earned = round_cents(amount * elapsed / span)
            states.append(
                InstallmentState(  # positional, in field order
                    number,
                    ledger.original_due,
                    due,
                    deadline,
                    amount,
                    status,
                    ledger.accelerated,
                    ledger.principal_paid,
                    principal_outstanding,
                    ledger.principal_forfeited,
                    ledger.interest_paid,
                    interest_outstanding,
                    earned,
                    forfeited_on,
                )
            )
        ends_on, end_reason = self.end()
        terms = self.terms
        if self.amended:
            terms = dataclasses.replace(
                terms,
                expires=self.expires,
                installments=tuple(Installment(lg.original_due, lg.amount) for lg in self.ledgers),
            )
        return Schedule(
            terms=terms,
            as_of=as_of,
            ends_on=ends_on,
            end_reason=end_reason,
            installments=tuple(states),
            payments=tuple(self.payments),
            warnings=tuple(self.warnings),
        )


def _oldest_first(target: tuple[dt.date, int, _Ledger, Decimal]) -> tuple[dt.date, int]:
    return target[0], target[1]


def _in_due_order(installments: Iterable[Installment]) -> list[Installment]:
    return sorted(installments, key=_BY_DUE)


def _event_order(indexed: tuple[int, Event]) -> tuple[dt.date, int, int]:
    index, event = indexed
    return (event.date, _SAME_DAY_ORDER[type(event)], index)


def compute_schedule(terms: Terms, events: Iterable[Event], as_of: dt.date) -> Schedule:
    """Evaluate an agreement as of a date.

    ``terms`` must be valid (see :func:`comp_tracker.domain.validation.validate_terms`). Events
    dated after ``as_of`` are ignored. Raises :class:`ScheduleError` for an event that cannot
    happen: an overpayment, a payment to a forfeited or unknown installment, an amendment that
    would rewrite what was already due or paid.
    """
    known = [e for e in events if e.date <= as_of]
    with localcontext(ENGINE_CONTEXT):
        run = _Run(terms)
        if len(known) == 1:
            run.apply(known[0])
        elif known:
            for _, event in sorted(enumerate(known), key=_event_order):
                run.apply(event)
        return run.result(as_of)


def compute_schedules(
    terms: Terms, events: Iterable[Event], dates: Iterable[dt.date]
) -> tuple[Schedule, ...]:
    """Evaluate an agreement as of several dates in one pass over its events.

    The same schedules as :func:`compute_schedule` at each date, in the order the dates are
    given, for less than the cost of evaluating each date apart: the events are sorted and
    applied once, and the run is read at each date as it passes. The accrual exports read every
    agreement at the start and the end of a period this way.

    Raises :class:`ScheduleError` if an event up to the latest date cannot happen.
    """
    wanted = list(dates)
    if not wanted:
        return ()
    last = max(wanted)
    known = sorted(enumerate(e for e in events if e.date <= last), key=_event_order)
    results: dict[dt.date, Schedule] = {}
    with localcontext(ENGINE_CONTEXT):
        run = _Run(terms)
        position = 0
        for day in sorted(set(wanted)):
            while position < len(known) and known[position][1].date <= day:
                run.apply(known[position][1])
                position += 1
            results[day] = run.result(day)
    return tuple(results[day] for day in wanted)
