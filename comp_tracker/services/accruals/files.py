"""Writing an accrual export: CSV, XLSX (openpyxl) or JSON, streamed, all or nothing.

Called by the ``accruals`` command and the TUI's export, with the lines of
:func:`.accruals.accrual_lines`. A file is written beside its destination under a temporary name,
created with permissions 0600 (it holds pay), and renamed over the destination only once the last
line is written and every check has passed: an export that fails (a full disk, an interrupted run,
figures that do not reconcile) leaves no file, or the previous one untouched.

* **CSV**: one table, its columns in a fixed order, a header line, ISO dates, money with two
  decimals and no thousands separators, negative amounts with a minus sign. The installment and
  reconciliation tables end each company with a ``subtotal`` line and the file with a ``total``
  line (the ``line`` column says which); the journal has entry lines only, as a ledger import
  expects (its totals are in the command's message and in the workbook).
* **XLSX**: one sheet per table (Accruals, Journal, Reconciliation) and an About sheet with what
  was asked for (:mod:`comp_tracker.services.accruals.workbook`).
* **JSON**: one object: what was asked for, the three tables as lists of objects (money as
  strings with two decimals, as everywhere in comp-tracker's JSON), and the totals. The journal
  and reconciliation lines wait in temporary files while the installments are written.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from comp_tracker.services.accruals.choices import FileFormat, Report
from comp_tracker.services.accruals.export import (
    COLUMNS,
    AccrualRequest,
    Kind,
    Line,
    Summary,
    prepare,
)
from comp_tracker.services.accruals.lines import accrual_lines, moment_text, money_text
from comp_tracker.services.accruals.workbook import write_xlsx
from comp_tracker.services.context import Context


class ExportError(ValueError):
    """The destination cannot be written: one line for the user, naming it."""


def export(
    ctx: Context,
    request: AccrualRequest,
    file_format: FileFormat,
    destination: Path | IO[str],
    report: Report = Report.INSTALLMENTS,
) -> Summary:
    """Export the accruals: the one entry point of the CLI and the TUI.

    ``destination`` is a file (replaced only once the export is complete) or an open text stream
    (written only once the export is complete). A CSV file holds ``report``; a workbook or a JSON
    document holds all three tables. Raises :class:`ExportError` for a destination that cannot be
    written, :class:`~comp_tracker.services.context.ServiceError` for an unknown company and
    :class:`~comp_tracker.domain.accruals.AccrualError` for figures that do not reconcile; in
    every case nothing is written.
    """
    summary = prepare(ctx, request)
    tables = (report,) if file_format is FileFormat.CSV else tuple(Report)
    lines = accrual_lines(ctx, summary, tables)
    if not isinstance(destination, Path):
        if file_format is FileFormat.XLSX:
            raise ExportError("a workbook is written to a file: name one (--output FILE.xlsx)")
        with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as held:
            _write_text(lines, summary, file_format, report, held)
            held.seek(0)
            shutil.copyfileobj(held, destination)
        destination.flush()
        return summary
    with replacing(destination) as temporary:
        if file_format is FileFormat.XLSX:
            write_xlsx(lines, summary, temporary)
        else:
            with temporary.open("w", encoding="utf-8", newline="") as out:
                _write_text(lines, summary, file_format, report, out)
    return summary


def _write_text(
    lines: Iterable[Line], summary: Summary, file_format: FileFormat, report: Report, out: IO[str]
) -> None:
    if file_format is FileFormat.CSV:
        write_csv(lines, report, out)
    else:
        write_json(lines, summary, out)


# -- all or nothing ----------------------------------------------------------------------------


@contextlib.contextmanager
def replacing(destination: Path) -> Iterator[Path]:
    """A private temporary path beside ``destination``, renamed over it if the block succeeds."""
    directory = destination.parent
    if not directory.is_dir():
        raise ExportError(f'--output = "{destination}": no such directory "{directory}"')
    if destination.is_dir():
        raise ExportError(f'--output = "{destination}": is a directory')
    try:
        handle, name = tempfile.mkstemp(  # created 0600
            prefix=f".{destination.name}.", suffix=".partial", dir=directory
        )
    except OSError as exc:
        raise ExportError(f'--output = "{destination}": {exc.strerror}') from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o600)
        os.replace(temporary, destination)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


# -- CSV ---------------------------------------------------------------------------------------


def write_csv(lines: Iterable[Line], report: Report, out: IO[str]) -> None:
    """The csv module writes the values as they are: None as nothing, a date as ISO, an amount
    as its Decimal digits, which are cents ("66000.00", "-74171.43") because every amount is
    read from integer cents and only added and subtracted after (the engine rounds interest and
    ratable earnings to cents). ``tests/services/test_accrual_export.py`` checks the text."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([name for name, _ in COLUMNS[report]])
    writer.writerows(line.values for line in lines if line.report is report)


# -- JSON --------------------------------------------------------------------------------------


def _json_value(kind: Kind, value: Any) -> Any:
    if value is None:
        return None
    if kind is Kind.MONEY:
        return money_text(value)
    if kind is Kind.DATE:
        return value.isoformat()
    return value


def _json_object(report: Report, values: tuple[Any, ...]) -> str:
    return json.dumps(
        {
            name: _json_value(kind, value)
            for (name, kind), value in zip(COLUMNS[report], values, strict=True)
        },
        ensure_ascii=False,
    )


def request_header(summary: Summary) -> dict[str, Any]:
    request = summary.request
    return {
        "period": {"from": request.period.start.isoformat(), "to": request.period.end.isoformat()},
        "opening_balances_as_of": request.period.opening.isoformat(),
        "companies": list(request.companies) or None,
        "as_recorded_at": moment_text(request.as_recorded_at),
        "records_as_at": moment_text(summary.records_as_at),
        "all_agreements": request.include_all,
        "accounts": {
            "compensation_expense": request.accounts.compensation_expense,
            "accrued_compensation": request.accounts.accrued_compensation,
            "interest_expense": request.accounts.interest_expense,
            "interest_payable": request.accounts.interest_payable,
            "cash": request.accounts.cash,
        },
    }


def write_json(lines: Iterable[Line], summary: Summary, out: IO[str]) -> None:
    """One JSON object; each table's lines one per line inside it, so it diffs well."""
    with contextlib.ExitStack() as stack:
        spools = {
            report: stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8"))
            for report in (Report.JOURNAL, Report.RECONCILIATION)
        }
        _write_json(lines, summary, out, spools)


def _write_json(
    lines: Iterable[Line], summary: Summary, out: IO[str], spools: Mapping[Report, IO[str]]
) -> None:
    header = json.dumps(request_header(summary), ensure_ascii=False)
    out.write(f'{{\n"request": {header},\n"installments": [')
    first = {report: True for report in Report}
    for line in lines:
        target = out if line.report is Report.INSTALLMENTS else spools[line.report]
        target.write("\n" if first[line.report] else ",\n")
        first[line.report] = False
        target.write(_json_object(line.report, line.values))
    for report in (Report.RECONCILIATION, Report.JOURNAL):
        out.write(f'\n],\n"{report.value}": [')
        spool = spools[report]
        spool.seek(0)
        shutil.copyfileobj(spool, out)
    totals = {
        "agreements": summary.agreements,
        "installments": summary.installments,
        "journal_entries": summary.entries,
        "journal_debits": money_text(summary.debits),
        "journal_credits": money_text(summary.credits),
    }
    out.write(f'\n],\n"totals": {json.dumps(totals)}\n}}\n')
