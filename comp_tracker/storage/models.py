"""The tables. Alembic owns the schema (``migrations/``); these classes describe it.

The world as it is: a **company** employs **employees**; an **agreement** is between one company
and one of its employees. Its terms are kept as **terms revisions** (a correction is a new
revision, never an edit), each with its **installments**. **Events** are what happened: a payment
or an amendment belongs to an agreement, a termination to an employee's employment (it applies to
every agreement of that person), a change in control to a company (it applies to every agreement
of that company in force at the time). A mistake is corrected by a **void** row naming the event,
and re-recording; nothing is deleted or updated in place. Every service call writes one row of the
**audit log**, which triggers in the database make append-only.

The schema is declared once, in ``tables`` (SQLAlchemy Core: columns, types, keys, checks,
indexes), which reads need without the ORM. These classes map those same tables for the writers'
ORM session: each names its table (``__table__``) and gives every column its Python type, nothing
more.

Money is integer cents (SQLite would keep a NUMERIC as a float). Timestamps are timezone-aware UTC.
Every event keeps when it was recorded and by whom, apart from the date it happened.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel

from . import tables as t


class Company(SQLModel, table=True):
    __table__ = t.COMPANY

    id: int | None = Field(default=None, sa_column=t.COMPANY.c.id)
    name: str = Field(sa_column=t.COMPANY.c.name)
    created_at: dt.datetime = Field(sa_column=t.COMPANY.c.created_at)


class Employee(SQLModel, table=True):
    """One person's employment with one company."""

    __table__ = t.EMPLOYEE

    id: int | None = Field(default=None, sa_column=t.EMPLOYEE.c.id)
    company_id: int = Field(sa_column=t.EMPLOYEE.c.company_id)
    name: str = Field(sa_column=t.EMPLOYEE.c.name)
    created_at: dt.datetime = Field(sa_column=t.EMPLOYEE.c.created_at)


class Agreement(SQLModel, table=True):
    """One agreement's identity. Its terms are in :class:`TermsRevision`.

    ``version`` counts the writes to this agreement and its events: every service call that
    changes it moves the version on, or fails if another writer got there first (optimistic
    locking, besides the row lock). ``settled_on`` and ``first_due`` are derived, kept by the
    services in the same transaction as every change, so lists need not evaluate every agreement:
    ``settled_on`` is the date from which nothing more can change (every installment paid or
    forfeited, nothing owed), ``first_due`` the earliest date any installment can fall due.
    ``open_due`` is the earliest due date of an installment neither paid nor forfeited once every
    recorded event has happened, and ``records_through`` the date of the last of them: from that
    date on, nothing of the agreement can be flagged before ``open_due`` (the due job's filter).
    ``closed_on`` is the date from which none of its figures change: settled, and every
    installment's service period over (the accrual exports skip agreements closed before a period).
    """

    __table__ = t.AGREEMENT

    id: int | None = Field(default=None, sa_column=t.AGREEMENT.c.id)
    key: str = Field(sa_column=t.AGREEMENT.c.key)
    company_id: int = Field(sa_column=t.AGREEMENT.c.company_id)
    employee_id: int = Field(sa_column=t.AGREEMENT.c.employee_id)
    template_id: int | None = Field(default=None, sa_column=t.AGREEMENT.c.template_id)
    source: str = Field(sa_column=t.AGREEMENT.c.source)
    created_at: dt.datetime = Field(sa_column=t.AGREEMENT.c.created_at)
    created_by: str = Field(sa_column=t.AGREEMENT.c.created_by)
    version: int = Field(default=1, sa_column=t.AGREEMENT.c.version)
    settled_on: dt.date | None = Field(default=None, sa_column=t.AGREEMENT.c.settled_on)
    first_due: dt.date | None = Field(default=None, sa_column=t.AGREEMENT.c.first_due)
    open_due: dt.date | None = Field(default=None, sa_column=t.AGREEMENT.c.open_due)
    records_through: dt.date | None = Field(default=None, sa_column=t.AGREEMENT.c.records_through)
    closed_on: dt.date | None = Field(default=None, sa_column=t.AGREEMENT.c.closed_on)


