"""Benchmarks for the database commands at scale: ``demo --synthetic``, ``show`` and ``agreements``.

Run from the repository root, in the project's virtualenv:

    python tests/benchmarks/bench_database.py [--n N] [--seed S] [--db URL] [--skip-demo]
                                              [--runs K] [--as-of YYYY-MM-DD] [--keep]

It fills a fresh SQLite database in a temporary directory (or the database at ``--db``, e.g. an
empty PostgreSQL one) with ``comp-tracker demo --synthetic N --seed S`` and reports its wall time,
then runs each query command K times as a subprocess, exactly as a person or a script would:

* ``comp-tracker show ID --format json``: target under 0.5 s wall (median of K runs), for the
  agreement with the most events (picked with SQL, so the same seed picks the same one);
* ``comp-tracker agreements --status overdue --format json``: target under 2 s wall (median).

Before each ``show`` it times the floor: Python importing the libraries ``show`` needs and loading
one country's holidays, before any code of ours. It reports ``show``'s median as a multiple of the
floor and as the time above it: figures that move less with this virtual machine's CPU speed than
the wall time does.

Both are run with ``--as-of`` (default 2026-11-21), so a run is repeatable on any day. The peak
RSS of each child process is reported (``os.wait4``'s resource usage of that child).

Exits 0 if every target is met, 1 if one is missed or a command fails (the summary says which),
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
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench_engine import git_state
from sqlalchemy import text
from sqlalchemy.engine import make_url

from comp_tracker.storage.database import open_database

REPO = Path(__file__).resolve().parents[2]

SHOW_TARGET = 0.5  # seconds wall, median
OVERDUE_TARGET = 2.0  # seconds wall, median
#: What ``show`` costs before any code of ours runs: starting Python and importing the libraries
#: it needs (SQLAlchemy for the database, pydantic-settings for the configuration, Typer for the
#: command line, and holidays with one country's calendar loaded). The ratio to it takes this
#: machine's speed out (this VM's CPU speed has varied by 1.6x between sessions).
FLOOR_CODE = (
    "import sqlalchemy, pydantic_settings, typer, holidays; "
    "holidays.country_holidays('US', years=2002)"
)
FLOOR_COMMAND = [sys.executable, "-c", FLOOR_CODE]


@dataclass(frozen=True)
class Run:
    """One finished child process."""

    seconds: float  # wall
    cpu: float  # user + system of the child
    max_rss_mb: float  # the child's peak resident set size
    status: int
    stdout: str
    stderr: str


def console_script() -> str:
    beside = Path(sys.executable).with_name("comp-tracker")
    found = str(beside) if beside.exists() else shutil.which("comp-tracker")
    if found is None:
        sys.exit("bench_database: the comp-tracker console script is not installed")
    return found


def run(command: Sequence[str]) -> Run:
    """Run ``command`` once, its output into temporary files (it can be megabytes of JSON).

    The child is reaped with ``os.wait4``, whose resource usage is that child's alone (``getrusage
    (RUSAGE_CHILDREN)`` would give the largest of every child so far).
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=REPO, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    # ru_maxrss is in kilobytes on Linux, bytes on macOS.
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return Run(
        seconds=elapsed,
        cpu=usage.ru_utime + usage.ru_stime,
        max_rss_mb=usage.ru_maxrss / scale,
        status=process.returncode,
        stdout=stdout,
        stderr=stderr,
    )


def checked(command: Sequence[str]) -> Run:
    done = run(command)
    if done.status != 0:
        sys.exit(
            f"bench_database: {' '.join(command)} failed (status {done.status}):\n"
            f"{done.stderr[-3000:]}"
        )
    return done


def database_facts(url: str) -> tuple[int, int, str, int]:
    """(agreements, events, the agreement with the most events, its number of events)."""
    database = open_database(url, migrate=False)
    try:
        with database.read() as session:
            agreements = session.execute(text("SELECT count(*) FROM agreement")).scalar_one()
            events = session.execute(text("SELECT count(*) FROM event")).scalar_one()
            row = session.execute(
                text(
                    "SELECT a.key, count(e.id) AS n FROM agreement a "
                    "LEFT JOIN event e ON e.agreement_id = a.id "
                    "GROUP BY a.key ORDER BY n DESC, a.key LIMIT 1"
                )
            ).first()
    finally:
        database.dispose()
    if row is None:
        sys.exit(f"bench_database: no agreements in {shown(url)}")
    return int(agreements), int(events), str(row[0]), int(row[1])


def shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def describe(name: str, runs: list[Run]) -> str:
    walls = [r.seconds for r in runs]
    return (
        f"  {name}: median {statistics.median(walls):.3f} s wall, min {min(walls):.3f} s, "
        f"max {max(walls):.3f} s; median cpu {statistics.median(r.cpu for r in runs):.3f} s; "
        f"peak RSS {max(r.max_rss_mb for r in runs):.0f} MB"
    )


