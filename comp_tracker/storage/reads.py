"""Reading agreements out of the database as the engine's values (terms and events), and the
named lookups the services make (an agreement by its id, an employee by name, what an event
touches).

Used by every service: writes re-validate the whole agreement through the engine before they
commit, and reads evaluate it. A termination belongs to the employee and a change in control to
the company; both apply to an agreement only if they fall on or after its effective date.

``as_recorded_at`` reads the records as they stood at that moment: revisions and events recorded
later are left out, and voids recorded later are not yet in force.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, Select, bindparam, or_, select

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
from comp_tracker.domain.planner import event_ref

from . import tables as t
from .errors import NotFound, ServiceError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session

    #: A read (a Core connection) or a write (the writer's ORM session): both execute Core queries.
    Reader = Connection | Session


#: Which agreements a load reads (``load_agreements``): made by the selection functions below
#: and by the named queries, passed through by the services unopened.
Selection = Select[Any]

#: Every event with its void, if any (``VOID.c.id`` is NULL for an event in force).
EVENTS_WITH_VOIDS = t.EVENT.outerjoin(t.VOID, t.VOID.c.event_id == t.EVENT.c.id)

#: Ids per IN (...) list: well under SQLite's and PostgreSQL's limits on bound parameters.
_CHUNK = 5000


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


def accelerate_on_text(reasons: Iterable[TerminationReason]) -> str:
    return ",".join(sorted(r.value for r in reasons))


@cache
def _rate(text: str) -> Decimal:
    return Decimal(text)


@cache
def _reasons(text: str) -> frozenset[TerminationReason]:
    return frozenset(TerminationReason(r) for r in text.split(",") if r)


#: What an event row is read as, in the order :func:`_event` unpacks it.
_EVENT_COLUMNS = t.columns(
    t.EVENT,
    "id kind agreement_id employee_id company_id date amount_cents installment reason expires "
    "replaces_installments",
)
#: What a terms revision is read as: its keys, then the terms in the order of Terms' fields.
_REVISION_COLUMNS = t.columns(
    t.TERMS_REVISION,
    "agreement_id revision id effective expires calendar payment_window_business_days "
    "end_after_termination_business_days late_interest_rate day_count accelerate_on "
    "governing_law",
)


def _event(row: Any, amendment_installments: dict[int, list[Installment]]) -> Event:
    event_id, kind, _, _, _, date, cents, installment, reason, expires, replaces = row
    ref = event_ref(event_id)
    if kind == "payment":
        return Payment(date, from_cents(cents), installment, ref)
    if kind == "termination":
        return Termination(date, TerminationReason(reason), ref)
    if kind == "change_in_control":
        return ChangeInControl(date, ref)
    installments = tuple(amendment_installments.get(event_id, ())) if replaces else None
    return Amendment(date, expires, installments, ref)


def _event_order(item: tuple[int, Event]) -> tuple[dt.date, int]:
    """Events in the order they happened; the same day in the order they were recorded."""
    return item[1].date, item[0]


def _recorded_filter(
    query: Select[Any], table: Any, as_recorded_at: dt.datetime | None
) -> Select[Any]:
    if as_recorded_at is None:
        return query
    return query.where(table.c.recorded_at <= as_recorded_at)


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while a bulk load allocates many small objects.

    Every few hundred allocations it would otherwise walk everything loaded so far, which is most
    of a large load's time (measured: 10,000 agreements load in 0.50 s instead of 0.70 s). What is
    loaded holds no reference cycles; reference counting frees it as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_agreements(
    session: Reader,
    agreement_filter: Select[Any] | None = None,
    *,
    as_recorded_at: dt.datetime | None = None,
    ids: Sequence[int] | None = None,
) -> list[Loaded]:
    """Load agreements (all, those whose ids ``agreement_filter`` selects, or those of ``ids``)
    in a few queries.

    Lists load tens of thousands at once, so this reads plain tuples of the columns it needs.
    """
    with no_cycle_collection():
        return _load(session, agreement_filter, as_recorded_at, ids)


def id_chunks(values: Iterable[int]) -> Iterator[list[int]]:
    """Ids in lists short enough for one IN (...) of bound parameters on either database."""
    ordered = sorted(set(values))
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]


def _in(column: Any) -> Any:
    """``column IN (...)`` of a list given when the statement runs (``{"ids": [...]}``): the
    statement is compiled once and cached, instead of once per list with a parameter per id."""
    return column.in_(bindparam("ids", expanding=True))


def _load(
    session: Reader,
    agreement_filter: Select[Any] | None,
    as_recorded_at: dt.datetime | None,
    given_ids: Sequence[int] | None,
) -> list[Loaded]:
    # The agreements' ids first, once; then every query is an indexed lookup of lists of ids.
    # (Repeating the filter as a subquery in each statement re-ran it seven times: 0.15 s of the
    # due job's 10,000 candidates among 100,000 agreements.)
    if given_ids is not None and as_recorded_at is None:
        agreement_ids = list(given_ids)
    else:
        if given_ids is not None:
            ids_query = select(t.AGREEMENT.c.id).where(t.AGREEMENT.c.id.in_(list(given_ids)))
        elif agreement_filter is not None:
            ids_query = agreement_filter
        else:
            ids_query = select(t.AGREEMENT.c.id)
        if as_recorded_at is not None:
            ids_query = ids_query.where(t.AGREEMENT.c.created_at <= as_recorded_at)
        agreement_ids = list(session.execute(ids_query).scalars())
    if not agreement_ids:
        return []

    agreements: list[Any] = []
    revisions: dict[int, Any] = {}  # the current terms revision of each: the highest recorded
    event_query = select(*_EVENT_COLUMNS).select_from(EVENTS_WITH_VOIDS)
    if as_recorded_at is None:
        event_query = event_query.where(t.VOID.c.id.is_(None))
    else:
        event_query = event_query.where(
            t.EVENT.c.recorded_at <= as_recorded_at,
            or_(t.VOID.c.id.is_(None), t.VOID.c.recorded_at > as_recorded_at),
        )
    event_rows: list[Any] = []
    agreement_query = (
        select(
            *t.columns(t.AGREEMENT, "id key company_id employee_id version"),
            t.COMPANY.c.name,
            t.EMPLOYEE.c.name,
        )
        .select_from(t.AGREEMENT_NAMED)
        .where(_in(t.AGREEMENT.c.id))
    )
    rev_query = _recorded_filter(
        select(*_REVISION_COLUMNS).where(_in(t.TERMS_REVISION.c.agreement_id)),
        t.TERMS_REVISION,
        as_recorded_at,
    )
    own_events = event_query.where(_in(t.EVENT.c.agreement_id))
    for chunk in id_chunks(agreement_ids):
        agreements += session.execute(agreement_query, {"ids": chunk}).all()
        for row in session.execute(rev_query, {"ids": chunk}):
            kept = revisions.get(row[0])
            if kept is None or row[1] > kept[1]:
                revisions[row[0]] = row
        event_rows += session.execute(own_events, {"ids": chunk}).all()
    agreements.sort(key=lambda row: row[0])
    # A termination belongs to the employee, a change in control to the company.
    for column, owners in (
        (t.EVENT.c.employee_id, {row[3] for row in agreements}),
        (t.EVENT.c.company_id, {row[2] for row in agreements}),
    ):
        shared_events = event_query.where(_in(column))
        for chunk in id_chunks(owners):
            event_rows += session.execute(shared_events, {"ids": chunk}).all()

    revision_installments: dict[int, list[Installment]] = defaultdict(list)
    amendment_installments: dict[int, list[Installment]] = defaultdict(list)
    amendment_ids = [row[0] for row in event_rows if row[1] == "amendment" and row[10]]
    for column, owner_ids, into in (
        (t.INSTALLMENT.c.revision_id, [r[2] for r in revisions.values()], revision_installments),
        (t.INSTALLMENT.c.amendment_id, amendment_ids, amendment_installments),
    ):
        installment_query = (
            select(column, t.INSTALLMENT.c.due, t.INSTALLMENT.c.amount_cents)
            .where(_in(column))
            .order_by(t.INSTALLMENT.c.id)
        )
        for chunk in id_chunks(owner_ids):
            for owner, due, cents in session.execute(installment_query, {"ids": chunk}):
                into[owner].append(Installment(due, from_cents(cents)))

    by_agreement: dict[int, list[tuple[int, Event]]] = defaultdict(list)
    by_employee: dict[int, list[tuple[int, Event]]] = defaultdict(list)
    by_company: dict[int, list[tuple[int, Event]]] = defaultdict(list)
    for row in event_rows:
        item = (row[0], _event(row, amendment_installments))
        if row[2] is not None:
            by_agreement[row[2]].append(item)
        elif row[3] is not None:
            by_employee[row[3]].append(item)
        else:
            by_company[row[4]].append(item)

    loaded = []
    for agreement_id, key, company_id, employee_id, version, company, employee in agreements:
        revision = revisions.get(agreement_id)
        if revision is None:
            continue
        (
            _,
            number,
            revision_id,
            effective,
            expires,
            calendar,
            window,
            tail,
            rate,
            day_count,
            accelerate_on,
            governing_law,
        ) = revision
        terms = Terms(
            id=key,
            company=company,
            employee=employee,
            effective=effective,
            expires=expires,
            installments=tuple(revision_installments[revision_id]),
            calendar=calendar,
            payment_window_business_days=window,
            end_after_termination_business_days=tail,
            late_interest_rate=_rate(rate),
            day_count=DayCount(day_count),
            accelerate_on=_reasons(accelerate_on),
            governing_law=governing_law,
        )
        items = by_agreement.get(agreement_id, [])
        shared = (*by_employee.get(employee_id, ()), *by_company.get(company_id, ()))
        if shared:
            items = [*items, *(i for i in shared if i[1].date >= effective)]
        items.sort(key=_event_order)
        loaded.append(
            Loaded(
                agreement_id=agreement_id,
                key=key,
                company_id=company_id,
                employee_id=employee_id,
                version=version,
                terms=terms,
                events=tuple(e for _, e in items),
                event_ids=tuple(i for i, _ in items),
                revision=number,
            )
        )
    return loaded


def agreement_id_for(session: Reader, key: str) -> int:
    found = session.execute(select(t.AGREEMENT.c.id).where(t.AGREEMENT.c.key == key)).scalar()
    if found is None:
        raise NotFound("agreement", key, "no such agreement (see 'comp-tracker agreements')")
    return int(found)


def load_one(session: Reader, key: str, *, as_recorded_at: dt.datetime | None = None) -> Loaded:
    agreement_id = agreement_id_for(session, key)
    loaded = load_agreements(
        session,
        select(t.AGREEMENT.c.id).where(t.AGREEMENT.c.id == agreement_id),
        as_recorded_at=as_recorded_at,
    )
    if not loaded:
        raise NotFound("agreement", key, f"was not yet recorded at {as_recorded_at}")
    return loaded[0]


# -- selections: which agreements a load reads (passed to load_agreements) ----------------------


def late_selection(as_of: dt.date) -> Select[Any]:
    """The agreements that can be overdue or in a payment window on ``as_of``: something has
    fallen due and they were not settled for good by then (the derived columns that
    ``services.writing.derived_columns`` keeps)."""
    return select(t.AGREEMENT.c.id).where(
        t.AGREEMENT.c.first_due <= as_of,
        or_(t.AGREEMENT.c.settled_on.is_(None), t.AGREEMENT.c.settled_on > as_of),
    )


def agreements_selection(
    *, company: str | None = None, employee: str | None = None, late_on: dt.date | None = None
) -> Select[Any]:
    """The agreements of ``company`` and ``employee`` (when given); with ``late_on``, only those
    that can be late on that day (:func:`late_selection`)."""
    query = late_selection(late_on) if late_on is not None else select(t.AGREEMENT.c.id)
    if company is not None:
        query = query.join(t.COMPANY, t.COMPANY.c.id == t.AGREEMENT.c.company_id).where(
            t.COMPANY.c.name == company
        )
    if employee is not None:
        query = query.join(t.EMPLOYEE, t.EMPLOYEE.c.id == t.AGREEMENT.c.employee_id).where(
            t.EMPLOYEE.c.name == employee
        )
    return query


def employee_selection(employee_id: int) -> Select[Any]:
    """Every agreement of one employee."""
    return select(t.AGREEMENT.c.id).where(t.AGREEMENT.c.employee_id == employee_id)


def selected_ids(session: Reader, selection: Select[Any]) -> list[int]:
    return list(session.execute(selection).scalars())


# -- named lookups -------------------------------------------------------------------------------


def agreement_exists(session: Reader, key: str) -> bool:
    found = session.execute(select(t.AGREEMENT.c.id).where(t.AGREEMENT.c.key == key)).first()
    return found is not None


def all_agreement_ids(session: Reader) -> list[int]:
    return list(session.execute(select(t.AGREEMENT.c.id)).scalars())


def agreement_keys(session: Reader) -> list[str]:
    """Every agreement's id (its key)."""
    return list(session.execute(select(t.AGREEMENT.c.key)).scalars())


