"""Money is Decimal, never float.

Every amount in comp-tracker is a :class:`~decimal.Decimal`. Amounts typed by people have at most
two decimals; computed amounts (late interest, ratable earnings) are rounded half-up to cents only
at the points the rules name, never in between.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

ZERO = Decimal("0.00")
CENT = Decimal("0.01")

#: Arithmetic context for the engine: 34 significant digits, so intermediate interest and
#: ratable fractions carry far more precision than a cent needs, whatever the caller's context.
ENGINE_CONTEXT = Context(prec=34)


def round_cents(value: Decimal) -> Decimal:
    """Round half-up to cents: 0.005 -> 0.01, the convention of invoices and payroll."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def is_cents(value: Decimal) -> bool:
    """True if the Decimal is finite and a whole number of cents ("1.500" is; "1.505" is not).

    Reads the digits rather than quantizing, which would fail on a number longer than the
    context's precision: whatever a person types must get an answer, not an exception.
    """
    if not value.is_finite():
        return False
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    extra = -2 - exponent  # digits written below the cents
    return extra <= 0 or not any(digits[-extra:])


def to_decimal(value: object) -> Decimal | None:
    """Read a Decimal from a string, int or Decimal, or return None if it is not a number."""
    if isinstance(value, bool | float):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            return None
        return result if result.is_finite() else None
    return None


def format_money(value: Decimal) -> str:
    """Two decimals, no thousands separator: the form of the JSON interface."""
    return f"{value.quantize(CENT):f}"


def format_grouped(value: Decimal) -> str:
    """Thousands separators, for people reading ("66,036.16"); files and JSON use format_money."""
    return f"{value:,.2f}"


def to_cents(value: Decimal) -> int:
    """A whole number of cents, as the database keeps money ("66000.00" -> 6600000)."""
    if not is_cents(value):
        raise ValueError(f"{value} is not a whole number of cents")
    return int(value.scaleb(2))


def from_cents(cents: int) -> Decimal:
    """Decimal dollars from integer cents (6600000 -> Decimal("66000.00"))."""
    return Decimal(cents).scaleb(-2)
