"""Shared fixtures: the Baker agreement as the exhibit has it; Hypothesis profiles."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from support import BAKER_FILE, POSTGRES_URL, copy_database, sqlite_snapshot

from comp_tracker.domain import AgreementFile, load_agreement

# In CI every run draws the same examples, so a red build can be reproduced and a green one is
# not luck; on a developer's machine each run explores new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The fast lane (``pytest -m "not slow"``) leaves out, besides the tests marked ``slow``
    (long property runs, crash tests), the SVG snapshots and the PostgreSQL run of the tests that
    run on both databases: what they check, the SQLite run and the Pilot tests check too."""
    slow = pytest.mark.slow
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        callspec = getattr(item, "callspec", None)
        on_postgres = callspec is not None and callspec.params.get("db_url") == "postgresql"
        if "snap_compare" in fixtures or on_postgres:
            item.add_marker(slow)


@pytest.fixture(scope="session")
def baker() -> AgreementFile:
    return load_agreement(BAKER_FILE)


@pytest.fixture(autouse=True)
def _isolated_from_the_machine(tmp_path_factory, monkeypatch):
    """No test reads or writes the user's own config or database (harlequin does the same)."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    for name in ("COMP_TRACKER_DATABASE_URL", "COMP_TRACKER_ACTOR", "COMP_TRACKER_CONFIG"):
        monkeypatch.delenv(name, raising=False)


def _postgres_reachable() -> str | None:
    """None if the test PostgreSQL answers, else why not."""
    import psycopg

    url = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
    try:
        with psycopg.connect(url, connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0]


#: The PostgreSQL databases this test process created, dropped when it ends.
_CREATED: set[str] = set()


def _worker_database() -> str:
    """The PostgreSQL database of this test process: the configured one, or under pytest-xdist
    one of its own per worker and per run (``test_gw0_1a2b3c4d``, ...), created on first use and
    dropped when the worker ends, so that neither workers of one run nor two runs on the same
    machine at once reset each other's schema (two runs sharing ``test_gw0`` did: one's
    crash test found its agreements gone)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return POSTGRES_URL
    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(POSTGRES_URL)
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")[:8]
    name = f"{base.database}_{worker}_{run}" if run else f"{base.database}_{worker}"
    if name not in _CREATED:
        with psycopg.connect(_admin_url(), autocommit=True, connect_timeout=3) as connection:
            found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if found.fetchone() is None:
                connection.execute(f'CREATE DATABASE "{name}"')
        _CREATED.add(name)
    return base.set(database=name).render_as_string(hide_password=False)


def _admin_url() -> str:
    return POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")


@pytest.fixture(scope="session", autouse=True)
def _drop_worker_databases() -> Iterator[None]:
    """Drop the databases this process created once its tests are done (WITH (FORCE): a
    connection some test left open does not keep it)."""
    yield
    if not _CREATED:
        return
    import psycopg

    with psycopg.connect(_admin_url(), autocommit=True, connect_timeout=3) as connection:
        for name in sorted(_CREATED):
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _CREATED.clear()


def _reset_postgres(database_url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
        connection.execute(text("DROP FUNCTION IF EXISTS comp_tracker_append_only() CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """An empty database on each backend. PostgreSQL is skipped where it is not running, but
    required where COMP_TRACKER_REQUIRE_POSTGRES=1 (as .ci/run sets)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'comp-tracker.db'}"
    reason = _postgres_reachable()
    if reason is not None:
        message = f"PostgreSQL at {POSTGRES_URL} is not reachable: {reason}"
        if os.environ.get("COMP_TRACKER_REQUIRE_POSTGRES") == "1":
            pytest.fail(message + " (COMP_TRACKER_REQUIRE_POSTGRES=1)")
        pytest.skip(message)
    database_url = _worker_database()
    _reset_postgres(database_url)
    return database_url


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """An empty SQLite database at the schema's head, built once per test process: a test that
    wants a fresh one gets a copy (migrating takes about 0.4 s; copying, a millisecond)."""
    from comp_tracker.storage.database import open_database

    url = f"sqlite:///{tmp_path_factory.mktemp('template') / 'migrated.db'}"
    open_database(url).dispose()
    return sqlite_snapshot(url)


@pytest.fixture
def ctx(request, db_url):
    """The services' context on a fresh, migrated database, acting as "tester"."""
    from comp_tracker.services.context import Context
    from comp_tracker.storage.database import open_database

    if db_url.startswith("sqlite:///"):
        copy_database(
            request.getfixturevalue("migrated_sqlite"), Path(db_url.removeprefix("sqlite:///"))
        )
    database = open_database(db_url)
    yield Context(database, "tester")
    database.dispose()
