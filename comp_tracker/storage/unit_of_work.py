"""One write transaction's rows: the unit of work every service write goes through.

:class:`UnitOfWork` wraps the transaction's ORM session and offers the writes the services make,
by name: lock agreements, move a version on, find or add a company or employee, add a terms
revision, installments, an event, a void, an agreement, an audit row, and the bulk inserts of the
synthetic generator. Made by ``services.writing.run_write`` for each attempt of a write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Unpack

from sqlalchemy import CursorResult, insert, select, update
from sqlalchemy.orm import Session

from comp_tracker.domain import Installment, Terms
from comp_tracker.domain.money import to_cents

from . import models as m
from . import tables as t
from .audit import About, audit_values
from .reads import accelerate_on_text

#: The ORM session of a write transaction (``Database.write``).
WriteSession = Session


class UnitOfWork:
    """The writes of one transaction, stamped with ``now`` and ``actor``."""

    def __init__(self, session: WriteSession, now: dt.datetime, actor: str) -> None:
        self.session = session
        self.now = now
        self.actor = actor

    # -- locking and versions ---------------------------------------------------------------

    def lock(self, agreement_ids: Iterable[int]) -> None:
        """Lock the agreements' rows, in id order so two writers never deadlock (SQLite's write
        transaction is already exclusive)."""
        ids = sorted(set(agreement_ids))
        if ids:
            self.session.execute(
                select(t.AGREEMENT.c.id)
                .where(t.AGREEMENT.c.id.in_(ids))
                .order_by(t.AGREEMENT.c.id)
                .with_for_update()
            ).all()

    def bump_version(self, agreement_id: int, version: int, derived: dict[str, Any]) -> bool:
        """Move the agreement's version from ``version`` on by one and set its derived columns;
        False if its stored version is no longer ``version`` (someone else wrote first)."""
        result: CursorResult[Any] = self.session.execute(  # type: ignore[assignment]
            update(t.AGREEMENT)
            .where(t.AGREEMENT.c.id == agreement_id, t.AGREEMENT.c.version == version)
            .values(version=version + 1, **derived)
        )
        return bool(result.rowcount == 1)

    # -- parties and agreements -------------------------------------------------------------

    def company(self, name: str) -> int:
        """The company's id, added if new."""
        found = self.session.execute(
            select(t.COMPANY.c.id).where(t.COMPANY.c.name == name)
        ).scalar()
        if found is not None:
            return int(found)
        row = m.Company(name=name, created_at=self.now)
        return self._added(row)

    def employee(self, company_id: int, name: str) -> int:
        """The employee's id at the company, added if new."""
        table = t.EMPLOYEE
        found = self.session.execute(
            select(table.c.id).where(table.c.company_id == company_id, table.c.name == name)
        ).scalar()
        if found is not None:
            return int(found)
        return self._added(m.Employee(company_id=company_id, name=name, created_at=self.now))

    def add_agreement(
        self, key: str, company_id: int, employee_id: int, *, source: str, template_id: int | None
    ) -> int:
        """A new agreement's row, at version 0 (the first checked write moves it to 1)."""
        return self._added(
            m.Agreement(
                key=key,
                company_id=company_id,
                employee_id=employee_id,
                template_id=template_id,
                source=source,
                created_at=self.now,
                created_by=self.actor,
                version=0,
            )
        )

    def add_revision(
        self, agreement_id: int, revision: int, terms: Terms, note: str | None = None
    ) -> int:
        revision_id = self._added(
            m.TermsRevision(
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
        )
        self.add_installments(terms.installments, revision_id=revision_id)
        return revision_id

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

    # -- events -----------------------------------------------------------------------------

    def add_event(self, **fields: Any) -> int:
        """Insert an event, stamped with when it was recorded and by whom."""
        return self._added(m.Event(**fields, recorded_at=self.now, recorded_by=self.actor))

    def add_void(self, event_id: int, reason: str) -> None:
        self.session.add(
            m.Void(event_id=event_id, reason=reason, recorded_at=self.now, recorded_by=self.actor)
        )

    def audit(self, action: str, summary: str, **about: Unpack[About]) -> None:
        """The audit row of this write (before and after as JSON)."""
        self.session.add(m.AuditLog(**audit_values(self.now, self.actor, action, summary, **about)))

    # -- bulk (the synthetic generator) -------------------------------------------------------

    def insert_rows(self, table: str, rows: list[dict[str, Any]]) -> list[int]:
        """Insert rows of ``table`` ("company", "employee", ...) over Core; their ids in order."""
        if not rows:
            return []
        target = t.TABLES[table]
        result = self.session.execute(
            insert(target).returning(target.c.id, sort_by_parameter_order=True), rows
        )
        return [row[0] for row in result]

    def insert_many(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Insert rows of ``table`` over Core, without reading their ids back."""
        if rows:
            self.session.execute(insert(t.TABLES[table]), rows)

    def _added(self, row: Any) -> int:
        self.session.add(row)
        self.session.flush()
        assert row.id is not None
        return int(row.id)
