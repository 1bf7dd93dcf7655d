"""The schema's migrations: one linear chain, nothing lost on upgrade, no drift from the models.

Each database test runs on SQLite and on PostgreSQL (the ``db_url`` fixture).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Boolean, Date, DateTime, bindparam, select, text
from sqlalchemy.types import TypeEngine
from support import BAKER, BAKER_NAME, HECLA, TABLES, cli, day, usd

from comp_tracker.domain import schedule_to_dict
from comp_tracker.services.agreements.history import history as history_of
from comp_tracker.services.agreements.reading import show
from comp_tracker.services.context import Context
from comp_tracker.services.due.job import find_due
from comp_tracker.services.events.recording import record_payment
from comp_tracker.storage import tables
from comp_tracker.storage.database import (
    HEAD_REVISION,
    MIGRATIONS,
    Database,
    DatabaseError,
    current_revision,
    open_database,
    upgrade,
)

AS_OF = ("2002-06-30", "2002-07-31", "2002-09-30", "2003-01-31")
RECORDED = dt.datetime(2002, 10, 1, 16, 30, tzinfo=dt.UTC)


def revision_of(database: Database) -> str | None:
    with database.engine.connect() as connection:
        return current_revision(connection)


# -- the chain ------------------------------------------------------------------------------------


def test_head_revision_is_alembics_only_head_and_a_new_database_is_at_it(db_url):
    script = ScriptDirectory(str(MIGRATIONS))
    assert script.get_heads() == [HEAD_REVISION]
    assert script.get_bases() == ["0001"]
    chain = [(s.revision, s.down_revision) for s in script.walk_revisions("base", "heads")]
    assert chain == [
        ("0005", "0004"),
        ("0004", "0003"),
        ("0003", "0002"),
        ("0002", "0001"),
        ("0001", None),
    ]
    assert not any(s.is_merge_point or s.is_branch_point for s in script.walk_revisions())

    database = open_database(db_url)
    try:
        assert revision_of(database) == HEAD_REVISION
    finally:
        database.dispose()


# -- upgrading keeps every row --------------------------------------------------------------------


def _insert(connection, table: str, **values: Any) -> int:
    """A raw INSERT as the 0001-era code would have written it; returns the new row's id."""
    params = []
    for name, value in values.items():
        kind: TypeEngine[Any] | None = None
        if isinstance(value, dt.datetime):
            kind = DateTime(timezone=True)
        elif isinstance(value, dt.date):
            kind = Date()
        elif isinstance(value, bool):
            kind = Boolean()
        params.append(bindparam(name, value, type_=kind))
    columns = ", ".join(values)
    placeholders = ", ".join(f":{name}" for name in values)
    statement = text(f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) RETURNING id")
    return int(connection.execute(statement.bindparams(*params)).scalar_one())


def _fill_0001_database(database: Database) -> None:
    """The Baker agreement, paid once, then terminated without cause; one mistaken entry voided."""
    with database.engine.begin() as c:
        company = _insert(c, "company", name=HECLA, created_at=RECORDED)
        employee = _insert(c, "employee", company_id=company, name=BAKER_NAME, created_at=RECORDED)
        agreement = _insert(
            c,
            "agreement",
            key=BAKER,
            company_id=company,
            employee_id=employee,
            source="imported from hecla-baker-2001-retention.toml",
            created_at=RECORDED,
            created_by="records clerk",
            version=1,
            first_due=day("2002-06-30"),
        )
        revision = _insert(
            c,
            "terms_revision",
            agreement_id=agreement,
            revision=1,
            effective=day("2001-11-06"),
            expires=day("2003-01-07"),
            calendar="US",
            payment_window_business_days=3,
            end_after_termination_business_days=4,
            late_interest_rate="0.10",
            day_count="ACT/365F",
            accelerate_on="without_cause",
            governing_law="Idaho",
            recorded_at=RECORDED,
            recorded_by="records clerk",
        )
        for number, due, cents in ((1, "2002-06-30", 6600000), (2, "2002-12-31", 13200000)):
            _insert(
                c,
                "installment",
                revision_id=revision,
                number=number,
                due=day(due),
                amount_cents=cents,
            )
        payment = {
            "kind": "payment",
            "agreement_id": agreement,
            "date": day("2002-07-01"),
            "amount_cents": 6600000,
            "installment": 1,
            "replaces_installments": False,
            "recorded_at": RECORDED,
            "recorded_by": "records clerk",
        }
        _insert(c, "event", **payment)
        twice = _insert(c, "event", **payment)  # entered twice by mistake, then voided
        _insert(
            c,
            "void",
            event_id=twice,
            reason="entered twice",
            recorded_at=RECORDED,
            recorded_by="records clerk",
        )
        _insert(
            c,
            "event",
            kind="termination",
            employee_id=employee,
            date=day("2002-09-16"),
            reason="without_cause",
            replaces_installments=False,
            recorded_at=RECORDED,
            recorded_by="records clerk",
        )
        _insert(
            c,
            "audit_log",
            at=RECORDED,
            actor="records clerk",
            action="import",
            agreement_id=agreement,
            summary=f"created agreement {BAKER} for {BAKER_NAME} ({HECLA})",
            after='{"agreement": "hecla-baker-2001-retention"}',
        )


