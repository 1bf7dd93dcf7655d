"""Companies, employees, agreements, terms, installments, events, voids, audit log

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "company",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company")),
        sa.UniqueConstraint("name", name=op.f("uq_company_name")),
    )
    op.create_table(
        "employee",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_employee_company_id_company")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employee")),
        sa.UniqueConstraint("company_id", "name", name=op.f("uq_employee_company_id")),
    )
    with op.batch_alter_table("employee", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_employee_company_id"), ["company_id"], unique=False)

    op.create_table(
        "agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("settled_on", sa.Date(), nullable=True),
        sa.Column("first_due", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_agreement_company_id_company")
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"], ["employee.id"], name=op.f("fk_agreement_employee_id_employee")
        ),
        sa.ForeignKeyConstraint(
            ["template_id"], ["agreement.id"], name=op.f("fk_agreement_template_id_agreement")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement")),
        sa.UniqueConstraint("key", name=op.f("uq_agreement_key")),
    )
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agreement_company_id"), ["company_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_agreement_employee_id"), ["employee_id"], unique=False)

    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=True),
        sa.Column("employee_id", sa.Integer(), nullable=True),
        sa.Column("company_id", sa.Integer(), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=True),
        sa.Column("installment", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=40), nullable=True),
        sa.Column("expires", sa.Date(), nullable=True),
        sa.Column("replaces_installments", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            (
                "(kind IN ('payment', 'amendment') AND agreement_id IS NOT NULL"
                " AND employee_id IS NULL AND company_id IS NULL)"
                " OR (kind = 'termination' AND employee_id IS NOT NULL"
                " AND agreement_id IS NULL AND company_id IS NULL AND reason IS NOT NULL)"
                " OR (kind = 'change_in_control' AND company_id IS NOT NULL"
                " AND agreement_id IS NULL AND employee_id IS NULL)"
            ),
            name=op.f("ck_event_scope"),
        ),
        sa.CheckConstraint(
            "kind <> 'payment' OR amount_cents > 0", name=op.f("ck_event_payment_amount")
        ),
        sa.CheckConstraint(
            "kind IN ('payment', 'termination', 'change_in_control', 'amendment')",
            name=op.f("ck_event_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreement.id"], name=op.f("fk_event_agreement_id_agreement")
        ),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_event_company_id_company")
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"], ["employee.id"], name=op.f("fk_event_employee_id_employee")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_agreement_id"), ["agreement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_company_id"), ["company_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_employee_id"), ["employee_id"], unique=False)

    op.create_table(
        "terms_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("effective", sa.Date(), nullable=False),
        sa.Column("expires", sa.Date(), nullable=False),
        sa.Column("calendar", sa.String(length=20), nullable=False),
        sa.Column("payment_window_business_days", sa.Integer(), nullable=False),
        sa.Column("end_after_termination_business_days", sa.Integer(), nullable=False),
        sa.Column("late_interest_rate", sa.String(length=40), nullable=False),
        sa.Column("day_count", sa.String(length=20), nullable=False),
        sa.Column("accelerate_on", sa.String(length=200), nullable=False),
        sa.Column("governing_law", sa.String(length=200), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreement.id"],
            name=op.f("fk_terms_revision_agreement_id_agreement"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_terms_revision")),
        sa.UniqueConstraint(
            "agreement_id", "revision", name=op.f("uq_terms_revision_agreement_id")
        ),
    )
    with op.batch_alter_table("terms_revision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_terms_revision_agreement_id"), ["agreement_id"], unique=False
        )

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=True),
        sa.Column("employee_id", sa.Integer(), nullable=True),
        sa.Column("company_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreement.id"], name=op.f("fk_audit_log_agreement_id_agreement")
        ),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_audit_log_company_id_company")
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"], ["employee.id"], name=op.f("fk_audit_log_employee_id_employee")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_audit_log_event_id_event")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_log_agreement_id"), ["agreement_id", "id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_audit_log_company_id"), ["company_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_employee_id"), ["employee_id"], unique=False)

    op.create_table(
        "installment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=True),
        sa.Column("amendment_id", sa.Integer(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "(revision_id IS NULL) <> (amendment_id IS NULL)", name=op.f("ck_installment_one_owner")
        ),
        sa.CheckConstraint("amount_cents > 0", name=op.f("ck_installment_positive_amount")),
        sa.ForeignKeyConstraint(
            ["amendment_id"], ["event.id"], name=op.f("fk_installment_amendment_id_event")
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["terms_revision.id"],
            name=op.f("fk_installment_revision_id_terms_revision"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_installment")),
    )
    with op.batch_alter_table("installment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_installment_amendment_id"), ["amendment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_installment_revision_id"), ["revision_id"], unique=False
        )

    op.create_table(
        "void",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_void_event_id_event")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_void")),
        sa.UniqueConstraint("event_id", name=op.f("uq_void_event_id")),
    )


def downgrade() -> None:
    op.drop_table("void")
    with op.batch_alter_table("installment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_installment_revision_id"))
        batch_op.drop_index(batch_op.f("ix_installment_amendment_id"))

    op.drop_table("installment")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_employee_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_company_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_agreement_id"))

    op.drop_table("audit_log")
    with op.batch_alter_table("terms_revision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_terms_revision_agreement_id"))

    op.drop_table("terms_revision")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_employee_id"))
        batch_op.drop_index(batch_op.f("ix_event_company_id"))
        batch_op.drop_index(batch_op.f("ix_event_agreement_id"))

    op.drop_table("event")
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_employee_id"))
        batch_op.drop_index(batch_op.f("ix_agreement_company_id"))

    op.drop_table("agreement")
    with op.batch_alter_table("employee", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_employee_company_id"))

    op.drop_table("employee")
    op.drop_table("company")