class TermsRevision(SQLModel, table=True):
    """The terms of an agreement as recorded at ``recorded_at``; the highest revision is current."""

    __table__ = t.TERMS_REVISION

    id: int | None = Field(default=None, sa_column=t.TERMS_REVISION.c.id)
    agreement_id: int = Field(sa_column=t.TERMS_REVISION.c.agreement_id)
    revision: int = Field(sa_column=t.TERMS_REVISION.c.revision)
    effective: dt.date = Field(sa_column=t.TERMS_REVISION.c.effective)
    expires: dt.date = Field(sa_column=t.TERMS_REVISION.c.expires)
    calendar: str = Field(sa_column=t.TERMS_REVISION.c.calendar)
    payment_window_business_days: int = Field(
        sa_column=t.TERMS_REVISION.c.payment_window_business_days
    )
    end_after_termination_business_days: int = Field(
        sa_column=t.TERMS_REVISION.c.end_after_termination_business_days
    )
    late_interest_rate: str = Field(sa_column=t.TERMS_REVISION.c.late_interest_rate)
    day_count: str = Field(sa_column=t.TERMS_REVISION.c.day_count)
    accelerate_on: str = Field(sa_column=t.TERMS_REVISION.c.accelerate_on)
    governing_law: str | None = Field(default=None, sa_column=t.TERMS_REVISION.c.governing_law)
    recorded_at: dt.datetime = Field(sa_column=t.TERMS_REVISION.c.recorded_at)
    recorded_by: str = Field(sa_column=t.TERMS_REVISION.c.recorded_by)
    note: str | None = Field(default=None, sa_column=t.TERMS_REVISION.c.note)


class Installment(SQLModel, table=True):
    """An installment of a terms revision, or of an amendment (which replaces those not yet due)."""

    __table__ = t.INSTALLMENT

    id: int | None = Field(default=None, sa_column=t.INSTALLMENT.c.id)
    revision_id: int | None = Field(default=None, sa_column=t.INSTALLMENT.c.revision_id)
    amendment_id: int | None = Field(default=None, sa_column=t.INSTALLMENT.c.amendment_id)
    number: int = Field(sa_column=t.INSTALLMENT.c.number)
    due: dt.date = Field(sa_column=t.INSTALLMENT.c.due)
    amount_cents: int = Field(sa_column=t.INSTALLMENT.c.amount_cents)


class Event(SQLModel, table=True):
    """Something that happened on ``date``, recorded at ``recorded_at`` by ``recorded_by``."""

    __table__ = t.EVENT

    id: int | None = Field(default=None, sa_column=t.EVENT.c.id)
    kind: str = Field(sa_column=t.EVENT.c.kind)
    agreement_id: int | None = Field(default=None, sa_column=t.EVENT.c.agreement_id)
    employee_id: int | None = Field(default=None, sa_column=t.EVENT.c.employee_id)
    company_id: int | None = Field(default=None, sa_column=t.EVENT.c.company_id)
    date: dt.date = Field(sa_column=t.EVENT.c.date)
    amount_cents: int | None = Field(default=None, sa_column=t.EVENT.c.amount_cents)
    installment: int | None = Field(default=None, sa_column=t.EVENT.c.installment)
    reason: str | None = Field(default=None, sa_column=t.EVENT.c.reason)
    expires: dt.date | None = Field(default=None, sa_column=t.EVENT.c.expires)
    replaces_installments: bool = Field(default=False, sa_column=t.EVENT.c.replaces_installments)
    recorded_at: dt.datetime = Field(sa_column=t.EVENT.c.recorded_at)
    recorded_by: str = Field(sa_column=t.EVENT.c.recorded_by)
    note: str | None = Field(default=None, sa_column=t.EVENT.c.note)


