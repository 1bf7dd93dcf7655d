"""Properties of the accruals that must hold for every agreement and every run of closes.

Finance closes month after month: whatever happened (late and partial payments, terminations for
any reason, a change in control, amendments that replace installments), the expenses of
consecutive periods must add up to the change in the balances over them, and every period's
journal must balance and move each account by exactly the figures of the rows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import pairwise

from hypothesis import assume, event, given
from hypothesis import strategies as st
from strategies import (
    DAY,
    PROPERTY_SETTINGS,
    as_of_dates,
    cents,
    events_strategy,
    is_valid,
    terms_strategy,
)

from comp_tracker.domain import Amendment, Event, Installment, Terms
from comp_tracker.domain.accruals import Accounts, Period, accrue
from comp_tracker.domain.money import ZERO


@st.composite
def replacing_amendments(draw: st.DrawFn, terms: Terms) -> Amendment:
    """An amendment that replaces the installments not yet due with one to three new ones."""
    on = draw(st.dates(min_value=terms.effective, max_value=terms.expires))
    expires = on + dt.timedelta(days=draw(st.integers(1, 700)))
    count = draw(st.integers(0, 3))
    installments = tuple(
        Installment(
            draw(st.dates(min_value=on + DAY, max_value=expires)),
            draw(cents(100_00, 300_000_00)),
        )
        for _ in range(count)
    )
    return Amendment(on, expires=expires, installments=installments)


@st.composite
def histories(draw: st.DrawFn) -> tuple[Terms, list[Event]]:
    terms = draw(terms_strategy())
    events = draw(events_strategy(terms))
    if draw(st.booleans()):
        events = sorted([*events, draw(replacing_amendments(terms))], key=lambda e: e.date)
    assume(is_valid(terms, events))
    return terms, events


@st.composite
def closes(draw: st.DrawFn, terms: Terms) -> list[dt.date]:
    """Two to six close dates in order: the periods between them are consecutive."""
    dates = draw(st.lists(as_of_dates(terms), min_size=2, max_size=6, unique=True))
    return sorted(dates)


def money_in_cents(value: Decimal) -> bool:
    return bool(value == value.quantize(ZERO))


@PROPERTY_SETTINGS
@given(histories(), st.data())
def test_consecutive_periods_add_up_to_the_change_in_liability(case, data):
    terms, events = case
    cuts = data.draw(closes(terms))
    periods = [Period(a + DAY, b) for a, b in pairwise(cuts)]
    results = [accrue(terms, events, p) for p in periods]
    first, last = results[0].reconciliation, results[-1].reconciliation
    expense = sum((r.reconciliation.compensation_expense for r in results), ZERO)
    paid = sum((r.reconciliation.principal_payments for r in results), ZERO)
    interest = sum((r.reconciliation.interest_expense for r in results), ZERO)
    interest_paid = sum((r.reconciliation.interest_payments for r in results), ZERO)
    assert expense - paid == last.closing_liability - first.opening_liability
    assert interest - interest_paid == (
        last.closing_interest_payable - first.opening_interest_payable
    )
    # Each close's closing balances are the next one's opening balances.
    for before, after in pairwise(results):
        assert before.reconciliation.closing_liability == after.reconciliation.opening_liability
        assert before.reconciliation.closing_interest_payable == (
            after.reconciliation.opening_interest_payable
        )
    # One period over the whole span gives the same net expense as the periods one by one.
    whole = accrue(terms, events, Period(periods[0].start, periods[-1].end)).reconciliation
    assert whole.compensation_expense == expense
    assert whole.interest_expense == interest
    assert (whole.principal_payments, whole.interest_payments) == (paid, interest_paid)


@PROPERTY_SETTINGS
@given(histories(), st.data())
def test_every_journal_balances_and_ties_to_the_rows(case, data):
    terms, events = case
    cuts = data.draw(closes(terms))
    accounts = Accounts()
    for start, end in pairwise(cuts):
        result = accrue(terms, events, Period(start + DAY, end), accounts)
        for entry in result.entries:
            assert entry.debits == entry.credits
            assert all(money_in_cents(line.debit + line.credit) for line in entry.lines)
            assert all(line.debit >= 0 and line.credit >= 0 for line in entry.lines)
            assert start < entry.date <= end
        moved: dict[str, Decimal] = {}
        for entry in result.entries:
            for line in entry.lines:
                moved[line.account] = moved.get(line.account, ZERO) + line.debit - line.credit
        rows = result.installments
        for row in rows:  # what the generated histories cover (--hypothesis-show-statistics)
            event(f"status {row.status}")
            if row.compensation_reversed:
                event("a reversal")
            if row.interest_expense and row.interest_payments:
                event("late interest accrued and paid in one period")
        expense = sum((r.compensation_expense for r in rows), ZERO)
        assert moved.get(accounts.compensation_expense, ZERO) == expense
        assert moved.get(accounts.interest_expense, ZERO) == sum(
            (r.interest_expense for r in rows), ZERO
        )
        assert moved.get(accounts.cash, ZERO) == -sum((r.payments for r in rows), ZERO)
        for row in rows:
            assert row.compensation_accrued >= 0
            assert row.compensation_reversed >= 0
            assert row.interest_expense >= 0
            assert row.opening_liability + row.compensation_expense - row.principal_payments == (
                row.liability
            )
            assert row.liability == row.earned - row.principal_paid
