"""What the four event forms share: the frame, the amount field, error routing, schedule tables.

The forms (payment.py, terminate.py, change_control.py, amend.py) each record one event through
:mod:`comp_tracker.services.events.recording`, after showing what it would do
(:mod:`comp_tracker.services.events.preview`). The frame puts the fields and the preview in a body
that scrolls between the title and the buttons, so Save stays in view at 80x24. Enter moves to the
next field (a form is saved with the Save button or Ctrl+S, never by accident); Escape cancels.

A refusal from the services carries the field it is about (``payment.amount``,
``termination.date``, ``amendment.installments[2].due``): :meth:`EventForm.show_error` puts the
message beside that field, or under the preview when it is about no field of the form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import ClassVar, Generic, Protocol, TypeVar, runtime_checkable

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from comp_tracker.domain import AgreementError
from comp_tracker.domain.inputs import read_amount
from comp_tracker.services.events.planning import Recorded
from comp_tracker.services.events.preview import OwnerEventPreview

from ..widgets.buttons import form_buttons
from ..widgets.date_field import DateField
from .event_views import effects_summary, effects_view
from .reading import REFUSALS, ReadsFirst, Refusal

__all__ = ["REFUSALS", "AmountField", "ErrorLine", "EventForm", "Refusal"]


#: From this width on, the preview goes beside the fields instead of below them.
WIDE = 110


class ErrorLine(Static):
    """Why the field above it (or the form) cannot be saved; hidden while there is nothing."""

    DEFAULT_CSS = """
    ErrorLine { display: none; }
    ErrorLine.-shown { display: block; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", classes="field-error", id=id)
        self._message = ""

    def set_error(self, message: str | None) -> None:
        if (message or "") == self._message:
            return  # unchanged: no new layout while a person types
        self._message = message or ""
        self.update(self._message)
        self.set_class(bool(message), "-shown")


class AmountField(Widget):
    """A labelled amount ("66000.00" or "66,000.00"), a hint beside it, an error line under it."""

    DEFAULT_CSS = """
    AmountField { height: auto; }
    AmountField > Horizontal { height: auto; }
    AmountField Input { width: 20; }
    AmountField .hint { padding: 1 1 0 1; color: $text-muted; width: 1fr; height: auto; }
    """

    def __init__(self, label: str, value: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._label = label
        self._initial = value
        self._hint = ""

    def compose(self) -> ComposeResult:
        yield Label(self._label)
        with Horizontal():
            yield Input(value=self._initial, placeholder="e.g. 66000.00", restrict=r"[0-9.,$ -]*")
            yield Static("", classes="hint")
        yield ErrorLine()

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def text(self) -> str:
        return self.input.value

    def set_text(self, text: str) -> None:
        """Change the amount without it counting as typed by the user (no Input.Changed)."""
        with self.input.prevent(Input.Changed):
            self.input.value = text

    def set_hint(self, hint: str) -> None:
        if hint != self._hint:
            self._hint = hint
            self.query_one(".hint", Static).update(hint)

    def set_error(self, message: str | None) -> None:
        self.query_one(ErrorLine).set_error(message)

    def read(self, field: str = "amount") -> Decimal:
        """The amount; raises :class:`AgreementError` (naming ``field``) if it is not one."""
        return read_amount(self.text, field)


class Choices(Protocol):
    """What every form reads first: at least the business calendar of its date field."""

    @property
    def calendar(self) -> str: ...


ChoicesT = TypeVar("ChoicesT", bound=Choices)
PreviewT = TypeVar("PreviewT")


@runtime_checkable
class Party(Protocol):
    @property
    def employee(self) -> str: ...

    @property
    def company(self) -> str: ...


def party(choices: object) -> str:
    """ "Phillips S. Baker, Jr. (Hecla Mining Company). ", or nothing until it is read (or
    where the form is about a company, not one agreement)."""
    return f"{choices.employee} ({choices.company}). " if isinstance(choices, Party) else ""


class EventForm(ReadsFirst[bool], Generic[ChoicesT, PreviewT]):
    """The frame of an event form. Subclasses read what the form offers (:meth:`read_choices`,
    off the UI thread), give the title, the help line and the fields (the event's date in a
    DateField ``#date``), show a first preview and follow every change (:meth:`refresh_form`),
    say where each error goes (:meth:`error_target`) and save (:meth:`save`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]
    #: The title's first words; the subject follows ("Record a payment · HL-2000-BAKER").
    HEADING = ""
    #: The help line under the title, after the parties to the agreement (once read).
    HELP = ""
    SAVE_LABEL = "Save"
    NOTE_PLACEHOLDER = ""
    DIALOG_CLASSES = "dialog event-form"
    _error_shown = False

    def __init__(self, subject: str) -> None:
        super().__init__()
        #: What the event is about: an agreement's id, or a company's name.
        self.subject = subject
        self.choices: ChoicesT | None = None
        #: The last preview that came back (the one Save records against).
        self.preview: PreviewT | None = None
        #: Save was pressed: record once the preview of the fields comes back without refusal.
        self._save_asked = False

    def read(self) -> None:
        self.choices = self.read_choices()

    def read_choices(self) -> ChoicesT:
        """What the form offers, read in a worker thread."""
        raise NotImplementedError

    @property
    def calendar(self) -> str:
        """The business calendar of the form's dates (the US one until the agreement is read)."""
        return self.choices.calendar if self.choices is not None else "US"

    @property
    def date_field(self) -> DateField:
        return self.query_one("#date", DateField)

    def on_date_field_changed(self, event: DateField.Changed) -> None:
        event.stop()
        self.refresh_form()

    # -- layout -----------------------------------------------------------------------------

    def compose_form(self) -> ComposeResult:
        with Vertical(classes=self.DIALOG_CLASSES):
            yield Static(self.title_text(), classes="dialog-title", id="title")
            with VerticalScroll(classes="form-body", id="body"):
                yield Static(self.help_text(), classes="dialog-help", id="help")
                with Container(classes="form-columns"):
                    with Vertical(classes="form-fields"):
                        yield from self.compose_fields()
                    with Vertical(classes="form-preview"):
                        yield Static("", classes="preview", id="preview")
                        yield ErrorLine(id="form-error")
            yield Static("", classes="form-summary", id="summary")
            yield form_buttons(self.SAVE_LABEL)

    def on_resize(self) -> None:
        # Wide enough: the preview beside the fields; otherwise below them.
        self.set_class(self.size.width >= WIDE, "-wide")

    def title_text(self) -> str:
        return f"{self.HEADING} · {self.subject}"

    def help_text(self) -> str:
        return f"{party(self.choices)}{self.HELP}"

    def compose_fields(self) -> ComposeResult:
        yield from ()

    def note_field(self) -> ComposeResult:
        yield Label("Note for the record (optional)")
        yield Input(placeholder=self.NOTE_PLACEHOLDER, id="note")

    @property
    def note(self) -> str | None:
        return self.query_one("#note", Input).value.strip() or None

    def ready(self) -> None:
        """The first date field has the focus; the reason the form cannot be used, or the
        first preview, is shown."""
        self.query(DateField).first().input.focus()
        if self.read_error is not None:
            self.show_error(self.read_error)
            self.saving(True)
            return
        self.refresh_form()

    def refresh_form(self, *, saving: bool = False) -> None:
        """Check the fields and show the preview (again) after a change. ``saving``: Save was
        pressed, so an unfinished field is an error, and a preview without refusal is recorded
        (forms that record without a second preview override :meth:`save` and ignore it)."""

    # -- showing ----------------------------------------------------------------------------

    def show_preview(self, content: RenderableType, summary: RenderableType | None = None) -> None:
        """The preview, and its gist on the line above the buttons (always in view; an error
        shown since :meth:`clear_errors` stays there instead)."""
        self._update("#preview", content)
        if summary is not None and not self._error_shown:
            self._update("#summary", summary)

    def _update(self, selector: str, content: RenderableType) -> None:
        """Update a Static unless it already shows this text (no new layout per key typed)."""
        widget = self.query_one(selector, Static)
        if isinstance(content, str) and content == widget.content:
            return
        widget.update(content)

    def error_target(self, field: str) -> DateField | AmountField | ErrorLine | None:
        """The widget showing errors about the service field ``field`` (None: the form's line)."""
        return None

    def show_error(
        self, exc: Refusal, target: DateField | AmountField | ErrorLine | None = None
    ) -> None:
        """``exc.message`` beside the field it is about (``target``, or the one
        :meth:`error_target` names), and on the line above the buttons."""
        target = target or self.error_target(exc.field) or self.query_one("#form-error", ErrorLine)
        target.set_error(exc.message)
        summary = self.query_one("#summary", Static)
        summary.update(Text(f"Cannot be saved: {exc.message}", style="bold red"))
        self._error_shown = True

    def refuse_preview(self, exc: Refusal) -> None:
        """The services refused what the fields say: the reason shown (beside its field), and a
        save asked for waits no more."""
        self._save_asked = False
        self.show_error(exc)

    def start_over(self) -> dt.date | None:
        """Before a new preview: forget the last one (and any answer still to come) and the
        services' errors; the date in the field, or None (a save asked for waits no more)."""
        self.preview = None
        self.drop("preview")
        self.clear_errors()
        date = self.date_field.value
        if date is None:
            self._save_asked = False
        return date

    def clear_errors(self) -> None:
        """Clear the errors the services gave (each field's own parsing error is shown again by
        the next check)."""
        self._error_shown = False
        self._update("#summary", "")
        for line in self.query(ErrorLine):
            line.set_error(None)
        for field in self.query(AmountField):
            field.set_error(None)
        for date_field in self.query(DateField):
            if date_field.value is not None:
                date_field.set_error(None)

    def read_amount(self, field: AmountField, name: str = "amount") -> Decimal | None:
        """The amount in ``field``, or None with the reason shown beside it."""
        try:
            return field.read(name)
        except AgreementError as exc:
            self.show_error(exc, field)
            return None

    def saving(self, busy: bool) -> None:
        self.query_one("#save", Button).disabled = busy

    # -- actions ----------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter goes to the next field: only Save (or Ctrl+S) saves."""
        event.stop()
        self.focus_next()

    def action_save(self) -> None:
        if not self.query_one("#save", Button).disabled:
            self.save()

    def save(self) -> None:
        """Check the fields and preview them once more (what is recorded is what was shown),
        then record, both off the UI thread."""
        if self.date_field.value is None:
            self.date_field.validate()
            return
        self._save_asked = True
        self.refresh_form(saving=True)

    def record(self, ask: Callable[[], Recorded], said: Callable[[Recorded], str]) -> None:
        """Save off the UI thread: ``ask`` records; then the form closes with ``said`` of what
        was recorded, or stays open with the refusal beside its field."""

        def recorded(answer: Recorded | Refusal) -> None:
            if isinstance(answer, Recorded):
                self.saved(said(answer))
            else:
                self.refused(answer)

        self.saving(True)
        self.off_thread("save", ask, recorded)

    def refused(self, exc: Refusal) -> None:
        """The save was refused: the reason beside its field, and Save usable again."""
        self.saving(False)
        self.show_error(exc)

    def saved(self, message: str) -> None:
        self.app.notify(message, title="Recorded")
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class OwnerEventForm(EventForm[ChoicesT, OwnerEventPreview]):
    """The form of an event of a person or of a company (a termination, a change in control):
    it reaches every agreement of theirs in force on its date, which the preview lists."""

    def error_target(self, field: str) -> DateField | AmountField | ErrorLine | None:
        # The date decides which agreements and installments the event reaches: a refusal about
        # an agreement's events (a later payment it would make impossible) is about it too.
        if field.endswith(".date") or field.startswith("event #"):
            return self.date_field
        return None

    def show_effects(self, what: str, answer: OwnerEventPreview | Refusal) -> None:
        """The preview's answer: what ``what`` does to each agreement, or the refusal."""
        if isinstance(answer, OwnerEventPreview):
            self.preview = answer
            self.show_preview(effects_view(answer, what), effects_summary(answer))
        else:
            self.show_preview("")
            self.refuse_preview(answer)
