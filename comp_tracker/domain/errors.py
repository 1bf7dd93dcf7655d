"""Errors the engine and the agreement file loader raise for bad input.

Each error names the field and the value that caused it, so the CLI can print it as one line and
the TUI can show it beside the field. They are the user's mistakes, never bugs: callers catch
:class:`AgreementError` and never show a traceback for it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal


def toml_string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped, so it stays on
    one line and reads back as the same string."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(
        c if (c >= " " or c == "\t") and c != "\x7f" else f"\\u{ord(c):04x}" for c in escaped
    )
    return f'"{escaped}"'


def show_value(value: object) -> str:
    """Render a value the way it is written in an agreement file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | Decimal | int):
        return str(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(show_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {show_value(v)}" for k, v in value.items()) + "}"
    return repr(value)


_MISSING = object()


class FieldError(ValueError):
    """A refusal as one line for the user: the ``field``, the offending ``value``, a ``reason``."""

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(self.message)

    @property
    def message(self) -> str:
        if self.value is _MISSING:
            return f"{self.field}: {self.reason}"
        return f"{self.field} = {show_value(self.value)}: {self.reason}"


class AgreementError(FieldError):
    """Bad agreement terms or events: ``field``, the offending ``value`` and a ``reason``."""


class ScheduleError(AgreementError):
    """Events that cannot happen to this agreement: an overpayment, a payment to a forfeited or
    unknown installment, an amendment that would rewrite what was already due."""


def missing() -> object:
    """The value to pass when a field is absent (the message then shows no value)."""
    return _MISSING
