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

Every figure is the engine's (``queries.agreement_status`` for the status): the table shows the
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
import multiprocessing
import os
import sys
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from comp_tracker.domain import OPEN_STATUSES, AgreementError, Schedule, compute_schedule
from comp_tracker.domain.money import from_cents, to_cents
from comp_tracker.services.agreements.reading import AGREEMENT_STATUSES, agreement_status
from comp_tracker.services.context import Context
from comp_tracker.storage.database import Database, open_database
from comp_tracker.storage.queries.browse import name_rows
from comp_tracker.storage.queries.browse import records_stamp as stored_stamp
from comp_tracker.storage.reads import (
    late_selection,
    load_agreements,
    no_cycle_collection,
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
#: Agreements whose figures one step of a :class:`Fill` computes (about 0.1 s of work).
FILL_CHUNK = 1000
#: A fill of more agreements than this runs in worker processes (see :class:`Fill`).
PROCESS_THRESHOLD = 20_000

#: A status's code in :class:`DayFigures` (0: not computed yet), worst first: sorting by it puts
#: the overdue first.
_STATUS_CODE = {status: code for code, status in enumerate(AGREEMENT_STATUSES, start=1)}
_NO_AMOUNT = -1  # next_owed's cents when no installment is left to pay
_NO_DAY = 0  # next_due's day number when none is


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


@dataclass(frozen=True, slots=True)
class Figures:
    """An agreement on the as-of date, as the engine computes it."""

    status: str  # one of queries.AGREEMENT_STATUSES
    #: The earliest installment not yet paid or forfeited (scheduled, in window or overdue):
    #: its due date and what it owes on the as-of date (principal and late interest).
    next_due: dt.date | None
    next_owed: Decimal | None
    outstanding: Decimal  # principal outstanding
    interest: Decimal  # late interest outstanding


def figures_of(schedule: Schedule) -> Figures:
    following = min(
        (i for i in schedule.installments if i.status in OPEN_STATUSES),
        key=lambda i: (i.due, i.number),
        default=None,
    )
    return Figures(
        status=agreement_status(schedule),
        next_due=None if following is None else following.due,
        next_owed=None
        if following is None
        else following.principal_outstanding + following.interest_outstanding,
        outstanding=schedule.principal_outstanding,
        interest=schedule.interest_outstanding,
    )


def compute_figures(ctx: Context, ids: Sequence[int], as_of: dt.date) -> dict[int, Figures]:
    """The engine's figures of the agreements ``ids`` (database ids) on ``as_of``: a few
    queries, then the engine, about 60 µs an agreement. An agreement whose records the engine
    refuses (which the writers never store) is left out.

    The cycle collector is paused meanwhile, as for the load itself: the agreements loaded
    would otherwise survive into its oldest generation and set off full collections, each of
    which pauses every thread (the UI's too) for a tenth of a second in the app.
    """
    if not ids:
        return {}
    with ctx.db.read() as connection:
        loaded = load_agreements(connection, ids=ids)
    found = {}
    with no_cycle_collection():
        for item in loaded:
            try:
                schedule = compute_schedule(item.terms, item.events, as_of)
            except AgreementError:
                continue
            found[item.agreement_id] = figures_of(schedule)
    return found


def records_stamp(ctx: Context) -> tuple[int, int, int]:
    """A stamp that changes whenever an agreement is added or written (every write moves the
    versions of the agreements it touches on): the number of agreements, the sum of their
    versions and the highest id."""
    with ctx.db.read() as connection:
        return stored_stamp(connection)


#: Integers per agreement in :func:`pack`.
PACKED = 6


def pack(found: dict[int, Figures]) -> array[int]:
    """Figures as integers, cheap to send from another process: per agreement its id, status
    code, next due day number, next owed cents, principal and interest outstanding cents."""
    packed = array("q")
    for agreement_id, figures in found.items():
        packed.extend(
            (
                agreement_id,
                _STATUS_CODE[figures.status],
                _NO_DAY if figures.next_due is None else figures.next_due.toordinal(),
                _NO_AMOUNT if figures.next_owed is None else to_cents(figures.next_owed),
                to_cents(figures.outstanding),
                to_cents(figures.interest),
            )
        )
    return packed


#: In a worker process of a :class:`Fill`: the database of each URL, opened once.
_PROCESS_DATABASES: dict[str, Database] = {}


def packed_figures(url: str, ids: Sequence[int], as_of: dt.date) -> array[int]:
    """:func:`compute_figures`, packed, in a worker process of a :class:`Fill`."""
    database = _PROCESS_DATABASES.get(url)
    if database is None:
        database = _PROCESS_DATABASES[url] = open_database(url, migrate=False)
    return pack(compute_figures(Context(database, "browse"), ids, as_of))


def _warm_up(url: str) -> None:
    """Start a worker process's imports and connection before there is work for it."""
    if url not in _PROCESS_DATABASES:
        _PROCESS_DATABASES[url] = open_database(url, migrate=False)


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


class DayFigures:
    """Every agreement's figures on one as-of date, by row: money in cents, dates as day
    numbers (``date.toordinal``) and the status as a code (0 while not computed yet).

    A row's status is written last, so a row whose status is known has all its figures.
    """

    def __init__(self, size: int) -> None:
        self.status = bytearray(size)
        self.next_due = array("q", [_NO_DAY]) * size
        self.next_owed = array("q", [_NO_AMOUNT]) * size
        self.outstanding = array("q", [0]) * size
        self.interest = array("q", [0]) * size
        self.known = 0
        #: 1 for each row that can be overdue or due on the date (``Browser.set_late``); None
        #: until known.
        self.late: bytearray | None = None

    def put(self, index: int, figures: Figures) -> None:
        fresh = not self.status[index]
        self.next_due[index] = _NO_DAY if figures.next_due is None else figures.next_due.toordinal()
        self.next_owed[index] = (
            _NO_AMOUNT if figures.next_owed is None else to_cents(figures.next_owed)
        )
        self.outstanding[index] = to_cents(figures.outstanding)
        self.interest[index] = to_cents(figures.interest)
        self.status[index] = _STATUS_CODE[figures.status]
        if fresh:
            self.known += 1

    def put_packed(self, index: int, packed: Sequence[int]) -> None:
        """Figures packed by :func:`pack` (without the id)."""
        code, next_due, next_owed, outstanding, interest = packed
        fresh = not self.status[index]
        self.next_due[index] = next_due
        self.next_owed[index] = next_owed
        self.outstanding[index] = outstanding
        self.interest[index] = interest
        self.status[index] = code
        if fresh:
            self.known += 1

    def get(self, index: int) -> Figures | None:
        code = self.status[index]
        if not code:
            return None
        next_due, next_owed = self.next_due[index], self.next_owed[index]
        return Figures(
            status=AGREEMENT_STATUSES[code - 1],
            next_due=None if next_due == _NO_DAY else dt.date.fromordinal(next_due),
            next_owed=None if next_owed == _NO_AMOUNT else from_cents(next_owed),
            outstanding=from_cents(self.outstanding[index]),
            interest=from_cents(self.interest[index]),
        )


@dataclass(frozen=True, slots=True)
class View:
    """What the person asked to see."""

    #: Words that must all appear in the employee, company or agreement id (any case).
    search: str = ""
    #: A company's name (any case), or part of one: every company whose name contains it.
    company: str | None = None
    status: str | None = None  # one of queries.AGREEMENT_STATUSES, or None for all
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


def _never() -> bool:
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
                found = self._days[as_of] = DayFigures(self.total)
                while len(self._days) > KEPT_DATES:
                    self._days.popitem(last=False)
            else:
                self._days.move_to_end(as_of)
            return found

    def add_figures(self, as_of: dt.date, found: dict[int, Figures]) -> None:
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

    def figures(self, as_of: dt.date, index: int) -> Figures | None:
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
        self, view: View, as_of: dt.date, cancelled: Callable[[], bool] = _never
    ) -> Selection:
        """The rows of ``view`` on ``as_of``; raises :class:`Cancelled` as soon as
        ``cancelled()`` says so (it is asked between the steps, each a pass over the rows)."""
        if view.sort not in SORT_COLUMNS:
            raise ValueError(f"cannot sort by {view.sort!r}")
        if view.status is not None and view.status not in AGREEMENT_STATUSES:
            raise ValueError(f"no such status {view.status!r}")
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
        if view.sort in FIGURE_COLUMNS or view.status in ("active", "ended"):
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
            code = _STATUS_CODE[view.status]
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
        none = {"next_due": _NO_DAY, "next_owed": _NO_AMOUNT}.get(column)
        valued = [i for i in range(self.total) if status[i] and values[i] != none]
        without = [i for i in range(self.total) if not status[i] or values[i] == none]
        valued.sort(key=values.__getitem__)  # stable: ties stay in the default order
        if descending:
            valued.reverse()
        return _rows(valued + without)


