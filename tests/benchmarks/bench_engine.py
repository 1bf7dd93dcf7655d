"""Benchmarks for the schedule engine and the ``comp-tracker schedule`` command.

Run from the repository root, in the project's virtualenv:

    python tests/benchmarks/bench_engine.py [--agreements N] [--repeats R] [--seed S]
                                            [--cli-runs K] [--skip-cli] [--profile]

Two targets (see tests/benchmarks/README.md):

* engine: ``compute_schedule`` evaluates at least 100,000 installments a second on one core
  (median of R warm passes over a deterministic synthetic workload);
* CLI: ``comp-tracker schedule data/agreements/hecla-baker-2001-retention.toml`` returns in under
  0.5 s wall (median of K runs), and imports neither Textual nor SQLAlchemy (nor SQLModel).

Exits 0 if every target is met, 1 if one is missed (the summary says which), 2 on a usage error.
Standard library and the package only; not collected by pytest (pyproject's norecursedirs).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import json
import os
import platform
import pstats
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from comp_tracker.domain import (
    AgreementError,
    ChangeInControl,
    DayCount,
    Event,
    Installment,
    Payment,
    Termination,
    TerminationReason,
    Terms,
    compute_schedule,
    validate,
)
from comp_tracker.domain import calendars as _calendars

REPO = Path(__file__).resolve().parents[2]
AGREEMENT_FILE = "data/agreements/hecla-baker-2001-retention.toml"
CLI_ARGS = ["schedule", AGREEMENT_FILE, "--as-of", "2002-09-30"]

ENGINE_TARGET = 100_000  # installments per second, one core
CLI_TARGET = 0.5  # seconds wall, median
FORBIDDEN = ("textual", "sqlalchemy", "sqlmodel")

CALENDARS = ("US", "NYSE", "US-ID")
FIRST_EFFECTIVE = dt.date(2000, 1, 1)
LAST_EFFECTIVE = dt.date(2030, 12, 31)
REASONS = [
    (TerminationReason.WITHOUT_CAUSE, 40),
    (TerminationReason.RESIGNATION, 30),
    (TerminationReason.DEATH, 10),
    (TerminationReason.DISABILITY, 8),
    (TerminationReason.MALFEASANCE, 6),
    (TerminationReason.REFUSAL, 3),
    (TerminationReason.FELONY, 3),
]


# -- workload ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Case:
    terms: Terms
    events: tuple[Event, ...]
    as_of: dt.date


def _money(cents: int) -> Decimal:
    """An exact two-decimal Decimal from integer cents (never through float)."""
    return Decimal(cents).scaleb(-2)


def _days(rng: random.Random, low: int, high: int) -> dt.timedelta:
    return dt.timedelta(days=rng.randint(low, high))


def make_case(rng: random.Random, index: int, stats: Counter[str]) -> Case:
    """One synthetic agreement with its events, drawn from ``rng``.

    Installments: 1 to 6, the first 1-13 months after the effective date, then every 3-12 months;
    the agreement expires 0-60 days after the last one. Events: about half the agreements have
    payments (on time, late with or without some interest, partial, a few not naming an
    installment), about 10% a termination (mixed reasons), about 3% a change in control. Payments
    are only made to installments that cannot have been forfeited; a generated history can still
    be impossible (an untargeted payment taking what a later targeted one expects), and
    :func:`build_workload` drops and counts those.
    """
    span = (LAST_EFFECTIVE - FIRST_EFFECTIVE).days
    effective = FIRST_EFFECTIVE + dt.timedelta(days=rng.randint(0, span))
    count = rng.randint(1, 6)
    due = effective + _days(rng, 30, 400)
    installments = []
    for _ in range(count):
        installments.append(Installment(due, _money(rng.randint(500_000, 50_000_000))))
        due += _days(rng, 90, 370)
    expires = installments[-1].due + _days(rng, 0, 60)
    day_count = rng.choices(
        (DayCount.ACT_365F, DayCount.ACT_360, DayCount.THIRTY_360), weights=(80, 10, 10)
    )[0]
    rate_cents = rng.choices((10, 8, 12, 5), weights=(70, 10, 10, 10))[0]  # percent a year
    terms = Terms(
        id=f"synthetic-{index:06d}",
        company=f"Company {index % 997}",
        employee=f"Employee {index}",
        effective=effective,
        expires=expires,
        installments=tuple(installments),
        calendar=rng.choice(CALENDARS),
        late_interest_rate=Decimal(rate_cents).scaleb(-2),
        day_count=day_count,
    )
    stats["installments generated"] += count
    stats[f"calendar {terms.calendar}"] += 1

    events: list[Event] = []
    window_end = expires + dt.timedelta(days=30)

    def some_day() -> dt.date:
        return effective + dt.timedelta(days=rng.randint(0, (window_end - effective).days))

    termination: Termination | None = None
    change_in_control: dt.date | None = None
    if rng.random() < 0.10:
        reason = rng.choices([r for r, _ in REASONS], weights=[w for _, w in REASONS])[0]
        termination = Termination(some_day(), reason)
        stats[f"termination {reason.value}"] += 1
    if rng.random() < 0.03:
        change_in_control = some_day()
        stats["change in control"] += 1

    # Which installments can still be paid, and from when.
    accelerate = termination is not None and termination.reason in terms.accelerate_on
    cutoff: dt.date | None = None  # installments due after it are forfeited
    if change_in_control is not None and (
        termination is None or change_in_control < termination.date
    ):
        cutoff = change_in_control
    elif termination is not None and not accelerate:
        cutoff = termination.date
    payable: list[tuple[int, Installment, dt.date]] = []  # (number, installment, due)
    for number, item in enumerate(installments, start=1):
        if cutoff is not None and item.due > cutoff:
            continue
        payable_from = item.due
        if accelerate and termination is not None and item.due > termination.date:
            payable_from = termination.date
        payable.append((number, item, payable_from))

    if rng.random() < 0.5:
        stats["with payments"] += 1
        rate = terms.late_interest_rate
        for number, item, payable_from in payable:
            cents = int(item.amount.scaleb(2))
            target: int | None = number if rng.random() < 0.85 else None
            kind = rng.choices(
                ("on_time", "late", "late_interest", "partial", "unpaid"),
                weights=(50, 15, 10, 15, 10),
            )[0]
            stats[f"payment {kind}"] += 1
            if kind == "unpaid":
                continue
            if kind == "on_time":  # the due date or up to 2 days later: always by the deadline
                events.append(Payment(payable_from + _days(rng, 0, 2), item.amount, target))
            elif kind in ("late", "late_interest"):
                # >= 15 days after the due date is after the deadline on every calendar here.
                paid_on = payable_from + _days(rng, 15, 400)
                extra = 0
                if kind == "late_interest":
                    # A lower bound of the interest accrued by then (20 days' slack for the
                    # payment window and 30/360), so the payment is never an overpayment.
                    days = max(0, (paid_on - payable_from).days - 20)
                    extra = int(cents * rate * days / 366)
                events.append(Payment(paid_on, _money(cents + extra), target))
            else:  # partial: 20-80% on time or a little late, maybe the rest later
                first = cents * rng.randint(20, 80) // 100
                first_on = payable_from + _days(rng, 0, 30)
                events.append(Payment(first_on, _money(first), target))
                if rng.random() < 0.6:
                    events.append(
                        Payment(first_on + _days(rng, 10, 200), _money(cents - first), target)
                    )
    if termination is not None:
        events.append(termination)
    if change_in_control is not None:
        events.append(ChangeInControl(change_in_control))

    events.sort(key=lambda e: e.date)
    named = tuple(_with_ref(event, f"events[{k}]") for k, event in enumerate(events, start=1))
    last = max([effective, *(e.date for e in named)])
    as_of = last + _days(rng, 1, 365)
    return Case(terms, named, as_of)


def _with_ref(event: Event, ref: str) -> Event:
    if isinstance(event, Payment):
        return Payment(event.date, event.amount, event.installment, ref)
    if isinstance(event, Termination):
        return Termination(event.date, event.reason, ref)
    assert isinstance(event, ChangeInControl)
    return ChangeInControl(event.date, ref)


def build_workload(n: int, seed: int) -> tuple[list[Case], Counter[str], Counter[str]]:
    """``n`` generated agreements, minus those ``validate`` refuses (counted by reason)."""
    rng = random.Random(seed)
    stats: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    cases = []
    for index in range(n):
        case = make_case(rng, index, stats)
        try:
            validate(case.terms, case.events)
        except AgreementError as exc:
            reason = exc.reason.split(":")[0].split(" on ")[0]
            dropped[f"{type(exc).__name__}: {reason}"] += 1
            continue
        cases.append(case)
    return cases, stats, dropped


# -- engine ------------------------------------------------------------------------------------


def engine_pass(cases: Sequence[Case]) -> tuple[float, float]:
    """Evaluate every case once; the wall and CPU time of this process in seconds."""
    cpu = time.process_time()
    start = time.perf_counter()
    for case in cases:
        compute_schedule(case.terms, case.events, case.as_of)
    return time.perf_counter() - start, time.process_time() - cpu


def clear_calendar_caches() -> None:
    """Forget cached calendars, holiday years and business-day sums (as in a fresh process):
    each calendar keeps its own caches, so new calendar objects start empty."""
    _calendars.get_calendar.cache_clear()


def cache_note() -> str:
    sizes = {code: len(_calendars.get_calendar(code)._after) for code in CALENDARS}
    listed = ", ".join(f"{code} {size:,}" for code, size in sizes.items())
    return f"business-day caches: {sum(sizes.values()):,} (day, count) entries ({listed})"


# -- CLI ---------------------------------------------------------------------------------------


def console_script() -> str:
    beside = Path(sys.executable).with_name("comp-tracker")
    found = str(beside) if beside.exists() else shutil.which("comp-tracker")
    if found is None:
        sys.exit("bench_engine: the comp-tracker console script is not installed")
    return found


def wall(
    command: Sequence[str], check: Callable[[subprocess.CompletedProcess[str]], None]
) -> tuple[float, float]:
    """Run ``command`` once; its wall time and its CPU time (user + system) in seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"bench_engine: {' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    check(done)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def check_json(done: subprocess.CompletedProcess[str]) -> None:
    data = json.loads(done.stdout)
    assert data["agreement"]["id"] == "hecla-baker-2001-retention", data["agreement"]
    assert len(data["installments"]) == 2, data["installments"]


