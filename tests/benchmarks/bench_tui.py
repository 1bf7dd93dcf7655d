"""Benchmark of the terminal UI's Agreements screen on a large database, driven with Pilot.

Run from the repository root, in the project's virtualenv:

    python tests/benchmarks/bench_tui.py [--db URL] [--runs K] [--size 120x40]
                                         [--as-of YYYY-MM-DD] [--cursor N] [--search WORD]
                                         [--skip-home] [--gc-freeze]

It opens the app on ``--db`` (default: the 100,000-agreement SQLite database of
``comp-tracker demo --synthetic 100000 --seed 1`` at /tmp/s100k.db), exactly as the command
does, ``CompTrackerApp(Context(open_database(url), "bench"), as_of=...)``, in Textual's
headless test mode (``App.run_test``), switches to the Agreements screen as soon as the app has
started, and measures:

1. **Start-up** (K runs): the time from creating the app to the first data row of the table
   drawn (the grid's ``render_line`` is timed), and to the figures of the rows on the screen
   drawn. Target: median under 1.5 s.
2. **Keys while the figures are computed in the background** (one more run, after the Home
   screen, which the app shows first, has finished its own load): cursor down, page down, and
   typing each letter of a search word then deleting it. Each key is sent the way Pilot sends
   it, and timed until its effect is drawn (the next screen update after the cursor moved, or
   after the search box shows the letter; and, for a search, after the table shows its rows).
   Pilot's own ``press`` and ``pause`` wait for the process to be idle (up to 1 s each), which
   it never is while a worker computes, so they cannot time these keys.
3. **The same keys once every figure is computed**, timed both ways: ``await pilot.press(key)``
   + ``await pilot.pause()`` around each key, as the issue asks, and directly as in 2. A bare
   app with a DataTable is timed with Pilot too: Pilot's floor on this machine.

Throughout, an asyncio task sleeps 5 ms at a time and records how late it wakes: the event
loop's stalls (a key cannot be handled during one). A watchdog thread samples the UI thread's
stack during any stall over 50 ms and names the code it was in, and ``gc.callbacks`` records
the garbage collections, which stop every thread. Target for 2 and 3: no key takes more than
100 ms, and no stall is longer.

Two diagnostics separate the causes of a miss: ``--skip-home`` leaves the Home screen's load
out (it holds a table of every flagged installment), ``--gc-freeze`` calls ``gc.freeze()`` once
it has loaded.

Exits 0 if every target is met, 1 if one is missed, 2 on a usage error. The database is only
read (opened without migrating). Not collected by pytest (pyproject's norecursedirs). See
tests/benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import multiprocessing
import os
import platform
import statistics
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from bench_engine import git_state
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Input

from comp_tracker.services.context import Context
from comp_tracker.storage.database import HEAD_REVISION, current_revision, open_database
from comp_tracker.tui.app import CompTrackerApp
from comp_tracker.tui.screens.agreements import AgreementsScreen
from comp_tracker.tui.screens.home import HomeScreen
from comp_tracker.tui.widgets.agreement_grid import AgreementGrid

STARTUP_TARGET = 1.5  # seconds from the app's start to the first rows drawn, median
KEY_TARGET = 0.100  # seconds: the longest a key may take, and the longest stall
TICK = 0.005  # the stall monitor's sleep
WATCH = 0.050  # stalls longer than this get their code named


# -- the stall monitor ---------------------------------------------------------------------------


@dataclass
class Stalls:
    """How late the event loop wakes from short sleeps, with the code behind the long stalls
    and the garbage collections (every thread stops for a full one)."""

    lateness: list[tuple[float, float]] = field(default_factory=list)  # (when, seconds late)
    named: list[tuple[float, str]] = field(default_factory=list)  # (when, where)
    #: (end, seconds, generation, objects tracked) of each collection over 10 ms
    collections: list[tuple[float, float, int, int]] = field(default_factory=list)
    _beat: float = 0.0
    _sampled: bool = False
    _task: asyncio.Task[None] | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _collecting: float = 0.0

    def start(self) -> None:
        self._beat = time.perf_counter()
        self._task = asyncio.create_task(self._tick())
        main = threading.get_ident()
        threading.Thread(target=self._watch, args=(main,), daemon=True).start()
        gc.callbacks.append(self._collection)

    def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            self._task.cancel()
        if self._collection in gc.callbacks:
            gc.callbacks.remove(self._collection)

    def _collection(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._collecting = time.perf_counter()
            return
        now = time.perf_counter()
        if now - self._collecting >= 0.01:
            tracked = len(gc.get_objects()) if info["generation"] == 2 else 0
            self.collections.append((now, now - self._collecting, info["generation"], tracked))

    async def _tick(self) -> None:
        while True:
            before = time.perf_counter()
            self._beat = before
            self._sampled = False
            await asyncio.sleep(TICK)
            now = time.perf_counter()
            self.lateness.append((now, max(0.0, now - before - TICK)))

    def _watch(self, main: int) -> None:
        while not self._stop.wait(0.01):
            if self._sampled or time.perf_counter() - self._beat < WATCH:
                continue
            self._sampled = True
            frame = sys._current_frames().get(main)
            if frame is not None:
                self.named.append((time.perf_counter(), where(frame)))

    def between(self, start: float, end: float) -> list[float]:
        return [late for when, late in self.lateness if start <= when <= end]

    def longest(self, start: float, end: float) -> str:
        """The longest stall in the window and what it was: a garbage collection, or the code
        the UI thread was in."""
        found = [(late, when) for when, late in self.lateness if start <= when <= end]
        if not found:
            return "no stall"
        late, when = max(found)
        if late < WATCH:
            return ms(late)
        began = when - late - TICK
        for end_at, seconds, generation, tracked in self.collections:
            if began - 0.005 <= end_at <= when + 0.005 and seconds >= late / 2:
                what = (
                    f"a full collection of {tracked:,} objects"
                    if generation == 2
                    else (f"a generation-{generation} collection")
                )
                return f"{ms(late)} (garbage collection: {what}, {ms(seconds)})"
        names = [name for at, name in self.named if began - 0.02 <= at <= when]
        return f"{ms(late)}" + (f" ({names[0]})" if names else "")

    def longest_not_collecting(self, start: float, end: float) -> float:
        """The longest stall in the window that no collection explains."""
        longest = 0.0
        for when, late in self.lateness:
            if not start <= when <= end:
                continue
            began = when - late - TICK
            collected = sum(
                seconds
                for end_at, seconds, _, _ in self.collections
                if began - 0.005 <= end_at <= when + 0.005
            )
            longest = max(longest, late - collected)
        return longest


def where(frame: Any) -> str:
    """The innermost frame of our code (or, failing that, the innermost frame) of a stack."""
    stack = traceback.extract_stack(frame)
    innermost = stack[-1]
    if innermost.name in ("select", "poll", "_run_once") or innermost.filename.endswith(
        "selectors.py"
    ):
        return "the UI thread waiting for the GIL (a worker thread or a collection holds it)"
    for entry in reversed(stack):
        if "/comp_tracker/" in entry.filename and "/benchmarks/" not in entry.filename:
            path = entry.filename.split("/comp_tracker/", 1)[1]
            return f"comp_tracker/{path}:{entry.lineno} {entry.name}"
    path = innermost.filename.rsplit("site-packages/", 1)[-1]
    return f"{path}:{innermost.lineno} {innermost.name}"


# -- timing helpers ------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def spread(values: Sequence[float]) -> str:
    if not values:
        return "none"
    return f"median {ms(statistics.median(values))}, max {ms(max(values))} ({len(values)} keys)"


class Drawn:
    """Notes when the app makes a screen update in which a condition holds (headless, updates
    are computed, strips and all, but written nowhere)."""

    def __init__(self, app: App[Any]) -> None:
        self._waiting: list[tuple[Callable[[], bool], asyncio.Future[float]]] = []
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            if renderable is None:
                return
            now = time.perf_counter()
            for condition, future in list(self._waiting):
                if not future.done() and condition():
                    future.set_result(now)
                    self._waiting.remove((condition, future))

        app._display = display  # type: ignore[method-assign]

    def expect(self, condition: Callable[[], bool]) -> asyncio.Future[float]:
        """A future of the time of the first update made once ``condition()`` holds."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiting.append((condition, future))
        return future


