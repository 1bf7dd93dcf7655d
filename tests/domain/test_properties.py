"""Properties of the schedule engine that must hold for every agreement, checked with Hypothesis.

The worked examples pin figures a person can check by hand; these tests generate thousands of
agreements (terms, payments, a termination, a change in control, an amendment) and check the
invariants that every schedule must keep whatever the figures are. Money is built from whole
cents, never from floats.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from comp_tracker.domain import (
    AgreementError,
    Amendment,
    ChangeInControl,
    DayCount,
    Installment,
    Payment,
    Schedule,
    Status,
    Termination,
    TerminationReason,
    Terms,
    compute_schedule,
    compute_schedules,
    dump_agreement,
    parse_agreement,
    validate,
)

CENT = Decimal("0.01")
CALENDARS = ["US", "NYSE", "US-ID", "GB"]
FIRST_EFFECTIVE = dt.date(2000, 1, 1)
LAST_EFFECTIVE = dt.date(2030, 12, 31)
DAY = dt.timedelta(days=1)

PROPERTY_SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


# -- strategies -------------------------------------------------------------------------------


def money(cents: int) -> Decimal:
    """An amount from a whole number of cents, exactly (no float anywhere)."""
    return (Decimal(cents) / 100).quantize(CENT)


def cents(min_cents: int, max_cents: int) -> st.SearchStrategy[Decimal]:
    return st.integers(min_cents, max_cents).map(money)


@st.composite
def rates(draw: st.DrawFn) -> Decimal:
    """A yearly rate from 0 to 0.25 written with two to four decimals ("0.10", "0.0825")."""
    places = draw(st.integers(2, 4))
    return Decimal(draw(st.integers(0, 25 * 10 ** (places - 2)))).scaleb(-places)


NAME_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzéüß .,'&-\"\\"
# Names are trimmed: the file reader trims them, so " Hecla " would not survive a round trip
# (reported separately; see the round-trip test).
names = st.text(alphabet=NAME_ALPHABET, min_size=1, max_size=24).map(str.strip).filter(bool)


@st.composite
def terms_strategy(draw: st.DrawFn) -> Terms:
    effective = draw(st.dates(min_value=FIRST_EFFECTIVE, max_value=LAST_EFFECTIVE))
    expires = draw(st.dates(min_value=effective, max_value=effective + dt.timedelta(days=4 * 366)))
    count = draw(st.integers(1, 6))
    installments = tuple(
        Installment(
            draw(st.dates(min_value=effective, max_value=expires)),
            draw(cents(100_00, 500_000_00)),
        )
        for _ in range(count)
    )
    return Terms(
        id=draw(names),
        company=draw(names),
        employee=draw(names),
        effective=effective,
        expires=expires,
        installments=installments,
        calendar=draw(st.sampled_from(CALENDARS)),
        payment_window_business_days=draw(st.integers(0, 5)),
        end_after_termination_business_days=draw(st.integers(0, 6)),
        late_interest_rate=draw(rates()),
        day_count=draw(st.sampled_from(DayCount)),
        accelerate_on=draw(
            st.one_of(
                st.just(frozenset({TerminationReason.WITHOUT_CAUSE})),
                st.frozensets(st.sampled_from(TerminationReason)),
            )
        ),
        governing_law=draw(st.none() | st.sampled_from(["Idaho", "New York", "Delaware"])),
    )


def event_dates(terms: Terms) -> st.SearchStrategy[dt.date]:
    """From the effective date to well after expiry, so that some payments are late."""
    return st.dates(min_value=terms.effective, max_value=terms.expires + dt.timedelta(days=500))


# Mostly small unnamed payments (nearly always valid), some naming an installment, some settling
# one in full, and a few large ones (often overpayments, which validate() refuses).
PAYMENT_KINDS = ["small", "small", "small", "named", "settle", "settle", "big"]


@st.composite
def events_strategy(draw: st.DrawFn, terms: Terms) -> list:
    """Zero or more payments, at most one termination, change in control and amendment.

    Payments are mostly small and unnamed, so most event sets are valid; some settle one
    installment in full (principal and late interest, computed from the events before them), so
    that paid installments and interest payments are common too.
    """
    others: list = []
    if draw(st.booleans()):
        reason = draw(st.sampled_from(TerminationReason))
        others.append(Termination(draw(event_dates(terms)), reason))
    if draw(st.integers(0, 2)) == 0:
        others.append(ChangeInControl(draw(event_dates(terms))))
    if draw(st.integers(0, 3)) == 0:
        on = draw(st.dates(min_value=terms.effective, max_value=terms.expires))
        later = terms.expires + dt.timedelta(days=draw(st.integers(1, 400)))
        others.append(Amendment(on, expires=later))

    total = sum(i.amount for i in terms.installments)
    smallest = min(i.amount for i in terms.installments)
    count = draw(st.integers(0, 5))
    payment_dates = sorted(draw(event_dates(terms)) for _ in range(count))
    payments: list[Payment] = []
    for on in payment_dates:
        kind = draw(st.sampled_from(PAYMENT_KINDS))
        if kind == "small":
            limit = int(smallest * 100) // (count + 1)
            payments.append(Payment(on, draw(cents(1, max(1, limit)))))
        elif kind == "named":
            number = draw(st.integers(1, len(terms.installments)))
            limit = int(smallest * 100) // (count + 1)
            payments.append(Payment(on, draw(cents(1, max(1, limit))), installment=number))
        elif kind == "big":
            payments.append(Payment(on, draw(cents(1, int(total * 100)))))
        else:  # settle one installment in full, as it stands on that date
            try:
                now = compute_schedule(terms, [*others, *payments], on)
            except AgreementError:
                continue
            owing = [
                s
                for s in now.installments
                if s.status is not Status.FORFEITED
                and s.principal_outstanding + s.interest_outstanding > 0
            ]
            if not owing:
                continue
            state = draw(st.sampled_from(owing))
            owed = state.principal_outstanding + state.interest_outstanding
            named = draw(st.booleans())
            payments.append(Payment(on, owed, installment=state.number if named else None))
    events = [*others, *payments]
    # In date order, as a person would enter them; same-day payments keep the order they were
    # generated in (for payments on one day that order is meaningful).
    return sorted(events, key=lambda e: (e.date, isinstance(e, Payment)))


def is_valid(terms: Terms, events: list) -> bool:
    try:
        validate(terms, events)
    except AgreementError:
        return False
    return True


@st.composite
def agreements(draw: st.DrawFn) -> tuple[Terms, list]:
    """Valid terms and a valid set of events (invalid event sets are rejected)."""
    terms = draw(terms_strategy())
    events = draw(events_strategy(terms))
    assume(is_valid(terms, events))
    return terms, events


def as_of_dates(terms: Terms) -> st.SearchStrategy[dt.date]:
    return st.dates(min_value=terms.effective, max_value=terms.expires + dt.timedelta(days=800))


@st.composite
def agreements_as_of(draw: st.DrawFn) -> tuple[Terms, list, dt.date]:
    terms, events = draw(agreements())
    return terms, events, draw(as_of_dates(terms))


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
