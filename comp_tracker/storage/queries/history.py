"""An agreement's history as stored: every event that touches it (voided ones too), the
installments of its amendments, and its audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, or_, select

from .. import tables as t
from ..reads import EVENTS_WITH_VOIDS

if TYPE_CHECKING:
    from sqlalchemy import RowMapping

    from ..reads import Reader


def owners(connection: Reader, agreement_id: int) -> tuple[int, int]:
    """The agreement's (employee id, company id)."""
    employee_id, company_id = connection.execute(
        select(t.AGREEMENT.c.employee_id, t.AGREEMENT.c.company_id).where(
            t.AGREEMENT.c.id == agreement_id
        )
    ).one()
    return int(employee_id), int(company_id)


def event_rows(
    connection: Reader, agreement_id: int, employee_id: int, company_id: int
) -> list[RowMapping]:
    """The events of the agreement, its employee and its company, newest record first, each
    with its void's reason, time and author (``void_reason``, ``voided_at``, ``voided_by``)."""
    return list(
        connection.execute(
            select(
                t.EVENT,
                t.VOID.c.reason.label("void_reason"),
                t.VOID.c.recorded_at.label("voided_at"),
                t.VOID.c.recorded_by.label("voided_by"),
            )
            .select_from(EVENTS_WITH_VOIDS)
            .where(
                or_(
                    t.EVENT.c.agreement_id == agreement_id,
                    t.EVENT.c.employee_id == employee_id,
                    t.EVENT.c.company_id == company_id,
                )
            )
            .order_by(t.EVENT.c.recorded_at.desc(), t.EVENT.c.id.desc())
        )
        .mappings()
        .all()
    )


def amendment_installment_rows(connection: Reader, amendment_ids: list[int]) -> list[Any]:
    """The installments these amendments set, in order: (amendment id, due, cents)."""
    if not amendment_ids:
        return []
    return list(
        connection.execute(
            select(t.INSTALLMENT.c.amendment_id, t.INSTALLMENT.c.due, t.INSTALLMENT.c.amount_cents)
            .where(t.INSTALLMENT.c.amendment_id.in_(amendment_ids))
            .order_by(t.INSTALLMENT.c.number)
        ).all()
    )


def audit_rows(
    connection: Reader, agreement_id: int, employee_id: int, company_id: int
) -> list[RowMapping]:
    """The audit rows of the agreement, and those of its employee or company that name no
    agreement, newest first."""
    return list(
        connection.execute(
            select(t.AUDIT_LOG)
            .where(
                or_(
                    t.AUDIT_LOG.c.agreement_id == agreement_id,
                    and_(
                        t.AUDIT_LOG.c.agreement_id.is_(None),
                        t.AUDIT_LOG.c.employee_id == employee_id,
                    ),
                    and_(
                        t.AUDIT_LOG.c.agreement_id.is_(None),
                        t.AUDIT_LOG.c.company_id == company_id,
                    ),
                )
            )
            .order_by(t.AUDIT_LOG.c.id.desc())
        )
        .mappings()
        .all()
    )
