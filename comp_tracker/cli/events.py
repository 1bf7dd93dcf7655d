"""The commands that record events: pay, terminate, change in control, amend, void.

Each command is declared by :func:`write_command` from the arguments of its own (the options every
write has are added once) and goes one way (:func:`plan_or_record`): with ``--dry-run`` its plan
is printed, else it is recorded; a refusal is the same one line, exit 2, either way.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Write:
    """One write command's change, from its own arguments: what it records, in words; its plan
    (``today``: the day the schedules after it are shown); and its record (with the ``note``)."""

    what: str
    plan: Callable[[Context, dt.date], Plan]
    record: Callable[[Context, str | None], Any]
    #: The words after the real write, where they are not ``what``.
    recorded: str | None = None


def _shared(
    note: NoteOption = None,
    dry_run: DryRunOption = False,
    output: WriteFormatOption = OutputFormat.table,
    as_of: ScheduleAsOfOption = None,
) -> None:
    """The options every write command has (this function only declares them)."""


_SHARED = tuple(inspect.signature(_shared, eval_str=True).parameters.values())


def write_command(name: str, *, single: bool, note: bool = True) -> Callable[[Any], Any]:
    """Register ``name``: the decorated function takes the command's own arguments and returns
    its :class:`Write`; the command also takes --note (unless ``note`` is false), --dry-run,
    --format and --as-of, after its own, and goes through :func:`plan_or_record`.
    ``single``: the change is to one agreement (json prints one schedule, not a list)."""

    def register(build: Callable[..., Write]) -> Callable[..., None]:
        own = list(inspect.signature(build, eval_str=True).parameters.values())
        shared = [p for p in _SHARED if note or p.name != "note"]

        def command(ctx: typer.Context, **arguments: Any) -> None:
            remark = arguments.pop("note", None)
            dry_run, output = arguments.pop("dry_run"), arguments.pop("output")
            as_of = arguments.pop("as_of")
            write = build(**arguments)  # its own arguments are checked first, as they come first
            shown = parse_date(as_of, "--as-of")
            plan_or_record(
                ctx,
                dry_run=dry_run,
                output=output,
                as_of=shown,
                what=write.what if dry_run or write.recorded is None else write.recorded,
                single=single,
                planned=lambda context: write.plan(context, shown),
                record=lambda context: write.record(context, remark),
            )

        context_parameter = inspect.Parameter(
            "ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context
        )
        parameters = [context_parameter, *own, *shared]
        command.__signature__ = inspect.Signature(parameters, return_annotation=None)  # type: ignore[attr-defined]
        command.__annotations__ = {p.name: p.annotation for p in parameters}
        command.__name__, command.__doc__ = build.__name__, build.__doc__
        app.command(name)(command)
        return command

    return register


@write_command("pay", single=True)
def pay(
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
) -> Write:
    """Record a payment made to the employee."""
    from comp_tracker.services.events import recording as events

    day = parse_date(date, "--date")
    value = parse_amount(amount, "--amount")
    return Write(
        f"payment of {format_money(value)} on {day} to {agreement}",
        plan=lambda c, today: events.plan_payment(
            c, agreement, day, value, installment, today=today
        ),
        record=lambda c, note: events.record_payment(
            c, agreement, day, value, installment, note=note
        ),
    )


@write_command("terminate", single=False)
def terminate(
    employee: Annotated[str, typer.Argument(metavar="EMPLOYEE", help="The person's name.")],
    date: DateOption,
    reason: Annotated[
        TerminationReason,
        typer.Option("--reason", help="Why employment ended.", show_default=False),
    ],
    company: Annotated[
        str | None, typer.Option("--company", help="The employer, if the name is at several.")
    ] = None,
) -> Write:
    """Record the end of a person's employment; it applies to all their agreements."""
    from comp_tracker.services.events import recording as events

    day = parse_date(date, "--date")
    return Write(
        f"termination of {employee} on {day} ({reason.value})",
        plan=lambda c, today: events.plan_termination(
            c, employee, day, reason, company=company, today=today
        ),
        record=lambda c, note: events.record_termination(
            c, employee, day, reason, company=company, note=note
        ),
    )


@write_command("change-in-control", single=False)
def change_in_control(
    company: Annotated[str, typer.Argument(metavar="COMPANY", help="The company's name.")],
    date: DateOption,
) -> Write:
    """Record a change in control of a company; it applies to all its agreements."""
    from comp_tracker.services.events import recording as events

    day = parse_date(date, "--date")
    return Write(
        f"change in control of {company} on {day}",
        plan=lambda c, today: events.plan_change_in_control(c, company, day, today=today),
        record=lambda c, note: events.record_change_in_control(c, company, day, note=note),
    )


@write_command("amend", single=True)
def amend(
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
) -> Write:
    """Record a written amendment: a new expiry date, new installments, or both."""
    from comp_tracker.services.events import recording as events

    day = parse_date(date, "--date")
    new_expiry = parse_date(expires, "--expires") if expires else None
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
    return Write(
        f"amendment of {agreement} on {day}",
        plan=lambda c, today: events.plan_amendment(
            c, agreement, day, expires=new_expiry, installments=new, today=today
        ),
        record=lambda c, note: events.record_amendment(
            c, agreement, day, expires=new_expiry, installments=new, note=note
        ),
    )


@write_command("void", single=False, note=False)
def void(
    event_id: Annotated[int, typer.Argument(metavar="EVENT_ID", help="The event's number.")],
    reason: Annotated[
        str, typer.Option("--reason", help="Why it was a mistake.", show_default=False)
    ],
) -> Write:
    """Mark an event as a mistake. It stays in the history; record the right one after."""
    from comp_tracker.services.events import recording as events

    return Write(
        f"void of event #{event_id}",
        plan=lambda c, today: events.plan_void(c, event_id, reason, today=today),
        record=lambda c, _note: events.void_event(c, event_id, reason),
        recorded="voided",
    )