def keys_starting(session: Reader, prefix: str) -> list[str]:
    """The agreement ids (keys) that start with ``prefix``."""
    return list(
        session.execute(
            select(t.AGREEMENT.c.key).where(t.AGREEMENT.c.key.like(f"{prefix}%"))
        ).scalars()
    )


def company_names(session: Reader) -> list[str]:
    """Every company's name, in order."""
    return list(session.execute(select(t.COMPANY.c.name).order_by(t.COMPANY.c.name)).scalars())


def company_names_by_id(session: Reader) -> dict[int, str]:
    return {int(i): str(n) for i, n in session.execute(select(t.COMPANY.c.id, t.COMPANY.c.name))}


def employees(session: Reader) -> list[tuple[int, str, int]]:
    """Every employee: (id, name, company id)."""
    return [
        (int(i), str(n), int(c))
        for i, n, c in session.execute(
            select(t.EMPLOYEE.c.id, t.EMPLOYEE.c.name, t.EMPLOYEE.c.company_id)
        )
    ]


def employee_ids_of_company(session: Reader, company_id: int) -> list[int]:
    return list(
        session.execute(
            select(t.EMPLOYEE.c.id).where(t.EMPLOYEE.c.company_id == company_id)
        ).scalars()
    )


def missing_companies(session: Reader, names: Sequence[str]) -> list[str]:
    """Those of ``names`` that are no company's name, in the order given."""
    found = set(
        session.execute(select(t.COMPANY.c.name).where(t.COMPANY.c.name.in_(names))).scalars()
    )
    return [name for name in names if name not in found]


