"""Filling a browser's figures on a date in the background: in the calling thread, or, for a
large fill, in worker processes that keep the UI's process quick (see :class:`Fill`)."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import sys
import threading
from array import array
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from comp_tracker.services.browse.figures import compute_figures, pack
from comp_tracker.services.browse.table import Browser, late_ids, never
from comp_tracker.services.context import Context
from comp_tracker.storage.database import Database, open_database

#: Agreements whose figures one step of a :class:`Fill` computes (about 0.1 s of work).
FILL_CHUNK = 1000
#: A fill of more agreements than this runs in worker processes (see :class:`Fill`).
PROCESS_THRESHOLD = 20_000


#: In a worker process of a :class:`Fill`: the database of each URL, opened once.
_PROCESS_DATABASES: dict[str, Database] = {}


def packed_figures(url: str, ids: Sequence[int], as_of: dt.date) -> array[int]:
    """:func:`compute_figures`, packed, in a worker process of a :class:`Fill`."""
    database = _PROCESS_DATABASES.get(url)
    if database is None:
        database = _PROCESS_DATABASES[url] = open_database(url, migrate=False)
    return pack(compute_figures(Context(database, "browse"), ids, as_of))


def _warm_up(url: str) -> None:
    """Start a worker process's imports and connection before there is work for it."""
    if url not in _PROCESS_DATABASES:
        _PROCESS_DATABASES[url] = open_database(url, migrate=False)


class Fill:
    """Computes the figures a browser lacks on a date, a chunk at a time, and keeps them.

    A large fill (more than ``PROCESS_THRESHOLD`` agreements: 100,000 take 6 s of the engine)
    runs in worker processes, one fewer than the machine's CPUs (at least one, at most three),
    so that it neither competes with the UI for Python's global lock nor leaves the UI's
    process objects to collect: the UI stays as quick as when idle, and on two CPUs the fill
    takes half the time it takes in a thread beside the UI. The processes start once (about
    a second of imports, begun by :meth:`warm_up`) and serve every later fill until
    :meth:`close`. A small fill, a database in memory, or processes that cannot start or die:
    the calling thread computes, as :func:`compute_figures` does.
    """

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._pool: ProcessPoolExecutor | None = None
        self._broken = not ctx.db.opens_in_other_processes
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """Start the worker processes now (when a large fill is coming)."""
        pool = self._processes()
        if pool is not None:
            for _ in range(_workers()):
                pool.submit(_warm_up, self.ctx.db.url)

    def _processes(self) -> ProcessPoolExecutor | None:
        with self._lock:
            if self._pool is None and not self._broken:
                try:
                    self._pool = _start_processes()
                except (OSError, ValueError):
                    self._broken = True
            return self._pool

    def close(self, *, wait: bool = False) -> None:
        """Stop the worker processes (work not started is dropped). They exit in the background,
        or before this returns with ``wait``."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=wait, cancel_futures=True)

    def run(
        self,
        browser: Browser,
        as_of: dt.date,
        *,
        progress: Callable[[bool], None],
        cancelled: Callable[[], bool] = never,
    ) -> bool:
        """Compute every figure ``browser`` lacks on ``as_of``, those that can be late first;
        ``progress(late_done)`` after each chunk (``late_done``: true once, when the last of
        those that can be late is in). False if ``cancelled()`` stopped it."""
        if browser.day(as_of).late is None:
            browser.set_late(as_of, late_ids(self.ctx, as_of))
        ids, late = browser.fill_order(as_of)
        chunks = [ids[start : start + FILL_CHUNK] for start in range(0, len(ids), FILL_CHUNK)]
        done = 0
        pool = self._processes() if len(ids) > PROCESS_THRESHOLD else None
        futures: list[Future[array[int]]] = []
        if pool is not None:
            try:
                futures = [pool.submit(packed_figures, self.ctx.db.url, c, as_of) for c in chunks]
            except RuntimeError:  # shut down meanwhile, or broken
                futures = []
        try:
            for number, chunk in enumerate(chunks):
                packed = self._wait(futures[number], cancelled) if futures else None
                if cancelled():
                    return False
                if packed is None:
                    browser.add_figures(as_of, compute_figures(self.ctx, chunk, as_of))
                else:
                    browser.add_packed(as_of, packed)
                before, done = done, done + len(chunk)
                progress(before < late <= done)
        finally:
            for future in futures:
                future.cancel()
        return True

    def _wait(self, future: Future[array[int]], cancelled: Callable[[], bool]) -> array[int] | None:
        """The chunk's packed figures; None to compute it here (the processes failed)."""
        while not cancelled():
            try:
                return future.result(timeout=0.1)
            except FutureTimeout:
                continue
            except Exception:  # a worker process died or could not start: go on without
                self._broken = True
                return None
        return None


def _start_processes() -> ProcessPoolExecutor:
    """A pool of spawned processes, whose output goes nowhere (a stray warning would draw
    over the UI).

    Multiprocessing's resource tracker (a helper process, started with the first pool) is
    given our standard error; a terminal UI has replaced it with an object without a file
    descriptor, on which it fails ("bad value(s) in fds_to_keep"). It gets /dev/null instead.
    """
    from multiprocessing import resource_tracker

    saved = sys.stderr
    with open(os.devnull, "w", encoding="utf-8") as nowhere:
        sys.stderr = nowhere
        try:
            resource_tracker.ensure_running()
            return ProcessPoolExecutor(
                max_workers=_workers(),
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_quiet,
            )
        finally:
            sys.stderr = saved


def _quiet() -> None:
    """In a worker process: send its output (and any traceback) to /dev/null."""
    nowhere = os.open(os.devnull, os.O_WRONLY)
    os.dup2(nowhere, 1)
    os.dup2(nowhere, 2)
    os.close(nowhere)


def _workers() -> int:
    return max(1, min(3, (os.cpu_count() or 2) - 1))
