"""How every write happens: one transaction, locks, re-validation, version bump, audit row.

A service call proposes a change, the engine validates every agreement it touches *with* the
change (exactly the checks the agreement file loader runs), and only then are rows inserted.
The agreements' rows are locked first (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's write
transaction is already exclusive), and each one's ``version`` must still be the one read, or the
call is retried from the start with fresh data. The audit row is written in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from comp_tracker.domain import CLOSED_STATUSES, Event, Installment, Schedule, Terms
from comp_tracker.domain.money import format_money, to_cents
from comp_tracker.domain.planner import check
from comp_tracker.storage import models as m
from comp_tracker.storage import tables as t

from .audit import audit_values
from .context import ConcurrentChange, Context, ServiceError
from .loading import Loaded, accelerate_on_text

T = TypeVar("T")
RETRIES = 5


def run_write(ctx: Context, work: Callable[[Writer], T]) -> T:
    """Run ``work`` in one write transaction, retrying if another writer got there first."""
    for attempt in range(RETRIES):
        try:
            with ctx.db.write() as session:
                return work(Writer(ctx, session))
        except ConcurrentChange:
            if attempt == RETRIES - 1:
                raise ServiceError(
                    "agreement", "version", "changed by someone else while saving; try again"
                ) from None
        except IntegrityError as exc:
            # Two writers creating the same company or agreement at once: the loser retries and
            # then sees the row. Anything else is a bug, not a user mistake.
            if attempt == RETRIES - 1 or "unique" not in str(exc.orig).lower():
                raise
    raise AssertionError("unreachable")


def snapshot(schedule: Schedule) -> dict[str, Any]:
    """What the audit log keeps of an agreement before and after a change."""
    return {
        "agreement": schedule.terms.id,
        "as_of": schedule.as_of.isoformat(),
        "ends_on": schedule.ends_on.isoformat(),
        "end_reason": schedule.end_reason.value,
        "principal_outstanding": format_money(schedule.principal_outstanding),
        "interest_outstanding": format_money(schedule.interest_outstanding),
        "installments": [
            {
                "number": i.number,
                "due": i.due.isoformat(),
                "amount": format_money(i.amount),
                "status": i.status.value,
                "paid": format_money(i.principal_paid),
                "forfeited": format_money(i.principal_forfeited),
            }
            for i in schedule.installments
        ],
    }


def evaluate(terms: Terms, events: Sequence[Event]) -> Schedule:
    """Validate the agreement completely and return its schedule as of its last event (the
    planner's :func:`~comp_tracker.domain.planner.check`)."""
    return check(terms, events)


def derived_columns(schedule: Schedule) -> dict[str, dt.date | None]:
    """The agreement row's derived columns, from its schedule as of its last event (``evaluate``).

    ``settled_on``: that date, if every installment is paid or forfeited by then (nothing more can
    change). ``first_due``: the earliest due date of any installment. ``open_due``: the earliest
    due date of one neither paid nor forfeited, and ``records_through``: the as-of date. Paid and
    forfeited stay so on every later day, and due dates only move with events, so from
    ``records_through`` on nothing of the agreement can be upcoming, in window or overdue before
    ``open_due``: the due job loads only the agreements whose ``open_due`` is within its horizon.
    ``closed_on``: the later of ``settled_on`` and the last original due date, when settled: from
    then on what each installment has earned is fixed too (a paid installment is earned ratably
    until its original due date), so none of its accrual figures change again.
    """
    installments = schedule.installments
    settled = all(i.status in CLOSED_STATUSES for i in installments)
    return {
        "settled_on": schedule.as_of if settled else None,
        "closed_on": max([schedule.as_of, *(i.original_due for i in installments)])
        if settled
        else None,
        "first_due": min((i.due for i in installments), default=None),
        "open_due": min(
            (i.due for i in installments if i.status not in CLOSED_STATUSES), default=None
        ),
        "records_through": schedule.as_of,
    }


class Writer:
    """One write transaction's helpers. Made by :func:`run_write`."""

    def __init__(self, ctx: Context, session: Session) -> None:
        self.ctx = ctx
        self.session = session
        self.now = ctx.clock()
        self.actor = ctx.actor

    # -- locking and checking ---------------------------------------------------------------

    def lock(self, agreement_ids: Iterable[int]) -> None:
        """Lock the agreements' rows, in id order so two writers never deadlock."""
        ids = sorted(set(agreement_ids))
        if ids:
            self.session.execute(
                select(t.AGREEMENT.c.id)
                .where(t.AGREEMENT.c.id.in_(ids))
                .order_by(t.AGREEMENT.c.id)
                .with_for_update()
            ).all()

    def commit_checked(
        self, loaded: Loaded, schedule: Schedule, expected_version: int | None = None
    ) -> None:
        """Move the agreement's version on, from the one read; refresh the derived columns."""
        if expected_version is not None and expected_version != loaded.version:
            raise ServiceError(
                "agreement",
                loaded.key,
                f"was changed by someone else (version {loaded.version}, you saw "
                f"{expected_version}); look again before recording",
            )
        result: CursorResult[Any] = self.session.execute(  # type: ignore[assignment]
            update(t.AGREEMENT)
            .where(t.AGREEMENT.c.id == loaded.agreement_id, t.AGREEMENT.c.version == loaded.version)
            .values(version=loaded.version + 1, **derived_columns(schedule))
        )
        if result.rowcount != 1:
            raise ConcurrentChange(loaded.key)

    # -- inserting --------------------------------------------------------------------------

    def company(self, name: str) -> int:
        found = self.session.execute(
            select(t.COMPANY.c.id).where(t.COMPANY.c.name == name)
        ).scalar()
        if found is not None:
            return int(found)
        row = m.Company(name=name, created_at=self.now)
        self.session.add(row)
        self.session.flush()
        assert row.id is not None
        return row.id

    def employee(self, company_id: int, name: str) -> int:
        table = t.EMPLOYEE
        found = self.session.execute(
            select(table.c.id).where(table.c.company_id == company_id, table.c.name == name)
        ).scalar()
        if found is not None:
            return int(found)
        row = m.Employee(company_id=company_id, name=name, created_at=self.now)
        self.session.add(row)
        self.session.flush()
        assert row.id is not None
        return row.id

    def add_revision(
        self, agreement_id: int, revision: int, terms: Terms, note: str | None = None
    ) -> int:
        row = m.TermsRevision(
            agreement_id=agreement_id,
            revision=revision,
            effective=terms.effective,
            expires=terms.expires,
            calendar=terms.calendar,
            payment_window_business_days=terms.payment_window_business_days,
            end_after_termination_business_days=terms.end_after_termination_business_days,
            late_interest_rate=str(terms.late_interest_rate),
            day_count=terms.day_count.value,
            accelerate_on=accelerate_on_text(terms.accelerate_on),
            governing_law=terms.governing_law,
            recorded_at=self.now,
            recorded_by=self.actor,
            note=note,
        )
        self.session.add(row)
        self.session.flush()
        assert row.id is not None
        self.add_installments(terms.installments, revision_id=row.id)
        return row.id

    def add_installments(
        self,
        installments: Sequence[Installment],
        *,
        revision_id: int | None = None,
        amendment_id: int | None = None,
    ) -> None:
        self.session.add_all(
            m.Installment(
                revision_id=revision_id,
                amendment_id=amendment_id,
                number=number,
                due=i.due,
                amount_cents=to_cents(i.amount),
            )
            for number, i in enumerate(installments, start=1)
        )

    def add_event(self, **fields: Any) -> int:
        """Insert an event, stamped with when it was recorded and by whom."""
        row = m.Event(**fields, recorded_at=self.now, recorded_by=self.actor)
        self.session.add(row)
        self.session.flush()
        assert row.id is not None
        return row.id

    def audit(
        self,
        action: str,
        summary: str,
        *,
        agreement_id: int | None = None,
        employee_id: int | None = None,
        company_id: int | None = None,
        event_id: int | None = None,
        before: object = None,
        after: object = None,
    ) -> None:
        self.session.add(
            m.AuditLog(
                **audit_values(
                    self.now,
                    self.actor,
                    action,
                    summary,
                    agreement_id=agreement_id,
                    employee_id=employee_id,
                    company_id=company_id,
                    event_id=event_id,
                    before=before,
                    after=after,
                )
            )
        )