def is_empty(session: Reader) -> bool:
    """Whether the database has never held anything: no agreement and no audit record."""
    return all(
        session.execute(select(table.c.id).limit(1)).first() is None
        for table in (t.AGREEMENT, t.AUDIT_LOG)
    )


@dataclass(frozen=True, slots=True)
class Person:
    """An employee as the records know them."""

    employee_id: int
    company_id: int
    name: str
    company: str


def find_employee(session: Reader, name: str, company: str | None) -> Person:
    """The employee called ``name`` (at ``company``, when given)."""
    query = (
        select(t.EMPLOYEE.c.id, t.EMPLOYEE.c.company_id, t.COMPANY.c.name)
        .join(t.COMPANY, t.COMPANY.c.id == t.EMPLOYEE.c.company_id)
        .where(t.EMPLOYEE.c.name == name)
    )
    if company is not None:
        query = query.where(t.COMPANY.c.name == company)
    rows = session.execute(query).all()
    if not rows:
        where = f" at {company}" if company else ""
        raise NotFound("employee", name, f"no such employee{where}")
    if len(rows) > 1:
        names = ", ".join(sorted(r[2] for r in rows))
        raise ServiceError("employee", name, f"works at several companies ({names}): say which")
    return Person(rows[0][0], rows[0][1], name, rows[0][2])


