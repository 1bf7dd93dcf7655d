"""Benchmark of the period-close export, ``comp-tracker accruals``, on a large database.

Run from the repository root, in the project's virtualenv:

    python tests/benchmarks/bench_accruals.py [--n N] [--seed S] [--db URL] [--skip-demo]
                                              [--runs K] [--xlsx-runs K] [--scale-runs K]
                                              [--small-n N] [--small-db URL]
                                              [--from YYYY-MM-DD] [--as-of YYYY-MM-DD] [--keep]

It fills a fresh SQLite database in a temporary directory (or the database at ``--db``, which must
then be empty) with ``comp-tracker demo --synthetic N --seed S``, and a second, smaller one with
``demo --synthetic SMALL_N --seed S``, then runs ``comp-tracker --db URL accruals --from FROM
--as-of AS_OF --format csv|xlsx --output FILE`` as a subprocess, exactly as finance runs it
(default period 2026-07-01 to 2026-09-30, a quarter closed before the synthetic data's "today",
2026-11-21):

* the CSV export, K runs, interleaved with K runs of a baseline: a small Python process writing
  the same number of rows, of the same columns and similar values (text, ISO dates, ``Decimal``
  money with two decimals), with the csv module alone, timed inside that process (the writing
  only) and as a whole process. The export's median is reported as a multiple of each;
* the XLSX export (a workbook of the three tables), fewer runs;
* peak memory against the number of agreements: the CSV export with ``--all`` (every agreement)
  on the large database, and with and without ``--all`` on the small one. The export loads
  agreements a chunk at a time, so its peak RSS should stay roughly flat as they grow.

Targets (the issue's): on ``demo --synthetic 100000``, the CSV export under 5 s wall and the XLSX
export under 30 s wall (the median of the runs), with a peak RSS under 300 MB (the largest of
every CSV and XLSX run of the default scope). Each command is started by the small runner process
of ``bench_due.py``, which times it and reaps it with ``os.wait4``, so the peak RSS is the
command's own, not inherited from this script.

Every CSV file is parsed back with the csv module: the header must be the installment table's,
every money cell two decimals, each ``subtotal`` line's money the sum of its company's
``installment`` lines and the ``total`` line's the sum of all of them (``Decimal``, never
``float``), the installment lines as many as the command's message says; later runs must write
the same bytes. A workbook's Accruals sheet must hold as many rows as the CSV file. A failed check
fails the benchmark.

Exits 0 if every target is met, 1 if one is missed, a check fails or a command fails (the summary
says which), 2 on a usage error. Standard library and the package only; not collected by pytest
(pyproject's norecursedirs). See tests/benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import NoReturn

from bench_database import Run, add_database_arguments, console_script, describe
from bench_database import shown as shown_url
from bench_due import absolute, count_rows, run
from bench_engine import git_state
from sqlalchemy.exc import ArgumentError

from comp_tracker.services.accruals.choices import Report
from comp_tracker.services.accruals.export import COLUMNS, Kind
from comp_tracker.storage.database import DatabaseError

CSV_TARGET = 5.0  # seconds wall, median
XLSX_TARGET = 30.0  # seconds wall, median
RSS_TARGET = 300  # MB, the largest peak RSS of any CSV or XLSX run of the default scope

#: The installment table: what a CSV file holds (``--report installments``, the default).
HEADER = [name for name, _ in COLUMNS[Report.INSTALLMENTS]]
MONEY = [i for i, (_, kind) in enumerate(COLUMNS[Report.INSTALLMENTS]) if kind is Kind.MONEY]
MONEY_TEXT = re.compile(r"-?\d+\.\d\d")
#: The command's message on stdout when it writes a file.
WROTE = re.compile(
    r"Wrote .*?: (\d+) agreement\(s\), (\d+) installment\(s\), (\d+) journal entr(?:y|ies)"
)

#: The csv-module baseline: argv[1] the file, argv[2] the rows, argv[3] the columns (JSON: name
#: and kind, the installment table's). Builds 1,000 distinct rows of values like the export's
#: (text, some with a comma to quote; ints; dates; Decimal money, two decimals, half of it zero;
#: the values themselves, which the writer turns into text as it does the export's), then writes
#: the header and the rows, cycling through them, with ``csv.writer`` to a new file, as the export
#: does (utf-8, "\\n"). Prints the seconds from opening the file to closing it, and its size.
BASELINE_CODE = """\
import csv, datetime as dt, itertools, json, os, random, sys, time
from decimal import Decimal
out, rows, columns = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
rng = random.Random(1)
words = ["Alder", "Basalt", "Birch", "Cedar", "Granite", "Harbor", "Juniper", "Maple", "Yarrow"]
kinds = ["Semiconductor Company", "Medical Group, Inc.", "Freight Inc.", "Controls Group, Inc."]
companies = [f"{rng.choice(words)} {rng.choice(words)} {rng.choice(kinds)}" for _ in range(300)]
people = [f"{rng.choice(['Hannah', 'Dmitri', 'Maria', 'Wei'])} {chr(65 + rng.randrange(26))}. "
          f"{rng.choice(['Quinn', 'Harper', 'Okafor', 'Lindqvist'])}" for _ in range(300)]
