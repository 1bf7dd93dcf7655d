"""Each rule of the engine on its own, with figures a person can check by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from support import day, usd

from comp_tracker.domain import (
    AgreementError,
    Amendment,
    ChangeInControl,
    DayCount,
    EndReason,
    Event,
    Installment,
    Payment,
    ScheduleError,
    Status,
    Termination,
    TerminationReason,
    compute_schedule,
    get_calendar,
    validate,
)
from comp_tracker.domain.daycount import days_30_360

R = TerminationReason


# -- business days ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("calendar", "start", "count", "expected"),
    [
        pytest.param("US", "2002-06-30", 3, "2002-07-03", id="sunday-start-not-counted"),
        pytest.param("US", "2002-12-31", 3, "2003-01-06", id="new-year-holiday"),
        pytest.param("US", "2002-06-28", 4, "2002-07-05", id="independence-day"),
        pytest.param("US", "2002-09-16", 4, "2002-09-20", id="plain-week"),
        pytest.param("US", "2004-07-02", 1, "2004-07-06", id="observed-monday-5-july-2004"),
        pytest.param("US", "2002-07-01", 0, "2002-07-01", id="zero-is-the-day-itself"),
        pytest.param("US", "2001-09-10", 1, "2001-09-11", id="us-federal-open-on-9-11"),
        pytest.param("NYSE", "2001-09-10", 1, "2001-09-17", id="nyse-closed-11-to-14-sept"),
        pytest.param("NYSE", "2002-03-28", 1, "2002-04-01", id="nyse-good-friday"),
        pytest.param("US", "2002-03-28", 1, "2002-03-29", id="us-open-good-friday"),
    ],
)
def test_business_days_after(calendar, start, count, expected):
    assert get_calendar(calendar).add_business_days(day(start), count) == day(expected)


def test_holiday_names_for_people():
    assert get_calendar("US").holiday_name(day("2002-07-04")) == "Independence Day"
    assert get_calendar("NYSE").holiday_name(day("2002-03-29")) == "Good Friday"
    assert get_calendar("US").holiday_name(day("2002-07-05")) is None


def test_subdivision_calendar_and_unknown_calendar():
    idaho = get_calendar("US-ID")
    assert not idaho.is_business_day(day("2002-01-21"))  # Human Rights Day / MLK Day
    with pytest.raises(AgreementError, match=r'calendar = "XX": unknown calendar'):
        get_calendar("XX")
    with pytest.raises(AgreementError, match="US has no subdivision ZZ"):
        get_calendar("US-ZZ")


# -- day counts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        ("2002-07-03", "2002-07-31", 28),
        ("2002-07-03", "2002-08-31", 58),  # D1 = 3, so D2 = 31 stays 31
        ("2002-01-30", "2002-03-31", 60),  # D1 = 30 and D2 = 31 -> 30
        ("2002-02-28", "2002-03-31", 33),  # bond basis has no end-of-February rule
        ("2002-12-31", "2003-01-31", 30),
    ],
)
def test_30_360_bond_basis(start, end, days):
    assert days_30_360(day(start), day(end)) == days


@pytest.mark.parametrize(
    ("day_count", "interest"),
    [
        pytest.param(DayCount.ACT_365F, "180.82", id="ACT/365F"),  # 6600 x 10 / 365
        pytest.param(DayCount.ACT_360, "183.33", id="ACT/360"),  # 6600 x 10 / 360
        pytest.param(DayCount.THIRTY_360, "183.33", id="30/360"),  # 3 -> 13 July: 10 days
    ],
)
def test_late_interest_under_each_day_count(baker, day_count, interest):
    terms = dataclasses.replace(baker.terms, day_count=day_count)
    first = compute_schedule(terms, [], day("2002-07-13")).installments[0]
    assert first.interest_outstanding == usd(interest)


def test_interest_is_simple_never_compounded(baker):
    """730 days late: exactly twice one year's $6,600, not 6,600 x 1.1 + 6,600."""
    first = compute_schedule(baker.terms, [], day("2004-07-02")).installments[0]
    assert first.interest_outstanding == usd("13200.00")  # 3 July 2002 -> 2 July 2004
    first = compute_schedule(baker.terms, [], day("2003-07-03")).installments[0]
    assert first.interest_outstanding == usd("6600.00")


def test_zero_rate_means_no_interest(baker):
    terms = dataclasses.replace(baker.terms, late_interest_rate=usd("0"))
    first = compute_schedule(terms, [], day("2003-07-03")).installments[0]
    assert first.interest_outstanding == usd("0.00")
    assert first.status is Status.OVERDUE


