"""What every main screen has: the header (with the as-of date), a title line saying what the
screen shows, and the footer of key bindings; and a hook for the as-of date changing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static
from textual.worker import get_current_worker

from ..tracker import ReachesTracker

FoundT = TypeVar("FoundT")


class BaseScreen(ReachesTracker, Screen[Any]):
    """A main screen. Subclasses set ``DESCRIPTION`` (the line under the header saying what the
    screen shows), compose their body in ``compose_body`` and reload in ``refresh_data``, which
    runs when the screen is first shown and whenever the as-of date changes."""

    DESCRIPTION = ""

    def compose(self) -> ComposeResult:
        yield Header(icon="$")
        yield Static(self.DESCRIPTION, classes="screen-description")
        yield from self.compose_body()
        # The palette's key is the app's "Find" binding, so that the footer fits 80 columns.
        yield Footer(compact=True, show_command_palette=False)

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.watch(self.app, "as_of", self._as_of_changed, init=False)
        self.refresh_data()

    def _as_of_changed(self, _value: dt.date) -> None:
        self.refresh_data()

    def load(
        self, group: str, read: Callable[[dt.date], FoundT], show: Callable[[FoundT], None]
    ) -> None:
        """``read`` what the screen shows as of its date, in a worker thread (a newer load of the
        ``group`` cancels it), then ``show`` it on the UI thread; unless the date has changed
        meanwhile: the load for the new date shows its own."""
        as_of = self.as_of

        def run() -> None:
            found = read(as_of)
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._show_loaded, as_of, show, found)

        self.run_worker(run, thread=True, exclusive=True, group=group, name=group)

    def _show_loaded(self, as_of: dt.date, show: Callable[[FoundT], None], found: FoundT) -> None:
        if as_of == self.as_of:
            show(found)

    def refresh_data(self) -> None:
        """Load what the screen shows (off the UI thread where it can take time)."""