def add_database_arguments(parser: argparse.ArgumentParser, *, skip_demo: str, runs: str) -> None:
    """The options both database benchmarks take: --n, --seed, --db, --skip-demo, --runs, --keep."""
    parser.add_argument(
        "--n",
        type=int,
        default=100_000,
        metavar="N",
        help="synthetic agreements to generate (default 100,000)",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of demo --synthetic (default 1)")
    parser.add_argument(
        "--db",
        metavar="URL",
        help="use this database (empty, unless --skip-demo) instead of a fresh SQLite file",
    )
    parser.add_argument("--skip-demo", action="store_true", help=skip_demo)
    parser.add_argument("--runs", type=int, default=7, metavar="K", help=runs)
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary SQLite database (path printed)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_database_arguments(
        parser,
        skip_demo="do not generate: time the queries on the agreements already in --db",
        runs="runs of each query command (default 7)",
    )
    parser.add_argument(
        "--as-of", default="2026-11-21", metavar="YYYY-MM-DD", help="the queries' --as-of"
    )
    args = parser.parse_args(argv)
    if args.n < 1 or args.runs < 1:
        parser.error("--n and --runs must be at least 1")
    if args.skip_demo and not args.db:
        parser.error("--skip-demo needs --db")
    try:
        dt.date.fromisoformat(args.as_of)
    except ValueError:
        parser.error(f"--as-of {args.as_of!r}: not a date (YYYY-MM-DD)")

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
        directory = Path(tempfile.mkdtemp(prefix="bench-database-"))
        url = f"sqlite:///{directory / 'comp-tracker.db'}"
    script = console_script()
    base = [script, "--db", url, "--actor", "bench"]
    try:
        return measure(args, url, base, directory)
    finally:
        if directory is not None:
            if args.keep:
                print(f"kept {directory}")
            else:
                shutil.rmtree(directory, ignore_errors=True)


def measure(args: argparse.Namespace, url: str, base: list[str], directory: Path | None) -> int:
    print(f"  database: {shown(url)}")
    demo: Run | None = None
    if not args.skip_demo:
        command = [*base, "demo", "--synthetic", str(args.n), "--seed", str(args.seed)]
        print(f"\ndemo: comp-tracker demo --synthetic {args.n} --seed {args.seed} ...", flush=True)
        demo = checked(command)
        print(
            f"  {demo.seconds:.1f} s wall, {demo.cpu:.1f} s cpu, peak RSS "
            f"{demo.max_rss_mb:.0f} MB: {demo.stdout.strip()}"
        )
    agreements, events, agreement, agreement_events = database_facts(url)
    size = ""
    if directory is not None:
        files = list(directory.glob("comp-tracker.db*"))
        size = f"; SQLite files {sum(f.stat().st_size for f in files) / 1e6:.0f} MB"
    print(f"  the database holds {agreements:,} agreements and {events:,} events{size}")

    show_command = [*base, "show", agreement, "--format", "json", "--as-of", args.as_of]
    overdue_command = [
        *base,
        *("agreements", "--status", "overdue", "--format", "json", "--as-of", args.as_of),
    ]
    print(f"\nqueries, {args.runs} runs each (cwd {REPO}):")
    print(
        f"  show {agreement} --format json --as-of {args.as_of}  "
        f"(the agreement with the most events: {agreement_events})"
    )
    print(f"  agreements --status overdue --format json --as-of {args.as_of}")
    print(f"  and, before each show, the floor: python -c {FLOOR_CODE!r}")
    show_runs = []
    floor_runs = []
    for _ in range(args.runs):
        floor_runs.append(checked(FLOOR_COMMAND))
        done = checked(show_command)
        data = json.loads(done.stdout)
        assert data["agreement"]["id"] == agreement, data["agreement"]
        show_runs.append(done)
    overdue_runs = []
    listed: set[int] = set()
    for _ in range(args.runs):
        done = checked(overdue_command)
        lines = json.loads(done.stdout)
        assert all(line["status"] == "overdue" for line in lines), "a listed one is not overdue"
        listed.add(len(lines))
        overdue_runs.append(done)
    assert len(listed) == 1, f"the overdue list changed between runs: {sorted(listed)}"
    overdue = listed.pop()
    print(describe("floor (Python and the libraries)", floor_runs))
    print(describe("show", show_runs))
    print(describe("agreements --status overdue", overdue_runs) + f"; {overdue:,} listed")

    show_median = statistics.median(r.seconds for r in show_runs)
    floor_median = statistics.median(r.seconds for r in floor_runs)
    overdue_median = statistics.median(r.seconds for r in overdue_runs)
    missed = []
    print("\n" + "=" * 100)
    if demo is not None:
        print(
            f"demo --synthetic {args.n:,} --seed {args.seed}: {demo.seconds:.1f} s wall, "
            f"{args.n / demo.seconds:,.0f} agreements/s, peak RSS {demo.max_rss_mb:.0f} MB"
        )
    print(
        f"show ({agreement_events} events): median {show_median:.3f} s wall, max "
        f"{max(r.seconds for r in show_runs):.3f} s (target {SHOW_TARGET} s); "
        f"{show_median / floor_median:.2f}x the floor's {floor_median:.3f} s, "
        f"{show_median - floor_median:.3f} s above it"
    )
    print(
        f"agreements --status overdue ({overdue:,} of {agreements:,}): median "
        f"{overdue_median:.3f} s wall, max {max(r.seconds for r in overdue_runs):.3f} s "
        f"(target {OVERDUE_TARGET} s)"
    )
    if show_median >= SHOW_TARGET:
        missed.append(f"show median {show_median:.2f} s >= {SHOW_TARGET} s")
    if overdue_median >= OVERDUE_TARGET:
        missed.append(
            f"agreements --status overdue median {overdue_median:.2f} s >= {OVERDUE_TARGET} s"
        )
    print("result: " + ("all targets met" if not missed else "MISSED: " + "; ".join(missed)))
    print("=" * 100)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