statuses = ["scheduled", "due", "paid", "overdue", "forfeited"]
first = dt.date(2026, 1, 1)

def value(name, kind):
    if kind == "money":
        cents = rng.randrange(-10**7, 10**8) if rng.random() < 0.5 else 0
        return Decimal(cents).scaleb(-2)
    if kind == "date":
        return first + dt.timedelta(days=rng.randrange(1500))
    if kind == "int":
        return rng.randrange(1, 7)
    if name == "line":
        return "installment"
    if name == "company":
        return rng.choice(companies)
    if name == "employee":
        return rng.choice(people)
    if name == "agreement":
        surname = rng.choice(people).split()[-1].lower()
        return f"{rng.choice(words).lower()}-2026-{surname}-{rng.randrange(10**5)}"
    return rng.choice(statuses)

pool = [tuple(value(name, kind) for name, kind in columns) for _ in range(1000)]
start = time.perf_counter()
with open(out, "w", encoding="utf-8", newline="") as f:
    writer = csv.writer(f, lineterminator="\\n")
    writer.writerow([name for name, _ in columns])
    writer.writerows(itertools.islice(itertools.cycle(pool), rows))
elapsed = time.perf_counter() - start
print(elapsed, os.path.getsize(out))
"""


@dataclass(frozen=True)
class Export:
    """One export's run and what it reported and wrote."""

    run: Run
    agreements: int
    installments: int
    entries: int
    rows: int  # data lines of the file (installment, subtotal and total lines)
    size: int  # bytes
    digest: str  # of a CSV file; "" for a workbook


@dataclass(frozen=True)
class Checked:
    """What the check of one CSV file found."""

    installments: int
    subtotals: int
    agreements: int  # distinct agreements among the installment lines


def fail(message: str) -> NoReturn:
    sys.exit(f"bench_accruals: {message}")


def checked(command: Sequence[str]) -> Run:
    done = run(command)
    if done.status != 0:
        fail(f"{' '.join(command)} failed (status {done.status}):\n{done.stderr[-3000:]}")
    return done


def money(text: str, where: str) -> Decimal:
    if not MONEY_TEXT.fullmatch(text):
        fail(f"{where}: {text!r} is not money with two decimals")
    return Decimal(text)


def check_csv(path: Path) -> Checked:
    """Parse the file back: the header, money with two decimals, subtotals and the total equal
    to the sums of the installment lines (Decimal). Fails the benchmark if anything is off."""
    zero = [Decimal(0)] * len(MONEY)
    company_sums, total_sums = list(zero), list(zero)
    company: str | None = None  # of the installment lines not yet subtotalled
    installments = subtotals = 0
    agreements: set[str] = set()
    total: list[str] | None = None
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header != HEADER:
            fail(f"{path.name}: the header is {header}, not the installment table's {HEADER}")
        for number, row in enumerate(reader, start=2):
            where = f"{path.name} line {number}"
            if total is not None:
                fail(f"{where}: a line after the total line")
            if len(row) != len(HEADER):
                fail(f"{where}: {len(row)} columns, not {len(HEADER)}")
            kind = row[0]
            if kind == "installment":
                if company is None:
                    company = row[1]
                elif row[1] != company:
                    fail(f"{where}: {row[1]!r} follows {company!r}'s lines without a subtotal")
                installments += 1
                agreements.add(row[3])
                for n, i in enumerate(MONEY):
                    amount = money(row[i], where)
                    company_sums[n] += amount
                    total_sums[n] += amount
            elif kind == "subtotal":
                subtotals += 1
                if company is not None and row[1] != company:
                    fail(f"{where}: a subtotal for {row[1]!r} after the lines of {company!r}")
                got = [money(row[i], where) for i in MONEY]
                if got != company_sums:
                    fail(f"{where}: {row[1]!r}'s subtotal {got} is not the sum {company_sums}")
                company, company_sums = None, list(zero)
            elif kind == "total":
                total = row
            else:
                fail(f"{where}: line kind {kind!r}")
    if company is not None:
        fail(f"{path.name}: the last company, {company!r}, has no subtotal line")
    if total is None:
        fail(f"{path.name}: no total line")
    if any(total[i] for i in range(1, len(HEADER)) if i not in MONEY):
        fail(f"{path.name}: the total line has text outside the money columns: {total}")
    got = [money(total[i], f"{path.name} total line") for i in MONEY]
    if got != total_sums:
        diff = {HEADER[i]: str(g - s) for i, g, s in zip(MONEY, got, total_sums, strict=True)}
        fail(f"{path.name}: the total line is not the sum of the installment lines: {diff}")
    return Checked(installments=installments, subtotals=subtotals, agreements=len(agreements))


