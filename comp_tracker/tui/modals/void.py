"""Void an event: declare a recorded payment, termination, change in control or amendment a
mistake. The event stays in the history, struck through; the schedule is worked out without it.

The form shows, before anything is saved, what the agreement will look like without the event
on the as-of date (``services.agreements.detail.void_preview``, which runs the checks the void will
run), and it will not save without a reason: the reason goes into the history and the audit log.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from comp_tracker.domain import InstallmentState, Schedule, Status, standing_of
from comp_tracker.services.agreements.detail import (
    AgreementDetail,
    VoidPreview,
    agreement_detail,
    void_preview,
)
from comp_tracker.services.agreements.history import SHARED_KINDS, EventKind
from comp_tracker.services.events.planning import Recorded
from comp_tracker.services.events.recording import void_event

from ..widgets.buttons import form_buttons
from ..widgets.text import STATUS_STYLES, day, long_day, money
from .reading import ReadsFirst, Refusal


def _change(label: str, before: str, after: str) -> Text:
    """ "label value", or "label before → after" (bold) where it changes."""
    if before == after:
        return Text(f"{label} {after}".strip())
    return Text.assemble(f"{label} ".lstrip(), (before, "dim"), " → ", (after, "bold"))


def _status(item: InstallmentState) -> str:
    return item.status.value.replace("_", " ")


def _deadline(item: InstallmentState) -> str:
    return "—" if item.status is Status.FORFEITED else day(item.deadline)


def _ends(schedule: Schedule) -> str:
    return f"{day(schedule.ends_on)} ({schedule.end_reason.value.replace('_', ' ')})"


def describe_difference(before: Schedule, after: Schedule) -> Text:
    """The agreement's end and each installment, before → after (bold where it changes)."""
    text = _change("Ends", _ends(before), _ends(after))
    after_items = {i.number: i for i in after.installments}
    for old in before.installments:
        new = after_items.get(old.number)
        text.append(f"\nInstallment {old.number} ({money(old.amount)}): ", style="bold")
        if new is None:
            text.append("no longer in the agreement")
            continue
        if old == new:
            text.append("unchanged, ")
            text.append(_status(new), style=STATUS_STYLES.get(new.status.value, ""))
            continue
        parts = [
            _change("due", day(old.due), day(new.due)),
            _change("pay by", _deadline(old), _deadline(new)),
            _change("", _status(old), _status(new)),
        ]
        for label, was, now in (
            ("paid", old.principal_paid, new.principal_paid),
            ("owed", old.principal_outstanding, new.principal_outstanding),
            ("interest", old.interest_outstanding, new.interest_outstanding),
            ("forfeited", old.principal_forfeited, new.principal_forfeited),
        ):
            if was != now:
                parts.append(_change(label, money(was), money(now)))
        text.append_text(Text(" · ").join(parts))
    for number, new in after_items.items():
        if number > len(before.installments):
            text.append(f"\nInstallment {number}: ", style="bold")
            text.append(f"{money(new.amount)} due {day(new.due)}, {_status(new)}")
    owed_before = standing_of(before).owed
    owed_after = standing_of(after).owed
    text.append("\n")
    text.append_text(_change("Owed in all", money(owed_before), money(owed_after)))
    return text


def _set_error(line: Static, message: str | None) -> None:
    """Show ``message`` in an error line (hidden while there is none)."""
    line.update(message or "")
    line.display = bool(message)


