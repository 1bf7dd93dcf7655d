"""Recording what happened: payments, terminations, changes in control, amendments, voids.

A payment or an amendment is recorded on one agreement. A termination is recorded on the
employee's employment and applies to every agreement of that person in force on its date; a
change in control is recorded on the company and applies to every agreement of the company in
force on its date. Each call checks every agreement it touches through the engine before it
writes, so a payment to a forfeited installment, an overpayment or a termination that would make
an earlier payment impossible is refused, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from comp_tracker.domain import (
    AgreementError,
    Amendment,
    ChangeInControl,
    Event,
    Installment,
    Payment,
    Schedule,
    Termination,
    TerminationReason,
)
from comp_tracker.domain.money import format_money, to_cents
from comp_tracker.domain.validation import check_amount
from comp_tracker.storage import models as m
from comp_tracker.storage import tables as t

from .context import Context, NotFound, ServiceError
from .loading import Loaded, agreement_id_for, event_ref, ids_filter, load_agreements, load_one
from .writing import Writer, evaluate, run_write, snapshot


@dataclass(frozen=True)
class Recorded:
    """The result of a write: the new event's id and each touched agreement's schedule after."""

    event_id: int
    schedules: tuple[Schedule, ...]


def _apply_to(
    w: Writer,
    loaded: Sequence[Loaded],
    change: Callable[[Loaded], tuple[Event, ...]],
    expected_version: int | None = None,
) -> list[tuple[Loaded, Schedule, Schedule]]:
    """Validate each agreement before and with the change; bump versions. Nothing inserted yet."""
    results = []
    for item in loaded:
        before = evaluate(item.terms, item.events)
        after = evaluate(item.terms, change(item))
        w.commit_checked(item, after, expected_version)
        results.append((item, before, after))
    return results


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
    check_amount("amount", amount)
    if installment is not None and installment < 1:
        raise AgreementError("installment", installment, "installments count from 1")
    payment = Payment(date, amount, installment, ref="payment")
    return run_write(
        ctx, lambda w: _pay(w, agreement, payment, note=note, expected_version=expected_version)
    )


def _pay(
    w: Writer,
    agreement: str,
    payment: Payment,
    *,
    note: str | None = None,
    expected_version: int | None = None,
) -> Recorded:
    date, amount, installment = payment.date, payment.amount, payment.installment
    w.lock([agreement_id_for(w.session, agreement)])
    item = load_one(w.session, agreement)
    [(_, before, after)] = _apply_to(w, [item], lambda i: (*i.events, payment), expected_version)
    event_id = w.add_event(
        kind="payment",
        agreement_id=item.agreement_id,
        date=date,
        amount_cents=to_cents(amount),
        installment=installment,
        note=note,
    )
    target = f" to installment {installment}" if installment else ""
    w.audit(
        "pay",
        f"payment of {format_money(amount)} on {date}{target} ({event_ref(event_id)})",
        agreement_id=item.agreement_id,
        event_id=event_id,
        before=snapshot(before),
        after=snapshot(after),
    )
    return Recorded(event_id, (after,))


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
    amendment = Amendment(
        date, expires, tuple(installments) if installments is not None else None, ref="amendment"
    )

    def work(w: Writer) -> Recorded:
        w.lock([agreement_id_for(w.session, agreement)])
        item = load_one(w.session, agreement)
        [(_, before, after)] = _apply_to(
            w, [item], lambda i: (*i.events, amendment), expected_version
        )
        event_id = w.add_event(
            kind="amendment",
            agreement_id=item.agreement_id,
            date=date,
            expires=expires,
            replaces_installments=installments is not None,
            note=note,
        )
        if installments is not None:
            w.add_installments(installments, amendment_id=event_id)
        parts = []
        if expires is not None:
            parts.append(f"expires {expires}")
        if installments is not None:
            parts.append(f"{len(installments)} installment(s) replacing those not yet due")
        w.audit(
            "amend",
            f"amendment on {date}: {', '.join(parts)} ({event_ref(event_id)})",
            agreement_id=item.agreement_id,
            event_id=event_id,
            before=snapshot(before),
            after=snapshot(after),
        )
        return Recorded(event_id, (after,))

    return run_write(ctx, work)


def find_employee(w_session, name: str, company: str | None) -> tuple[int, int, str]:  # type: ignore[no-untyped-def]
    """(employee id, company id, company name) for a person's name, optionally at a company."""
    query = (
        select(t.EMPLOYEE.c.id, t.EMPLOYEE.c.company_id, t.COMPANY.c.name)
        .join(t.COMPANY, t.COMPANY.c.id == t.EMPLOYEE.c.company_id)
        .where(t.EMPLOYEE.c.name == name)
    )
    if company is not None:
        query = query.where(t.COMPANY.c.name == company)
    rows = w_session.execute(query).all()
    if not rows:
        where = f" at {company}" if company else ""
        raise NotFound("employee", name, f"no such employee{where}")
    if len(rows) > 1:
        names = ", ".join(sorted(r[2] for r in rows))
        raise ServiceError("employee", name, f"works at several companies ({names}): say which")
    return rows[0][0], rows[0][1], rows[0][2]


