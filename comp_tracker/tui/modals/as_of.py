"""Set the app's as-of date: every screen then shows the records as they stood that day."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ..widgets.date_field import DateField


class AsOfModal(ModalScreen[dt.date | None]):
    """A date field, Today, Set and Cancel; returns the date or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current: dt.date) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("As-of date", classes="dialog-title")
            yield Static(
                "Every screen shows the agreements as they stood at the end of this day: "
                "what was due, paid and owed, and the interest so far.",
                classes="dialog-help",
            )
            yield DateField("Date (YYYY-MM-DD)", self.current, id="as-of")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Set", variant="primary", id="set")
                yield Button("Today", id="today")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one(DateField).input.focus()

    def on_input_submitted(self) -> None:
        self._set()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "set":
            self._set()
        elif event.button.id == "today":
            self.dismiss(dt.date.today())  # noqa: DTZ011 - HR's own calendar day
        else:
            self.dismiss(None)

    def _set(self) -> None:
        value = self.query_one(DateField).validate()
        if value is not None:
            self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)