# -- payments ---------------------------------------------------------------------------------


def test_late_partial_payment_goes_to_interest_first(baker):
    """$30,000 paid 10 days late: $180.82 interest, then $29,819.18 principal (US Rule)."""
    pay = Payment(day("2002-07-13"), usd("30000.00"))
    s = compute_schedule(baker.terms, [pay], day("2002-07-31"))
    first = s.installments[0]
    (applied,) = s.payments
    assert [(a.installment, a.interest, a.principal) for a in applied.allocations] == [
        (1, usd("180.82"), usd("29819.18"))
    ]
    assert first.principal_outstanding == usd("36180.82")
    # Interest runs on the reduced principal only: 180.8219... + 18 days on 36,180.82
    # (178.4259...) = 359.2478... -> 359.25 accrued, of which 180.82 paid.
    assert first.interest_paid == usd("180.82")
    assert first.interest_outstanding == usd("178.43")
    assert first.status is Status.OVERDUE


def test_paying_principal_late_leaves_interest_owed(baker):
    """Paying exactly $66,000 on 13 July leaves $180.82 of principal: interest came first."""
    pay = Payment(day("2002-07-13"), usd("66000.00"), installment=1)
    first = compute_schedule(baker.terms, [pay], day("2002-07-13")).installments[0]
    assert first.principal_outstanding == usd("180.82")
    assert first.status is Status.OVERDUE


def test_paying_principal_and_interest_settles_the_installment(baker):
    pay = Payment(day("2002-07-13"), usd("66180.82"), installment=1)
    first = compute_schedule(baker.terms, [pay], day("2002-12-31")).installments[0]
    assert first.status is Status.PAID
    assert (first.principal_paid, first.interest_paid) == (usd("66000.00"), usd("180.82"))
    assert first.interest_outstanding == usd("0.00")


def test_unnamed_payment_spills_over_oldest_due_first(baker):
    """$100,000 on 2 January 2003: $66,000 to installment 1, the rest to installment 2."""
    pays = [Payment(day("2003-01-02"), usd("100000.00"))]
    terms = dataclasses.replace(baker.terms, late_interest_rate=usd("0"))
    s = compute_schedule(terms, pays, day("2003-01-02"))
    assert [(a.installment, a.principal) for a in s.payments[0].allocations] == [
        (1, usd("66000.00")),
        (2, usd("34000.00")),
    ]
    assert s.installments[1].principal_outstanding == usd("98000.00")
    assert s.installments[1].status is Status.DUE


def test_early_payment_of_a_scheduled_installment(baker):
    pay = Payment(day("2002-05-01"), usd("66000.00"), installment=1)
    first = compute_schedule(baker.terms, [pay], day("2002-05-02")).installments[0]
    assert first.status is Status.PAID


@pytest.mark.parametrize(
    ("events", "field", "message"),
    [
        pytest.param(
            [Payment(day("2002-07-01"), usd("66000.01"), installment=1, ref="events[1]")],
            "events[1].amount",
            "overpayment: only 66000.00 is owed on installment 1 on 2002-07-01",
            id="named-overpayment",
        ),
        pytest.param(
            [Payment(day("2002-07-01"), usd("198000.01"), ref="events[1]")],
            "events[1].amount",
            "overpayment: only 198000.00 is owed in all on 2002-07-01",
            id="overpayment-of-everything",
        ),
        pytest.param(
            [Payment(day("2002-07-01"), usd("1.00"), installment=3, ref="events[1]")],
            "events[1].installment",
            "no such installment on 2002-07-01; the agreement has 2",
            id="no-such-installment",
        ),
        pytest.param(
            [
                Termination(day("2002-09-16"), R.RESIGNATION, ref="events[1]"),
                Payment(day("2002-09-17"), usd("1.00"), installment=2, ref="events[2]"),
            ],
            "events[2].installment",
            "installment 2 was forfeited on 2002-09-16; nothing is payable on it",
            id="payment-to-forfeited",
        ),
        pytest.param(
            [
                Payment(day("2002-07-01"), usd("66000.00"), ref="events[1]"),
                Payment(day("2002-07-02"), usd("1.00"), installment=1, ref="events[2]"),
            ],
            "events[2].amount",
            "overpayment: only 0.00 is owed on installment 1 on 2002-07-02",
            id="paying-a-paid-installment",
        ),
    ],
)
def test_impossible_payments_are_refused(baker, events, field, message):
    with pytest.raises(ScheduleError) as caught:
        validate(baker.terms, events)
    assert caught.value.field == field
    assert caught.value.reason == message


