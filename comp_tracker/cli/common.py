"""What the database commands share: their options, one-line errors, the services' context.

Thin: each command parses its options, calls one service, and prints. The services (and so
SQLAlchemy) are imported inside the commands, so ``comp-tracker schedule`` never pays for them.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import typer

from comp_tracker.cli import EXIT_DATABASE, Options, OutputFormat, fail
from comp_tracker.domain import (
    AgreementError,
    schedule_to_dict,
)
from comp_tracker.domain.inputs import read_amount

if TYPE_CHECKING:
    from rich.console import Console

    from comp_tracker.config import Settings
    from comp_tracker.domain import Schedule
    from comp_tracker.services.context import Context

FormatOption = Annotated[
    OutputFormat, typer.Option("--format", help="table for people, json for scripts.")
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of", metavar="YYYY-MM-DD", help="Evaluate as of this date.", show_default="today"
    ),
]
DryRunOption = Annotated[
    bool,
    typer.Option(
        "--dry-run",
        help="Show what would be recorded and the schedules after it, and write nothing; "
        "refused exactly as the write would be.",
    ),
]
WriteFormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        help="table for people; json: the schedule of each agreement changed, after the "
        "change, as 'show --format json' prints it.",
    ),
]
ScheduleAsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="The day the schedules shown (with --dry-run or --format json) are evaluated.",
        show_default="today",
    ),
]
DateOption = Annotated[
    str, typer.Option("--date", metavar="YYYY-MM-DD", help="When it happened.", show_default=False)
]


def database_failure(message: str) -> None:
    print(f"comp-tracker: error: {message}", file=sys.stderr)
    raise typer.Exit(EXIT_DATABASE)


@contextmanager
def handled() -> Iterator[None]:
    """Turn the user's mistakes into one line and exit 2; an unusable database into exit 3."""
    from sqlalchemy.exc import OperationalError

    from comp_tracker.config import ConfigError
    from comp_tracker.services.context import ServiceError
    from comp_tracker.storage.database import DatabaseError

    try:
        yield
    except (AgreementError, ServiceError) as exc:
        fail(exc.message)
    except ConfigError as exc:
        fail(str(exc))
    except DatabaseError as exc:
        database_failure(str(exc))
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        database_failure(f"the database failed: {reason}")


def settings_of(ctx: typer.Context) -> Settings:
    """The settings with this command's global options applied (a ConfigError if bad)."""
    from comp_tracker.config import load_settings

    options: Options = ctx.find_root().obj or Options(None, None)
    return load_settings(database_url=options.db, actor=options.actor)


@contextmanager
def services(ctx: typer.Context, settings: Settings | None = None) -> Iterator[Context]:
    """The services' context for this command, from the global options and the settings
    (read here unless the command has already read them)."""
    from comp_tracker.config import actor, database_url
    from comp_tracker.services.context import Context
    from comp_tracker.storage.database import open_database

    with handled():
        if settings is None:
            settings = settings_of(ctx)
        database = open_database(database_url(settings))
        try:
            yield Context(database, actor(settings))
        finally:
            database.dispose()


def parse_amount(value: str, option: str) -> Decimal:
    """An amount typed on the command line, read as the terminal UI reads it."""
    try:
        return read_amount(value, option)
    except AgreementError as exc:
        fail(exc.message)


def print_json(data: Any) -> None:
    print(json.dumps(data, indent=2))


def console() -> Console:
    from rich.console import Console

    return Console(highlight=False)


def parse_timestamp(value: str, option: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        fail(f'{option} = "{value}": not a timestamp (write it like 2002-10-15T17:00:00+00:00)')
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def print_schedules(schedules: tuple[Schedule, ...], single: bool) -> None:
    """As 'show --format json' prints them: one object for a change of one agreement's own
    (a payment, an amendment), a list for one that may touch several."""
    if single:
        [schedule] = schedules
        print_json(schedule_to_dict(schedule))
    else:
        print_json([schedule_to_dict(s) for s in schedules])
