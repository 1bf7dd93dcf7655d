"""Record a change in control of a company.

A change in control belongs to the company: it ends every agreement of the company in force on
its date, and forfeits the installments due after it (no acceleration; what fell due by then stays
owed), ``services.events.recording.record_change_in_control``. The preview lists every agreement
affected, what each forfeits and when it ends, before saving. The preview and the save run off the
UI thread: a company may hold thousands of agreements.
"""

from __future__ import annotations

import datetime as dt

from textual import work
from textual.app import ComposeResult
from textual.worker import get_current_worker

from comp_tracker.services.events.preview import (
    CompanyChoices,
    OwnerEventPreview,
    change_in_control_choices,
    preview_change_in_control,
)
from comp_tracker.services.events.recording import record_change_in_control

from ..widgets.date_field import DateField
from ..widgets.text import day
from .event_form import (
    REFUSALS,
    AmountField,
    ErrorLine,
    EventForm,
    Refusal,
    effects_summary,
    effects_view,
)


class ChangeInControlModal(EventForm):
    """Record a change in control of ``company``; True once saved."""

    SAVE_LABEL = "Record change in control"
    NOTE_PLACEHOLDER = "e.g. merger closed; Form 8-K filed"

    def __init__(self, company: str) -> None:
        super().__init__()
        self.company = company
        self.choices: CompanyChoices | None = None
        self.preview: OwnerEventPreview | None = None

    def read(self) -> None:
        self.choices = change_in_control_choices(self.context, self.company)

    def title_text(self) -> str:
        return f"Change in control · {self.company}"

    def help_text(self) -> str:
        count = self.choices.agreements if self.choices else 0
        return (
            f"A change in control of {self.company} ends every agreement of the company in "
            f"force that day ({count} in all). Installments due after it are forfeited, "
            "without acceleration; what fell due by then stays owed."
        )

    def compose_fields(self) -> ComposeResult:
        calendar = self.choices.calendar if self.choices else "US"
        yield DateField(
            "Date of the change in control (YYYY-MM-DD)", self.as_of, calendar=calendar, id="date"
        )
        yield from self.note_field()

    @property
    def date_field(self) -> DateField:
        return self.query_one("#date", DateField)

    def on_date_field_changed(self, event: DateField.Changed) -> None:
        event.stop()
        self.refresh_form()

    def error_target(self, field: str) -> DateField | AmountField | ErrorLine | None:
        if field.endswith(".date") or field.startswith("event #"):
            return self.date_field
        return None

    # -- the preview ------------------------------------------------------------------------

    def refresh_form(self) -> None:
        self.preview = None
        self.clear_errors()
        date = self.date_field.value
        if date is None:
            self.show_preview("Type the date of the change in control (YYYY-MM-DD).")
            return
        self.show_preview("Working out what the change in control does…")
        self._compute(date)

    @work(thread=True, exclusive=True, group="change-in-control-preview")
    def _compute(self, date: dt.date) -> None:
        worker = get_current_worker()
        result: OwnerEventPreview | Refusal
        try:
            result = preview_change_in_control(self.context, self.company, date, as_of=self.as_of)
        except REFUSALS as exc:
            result = exc
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, date, result)

    def _show(self, date: dt.date, result: OwnerEventPreview | Refusal) -> None:
        if not self.is_attached or date != self.date_field.value:
            return  # the form has moved on: a newer preview is on its way
        if isinstance(result, OwnerEventPreview):
            self.preview = result
            self.show_preview(
                effects_view(result, "The change in control"), effects_summary(result)
            )
        else:
            self.show_preview("")
            self.show_error(result)

    # -- saving -----------------------------------------------------------------------------

    def save(self) -> None:
        date = self.date_field.validate()
        if date is None:
            return
        self.saving(True)
        self._record(date, self.note)

    @work(thread=True, exclusive=True, group="change-in-control-save")
    def _record(self, date: dt.date, note: str | None) -> None:
        try:
            result = record_change_in_control(self.context, self.company, date, note=note)
        except REFUSALS as exc:
            self.app.call_from_thread(self._refused, exc)
            return
        count = len(result.schedules)
        self.app.call_from_thread(
            self.saved,
            f"Event #{result.event_id}: change in control of {self.company} on {day(date)}, "
            f"applied to {count} agreement{'s' if count != 1 else ''}.",
        )

    def _refused(self, exc: Refusal) -> None:
        self.saving(False)
        self.show_error(exc)
