"""One planner for every change to the records: a preview is a plan, a record is a plan committed.

    plan(book, change, today) -> Plan

``book`` is what the records say of the agreements a change may touch (their terms and the events
in force on them, and what is recorded on their employees and companies); ``change`` is what a
person proposes (a payment, a termination, a change in control, an amendment, a void, or several
of them in order); ``today`` is the day the schedule after the change is wanted for. The answer
says whether the change is allowed (``Plan.errors``: empty, or the refusal, naming the field and
the value), what the engine noted about it (``Plan.warnings``) and what it does to each agreement
(``Plan.effects``: the schedule before and after, on any day).

Nothing else decides whether a change is allowed. The services record a change only when its plan
has no errors, and commit exactly what the plan says; the terminal UI's previews, the what-if and
the CLI's ``--dry-run`` show the same plan and commit nothing. So a preview can never accept what
the record refuses, or say something else than what is then saved.

A pure function over values, like the engine: no database, no clock.

    >>> import datetime as dt
    >>> from decimal import Decimal
    >>> from comp_tracker.domain import Installment, Payment, Terms
    >>> terms = Terms(id="a", company="Hecla", employee="P. Baker",
    ...               effective=dt.date(2001, 11, 6), expires=dt.date(2003, 1, 7),
    ...               installments=(Installment(dt.date(2002, 6, 30), Decimal("66000.00")),))
    >>> book = Book((Holding(terms, ()),))
    >>> ok = plan(book, Pay("a", Payment(dt.date(2002, 7, 1), Decimal("66000.00"))),
    ...           dt.date(2002, 7, 31))
    >>> ok.errors, ok.schedule.installments[0].status.value
    ((), 'paid')
    >>> too_much = plan(book, Pay("a", Payment(dt.date(2002, 7, 1), Decimal("70000.00"))),
    ...                 dt.date(2002, 7, 31))
    >>> too_much.errors[0].message
    'payment.amount = 70000.00: overpayment: only 66000.00 is owed in all on 2002-07-01'

Where each refusal comes from:

* the event on its own (an amount that is not a positive number of cents, an installment number
  below 1, a date before the agreement, an amendment that changes nothing):
  :mod:`~comp_tracker.domain.validation`;
* the event with the others (an overpayment, a payment to a forfeited installment, an amendment
  rewriting what was due or paid): the engine, :mod:`~comp_tracker.domain.engine`;
* the records (a second termination of an employee or change in control of a company, an
  employee or company with no agreement in force on the date, a void of an event already
  voided): here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from .engine import compute_schedule
from .errors import AgreementError
from .model import Amendment, ChangeInControl, Event, Payment, Schedule, Termination, Terms
from .validation import check_amount, validate


def event_ref(event_id: int) -> str:
    """How a recorded event is named in the engine's values and in messages: ``event #12``."""
    return f"event #{event_id}"


def check(terms: Terms, events: Iterable[Event]) -> Schedule:
    """Validate an agreement completely (terms, each event, all of them in date order) and return
    its schedule as of its last event: what every write checks before it commits."""
    return validate(terms, sorted(events, key=lambda e: e.date))


# -- what the planner reads -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Holding:
    """One agreement as recorded: its current terms and the events in force on it, in order.

    ``version`` counts the changes recorded on it: a plan shows it, so that whoever saves what
    a preview showed can refuse a change someone else made in between."""

    terms: Terms
    events: tuple[Event, ...]
    version: int = 0

    @property
    def agreement(self) -> str:
        return self.terms.id


