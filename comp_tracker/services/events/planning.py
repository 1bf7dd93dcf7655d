"""The records as the planner reads them, and a plan committed.

:func:`read_book` loads what :func:`comp_tracker.domain.planner.plan` needs to plan a change: the
agreements it may touch and what is recorded on their employees and companies. :func:`commit`
writes what an accepted plan says, inside the caller's write transaction: each touched agreement's
version moved on (refusing a change someone made in between), the event rows, the void, and one
audit row per change. The services record a change as ``plan`` then ``commit``, and preview it as
``plan`` alone, so a preview and a record cannot disagree.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from comp_tracker.domain import ChangeInControl, Schedule, Termination, TerminationReason
from comp_tracker.domain.money import format_money, to_cents
from comp_tracker.domain.planner import (
    Amend,
    Book,
    ControlChange,
    Holding,
    Pay,
    Plan,
    Terminate,
    Void,
    event_ref,
)
from comp_tracker.services.writing import snapshot
from comp_tracker.storage.reads import (
    Loaded,
    Person,
    agreements_of,
    event_row,
    find_company,
    find_employee,
    live_changes_in_control,
    live_terminations,
    load_agreements,
    touched_by,
    voided_note,
)

if TYPE_CHECKING:
    from comp_tracker.services.writing import Writer
    from comp_tracker.storage.reads import Reader

__all__ = [
    "Person",
    "Recorded",
    "Records",
    "agreements_of",
    "commit",
    "find_company",
    "find_employee",
    "read_book",
    "touched_by",
    "voided_note",
]


@dataclass(frozen=True)
class Recorded:
    """The result of a write: the new event's id and each touched agreement's schedule after."""

    event_id: int
    schedules: tuple[Schedule, ...]


@dataclass(frozen=True)
class Records:
    """A book and the stored rows behind it (ids and versions, for the commit)."""

    book: Book
    loaded: dict[str, Loaded]


def read_book(
    session: Reader,
    agreement_ids: Iterable[int],
    *,
    employee_ids: Iterable[int] = (),
    company_ids: Iterable[int] = (),
) -> Records:
    """The agreements of ``agreement_ids`` as the planner reads them, with the terminations of
    ``employee_ids`` and the changes in control of ``company_ids`` recorded and not voided."""
    loaded = load_agreements(session, ids=sorted(set(agreement_ids)))
    holdings = tuple(Holding(item.terms, item.events, item.version) for item in loaded)
    terminations: dict[tuple[str, str], Termination] = {}
    for event_id, date, reason, employee, company in live_terminations(
        session, sorted(set(employee_ids))
    ):
        terminations.setdefault(
            (company, employee), Termination(date, TerminationReason(reason), event_ref(event_id))
        )
    changes: dict[str, ChangeInControl] = {}
    for event_id, date, company in live_changes_in_control(session, sorted(set(company_ids))):
        changes.setdefault(company, ChangeInControl(date, event_ref(event_id)))
    return Records(Book(holdings, terminations, changes), {item.key: item for item in loaded})


# -- committing ---------------------------------------------------------------------------------


def commit(
    w: Writer,
    records: Records,
    planned: Plan,
    *,
    note: str | None = None,
    expected_version: int | None = None,
    owner_ids: dict[str, int] | None = None,
) -> list[Recorded]:
    """Write an accepted plan: each step's event (or void), versions, derived columns, audit.

    ``expected_version`` is the version of the agreement a person saw (the first step's); a
    different stored version refuses the write. ``owner_ids`` gives the employee's or company's
    row id of a termination (``"employee_id"``) or change in control (``"company_id"``).
    """
    planned.refuse()
    owner_ids = owner_ids or {}
    current = dict(records.loaded)
    results: list[Recorded] = []
    for number, step in enumerate(planned.steps):
        for effect in step.effects:
            item = current[effect.agreement]
            w.commit_checked(item, effect.checked_after, expected_version if number == 0 else None)
            current[effect.agreement] = dataclasses.replace(item, version=item.version + 1)
        change = step.change
        before = {e.agreement: snapshot(e.checked_before) for e in step.effects}
        after = {e.agreement: snapshot(e.checked_after) for e in step.effects}
        schedules = tuple(e.checked_after for e in step.effects)
        if isinstance(change, Pay | Amend):
            event_id = _commit_agreement_event(w, current[change.agreement], change, note)
            [key] = before
            w.audit(
                "pay" if isinstance(change, Pay) else "amend",
                _summary(change, event_id),
                agreement_id=current[change.agreement].agreement_id,
                event_id=event_id,
                before=before[key],
                after=after[key],
            )
        elif isinstance(change, Terminate):
            employee_id = owner_ids["employee_id"]
            event_id = w.add_event(
                kind="termination",
                date=change.date,
                employee_id=employee_id,
                reason=change.termination.reason.value,
                note=note,
            )
            w.audit(
                "terminate",
                f"termination of {change.employee} ({change.company}) on {change.date}, "
                f"{change.termination.reason.value}; applies to {len(step.effects)} "
                f"agreement(s) ({event_ref(event_id)})",
                event_id=event_id,
                before=before,
                after=after,
                employee_id=employee_id,
            )
        elif isinstance(change, ControlChange):
            company_id = owner_ids["company_id"]
            event_id = w.add_event(
                kind="change_in_control", date=change.date, company_id=company_id, note=note
            )
            w.audit(
                "change-in-control",
                f"change in control of {change.company} on {change.date}; applies to "
                f"{len(step.effects)} agreement(s) ({event_ref(event_id)})",
                event_id=event_id,
                before=before,
                after=after,
                company_id=company_id,
            )
        else:
            event_id = _commit_void(w, change, before, after)
        results.append(Recorded(event_id, schedules))
    return results


def _summary(change: Pay | Amend, event_id: int) -> str:
    ref = event_ref(event_id)
    if isinstance(change, Pay):
        payment = change.payment
        target = f" to installment {payment.installment}" if payment.installment else ""
        return f"payment of {format_money(payment.amount)} on {payment.date}{target} ({ref})"
    amendment = change.amendment
    parts = []
    if amendment.expires is not None:
        parts.append(f"expires {amendment.expires}")
    if amendment.installments is not None:
        parts.append(f"{len(amendment.installments)} installment(s) replacing those not yet due")
    return f"amendment on {amendment.date}: {', '.join(parts)} ({ref})"


def _commit_agreement_event(w: Writer, item: Loaded, change: Pay | Amend, note: str | None) -> int:
    if isinstance(change, Pay):
        payment = change.payment
        return w.add_event(
            kind="payment",
            agreement_id=item.agreement_id,
            date=payment.date,
            amount_cents=to_cents(payment.amount),
            installment=payment.installment,
            note=note,
        )
    amendment = change.amendment
    event_id = w.add_event(
        kind="amendment",
        agreement_id=item.agreement_id,
        date=amendment.date,
        expires=amendment.expires,
        replaces_installments=amendment.installments is not None,
        note=note,
    )
    if amendment.installments is not None:
        w.add_installments(amendment.installments, amendment_id=event_id)
    return event_id


def _commit_void(w: Writer, change: Void, before: object, after: object) -> int:
    row = event_row(w.session, change.event)
    reason = change.reason.strip()
    w.add_void(change.event, reason)
    w.audit(
        "void",
        f"voided {change.ref} ({row.kind.replace('_', ' ')} on {row.date}): {reason}",
        event_id=change.event,
        before=before,
        after=after,
        agreement_id=row.agreement_id,
        employee_id=row.employee_id,
        company_id=row.company_id,
    )
    return change.event
