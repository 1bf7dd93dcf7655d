"""The history tables refuse to be rewritten, whoever asks: UPDATE, DELETE, upserts, TRUNCATE.

Runs on SQLite and on PostgreSQL (the ``ctx`` fixture). The rows come from ordinary service calls:
the Baker agreement imported (terms revision, installments, audit log), a payment recorded
(event) and voided (void).
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from support import BAKER, BAKER_FILE, day, usd

from comp_tracker.domain import schedule_to_dict
from comp_tracker.services.agreements.importing import import_files
from comp_tracker.services.agreements.reading import show
from comp_tracker.services.context import Context
from comp_tracker.services.events.recording import record_payment, void_event
from comp_tracker.storage import tables as t
from comp_tracker.storage.database import open_database

#: Each append-only table, and a tampering a dishonest or careless hand might try on it.
TAMPERING = {
    "audit_log": ("actor", "'mallory'"),
    "event": ("amount_cents", "1"),
    "void": ("reason", "'never mind'"),
    "terms_revision": ("late_interest_rate", "'0.00'"),
    "installment": ("amount_cents", "1"),
}
APPEND_ONLY = tuple(TAMPERING)


def _record_history(ctx: Context) -> None:
    import_files(ctx, [BAKER_FILE])
    paid = record_payment(ctx, BAKER, day("2002-07-01"), usd("66000.00"), installment=1)
    void_event(ctx, paid.event_id, "entered against the wrong installment")
    record_payment(ctx, BAKER, day("2002-07-01"), usd("66000.00"), installment=1)


def _rows(ctx: Context) -> dict[str, list[tuple[Any, ...]]]:
    with ctx.db.engine.connect() as connection:
        return {
            table: [
                tuple(row)
                for row in connection.execute(text(f"SELECT * FROM {table} ORDER BY id")).all()
            ]
            for table in APPEND_ONLY
        }


@pytest.fixture
def recorded(ctx):
    """The services' context on a database with rows in every append-only table."""
    _record_history(ctx)
    rows = _rows(ctx)
    assert all(rows[table] for table in APPEND_ONLY), "every append-only table has rows"
    return ctx


def _columns(table: str) -> list[str]:
    return [c.name for c in t.metadata.tables[table].columns]


def _statements(table: str) -> dict[str, str]:
    column, value = TAMPERING[table]
    columns = _columns(table)
    tampered = ", ".join(value if c == column else c for c in columns)
    first = f"(SELECT min(id) FROM {table})"
    return {
        "update": f"UPDATE {table} SET {column} = {value}",
        "delete": f"DELETE FROM {table}",
        # An upsert over an existing row is an UPDATE in disguise.
        "upsert": (
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"SELECT {tampered} FROM {table} WHERE id = {first} "
            f"ON CONFLICT (id) DO UPDATE SET {column} = excluded.{column}"
        ),
    }


def _refused(ctx: Context, statement: str) -> str:
    """Run one statement in its own transaction; it must fail. Returns the database's message."""
    with pytest.raises(DBAPIError) as refused, ctx.db.engine.begin() as connection:
        connection.execute(text(statement))
    return str(refused.value.orig)


@pytest.mark.parametrize("kind", ["update", "delete", "upsert"])
@pytest.mark.parametrize("table", APPEND_ONLY)
def test_history_rows_cannot_be_changed_or_deleted(recorded, table, kind):
    before = _rows(recorded)
    schedule = schedule_to_dict(show(recorded, BAKER, day("2002-07-31")))

    message = _refused(recorded, _statements(table)[kind])

    assert "append-only" in message
    assert table in message
    assert _rows(recorded) == before
    assert schedule_to_dict(show(recorded, BAKER, day("2002-07-31"))) == schedule


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)  # SQLite has no TRUNCATE
@pytest.mark.parametrize("table", [*APPEND_ONLY, "agreement", "company"])
def test_postgresql_refuses_to_truncate_the_history(recorded, table):
    before = _rows(recorded)

    # CASCADE: truncating a parent would take the history tables that refer to it along.
    message = _refused(recorded, f"TRUNCATE {table} CASCADE")

    assert "append-only" in message
    assert "TRUNCATE" in message
    assert _rows(recorded) == before


@pytest.fixture
def sqlite_recorded(tmp_path):
    database = open_database(f"sqlite:///{tmp_path / 'comp-tracker.db'}")
    ctx = Context(database, "tester")
    _record_history(ctx)
    yield ctx
    database.dispose()


@pytest.mark.parametrize("table", APPEND_ONLY)
def test_sqlite_insert_or_replace_cannot_rewrite_the_history(sqlite_recorded, table):
    before = _rows(sqlite_recorded)
    column, value = TAMPERING[table]
    columns = _columns(table)
    tampered = ", ".join(value if c == column else c for c in columns)
    statement = (
        f"INSERT OR REPLACE INTO {table} ({', '.join(columns)}) "
        f"SELECT {tampered} FROM {table} WHERE id = (SELECT min(id) FROM {table})"
    )

    message = _refused(sqlite_recorded, statement)

    assert "append-only" in message
    assert _rows(sqlite_recorded) == before
