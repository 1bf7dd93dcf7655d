"""The ``comp-tracker`` command: thin, it parses, calls the engine and prints.

User mistakes (a bad file, a bad date) print one line on stderr and exit with status 2, never a
traceback. Nothing here imports Textual or SQLAlchemy: ``schedule`` must start fast.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from comp_tracker.domain import AgreementError, compute_schedule, load_agreement, schedule_to_dict

#: Exit status for bad input (a bad file, field, date or option), as Click uses for usage errors.
EXIT_BAD_INPUT = 2

app = typer.Typer(
    name="comp-tracker",
    help="Executive compensation agreement tracker: retention bonus schedules, late interest, "
    "acceleration and forfeiture.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


def fail(message: str) -> NoReturn:
    """Print one line on stderr and exit with the bad-input status."""
    print(f"comp-tracker: error: {message}", file=sys.stderr)
    raise typer.Exit(EXIT_BAD_INPUT)


def parse_date(value: str | None, option: str) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        fail(f'{option} = "{value}": not a date (write it YYYY-MM-DD)')


@app.callback()
def _root() -> None:
    """Executive compensation agreement tracker."""


@app.command()
def schedule(
    file: Annotated[Path, typer.Argument(help="An agreement file (TOML).", show_default=False)],
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", metavar="YYYY-MM-DD", help="Evaluate as of this date.  [default: today]"
        ),
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table for people, json for scripts.")
    ] = OutputFormat.table,
) -> None:
    """Show an agreement's installments, deadlines, payments and late interest as of a date."""
    day = parse_date(as_of, "--as-of")
    try:
        agreement = load_agreement(file)
        result = compute_schedule(agreement.terms, agreement.events, day)
    except AgreementError as exc:
        fail(f"{file}: {exc.message}")
    if output is OutputFormat.json:
        print(json.dumps(schedule_to_dict(result), indent=2))
    else:
        from comp_tracker.render import print_schedule

        print_schedule(result)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
