"""The new-agreement form's checks: each field on its own, with the domain's own message.

A field is checked by putting what was typed into terms that pass every other check and asking
the domain (``validate_terms``), so each field gets the message the import would give, whatever
the other fields hold. Pure: the form hands over what its fields hold (:class:`Draft`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from comp_tracker.domain import (
    AgreementError,
    DayCount,
    Installment,
    TerminationReason,
    Terms,
    validate_terms,
)
from comp_tracker.domain.errors import missing
from comp_tracker.domain.inputs import read_amount, read_percent
from comp_tracker.services.context import ServiceError

#: Terms every check passes: a field is checked by putting the typed value into these and asking
#: the domain, so each field gets the domain's own message whatever the other fields hold.
_PROBE = Terms(
    id="probe",
    company="probe",
    employee="probe",
    effective=dt.date(1900, 1, 1),
    expires=dt.date(9999, 12, 31),
    installments=(Installment(dt.date(1900, 1, 1), Decimal(1)),),
)

DAY_COUNTS = (
    (DayCount.ACT_365F, "ACT/365F: actual days / 365"),
    (DayCount.ACT_360, "ACT/360: actual days / 360"),
    (DayCount.THIRTY_360, "30/360: 30-day months, 360-day year"),
)

#: The form's text fields: widget id -> the field of the terms it holds.
TEXT_FIELDS = {
    "company": "company",
    "employee": "employee",
    "agreement-id": "id",
    "window": "payment_window_business_days",
    "tail": "end_after_termination_business_days",
    "rate": "late_interest_rate",
    "calendar": "calendar",
    "law": "governing_law",
}
#: What the preview's list of fields still to complete calls each field.
LABELS = {
    "company": "company",
    "employee": "employee",
    "agreement-id": "agreement id",
    "effective": "effective date",
    "expires": "expiry date",
    "installments": "installments",
    "window": "payment window",
    "tail": "days after termination",
    "rate": "late interest",
    "calendar": "calendar",
    "law": "governing law",
    "save": "the terms as a whole",
}
WIDGET_OF = {name: widget for widget, name in TEXT_FIELDS.items()} | {
    "effective": "effective",
    "expires": "expires",
    "installments": "installments",
}


def _probe(**fields: object) -> AgreementError | None:
    try:
        validate_terms(replace(_PROBE, **fields))  # type: ignore[arg-type]
    except AgreementError as exc:
        return exc
    return None


def parse_whole(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None


@dataclass(frozen=True)
class Draft:
    """What the form's fields hold, as typed (dates already read by their fields)."""

    #: Widget id -> its text, for every field of :data:`TEXT_FIELDS`.
    texts: dict[str, str]
    effective: dt.date | None
    expires: dt.date | None
    #: (row key, due date, amount as typed) for each installment row, in order.
    rows: list[tuple[int, dt.date | None, str]]
    day_count: DayCount
    accelerate_on: frozenset[TerminationReason]


