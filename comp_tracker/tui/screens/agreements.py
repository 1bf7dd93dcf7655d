"""Agreements: every agreement on the as-of date, searched, filtered and sorted as you type.

Built for 100,000 agreements (``services.browse.table`` says how). The names of every agreement load
off the UI thread (the first page first, so the table shows at once) and are searched, filtered
and sorted in memory by a worker that the next keystroke replaces. The engine's figures (status,
next installment, outstanding) are computed for the rows on the screen first and for all the
others in the background, so the status filter and the sorts by a figure become exact when that
is done (the line above the table says how far it got). The table is an
:class:`~comp_tracker.tui.widgets.agreement_grid.AgreementGrid`, which draws only the lines on
the screen: 100,000 rows cost nothing to show or scroll.

The table follows the app's as-of date, and when the screen comes back (e.g. from an
agreement's detail where a payment was recorded) it re-reads what changed: a stamp of every
agreement's version tells it whether anything did.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.suggester import SuggestFromList
from textual.widgets import Input, Select, Static
from textual.worker import get_current_worker

from comp_tracker.domain import AgreementStatus
from comp_tracker.services.browse.figures import compute_figures
from comp_tracker.services.browse.fill import PROCESS_THRESHOLD, Fill
from comp_tracker.services.browse.table import (
    FIGURE_COLUMNS,
    Browser,
    Cancelled,
    Selection,
    View,
    load_browser,
    load_first_page,
    records_stamp,
)

from ..widgets.agreement_grid import AgreementGrid
from ..widgets.grid_columns import COLUMNS
from ..widgets.text import money
from .base import BaseScreen

#: While the status filter or a sort by a figure waits for figures, re-select at most this often.
RESELECT_SECONDS = 1.0
#: Agreements of the first page, shown while every agreement loads (a screenful or two).
FIRST_PAGE = 100
#: Rows above and below the screen whose figures are fetched with those on it.
WINDOW_MARGIN = 20

STATUS_CHOICES = (
    ("Status: overdue", "overdue"),
    ("Status: due (in window)", "due"),
    ("Status: active", "active"),
    ("Status: ended", "ended"),
)


class SearchBox(Input):
    """The search field: the table's keys (up, down, pages) work from it, so one can type and
    move without leaving it; Enter or Escape goes back to the table."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "grid('cursor_down')", show=False),
        Binding("up", "grid('cursor_up')", show=False),
        Binding("pagedown", "grid('page_down')", show=False),
        Binding("pageup", "grid('page_up')", show=False),
    ]

    def action_grid(self, action: str) -> None:
        grid = self.screen.query_one(AgreementGrid)
        getattr(grid, f"action_{action}")()


