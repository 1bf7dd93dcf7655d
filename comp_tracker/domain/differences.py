"""What differs between two versions of an agreement: its terms, and its events as multisets.

An import compares an agreement file with what is stored (same id): the changed terms become a
new terms revision, the events only in the records are voided and those only in the file are
recorded. This module says what differs and how a difference reads in the import's report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import fields

from .model import ChangeInControl, Event, Installment, Payment, Termination, Terms
from .money import format_money


def event_key(event: Event) -> tuple[object, ...]:
    """What makes two events the same event, whatever their references."""
    if isinstance(event, Payment):
        return ("payment", event.date, event.amount, event.installment)
    if isinstance(event, Termination):
        return ("termination", event.date, event.reason.value)
    if isinstance(event, ChangeInControl):
        return ("change_in_control", event.date)
    return ("amendment", event.date, event.expires, event.installments)


def event_line(event: Event) -> str:
    """An event on one line, as the import's report lists what it adds and removes."""
    if isinstance(event, Payment):
        target = f" to installment {event.installment}" if event.installment else ""
        return f"payment {event.date} {format_money(event.amount)}{target}"
    if isinstance(event, Termination):
        return f"termination {event.date} {event.reason.value}"
    if isinstance(event, ChangeInControl):
        return f"change in control {event.date}"
    parts = [f"amendment {event.date}"]
    if event.expires is not None:
        parts.append(f"expires {event.expires}")
    if event.installments is not None:
        parts.append(
            "installments "
            + (", ".join(f"{i.due} {format_money(i.amount)}" for i in event.installments) or "none")
        )
    return " ".join(parts)


# The terms compared one by one: all but who the agreement is between, and its installments
# (compared as a whole), in the order Terms declares them.
_TERMS_FIELDS = tuple(
    f.name for f in fields(Terms) if f.name not in {"id", "company", "employee", "installments"}
)


def terms_differences(stored: Terms, new: Terms) -> list[str]:
    """Each term that differs, as \"name old -> new\"."""
    changes = []
    for name in _TERMS_FIELDS:
        old, value = getattr(stored, name), getattr(new, name)
        if old != value:
            if isinstance(old, frozenset):
                old, value = sorted(str(r) for r in old), sorted(str(r) for r in value)
            changes.append(f"{name} {old} -> {value}")
    if stored.installments != new.installments:

        def show(installments: tuple[Installment, ...]) -> str:
            return ", ".join(f"{i.due} {format_money(i.amount)}" for i in installments)

        changes.append(f"installments [{show(stored.installments)}] -> [{show(new.installments)}]")
    return changes


def event_differences(
    stored: Sequence[Event], new: Sequence[Event]
) -> tuple[list[Event], list[Event]]:
    """(events only in ``stored``, events only in ``new``), as multisets."""
    return _not_in(stored, new), _not_in(new, stored)


def _not_in(events: Sequence[Event], others: Sequence[Event]) -> list[Event]:
    """The events of ``events`` left once each of ``others`` has taken away one equal to it."""
    remaining = Counter(event_key(e) for e in others)
    left = []
    for event in events:
        key = event_key(event)
        if remaining[key]:
            remaining[key] -= 1
        else:
            left.append(event)
    return left