def find_company(session: Reader, name: str) -> int:
    found = session.execute(select(t.COMPANY.c.id).where(t.COMPANY.c.name == name)).scalar()
    if found is None:
        raise NotFound("company", name, "no such company")
    return int(found)


def agreements_of(
    session: Reader, *, employee_id: int | None = None, company_id: int | None = None
) -> list[int]:
    """The ids of every agreement of an employee or of a company."""
    column = t.AGREEMENT.c.employee_id if employee_id is not None else t.AGREEMENT.c.company_id
    owner = employee_id if employee_id is not None else company_id
    return list(session.execute(select(t.AGREEMENT.c.id).where(column == owner)).scalars())


def live_terminations(
    session: Reader, employee_ids: Sequence[int]
) -> list[tuple[int, dt.date, str, str, str]]:
    """The terminations of these employees not voided, oldest record first:
    (event id, date, reason, employee, company)."""
    query = (
        select(t.EVENT.c.id, t.EVENT.c.date, t.EVENT.c.reason, t.EMPLOYEE.c.name, t.COMPANY.c.name)
        .select_from(EVENTS_WITH_VOIDS)
        .join(t.EMPLOYEE, t.EMPLOYEE.c.id == t.EVENT.c.employee_id)
        .join(t.COMPANY, t.COMPANY.c.id == t.EMPLOYEE.c.company_id)
    )
    return _live(session, query, "termination", t.EVENT.c.employee_id, employee_ids)


