"""Records whose names contain a fragment, case-insensitively (the command palette)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from .. import tables as t

if TYPE_CHECKING:
    from ..reads import Reader


def _like(column: Any, text: str) -> Any:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped}%", escape="\\")


def agreements_containing(connection: Reader, text: str, limit: int) -> list[tuple[str, str, str]]:
    """(agreement id, employee, company) of agreements whose id, employee or company contains
    ``text``, by employee and id."""
    rows = connection.execute(
        select(t.AGREEMENT.c.key, t.EMPLOYEE.c.name, t.COMPANY.c.name)
        .select_from(t.AGREEMENT_NAMED)
        .where(
            _like(t.AGREEMENT.c.key, text)
            | _like(t.EMPLOYEE.c.name, text)
            | _like(t.COMPANY.c.name, text)
        )
        .order_by(t.EMPLOYEE.c.name, t.AGREEMENT.c.key)
        .limit(limit)
    ).all()
    return [(key, employee, company) for key, employee, company in rows]


def employees_containing(connection: Reader, text: str, limit: int) -> list[tuple[str, str]]:
    """(employee, company) of employees whose name contains ``text``, by name."""
    rows = connection.execute(
        select(t.EMPLOYEE.c.name, t.COMPANY.c.name)
        .join(t.COMPANY, t.COMPANY.c.id == t.EMPLOYEE.c.company_id)
        .where(_like(t.EMPLOYEE.c.name, text))
        .order_by(t.EMPLOYEE.c.name, t.COMPANY.c.name)
        .limit(limit)
    ).all()
    return [(name, company) for name, company in rows]


def companies_containing(connection: Reader, text: str, limit: int) -> list[str]:
    """Companies whose name contains ``text``, by name."""
    return list(
        connection.execute(
            select(t.COMPANY.c.name)
            .where(_like(t.COMPANY.c.name, text))
            .order_by(t.COMPANY.c.name)
            .limit(limit)
        ).scalars()
    )
