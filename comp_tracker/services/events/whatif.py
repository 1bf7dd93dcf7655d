"""What a form would do, before it does it: the previews behind the TUI's new-agreement, clone and
what-if forms. Nothing here writes.

* :func:`preview_terms` and :func:`describe_terms`: the schedule the engine computes for terms a
  person is typing (no events, as of the app's date) and the terms in plain words, so HR reads
  back what they are about to save.
* :func:`preview_clones`: the agreements that
  :func:`~comp_tracker.services.agreements.creating.clone_agreement` would create for a list of
  names, refusing (with the name at fault) what it would refuse.
* :func:`compare`: an agreement's real schedule beside the one it would have if some hypothetical
  events (a termination, a change in control, a late payment) were added, and the installments
  that differ. The events are checked exactly as recording them would check them.

The forms call these and show the result; the writes themselves stay in
:mod:`~comp_tracker.services.agreements.importing` and
:mod:`~comp_tracker.services.events.recording`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from comp_tracker.domain import (
    ChangeInControl,
    Event,
    InstallmentState,
    Payment,
    Schedule,
    Status,
    Termination,
    TerminationReason,
    Terms,
    compute_schedule,
    validate,
)
from comp_tracker.domain.money import ZERO, format_grouped
from comp_tracker.domain.planner import slug
from comp_tracker.services.agreements.creating import plan_clone
from comp_tracker.services.context import Context
from comp_tracker.services.events.recording import plan_events
from comp_tracker.services.words import REASON_SHORT, after_employment_ends, late_interest
from comp_tracker.storage import reads
from comp_tracker.storage.reads import load_one

#: What an installment shows in the what-if tables, compared field by field.
COMPARED = (
    "due",
    "deadline",
    "status",
    "principal_outstanding",
    "interest_outstanding",
    "principal_paid",
    "principal_forfeited",
)

#: Words for the fields compared, in the plain-words list of differences.
FIELD_WORDS = {
    "due": "due",
    "deadline": "pay by",
    "status": "status",
    "principal_outstanding": "principal owed",
    "interest_outstanding": "interest owed",
    "principal_paid": "principal paid",
    "principal_forfeited": "forfeited",
}

#: Name suffixes left out when an agreement id is made from an employee's name.
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "phd", "md", "esq"}

# -- new agreements ----------------------------------------------------------------------------


def suggest_agreement_id(company: str, employee: str, effective: dt.date | None) -> str:
    """An id in the style of the sample's: company's first word, employee's surname, year.

    "Hecla Mining Company", "Phillips S. Baker, Jr.", 2001-11-06 → "hecla-baker-2001-retention".
    """
    company_word = next(iter(slug(company).split("-")), "")
    words = [w for w in slug(employee).split("-") if w]
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    surname = words[-1] if words else ""
    year = str(effective.year) if effective else ""
    return slug(f"{company_word} {surname} {year} retention")


@dataclass(frozen=True)
class NewAgreementChoices:
    """What the new-agreement form needs from the database: the companies to suggest, and the
    ids already taken (refused as you type; the save checks again, in its transaction)."""

    companies: list[str]
    taken: frozenset[str]


def new_agreement_choices(ctx: Context) -> NewAgreementChoices:
    with ctx.db.read() as session:
        return NewAgreementChoices(
            companies=reads.company_names(session),
            taken=frozenset(reads.agreement_keys(session)),
        )


def preview_terms(terms: Terms, as_of: dt.date) -> Schedule:
    """The schedule of new terms as of ``as_of``, with no events; validated exactly as
    :func:`~comp_tracker.services.agreements.creating.create_agreement` validates them (raises
    :class:`~comp_tracker.domain.AgreementError` naming the field)."""
    validate(terms, ())
    return compute_schedule(terms, (), as_of)


def _business_days(count: int) -> str:
    return f"{count} business day{'' if count == 1 else 's'}"


def _and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def describe_terms(terms: Terms) -> str:
    """The terms in plain words, one paragraph a rule, for HR to read back before saving."""
    total = sum((i.amount for i in terms.installments), ZERO)
    count = len(terms.installments)
    amounts = _and([f"{format_grouped(i.amount)} on {i.due}" for i in terms.installments])
    accelerating = [REASON_SHORT[r] for r in TerminationReason if r in terms.accelerate_on]
    if accelerating == [REASON_SHORT[TerminationReason.WITHOUT_CAUSE]]:
        acceleration = (
            "If the company terminates the employee without cause, the installments not yet due "
            "become due that day; if employment ends for any other reason, they are forfeited."
        )
    elif accelerating:
        acceleration = (
            f"If employment ends for one of these reasons: {', '.join(accelerating)}, the "
            "installments not yet due become due that day; for any other reason they are "
            "forfeited."
        )
    else:
        acceleration = (
            "If employment ends for any reason, the installments not yet due are forfeited."
        )
    ends = (
        f"It runs from {terms.effective} and ends on the earliest of {terms.expires}, "
        f"{after_employment_ends(terms.end_after_termination_business_days)}, and a change in "
        "control of the company (which forfeits the installments not yet due)."
    )
    lines = [
        f"{terms.company} pays {terms.employee} {count} installment{'' if count == 1 else 's'} "
        f"totalling {format_grouped(total)}: {amounts}.",
        f"Each is to be paid within {_business_days(terms.payment_window_business_days)} "
        f"({terms.calendar} calendar) after its date; any amount paid later bears "
        f"{late_interest(terms)} from then.",
        ends,
        acceleration,
    ]
    if terms.governing_law:
        lines.append(f"Governed by the law of {terms.governing_law}.")
    return "\n".join(lines)


# -- clones ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClonePreview:
    """One agreement a clone would create."""

    agreement: str
    employee: str
    terms: Terms


def preview_clones(ctx: Context, agreement: str, employees: Sequence[str]) -> list[ClonePreview]:
    """The agreements ``clone_agreement(ctx, agreement, employees)`` would create: its plan;
    raises what it would refuse (field ``employee``, the name at fault)."""
    planned = plan_clone(ctx, agreement, employees)
    planned.refuse()
    return [ClonePreview(h.terms.id, h.terms.employee, h.terms) for h in planned.created]


# -- what-if -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """One installment whose figures differ between the real and the hypothetical schedule."""

    installment: int
    #: The names (from :data:`COMPARED`) of the fields that differ.
    fields: tuple[str, ...]
    real: InstallmentState | None
    hypothetical: InstallmentState | None

    def describe(self) -> str:
        """ "Installment 2: accelerated; due 2002-12-31 → 2002-09-16; ..." """
        if self.real is None or self.hypothetical is None:
            which = "only in the what-if" if self.real is None else "only in the real schedule"
            return f"Installment {self.installment}: {which}"
        parts = []
        if self.hypothetical.accelerated and not self.real.accelerated:
            parts.append("accelerated")
        for name in self.fields:
            before, after = getattr(self.real, name), getattr(self.hypothetical, name)
            parts.append(f"{FIELD_WORDS[name]} {_show(before)} → {_show(after)}")
        return f"Installment {self.installment}: " + "; ".join(parts)


def _show(value: object) -> str:
    if isinstance(value, Decimal):
        return format_grouped(value)
    if isinstance(value, Status):
        return value.value
    return str(value)


@dataclass(frozen=True)
class Comparison:
    """An agreement as it stands and as it would stand with the hypothetical events."""

    agreement: str
    as_of: dt.date
    terms: Terms
    #: The hypothetical events, as given (each with its ``ref``).
    events: tuple[Event, ...]
    real: Schedule
    hypothetical: Schedule
    differences: tuple[Difference, ...]

    def changed(self, installment: int, name: str) -> bool:
        """Whether the field ``name`` of installment ``installment`` differs."""
        return any(d.installment == installment and name in d.fields for d in self.differences)

    def describe(self) -> list[str]:
        """The differences in plain words, the agreement's end and the totals first."""
        lines = []
        real, hypo = self.real, self.hypothetical
        if (real.ends_on, real.end_reason) != (hypo.ends_on, hypo.end_reason):
            lines.append(
                f"Ends {real.ends_on} ({real.end_reason.value.replace('_', ' ')}) → "
                f"{hypo.ends_on} ({hypo.end_reason.value.replace('_', ' ')})"
            )
        for name, words in (
            ("principal_outstanding", "Principal outstanding"),
            ("interest_outstanding", "Interest owed"),
        ):
            before, after = getattr(real, name), getattr(hypo, name)
            if before != after:
                lines.append(
                    f"{words} on {self.as_of}: {format_grouped(before)} → {format_grouped(after)}"
                )
        lines.extend(d.describe() for d in self.differences)
        return lines


