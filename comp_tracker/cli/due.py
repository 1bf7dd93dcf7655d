"""``comp-tracker due``: the scheduled job's command, for cron and systemd timers.

Its exit status is the job's answer: 0 nothing flagged, 1 flags raised (so a cron wrapper or a
monitor can act on it), 2 bad input, 3 the database could not be reached, 4 the e-mail could not
be sent (``--notify``; the alerts stay unsent and the next run retries them), 5 another
``--notify`` run still held the lock after ``--wait`` seconds. The text format is plain ASCII
with no colour or terminal codes, readable in a cron e-mail; JSON and CSV carry the same fields,
with money as strings.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import json
import sys
from collections.abc import Sequence
from contextlib import nullcontext
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from comp_tracker.cli import OutputFormat, app, fail, parse_date
from comp_tracker.cli.common import (
    AsOfOption,
    FormatOption,
    console,
    handled,
    print_json,
    services,
    settings_of,
)
from comp_tracker.domain import Stage
from comp_tracker.domain.money import format_grouped, format_money

if TYPE_CHECKING:
    from comp_tracker.config import Settings
    from comp_tracker.domain import Flag
    from comp_tracker.services.due.alerts import AlertLine
    from comp_tracker.services.due.job import DueReport
    from comp_tracker.services.due.notify import Mail, Notice

#: Exit status when at least one installment is flagged.
EXIT_FLAGGED = 1
#: ``--notify`` could not hand the e-mail to the mail server: the alerts stay unsent.
EXIT_MAIL = 4
#: Another ``--notify`` run held the lock for longer than ``--wait``: this run did nothing.
EXIT_BUSY = 5


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


def render_json(report: DueReport) -> str:
    """The report as one JSON document, one flag a line.

    Each flag is encoded on its own (``json.dumps`` without ``indent`` runs in C; with it, in
    Python, which took 0.17 s of the job's time for 10,000 flags) and the document is laid out
    around them.
    """
    flags = ",\n".join(f"    {json.dumps(flag_record(flag))}" for flag in report.flags)
    return (
        "{\n"
        f'  "as_of": {json.dumps(report.as_of.isoformat())},\n'
        f'  "within": {report.within},\n'
        + (f'  "flags": [\n{flags}\n  ]\n' if flags else '  "flags": []\n')
        + "}\n"
    )


def render_text(report: DueReport) -> str:
    """The report for a person reading a cron e-mail: a summary line, then one row a flag."""
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
    total = len(report.flags)
    return "\n".join(
        [
            header,
            f"{total} installment{'s need' if total != 1 else ' needs'} attention: {counts}.",
            "",
            render_table(report.flags),
        ]
    )


def render_table(flags: Sequence[Flag]) -> str:
    """The flags as a plain-text table (ASCII, aligned, no colour), one line a flag."""
    columns = ("Deadline", "Stage", "Due", "Employee", "Company", "Agreement", "#", "Owed")
    extra = ("Interest so far", "Per day")
    rows = []
    for flag in flags:
        overdue = flag.stage is Stage.OVERDUE
        rows.append(
            (
                flag.deadline.isoformat(),
                flag.stage.value,
                flag.due.isoformat(),
                flag.employee,
                flag.company,
                flag.agreement,
                str(flag.installment),
                format_grouped(flag.owed),
                format_grouped(flag.interest_owed) if overdue else "",
                format_grouped(flag.daily_interest) if overdue else "",
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

    out = [line(header_row), line(tuple("-" * w for w in widths)), *(line(row) for row in rows)]
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
    notify: Annotated[
        bool,
        typer.Option(
            "--notify",
            help="E-mail the flags not e-mailed before (smtp_* settings; today's run only).",
        ),
    ] = False,
    wait: Annotated[
        float,
        typer.Option(
            "--wait",
            metavar="SECONDS",
            min=0,
            max=3600,
            help="With --notify: how long to wait for another --notify run to finish.",
        ),
    ] = 120.0,
) -> None:
    """Flag unpaid installments: upcoming, in their payment window, or overdue.

    Exit status: 0 nothing flagged, 1 something flagged, 2 bad input, 3 database unreachable,
    4 e-mail not sent (--notify), 5 another --notify run is still running.
    """
    from comp_tracker.services.due.job import find_due

    # A short-lived process that builds tens of thousands of acyclic objects: Python's cycle
    # collector would only walk them again and again (reference counting still frees memory).
    gc.disable()
    day = parse_date(as_of, "--as-of")
    today = dt.date.today()  # noqa: DTZ011 - the operator's own calendar date
    mail = None
    settings = None
    if notify:
        if day != today:
            fail(
                f'--as-of = "{as_of}": --notify e-mails only what today\'s run flags; leave '
                "--as-of out"
            )
        with handled():
            settings = settings_of(ctx)
            mail = mail_settings(settings)
    notice: Notice | None = None
    mail_failure: str | None = None
    with services(ctx, settings) as context, handled():
        from comp_tracker.storage.locks import LockBusy, job_lock

        try:
            with job_lock(context.db, "due --notify", wait) if notify else nullcontext():
                report = find_due(context, day, within)
                # Today's run records what it flags (the alerts HR acknowledges); a run for
                # another day is a what-if and writes nothing.
                if day == today:
                    from comp_tracker.services.due.alerts import record_alerts

                    alerts = record_alerts(context, report)
                    if mail is not None:
                        from comp_tracker.services.due.notify import MailError
                        from comp_tracker.services.due.notify import notify as send

                        try:
                            notice = send(context, day, within, alerts, mail, render_table)
                        except MailError as exc:
                            mail_failure = str(exc)
        except LockBusy as exc:
            print(f"comp-tracker due: {exc}", file=sys.stderr)
            raise typer.Exit(EXIT_BUSY) from None
    write_report(report, output, notice, mail)
    if mail_failure is not None:
        print(
            f"comp-tracker due: {mail_failure}; nothing was e-mailed, and the next run will "
            "send these flags again",
            file=sys.stderr,
        )
        raise typer.Exit(EXIT_MAIL)
    if report.flags:
        raise typer.Exit(EXIT_FLAGGED)


def mail_settings(settings: Settings) -> Mail:
    """The SMTP settings ``--notify`` needs, or one line saying which is missing."""
    from comp_tracker.config import DEFAULT_SMTP_PORTS, config_file
    from comp_tracker.services.due.notify import Mail

    for name, value in (
        ("smtp_host", settings.smtp_host),
        ("smtp_sender", settings.smtp_sender),
        ("smtp_recipients", settings.smtp_recipients),
    ):
        if not value:
            fail(
                f"--notify needs {name}: set COMP_TRACKER_{name.upper()} or {name} in "
                f"{config_file()}"
            )
    host, sender = settings.smtp_host or "", settings.smtp_sender or ""
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    if settings.smtp_username and not password:
        fail(
            f"--notify: smtp_username = {settings.smtp_username!r} needs a password: set "
            "COMP_TRACKER_SMTP_PASSWORD in the job's environment"
        )
    return Mail(
        host=host,
        port=settings.smtp_port or DEFAULT_SMTP_PORTS[settings.smtp_security],
        security=settings.smtp_security.value,
        sender=sender,
        recipients=tuple(settings.smtp_recipients),
        username=settings.smtp_username,
        password=password,
        timeout=settings.smtp_timeout,
    )


def write_report(
    report: DueReport, output: DueFormat, notice: Notice | None, mail: Mail | None
) -> None:
    if output is DueFormat.json:
        sys.stdout.write(render_json(report))
    elif output is DueFormat.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(flag_record(flag) for flag in report.flags)
    else:
        sys.stdout.write(render_text(report))
        if notice is not None and mail is not None:
            sys.stdout.write(notice_line(notice, mail))


def notice_line(notice: Notice, mail: Mail) -> str:
    sent = len(notice.sent)
    if not sent:
        return "\nE-mail: nothing new to send.\n"
    before = f" ({notice.sent_before} still flagged were e-mailed before)"
    return (
        f"\nE-mailed {sent} new flag{'s' if sent != 1 else ''} to {', '.join(mail.recipients)}"
        f"{before if notice.sent_before else ''}.\n"
    )


alerts_app = typer.Typer(
    help="The due job's alerts: list them, acknowledge one.", invoke_without_command=True
)
app.add_typer(alerts_app, name="alerts")


@alerts_app.callback()
def alerts(
    ctx: typer.Context,
    show_all: Annotated[
        bool, typer.Option("--all", help="Acknowledged alerts too (newest first).")
    ] = False,
    output: FormatOption = OutputFormat.table,
) -> None:
    """List the alerts not yet acknowledged (all of them with --all), newest first."""
    if ctx.invoked_subcommand is not None:
        return
    from comp_tracker.services.due.alerts import list_alerts

    with services(ctx) as context, handled():
        lines = list_alerts(context, include_acknowledged=show_all)
    if output is OutputFormat.json:
        print_json([alert_record(line) for line in lines])
        return
    if not lines:
        print("No alerts." if show_all else "No alerts waiting for acknowledgement.")
        return
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True, show_edge=False)
    table.add_column("Alert", justify="right", no_wrap=True)
    table.add_column("Stage", no_wrap=True)
    table.add_column("Deadline", no_wrap=True)
    table.add_column("Employee", ratio=1)
    table.add_column("Agreement", ratio=1, overflow="fold")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Owed then", justify="right", no_wrap=True)
    table.add_column("Mailed / acknowledged", ratio=1)
    for line in lines:
        done = []
        if line.notified_at:
            done.append(f"mailed {line.notified_at:%Y-%m-%d}")
        if line.acknowledged_at:
            done.append(f"ack {line.acknowledged_by} {line.acknowledged_at:%Y-%m-%d}")
        table.add_row(
            str(line.alert_id),
            line.stage.value,
            line.deadline.isoformat(),
            line.employee,
            line.agreement,
            str(line.installment),
            format_grouped(line.owed_when_flagged),
            "; ".join(done),
        )
    console().print(table)


def alert_record(line: AlertLine) -> dict[str, object]:
    def stamp(value: dt.datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "id": line.alert_id,
        "agreement": line.agreement,
        "employee": line.employee,
        "company": line.company,
        "installment": line.installment,
        "due": line.due.isoformat(),
        "deadline": line.deadline.isoformat(),
        "stage": line.stage.value,
        "owed_when_flagged": format_money(line.owed_when_flagged),
        "flagged_on": line.flagged_on.isoformat(),
        "flagged_at": stamp(line.flagged_at),
        "notified_at": stamp(line.notified_at),
        "acknowledged_at": stamp(line.acknowledged_at),
        "acknowledged_by": line.acknowledged_by,
    }


@alerts_app.command("ack")
def ack(
    ctx: typer.Context,
    alert_id: Annotated[int, typer.Argument(metavar="ID", help="The alert's id (see 'alerts').")],
    note: Annotated[str | None, typer.Option("--note", help="What is being done about it.")] = None,
) -> None:
    """Acknowledge an alert: HR has seen it. It leaves the default list; the record stays."""
    from comp_tracker.services.due.alerts import acknowledge

    with services(ctx) as context, handled():
        line = acknowledge(context, alert_id, note)
    print(
        f"Acknowledged alert {line.alert_id}: {line.agreement} installment {line.installment} "
        f"({line.stage.value}, deadline {line.deadline.isoformat()})."
    )
