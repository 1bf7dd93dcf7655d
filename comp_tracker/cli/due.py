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
import sys
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
from comp_tracker.cli.due_output import (
    FIELDS,
    alert_record,
    flag_record,
    render_json,
    render_table,
    render_text,
)
from comp_tracker.domain.money import format_grouped

if TYPE_CHECKING:
    from comp_tracker.config import Settings
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
