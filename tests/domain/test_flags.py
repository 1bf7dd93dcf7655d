"""Flags: which unpaid installments need attention, on the Baker agreement and in general."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import PROPERTY_SETTINGS, agreements_as_of
from support import BAKER_FILE, day, usd

from comp_tracker.domain import (
    DayCount,
    Payment,
    Status,
    compute_schedule,
    get_calendar,
    load_agreement,
)
from comp_tracker.domain.flags import Stage, flags_of

BAKER = load_agreement(BAKER_FILE)


def baker_flags(as_of: str, *events, within: int = 3, terms=None):
    schedule = compute_schedule(terms or BAKER.terms, [*BAKER.events, *events], day(as_of))
    return flags_of(schedule, within)


def test_installment_1_is_upcoming_three_business_days_ahead():
    # Thursday 27 June 2002: Friday 28, Monday 1 July, Tuesday 2 July are the next three
    # business days, so the payment date (Sunday 30 June) is upcoming.
    [flag] = baker_flags("2002-06-27")
    assert (flag.installment, flag.stage, flag.due) == (1, Stage.UPCOMING, day("2002-06-30"))
    assert (flag.principal_owed, flag.interest_owed, flag.daily_interest) == (
        usd("66000.00"),
        usd("0.00"),
        usd("0.00"),
    )
    assert flag.deadline == day("2002-07-03")


def test_not_yet_upcoming_four_business_days_ahead():
    # Tuesday 25 June: the next three business days end on Friday 28 June, before 30 June.
    assert baker_flags("2002-06-25") == []
    # With --within 4 the window reaches Monday 1 July.
    [flag] = baker_flags("2002-06-25", within=4)
    assert flag.stage is Stage.UPCOMING


def test_within_zero_flags_nothing_ahead():
    assert baker_flags("2002-06-27", within=0) == []
    with pytest.raises(ValueError, match="within must not be negative"):
        baker_flags("2002-06-27", within=-1)


def test_in_window_until_the_deadline():
    [flag] = baker_flags("2002-07-02")
    assert (flag.stage, flag.deadline, flag.owed) == (
        Stage.IN_WINDOW,
        day("2002-07-03"),
        usd("66000.00"),
    )
    [flag] = baker_flags("2002-07-03")
    assert flag.stage is Stage.IN_WINDOW


def test_overdue_after_the_deadline_with_interest_so_far_and_per_day():
    # 4 July is a holiday, but the deadline was 3 July: on 5 July two days' interest has run.
    [flag] = baker_flags("2002-07-05")
    assert flag.stage is Stage.OVERDUE
    # 66,000 x 10% x 2/365 = 36.164... -> 36.16; one more day: 66,000 x 10% / 365 = 18.08.
    assert (flag.interest_owed, flag.daily_interest) == (usd("36.16"), usd("18.08"))
    assert flag.owed == usd("66036.16")


def test_daily_interest_follows_the_day_count():
    terms = dataclasses.replace(BAKER.terms, day_count=DayCount.ACT_360)
    [flag] = baker_flags("2002-07-05", terms=terms)
    assert flag.daily_interest == usd("18.33")  # 66,000 x 10% / 360 = 18.333...


def test_a_partly_paid_overdue_installment_owes_the_rest():
    [flag] = baker_flags("2002-07-10", Payment(day("2002-07-01"), usd("60000.00"), 1))
    assert flag.principal_owed == usd("6000.00")
    # 6,000 x 10% x 7/365 = 11.506... -> 11.51; per day 6,000 x 10% / 365 = 1.643... -> 1.64
    assert (flag.interest_owed, flag.daily_interest) == (usd("11.51"), usd("1.64"))


def test_paid_installments_are_not_flagged():
    assert baker_flags("2002-07-02", Payment(day("2002-07-01"), usd("66000.00"), 1)) == []


def test_both_installments_of_a_late_payer():
    flags = baker_flags("2003-01-06")
    assert [(f.installment, f.stage) for f in flags] == [
        (1, Stage.OVERDUE),
        (2, Stage.IN_WINDOW),  # 31 Dec; deadline three business days later, 6 January 2003
    ]


@given(case=agreements_as_of(), within=st.integers(0, 10))
@PROPERTY_SETTINGS
def test_flags_are_exactly_the_unpaid_installments_due_soon_or_past(case, within):
    terms, events, as_of = case
    schedule = compute_schedule(terms, events, as_of)
    flags = {f.installment: f for f in flags_of(schedule, within)}
    horizon = get_calendar(terms.calendar).add_business_days(as_of, within)
    for state in schedule.installments:
        flag = flags.get(state.number)
        expected = {
            Status.DUE: Stage.IN_WINDOW,
            Status.OVERDUE: Stage.OVERDUE,
            Status.SCHEDULED: Stage.UPCOMING if state.due <= horizon else None,
        }.get(state.status)
        assert (flag.stage if flag else None) == expected, state
        if flag is None:
            continue
        assert flag.owed == state.principal_outstanding + state.interest_outstanding > 0
        assert flag.daily_interest >= 0
        assert (flag.daily_interest > 0) <= (flag.stage is Stage.OVERDUE)
        assert flag.daily_interest == flag.daily_interest.quantize(usd("0.01"))
        if flag.stage is Stage.UPCOMING:
            assert as_of < flag.due <= horizon


@given(case=agreements_as_of())
@PROPERTY_SETTINGS
def test_a_day_later_an_overdue_flag_owes_about_its_daily_interest_more(case):
    terms, events, as_of = case
    later = as_of + dt.timedelta(days=1)
    if any(e.date == later for e in events):
        return
    before = {f.installment: f for f in flags_of(compute_schedule(terms, events, as_of))}
    after = {f.installment: f for f in flags_of(compute_schedule(terms, events, later))}
    for number, flag in before.items():
        if flag.stage is not Stage.OVERDUE or number not in after:
            continue
        grown = after[number].interest_owed - flag.interest_owed
        # Interest is rounded once, on the running total: a day adds the daily figure give or
        # take a cent (30/360 adds nothing on the 31st, and two days over a month's end).
        if terms.day_count is not DayCount.THIRTY_360:
            assert abs(grown - flag.daily_interest) <= usd("0.01"), (grown, flag)
