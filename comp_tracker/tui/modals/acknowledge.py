"""Acknowledge one of the due job's alerts: HR has seen it (with an optional note)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Button, Input, Label, Static

from comp_tracker.services.due.alerts import AlertLine, acknowledge

from ..widgets.buttons import form_buttons
from ..widgets.text import day, money
from .reading import REFUSALS, OffThread


class AcknowledgeModal(OffThread[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, alert: AlertLine) -> None:
        super().__init__()
        self.alert = alert

    def compose(self) -> ComposeResult:
        a = self.alert
        with Vertical(classes="dialog"):
            yield Static(f"Acknowledge alert {a.alert_id}", classes="dialog-title")
            yield Static(
                f"{a.employee} ({a.company}), agreement {a.agreement}, installment "
                f"{a.installment}: {a.stage.value.replace('_', ' ')} on {day(a.flagged_on)}, "
                f"{money(a.owed_when_flagged)} owed then, pay by {day(a.deadline)}.\n"
                "Acknowledging records that you have seen it (in the audit log, with your "
                "name); the job will not e-mail it again. It does not record a payment.",
                classes="dialog-help",
            )
            yield Label("Note (optional)")
            yield Input(placeholder="e.g. payment approved, goes out Friday", id="note")
            yield Static("", classes="field-error", id="error")
            yield form_buttons("Acknowledge")

    def on_input_submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        save = self.query_one("#save", Button)
        if save.disabled:
            return  # already on its way
        note = self.query_one("#note", Input).value.strip() or None
        alert_id = self.alert.alert_id

        def acknowledged(answer: object) -> None:
            if isinstance(answer, REFUSALS):
                save.disabled = False
                self.query_one("#error", Static).update(answer.message)
                return
            self.app.notify(f"Alert {alert_id} acknowledged.")
            self.dismiss(True)

        save.disabled = True
        self.off_thread(
            "save", lambda: acknowledge(self.tracker.context, alert_id, note), acknowledged
        )

    def action_cancel(self) -> None:
        self.dismiss(False)
