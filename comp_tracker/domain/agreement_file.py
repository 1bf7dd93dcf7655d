"""The agreement file: one agreement and its events in TOML.

Read with :func:`load_agreement` / :func:`parse_agreement`; written back with
:func:`dump_agreement` (a round trip gives the same terms and events). Reading is strict: a
missing or unknown field, a wrong type, an amount with more than two decimals or any event the
engine cannot apply is refused with an :class:`AgreementError` naming the field and the value.
Installments and events are counted from 1 in the order they stand in the file.

Amounts and rates may be TOML strings ("66000.00") or numbers (66000.00); numbers are read as
decimals (``tomllib`` with ``parse_float=Decimal``), never through float arithmetic.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import MISSING, dataclass, fields
from decimal import Decimal
from pathlib import Path
from typing import Any

from .daycount import DayCount
from .errors import AgreementError, missing, toml_string
from .model import (
    Amendment,
    ChangeInControl,
    Event,
    Installment,
    Payment,
    Schedule,
    Termination,
    TerminationReason,
    Terms,
)
from .money import format_money, to_decimal
from .validation import check_amount, validate

# The keys of [agreement] are the fields of Terms: those without a default are required.
_TERMS_REQUIRED = tuple(f.name for f in fields(Terms) if f.default is MISSING)
_TERMS_OPTIONAL = tuple(f.name for f in fields(Terms) if f.default is not MISSING)
_EVENT_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # type: (required, optional), besides "type"
    "payment": (("date", "amount"), ("installment",)),
    "termination": (("date", "reason"), ()),
    "change_in_control": (("date",), ()),
    "amendment": (("date",), ("expires", "installments")),
}
_REASONS = ", ".join(r.value for r in TerminationReason)


@dataclass(frozen=True, slots=True)
class AgreementFile:
    """A validated agreement: its terms and its events, in file order."""

    terms: Terms
    events: tuple[Event, ...]
    #: The schedule as of the last event's date, computed while validating.
    validated: Schedule


def load_agreement(path: str | Path) -> AgreementFile:
    """Read and validate an agreement file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AgreementError("file", str(path), "no such file") from None
    except IsADirectoryError:
        raise AgreementError("file", str(path), "is a directory, not an agreement file") from None
    except UnicodeDecodeError:
        raise AgreementError("file", str(path), "is not UTF-8 text") from None
    except OSError as exc:
        raise AgreementError("file", str(path), exc.strerror or "cannot be read") from None
    return parse_agreement(text)


def parse_agreement(text: str) -> AgreementFile:
    """Parse and validate the TOML text of an agreement file."""
    try:
        document = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise AgreementError("TOML", missing(), f"syntax error: {exc}") from None
    _check_keys(document, "", required=("agreement",), optional=("events",))
    agreement = _table(document["agreement"], "agreement")
    terms = _read_terms(agreement)
    raw_events = document.get("events", [])
    if not isinstance(raw_events, list):
        raise AgreementError("events", raw_events, "must be a list of [[events]] tables")
    events = tuple(
        _read_event(_table(raw, f"events[{n}]"), f"events[{n}]")
        for n, raw in enumerate(raw_events, start=1)
    )
    schedule = validate(terms, events)
    return AgreementFile(terms=terms, events=events, validated=schedule)


# -- reading ----------------------------------------------------------------------------------


def _check_keys(
    table: Mapping[str, Any], where: str, required: Sequence[str], optional: Sequence[str]
) -> None:
    prefix = f"{where}." if where else ""
    for key, value in table.items():
        if key not in required and key not in optional:
            allowed = ", ".join([*required, *optional])
            raise AgreementError(f"{prefix}{key}", value, f"unknown field (expected: {allowed})")
    for key in required:
        if key not in table:
            raise AgreementError(f"{prefix}{key}", missing(), "is required")