def send_key(app: App[Any], key: str) -> None:
    """Send a key as Pilot does, without waiting for the process to be idle."""
    character = key if len(key) == 1 else None
    event = events.Key(key, character)
    event.set_sender(app)
    assert app._driver is not None
    app._driver.send_message(event)


async def until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the screen did not get there")
        await asyncio.sleep(0.001)


async def timed_key(
    app: App[Any], drawn: Drawn, key: str, *shown: Callable[[], bool]
) -> list[float]:
    """Send ``key``; the seconds until each condition of ``shown`` is on the screen."""
    futures = [drawn.expect(condition) for condition in shown]
    start = time.perf_counter()
    send_key(app, key)
    times = await asyncio.wait_for(asyncio.gather(*futures), timeout=30)
    return [when - start for when in times]


# -- the runs ------------------------------------------------------------------------------------


@dataclass
class Startup:
    rows: float  # the first data row drawn
    figures: float  # the figures of the rows on the screen drawn
    stall: str  # the longest stall until then


@contextmanager
def first_rows_timer(start: float) -> Iterator[dict[str, float]]:
    """Note when the grid first draws a data row ("rows"), and the figures of every row on
    the screen ("figures"), in seconds after ``start``."""
    marks: dict[str, float] = {}
    original = AgreementGrid.render_line

    def render_line(self: AgreementGrid, y: int) -> Any:
        strip = original(self, y)
        if y >= 1 and self.rows and "rows" not in marks:
            marks["rows"] = time.perf_counter() - start
        if y >= 1 and self.rows and "figures" not in marks and self.day is not None:
            top, end = self.visible_range()
            if end > top and all(self.day.status[i] for i in self.rows[top:end]):
                marks["figures"] = time.perf_counter() - start
        return strip

    AgreementGrid.render_line = render_line  # type: ignore[method-assign]
    try:
        yield marks
    finally:
        AgreementGrid.render_line = original  # type: ignore[method-assign]