def find_company(session, name: str) -> int:  # type: ignore[no-untyped-def]
    found = session.execute(select(t.COMPANY.c.id).where(t.COMPANY.c.name == name)).scalar()
    if found is None:
        raise NotFound("company", name, "no such company")
    return int(found)


def _existing(session, column, owner_id: int, kind: str) -> tuple[int, dt.date] | None:  # type: ignore[no-untyped-def]
    row = session.execute(
        select(t.EVENT.c.id, t.EVENT.c.date)
        .select_from(t.EVENT.outerjoin(t.VOID, t.VOID.c.event_id == t.EVENT.c.id))
        .where(column == owner_id, t.EVENT.c.kind == kind, t.VOID.c.id.is_(None))
    ).first()
    return (row[0], row[1]) if row else None


def _in_force(session, column, owner_id: int, date: dt.date, what: str, field: str) -> list[int]:  # type: ignore[no-untyped-def]
    """The agreements (ids) an employee or company event dated ``date`` applies to."""
    rows = session.execute(select(t.AGREEMENT.c.id).where(column == owner_id)).scalars().all()
    if not rows:
        raise ServiceError(field, date, f"{what} has no agreements")
    loaded = load_agreements(session, ids_filter(rows))
    applies = [item.agreement_id for item in loaded if item.terms.effective <= date]
    if not applies:
        earliest = min(item.terms.effective for item in loaded)
        raise AgreementError(
            field,
            date,
            f"is before the effective date of every agreement of {what} "
            f"(the earliest is {earliest})",
        )
    return applies


def _record_on_owner(
    w: Writer,
    event: Termination | ChangeInControl,
    *,
    owner: str,
    scope: dict[str, int],
    extra: dict[str, object],
    action: str,
    summary: Callable[[int, str], str],
) -> Recorded:
    """Record a termination (on an employee) or a change in control (on a company): refuse a
    second one, then apply it to every agreement of the owner in force on its date."""
    kind = "termination" if isinstance(event, Termination) else "change_in_control"
    [(owner_key, owner_id)] = scope.items()
    event_column = t.EVENT.c[owner_key]
    existing = _existing(w.session, event_column, owner_id, kind)
    if existing is not None:
        raise ServiceError(
            kind,
            owner,
            f"already has a {kind.replace('_', ' ')} on {existing[1]} "
            f"({event_ref(existing[0])}); void it first to record a different one",
        )
    ids = _in_force(
        w.session, t.AGREEMENT.c[owner_key], owner_id, event.date, owner, f"{kind}.date"
    )
    w.lock(ids)
    results = _apply_to(
        w, load_agreements(w.session, ids_filter(ids)), lambda i: (*i.events, event)
    )
    event_id = w.add_event(kind=kind, date=event.date, **scope, **extra)
    w.audit(
        action,
        summary(len(results), event_ref(event_id)),
        event_id=event_id,
        before={i.key: snapshot(b) for i, b, _ in results},
        after={i.key: snapshot(a) for i, _, a in results},
        **scope,
    )
    return Recorded(event_id, tuple(a for _, _, a in results))


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
    termination = Termination(date, reason, ref="termination")
    return run_write(ctx, lambda w: _terminate(w, employee, termination, company, note))


