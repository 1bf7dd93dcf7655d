"""The Employees and Companies screens: each lists employees or companies with their agreements'
totals on the as-of date, over the agreements of the one selected.

The figures come from :mod:`comp_tracker.services.browse.people` (the engine's schedule of each
agreement, the same standing as the Agreements screen), loaded in a thread and again when the as-of
date changes. The search box filters the list as you type (``/`` goes there; Enter, Down or Escape
come back); Enter on an employee or company goes to their agreements, Enter on an agreement opens
it. ``app.open_person`` calls :meth:`PeopleScreen.show` to select one by name.

At 80 columns the tables show what fits (what is owed in one figure; the agreement's id, employee
and status); from :data:`WIDE` columns they add the split into principal and late interest, and
the next due date and the deadline to pay it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, NamedTuple

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Input, Static

from comp_tracker.services.browse.people import HeldAgreement, Holder, People, people, totals

from ..widgets.text import day, money, money_cell, status_text
from .base import BaseScreen

#: From this width the agreements table shows every column.
WIDE = 100
#: At most this many employees or companies are listed at once (the search finds any).
LISTED = 500


class Column(NamedTuple):
    """A column of the agreements table."""

    label: str
    cell: Callable[[HeldAgreement], str | Text]
    wide_only: bool = False


class HolderColumn(NamedTuple):
    """A column of the list of employees or companies."""

    label: str
    cell: Callable[[Holder], str | Text]
    wide_only: bool = False


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def number(n: int, style: str = "") -> Text:
    return Text(str(n), justify="right", style=style)


class PeopleScreen(BaseScreen):
    """A list of holders (employees or companies) over the agreements of the selected one."""

    KIND = ""  # "employee" or "company"
    KINDS = ""
    SEARCH_PLACEHOLDER = "Search: type part of a name (/ comes here)"
    PEOPLE_COLUMNS: ClassVar[tuple[HolderColumn, ...]] = ()
    AGREEMENT_COLUMNS: ClassVar[tuple[Column, ...]] = ()
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", tooltip="Filter the list by name"),
        Binding("escape", "back_to_list", "Back to the list", show=False),
        Binding("down", "back_to_list", "Back to the list", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: People | None = None
        #: The holders the list shows (after the search filter), in its order.
        self.shown: list[Holder] = []
        #: The holder (name, company) to put the cursor on when the list is next filled.
        self._wanted: tuple[str, str] | None = None
        #: The name :meth:`show` was asked for before the list was loaded.
        self._pending_show: str | None = None
        #: Whether the tables have their wide columns (None before they have any), and which.
        self._wide: bool | None = None
        self._people_columns: list[HolderColumn] = []
        self._agreement_columns: list[Column] = []

    # -- what each screen lists -------------------------------------------------------------------

    def holders(self, data: People) -> list[Holder]:
        raise NotImplementedError

    def matches(self, holder: Holder, text: str) -> bool:
        """Whether the search ``text`` (case-folded) finds ``holder``."""
        return text in holder.name.casefold()

    # -- layout -----------------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        yield Input(
            placeholder=self.SEARCH_PLACEHOLDER, id="search", classes="people-search", compact=True
        )
        yield Static("Loading…", id="people-totals", classes="totals")
        yield DataTable(id="people", cursor_type="row", zebra_stripes=True)
        yield Static("Agreements", id="agreements-title", classes="section-title")
        yield DataTable(id="agreements", cursor_type="row")

    def on_mount(self) -> None:
        self._layout()
        self.query_one("#people", DataTable).focus()
        super().on_mount()

    def on_resize(self, event: events.Resize) -> None:
        if self._wide is not None and (event.size.width >= WIDE) != self._wide:
            current = self.selected  # the new columns start the table afresh: keep the cursor
            if current is not None and self._wanted is None:
                self._wanted = (current.name, current.company)
            self._layout()
            self._fill()

    def _layout(self) -> None:
        """The columns of both tables for the screen's width."""
        wide = self.size.width >= WIDE
        self._wide = wide
        self._people_columns = [c for c in self.PEOPLE_COLUMNS if wide or not c.wide_only]
        self._agreement_columns = [c for c in self.AGREEMENT_COLUMNS if wide or not c.wide_only]
        for table_id, columns in (
            ("#people", self._people_columns),
            ("#agreements", self._agreement_columns),
        ):
            table = self.query_one(table_id, DataTable)
            table.clear(columns=True)
            table.add_columns(*(c.label for c in columns))

    # -- loading ----------------------------------------------------------------------------------

    def refresh_data(self) -> None:
        self.load("people", lambda as_of: people(self.context, as_of), self._loaded)

    def on_screen_resume(self) -> None:
        # Back from an agreement (a payment recorded there) or from another mode: reload.
        if self.data is not None:
            self.refresh_data()

    def _loaded(self, found: People) -> None:
        self.data = found
        if self._pending_show is not None:
            self._apply_show()
        else:
            self._fill()

    # -- the list ---------------------------------------------------------------------------------

    @property
    def selected(self) -> Holder | None:
        """The employee or company under the list's cursor."""
        table = self.query_one("#people", DataTable)
        row = table.cursor_row
        return self.shown[row] if 0 <= row < len(self.shown) else None

    def _fill(self) -> None:
        """List the holders the search finds, keeping the cursor on the one it was on."""
        if self.data is None:
            return
        wanted = self._wanted
        if wanted is None and (current := self.selected) is not None:
            wanted = (current.name, current.company)
        self._wanted = None
        text = self.query_one("#search", Input).value.strip().casefold()
        found = [h for h in self.holders(self.data) if not text or self.matches(h, text)]
        # A DataTable fills at about 4,000 rows a second: list a window of the matches, around
        # the one to select; the search finds the others.
        at = next(
            (i for i, h in enumerate(found) if wanted == (h.name, h.company)),
            0,
        )
        first = max(0, min(at - LISTED // 2, len(found) - LISTED))
        self.shown = found[first : first + LISTED]
        table = self.query_one("#people", DataTable)
        table.clear()
        for index, holder in enumerate(self.shown):
            table.add_row(*(c.cell(holder) for c in self._people_columns), key=str(index))
        if self.shown:
            table.move_cursor(row=at - first)
        else:
            why = f'matches "{text}"' if text else "is recorded yet"
            table.add_row(f"No {self.KIND} {why}.", key="none")
        count, principal, interest = totals(found)
        matching = f' matching "{text}"' if text else ""
        listed = (
            f" (listed: {first + 1:,} to {first + len(self.shown):,}; search for the others)"
            if len(self.shown) < len(found)
            else ""
        )
        self.query_one("#people-totals", Static).update(
            f"{len(found):,} {self.KIND if len(found) == 1 else self.KINDS}{matching}{listed} · "
            f"{_count(count, 'agreement', 'agreements')} · owed: principal "
            f"{money(principal)} · interest {money(interest)}"
        )
        self._show_agreements()

    def _show_agreements(self) -> None:
        """The agreements of the holder under the cursor, in the columns the width allows."""
        table = self.query_one("#agreements", DataTable)
        columns = self._agreement_columns
        table.clear()
        holder = self.selected
        title = self.query_one("#agreements-title", Static)
        if holder is None:
            title.update("Agreements")
            return
        title.update(f"Agreements of {holder.name} on {day(self.as_of)}")
        for standing in holder.agreements:
            table.add_row(*(c.cell(standing) for c in columns), key=standing.agreement)
        if not holder.agreements:
            table.add_row(f"{holder.name} has no agreement.", key="none")

    def show(self, name: str) -> None:
        """Select the employee or company called ``name`` (clearing a search that hides it)."""
        self._pending_show = name
        if self.data is not None:  # else once the list is loaded
            self._apply_show()

    def _apply_show(self) -> None:
        name, self._pending_show = self._pending_show, None
        if self.data is None or name is None:
            return
        target = next((h for h in self.holders(self.data) if h.name == name), None)
        if target is None:
            self.notify(f'No {self.KIND} is called "{name}".', severity="warning")
        else:
            search = self.query_one("#search", Input)
            if search.value.strip() and not self.matches(target, search.value.strip().casefold()):
                with search.prevent(Input.Changed):
                    search.value = ""
            self._wanted = (target.name, target.company)
        self._fill()
        self.query_one("#people", DataTable).focus()

    # -- events -----------------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _search_changed(self) -> None:
        self._fill()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.action_back_to_list()

    @on(DataTable.RowHighlighted, "#people")
    def _holder_highlighted(self) -> None:
        self._show_agreements()

    @on(DataTable.RowSelected, "#people")
    def _holder_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        holder = self.selected
        if holder is not None and holder.agreements:
            self.query_one("#agreements", DataTable).focus()

    @on(DataTable.RowSelected, "#agreements")
    def _agreement_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = event.row_key.value
        if key is not None and key != "none":
            self.tracker.open_agreement(key)

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_back_to_list(self) -> None:
        self.query_one("#people", DataTable).focus()


def principal(a: HeldAgreement) -> Text:
    return money_cell(a.standing.principal_outstanding)


def interest(a: HeldAgreement) -> Text:
    return money_cell(a.standing.interest_outstanding)


def owed(a: HeldAgreement) -> Text:
    return money_cell(a.standing.owed)


def overdue(h: Holder) -> Text:
    return number(h.overdue, "bold red" if h.overdue else "")


#: What each list shows of an employee or a company: at 80 columns what is owed in one figure.
AGREEMENTS = HolderColumn("Agreements", lambda h: number(len(h.agreements)))
HOLDER_MONEY = (
    HolderColumn("Principal", lambda h: money_cell(h.principal_outstanding), wide_only=True),
    HolderColumn("Interest", lambda h: money_cell(h.interest_outstanding), wide_only=True),
    HolderColumn("Owed", lambda h: money_cell(h.outstanding)),
)


class EmployeesScreen(PeopleScreen):
    DESCRIPTION = (
        "Employees with their company, agreements and what is outstanding on the as-of date. "
        "Enter lists the agreements; Enter on one opens it."
    )
    KIND = "employee"
    KINDS = "employees"
    SEARCH_PLACEHOLDER = "Search: type part of an employee's or company's name (/ comes here)"
    PEOPLE_COLUMNS = (
        HolderColumn("Employee", lambda h: h.name),
        HolderColumn("Company", lambda h: h.company),
        AGREEMENTS,
        *HOLDER_MONEY,
    )
    AGREEMENT_COLUMNS = (
        Column("Agreement", lambda a: a.agreement),
        Column("Status", lambda a: status_text(a.standing.status)),
        Column("Next due", lambda a: day(a.standing.next_due)),
        Column("Pay by", lambda a: day(a.standing.next_deadline), wide_only=True),
        Column("Principal", principal),
        Column("Interest", interest),
        Column("Owed", owed, wide_only=True),
    )

    def holders(self, data: People) -> list[Holder]:
        return data.employees

    def matches(self, holder: Holder, text: str) -> bool:
        return text in holder.name.casefold() or text in holder.company.casefold()


class CompaniesScreen(PeopleScreen):
    DESCRIPTION = (
        "Companies with their employees, agreements (how many overdue) and what is outstanding "
        "on the as-of date. Enter lists the agreements; Enter opens one."
    )
    KIND = "company"
    KINDS = "companies"
    PEOPLE_COLUMNS = (
        HolderColumn("Company", lambda h: h.name),
        HolderColumn("Employees", lambda h: number(h.employees)),
        AGREEMENTS,
        HolderColumn("Overdue", overdue),
        *HOLDER_MONEY,
    )
    AGREEMENT_COLUMNS = (
        Column("Agreement", lambda a: a.agreement),
        Column("Employee", lambda a: a.employee),
        Column("Status", lambda a: status_text(a.standing.status)),
        Column("Next due", lambda a: day(a.standing.next_due), wide_only=True),
        Column("Pay by", lambda a: day(a.standing.next_deadline), wide_only=True),
        Column("Principal", principal, wide_only=True),
        Column("Interest", interest, wide_only=True),
        Column("Owed", owed),
    )

    def holders(self, data: People) -> list[Holder]:
        return data.companies