def live_changes_in_control(
    session: Reader, company_ids: Sequence[int]
) -> list[tuple[int, dt.date, str]]:
    """The changes in control of these companies not voided, oldest record first:
    (event id, date, company)."""
    query = (
        select(t.EVENT.c.id, t.EVENT.c.date, t.COMPANY.c.name)
        .select_from(EVENTS_WITH_VOIDS)
        .join(t.COMPANY, t.COMPANY.c.id == t.EVENT.c.company_id)
    )
    return _live(session, query, "change_in_control", t.EVENT.c.company_id, company_ids)


def _live(
    session: Reader, query: Select[Any], kind: str, owner: Column[Any], owner_ids: Sequence[int]
) -> list[Any]:
    """The rows of ``query`` for the events of ``kind`` of these owners not voided, oldest
    record first."""
    if not owner_ids:
        return []
    rows = session.execute(
        query.where(
            owner.in_(list(owner_ids)), t.EVENT.c.kind == kind, t.VOID.c.id.is_(None)
        ).order_by(t.EVENT.c.id)
    ).all()
    return [tuple(row) for row in rows]


def live_owner_event(
    session: Reader, *, employee_id: int | None = None, company_id: int | None = None
) -> tuple[int, dt.date, str | None] | None:
    """The employee's termination or the company's change in control in force, if any:
    (event id, date, reason)."""
    owner: int | None
    if employee_id is not None:
        column, owner, kind = t.EVENT.c.employee_id, employee_id, "termination"
    else:
        column, owner, kind = t.EVENT.c.company_id, company_id, "change_in_control"
    found = session.execute(
        select(t.EVENT.c.id, t.EVENT.c.date, t.EVENT.c.reason)
        .select_from(EVENTS_WITH_VOIDS)
        .where(column == owner, t.EVENT.c.kind == kind, t.VOID.c.id.is_(None))
    ).first()
    return None if found is None else (int(found[0]), found[1], found[2])


def voided_note(session: Reader, event_id: int) -> str | None:
    """How an event was voided ("on 2002-10-01 12:00 UTC by alice: typo"), or None if it is not."""
    found = session.execute(
        select(t.VOID.c.recorded_at, t.VOID.c.recorded_by, t.VOID.c.reason).where(
            t.VOID.c.event_id == event_id
        )
    ).first()
    if found is None:
        return None
    return f"on {found[0]:%Y-%m-%d %H:%M} UTC by {found[1]}: {found[2]}"


@dataclass(frozen=True, slots=True)
class EventRow:
    """What a void needs to know of the event it voids."""

    kind: str
    date: dt.date
    agreement_id: int | None
    employee_id: int | None
    company_id: int | None


def event_row(session: Reader, event_id: int) -> EventRow:
    row = session.execute(
        select(*t.columns(t.EVENT, "kind date agreement_id employee_id company_id")).where(
            t.EVENT.c.id == event_id
        )
    ).one()
    return EventRow(*row)


def touched_by(session: Reader, event_id: int) -> list[int]:
    """The agreements an event may be in force on: its own, or its employee's or company's."""
    row = session.execute(
        select(t.EVENT.c.agreement_id, t.EVENT.c.employee_id, t.EVENT.c.company_id).where(
            t.EVENT.c.id == event_id
        )
    ).first()
    if row is None:
        raise NotFound("event", event_id, "no such event (see 'comp-tracker history')")
    agreement_id, employee_id, company_id = row
    if agreement_id is not None:
        return [agreement_id]
    if employee_id is not None:
        return agreements_of(session, employee_id=employee_id)
    return agreements_of(session, company_id=company_id)