def new_app(url: str, as_of: dt.date) -> CompTrackerApp:
    return CompTrackerApp(Context(open_database(url, migrate=False), "bench"), as_of=as_of)


async def settle_down(threads: int) -> None:
    """Wait for what the previous app left running (thread workers finishing what they were
    doing, e.g. the Home screen's load; worker processes finishing their chunk), so that runs
    do not overlap; then collect, so that each starts with the same heap."""
    deadline = time.perf_counter() + 120
    while time.perf_counter() < deadline and (
        threading.active_count() > threads or multiprocessing.active_children()
    ):
        await asyncio.sleep(0.05)
    gc.collect()


async def startup_run(url: str, as_of: dt.date, size: tuple[int, int]) -> Startup:
    start = time.perf_counter()
    with first_rows_timer(start) as marks:
        app = new_app(url, as_of)
        async with app.run_test(size=size) as pilot:
            stalls = Stalls()
            stalls.start()
            await app.switch_mode("agreements")
            await until(lambda: "figures" in marks)
            stall = stalls.longest(0, time.perf_counter())
            stalls.stop()
            app.workers.cancel_all()
            await pilot.pause(0)
    return Startup(marks["rows"], marks["figures"], stall)


@dataclass
class KeyTimes:
    cursor: list[float] = field(default_factory=list)
    echo: list[float] = field(default_factory=list)  # a letter shown in the search box
    results: list[float] = field(default_factory=list)  # the search's rows shown
    pilot_cursor: list[float] = field(default_factory=list)
    pilot_typing: list[float] = field(default_factory=list)

    def worst(self) -> float:
        return max([*self.cursor, *self.echo, *self.results], default=0.0)


