"""The terminal UI's fixtures: an app over a fresh SQLite database holding the sample agreements,
with the as-of date and the clock fixed, so screens and snapshots are the same on every run.

SQLite only: the UI reads and writes through the services, which the services tests run on both
databases.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator

import pytest
from support import day
from textual.worker import WorkerState

from comp_tracker.services.context import Context
from comp_tracker.services.demo import load_samples
from comp_tracker.storage.database import Database, open_database
from comp_tracker.tui.app import CompTrackerApp

#: The as-of date of the UI tests: the end of the third quarter of 2002, the Baker agreement's
#: first installment paid late or not at all, its second still to come.
AS_OF = day("2002-09-30")
#: Snapshot sizes: the smallest terminal the UI supports, and a roomy one.
SMALL = (80, 24)
LARGE = (120, 40)


def ticking(start: dt.datetime) -> Callable[[], dt.datetime]:
    """A clock that moves one second each time it is read: fixed, yet every record in order."""
    seconds = itertools.count()
    return lambda: start + dt.timedelta(seconds=next(seconds))


@pytest.fixture
def database(tmp_path) -> Iterator[Database]:
    db = open_database(f"sqlite:///{tmp_path / 'tui.db'}")
    loader = Context(db, "loader", clock=ticking(dt.datetime(2002, 6, 1, 9, tzinfo=dt.UTC)))
    load_samples(loader)
    yield db
    db.dispose()


@pytest.fixture
def context(database) -> Context:
    """HR at work, from 1 October 2002 (what the UI writes is recorded then)."""
    return Context(database, "hr", clock=ticking(dt.datetime(2002, 10, 1, 9, tzinfo=dt.UTC)))


@pytest.fixture
def app(context) -> CompTrackerApp:
    return CompTrackerApp(context, as_of=AS_OF)


async def settle(pilot) -> None:
    """Wait until every worker has finished and the screen has caught up, including the workers
    that finishing ones start (a form reads, is drawn, then starts its first preview)."""
    await pilot.pause()
    for _ in range(20):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        busy = any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in pilot.app.workers)
        if not busy and getattr(pilot.app.screen, "is_ready", True):
            return
    raise AssertionError("workers still running after 20 rounds")
