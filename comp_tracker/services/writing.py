"""How every write happens: one transaction, locks, re-validation, version bump, audit row.

A service call proposes a change, the engine validates every agreement it touches *with* the
change (exactly the checks the agreement file loader runs), and only then are rows inserted.
The agreements' rows are locked first (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's write
transaction is already exclusive), and each one's ``version`` must still be the one read, or the
call is retried from the start with fresh data. The audit row is written in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from comp_tracker.domain import CLOSED_STATUSES, Event, Schedule, Terms
from comp_tracker.domain.money import format_money
from comp_tracker.domain.planner import check
from comp_tracker.services.context import ConcurrentChange, Context, ServiceError
from comp_tracker.storage.errors import UniqueViolation, is_unique_violation
from comp_tracker.storage.reads import Loaded
from comp_tracker.storage.unit_of_work import UnitOfWork, WriteSession

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
        except UniqueViolation as exc:
            # Two writers creating the same company or agreement at once: the loser retries and
            # then sees the row. Anything else is a bug, not a user mistake.
            if attempt == RETRIES - 1 or not is_unique_violation(exc):
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


class Writer(UnitOfWork):
    """One write transaction: the storage's unit of work, and the checks of a service write.
    Made by :func:`run_write`."""

    def __init__(self, ctx: Context, session: WriteSession) -> None:
        super().__init__(session, ctx.clock(), ctx.actor)
        self.ctx = ctx

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
        if not self.bump_version(loaded.agreement_id, loaded.version, derived_columns(schedule)):
            raise ConcurrentChange(loaded.key)
