"""Record a written amendment of one agreement: extend it, or replace what is not yet due.

Paragraph 1 ("unless extended by mutual agreement") and paragraph 6 ("may be amended or cancelled
by mutual agreement of the parties in writing"): an amendment, in force from its date, can move the
expiry date, replace the installments not yet due on that date (with others, or with none), or
both; it never rewrites what was already due (``services.events.recording.record_amendment``).

Ticking "Replace the installments not yet due" fills in those installments as they stand, to edit,
remove or add to. The preview shows the schedule after the amendment, before saving.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Label, Static

from comp_tracker.domain import Installment
from comp_tracker.services.events.choices import (
    AmendmentChoices,
    amendment_choices,
)
from comp_tracker.services.events.preview import (
    AmendmentPreview,
    preview_amendment,
)
from comp_tracker.services.events.recording import record_amendment

from ..widgets.date_field import DateField
from ..widgets.text import day, long_day, money
from .event_form import (
    AmountField,
    ErrorLine,
    EventForm,
)
from .event_views import (
    ends_text,
    group,
    owed_line,
    schedule_table,
)
from .reading import Refusal


class InstallmentRow(Vertical):
    """One replacement installment: its due date and amount, and a button to remove it."""

    DEFAULT_CSS = """
    InstallmentRow { height: auto; margin-top: 1; }
    InstallmentRow > Horizontal { height: 1; }
    InstallmentRow > Horizontal > Label { width: 1fr; text-style: bold; }
    """

    def __init__(self, due: dt.date | None, amount: Decimal | None, calendar: str) -> None:
        super().__init__(classes="installment-row")
        self._due = due
        self._amount = amount
        self._calendar = calendar

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label("New installment", classes="row-title")
            yield Button("Remove", compact=True, classes="remove")
        yield DateField("Due (YYYY-MM-DD)", self._due, calendar=self._calendar)
        yield AmountField("Amount", money(self._amount) if self._amount else "")

    @property
    def due_field(self) -> DateField:
        return self.query_one(DateField)

    @property
    def amount_field(self) -> AmountField:
        return self.query_one(AmountField)

    def number(self, title: str) -> None:
        self.query_one(".row-title", Label).update(title)


class AmendModal(EventForm[AmendmentChoices, AmendmentPreview]):
    """Record an amendment of the agreement ``subject``; True once saved."""

    HEADING = "Amend / extend"
    HELP = (
        "A written amendment agreed by both parties, in force from its date. It can move the "
        "expiry date, replace the installments not yet due on its date, or both; "
        "it never changes what was already due."
    )
    SAVE_LABEL = "Record amendment"
    NOTE_PLACEHOLDER = "e.g. extension signed by both parties on 30 September 2002"

    def read_choices(self) -> AmendmentChoices:
        return amendment_choices(self.context, self.subject, self.as_of)

    def compose_fields(self) -> ComposeResult:
        calendar = self.calendar
        yield DateField("Amendment dated (YYYY-MM-DD)", self.as_of, calendar=calendar, id="date")
        yield DateField("New expiry date (empty: unchanged)", None, calendar=calendar, id="expires")
        yield Static("", classes="dialog-help", id="expires-now")
        yield Checkbox("Replace the installments not yet due", id="replace")
        rows = Vertical(id="rows")
        rows.display = False  # until "Replace" is ticked
        with rows:
            yield Button("Add an installment", compact=True, id="add")
        yield ErrorLine(id="installments-error")
        yield from self.note_field()

    # -- the fields -------------------------------------------------------------------------

    @property
    def expires_field(self) -> DateField:
        return self.query_one("#expires", DateField)

    @property
    def replacing(self) -> bool:
        return self.query_one("#replace", Checkbox).value

    @property
    def rows(self) -> list[InstallmentRow]:
        return list(self.query(InstallmentRow))

    def on_input_changed(self, event: Input.Changed) -> None:
        if any(isinstance(node, AmountField) for node in event.input.ancestors):
            event.stop()
            self.refresh_form()

    async def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        rows = self.query_one("#rows")
        rows.display = event.value
        if event.value and not self.rows and self.choices is not None:
            date = self.date_field.value or self.choices.date
            if date != self.choices.date:
                # What is not yet due on that date, asked off the UI thread, becomes the rows.
                self.off_thread(
                    "rows",
                    lambda: amendment_choices(self.context, self.subject, date),
                    self._have_rows,
                )
                return
            await self._fill_rows(self.choices)
        self.refresh_form()

    def _have_rows(self, answer: AmendmentChoices | Refusal) -> None:
        if not isinstance(answer, AmendmentChoices):
            self.show_error(answer)
            return
        self.choices = answer
        self.call_next(self._fill_rows, answer, True)

    async def _fill_rows(self, choices: AmendmentChoices, refresh: bool = False) -> None:
        """One row for each installment not yet due on ``choices``' date, to edit."""
        if not self.rows:
            for state in choices.replaceable:
                await self._add_row(state.due, state.amount)
        if refresh:
            self.refresh_form()

    @on(Button.Pressed, "#add")
    async def _add_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self._add_row(None, None)
        self.rows[-1].due_field.input.focus()
        self.refresh_form()

    @on(Button.Pressed, ".remove")
    async def _remove_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        row = next(a for a in event.button.ancestors if isinstance(a, InstallmentRow))
        await row.remove()
        self._number_rows()
        self.refresh_form()

    async def _add_row(self, due: dt.date | None, amount: Decimal | None) -> None:
        rows = self.query_one("#rows")
        await rows.mount(InstallmentRow(due, amount, self.calendar), before=rows.query_one("#add"))
        self._number_rows()

    def _number_rows(self) -> None:
        for number, row in enumerate(self.rows, start=1):
            row.number(f"New installment {number}")

    def error_target(self, field: str) -> DateField | AmountField | ErrorLine | None:
        if field == "amendment.date":
            return self.date_field
        if field == "amendment.expires":
            return self.expires_field
        if field.startswith("amendment.installments["):
            index = int(field.split("[", 1)[1].split("]", 1)[0]) - 1
            rows = self.rows
            if 0 <= index < len(rows):
                if field.endswith(".due"):
                    return rows[index].due_field
                return rows[index].amount_field
        if field.startswith("amendment.installments"):
            return self.query_one("#installments-error", ErrorLine)
        return None

    # -- reading the form -------------------------------------------------------------------

    def _expires(self, *, saving: bool) -> tuple[bool, dt.date | None]:
        """(valid, the new expiry or None to keep it); on saving, an unfinished date is marked."""
        field = self.expires_field
        if not field.input.value.strip():
            field.set_error(None)
            return True, None
        if field.value is None and saving:
            field.validate()
        return field.value is not None, field.value

    def _installments(self, *, saving: bool) -> tuple[bool, list[Installment] | None]:
        """(valid, the replacement installments or None when not replacing); the reason for
        each invalid one is shown beside it (an unfinished date only on saving)."""
        if not self.replacing:
            return True, None
        installments: list[Installment] = []
        valid = True
        for number, row in enumerate(self.rows, start=1):
            due = row.due_field.value if not saving else row.due_field.validate()
            amount = self.read_amount(row.amount_field, f"installment {number} amount")
            if due is None or amount is None:
                valid = False
                continue
            installments.append(Installment(due, amount))
        return valid, installments

    # -- the preview ------------------------------------------------------------------------

    def refresh_form(self, *, saving: bool = False) -> None:
        """Check the fields and ask for the preview (off the UI thread): first what the
        agreement is on the amendment's date, when that date is new."""
        date = self.start_over()
        if date is None:
            self.show_preview("Type the amendment's date (YYYY-MM-DD).")
            return
        if self.choices is None or self.choices.date != date:
            self.show_preview(f"Reading the agreement as it stands on {long_day(date)}…")
            self.off_thread(
                "preview",
                lambda: amendment_choices(self.context, self.subject, date),
                lambda answer: self._have_choices(answer, saving=saving),
            )
            return
        choices = self.choices
        self.query_one("#expires-now", Static).update(
            f"It expires on {day(choices.expires)} as it stands on {day(date)}."
        )
        expires_valid, expires = self._expires(saving=saving)
        installments_valid, installments = self._installments(saving=saving)
        if not (expires_valid and installments_valid):
            self._nothing_to_preview(
                "Finish the dates (YYYY-MM-DD) and correct what is marked in red to see the "
                "schedule after the amendment."
            )
            return
        if expires is None and installments is None:
            self._nothing_to_preview(
                "Type a new expiry date, or tick “Replace the installments not yet due”, to see "
                "the schedule after the amendment.",
                nothing=saving,
            )
            return
        self.show_preview("Working out the schedule after the amendment…")
        self.off_thread(
            "preview",
            lambda: preview_amendment(
                self.context,
                self.subject,
                date,
                expires=expires,
                installments=installments,
                as_of=self.as_of,
            ),
            self._have_preview,
        )

    def _have_choices(self, answer: AmendmentChoices | Refusal, *, saving: bool) -> None:
        if not isinstance(answer, AmendmentChoices):
            self.refuse_preview(answer)
            return
        self.choices = answer
        self.refresh_form(saving=saving)

    def _nothing_to_preview(self, message: str, *, nothing: bool = False) -> None:
        """No preview to show; on saving with no change at all, say there is nothing to record."""
        self._save_asked = False
        self.show_preview(message)
        if nothing:
            self.query_one("#form-error", ErrorLine).set_error(
                "Nothing to record: type a new expiry date or replace the installments."
            )

    def _have_preview(self, answer: AmendmentPreview | Refusal) -> None:
        if not isinstance(answer, AmendmentPreview):
            self.show_preview("")
            self.refuse_preview(answer)
            return
        self.preview = answer
        self.show_preview(self._describe(answer), self._summary(answer))
        if self._save_asked:
            self._record(answer)

    def _describe(self, preview: AmendmentPreview) -> Group:
        before, after, shown = preview.before, preview.after, preview.shown
        amendment = preview.amendment
        lines: list[RenderableType | None] = []
        expiry = Text("Expires: ", style="bold")
        expiry.append(day(after.terms.expires))
        if after.terms.expires != before.terms.expires:
            expiry.append(f" (was {day(before.terms.expires)})")
        else:
            expiry.append(" (unchanged)")
        lines.append(expiry)
        ends = Text("Ends: ", style="bold")
        ends.append(ends_text(after))
        if after.ends_on != before.ends_on:
            ends.append(f"; was {ends_text(before)}")
        lines.append(ends)
        new_numbers: list[int] = []
        if amendment.installments is not None:
            replaced = [i for i in before.installments if i.due > amendment.date]
            kept = len(before.installments) - len(replaced)
            new_numbers = list(range(kept + 1, kept + len(amendment.installments) + 1))
            if replaced:
                gone = "; ".join(
                    f"{i.number} · {money(i.amount)} due {day(i.due)}" for i in replaced
                )
                lines.append(Text(f"Replaced (not yet due on {day(amendment.date)}): {gone}"))
            else:
                lines.append(Text(f"No installment was still to come on {day(amendment.date)}."))
            if not amendment.installments:
                lines.append(Text("No new installment: those not yet due are cancelled."))
        lines.append(Text(f"\nThe schedule after it, as of {long_day(shown.as_of)}:", style="bold"))
        lines.append(schedule_table(shown, changed=new_numbers))
        lines.append(owed_line(shown))
        for warning in after.warnings:
            lines.append(Text(warning, style="italic"))
        return group(*lines)

    @staticmethod
    def _summary(preview: AmendmentPreview) -> str:
        before, after = preview.before, preview.after
        parts = []
        if after.terms.expires != before.terms.expires:
            parts.append(f"expires {day(after.terms.expires)} (was {day(before.terms.expires)})")
        if preview.amendment.installments is not None:
            new = preview.amendment.installments
            if new:
                listed = ", ".join(f"{money(i.amount)} due {day(i.due)}" for i in new)
                parts.append(f"installments not yet due become {listed}")
            else:
                parts.append("installments not yet due are cancelled")
        if not parts:
            parts.append("no change to the expiry or the installments")
        return f"Preview: {'; '.join(parts)}; ends {ends_text(after)}."

    # -- saving -----------------------------------------------------------------------------

    def _record(self, preview: AmendmentPreview) -> None:
        self._save_asked = False
        amendment, note = preview.amendment, self.note

        self.record(
            lambda: record_amendment(
                self.context,
                self.subject,
                amendment.date,
                expires=amendment.expires,
                installments=amendment.installments,
                note=note,
                expected_version=preview.version,
            ),
            lambda recorded: (
                f"Event #{recorded.event_id}: amendment of {self.subject} on {day(amendment.date)}."
            ),
        )