@dataclass(frozen=True, slots=True)
class Book:
    """The records a change is planned against.

    ``holdings`` are the agreements the change may touch: the one agreement of a payment or an
    amendment; every agreement of the employee (of a termination) or of the company (of a change
    in control), in force on the date or not; every agreement holding the event a void names.
    """

    holdings: tuple[Holding, ...]
    #: The termination recorded on each employee, by (company, employee), if not voided.
    terminations: Mapping[tuple[str, str], Termination] = field(default_factory=dict)
    #: The change in control recorded on each company, if not voided.
    changes_in_control: Mapping[str, ChangeInControl] = field(default_factory=dict)
    #: Events already voided: the event's ref, and "on 2002-10-01 12:00 UTC by alice: typo".
    voided: Mapping[str, str] = field(default_factory=dict)

    def holding(self, agreement: str) -> Holding:
        for holding in self.holdings:
            if holding.terms.id == agreement:
                return holding
        raise LookupError(f"agreement {agreement} is not in the book")

    def replaced(self, effects: Sequence[Effect], change: Change) -> Book:
        """The book as it stands once ``change`` (with these effects) is recorded."""
        after = {e.agreement: e.after_events for e in effects}
        holdings = tuple(
            Holding(h.terms, after[h.terms.id], h.version + 1) if h.terms.id in after else h
            for h in self.holdings
        )
        terminations = dict(self.terminations)
        changes = dict(self.changes_in_control)
        voided = dict(self.voided)
        if isinstance(change, Terminate):
            terminations[(change.company, change.employee)] = change.termination
        elif isinstance(change, ControlChange):
            changes[change.company] = change.change_in_control
        elif isinstance(change, Void):
            voided[change.ref] = "earlier in the same change"
            terminations = {k: v for k, v in terminations.items() if v.ref != change.ref}
            changes = {k: v for k, v in changes.items() if v.ref != change.ref}
        return Book(holdings, terminations, changes, voided)


# -- the changes a person proposes ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Pay:
    """Money paid to the employee under one agreement."""

    agreement: str
    payment: Payment

    @property
    def date(self) -> dt.date:
        return self.payment.date


@dataclass(frozen=True, slots=True)
class Amend:
    """A written amendment of one agreement (paragraph 6)."""

    agreement: str
    amendment: Amendment

    @property
    def date(self) -> dt.date:
        return self.amendment.date


@dataclass(frozen=True, slots=True)
class Terminate:
    """The end of an employee's employment: it applies to every agreement of theirs in force on
    its date."""

    company: str
    employee: str
    termination: Termination

    @property
    def date(self) -> dt.date:
        return self.termination.date


@dataclass(frozen=True, slots=True)
class ControlChange:
    """A change in control of a company: it applies to every agreement of the company in force
    on its date."""

    company: str
    change_in_control: ChangeInControl

    @property
    def date(self) -> dt.date:
        return self.change_in_control.date


@dataclass(frozen=True, slots=True)
class Void:
    """Declare recorded event number ``event`` a mistake, for ``reason`` (required: see
    :func:`comp_tracker.domain.inputs.read_reason`)."""

    event: int
    reason: str

    @property
    def ref(self) -> str:
        return event_ref(self.event)


Change = Pay | Amend | Terminate | ControlChange | Void


# -- the answer -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Effect:
    """What a change does to one agreement.

    ``checked_before`` and ``checked_after`` are the agreement validated completely without and
    with the change, each as of its last event: what the audit log keeps and what the agreement's
    derived columns are computed from. :meth:`before` and :meth:`after` give the schedule on any
    day.
    """

    terms: Terms
    before_events: tuple[Event, ...]
    after_events: tuple[Event, ...]
    checked_before: Schedule
    checked_after: Schedule
    #: The agreement's version as read (see :class:`Holding`).
    version: int = 0

    @property
    def agreement(self) -> str:
        return self.terms.id

    def before(self, day: dt.date) -> Schedule:
        return compute_schedule(self.terms, self.before_events, day)

    def after(self, day: dt.date) -> Schedule:
        return compute_schedule(self.terms, self.after_events, day)

    @property
    def warnings(self) -> tuple[str, ...]:
        """What the engine noted because of the change (choices the agreement does not settle)."""
        known = set(self.checked_before.warnings)
        return tuple(w for w in self.checked_after.warnings if w not in known)


