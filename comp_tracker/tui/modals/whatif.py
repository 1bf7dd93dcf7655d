"""What-if (``w`` on an agreement): try events that have not happened, see what they would do.

HR adds hypothetical events (a termination, a change in control, a payment, for example a late
one), each checked as recording it would check it; the agreement's schedule as recorded and the
schedule with those events are shown side by side (stacked on a narrow terminal), with the cells
that differ highlighted and the differences in words, as of a date of their choosing.

Nothing is written unless HR presses "Record these events" and then confirms a list of exactly
what will be written; the events are then recorded through ``services.events.recording``, each
audited. Escape (or Close) leaves without writing anything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, HorizontalGroup, Vertical, VerticalGroup, VerticalScroll
from textual.widgets import Button, DataTable, Input, Label, Select, Static

from comp_tracker.domain import (
    AgreementError,
    ChangeInControl,
    Event,
    Payment,
    Termination,
    TerminationReason,
)
from comp_tracker.services.events.recording import record_events
from comp_tracker.services.events.whatif import (
    Comparison,
    compare,
    describe_event,
    in_recording_order,
    what_if_ref,
)
from comp_tracker.services.words import REASON_SHORT

from ..widgets.date_field import DateField
from ..widgets.text import day
from .reading import REFUSALS, OffThread, Refusal
from .whatif_parts import HIGHLIGHT, KINDS, ConfirmRecordModal, comparison_table, short_event


class WhatIfModal(OffThread[bool]):
    """Hypothetical events on one agreement; dismisses True only if they were recorded."""

    #: From 116 columns the screen has the class -wide (app.tcss lays the form out wider).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (116, "-wide")]  # noqa: RUF012 - as Textual types it
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close"),
        Binding("delete", "remove_event", "Remove event", show=False),
    ]

    def __init__(self, agreement_key: str) -> None:
        super().__init__()
        self.agreement = agreement_key
        self.events: list[Event] = []
        self.comparison: Comparison | None = None
        #: True once some event was recorded (the modal then returns True however it is left).
        self.recorded = False

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog large-form whatif"):
            yield Static(f"What-if: {self.agreement}", classes="dialog-title")
            yield Static(
                "Try events that have not happened and see what they would do. Nothing is "
                'saved unless you press "Record these events" and confirm; Escape leaves.',
                classes="dialog-help",
            )
            with VerticalScroll(classes="form-body"):
                yield Static("Add a hypothetical event", classes="section-title")
                with HorizontalGroup(classes="wide-row"):
                    with HorizontalGroup(classes="columns", id="kind-date"):
                        with VerticalGroup():
                            yield Label("Kind")
                            yield Select(
                                [(label, value) for value, label in KINDS],
                                value="termination",
                                allow_blank=False,
                                id="kind",
                            )
                        yield DateField("Date (YYYY-MM-DD)", id="event-date")
                    with VerticalGroup(id="termination-fields", classes="kind-fields"):
                        yield Label("Reason")
                        yield Select(
                            [(REASON_SHORT[r], r) for r in TerminationReason],
                            value=TerminationReason.WITHOUT_CAUSE,
                            allow_blank=False,
                            id="reason",
                        )
                    with HorizontalGroup(classes="columns kind-fields", id="payment-fields"):
                        with VerticalGroup():
                            yield Label("Amount")
                            yield Input(
                                placeholder="e.g. 66000.00", restrict=r"[0-9.,]*", id="amount"
                            )
                            yield Static("", id="amount-error", classes="field-error -empty")
                        with VerticalGroup():
                            yield Label("Installment no.")
                            yield Input(
                                placeholder="optional", restrict=r"[0-9]*", id="installment"
                            )
                            yield Static("", id="installment-error", classes="field-error -empty")
                with HorizontalGroup(id="add-row"):
                    yield Button("Add event", id="add-event")
                    yield Static("", id="event-error", classes="field-error -empty")
                with HorizontalGroup(classes="wide-row"):
                    with VerticalGroup(id="event-list"):
                        yield Static("Hypothetical events", classes="section-title")
                        yield DataTable(id="events", cursor_type="row", show_cursor=True)
                        yield Button(
                            "Remove the selected event",
                            id="remove-event",
                            compact=True,
                            disabled=True,
                        )
                    yield DateField("Compare as of (YYYY-MM-DD)", id="compare-as-of")
                with HorizontalGroup(classes="whatif-tables"):
                    with VerticalGroup():
                        yield Static("As recorded", classes="section-title")
                        yield Static("", id="real-table")
                    with VerticalGroup():
                        yield Static("What-if: with these events", classes="section-title")
                        yield Static("", id="hypothetical-table")
                yield Static(
                    Text.assemble(
                        ("highlighted", HIGHLIGHT),
                        ": differs from the other schedule · * accelerated: due on the "
                        "termination date",
                    ),
                    id="legend",
                )
                yield Static("", id="differences")
            yield Static("", id="record-error", classes="field-error -empty")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Record these events…", variant="warning", id="record", disabled=True)
                yield Button("Close", id="close")

    def on_mount(self) -> None:
        table = self.query_one("#events", DataTable)
        table.add_columns("#", "Event")
        as_of = self.query_one("#compare-as-of", DateField)
        as_of.input.value = self.tracker.as_of.isoformat()
        self._show_kind("termination")
        self.query_one("#event-date", DateField).input.focus()
        self._refresh()

    # -- the event form ------------------------------------------------------------------------

    @on(Select.Changed, "#kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        self._show_kind(str(event.value))

    def _show_kind(self, kind: str) -> None:
        self.query_one("#termination-fields").display = kind == "termination"
        self.query_one("#payment-fields").display = kind == "payment"
        self._clear_event_errors()

    def _set_error(self, selector: str, message: str | None) -> None:
        error = self.query_one(selector, Static)
        error.update(message or "")
        error.set_class(not message, "-empty")

    def _clear_event_errors(self) -> None:
        for selector in ("#amount-error", "#installment-error", "#event-error"):
            self._set_error(selector, None)
        self.query_one("#event-date", DateField).set_error(None)

    def _read_event(self, ref: str) -> Event | None:
        """The event the form describes, or None with the reasons beside the fields."""
        self._clear_event_errors()
        date = self.query_one("#event-date", DateField).validate()
        kind = self.query_one("#kind", Select).value
        if kind == "termination":
            reason = TerminationReason(str(self.query_one("#reason", Select).value))
            return None if date is None else Termination(date, reason, ref=ref)
        if kind == "change_in_control":
            return None if date is None else ChangeInControl(date, ref=ref)
        amount_text = self.query_one("#amount", Input).value.strip()
        amount: Decimal | None = None
        try:
            amount = Decimal(amount_text.replace(",", "")) if amount_text else None
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite():
            reason_text = "is not an amount: write it like 66000.00" if amount_text else "required"
            self._set_error(
                "#amount-error",
                AgreementError(f"{ref}.amount", amount_text or "", reason_text).message,
            )
            return None
        installment_text = self.query_one("#installment", Input).value.strip()
        installment = int(installment_text) if installment_text else None
        if date is None:
            return None
        return Payment(date, amount, installment, ref=ref)

    def _route_error(self, exc: Refusal, ref: str) -> None:
        """Show a refusal of the new event beside the field it is about."""
        field = exc.field
        if field.startswith(ref):
            suffix = field.removeprefix(ref)
            if suffix == ".date":
                self.query_one("#event-date", DateField).set_error(exc.message)
                return
            if suffix in (".amount", ".installment"):
                self._set_error(f"#{suffix[1:]}-error", exc.message)
                return
        self._set_error("#event-error", exc.message)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        event_date = self.query_one("#event-date", DateField).input
        if event.input.id in ("amount", "installment") or event.input is event_date:
            self._add_event()
        else:
            self._refresh()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id
        if button == "add-event":
            self._add_event()
        elif button == "remove-event":
            self.action_remove_event()
        elif button == "record":
            self._confirm_record()
        elif button == "close":
            self.action_cancel()

    def _add_event(self) -> None:
        ref = what_if_ref(len(self.events) + 1)
        new = self._read_event(ref)
        if new is None:
            return
        as_of, events = self._as_of(), [*self.events, new]
        self.off_thread(
            "add",
            lambda: compare(self.tracker.context, self.agreement, events, as_of),
            lambda answer: self._added(new, ref, answer),
        )

    def _added(self, new: Event, ref: str, answer: Comparison | Refusal) -> None:
        if not isinstance(answer, Comparison):
            self._route_error(answer, ref)
            return
        self.events.append(new)  # the fields keep their values: the next event is often similar
        self._refresh()
        # Bring the two schedules into view; the focus stays on the form for the next event.
        body = self.query_one(".form-body", VerticalScroll)
        tables = self.query_one(".whatif-tables")
        self.call_after_refresh(body.scroll_to_widget, tables, top=True, animate=False)

    def action_remove_event(self) -> None:
        table = self.query_one("#events", DataTable)
        if not self.events or table.row_count == 0:
            return
        index = min(table.cursor_row, len(self.events) - 1)
        del self.events[index]
        # Renumbered, so a refusal still names the event as the list shows it.
        self.events = [self._renumbered(e, n) for n, e in enumerate(self.events, start=1)]
        self._refresh()

    @staticmethod
    def _renumbered(event: Event, number: int) -> Event:
        return replace(event, ref=what_if_ref(number))

    # -- the comparison ------------------------------------------------------------------------

    @on(DateField.Changed, "#compare-as-of")
    def _as_of_changed(self, event: DateField.Changed) -> None:
        if event.value is not None:
            self._refresh()

    def _as_of(self) -> dt.date:
        return self.query_one("#compare-as-of", DateField).value or self.tracker.as_of

    def _refresh(self) -> None:
        """Recompute both schedules and show them, the list of events and the differences."""
        table = self.query_one("#events", DataTable)
        table.clear()
        for number, event in enumerate(self.events, start=1):
            table.add_row(str(number), short_event(event), key=str(number))
        if not self.events:
            table.add_row("", "None yet: add one above.", key="none")
        self.query_one("#remove-event", Button).disabled = not self.events
        self.query_one("#record", Button).disabled = not self.events
        self.comparison = None
        events, as_of = list(self.events), self._as_of()
        self.off_thread(
            "compare",
            lambda: compare(self.tracker.context, self.agreement, events, as_of),
            lambda answer: self._compared(events, answer),
        )

    def _compared(self, events: list[Event], answer: Comparison | Refusal) -> None:
        differences = self.query_one("#differences", Static)
        if not isinstance(answer, Comparison):
            differences.update(Text(answer.message, style="bold red"))
            self.query_one("#record", Button).disabled = True
            return
        self.comparison = comparison = answer
        lines = comparison.describe()
        heading = f"As of {day(comparison.as_of)}: "
        if not events:
            differences.update(heading + "no hypothetical event yet; both schedules are the same.")
        elif not lines:
            differences.update(heading + "these events change nothing in the schedule.")
        else:
            text = Text(heading + "what these events would change\n", style="bold")
            text.append("\n".join(lines), style="")
            differences.update(text)
        self.query_one("#real-table", Static).update(
            comparison_table(comparison.real, comparison.changed)
        )
        self.query_one("#hypothetical-table", Static).update(
            comparison_table(comparison.hypothetical, comparison.changed)
        )

    # -- recording -----------------------------------------------------------------------------

    def _in_order(self) -> list[Event]:
        return in_recording_order(self.events)

    def _confirm_record(self) -> None:
        if not self.events or self.comparison is None:
            return
        terms = self.comparison.terms
        lines = [describe_event(event, terms) for event in self._in_order()]

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._record()

        self.app.push_screen(ConfirmRecordModal(lines), confirmed)

    def _record(self) -> None:
        """Record the events through the services in one transaction: all of them, or none."""
        assert self.comparison is not None
        ordered = self._in_order()

        def recorded(answer: object) -> None:
            if isinstance(answer, REFUSALS):
                self._set_error("#record-error", f"Nothing recorded: {answer.message}")
                self.query_one("#record", Button).disabled = False
                return
            self.recorded = True
            self.app.notify(f"Recorded {len(ordered)} event(s) on {self.agreement}.")
            self.dismiss(True)

        self.query_one("#record", Button).disabled = True
        self.off_thread(
            "record",
            lambda: record_events(self.tracker.context, self.agreement, ordered),
            recorded,
        )

    def action_cancel(self) -> None:
        self.dismiss(self.recorded)
