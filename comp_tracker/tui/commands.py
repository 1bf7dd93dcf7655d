"""The command palette (Ctrl+P): finds agreements, employees and companies by name, and actions."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from .app import CompTrackerApp

#: The actions the palette offers, by what a person would type.
ACTIONS = (
    ("Home: what needs attention today", "switch_mode('home')"),
    ("Agreements: the table of all agreements", "switch_mode('agreements')"),
    ("Employees", "switch_mode('employees')"),
    ("Companies", "switch_mode('companies')"),
    ("Set the as-of date", "set_as_of"),
    ("New agreement: type in a signed agreement's terms", "new_agreement"),
    ("Export accruals and journal entries", "export"),
    ("Help: keys and what each screen shows", "help"),
)


class Finder(Provider):
    """Agreements, employees and companies matching what is typed (from the database), and the
    app's actions."""

    @property
    def _app(self) -> CompTrackerApp:
        return self.app  # type: ignore[return-value]

    async def discover(self) -> Hits:
        for label, action in ACTIONS:
            yield DiscoveryHit(label, partial(self._app.run_action, action))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, action in ACTIONS:
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), partial(self._app.run_action, action))
        if len(query.strip()) < 2:
            return
        from comp_tracker.services.agreements.search import find

        found = await asyncio.to_thread(find, self._app.context, query)
        for item in found:
            score = max(matcher.match(item.label), 0.1)
            command = partial(self._open, item.kind, item.key)
            yield Hit(score, matcher.highlight(item.label), command, help=item.help)

    def _open(self, kind: str, key: str) -> None:
        app = self._app
        if kind == "agreement":
            app.open_agreement(key)
        else:
            app.call_later(app.open_person, kind, key)
