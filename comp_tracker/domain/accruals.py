"""Accruals for a period close: what each installment has earned, what was paid and what is owed,
and the journal entries that move the ledger from the last close to this one.

Pure functions over the engine's schedules, like the engine itself: terms + events + a period in,
figures out; no database, no clock. The accrual exports (CLI and TUI) call :func:`accrue` once per
agreement and write what it returns.

    >>> import datetime as dt
    >>> from decimal import Decimal
    >>> from comp_tracker.domain import Installment, Terms
    >>> terms = Terms(id="a", company="Hecla Mining Company", employee="P. Baker",
    ...               effective=dt.date(2001, 11, 6), expires=dt.date(2003, 1, 7),
    ...               installments=(Installment(dt.date(2002, 6, 30), Decimal("66000.00")),))
    >>> q1 = accrue(terms, [], Period(dt.date(2002, 1, 1), dt.date(2002, 3, 31)))
    >>> row = q1.installments[0]
    >>> row.opening_liability, row.compensation_expense, row.liability
    (Decimal('15381.36'), Decimal('25169.49'), Decimal('40550.85'))

The figures, and where each comes from:

* **Earned to date** is the engine's attribution (paragraph 2: the bonus is "additional
  compensation for the continued retention of the Employee's services until the respective dates
  indicated"): each installment is earned ratably from the effective date to its original due
  date, in full at an acceleration, and no more than was paid on it once it is forfeited.
* **Accrued compensation liability** = earned - principal paid. Negative when an installment was
  paid before it was earned (prepaid compensation).
* **Interest accrued to date** = late interest paid + late interest payable: the engine's
  cumulative interest, rounded half-up to cents (paragraph 3, "shall bear interest at a rate of
  ten percent per annum"). It only grows, so the period's interest expense is never negative.
* **The period** runs from ``start`` to ``end`` inclusive; its opening balances are read as of the
  day before ``start``, its closing ones as of ``end``. Compensation expense = earned at the close
  - earned at the opening. It is split into what was *accrued* (earned grew) and what was
  *reversed* (earned fell: an installment forfeited by a termination or a change in control, or
  cancelled by an amendment). To tell the two apart the agreement is also read on the day before
  each termination, change in control and amendment within the period, so an installment that
  accrues for two months and is then forfeited shows both: two months' accrual and the reversal
  of everything accrued on it.
* **Payments** are the engine's applied payments dated within the period, each split into late
  interest and principal (interest first, paragraph 3's United States Rule in the engine).

Every agreement reconciles, or :func:`accrue` raises :class:`AccrualError`: opening liability +
compensation expense - principal payments = closing liability, and the same for interest; the
journal's debits equal its credits, entry by entry; and the journal moves each account by exactly
the figures of the rows. Each is computed from a different reading (the opening and closing
schedules, the increments between the readings, the payments' allocations), so the checks are
not true by construction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from operator import add
from typing import NamedTuple

from .engine import compute_schedules
from .errors import AgreementError, missing
from .model import (
    Amendment,
    ChangeInControl,
    Event,
    InstallmentState,
    Schedule,
    Termination,
    Terms,
)
from .money import ZERO

_ONE_DAY = dt.timedelta(days=1)

#: The status of an installment an amendment in the period replaced: it no longer exists at the
#: close (the engine's statuses describe installments that do).
CANCELLED = "cancelled"


class AccrualError(AgreementError):
    """Figures that do not reconcile or a journal that does not balance: nothing is written."""


@dataclass(frozen=True, slots=True)
class Period:
    """From ``start`` to ``end``, both included (a month, a quarter, a year)."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise AgreementError(
                "period.start", self.start, f"is after the period's end {self.end}"
            )

    @property
    def opening(self) -> dt.date:
        """The date the opening balances are read: the day before the period starts."""
        return self.start - _ONE_DAY

    def __str__(self) -> str:
        return f"{self.start} to {self.end}"


@dataclass(frozen=True, slots=True)
class Accounts:
    """The general-ledger accounts the journal entries post to (configurable)."""

    compensation_expense: str = "Compensation expense"
    accrued_compensation: str = "Accrued compensation"
    interest_expense: str = "Interest expense"
    interest_payable: str = "Interest payable"
    cash: str = "Cash"


