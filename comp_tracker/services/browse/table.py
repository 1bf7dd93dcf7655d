"""Browsing every agreement at once: the UI's Agreements table, fast on 100,000 agreements.

Why not :func:`comp_tracker.services.agreements.reading.list_agreements`: it evaluates every
schedule before it returns (about 6 s on 100,000 agreements), and the table must show its first rows
at once. So the table is built in two layers:

* **names** (:func:`load_browser`): one SQL query for what needs no engine (each agreement's id,
  company, employee, version and two of the derived columns the writers keep, see
  ``services.writing.derived_columns``), about 0.3 s for 100,000, held in memory. Search, the
  company filter and the sorts by name run over them in memory, in milliseconds;
* **figures** (:func:`compute_figures`): what the engine says on the as-of date (status, the next
  installment due and what it owes, the principal and interest outstanding), computed for the
  rows on the screen first and for all the others in the background, and kept per as-of date in
  the :class:`Browser`. The status filter and the sorts by a figure are exact once every row
  they need has its figures; until then :meth:`Browser.select` says so.

Every figure is the engine's, read from :func:`comp_tracker.domain.standing_of`: the table shows the
same as ``comp-tracker agreements`` and ``comp-tracker show``.

The browser keeps its data in columns, a row being an index into them, rather than an object
per agreement: names in tuples, figures in arrays of integers (cents, day numbers, status codes)
and row lists in ``array("q")``. None of those is scanned by Python's cycle collector (tuples of
strings and dates are untracked after their first collection; arrays hold no objects), so a
collection takes milliseconds, where a list or an object per agreement made each full one pause
every thread, the UI's included, for 0.1-0.2 s. Sorts use keys that compare in C (strings and
integers), a few milliseconds each. Nothing here imports the UI.
"""

from __future__ import annotations

import datetime as dt
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from comp_tracker.domain import AgreementStatus, Standing
from comp_tracker.domain.money import from_cents
from comp_tracker.services.browse.figures import (
    NO_AMOUNT,
    NO_DAY,
    PACKED,
    STATUS_CODE,
    DayFigures,
)
from comp_tracker.services.context import Context
from comp_tracker.storage.queries.browse import name_rows
from comp_tracker.storage.queries.browse import records_stamp as stored_stamp
from comp_tracker.storage.reads import (
    late_selection,
    selected_ids,
)

#: The columns the table can be sorted by. The first three need only the names; the others are
#: the engine's figures on the as-of date.
NAME_COLUMNS = ("employee", "company", "agreement")
FIGURE_COLUMNS = ("next_due", "next_owed", "status", "outstanding", "interest")
SORT_COLUMNS = NAME_COLUMNS + FIGURE_COLUMNS
#: The order of the default view, as ``comp-tracker agreements`` lists them.
DEFAULT_SORT = "company"
#: How many as-of dates keep their figures (HR flips between a few days, e.g. two period ends).
KEPT_DATES = 4


def _rows(values: Iterable[int] = ()) -> array[int]:
    """A list of row indices that the cycle collector never scans."""
    return array("q", values)


@dataclass(frozen=True, slots=True)
class AgreementRow:
    """One row's names (made on demand, e.g. for the row under the cursor)."""

    index: int  # the row's place in the default order
    agreement_id: int
    key: str
    company: str
    employee: str


def records_stamp(ctx: Context) -> tuple[int, int, int]:
    """A stamp that changes whenever an agreement is added or written (every write moves the
    versions of the agreements it touches on): the number of agreements, the sum of their
    versions and the highest id."""
    with ctx.db.read() as connection:
        return stored_stamp(connection)


def late_ids(ctx: Context, as_of: dt.date) -> list[int]:
    """The agreements that can be overdue or in a payment window on ``as_of``: something has
    fallen due and they were not settled for good by then (``list_agreements``' rule, from the
    derived columns ``services.writing.derived_columns`` keeps). Only they need the engine to
    find the overdue or the due."""
    with ctx.db.read() as connection:
        return selected_ids(connection, late_selection(as_of))