def test_overpayment_is_found_whatever_the_as_of_date(baker):
    """validate() applies every event, so a later overpayment cannot hide behind an early as-of."""
    events = [
        Payment(day("2002-07-01"), usd("66000.00"), installment=1),
        Payment(day("2002-08-01"), usd("5.00"), installment=1, ref="events[2]"),
    ]
    compute_schedule(baker.terms, events, day("2002-07-15"))  # the bad event is not yet known
    with pytest.raises(ScheduleError, match="overpayment"):
        validate(baker.terms, events)


# -- termination ------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", [r for r in R if r is not R.WITHOUT_CAUSE])
def test_every_reason_but_without_cause_forfeits(baker, reason):
    events: list[Event] = [
        Payment(day("2002-07-01"), usd("66000.00")),
        Termination(day("2002-09-16"), reason),
    ]
    s = compute_schedule(baker.terms, events, day("2002-09-30"))
    assert [i.status for i in s.installments] == [Status.PAID, Status.FORFEITED]
    assert s.installments[1].earned == usd("0.00")
    assert (s.ends_on, s.end_reason) == (day("2002-09-20"), EndReason.TERMINATION)


def test_accelerate_on_is_the_agreements_choice(baker):
    """An agreement that also accelerates on death pays the estate."""
    terms = dataclasses.replace(baker.terms, accelerate_on=frozenset({R.WITHOUT_CAUSE, R.DEATH}))
    events = [Termination(day("2002-09-16"), R.DEATH)]
    second = compute_schedule(terms, events, day("2002-09-17")).installments[1]
    assert second.accelerated
    assert second.status is Status.DUE


def test_an_agreement_that_pays_on_a_resignation_for_good_reason(baker):
    """ "If your employment is terminated without cause or you resign for good reason ... you
    will receive the Retention Bonus": the second installment accelerates to the day employment
    ends; a termination for cause forfeits it, as under the Hecla terms."""
    terms = dataclasses.replace(
        baker.terms, accelerate_on=frozenset({R.WITHOUT_CAUSE, R.GOOD_REASON})
    )
    good = compute_schedule(
        terms, [Termination(day("2002-09-16"), R.GOOD_REASON)], day("2002-09-17")
    )
    assert good.installments[1].accelerated
    assert (good.installments[1].due, good.installments[1].status) == (
        day("2002-09-16"),
        Status.DUE,
    )
    assert good.installments[1].amount == usd("132000.00")
    cause = compute_schedule(
        terms, [Termination(day("2002-09-16"), R.FOR_CAUSE)], day("2002-09-17")
    )
    assert cause.installments[1].status is Status.FORFEITED
    hecla = compute_schedule(
        baker.terms, [Termination(day("2002-09-16"), R.GOOD_REASON)], day("2002-09-17")
    )
    assert hecla.installments[1].status is Status.FORFEITED


def test_installment_due_on_termination_day_stays_payable_as_scheduled(baker):
    """Resignation on the due date itself: the installment had become due; it is not forfeited."""
    events = [Termination(day("2002-12-31"), R.RESIGNATION)]
    s = compute_schedule(baker.terms, events, day("2003-01-06"))
    assert [i.status for i in s.installments] == [Status.OVERDUE, Status.DUE]
    assert not s.installments[1].accelerated
    # The 4th business day after 31 December is 7 January, the expiry date: a tie is reported
    # as expiry, the end the agreement was signed with.
    assert (s.ends_on, s.end_reason) == (day("2003-01-07"), EndReason.EXPIRY)


def test_earlier_installments_keep_their_own_deadline_on_termination(baker):
    """Installment 1 unpaid when terminated without cause: it is not re-dated by acceleration."""
    events = [Termination(day("2002-09-16"), R.WITHOUT_CAUSE)]
    first, second = compute_schedule(baker.terms, events, day("2002-09-30")).installments
    assert (first.due, first.deadline, first.accelerated) == (
        day("2002-06-30"),
        day("2002-07-03"),
        False,
    )
    assert second.accelerated


def test_termination_after_the_end_changes_nothing(baker):
    events = [Termination(day("2003-02-03"), R.RESIGNATION)]
    s = compute_schedule(baker.terms, events, day("2003-03-01"))
    assert (s.ends_on, s.end_reason) == (day("2003-01-07"), EndReason.EXPIRY)
    assert [i.status for i in s.installments] == [Status.OVERDUE, Status.OVERDUE]
    assert s.warnings == (
        "termination on 2003-02-03 is after the agreement ended on 2003-01-07 (expiry); "
        "it changes nothing",
    )


