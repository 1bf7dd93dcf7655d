"""What a company's forms need to know of it without loading its agreements."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select

from .. import tables as t

if TYPE_CHECKING:
    from ..reads import Reader


def calendars_of_company(connection: Reader, company_id: int) -> list[tuple[str, int]]:
    """(calendar, agreements) under the current terms revision of each of the company's
    agreements: a company may hold thousands, so this counts in SQL."""
    current = (
        select(
            t.TERMS_REVISION.c.agreement_id,
            func.max(t.TERMS_REVISION.c.revision).label("revision"),
        )
        .join(t.AGREEMENT, t.AGREEMENT.c.id == t.TERMS_REVISION.c.agreement_id)
        .where(t.AGREEMENT.c.company_id == company_id)
        .group_by(t.TERMS_REVISION.c.agreement_id)
        .subquery()
    )
    rows = connection.execute(
        select(t.TERMS_REVISION.c.calendar, func.count())
        .join(
            current,
            (current.c.agreement_id == t.TERMS_REVISION.c.agreement_id)
            & (current.c.revision == t.TERMS_REVISION.c.revision),
        )
        .group_by(t.TERMS_REVISION.c.calendar)
    ).all()
    return [(str(calendar), int(count)) for calendar, count in rows]
