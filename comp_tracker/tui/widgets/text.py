"""How the UI writes money, dates and statuses: one place, so every screen says it the same way."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rich.text import Text

from comp_tracker.domain.money import format_grouped

#: The colour of each installment or agreement status (Rich styles; the theme's own variables
#: are not available to Rich text, so these are chosen to read on light and dark themes).
STATUS_STYLES = {
    "overdue": "bold red",
    "due": "bold dark_orange",
    "in_window": "bold dark_orange",
    "upcoming": "bold blue",
    "scheduled": "",
    "active": "",
    "paid": "green",
    "ended": "dim",
    "forfeited": "dim strike",
    "cancelled": "dim strike",
}


def money(value: Decimal | None) -> str:
    """ "66,000.00"; an empty string for no value."""
    return "" if value is None else format_grouped(value)


def money_cell(value: Decimal | None) -> Text:
    """Money right-aligned for a table cell."""
    return Text(money(value), justify="right")


def day(value: dt.date | None) -> str:
    return "" if value is None else value.isoformat()


def long_day(value: dt.date) -> str:
    """ "Mon 30 Sep 2002": the weekday helps people check a date."""
    return f"{value:%a} {value.day} {value:%b %Y}"


def status_text(status: str) -> Text:
    label = status.replace("_", " ")
    return Text(label, style=STATUS_STYLES.get(status, ""))
