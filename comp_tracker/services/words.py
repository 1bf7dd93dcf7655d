"""Small pieces of plain English the UI's summaries share: "4th", "10%"."""

from __future__ import annotations

from decimal import Decimal


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def percent(rate: Decimal) -> str:
    """A yearly rate as a percentage: Decimal("0.10") is "10%", Decimal("0.0725") "7.25%"."""
    return f"{(rate * 100).normalize():f}%"
