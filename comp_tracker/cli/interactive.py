"""The sample data and the terminal UI: ``demo``, ``ui`` (and no command at all)."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Annotated

import typer

from comp_tracker.cli import app, fail, parse_date
from comp_tracker.cli.common import AsOfOption, handled, services

# -- sample data ------------------------------------------------------------------------------


@app.command("demo")
def demo(
    ctx: typer.Context,
    synthetic: Annotated[
        int | None,
        typer.Option("--synthetic", metavar="N", help="Instead, generate N fictional agreements."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed for --synthetic.")] = 1,
) -> None:
    """Load the sample agreements in data/ (or N synthetic ones) into the database."""
    from comp_tracker.services import demo as demo_service
    from comp_tracker.services.agreements.importing import ImportOutcome

    if synthetic is not None and synthetic < 1:
        fail(f"--synthetic = {synthetic}: must be at least 1")
    with services(ctx) as context, handled():
        if synthetic is None:
            results = demo_service.load_samples(context)
            created = sum(1 for r in results if r.outcome is ImportOutcome.CREATED)
            print(
                f"Loaded the sample agreements: {created} created, "
                f"{len(results) - created} already there."
            )
            return
        started = dt.datetime.now(dt.UTC)
        count = demo_service.load_synthetic(context, synthetic, seed, progress=_progress)
        seconds = (dt.datetime.now(dt.UTC) - started).total_seconds()
    print(f"Generated {count} synthetic agreements (seed {seed}) in {seconds:.1f} s.")


def _progress(done: int, total: int) -> None:
    """A line on stderr every tenth or so, so a long run shows it is alive."""
    step = max(10_000, total // 10)
    if done == total or done // step != (done - 2_500) // step:
        print(f"generated {done} of {total}", file=sys.stderr, flush=True)


# -- the terminal UI ---------------------------------------------------------------------------


@app.command("ui")
def ui(ctx: typer.Context, as_of: AsOfOption = None) -> None:
    """Open the terminal UI (what 'comp-tracker' with no command does), optionally as of a day."""
    open_ui(ctx, parse_date(as_of, "--as-of") if as_of is not None else None)


def open_ui(ctx: typer.Context, as_of: dt.date | None = None) -> None:
    """Open the terminal UI on the configured database; on first start (an empty database) the
    sample agreements are loaded so there is something to look at."""
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        fail("the terminal UI needs a terminal; see 'comp-tracker --help' for the commands")
    from comp_tracker.services import demo as demo_service
    from comp_tracker.tui import run

    with services(ctx) as context, handled():
        demo_service.load_samples_if_empty(context)
        run(context, as_of)
