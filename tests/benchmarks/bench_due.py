"""Benchmark of the scheduled job's command, ``comp-tracker due``, on a large database.

Run from the repository root, in the project's virtualenv:

    python tests/benchmarks/bench_due.py [--n N] [--seed S] [--db URL] [--skip-demo]
                                         [--runs K] [--as-of YYYY-MM-DD] [--keep]

It fills a fresh SQLite database in a temporary directory (or the database at ``--db``, which must
then be empty, e.g. an empty PostgreSQL one) with ``comp-tracker demo --synthetic N --seed S``,
then runs ``comp-tracker --db URL due --format json`` as a subprocess, exactly as cron runs it:
without ``--as-of``, so it is the job's real run for today, which records in the ``alert`` table
each installment it flags for the first time. The first run on a new database records them all;
it is reported on its own (with the alerts it recorded, counted in SQL), then K more runs are
timed. Exit status 1 (something flagged) and 0 (nothing) are both success. Every run's JSON is
checked (``as_of``, ``within``, ``flags``) and must flag the same number of installments.
``--as-of DATE`` is passed through for a what-if run on another day (it records nothing).

Targets (the issue's): on ``demo --synthetic 100000``, ``due --format json`` takes under 1.5 s
wall (the median of the K runs) with a peak RSS under 200 MB (the largest of every run, the first
included). Each command is started by a small runner process, which times it and reaps it with
``os.wait4``: the figure is that process's own, not inherited from this script (see ``run``).

Two yardsticks, timed K times each between the runs of ``due``:

* plain SQL: ``python -c`` with the standard library's ``sqlite3`` (``psycopg`` for PostgreSQL)
  reading, in one transaction, every row the job's loader reads for the same candidate
  agreements (``comp_tracker.services.due.job.candidates``, compiled to SQL here): the agreements
  with their company's and employee's names, their terms revisions, the installments of those
  revisions and of amendments, and the events not voided of the agreements, of their employees
  and of their companies. ``due``'s median is reported as a multiple of it;
* the floor of ``bench_database.py``: Python importing SQLAlchemy, pydantic-settings, Typer and
  holidays and loading the US holidays, before any code of ours.

Exits 0 if both targets are met, 1 if one is missed or a command fails (the summary says which),
2 on a usage error. Standard library and the package only; not collected by pytest (pyproject's
norecursedirs). See tests/benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from bench_database import (
    FLOOR_CODE,
    FLOOR_COMMAND,
    REPO,
    Run,
    add_database_arguments,
    console_script,
    describe,
)
from bench_database import shown as shown_url
from bench_engine import git_state
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from comp_tracker.storage.database import (
    HEAD_REVISION,
    DatabaseError,
    current_revision,
    open_database,
)

WALL_TARGET = 1.5  # seconds wall, median
RSS_TARGET = 200  # MB, the largest peak RSS of any run
WITHIN = 3  # due's default --within, as cron runs it
#: ``due``'s exit statuses that are a success: 0 nothing flagged, 1 something flagged.
DUE_OK = (0, 1)

#: What the job's loader (``storage.reads.load_agreements``) reads, as plain SQL, for the
#: candidate agreements ``{ids}`` selects: the same tables, columns and conditions.
EVENT_SQL = (
    "SELECT e.id, e.kind, e.agreement_id, e.employee_id, e.company_id, e.date, e.amount_cents,"
    " e.installment, e.reason, e.expires, e.replaces_installments"
    " FROM event e LEFT OUTER JOIN void v ON v.event_id = e.id WHERE v.id IS NULL AND "
)
LOADER_SQL = {
    "agreements": (
        "SELECT a.id, a.key, a.company_id, a.employee_id, a.version, c.name, p.name"
        " FROM agreement a JOIN company c ON c.id = a.company_id"
        " JOIN employee p ON p.id = a.employee_id"
        " WHERE a.id IN ({ids}) ORDER BY a.id"
    ),
    "terms revisions": (
        "SELECT agreement_id, revision, id, effective, expires, calendar,"
        " payment_window_business_days, end_after_termination_business_days,"
        " late_interest_rate, day_count, accelerate_on, governing_law"
        " FROM terms_revision WHERE agreement_id IN ({ids})"
    ),
    "installments": (
        "SELECT revision_id, amendment_id, due, amount_cents FROM installment"
        " WHERE revision_id IN (SELECT id FROM terms_revision WHERE agreement_id IN ({ids}))"
        " OR amendment_id IN (SELECT id FROM event WHERE agreement_id IN ({ids}))"
        " ORDER BY id"
    ),
    "events": (
        f"{EVENT_SQL}e.agreement_id IN ({{ids}})"
        f" UNION ALL {EVENT_SQL}e.employee_id IN"
        " (SELECT employee_id FROM agreement WHERE id IN ({ids}))"
        f" UNION ALL {EVENT_SQL}e.company_id IN"
        " (SELECT company_id FROM agreement WHERE id IN ({ids}))"
    ),
}
#: The plain SQL child: argv[1] the backend, argv[2] the queries (JSON); the database in
#: $BENCH_DUE_TARGET (a file, or a libpq URL, kept off the command line for its password).
#: One read transaction, every row fetched into Python (``fetchall``, as the loader's ``all()``);
#: prints the number of rows of each query (JSON).
PLAIN_SQL_CODE = """\
import json, os, sys
backend, queries = sys.argv[1], json.loads(sys.argv[2])
if backend == "sqlite":
    import sqlite3
    connection = sqlite3.connect(os.environ["BENCH_DUE_TARGET"], isolation_level=None)
    connection.execute("BEGIN")
