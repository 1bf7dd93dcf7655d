"""Two people recording at the same moment, in two real processes, on both databases.

Each worker is a separate Python process (``python -c WORKER``) that imports everything and opens
the database first, says ``ready``, then waits for commands on stdin. A command carries a start
instant on the system-wide monotonic clock; the test sends it to both workers at once and each
sleeps until that instant before it calls the service (or the CLI's ``main`` in-process, exactly
as ``comp-tracker pay`` runs). So the two writes start within a fraction of a millisecond of each
other, which the workers' own timestamps confirm, and the database's locking (``BEGIN
IMMEDIATE`` on SQLite, ``SELECT ... FOR UPDATE`` on PostgreSQL) and the ``version`` check are what
keeps the records right.
"""

from __future__ import annotations

import datetime as dt
import json
import select
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import text
from support import BAKER, BAKER_FILE, ROOT, write_terms

from comp_tracker.services.agreements.importing import import_files
from comp_tracker.services.agreements.reading import show

#: The worker: one line of JSON in (a command), one line of JSON out (what happened).
WORKER = r"""
import contextlib, datetime as dt, io, json, sys, time, traceback
from decimal import Decimal

from comp_tracker.cli import main
from comp_tracker.domain import ScheduleError
from comp_tracker.services.context import Context
from comp_tracker.services.events.recording import record_payment
from comp_tracker.storage.database import open_database

url, actor = sys.argv[1], sys.argv[2]
database = open_database(url)
ctx = Context(database, actor)


def by_service(command):
    try:
        recorded = record_payment(
            ctx,
            command["agreement"],
            dt.date.fromisoformat(command["date"]),
            Decimal(command["amount"]),
            command["installment"],
        )
    except ScheduleError as exc:
        return {"outcome": "refused", "message": exc.message}
    except Exception:
        return {"outcome": "crashed", "message": traceback.format_exc()}
    return {"outcome": "recorded", "event": recorded.event_id}


def by_cli(command):
    args = ["--db", url, "--actor", actor, "pay", command["agreement"],
            "--date", command["date"], "--amount", command["amount"]]
    if command["installment"] is not None:
        args += ["--installment", str(command["installment"])]
    out, err = io.StringIO(), io.StringIO()
    sys.argv = ["comp-tracker", *args]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main()
    except SystemExit as exc:
        status = exc.code
    except BaseException:
        return {"outcome": "crashed", "message": traceback.format_exc(), "stderr": err.getvalue()}
    else:
        status = 0
    return {
        "outcome": "recorded" if status == 0 else "refused",
        "status": status,
        "stdout": out.getvalue(),
        "stderr": err.getvalue(),
    }


print("ready", flush=True)
for line in sys.stdin:
    command = json.loads(line)
    run = by_cli if command["via"] == "cli" else by_service
    while (left := command["start_at"] - time.monotonic()) > 0:
        time.sleep(min(left, 0.0005))
    started = time.monotonic()
    results = [run(command) for _ in range(command["times"])]
    ended = time.monotonic()
    print(json.dumps({"started": started, "ended": ended, "results": results}), flush=True)
database.dispose()
"""

TIMEOUT = 60.0


class Worker:
    """One recording process, driven over its stdin and stdout."""

    def __init__(self, url: str, actor: str, log: Path) -> None:
        self.log = log
        self._log_file = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER, url, actor],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log_file,
            text=True,
            cwd=ROOT,
        )

    def _line(self) -> str:
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], TIMEOUT)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            self.process.kill()
            raise AssertionError(f"the worker said nothing; its stderr:\n{self.log.read_text()}")
        return line

    def wait_ready(self) -> None:
        assert self._line() == "ready\n"

    def send(self, command: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()

    def receive(self) -> dict[str, Any]:
        reply: dict[str, Any] = json.loads(self._line())
        return reply

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=TIMEOUT)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self._log_file.close()
        assert self.process.returncode == 0, self.log.read_text()


def start_workers(url: str, tmp_path: Path) -> tuple[Worker, Worker]:
    workers = (
        Worker(url, "Clerk Avery Testperson", tmp_path / "worker-a.log"),
        Worker(url, "Clerk Blake Testperson", tmp_path / "worker-b.log"),
    )
    for worker in workers:
        worker.wait_ready()
    return workers


def at_once(workers: tuple[Worker, Worker], **command: Any) -> list[dict[str, Any]]:
    """Both workers run ``command`` from the same instant; their replies."""
    start_at = time.monotonic() + 0.05
    for worker in workers:
        worker.send({**command, "start_at": start_at})
    return [worker.receive() for worker in workers]


def overlapped(replies: list[dict[str, Any]]) -> bool:
    first, second = replies
    return bool(first["started"] < second["ended"] and second["started"] < first["ended"])


