"""Alerts: what the due job flagged, what it has e-mailed, what HR has acknowledged.

An alert is one installment at one stage (upcoming, in window, overdue), recorded the first time
the job flags it; a notice records that it was e-mailed, an acknowledgement that HR has seen it.
All three are append-only rows, written here over Core (the job loads no ORM), each write in one
transaction with its audit row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from comp_tracker.domain import Flag, Stage
from comp_tracker.domain.money import from_cents, to_cents
from comp_tracker.services.context import Context, NotFound, ServiceError
from comp_tracker.services.due.job import DueReport
from comp_tracker.storage.errors import UniqueViolation
from comp_tracker.storage.queries.alerts import (
    alert_rows,
    insert_acknowledgement,
    insert_alerts,
    insert_audit,
    insert_notices,
    known_alerts,
    notified_among,
)

if TYPE_CHECKING:
    from comp_tracker.storage.reads import Reader

_RETRIES = 3


@dataclass(frozen=True)
class FlagAlert:
    """A flag of this run with its alert: new if this run recorded it first."""

    alert_id: int
    flag: Flag
    new: bool
    notified: bool
    acknowledged: bool


@dataclass(frozen=True)
class AlertLine:
    """An alert as ``comp-tracker alerts`` lists it."""

    alert_id: int
    agreement: str
    employee: str
    company: str
    installment: int
    due: dt.date
    deadline: dt.date
    stage: Stage
    owed_when_flagged: Decimal
    flagged_on: dt.date
    flagged_at: dt.datetime
    notified_at: dt.datetime | None
    acknowledged_at: dt.datetime | None
    acknowledged_by: str | None


def _key(agreement_id: int, flag: Flag) -> tuple[int, int, dt.date, str]:
    return agreement_id, flag.installment, flag.due, flag.stage.value


def record_alerts(ctx: Context, report: DueReport) -> list[FlagAlert]:
    """Record an alert for each flag not flagged before; return every flag with its alert.

    One transaction, with one audit row if anything was new. A concurrent run recording the same
    alert makes this one retry, and then it finds the alert already there.
    """
    if not report.flags:
        return []
    for attempt in range(_RETRIES):
        try:
            return _record(ctx, report)
        except UniqueViolation:
            if attempt == _RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def _record(ctx: Context, report: DueReport) -> list[FlagAlert]:
    now = ctx.clock()
    ids = sorted(set(report.agreement_ids.values()))
    with ctx.db.write_connection() as connection:
        known = known_alerts(connection, ids)
        new_flags = [
            flag
            for flag in report.flags
            if _key(report.agreement_ids[flag.agreement], flag) not in known
        ]
        if new_flags:
            inserted = insert_alerts(
                connection,
                [
                    {
                        "agreement_id": report.agreement_ids[flag.agreement],
                        "installment": flag.installment,
                        "due": flag.due,
                        "stage": flag.stage.value,
                        "deadline": flag.deadline,
                        "owed_cents": to_cents(flag.owed),
                        "flagged_on": report.as_of,
                        "flagged_at": now,
                    }
                    for flag in new_flags
                ],
            )
            for flag, alert_id in zip(new_flags, inserted, strict=True):
                known[_key(report.agreement_ids[flag.agreement], flag)] = (alert_id, False, False)
            by_stage = {
                stage: sum(1 for f in new_flags if f.stage is stage)
                for stage in (Stage.OVERDUE, Stage.IN_WINDOW, Stage.UPCOMING)
            }
            counts = ", ".join(f"{n} {stage.value}" for stage, n in by_stage.items() if n)
            insert_audit(
                connection,
                now,
                ctx.actor,
                "flag",
                f"due job as of {report.as_of.isoformat()}: flagged {len(new_flags)} "
                f"installment{'s' if len(new_flags) != 1 else ''} ({counts})",
                after={"as_of": report.as_of, "within": report.within, "alerts": len(new_flags)},
            )
    new = {id(flag) for flag in new_flags}
    result = []
    for flag in report.flags:
        alert_id, notified, acked = known[_key(report.agreement_ids[flag.agreement], flag)]
        result.append(FlagAlert(alert_id, flag, id(flag) in new, notified, acked))
    return result


def mark_notified(ctx: Context, alert_ids: Sequence[int], recipients: Sequence[str]) -> None:
    """Record that these alerts were e-mailed to ``recipients`` (one transaction, one audit row)."""
    if not alert_ids:
        return
    now = ctx.clock()
    to = ", ".join(recipients)
    with ctx.db.write_connection() as connection:
        already = notified_among(connection, alert_ids)
        fresh = [alert_id for alert_id in alert_ids if alert_id not in already]
        if not fresh:
            return
        insert_notices(connection, fresh, now, to)
        insert_audit(
            connection,
            now,
            ctx.actor,
            "notify",
            f"e-mailed {len(fresh)} alert{'s' if len(fresh) != 1 else ''} to {to}",
            after={"alerts": fresh},
        )


def acknowledge(ctx: Context, alert_id: int, note: str | None = None) -> AlertLine:
    """HR has seen the alert. Refused for an unknown alert or one already acknowledged."""
    now = ctx.clock()
    with ctx.db.write_connection() as connection:
        found = _lines(connection, alert_id=alert_id)
        if not found:
            raise NotFound("alert", alert_id, "no such alert (see 'comp-tracker alerts --all')")
        line = found[0]
        if line.acknowledged_at is not None:
            raise ServiceError(
                "alert",
                alert_id,
                f"already acknowledged by {line.acknowledged_by} at "
                f"{line.acknowledged_at:%Y-%m-%d %H:%M} UTC",
            )
        agreement_id = insert_acknowledgement(connection, alert_id, now, ctx.actor, note)
        insert_audit(
            connection,
            now,
            ctx.actor,
            "acknowledge",
            f"acknowledged alert {alert_id}: {line.agreement} installment "
            f"{line.installment} {line.stage.value}",
            agreement_id=agreement_id,
            after={"alert": alert_id, "note": note},
        )
    return replace(line, acknowledged_at=now, acknowledged_by=ctx.actor)


def list_alerts(ctx: Context, *, include_acknowledged: bool = False) -> list[AlertLine]:
    """Alerts newest first: those not yet acknowledged, or all of them."""
    with ctx.db.read() as connection:
        return _lines(connection, include_acknowledged=include_acknowledged)


def _lines(
    connection: Reader, *, alert_id: int | None = None, include_acknowledged: bool = True
) -> list[AlertLine]:
    rows = alert_rows(connection, alert_id=alert_id, include_acknowledged=include_acknowledged)
    return [
        AlertLine(
            alert_id=row[0],
            agreement=row[1],
            employee=row[2],
            company=row[3],
            installment=row[4],
            due=row[5],
            deadline=row[6],
            stage=Stage(row[7]),
            owed_when_flagged=from_cents(row[8]),
            flagged_on=row[9],
            flagged_at=row[10],
            notified_at=row[11],
            acknowledged_at=row[12],
            acknowledged_by=row[13],
        )
        for row in rows
    ]