def csv_rows(path: Path) -> int:
    """Data lines (the header not counted), parsed with the csv module."""
    with path.open(encoding="utf-8", newline="") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def sheet_rows(path: Path) -> int:
    """Rows of the workbook's first sheet (Accruals), the header not counted, read from its XML
    a megabyte at a time (a write-only sheet writes one ``<row`` element per row)."""
    try:
        with zipfile.ZipFile(path) as book:
            workbook = book.read("xl/workbook.xml").decode()
            if '<sheet name="Accruals" sheetId="1"' not in workbook:
                fail(f"{path.name}: the first sheet is not Accruals: {workbook[:500]}")
            count, tail = 0, b""
            with book.open("xl/worksheets/sheet1.xml") as sheet:
                while block := sheet.read(1 << 20):
                    text = tail + block
                    count += text.count(b"<row ")
                    tail = text[-4:]  # the start of a tag split between blocks, too short to count
    except zipfile.BadZipFile as exc:
        fail(f"{path.name}: not a workbook ({exc})")
    return count - 1


def export(command: Sequence[str], output: Path) -> Export:
    """Run one export to ``output`` (removed first) and read what it reported."""
    output.unlink(missing_ok=True)
    done = checked(command)
    found = WROTE.search(done.stdout)
    if found is None:
        fail(f"no 'Wrote ...' message on stdout: {done.stdout[:500]!r}")
    if done.stderr.strip():
        print(f"    note: the command wrote to stderr: {done.stderr.strip()[:300]!r}")
    if not output.exists():
        fail(f"{' '.join(command)} exited 0 but wrote no {output.name}")
    xlsx = output.suffix == ".xlsx"
    digest = "" if xlsx else hashlib.sha256(output.read_bytes()).hexdigest()
    return Export(
        run=done,
        agreements=int(found[1]),
        installments=int(found[2]),
        entries=int(found[3]),
        rows=sheet_rows(output) if xlsx else csv_rows(output),
        size=output.stat().st_size,
        digest=digest,
    )


def consistent(name: str, exports: list[Export]) -> Export:
    """Every run of one command must report and write the same; the first run."""
    first = exports[0]
    for other in exports[1:]:
        same = (other.agreements, other.installments, other.entries, other.rows)
        if same != (first.agreements, first.installments, first.entries, first.rows):
            fail(f"{name}: the runs differ: {first} and {other}")
        if other.digest != first.digest:
            fail(f"{name}: two runs wrote different bytes ({first.size:,} and {other.size:,})")
    return first


def verify(name: str, output: Path, reported: Export) -> Checked:
    """Check one CSV file and that it agrees with the command's message."""
    found = check_csv(output)
    if found.installments != reported.installments:
        fail(
            f"{name}: {found.installments:,} installment lines, but the message says "
            f"{reported.installments:,}"
        )
    if found.agreements > reported.agreements:
        fail(
            f"{name}: {found.agreements:,} agreements, but the message says {reported.agreements:,}"
        )
    print(
        f"    check: {found.installments:,} installment lines of {found.agreements:,} agreements, "
        f"{found.subtotals:,} subtotals and the total equal the sums (Decimal): ok"
    )
    return found


