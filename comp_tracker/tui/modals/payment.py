"""Record a payment made to the employee under one agreement.

The form proposes the oldest installment with something owed on the date, and the full amount it
owes that day, late interest included; both follow the date as it is typed until the user picks
an installment or types an amount of their own (clearing the amount brings the proposal back).
The preview shows, before saving, how the engine applies the payment (interest first, then
principal, paragraph 3) and what stays owed after it, on the payment date and on the app's as-of
date. What the services refuse (an overpayment, a forfeited installment, a date before the
agreement) is shown beside the field it is about, and nothing is written.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Label, Select

from comp_tracker.domain import Status, standing_of
from comp_tracker.domain.money import ZERO
from comp_tracker.services.events.choices import (
    PaymentChoices,
    payment_choices,
)
from comp_tracker.services.events.preview import (
    PaymentPreview,
    preview_payment,
)
from comp_tracker.services.events.recording import record_payment

from ..widgets.date_field import DateField
from ..widgets.text import day, long_day, money, status_text
from .event_form import (
    AmountField,
    ErrorLine,
    EventForm,
)
from .event_views import (
    group,
    installment_owes,
    owed_line,
    schedule_table,
    table,
)
from .reading import Refusal

#: The installment choice meaning "none named: the oldest owed first, then the next".
ANY = 0


def _options(choices: PaymentChoices) -> list[tuple[str, int]]:
    options = [
        (f"{i.number} · {money(i.amount)} due {day(i.due)}", i.number) for i in choices.installments
    ]
    options.append(("Any: the oldest owed first, then the next", ANY))
    return options


class PaymentModal(EventForm[PaymentChoices, PaymentPreview]):
    """Record a payment on the agreement ``subject``; dismissed with True once saved."""

    HEADING = "Record a payment"
    HELP = (
        "A payment goes first to the installment's late interest, then to its principal. "
        "Proposed: all it owes on the date, interest included; type less for a "
        "part payment."
    )
    SAVE_LABEL = "Record payment"
    NOTE_PLACEHOLDER = "e.g. cheque 1042, approved by the CFO"

    def __init__(self, agreement_key: str) -> None:
        super().__init__(agreement_key)
        #: The amount and the installment follow the date until the user sets them.
        self.amount_auto = True
        #: The amount the form last proposed (the field's first value comes back as a change).
        self._proposed = ""
        self._proposed_installment: int | None = None
        self.installment_auto = True
        self._options: list[tuple[str, int]] = []

    def read_choices(self) -> PaymentChoices:
        return payment_choices(self.context, self.subject, self.as_of)

    def compose_fields(self) -> ComposeResult:
        choices = self.choices
        yield DateField("Date paid (YYYY-MM-DD)", self.as_of, calendar=self.calendar, id="date")
        self._options = _options(choices) if choices else [("", ANY)]
        default = choices.default_installment if choices else None
        self._proposed_installment = default
        yield Label("Installment")
        yield Select(
            self._options,
            value=default if default is not None else self._options[0][1],
            allow_blank=False,
            id="installment",
        )
        yield ErrorLine(id="installment-error")
        owed = choices.owed(default) if choices and default is not None else None
        self._proposed = money(owed) if owed else ""
        yield AmountField("Amount paid", self._proposed, id="amount")
        yield from self.note_field()

    # -- the fields -------------------------------------------------------------------------

    @property
    def amount_field(self) -> AmountField:
        return self.query_one("#amount", AmountField)

    @property
    def select(self) -> Select[int]:
        return self.query_one("#installment", Select)

    @property
    def installment(self) -> int | None:
        value = self.select.value
        return None if value == ANY or not isinstance(value, int) else value

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        # Picked by the user (the form's own proposals post no Changed; its first value does).
        self.installment_auto = event.value == self._proposed_installment
        self.refresh_form()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input is self.amount_field.input:
            event.stop()
            # Typed by the user (the form's own proposals post no Changed). Cleared: propose again.
            self.amount_auto = event.value.strip() in ("", self._proposed)
            self.refresh_form(propose=False)

    def error_target(self, field: str) -> DateField | AmountField | ErrorLine | None:
        last = field.rsplit(".", 1)[-1]
        if last == "date":
            return self.date_field
        if last == "amount":
            return self.amount_field
        if last == "installment":
            return self.query_one("#installment-error", ErrorLine)
        return None

    # -- the live figures and the preview ---------------------------------------------------

    def refresh_form(self, *, propose: bool = True, saving: bool = False) -> None:
        """Follow the date: the installments offered, the proposals (unless the amount is being
        typed), and the preview. An empty amount is an error only on saving. What is owed on a
        new date, and the preview, are asked of the services off the UI thread. On saving,
        nothing is proposed: what is recorded is what the fields say."""
        propose = propose and not saving
        date = self.start_over()
        if date is None:
            self.amount_field.set_hint("")
            self.show_preview(
                "Type the date the payment was made (YYYY-MM-DD) to see what is owed then."
            )
            return
        if self.choices is None or self.choices.date != date:
            self.show_preview(f"Reading what is owed on {long_day(date)}…")
            self.off_thread(
                "preview",
                lambda: payment_choices(self.context, self.subject, date),
                lambda answer: self._have_choices(answer, propose=propose, saving=saving),
            )
            return
        self._propose(self.choices, propose=propose, saving=saving)

    def _have_choices(
        self, answer: PaymentChoices | Refusal, *, propose: bool, saving: bool
    ) -> None:
        if not isinstance(answer, PaymentChoices):
            self.refuse_preview(answer)
            return
        self.choices = answer
        self._sync_options(answer)
        self._propose(answer, propose=propose, saving=saving)

    def _propose(self, choices: PaymentChoices, *, propose: bool, saving: bool) -> None:
        """The proposals for ``choices``' date, then the preview of the amount in the field."""
        if self.installment_auto and choices.default_installment is not None:
            self._proposed_installment = choices.default_installment
            with self.select.prevent(Select.Changed):
                self.select.value = choices.default_installment
        installment = self.installment
        owed = choices.owed(installment)
        if self.amount_auto and propose:
            self._proposed = money(owed) if owed else ""
            self.amount_field.set_text(self._proposed)
        self.amount_field.set_hint(self._owed_hint(choices, installment))
        typed = self.amount_field.text.strip()
        amount = self.read_amount(self.amount_field) if typed or saving else None
        self.show_preview(self._describe(choices, installment, None), "")
        if amount is None:
            self._save_asked = False
            return
        self.off_thread(
            "preview",
            lambda: preview_payment(
                self.context,
                self.subject,
                choices.date,
                amount,
                installment,
                as_of=self.as_of,
            ),
            lambda answer: self._have_preview(choices, installment, answer),
        )

    def _have_preview(
        self,
        choices: PaymentChoices,
        installment: int | None,
        answer: PaymentPreview | Refusal,
    ) -> None:
        if not isinstance(answer, PaymentPreview):
            self.refuse_preview(answer)
            return
        self.preview = answer
        self.show_preview(self._describe(choices, installment, answer), self._summary(answer))
        if self._save_asked:
            self._record(answer)

    def _sync_options(self, choices: PaymentChoices) -> None:
        """An amendment in force on one date and not another changes the installments."""
        options = _options(choices)
        if options == self._options:
            return
        self._options = options
        current = self.select.value
        with self.select.prevent(Select.Changed):
            self.select.set_options(options)
            values = [value for _, value in options]
            self.select.value = current if current in values else values[0]

    @staticmethod
    def _owed_hint(choices: PaymentChoices, installment: int | None) -> str:
        owed = choices.owed(installment)
        if installment is not None:
            state = choices.state(installment)
            if state is not None and state.status is Status.FORFEITED:
                return f"Installment {installment} was forfeited: nothing is payable on it."
            if state is not None and not owed:
                return f"Nothing is owed on installment {installment} that day (paid)."
            interest = state.interest_outstanding if state else ZERO
        else:
            interest = choices.schedule.interest_outstanding
            if not owed:
                return "Nothing is owed that day."
        extra = f" ({money(interest)} interest)" if interest else ""
        return f"Owed that day: {money(owed)}{extra}"

    def _describe(
        self, choices: PaymentChoices, installment: int | None, preview: PaymentPreview | None
    ) -> Any:
        date = choices.date
        if installment is not None and (state := choices.state(installment)) is not None:
            before = Text.assemble(
                f"Installment {installment} ({money(state.amount)}, due {day(state.due)}, "
                f"pay by {day(state.deadline)}) is ",
                status_text(state.status.value),
                f" on {long_day(date)}: it owes {installment_owes(state)}.",
            )
        else:
            owes = standing_of(choices.schedule).owed
            before = Text(
                f"On {long_day(date)} the agreement owes {money(owes)} "
                "in all; a payment naming no installment goes to the oldest owed first."
            )
        if preview is None:
            return group(before)
        applied = table(
            "Installment", "To interest", "To principal", right=("To interest", "To principal")
        )
        for part in preview.applied.allocations:
            applied.add_row(str(part.installment), money(part.interest), money(part.principal))
        heading = Text(
            f"The payment of {money(preview.payment.amount)} is applied interest first, "
            "then principal:",
            style="bold",
        )
        after = Text(f"\nAfter it, on {long_day(date)}:", style="bold")
        later = owed_line(preview.later, note=" (the app's date)") if preview.later else None
        warnings = Text("\n".join(preview.after.warnings), style="italic") or None
        return group(
            before,
            heading,
            applied,
            after,
            schedule_table(
                preview.after, changed=[p.installment for p in preview.applied.allocations]
            ),
            owed_line(preview.after),
            later,
            warnings,
        )

    @staticmethod
    def _summary(preview: PaymentPreview | None) -> str:
        if preview is None:
            return ""
        interest = sum((p.interest for p in preview.applied.allocations), ZERO)
        principal = sum((p.principal for p in preview.applied.allocations), ZERO)
        numbers = ", ".join(str(p.installment) for p in preview.applied.allocations)
        left = standing_of(preview.after).owed
        return (
            f"Preview: {money(preview.payment.amount)} paid on {day(preview.payment.date)} goes "
            f"{money(interest)} to interest and {money(principal)} to principal (installment "
            f"{numbers}); {money(left)} stays owed."
        )

    # -- saving -----------------------------------------------------------------------------

    def _record(self, preview: PaymentPreview) -> None:
        self._save_asked = False
        payment, note = preview.payment, self.note

        target = f" to installment {payment.installment}" if payment.installment else ""
        self.record(
            lambda: record_payment(
                self.context,
                self.subject,
                payment.date,
                payment.amount,
                payment.installment,
                note=note,
                expected_version=preview.version,
            ),
            lambda recorded: (
                f"Event #{recorded.event_id}: payment of {money(payment.amount)} on "
                f"{day(payment.date)}{target} ({self.subject})."
            ),
        )