def differences(real: Schedule, hypothetical: Schedule) -> tuple[Difference, ...]:
    """The installments whose :data:`COMPARED` fields differ, by installment number."""
    by_number = {i.number: i for i in real.installments}
    hypo_by_number = {i.number: i for i in hypothetical.installments}
    out = []
    for number in sorted(by_number.keys() | hypo_by_number.keys()):
        a, b = by_number.get(number), hypo_by_number.get(number)
        if a is None or b is None:
            out.append(Difference(number, COMPARED, a, b))
            continue
        fields = tuple(name for name in COMPARED if getattr(a, name) != getattr(b, name))
        if fields:
            out.append(Difference(number, fields, a, b))
    return tuple(out)


def what_if_ref(number: int) -> str:
    """The reference of the ``number``-th hypothetical event in error messages."""
    return f"what-if event {number}"


_RECORDING_ORDER = {Termination: 0, ChangeInControl: 1, Payment: 2}


def in_recording_order(events: Sequence[Event]) -> list[Event]:
    """The hypothetical events in the order "record these" records them: by date, and on one
    day a termination, then a change in control, then payments (the engine's own order)."""
    return sorted(events, key=lambda e: (e.date, _RECORDING_ORDER.get(type(e), 3)))


def compare(ctx: Context, agreement: str, events: Sequence[Event], as_of: dt.date) -> Comparison:
    """The agreement's schedule as recorded and with ``events`` added, both as of ``as_of``.

    The events are planned exactly as "record these" records them
    (:func:`~comp_tracker.services.events.recording.plan_events`, in :func:`in_recording_order`): a
    termination against every agreement of the employee, a change in control against every
    agreement of the company. Raises :class:`~comp_tracker.domain.AgreementError` (naming the
    event by its ``ref``) for an event the records refuse, and :class:`ServiceError` for an
    unknown agreement.
    """
    with ctx.db.read() as session:
        item = load_one(session, agreement)
    planned = plan_events(ctx, agreement, in_recording_order(events), today=as_of)
    planned.refuse()
    effect = planned.effect(agreement)
    real = compute_schedule(item.terms, item.events, as_of)
    hypothetical = effect.after(as_of) if effect is not None else real
    return Comparison(
        agreement=item.key,
        as_of=as_of,
        terms=item.terms,
        events=tuple(events),
        real=real,
        hypothetical=hypothetical,
        differences=differences(real, hypothetical),
    )


def describe_event(event: Event, terms: Terms) -> str:
    """What recording the event writes, in plain words (the what-if's confirmation lists these)."""
    if isinstance(event, Termination):
        return (
            f"Termination of {terms.employee}'s employment on {event.date}, "
            f"{REASON_SHORT[event.reason]} (it applies to every agreement of "
            f"{terms.employee} in force that day)"
        )
    if isinstance(event, ChangeInControl):
        return (
            f"Change in control of {terms.company} on {event.date} (it applies to every "
            f"agreement of {terms.company} in force that day)"
        )
    if isinstance(event, Payment):
        target = f" to installment {event.installment}" if event.installment else ""
        return (
            f"Payment of {format_grouped(event.amount)} on {event.date}{target}, under {terms.id}"
        )
    return f"Amendment on {event.date}"