async def direct_keys(
    app: CompTrackerApp, drawn: Drawn, cursor_keys: int, word: str, times: KeyTimes
) -> None:
    """Cursor and search keys, each timed until drawn (see the module's docstring)."""
    screen = app.screen
    assert isinstance(screen, AgreementsScreen)
    grid = screen.grid
    grid.focus()
    await asyncio.sleep(0.05)
    for number in range(cursor_keys):
        key = "pagedown" if number % 4 == 3 else "down"

        def moved(before: object = grid.cursor) -> bool:
            return grid.cursor != before

        (shown,) = await timed_key(app, drawn, key, moved)
        times.cursor.append(shown)
    search = screen.query_one("#agreements-search", Input)
    search.focus()
    await asyncio.sleep(0.05)
    typed = ""
    for key in [*word, *(["backspace"] * len(word))]:
        typed = typed[:-1] if key == "backspace" else typed + key

        def echoed(text: str = typed) -> bool:
            return search.value == text

        def listed(text: str = typed) -> bool:
            selection = screen.selection
            return (
                selection is not None
                and selection.view.search == text
                and grid.rows is selection.rows
            )

        echo, results = await timed_key(app, drawn, key, echoed, listed)
        times.echo.append(echo)
        times.results.append(results)
    grid.focus()


async def pilot_keys(pilot: Any, cursor_keys: int, word: str, times: KeyTimes) -> None:
    """The same keys, timed as ``await pilot.press(key); await pilot.pause()``."""
    screen = pilot.app.screen
    screen.grid.focus()
    await pilot.pause()
    for number in range(cursor_keys):
        key = "pagedown" if number % 4 == 3 else "down"
        start = time.perf_counter()
        await pilot.press(key)
        await pilot.pause()
        times.pilot_cursor.append(time.perf_counter() - start)
    screen.query_one("#agreements-search").focus()
    await pilot.pause()
    for key in [*word, *(["backspace"] * len(word))]:
        start = time.perf_counter()
        await pilot.press(key)
        await pilot.pause()
        times.pilot_typing.append(time.perf_counter() - start)


class Bare(App[None]):
    """Pilot's floor: a DataTable of 50 rows and nothing else."""

    def compose(self) -> ComposeResult:
        yield DataTable()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("a", "b")
        for number in range(50):
            table.add_row(str(number), "x")


async def pilot_floor(keys: int) -> list[float]:
    found = []
    async with Bare().run_test() as pilot:
        await pilot.pause()
        for _ in range(keys):
            start = time.perf_counter()
            await pilot.press("down")
            await pilot.pause()
            found.append(time.perf_counter() - start)
    return found


@dataclass
class KeysRun:
    busy: KeyTimes
    idle: KeyTimes
    busy_stall: str
    busy_stalls: list[float]
    busy_unexplained: float  # the longest stall no garbage collection explains
    idle_stall: str
    idle_stalls: list[float]
    idle_unexplained: float
    home_stall: str
    full_collections: list[float]  # seconds, after the first rows were drawn
    tracked: int  # objects the cycle collector tracks, once every figure is computed
    computed_during: tuple[int, int, int]  # figures known before, after the busy keys; total
    late_done: float | None  # seconds after start: the overdue and due filters exact
    all_done: float  # every figure computed


