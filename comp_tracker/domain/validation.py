"""Validation of terms and events: one set of checks for every way an agreement comes in.

The agreement file loader calls :func:`validate`, and so will every service that creates or
changes an agreement, so a file and a form refuse exactly the same things. Each failure is an
:class:`~comp_tracker.domain.errors.AgreementError` naming the field and the value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from .calendars import get_calendar
from .engine import compute_schedule
from .errors import AgreementError, missing
from .model import Amendment, ChangeInControl, Event, Payment, Schedule, Termination, Terms
from .money import is_cents

#: Windows and tails longer than a working year are typing mistakes, not agreements.
MAX_BUSINESS_DAYS = 250
#: No retention bonus reaches a trillion; a larger figure is a typing mistake, and stays well
#: inside the 64-bit integer cents the database keeps.
MAX_AMOUNT = Decimal("999999999999.99")


def check_amount(field: str, value: Decimal) -> None:
    if not value.is_finite() or value <= 0:
        raise AgreementError(field, value, "must be a positive amount")
    if not is_cents(value):
        raise AgreementError(field, value, "must have at most two decimals")
    if value > MAX_AMOUNT:
        raise AgreementError(field, value, f"is too large (at most {MAX_AMOUNT})")


def validate_terms(terms: Terms, prefix: str = "agreement") -> None:
    """Check the terms on their own (no events)."""
    for name in ("id", "company", "employee", "calendar", "governing_law"):
        value = getattr(terms, name)
        if value is None:
            continue
        if not value.strip():
            raise AgreementError(f"{prefix}.{name}", value, "must not be empty")
        if value != value.strip():
            raise AgreementError(f"{prefix}.{name}", value, "must not start or end with spaces")
    if terms.expires < terms.effective:
        raise AgreementError(
            f"{prefix}.expires", terms.expires, f"is before the effective date {terms.effective}"
        )
    try:
        get_calendar(terms.calendar)
    except AgreementError as exc:
        raise AgreementError(f"{prefix}.calendar", terms.calendar, exc.reason) from None
    for name in ("payment_window_business_days", "end_after_termination_business_days"):
        days = getattr(terms, name)
        if (
            isinstance(days, bool)
            or not isinstance(days, int)
            or not 0 <= days <= MAX_BUSINESS_DAYS
        ):
            raise AgreementError(
                f"{prefix}.{name}",
                days,
                f"must be a whole number of business days from 0 to {MAX_BUSINESS_DAYS}",
            )
    rate = terms.late_interest_rate
    if not rate.is_finite() or not 0 <= rate <= 1:
        raise AgreementError(
            f"{prefix}.late_interest_rate",
            rate,
            'must be a yearly rate from 0 to 1, written as a fraction ("0.10" is 10%)',
        )
    if not terms.installments:
        raise AgreementError(f"{prefix}.installments", missing(), "at least one is required")
    for number, installment in enumerate(terms.installments, start=1):
        field = f"{prefix}.installments[{number}]"
        check_amount(f"{field}.amount", installment.amount)
        if not terms.effective <= installment.due <= terms.expires:
            raise AgreementError(
                f"{field}.due",
                installment.due,
                f"is outside the agreement's term ({terms.effective} to {terms.expires})",
            )


def validate_events(terms: Terms, events: Sequence[Event]) -> None:
    """Check each event on its own and the set of them, without evaluating the schedule."""
    seen: dict[type, Event] = {}
    for event in events:
        if event.date < terms.effective:
            raise AgreementError(
                f"{event.ref}.date",
                event.date,
                f"is before the agreement's effective date {terms.effective}",
            )
        if isinstance(event, Termination | ChangeInControl):
            earlier = seen.get(type(event))
            if earlier is not None:
                kind = "termination" if isinstance(event, Termination) else "change_in_control"
                raise AgreementError(
                    f"{event.ref}.type",
                    kind,
                    f"a second {kind.replace('_', ' ')}; there is already one on {earlier.date}"
                    f" ({earlier.ref})",
                )
            seen[type(event)] = event
        elif isinstance(event, Payment):
            check_amount(f"{event.ref}.amount", event.amount)
            if event.installment is not None and event.installment < 1:
                raise AgreementError(
                    f"{event.ref}.installment", event.installment, "installments count from 1"
                )
        elif isinstance(event, Amendment):
            _check_amendment(event)


def _check_amendment(event: Amendment) -> None:
    if event.expires is None and event.installments is None:
        raise AgreementError(
            event.ref, missing(), "an amendment needs a new expires date, installments, or both"
        )
    if event.expires is not None and event.expires < event.date:
        raise AgreementError(
            f"{event.ref}.expires", event.expires, f"is before the amendment's date {event.date}"
        )
    for number, installment in enumerate(event.installments or (), start=1):
        field = f"{event.ref}.installments[{number}]"
        check_amount(f"{field}.amount", installment.amount)
        if installment.due <= event.date:
            raise AgreementError(
                f"{field}.due",
                installment.due,
                f"must be after the amendment's date {event.date}: "
                "an amendment never rewrites what was already due",
            )


def last_event_date(terms: Terms, events: Sequence[Event]) -> dt.date:
    return max([terms.effective, *(e.date for e in events)])


def validate(terms: Terms, events: Sequence[Event]) -> Schedule:
    """Validate terms and events completely, evaluating every event in order.

    Returns the schedule as of the last event's date (so overpayments and payments to forfeited
    installments are found whatever as-of date is asked for later).
    """
    validate_terms(terms)
    validate_events(terms, events)
    return compute_schedule(terms, events, last_event_date(terms, events))
