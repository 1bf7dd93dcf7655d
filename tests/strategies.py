"""Hypothesis strategies for agreements: terms, events and as-of dates, built from whole cents.

Shared by the engine's properties (tests/domain/test_properties.py) and the accruals' properties
(tests/domain/test_accrual_properties.py).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, assume, settings
from hypothesis import strategies as st

from comp_tracker.domain import (
    AgreementError,
    Amendment,
    ChangeInControl,
    DayCount,
    Event,
    Installment,
    Payment,
    Status,
    Termination,
    TerminationReason,
    Terms,
    compute_schedule,
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
def events_strategy(draw: st.DrawFn, terms: Terms) -> list[Event]:
    """Zero or more payments, at most one termination, change in control and amendment.

    Payments are mostly small and unnamed, so most event sets are valid; some settle one
    installment in full (principal and late interest, computed from the events before them), so
    that paid installments and interest payments are common too.
    """
    others: list[Event] = []
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


def is_valid(terms: Terms, events: list[Event]) -> bool:
    try:
        validate(terms, events)
    except AgreementError:
        return False
    return True


@st.composite
def agreements(draw: st.DrawFn) -> tuple[Terms, list[Event]]:
    """Valid terms and a valid set of events (invalid event sets are rejected)."""
    terms = draw(terms_strategy())
    events = draw(events_strategy(terms))
    assume(is_valid(terms, events))
    return terms, events


def as_of_dates(terms: Terms) -> st.SearchStrategy[dt.date]:
    return st.dates(min_value=terms.effective, max_value=terms.expires + dt.timedelta(days=800))


@st.composite
def agreements_as_of(draw: st.DrawFn) -> tuple[Terms, list[Event], dt.date]:
    terms, events = draw(agreements())
    return terms, events, draw(as_of_dates(terms))
