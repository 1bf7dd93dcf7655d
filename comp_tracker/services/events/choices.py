"""What the event forms offer before anything is typed: the agreement on the form's date (the
installments and what each owes, what an amendment may replace), an employee's agreements and
what each reason does under them, a company's agreements. Read-only, one read transaction each.

    payment_choices              the installments and what each owes on a date (the defaults)
    amendment_choices            the installments an amendment on a date may replace
    termination_choices          the employee's agreements, and which reasons accelerate
    change_in_control_choices    how many agreements the company holds, and its calendar
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from comp_tracker.domain import (
    OPEN_STATUSES,
    InstallmentState,
    Schedule,
    Status,
    TerminationReason,
    compute_schedule,
    owed,
    standing_of,
)
from comp_tracker.domain.money import ZERO
from comp_tracker.services.context import Context
from comp_tracker.services.events.planning import find_company
from comp_tracker.storage.queries.companies import calendars_of_company
from comp_tracker.storage.reads import employee_selection, load_agreements, load_one


@dataclass(frozen=True, slots=True)
class AgreementOnDate:
    """An agreement as a form finds it on a date: its parties, its calendar, the version the
    save must still find, and its schedule that day (the amendments in force then included)."""

    agreement: str
    employee: str
    company: str
    calendar: str
    version: int
    date: dt.date
    #: The agreement as of ``date``, before the change.
    schedule: Schedule


def _on_date(ctx: Context, agreement: str, date: dt.date) -> dict[str, Any]:
    with ctx.db.read() as session:
        item = load_one(session, agreement)
    return {
        "agreement": item.key,
        "employee": item.terms.employee,
        "company": item.terms.company,
        "calendar": item.terms.calendar,
        "version": item.version,
        "date": date,
        "schedule": compute_schedule(item.terms, item.events, date),
    }


@dataclass(frozen=True, slots=True)
class PaymentChoices(AgreementOnDate):
    """What the payment form offers on a date: each installment and what it owes that day."""

    @property
    def installments(self) -> tuple[InstallmentState, ...]:
        return self.schedule.installments

    @property
    def default_installment(self) -> int | None:
        """The oldest installment with something owed on the date (None if nothing is)."""
        open_ = [i for i in self.installments if i.status in OPEN_STATUSES and owed(i)]
        return min(open_, key=lambda i: (i.due, i.number)).number if open_ else None

    def owed(self, installment: int | None) -> Decimal:
        """What is owed on the date on one installment, or in all (None): interest included."""
        if installment is None:
            return standing_of(self.schedule).owed
        for state in self.installments:
            if state.number == installment:
                return ZERO if state.status is Status.FORFEITED else owed(state)
        return ZERO

    def state(self, installment: int) -> InstallmentState | None:
        return next((i for i in self.installments if i.number == installment), None)


def payment_choices(ctx: Context, agreement: str, date: dt.date) -> PaymentChoices:
    return PaymentChoices(**_on_date(ctx, agreement, date))


@dataclass(frozen=True, slots=True)
class AmendmentChoices(AgreementOnDate):
    """An agreement as an amendment on ``date`` finds it."""

    @property
    def expires(self) -> dt.date:
        return self.schedule.terms.expires

    @property
    def replaceable(self) -> tuple[InstallmentState, ...]:
        """The installments not yet due on the date: those an amendment may replace."""
        return tuple(i for i in self.schedule.installments if i.due > self.date)


def amendment_choices(ctx: Context, agreement: str, date: dt.date) -> AmendmentChoices:
    return AmendmentChoices(**_on_date(ctx, agreement, date))


@dataclass(frozen=True, slots=True)
class AgreementTerms:
    """One agreement as a termination form lists it."""

    agreement: str
    effective: dt.date
    expires: dt.date
    calendar: str
    accelerate_on: frozenset[TerminationReason]


@dataclass(frozen=True, slots=True)
class TerminationChoices:
    """The employee an agreement belongs to, and all their agreements at that company."""

    employee: str
    company: str
    calendar: str  # the calendar of the agreement the form was opened from
    agreements: tuple[AgreementTerms, ...]

    def accelerating(self, reason: TerminationReason) -> int:
        """How many of the agreements accelerate on ``reason``."""
        return sum(1 for a in self.agreements if reason in a.accelerate_on)

    def reason_effect(self, reason: TerminationReason) -> str:
        """ "accelerates", "forfeits" or "accelerates under 1 of 2 agreements"."""
        count = self.accelerating(reason)
        if count == len(self.agreements):
            return "accelerates"
        if count == 0:
            return "forfeits"
        return f"accelerates under {count} of {len(self.agreements)} agreements"


def termination_choices(ctx: Context, agreement: str) -> TerminationChoices:
    with ctx.db.read() as session:
        item = load_one(session, agreement)
        loaded = load_agreements(session, employee_selection(item.employee_id))
    return TerminationChoices(
        employee=item.terms.employee,
        company=item.terms.company,
        calendar=item.terms.calendar,
        agreements=tuple(
            AgreementTerms(
                i.key, i.terms.effective, i.terms.expires, i.terms.calendar, i.terms.accelerate_on
            )
            for i in sorted(loaded, key=lambda i: (i.terms.effective, i.key))
        ),
    )


@dataclass(frozen=True, slots=True)
class CompanyChoices:
    """A company as the change-in-control form introduces it."""

    company: str
    agreements: int
    #: The business calendar most of its agreements use (for the date field's hint).
    calendar: str


def change_in_control_choices(ctx: Context, company: str) -> CompanyChoices:
    """The company's agreement count and calendar, read without loading the agreements (a
    company may hold thousands)."""
    with ctx.db.read() as session:
        company_id = find_company(session, company)
        rows = calendars_of_company(session, company_id)
    count = sum(n for _, n in rows)
    calendar = max(rows, key=lambda row: (row[1], row[0]))[0] if rows else "US"
    return CompanyChoices(company, count, calendar)
