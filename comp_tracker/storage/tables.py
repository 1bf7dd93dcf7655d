"""The schema, declared once, as SQLAlchemy Core tables; the SQLModel classes in ``models`` map
these same tables for the writers.

Why Core here and not the models: reading an agreement (``comp-tracker show``, the due job, the
exports) needs only these tables, and importing SQLModel, pydantic and the ORM costs more start-up
time than the whole query (about 200 ms of a 0.5 s budget for ``show``). Writes add model
instances through an ORM session; each model's ``__table__`` is one of these tables.

Alembic's ``check`` compares this metadata with the migrations (``tests/storage/test_migrations``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

#: Names for constraints, so migrations can refer to them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: The checks on the event, installment and alert tables (the migrations repeat them).
EVENT_KIND_CHECK = "kind IN ('payment', 'termination', 'change_in_control', 'amendment')"
EVENT_SCOPE_CHECK = (
    "(kind IN ('payment', 'amendment') AND agreement_id IS NOT NULL"
    " AND employee_id IS NULL AND company_id IS NULL)"
    " OR (kind = 'termination' AND employee_id IS NOT NULL"
    " AND agreement_id IS NULL AND company_id IS NULL AND reason IS NOT NULL)"
    " OR (kind = 'change_in_control' AND company_id IS NOT NULL"
    " AND agreement_id IS NULL AND employee_id IS NULL)"
)
EVENT_PAYMENT_AMOUNT_CHECK = "kind <> 'payment' OR amount_cents > 0"
INSTALLMENT_ONE_OWNER_CHECK = "(revision_id IS NULL) <> (amendment_id IS NULL)"
INSTALLMENT_POSITIVE_AMOUNT_CHECK = "amount_cents > 0"
ALERT_STAGE_CHECK = "stage IN ('upcoming', 'in window', 'overdue')"


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware timestamp stored as UTC; read back aware on every database."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"timestamp without a time zone: {value}")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:  # SQLite keeps no zone: what we wrote was UTC
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _id() -> Column[int]:
    return Column("id", Integer, primary_key=True)


def _ref(name: str, target: str, *, nullable: bool, index: bool = True) -> Column[int]:
    return Column(name, Integer, ForeignKey(target), nullable=nullable, index=index or None)


def _timestamp(name: str) -> Column[dt.datetime]:
    return Column(name, UTCDateTime(), nullable=False)


def _who(name: str) -> Column[str]:
    return Column(name, String(200), nullable=False)


COMPANY = Table(
    "company",
    metadata,
    _id(),
    Column("name", String(200), nullable=False, unique=True),
    _timestamp("created_at"),
)

EMPLOYEE = Table(
    "employee",
    metadata,
    _id(),
    _ref("company_id", "company.id", nullable=False),
    Column("name", String(200), nullable=False),
    _timestamp("created_at"),
    UniqueConstraint("company_id", "name"),
)

AGREEMENT = Table(
    "agreement",
    metadata,
    _id(),
    Column("key", String(200), nullable=False, unique=True),
    _ref("company_id", "company.id", nullable=False),
    _ref("employee_id", "employee.id", nullable=False),
    _ref("template_id", "agreement.id", nullable=True, index=False),
    Column("source", Text, nullable=False),
    _timestamp("created_at"),
    _who("created_by"),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("settled_on", Date, nullable=True),
    Column("first_due", Date, nullable=True),
    Column("open_due", Date, nullable=True),
    Column("records_through", Date, nullable=True),
    Column("closed_on", Date, nullable=True),
)

TERMS_REVISION = Table(
    "terms_revision",
    metadata,
    _id(),
    _ref("agreement_id", "agreement.id", nullable=False),
    Column("revision", Integer, nullable=False),
    Column("effective", Date, nullable=False),
    Column("expires", Date, nullable=False),
    Column("calendar", String(20), nullable=False),
    Column("payment_window_business_days", Integer, nullable=False),
    Column("end_after_termination_business_days", Integer, nullable=False),
    Column("late_interest_rate", String(40), nullable=False),
    Column("day_count", String(20), nullable=False),
    Column("accelerate_on", String(200), nullable=False),
    Column("governing_law", String(200), nullable=True),
    _timestamp("recorded_at"),
    _who("recorded_by"),
    Column("note", Text, nullable=True),
    UniqueConstraint("agreement_id", "revision"),
)

INSTALLMENT = Table(
    "installment",
    metadata,
    _id(),
    _ref("revision_id", "terms_revision.id", nullable=True),
    _ref("amendment_id", "event.id", nullable=True),
    Column("number", Integer, nullable=False),
    Column("due", Date, nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    CheckConstraint(INSTALLMENT_ONE_OWNER_CHECK, name="one_owner"),
    CheckConstraint(INSTALLMENT_POSITIVE_AMOUNT_CHECK, name="positive_amount"),
)

EVENT = Table(
    "event",
    metadata,
    _id(),
    Column("kind", String(20), nullable=False),
    _ref("agreement_id", "agreement.id", nullable=True),
    _ref("employee_id", "employee.id", nullable=True),
    _ref("company_id", "company.id", nullable=True),
    Column("date", Date, nullable=False),
    Column("amount_cents", BigInteger, nullable=True),
    Column("installment", Integer, nullable=True),
    Column("reason", String(40), nullable=True),
    Column("expires", Date, nullable=True),
    Column("replaces_installments", Boolean, nullable=False),
    _timestamp("recorded_at"),
    _who("recorded_by"),
    Column("note", Text, nullable=True),
    CheckConstraint(EVENT_KIND_CHECK, name="kind"),
    CheckConstraint(EVENT_SCOPE_CHECK, name="scope"),
    CheckConstraint(EVENT_PAYMENT_AMOUNT_CHECK, name="payment_amount"),
)

VOID = Table(
    "void",
    metadata,
    _id(),
    Column("event_id", Integer, ForeignKey("event.id"), nullable=False, unique=True),
    Column("reason", Text, nullable=False),
    _timestamp("recorded_at"),
    _who("recorded_by"),
)

AUDIT_LOG = Table(
    "audit_log",
    metadata,
    _id(),
    _timestamp("at"),
    Column("actor", String(200), nullable=False),
    Column("action", String(40), nullable=False),
    _ref("agreement_id", "agreement.id", nullable=True, index=False),
    _ref("employee_id", "employee.id", nullable=True),
    _ref("company_id", "company.id", nullable=True),
    _ref("event_id", "event.id", nullable=True, index=False),
    Column("summary", Text, nullable=False),
    Column("before", Text, nullable=True),
    Column("after", Text, nullable=True),
    Index(None, "agreement_id", "id"),
)

ALERT = Table(
    "alert",
    metadata,
    _id(),
    _ref("agreement_id", "agreement.id", nullable=False),
    Column("installment", Integer, nullable=False),
    Column("due", Date, nullable=False),
    Column("stage", String(20), nullable=False),
    Column("deadline", Date, nullable=False),
    Column("owed_cents", BigInteger, nullable=False),
    Column("flagged_on", Date, nullable=False),
    _timestamp("flagged_at"),
    UniqueConstraint("agreement_id", "installment", "due", "stage"),
    CheckConstraint(ALERT_STAGE_CHECK, name="stage"),
)

ALERT_NOTICE = Table(
    "alert_notice",
    metadata,
    _id(),
    Column("alert_id", Integer, ForeignKey("alert.id"), nullable=False, unique=True),
    _timestamp("sent_at"),
    Column("recipients", Text, nullable=False),
)

ALERT_ACK = Table(
    "alert_ack",
    metadata,
    _id(),
    Column("alert_id", Integer, ForeignKey("alert.id"), nullable=False, unique=True),
    _timestamp("at"),
    _who("by"),
    Column("note", Text, nullable=True),
)

#: Every table by name, for the unit of work's bulk inserts.
TABLES: dict[str, Table] = {table.name: table for table in metadata.sorted_tables}

#: An agreement with its company and its employee (their names): the FROM of most reads.
AGREEMENT_NAMED = AGREEMENT.join(COMPANY, COMPANY.c.id == AGREEMENT.c.company_id).join(
    EMPLOYEE, EMPLOYEE.c.id == AGREEMENT.c.employee_id
)
#: An alert with its e-mail notice and its acknowledgement, where it has them.
ALERT_WITH_NOTICE_AND_ACK = ALERT.outerjoin(
    ALERT_NOTICE, ALERT_NOTICE.c.alert_id == ALERT.c.id
).outerjoin(ALERT_ACK, ALERT_ACK.c.alert_id == ALERT.c.id)


def columns(table: Table, names: str) -> tuple[Column[Any], ...]:
    """The columns of ``table`` named in ``names`` (separated by spaces), in that order."""
    return tuple(table.c[name] for name in names.split())
