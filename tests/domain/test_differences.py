"""What an import finds different between a stored agreement and its file
(:mod:`comp_tracker.domain.differences`)."""

from __future__ import annotations

import dataclasses
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st
from support import day, usd

from comp_tracker.domain import Payment, Termination, TerminationReason
from comp_tracker.domain.differences import (
    event_differences,
    event_key,
    event_line,
    terms_differences,
)

PAID = Payment(day("2002-07-01"), usd("66000.00"), installment=1)


def test_the_same_event_under_another_reference_is_no_difference():
    assert event_differences([PAID], [Payment(PAID.date, PAID.amount, 1, ref="p-7")]) == ([], [])


def test_a_payment_recorded_twice_is_two_payments():
    """Two equal payments in the file and one in the records: one more is to be recorded."""
    assert event_differences([PAID], [PAID, PAID]) == ([], [PAID])


def test_lines_of_the_report(baker):
    moved = Payment(day("2002-07-02"), usd("66000.00"), installment=1)
    assert event_line(moved) == "payment 2002-07-02 66000.00 to installment 1"
    quit_ = Termination(day("2002-06-28"), TerminationReason.RESIGNATION)
    assert event_line(quit_) == "termination 2002-06-28 resignation"
    later = dataclasses.replace(baker.terms, expires=day("2003-02-07"))
    assert terms_differences(baker.terms, later) == ["expires 2003-01-07 -> 2003-02-07"]
    assert terms_differences(baker.terms, baker.terms) == []


payments = st.builds(
    Payment,
    st.sampled_from([day("2002-07-01"), day("2002-07-02")]),
    st.sampled_from([usd("1.00"), usd("66000.00")]),
    st.sampled_from([None, 1, 2]),
)


@given(st.lists(payments, max_size=6), st.lists(payments, max_size=6))
def test_removing_and_adding_the_differences_turns_one_list_into_the_other(stored, new):
    removed, added = event_differences(stored, new)
    kept = Counter(map(event_key, stored)) - Counter(map(event_key, removed))
    assert kept + Counter(map(event_key, added)) == Counter(map(event_key, new))
    assert not Counter(map(event_key, removed)) & Counter(map(event_key, added))
