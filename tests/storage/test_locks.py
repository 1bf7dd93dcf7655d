"""The due job's no-overlap lock: a file lock on SQLite, an advisory lock on PostgreSQL."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from comp_tracker.storage.database import open_database
from comp_tracker.storage.locks import LockBusy, advisory_key, job_lock


@pytest.fixture
def database(db_url):
    database = open_database(db_url)
    yield database
    database.dispose()


def test_a_second_holder_waits_then_gives_up_with_one_line(database):
    with job_lock(database, "due --notify", wait=0):
        if database.is_sqlite:  # beside the database, where the operator would look for it
            assert Path(f"{make_url(database.url).database}.due-notify.lock").exists()
        started = time.monotonic()
        with (
            pytest.raises(LockBusy) as busy,
            job_lock(open_database(database.url), "due --notify", wait=0.5),
        ):
            pass
        assert time.monotonic() - started >= 0.5
    assert str(busy.value) == (
        "another 'due --notify' run is still working on this database after waiting 0.5 s; "
        "this run did nothing"
    )
    # Released: the next run takes it at once; another job's lock never conflicts.
    with job_lock(database, "due --notify", wait=0), job_lock(database, "other job", wait=0):
        pass


def test_a_waiting_run_gets_the_lock_when_the_holder_finishes(database):
    order: list[str] = []
    holding = threading.Event()

    def first() -> None:
        with job_lock(database, "due --notify", wait=0):
            holding.set()
            time.sleep(0.5)
            order.append("first done")

    thread = threading.Thread(target=first)
    thread.start()
    holding.wait(5)
    with job_lock(open_database(database.url), "due --notify", wait=10):
        order.append("second in")
    thread.join()
    assert order == ["first done", "second in"]


def test_the_advisory_key_is_stable_and_fits_a_bigint():
    key = advisory_key("due --notify")
    assert key == advisory_key("due --notify") != advisory_key("other job")
    assert -(2**63) <= key < 2**63
