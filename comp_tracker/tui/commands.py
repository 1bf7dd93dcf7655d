"""The command palette (Ctrl+P): finds agreements, employees and companies by name, and actions."""

from __future__ import annotations

import asyncio
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from .tracker import Tracker, tracker_of

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
    def tracker(self) -> Tracker:
        return tracker_of(self.screen)

    async def discover(self) -> Hits:
        for label, action in ACTIONS:
            yield DiscoveryHit(label, partial(self.app.run_action, action))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, action in ACTIONS:
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), partial(self.app.run_action, action))
        if len(query.strip()) < 2:
            return
        from comp_tracker.services.agreements.search import find

        found = await asyncio.to_thread(find, self.tracker.context, query)
        for item in found:
            score = max(matcher.match(item.label), 0.1)
            command = partial(self._open, item.kind, item.key)
            yield Hit(score, matcher.highlight(item.label), command, help=item.help)

    def _open(self, kind: str, key: str) -> None:
        tracker = self.tracker
        if kind == "agreement":
            tracker.open_agreement(key)
        else:
            self.app.call_later(tracker.open_person, kind, key)
