"""Reading agreements out of the database as the engine's values (terms and events).

Used by every service: writes re-validate the whole agreement through the engine before they
commit, and reads evaluate it. A termination belongs to the employee and a change in control to
the company; both apply to an agreement only if they fall on or after its effective date.

``as_recorded_at`` reads the records as they stood at that moment: revisions and events recorded
later are left out, and voids recorded later are not yet in force.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from comp_tracker.domain import (
    Amendment,
    ChangeInControl,
    DayCount,
    Event,
    Installment,
    Payment,
    Termination,
    TerminationReason,
    Terms,
)
from comp_tracker.domain.money import from_cents
from comp_tracker.storage import models as m

from .context import NotFound

_INSTALLMENT = m.Installment.__table__
_EVENT = m.Event.__table__
_VOID = m.Void.__table__
_REVISION = m.TermsRevision.__table__
_AGREEMENT = m.Agreement.__table__
_COMPANY = m.Company.__table__
_EMPLOYEE = m.Employee.__table__


@dataclass(frozen=True, slots=True)
class Loaded:
    """One stored agreement, ready for the engine."""

    agreement_id: int
    key: str
    company_id: int
    employee_id: int
    version: int
    terms: Terms
    #: In the order the engine should see them: by date, then as recorded.
    events: tuple[Event, ...]
    #: The database id of each event, parallel to ``events``.
    event_ids: tuple[int, ...]
    revision: int


def event_ref(event_id: int) -> str:
    return f"event #{event_id}"


def accelerate_on_text(reasons: Iterable[TerminationReason]) -> str:
    return ",".join(sorted(r.value for r in reasons))


def _terms(row: dict, company: str, employee: str, installments: tuple[Installment, ...]) -> Terms:
    return Terms(
        id=row["key"],
        company=company,
        employee=employee,
        effective=row["effective"],
        expires=row["expires"],
        installments=installments,
        calendar=row["calendar"],
        payment_window_business_days=row["payment_window_business_days"],
        end_after_termination_business_days=row["end_after_termination_business_days"],
        late_interest_rate=Decimal(row["late_interest_rate"]),
        day_count=DayCount(row["day_count"]),
        accelerate_on=frozenset(TerminationReason(r) for r in row["accelerate_on"].split(",") if r),
        governing_law=row["governing_law"],
    )


def _event(row: dict, amendment_installments: dict[int, list[Installment]]) -> Event:
    ref = event_ref(row["id"])
    kind = row["kind"]
    if kind == "payment":
        return Payment(row["date"], from_cents(row["amount_cents"]), row["installment"], ref)
    if kind == "termination":
        return Termination(row["date"], TerminationReason(row["reason"]), ref)
    if kind == "change_in_control":
        return ChangeInControl(row["date"], ref)
    installments = (
        tuple(amendment_installments.get(row["id"], ())) if row["replaces_installments"] else None
    )
    return Amendment(row["date"], row["expires"], installments, ref)


def _recorded_filter(query: Select, table, as_recorded_at: dt.datetime | None) -> Select:  # type: ignore[no-untyped-def]
    if as_recorded_at is None:
        return query
    return query.where(table.c.recorded_at <= as_recorded_at)


def load_agreements(
    session: Session,
    agreement_filter: Select | None = None,
    *,
    as_recorded_at: dt.datetime | None = None,
) -> list[Loaded]:
    """Load agreements (all, or those whose ids ``agreement_filter`` selects) in a few queries."""
    ids_query = agreement_filter if agreement_filter is not None else select(_AGREEMENT.c.id)
    if as_recorded_at is not None:
        ids_query = ids_query.where(_AGREEMENT.c.created_at <= as_recorded_at)
    ids = ids_query.subquery()
    id_in = select(ids.c[0])

    agreements = (
        session.execute(
            select(
                _AGREEMENT.c.id,
                _AGREEMENT.c.key,
                _AGREEMENT.c.company_id,
                _AGREEMENT.c.employee_id,
                _AGREEMENT.c.version,
                _COMPANY.c.name.label("company"),
                _EMPLOYEE.c.name.label("employee"),
            )
            .join(_COMPANY, _COMPANY.c.id == _AGREEMENT.c.company_id)
            .join(_EMPLOYEE, _EMPLOYEE.c.id == _AGREEMENT.c.employee_id)
            .where(_AGREEMENT.c.id.in_(id_in))
            .order_by(_AGREEMENT.c.id)
        )
        .mappings()
        .all()
    )
    if not agreements:
        return []

    # The current terms revision of each (the highest recorded by as_recorded_at).
    revisions: dict[int, dict] = {}
    rev_query = _recorded_filter(
        select(_REVISION).where(_REVISION.c.agreement_id.in_(id_in)), _REVISION, as_recorded_at
    )
    for row in session.execute(rev_query).mappings():
        kept = revisions.get(row["agreement_id"])
        if kept is None or row["revision"] > kept["revision"]:
            revisions[row["agreement_id"]] = dict(row)
    revision_ids = {r["id"] for r in revisions.values()}

    revision_installments: dict[int, list[Installment]] = defaultdict(list)
    amendment_installments: dict[int, list[Installment]] = defaultdict(list)
    inst_query = (
        select(
            _INSTALLMENT.c.revision_id,
            _INSTALLMENT.c.amendment_id,
            _INSTALLMENT.c.number,
            _INSTALLMENT.c.due,
            _INSTALLMENT.c.amount_cents,
        )
        .select_from(
            _INSTALLMENT.outerjoin(
                _REVISION, _REVISION.c.id == _INSTALLMENT.c.revision_id
            ).outerjoin(_EVENT, _EVENT.c.id == _INSTALLMENT.c.amendment_id)
        )
        .where(or_(_REVISION.c.agreement_id.in_(id_in), _EVENT.c.agreement_id.in_(id_in)))
        .order_by(_INSTALLMENT.c.number)
    )
    for revision_id, amendment_id, _number, due, cents in session.execute(inst_query):
        installment = Installment(due, from_cents(cents))
        if revision_id is not None:
            if revision_id in revision_ids:
                revision_installments[revision_id].append(installment)
        else:
            amendment_installments[amendment_id].append(installment)

    employee_ids = select(_AGREEMENT.c.employee_id).where(_AGREEMENT.c.id.in_(id_in))
    company_ids = select(_AGREEMENT.c.company_id).where(_AGREEMENT.c.id.in_(id_in))
    event_query = (
        select(_EVENT)
        .select_from(_EVENT.outerjoin(_VOID, _VOID.c.event_id == _EVENT.c.id))
        .where(
            or_(
                _EVENT.c.agreement_id.in_(id_in),
                _EVENT.c.employee_id.in_(employee_ids),
                _EVENT.c.company_id.in_(company_ids),
            )
        )
        .order_by(_EVENT.c.date, _EVENT.c.id)
    )
    if as_recorded_at is None:
        event_query = event_query.where(_VOID.c.id.is_(None))
    else:
        event_query = event_query.where(
            _EVENT.c.recorded_at <= as_recorded_at,
            or_(_VOID.c.id.is_(None), _VOID.c.recorded_at > as_recorded_at),
        )
    by_agreement: dict[int, list[tuple[int, Event]]] = defaultdict(list)
    by_employee: dict[int, list[tuple[int, Event]]] = defaultdict(list)
    by_company: dict[int, list[tuple[int, Event]]] = defaultdict(list)
    for row in session.execute(event_query).mappings():
        item = (row["id"], _event(row, amendment_installments))
        if row["agreement_id"] is not None:
            by_agreement[row["agreement_id"]].append(item)
        elif row["employee_id"] is not None:
            by_employee[row["employee_id"]].append(item)
        else:
            by_company[row["company_id"]].append(item)

    loaded = []
    for a in agreements:
        revision = revisions.get(a["id"])
        if revision is None:  # created after as_recorded_at's revisions: cannot happen
            continue
        terms = _terms(
            {**revision, "key": a["key"]},
            a["company"],
            a["employee"],
            tuple(revision_installments[revision["id"]]),
        )
        items = list(by_agreement.get(a["id"], ()))
        for item in (*by_employee.get(a["employee_id"], ()), *by_company.get(a["company_id"], ())):
            if item[1].date >= terms.effective:
                items.append(item)
        items.sort(key=lambda item: (item[1].date, item[0]))
        loaded.append(
            Loaded(
                agreement_id=a["id"],
                key=a["key"],
                company_id=a["company_id"],
                employee_id=a["employee_id"],
                version=a["version"],
                terms=terms,
                events=tuple(e for _, e in items),
                event_ids=tuple(i for i, _ in items),
                revision=revision["revision"],
            )
        )
    return loaded


def agreement_id_for(session: Session, key: str) -> int:
    found = session.execute(select(_AGREEMENT.c.id).where(_AGREEMENT.c.key == key)).scalar()
    if found is None:
        raise NotFound("agreement", key, "no such agreement (see 'comp-tracker agreements')")
    return found


def load_one(session: Session, key: str, *, as_recorded_at: dt.datetime | None = None) -> Loaded:
    agreement_id = agreement_id_for(session, key)
    loaded = load_agreements(
        session,
        select(_AGREEMENT.c.id).where(_AGREEMENT.c.id == agreement_id),
        as_recorded_at=as_recorded_at,
    )
    if not loaded:
        raise NotFound("agreement", key, f"was not yet recorded at {as_recorded_at}")
    return loaded[0]


def ids_filter(agreement_ids: Sequence[int]) -> Select:
    return select(_AGREEMENT.c.id).where(_AGREEMENT.c.id.in_(list(agreement_ids)))
