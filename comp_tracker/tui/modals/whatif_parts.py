"""The what-if form's parts: the kinds of event it tries, the two schedules side by side (what
the events change highlighted), an event in a few words, and the question before recording."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich import box
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from comp_tracker.domain import (
    ChangeInControl,
    Event,
    Payment,
    Schedule,
    Status,
    Termination,
)
from comp_tracker.services.words import REASON_SHORT

from ..widgets.text import day, money, status_text
from .confirm import ConfirmModal

#: How a cell that differs from the other schedule is shown (readable on light and dark themes).
HIGHLIGHT = "bold black on yellow"

KINDS = (
    ("termination", "Termination of employment"),
    ("change_in_control", "Change in control of the company"),
    ("payment", "Payment (e.g. a late one)"),
)

#: The columns of the two schedules: heading, the installment field compared (None: not).
COLUMNS: tuple[tuple[str, str | None], ...] = (
    ("#", None),
    ("Due", "due"),
    ("Pay by", "deadline"),
    ("Status", "status"),
    ("Owed", "principal_outstanding"),
    ("Interest", "interest_outstanding"),
)


#: Same-day events are recorded in the engine's order: termination, change in control, payments.
def comparison_table(schedule: Schedule, changed: Callable[[int, str], bool]) -> Table:
    """One schedule of the comparison, the cells that differ from the other one highlighted."""
    table = Table(box=box.SIMPLE_HEAD, padding=0, pad_edge=False, show_edge=False)
    for heading, _ in COLUMNS:
        left = heading in ("Due", "Pay by", "Status")
        table.add_column(heading, justify="left" if left else "right", no_wrap=True)
    for item in schedule.installments:
        cells: list[Text] = []
        for _, name in COLUMNS:
            if name is None:
                cell = Text(str(item.number))
            elif name == "due":
                cell = Text(day(item.due) + ("*" if item.accelerated else ""))
            elif name == "deadline":
                cell = Text("—" if item.status is Status.FORFEITED else day(item.deadline))
            elif name == "status":
                cell = status_text(item.status.value)
            else:
                cell = Text(money(getattr(item, name)))
            if name is not None and changed(item.number, name):
                cell.stylize(HIGHLIGHT)
            cells.append(cell)
        table.add_row(*cells)
    return table


def short_event(event: Event) -> str:
    """One line of the list of hypothetical events."""
    if isinstance(event, Termination):
        return f"Termination on {event.date}, {REASON_SHORT[event.reason]}"
    if isinstance(event, ChangeInControl):
        return f"Change in control on {event.date}"
    if isinstance(event, Payment):
        target = f" to installment {event.installment}" if event.installment else ""
        return f"Payment of {money(event.amount)} on {event.date}{target}"
    return f"Amendment on {event.date}"


class ConfirmRecordModal(ConfirmModal):
    """The last step before the what-if's events are written: exactly what will be recorded."""

    QUESTION, YES, YES_ID = "Record these events?", "Record", "confirm"

    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__()
        self.lines = list(lines)

    def compose_body(self) -> ComposeResult:
        yield Static(
            "These are written to the records as having happened, in this order, all "
            "together (if one is refused, none is written), each in the audit log under "
            "your name (a mistake can later be voided, never erased):",
            classes="dialog-help",
        )
        text = "\n".join(f"{n}. {line}" for n, line in enumerate(self.lines, start=1))
        yield Static(text, id="to-record", classes="preview")
