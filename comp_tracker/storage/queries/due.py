"""What the due job reads: the calendars in use and the agreements that can have a flag."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, or_, select

from .. import tables as t

if TYPE_CHECKING:
    from ..reads import Reader


def calendars_in_use(connection: Reader) -> list[str]:
    """The business calendars of every terms revision stored."""
    return list(connection.execute(select(t.TERMS_REVISION.c.calendar).distinct()).scalars())


def due_selection(last_upcoming: dt.date, as_of: dt.date) -> Select[Any]:
    """The agreements that can have something to flag on ``as_of``, where ``last_upcoming`` is
    the last payment date that can be upcoming (for ``load_agreements``)."""
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