def scope(e: Export) -> str:
    return (
        f"{e.agreements:,} agreements, {e.installments:,} installments, {e.entries:,} journal "
        f"entries; {e.rows:,} data rows, {e.size / 1e6:.1f} MB"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_database_arguments(
        parser,
        skip_demo="do not generate: export what --db (and --small-db) already hold",
        runs="runs of the CSV export, and of the csv-module baseline (default 5)",
    )
    parser.set_defaults(runs=5)
    parser.add_argument(
        "--xlsx-runs", type=int, default=3, metavar="K", help="runs of the XLSX export (default 3)"
    )
    parser.add_argument(
        "--scale-runs",
        type=int,
        default=3,
        metavar="K",
        help="runs of each memory-scaling export: --all on N, default and --all on the small "
        "database (default 3)",
    )
    parser.add_argument(
        "--small-n",
        type=int,
        default=20_000,
        metavar="N",
        help="agreements of the small database, to compare peak memory (default 20,000; 0 skips)",
    )
    parser.add_argument(
        "--small-db",
        metavar="URL",
        help="the small database (empty, unless --skip-demo); default a fresh SQLite file, "
        "unless --db is given (then no small database unless this is)",
    )
    parser.add_argument(
        "--from",
        dest="start",
        default="2026-07-01",
        metavar="YYYY-MM-DD",
        help="the period's first day (default 2026-07-01)",
    )
    parser.add_argument(
        "--as-of",
        default="2026-09-30",
        metavar="YYYY-MM-DD",
        help="the period's last day (default 2026-09-30)",
    )
    args = parser.parse_args(argv)
    if min(args.n, args.runs, args.xlsx_runs, args.scale_runs) < 1 or args.small_n < 0:
        parser.error("--n and the runs must be at least 1, --small-n at least 0")
    if args.skip_demo and not args.db:
        parser.error("--skip-demo needs --db")
    for option, value in (("--from", args.start), ("--as-of", args.as_of)):
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            parser.error(f"{option} {value!r}: not a date (YYYY-MM-DD)")
    if args.start > args.as_of:
        parser.error(f"--from {args.start} is after --as-of {args.as_of}")
    for option in ("db", "small_db"):
        value = getattr(args, option)
        if not value:
            continue
        try:
            setattr(args, option, absolute(value))
        except ArgumentError:
            parser.error(f"--{option.replace('_', '-')} {value!r}: not a database URL")
        try:
            filled = not args.skip_demo and count_rows(getattr(args, option), "agreement")
        except DatabaseError as exc:
            fail(str(exc))
        if filled:
            parser.error(
                f"--{option.replace('_', '-')} {shown_url(value)} already holds agreements: give "
                "an empty database, or --skip-demo to export what it holds"
            )
    if args.small_db and args.small_db == args.db:
        parser.error("--small-db must not be --db")

    load = os.getloadavg()[0]
    cpus = os.cpu_count() or 1
    print(
        f"python {platform.python_version()} ({sys.executable}) on {platform.platform()}; "
        f"{cpus} CPUs; load average {load:.2f}"
    )
    code = git_state()
    print(f"  code: {code}")
    if load > cpus - 1:
        print("  warning: other processes are busy; wall times may be inflated")

    directory = Path(tempfile.mkdtemp(prefix="bench-accruals-"))
    url = args.db or f"sqlite:///{directory / 'comp-tracker.db'}"
    small_url = args.small_db
    if small_url is None and args.small_n and not args.db:
        small_url = f"sqlite:///{directory / 'small.db'}"
    try:
        return measure(args, url, small_url, directory, code)
    finally:
        if args.keep:
            print(f"kept {directory}")
            if not args.db:
                again = f"--db {url} --skip-demo"
                if small_url:
                    again += f" --small-db {small_url}"
                print(f"  to time them again: python tests/benchmarks/bench_accruals.py {again}")
        else:
            shutil.rmtree(directory, ignore_errors=True)


def demo(url: str, n: int, seed: int) -> Run:
    print(f"\ndemo: comp-tracker demo --synthetic {n} --seed {seed} ...", flush=True)
    done = checked(
        [console_script(), "--db", url, "demo", "--synthetic", str(n), "--seed", str(seed)]
    )
    print(
        f"  {done.seconds:.1f} s wall, {done.cpu:.1f} s cpu, peak RSS {done.max_rss_mb:.0f} MB: "
        f"{done.stdout.strip()}"
    )
    return done


def measure(
    args: argparse.Namespace, url: str, small_url: str | None, directory: Path, code: str
) -> int:
    print(f"  database: {shown_url(url)}")
    if small_url:
        print(f"  small database: {shown_url(small_url)}")
    print(f"  files written in {directory}")
    demos: list[tuple[int, Run]] = []
    if not args.skip_demo:
        demos.append((args.n, demo(url, args.n, args.seed)))
        if small_url:
            demos.append((args.small_n, demo(small_url, args.small_n, args.seed)))

    script = console_script()
    period = ["--from", args.start, "--as-of", args.as_of]

    def command(database: str, fmt: str, output: Path, every: bool = False) -> list[str]:
        return [
            *(script, "--db", database, "--actor", "bench", "accruals"),
            *period,
            *("--format", fmt, "--output", str(output)),
            *(["--all"] if every else []),
        ]

    csv_out = directory / "accruals.csv"
    xlsx_out = directory / "accruals.xlsx"
    baseline_out = directory / "baseline.csv"
    shown = f"comp-tracker --db URL accruals --from {args.start} --as-of {args.as_of}"
    print(f"\nCSV export, {args.runs} run(s), each followed by the csv-module baseline:")
    print(f"  {shown} --format csv --output {csv_out.name}")
    columns = json.dumps([[name, kind.value] for name, kind in COLUMNS[Report.INSTALLMENTS]])
    csv_runs: list[Export] = []
    baseline_runs: list[Run] = []
    baseline_write: list[float] = []
    baseline_size = 0
    for number in range(args.runs):
        done = export(command(url, "csv", csv_out), csv_out)
        csv_runs.append(done)
        print(
            f"    run {number + 1}: {done.run.seconds:.3f} s wall, peak RSS "
            f"{done.run.max_rss_mb:.0f} MB",
            flush=True,
        )
        if number == 0:
            print(f"    {scope(done)}")
            verify("the CSV export", csv_out, done)
        baseline_out.unlink(missing_ok=True)
        base = checked(
            [sys.executable, "-c", BASELINE_CODE, str(baseline_out), str(done.rows), columns]
        )
        seconds, size = base.stdout.split()
        baseline_runs.append(base)
        baseline_write.append(float(seconds))
        baseline_size = int(size)
        if csv_rows(baseline_out) != done.rows:
            fail(f"the baseline wrote {csv_rows(baseline_out):,} rows, not {done.rows:,}")
    csv_first = consistent("the CSV export", csv_runs)

    print(f"\nXLSX export, {args.xlsx_runs} run(s):")
    print(f"  {shown} --format xlsx --output {xlsx_out.name}")
    xlsx_runs: list[Export] = []
    for number in range(args.xlsx_runs):
        done = export(command(url, "xlsx", xlsx_out), xlsx_out)
        xlsx_runs.append(done)
        print(
            f"    run {number + 1}: {done.run.seconds:.3f} s wall, peak RSS "
            f"{done.run.max_rss_mb:.0f} MB",
            flush=True,
        )
    xlsx_first = consistent("the XLSX export", xlsx_runs)
    print(f"    {scope(xlsx_first)} (the Accruals sheet's rows)")
    same = (csv_first.agreements, csv_first.installments, csv_first.rows)
    if (xlsx_first.agreements, xlsx_first.installments, xlsx_first.rows) != same:
        fail(f"the workbook's figures differ from the CSV file's: {xlsx_first} and {csv_first}")

    print(f"\npeak memory against the agreements, {args.scale_runs} run(s) each, CSV:")
    scaled: list[tuple[str, list[Export]]] = [(f"{args.n:,} agreements", csv_runs)]
    targets = [(url, args.n, True)]
    if small_url:
        targets += [(small_url, args.small_n, False), (small_url, args.small_n, True)]
    for database, n, every in targets:
        name = f"{n:,} agreements{' --all' if every else ''}"
        output = directory / f"accruals-{n}{'-all' if every else ''}.csv"
        print(f"  {name}: {shown} --format csv --output {output.name}{' --all' if every else ''}")
        runs: list[Export] = []
        for number in range(args.scale_runs):
            done = export(command(database, "csv", output, every), output)
            runs.append(done)
            print(
                f"    run {number + 1}: {done.run.seconds:.3f} s wall, peak RSS "
                f"{done.run.max_rss_mb:.0f} MB",
                flush=True,
            )
            if number == 0:
                print(f"    {scope(done)}")
                verify(name, output, done)
        consistent(name, runs)
        scaled.append((name, runs))
    scaled.sort(key=lambda item: item[1][0].rows)

    print()
    print(describe("CSV export", [e.run for e in csv_runs]))
    print(describe("XLSX export", [e.run for e in xlsx_runs]))
    print(describe("csv-module baseline (whole process)", baseline_runs))
    print(
        f"  csv-module baseline, writing only: median {statistics.median(baseline_write):.3f} s, "
        f"min {min(baseline_write):.3f} s, max {max(baseline_write):.3f} s; "
        f"{baseline_size / 1e6:.1f} MB (the export's: {csv_first.size / 1e6:.1f} MB)"
    )
    for name, runs in scaled:
        print(describe(f"CSV, {name}", [e.run for e in runs]) + f"; {runs[0].rows:,} rows")

    csv_median = statistics.median(e.run.seconds for e in csv_runs)
    xlsx_median = statistics.median(e.run.seconds for e in xlsx_runs)
    write_median = statistics.median(baseline_write)
    process_median = statistics.median(r.seconds for r in baseline_runs)
    csv_peak = max(e.run.max_rss_mb for e in csv_runs)
    xlsx_peak = max(e.run.max_rss_mb for e in xlsx_runs)
    missed = []
    print("\n" + "=" * 100)
    for n, made in demos:
        print(
            f"demo --synthetic {n:,} --seed {args.seed}: {made.seconds:.1f} s wall, "
            f"peak RSS {made.max_rss_mb:.0f} MB"
        )
    print(f"accruals {args.start} to {args.as_of} on {args.n:,} agreements: {scope(csv_first)}")
    print(
        f"CSV export: median {csv_median:.3f} s wall, max "
        f"{max(e.run.seconds for e in csv_runs):.3f} s (target {CSV_TARGET} s), peak RSS "
        f"{csv_peak:.0f} MB (target {RSS_TARGET} MB)"
    )
    print(
        f"XLSX export: median {xlsx_median:.3f} s wall, max "
        f"{max(e.run.seconds for e in xlsx_runs):.3f} s (target {XLSX_TARGET} s), peak RSS "
        f"{xlsx_peak:.0f} MB (target {RSS_TARGET} MB)"
    )
    print(
        f"  csv module alone, the same {csv_first.rows:,} rows x {len(HEADER)} columns: writing "
        f"{write_median:.3f} s (timed inside its process): the CSV export is "
        f"{csv_median / write_median:.1f}x it (the issue's ratio); whole process "
        f"{process_median:.3f} s: {csv_median / process_median:.1f}x it"
    )
    all_runs = next(runs for name, runs in scaled if name == f"{args.n:,} agreements --all")
    print(
        f"  --all (informational): median "
        f"{statistics.median(e.run.seconds for e in all_runs):.3f} s wall, peak RSS "
        f"{max(e.run.max_rss_mb for e in all_runs):.0f} MB; {scope(all_runs[0])}"
    )
    print(
        "  peak RSS by size (CSV, default scope unless --all): "
        + "; ".join(
            f"{name} ({runs[0].rows:,} rows) {max(e.run.max_rss_mb for e in runs):.0f} MB"
            for name, runs in scaled
        )
    )
    peaks = [max(e.run.max_rss_mb for e in runs) for _, runs in scaled]
    print(
        f"  from the fewest rows to the most ({scaled[-1][1][0].rows / scaled[0][1][0].rows:.1f}x):"
        f" peak RSS {peaks[0]:.0f} -> {peaks[-1]:.0f} MB ({peaks[-1] - peaks[0]:+.0f} MB)"
    )
    print("  every CSV file parsed back: subtotals and totals equal the sums of the lines: ok")
    # The package is installed editable: each run imports the files as they are at its start.
    now = git_state()
    if now != code:
        print(f"  warning: the code changed during the runs: {code} at the start, {now} at the end")
    if csv_median >= CSV_TARGET:
        missed.append(f"CSV median {csv_median:.2f} s >= {CSV_TARGET} s")
    if xlsx_median >= XLSX_TARGET:
        missed.append(f"XLSX median {xlsx_median:.2f} s >= {XLSX_TARGET} s")
    if max(csv_peak, xlsx_peak) >= RSS_TARGET:
        missed.append(f"peak RSS {max(csv_peak, xlsx_peak):.0f} MB >= {RSS_TARGET} MB")
    print("result: " + ("all targets met" if not missed else "MISSED: " + "; ".join(missed)))
    print("=" * 100)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
