"""``comp-tracker due``: the scheduled job's command, for cron and systemd timers.

Its exit status is the job's answer: 0 nothing flagged, 1 flags raised (so a cron wrapper or a
monitor can act on it), 2 bad input, 3 the database could not be reached. The text format is
plain ASCII with no colour or terminal codes, readable in a cron e-mail; JSON and CSV carry the
same fields, with money as strings.
"""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from comp_tracker.cli import app, parse_date
from comp_tracker.cli.records import AsOfOption, handled, services
from comp_tracker.domain.money import format_money

if TYPE_CHECKING:
    from comp_tracker.domain import Flag
    from comp_tracker.services.due import DueReport

#: Exit status when at least one installment is flagged.
EXIT_FLAGGED = 1


class DueFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"


FIELDS = (
    "deadline",
    "stage",
    "due",
    "employee",
    "company",
    "agreement",
    "installment",
    "owed",
    "principal_owed",
    "interest_owed",
    "daily_interest",
    "calendar",
)


def flag_record(flag: Flag) -> dict[str, str | int]:
    """One flag's fields, dates ISO and money as strings, in :data:`FIELDS` order."""
    return {
        "deadline": flag.deadline.isoformat(),
        "stage": flag.stage.value,
        "due": flag.due.isoformat(),
        "employee": flag.employee,
        "company": flag.company,
        "agreement": flag.agreement,
        "installment": flag.installment,
        "owed": format_money(flag.owed),
        "principal_owed": format_money(flag.principal_owed),
        "interest_owed": format_money(flag.interest_owed),
        "daily_interest": format_money(flag.daily_interest),
        "calendar": flag.calendar,
    }


def _amount(text: str) -> str:
    whole, _, cents = text.partition(".")
    return f"{int(whole):,}.{cents}"


def render_text(report: DueReport) -> str:
    """The report for a person reading a cron e-mail: a summary line, then one row a flag."""
    from comp_tracker.domain import Stage

    days = "business day" if report.within == 1 else "business days"
    header = (
        f"comp-tracker due, as of {report.as_of.isoformat()} (upcoming: within "
        f"{report.within} {days})"
    )
    if not report.flags:
        return f"{header}\nNothing to flag: no installment is upcoming, in its window or overdue.\n"
    counts = ", ".join(
        f"{report.count(stage)} {stage.value}"
        for stage in (Stage.OVERDUE, Stage.IN_WINDOW, Stage.UPCOMING)
        if report.count(stage)
    )
    columns = ("Deadline", "Stage", "Due", "Employee", "Company", "Agreement", "#", "Owed")
    extra = ("Interest so far", "Per day")
    rows = []
    for flag in report.flags:
        overdue = flag.stage.value == "overdue"
        rows.append(
            (
                flag.deadline.isoformat(),
                flag.stage.value,
                flag.due.isoformat(),
                flag.employee,
                flag.company,
                flag.agreement,
                str(flag.installment),
                _amount(format_money(flag.owed)),
                _amount(format_money(flag.interest_owed)) if overdue else "",
                _amount(format_money(flag.daily_interest)) if overdue else "",
            )
        )
    header_row = (*columns, *extra)
    widths = [max(len(r[i]) for r in (header_row, *rows)) for i in range(len(header_row))]
    right = {6, 7, 8, 9}

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    total = len(report.flags)
    out = [
        header,
        f"{total} installment{'s need' if total != 1 else ' needs'} attention: {counts}.",
        "",
        line(header_row),
        line(tuple("-" * w for w in widths)),
        *(line(row) for row in rows),
    ]
    return "\n".join(out) + "\n"


@app.command()
def due(
    ctx: typer.Context,
    within: Annotated[
        int,
        typer.Option(
            "--within",
            metavar="N",
            min=0,
            max=60,
            help="Flag payment dates within the next N business days (on each agreement's "
            "calendar).",
        ),
    ] = 3,
    as_of: AsOfOption = None,
    output: Annotated[
        DueFormat, typer.Option("--format", help="text for people and cron mail, json or csv.")
    ] = DueFormat.text,
) -> None:
    """Flag unpaid installments: upcoming, in their payment window, or overdue.

    Exit status: 0 nothing flagged, 1 something flagged, 2 bad input, 3 database unreachable.
    """
    from comp_tracker.services.due import find_due

    day = parse_date(as_of, "--as-of")
    with services(ctx) as context, handled():
        report = find_due(context, day, within)
    if output is DueFormat.json:
        document = {
            "as_of": report.as_of.isoformat(),
            "within": report.within,
            "flags": [flag_record(flag) for flag in report.flags],
        }
        print(json.dumps(document, indent=2))
    elif output is DueFormat.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(flag_record(flag) for flag in report.flags)
    else:
        sys.stdout.write(render_text(report))
    if report.flags:
        raise typer.Exit(EXIT_FLAGGED)
