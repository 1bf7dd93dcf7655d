"""Record a change in control of a company.

A change in control belongs to the company: it ends every agreement of the company in force on
its date, and forfeits the installments due after it (no acceleration; what fell due by then stays
owed), ``services.events.recording.record_change_in_control``. The preview lists every agreement
affected, what each forfeits and when it ends, before saving. The preview and the save run off the
UI thread: a company may hold thousands of agreements.
"""

from __future__ import annotations

from textual.app import ComposeResult

from comp_tracker.services.events.choices import CompanyChoices, change_in_control_choices
from comp_tracker.services.events.preview import preview_change_in_control
from comp_tracker.services.events.recording import record_change_in_control

from ..widgets.date_field import DateField
from ..widgets.text import day
from .event_form import OwnerEventForm
from .event_views import applied_to


class ChangeInControlModal(OwnerEventForm[CompanyChoices]):
    """Record a change in control of the company ``subject``; True once saved."""

    HEADING = "Change in control"
    SAVE_LABEL = "Record change in control"
    NOTE_PLACEHOLDER = "e.g. merger closed; Form 8-K filed"

    def read_choices(self) -> CompanyChoices:
        return change_in_control_choices(self.context, self.subject)

    def help_text(self) -> str:
        count = self.choices.agreements if self.choices else 0
        return (
            f"A change in control of {self.subject} ends every agreement of the company in "
            f"force that day ({count} in all). Installments due after it are forfeited, "
            "without acceleration; what fell due by then stays owed."
        )

    def compose_fields(self) -> ComposeResult:
        yield DateField(
            "Date of the change in control (YYYY-MM-DD)",
            self.as_of,
            calendar=self.calendar,
            id="date",
        )
        yield from self.note_field()

    # -- the preview ------------------------------------------------------------------------

    def refresh_form(self, *, saving: bool = False) -> None:
        date = self.start_over()
        if date is None:
            self.show_preview("Type the date of the change in control (YYYY-MM-DD).")
            return
        self.show_preview("Working out what the change in control does…")
        self.off_thread(
            "preview",
            lambda: preview_change_in_control(self.context, self.subject, date, as_of=self.as_of),
            lambda answer: self.show_effects("The change in control", answer),
        )

    # -- saving -----------------------------------------------------------------------------

    def save(self) -> None:
        date = self.date_field.validate()
        if date is None:
            return
        note = self.note

        self.record(
            lambda: record_change_in_control(self.context, self.subject, date, note=note),
            lambda recorded: (
                f"Event #{recorded.event_id}: change in control of {self.subject} on "
                f"{day(date)}, {applied_to(recorded)}."
            ),
        )
