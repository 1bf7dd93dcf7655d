"""The terminal UI HR works in (Textual): ``comp-tracker`` with no arguments opens it.

Thin, like the CLI: every figure comes from the services (and through them the engine), every
write goes through a service in one transaction with its audit record. Layout:

* ``app.py``: the application, its as-of date, key bindings, command palette and themes;
* ``screens/``: one screen per module (home, agreements, agreement detail, employees, companies,
  help);
* ``modals/``: the forms, each validated field by field with a preview before it saves;
* ``widgets/``: the date field, the money formatting, the timeline;
* ``*.tcss``: the styles.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from comp_tracker.services.context import Context


def run(context: Context, as_of: dt.date | None = None) -> None:
    """Open the UI on ``context``'s database; it returns when the user quits."""
    from .app import CompTrackerApp

    CompTrackerApp(context, as_of=as_of).run()
