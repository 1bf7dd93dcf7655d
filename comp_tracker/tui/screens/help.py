"""Help (``?``): what each screen shows and the keys, in plain words."""

# ruff: noqa: E501 - the help is Markdown tables, one row a line

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# comp-tracker

comp-tracker holds the company's retention agreements: installments paid on set dates, within a
few business days after each date, with interest if paid late, accelerated if the executive is let
go without cause, and ended by a change in control.

**The as-of date** (in the header) is the day every screen shows the records as of. It starts as
today; press **d** to look at another day, for example a quarter's last day.

## Screens

| Key | Screen | What it shows |
|-----|--------|---------------|
| h | Home | Payments upcoming within 3 business days, in their payment window, and overdue; the due job's alerts to acknowledge (**k**) |
| a | Agreements | Every agreement: search as you type, filter by company or status, sort by any column |
| e | Employees | Each employee and their agreements |
| c | Companies | Each company and its agreements |
| Enter | Agreement | The terms in plain words, the schedule, a timeline, the events and the audit log |

## On an agreement

| Key | Action |
|-----|--------|
| p | Record a payment (it proposes the oldest installment and the full amount owed, interest included) |
| t | Record a termination of employment (the preview shows what accelerates or is forfeited) |
| g | Record a change in control of the company |
| m | Amend or extend the agreement |
| v | Void an event recorded in error (a reason is required) |
| w | What-if: try events without saving them |
| l | Clone the agreement for other employees |

Every form shows what it will do before it saves, and nothing is saved until you press its
save button. Every save is recorded in the audit log with your name.

## Everywhere

| Key | Action |
|-----|--------|
| d | Set the as-of date |
| n | New agreement |
| x | Export accruals and journal entries for a period |
| Ctrl+P | Find an agreement, employee, company or action by typing part of its name |
| t | Light or dark theme |
| ? | This help |
| Escape | Close a form or this help |
| q | Quit |
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close", show=False),
        Binding("q", "close", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            yield Markdown(HELP)

    def action_close(self) -> None:
        self.dismiss(None)