def _rows(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    with database.engine.connect() as connection:
        return {
            table: [
                tuple(row)
                for row in connection.execute(text(f"SELECT * FROM {table} ORDER BY id")).all()
            ]
            for table in TABLES
        }


def _schedules(database: Database) -> dict[str, dict[str, Any]]:
    ctx = Context(database, "tester")
    return {as_of: schedule_to_dict(show(ctx, BAKER, day(as_of))) for as_of in AS_OF}


def test_upgrading_from_0001_keeps_every_row_and_every_figure(db_url):
    database = open_database(db_url, migrate=False)
    try:
        upgrade(database, "0001")
        assert revision_of(database) == "0001"
        _fill_0001_database(database)
        rows_before = _rows(database)
        schedules_before = _schedules(database)
        assert all(rows_before[table] for table in TABLES), "every table has rows"

        upgrade(database)

        assert revision_of(database) == HEAD_REVISION
        rows_after = _rows(database)
        # 0004 and 0005 added three derived columns at the end of agreement, empty until the next
        # write (0005 fills closed_on for settled agreements only, and this one is not).
        assert [row[-3:] for row in rows_after["agreement"]] == [(None, None, None)]
        rows_after["agreement"] = [row[:-3] for row in rows_after["agreement"]]
        assert rows_after == rows_before
        schedules = _schedules(database)
        assert schedules == schedules_before

        # The figures a user would check: installment 1 paid once (the duplicate stays void),
        # installment 2 accelerated by the termination and overdue with late interest.
        on_sep_30 = schedules["2002-09-30"]
        assert on_sep_30["end_reason"] == "termination"
        assert on_sep_30["ends_on"] == "2002-09-20"
        first, second = on_sep_30["installments"]
        assert (first["status"], first["principal_paid"]) == ("paid", "66000.00")
        assert second["accelerated"] is True
        assert second["status"] == "overdue"
        assert (second["due"], second["deadline"]) == ("2002-09-16", "2002-09-19")
        assert second["principal_outstanding"] == "132000.00"
        assert second["interest_outstanding"] == "397.81"
        assert [p["amount"] for p in on_sep_30["payments"]] == ["66000.00"]
        assert schedules["2002-07-31"]["installments"][1]["accelerated"] is False
        assert schedules["2003-01-31"]["installments"][1]["interest_outstanding"] == "4846.03"

        # The due job reads empty derived columns as "unknown" and still evaluates the agreement.
        flagged = find_due(Context(database, "tester"), day("2002-09-30")).flags
        assert [(f.installment, f.stage.value, str(f.owed)) for f in flagged] == [
            (2, "overdue", "132397.81")
        ]

        # And the upgraded records go on working: the history shows the void, and a new payment
        # gets a fresh id (PostgreSQL's sequences were kept) and settles what was owed.
        ctx = Context(database, "tester")
        voided = [e for e in history_of(ctx, BAKER).events if e.void]
        assert [(e.kind, e.void.reason if e.void else None) for e in voided] == [
            ("payment", "entered twice")
        ]
        record_payment(ctx, BAKER, day("2002-09-30"), usd("132397.81"), installment=2)
        settled = schedule_to_dict(show(ctx, BAKER, day("2002-09-30")))
        owed = [
            (i["principal_outstanding"], i["interest_outstanding"]) for i in settled["installments"]
        ]
        assert owed == [("0.00", "0.00"), ("0.00", "0.00")]
        with database.engine.connect() as connection:
            agreement = tables.AGREEMENT.c
            derived = connection.execute(
                select(
                    agreement.settled_on,
                    agreement.open_due,
                    agreement.records_through,
                    agreement.closed_on,
                )
            ).one()
        # Settled on 30 September; installment 2's service period ran to 31 December.
        assert tuple(derived) == (day("2002-09-30"), None, day("2002-09-30"), day("2002-12-31"))
    finally:
        database.dispose()


@pytest.mark.parametrize(
    ("settled_on", "closed_on"),
    [
        # Settled before installment 2's original due date: earned until 31 December.
        ("2002-09-30", "2002-12-31"),
        # Settled after every due date: closed that day.
        ("2003-02-14", "2003-02-14"),
    ],
)
def test_0005_fills_closed_on_of_settled_agreements_never_too_early(db_url, settled_on, closed_on):
    database = open_database(db_url, migrate=False)
    try:
        upgrade(database, "0001")
        _fill_0001_database(database)
        with database.engine.begin() as connection:
            connection.execute(
                tables.AGREEMENT.update().values(settled_on=dt.date.fromisoformat(settled_on))
            )
        upgrade(database)
        with database.engine.connect() as connection:
            filled = connection.execute(select(tables.AGREEMENT.c.closed_on)).scalar_one()
        assert filled == dt.date.fromisoformat(closed_on)
    finally:
        database.dispose()


def test_an_older_database_is_upgraded_on_sqlite_but_left_for_db_upgrade_on_postgresql(db_url):
    database = open_database(db_url, migrate=False)
    upgrade(database, "0001")
    database.dispose()

    if db_url.startswith("sqlite"):
        reopened = open_database(db_url)
        try:
            assert revision_of(reopened) == HEAD_REVISION
        finally:
            reopened.dispose()
    else:
        with pytest.raises(DatabaseError, match=r"revision 0001.*comp-tracker db upgrade"):
            open_database(db_url)
        result = cli("--db", db_url, "agreements")
        assert result.returncode == 3
        assert "comp-tracker db upgrade" in result.stderr


# -- the models and the migrations agree -----------------------------------------------------------


def test_the_migrated_schema_matches_the_models(db_url):
    database = open_database(db_url)
    try:
        with database.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, tables.metadata) == []
    finally:
        database.dispose()


