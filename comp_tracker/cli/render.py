"""Rich tables for people: the ``table`` format of the CLI's read commands.

Fits an 80-column terminal (or a cron e-mail); wider terminals get the Earned column too.
"""

from __future__ import annotations

from decimal import Decimal

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from comp_tracker.domain import Schedule, Status
from comp_tracker.domain.money import format_grouped
from comp_tracker.services.words import late_interest

STATUS_STYLE = {
    Status.FORFEITED: "dim",
    Status.PAID: "green",
    Status.SCHEDULED: "",
    Status.DUE: "bold yellow",
    Status.OVERDUE: "bold red",
}
#: Below this width the Paid and Earned columns are left out (the JSON output has them).
WIDE = 100


#: Thousands separators for reading; the JSON keeps plain decimals.
money = format_grouped


def plain_table(title: str | None = None) -> Table:
    """The CLI's tables: a rule under the heading, no frame, the title flush left."""
    return Table(
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
        collapse_padding=True,
        pad_edge=False,
        title=title,
        title_justify="left",
    )


def schedule_table(schedule: Schedule, wide: bool) -> Table:
    table = plain_table()
    columns = ["#", "Due", "Pay by", "Amount", "Status", "Owed", "Interest"]
    if wide:
        columns += ["Paid", "Earned"]
    for name in columns:
        text_column = name in ("Due", "Pay by", "Status")
        table.add_column(name, justify="left" if text_column else "right", no_wrap=True)
    for item in schedule.installments:
        row: list[str | Text] = [
            str(item.number),
            str(item.due) + ("*" if item.accelerated else ""),
            "—" if item.status is Status.FORFEITED else str(item.deadline),  # nothing to pay
            money(item.amount),
            Text(item.status.value, style=STATUS_STYLE[item.status]),
            money(item.principal_outstanding),
            money(item.interest_outstanding),
        ]
        if wide:
            row += [money(item.principal_paid + item.interest_paid), money(item.earned)]
        table.add_row(*row)
    return table


def print_schedule(schedule: Schedule, console: Console | None = None) -> None:
    console = console or Console()
    terms = schedule.terms
    console.print(f"[bold]{terms.employee}[/] · {terms.company} · {terms.id}", highlight=False)
    console.print(
        f"As of {schedule.as_of} · effective {terms.effective} · ends {schedule.ends_on} "
        f"({schedule.end_reason.value.replace('_', ' ')}) · {terms.calendar} business days · "
        f"late interest {late_interest(terms, short=True)}",
        highlight=False,
    )
    console.print(schedule_table(schedule, wide=console.width >= WIDE))
    for item in schedule.installments:
        if item.accelerated:
            console.print(
                f"* Installment {item.number} was accelerated from {item.original_due}: due on "
                f"termination, {item.due}.",
                highlight=False,
            )
    for warning in schedule.warnings:
        console.print(f"[yellow]warning:[/] {warning}", highlight=False)
    forfeited = [item for item in schedule.installments if item.principal_forfeited]
    if forfeited:
        dates = ", ".join(sorted({str(item.forfeited_on) for item in forfeited}))
        total = sum((item.principal_forfeited for item in forfeited), Decimal(0))
        console.print(f"Forfeited on {dates}: {money(total)} (never payable)", highlight=False)
    outstanding = schedule.principal_outstanding
    interest = schedule.interest_outstanding
    console.print(
        f"Owed: {money(outstanding)} principal + {money(interest)} interest"
        f" = {money(outstanding + interest)}",
        highlight=False,
    )
