"""The commands over the database: import, list, show, record, void, clone, history, export.

Thin: each parses its options, calls one service, and prints. The services (and so SQLAlchemy)
are imported inside the commands, so ``comp-tracker schedule`` never pays for them.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from comp_tracker.cli import EXIT_DATABASE, Options, OutputFormat, app, fail, parse_date
from comp_tracker.domain import (
    AgreementError,
    Installment,
    TerminationReason,
    schedule_to_dict,
    standing_of,
)
from comp_tracker.domain.inputs import read_amount
from comp_tracker.domain.money import format_money

if TYPE_CHECKING:
    from rich.console import Console

    from comp_tracker.config import Settings
    from comp_tracker.domain import Schedule
    from comp_tracker.domain.planner import Plan
    from comp_tracker.services.agreements.reading import AgreementLine
    from comp_tracker.services.context import Context

db_app = typer.Typer(help="Manage the database's schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")

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


# -- schema -----------------------------------------------------------------------------------


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Create the database or bring its schema up to date (every row is kept)."""
    from comp_tracker.config import database_url, load_settings
    from comp_tracker.storage.database import (
        HEAD_REVISION,
        current_revision,
        open_database,
        upgrade,
    )

    options: Options = ctx.find_root().obj
    with handled():
        settings = load_settings(database_url=options.db, actor=options.actor)
        database = open_database(database_url(settings), migrate=False)
        with database.engine.connect() as connection:
            before = current_revision(connection)
        upgrade(database)
        database.dispose()
    if before == HEAD_REVISION:
        print(f"The database is up to date (schema revision {HEAD_REVISION}).")
    else:
        print(f"Upgraded the database from schema revision {before or 'none'} to {HEAD_REVISION}.")


# -- agreements -------------------------------------------------------------------------------


@app.command("import")
def import_(
    ctx: typer.Context,
    files: Annotated[
        list[Path], typer.Argument(help="Agreement files (TOML).", show_default=False)
    ],
    amend: Annotated[
        bool,
        typer.Option(
            "--amend",
            help="Record the differences of a changed file (new terms revision, voids, new "
            "events) instead of refusing it.",
        ),
    ] = False,
    dry_run: DryRunOption = False,
    output: WriteFormatOption = OutputFormat.table,
    as_of: ScheduleAsOfOption = None,
) -> None:
    """Import agreement files: all or none. Importing the same file twice changes nothing."""
    from comp_tracker.services.agreements.importing import (
        ImportOutcome,
        import_files,
        plan_import,
    )

    total = len(files)
    shown = parse_date(as_of, "--as-of")

    def progress(done: int, count: int) -> None:
        if count >= 200 and (done % 500 == 0 or done == count):
            print(f"saving: {done} of {count} agreements", file=sys.stderr, flush=True)

    with services(ctx) as context, handled():
        if dry_run:
            planned = plan_import(context, files, amend=amend, today=shown)
            results = list(planned.results)
        else:
            results = import_files(context, files, amend=amend, progress=progress)
        if output is OutputFormat.json:
            if dry_run:
                schedules = planned.schedules
            else:
                from comp_tracker.services.agreements.reading import show as show_schedule

                schedules = tuple(
                    show_schedule(context, r.agreement, shown)
                    for r in results
                    if r.outcome is not ImportOutcome.UNCHANGED
                )
            _print_schedules(schedules, single=False)
            return
    counts = {o.value: sum(1 for r in results if r.outcome is o) for o in ImportOutcome}
    if dry_run:
        print("Dry run, nothing recorded.")
    if total <= 20:
        for r in results:
            print(f"{r.outcome.value:9}  {r.agreement}  ({r.path})")
            for change in r.changes:
                print(f"           {change}")
    print(
        f"{'Would import' if dry_run else 'Imported'} {total} file(s): {counts['created']} "
        f"created, {counts['amended']} amended, {counts['unchanged']} unchanged."
    )