def load_browser(ctx: Context) -> Browser:
    """Every agreement's names, in the default order (company, employee, agreement id)."""
    with ctx.db.read() as connection:
        found = name_rows(connection)
    return Browser(found)


def load_first_page(ctx: Context, size: int) -> Browser:
    """The first ``size`` agreements of the default order, for the table to show while every
    agreement loads: the database sorts (on 100,000 agreements, 0.03 s instead of 0.4 s).

    ``partial`` says whether there are more; if not, this is every agreement."""
    with ctx.db.read() as connection:
        found = name_rows(connection, first=size + 1)
    browser = Browser(found[:size])
    browser.partial = len(found) > size
    return browser


@dataclass(frozen=True, slots=True)
class View:
    """What the person asked to see."""

    #: Words that must all appear in the employee, company or agreement id (any case).
    search: str = ""
    #: A company's name (any case), or part of one: every company whose name contains it.
    company: str | None = None
    status: AgreementStatus | None = None  # None for all
    sort: str = DEFAULT_SORT
    descending: bool = False


@dataclass(frozen=True, slots=True)
class Selection:
    """The rows a :class:`View` selects on an as-of date, in its order."""

    view: View
    as_of: dt.date
    #: Row indices into the :class:`Browser`'s columns.
    rows: array[int]
    #: Every agreement in the database.
    total: int
    #: False while the status filter or a sort by a figure still waits for figures: ``rows``
    #: then holds the agreements known to match, and a sort puts the unknown ones last.
    complete: bool
    #: The totals of the rows' principal and interest outstanding, once every row's is known.
    outstanding: Decimal | None
    interest: Decimal | None


class Cancelled(Exception):
    """:meth:`Browser.select` was told to stop (a newer view replaced it)."""


def never() -> bool:
    return False


