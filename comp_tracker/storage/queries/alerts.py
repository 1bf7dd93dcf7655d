"""The alerts' rows: what the due job flagged, e-mailed and HR acknowledged (over Core)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Unpack

from sqlalchemy import insert, select

from .. import tables as t
from ..audit import About, audit_values
from ..reads import id_chunks

if TYPE_CHECKING:
    from ..reads import Reader as Connection

#: (agreement id, installment, due, stage) -> (alert id, notified, acknowledged)
Known = dict[tuple[int, int, dt.date, str], tuple[int, bool, bool]]


def known_alerts(connection: Connection, agreement_ids: Sequence[int]) -> Known:
    """The alerts already recorded on these agreements, and whether each was e-mailed or
    acknowledged."""
    known: Known = {}
    for chunk in id_chunks(agreement_ids):
        rows: Any = connection.execute(
            select(
                *t.columns(t.ALERT, "agreement_id installment due stage id"),
                t.ALERT_NOTICE.c.id.is_not(None),
                t.ALERT_ACK.c.id.is_not(None),
            )
            .select_from(t.ALERT_WITH_NOTICE_AND_ACK)
            .where(t.ALERT.c.agreement_id.in_(chunk))
        )
        for agreement_id, number, due, stage, alert_id, notified, acked in rows:
            known[(agreement_id, number, due, stage)] = (alert_id, bool(notified), bool(acked))
    return known


def insert_alerts(connection: Connection, rows: list[dict[str, Any]]) -> list[int]:
    """Insert alert rows; their ids, in the order given."""
    if not rows:
        return []
    return list(
        connection.execute(
            insert(t.ALERT).returning(t.ALERT.c.id, sort_by_parameter_order=True), rows
        ).scalars()
    )


def notified_among(connection: Connection, alert_ids: Sequence[int]) -> set[int]:
    """Those of the alerts already e-mailed."""
    already: set[int] = set()
    for chunk in id_chunks(alert_ids):
        already |= set(
            connection.execute(
                select(t.ALERT_NOTICE.c.alert_id).where(t.ALERT_NOTICE.c.alert_id.in_(chunk))
            ).scalars()
        )
    return already


def insert_notices(
    connection: Connection, alert_ids: Sequence[int], sent_at: dt.datetime, recipients: str
) -> None:
    connection.execute(
        insert(t.ALERT_NOTICE),
        [{"alert_id": i, "sent_at": sent_at, "recipients": recipients} for i in alert_ids],
    )


def insert_acknowledgement(
    connection: Connection, alert_id: int, at: dt.datetime, by: str, note: str | None
) -> int:
    """Record the acknowledgement; the alert's agreement id."""
    connection.execute(insert(t.ALERT_ACK).values(alert_id=alert_id, at=at, by=by, note=note))
    return int(
        connection.execute(
            select(t.ALERT.c.agreement_id).where(t.ALERT.c.id == alert_id)
        ).scalar_one()
    )


def insert_audit(
    connection: Connection,
    now: dt.datetime,
    actor: str,
    action: str,
    summary: str,
    **about: Unpack[About],
) -> None:
    """One audit row over Core (the due job loads no ORM)."""
    connection.execute(
        insert(t.AUDIT_LOG).values(**audit_values(now, actor, action, summary, **about))
    )


def alert_rows(
    connection: Connection, *, alert_id: int | None = None, include_acknowledged: bool = True
) -> list[tuple[Any, ...]]:
    """Alerts newest first, with their agreement's names, notice and acknowledgement:
    (id, agreement, employee, company, installment, due, deadline, stage, owed cents,
    flagged on, flagged at, e-mailed at, acknowledged at, acknowledged by)."""
    query = (
        select(
            t.ALERT.c.id,
            t.AGREEMENT.c.key,
            t.EMPLOYEE.c.name,
            t.COMPANY.c.name,
            *t.columns(t.ALERT, "installment due deadline stage owed_cents flagged_on flagged_at"),
            t.ALERT_NOTICE.c.sent_at,
            t.ALERT_ACK.c.at,
            t.ALERT_ACK.c.by,
        )
        .select_from(t.ALERT_WITH_NOTICE_AND_ACK)
        .join(t.AGREEMENT, t.AGREEMENT.c.id == t.ALERT.c.agreement_id)
        .join(t.EMPLOYEE, t.EMPLOYEE.c.id == t.AGREEMENT.c.employee_id)
        .join(t.COMPANY, t.COMPANY.c.id == t.AGREEMENT.c.company_id)
        .order_by(t.ALERT.c.id.desc())
    )
    if alert_id is not None:
        query = query.where(t.ALERT.c.id == alert_id)
    if not include_acknowledged:
        query = query.where(t.ALERT_ACK.c.id.is_(None))
    return [tuple(row) for row in connection.execute(query)]