class VoidModal(ReadsFirst[bool]):
    """Choose an event in force on the agreement, see the schedule without it, give a reason."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    READING = "Reading the agreement's events…"

    def __init__(
        self,
        agreement_key: str,
        event_id: int | None = None,
        *,
        detail: AgreementDetail | None = None,
    ) -> None:
        """``detail``: the agreement as the screen opening the form has it (read again here if
        not given)."""
        super().__init__()
        self.agreement_key = agreement_key
        self.event_id = event_id
        self.detail: AgreementDetail | None = detail

    def read(self) -> None:
        tracker = self.tracker
        if self.detail is None or self.detail.schedule.as_of != tracker.as_of:
            self.detail = agreement_detail(tracker.context, self.agreement_key, tracker.as_of)

    def compose_form(self) -> ComposeResult:
        voidable = self.detail.voidable() if self.detail is not None else ()
        options = [(f"{e.id}: {e.date.isoformat()} {e.describe()}", e.id) for e in voidable]
        chosen = self.event_id if self.event_id in {v for _, v in options} else Select.NULL
        with Vertical(classes="dialog", id="void-dialog"):
            yield Static(f"Void an event of {self.agreement_key}", classes="dialog-title")
            with VerticalScroll(id="void-body"):
                yield Static(
                    "A voided event stays in the history, struck through; the schedule is worked "
                    "out again without it. Nothing is saved until you press Void event.",
                    classes="dialog-help",
                )
                yield Label("Event to void")
                yield Select(
                    options,
                    value=chosen,
                    prompt="Choose the event" if options else "No event to void",
                    id="event",
                    disabled=not options,
                    compact=True,
                )
                yield Static("", classes="field-error", id="event-error")
                yield Label("Reason (required: it goes into the history and the audit log)")
                yield Input(
                    placeholder="e.g. recorded against the wrong person", id="reason", compact=True
                )
                yield Static("", classes="field-error", id="reason-error")
                yield Static("", classes="preview", id="preview")
            yield form_buttons("Void event", variant="error", disabled=not options)

    def ready(self) -> None:
        if self.read_error is not None:
            self.app.notify(self.read_error.message, severity="error")
        for line in self.query(".field-error"):
            line.display = False
        self._preview()
        if self.query_one("#event", Select).value is Select.NULL:
            self.query_one("#event", Select).focus()
        else:
            self.query_one("#reason", Input).focus()

    # -- preview ---------------------------------------------------------------------------------

    def _chosen(self) -> int | None:
        value = self.query_one("#event", Select).value
        return value if isinstance(value, int) else None

    def _preview(self) -> None:
        preview = self.query_one("#preview", Static)
        error = self.query_one("#event-error", Static)
        _set_error(error, None)
        event_id = self._chosen()
        if event_id is None:
            if self.detail is not None and not self.detail.voidable():
                preview.update("Nothing to void: no event is in force on this agreement.")
            else:
                preview.update("Choose an event to see the agreement without it.")
            return
        preview.update("Working out the agreement without it…")
        tracker = self.tracker
        self.off_thread(
            "preview",
            lambda: void_preview(tracker.context, self.agreement_key, event_id, tracker.as_of),
            lambda answer: self._have_preview(event_id, answer),
        )

    def _have_preview(self, event_id: int, answer: VoidPreview | Refusal) -> None:
        preview = self.query_one("#preview", Static)
        if not isinstance(answer, VoidPreview):
            _set_error(self.query_one("#event-error", Static), answer.message)
            preview.update("The event cannot be voided: see above.")
            return
        found, tracker = answer, self.tracker
        text = Text()
        assert self.detail is not None  # the event was chosen from it
        entry = next(e for e in self.detail.history if e.id == event_id)
        text.append(f"Without event {event_id}, as of {long_day(tracker.as_of)}:\n", style="bold")
        text.append_text(describe_difference(found.before, found.after))
        if entry.kind in SHARED_KINDS:
            owner = (
                f"the employee, {found.before.terms.employee}"
                if entry.kind is EventKind.TERMINATION
                else f"the company, {found.before.terms.company}"
            )
            text.append(
                f"\nIt is recorded on {owner}: voiding it changes each of their agreements "
                "it applied to.",
                style="dark_orange",
            )
        preview.update(text)

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if self.is_ready:
            self._preview()

    # -- saving ----------------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        event_error = self.query_one("#event-error", Static)
        reason_error = self.query_one("#reason-error", Static)
        _set_error(event_error, None)
        _set_error(reason_error, None)
        event_id = self._chosen()
        reason = self.query_one("#reason", Input).value.strip()
        if event_id is None:
            _set_error(event_error, "Choose the event to void.")
            return
        if not reason:
            _set_error(reason_error, "Say why the event is void: the reason is required.")
            self.query_one("#reason", Input).focus()
            return

        def voided(answer: Recorded | Refusal) -> None:
            if not isinstance(answer, Recorded):
                self.query_one("#save", Button).disabled = False
                target = reason_error if answer.field == "reason" else event_error
                _set_error(target, answer.message)
                return
            self.app.notify(f"Event {event_id} voided.")
            self.dismiss(True)

        self.query_one("#save", Button).disabled = True
        self.off_thread("save", lambda: void_event(self.tracker.context, event_id, reason), voided)

    def action_cancel(self) -> None:
        self.dismiss(False)