def _terminate(
    w: Writer, employee: str, event: Termination, company: str | None, note: str | None
) -> Recorded:
    date, reason = event.date, event.reason
    employee_id, _company_id, company_name = find_employee(w.session, employee, company)
    return _record_on_owner(
        w,
        event,
        owner=employee,
        scope={"employee_id": employee_id},
        extra={"reason": reason.value, "note": note},
        action="terminate",
        summary=lambda count, ref: (
            f"termination of {employee} ({company_name}) on {date}, {reason.value}; "
            f"applies to {count} agreement(s) ({ref})"
        ),
    )


def record_change_in_control(
    ctx: Context, company: str, date: dt.date, *, note: str | None = None
) -> Recorded:
    """Record a change in control of a company; it ends every agreement of the company."""
    change = ChangeInControl(date, ref="change_in_control")
    return run_write(ctx, lambda w: _change_control(w, company, change, note))


def _change_control(w: Writer, company: str, event: ChangeInControl, note: str | None) -> Recorded:
    date = event.date
    return _record_on_owner(
        w,
        event,
        owner=company,
        scope={"company_id": find_company(w.session, company)},
        extra={"note": note},
        action="change-in-control",
        summary=lambda count, ref: (
            f"change in control of {company} on {date}; applies to {count} agreement(s) ({ref})"
        ),
    )


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
    for event in events:
        if isinstance(event, Amendment):
            raise ServiceError("event", event.ref, "an amendment is recorded on its own")
        if isinstance(event, Payment):
            check_amount("amount", event.amount)

    def work(w: Writer) -> list[Recorded]:
        terms = load_one(w.session, agreement).terms
        recorded = []
        for event in events:
            if isinstance(event, Payment):
                recorded.append(_pay(w, agreement, event, note=note))
            elif isinstance(event, Termination):
                recorded.append(_terminate(w, terms.employee, event, terms.company, note))
            elif isinstance(event, ChangeInControl):
                recorded.append(_change_control(w, terms.company, event, note))
        return recorded

    return run_write(ctx, work)


def void_event(ctx: Context, event_id: int, reason: str) -> Recorded:
    """Declare an event a mistake. The event stays in the history, marked void."""
    if not reason.strip():
        raise ServiceError("reason", reason, "say why the event is void")

    def work(w: Writer) -> Recorded:
        row = w.session.execute(select(t.EVENT).where(t.EVENT.c.id == event_id)).mappings().first()
        if row is None:
            raise NotFound("event", event_id, "no such event (see 'comp-tracker history')")
        voided = w.session.execute(
            select(t.VOID.c.recorded_at, t.VOID.c.recorded_by, t.VOID.c.reason).where(
                t.VOID.c.event_id == event_id
            )
        ).first()
        if voided is not None:
            raise ServiceError(
                "event",
                event_id,
                f"already voided on {voided[0]:%Y-%m-%d %H:%M} UTC by {voided[1]}: {voided[2]}",
            )
        if row["agreement_id"] is not None:
            ids = [row["agreement_id"]]
        else:
            column = t.AGREEMENT.c.employee_id if row["employee_id"] else t.AGREEMENT.c.company_id
            owner = row["employee_id"] or row["company_id"]
            ids = list(w.session.execute(select(t.AGREEMENT.c.id).where(column == owner)).scalars())
        w.lock(ids)
        ref = event_ref(event_id)
        loaded = [
            item
            for item in load_agreements(w.session, ids_filter(ids))
            if ref in {e.ref for e in item.events}
        ]
        results = _apply_to(w, loaded, lambda i: tuple(e for e in i.events if e.ref != ref))
        w.session.add(
            m.Void(event_id=event_id, reason=reason.strip(), recorded_at=w.now, recorded_by=w.actor)
        )
        scope: dict[str, int | None] = {
            "agreement_id": row["agreement_id"],
            "employee_id": row["employee_id"],
            "company_id": row["company_id"],
        }
        w.audit(
            "void",
            f"voided {ref} ({row['kind'].replace('_', ' ')} on {row['date']}): {reason.strip()}",
            event_id=event_id,
            before={i.key: snapshot(b) for i, b, _ in results},
            after={i.key: snapshot(a) for i, _, a in results},
            **scope,
        )
        return Recorded(event_id, tuple(a for _, _, a in results))

    return run_write(ctx, work)
