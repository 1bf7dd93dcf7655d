"""Record the end of an employee's employment (opened from one of their agreements).

A termination belongs to the employee: it applies to every agreement of theirs at that company in
force on its date (``services.events.recording.record_termination``). The reasons are those of
paragraph 3 in plain words, each marked with what it does under the employee's agreements
(accelerates or forfeits: ``Terms.accelerate_on``). The preview shows, before saving, for each
agreement which installments accelerate (with their new due dates and deadlines) or are forfeited,
and the date the agreement now ends. The preview and the save run off the UI thread: an employee may
hold many agreements.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Label, Select

from comp_tracker.domain import TerminationReason
from comp_tracker.services.events.choices import TerminationChoices, termination_choices
from comp_tracker.services.events.preview import preview_termination
from comp_tracker.services.events.recording import record_termination
from comp_tracker.services.words import REASON_NAMES

from ..widgets.date_field import DateField
from ..widgets.text import day
from .event_form import AmountField, ErrorLine, OwnerEventForm
from .event_views import applied_to


def _lower(words: str) -> str:
    return words[:1].lower() + words[1:]


class TerminateModal(OwnerEventForm[TerminationChoices]):
    """Record the termination of the employee of the agreement ``subject``; True once saved."""

    HEADING = "Terminate employment"
    SAVE_LABEL = "Record termination"
    NOTE_PLACEHOLDER = "e.g. letter of notice dated 16 September 2002"

    def read_choices(self) -> TerminationChoices:
        return termination_choices(self.context, self.subject)

    def title_text(self) -> str:
        who = self.choices.employee if self.choices else self.subject
        return f"{self.HEADING} · {who}"

    def help_text(self) -> str:
        if self.choices is None:
            return ""
        c = self.choices
        count = len(c.agreements)
        return (
            f"The end of {c.employee}'s employment at {c.company}. It applies to every agreement "
            f"of theirs in force that day ({count} in all). Installments due by then stay "
            "payable as scheduled; later ones are accelerated (due at once) or forfeited, "
            "depending on the reason."
        )

    def compose_fields(self) -> ComposeResult:
        yield DateField(
            "Employment ended on (YYYY-MM-DD)", self.as_of, calendar=self.calendar, id="date"
        )
        yield Label("Reason")
        yield Select(self._reason_options(), prompt="Pick the reason", id="reason")
        yield ErrorLine(id="reason-error")
        yield from self.note_field()

    def _reason_options(self) -> list[tuple[str, TerminationReason]]:
        choices = self.choices
        return [
            (f"{words} · {choices.reason_effect(reason)}" if choices else words, reason)
            for reason, words in REASON_NAMES.items()
        ]

    # -- the fields -------------------------------------------------------------------------

    @property
    def reason(self) -> TerminationReason | None:
        value = self.query_one("#reason", Select).value
        return value if isinstance(value, TerminationReason) else None

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.refresh_form()

    def error_target(self, field: str) -> DateField | AmountField | ErrorLine | None:
        if field == "reason":
            return self.query_one("#reason-error", ErrorLine)
        return super().error_target(field)

    # -- the preview ------------------------------------------------------------------------

    def refresh_form(self, *, saving: bool = False) -> None:
        date, reason = self.start_over(), self.reason
        if self.choices is None:
            return
        if date is None:
            self.show_preview("Type the last day of employment (YYYY-MM-DD).")
            return
        if reason is None:
            self.show_preview(
                "Pick the reason: the preview then shows which installments accelerate or are "
                "forfeited, their deadlines, and when each agreement ends."
            )
            return
        self.show_preview("Working out what the termination does…")
        choices = self.choices
        self.off_thread(
            "preview",
            lambda: preview_termination(
                self.context,
                choices.employee,
                date,
                reason,
                company=choices.company,
                as_of=self.as_of,
            ),
            lambda answer: self.show_effects(
                f"The termination ({_lower(REASON_NAMES[reason])})", answer
            ),
        )

    # -- saving -----------------------------------------------------------------------------

    def save(self) -> None:
        date = self.date_field.validate()
        reason = self.reason
        if reason is None:
            self.query_one("#reason-error", ErrorLine).set_error("Pick the reason.")
        if date is None or reason is None or self.choices is None:
            return
        choices, note = self.choices, self.note

        self.record(
            lambda: record_termination(
                self.context, choices.employee, date, reason, company=choices.company, note=note
            ),
            lambda recorded: (
                f"Event #{recorded.event_id}: termination of {choices.employee} on {day(date)} "
                f"({_lower(REASON_NAMES[reason])}), {applied_to(recorded)}."
            ),
        )