async def keys_run(
    url: str,
    as_of: dt.date,
    size: tuple[int, int],
    cursor_keys: int,
    word: str,
    *,
    skip_home: bool,
    freeze: bool,
) -> KeysRun:
    start = time.perf_counter()
    app = new_app(url, as_of)
    async with app.run_test(size=size) as pilot:
        stalls = Stalls()
        stalls.start()
        drawn = Drawn(app)
        home = app.screen
        assert isinstance(home, HomeScreen)
        await app.switch_mode("agreements")
        screen = app.screen
        assert isinstance(screen, AgreementsScreen)
        await until(lambda: bool(screen.grid.rows))
        # The Home screen loads what needs attention when the app starts; its stalls are its.
        if not skip_home:
            await until(lambda: home.attention is not None, timeout=120)
        await asyncio.sleep(0.3)
        if freeze:
            gc.freeze()  # what is loaded so far is never scanned again
        home_done = time.perf_counter()
        home_stall = stalls.longest(start, home_done)
        shown_at = time.perf_counter()
        await until(lambda: screen.browser is not None and not screen.browser.partial)
        browser = screen.browser
        assert browser is not None
        day = browser.day(as_of)
        await until(lambda: browser.day(as_of).late is not None)
        late_mask = browser.day(as_of).late
        assert late_mask is not None
        late_total = sum(late_mask)
        late_done: list[float] = []

        def watch_late() -> bool:
            if not late_done and day.known >= late_total:
                late_done.append(time.perf_counter() - start)
            return day.known >= browser.total

        before = day.known
        busy = KeyTimes()
        busy_start = time.perf_counter()
        await direct_keys(app, drawn, cursor_keys, word, busy)
        busy_end = time.perf_counter()
        during = (before, day.known, browser.total)
        watch_late()
        await until(watch_late, timeout=600)
        all_done = time.perf_counter() - start
        await asyncio.sleep(0.5)
        idle = KeyTimes()
        idle_start = time.perf_counter()
        await direct_keys(app, drawn, cursor_keys, word, idle)
        await pilot_keys(pilot, cursor_keys, word, idle)
        idle_end = time.perf_counter()
        stalls.stop()
        tracked = len(gc.get_objects())
    return KeysRun(
        busy=busy,
        idle=idle,
        busy_stall=stalls.longest(busy_start, busy_end),
        busy_stalls=stalls.between(busy_start, busy_end),
        busy_unexplained=stalls.longest_not_collecting(busy_start, busy_end),
        idle_stall=stalls.longest(idle_start, idle_end),
        idle_stalls=stalls.between(idle_start, idle_end),
        idle_unexplained=stalls.longest_not_collecting(idle_start, idle_end),
        home_stall=home_stall,
        full_collections=[
            seconds
            for end, seconds, generation, _ in stalls.collections
            if generation == 2 and end >= shown_at
        ],
        tracked=tracked,
        computed_during=during,
        late_done=late_done[0] if late_done else None,
        all_done=all_done,
    )


# -- main ----------------------------------------------------------------------------------------


def parse_size(text: str) -> tuple[int, int]:
    width, _, height = text.partition("x")
    return int(width), int(height)


