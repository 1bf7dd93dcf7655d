"""What people type, read one way everywhere: the CLI's options and the terminal UI's fields.

One reader per kind of input, each with one rule, so the same text is accepted or refused (with the
same message) whichever way it comes in. Each raises :class:`~comp_tracker.domain.AgreementError`
naming ``field`` (a form field, or the CLI's option such as ``--amount``) and the text.

    >>> read_amount("66,000.00"), read_amount("$66000")
    (Decimal('66000.00'), Decimal('66000'))
    >>> try:
    ...     read_amount("6,6000.5")
    ... except AgreementError as refused:
    ...     print(refused.message)
    amount = "6,6000.5": not an amount: write it like 66000.00 or 66,000.00
    >>> read_percent("10"), read_date("2002-06-30", "--date")
    (Decimal('0.1'), datetime.date(2002, 6, 30))
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from .errors import AgreementError, missing
from .validation import check_amount

#: Digits with no separators, or thousands separated by commas in groups of three; a sign is
#: let through so that "-5" is refused for what it is (not positive) rather than as gibberish.
_AMOUNT = re.compile(r"-?(\d+|\d{1,3}(,\d{3})+)(\.\d*)?")
_WHOLE = re.compile(r"\d+")


def read_amount(text: str, field: str = "amount") -> Decimal:
    """An amount as people type it: ``66000``, ``66000.00``, ``66,000.00`` or ``$66,000.00``.

    Refuses misgrouped separators (``6,6000.5``, ``66,00``), exponents (``1e3``), and an amount
    that is not positive, has more than two decimals or is absurdly large.
    """
    cleaned = text.strip().removeprefix("$").strip()
    if not cleaned:
        raise AgreementError(field, missing(), "required: write it like 66000.00")
    if not _AMOUNT.fullmatch(cleaned):
        raise AgreementError(field, text, "not an amount: write it like 66000.00 or 66,000.00")
    value = Decimal(cleaned.replace(",", ""))
    check_amount(field, value)
    return value


def read_date(text: str, field: str = "date") -> dt.date:
    """A calendar date written YYYY-MM-DD."""
    cleaned = text.strip()
    if not cleaned:
        raise AgreementError(field, missing(), "required: write it YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(cleaned)
    except ValueError:
        raise AgreementError(field, text, "not a date: write it YYYY-MM-DD") from None


def read_reason(text: str, field: str = "reason") -> str:
    """Why an event is void: required, spaces at either end dropped."""
    if not text.strip():
        raise AgreementError(field, text, "say why the event is void")
    return text.strip()


def read_installment(text: str | int, field: str = "installment") -> int:
    """An installment's number, counted from 1 in due-date order."""
    if isinstance(text, int) and not isinstance(text, bool):
        number = text
    elif isinstance(text, str) and _WHOLE.fullmatch(text.strip()):
        number = int(text.strip())
    else:
        raise AgreementError(field, text, "not an installment number: write it 1, 2, ...")
    if number < 1:
        raise AgreementError(field, number, "installments count from 1")
    return number


def read_percent(text: str, field: str = "percent") -> Decimal:
    """A percent as people type it (``10``, ``10%``, ``7.5``), returned as a fraction (0.1)."""
    cleaned = text.strip().removesuffix("%").strip()
    if not cleaned:
        raise AgreementError(field, missing(), "required: write it like 10 for ten percent")
    if not re.fullmatch(r"\d+(\.\d*)?|\.\d+", cleaned):
        raise AgreementError(field, text, "not a percent: write it like 10 for ten percent")
    value = Decimal(cleaned)
    if value > 100:
        raise AgreementError(field, text, "must be from 0% to 100%")
    return value / 100