def test_tail_past_expiry_ends_at_expiry(baker):
    """Terminated 2003-01-06: the 4th business day after is 10 January, but expiry comes first."""
    events = [Termination(day("2003-01-06"), R.WITHOUT_CAUSE)]
    s = compute_schedule(baker.terms, events, day("2003-01-31"))
    assert (s.ends_on, s.end_reason) == (day("2003-01-07"), EndReason.EXPIRY)


# -- change in control ------------------------------------------------------------------------


def test_change_in_control_during_the_termination_tail_ends_the_agreement_sooner(baker):
    events: list[Event] = [
        Termination(day("2002-09-16"), R.WITHOUT_CAUSE),
        ChangeInControl(day("2002-09-18")),
    ]
    s = compute_schedule(baker.terms, events, day("2002-09-30"))
    assert (s.ends_on, s.end_reason) == (day("2002-09-18"), EndReason.CHANGE_IN_CONTROL)
    assert s.installments[1].accelerated  # the termination came first and governs
    assert s.installments[1].status is Status.OVERDUE


def test_termination_after_change_in_control_changes_nothing(baker):
    events: list[Event] = [
        ChangeInControl(day("2002-09-01")),
        Termination(day("2002-09-16"), R.WITHOUT_CAUSE),
    ]
    s = compute_schedule(baker.terms, events, day("2002-09-30"))
    assert s.installments[1].status is Status.FORFEITED
    assert not s.installments[1].accelerated
    assert len(s.warnings) == 1
    assert s.warnings[0].startswith("termination on 2002-09-16 is after the agreement ended")


def test_same_day_termination_and_change_in_control_warns_and_accelerates(baker):
    events: list[Event] = [
        ChangeInControl(day("2002-09-16")),
        Termination(day("2002-09-16"), R.WITHOUT_CAUSE),
    ]
    s = compute_schedule(baker.terms, events, day("2002-09-30"))
    assert s.installments[1].accelerated
    assert (s.ends_on, s.end_reason) == (day("2002-09-16"), EndReason.CHANGE_IN_CONTROL)
    assert len(s.warnings) == 1
    assert "same day, 2002-09-16" in s.warnings[0]
    assert "termination was applied first" in s.warnings[0]


def test_paid_early_then_forfeited_keeps_the_payment_and_warns(baker):
    events: list[Event] = [
        Payment(day("2002-08-01"), usd("50000.00"), installment=2),
        Termination(day("2002-09-16"), R.RESIGNATION),
    ]
    second = compute_schedule(baker.terms, events, day("2002-09-30"))
    state = second.installments[1]
    assert state.status is Status.FORFEITED
    assert (state.principal_paid, state.principal_forfeited) == (
        usd("50000.00"),
        usd("82000.00"),
    )
    assert second.warnings == (
        "installment 2 was paid 50000.00 before it fell due; the termination (resignation) on "
        "2002-09-16 forfeits only the unpaid 82000.00: the payment stands",
    )
    assert state.earned == usd("50000.00")  # the payment that stands is compensation


@pytest.mark.parametrize(
    "events",
    [
        pytest.param([Termination(day("2002-09-16"), R.RESIGNATION)], id="resignation"),
        pytest.param([Termination(day("2002-09-16"), R.WITHOUT_CAUSE)], id="without-cause"),
        pytest.param([ChangeInControl(day("2002-09-16"))], id="change-in-control"),
    ],
)
def test_installment_paid_in_full_early_is_fully_earned_when_service_ends(baker, events):
    """Paid in full on 1 August; service ends 16 September: nothing is forfeited, and the
    whole amount is earned then, not ratably until 31 December after the person has gone."""
    prepaid = Payment(day("2002-08-01"), usd("132000.00"), installment=2)
    s = compute_schedule(baker.terms, [prepaid, *events], day("2002-09-30"))
    second = s.installments[1]
    assert second.status is Status.PAID
    assert second.principal_forfeited == usd("0.00")
    assert second.earned == usd("132000.00")
    assert not second.accelerated  # acceleration moves only unpaid amounts
    if events[0].__class__ is not Termination or events[0].reason is not R.WITHOUT_CAUSE:
        assert "was paid in full before it fell due" in s.warnings[0]


# -- amendments -------------------------------------------------------------------------------


