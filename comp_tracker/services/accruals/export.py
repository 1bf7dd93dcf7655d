"""The accrual export's figures, read from the database a chunk of agreements at a time.

One module for every caller: the ``accruals`` command and the TUI's export both call
:func:`accrual_lines` and hand its lines to a writer in :mod:`.accrual_files`. The figures come
from :func:`comp_tracker.domain.accruals.accrue`, one agreement at a time, so memory does not grow
with the number of agreements: agreements are loaded in chunks, in report order (company, then
employee, then agreement), and each chunk is dropped once its lines are written.

Which agreements are reported: every one with something to report for the period (a balance at the
opening or the close, or anything earned, reversed, accrued or paid in it), or every one with
``include_all``. Two kinds cannot have figures in a period, so they are not even loaded: those not
in effect by its end (nothing is earned before the effective date, and no event may precede it),
and those closed before it starts (``agreement.closed_on``: settled and every service period
over). The rest are evaluated and dropped if they have nothing to report. ``closed_on`` describes
the records as they stand now, so a run ``as_recorded_at`` an earlier moment evaluates every
agreement in effect instead: slower, and the same lines as the run made at that moment.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple

from comp_tracker.domain.accruals import (
    NO_RECONCILIATION,
    Accounts,
    AgreementAccruals,
    Period,
    Reconciliation,
    accrue,
)
from comp_tracker.domain.money import ZERO
from comp_tracker.services.accruals.choices import Report
from comp_tracker.services.context import Context, NotFound
from comp_tracker.storage.queries.accruals import (
    accrual_agreement_ids,
    latest_record,
    longest_names_and_total,
)
from comp_tracker.storage.reads import load_agreements, missing_companies, no_cycle_collection

if TYPE_CHECKING:
    from comp_tracker.storage.reads import Reader

#: Agreements per load: enough for the loader's few queries to pay off, few enough to keep memory
#: flat (about 1 MB of engine values per 1,000 agreements).
CHUNK = 1000


class Kind(StrEnum):
    """What a column holds, for the writers: CSV text, workbook cell types, JSON values."""

    TEXT = "text"
    INT = "int"
    DATE = "date"
    MONEY = "money"


COLUMNS: dict[Report, tuple[tuple[str, Kind], ...]] = {
    Report.INSTALLMENTS: (
        ("line", Kind.TEXT),
        ("company", Kind.TEXT),
        ("employee", Kind.TEXT),
        ("agreement", Kind.TEXT),
        ("installment", Kind.INT),
        ("amount", Kind.MONEY),
        ("service_start", Kind.DATE),
        ("original_due", Kind.DATE),
        ("current_due", Kind.DATE),
        ("status", Kind.TEXT),
        ("earned_to_date", Kind.MONEY),
        ("principal_paid_to_date", Kind.MONEY),
        ("accrued_liability", Kind.MONEY),
        ("interest_accrued_to_date", Kind.MONEY),
        ("interest_paid_to_date", Kind.MONEY),
        ("interest_payable", Kind.MONEY),
        ("period_compensation_expense", Kind.MONEY),
        ("period_interest_expense", Kind.MONEY),
        ("period_principal_paid", Kind.MONEY),
        ("period_interest_paid", Kind.MONEY),
        ("period_payments", Kind.MONEY),
    ),
    Report.JOURNAL: (
        ("entry", Kind.INT),
        ("date", Kind.DATE),
        ("company", Kind.TEXT),
        ("employee", Kind.TEXT),
        ("agreement", Kind.TEXT),
        ("kind", Kind.TEXT),
        ("description", Kind.TEXT),
        ("account", Kind.TEXT),
        ("debit", Kind.MONEY),
        ("credit", Kind.MONEY),
        ("reference", Kind.TEXT),
    ),
    Report.RECONCILIATION: (
        ("line", Kind.TEXT),
        ("company", Kind.TEXT),
        ("employee", Kind.TEXT),
        ("agreement", Kind.TEXT),
        ("opening_liability", Kind.MONEY),
        ("compensation_expense", Kind.MONEY),
        ("principal_paid", Kind.MONEY),
        ("closing_liability", Kind.MONEY),
        ("compensation_difference", Kind.MONEY),
        ("opening_interest_payable", Kind.MONEY),
        ("interest_expense", Kind.MONEY),
        ("interest_paid", Kind.MONEY),
        ("closing_interest_payable", Kind.MONEY),
        ("interest_difference", Kind.MONEY),
    ),
}

#: The money columns of the installment rows summed into subtotal and total lines (all of them).
SUMMED = tuple(i for i, (_, kind) in enumerate(COLUMNS[Report.INSTALLMENTS]) if kind is Kind.MONEY)

# The values of the "line" column.
INSTALLMENT = "installment"
AGREEMENT = "agreement"
SUBTOTAL = "subtotal"
TOTAL = "total"


class Line(NamedTuple):
    """One line of one table: its values in the table's column order."""

    report: Report
    values: tuple[Any, ...]


