"""Companies: each with its employees, agreements (how many overdue) and what is owed."""

from __future__ import annotations

from comp_tracker.services.browse.people import Holder, People

from ..widgets.text import day, status_text
from .people import (
    AGREEMENTS,
    HOLDER_MONEY,
    Column,
    HolderColumn,
    PeopleScreen,
    interest,
    number,
    overdue,
    owed,
    principal,
)


class CompaniesScreen(PeopleScreen):
    DESCRIPTION = (
        "Companies with their employees, agreements (how many overdue) and what is outstanding "
        "on the as-of date. Enter lists the agreements; Enter opens one."
    )
    KIND = "company"
    KINDS = "companies"
    PEOPLE_COLUMNS = (
        HolderColumn("Company", lambda h: h.name),
        HolderColumn("Employees", lambda h: number(h.employees)),
        AGREEMENTS,
        HolderColumn("Overdue", overdue),
        *HOLDER_MONEY,
    )
    AGREEMENT_COLUMNS = (
        Column("Agreement", lambda a: a.agreement),
        Column("Employee", lambda a: a.employee),
        Column("Status", lambda a: status_text(a.standing.status)),
        Column("Next due", lambda a: day(a.standing.next_due), wide_only=True),
        Column("Pay by", lambda a: day(a.standing.next_deadline), wide_only=True),
        Column("Principal", principal, wide_only=True),
        Column("Interest", interest, wide_only=True),
        Column("Owed", owed),
    )

    def holders(self, data: People) -> list[Holder]:
        return data.companies