def test_amendment_extends_expiry_and_replaces_future_installments(baker):
    amendment = Amendment(
        day("2002-12-15"),
        expires=day("2003-06-30"),
        installments=(Installment(day("2003-06-30"), usd("140000.00")),),
    )
    events: list[Event] = [Payment(day("2002-07-01"), usd("66000.00")), amendment]
    s = compute_schedule(baker.terms, events, day("2003-01-31"))
    assert s.terms.expires == day("2003-06-30")
    assert [(i.original_due, i.amount, i.status) for i in s.installments] == [
        (day("2002-06-30"), usd("66000.00"), Status.PAID),
        (day("2003-06-30"), usd("140000.00"), Status.SCHEDULED),
    ]
    assert (s.ends_on, s.end_reason) == (day("2003-06-30"), EndReason.EXPIRY)
    before = compute_schedule(baker.terms, events, day("2002-12-14"))
    assert before.installments[1].amount == usd("132000.00")  # not yet in force


def test_amendment_never_rewrites_what_was_already_due(baker):
    amendment = Amendment(
        day("2002-07-10"),
        installments=(Installment(day("2002-07-01"), usd("1.00")),),
        ref="events[1]",
    )
    with pytest.raises(AgreementError) as caught:
        validate(baker.terms, [amendment])
    assert caught.value.field == "events[1].installments[1].due"
    assert "never rewrites what was already due" in caught.value.reason


def test_amendment_keeps_due_installments_and_cancels_future_ones(baker):
    amendment = Amendment(day("2002-07-10"), installments=())
    s = compute_schedule(baker.terms, [amendment], day("2002-07-31"))
    assert [i.original_due for i in s.installments] == [day("2002-06-30")]
    assert s.installments[0].interest_outstanding == usd("506.30")


def test_amendment_cannot_shorten_expiry_before_an_installment(baker):
    amendment = Amendment(day("2002-07-10"), expires=day("2002-11-30"), ref="events[1]")
    with pytest.raises(ScheduleError) as caught:
        validate(baker.terms, [amendment])
    assert caught.value.field == "events[1].expires"
    assert "installment 2 is due on 2002-12-31" in caught.value.reason


def test_amendment_may_shorten_expiry_past_an_accelerated_installments_old_date(baker):
    """Installment 2 was due 31 December, but acceleration made it due 16 September."""
    events: list[Event] = [
        Termination(day("2002-09-16"), R.WITHOUT_CAUSE),
        Amendment(day("2002-09-18"), expires=day("2002-09-19")),
    ]
    s = validate(baker.terms, events)
    assert s.terms.expires == day("2002-09-19")
    assert (s.ends_on, s.end_reason) == (day("2002-09-19"), EndReason.EXPIRY)
    assert s.installments[1].due == day("2002-09-16")


def test_amendment_after_the_end_is_ignored_with_a_warning(baker):
    amendment = Amendment(day("2003-02-01"), expires=day("2003-12-31"))
    s = compute_schedule(baker.terms, [amendment], day("2003-03-01"))
    assert s.terms.expires == day("2003-01-07")
    assert "it changes nothing" in s.warnings[0]


# -- as-of ------------------------------------------------------------------------------------


def test_events_after_the_as_of_date_are_not_yet_known(baker):
    events = [Termination(day("2002-09-16"), R.WITHOUT_CAUSE)]
    before = compute_schedule(baker.terms, events, day("2002-09-15"))
    assert before.installments[1].status is Status.SCHEDULED
    assert not before.installments[1].accelerated
    assert before.ends_on == day("2003-01-07")


def test_as_of_before_the_agreement_began(baker):
    s = compute_schedule(baker.terms, [], day("2001-01-01"))
    assert [i.earned for i in s.installments] == [usd("0.00"), usd("0.00")]
    assert all(i.status is Status.SCHEDULED for i in s.installments)


def test_result_does_not_depend_on_the_callers_decimal_context(baker):
    import decimal

    expected = compute_schedule(baker.terms, [], day("2002-07-31"))
    with decimal.localcontext(decimal.Context(prec=6, rounding=decimal.ROUND_DOWN)):
        assert compute_schedule(baker.terms, [], day("2002-07-31")) == expected


def test_installment_due_on_the_effective_date_is_earned_at_once(baker):
    terms = dataclasses.replace(
        baker.terms, installments=(Installment(baker.terms.effective, usd("10.00")),)
    )
    (only,) = compute_schedule(terms, [], baker.terms.effective).installments
    assert only.earned == usd("10.00")
    assert only.deadline == baker.terms.effective + dt.timedelta(days=3)  # Tue 6 -> Fri 9 Nov
