"""Employees and companies with their agreements, as they stood on a day: for the UI's Employees
and Companies screens.

Each agreement's standing (status, outstanding principal and late interest, the next open
installment) is the domain's :class:`~comp_tracker.domain.Standing`, as ``comp-tracker
agreements`` shows it; the totals per employee and per company are sums of those.
Every employee and company is listed, those without an agreement too (with zeros), so a person
HR looks for is always found. One read of all agreements: run it off the UI thread.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from comp_tracker.domain import AgreementStatus, Standing, compute_schedule, standing_of
from comp_tracker.domain.money import ZERO
from comp_tracker.services.context import Context
from comp_tracker.storage.reads import (
    all_agreement_ids,
    company_names_by_id,
    id_chunks,
    load_agreements,
)
from comp_tracker.storage.reads import company_names as stored_company_names
from comp_tracker.storage.reads import employees as stored_employees


@dataclass(frozen=True, slots=True)
class HeldAgreement:
    """One agreement of an employee or a company, and its standing on the as-of date."""

    agreement: str
    company: str
    employee: str
    standing: Standing


@dataclass(frozen=True, slots=True)
class Holder:
    """An employee or a company, with its agreements (ordered by company, employee, id)."""

    name: str
    company: str  # the employee's company; for a company, its own name
    employees: int  # for a company: how many of its employees are listed; for an employee, 1
    agreements: tuple[HeldAgreement, ...]

    @property
    def principal_outstanding(self) -> Decimal:
        return sum((a.standing.principal_outstanding for a in self.agreements), ZERO)

    @property
    def interest_outstanding(self) -> Decimal:
        return sum((a.standing.interest_outstanding for a in self.agreements), ZERO)

    @property
    def outstanding(self) -> Decimal:
        return self.principal_outstanding + self.interest_outstanding

    @property
    def overdue(self) -> int:
        """How many of the agreements are overdue."""
        return sum(1 for a in self.agreements if a.standing.status is AgreementStatus.OVERDUE)


@dataclass(frozen=True)
class People:
    """Every employee and every company on ``as_of``, each list ordered by name."""

    as_of: dt.date
    employees: list[Holder]
    companies: list[Holder]


def totals(holders: Sequence[Holder]) -> tuple[int, Decimal, Decimal]:
    """The number of agreements and the outstanding principal and interest of ``holders``."""
    return (
        sum(len(h.agreements) for h in holders),
        sum((h.principal_outstanding for h in holders), ZERO),
        sum((h.interest_outstanding for h in holders), ZERO),
    )


def people(ctx: Context, as_of: dt.date) -> People:
    """Every employee and company, with their agreements' standing on ``as_of``."""
    by_employee: dict[int, list[HeldAgreement]]
    by_company: dict[int, list[HeldAgreement]]
    with ctx.db.read() as session:
        companies = company_names_by_id(session)
        employees = {key: (name, company) for key, name, company in stored_employees(session)}
        by_employee = {key: [] for key in employees}
        by_company = {key: [] for key in companies}
        agreement_ids = all_agreement_ids(session)
        # A thousand agreements at a time: only their standings are kept, not their terms and
        # events (all of 100,000 agreements at once held half a gigabyte).
        for chunk in id_chunks(agreement_ids):
            for item in load_agreements(session, ids=chunk):
                schedule = compute_schedule(item.terms, item.events, as_of)
                standing = HeldAgreement(
                    agreement=item.key,
                    company=companies[item.company_id],
                    employee=employees[item.employee_id][0],
                    standing=standing_of(schedule),
                )
                by_employee[item.employee_id].append(standing)
                by_company[item.company_id].append(standing)

    def ordered(items: list[HeldAgreement]) -> tuple[HeldAgreement, ...]:
        return tuple(sorted(items, key=lambda a: (a.company, a.employee, a.agreement)))

    staff: dict[int, int] = {}
    for _, company_id in employees.values():
        staff[company_id] = staff.get(company_id, 0) + 1
    employee_list = [
        Holder(name, companies[company_id], 1, ordered(by_employee[key]))
        for key, (name, company_id) in employees.items()
    ]
    company_list = [
        Holder(name, name, staff.get(key, 0), ordered(by_company[key]))
        for key, name in companies.items()
    ]
    employee_list.sort(key=lambda h: (h.name.casefold(), h.company.casefold()))
    company_list.sort(key=lambda h: h.name.casefold())
    return People(as_of, employee_list, company_list)


def company_names(ctx: Context) -> list[str]:
    """Every company's name, in order (for choosing some: the accrual export's scope)."""
    with ctx.db.read() as session:
        names = stored_company_names(session)
    return sorted(names, key=str.casefold)
