"""An agreement's installments drawn against its life: people read a picture faster than a table.

One row per installment on a date axis from the effective date to the end of the agreement:

* its **service period**, from the effective date to the date it was for (the engine earns each
  installment ratably over exactly that span: "continued retention of the Employee's services
  until the respective dates indicated", paragraph 2), cut short by a termination or a change in
  control;
* its **due date** and **payment window** (due date to deadline, "on or within three business
  days after");
* any **overdue stretch**, from the deadline to the day it was settled (or the as-of date while
  money is still owed), which is when late interest runs;
* the payments made on it, and where it was forfeited.

A row for the agreement itself marks the termination, change in control, amendments and its end,
and a line through every row marks the as-of date. Under each row its dates are written out, and
a legend explains the glyphs. Colours are Rich styles chosen to read on light and dark themes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from comp_tracker.domain import (
    Amendment,
    ChangeInControl,
    Event,
    InstallmentState,
    Schedule,
    Status,
    Termination,
)

from .text import STATUS_STYLES, day, money

# The glyphs and their styles (also the legend, in this order).
SERVICE = ("━", "blue")
CUT_SHORT = ("┄", "dim")
ORIGINAL_DUE = ("◇", "dim")
DUE = ("◆", "bold")
WINDOW = ("▒", "dark_orange")
OVERDUE = ("█", "red")
PAYMENT = ("$", "green")
SETTLED = ("✓", "bold green")
FORFEITED = ("✗", "bold")
AS_OF = ("│", "bold magenta")
TERMINATION = ("T", "bold red")
CHANGE_IN_CONTROL = ("C", "bold red")
AMENDMENT = ("A", "bold")
END = ("┫", "bold")
LIFE = ("━", "")

LEGEND = (
    (SERVICE, "service period"),
    (CUT_SHORT, "service cut short"),
    (ORIGINAL_DUE, "original due date"),
    (DUE, "due"),
    (WINDOW, "payment window"),
    (OVERDUE, "overdue"),
    (PAYMENT, "payment"),
    (SETTLED, "paid in full"),
    (FORFEITED, "forfeited"),
    (AS_OF, "as-of date"),
    (TERMINATION, "termination"),
    (CHANGE_IN_CONTROL, "change in control"),
    (AMENDMENT, "amendment"),
    (END, "agreement ends"),
)

#: The narrowest axis drawn; below it the lines are cropped rather than the picture squeezed.
MIN_AXIS = 24
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

Cell = tuple[str, str]


class _Axis:
    """Dates to columns of a bar ``width`` cells wide, ``start`` in the first, ``end`` the last."""

    def __init__(self, start: dt.date, end: dt.date, width: int) -> None:
        self.start = start
        self.end = end
        self.width = width
        self.span = max((end - start).days, 1)

    def col(self, date: dt.date) -> int:
        offset = (date - self.start).days * (self.width - 1) / self.span
        return min(max(round(offset), 0), self.width - 1)

    def contains(self, date: dt.date) -> bool:
        return self.start <= date <= self.end


class _Row:
    def __init__(self, width: int) -> None:
        self.cells: list[Cell] = [(" ", "")] * width

    def fill(self, first: int, last: int, glyph: Cell) -> None:
        for col in range(max(first, 0), min(last, len(self.cells) - 1) + 1):
            self.cells[col] = glyph

    def put(self, col: int, glyph: Cell) -> None:
        if 0 <= col < len(self.cells):
            self.cells[col] = glyph

    def mark_as_of(self, col: int) -> None:
        """The as-of line, where it hides nothing that matters (blank or a service period)."""
        if 0 <= col < len(self.cells) and self.cells[col][0] in (" ", SERVICE[0], CUT_SHORT[0]):
            self.cells[col] = AS_OF

    def text(self) -> Text:
        line = Text(no_wrap=True, overflow="crop")
        for glyph, style in self.cells:
            line.append(glyph, style=style)
        return line


def _payments_by_installment(schedule: Schedule) -> dict[int, list[dt.date]]:
    found: dict[int, list[dt.date]] = {}
    for payment in schedule.payments:
        for allocation in payment.allocations:
            found.setdefault(allocation.installment, []).append(payment.date)
    return found


def _settled_on(item: InstallmentState, paid_dates: Sequence[dt.date]) -> dt.date | None:
    """The day an installment was paid in full (its last payment), if it has been."""
    if item.status is Status.PAID and paid_dates:
        return max(paid_dates)
    return None


def _axis_end(schedule: Schedule, events: Sequence[Event]) -> dt.date:
    terms = schedule.terms
    dates = [terms.expires, schedule.ends_on, *(e.date for e in events)]
    for item in schedule.installments:
        dates += [item.original_due, item.due, item.deadline]
    dates += [p.date for p in schedule.payments]
    if any(i.status is Status.OVERDUE for i in schedule.installments):
        dates.append(schedule.as_of)  # the overdue stretch runs to the as-of date
    return max(dates)


def _wrap(phrases: Iterable[Text], width: int, indent: int) -> list[Text]:
    """Phrases joined with " · " into lines of at most ``width`` cells, each indented."""
    lines: list[Text] = []
    current = Text(" " * indent)
    filled = False
    for phrase in phrases:
        sep = " · " if filled else ""
        if filled and current.cell_len + len(sep) + phrase.cell_len > width:
            lines.append(current)
            current, sep = Text(" " * indent), ""
        current.append(sep, style="dim")
        current.append_text(phrase)
        filled = True
    if filled:
        lines.append(current)
    for line in lines:
        line.no_wrap = True
        line.overflow = "ellipsis"
    return lines


def _describe(
    item: InstallmentState, schedule: Schedule, paid_dates: Sequence[dt.date]
) -> list[Text]:
    """The dates of an installment's row in words."""
    dim = "dim"
    start = schedule.terms.effective
    service = f"service {day(start)} → {day(item.original_due)}"
    phrases = [Text(service, style=dim)]
    if item.accelerated:
        phrases.append(Text(f"cut short {day(item.due)}: earned in full", style=dim))
    elif item.forfeited_on is not None and item.forfeited_on < item.original_due:
        phrases.append(Text(f"cut short {day(item.forfeited_on)}", style=dim))
    if item.accelerated:
        phrases.append(
            Text(f"due {day(item.due)} (accelerated from {day(item.original_due)})", style=dim)
        )
    else:
        phrases.append(Text(f"due {day(item.due)}", style=dim))
    if item.status is Status.FORFEITED:
        phrases.append(
            Text(f"forfeited {day(item.forfeited_on)}: {money(item.principal_forfeited)}", dim)
        )
        if item.principal_paid:
            phrases.append(Text(f"paid {money(item.principal_paid)} before", style=dim))
        return phrases
    phrases.append(Text(f"pay by {day(item.deadline)}", style=dim))
    settled = _settled_on(item, paid_dates)
    status = Text(item.status.value, style=STATUS_STYLES.get(item.status.value, ""))
    if settled is not None:
        late = (settled - item.deadline).days
        status.append(f" {day(settled)}")
        if late > 0:
            status.append(f", {late} day{'s' if late != 1 else ''} late")
    elif item.status is Status.OVERDUE:
        late = (schedule.as_of - item.deadline).days
        status.append(
            f" {late} day{'s' if late != 1 else ''}: owes {money(item.principal_outstanding)}"
            f" + {money(item.interest_outstanding)} interest"
        )
    elif item.status is Status.DUE:
        status.append(f": pay {money(item.principal_outstanding)} by {day(item.deadline)}")
    phrases.append(status)
    return phrases