class Void(SQLModel, table=True):
    """An event declared a mistake. At most one per event; the event row itself is kept."""

    __table__ = t.VOID

    id: int | None = Field(default=None, sa_column=t.VOID.c.id)
    event_id: int = Field(sa_column=t.VOID.c.event_id)
    reason: str = Field(sa_column=t.VOID.c.reason)
    recorded_at: dt.datetime = Field(sa_column=t.VOID.c.recorded_at)
    recorded_by: str = Field(sa_column=t.VOID.c.recorded_by)


class AuditLog(SQLModel, table=True):
    """One row per service call that wrote anything: who, when, what, and before/after (JSON)."""

    __table__ = t.AUDIT_LOG

    id: int | None = Field(default=None, sa_column=t.AUDIT_LOG.c.id)
    at: dt.datetime = Field(sa_column=t.AUDIT_LOG.c.at)
    actor: str = Field(sa_column=t.AUDIT_LOG.c.actor)
    action: str = Field(sa_column=t.AUDIT_LOG.c.action)
    agreement_id: int | None = Field(default=None, sa_column=t.AUDIT_LOG.c.agreement_id)
    employee_id: int | None = Field(default=None, sa_column=t.AUDIT_LOG.c.employee_id)
    company_id: int | None = Field(default=None, sa_column=t.AUDIT_LOG.c.company_id)
    event_id: int | None = Field(default=None, sa_column=t.AUDIT_LOG.c.event_id)
    summary: str = Field(sa_column=t.AUDIT_LOG.c.summary)
    before: str | None = Field(default=None, sa_column=t.AUDIT_LOG.c.before)
    after: str | None = Field(default=None, sa_column=t.AUDIT_LOG.c.after)


class Alert(SQLModel, table=True):
    """An installment flagged at one stage by the due job: one row per installment per stage.

    ``due`` is part of its identity: an amendment that moves a payment date flags it afresh.
    """

    __table__ = t.ALERT

    id: int | None = Field(default=None, sa_column=t.ALERT.c.id)
    agreement_id: int = Field(sa_column=t.ALERT.c.agreement_id)
    installment: int = Field(sa_column=t.ALERT.c.installment)
    due: dt.date = Field(sa_column=t.ALERT.c.due)
    stage: str = Field(sa_column=t.ALERT.c.stage)
    deadline: dt.date = Field(sa_column=t.ALERT.c.deadline)
    owed_cents: int = Field(sa_column=t.ALERT.c.owed_cents)
    flagged_on: dt.date = Field(sa_column=t.ALERT.c.flagged_on)
    flagged_at: dt.datetime = Field(sa_column=t.ALERT.c.flagged_at)


class AlertNotice(SQLModel, table=True):
    """An alert sent by e-mail: at most one per alert, so a second run never sends it again."""

    __table__ = t.ALERT_NOTICE

    id: int | None = Field(default=None, sa_column=t.ALERT_NOTICE.c.id)
    alert_id: int = Field(sa_column=t.ALERT_NOTICE.c.alert_id)
    sent_at: dt.datetime = Field(sa_column=t.ALERT_NOTICE.c.sent_at)
    recipients: str = Field(sa_column=t.ALERT_NOTICE.c.recipients)


class AlertAck(SQLModel, table=True):
    """HR has seen an alert and is dealing with it: at most one per alert."""

    __table__ = t.ALERT_ACK

    id: int | None = Field(default=None, sa_column=t.ALERT_ACK.c.id)
    alert_id: int = Field(sa_column=t.ALERT_ACK.c.alert_id)
    at: dt.datetime = Field(sa_column=t.ALERT_ACK.c.at)
    by: str = Field(sa_column=t.ALERT_ACK.c.by)
    note: str | None = Field(default=None, sa_column=t.ALERT_ACK.c.note)