@app.command("agreements")
def agreements(
    ctx: typer.Context,
    company: Annotated[str | None, typer.Option("--company", help="Only this company.")] = None,
    employee: Annotated[str | None, typer.Option("--employee", help="Only this person.")] = None,
    status: Annotated[
        str | None,
        typer.Option("--status", help="Only agreements that are overdue, due, active or ended."),
    ] = None,
    as_of: AsOfOption = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """List agreements with their standing and what is owed."""
    from comp_tracker.services.agreements.reading import list_agreements, totals

    day = parse_date(as_of, "--as-of")
    with services(ctx) as context, handled():
        lines = list_agreements(context, day, company=company, employee=employee, status=status)
    if output is OutputFormat.json:
        print_json([_line_dict(line) for line in lines])
        return
    from rich import box
    from rich.table import Table

    from comp_tracker.cli.render import money

    out = console()
    wide = out.width >= 120  # narrower terminals get one Owed column and no Company
    table = Table(
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
        collapse_padding=True,
        pad_edge=False,
        title=f"Agreements as of {day}",
        title_justify="left",
    )
    # Ids are what people copy into the next command: keep them whole where they fit.
    id_width = min(30, max((len(line.agreement) for line in lines), default=9))
    table.add_column("Agreement", overflow="fold", min_width=id_width)
    table.add_column("Employee", overflow="fold", max_width=None if wide else 16)
    if wide:
        table.add_column("Company", overflow="fold")
    table.add_column("Status", no_wrap=True)
    if wide:
        table.add_column("Principal", justify="right", no_wrap=True)
        table.add_column("Interest", justify="right", no_wrap=True)
    else:
        table.add_column("Owed", justify="right", no_wrap=True)
    table.add_column("Next pay-by", no_wrap=True)
    style = {"overdue": "bold red", "due": "bold yellow", "ended": "dim", "active": ""}
    for line in lines:
        standing = line.standing
        word = standing.status.value
        status = f"[{style[word]}]{word}[/]" if style[word] else word
        amounts = (
            [money(standing.principal_outstanding), money(standing.interest_outstanding)]
            if wide
            else [money(standing.owed)]
        )
        table.add_row(
            line.agreement,
            line.employee,
            *([line.company] if wide else []),
            status,
            *amounts,
            str(standing.next_deadline or "—"),
        )
    out.print(table)
    owed, interest = totals(lines)
    out.print(
        f"{len(lines)} agreement(s); owed {money(owed + interest)}: {money(owed)} principal "
        f"+ {money(interest)} late interest."
    )


@app.command("show")
def show(
    ctx: typer.Context,
    agreement: Annotated[str, typer.Argument(metavar="ID", help="The agreement's id.")],
    as_of: AsOfOption = None,
    as_recorded_at: Annotated[
        str | None,
        typer.Option(
            "--as-recorded-at",
            metavar="TIMESTAMP",
            help="Read the records as they stood then (ISO timestamp; UTC unless it has a zone).",
        ),
    ] = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Show a stored agreement's schedule (the same as 'schedule' shows for a file)."""
    from comp_tracker.services.agreements.reading import show as show_schedule

    day = parse_date(as_of, "--as-of")
    moment = parse_timestamp(as_recorded_at, "--as-recorded-at") if as_recorded_at else None
    with services(ctx) as context, handled():
        result = show_schedule(context, agreement, day, as_recorded_at=moment)
    if output is OutputFormat.json:
        print_json(schedule_to_dict(result))
    else:
        from comp_tracker.cli.render import print_schedule

        print_schedule(result)


def parse_timestamp(value: str, option: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        fail(f'{option} = "{value}": not a timestamp (write it like 2002-10-15T17:00:00+00:00)')
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@app.command("history")
def history(
    ctx: typer.Context,
    agreement: Annotated[str, typer.Argument(metavar="ID", help="The agreement's id.")],
    output: FormatOption = OutputFormat.table,
) -> None:
    """Everything recorded about an agreement, voided events included, newest first."""
    from comp_tracker.services.agreements.history import EventKind, minute
    from comp_tracker.services.agreements.history import history as read_history

    with services(ctx) as context, handled():
        found = read_history(context, agreement)
    if output is OutputFormat.json:
        print_json(found.to_dict())
        return
    from rich import box
    from rich.table import Table

    events = Table(
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
        collapse_padding=True,
        pad_edge=False,
        title=f"Events of {agreement}, newest recorded first",
        title_justify="left",
    )
    for name in ("Event", "Date", "What", "Recorded", "By"):
        events.add_column(name, overflow="fold")
    for e in found.events:
        what = e.kind.value.replace("_", " ")
        if e.kind is EventKind.PAYMENT:
            what += f" {e.amount}" + (f" (installment {e.installment})" if e.installment else "")
        elif e.kind is EventKind.TERMINATION and e.reason is not None:
            what += f", {e.reason.value}"
        elif e.kind is EventKind.AMENDMENT:
            if e.expires:
                what += f", expires {e.expires.isoformat()}"
            if e.installments is not None:
                what += ", installments " + (
                    ", ".join(f"{i.due.isoformat()} {i.amount}" for i in e.installments) or "none"
                )
        if e.void:
            what = f"[dim strike]{what}[/] [red]VOID[/]: {e.void.reason}"
        events.add_row(f"#{e.id}", e.date.isoformat(), what, minute(e.recorded_at), e.recorded_by)
    audit = Table(
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
        collapse_padding=True,
        pad_edge=False,
        title="Audit log, newest first",
        title_justify="left",
    )
    for name in ("When (UTC)", "Who", "What"):
        audit.add_column(name, overflow="fold")
    for a in found.audit:
        audit.add_row(minute(a.at), a.actor, a.summary)
    out = console()
    out.print(events)
    out.print(audit)


@app.command("export-agreement")
def export_agreement(
    ctx: typer.Context,
    agreement: Annotated[str, typer.Argument(metavar="ID", help="The agreement's id.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Write a stored agreement back as an agreement file (TOML), ready to import."""
    from comp_tracker.services.agreements.reading import export_agreement as export

    with services(ctx) as context, handled():
        text = export(context, agreement)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f'--output = "{output}": {exc.strerror}')
    output.chmod(0o600)
    print(f"Wrote {output}.")


@app.command("clone")
def clone(
    ctx: typer.Context,
    agreement: Annotated[str, typer.Argument(metavar="ID", help="The template agreement's id.")],
    employees: Annotated[
        list[str],
        typer.Option(
            "--employee",
            metavar="NAME",
            help="A new party (repeat for several).",
            show_default=False,
        ),
    ],
    dry_run: DryRunOption = False,
    output: WriteFormatOption = OutputFormat.table,
    as_of: ScheduleAsOfOption = None,
) -> None:
    """Copy an agreement's terms to other employees of the same company."""
    from comp_tracker.services.agreements.creating import clone_agreement, plan_clone
    from comp_tracker.services.agreements.reading import show as show_schedule

    shown = parse_date(as_of, "--as-of")
    with services(ctx) as context, handled():
        if dry_run:
            planned = plan_clone(context, agreement, employees)
            planned.refuse()
            keys = [holding.terms.id for holding in planned.created]
            schedules = planned.schedules(shown)
        else:
            keys = [r.agreement for r in clone_agreement(context, agreement, employees)]
            schedules = ()
            if output is OutputFormat.json:
                schedules = tuple(show_schedule(context, key, shown) for key in keys)
    if output is OutputFormat.json:
        _print_schedules(schedules, single=False)
        return
    if dry_run:
        print("Dry run, nothing recorded.")
    for key in keys:
        print(f"{'would create' if dry_run else 'created':10} {key}")


def _line_dict(line: AgreementLine) -> dict[str, str | None]:
    standing = line.standing
    return {
        "id": line.agreement,
        "company": line.company,
        "employee": line.employee,
        "effective": line.effective.isoformat(),
        "expires": line.expires.isoformat(),
        "status": standing.status.value,
        "ends_on": line.ends_on.isoformat(),
        "principal_outstanding": format_money(standing.principal_outstanding),
        "interest_outstanding": format_money(standing.interest_outstanding),
        "next_deadline": standing.next_deadline.isoformat() if standing.next_deadline else None,
    }


# -- events -----------------------------------------------------------------------------------


def report(event_id: int, what: str, schedules: tuple[Any, ...]) -> None:
    print(f"Recorded event #{event_id}: {what}.")
    _owed_lines(schedules)


def _owed_lines(schedules: tuple[Schedule, ...]) -> None:
    for schedule in schedules:
        owed = standing_of(schedule).owed
        print(f"  {schedule.terms.id}: owed {format_money(owed)} as of {schedule.as_of}")


def _print_schedules(schedules: tuple[Schedule, ...], single: bool) -> None:
    """As 'show --format json' prints them: one object for a change of one agreement's own
    (a payment, an amendment), a list for one that may touch several."""
    if single:
        [schedule] = schedules
        print_json(schedule_to_dict(schedule))
    else:
        print_json([schedule_to_dict(s) for s in schedules])


def dry_run_report(planned: Plan, what: str, output: OutputFormat, *, single: bool) -> None:
    """What a write would record, from its plan: refused as the write would be (one line, exit
    2), else the schedules after it. Nothing is written."""
    with handled():
        planned.refuse()
    if output is OutputFormat.json:
        _print_schedules(planned.schedules, single)
        return
    print(f"Dry run, nothing recorded. Would record: {what}.")
    _owed_lines(tuple(e.checked_after for e in planned.effects))
    if not planned.effects:
        print("  It changes no agreement's schedule.")
    from comp_tracker.cli.render import print_schedule

    out = console()
    for schedule in planned.schedules:
        out.print()
        print_schedule(schedule, out)


def written_report(
    context: Context,
    recorded: Any,
    what: str,
    output: OutputFormat,
    as_of: dt.date,
    *,
    single: bool,
) -> None:
    """After a write: the event and what is owed, or (json) each agreement's schedule as
    'show --format json' prints it."""
    if output is OutputFormat.table:
        report(recorded.event_id, what, recorded.schedules)
        return
    from comp_tracker.services.agreements.reading import show as show_schedule

    with handled():
        after = tuple(show_schedule(context, s.terms.id, as_of) for s in recorded.schedules)
    _print_schedules(after, single)


def plan_or_record(
    ctx: typer.Context,
    *,
    dry_run: bool,
    output: OutputFormat,
    as_of: dt.date,
    what: str,
    single: bool,
    planned: Callable[[Context], Plan],
    record: Callable[[Context], Any],
) -> None:
    """A write command's one path: with ``--dry-run`` the change's plan, else the write; then
    the report of either (a refusal is one line and exit 2 either way)."""
    with services(ctx) as context, handled():
        if not dry_run:
            written_report(context, record(context), what, output, as_of, single=single)
            return
        plan = planned(context)
    dry_run_report(plan, what, output, single=single)


@app.command("pay")
def pay(
    ctx: typer.Context,
    agreement: Annotated[str, typer.Argument(metavar="ID", help="The agreement's id.")],
    date: DateOption,
    amount: Annotated[
        str, typer.Option("--amount", metavar="AMOUNT", help="e.g. 66000.00", show_default=False)
    ],
    installment: Annotated[
        int | None,
        typer.Option(
            "--installment",
            metavar="N",
            help="Apply to installment N (from 1); default: the oldest owed first.",
        ),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="A remark for the record.")] = None,
    dry_run: DryRunOption = False,
    output: WriteFormatOption = OutputFormat.table,
    as_of: ScheduleAsOfOption = None,
) -> None:
    """Record a payment made to the employee."""
    from comp_tracker.services.events import recording as events

    day = parse_date(date, "--date")
    value = parse_amount(amount, "--amount")
    shown = parse_date(as_of, "--as-of")
    what = f"payment of {format_money(value)} on {day} to {agreement}"
    plan_or_record(
        ctx,
        dry_run=dry_run,
        output=output,
        as_of=shown,
        what=what,
        single=True,
        planned=lambda c: events.plan_payment(c, agreement, day, value, installment, today=shown),
        record=lambda c: events.record_payment(c, agreement, day, value, installment, note=note),
    )


@app.command("terminate")
def terminate(
    ctx: typer.Context,
    employee: Annotated[str, typer.Argument(metavar="EMPLOYEE", help="The person's name.")],
    date: DateOption,
    reason: Annotated[
        TerminationReason,
        typer.Option("--reason", help="Why employment ended.", show_default=False),
    ],
    company: Annotated[
        str | None, typer.Option("--company", help="The employer, if the name is at several.")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="A remark for the record.")] = None,
    dry_run: DryRunOption = False,
    output: WriteFormatOption = OutputFormat.table,
    as_of: ScheduleAsOfOption = None,
) -> None:
    """Record the end of a person's employment; it applies to all their agreements."""
    from comp_tracker.services.events import recording as events

    day = parse_date(date, "--date")
    shown = parse_date(as_of, "--as-of")
    what = f"termination of {employee} on {day} ({reason.value})"
    plan_or_record(
        ctx,
        dry_run=dry_run,
        output=output,
        as_of=shown,
        what=what,
        single=False,
        planned=lambda c: events.plan_termination(
            c, employee, day, reason, company=company, today=shown
        ),
        record=lambda c: events.record_termination(
            c, employee, day, reason, company=company, note=note
        ),
    )


@app.command("change-in-control")
def change_in_control(
    ctx: typer.Context,
    company: Annotated[str, typer.Argument(metavar="COMPANY", help="The company's name.")],
    date: DateOption,
    note: Annotated[str | None, typer.Option("--note", help="A remark for the record.")] = None,
    dry_run: DryRunOption = False,
    output: WriteFormatOption = OutputFormat.table,
    as_of: ScheduleAsOfOption = None,
) -> None:
    """Record a change in control of a company; it applies to all its agreements."""
    from comp_tracker.services.events import recording as events

    day = parse_date(date, "--date")
    shown = parse_date(as_of, "--as-of")
    what = f"change in control of {company} on {day}"
    plan_or_record(
        ctx,
        dry_run=dry_run,
        output=output,
        as_of=shown,
        what=what,
        single=False,
        planned=lambda c: events.plan_change_in_control(c, company, day, today=shown),
        record=lambda c: events.record_change_in_control(c, company, day, note=note),
    )


@app.command("amend")
def amend(
    ctx: typer.Context,
    agreement: Annotated[str, typer.Argument(metavar="ID", help="The agreement's id.")],
    date: DateOption,
    expires: Annotated[
        str | None, typer.Option("--expires", metavar="YYYY-MM-DD", help="The new expiry date.")
    ] = None,
    installments: Annotated[
        list[str] | None,
        typer.Option(
            "--installment",
            metavar="DUE=AMOUNT",
            help="A new installment, e.g. 2003-06-30=132000.00 (repeat for several); they "
            "replace every installment not yet due on --date.",
        ),
    ] = None,
    cancel: Annotated[
        bool,
        typer.Option("--cancel-installments", help="Cancel every installment not yet due."),
    ] = False,
    note: Annotated[str | None, typer.Option("--note", help="A remark for the record.")] = None,
    dry_run: DryRunOption = False,
    output: WriteFormatOption = OutputFormat.table,
    as_of: ScheduleAsOfOption = None,
) -> None:
    """Record a written amendment: a new expiry date, new installments, or both."""
    from comp_tracker.services.events import recording as events

    day = parse_date(date, "--date")
    new_expiry = parse_date(expires, "--expires") if expires else None
    shown = parse_date(as_of, "--as-of")
    if cancel and installments:
        fail("--cancel-installments and --installment: give one or the other")
    new: list[Installment] | None = [] if cancel else None
    for text in installments or []:
        due, sep, value = text.partition("=")
        if not sep:
            fail(f'--installment = "{text}": write it DUE=AMOUNT, e.g. 2003-06-30=132000.00')
        new = new or []
        new.append(
            Installment(parse_date(due, "--installment"), parse_amount(value, "--installment"))
        )
    if new_expiry is None and new is None:
        fail("amend: give --expires, --installment or --cancel-installments")
    what = f"amendment of {agreement} on {day}"
    plan_or_record(
        ctx,
        dry_run=dry_run,
        output=output,
        as_of=shown,
        what=what,
        single=True,
        planned=lambda c: events.plan_amendment(
            c, agreement, day, expires=new_expiry, installments=new, today=shown
        ),
        record=lambda c: events.record_amendment(
            c, agreement, day, expires=new_expiry, installments=new, note=note
        ),
    )


@app.command("void")
def void(
    ctx: typer.Context,
    event_id: Annotated[int, typer.Argument(metavar="EVENT_ID", help="The event's number.")],
    reason: Annotated[
        str, typer.Option("--reason", help="Why it was a mistake.", show_default=False)
    ],
    dry_run: DryRunOption = False,
    output: WriteFormatOption = OutputFormat.table,
    as_of: ScheduleAsOfOption = None,
) -> None:
    """Mark an event as a mistake. It stays in the history; record the right one after."""
    from comp_tracker.services.events import recording as events

    shown = parse_date(as_of, "--as-of")
    plan_or_record(
        ctx,
        dry_run=dry_run,
        output=output,
        as_of=shown,
        what="voided" if not dry_run else f"void of event #{event_id}",
        single=False,
        planned=lambda c: events.plan_void(c, event_id, reason, today=shown),
        record=lambda c: events.void_event(c, event_id, reason),
    )


# -- sample data ------------------------------------------------------------------------------


@app.command("demo")
def demo(
    ctx: typer.Context,
    synthetic: Annotated[
        int | None,
        typer.Option("--synthetic", metavar="N", help="Instead, generate N fictional agreements."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed for --synthetic.")] = 1,
) -> None:
    """Load the sample agreements in data/ (or N synthetic ones) into the database."""
    from comp_tracker.services import demo as demo_service
    from comp_tracker.services.agreements.importing import ImportOutcome

    if synthetic is not None and synthetic < 1:
        fail(f"--synthetic = {synthetic}: must be at least 1")
    with services(ctx) as context, handled():
        if synthetic is None:
            results = demo_service.load_samples(context)
            created = sum(1 for r in results if r.outcome is ImportOutcome.CREATED)
            print(
                f"Loaded the sample agreements: {created} created, "
                f"{len(results) - created} already there."
            )
            return
        started = dt.datetime.now(dt.UTC)
        count = demo_service.load_synthetic(context, synthetic, seed, progress=_progress)
        seconds = (dt.datetime.now(dt.UTC) - started).total_seconds()
    print(f"Generated {count} synthetic agreements (seed {seed}) in {seconds:.1f} s.")


def _progress(done: int, total: int) -> None:
    """A line on stderr every tenth or so, so a long run shows it is alive."""
    step = max(10_000, total // 10)
    if done == total or done // step != (done - 2_500) // step:
        print(f"generated {done} of {total}", file=sys.stderr, flush=True)


# -- the terminal UI ---------------------------------------------------------------------------


@app.command("ui")
def ui(ctx: typer.Context, as_of: AsOfOption = None) -> None:
    """Open the terminal UI (what 'comp-tracker' with no command does), optionally as of a day."""
    open_ui(ctx, parse_date(as_of, "--as-of") if as_of is not None else None)


def open_ui(ctx: typer.Context, as_of: dt.date | None = None) -> None:
    """Open the terminal UI on the configured database; on first start (an empty database) the
    sample agreements are loaded so there is something to look at."""
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        fail("the terminal UI needs a terminal; see 'comp-tracker --help' for the commands")
    from comp_tracker.services import demo as demo_service
    from comp_tracker.tui import run

    with services(ctx) as context, handled():
        demo_service.load_samples_if_empty(context)
        run(context, as_of)
