"""A lock per job and database, so two runs of a job never overlap.

``due --notify`` takes it for the whole run (flag, record, e-mail, record the notice): a second
run started meanwhile waits for the first to finish, then finds its alerts already notified and
sends nothing. On SQLite the lock is a file beside the database (``<file>.due-notify.lock``, locked
with the operating system's file locks through ``filelock``); on PostgreSQL it is a session-level
advisory lock, so runs on different machines sharing the database exclude each other too. Either
is released when the holder exits, however it exits: a killed run leaves nothing to clean up.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from .database import Database

#: How often a waiting run asks PostgreSQL again.
_POLL_SECONDS = 0.25


class LockBusy(RuntimeError):
    """Another run still holds the lock after the wait: one line for the operator."""


def advisory_key(job: str) -> int:
    """A stable signed 64-bit key for ``pg_advisory_lock``, from the job's name."""
    digest = hashlib.sha256(f"comp-tracker:{job}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _busy(job: str, wait: float) -> LockBusy:
    waited = f"after waiting {wait:g} s" if wait > 0 else "(not waiting)"
    return LockBusy(
        f"another '{job}' run is still working on this database {waited}; this run did nothing"
    )


@contextmanager
def job_lock(database: Database, job: str, wait: float) -> Iterator[None]:
    """Hold the job's lock for the block, waiting up to ``wait`` seconds for it; else LockBusy."""
    if database.is_sqlite:
        name = make_url(database.url).database
        if not name or name == ":memory:" or name.startswith("file:"):
            yield  # an in-memory database has a single user
            return
        slug = re.sub(r"[^A-Za-z0-9]+", "-", job).strip("-")  # "due --notify": "due-notify"
        yield from _file_lock(Path(f"{name}.{slug}.lock"), job, wait)
    else:
        yield from _advisory_lock(database, job, wait)


def _file_lock(path: Path, job: str, wait: float) -> Iterator[None]:
    from filelock import FileLock, Timeout

    lock = FileLock(path, timeout=wait, mode=0o600)
    try:
        lock.acquire()
    except Timeout:
        raise _busy(job, wait) from None
    try:
        yield
    finally:
        lock.release()


def _advisory_lock(database: Database, job: str, wait: float) -> Iterator[None]:
    key = {"key": advisory_key(job)}
    deadline = time.monotonic() + wait
    with database.engine.connect() as connection:
        while not connection.execute(text("SELECT pg_try_advisory_lock(:key)"), key).scalar():
            connection.rollback()  # end the polling query's transaction: hold no snapshot
            if time.monotonic() >= deadline:
                raise _busy(job, wait)
            time.sleep(min(_POLL_SECONDS, max(0.0, deadline - time.monotonic())))
        connection.commit()
        try:
            yield
        finally:
            try:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), key)
                connection.commit()
            except Exception:
                # Never hand a connection that may still hold the lock back to the pool.
                connection.invalidate()
                raise
