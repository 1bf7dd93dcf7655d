"""An import is one transaction: killed halfway, or refused by one bad file, it leaves nothing.

``comp-tracker import`` saves every file in one transaction and, from 200 files, reports its
progress on stderr every 500 files. The first test kills the process with SIGKILL (no cleanup, no
rollback by the client) right after it reports 1000 of 2000: the database must come back with none
of the files, intact, and the same import must then succeed. The others make one file of many bad,
either before the transaction starts (a file that does not load) or in the middle of it (a file
that conflicts with what is stored): the import is refused with one line, and nothing changes.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from support import ALERT_TABLES, ROOT, TABLES, cli, write_terms

from comp_tracker.storage.database import open_database

FILES = 2000


def agreement_files(directory: Path, count: int = FILES) -> list[Path]:
    directory.mkdir()
    return [
        write_terms(
            directory / f"granite-ridge-{i:04d}.toml",
            f"granite-ridge-{i:04d}",
            f"Employee {i:04d} Testperson",
        )
        for i in range(count)
    ]


def row_counts(url: str) -> dict[str, int]:
    database = open_database(url)
    try:
        with database.read() as session:
            return {
                table: int(session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
                for table in (*TABLES, *ALERT_TABLES)
            }
    finally:
        database.dispose()


def sqlite_checks(url: str) -> tuple[list[str], list[tuple[object, ...]]]:
    """(PRAGMA integrity_check, PRAGMA foreign_key_check) of a SQLite database."""
    database = open_database(url)
    try:
        with database.engine.connect() as connection:
            integrity = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check")]
            foreign = [tuple(row) for row in connection.exec_driver_sql("PRAGMA foreign_key_check")]
        return integrity, foreign
    finally:
        database.dispose()


def read_until(process: subprocess.Popen[str], wanted: str, timeout: float) -> list[str]:
    """The stderr lines of ``process`` up to and including ``wanted``."""
    assert process.stderr is not None
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        ready, _, _ = select.select([process.stderr], [], [], max(left, 0))
        line = process.stderr.readline() if ready else ""
        if not line:
            process.kill()
            process.wait()
            raise AssertionError(f"no {wanted!r} on stderr; it said: {lines!r}")
        lines.append(line.rstrip("\n"))
        if lines[-1] == wanted:
            return lines


@pytest.mark.slow
def test_an_import_killed_halfway_leaves_nothing_and_can_be_run_again(db_url, tmp_path):
    files = agreement_files(tmp_path / "files")
    process = subprocess.Popen(
        [sys.executable, "-m", "comp_tracker.cli", "--db", db_url, "import", *map(str, files)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        lines = read_until(process, f"saving: 1000 of {FILES} agreements", timeout=120)
        assert process.poll() is None  # halfway through its one transaction
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        assert process.stderr is not None
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    assert lines == [f"saving: {n} of {FILES} agreements" for n in (500, 1000)]

    # None of it was kept: not the agreements, nor their terms, installments, people or audit.
    assert row_counts(db_url) == dict.fromkeys((*TABLES, *ALERT_TABLES), 0)
    if db_url.startswith("sqlite"):
        assert sqlite_checks(db_url) == (["ok"], [])

    again = cli("--db", db_url, "import", *map(str, files), timeout=300)
    assert again.returncode == 0, again.stderr
    assert again.stdout == f"Imported {FILES} file(s): {FILES} created, 0 amended, 0 unchanged.\n"
    counts = row_counts(db_url)
    assert counts["agreement"] == FILES
    assert counts["terms_revision"] == FILES
    assert counts["installment"] == 2 * FILES
    assert counts["employee"] == FILES
    assert counts["company"] == 1
    assert counts["audit_log"] == FILES
    assert counts["event"] == counts["void"] == 0
    if db_url.startswith("sqlite"):
        assert sqlite_checks(db_url) == (["ok"], [])


def test_one_bad_file_among_many_refuses_them_all(db_url, tmp_path):
    files = agreement_files(tmp_path / "files")
    bad = write_terms(
        files[1500],
        "granite-ridge-1500",
        "Employee 1500 Testperson",
        amounts=("50000.00", "12.345"),
    )
    before = row_counts(db_url)  # also creates the (empty) database
    assert before == dict.fromkeys((*TABLES, *ALERT_TABLES), 0)

    result = cli("--db", db_url, "import", *map(str, files), timeout=300)

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(
        f"comp-tracker: error: {bad}: agreement.installments[2].amount = 12.345: "
    ), result.stderr
    assert "Traceback" not in result.stderr
    assert row_counts(db_url) == before


def test_a_conflict_in_the_middle_of_the_transaction_undoes_the_files_before_it(db_url, tmp_path):
    # One agreement is stored; file 700 of 1000 says something else about it. The 700 files
    # before it are already inserted in the import's transaction when it is refused.
    count, conflict = 1000, 700
    key, employee = f"granite-ridge-{conflict:04d}", f"Employee {conflict:04d} Testperson"
    stored = write_terms(tmp_path / "stored.toml", key, employee)
    first = cli("--db", db_url, "import", str(stored))
    assert first.returncode == 0, first.stderr
    files = agreement_files(tmp_path / "files", count)
    changed = write_terms(files[conflict], key, employee, amounts=("50000.00", "100000.01"))
    before = row_counts(db_url)
    assert before["agreement"] == 1

    result = cli("--db", db_url, "import", *map(str, files), timeout=300)

    assert result.returncode == 2
    assert result.stdout == ""
    *reported, error = result.stderr.splitlines()
    assert reported == [f"saving: 500 of {count} agreements"], result.stderr
    assert error.startswith(
        f'comp-tracker: error: {changed}: agreement.id = "{key}": is already stored and the '
        "file differs: "
        "installments [2022-06-30 50000.00, 2022-12-30 100000.00] -> "
        "[2022-06-30 50000.00, 2022-12-30 100000.01]"
    ), error
    assert row_counts(db_url) == before
    if db_url.startswith("sqlite"):
        assert sqlite_checks(db_url) == (["ok"], [])