else:
    import psycopg
    connection = psycopg.connect(os.environ["BENCH_DUE_TARGET"])
cursor = connection.cursor()
counts = []
for sql in queries:
    cursor.execute(sql)
    counts.append(len(cursor.fetchall()))
connection.rollback()
connection.close()
print(json.dumps(counts))
"""


#: Runs one command and prints its wall and cpu seconds, peak RSS (kB on Linux, bytes on macOS)
#: and exit status; its output goes to the files argv[1] and argv[2]. See :func:`run`.
RUNNER_CODE = """\
import os, sys, time
out, err, *command = sys.argv[1:]
flags = os.O_WRONLY | os.O_TRUNC
actions = [(os.POSIX_SPAWN_OPEN, 1, out, flags, 0), (os.POSIX_SPAWN_OPEN, 2, err, flags, 0)]
start = time.perf_counter()
pid = os.posix_spawn(command[0], command, os.environ, file_actions=actions)
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - start
print(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def run(command: Sequence[str]) -> Run:
    """Run ``command`` once, from a small runner process, and measure it there.

    Not ``bench_database.run``, which starts the child from this process: Linux carries a
    process's peak RSS over ``exec``, and a child forked (or vforked) from here starts with this
    process's, SQLAlchemy and the package loaded (``python -c pass`` would show this process's
    40 MB or more). The runner (``python -I -S``, about 9 MB) spawns the command, reaps it with
    ``os.wait4`` (that child's own resource usage) and times it from just before the spawn to the
    reaping, so its own start is not in the figures.
    """
    command = [str(part) for part in command]
    if not Path(command[0]).is_absolute():
        command[0] = shutil.which(command[0]) or command[0]
    with tempfile.TemporaryDirectory(prefix="bench-due-run-") as scratch:
        out, err = Path(scratch, "stdout"), Path(scratch, "stderr")
        out.touch()
        err.touch()
        runner = subprocess.run(
            [sys.executable, "-I", "-S", "-c", RUNNER_CODE, str(out), str(err), *command],
            cwd=REPO,
            capture_output=True,
            text=True,
        )
        if runner.returncode != 0:
            fail(f"the runner failed for {' '.join(command)}:\n{runner.stderr[-3000:]}")
        seconds, cpu, max_rss, status = runner.stdout.split()
        stdout = out.read_text()
        stderr = err.read_text()
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return Run(
        seconds=float(seconds),
        cpu=float(cpu),
        max_rss_mb=int(max_rss) / scale,
        status=int(status),
        stdout=stdout,
        stderr=stderr,
    )


def fail(message: str) -> NoReturn:
    sys.exit(f"bench_due: {message}")


def checked(command: Sequence[str], ok: Sequence[int] = (0,)) -> Run:
    done = run(command)
    if done.status not in ok:
        fail(f"{' '.join(command)} failed (status {done.status}):\n{done.stderr[-3000:]}")
    return done


def count_rows(url: str, table: str) -> int:
    """Rows in ``table`` (0 if the schema does not have it yet)."""
    database = open_database(url, migrate=False)
    try:
        with database.read() as connection:
            if not connection.dialect.has_table(connection, table):
                return 0
            return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
    finally:
        database.dispose()


def schema_revision(url: str) -> str | None:
    database = open_database(url, migrate=False)
    try:
        with database.read() as connection:
            return current_revision(connection)
    finally:
        database.dispose()


def candidate_sql(url: str, as_of: dt.date) -> tuple[str, int, int]:
    """The job's candidate query as literal SQL; the candidates and the agreements it counts."""
    try:
        from comp_tracker.services.due.job import candidates
    except ImportError as exc:
        fail(f"comp_tracker.services.due.job has no candidates(connection, as_of, within): {exc}")
    database = open_database(url, migrate=False)
    try:
        with database.read() as connection:
            query = candidates(connection, as_of, WITHIN)
            sql = str(
                query.compile(
                    dialect=database.engine.dialect, compile_kwargs={"literal_binds": True}
                )
            )
            found = connection.execute(
                select(func.count()).select_from(query.subquery())
            ).scalar_one()
            agreements = connection.execute(text("SELECT count(*) FROM agreement")).scalar_one()
    finally:
        database.dispose()
    return " ".join(sql.split()), int(found), int(agreements)


def absolute(url: str) -> str:
    """``url`` with a relative SQLite path made absolute: the children run in REPO, not here."""
    parsed = make_url(url)
    name = parsed.database
    if parsed.get_backend_name() != "sqlite" or not name or name == ":memory:":
        return url
    if name.startswith("file:") or Path(name).is_absolute():
        return url
    return parsed.set(database=str(Path(name).resolve())).render_as_string(hide_password=False)


def plain_sql_target(url: str) -> tuple[str, str]:
    """(backend, what the child connects to): a SQLite file, or a libpq URL for psycopg."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or parsed.database == ":memory:" or "file:" in parsed.database:
            fail(f"{shown_url(url)}: the plain SQL baseline needs a SQLite file")
        return "sqlite", parsed.database
    return "postgresql", parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def due_document(done: Run, as_of: dt.date) -> int:
    """Check one run's JSON; the number of flags."""
    try:
        document = json.loads(done.stdout)
    except json.JSONDecodeError as exc:
        fail(f"due's output is not JSON ({exc}): {done.stdout[:300]!r}")
    if not isinstance(document, dict) or set(document) != {"as_of", "within", "flags"}:
        keys = sorted(document) if isinstance(document, dict) else type(document).__name__
        fail(f"due's JSON should have the keys as_of, within and flags, not {keys}")
    if document["as_of"] != as_of.isoformat():
        fail(f"due ran as of {document['as_of']}, not {as_of} (did the day change?)")
    if document["within"] != WITHIN or not isinstance(document["flags"], list):
        fail(f"due's JSON: within {document['within']!r}, flags {type(document['flags'])}")
    flags = len(document["flags"])
    expected_status = 1 if flags else 0
    if done.status != expected_status:
        fail(f"due flagged {flags} and exited {done.status}, not {expected_status}")
    return flags


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_database_arguments(
        parser,
        skip_demo="do not generate: run due on the agreements already in --db",
        runs="timed runs after the first (default 7)",
    )
    parser.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="pass --as-of to due (a what-if run, which records nothing); default: today's run",
    )
    args = parser.parse_args(argv)
    if args.n < 1 or args.runs < 1:
        parser.error("--n and --runs must be at least 1")
    if args.skip_demo and not args.db:
        parser.error("--skip-demo needs --db")
    as_of = dt.date.today()  # noqa: DTZ011 - the job's own day, as due takes it
    if args.as_of is not None:
        try:
            as_of = dt.date.fromisoformat(args.as_of)
        except ValueError:
            parser.error(f"--as-of {args.as_of!r}: not a date (YYYY-MM-DD)")
    if args.db:
        try:
            args.db = absolute(args.db)
        except ArgumentError:
            parser.error(f"--db {args.db!r}: not a database URL")
        try:
            filled = not args.skip_demo and count_rows(args.db, "agreement")
        except DatabaseError as exc:
            fail(str(exc))
        if filled:
            parser.error(
                f"--db {shown_url(args.db)} already holds agreements: give an empty database, "
                "or --skip-demo to run due on what it holds"
            )

    load = os.getloadavg()[0]
    cpus = os.cpu_count() or 1
    print(
        f"python {platform.python_version()} ({sys.executable}) on {platform.platform()}; "
        f"{cpus} CPUs; load average {load:.2f}"
    )
    print(f"  code: {git_state()}")
    if load > cpus - 1:
        print("  warning: other processes are busy; wall times may be inflated")

    directory = None
    if args.db:
        url = args.db
    else:
        directory = Path(tempfile.mkdtemp(prefix="bench-due-"))
        url = f"sqlite:///{directory / 'comp-tracker.db'}"
    script = console_script()
    base = [script, "--db", url, "--actor", "bench"]
    try:
        return measure(args, url, base, as_of, directory)
    finally:
        if directory is not None:
            if args.keep:
                print(f"kept {directory}")
            else:
                shutil.rmtree(directory, ignore_errors=True)


