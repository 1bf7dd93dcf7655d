"""An agreement's standing on a day (:func:`comp_tracker.domain.standing_of`): the one value that
``comp-tracker agreements``, the Agreements grid, the Employees and Companies screens and the
agreement screen show. Worked examples from the Baker agreement, then properties."""

from __future__ import annotations

from hypothesis import given
from strategies import agreements_as_of
from support import day, usd

from comp_tracker.domain import (
    OPEN_STATUSES,
    AgreementStatus,
    Payment,
    Status,
    Termination,
    TerminationReason,
    compute_schedule,
    standing_of,
)
from comp_tracker.domain.money import ZERO


def test_nothing_paid_a_month_after_the_first_due_date(baker):
    """31 July 2002: installment 1 (66,000.00, pay by 3 July) is 28 days late, 506.30 of
    interest; installment 2 is still to come. The first unsettled installment is the late one."""
    standing = standing_of(compute_schedule(baker.terms, [], day("2002-07-31")))
    assert standing.status is AgreementStatus.OVERDUE
    assert standing.principal_outstanding == usd("198000.00")
    assert standing.interest_outstanding == usd("506.30")
    assert standing.owed == usd("198506.30")
    assert standing.paid == usd("0.00")
    assert (standing.next_due, standing.next_deadline) == (day("2002-06-30"), day("2002-07-03"))
    assert standing.next_owed == usd("66506.30")


def test_in_the_payment_window(baker):
    """1 July 2002: installment 1 fell due on Sunday 30 June and may be paid through 3 July."""
    standing = standing_of(compute_schedule(baker.terms, [], day("2002-07-01")))
    assert standing.status is AgreementStatus.DUE
    assert standing.next_owed == usd("66000.00")


def test_paid_on_time_the_second_installment_comes_next(baker):
    payment = Payment(day("2002-07-01"), usd("66000.00"), installment=1)
    standing = standing_of(compute_schedule(baker.terms, [payment], day("2002-07-31")))
    assert standing.status is AgreementStatus.ACTIVE
    assert standing.paid == usd("66000.00")
    assert standing.owed == usd("132000.00")
    assert (standing.next_due, standing.next_deadline) == (day("2002-12-31"), day("2003-01-06"))
    assert standing.next_owed == usd("132000.00")


def test_ended_by_a_resignation_nothing_is_next(baker):
    """Resigned 28 June 2002, before anything fell due: both installments forfeit; the agreement
    ended on 5 July."""
    resignation = Termination(day("2002-06-28"), TerminationReason.RESIGNATION)
    standing = standing_of(compute_schedule(baker.terms, [resignation], day("2002-07-31")))
    assert standing.status is AgreementStatus.ENDED
    assert standing.owed == ZERO
    assert (standing.next_due, standing.next_owed, standing.next_deadline) == (None, None, None)


def test_statuses_worst_first():
    """The order the lists sort by: the overdue first, the ended last."""
    assert [s.value for s in AgreementStatus] == ["overdue", "due", "active", "ended"]


@given(agreements_as_of())
def test_standing_agrees_with_the_installments(case):
    """The standing's figures are the sums of the installments', and its status is the worst
    of theirs: an agreement is overdue exactly when an installment is, due when one is in its
    window (and none overdue)."""
    terms, events, as_of = case
    schedule = compute_schedule(terms, events, as_of)
    standing = standing_of(schedule)
    states = schedule.installments
    assert standing.as_of == as_of
    assert standing.principal_outstanding == schedule.principal_outstanding
    assert standing.interest_outstanding == schedule.interest_outstanding
    assert standing.paid == sum((i.principal_paid + i.interest_paid for i in states), ZERO)
    statuses = {i.status for i in states}
    assert (standing.status is AgreementStatus.OVERDUE) == (Status.OVERDUE in statuses)
    if standing.status is AgreementStatus.DUE:
        assert Status.DUE in statuses
    if standing.status is AgreementStatus.ENDED:
        assert schedule.ends_on <= as_of
        assert not statuses & {Status.OVERDUE, Status.DUE}
    ahead = [i for i in states if i.status in OPEN_STATUSES]
    if ahead:
        following = min(ahead, key=lambda i: (i.due, i.number))
        assert standing.next_due == following.due
        assert (
            standing.next_owed == following.principal_outstanding + following.interest_outstanding
        )
        assert standing.next_deadline == min(i.deadline for i in ahead)
    else:
        assert (standing.next_due, standing.next_owed, standing.next_deadline) == (None, None, None)
