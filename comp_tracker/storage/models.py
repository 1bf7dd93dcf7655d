"""The tables. Alembic owns the schema (``migrations/``); these classes describe it.

The world as it is: a **company** employs **employees**; an **agreement** is between one company
and one of its employees. Its terms are kept as **terms revisions** (a correction is a new
revision, never an edit), each with its **installments**. **Events** are what happened: a payment
or an amendment belongs to an agreement, a termination to an employee's employment (it applies to
every agreement of that person), a change in control to a company (it applies to every agreement
of that company in force at the time). A mistake is corrected by a **void** row naming the event,
and re-recording; nothing is deleted or updated in place. Every service call writes one row of the
**audit log**, which triggers in the database make append-only.

``tables`` declares the same schema as SQLAlchemy Core tables, for queries that need not import
the ORM; a test proves the two identical.

Money is integer cents (SQLite would keep a NUMERIC as a float). Timestamps are timezone-aware UTC.
Every event keeps when it was recorded and by whom, apart from the date it happened.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from .tables import (
    ALERT_STAGE_CHECK,
    EVENT_KIND_CHECK,
    EVENT_PAYMENT_AMOUNT_CHECK,
    EVENT_SCOPE_CHECK,
    INSTALLMENT_ONE_OWNER_CHECK,
    INSTALLMENT_POSITIVE_AMOUNT_CHECK,
    NAMING_CONVENTION,
    UTCDateTime,
)

SQLModel.metadata.naming_convention = NAMING_CONVENTION


def _timestamp() -> Any:
    return Field(sa_column=Column(UTCDateTime(), nullable=False))


def _cents(nullable: bool = False) -> Any:
    return Field(sa_column=Column(BigInteger, nullable=nullable))


class Company(SQLModel, table=True):
    __tablename__: ClassVar[str] = "company"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    created_at: dt.datetime = _timestamp()


class Employee(SQLModel, table=True):
    """One person's employment with one company."""

    __tablename__: ClassVar[str] = "employee"
    __table_args__ = (UniqueConstraint("company_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    name: str = Field(sa_column=Column(String(200), nullable=False))
    created_at: dt.datetime = _timestamp()


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

    __tablename__: ClassVar[str] = "agreement"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    company_id: int = Field(foreign_key="company.id", index=True)
    employee_id: int = Field(foreign_key="employee.id", index=True)
    template_id: int | None = Field(default=None, foreign_key="agreement.id")
    source: str = Field(sa_column=Column(Text, nullable=False))
    created_at: dt.datetime = _timestamp()
    created_by: str = Field(sa_column=Column(String(200), nullable=False))
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False, server_default="1"))
    settled_on: dt.date | None = Field(default=None)
    first_due: dt.date | None = Field(default=None)
    open_due: dt.date | None = Field(default=None)
    records_through: dt.date | None = Field(default=None)
    closed_on: dt.date | None = Field(default=None)


class TermsRevision(SQLModel, table=True):
    """The terms of an agreement as recorded at ``recorded_at``; the highest revision is current."""

    __tablename__: ClassVar[str] = "terms_revision"
    __table_args__ = (UniqueConstraint("agreement_id", "revision"),)

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True)
    revision: int
    effective: dt.date
    expires: dt.date
    calendar: str = Field(sa_column=Column(String(20), nullable=False))
    payment_window_business_days: int
    end_after_termination_business_days: int
    late_interest_rate: str = Field(sa_column=Column(String(40), nullable=False))
    day_count: str = Field(sa_column=Column(String(20), nullable=False))
    accelerate_on: str = Field(sa_column=Column(String(200), nullable=False))
    governing_law: str | None = Field(default=None, sa_column=Column(String(200)))
    recorded_at: dt.datetime = _timestamp()
    recorded_by: str = Field(sa_column=Column(String(200), nullable=False))
    note: str | None = Field(default=None, sa_column=Column(Text))


class Installment(SQLModel, table=True):
    """An installment of a terms revision, or of an amendment (which replaces those not yet due)."""

    __tablename__: ClassVar[str] = "installment"
    __table_args__ = (
        CheckConstraint(INSTALLMENT_ONE_OWNER_CHECK, name="one_owner"),
        CheckConstraint(INSTALLMENT_POSITIVE_AMOUNT_CHECK, name="positive_amount"),
    )

    id: int | None = Field(default=None, primary_key=True)
    revision_id: int | None = Field(default=None, foreign_key="terms_revision.id", index=True)
    amendment_id: int | None = Field(default=None, foreign_key="event.id", index=True)
    number: int
    due: dt.date
    amount_cents: int = _cents()


