"""Recording what happened: payments, terminations, changes in control, amendments, voids.

A payment or an amendment is recorded on one agreement. A termination is recorded on the
employee's employment and applies to every agreement of that person in force on its date; a
change in control is recorded on the company and applies to every agreement of the company in
force on its date.

Every change is planned by :func:`comp_tracker.domain.planner.plan` and nothing else: ``plan_*``
reads the records and returns the plan (what the TUI's previews, the what-if and the CLI's
``--dry-run`` show); ``record_*`` plans the same change inside a write transaction, with the
agreements locked, and commits it only if the plan has no errors (raising the first otherwise, so
nothing is written).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from comp_tracker.domain import (
    Amendment,
    ChangeInControl,
    Event,
    Installment,
    Payment,
    Termination,
    TerminationReason,
)
from comp_tracker.domain.inputs import read_reason
from comp_tracker.domain.planner import (
    Amend,
    Change,
    ControlChange,
    Pay,
    Plan,
    Terminate,
    Void,
    event_ref,
    plan,
)
from comp_tracker.services.context import Context
from comp_tracker.services.events.planning import (
    Recorded,
    Records,
    agreements_of,
    commit,
    find_company,
    find_employee,
    read_book,
    touched_by,
    voided_note,
)
from comp_tracker.services.writing import Writer, run_write
from comp_tracker.storage.reads import agreement_id_for, load_one

if TYPE_CHECKING:
    from comp_tracker.storage.reads import Reader

__all__ = [
    "Recorded",
    "plan_amendment",
    "plan_change_in_control",
    "plan_events",
    "plan_payment",
    "plan_termination",
    "plan_void",
    "record_amendment",
    "record_change_in_control",
    "record_events",
    "record_payment",
    "record_termination",
    "void_event",
]

#: The refs the proposed events carry until they are recorded (and get ``event #N``): an error's
#: field reads the same in a preview and on saving ("payment.amount").
PAYMENT, TERMINATION, CHANGE_IN_CONTROL, AMENDMENT = (
    "payment",
    "termination",
    "change_in_control",
    "amendment",
)


@dataclass(frozen=True)
class _Request:
    """A change and the records it is planned against."""

    records: Records
    change: Change | tuple[Change, ...]
    owner_ids: dict[str, int] = field(default_factory=dict)


#: Reads what a change needs; the second argument locks agreement rows (a no-op for a preview).
_Build = Callable[["Reader", Callable[[list[int]], None]], _Request]


def _no_lock(_ids: list[int]) -> None:
    return None


def _preview(ctx: Context, build: _Build, today: dt.date) -> Plan:
    with ctx.db.read() as session:
        request = build(session, _no_lock)
    return plan(request.records.book, request.change, today)


def _record(
    ctx: Context,
    build: _Build,
    *,
    note: str | None = None,
    expected_version: int | None = None,
) -> list[Recorded]:
    def work(w: Writer) -> list[Recorded]:
        request = build(w.session, w.lock)
        planned = plan(request.records.book, request.change, w.now.date())
        return commit(
            w,
            request.records,
            planned,
            note=note,
            expected_version=expected_version,
            owner_ids=request.owner_ids,
        )

    return run_write(ctx, work)


def _record_one(
    ctx: Context,
    build: _Build,
    *,
    note: str | None = None,
    expected_version: int | None = None,
) -> Recorded:
    """:func:`_record` of a change that is one event."""
    [recorded] = _record(ctx, build, note=note, expected_version=expected_version)
    return recorded


# -- payments and amendments: one agreement ------------------------------------------------------


def _on_agreement(change: Pay | Amend) -> _Build:
    def build(session: Reader, lock: Callable[[list[int]], None]) -> _Request:
        agreement_id = agreement_id_for(session, change.agreement)
        lock([agreement_id])
        return _Request(read_book(session, [agreement_id]), change)

    return build


def _payment(agreement: str, date: dt.date, amount: Decimal, installment: int | None) -> Pay:
    return Pay(agreement, Payment(date, amount, installment, ref=PAYMENT))


def plan_payment(
    ctx: Context,
    agreement: str,
    date: dt.date,
    amount: Decimal,
    installment: int | None = None,
    *,
    today: dt.date,
) -> Plan:
    """What :func:`record_payment` would record, and the schedule after it as of ``today``."""
    return _preview(ctx, _on_agreement(_payment(agreement, date, amount, installment)), today)


def record_payment(
    ctx: Context,
    agreement: str,
    date: dt.date,
    amount: Decimal,
    installment: int | None = None,
    *,
    note: str | None = None,
    expected_version: int | None = None,
) -> Recorded:
    """Record money paid to the employee under ``agreement``."""
    build = _on_agreement(_payment(agreement, date, amount, installment))
    return _record_one(ctx, build, note=note, expected_version=expected_version)


def _amendment(
    agreement: str,
    date: dt.date,
    expires: dt.date | None,
    installments: Sequence[Installment] | None,
) -> Amend:
    new = tuple(installments) if installments is not None else None
    return Amend(agreement, Amendment(date, expires, new, ref=AMENDMENT))


def plan_amendment(
    ctx: Context,
    agreement: str,
    date: dt.date,
    *,
    expires: dt.date | None = None,
    installments: Sequence[Installment] | None = None,
    today: dt.date,
) -> Plan:
    """What :func:`record_amendment` would record."""
    return _preview(ctx, _on_agreement(_amendment(agreement, date, expires, installments)), today)


def record_amendment(
    ctx: Context,
    agreement: str,
    date: dt.date,
    *,
    expires: dt.date | None = None,
    installments: Sequence[Installment] | None = None,
    note: str | None = None,
    expected_version: int | None = None,
) -> Recorded:
    """Record a written amendment (paragraph 6): a new expiry, new installments, or both."""
    build = _on_agreement(_amendment(agreement, date, expires, installments))
    return _record_one(ctx, build, note=note, expected_version=expected_version)


# -- terminations and changes in control: every agreement of the employee or company ------------


def _termination(
    employee: str, date: dt.date, reason: TerminationReason, company: str | None
) -> _Build:
    def build(session: Reader, lock: Callable[[list[int]], None]) -> _Request:
        person = find_employee(session, employee, company)
        ids = agreements_of(session, employee_id=person.employee_id)
        lock(ids)
        change = Terminate(person.company, employee, Termination(date, reason, ref=TERMINATION))
        records = read_book(session, ids, employee_ids=[person.employee_id])
        return _Request(records, change, {"employee_id": person.employee_id})

    return build


def plan_termination(
    ctx: Context,
    employee: str,
    date: dt.date,
    reason: TerminationReason,
    *,
    company: str | None = None,
    today: dt.date,
) -> Plan:
    """What :func:`record_termination` would do to each of the employee's agreements."""
    return _preview(ctx, _termination(employee, date, reason, company), today)


