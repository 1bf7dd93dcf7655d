"""Alerts of the due job: flagged installments, the e-mails sent, HR's acknowledgements

One row per installment per stage (``alert``), at most one notice (``alert_notice``) and one
acknowledgement (``alert_ack``) per alert. All three are append-only like the rest of the history:
sending or acknowledging adds a row, never edits one.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Every unique key of the new tables, which an SQLite INSERT OR REPLACE could collide with.
UNIQUE_KEYS: dict[str, list[tuple[str, ...]]] = {
    "alert": [("id",), ("agreement_id", "installment", "due", "stage")],
    "alert_notice": [("id",), ("alert_id",)],
    "alert_ack": [("id",), ("alert_id",)],
}


def upgrade() -> None:
    op.create_table(
        "alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("installment", sa.Integer(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("owed_cents", sa.BigInteger(), nullable=False),
        sa.Column("flagged_on", sa.Date(), nullable=False),
        sa.Column("flagged_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "stage IN ('upcoming', 'in window', 'overdue')", name=op.f("ck_alert_stage")
        ),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreement.id"], name=op.f("fk_alert_agreement_id_agreement")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert")),
        sa.UniqueConstraint(
            "agreement_id", "installment", "due", "stage", name=op.f("uq_alert_agreement_id")
        ),
    )
    op.create_index(op.f("ix_alert_agreement_id"), "alert", ["agreement_id"], unique=False)
    op.create_table(
        "alert_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recipients", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["alert.id"], name=op.f("fk_alert_notice_alert_id_alert")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_notice")),
        sa.UniqueConstraint("alert_id", name=op.f("uq_alert_notice_alert_id")),
    )
    op.create_table(
        "alert_ack",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["alert.id"], name=op.f("fk_alert_ack_alert_id_alert")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_ack")),
        sa.UniqueConstraint("alert_id", name=op.f("uq_alert_ack_alert_id")),
    )
    _append_only()


def _append_only() -> None:
    """The same triggers as revision 0002's, on the new tables."""
    if op.get_bind().dialect.name == "postgresql":
        for table in UNIQUE_KEYS:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION comp_tracker_append_only()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION comp_tracker_append_only()"
            )
        return
    for table, keys in UNIQUE_KEYS.items():
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {action} refused'); END"
            )
        collides = " OR ".join(f"({' AND '.join(f'{c} = NEW.{c}' for c in key)})" for key in keys)
        op.execute(
            f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
            f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {collides}) "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: REPLACE refused'); END"
        )


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in reversed(list(UNIQUE_KEYS)):
        if postgresql:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
        else:
            for action in ("update", "delete", "replace"):
                op.execute(f"DROP TRIGGER {table}_no_{action}")
    op.drop_table("alert_ack")
    op.drop_table("alert_notice")
    op.drop_index(op.f("ix_alert_agreement_id"), table_name="alert")
    op.drop_table("alert")