class Event(SQLModel, table=True):
    """Something that happened on ``date``, recorded at ``recorded_at`` by ``recorded_by``."""

    __tablename__: ClassVar[str] = "event"
    __table_args__ = (
        CheckConstraint(EVENT_KIND_CHECK, name="kind"),
        CheckConstraint(EVENT_SCOPE_CHECK, name="scope"),
        CheckConstraint(EVENT_PAYMENT_AMOUNT_CHECK, name="payment_amount"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(sa_column=Column(String(20), nullable=False))
    agreement_id: int | None = Field(default=None, foreign_key="agreement.id", index=True)
    employee_id: int | None = Field(default=None, foreign_key="employee.id", index=True)
    company_id: int | None = Field(default=None, foreign_key="company.id", index=True)
    date: dt.date
    amount_cents: int | None = _cents(nullable=True)
    installment: int | None = Field(default=None)
    reason: str | None = Field(default=None, sa_column=Column(String(40)))
    expires: dt.date | None = Field(default=None)
    replaces_installments: bool = Field(default=False)
    recorded_at: dt.datetime = _timestamp()
    recorded_by: str = Field(sa_column=Column(String(200), nullable=False))
    note: str | None = Field(default=None, sa_column=Column(Text))


class Void(SQLModel, table=True):
    """An event declared a mistake. At most one per event; the event row itself is kept."""

    __tablename__: ClassVar[str] = "void"

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(
        sa_column=Column(Integer, ForeignKey("event.id"), nullable=False, unique=True)
    )
    reason: str = Field(sa_column=Column(Text, nullable=False))
    recorded_at: dt.datetime = _timestamp()
    recorded_by: str = Field(sa_column=Column(String(200), nullable=False))


class AuditLog(SQLModel, table=True):
    """One row per service call that wrote anything: who, when, what, and before/after (JSON)."""

    __tablename__: ClassVar[str] = "audit_log"
    __table_args__ = (Index(None, "agreement_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = _timestamp()
    actor: str = Field(sa_column=Column(String(200), nullable=False))
    action: str = Field(sa_column=Column(String(40), nullable=False))
    agreement_id: int | None = Field(default=None, foreign_key="agreement.id")
    employee_id: int | None = Field(default=None, foreign_key="employee.id", index=True)
    company_id: int | None = Field(default=None, foreign_key="company.id", index=True)
    event_id: int | None = Field(default=None, foreign_key="event.id")
    summary: str = Field(sa_column=Column(Text, nullable=False))
    before: str | None = Field(default=None, sa_column=Column(Text))
    after: str | None = Field(default=None, sa_column=Column(Text))


class Alert(SQLModel, table=True):
    """An installment flagged at one stage by the due job: one row per installment per stage.

    ``due`` is part of its identity: an amendment that moves a payment date flags it afresh.
    """

    __tablename__: ClassVar[str] = "alert"
    __table_args__ = (
        UniqueConstraint("agreement_id", "installment", "due", "stage"),
        CheckConstraint(ALERT_STAGE_CHECK, name="stage"),
    )

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True)
    installment: int
    due: dt.date
    stage: str = Field(sa_column=Column(String(20), nullable=False))
    deadline: dt.date
    owed_cents: int = _cents()
    flagged_on: dt.date
    flagged_at: dt.datetime = _timestamp()


class AlertNotice(SQLModel, table=True):
    """An alert sent by e-mail: at most one per alert, so a second run never sends it again."""

    __tablename__: ClassVar[str] = "alert_notice"

    id: int | None = Field(default=None, primary_key=True)
    alert_id: int = Field(
        sa_column=Column(Integer, ForeignKey("alert.id"), nullable=False, unique=True)
    )
    sent_at: dt.datetime = _timestamp()
    recipients: str = Field(sa_column=Column(Text, nullable=False))


class AlertAck(SQLModel, table=True):
    """HR has seen an alert and is dealing with it: at most one per alert."""

    __tablename__: ClassVar[str] = "alert_ack"

    id: int | None = Field(default=None, primary_key=True)
    alert_id: int = Field(
        sa_column=Column(Integer, ForeignKey("alert.id"), nullable=False, unique=True)
    )
    at: dt.datetime = _timestamp()
    by: str = Field(sa_column=Column(String(200), nullable=False))
    note: str | None = Field(default=None, sa_column=Column(Text))