def measure(
    args: argparse.Namespace, url: str, base: list[str], as_of: dt.date, directory: Path | None
) -> int:
    print(f"  database: {shown_url(url)}")
    demo: Run | None = None
    if not args.skip_demo:
        command = [*base, "demo", "--synthetic", str(args.n), "--seed", str(args.seed)]
        print(f"\ndemo: comp-tracker demo --synthetic {args.n} --seed {args.seed} ...", flush=True)
        demo = checked(command)
        print(
            f"  {demo.seconds:.1f} s wall, {demo.cpu:.1f} s cpu, peak RSS "
            f"{demo.max_rss_mb:.0f} MB: {demo.stdout.strip()}"
        )
    size = ""
    if directory is not None:
        files = list(directory.glob("comp-tracker.db*"))
        size = f"; SQLite files {sum(f.stat().st_size for f in files) / 1e6:.0f} MB"

    what_if = args.as_of is not None
    due_command = [*base, "due", "--format", "json"]
    if what_if:
        due_command += ["--as-of", as_of.isoformat()]
    shown_due = " ".join(["comp-tracker --db URL", *due_command[len(base) :]])
    records = as_of == dt.date.today()  # noqa: DTZ011 - as due decides
    print(
        f"\nfirst run: {shown_due}  (as of {as_of}: "
        + ("today's run, which records its alerts)" if records else "a what-if, records nothing)"),
        flush=True,
    )
    revision = schema_revision(url)
    if revision != HEAD_REVISION:
        print(
            f"  note: the database is at schema revision {revision}, not {HEAD_REVISION}: the "
            "first run upgrades it (in its time), and rows written before a migration may lack "
            "what it adds"
        )
    alerts_before = count_rows(url, "alert")
    first = checked(due_command, DUE_OK)
    alerts_after = count_rows(url, "alert")
    flags = due_document(first, as_of)
    recorded = alerts_after - alerts_before
    print(
        f"  {first.seconds:.3f} s wall, {first.cpu:.3f} s cpu, peak RSS {first.max_rss_mb:.0f} MB; "
        f"exit {first.status}, {flags:,} flagged; alerts {alerts_before:,} -> {alerts_after:,} "
        f"({recorded:,} recorded)"
    )
    if recorded and not records:
        fail(f"a what-if run (--as-of {as_of}) recorded {recorded} alerts")

    candidates, found, agreements = candidate_sql(url, as_of)
    print(f"  the database holds {agreements:,} agreements{size}")
    print(f"  candidates (within {WITHIN}): {found:,} agreements: {candidates}")
    queries = [sql.format(ids=candidates) for sql in LOADER_SQL.values()]
    backend, target = plain_sql_target(url)
    os.environ["BENCH_DUE_TARGET"] = target  # inherited by the children, kept off argv
    plain_command = [sys.executable, "-c", PLAIN_SQL_CODE, backend, json.dumps(queries)]

    print(f"\n{args.runs} runs each, interleaved (cwd {REPO}):")
    print(f"  {shown_due}")
    library = "sqlite3" if backend == "sqlite" else "psycopg"
    print(f"  plain SQL: python -c ({library}) reading the loader's rows of the candidates")
    print(f"  the floor: python -c {FLOOR_CODE!r}")
    due_runs: list[Run] = []
    plain_runs: list[Run] = []
    floor_runs: list[Run] = []
    counted: set[int] = {flags}
    rows: set[tuple[int, ...]] = set()
    for _ in range(args.runs):
        floor_runs.append(checked(FLOOR_COMMAND))
        done = checked(due_command, DUE_OK)
        counted.add(due_document(done, as_of))
        due_runs.append(done)
        done = checked(plain_command)
        rows.add(tuple(json.loads(done.stdout)))
        plain_runs.append(done)
    if len(counted) != 1:
        fail(f"the number of flags changed between runs: {sorted(counted)}")
    if len(rows) != 1:
        fail(f"the plain SQL read different rows between runs: {sorted(rows)}")
    by_query = dict(zip(LOADER_SQL, rows.pop(), strict=True))
    if by_query["agreements"] != found:
        fail(f"the plain SQL read {by_query['agreements']} agreements, not the {found} candidates")
    read = sum(by_query.values())
    print(describe("floor (Python and the libraries)", floor_runs))
    print(describe("due --format json", due_runs) + f"; {flags:,} flagged")
    print(
        describe("plain SQL", plain_runs)
        + f"; {read:,} rows ("
        + ", ".join(f"{n:,} {name}" for name, n in by_query.items())
        + ")"
    )

    due_median = statistics.median(r.seconds for r in due_runs)
    plain_median = statistics.median(r.seconds for r in plain_runs)
    floor_median = statistics.median(r.seconds for r in floor_runs)
    peak = max(r.max_rss_mb for r in [first, *due_runs])
    missed = []
    print("\n" + "=" * 100)
    if demo is not None:
        print(
            f"demo --synthetic {args.n:,} --seed {args.seed}: {demo.seconds:.1f} s wall, "
            f"peak RSS {demo.max_rss_mb:.0f} MB"
        )
    print(
        f"due --format json (as of {as_of}, {flags:,} flagged of {found:,} candidates in "
        f"{agreements:,} agreements): median {due_median:.3f} s wall, max "
        f"{max(r.seconds for r in due_runs):.3f} s (target {WALL_TARGET} s), peak RSS {peak:.0f} "
        f"MB (target {RSS_TARGET} MB)"
    )
    print(
        f"  first run (recorded {recorded:,} alerts): {first.seconds:.3f} s wall, peak RSS "
        f"{first.max_rss_mb:.0f} MB"
    )
    print(
        f"  plain SQL read of the same {found:,} candidate agreements ({read:,} rows): "
        f"median {plain_median:.3f} s; due is {due_median / plain_median:.2f}x it"
    )
    print(
        f"  floor (Python and the libraries): median {floor_median:.3f} s; due is "
        f"{due_median / floor_median:.2f}x it, {due_median - floor_median:.3f} s above it"
    )
    if due_median >= WALL_TARGET:
        missed.append(f"due median {due_median:.2f} s >= {WALL_TARGET} s")
    if peak >= RSS_TARGET:
        missed.append(f"due peak RSS {peak:.0f} MB >= {RSS_TARGET} MB")
    print("result: " + ("all targets met" if not missed else "MISSED: " + "; ".join(missed)))
    print("=" * 100)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