@dataclass(frozen=True)
class Step:
    """One change of a plan, planned against the records as the changes before it leave them."""

    change: Change
    effects: tuple[Effect, ...]
    #: Agreements of the employee or company that take effect after the date: the change does
    #: not touch them.
    not_affected: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    """What recording a change would do: refused (``errors``) or its effect on each agreement."""

    today: dt.date
    steps: tuple[Step, ...]
    errors: tuple[AgreementError, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    def refuse(self) -> None:
        """Raise the refusal, if there is one: what a write does instead of committing."""
        if self.errors:
            raise self.errors[0]

    @cached_property
    def effects(self) -> tuple[Effect, ...]:
        """Each agreement touched, once: as recorded before the first step, after the last."""
        first: dict[str, Effect] = {}
        last: dict[str, Effect] = {}
        for step in self.steps:
            for effect in step.effects:
                first.setdefault(effect.agreement, effect)
                last[effect.agreement] = effect
        return tuple(
            dataclasses.replace(
                last[key],
                before_events=first[key].before_events,
                checked_before=first[key].checked_before,
                version=first[key].version,
            )
            for key in first
        )

    @property
    def warnings(self) -> tuple[str, ...]:
        """What the engine noted about the change; with several agreements, each names its own."""
        several = len(self.effects) > 1
        return tuple(
            f"{effect.agreement}: {warning}" if several else warning
            for effect in self.effects
            for warning in effect.warnings
        )

    @cached_property
    def schedules(self) -> tuple[Schedule, ...]:
        """Each agreement touched, after the change, as of ``today``."""
        return tuple(effect.after(self.today) for effect in self.effects)

    @property
    def schedule(self) -> Schedule:
        """The one agreement touched, after the change, as of ``today``."""
        if len(self.effects) != 1:
            raise ValueError(f"the change touches {len(self.effects)} agreements, not one")
        return self.schedules[0]

    def effect(self, agreement: str) -> Effect | None:
        return next((e for e in self.effects if e.agreement == agreement), None)


# -- planning -------------------------------------------------------------------------------------


class _Refused(Exception):
    def __init__(self, error: AgreementError) -> None:
        self.error = error


def plan(book: Book, change: Change | Sequence[Change], today: dt.date) -> Plan:
    """Plan one change, or several in the order given (each against the records as the ones
    before it leave them; refused as a whole if any one is)."""
    changes = list(change) if isinstance(change, Sequence) else [change]
    steps: list[Step] = []
    for one in changes:
        try:
            step = _plan_one(book, one)
        except _Refused as refused:
            return Plan(today, tuple(steps), (refused.error,))
        except AgreementError as error:  # the engine's or the validation's refusal
            return Plan(today, tuple(steps), (error,))
        steps.append(step)
        book = book.replaced(step.effects, one)
    return Plan(today, tuple(steps))


def _plan_one(book: Book, change: Change) -> Step:
    if isinstance(change, Pay):
        payment = change.payment
        try:
            check_amount("amount", payment.amount)
        except AgreementError as error:
            raise _Refused(error) from None
        if payment.installment is not None and payment.installment < 1:
            raise _Refused(
                AgreementError("installment", payment.installment, "installments count from 1")
            )
        return Step(change, (_effect(book.holding(change.agreement), add=payment),))
    if isinstance(change, Amend):
        return Step(change, (_effect(book.holding(change.agreement), add=change.amendment),))
    if isinstance(change, Terminate):
        existing = book.terminations.get((change.company, change.employee))
        event: Termination | ChangeInControl = change.termination
        owner = change.employee
        kind = "termination"
        own = [
            h
            for h in book.holdings
            if h.terms.company == change.company and h.terms.employee == change.employee
        ]
        if existing is not None:
            raise _Refused(_second(kind, change.termination.ref, owner, existing))
    elif isinstance(change, ControlChange):
        found = book.changes_in_control.get(change.company)
        event = change.change_in_control
        owner = change.company
        kind = "change_in_control"
        own = [h for h in book.holdings if h.terms.company == change.company]
        if found is not None:
            raise _Refused(_second(kind, change.change_in_control.ref, owner, found))
    else:
        return _plan_void(book, change)
    if not own:
        raise _Refused(
            AgreementError(f"{event.ref}.date", event.date, f"{owner} has no agreements")
        )
    applies = [h for h in own if h.terms.effective <= event.date]
    if not applies:
        earliest = min(h.terms.effective for h in own)
        raise _Refused(
            AgreementError(
                f"{event.ref}.date",
                event.date,
                f"is before the effective date of every agreement of {owner} "
                f"(the earliest is {earliest})",
            )
        )
    return Step(
        change,
        tuple(_effect(h, add=event) for h in applies),
        not_affected=tuple(sorted(h.terms.id for h in own if h.terms.effective > event.date)),
    )


def _plan_void(book: Book, change: Void) -> Step:
    already = book.voided.get(change.ref)
    if already is not None:
        raise _Refused(AgreementError("event", change.event, f"already voided {already}"))
    ref = change.ref
    touched = [h for h in book.holdings if any(e.ref == ref for e in h.events)]
    return Step(change, tuple(_effect(h, drop=ref) for h in touched))


def _second(
    kind: str, ref: str, owner: str, existing: Termination | ChangeInControl
) -> AgreementError:
    return AgreementError(
        ref,
        owner,
        f"already has a {kind.replace('_', ' ')} on {existing.date} ({existing.ref}); "
        "void it first to record a different one",
    )


def _effect(holding: Holding, *, add: Event | None = None, drop: str | None = None) -> Effect:
    before_events = holding.events
    if add is not None:
        after_events = (*before_events, add)
    else:
        after_events = tuple(e for e in before_events if e.ref != drop)
    return Effect(
        terms=holding.terms,
        before_events=before_events,
        after_events=after_events,
        checked_before=check(holding.terms, before_events),
        checked_after=check(holding.terms, after_events),
        version=holding.version,
    )


# -- new agreements as copies of a template -------------------------------------------------------

_NOT_ID = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """Lower-case letters and digits joined by hyphens: how a name becomes part of an id."""
    return _NOT_ID.sub("-", text.lower()).strip("-")


def clone_names(text: str) -> list[str]:
    """Names typed one per line: spaces tidied, blank lines left out."""
    return [name for name in (" ".join(line.split()) for line in text.splitlines()) if name]


@dataclass(frozen=True)
class ClonePlan:
    """The agreements a clone would create (each the template's current terms, none of its
    events, under the id ``<template>-<name>``), or why it is refused.

    Each is created with the events already recorded on its owners that fall in its term: the
    company's change in control, and the termination of the employee if they are already at
    the company: they apply to every agreement of the company or the employee, new ones too.
    """

    template: str
    created: tuple[Holding, ...]
    errors: tuple[AgreementError, ...] = ()

    def schedules(self, day: dt.date) -> tuple[Schedule, ...]:
        """Each new agreement as of ``day``."""
        return tuple(compute_schedule(h.terms, h.events, day) for h in self.created)

    def refuse(self) -> None:
        if self.errors:
            raise self.errors[0]


def plan_clones(
    template: Terms,
    employees: Sequence[str],
    taken: Iterable[str],
    *,
    terminations: Mapping[tuple[str, str], Termination] | None = None,
    changes_in_control: Mapping[str, ChangeInControl] | None = None,
) -> ClonePlan:
    """Plan "substantially identical" agreements for other employees of the template's company.

    ``taken`` holds the agreement ids already stored (at least those starting with the
    template's id). Refuses an empty list, an empty name, a name given twice, the template's own
    party, a name with nothing to make an id from, an id already stored or shared by two names,
    and terms the template's own checks refuse.
    """
    names = [" ".join(n.split()) for n in employees]
    stored = set(taken)
    terminations = terminations or {}
    change = (changes_in_control or {}).get(template.company)

    def refused(name: str, reason: str) -> ClonePlan:
        return ClonePlan(template.id, (), (AgreementError("employee", name, reason),))

    if not names:
        return refused("", "must not be empty: type at least one name, one a line")
    created: list[Holding] = []
    seen: set[str] = set()
    for name in names:
        if not name:
            return refused(name, "must not be empty")
        if name in seen:
            return refused(name, "is named twice")
        seen.add(name)
        if name == template.employee:
            return refused(name, f"is already the party to {template.id}")
        if not slug(name):
            return refused(name, "has no letters a-z or digits to make an id from")
        key = f"{template.id}-{slug(name)}"
        if key in stored:
            return refused(name, f"already has this agreement ({key})")
        if any(holding.terms.id == key for holding in created):
            return refused(name, f"would get the same id as another name ({key})")
        terms = dataclasses.replace(template, id=key, employee=name)
        owners = (terminations.get((template.company, name)), change)
        events = tuple(e for e in owners if e is not None and e.date >= terms.effective)
        try:
            check(terms, events)
        except AgreementError as error:
            return ClonePlan(template.id, (), (error,))
        created.append(Holding(terms, events))
    return ClonePlan(template.id, tuple(created))