def check_table(done: subprocess.CompletedProcess[str]) -> None:
    assert "hecla-baker-2001-retention" in done.stdout, done.stdout


def no_check(done: subprocess.CompletedProcess[str]) -> None:
    pass


#: Runs the console script in-process, exactly as the shell would, then reports sys.modules.
_MODULES_PROBE = r"""
import json, runpy, sys
script, rest = sys.argv[1], sys.argv[2:]
sys.argv = ["comp-tracker", *rest]
try:
    runpy.run_path(script, run_name="__main__")
except SystemExit as exc:
    status = exc.code
else:
    status = 0
tops = sorted({name.partition(".")[0] for name in sys.modules})
report = {
    "status": status,
    "forbidden": [name for name in tops if name in FORBIDDEN],
    "modules": len(sys.modules),
    "holidays_modules": sum(1 for name in sys.modules if name.startswith("holidays.")),
    "rich": "rich" in sys.modules,
}
print("BENCH-MODULES " + json.dumps(report), file=sys.stderr)
""".replace("FORBIDDEN", repr(FORBIDDEN))


def probe_modules(fmt: str) -> dict[str, object]:
    command = [sys.executable, "-c", _MODULES_PROBE, console_script(), *CLI_ARGS, "--format", fmt]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    for line in done.stderr.splitlines():
        if line.startswith("BENCH-MODULES "):
            report: dict[str, object] = json.loads(line.removeprefix("BENCH-MODULES "))
            return report
    sys.exit(f"bench_engine: the import probe failed:\n{done.stderr}")


