"""The terminal UI's fixtures: an app over a fresh SQLite database holding the sample agreements,
with the as-of date and the clock fixed, so screens and snapshots are the same on every run
(the helpers the tests import are in ``tests/ui_support.py``).

SQLite only: the UI reads and writes through the services, which the services tests run on both
databases.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest
import textual._wait as textual_wait
import textual.constants as textual_constants
from sqlalchemy import event
from support import copy_database, sqlite_snapshot
from ui_support import AS_OF, ticking

from comp_tracker.services.context import Context
from comp_tracker.services.demo import load_samples
from comp_tracker.storage.database import Database, open_database
from comp_tracker.tui.app import CompTrackerApp


def _from_the_ui(frame: FrameType | None) -> str | None:
    """The first frame of ``comp_tracker.tui`` on the stack, as "file:line", if any."""
    while frame is not None:
        if f"{os.sep}comp_tracker{os.sep}tui{os.sep}" in frame.f_code.co_filename:
            return f"{frame.f_code.co_filename}:{frame.f_lineno}"
        frame = frame.f_back
    return None


@pytest.fixture(scope="session")
def sample_database(tmp_path_factory) -> Path:
    """The sample agreements loaded (by "loader", from 1 June 2002) once per test process; each
    test gets a copy of the file."""
    url = f"sqlite:///{tmp_path_factory.mktemp('template') / 'tui.db'}"
    db = open_database(url)
    loader = Context(db, "loader", clock=ticking(dt.datetime(2002, 6, 1, 9, tzinfo=dt.UTC)))
    load_samples(loader)
    db.dispose()
    return sqlite_snapshot(url)


@pytest.fixture
def database(tmp_path, sample_database) -> Iterator[Database]:
    """The sample database. Every SQL statement the terminal UI makes is checked to run off the
    UI thread (in a worker): one on the UI thread freezes the screen while it waits, and fails
    the test that made it."""
    db = open_database(copy_database(sample_database, tmp_path / "tui.db"))
    on_the_ui_thread: list[str] = []

    def check(*_args: object) -> None:
        if threading.current_thread() is threading.main_thread():
            where = _from_the_ui(sys._getframe(1))
            if where is not None:
                on_the_ui_thread.append(where)

    for engine in {db.engine, db.write_engine}:
        event.listen(engine, "before_cursor_execute", check)
    yield db
    db.dispose()
    assert not on_the_ui_thread, f"SQL on the UI thread, from {sorted(set(on_the_ui_thread))}"


@pytest.fixture
def context(database) -> Context:
    """HR at work, from 1 October 2002 (what the UI writes is recorded then)."""
    return Context(database, "hr", clock=ticking(dt.datetime(2002, 10, 1, 9, tzinfo=dt.UTC)))


@pytest.fixture
def app(context) -> CompTrackerApp:
    return CompTrackerApp(context, as_of=AS_OF)


@pytest.fixture(autouse=True)
def _quick_pilot(monkeypatch) -> None:
    """Pilot waits for the app to go idle after every key and pause: it sleeps in steps of
    1/50 s and calls the app idle after a step with almost no CPU used. Steps of 1/200 s find the
    same idle moment four times sooner (the tests wait for workers and screens themselves, with
    ``settle``, never on a sleep). Animations are off, as with ``TEXTUAL_ANIMATIONS=none``: a
    scroll that glides would move a button while a test clicks it."""
    monkeypatch.setattr(textual_wait, "SLEEP_GRANULARITY", 1 / 200)
    monkeypatch.setattr(textual_wait, "SLEEP_IDLE", 1 / 200 / 20)
    monkeypatch.setattr(textual_constants, "TEXTUAL_ANIMATIONS", "none")
