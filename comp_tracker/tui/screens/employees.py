"""Employees: each with their company, agreements and what they are owed on the as-of date."""

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
    owed,
    principal,
)


class EmployeesScreen(PeopleScreen):
    DESCRIPTION = (
        "Employees with their company, agreements and what is outstanding on the as-of date. "
        "Enter lists the agreements; Enter on one opens it."
    )
    KIND = "employee"
    KINDS = "employees"
    SEARCH_PLACEHOLDER = "Search: type part of an employee's or company's name (/ comes here)"
    PEOPLE_COLUMNS = (
        HolderColumn("Employee", lambda h: h.name),
        HolderColumn("Company", lambda h: h.company),
        AGREEMENTS,
        *HOLDER_MONEY,
    )
    AGREEMENT_COLUMNS = (
        Column("Agreement", lambda a: a.agreement),
        Column("Status", lambda a: status_text(a.standing.status)),
        Column("Next due", lambda a: day(a.standing.next_due)),
        Column("Pay by", lambda a: day(a.standing.next_deadline), wide_only=True),
        Column("Principal", principal),
        Column("Interest", interest),
        Column("Owed", owed, wide_only=True),
    )

    def holders(self, data: People) -> list[Holder]:
        return data.employees

    def matches(self, holder: Holder, text: str) -> bool:
        return text in holder.name.casefold() or text in holder.company.casefold()
