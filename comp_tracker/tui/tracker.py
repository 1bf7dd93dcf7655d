"""What a screen, a modal or the palette may use of the application: the one typed way to reach
it (:func:`tracker_of`).

The screens and modals never import :mod:`comp_tracker.tui.app` (which imports them): they see
the app as a :class:`Tracker`, and ``tests/tui/test_import_graph.py`` shows that the modules of
``comp_tracker.tui`` import one another without a cycle.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from comp_tracker.services.context import Context


class Tracker(Protocol):
    """The application as the rest of the UI sees it."""

    #: The services' context: the database and who is working in it.
    context: Context
    #: The day the whole app shows the records as of (setting it moves every screen).
    as_of: dt.date

    def open_agreement(self, agreement: str) -> None:
        """Show one agreement's detail over the current screen."""

    async def open_person(self, kind: str, name: str) -> None:
        """Show an employee's or a company's agreements ("employee" or "company")."""

    def startup_loaded(self) -> None:
        """The first screen has its data (see the app's method)."""


def tracker_of(node: DOMNode) -> Tracker:
    """The application that ``node`` (a screen, a modal, a widget) runs in."""
    return cast("Tracker", node.app)


class ReachesTracker:
    """For a screen or a modal: ``tracker``, and its ``context`` and ``as_of`` at hand."""

    @property
    def tracker(self) -> Tracker:
        return tracker_of(cast("DOMNode", self))

    @property
    def context(self) -> Context:
        return self.tracker.context

    @property
    def as_of(self) -> dt.date:
        return self.tracker.as_of
