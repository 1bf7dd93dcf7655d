"""The due job's question: which unpaid installments need attention on a day?

Candidates are chosen in SQL, from the derived columns every write keeps (``first_due``: the
earliest date any installment of the agreement can fall due; ``settled_on``: from when nothing
more can change): an agreement is a candidate when something of it can be due by the last
upcoming date and it was not settled by the as-of date. Only candidates are loaded and evaluated
by the engine, whose :func:`~comp_tracker.domain.flags_of` decides each installment's stage.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import or_, select

from comp_tracker.domain import Flag, Stage, compute_schedule, flags_of, get_calendar
from comp_tracker.storage import tables as t

from .context import Context, ServiceError
from .loading import load_agreements

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


def find_due(ctx: Context, as_of: dt.date, within: int = 3) -> DueReport:
    """Every unpaid installment upcoming within ``within`` business days, in window, or overdue."""
    if not 0 <= within <= MAX_WITHIN:
        raise ServiceError("within", within, f"must be a whole number from 0 to {MAX_WITHIN}")
    with ctx.db.read() as session:
        calendars = session.execute(select(t.TERMS_REVISION.c.calendar).distinct()).scalars()
        # The last payment date that can be upcoming, on the slowest of the calendars in use.
        last_upcoming = max(
            (get_calendar(code).add_business_days(as_of, within) for code in calendars),
            default=as_of,
        )
        candidates = select(t.AGREEMENT.c.id).where(
            t.AGREEMENT.c.first_due <= last_upcoming,
            or_(t.AGREEMENT.c.settled_on.is_(None), t.AGREEMENT.c.settled_on > as_of),
        )
        loaded = load_agreements(session, candidates)
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