@dataclass(frozen=True)
class AccrualRequest:
    """What to export: a period, optionally some companies, optionally as recorded earlier."""

    period: Period
    companies: tuple[str, ...] = ()
    as_recorded_at: dt.datetime | None = None
    include_all: bool = False
    accounts: Accounts = field(default_factory=Accounts)


@dataclass
class Summary:
    """What was exported, for the message after it and the workbook's About sheet."""

    request: AccrualRequest
    records_as_at: dt.datetime | None = None  # the latest record the export could see
    agreements: int = 0
    installments: int = 0
    entries: int = 0
    companies: int = 0
    debits: Decimal = ZERO
    credits: Decimal = ZERO
    reconciliation: Reconciliation = NO_RECONCILIATION
    widths: dict[str, int] = field(default_factory=dict)


# -- reading -----------------------------------------------------------------------------------


def _check_companies(connection: Reader, names: Sequence[str]) -> None:
    for name in missing_companies(connection, names):
        raise NotFound("--company", name, "no such company (see 'comp-tracker agreements')")


def _agreement_ids(connection: Reader, request: AccrualRequest) -> list[int]:
    return accrual_agreement_ids(
        connection,
        companies=request.companies,
        period_start=request.period.start,
        period_end=request.period.end,
        include_all=request.include_all,
        as_recorded_at=request.as_recorded_at,
    )


def prepare(ctx: Context, request: AccrualRequest) -> Summary:
    """Check the request against the records (an unknown company is refused before anything is
    written) and read what the writers need before the first line: the latest record the export
    can see, and the widest text and amount a workbook's columns must fit."""
    summary = Summary(request)
    with ctx.db.read() as connection:
        if request.companies:
            _check_companies(connection, request.companies)
        # the latest record the export reads: rerunning it --as-recorded-at that moment gives the
        # same lines, whatever is recorded later
        summary.records_as_at = latest_record(connection, request.as_recorded_at)
        summary.widths = _widths(connection)
    return summary


def _widths(connection: Reader) -> dict[str, int]:
    """The longest name and key, and the width of the largest amount a total could reach."""
    company, employee, key, cents = longest_names_and_total(connection)
    # Every figure is at most the sum of all amounts, or a little more with late interest:
    # allow ten times that, as "-$" and thousands separators.
    largest = f"-${Decimal(cents * 10).scaleb(-2):,.2f}"
    return {
        "company": company,
        "employee": employee,
        "agreement": key,
        "description": 60,
        "account": 22,
        "reference": 14,
        "money": len(largest),
    }


def agreement_accruals(ctx: Context, request: AccrualRequest) -> Iterator[AgreementAccruals]:
    """Each agreement's accruals, in report order, a chunk of agreements read at a time."""
    # The export allocates millions of short-lived values and holds no reference cycles: the
    # collector is paused (it would walk the young values every 700 allocations, a third of the
    # run's time, measured) and run once per chunk, so memory stays flat even if a library's
    # object does hold a cycle.
    with ctx.db.read() as connection, no_cycle_collection():
        ids = _agreement_ids(connection, request)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            loaded = {
                item.agreement_id: item
                for item in load_agreements(
                    connection, ids=chunk, as_recorded_at=request.as_recorded_at
                )
            }
            for agreement_id in chunk:
                item = loaded.get(agreement_id)
                if item is None:  # no terms yet at as_recorded_at
                    continue
                result = accrue(item.terms, item.events, request.period, request.accounts)
                if request.include_all or result.has_figures:
                    yield result
            del loaded
            gc.collect(1)
