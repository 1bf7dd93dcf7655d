"""What the terminal UI's tests share (importable as ``ui_support``): the as-of date and the
terminal sizes, a clock that ticks, and the Pilot helpers (``paste``, ``click``, ``released``,
``settle``).

Imported by the tests, unlike ``tests/tui/conftest.py``, which holds the fixtures.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

from support import day
from textual import events
from textual.widgets import Button
from textual.worker import WorkerState

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


def on_screen(pilot: Any) -> Any:
    """The app's screen now (read through a call: after an ``await`` the screen may have
    changed, which a type checker that narrowed ``app.screen`` before it cannot know)."""
    return pilot.app.screen


async def paste(pilot, text: str) -> None:
    """Put ``text`` into the focused field as a terminal delivers a paste: at once, so the
    form checks it once, where typing it checks it after each character (the README's test
    types for real, key by key, and so do the tests of typing itself)."""
    if text:
        pilot.app.post_message(events.Paste(text))
    await pilot.pause()


async def released(pilot, button: Any) -> None:
    """Wait until ``button`` shows no press: Textual's Button ignores a click or Enter while its
    pressed look (0.2 s) lasts, as a person's second press that quickly is a bounce. A test that
    presses the same button twice waits for this first, or its second press is lost whenever the
    first ran fast."""
    for _ in range(50):
        if not button.has_class("-active"):
            return
        await pilot.pause(0.01)
    raise AssertionError(f"{button} still pressed after 0.5 s")


async def click(pilot, selector: str) -> None:
    """Click the button ``selector`` as a person would: once its last press has been drawn out
    (see ``released``), and checking the click landed on it."""
    button = pilot.app.screen.query_one(selector, Button)
    await released(pilot, button)
    assert await pilot.click(button), f"the click missed {selector}"


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
