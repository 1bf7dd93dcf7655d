"""What every main screen has: the header (with the as-of date), a title line saying what the
screen shows, and the footer of key bindings; and a hook for the as-of date changing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from ..tracker import ReachesTracker


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

    def refresh_data(self) -> None:
        """Load what the screen shows (off the UI thread where it can take time)."""
