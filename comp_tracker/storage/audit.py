"""The audit log's rows, for every writer (the ORM-based services and the due job's Core writes)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from comp_tracker.domain.money import format_money


def audit_values(
    now: dt.datetime,
    actor: str,
    action: str,
    summary: str,
    *,
    agreement_id: int | None = None,
    employee_id: int | None = None,
    company_id: int | None = None,
    event_id: int | None = None,
    before: object = None,
    after: object = None,
) -> dict[str, Any]:
    """One audit row's columns (before and after as JSON)."""
    return {
        "at": now,
        "actor": actor,
        "action": action,
        "agreement_id": agreement_id,
        "employee_id": employee_id,
        "company_id": company_id,
        "event_id": event_id,
        "summary": summary,
        "before": _json(before),
        "after": _json(after),
    }


def _json(value: object) -> str | None:
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, default=_default)


def _default(value: object) -> str:
    if isinstance(value, Decimal):
        return format_money(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)