def test_alembic_check_finds_no_difference_between_the_models_and_the_migrations(db_url):
    """What ``alembic check`` runs (autogenerate through the project's own env.py): it raises
    AutogenerateDiffsDetected if a model changed without a migration."""
    from alembic import command
    from alembic.config import Config

    database = open_database(db_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with database.write_engine.connect() as connection:
            config.attributes["connection"] = connection
            command.check(config)
    finally:
        database.dispose()


# -- comp-tracker db upgrade -----------------------------------------------------------------------


def test_db_upgrade_creates_the_schema_then_says_it_is_up_to_date(db_url):
    first = cli("--db", db_url, "db", "upgrade")
    assert first.returncode == 0, first.stderr
    assert "Upgraded the database" in first.stdout
    assert HEAD_REVISION in first.stdout

    database = open_database(db_url, migrate=False)
    try:
        assert revision_of(database) == HEAD_REVISION
    finally:
        database.dispose()

    again = cli("--db", db_url, "db", "upgrade")
    assert again.returncode == 0, again.stderr
    assert "up to date" in again.stdout
    assert "Upgraded" not in again.stdout


# -- a database from a newer comp-tracker ---------------------------------------------------------


@pytest.fixture
def future_db_url(db_url):
    """A database whose schema revision this comp-tracker has never heard of."""
    database = open_database(db_url)
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'zzzz'"))
    database.dispose()
    return db_url


def test_a_database_at_an_unknown_revision_is_refused_and_left_alone(future_db_url):
    with pytest.raises(DatabaseError, match="zzzz"):
        open_database(future_db_url)

    result = cli("--db", future_db_url, "agreements", "--format", "json")
    assert result.returncode == 3
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "zzzz" in result.stderr
    assert "Traceback" not in result.stderr

    database = open_database(future_db_url, migrate=False)
    try:
        assert revision_of(database) == "zzzz"
    finally:
        database.dispose()


def test_db_upgrade_of_a_database_at_an_unknown_revision_is_one_line(future_db_url):
    result = cli("--db", future_db_url, "db", "upgrade")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "zzzz" in result.stderr
    assert result.returncode == 3
