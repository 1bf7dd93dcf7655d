"""Finding records by a fragment of a name, for the UI's command palette."""

from __future__ import annotations

from dataclasses import dataclass

from comp_tracker.services.context import Context
from comp_tracker.storage.queries.search import (
    agreements_containing,
    companies_containing,
    employees_containing,
)

#: At most this many hits of each kind: the palette is for finding one record, not browsing.
LIMIT = 8


@dataclass(frozen=True, slots=True)
class Found:
    kind: str  # "agreement", "employee" or "company"
    key: str  # the agreement's id, the employee's or the company's name
    label: str  # what the palette shows
    help: str  # the line under it


def find(ctx: Context, text: str, limit: int = LIMIT) -> list[Found]:
    """Agreements (by id, employee or company), employees and companies whose names contain
    ``text``, case-insensitively; each kind ordered by name."""
    text = text.strip()
    if not text:
        return []
    found: list[Found] = []
    with ctx.db.read() as session:
        agreements = agreements_containing(session, text, limit)
        employees = employees_containing(session, text, limit)
        companies = companies_containing(session, text, limit)
    found += [
        Found("agreement", key, f"{employee}: agreement {key}", f"Agreement · {company}")
        for key, employee, company in agreements
    ]
    found += [Found("employee", name, name, f"Employee · {company}") for name, company in employees]
    found += [Found("company", name, name, "Company") for name in companies]
    return found