class AgreementsScreen(BaseScreen):
    DESCRIPTION = (
        "Every agreement as of the app's date: / to search as you type, filter by company or "
        "status, s/r or click a column to sort, Enter to open."
    )
    AUTO_FOCUS = "#agreements-grid"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search", key_display="/", tooltip="Type to search"),
        Binding("escape", "back_to_table", "Back to the table", show=False),
        Binding("s", "sort_next", "Sort"),
        Binding("r", "reverse", "Reverse"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.browser: Browser | None = None
        self.view = View()
        self.selection: Selection | None = None
        #: Which figures computation the line above the table reports: (as of, known, total).
        self.progress: tuple[dt.date, int, int] | None = None
        self._requested = 0  # the number of the latest view asked for
        self._stamp: tuple[int, int, int] | None = None
        self._last_reselect = 0.0
        self._fill_work: Fill | None = None
        self._closing = False

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="agreements-controls"):
            yield SearchBox(
                placeholder="Search names or agreement ids",
                id="agreements-search",
                compact=True,
            )
            yield Input(placeholder="Company: all", id="agreements-company", compact=True)
            yield Select(
                STATUS_CHOICES,
                prompt="Status: all",
                id="agreements-status",
                compact=True,
            )
        yield Static("Loading agreements…", id="agreements-summary", classes="totals", markup=False)
        yield AgreementGrid(id="agreements-grid")
        yield Static("", id="agreements-current", classes="agreements-current", markup=False)

    @property
    def grid(self) -> AgreementGrid:
        return self.query_one(AgreementGrid)

    @property
    def filler(self) -> Fill:
        if self._fill_work is None:
            self._fill_work = Fill(self.context)
        return self._fill_work

    def on_unmount(self) -> None:
        """The app is closing: stop the workers' processes; their results are not shown."""
        self._closing = True
        if self._fill_work is not None:
            self._fill_work.close()

    # -- loading ---------------------------------------------------------------------------------

    def refresh_data(self) -> None:
        """First shown, or a new as-of date: show the rows known on that date at once (figures
        computed before are kept per date), then check whether the records changed."""
        if self.browser is not None:
            self._use(self.browser)
        self._load()

    def on_screen_resume(self) -> None:
        """Back from another screen (where something may have been recorded)."""
        if self.browser is not None:
            self._load()

    @work(thread=True, exclusive=True, group="agreements-load")
    def _load(self) -> None:
        """Read every agreement's names, unless the records are as last read. The first time,
        the first page comes first (on 100,000 agreements in a few hundredths of a second),
        so the table shows at once while the rest loads."""
        worker = get_current_worker()
        stamp = records_stamp(self.context)  # before reading: a later write reloads again
        older = self.browser
        if older is not None and not older.partial and stamp == self._stamp:
            return
        if older is None:
            first = load_first_page(self.context, FIRST_PAGE)
            if worker.is_cancelled:
                return
            self.app.call_from_thread(self._loaded, first, stamp)
            if not first.partial:
                return  # that was every agreement
            if stamp[0] > PROCESS_THRESHOLD:
                self._warm_up()  # the worker processes start while the names load
        browser = load_browser(self.context)
        previous = self.browser
        if previous is not None:
            browser.carry_over(previous)  # what did not change keeps its figures
        if not worker.is_cancelled:
            self.app.call_from_thread(self._loaded, browser, stamp)

    @work(thread=True, group="agreements-warm-up")
    def _warm_up(self) -> None:
        self.filler.warm_up()

    def _loaded(self, browser: Browser, stamp: tuple[int, int, int]) -> None:
        if self._closing:
            return
        self.browser = browser
        self._stamp = stamp
        if not browser.partial:
            company = self.query_one("#agreements-company", Input)
            company.suggester = SuggestFromList(browser.companies, case_sensitive=False)
        self._use(browser)

    def _use(self, browser: Browser) -> None:
        """Show ``browser``'s rows as of the app's date, and compute the figures missing."""
        as_of = self.as_of
        self.grid.day = browser.day(as_of)
        self.progress = (as_of, self.grid.day.known, browser.total)
        self._select()
        if not browser.partial:
            self._fill(browser, as_of)

    @work(thread=True, exclusive=True, group="agreements-fill")
    def _fill(self, browser: Browser, as_of: dt.date) -> None:
        """Compute every agreement's figures (services.browse.fill.Fill: those that can be late
        first; in worker processes when there are many)."""
        worker = get_current_worker()

        def progress(late_done: bool) -> None:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._filled, browser, as_of, late_done)

        finished = self.filler.run(
            browser, as_of, progress=progress, cancelled=lambda: worker.is_cancelled
        )
        if finished and not worker.is_cancelled:
            self.app.call_from_thread(self._filled, browser, as_of, True)

    def _filled(self, browser: Browser, as_of: dt.date, milestone: bool) -> None:
        if self._closing or browser is not self.browser or as_of != self.as_of:
            return
        self.progress = (as_of, browser.day(as_of).known, browser.total)
        if self.grid.pending:  # a row on the screen was waiting for its figures
            self.grid.pending = False
            self.grid.refresh()
        selection = self.selection
        now = time.monotonic()
        # The rows or the totals wait for figures: select again, now and then, and at the end.
        waiting = selection is not None and (
            not selection.complete or selection.outstanding is None
        )
        if waiting and (milestone or now - self._last_reselect >= RESELECT_SECONDS):
            self._select()
            return
        self._show_summary()

    # -- the view --------------------------------------------------------------------------------

    def _select(self) -> None:
        """Ask for the current view; the rows come back from a worker (the newest wins)."""
        if self.browser is None:
            return
        self._requested += 1
        self._last_reselect = time.monotonic()
        self._run_select(self.browser, self.view, self.as_of, self._requested)
        self._show_summary()

    @work(thread=True, exclusive=True, group="agreements-view")
    def _run_select(self, browser: Browser, view: View, as_of: dt.date, number: int) -> None:
        worker = get_current_worker()
        try:
            selection = browser.select(view, as_of, cancelled=lambda: worker.is_cancelled)
        except Cancelled:
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._selected, browser, selection, number)

    def _selected(self, browser: Browser, selection: Selection, number: int) -> None:
        if self._closing or number != self._requested or browser is not self.browser:
            return  # a newer view was asked for meanwhile (or the app is closing)
        current = self.grid.current
        # The same view again (figures came in, a new date, the records changed): the cursor
        # stays on its agreement. A new search, filter or sort starts from the top.
        same = self.selection is not None and self.selection.view == selection.view
        self.selection = selection
        self.grid.sort, self.grid.descending = selection.view.sort, selection.view.descending
        self.grid.empty_text = (
            "No agreement matches." if selection.complete else "None found yet: computing…"
        )
        self.grid.day = browser.day(selection.as_of)
        keep = current.agreement_id if same and current is not None else None
        self.grid.show(browser, selection.rows, keep=keep)
        self._show_summary()

    def _show_summary(self) -> None:
        """Update the line above the table (laid out again only if it needs another line: an
        update comes with every step of the figures' computation)."""
        line = self.query_one("#agreements-summary", Static)
        text = self.summary()
        room = max(1, line.content_region.width)
        old = str(line.content)
        layout = (len(old) - 1) // room != (len(text) - 1) // room
        line.update(text, layout=layout)

    def summary(self) -> str:
        """The line above the table: how many agreements, their totals, the sort, and how far
        the figures are."""
        browser, selection = self.browser, self.selection
        if browser is None or selection is None:
            return "Loading agreements…"
        if browser.partial:
            return f"Loading agreements… (the first {browser.total} shown)"
        view = selection.view
        parts = []
        shown = len(selection.rows)
        noun = "agreement" if selection.total == 1 else "agreements"
        if view.search.strip() or view.company or view.status:
            count = f"{shown:,} of {selection.total:,} {noun}"
        else:
            count = f"{shown:,} {noun}"
        if not selection.complete:
            count = f"{count} so far"
        parts.append(count)
        if selection.outstanding is not None and selection.interest is not None:
            parts.append(
                f"outstanding {money(selection.outstanding)} · interest {money(selection.interest)}"
            )
        if view.sort not in self.grid.shown_columns():
            label = next(c.label for c in COLUMNS if c.name == view.sort)
            parts.append(f"by {label.lower()} id {'▼' if view.descending else '▲'}")
        progress = self.progress
        if progress is not None and progress[0] == self.as_of and progress[1] < progress[2]:
            what = "statuses" if view.status or view.sort in FIGURE_COLUMNS else "figures"
            parts.append(f"computing {what}… {progress[1]:,} of {progress[2]:,}")
        return " · ".join(parts)

    def _set_view(self, **changes: Any) -> None:
        fields = {
            "search": self.view.search,
            "company": self.view.company,
            "status": self.view.status,
            "sort": self.view.sort,
            "descending": self.view.descending,
            **changes,
        }
        view = View(**fields)
        if view != self.view:
            self.view = view
            self._select()

    # -- figures of the rows on the screen -------------------------------------------------------

    def on_agreement_grid_viewed(self, message: AgreementGrid.Viewed) -> None:
        browser = self.browser
        if browser is None:
            return
        rows = self.grid.rows
        start = max(0, message.first - WINDOW_MARGIN)
        wanted = browser.missing(self.as_of, rows[start : message.end + WINDOW_MARGIN])
        if wanted:
            self._fetch(browser, self.as_of, wanted)

    @work(thread=True, exclusive=True, group="agreements-window")
    def _fetch(self, browser: Browser, as_of: dt.date, ids: list[int]) -> None:
        browser.add_figures(as_of, compute_figures(self.context, ids, as_of))
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._fetched)

    def _fetched(self) -> None:
        if not self._closing:
            self.grid.pending = False
            self.grid.refresh()

    # -- what people do --------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.input.id == "agreements-search":
            self._set_view(search=event.value)
        elif event.input.id == "agreements-company":
            self._set_view(company=event.value.strip() or None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.grid.focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        value = event.value
        self._set_view(status=None if value is Select.NULL else AgreementStatus(str(value)))

    def on_agreement_grid_moved(self, message: AgreementGrid.Moved) -> None:
        row = message.row
        text = "" if row is None else f"{row.key} · {row.employee} · {row.company}"
        self.query_one("#agreements-current", Static).update(text, layout=False)

    def on_agreement_grid_selected(self, message: AgreementGrid.Selected) -> None:
        self.tracker.open_agreement(message.row.key)

    def on_agreement_grid_sort_clicked(self, message: AgreementGrid.SortClicked) -> None:
        if message.column == self.view.sort:
            self._set_view(descending=not self.view.descending)
        else:
            self._set_view(sort=message.column, descending=False)

    def action_focus_search(self) -> None:
        self.query_one("#agreements-search", Input).focus()

    def action_back_to_table(self) -> None:
        self.grid.focus()

    def action_sort_next(self) -> None:
        names = [c.name for c in COLUMNS]
        following = names[(names.index(self.view.sort) + 1) % len(names)]
        self._set_view(sort=following, descending=False)

    def action_reverse(self) -> None:
        self._set_view(descending=not self.view.descending)