class InstallmentAccrual(NamedTuple):
    """One installment's accrual: to date (as of the period's end) and for the period."""

    number: int
    amount: Decimal
    service_start: dt.date
    original_due: dt.date
    due: dt.date  # in force at the close: an accelerated installment's is the termination date
    status: str  # the engine's status at the close, or "cancelled"
    earned: Decimal
    principal_paid: Decimal
    liability: Decimal  # earned - principal paid
    interest_accrued: Decimal
    interest_paid: Decimal
    interest_payable: Decimal
    opening_liability: Decimal
    opening_interest_payable: Decimal
    compensation_accrued: Decimal  # >= 0
    compensation_reversed: Decimal  # >= 0
    compensation_expense: Decimal  # accrued - reversed
    interest_expense: Decimal
    principal_payments: Decimal
    interest_payments: Decimal

    @property
    def payments(self) -> Decimal:
        return self.principal_payments + self.interest_payments


class EntryKind(StrEnum):
    ACCRUAL = "accrual"  # compensation earned in the period
    REVERSAL = "reversal"  # compensation accrued earlier and forfeited or cancelled
    INTEREST = "interest"  # late interest accrued in the period
    PAYMENT = "payment"  # one payment to the employee


class JournalLine(NamedTuple):
    account: str
    debit: Decimal
    credit: Decimal


class JournalEntry(NamedTuple):
    date: dt.date
    kind: EntryKind
    description: str
    lines: tuple[JournalLine, ...]
    reference: str = ""

    @property
    def debits(self) -> Decimal:
        return sum((line.debit for line in self.lines), ZERO)

    @property
    def credits(self) -> Decimal:
        return sum((line.credit for line in self.lines), ZERO)


class Reconciliation(NamedTuple):
    """Opening + expense - payments = closing, for compensation and for late interest."""

    opening_liability: Decimal
    compensation_expense: Decimal
    principal_payments: Decimal
    closing_liability: Decimal
    opening_interest_payable: Decimal
    interest_expense: Decimal
    interest_payments: Decimal
    closing_interest_payable: Decimal

    @property
    def compensation_difference(self) -> Decimal:
        return (
            self.opening_liability
            + self.compensation_expense
            - self.principal_payments
            - self.closing_liability
        )

    @property
    def interest_difference(self) -> Decimal:
        return (
            self.opening_interest_payable
            + self.interest_expense
            - self.interest_payments
            - self.closing_interest_payable
        )

    def __add__(self, other: object) -> Reconciliation:
        if not isinstance(other, Reconciliation):
            return NotImplemented
        return Reconciliation._make(map(add, self, other))


NO_RECONCILIATION = Reconciliation(*(ZERO,) * 8)


@dataclass(frozen=True, slots=True)
class AgreementAccruals:
    """One agreement's accruals for a period."""

    terms: Terms  # as amended at the period's end
    period: Period
    installments: tuple[InstallmentAccrual, ...]
    entries: tuple[JournalEntry, ...]
    reconciliation: Reconciliation

    @property
    def has_figures(self) -> bool:
        """False when there is nothing to report: no balance at the opening or the close and
        nothing earned, reversed, accrued or paid in the period (an agreement settled before
        the period, or one not yet in effect at its end)."""
        r = self.reconciliation
        return any(r) or any(
            i.compensation_accrued or i.compensation_reversed for i in self.installments
        )


# -- computing ---------------------------------------------------------------------------------


def reading_dates(events: Iterable[Event], period: Period) -> list[dt.date]:
    """The opening, the day before each termination, change in control or amendment within the
    period (where earned can fall), and the close."""
    marks = {
        e.date - _ONE_DAY
        for e in events
        if isinstance(e, Termination | ChangeInControl | Amendment)
        and period.start < e.date <= period.end
    }
    return [period.opening, *sorted(marks), period.end]


def _keyed(schedule: Schedule) -> dict[tuple[dt.date, Decimal, int], InstallmentState]:
    """Installments by (original due date, amount, occurrence): an amendment renumbers the
    installments it replaces, but an installment it keeps keeps its due date and amount."""
    keyed: dict[tuple[dt.date, Decimal, int], InstallmentState] = {}
    for state in schedule.installments:
        occurrence = 0
        while (state.original_due, state.amount, occurrence) in keyed:
            occurrence += 1
        keyed[(state.original_due, state.amount, occurrence)] = state
    return keyed


_Track = tuple[
    InstallmentState | None, InstallmentState | None, InstallmentState, tuple[Decimal, ...]
]