def check_draft(draft: Draft, taken: frozenset[str]) -> tuple[dict[str, str], Terms | None]:
    """(errors by widget id, the terms if every field is valid and the id is not ``taken``)."""
    errors: dict[str, str] = {}

    def note(widget: str, exc: AgreementError | ServiceError | None) -> None:
        if exc is not None and widget not in errors:
            errors[widget] = exc.message

    strings: dict[str, str | None] = {}
    for widget in ("company", "employee", "agreement-id", "calendar", "law"):
        value: str | None = draft.texts[widget]
        if widget == "law" and not value:
            value = None
        strings[widget] = value
        note(widget, _probe(**{TEXT_FIELDS[widget]: value}))

    whole: dict[str, int | None] = {}
    for widget in ("window", "tail"):
        name = TEXT_FIELDS[widget]
        whole[widget] = parse_whole(draft.texts[widget])
        if whole[widget] is None:
            note(
                widget,
                AgreementError(
                    f"agreement.{name}", missing(), "required: a whole number of business days"
                ),
            )
        else:
            note(widget, _probe(**{name: whole[widget]}))

    rate_text = draft.texts["rate"]
    try:
        rate = read_percent(rate_text) if rate_text else None
    except AgreementError:
        rate = None
    if rate is None or _probe(late_interest_rate=rate) is not None:
        note(
            "rate",
            AgreementError(
                "agreement.late_interest_rate",
                f"{rate_text}%" if rate_text else missing(),
                "must be a yearly rate from 0% to 100% (10 is ten percent a year)",
            ),
        )

    effective = draft.effective
    expires = draft.expires
    if effective is None:
        errors["effective"] = ""  # the date field says why
    if expires is None:
        errors["expires"] = ""
    if effective is not None and expires is not None:
        first = (Installment(effective, Decimal(1)),)
        note("expires", _probe(effective=effective, expires=expires, installments=first))

    installments: list[Installment] = []
    rows = draft.rows
    if not rows:
        note("installments", _probe(installments=()))
    low, high = effective or _PROBE.effective, expires or _PROBE.expires
    for number, (key, due, typed) in enumerate(rows, start=1):
        field = f"agreement.installments[{number}]"
        amount_text = typed.strip()
        amount: Decimal | None = None
        try:
            amount = read_amount(amount_text, f"{field}.amount")
        except AgreementError as refused:
            errors[f"amount-{key}"] = refused.message
        if due is None:
            errors[f"due-{key}"] = ""
        probe = _probe(
            effective=low,
            expires=high,
            installments=(Installment(due or low, amount or Decimal(1)),),
        )
        if probe is not None:
            target = "due" if probe.field.endswith(".due") else "amount"
            errors.setdefault(
                f"{target}-{key}",
                AgreementError(f"{field}.{target}", probe.value, probe.reason).message,
            )
        if due is not None and amount is not None:
            installments.append(Installment(due, amount))

    if errors:
        return errors, None
    assert effective is not None
    assert expires is not None
    assert rate is not None
    window, tail = whole["window"], whole["tail"]
    assert window is not None
    assert tail is not None
    terms = Terms(
        id=strings["agreement-id"] or "",
        company=strings["company"] or "",
        employee=strings["employee"] or "",
        effective=effective,
        expires=expires,
        installments=tuple(installments),
        calendar=strings["calendar"] or "",
        payment_window_business_days=window,
        end_after_termination_business_days=tail,
        late_interest_rate=rate,
        day_count=draft.day_count,
        accelerate_on=draft.accelerate_on,
        governing_law=strings["law"],
    )
    if terms.id in taken:
        errors["agreement-id"] = ServiceError("agreement.id", terms.id, "already exists").message
        return errors, None
    return errors, terms


# -- where each error shows ---------------------------------------------------------------------
# The installment rows' widgets are named after each row's key (``due-3``, ``amount-3``), which
# stays the same while rows above it are removed; the user reads them by position.


def widget_for(field: str, row_keys: Sequence[int]) -> str:
    """The widget id showing errors of a terms field (``agreement.installments[2].due``)."""
    name = field.removeprefix("agreement.")
    if name.startswith("installments["):
        number = int(name[len("installments[") : name.index("]")])
        if 1 <= number <= len(row_keys):
            target = "due" if name.endswith(".due") else "amount"
            return f"{target}-{row_keys[number - 1]}"
        return "installments"
    return WIDGET_OF.get(name, "save")


def form_order(row_keys: Sequence[int]) -> list[str]:
    """The widgets in the order the form shows them."""
    order = ["company", "employee", "agreement-id", "effective", "expires"]
    for key in row_keys:
        order += [f"due-{key}", f"amount-{key}"]
    return [*order, "installments", "window", "tail", "rate", "calendar", "law", "save"]


def labels(widgets: Iterable[str], row_keys: Sequence[int]) -> list[str]:
    """The fields' names as the form labels them, in the form's order."""
    wanted = set(widgets)
    out = []
    for widget in form_order(row_keys):
        if widget in wanted:
            kind, _, key = widget.partition("-")
            keys = [str(k) for k in row_keys]
            if kind in ("due", "amount") and key in keys:
                out.append(f"installment {keys.index(key) + 1} {kind}")
            else:
                out.append(LABELS.get(widget, widget))
    return out
