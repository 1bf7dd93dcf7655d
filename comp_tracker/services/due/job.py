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
from typing import TYPE_CHECKING

from comp_tracker.domain import Flag, Stage, compute_schedule, flags_of, get_calendar
from comp_tracker.services.context import Context, ServiceError
from comp_tracker.storage.queries.due import calendars_in_use, due_selection
from comp_tracker.storage.reads import Selection, load_agreements

if TYPE_CHECKING:
    from comp_tracker.storage.reads import Reader

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


def candidates(connection: Reader, as_of: dt.date, within: int) -> Selection:
    """The agreements that can have something to flag on ``as_of`` (a selection for
    ``load_agreements``)."""
    # The last payment date that can be upcoming, on the slowest of the calendars in use.
    last_upcoming = max(
        (
            get_calendar(code).add_business_days(as_of, within)
            for code in calendars_in_use(connection)
        ),
        default=as_of,
    )
    return due_selection(last_upcoming, as_of)


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