def import_times(fmt: str) -> tuple[float, list[tuple[float, str]]]:
    """``python -X importtime`` over the real schedule command (lazy imports included).

    Returns the total import time in ms and the self time of every imported module summed by
    top-level package, slowest first (so pydantic, imported by typer while it parses the options,
    counts as pydantic).
    """
    command = [sys.executable, "-X", "importtime", console_script(), *CLI_ARGS, "--format", fmt]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=True)
    by_package: Counter[str] = Counter()
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "[us]" in line:
            continue
        self_us, _, name = line.removeprefix("import time:").split("|")
        by_package[name.strip().partition(".")[0]] += int(self_us)
    total_ms = sum(by_package.values()) / 1000
    return total_ms, [(us / 1000, name) for name, us in by_package.most_common()]


def git_state() -> str:
    """The commit measured, and the package's uncommitted changes (figures depend on both)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "comp_tracker"],
            cwd=REPO,
            capture_output=True,
            text=True,
        ).stdout.split("\n")
    except OSError:
        return "not a git checkout"
    changed = [line[3:] for line in dirty if line.strip()]
    if not head:
        return "not a git checkout"
    return f"commit {head}" + (f", uncommitted changes in {', '.join(changed)}" if changed else "")


# -- main --------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--agreements",
        type=int,
        default=20_000,
        metavar="N",
        help="synthetic agreements to generate (default 20,000)",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=7,
        metavar="R",
        help="timed warm passes over the workload (default 5)",
    )
    parser.add_argument("--seed", type=int, default=20011106, help="workload seed")
    parser.add_argument(
        "--cli-runs",
        type=int,
        default=10,
        metavar="K",
        help="runs of each CLI command (default 10)",
    )
    parser.add_argument("--skip-cli", action="store_true", help="skip the CLI benchmark")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also print a cProfile of one warm engine pass (top 15, cumulative)",
    )
    args = parser.parse_args(argv)
    if args.agreements < 1 or args.repeats < 1 or args.cli_runs < 1:
        parser.error("--agreements, --repeats and --cli-runs must be at least 1")

    load = os.getloadavg()[0]
    cpus = os.cpu_count() or 1
    print(
        f"python {platform.python_version()} ({sys.executable}) on {platform.platform()}; "
        f"{cpus} CPUs, one used; load average {load:.2f}"
    )
    print(f"  code: {git_state()}")
    if load > cpus - 1:
        print(
            "  warning: other processes are busy; wall times may be inflated (compare the cpu "
            "figures, which count only this benchmark's own time)"
        )

    # Workload
    start = time.perf_counter()
    cases, stats, dropped = build_workload(args.agreements, args.seed)
    built = time.perf_counter() - start
    # The workload is the harness's data, not the engine's: move it out of the cyclic garbage
    # collector's sight, or every collection during a pass rescans 20,000 agreements and the
    # passes measure the harness (a busy process would collect its own data, not ours).
    gc.collect()
    gc.freeze()
    installments = sum(len(c.terms.installments) for c in cases)
    events = sum(len(c.events) for c in cases)
    print(
        f"\nworkload: seed {args.seed}: {args.agreements:,} agreements generated, "
        f"{len(cases):,} valid, {sum(dropped.values()):,} dropped by validate; "
        f"{installments:,} installments ({installments / len(cases):.2f} an agreement), "
        f"{events:,} events (built and validated in {built:.1f} s)"
    )
    for key in sorted(stats):
        print(f"  {key}: {stats[key]:,}")
    for key, n in dropped.most_common():
        print(f"  dropped, {key}: {n:,}")

    def rates(label: str, seconds: float, cpu: float) -> str:
        return (
            f"engine, {label}: {seconds:.3f} s wall ({cpu:.3f} s cpu), "
            f"{installments / seconds:,.0f} installments/s, "
            f"{len(cases) / seconds:,.0f} agreements/s, "
            f"{seconds / len(cases) * 1e6:.1f} us an agreement"
        )

    # Engine: a cold pass (which is also the warm-up), then the timed warm passes.
    clear_calendar_caches()
    cold, cold_cpu = engine_pass(cases)
    print()
    print(rates("cold pass (calendar caches emptied first)", cold, cold_cpu))
    print(f"  {cache_note()}")
    times = []
    cpu_times = []
    for repeat in range(1, args.repeats + 1):
        seconds, cpu = engine_pass(cases)
        times.append(seconds)
        cpu_times.append(cpu)
        print(rates(f"warm pass {repeat}/{args.repeats}", seconds, cpu))
    print(f"  {cache_note()}")
    median = statistics.median(times)
    engine_rate = installments / median
    agreement_rate = len(cases) / median
    cpu_rate = installments / statistics.median(cpu_times)

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        engine_pass(cases)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(15)
        print("\ncProfile of one warm engine pass (top 15 by cumulative time):")
        print(out.getvalue().rstrip())

    # CLI
    cli: dict[str, float] = {}
    forbidden: list[str] = []
    if not args.skip_cli:
        script = console_script()
        print(f"\nCLI: {script} {' '.join(CLI_ARGS)} (cwd {REPO}), {args.cli_runs} runs each")
        commands = {
            "python -c pass": ([sys.executable, "-c", "pass"], no_check),
            "--format json": ([script, *CLI_ARGS, "--format", "json"], check_json),
            "--format table": ([script, *CLI_ARGS, "--format", "table"], check_table),
        }
        runs: dict[str, list[tuple[float, float]]] = {}
        for name, (command, check) in commands.items():
            runs[name] = [wall(command, check) for _ in range(args.cli_runs)]
        baseline = statistics.median(w for w, _ in runs["python -c pass"])
        for name, results in runs.items():
            walls = [w for w, _ in results]
            cli[name] = statistics.median(walls)
            cli[name + " max"] = max(walls)
            print(
                f"  {name}: median {cli[name]:.3f} s wall, max {max(walls):.3f} s, "
                f"min {min(walls):.3f} s; median cpu {statistics.median(c for _, c in results):.3f}"
                f" s"
                + (
                    ""
                    if name == "python -c pass"
                    else f"; {cli[name] / baseline:.1f}x python -c pass"
                )
            )
        for fmt in ("json", "table"):
            total_ms, packages = import_times(fmt)
            print(
                f"  python -X importtime, schedule --format {fmt}: {total_ms:.0f} ms importing; "
                "self time by package: "
                + ", ".join(f"{name} {ms:.0f} ms" for ms, name in packages[:6])
            )
        for fmt in ("json", "table"):
            report = probe_modules(fmt)
            found = list(report["forbidden"])  # type: ignore[call-overload]
            forbidden += [f"{name} (--format {fmt})" for name in found]
            print(
                f"  modules after schedule --format {fmt}: {report['modules']} in sys.modules "
                f"({report['holidays_modules']} of them holidays.*), rich imported: "
                f"{report['rich']}; textual/sqlalchemy/sqlmodel imported: "
                f"{', '.join(found) if found else 'none'}"
            )

    # Summary
    missed = []
    print("\n" + "=" * 100)
    print(
        f"engine: median {engine_rate:,.0f} installments/s, {agreement_rate:,.0f} agreements/s "
        f"(target {ENGINE_TARGET:,}/s: {engine_rate / ENGINE_TARGET:.2f}x) over {args.repeats} "
        f"repeats of {installments:,} installments in {len(cases):,} agreements"
    )
    print(
        f"  cold first pass {installments / cold:,.0f} installments/s; by cpu time "
        f"{cpu_rate:,.0f} installments/s"
    )
    if engine_rate < ENGINE_TARGET:
        missed.append(f"engine {engine_rate:,.0f} installments/s < {ENGINE_TARGET:,}/s")
    if cli:
        baseline = cli["python -c pass"]
        for fmt in ("json", "table"):
            name = f"--format {fmt}"
            worst = cli[name + " max"]
            print(
                f"schedule CLI ({name}): median {cli[name]:.2f} s wall, max {worst:.2f} s "
                f"(target {CLI_TARGET} s); python -c pass {baseline:.3f} s; ratio "
                f"{cli[name] / baseline:.1f}x"
            )
            if cli[name] >= CLI_TARGET:
                missed.append(f"schedule {name} median {cli[name]:.2f} s >= {CLI_TARGET} s")
        print(
            "schedule CLI imports textual/sqlalchemy/sqlmodel: "
            + ("YES: " + ", ".join(forbidden) if forbidden else "no")
        )
        if forbidden:
            missed.append("forbidden imports: " + ", ".join(forbidden))
    print("result: " + ("all targets met" if not missed else "MISSED: " + "; ".join(missed)))
    print("=" * 100)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
