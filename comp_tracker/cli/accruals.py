"""``comp-tracker accruals``: the period-close export for finance (thin: the services do the work).

Exit status: 0 written; 2 bad input (a date, an option, an unknown company, an unwritable
destination); 3 the database cannot be used; 6 the figures did not reconcile or the journal did not
balance, which is a fault in comp-tracker, not in the records: nothing was written.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from comp_tracker.cli import app, fail, parse_date
from comp_tracker.cli.common import handled, parse_timestamp, services, settings_of
from comp_tracker.services.accruals.choices import FileFormat, Report

if TYPE_CHECKING:
    from comp_tracker.config import Settings

#: Exit status when the export refuses figures that do not reconcile (nothing is written).
EXIT_UNBALANCED = 6


def _format_of(output: Path | None, chosen: FileFormat | None) -> FileFormat:
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    implied = FileFormat(suffix) if suffix in set(FileFormat) else None
    if chosen is None:
        return implied or FileFormat.CSV
    if implied is not None and implied is not chosen:
        fail(f'--output = "{output}": a .{implied.value} file, but --format is {chosen.value}')
    return chosen


def _first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


@app.command("accruals")
def accruals(
    ctx: typer.Context,
    as_of: Annotated[
        str,
        typer.Option(
            "--as-of",
            metavar="YYYY-MM-DD",
            help="The period's last day: balances are as of the end of this day.",
            show_default=False,
        ),
    ],
    start: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="YYYY-MM-DD",
            help="The period's first day; opening balances are as of the day before.",
            show_default="the first day of the --as-of month",
        ),
    ] = None,
    file_format: Annotated[
        FileFormat | None,
        typer.Option(
            "--format",
            help="csv (one table), xlsx (a workbook of all three) or json (all three).",
            show_default="from --output's extension, else csv",
        ),
    ] = None,
    report: Annotated[
        Report,
        typer.Option(
            "--report",
            help="The table a CSV file holds: one line per installment, the journal entries, "
            "or the reconciliation per agreement.",
        ),
    ] = Report.INSTALLMENTS,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write here (created 0600, replaced only when complete). Default: print CSV or "
            "JSON; a workbook needs a file.",
            show_default=False,
        ),
    ] = None,
    companies: Annotated[
        list[str] | None,
        typer.Option("--company", metavar="NAME", help="Only this company (repeatable)."),
    ] = None,
    as_recorded_at: Annotated[
        str | None,
        typer.Option(
            "--as-recorded-at",
            metavar="TIMESTAMP",
            help="Ignore everything recorded or voided after this moment, to reproduce a filed "
            "report (ISO timestamp; UTC unless it has a zone).",
            show_default=False,
        ),
    ] = None,
    include_all: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Every agreement, even those with nothing for the period (settled before it, "
            "or not yet in effect).",
        ),
    ] = False,
) -> None:
    """Export the accruals for a period close: earned, paid and owed per installment, late
    interest, the period's journal entries, and the reconciliation per agreement."""
    from comp_tracker.config import accounts
    from comp_tracker.domain.accruals import AccrualError, Period
    from comp_tracker.domain.money import format_grouped
    from comp_tracker.services.accruals.export import AccrualRequest
    from comp_tracker.services.accruals.files import ExportError, export

    end = parse_date(as_of, "--as-of")
    first = parse_date(start, "--from") if start is not None else _first_of_month(end)
    if first > end:
        fail(f"--from = {first}: after --as-of {end} (the period runs from --from to --as-of)")
    moment = parse_timestamp(as_recorded_at, "--as-recorded-at") if as_recorded_at else None
    chosen = _format_of(output, file_format)
    if chosen is FileFormat.XLSX and output is None:
        fail("--format xlsx: a workbook is written to a file: add --output FILE.xlsx")
    names = tuple(dict.fromkeys(n.strip() for n in companies or () if n.strip()))
    if companies and not names:
        fail('--company = "": name a company')

    settings = settings_of_or_fail(ctx)
    request = AccrualRequest(
        period=Period(first, end),
        companies=names,
        as_recorded_at=moment,
        include_all=include_all,
        accounts=accounts(settings),
    )
    to_terminal = output is None
    with services(ctx, settings) as context, handled():
        try:
            summary = export(context, request, chosen, output or sys.stdout, report)
        except ExportError as exc:
            fail(str(exc))
        except AccrualError as exc:
            print(f"comp-tracker: error: {exc.message}", file=sys.stderr)
            raise typer.Exit(EXIT_UNBALANCED) from None
        except OSError as exc:  # the disk filled, the pipe closed
            fail(f'--output = "{output or "-"}": {exc.strerror or exc}')

    r = summary.reconciliation
    what = (
        f"the {report.value}"
        if chosen is FileFormat.CSV
        else "the installments, journal and reconciliation"
    )
    where = "" if to_terminal else f" to {output}"
    lines_out = [
        f"Wrote {what}{where}: {summary.agreements} agreement(s), {summary.installments} "
        f"installment(s), {summary.entries} journal entr{'y' if summary.entries == 1 else 'ies'} "
        f"for {request.period.start} to {request.period.end}.",
        f"Accrued compensation {format_grouped(r.opening_liability)} -> "
        f"{format_grouped(r.closing_liability)}; interest payable "
        f"{format_grouped(r.opening_interest_payable)} -> "
        f"{format_grouped(r.closing_interest_payable)}. Journal debits "
        f"{format_grouped(summary.debits)} = credits {format_grouped(summary.credits)}.",
    ]
    if summary.records_as_at is not None:
        lines_out.append(
            "To reproduce it later: --as-recorded-at "
            f"{summary.records_as_at.astimezone(dt.UTC).isoformat()}"
        )
    stream = sys.stderr if to_terminal else sys.stdout
    for text in lines_out:
        print(text, file=stream)


def settings_of_or_fail(ctx: typer.Context) -> Settings:
    with handled():
        return settings_of(ctx)
