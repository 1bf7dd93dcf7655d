"""New agreement (``n``): the terms field by field, the installments as rows to add and remove,
and a preview of the schedule the engine computes for them before anything is saved.

Each field is checked as it is typed with the domain's own rules (``validate_terms``: the same
checks an agreement file gets), and its error shows under it. The preview (the terms in plain
words and the schedule as of the app's date, with no events) appears once every field is valid.
Saving calls ``services.agreements.creating.create_agreement``; a refused save writes nothing and
shows why beside the field at fault.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import HorizontalGroup, Vertical, VerticalGroup, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Select, SelectionList, Static

from comp_tracker.domain import (
    AgreementError,
    DayCount,
    Schedule,
    TerminationReason,
    Terms,
)
from comp_tracker.services.agreements.creating import create_agreement
from comp_tracker.services.context import ServiceError
from comp_tracker.services.events.whatif import (
    NewAgreementChoices,
    describe_terms,
    new_agreement_choices,
    preview_terms,
    suggest_agreement_id,
)
from comp_tracker.services.words import REASON_SHORT

from ..widgets.buttons import form_buttons
from ..widgets.date_field import DateField
from ..widgets.text import day
from .new_agreement_check import (
    DAY_COUNTS,
    TEXT_FIELDS,
    Draft,
    check_draft,
    form_order,
    labels,
    widget_for,
)
from .new_agreement_rows import InstallmentRow, schedule_table, short_field, text_field
from .reading import REFUSALS, ReadsFirst


class NewAgreementModal(ReadsFirst[bool]):
    """The new-agreement form; dismisses True once the agreement is saved (``created`` holds
    its id)."""

    #: From 116 columns the screen has the class -wide (app.tcss lays the form out wider).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (116, "-wide")]  # noqa: RUF012 - as Textual types it
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]
    READING = "Reading the companies and agreements already recorded…"
    DIALOG_CLASSES = "dialog large-form"

    def __init__(self) -> None:
        super().__init__()
        self.created: str | None = None
        self.terms: Terms | None = None
        self.preview: Schedule | None = None
        self.errors: dict[str, str] = {}
        self._touched: set[str] = set()
        self._submitted = False
        self._rows = 0
        #: What the preview last showed (terms, schedule, fields in error): redrawn on change.
        self._shown: tuple[object, ...] = ()
        self.choices = NewAgreementChoices(companies=[], taken=frozenset())

    def read(self) -> None:
        self.choices = new_agreement_choices(self.tracker.context)

    # -- layout ------------------------------------------------------------------------------

    def compose_form(self) -> ComposeResult:
        companies = self.choices.companies
        with Vertical(classes=self.DIALOG_CLASSES):
            yield Static("New agreement", classes="dialog-title")
            yield Static(
                "The terms of the signed agreement, checked as you type; the preview shows the "
                "schedule they give. Save (Ctrl+S) writes it; Escape leaves without saving.",
                classes="dialog-help",
            )
            with VerticalScroll(classes="form-body two-panes"):
                with VerticalGroup(classes="form-pane", id="form"):
                    with HorizontalGroup(classes="columns"):
                        yield from text_field(
                            "Company",
                            "company",
                            suggester=SuggestFromList(companies, case_sensitive=False),
                            placeholder="e.g. Hecla Mining Company",
                        )
                        yield from text_field(
                            "Employee", "employee", placeholder="e.g. Phillips S. Baker, Jr."
                        )
                    yield from text_field(
                        "Agreement id (suggested; type another to change it)",
                        "agreement-id",
                        placeholder="e.g. hecla-baker-2001-retention",
                    )
                    yield DateField("Effective (YYYY-MM-DD)", id="effective")
                    yield DateField("Expires (YYYY-MM-DD)", id="expires")
                    yield Static("Installments", classes="section-title")
                    self._rows += 1
                    with VerticalGroup(id="installment-rows"):
                        yield InstallmentRow(self._rows)
                    yield Static("", id="installments-error", classes="field-error -empty")
                    yield Button("Add installment", id="add-installment")
                    yield from short_field(
                        "Payment window",
                        "window",
                        "3",
                        "business days after each due date to pay without interest",
                        restrict=r"[0-9]*",
                    )
                    yield from short_field(
                        "Ends after termination",
                        "tail",
                        "4",
                        "business days after employment ends, the agreement ends",
                        restrict=r"[0-9]*",
                    )
                    yield from short_field(
                        "Late interest",
                        "rate",
                        "10",
                        "% a year, simple, on what is paid after the window",
                        restrict=r"[0-9.]*",
                    )
                    yield Label("Day count for the interest")
                    yield Select(
                        [(label, value) for value, label in DAY_COUNTS],
                        value=DayCount.ACT_365F,
                        allow_blank=False,
                        id="day-count",
                    )
                    yield from short_field(
                        "Business-day calendar",
                        "calendar",
                        "US",
                        "US federal holidays; or NYSE, GB, US-ID (Idaho)...",
                        suggester=SuggestFromList(["US", "NYSE"], case_sensitive=False),
                    )
                    yield Label("Terminations that accelerate the installments not yet due")
                    yield SelectionList[TerminationReason](
                        *[
                            (
                                REASON_SHORT[reason],
                                reason,
                                reason is TerminationReason.WITHOUT_CAUSE,
                            )
                            for reason in TerminationReason
                        ],
                        id="accelerate",
                    )
                    yield from text_field(
                        "Governing law (optional)", "law", placeholder="e.g. Idaho"
                    )
                with VerticalGroup(classes="form-pane preview-pane", id="preview-pane"):
                    yield Static("Preview", classes="section-title", id="preview-title")
                    yield Static("", id="preview-note")
                    yield Static("", id="summary", classes="summary")
                    yield Static("", id="preview-table")
            yield Static("", id="save-error", classes="field-error -empty")
            yield form_buttons("Save agreement")

    def ready(self) -> None:
        self._renumber()
        self.query_one("#preview-title", Static).update(
            f"Preview as of {day(self.tracker.as_of)} (the app's as-of date)"
        )
        self.query_one("#company", Input).focus()
        self._check()

    async def _add_row(self, due: dt.date | None = None, amount: str = "") -> InstallmentRow:
        self._rows += 1
        row = InstallmentRow(self._rows, due, amount)
        await self.query_one("#installment-rows").mount(row)
        self._renumber()
        return row

    def _renumber(self) -> None:
        for number, row in enumerate(self.query(InstallmentRow), start=1):
            row.query_one(".installment-title", Static).update(f"Installment {number}")

    # -- events --------------------------------------------------------------------------------

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        widget_id = event.input.id or ""
        self._touched.add(widget_id)
        if widget_id in ("company", "employee"):
            self._suggest_id()
        self._check()

    @on(DateField.Changed)
    def _date_changed(self, event: DateField.Changed) -> None:
        self._touched.add(event.field.id or "")
        if event.field.id == "effective":
            self._suggest_id()
        self._check()

    @on(Select.Changed)
    @on(SelectionList.SelectedChanged)
    def _choice_changed(self) -> None:
        self._check()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        if button == "add-installment":
            row = await self._add_row()
            row.due.input.focus()
            self._check()
        elif button.startswith("remove-"):
            await self.query_one(f"#installment-{button.removeprefix('remove-')}").remove()
            self._touched.add("installments")
            self._renumber()
            self._check()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter moves to the next field (never onto a Remove button: a second Enter there
        would remove the row)."""
        event.stop()
        focused = self.focus_next()
        if focused is not None and focused.has_class("remove"):
            self.focus_next()

    def _suggest_id(self) -> None:
        """Keep the id at its suggestion until the person types their own."""
        field = self.query_one("#agreement-id", Input)
        if "agreement-id" in self._touched and field.value.strip():
            return
        company = self.query_one("#company", Input).value
        employee = self.query_one("#employee", Input).value
        effective = self.query_one("#effective", DateField).value
        suggestion = suggest_agreement_id(company, employee, effective)
        if suggestion == "retention":  # nothing typed yet to suggest from
            suggestion = ""
        if field.value != suggestion:
            with field.prevent(Input.Changed):  # written by the form, not typed
                field.value = suggestion

    # -- checking ------------------------------------------------------------------------------

    def _text(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def _collect(self) -> tuple[dict[str, str], Terms | None]:
        """Every field checked on its own: (errors by widget id, the terms if all are valid)."""
        draft = Draft(
            texts={widget: self._text(widget) for widget in TEXT_FIELDS},
            effective=self.query_one("#effective", DateField).value,
            expires=self.query_one("#expires", DateField).value,
            rows=[(row.key, row.due.value, row.amount.value) for row in self.query(InstallmentRow)],
            day_count=DayCount(str(self.query_one("#day-count", Select).value)),
            accelerate_on=frozenset(self.query_one("#accelerate", SelectionList).selected),
        )
        return check_draft(draft, self.choices.taken)

    def _check(self) -> Terms | None:
        """Check every field, show the errors of those touched (all once Save was pressed),
        and the preview when everything is valid. Returns the terms if they can be saved."""
        errors, terms = self._collect()
        self.preview = None
        if terms is not None:
            try:
                self.preview = preview_terms(terms, self.tracker.as_of)
            except (AgreementError, ServiceError) as exc:
                errors[self._widget_for(exc.field)] = exc.message
                terms = None
        self.errors = errors
        self.terms = terms
        self._show_errors()
        self._show_preview()
        return terms

    def _row_keys(self) -> list[int]:
        return [row.key for row in self.query(InstallmentRow)]

    def _widget_for(self, field: str) -> str:
        return widget_for(field, self._row_keys())

    def _order(self) -> list[str]:
        return form_order(self._row_keys())

    def _visible(self, widget: str) -> bool:
        if widget == "agreement-id" and self.query_one("#agreement-id", Input).value:
            return True  # the form's own suggestion is checked as if typed
        return self._submitted or widget in self._touched

    def _show_errors(self) -> None:
        for widget in TEXT_FIELDS:
            message = self.errors.get(widget) if self._visible(widget) else None
            self._set_error(f"#{widget}-error", message)
        dates = [self.query_one("#effective", DateField), self.query_one("#expires", DateField)]
        dates += [row.due for row in self.query(InstallmentRow)]
        for field in dates:
            widget = field.id or ""
            if field.value is None:
                if self._submitted:
                    field.validate()  # why the text is not a date
                elif len(field.input.value.strip()) < 10:
                    field.set_error(None)  # still being typed
            else:
                field.set_error(self.errors.get(widget) if self._visible(widget) else None)
        for row in self.query(InstallmentRow):
            widget = f"amount-{row.key}"
            message = self.errors.get(widget) if self._visible(widget) else None
            self._set_error(f"#{widget}-error", message)
        message = self.errors.get("installments") if self._visible("installments") else None
        self._set_error("#installments-error", message)
        self._set_error("#save-error", self.errors.get("save"))

    def _set_error(self, selector: str, message: str | None) -> None:
        error = self.query_one(selector, Static)
        if str(error.content) != (message or ""):  # unchanged: no repaint on every key
            error.update(message or "")
        error.set_class(not message, "-empty")

    def _show_preview(self) -> None:
        shown = (self.terms, self.preview, tuple(self.errors))
        if shown == self._shown:
            return
        self._shown = shown
        note = self.query_one("#preview-note", Static)
        summary = self.query_one("#summary", Static)
        table = self.query_one("#preview-table", Static)
        if self.preview is None or self.terms is None:
            note.update(
                "The preview appears when every field is filled in and valid. Still to "
                f"complete or correct: {', '.join(labels(self.errors, self._row_keys()))}."
            )
            note.display = True
            summary.update("")
            table.update("")
            return
        note.display = False
        summary.update(describe_terms(self.terms))
        table.update(schedule_table(self.preview))

    # -- actions -------------------------------------------------------------------------------

    def action_save(self) -> None:
        if not self.is_ready or self.query_one("#save", Button).disabled:
            return  # still reading, or a save is on its way
        self._submitted = True
        terms = self._check()
        if terms is None:
            self._set_error(
                "#save-error", "Nothing was saved: correct the fields marked in red above."
            )
            self._focus_first_error()
            return

        def created(answer: object) -> None:
            self.query_one("#save", Button).disabled = False
            if isinstance(answer, REFUSALS):
                widget = self._widget_for(answer.field)
                self.errors[widget] = answer.message
                self._show_errors()
                self._set_error("#save-error", f"Nothing was saved: {answer.message}")
                return
            self.created = terms.id
            self.app.notify(f"Agreement {terms.id} saved for {terms.employee} ({terms.company}).")
            self.dismiss(True)

        self.query_one("#save", Button).disabled = True
        self.off_thread(
            "save",
            lambda: create_agreement(
                self.tracker.context, terms, source="entered in the terminal UI"
            ),
            created,
        )

    def _focus_first_error(self) -> None:
        for widget in self._order():
            if widget in self.errors and widget != "save":
                if widget == "installments":
                    self.query_one("#add-installment", Button).focus()
                    return
                found = self.query_one(f"#{widget}")
                target = found.input if isinstance(found, DateField) else found
                target.focus()
                return

    def action_cancel(self) -> None:
        self.dismiss(False)
