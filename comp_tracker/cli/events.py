"""The commands that record events: pay, terminate, change in control, amend, void.

Each write goes one way (:func:`plan_or_record`): with ``--dry-run`` its plan is printed, else it
is recorded; a refusal is the same one line, exit 2, either way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from comp_tracker.cli import OutputFormat, app, fail, parse_date
from comp_tracker.domain import (
    Installment,
    TerminationReason,
    standing_of,
)
from comp_tracker.domain.money import format_money

if TYPE_CHECKING:
    from comp_tracker.domain import Schedule
    from comp_tracker.domain.planner import Plan
    from comp_tracker.services.context import Context
from comp_tracker.cli.common import (
    DateOption,
    DryRunOption,
    ScheduleAsOfOption,
    WriteFormatOption,
    console,
    handled,
    parse_amount,
    print_schedules,
    services,
)

# -- events -----------------------------------------------------------------------------------

NoteOption = Annotated[str | None, typer.Option("--note", help="A remark for the record.")]


def report(event_id: int, what: str, schedules: tuple[Any, ...]) -> None:
    print(f"Recorded event #{event_id}: {what}.")
    _owed_lines(schedules)


def _owed_lines(schedules: tuple[Schedule, ...]) -> None:
    for schedule in schedules:
        owed = standing_of(schedule).owed
        print(f"  {schedule.terms.id}: owed {format_money(owed)} as of {schedule.as_of}")


def dry_run_report(planned: Plan, what: str, output: OutputFormat, *, single: bool) -> None:
    """What a write would record, from its plan: refused as the write would be (one line, exit
    2), else the schedules after it. Nothing is written."""
    with handled():
        planned.refuse()
    if output is OutputFormat.json:
        print_schedules(planned.schedules, single)
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
    print_schedules(after, single)


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
    note: NoteOption = None,
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
    note: NoteOption = None,
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
    note: NoteOption = None,
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
    note: NoteOption = None,
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
