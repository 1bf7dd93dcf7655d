"""An agreement's terms, as the agreement screen shows them: in words (each clause of the signed
agreement in a sentence), at a glance (one line for the summary), and as a table of facts."""

from __future__ import annotations

from decimal import Decimal

from rich.table import Table

from comp_tracker.domain import (
    TerminationReason,
    Terms,
)
from comp_tracker.services.words import REASON_AFTER_A_TERMINATION as AFTER_A_TERMINATION
from comp_tracker.services.words import after_employment_ends, late_interest, percent

from ..widgets.text import day, money


def _listing(items: list[str], last: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def terms_in_words(terms: Terms, *, amended: bool = False) -> str:
    """The agreement's terms as a person would say them (``amended``: as amended so far)."""
    count = len(terms.installments)
    total = sum((i.amount for i in terms.installments), Decimal("0.00"))
    plural = "installment" if count == 1 else "installments"
    each = "within" if count == 1 else "each within"
    dates = _listing([f"{money(i.amount)} on {day(i.due)}" for i in terms.installments])
    window = terms.payment_window_business_days
    parts = [
        f"{terms.company} pays {terms.employee} {count} {plural} totalling ${money(total)} "
        f"({dates}) for staying in service until each date, {each} {window} business "
        f"day{'s' if window != 1 else ''} ({terms.calendar} calendar) after its date; late "
        f"amounts bear {late_interest(terms)}.",
        f"It runs from {day(terms.effective)} and ends on the earliest of "
        f"{day(terms.expires)}, "
        f"{after_employment_ends(terms.end_after_termination_business_days)}, or a change in "
        "control.",
    ]
    accelerating = [r for r in TerminationReason if r in terms.accelerate_on]
    others = [r for r in TerminationReason if r not in terms.accelerate_on]
    if accelerating and others:
        parts.append(
            f"A termination {_listing([AFTER_A_TERMINATION[r] for r in accelerating], 'or')} "
            "accelerates everything unpaid (due at once); any other termination "
            f"({_listing([r.value.replace('_', ' ') for r in others], 'or')}) or a change in "
            "control ends it, and what is not yet due is forfeited."
        )
    elif accelerating:
        parts.append(
            "A termination for any reason accelerates everything unpaid (due at once); a change "
            "in control ends it, and what is not yet due is forfeited."
        )
    else:
        parts.append(
            "A termination for any reason or a change in control ends it, and what is not yet "
            "due is forfeited: nothing accelerates."
        )
    if amended:
        parts.insert(0, "As amended:")
    if terms.governing_law:
        parts.append(f"Governed by the laws of {terms.governing_law}.")
    else:
        parts.append("No governing law is recorded.")
    return " ".join(parts)


def terms_at_a_glance(terms: Terms) -> str:
    """The terms in two lines, for above the tabs on a small terminal."""
    total = sum((i.amount for i in terms.installments), Decimal("0.00"))
    count = len(terms.installments)
    accelerating = [AFTER_A_TERMINATION[r] for r in TerminationReason if r in terms.accelerate_on]
    return " · ".join(
        [
            f"{count} installment{'s' if count != 1 else ''} totalling ${money(total)}",
            f"pay within {terms.payment_window_business_days} business days "
            f"({terms.calendar} calendar)",
            f"late: {late_interest(terms, short=True)}",
            "accelerates on termination "
            + (_listing(accelerating, "or") if accelerating else ": never"),
            f"governed by the laws of {terms.governing_law or '(not recorded)'}",
        ]
    )


def terms_facts(terms: Terms) -> Table:
    """The terms as the agreement file names them, one per line."""
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    installments = "; ".join(f"{money(i.amount)} on {day(i.due)}" for i in terms.installments)
    accelerating = [
        r.value.replace("_", " ") for r in TerminationReason if r in terms.accelerate_on
    ]
    for name, value in (
        ("Company", terms.company),
        ("Employee", terms.employee),
        ("Effective", day(terms.effective)),
        ("Expires", day(terms.expires)),
        ("Installments", installments),
        ("Payment window", f"{terms.payment_window_business_days} business days after the date"),
        ("Calendar", f"{terms.calendar} (business days)"),
        ("Ends after termination", f"{terms.end_after_termination_business_days} business days"),
        (
            "Late interest",
            f"{percent(terms.late_interest_rate)} a year, simple"
            if terms.late_interest_rate
            else "none (no interest clause)",
        ),
        ("Day count", terms.day_count.value),
        ("Accelerates on", ", ".join(accelerating) or "nothing"),
        ("Governing law", terms.governing_law or "not recorded"),
    ):
        table.add_row(name, value)
    return table