def _tracks(readings: Sequence[Schedule]) -> Iterator[_Track]:
    """Each installment across the readings: as it opened (None if it did not exist yet), as it
    closed (None if cancelled), as it last stood, and what it had earned at each reading."""
    first, last = readings[0].installments, readings[-1].installments
    # Nothing was forfeited, cancelled or added in the period (the common case): the same
    # installments in the same order, unless an amendment replaced one by another.
    if (
        len(readings) == 2
        and len(first) == len(last)
        and all(
            a.original_due == b.original_due and a.amount == b.amount
            for a, b in zip(first, last, strict=True)
        )
    ):
        for a, b in zip(first, last, strict=True):
            yield a, b, b, (a.earned, b.earned)
        return
    keyed = [_keyed(s) for s in readings]
    opening, closing = keyed[0], keyed[-1]
    # The installments at the close in their order, then those cancelled in the period.
    keys = list(closing)
    seen = set(keys)
    for reading in keyed:
        for key in reading:
            if key not in seen:
                seen.add(key)
                keys.append(key)
    for key in keys:
        end = closing.get(key)
        stood = end if end is not None else next(r[key] for r in reversed(keyed) if key in r)
        earned = tuple(r[key].earned if key in r else ZERO for r in keyed)
        yield opening.get(key), end, stood, earned


def _pair(debit: str, credit: str, amount: Decimal) -> tuple[JournalLine, ...]:
    """Debit one account and credit the other; a negative amount goes the other way."""
    if amount < 0:
        debit, credit, amount = credit, debit, -amount
    return (JournalLine(debit, amount, ZERO), JournalLine(credit, ZERO, amount))


def accrue(
    terms: Terms,
    events: Sequence[Event],
    period: Period,
    accounts: Accounts = Accounts(),
) -> AgreementAccruals:
    """One agreement's accruals for ``period``, checked (see the module's docstring).

    Raises :class:`ScheduleError` if the events cannot happen (as :func:`compute_schedule`
    would) and :class:`AccrualError` if the figures do not reconcile.
    """
    readings = compute_schedules(terms, events, reading_dates(events, period))
    close = readings[-1]
    rows = []
    # The agreement's totals, summed as the rows are built (one pass, not eight).
    o_liability = c_liability = expense = principal_payments = ZERO
    o_payable = c_payable = interest_expense = interest_payments = ZERO
    total_accrued = total_reversed = ZERO
    effective = terms.effective
    for start, end, last, earned_at in _tracks(readings):
        accrued = reversed_ = ZERO
        previous = earned_at[0]
        for current in earned_at[1:]:
            if current > previous:
                accrued += current - previous
            elif current < previous:
                reversed_ += previous - current
            previous = current
        if start is None:
            open_liability = open_interest_payable = open_interest = open_paid = ZERO
            open_interest_paid = ZERO
        else:
            open_paid = start.principal_paid
            open_liability = start.earned - open_paid
            open_interest_payable = start.interest_outstanding
            open_interest_paid = start.interest_paid
            open_interest = open_interest_paid + open_interest_payable
        if end is None:
            earned = paid = interest_paid = interest_payable = ZERO
            status = CANCELLED
        else:
            earned = end.earned
            paid = end.principal_paid
            interest_paid = end.interest_paid
            interest_payable = end.interest_outstanding
            status = end.status.value
        interest = interest_paid + interest_payable
        liability = earned - paid
        row = InstallmentAccrual(  # positional, in field order
            last.number,
            last.amount,
            effective,
            last.original_due,
            last.due,
            status,
            earned,
            paid,
            liability,
            interest,
            interest_paid,
            interest_payable,
            open_liability,
            open_interest_payable,
            accrued,
            reversed_,
            accrued - reversed_,
            interest - open_interest,
            paid - open_paid,
            interest_paid - open_interest_paid,
        )
        rows.append(row)
        o_liability += open_liability
        c_liability += liability
        o_payable += open_interest_payable
        c_payable += interest_payable
        total_accrued += accrued
        total_reversed += reversed_
        interest_expense += row.interest_expense
        principal_payments += row.principal_payments
        interest_payments += row.interest_payments
    expense = total_accrued - total_reversed
    installments = tuple(rows)
    reconciliation = Reconciliation(
        o_liability,
        expense,
        principal_payments,
        c_liability,
        o_payable,
        interest_expense,
        interest_payments,
        c_payable,
    )
    entries = _journal(
        installments, close, period, accounts, total_accrued, total_reversed, interest_expense
    )
    result = AgreementAccruals(close.terms, period, installments, entries, reconciliation)
    check(result, accounts)
    return result