def _table(value: object, field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise AgreementError(field, value, "must be a table")
    return value


def _string(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise AgreementError(field, value, "must be a non-empty string")
    return value.strip()


def _date(value: object, field: str) -> dt.date:
    if isinstance(value, dt.datetime | dt.time):
        raise AgreementError(field, value, "must be a date without a time, e.g. 2002-06-30")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise AgreementError(field, value, "must be a date written YYYY-MM-DD")


def _amount(value: object, field: str) -> Decimal:
    amount = to_decimal(value)
    if amount is None:
        raise AgreementError(field, value, 'must be an amount such as "66000.00"')
    check_amount(field, amount)
    return amount


def _whole(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise AgreementError(field, value, "must be a whole number")
    return value


def _installments(value: object, field: str) -> tuple[Installment, ...]:
    if not isinstance(value, list):
        raise AgreementError(field, value, "must be a list of tables with due and amount")
    result = []
    for n, raw in enumerate(value, start=1):
        where = f"{field}[{n}]"
        table = _table(raw, where)
        _check_keys(table, where, required=("due", "amount"), optional=())
        result.append(
            Installment(
                _date(table["due"], f"{where}.due"), _amount(table["amount"], f"{where}.amount")
            )
        )
    return tuple(result)


def _read_terms(table: dict[str, Any]) -> Terms:
    _check_keys(table, "agreement", _TERMS_REQUIRED, _TERMS_OPTIONAL)
    options: dict[str, Any] = {}
    if "calendar" in table:
        options["calendar"] = _string(table["calendar"], "agreement.calendar")
    for name in ("payment_window_business_days", "end_after_termination_business_days"):
        if name in table:
            options[name] = _whole(table[name], f"agreement.{name}")
    if "late_interest_rate" in table:
        rate = to_decimal(table["late_interest_rate"])
        if rate is None:
            raise AgreementError(
                "agreement.late_interest_rate",
                table["late_interest_rate"],
                'must be a yearly rate written as a fraction, e.g. "0.10" for 10%',
            )
        options["late_interest_rate"] = rate
    if "day_count" in table:
        raw = table["day_count"]
        try:
            options["day_count"] = DayCount(raw)
        except ValueError:
            choices = ", ".join(d.value for d in DayCount)
            raise AgreementError("agreement.day_count", raw, f"must be one of {choices}") from None
    if "accelerate_on" in table:
        raw = table["accelerate_on"]
        if not isinstance(raw, list):
            raise AgreementError("agreement.accelerate_on", raw, f"must be a list of: {_REASONS}")
        options["accelerate_on"] = frozenset(
            _reason(r, f"agreement.accelerate_on[{n}]") for n, r in enumerate(raw, start=1)
        )
    if "governing_law" in table:
        options["governing_law"] = _string(table["governing_law"], "agreement.governing_law")
    return Terms(
        id=_string(table["id"], "agreement.id"),
        company=_string(table["company"], "agreement.company"),
        employee=_string(table["employee"], "agreement.employee"),
        effective=_date(table["effective"], "agreement.effective"),
        expires=_date(table["expires"], "agreement.expires"),
        installments=_installments(table["installments"], "agreement.installments"),
        **options,
    )


def _reason(value: object, field: str) -> TerminationReason:
    if isinstance(value, str) and value in TerminationReason.__members__.values():
        return TerminationReason(value)
    raise AgreementError(field, value, f"unknown reason (expected one of: {_REASONS})")


def _read_event(table: dict[str, Any], ref: str) -> Event:
    if "type" not in table:
        raise AgreementError(f"{ref}.type", missing(), f"is required ({', '.join(_EVENT_FIELDS)})")
    kind = table["type"]
    if kind not in _EVENT_FIELDS:
        raise AgreementError(
            f"{ref}.type", kind, f"unknown event type (expected one of: {', '.join(_EVENT_FIELDS)})"
        )
    required, optional = _EVENT_FIELDS[kind]
    _check_keys(table, ref, ("type", *required), optional)
    on = _date(table["date"], f"{ref}.date")
    if kind == "payment":
        installment = table.get("installment")
        return Payment(
            date=on,
            amount=_amount(table["amount"], f"{ref}.amount"),
            installment=None if installment is None else _whole(installment, f"{ref}.installment"),
            ref=ref,
        )
    if kind == "termination":
        return Termination(date=on, reason=_reason(table["reason"], f"{ref}.reason"), ref=ref)
    if kind == "change_in_control":
        return ChangeInControl(date=on, ref=ref)
    return Amendment(
        date=on,
        expires=_date(table["expires"], f"{ref}.expires") if "expires" in table else None,
        installments=(
            _installments(table["installments"], f"{ref}.installments")
            if "installments" in table
            else None
        ),
        ref=ref,
    )


# -- writing ----------------------------------------------------------------------------------


def _installment_lines(table: str, installments: Iterable[Installment]) -> list[str]:
    lines = []
    for installment in installments:
        lines += [
            "",
            f"[[{table}]]",
            f"due = {installment.due.isoformat()}",
            f'amount = "{format_money(installment.amount)}"',
        ]
    return lines


def dump_agreement(terms: Terms, events: Iterable[Event] = ()) -> str:
    """Write terms and events as an agreement file (every field explicit)."""
    reasons = ", ".join(toml_string(r.value) for r in TerminationReason if r in terms.accelerate_on)
    lines = [
        "[agreement]",
        f"id = {toml_string(terms.id)}",
        f"company = {toml_string(terms.company)}",
        f"employee = {toml_string(terms.employee)}",
        f"effective = {terms.effective.isoformat()}",
        f"expires = {terms.expires.isoformat()}",
        f"calendar = {toml_string(terms.calendar)}",
        f"payment_window_business_days = {terms.payment_window_business_days}",
        f"end_after_termination_business_days = {terms.end_after_termination_business_days}",
        f'late_interest_rate = "{terms.late_interest_rate}"',
        f"day_count = {toml_string(terms.day_count.value)}",
        f"accelerate_on = [{reasons}]",
    ]
    if terms.governing_law is not None:
        lines.append(f"governing_law = {toml_string(terms.governing_law)}")
    lines += _installment_lines("agreement.installments", terms.installments)
    for event in events:
        lines += ["", "[[events]]"]
        if isinstance(event, Payment):
            lines += ['type = "payment"', f"date = {event.date.isoformat()}"]
            lines.append(f'amount = "{format_money(event.amount)}"')
            if event.installment is not None:
                lines.append(f"installment = {event.installment}")
        elif isinstance(event, Termination):
            lines += ['type = "termination"', f"date = {event.date.isoformat()}"]
            lines.append(f'reason = "{event.reason.value}"')
        elif isinstance(event, ChangeInControl):
            lines += ['type = "change_in_control"', f"date = {event.date.isoformat()}"]
        else:
            lines += ['type = "amendment"', f"date = {event.date.isoformat()}"]
            if event.expires is not None:
                lines.append(f"expires = {event.expires.isoformat()}")
            if event.installments is not None:
                if event.installments:
                    lines += _installment_lines("events.installments", event.installments)
                else:
                    lines.append("installments = []")
    return "\n".join(lines) + "\n"
