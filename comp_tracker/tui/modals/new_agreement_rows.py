"""The new-agreement form's parts: its labelled fields, an installment row of the editor, the
preview's table."""

from __future__ import annotations

import datetime as dt

from rich import box
from rich.table import Table
from textual.app import ComposeResult
from textual.containers import HorizontalGroup, VerticalGroup
from textual.widgets import Button, Input, Label, Static

from comp_tracker.domain import Schedule, Status

from ..widgets.date_field import DateField
from ..widgets.text import day, money, status_text


def text_field(label: str, widget_id: str, value: str = "", **options: object) -> ComposeResult:
    """A labelled input with its error line (``#<id>-error``) under it."""
    with VerticalGroup(classes="field"):
        yield Label(label)
        yield Input(value, id=widget_id, **options)  # type: ignore[arg-type]
        yield Static("", id=f"{widget_id}-error", classes="field-error -empty")


def short_field(
    label: str, widget_id: str, value: str, hint: str, **options: object
) -> ComposeResult:
    """A short value with what it means beside it: "[ 3 ] business days after ..."."""
    with VerticalGroup(classes="field short-field"):
        yield Label(label)
        with HorizontalGroup():
            yield Input(value, id=widget_id, **options)  # type: ignore[arg-type]
            yield Static(hint, classes="hint")
        yield Static("", id=f"{widget_id}-error", classes="field-error -empty")


def schedule_table(schedule: Schedule) -> Table:
    """The schedule as the preview shows it: compact enough for half of a 120-column screen."""
    table = Table(box=box.SIMPLE_HEAD, padding=0, pad_edge=False, show_edge=False)
    for name in ("#", "Due", "Pay by", "Amount", "Status", "Interest"):
        left = name in ("Due", "Pay by", "Status")
        table.add_column(name, justify="left" if left else "right", no_wrap=True)
    for item in schedule.installments:
        table.add_row(
            str(item.number),
            day(item.due) + ("*" if item.accelerated else ""),
            "—" if item.status is Status.FORFEITED else day(item.deadline),
            money(item.amount),
            status_text(item.status.value),
            money(item.interest_outstanding),
        )
    return table


class InstallmentRow(VerticalGroup):
    """One installment of the editor: its due date, its amount, and a button to remove it."""

    def __init__(self, key: int, due: dt.date | None = None, amount: str = "") -> None:
        super().__init__(id=f"installment-{key}", classes="installment-row")
        self.key = key
        self._due = due
        self._amount = amount

    def compose(self) -> ComposeResult:
        yield Static("", classes="installment-title")
        with HorizontalGroup():
            yield DateField("Due (YYYY-MM-DD)", self._due, id=f"due-{self.key}")
            with VerticalGroup(classes="amount"):
                yield Label("Amount")
                yield Input(
                    self._amount,
                    placeholder="e.g. 66000.00",
                    restrict=r"[0-9.,]*",
                    id=f"amount-{self.key}",
                )
                yield Button(
                    "Remove installment", id=f"remove-{self.key}", classes="remove", compact=True
                )
        yield Static("", id=f"amount-{self.key}-error", classes="field-error -empty")

    @property
    def due(self) -> DateField:
        return self.query_one(DateField)

    @property
    def amount(self) -> Input:
        return self.query_one(f"#amount-{self.key}", Input)