class Fill:
    """Computes the figures a browser lacks on a date, a chunk at a time, and keeps them.

    A large fill (more than ``PROCESS_THRESHOLD`` agreements: 100,000 take 6 s of the engine)
    runs in worker processes, one fewer than the machine's CPUs (at least one, at most three),
    so that it neither competes with the UI for Python's global lock nor leaves the UI's
    process objects to collect: the UI stays as quick as when idle, and on two CPUs the fill
    takes half the time it takes in a thread beside the UI. The processes start once (about
    a second of imports, begun by :meth:`warm_up`) and serve every later fill until
    :meth:`close`. A small fill, a database in memory, or processes that cannot start or die:
    the calling thread computes, as :func:`compute_figures` does.
    """

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._pool: ProcessPoolExecutor | None = None
        self._broken = not ctx.db.opens_in_other_processes
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """Start the worker processes now (when a large fill is coming)."""
        pool = self._processes()
        if pool is not None:
            for _ in range(_workers()):
                pool.submit(_warm_up, self.ctx.db.url)

    def _processes(self) -> ProcessPoolExecutor | None:
        with self._lock:
            if self._pool is None and not self._broken:
                try:
                    self._pool = _start_processes()
                except (OSError, ValueError):
                    self._broken = True
            return self._pool

    def close(self, *, wait: bool = False) -> None:
        """Stop the worker processes (work not started is dropped). They exit in the background,
        or before this returns with ``wait``."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=wait, cancel_futures=True)

    def run(
        self,
        browser: Browser,
        as_of: dt.date,
        *,
        progress: Callable[[bool], None],
        cancelled: Callable[[], bool] = _never,
    ) -> bool:
        """Compute every figure ``browser`` lacks on ``as_of``, those that can be late first;
        ``progress(late_done)`` after each chunk (``late_done``: true once, when the last of
        those that can be late is in). False if ``cancelled()`` stopped it."""
        if browser.day(as_of).late is None:
            browser.set_late(as_of, late_ids(self.ctx, as_of))
        ids, late = browser.fill_order(as_of)
        chunks = [ids[start : start + FILL_CHUNK] for start in range(0, len(ids), FILL_CHUNK)]
        done = 0
        pool = self._processes() if len(ids) > PROCESS_THRESHOLD else None
        futures: list[Future[array[int]]] = []
        if pool is not None:
            try:
                futures = [pool.submit(packed_figures, self.ctx.db.url, c, as_of) for c in chunks]
            except RuntimeError:  # shut down meanwhile, or broken
                futures = []
        try:
            for number, chunk in enumerate(chunks):
                packed = self._wait(futures[number], cancelled) if futures else None
                if cancelled():
                    return False
                if packed is None:
                    browser.add_figures(as_of, compute_figures(self.ctx, chunk, as_of))
                else:
                    browser.add_packed(as_of, packed)
                before, done = done, done + len(chunk)
                progress(before < late <= done)
        finally:
            for future in futures:
                future.cancel()
        return True

    def _wait(self, future: Future[array[int]], cancelled: Callable[[], bool]) -> array[int] | None:
        """The chunk's packed figures; None to compute it here (the processes failed)."""
        while not cancelled():
            try:
                return future.result(timeout=0.1)
            except FutureTimeout:
                continue
            except Exception:  # a worker process died or could not start: go on without
                self._broken = True
                return None
        return None


def _start_processes() -> ProcessPoolExecutor:
    """A pool of spawned processes, whose output goes nowhere (a stray warning would draw
    over the UI).

    Multiprocessing's resource tracker (a helper process, started with the first pool) is
    given our standard error; a terminal UI has replaced it with an object without a file
    descriptor, on which it fails ("bad value(s) in fds_to_keep"). It gets /dev/null instead.
    """
    from multiprocessing import resource_tracker

    saved = sys.stderr
    with open(os.devnull, "w", encoding="utf-8") as nowhere:
        sys.stderr = nowhere
        try:
            resource_tracker.ensure_running()
            return ProcessPoolExecutor(
                max_workers=_workers(),
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_quiet,
            )
        finally:
            sys.stderr = saved


def _quiet() -> None:
    """In a worker process: send its output (and any traceback) to /dev/null."""
    nowhere = os.open(os.devnull, os.O_WRONLY)
    os.dup2(nowhere, 1)
    os.dup2(nowhere, 2)
    os.close(nowhere)


def _workers() -> int:
    return max(1, min(3, (os.cpu_count() or 2) - 1))
