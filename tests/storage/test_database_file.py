"""Where the records live: a private SQLite file, which database and actor a command uses, and
one-line answers when the configuration or the database URL is wrong.

The autouse fixture of ``tests/conftest.py`` points ``XDG_DATA_HOME`` and ``COMP_TRACKER_CONFIG``
at temporary places and clears ``COMP_TRACKER_DATABASE_URL`` and ``COMP_TRACKER_ACTOR``; the
commands run in real processes (``support.cli``) that inherit that environment.
"""

from __future__ import annotations

import getpass
import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from support import BAKER, BAKER_FILE, BAKER_NAME, cli

from comp_tracker.services.agreements.history import history as history_of
from comp_tracker.services.agreements.importing import import_files
from comp_tracker.services.context import Context
from comp_tracker.storage.database import open_database


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask():
    """Set the process umask for one test (the commands started from it inherit it)."""
    saved = os.umask(0o022)
    yield os.umask
    os.umask(saved)


def one_line_error(result) -> str:
    """The single line a failed command printed on stderr (and nothing like a traceback)."""
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("comp-tracker: error: ")
    return str(lines[0])


def agreement_ids(*args: str, env: dict[str, str] | None = None) -> list[str]:
    result = cli(*args, "agreements", "--format", "json", "--as-of", "2002-07-31", env=env)
    assert result.returncode == 0, result.stderr
    return [line["id"] for line in json.loads(result.stdout)]


def with_baker(path: Path) -> str:
    """An SQLite database at ``path`` holding the Baker agreement; returns its URL."""
    url = f"sqlite:///{path}"
    database = open_database(url)
    try:
        import_files(Context(database, "tester"), [BAKER_FILE])
    finally:
        database.dispose()
    return url


def write_config(path: Path, **settings: str | int) -> Path:
    path.write_text(
        "".join(f"{key} = {json.dumps(value)}\n" for key, value in settings.items()),
        encoding="utf-8",
    )
    return path


def default_database() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "comp-tracker" / "comp-tracker.db"


# -- a private file, in WAL mode ------------------------------------------------------------------


@pytest.mark.parametrize("process_umask", [0o022, 0o000])
def test_a_new_database_file_is_private_and_in_wal_mode(tmp_path, umask, process_umask):
    umask(process_umask)
    path = tmp_path / "records" / "comp-tracker.db"

    database = open_database(f"sqlite:///{path}")
    try:
        import_files(Context(database, "tester"), [BAKER_FILE])
        assert mode(path) == 0o600
        assert mode(path.parent) == 0o700
        # While it is open, what SQLite keeps beside it holds the same salaries.
        for sidecar in ("comp-tracker.db-wal", "comp-tracker.db-shm"):
            assert mode(path.parent / sidecar) == 0o600, sidecar
    finally:
        database.dispose()

    with sqlite3.connect(path) as connection:  # WAL mode is kept in the file itself
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_the_default_database_is_a_private_file_in_the_user_data_directory(umask):
    umask(0o022)
    path = default_database()
    assert not path.exists()

    first = cli("agreements", "--format", "json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == []
    assert path.is_file()
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700

    demo = cli("demo")
    assert demo.returncode == 0, demo.stderr
    result = cli("agreements", "--format", "json", "--as-of", "2002-07-31")
    assert result.returncode == 0, result.stderr
    [baker] = json.loads(result.stdout)
    assert (baker["id"], baker["employee"], baker["status"]) == (BAKER, BAKER_NAME, "overdue")
    assert baker["principal_outstanding"] == "198000.00"
    assert [p.name for p in path.parent.iterdir() if p.suffix == ".db"] == [path.name]


# -- which database -------------------------------------------------------------------------------


@pytest.mark.parametrize("winner", ["--db", "environment", "config file", "default"])
def test_which_database_a_command_reads(tmp_path, winner):
    """Only the database that should win holds the agreement; every lower source is set too."""
    levels = ["--db", "environment", "config file", "default"]
    urls = {
        level: f"sqlite:///{tmp_path / (level.strip('-').replace(' ', '-') + '.db')}"
        for level in levels[:-1]
    }
    if winner == "default":
        with_baker(default_database())
    else:
        urls[winner] = with_baker(tmp_path / "baker.db")
    given = levels[levels.index(winner) :]

    args: list[str] = []
    env: dict[str, str] = {}
    if "--db" in given:
        args += ["--db", urls["--db"]]
    if "environment" in given:
        env["COMP_TRACKER_DATABASE_URL"] = urls["environment"]
    if "config file" in given:
        config = write_config(tmp_path / "config.toml", database_url=urls["config file"])
        env["COMP_TRACKER_CONFIG"] = str(config)

    assert agreement_ids(*args, env=env) == [BAKER]


def test_an_empty_database_url_means_the_default_database(tmp_path):
    with_baker(default_database())
    config = write_config(tmp_path / "config.toml", database_url="")

    assert agreement_ids(env={"COMP_TRACKER_CONFIG": str(config)}) == [BAKER]


# -- which actor ----------------------------------------------------------------------------------


@pytest.mark.parametrize("winner", ["--actor", "environment", "config file", "login"])
def test_who_the_audit_log_says_recorded(tmp_path, winner):
    levels = ["--actor", "environment", "config file", "login"]
    names = {
        "--actor": "Dana Okafor",
        "environment": "Priya Lindqvist",
        "config file": "Tomás Hale",
        "login": getpass.getuser(),
    }
    given = levels[levels.index(winner) :]
    url = f"sqlite:///{tmp_path / 'comp-tracker.db'}"
    args = ["--db", url]
    env: dict[str, str] = {}
    if "--actor" in given:
        args += ["--actor", names["--actor"]]
    if "environment" in given:
        env["COMP_TRACKER_ACTOR"] = names["environment"]
    if "config file" in given:
        config = write_config(tmp_path / "config.toml", actor=names["config file"])
        env["COMP_TRACKER_CONFIG"] = str(config)

    imported = cli(*args, "import", str(BAKER_FILE), env=env)
    assert imported.returncode == 0, imported.stderr
    database = open_database(url)
    try:
        audit = history_of(Context(database, "someone else"), BAKER).audit
    finally:
        database.dispose()
    assert [(a.action, a.actor) for a in audit] == [("import", names[winner])]


# -- mistakes in the configuration ----------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        "database_url = 5\n",
        'database_url = "sqlite:///unterminated\n',
        'colour = "blue"\n',
    ],
    ids=["number-url", "not-toml", "unknown-key"],
)
def test_a_malformed_config_file_is_one_line_naming_it(tmp_path, content):
    config = tmp_path / "my settings.toml"
    config.write_text(content, encoding="utf-8")

    result = cli("agreements", "--format", "json", env={"COMP_TRACKER_CONFIG": str(config)})

    assert result.returncode == 2
    assert result.stdout == ""
    assert str(config) in one_line_error(result)
    assert not default_database().exists()


