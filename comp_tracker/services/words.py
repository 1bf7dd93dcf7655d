"""How things are said in English, for the CLI, the terminal UI and the reports: termination
reasons (as the agreement names them, in short, and after "a termination"), ordinals and
percents. Every screen and summary takes its words from here."""

from __future__ import annotations

from decimal import Decimal

from comp_tracker.domain import TerminationReason, Terms

#: Each termination reason in the words of the agreement (paragraph 3), for people choosing one.
REASON_NAMES: dict[TerminationReason, str] = {
    TerminationReason.WITHOUT_CAUSE: "Without cause",
    TerminationReason.GOOD_REASON: "Resignation for good reason",
    TerminationReason.RESIGNATION: "Resignation",
    TerminationReason.DEATH: "Death",
    TerminationReason.DISABILITY: "Total and permanent disability",
    TerminationReason.FOR_CAUSE: "For cause",
    TerminationReason.MALFEASANCE: "Gross malfeasance or nonfeasance",
    TerminationReason.REFUSAL: "Refusal to follow the Board's directions",
    TerminationReason.FELONY: "Felony conviction",
}

#: Each reason in a few lowercase words, for lists and summaries ("termination, without cause").
REASON_SHORT: dict[TerminationReason, str] = {
    TerminationReason.WITHOUT_CAUSE: "without cause",
    TerminationReason.GOOD_REASON: "good reason",
    TerminationReason.RESIGNATION: "resignation",
    TerminationReason.DEATH: "death",
    TerminationReason.DISABILITY: "disability",
    TerminationReason.FOR_CAUSE: "for cause",
    TerminationReason.MALFEASANCE: "malfeasance or nonfeasance",
    TerminationReason.REFUSAL: "refusal to follow the Board's directions",
    TerminationReason.FELONY: "conviction of a felony",
}

#: Why employment ended, as the agreement says it (paragraph 3), after "a termination".
REASON_AFTER_A_TERMINATION: dict[TerminationReason, str] = {
    TerminationReason.WITHOUT_CAUSE: "without cause",
    TerminationReason.GOOD_REASON: "by resignation for good reason",
    TerminationReason.RESIGNATION: "by resignation",
    TerminationReason.DEATH: "on death",
    TerminationReason.DISABILITY: "for disability",
    TerminationReason.FOR_CAUSE: "for cause",
    TerminationReason.MALFEASANCE: "for gross malfeasance or nonfeasance",
    TerminationReason.REFUSAL: "for refusing the Board's written directions",
    TerminationReason.FELONY: "for a felony conviction",
}


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def percent(rate: Decimal) -> str:
    """A yearly rate as a percentage: Decimal("0.10") is "10%", Decimal("0.0725") "7.25%"."""
    return f"{(rate * 100).normalize():f}%"


def late_interest(terms: Terms, *, short: bool = False) -> str:
    """What an amount paid after its deadline bears: "10% a year simple interest (ACT/365F)"
    (``short``: "10% a year (ACT/365F)"), or, for an agreement without an interest clause (a
    rate of zero), "no interest" ("none")."""
    if not terms.late_interest_rate:
        return "none" if short else "no interest"
    kind = "" if short else " simple interest"
    return f"{percent(terms.late_interest_rate)} a year{kind} ({terms.day_count.value})"


def after_employment_ends(business_days: int) -> str:
    """When an agreement ends once employment has: "the 4th business day after employment
    ends", or "the day employment ends" for an agreement that says no business days."""
    if business_days == 0:
        return "the day employment ends"
    return f"the {ordinal(business_days)} business day after employment ends"
