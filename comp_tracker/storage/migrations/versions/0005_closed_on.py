"""One more derived column on agreement, so the accrual exports skip agreements closed for good

``closed_on`` is the date from which nothing of the agreement's figures changes any more: every
installment paid or forfeited (``settled_on``) and every installment's service period over (its
original due date passed), so what it has earned is fixed. An agreement closed before a period
starts has no balance and no activity in it: the exports need not evaluate it.

Rows written before this revision are filled here from what they already hold: for a settled
agreement, the later of ``settled_on`` and the latest due date of any installment it ever had
(of every terms revision and every amendment, voided or not). That can only be later than the
exact date, never earlier, so no agreement with figures in a period is ever skipped; the next
write to an agreement sets the exact date.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_agreement = sa.table(
    "agreement",
    sa.column("id", sa.Integer),
    sa.column("settled_on", sa.Date),
    sa.column("closed_on", sa.Date),
)
_revision = sa.table("terms_revision", sa.column("id"), sa.column("agreement_id"))
_event = sa.table("event", sa.column("id"), sa.column("agreement_id"))
_installment = sa.table(
    "installment",
    sa.column("revision_id"),
    sa.column("amendment_id"),
    sa.column("due", sa.Date),
)


def upgrade() -> None:
    with op.batch_alter_table("agreement") as batch:
        batch.add_column(sa.Column("closed_on", sa.Date(), nullable=True))

    connection = op.get_bind()
    last_due: dict[int, dt.date] = {}
    for owner, link in (
        (_revision, _installment.c.revision_id),
        (_event, _installment.c.amendment_id),
    ):
        query = (
            sa.select(owner.c.agreement_id, sa.func.max(_installment.c.due))
            .select_from(_installment.join(owner, link == owner.c.id))
            .where(owner.c.agreement_id.is_not(None))
            .group_by(owner.c.agreement_id)
        )
        for agreement_id, due in connection.execute(query):
            if due is not None:
                last_due[agreement_id] = max(due, last_due.get(agreement_id, due))
    settled = connection.execute(
        sa.select(_agreement.c.id, _agreement.c.settled_on).where(
            _agreement.c.settled_on.is_not(None)
        )
    ).all()
    updates = [
        {"key": agreement_id, "closed": max(settled_on, last_due.get(agreement_id, settled_on))}
        for agreement_id, settled_on in settled
    ]
    if updates:
        connection.execute(
            _agreement.update()
            .where(_agreement.c.id == sa.bindparam("key"))
            .values(closed_on=sa.bindparam("closed")),
            updates,
        )


def downgrade() -> None:
    with op.batch_alter_table("agreement") as batch:
        batch.drop_column("closed_on")