def record_termination(
    ctx: Context,
    employee: str,
    date: dt.date,
    reason: TerminationReason,
    *,
    company: str | None = None,
    note: str | None = None,
) -> Recorded:
    """Record the end of an employee's employment; it applies to all their agreements."""
    return _record_one(ctx, _termination(employee, date, reason, company), note=note)


def _change_control(company: str, date: dt.date) -> _Build:
    def build(session: Reader, lock: Callable[[list[int]], None]) -> _Request:
        company_id = find_company(session, company)
        ids = agreements_of(session, company_id=company_id)
        lock(ids)
        change = ControlChange(company, ChangeInControl(date, ref=CHANGE_IN_CONTROL))
        records = read_book(session, ids, company_ids=[company_id])
        return _Request(records, change, {"company_id": company_id})

    return build


def plan_change_in_control(ctx: Context, company: str, date: dt.date, *, today: dt.date) -> Plan:
    """What :func:`record_change_in_control` would do to each agreement of the company."""
    return _preview(ctx, _change_control(company, date), today)


def record_change_in_control(
    ctx: Context, company: str, date: dt.date, *, note: str | None = None
) -> Recorded:
    """Record a change in control of a company; it ends every agreement of the company."""
    return _record_one(ctx, _change_control(company, date), note=note)


# -- several events of one agreement (the what-if's "record these") ------------------------------


def _events(agreement: str, events: Sequence[Event]) -> _Build:
    def build(session: Reader, lock: Callable[[list[int]], None]) -> _Request:
        item = load_one(session, agreement)
        ids = [item.agreement_id]
        if any(isinstance(e, Termination) for e in events):
            ids += agreements_of(session, employee_id=item.employee_id)
        if any(isinstance(e, ChangeInControl) for e in events):
            ids += agreements_of(session, company_id=item.company_id)
        lock(ids)
        records = read_book(
            session, ids, employee_ids=[item.employee_id], company_ids=[item.company_id]
        )
        terms = item.terms
        changes: list[Change] = []
        for event in events:
            if isinstance(event, Payment):
                changes.append(Pay(agreement, event))
            elif isinstance(event, Termination):
                changes.append(Terminate(terms.company, terms.employee, event))
            elif isinstance(event, ChangeInControl):
                changes.append(ControlChange(terms.company, event))
            else:
                changes.append(Amend(agreement, event))
        owners = {"employee_id": item.employee_id, "company_id": item.company_id}
        return _Request(records, tuple(changes), owners)

    return build


def plan_events(ctx: Context, agreement: str, events: Sequence[Event], *, today: dt.date) -> Plan:
    """What :func:`record_events` would record: each event planned after the ones before it."""
    return _preview(ctx, _events(agreement, events), today)


def record_events(
    ctx: Context,
    agreement: str,
    events: Sequence[Event],
    *,
    note: str | None = None,
) -> list[Recorded]:
    """Record several events of one agreement at once (the what-if's "record these"): all of
    them or, if any is refused, none. A termination is of the agreement's employee and a change
    in control of its company, as when they are recorded one by one; each is checked against
    the records and the events before it, in the order given."""
    return _record(ctx, _events(agreement, events), note=note)


# -- voids ---------------------------------------------------------------------------------------


def _void(event_id: int, reason: str) -> _Build:
    def build(session: Reader, lock: Callable[[list[int]], None]) -> _Request:
        ids = touched_by(session, event_id)
        lock(ids)
        records = read_book(session, ids)
        already = voided_note(session, event_id)
        if already is not None:
            book = replace(records.book, voided={event_ref(event_id): already})
            records = replace(records, book=book)
        return _Request(records, Void(event_id, reason))

    return build


def plan_void(ctx: Context, event_id: int, reason: str, *, today: dt.date) -> Plan:
    """What :func:`void_event` would do to each agreement the event is in force on."""
    return _preview(ctx, _void(event_id, read_reason(reason)), today)


def void_event(ctx: Context, event_id: int, reason: str) -> Recorded:
    """Declare an event a mistake. The event stays in the history, marked void."""
    return _record_one(ctx, _void(event_id, read_reason(reason)))
