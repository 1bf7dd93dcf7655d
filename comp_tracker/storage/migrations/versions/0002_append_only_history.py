"""History is append-only: the database itself refuses UPDATE and DELETE on it

The audit log, events, voids, terms revisions and installments record what happened and who said
so. Triggers on SQLite and PostgreSQL refuse any UPDATE or DELETE of those rows, whoever issues it,
so a mistake can only be corrected by a new row (a void, a revision), never by rewriting.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = ("audit_log", "event", "void", "terms_revision", "installment")
#: Every unique key of those tables, which an SQLite INSERT OR REPLACE could collide with.
UNIQUE_KEYS: dict[str, list[tuple[str, ...]]] = {
    "audit_log": [("id",)],
    "event": [("id",)],
    "void": [("id",), ("event_id",)],
    "terms_revision": [("id",), ("agreement_id", "revision")],
    "installment": [("id",)],
}


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION comp_tracker_append_only() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
                    USING ERRCODE = 'insufficient_privilege';
            END
            $$
            """
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION comp_tracker_append_only()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION comp_tracker_append_only()"
            )
    else:
        for table in APPEND_ONLY:
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {action} refused'); END"
                )
            # INSERT OR REPLACE deletes the row it collides with without firing DELETE triggers
            # (unless recursive_triggers is on): refuse any insert that would collide.
            keys = " OR ".join(
                f"({' AND '.join(f'{c} = NEW.{c}' for c in key)})" for key in UNIQUE_KEYS[table]
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
                f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {keys}) "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: REPLACE refused'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
        op.execute("DROP FUNCTION comp_tracker_append_only()")
    else:
        for table in APPEND_ONLY:
            for action in ("update", "delete", "replace"):
                op.execute(f"DROP TRIGGER {table}_no_{action}")