def draw_timeline(schedule: Schedule, events: Sequence[Event], width: int) -> list[Text]:
    """The timeline's lines for a terminal ``width`` cells wide (events: those in force)."""
    terms = schedule.terms
    as_of = schedule.as_of
    events = [e for e in events if e.date <= as_of]  # later ones have not happened yet
    labels = [f"#{i.number} {money(i.amount)}" for i in schedule.installments]
    label_width = max([len("agreement"), *(len(label) for label in labels)]) + 1
    axis = _Axis(terms.effective, _axis_end(schedule, events), max(width - label_width, MIN_AXIS))
    as_of_col = axis.col(as_of) if axis.contains(as_of) else None
    pad = " " * label_width
    lines: list[Text] = []

    # The axis: month labels (the year at January and at the start), then ticks.
    names = _Row(axis.width)
    ticks = _Row(axis.width)
    ticks.fill(0, axis.width - 1, ("─", "dim"))
    # Labels: each January with its year first, then the start month (with its year if there
    # is room), then the other months where they fit.
    ticks_named: list[tuple[int, int, tuple[str, ...]]] = []  # (priority, column, names to try)
    month = dt.date(axis.start.year, axis.start.month, 1)
    while month <= axis.end:
        col = axis.col(max(month, axis.start))
        if month > axis.start:
            ticks.put(col, ("┼", "dim"))
        name = MONTHS[month.month - 1]
        if month.month == 1:
            ticks_named.append((0, col, (f"{name} {month.year}", name)))
        elif month <= axis.start:
            ticks_named.append((1, col, (f"{name} {month.year}", name)))
        else:
            ticks_named.append((2, col, (name,)))
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    taken = [False] * (axis.width + 2)
    for _, col, choices in sorted(ticks_named, key=lambda named: named[0]):
        for name in choices:
            last = col + len(name)  # one past the label
            if last <= axis.width and not any(taken[max(col - 1, 0) : last + 1]):
                for offset, char in enumerate(name):
                    names.put(col + offset, (char, "bold" if " " in name else ""))
                taken[col:last] = [True] * len(name)
                break
    ticks.put(0, ("├", "dim"))
    ticks.put(axis.width - 1, ("┤", "dim"))
    if as_of_col is not None:
        ticks.put(as_of_col, ("▼", AS_OF[1]))
    lines.append(Text(pad) + names.text())
    lines.append(Text(pad) + ticks.text())

    # The agreement's life: from the effective date to its end, and what happened to it.
    life = _Row(axis.width)
    life.fill(0, axis.col(schedule.ends_on), LIFE)
    if schedule.ends_on < terms.expires:
        life.fill(axis.col(schedule.ends_on) + 1, axis.col(terms.expires), CUT_SHORT)
    life.put(axis.col(schedule.ends_on), END)
    if as_of_col is not None:
        life.mark_as_of(as_of_col)
    for event in events:
        if isinstance(event, Termination):
            life.put(axis.col(event.date), TERMINATION)
        elif isinstance(event, ChangeInControl):
            life.put(axis.col(event.date), CHANGE_IN_CONTROL)
        elif isinstance(event, Amendment):
            life.put(axis.col(event.date), AMENDMENT)
    lines.append(Text("agreement".ljust(label_width), style="bold") + life.text())
    ended = schedule.end_reason.value.replace("_", " ")
    lines += _wrap(
        [
            Text(f"effective {day(terms.effective)}", style="dim"),
            Text(f"ends {day(schedule.ends_on)} ({ended})", style="dim"),
        ],
        width,
        label_width,
    )

    paid = _payments_by_installment(schedule)
    for item, label in zip(schedule.installments, labels, strict=True):
        row = _Row(axis.width)
        cut = item.original_due
        if item.forfeited_on is not None:
            cut = min(cut, item.forfeited_on)
        elif item.accelerated:
            cut = min(cut, item.due)
        row.fill(0, axis.col(cut), SERVICE)
        if cut < item.original_due:
            row.fill(axis.col(cut) + 1, axis.col(item.original_due), CUT_SHORT)
            row.put(axis.col(item.original_due), ORIGINAL_DUE)
        dates = paid.get(item.number, [])
        settled = _settled_on(item, dates)
        if item.status is not Status.FORFEITED:
            due_col, deadline_col = axis.col(item.due), axis.col(item.deadline)
            row.fill(due_col + 1, max(deadline_col, due_col + 1), WINDOW)
            late_until = settled if settled is not None else None
            if late_until is None and item.status is Status.OVERDUE:
                late_until = as_of
            if late_until is not None and late_until > item.deadline:
                row.fill(max(deadline_col, due_col + 1) + 1, axis.col(late_until), OVERDUE)
            row.put(due_col, DUE)
        if as_of_col is not None:
            row.mark_as_of(as_of_col)
        for date in dates:
            row.put(axis.col(date), PAYMENT)
        if settled is not None:
            row.put(axis.col(settled), SETTLED)
        if item.forfeited_on is not None and item.principal_forfeited:
            row.put(axis.col(item.forfeited_on), FORFEITED)
        style = STATUS_STYLES.get(item.status.value, "")
        lines.append(Text(label.ljust(label_width), style=style) + row.text())
        lines += _wrap(_describe(item, schedule, dates), width, label_width)

    # Where the as-of date is, in words under its line.
    note = f"as of {day(as_of)}"
    if as_of_col is None:
        where = "before the agreement began" if as_of < axis.start else "after the dates drawn"
        lines.append(Text(pad + f"{note}: {where}", style=AS_OF[1]))
    elif as_of_col + 2 + len(note) <= axis.width:
        lines.append(Text(pad + " " * as_of_col + "▲ " + note, style=AS_OF[1]))
    else:
        lines.append(
            Text(pad + " " * max(as_of_col - len(note) - 1, 0) + note + " ▲", style=AS_OF[1])
        )

    legend = [Text.assemble((glyph, style), f" {label}") for (glyph, style), label in LEGEND]
    lines += _wrap(legend, width, 0)
    for line in lines:
        line.no_wrap = True
        line.overflow = "crop"
    return lines


class Timeline(Widget):
    """The timeline of one agreement; ``show`` gives it the schedule and the events in force."""

    DEFAULT_CSS = """
    Timeline { height: auto; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.schedule: Schedule | None = None
        self.events: tuple[Event, ...] = ()

    def show(self, schedule: Schedule, events: Sequence[Event]) -> None:
        self.schedule = schedule
        self.events = tuple(events)
        self.refresh(layout=True)

    def lines(self, width: int) -> list[Text]:
        if self.schedule is None:
            return [Text("Loading…")]
        return draw_timeline(self.schedule, self.events, width)

    def plain(self, width: int | None = None) -> str:
        """The picture as plain text (for tests and for reading it in a log)."""
        width = width if width is not None else self.content_size.width
        return "\n".join(line.plain for line in self.lines(width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Text:
        return Text("\n", no_wrap=True, overflow="crop").join(self.lines(self.content_size.width))
