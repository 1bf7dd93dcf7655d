"""The worked examples of the Baker agreement (Exhibit 10.12), as HR and finance would check them.

Installments: $66,000.00 on 30 June 2002 (a Sunday) and $132,000.00 on 31 December 2002; paid
within three business days; 10% a year on late amounts; effective 6 November 2001.
"""

from __future__ import annotations

import pytest
from support import day, usd

from comp_tracker.domain import (
    ChangeInControl,
    EndReason,
    Event,
    Payment,
    Status,
    Termination,
    TerminationReason,
    compute_schedule,
)

ON_TIME_FIRST = Payment(day("2002-07-01"), usd("66000.00"), installment=1)


def test_no_events_first_installment_overdue_with_interest(baker):
    """As of 2002-07-31 with nothing paid: 28 days late (4 to 31 July) at 10% on $66,000."""
    s = compute_schedule(baker.terms, [], day("2002-07-31"))
    first, second = s.installments
    assert first.deadline == day("2002-07-03")  # Sunday + 3 business days
    assert first.status is Status.OVERDUE
    assert first.interest_outstanding == usd("506.30")
    assert second.status is Status.SCHEDULED
    assert second.deadline == day("2003-01-06")  # 1 January 2003 is a holiday
    assert (s.ends_on, s.end_reason) == (day("2003-01-07"), EndReason.EXPIRY)
    # Earned: installment 1's service period is over; installment 2 is 267 of 420 days in.
    assert [first.earned, second.earned] == [usd("66000.00"), usd("83914.29")]


def test_paid_then_terminated_without_cause_accelerates(baker):
    """Paid 2002-07-01, terminated without cause 2002-09-16; as of 2002-09-30."""
    events: list[Event] = [
        ON_TIME_FIRST,
        Termination(day("2002-09-16"), TerminationReason.WITHOUT_CAUSE),
    ]
    s = compute_schedule(baker.terms, events, day("2002-09-30"))
    first, second = s.installments
    assert first.status is Status.PAID
    assert first.interest_outstanding == usd("0.00")
    assert second.accelerated
    assert second.original_due == day("2002-12-31")
    assert second.due == day("2002-09-16")
    assert second.deadline == day("2002-09-19")
    assert second.status is Status.OVERDUE
    assert second.interest_outstanding == usd("397.81")  # 11 days (20-30 Sept) on $132,000
    assert second.earned == usd("132000.00")
    assert (s.ends_on, s.end_reason) == (day("2002-09-20"), EndReason.TERMINATION)


def test_resignation_before_first_due_date_forfeits_both(baker):
    """Resigned Friday 2002-06-28: nothing had become due; ends 2002-07-05 (4 July a holiday)."""
    events = [Termination(day("2002-06-28"), TerminationReason.RESIGNATION)]
    s = compute_schedule(baker.terms, events, day("2002-07-31"))
    assert [i.status for i in s.installments] == [Status.FORFEITED, Status.FORFEITED]
    assert [i.principal_forfeited for i in s.installments] == [usd("66000.00"), usd("132000.00")]
    assert [i.earned for i in s.installments] == [usd("0.00"), usd("0.00")]
    assert s.principal_outstanding == usd("0.00")
    assert (s.ends_on, s.end_reason) == (day("2002-07-05"), EndReason.TERMINATION)


def test_earned_ratably_as_of_first_quarter_end(baker):
    """As of 2002-03-31: 145 of 236 days of installment 1's service, 145 of 420 of 2's."""
    s = compute_schedule(baker.terms, [], day("2002-03-31"))
    assert [i.earned for i in s.installments] == [usd("40550.85"), usd("45571.43")]
    assert s.earned == usd("86122.28")
    assert [i.status for i in s.installments] == [Status.SCHEDULED, Status.SCHEDULED]


@pytest.mark.parametrize(
    ("as_of", "status", "interest"),
    [
        pytest.param("2002-06-29", Status.SCHEDULED, "0.00", id="day-before-due"),
        pytest.param("2002-06-30", Status.DUE, "0.00", id="due-date-sunday"),
        pytest.param("2002-07-03", Status.DUE, "0.00", id="deadline-last-day-to-pay"),
        pytest.param("2002-07-04", Status.OVERDUE, "18.08", id="first-late-day"),
        pytest.param("2002-07-05", Status.OVERDUE, "36.16", id="second-late-day"),
        pytest.param("2003-07-03", Status.OVERDUE, "6600.00", id="one-year-late"),
    ],
)
def test_first_installment_status_around_its_due_date(baker, as_of, status, interest):
    first = compute_schedule(baker.terms, [], day(as_of)).installments[0]
    assert first.status is status
    assert first.interest_outstanding == usd(interest)


def test_change_in_control_forfeits_what_is_not_yet_due(baker):
    """A change in control on 2002-10-01 after installment 1 was paid: installment 2 forfeited."""
    events: list[Event] = [ON_TIME_FIRST, ChangeInControl(day("2002-10-01"))]
    s = compute_schedule(baker.terms, events, day("2002-12-31"))
    assert [i.status for i in s.installments] == [Status.PAID, Status.FORFEITED]
    assert s.installments[1].forfeited_on == day("2002-10-01")
    assert not s.installments[1].accelerated
    assert (s.ends_on, s.end_reason) == (day("2002-10-01"), EndReason.CHANGE_IN_CONTROL)


def test_unpaid_installment_stays_owed_after_change_in_control(baker):
    """Installment 1 never paid, change in control 2002-08-01: it stays owed, with interest."""
    events = [ChangeInControl(day("2002-08-01"))]
    s = compute_schedule(baker.terms, events, day("2002-08-31"))
    first, second = s.installments
    assert first.status is Status.OVERDUE
    assert first.interest_outstanding == usd("1066.85")  # 59 days (4 July to 31 August)
    assert second.status is Status.FORFEITED