def payment_events(ctx, agreement: str) -> list[tuple[int, str]]:
    with ctx.db.read() as session:
        rows = session.execute(
            text(
                "SELECT e.amount_cents, e.recorded_by FROM event e JOIN agreement a "
                "ON a.id = e.agreement_id WHERE a.key = :key AND e.kind = 'payment' ORDER BY e.id"
            ),
            {"key": agreement},
        ).all()
    return [(int(cents), by) for cents, by in rows]


def agreement_version(ctx, agreement: str) -> int:
    with ctx.db.read() as session:
        return int(
            session.execute(
                text("SELECT version FROM agreement WHERE key = :key"), {"key": agreement}
            ).scalar_one()
        )


def audit_actions(ctx, agreement: str, action: str) -> int:
    with ctx.db.read() as session:
        return int(
            session.execute(
                text(
                    "SELECT count(*) FROM audit_log l JOIN agreement a ON a.id = l.agreement_id "
                    "WHERE a.key = :key AND l.action = :action"
                ),
                {"key": agreement, "action": action},
            ).scalar_one()
        )


def test_two_processes_paying_the_same_installment_at_once_one_is_refused(db_url, ctx, tmp_path):
    # Round 0 is Baker himself (installment 1 is 66000.00, due 2002-06-30); the others are
    # fictional agreements of the same shape, twenty years later.
    rounds = [(BAKER, "2002-07-01")]
    files: list[Path] = [BAKER_FILE]
    for n in range(1, 5):
        key = f"copper-flats-race-{n}"
        files.append(
            write_terms(
                tmp_path / f"{key}.toml",
                key,
                f"Racer {n} Testperson",
                company="Copper Flats Holdings Inc.",
                amounts=("66000.00", "132000.00"),
            )
        )
        rounds.append((key, "2022-07-01"))
    import_files(ctx, files)
    workers = start_workers(db_url, tmp_path)
    try:
        replies = []
        for n, (key, date) in enumerate(rounds):
            # Alternate the service call and the whole `comp-tracker pay` command.
            via = "service" if n % 2 == 0 else "cli"
            replies.append(
                at_once(
                    workers,
                    via=via,
                    agreement=key,
                    date=date,
                    amount="40000.00",
                    installment=1,
                    times=1,
                )
            )
    finally:
        for worker in workers:
            worker.close()

    for n, ((key, date), pair) in enumerate(zip(rounds, replies, strict=True)):
        results = [reply["results"][0] for reply in pair]
        outcomes = sorted(r["outcome"] for r in results)
        assert outcomes == ["recorded", "refused"], (n, results)
        [refused] = [r for r in results if r["outcome"] == "refused"]
        expected = (
            f"payment.amount = 40000.00: overpayment: only 26000.00 is owed on installment 1 "
            f"on {date}"
        )
        if n % 2 == 0:
            assert refused["message"] == expected, refused
        else:
            assert refused["status"] == 2, refused
            assert refused["stderr"] == f"comp-tracker: error: {expected}\n", refused
            assert refused["stdout"] == ""
        events = payment_events(ctx, key)
        assert [cents for cents, _ in events] == [4_000_000], (key, events)
        assert audit_actions(ctx, key, "pay") == 1
        # Created at version 1, one payment moved it to 2; the refused one changed nothing.
        assert agreement_version(ctx, key) == 2
        schedule = show(ctx, key, dt.date.fromisoformat(date))
        assert schedule.installments[0].principal_paid == Decimal("40000.00")
        assert schedule.installments[0].principal_outstanding == Decimal("26000.00")
    # The writes did start together (else this test proves nothing about races).
    assert sum(overlapped(pair) for pair in replies) >= 3, replies


def test_no_payment_is_lost_when_two_processes_record_at_once(db_url, ctx, tmp_path):
    import_files(ctx, [BAKER_FILE])
    before = agreement_version(ctx, BAKER)
    workers = start_workers(db_url, tmp_path)
    try:
        # Ten payments of 1000.00 each, from each process: 20000.00 of installment 1's 66000.00.
        replies = at_once(
            workers,
            via="service",
            agreement=BAKER,
            date="2002-07-01",
            amount="1000.00",
            installment=None,
            times=10,
        )
    finally:
        for worker in workers:
            worker.close()

    for reply in replies:
        assert [r["outcome"] for r in reply["results"]] == ["recorded"] * 10, reply
    assert overlapped(replies), replies
    events = payment_events(ctx, BAKER)
    assert [cents for cents, _ in events] == [100_000] * 20
    assert sorted({by for _, by in events}) == ["Clerk Avery Testperson", "Clerk Blake Testperson"]
    assert sum(1 for _, by in events if by == "Clerk Avery Testperson") == 10
    assert audit_actions(ctx, BAKER, "pay") == 20
    assert agreement_version(ctx, BAKER) == before + 20
    schedule = show(ctx, BAKER, dt.date(2002, 7, 1))
    assert schedule.installments[0].principal_paid == Decimal("20000.00")
    assert schedule.installments[1].principal_paid == Decimal("0.00")
