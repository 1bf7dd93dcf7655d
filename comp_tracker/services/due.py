"""The due job's question: which unpaid installments need attention on a day?

Candidates are chosen in SQL, from the derived columns every write keeps (see
:func:`~comp_tracker.services.writing.derived_columns`): an agreement is a candidate when
something of it can be due by the last upcoming date (``first_due``), it was not settled by the
as-of date (``settled_on``), and, if every recorded event has happened by then
(``records_through``), its earliest installment still open after them (``open_due``) is due by the
last upcoming date. Only candidates are loaded and evaluated by the engine, whose
:func:`~comp_tracker.domain.flags_of` decides each installment's stage.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, or_, select

from comp_tracker.domain import Flag, Stage, compute_schedule, flags_of, get_calendar
from comp_tracker.storage import tables as t

from .context import Context, ServiceError
from .loading import load_agreements

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

#: The most business days ahead ``--within`` may look (about three months).
MAX_WITHIN = 60

_STAGE_ORDER = {Stage.OVERDUE: 0, Stage.IN_WINDOW: 1, Stage.UPCOMING: 2}


@dataclass(frozen=True)
class DueReport:
    as_of: dt.date
    within: int
    flags: list[Flag]  # by deadline, then stage, company, employee, agreement, installment
    candidates: int  # agreements loaded and evaluated
    agreement_ids: dict[str, int] = field(default_factory=dict)  # of the flagged ones, by key

    def count(self, stage: Stage) -> int:
        return sum(1 for flag in self.flags if flag.stage is stage)


def flag_order(flag: Flag) -> tuple[object, ...]:
    return (
        flag.deadline,
        _STAGE_ORDER[flag.stage],
        flag.company,
        flag.employee,
        flag.agreement,
        flag.installment,
    )


def candidates(connection: Connection, as_of: dt.date, within: int) -> Select[Any]:
    """The ids of the agreements that can have something to flag on ``as_of`` (a query)."""
    calendars = connection.execute(select(t.TERMS_REVISION.c.calendar).distinct()).scalars()
    # The last payment date that can be upcoming, on the slowest of the calendars in use.
    last_upcoming = max(
        (get_calendar(code).add_business_days(as_of, within) for code in calendars),
        default=as_of,
    )
    agreement = t.AGREEMENT.c
    return select(agreement.id).where(
        agreement.first_due <= last_upcoming,
        or_(agreement.settled_on.is_(None), agreement.settled_on > as_of),
        or_(
            # Every event has happened by as_of: only an installment open after them can be
            # flagged, and the earliest of them is due after the horizon.
            agreement.open_due <= last_upcoming,
            # Otherwise (a what-if before the last event, or a row from before migration 0004
            # with the columns empty) the agreement is evaluated.
            agreement.records_through.is_(None),
            agreement.records_through > as_of,
        ),
    )


def find_due(ctx: Context, as_of: dt.date, within: int = 3) -> DueReport:
    """Every unpaid installment upcoming within ``within`` business days, in window, or overdue."""
    if not 0 <= within <= MAX_WITHIN:
        raise ServiceError("within", within, f"must be a whole number from 0 to {MAX_WITHIN}")
    with ctx.db.read() as connection:
        loaded = load_agreements(connection, candidates(connection, as_of, within))
    flags = [
        flag
        for item in loaded
        for flag in flags_of(compute_schedule(item.terms, item.events, as_of), within)
    ]
    flags.sort(key=flag_order)
    ids = {item.key: item.agreement_id for item in loaded}
    return DueReport(
        as_of=as_of,
        within=within,
        flags=flags,
        candidates=len(loaded),
        agreement_ids={flag.agreement: ids[flag.agreement] for flag in flags},
    )