def _journal(
    rows: tuple[InstallmentAccrual, ...],
    close: Schedule,
    period: Period,
    accounts: Accounts,
    accrued: Decimal,
    reversed_total: Decimal,
    interest: Decimal,
) -> tuple[JournalEntry, ...]:
    entries = []
    if accrued:
        entries.append(
            JournalEntry(
                period.end,
                EntryKind.ACCRUAL,
                f"Retention compensation earned {period}",
                _pair(accounts.compensation_expense, accounts.accrued_compensation, accrued),
            )
        )
    if reversed_total:
        reversed_rows = [r for r in rows if r.compensation_reversed]
        what = ", ".join(
            f"installment {r.number} {r.status}"
            + (f" {r.due}" if r.status != CANCELLED and r.due != r.original_due else "")
            for r in reversed_rows
        )
        entries.append(
            JournalEntry(
                period.end,
                EntryKind.REVERSAL,
                f"Retention compensation reversed ({what})",
                _pair(
                    accounts.accrued_compensation,
                    accounts.compensation_expense,
                    reversed_total,
                ),
            )
        )
    if interest:
        entries.append(
            JournalEntry(
                period.end,
                EntryKind.INTEREST,
                f"Late interest accrued {period}",
                _pair(accounts.interest_expense, accounts.interest_payable, interest),
            )
        )
    for payment in close.payments:
        if not period.start <= payment.date <= period.end:
            continue
        principal = sum((a.principal for a in payment.allocations), ZERO)
        paid_interest = sum((a.interest for a in payment.allocations), ZERO)
        numbers = ", ".join(str(a.installment) for a in payment.allocations)
        lines = []
        if principal:
            lines.append(JournalLine(accounts.accrued_compensation, principal, ZERO))
        if paid_interest:
            lines.append(JournalLine(accounts.interest_payable, paid_interest, ZERO))
        lines.append(JournalLine(accounts.cash, ZERO, payment.amount))
        entries.append(
            JournalEntry(
                payment.date,
                EntryKind.PAYMENT,
                f"Retention bonus paid (installment {numbers})",
                tuple(lines),
                payment.ref,
            )
        )
    return tuple(entries)


def check(accruals: AgreementAccruals, accounts: Accounts) -> None:
    """Raise :class:`AccrualError` unless the agreement reconciles and its journal balances and
    moves each account by exactly the figures of its rows."""
    key = accruals.terms.id
    r = accruals.reconciliation
    for what, difference in (
        ("compensation", r.compensation_difference),
        ("late interest", r.interest_difference),
    ):
        if difference:
            raise AccrualError(
                f"agreement {key}",
                missing(),
                f"{what} does not reconcile for {accruals.period}: opening + expense - payments "
                f"is off the closing balance by {difference}",
            )
    check_balanced(accruals.entries, f"agreement {key}")
    moved: dict[str, Decimal] = {}
    for entry in accruals.entries:
        for line in entry.lines:
            moved[line.account] = moved.get(line.account, ZERO) + line.debit - line.credit
    # Debits positive: expenses grow, liabilities (credit balances) shrink. Two roles may share
    # an account (a small ledger may book interest to the same expense account): then their sum.
    expected: dict[str, Decimal] = {}
    for name, amount in (
        (accounts.compensation_expense, r.compensation_expense),
        (accounts.interest_expense, r.interest_expense),
        (accounts.cash, ZERO - r.principal_payments - r.interest_payments),
        (accounts.accrued_compensation, r.opening_liability - r.closing_liability),
        (accounts.interest_payable, r.opening_interest_payable - r.closing_interest_payable),
    ):
        expected[name] = expected.get(name, ZERO) + amount
    for name in moved.keys() | expected.keys():
        amount = expected.get(name, ZERO)
        if moved.get(name, ZERO) != amount:
            raise AccrualError(
                f"agreement {key}",
                missing(),
                f"the journal moves {name} by {moved.get(name, ZERO)}, but the accruals say "
                f"{amount} for {accruals.period}",
            )


def check_balanced(entries: Iterable[JournalEntry], where: str) -> None:
    """Raise :class:`AccrualError` naming the first entry whose debits differ from its credits."""
    for entry in entries:
        debits, credits = entry.debits, entry.credits
        if debits != credits:
            raise AccrualError(
                where,
                missing(),
                f"the {entry.kind.value} entry of {entry.date} ({entry.description}) does not "
                f"balance: debits {debits}, credits {credits}",
            )
