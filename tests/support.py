"""Small builders shared by the tests (importable as ``support``; see pyproject's pythonpath)."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import subprocess

ROOT = Path(__file__).resolve().parent.parent
BAKER_FILE = ROOT / "data" / "agreements" / "hecla-baker-2001-retention.toml"


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def usd(text: str) -> Decimal:
    return Decimal(text)


#: The PostgreSQL the storage tests use (the brief's: user postgres, database test, trust auth).
POSTGRES_URL = os.environ.get(
    "COMP_TRACKER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
SCENARIOS = ROOT / "data" / "scenarios"
BAKER = "hecla-baker-2001-retention"
BAKER_NAME = "Phillips S. Baker, Jr."
HECLA = "Hecla Mining Company"
#: The tables of the first schema revision (agreements and their history), parents first.
TABLES = (
    "company",
    "employee",
    "agreement",
    "terms_revision",
    "installment",
    "event",
    "void",
    "audit_log",
)
#: The due job's tables (revision 0003).
ALERT_TABLES = ("alert", "alert_notice", "alert_ack")


def cli(
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    process: bool = False,
    bare: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run the command without a terminal, as cron would: its exit status, stdout and stderr.

    In this process by default (the entry point's own function, with stdout, stderr, the
    environment and the working directory as a new process would have them; an exception that
    escapes is a traceback on stderr and status 1, as Python prints it), which is some twenty
    times faster; ``process=True`` starts the installed command in a real process, for the tests
    of what only a process shows (what it imports, signals, a kill in the middle).

    ``bare=True``: the environment is ``env`` and nothing else, as a crontab line gives it (no
    HOME, no terminal, stdin closed)."""
    import subprocess
    import sys

    if not process:
        return _cli_here(list(args), env or {}, bare=bare)
    return subprocess.run(
        [sys.executable, "-m", "comp_tracker.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        check=False,
        stdin=subprocess.DEVNULL if bare else None,
        env=(env or {}) if bare else {**os.environ, **(env or {})},
    )


def _cli_here(
    args: list[str], env: dict[str, str], *, bare: bool = False
) -> subprocess.CompletedProcess[str]:
    import contextlib
    import io
    import subprocess
    import traceback

    from comp_tracker.cli import _run

    out, err = io.StringIO(), io.StringIO()
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    if bare:
        os.environ.clear()
    os.environ.update(env)
    os.chdir(ROOT)
    status = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                _run(args)
            except SystemExit as exc:
                code = exc.code
                status = code if isinstance(code, int) else (0 if code is None else 1)
                if isinstance(code, str):
                    print(code, file=err)
            except Exception:
                traceback.print_exc(file=err)
                status = 1
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        os.chdir(saved_cwd)
    return subprocess.CompletedProcess(
        ["comp-tracker", *args], status, out.getvalue(), err.getvalue()
    )


def write_terms(
    path: Path,
    agreement_id: str,
    employee: str,
    company: str = "Granite Ridge Minerals Corp.",
    amounts: tuple[str, ...] = ("50000.00", "100000.00"),
) -> Path:
    """A small agreement file of a fictional company and person, shaped like the Baker one."""
    dues = ("2022-06-30", "2022-12-30")
    lines = [
        "[agreement]",
        f'id = "{agreement_id}"',
        f'company = "{company}"',
        f'employee = "{employee}"',
        "effective = 2021-11-01",
        "expires = 2023-01-09",
    ]
    for due, amount in zip(dues, amounts, strict=False):
        lines += ["", "[[agreement.installments]]", f"due = {due}", f'amount = "{amount}"']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_overdue_now(path: Path) -> Path:
    """An agreement whose first installment fell due a month before today (whatever day it is)."""
    today = dt.date.today()  # noqa: DTZ011 - the job's own notion of today
    path.write_text(
        "\n".join(
            [
                "[agreement]",
                'id = "granite-okafor-now"',
                'company = "Granite Ridge Minerals Corp."',
                'employee = "Dana Okafor"',
                f"effective = {today - dt.timedelta(days=60)}",
                f"expires = {today + dt.timedelta(days=365)}",
                "",
                "[[agreement.installments]]",
                f"due = {today - dt.timedelta(days=30)}",
                'amount = "25000.00"',
                "",
                "[[agreement.installments]]",
                f"due = {today + dt.timedelta(days=200)}",
                'amount = "50000.00"',
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    return path


def overdue_now_database(tmp_path: Path) -> str:
    """An SQLite database (its URL) holding the agreement of :func:`write_overdue_now`."""
    url = f"sqlite:///{tmp_path / 'now.db'}"
    result = cli("--db", url, "import", str(write_overdue_now(tmp_path / "now.toml")))
    assert result.returncode == 0, result.stderr
    return url


def digest(path: Path) -> str:
    """An SQLite database file's bytes and every table's rows."""
    import hashlib
    import sqlite3

    connection = sqlite3.connect(path)
    tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    rows = {t: connection.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}
    connection.close()
    wal = path.with_name(path.name + "-wal")
    return hashlib.sha256(
        path.read_bytes() + (wal.read_bytes() if wal.exists() else b"") + repr(rows).encode()
    ).hexdigest()


def sqlite_snapshot(url: str) -> Path:
    """The file of the SQLite database at ``url``, once its connections are closed: checked to be
    whole in that one file (no write-ahead log left beside it), so that a copy of the file is a
    copy of the database. The fixtures build a database once per test process, copy it per test."""
    path = Path(url.removeprefix("sqlite:///"))
    for extra in ("-wal", "-shm"):
        leftover = path.with_name(path.name + extra)
        assert not leftover.exists() or leftover.stat().st_size == 0, leftover
    return path


def copy_database(template: Path, to: Path) -> str:
    """A private copy (mode 0600, as comp-tracker creates its files) of the SQLite file
    ``template`` at ``to``; its URL."""
    to.parent.mkdir(parents=True, exist_ok=True)
    to.write_bytes(template.read_bytes())
    to.chmod(0o600)
    return f"sqlite:///{to}"
