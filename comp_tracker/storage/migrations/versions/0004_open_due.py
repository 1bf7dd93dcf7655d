"""Two more derived columns on agreement, so the due job loads only what can be flagged

``open_due`` is the earliest due date of an installment neither paid nor forfeited once every
recorded event has happened; ``records_through`` is the date of the last of those events (or the
effective date). Together they say that an agreement whose next unpaid installment falls due after
the job's horizon has nothing to flag, on any day from ``records_through`` on.

Rows written before this revision keep both empty, which the job reads as "unknown" and so
evaluates the agreement as before; the next write to an agreement fills them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("agreement") as batch:
        batch.add_column(sa.Column("open_due", sa.Date(), nullable=True))
        batch.add_column(sa.Column("records_through", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("agreement") as batch:
        batch.drop_column("records_through")
        batch.drop_column("open_due")
