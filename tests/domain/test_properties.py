"""Properties of the schedule engine that must hold for every agreement, checked with Hypothesis.

The worked examples pin figures a person can check by hand; these tests generate thousands of
agreements (terms, payments, a termination, a change in control, an amendment) and check the
invariants that every schedule must keep whatever the figures are. Money is built from whole
cents, never from floats (the strategies are in tests/strategies.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import (
    CENT,
    DAY,
    PROPERTY_SETTINGS,
    agreements,
    agreements_as_of,
    as_of_dates,
    is_valid,
    terms_strategy,
)

from comp_tracker.domain import (
    ChangeInControl,
    Payment,
    Schedule,
    Status,
    Termination,
    compute_schedule,
    compute_schedules,
    dump_agreement,
    parse_agreement,
)


def money_fields(schedule: Schedule) -> list[tuple[str, Decimal]]:
    fields = []
    for s in schedule.installments:
        for name in (
            "amount",
            "principal_paid",
            "principal_outstanding",
            "principal_forfeited",
            "interest_paid",
            "interest_outstanding",
            "earned",
        ):
            fields.append((f"installment {s.number}.{name}", getattr(s, name)))
    for p in schedule.payments:
        fields.append((f"{p.ref}.amount", p.amount))
        for a in p.allocations:
            fields.append((f"{p.ref} -> {a.installment}.interest", a.interest))
            fields.append((f"{p.ref} -> {a.installment}.principal", a.principal))
    return fields


def without_refs(schedule: Schedule) -> Schedule:
    return dataclasses.replace(
        schedule, payments=tuple(p._replace(ref="") for p in schedule.payments)
    )


# -- properties -------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(agreements_as_of())
def test_principal_is_conserved(case):
    """Every installment's amount is accounted for exactly once: paid, outstanding or forfeited.

    If this failed, a statement would show money appearing or vanishing: an installment whose
    paid and outstanding figures do not add up to the bonus the agreement promised.
    """
    terms, events, as_of = case
    schedule = compute_schedule(terms, events, as_of)
    assert sorted((i.due, i.amount) for i in schedule.terms.installments) == sorted(
        (i.due, i.amount) for i in terms.installments
    )
    for s in schedule.installments:
        assert s.principal_paid + s.principal_outstanding + s.principal_forfeited == s.amount, s
        assert s.principal_paid >= 0, s
        assert s.principal_outstanding >= 0, s
        assert s.principal_forfeited >= 0, s
        if s.status is not Status.FORFEITED:
            assert s.principal_forfeited == 0, s
            assert s.principal_paid + s.principal_outstanding == s.amount, s
    assert schedule.principal_outstanding == sum(
        (s.principal_outstanding for s in schedule.installments), Decimal(0)
    )


@PROPERTY_SETTINGS
@given(agreements_as_of())
def test_interest_is_never_negative_and_money_is_in_cents(case):
    """Late interest is never negative and every amount is in whole cents.

    If this failed, an employee would see a negative interest figure (a credit the agreement
    never grants) or an amount such as 12.345 that no payroll system can pay.
    """
    terms, events, as_of = case
    schedule = compute_schedule(terms, events, as_of)
    for s in schedule.installments:
        assert s.interest_outstanding >= 0, s
        assert s.interest_paid >= 0, s
        if as_of <= s.deadline:
            # No day after the deadline has passed: no interest can have run.
            assert s.interest_outstanding == 0, s
            assert s.interest_paid == 0, s
    for name, value in money_fields(schedule):
        assert value.is_finite(), name
        assert value == value.quantize(CENT), f"{name} = {value} is not in cents"


@PROPERTY_SETTINGS
@given(agreements_as_of(), st.randoms(use_true_random=False))
def test_same_input_gives_the_same_schedule(case, random):
    """The schedule depends on the terms, the events and the as-of date only.

    If this failed, the same agreement would show different figures on two screens (or after
    the events were entered in a different order), and nobody could trust either.
    """
    terms, events, as_of = case
    first = compute_schedule(terms, events, as_of)
    assert compute_schedule(terms, list(events), as_of) == first
    assert compute_schedule(terms, tuple(events), as_of) == first
    keys = [(e.date, type(e)) for e in events]
    assume(len(set(keys)) == len(keys))
    shuffled = list(events)
    random.shuffle(shuffled)
    assert compute_schedule(terms, shuffled, as_of) == first


@PROPERTY_SETTINGS
@given(agreements(), st.data())
def test_later_as_of_never_undoes_payments_or_earnings(case, data):
    """Moving the as-of date later never un-pays anything, and never un-earns anything except
    through a forfeiture (a termination or change in control) in between.

    If this failed, an accrual report run next month would show less paid (or, with no
    forfeiture, less earned) than the report run this month.
    """
    terms, events = case
    as_of1 = data.draw(as_of_dates(terms), label="as_of1")
    as_of2 = data.draw(
        st.dates(min_value=as_of1 + DAY, max_value=as_of1 + dt.timedelta(days=1500)),
        label="as_of2",
    )
    first = compute_schedule(terms, events, as_of1)
    second = compute_schedule(terms, events, as_of2)
    assert len(first.installments) == len(second.installments)
    for a, b in zip(first.installments, second.installments, strict=True):
        assert b.principal_paid >= a.principal_paid, (a, b)
        assert b.interest_paid >= a.interest_paid, (a, b)
        assert b.principal_paid + b.interest_paid >= a.principal_paid + a.interest_paid, (a, b)
        if b.status is not Status.FORFEITED:
            assert b.earned >= a.earned, (a, b)
    forfeiture_between = any(
        isinstance(e, Termination | ChangeInControl) and as_of1 < e.date <= as_of2 for e in events
    )
    if not forfeiture_between:
        assert second.earned >= first.earned, (first.installments, second.installments)
    paid1 = sum((p.amount for p in first.payments), Decimal(0))
    paid2 = sum((p.amount for p in second.payments), Decimal(0))
    assert paid2 >= paid1


@PROPERTY_SETTINGS
@given(agreements_as_of())
def test_status_agrees_with_the_figures_and_dates(case):
    """Each installment's status follows from its figures and dates.

    If this failed, the schedule would say "paid" while money is still owed, "overdue" before
    the deadline, or report more earned than the bonus itself.
    """
    terms, events, as_of = case
    schedule = compute_schedule(terms, events, as_of)
    for s in schedule.installments:
        settled = s.principal_outstanding == 0 and s.interest_outstanding == 0
        forfeited = s.status is Status.FORFEITED
        assert (s.status is Status.PAID) == (settled and not forfeited), s
        assert forfeited == (s.forfeited_on is not None), s
        if forfeited:
            assert s.forfeited_on <= as_of, s
            assert s.principal_forfeited > 0, s
            assert s.principal_outstanding == 0, s
            assert s.interest_outstanding == 0, s
        if s.status is Status.SCHEDULED:
            assert as_of < s.due, s
        if s.status is Status.DUE:
            assert s.due <= as_of <= s.deadline, s
        if s.status is Status.OVERDUE:
            assert as_of > s.deadline, s
        assert s.deadline >= s.due, s
        assert 0 <= s.earned <= s.amount, s


@PROPERTY_SETTINGS
@given(agreements_as_of())
def test_each_payment_is_allocated_in_full(case):
    """Every payment is split between interest and principal without losing or adding a cent.

    If this failed, a payment of 1,000.00 would show as settling 999.99 (or 1,000.01) of the
    employee's balance.
    """
    terms, events, as_of = case
    schedule = compute_schedule(terms, events, as_of)
    assert len(schedule.payments) == sum(
        1 for e in events if isinstance(e, Payment) and e.date <= as_of
    )
    for p in schedule.payments:
        assert sum((a.interest + a.principal for a in p.allocations), Decimal(0)) == p.amount, p
        for a in p.allocations:
            assert a.interest >= 0, p
            assert a.principal >= 0, p
            assert 1 <= a.installment <= len(schedule.installments), p
    for s in schedule.installments:
        allocated = [
            a for p in schedule.payments for a in p.allocations if a.installment == s.number
        ]
        assert sum((a.principal for a in allocated), Decimal(0)) == s.principal_paid, s
        assert sum((a.interest for a in allocated), Decimal(0)) == s.interest_paid, s


@PROPERTY_SETTINGS
@given(agreements_as_of())
def test_agreement_file_round_trip(case):
    """Writing an agreement to its file and reading it back changes nothing.

    If this failed, saving an agreement and opening it again would change its terms, lose or
    alter an event, or give a different schedule.
    """
    terms, events, as_of = case
    parsed = parse_agreement(dump_agreement(terms, events))
    assert parsed.terms == terms
    assert len(parsed.events) == len(events)
    for original, read in zip(events, parsed.events, strict=True):
        assert dataclasses.replace(original, ref=read.ref) == read
    assert without_refs(compute_schedule(parsed.terms, parsed.events, as_of)) == without_refs(
        compute_schedule(terms, events, as_of)
    )


@PROPERTY_SETTINGS
@given(terms_strategy(), st.data())
def test_unpaid_interest_grows_with_lateness(terms, data):
    """With nothing paid, an overdue installment's interest never shrinks as time passes.

    If this failed, an employee who waited longer for an unpaid bonus would be owed less late
    interest than one who waited less.
    """
    assume(is_valid(terms, []))
    last_deadline = max(
        compute_schedule(terms, [], terms.effective).installments, key=lambda s: s.deadline
    ).deadline
    d1 = data.draw(
        st.dates(min_value=terms.effective, max_value=last_deadline + dt.timedelta(days=400)),
        label="d1",
    )
    d2 = data.draw(st.dates(min_value=d1 + DAY, max_value=d1 + dt.timedelta(days=1500)), label="d2")
    first = compute_schedule(terms, [], d1)
    second = compute_schedule(terms, [], d2)
    for a, b in zip(first.installments, second.installments, strict=True):
        if a.status is Status.OVERDUE:
            assert b.status is Status.OVERDUE, (a, b)
            assert b.interest_outstanding >= a.interest_outstanding, (a, b)


@PROPERTY_SETTINGS
@given(agreements(), st.data())
def test_one_pass_at_several_dates_equals_each_date_apart(case, data):
    """compute_schedules reads one run at several dates (the accrual exports' opening and
    closing): each schedule must be exactly what compute_schedule gives for that date alone,
    late interest included, whatever the order and repetition of the dates."""
    terms, events = case
    dates = data.draw(st.lists(as_of_dates(terms), min_size=1, max_size=5))
    together = compute_schedules(terms, events, dates)
    assert together == tuple(compute_schedule(terms, events, day) for day in dates)
