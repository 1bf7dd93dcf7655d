"""The previews of the event forms: schedules, what a termination or change in control does to
each agreement, and the one-line gist above the buttons (Rich renderables, no widgets)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from comp_tracker.domain import InstallmentState, Schedule, Status, owed, standing_of
from comp_tracker.domain.money import ZERO
from comp_tracker.services.events.planning import Recorded
from comp_tracker.services.events.preview import (
    AgreementEffect,
    InstallmentChange,
    Outcome,
    OwnerEventPreview,
)

from ..widgets.text import day, long_day, money, status_text

END_WORDS = {
    "expiry": "expiry",
    "termination": "termination",
    "change_in_control": "change in control",
}


def table(*columns: str, right: Iterable[str] = ()) -> Table:
    """A plain table for a preview: no box, a bold header, money columns right-aligned."""
    grid = Table(
        box=None,
        padding=(0, 1),
        collapse_padding=True,
        pad_edge=False,
        show_edge=False,
        header_style="bold",
    )
    aligned = set(right)
    for column in columns:
        # Dates and money never wrap or shorten; words may wrap.
        words = column in _WORD_COLUMNS
        grid.add_column(column, justify="right" if column in aligned else "left", no_wrap=not words)
    return grid


_WORD_COLUMNS = {"Status", "What happens"}


def schedule_table(schedule: Schedule, *, changed: Iterable[int] = ()) -> Table:
    """An agreement's installments as of the schedule's date: due, deadline, status, owed."""
    marked = set(changed)
    grid = table("#", "Due", "Pay by", "Amount", "Status", "Owed", right=("Amount", "Owed"))
    for state in schedule.installments:
        style = "bold" if state.number in marked else ""
        grid.add_row(
            Text(str(state.number), style=style),
            Text(day(state.due), style=style),
            day(state.deadline) if state.status.value != "forfeited" else "",
            money(state.amount),
            status_text(state.status.value),
            money(owed(state)),
        )
    return grid


def ends_text(schedule: Schedule) -> str:
    return f"{day(schedule.ends_on)} ({END_WORDS[schedule.end_reason.value]})"


def owed_line(schedule: Schedule, *, note: str = "") -> Text:
    standing = standing_of(schedule)
    principal, interest = standing.principal_outstanding, standing.interest_outstanding
    line = Text(f"Owed on {long_day(schedule.as_of)}{note}: ")
    line.append(money(standing.owed), style="bold")
    if interest:
        line.append(f" ({money(principal)} + {money(interest)} interest)")
    return line


def installment_owes(state: InstallmentState) -> str:
    """ "66,036.16 (66,000.00 + 36.16 interest)"."""
    if state.interest_outstanding:
        return (
            f"{money(owed(state))} ({money(state.principal_outstanding)} + "
            f"{money(state.interest_outstanding)} interest)"
        )
    return money(owed(state))


def group(*parts: RenderableType | None) -> Group:
    return Group(*(p for p in parts if p is not None))


#: A termination or change in control on a company with many agreements: the first ones in
#: detail, then every other one on a line (the save applies the same rules to every one).
DETAILED = 20


def _what_happens(change: InstallmentChange) -> Text:
    if change.outcome is Outcome.ACCELERATED:
        return Text("accelerated", style="bold dark_orange")
    if change.outcome is Outcome.FORFEITED:
        return Text("forfeited", style="bold red")
    return status_text(change.after.status.value)


def _change_line(change: InstallmentChange) -> Text | None:
    """The sentence for an installment the event accelerates or forfeits."""
    before, after = change.before, change.after
    if change.outcome is Outcome.ACCELERATED:
        return Text(
            f"Installment {after.number} accelerated: due {day(after.due)} instead of "
            f"{day(before.due)}; pay by {day(after.deadline)}."
        )
    if change.outcome is Outcome.FORFEITED:
        return Text(
            f"Installment {after.number} forfeited: {money(after.principal_forfeited)} "
            "will never be payable."
        )
    return None


def effect_view(effect: AgreementEffect) -> Group:
    """One agreement under a termination or change in control: each installment's fate, the new
    deadlines, the end date, and what is owed."""
    title = Text(effect.agreement, style="bold")
    if effect.employee:
        title.append(f" · {effect.employee}", style="")
    lines: list[RenderableType | None] = [title]
    if effect.accelerates is not None:
        lines.append(
            Text(
                "This reason accelerates under this agreement: what is not yet due becomes due "
                "at once."
                if effect.accelerates
                else "This reason does not accelerate under this agreement: what is not yet due "
                "is forfeited."
            )
        )
    grid = table("#", "Amount", "What happens", "Due", "Pay by", right=("Amount",))
    for change in effect.changes:
        after = change.after
        forfeited = after.status is Status.FORFEITED
        grid.add_row(
            str(after.number),
            money(after.amount),
            _what_happens(change),
            day(after.due),
            "" if forfeited else day(after.deadline),
        )
    lines.append(grid)
    lines += [_change_line(change) for change in effect.changes]
    ends = Text(f"Ends on {ends_text(effect.after)}")
    if effect.after.ends_on != effect.before.ends_on:
        ends.append(f"; it was to end on {ends_text(effect.before)}")
    ends.append(".")
    lines.append(ends)
    lines.append(owed_line(effect.after))
    if effect.later is not None:
        lines.append(owed_line(effect.later, note=" (the app's date)"))
    for warning in effect.warnings:
        lines.append(Text(warning, style="italic"))
    return group(*lines)


def _effect_line(effect: AgreementEffect) -> str:
    """One agreement beyond the detailed ones, on one line."""
    who = f" · {effect.employee}" if effect.employee else ""
    accelerated = sum(1 for c in effect.changes if c.outcome == "accelerated")
    fate = [f"{accelerated} accelerated"] if accelerated else []
    if effect.forfeited:
        fate.append(f"forfeits {money(effect.forfeited)}")
    return (
        f"{effect.agreement}{who}: {', '.join(fate) or 'nothing changes'}; "
        f"ends {day(effect.after.ends_on)}"
    )


def effects_view(preview: OwnerEventPreview, what: str) -> Group:
    """Every agreement a termination or change in control applies to."""
    effects = preview.effects
    count = len(effects)
    head = Text(
        f"{what} on {long_day(preview.date)} applies to {count} "
        f"agreement{'s' if count != 1 else ''}:",
        style="bold",
    )
    parts: list[RenderableType | None] = [head]
    for effect in effects[:DETAILED]:
        parts += [Text(""), effect_view(effect)]
    if count > DETAILED:
        parts.append(Text(f"\nAnd {count - DETAILED} more, each under the same rules:"))
        for effect in effects[DETAILED:]:
            parts.append(Text(_effect_line(effect)))
    if preview.not_affected:
        parts.append(
            Text(
                "\nNot affected (they take effect after that day): "
                + ", ".join(preview.not_affected)
            )
        )
    return group(*parts)


def effects_summary(preview: OwnerEventPreview) -> str:
    """The gist: what accelerates, what is forfeited, when the agreements end."""
    changes = [c for e in preview.effects for c in e.changes]
    accelerated = [c for c in changes if c.outcome == "accelerated"]
    forfeited_total = sum((e.forfeited for e in preview.effects), ZERO)
    ends = sorted({e.after.ends_on for e in preview.effects})
    parts = []
    if len(preview.effects) == 1:
        parts.append(f"{preview.effects[0].agreement}:")
    else:
        parts.append(f"{len(preview.effects)} agreements:")
    if len(accelerated) == 1:
        c = accelerated[0]
        parts.append(
            f"installment {c.after.number} accelerated to {day(c.after.due)} "
            f"(pay by {day(c.after.deadline)});"
        )
    elif accelerated:
        parts.append(f"{len(accelerated)} installments accelerated;")
    if forfeited_total:
        parts.append(f"{money(forfeited_total)} forfeited;")
    if not accelerated and not forfeited_total:
        parts.append("nothing accelerated or forfeited;")
    if len(ends) == 1:
        parts.append(f"ends on {day(ends[0])}.")
    elif ends:
        parts.append(f"they end between {day(ends[0])} and {day(ends[-1])}.")
    return "Preview: " + " ".join(parts)


def applied_to(recorded: Recorded) -> str:
    """ "applied to 1 agreement", "applied to 3 agreements"."""
    count = len(recorded.schedules)
    return f"applied to {count} agreement{'s' if count != 1 else ''}"