class Browser:
    """Every agreement's names in memory, in columns, with the engine's figures per as-of date.

    Shared between the UI and worker threads: figures are only ever added (under a lock), and
    every view is computed into new lists.
    """

    def __init__(self, found: Iterable[Sequence[Any]]) -> None:
        """``found``: (company, employee, key, id, version) rows."""
        ordered = sorted(found, key=lambda row: f"{row[0]}\0{row[1]}\0{row[2]}")
        columns: list[tuple[Any, ...]] = list(zip(*ordered, strict=True)) if ordered else [()] * 5
        self.company: tuple[str, ...] = columns[0]
        self.employee: tuple[str, ...] = columns[1]
        self.key: tuple[str, ...] = columns[2]
        self.ids: tuple[int, ...] = columns[3]
        self.version: tuple[int, ...] = columns[4]
        self._text: tuple[str, ...] | None = None
        self.total = len(self.ids)
        self.index_of = {agreement_id: index for index, agreement_id in enumerate(self.ids)}
        self.companies = sorted(set(self.company))
        self._folded_companies = [(company.casefold(), company) for company in self.companies]
        self._days: OrderedDict[dt.date, DayFigures] = OrderedDict()
        self._orders: dict[tuple[Any, ...], array[int]] = {}
        self._lock = threading.Lock()
        #: True for a first page (:func:`load_first_page`) while there are more agreements.
        self.partial = False

    def row(self, index: int) -> AgreementRow:
        return AgreementRow(
            index, self.ids[index], self.key[index], self.company[index], self.employee[index]
        )

    @property
    def text(self) -> tuple[str, ...]:
        """Each row's employee, company and agreement id, case-folded, for search (made at the
        first search, 0.1 s for 100,000, rather than before the first rows are shown)."""
        if self._text is None:
            names = zip(self.employee, self.company, self.key, strict=True)
            self._text = tuple(f"{e}\n{c}\n{k}".casefold() for e, c, k in names)
        return self._text

    def set_late(self, as_of: dt.date, ids: Iterable[int]) -> None:
        """Say which agreements can be overdue or due on ``as_of`` (:func:`late_ids`)."""
        mask = bytearray(self.total)
        for agreement_id in ids:
            index = self.index_of.get(agreement_id)
            if index is not None:
                mask[index] = 1
        self.day(as_of).late = mask

    # -- figures ---------------------------------------------------------------------------------

    def day(self, as_of: dt.date) -> DayFigures:
        """The figures known on ``as_of`` (a live record: it fills as they are computed)."""
        with self._lock:
            found = self._days.get(as_of)
            if found is None:
                found = self._days[as_of] = DayFigures(as_of, self.total)
                while len(self._days) > KEPT_DATES:
                    self._days.popitem(last=False)
            else:
                self._days.move_to_end(as_of)
            return found

    def add_figures(self, as_of: dt.date, found: dict[int, Standing]) -> None:
        """Keep figures from :func:`compute_figures` (by agreement id)."""
        day = self.day(as_of)
        with self._lock:
            for agreement_id, figures in found.items():
                index = self.index_of.get(agreement_id)
                if index is not None:
                    day.put(index, figures)

    def add_packed(self, as_of: dt.date, packed: array[int]) -> None:
        """Keep figures from :func:`pack`."""
        day = self.day(as_of)
        with self._lock:
            for start in range(0, len(packed), PACKED):
                index = self.index_of.get(packed[start])
                if index is not None:
                    day.put_packed(index, packed[start + 1 : start + PACKED])

    def figures(self, as_of: dt.date, index: int) -> Standing | None:
        """Row ``index``'s figures on ``as_of``, if computed."""
        return self.day(as_of).get(index)

    def missing(self, as_of: dt.date, rows: Iterable[int]) -> list[int]:
        """The agreement ids of ``rows`` whose figures on ``as_of`` are not known yet."""
        status = self.day(as_of).status
        return [self.ids[index] for index in rows if not status[index]]

    def fill_order(self, as_of: dt.date) -> tuple[list[int], int]:
        """The agreement ids still without figures on ``as_of``, those that can be overdue or
        in window first (so that those two status filters are complete soonest), each part in
        the default order; and how many can be."""
        day = self.day(as_of)
        status, mask = day.status, day.late
        late: list[int] = []
        others: list[int] = []
        for index in range(self.total):
            if not status[index]:
                (late if mask is not None and mask[index] else others).append(self.ids[index])
        return late + others, len(late)

    def carry_over(self, older: Browser) -> None:
        """Keep the figures ``older`` knows of agreements that have not changed since."""
        for as_of, before in list(older._days.items()):
            day = self.day(as_of)
            for index, agreement_id in enumerate(self.ids):
                old = older.index_of.get(agreement_id)
                if old is None or older.version[old] != self.version[index]:
                    continue
                figures = before.get(old)
                if figures is not None:
                    day.put(index, figures)

    # -- views -----------------------------------------------------------------------------------

    def companies_named(self, text: str) -> set[str]:
        """The company named ``text`` (any case); if none is, every company whose name contains
        it ("rowan" finds each Rowan company, "Rowan Fork Metals Corporation" that one alone)."""
        wanted = text.strip().casefold()
        folded = self._folded_companies
        exact = {company for fold, company in folded if fold == wanted}
        return exact or {company for fold, company in folded if wanted in fold}

    def select(
        self, view: View, as_of: dt.date, cancelled: Callable[[], bool] = never
    ) -> Selection:
        """The rows of ``view`` on ``as_of``; raises :class:`Cancelled` as soon as
        ``cancelled()`` says so (it is asked between the steps, each a pass over the rows)."""
        if view.sort not in SORT_COLUMNS:
            raise ValueError(f"cannot sort by {view.sort!r}")
        day = self.day(as_of)
        status = day.status
        rows: Sequence[int] = self._ordered(view.sort, view.descending, as_of, day)
        self._check(cancelled)
        if view.company is not None:
            companies = self.companies_named(view.company)
            company = self.company
            rows = [i for i in rows if company[i] in companies]
            self._check(cancelled)
        text = self.text
        for word in view.search.casefold().split():
            rows = [i for i in rows if word in text[i]]
            self._check(cancelled)
        # Which rows' figures decide what is shown: every row's, to sort by a figure or to find
        # the active or ended ones; only those that can be late, to find the overdue or due.
        if view.sort in FIGURE_COLUMNS or view.status in (
            AgreementStatus.ACTIVE,
            AgreementStatus.ENDED,
        ):
            complete = all(status[i] for i in rows)
        elif view.status is not None and day.late is not None:
            late = day.late
            complete = all(status[i] for i in rows if late[i])
        elif view.status is not None:
            complete = all(status[i] for i in rows)
        else:
            complete = True
        self._check(cancelled)
        if view.status is not None:
            code = STATUS_CODE[view.status]
            rows = [i for i in rows if status[i] == code]
            self._check(cancelled)
        outstanding: Decimal | None = None
        interest: Decimal | None = None
        if all(status[i] for i in rows):
            principal, owed = day.outstanding, day.interest
            outstanding = from_cents(sum(principal[i] for i in rows))
            interest = from_cents(sum(owed[i] for i in rows))
        shown = rows if isinstance(rows, array) else _rows(rows)
        return Selection(view, as_of, shown, self.total, complete, outstanding, interest)

    @staticmethod
    def _check(cancelled: Callable[[], bool]) -> None:
        if cancelled():
            raise Cancelled

    def _ordered(
        self, column: str, descending: bool, as_of: dt.date, day: DayFigures
    ) -> array[int]:
        """Every row in the column's order; kept once final (every figure it needs known), so
        that a search or a filter re-sorts nothing."""
        if column in NAME_COLUMNS:
            cache_key: tuple[Any, ...] = (column, descending)
            found = self._orders.get(cache_key)
            if found is None:
                found = self._orders[cache_key] = self._sorted_by_name(column, descending)
            return found
        cache_key = (column, descending, as_of)
        found = self._orders.get(cache_key)
        if found is not None:
            return found
        complete = day.known >= self.total
        ordered = self._sorted_by_figure(column, descending, day)
        if complete:
            self._orders = {k: v for k, v in self._orders.items() if len(k) == 2 or k[2] == as_of}
            self._orders[cache_key] = ordered
        return ordered

    def _sorted_by_name(self, column: str, descending: bool) -> array[int]:
        if column == "company":  # the default order: company, employee, agreement id
            ordered = list(range(self.total))
        elif column == "employee":
            names = zip(self.employee, self.company, self.key, strict=True)
            keys = [f"{employee}\0{company}\0{key}" for employee, company, key in names]
            ordered = sorted(range(self.total), key=keys.__getitem__)
        else:
            ordered = sorted(range(self.total), key=self.key.__getitem__)
        if descending:
            ordered.reverse()
        return _rows(ordered)

    def _sorted_by_figure(self, column: str, descending: bool, day: DayFigures) -> array[int]:
        """Rows with a value first, by it, ties in the default order (descending: that list
        reversed); then the rows without a value (no installment left to pay, or figures not
        computed yet) in the default order, whatever the direction."""
        status = day.status
        values: Sequence[int] = getattr(day, column)
        none = {"next_due": NO_DAY, "next_owed": NO_AMOUNT}.get(column)
        valued = [i for i in range(self.total) if status[i] and values[i] != none]
        without = [i for i in range(self.total) if not status[i] or values[i] == none]
        valued.sort(key=values.__getitem__)  # stable: ties stay in the default order
        if descending:
            valued.reverse()
        return _rows(valued + without)