# -- unusable database URLs -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://postgres@127.0.0.1:1/none",
        "postgresql+psycopg://postgres:hunter2@127.0.0.1:1/none",
    ],
    ids=["no-password", "password"],
)
def test_an_unreachable_postgresql_is_one_line_and_status_3(url):
    result = cli("--db", url, "agreements", "--format", "json")

    assert result.returncode == 3
    assert result.stdout == ""
    line = one_line_error(result)
    assert "127.0.0.1:1/none" in line
    assert "hunter2" not in line


@pytest.mark.parametrize("driver", ["psycopg2", "asyncpg"])
def test_another_postgresql_driver_is_refused_with_the_one_to_use(driver):
    url = f"postgresql+{driver}://postgres:hunter2@127.0.0.1:5432/test"

    result = cli("--db", url, "agreements", "--format", "json")

    assert result.returncode != 0
    line = one_line_error(result)
    assert "use postgresql+psycopg://" in line
    assert "hunter2" not in line


def test_a_postgresql_url_without_a_driver_is_refused_or_means_psycopg():
    """With SQLAlchemy 2.1 a bare postgresql:// already means psycopg (3); before, psycopg2."""
    from sqlalchemy.engine import make_url

    url = "postgresql://postgres@127.0.0.1:1/none"

    result = cli("--db", url, "agreements", "--format", "json")

    assert result.returncode != 0
    line = one_line_error(result)
    if make_url(url).get_driver_name() == "psycopg":
        assert result.returncode == 3
        assert "cannot open the database" in line
    else:
        assert "use postgresql+psycopg://" in line


def test_a_database_whose_driver_is_not_installed_is_one_line():
    result = cli("--db", "mysql://dana@127.0.0.1/records", "agreements", "--format", "json")

    one_line_error(result)
    assert result.returncode == 3


def test_a_password_in_an_unusable_url_is_never_shown():
    result = cli("--db", "postgres://dana:hunter2@db.example/records", "agreements")

    assert result.returncode == 3
    line = one_line_error(result)
    assert "hunter2" not in line


def test_an_sqlite_file_that_cannot_be_created_is_one_line(tmp_path):
    not_a_directory = tmp_path / "notes.txt"
    not_a_directory.write_text("not a directory\n", encoding="utf-8")
    url = f"sqlite:///{not_a_directory / 'records' / 'comp-tracker.db'}"

    result = cli("--db", url, "agreements", "--format", "json")

    one_line_error(result)
    assert result.returncode == 3


def test_a_config_file_named_but_missing_is_refused(tmp_path):
    missing = tmp_path / "comp-trakcer.toml"
    result = cli("agreements", env={"COMP_TRACKER_CONFIG": str(missing)})
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f'comp-tracker: error: COMP_TRACKER_CONFIG = "{missing}": no such file'
    )
