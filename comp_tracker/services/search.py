"""Finding records by a fragment of a name, for the UI's command palette."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from comp_tracker.storage import tables as t

from .context import Context

#: At most this many hits of each kind: the palette is for finding one record, not browsing.
LIMIT = 8


@dataclass(frozen=True, slots=True)
class Found:
    kind: str  # "agreement", "employee" or "company"
    key: str  # the agreement's id, the employee's or the company's name
    label: str  # what the palette shows
    help: str  # the line under it


def _like(column: Any, text: str) -> Any:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped}%", escape="\\")


def find(ctx: Context, text: str, limit: int = LIMIT) -> list[Found]:
    """Agreements (by id, employee or company), employees and companies whose names contain
    ``text``, case-insensitively; each kind ordered by name."""
    text = text.strip()
    if not text:
        return []
    found: list[Found] = []
    with ctx.db.read() as session:
        agreements = session.execute(
            select(t.AGREEMENT.c.key, t.EMPLOYEE.c.name, t.COMPANY.c.name)
            .join(t.EMPLOYEE, t.EMPLOYEE.c.id == t.AGREEMENT.c.employee_id)
            .join(t.COMPANY, t.COMPANY.c.id == t.AGREEMENT.c.company_id)
            .where(
                _like(t.AGREEMENT.c.key, text)
                | _like(t.EMPLOYEE.c.name, text)
                | _like(t.COMPANY.c.name, text)
            )
            .order_by(t.EMPLOYEE.c.name, t.AGREEMENT.c.key)
            .limit(limit)
        ).all()
        found += [
            Found("agreement", key, f"{employee}: agreement {key}", f"Agreement · {company}")
            for key, employee, company in agreements
        ]
        employees = session.execute(
            select(t.EMPLOYEE.c.name, t.COMPANY.c.name)
            .join(t.COMPANY, t.COMPANY.c.id == t.EMPLOYEE.c.company_id)
            .where(_like(t.EMPLOYEE.c.name, text))
            .order_by(t.EMPLOYEE.c.name, t.COMPANY.c.name)
            .limit(limit)
        ).all()
        found += [
            Found("employee", name, name, f"Employee · {company}") for name, company in employees
        ]
        companies = session.execute(
            select(t.COMPANY.c.name)
            .where(_like(t.COMPANY.c.name, text))
            .order_by(t.COMPANY.c.name)
            .limit(limit)
        ).scalars()
        found += [Found("company", name, name, "Company") for name in companies]
    return found