async def bench(args: argparse.Namespace) -> int:
    url, as_of, size = args.db, args.as_of, args.size
    database = open_database(url, migrate=False)
    with database.engine.connect() as connection:
        revision = current_revision(connection)
        count = connection.exec_driver_sql("SELECT count(*) FROM agreement").scalar()
    database.dispose()
    if revision != HEAD_REVISION:
        print(f"the database is at schema revision {revision}, not {HEAD_REVISION}: upgrade a copy")
        return 2
    load = os.getloadavg()[0]
    cpus = os.cpu_count() or 1
    print(
        f"python {platform.python_version()} on {platform.platform()}; {cpus} CPUs; "
        f"load average {load:.2f}"
    )
    print(f"  code: {git_state()}")
    print(f"  database: {url}, {count:,} agreements; as of {as_of}; terminal {size[0]}x{size[1]}")
    if args.skip_home:
        print("  diagnostic run: the Home screen loads nothing (--skip-home)")
    if args.gc_freeze:
        print("  diagnostic run: gc.freeze() once the Home screen has loaded (--gc-freeze)")
    if load > cpus - 1:
        print("  warning: other processes are busy; times may be inflated")

    threads = threading.active_count()
    startups = []
    for run in range(args.runs):
        await settle_down(threads)
        found = await startup_run(url, as_of, size)
        startups.append(found)
        print(
            f"  start-up run {run + 1}: first rows drawn {found.rows:.3f} s, their figures "
            f"{found.figures:.3f} s; longest stall {found.stall}"
        )
    await settle_down(threads)
    keys = await keys_run(
        url,
        as_of,
        size,
        args.cursor,
        args.search,
        skip_home=args.skip_home,
        freeze=args.gc_freeze,
    )
    floor = await pilot_floor(args.cursor)

    rows = [s.rows for s in startups]
    figures = [s.figures for s in startups]
    busy, idle = keys.busy, keys.idle
    before, after, total = keys.computed_during
    worst_busy = max(busy.worst(), max(keys.busy_stalls, default=0.0))
    worst_idle = max(idle.worst(), max(keys.idle_stalls, default=0.0))
    startup_ok = statistics.median(rows) < STARTUP_TARGET
    keys_ok = worst_busy <= KEY_TARGET and worst_idle <= KEY_TARGET
    print()
    print(
        f"agreements table, {count:,} agreements, {size[0]}x{size[1]}: first rows drawn "
        f"median {statistics.median(rows):.3f} s after the app started, max {max(rows):.3f} s "
        f"(target {STARTUP_TARGET} s); their figures median {statistics.median(figures):.3f} s "
        f"({len(rows)} runs)"
    )
    if not args.skip_home:
        print(f"  Home screen's own load at start: longest stall {keys.home_stall}")
    print(
        f"keys while figures are computed ({before:,} -> {after:,} of {total:,} known): "
        f"cursor {spread(busy.cursor)}; typing '{args.search}' and deleting it: letter shown "
        f"{spread(busy.echo)}, its rows shown {spread(busy.results)}"
    )
    print(
        f"  longest event-loop stall {keys.busy_stall}; 99th percentile "
        f"{ms(percentile(keys.busy_stalls, 99))}; the longest no collection explains "
        f"{ms(keys.busy_unexplained)}"
    )
    late = "not measured" if keys.late_done is None else f"{keys.late_done:.1f} s"
    print(
        f"  figures: overdue/due filters exact after {late}, every figure after "
        f"{keys.all_done:.1f} s (from the app's start)"
    )
    print(
        f"keys once idle, Pilot (press + pause): cursor {spread(idle.pilot_cursor)}; "
        f"typing {spread(idle.pilot_typing)}; a bare DataTable app {spread(floor)}"
    )
    print(
        f"  measured directly: cursor {spread(idle.cursor)}; letter shown {spread(idle.echo)}; "
        f"its rows shown {spread(idle.results)}"
    )
    print(
        f"  longest event-loop stall {keys.idle_stall}; the longest no collection explains "
        f"{ms(keys.idle_unexplained)}"
    )
    collections = keys.full_collections
    print(
        f"full garbage collections after the first rows: {len(collections)}, "
        + (
            f"median {ms(statistics.median(collections))}, max {ms(max(collections))}"
            if collections
            else "none"
        )
        + f"; objects tracked at the end {keys.tracked:,}"
    )
    if startup_ok and keys_ok:
        print("result: all targets met")
        return 0
    missed = []
    if not startup_ok:
        missed.append(f"start-up over {STARTUP_TARGET} s")
    if not keys_ok:
        missed.append(f"a key or a stall over {ms(KEY_TARGET)}")
    print(f"result: missed: {'; '.join(missed)}")
    return 1


def percentile(values: Sequence[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="sqlite:////tmp/s100k.db", help="the database to read")
    parser.add_argument("--runs", type=int, default=5, help="start-up runs (default 5)")
    parser.add_argument("--size", type=parse_size, default=(120, 40), help="terminal, WxH")
    parser.add_argument(
        "--as-of", type=dt.date.fromisoformat, default=dt.date(2026, 11, 21), help="as-of date"
    )
    parser.add_argument("--cursor", type=int, default=40, help="cursor keys per phase")
    parser.add_argument("--search", default="rivera", help="the word typed in the search box")
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="diagnostic: gc.freeze() once the Home screen has loaded (an app-level remedy for "
        "full collections, measured)",
    )
    parser.add_argument(
        "--skip-home",
        action="store_true",
        help="diagnostic: the Home screen loads nothing (its load and what it holds left out)",
    )
    args = parser.parse_args(argv)
    if args.skip_home:
        HomeScreen.refresh_data = lambda self: None  # type: ignore[method-assign]
    if args.runs < 1 or args.cursor < 1 or not args.search.isalpha():
        parser.error("--runs and --cursor must be at least 1, --search letters only")
    return asyncio.run(bench(args))


if __name__ == "__main__":
    sys.exit(main())
