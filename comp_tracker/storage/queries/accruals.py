"""What the accrual export reads besides the agreements: their order, the latest record, and the
widths a workbook's columns must fit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import func, or_, select

from .. import tables as t

if TYPE_CHECKING:
    from ..reads import Reader


def latest_record(connection: Reader, as_recorded_at: dt.datetime | None) -> dt.datetime | None:
    """The moment of the latest record (agreement, terms revision, event or void), or of the
    latest at or before ``as_recorded_at``."""
    latest: dt.datetime | None = None
    for column in (
        t.AGREEMENT.c.created_at,
        t.TERMS_REVISION.c.recorded_at,
        t.EVENT.c.recorded_at,
        t.VOID.c.recorded_at,
    ):
        query = select(func.max(column))
        if as_recorded_at is not None:
            query = query.where(column <= as_recorded_at)
        value = connection.execute(query).scalar()
        if value is not None and (latest is None or value > latest):
            latest = value
    return latest


def accrual_agreement_ids(
    connection: Reader,
    *,
    companies: Sequence[str],
    period_start: dt.date,
    period_end: dt.date,
    include_all: bool,
    as_recorded_at: dt.datetime | None,
) -> list[int]:
    """The agreements of an export, in report order (company, employee, agreement id).

    Unless ``include_all``: only those in effect by the period's end under some revision (before
    it nothing is earned, and no event can precede the effective date), and, reading the records
    as they are now, not closed for good before the period starts."""
    query = (
        select(t.AGREEMENT.c.id)
        .select_from(t.AGREEMENT_NAMED)
        .order_by(t.COMPANY.c.name, t.EMPLOYEE.c.name, t.AGREEMENT.c.key)
    )
    if companies:
        query = query.where(t.COMPANY.c.name.in_(list(companies)))
    if not include_all:
        revision = t.TERMS_REVISION.c
        query = query.where(
            select(revision.id)
            .where(revision.agreement_id == t.AGREEMENT.c.id, revision.effective <= period_end)
            .exists()
        )
    if as_recorded_at is not None:
        query = query.where(t.AGREEMENT.c.created_at <= as_recorded_at)
    elif not include_all:
        query = query.where(
            or_(t.AGREEMENT.c.closed_on.is_(None), t.AGREEMENT.c.closed_on >= period_start)
        )
    return list(connection.execute(query).scalars())


def longest_names_and_total(connection: Reader) -> tuple[int, int, int, int]:
    """The longest company name, employee name and agreement id, and the sum of every
    installment's amount in cents."""
    company, employee, key, cents = connection.execute(
        select(
            select(func.max(func.length(t.COMPANY.c.name))).scalar_subquery(),
            select(func.max(func.length(t.EMPLOYEE.c.name))).scalar_subquery(),
            select(func.max(func.length(t.AGREEMENT.c.key))).scalar_subquery(),
            select(func.coalesce(func.sum(t.INSTALLMENT.c.amount_cents), 0)).scalar_subquery(),
        )
    ).one()
    return int(company or 0), int(employee or 0), int(key or 0), int(cents or 0)
