"""The commands over agreements: schema, import, list, show, history, export, clone.

Thin: each parses its options, calls one service, and prints (:mod:`comp_tracker.cli.common`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from comp_tracker.cli import Options, OutputFormat, app, fail, parse_date
from comp_tracker.domain import (
    schedule_to_dict,
)
from comp_tracker.domain.money import format_money

if TYPE_CHECKING:
    from comp_tracker.services.agreements.reading import AgreementLine
from comp_tracker.cli.common import (
    AsOfOption,
    DryRunOption,
    FormatOption,
    ScheduleAsOfOption,
    WriteFormatOption,
    console,
    handled,
    parse_timestamp,
    print_json,
    print_schedules,
    services,
)

db_app = typer.Typer(help="Manage the database's schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")


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
            print_schedules(schedules, single=False)
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
    from comp_tracker.cli.render import money, plain_table

    out = console()
    wide = out.width >= 120  # narrower terminals get one Owed column and no Company
    table = plain_table(f"Agreements as of {day}")
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
    from comp_tracker.cli.render import plain_table

    events = plain_table(f"Events of {agreement}, newest recorded first")
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
    audit = plain_table("Audit log, newest first")
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
        print_schedules(schedules, single=False)
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
