"""The accrual export's tables, line by line, in report order: each installment and its
agreement's subtotal, the journal entries, the reconciliation per agreement, with the checks that
the figures reconcile; and how their values are written as text (CSV and JSON).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal
from operator import add, itemgetter
from typing import Any

from comp_tracker.domain.accruals import (
    NO_RECONCILIATION,
    AccrualError,
    AgreementAccruals,
    JournalEntry,
    Reconciliation,
)
from comp_tracker.domain.errors import missing
from comp_tracker.domain.money import ZERO, format_money
from comp_tracker.services.accruals.choices import Report
from comp_tracker.services.accruals.export import (
    AGREEMENT,
    INSTALLMENT,
    SUBTOTAL,
    SUMMED,
    TOTAL,
    Line,
    Summary,
    agreement_accruals,
)
from comp_tracker.services.context import Context


def _installment_values(a: AgreementAccruals) -> Iterator[tuple[Any, ...]]:
    terms = a.terms
    for r in a.installments:
        yield (
            INSTALLMENT,
            terms.company,
            terms.employee,
            terms.id,
            r.number,
            r.amount,
            r.service_start,
            r.original_due,
            r.due,
            r.status,
            r.earned,
            r.principal_paid,
            r.liability,
            r.interest_accrued,
            r.interest_paid,
            r.interest_payable,
            r.compensation_expense,
            r.interest_expense,
            r.principal_payments,
            r.interest_payments,
            r.principal_payments + r.interest_payments,
        )


def _reconciliation_values(
    line: str, company: str | None, employee: str | None, agreement: str | None, r: Reconciliation
) -> tuple[Any, ...]:
    return (
        line,
        company,
        employee,
        agreement,
        r.opening_liability,
        r.compensation_expense,
        r.principal_payments,
        r.closing_liability,
        r.compensation_difference,
        r.opening_interest_payable,
        r.interest_expense,
        r.interest_payments,
        r.closing_interest_payable,
        r.interest_difference,
    )


_money_of = itemgetter(*SUMMED)


class _Sums:
    """Running sums of the installment table's money columns."""

    __slots__ = ("values",)

    def __init__(self) -> None:
        self.values: list[Decimal] = [ZERO] * len(SUMMED)

    def add(self, row: tuple[Any, ...]) -> None:
        self.values = list(map(add, self.values, _money_of(row)))

    def add_sums(self, other: _Sums) -> None:
        self.values = list(map(add, self.values, other.values))

    def line(self, kind: str, company: str | None) -> tuple[Any, ...]:
        row: list[Any] = [kind, company, None, None, None, *([None] * 16)]
        for n, i in enumerate(SUMMED):
            row[i] = self.values[n]
        return tuple(row)


def accrual_lines(
    ctx: Context, summary: Summary, reports: Sequence[Report] = tuple(Report)
) -> Iterator[Line]:
    """The lines of the requested tables, interleaved as the agreements are read.

    Installment and reconciliation lines come per agreement, a subtotal line after each company's
    and a total line at the end; the journal's lines come per entry, numbered from 1. Raises
    :class:`AccrualError` (before the last line, so a writer can discard what it wrote) if an
    agreement does not reconcile or the journal does not balance in total.
    """
    request = summary.request
    want = set(reports)
    installments = Report.INSTALLMENTS in want
    journal = Report.JOURNAL in want
    reconciliation = Report.RECONCILIATION in want
    company: str | None = None
    company_sums = _Sums()
    total_sums = _Sums()
    company_rec = total_rec = summary.reconciliation
    entry_number = 0
    debits = credits = ZERO

    def close_company() -> Iterator[Line]:
        if company is None:
            return
        total_sums.add_sums(company_sums)
        if installments:
            yield Line(Report.INSTALLMENTS, company_sums.line(SUBTOTAL, company))
        if reconciliation:
            yield Line(
                Report.RECONCILIATION,
                _reconciliation_values(SUBTOTAL, company, None, None, company_rec),
            )

    for a in agreement_accruals(ctx, request):
        terms = a.terms
        if terms.company != company:
            yield from close_company()
            company = terms.company
            company_sums = _Sums()
            company_rec = NO_RECONCILIATION
            summary.companies += 1
        summary.agreements += 1
        summary.installments += len(a.installments)
        for values in _installment_values(a):
            company_sums.add(values)
            if installments:
                yield Line(Report.INSTALLMENTS, values)
        company_rec = company_rec + a.reconciliation
        total_rec = total_rec + a.reconciliation
        if reconciliation:
            yield Line(
                Report.RECONCILIATION,
                _reconciliation_values(
                    AGREEMENT, terms.company, terms.employee, terms.id, a.reconciliation
                ),
            )
        for entry in a.entries:
            entry_number += 1
            for line in entry.lines:
                debits += line.debit
                credits += line.credit
                if journal:
                    yield Line(Report.JOURNAL, _journal_values(entry_number, a, entry, line))
    yield from close_company()
    summary.entries = entry_number
    summary.debits, summary.credits = debits, credits
    summary.reconciliation = total_rec
    if debits != credits:
        raise AccrualError(
            "journal",
            missing(),
            f"debits {debits} and credits {credits} differ by {debits - credits}: "
            "nothing was written",
        )
    if total_rec.compensation_difference or total_rec.interest_difference:
        raise AccrualError(
            "reconciliation", missing(), "the totals do not reconcile: nothing was written"
        )
    if installments:
        yield Line(Report.INSTALLMENTS, total_sums.line(TOTAL, None))
    if reconciliation:
        yield Line(
            Report.RECONCILIATION, _reconciliation_values(TOTAL, None, None, None, total_rec)
        )


def _journal_values(
    number: int, a: AgreementAccruals, entry: JournalEntry, line: Any
) -> tuple[Any, ...]:
    terms = a.terms
    return (
        number,
        entry.date,
        terms.company,
        terms.employee,
        terms.id,
        entry.kind.value,
        entry.description,
        line.account,
        line.debit,
        line.credit,
        entry.reference,
    )


# -- values as text ----------------------------------------------------------------------------


def money_text(value: Decimal) -> str:
    """Two decimals, no grouping, minus sign: "-74171.43". Never "-0.00"."""
    text = str(value)
    if text[-3:-2] != "." or "E" in text or text == "-0.00":
        text = format_money(value + 0)
    return text


def moment_text(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat() if value is not None else None
