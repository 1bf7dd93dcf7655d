"""The audit log's rows, for every writer (the ORM-based services and the due job's Core writes)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any, TypedDict, Unpack

from comp_tracker.domain.money import format_money


class About(TypedDict, total=False):
    """What an audit row is about (each optional), and the record before and after the write."""

    agreement_id: int | None
    employee_id: int | None
    company_id: int | None
    event_id: int | None
    before: object
    after: object


def audit_values(
    now: dt.datetime, actor: str, action: str, summary: str, **about: Unpack[About]
) -> dict[str, Any]:
    """One audit row's columns (before and after as JSON)."""
    return {
        "at": now,
        "actor": actor,
        "action": action,
        "agreement_id": about.get("agreement_id"),
        "employee_id": about.get("employee_id"),
        "company_id": about.get("company_id"),
        "event_id": about.get("event_id"),
        "summary": summary,
        "before": _json(about.get("before")),
        "after": _json(about.get("after")),
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
