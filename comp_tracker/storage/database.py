"""Opening the database: engines, SQLite settings, transactions and the schema's version.

One function, :func:`open_database`, serves the CLI, the TUI and the tests. It creates a new
SQLite file with permissions 0600 (this is salary data), puts it in WAL mode, and brings an
empty or older database up to the current schema with Alembic, so a new user never has to think
about migrations. A shared PostgreSQL database is migrated automatically only when it is empty;
an older one asks for ``comp-tracker db upgrade``.

Write transactions on SQLite start with ``BEGIN IMMEDIATE``: the writer takes the database's write
lock before it reads, so two people recording payments at the same moment are served one after
the other, each seeing what the other wrote. On PostgreSQL the services lock the rows they change
(``SELECT ... FOR UPDATE``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

MIGRATIONS = Path(__file__).parent / "migrations"
_REVISION_LINE = re.compile(r"^(revision|down_revision)\b[^=]*=\s*(None|\"([^\"]+)\")", re.M)


def _revision_graph() -> dict[str, str | None]:
    """Each migration's revision and the one it follows, read from the files' own
    ``revision``/``down_revision`` lines (Alembic itself is slow to import, and every command
    opens the database)."""
    graph: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS / "versions").glob("[0-9]*.py")):
        found = {name: value for name, _, value in _REVISION_LINE.findall(path.read_text())}
        graph[found["revision"]] = found.get("down_revision") or None
    return graph


def head_revision() -> str:
    """The newest migration: the one no other follows (``tests/storage/test_migrations.py``
    checks it is Alembic's single head)."""
    graph = _revision_graph()
    followed = set(graph.values())
    [head] = [revision for revision in graph if revision not in followed]
    return head


#: The newest migration, read from the migrations folder: a new migration file moves it.
HEAD_REVISION = head_revision()


class DatabaseError(RuntimeError):
    """The database cannot be used: unreachable, wrong version, bad URL. One line for the user."""


@dataclass(frozen=True)
class Database:
    url: str
    engine: Engine
    #: The same pool, but each transaction takes SQLite's write lock at once.
    write_engine: Engine

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """One read transaction (one snapshot), over Core: reads need no ORM, so none is loaded."""
        with self.engine.connect() as connection:
            yield connection

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        from sqlalchemy.orm import Session  # the ORM only for writers: reads start faster

        with Session(self.write_engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def write_connection(self) -> Iterator[Connection]:
        """One write transaction over Core, for writers that need no ORM (the due job)."""
        with self.write_engine.begin() as connection:
            yield connection

    @property
    def opens_in_other_processes(self) -> bool:
        """Whether another process can open this same database (PostgreSQL, or a SQLite file;
        not SQLite in memory)."""
        return not self.is_sqlite or _sqlite_file(self.url) is not None

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    name = parsed.database
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(name)


def _create_private_file(path: Path) -> None:
    """Create the SQLite file ourselves, readable by its owner only."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        if path.is_file():
            return
        raise DatabaseError(f"cannot create the database {path}: not a file") from None
    except OSError as exc:
        raise DatabaseError(f"cannot create the database {path}: {exc.strerror}") from None
    os.close(fd)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us issue BEGIN ourselves (pysqlite's own transaction handling cannot do IMMEDIATE).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get("sqlite_immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(
            "database URL: not a database URL (sqlite:///file.db or "
            "postgresql+psycopg://user@host:port/name)"
        ) from None
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseError(f"database URL = {shown!r}: only SQLite and PostgreSQL are supported")
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() != "psycopg":
        raise DatabaseError(
            f"database URL = {shown!r}: use postgresql+psycopg://user@host:port/name"
        )
    path = _sqlite_file(url)
    if path is not None:
        _create_private_file(path)
    try:
        engine = create_engine(url, pool_pre_ping=parsed.get_backend_name() != "sqlite")
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise DatabaseError(f"database URL = {shown!r}: {exc}") from None
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def current_revision(connection: Connection) -> str | None:
    if not connection.dialect.has_table(connection, "alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(database: Database, revision: str = "head") -> None:
    """Apply the migrations up to ``revision`` (Alembic is imported only when needed)."""
    from alembic import command
    from alembic.config import Config
    from alembic.util import CommandError

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with database.write_engine.connect() as connection:
        found = current_revision(connection)
        if found is not None and found not in _known_revisions():
            raise DatabaseError(
                f"the database is at schema revision {found}, newer than this comp-tracker "
                "knows: upgrade comp-tracker"
            )
        config.attributes["connection"] = connection
        try:
            command.upgrade(config, revision)
        except CommandError as exc:
            raise DatabaseError(f"cannot upgrade the database: {exc}") from None


def open_database(url: str, *, migrate: bool = True) -> Database:
    """Open the database at ``url``, bringing the schema up to date where that is safe."""
    engine = make_engine(url)
    database = Database(
        url=url, engine=engine, write_engine=engine.execution_options(sqlite_immediate=True)
    )
    shown = make_url(url).render_as_string(hide_password=True)
    try:
        with engine.connect() as connection:
            revision = current_revision(connection)
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseError(f"cannot open the database {shown}: {reason}") from None
    if not migrate or revision == HEAD_REVISION:
        return database
    known = _known_revisions()
    if revision is not None and revision not in known:
        engine.dispose()
        raise DatabaseError(
            f"the database {shown} is at schema revision {revision}, newer than this "
            "comp-tracker knows: upgrade comp-tracker"
        )
    if revision is not None and not database.is_sqlite:
        engine.dispose()
        raise DatabaseError(
            f"the database {shown} is at schema revision {revision}; this comp-tracker needs "
            f"{HEAD_REVISION}: run 'comp-tracker db upgrade'"
        )
    upgrade(database)
    return database


def _known_revisions() -> set[str]:
    return set(_revision_graph())
