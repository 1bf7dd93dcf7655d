"""A date typed as YYYY-MM-DD, with its weekday and whether it is a business day shown beside it.

HR types dates from letters and bank statements; seeing "Saturday, not a business day" or
"Thursday, Independence Day" beside the field catches a slip before it is saved.
"""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from comp_tracker.domain import AgreementError, get_calendar
from comp_tracker.domain.inputs import read_date


def parse_day(text: str, field: str = "date") -> dt.date | str:
    """The date, or why the text is not one (for the field's error line): the engine's one rule
    for a typed date (``domain.inputs.read_date``), said as the CLI says it."""
    try:
        return read_date(text, field)
    except AgreementError as exc:
        return exc.message


def describe_day(value: dt.date, calendar: str = "US") -> str:
    """ "Monday, business day" / "Saturday, not a business day" / "Thursday, Independence Day
    (not a business day)", on the agreement's calendar."""
    weekday = f"{value:%A}"
    try:
        cal = get_calendar(calendar)
    except Exception:  # an unknown calendar code: the weekday is still worth showing
        return weekday
    if cal.is_business_day(value):
        return f"{weekday}, business day ({calendar})"
    name = cal.holiday_name(value)
    if name:
        return f"{weekday}, {name}: not a business day ({calendar})"
    return f"{weekday}: not a business day ({calendar})"


class DateField(Widget):
    """A labelled date input; ``value`` is the date typed, or None while it is not a date."""

    DEFAULT_CSS = """
    DateField { height: auto; }
    DateField > Horizontal { height: auto; }
    DateField Input { width: 18; }
    DateField .hint { padding: 1 1 0 1; color: $text-muted; width: 1fr; }
    DateField .error { color: $error; height: auto; }
    DateField .error.-empty { display: none; }
    """

    class Changed(Message):
        """The date changed (``value`` None while the text is not a date)."""

        def __init__(self, field: DateField, value: dt.date | None) -> None:
            super().__init__()
            self.field = field
            self.value = value

        @property
        def control(self) -> DateField:
            return self.field

    def __init__(
        self,
        label: str,
        value: dt.date | None = None,
        *,
        calendar: str = "US",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._label = label
        self._initial = value
        self.calendar = calendar
        self.value: dt.date | None = value

    def compose(self) -> ComposeResult:
        yield Label(self._label)
        with Horizontal():
            yield Input(
                value=self._initial.isoformat() if self._initial else "",
                placeholder="YYYY-MM-DD",
                max_length=10,
                restrict=r"[0-9-]*",
            )
            yield Static(self._hint(self._initial), classes="hint")
        yield Static("", classes="error -empty")

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    def _hint(self, value: dt.date | None) -> str:
        return describe_day(value, self.calendar) if value else ""

    def set_error(self, message: str | None) -> None:
        """Show ``message`` under the field (None clears it)."""
        error = self.query_one(".error", Static)
        error.update(message or "")
        error.set_class(not message, "-empty")

    def validate(self) -> dt.date | None:
        """The date, or None with the reason shown under the field."""
        parsed = parse_day(self.input.value)
        if isinstance(parsed, str):
            self.set_error(parsed)
            return None
        self.set_error(None)
        return parsed

    def set_calendar(self, calendar: str) -> None:
        self.calendar = calendar
        self.query_one(".hint", Static).update(self._hint(self.value))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        parsed = parse_day(event.value)
        self.value = parsed if isinstance(parsed, dt.date) else None
        self.query_one(".hint", Static).update(self._hint(self.value))
        if self.value is not None or len(event.value.strip()) >= 10:
            self.set_error(None if self.value else str(parsed))
        self.post_message(self.Changed(self, self.value))
