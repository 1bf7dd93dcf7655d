"""Reading: one agreement's schedule, lists of agreements, and an agreement's history."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from comp_tracker.domain import (
    AgreementStatus,
    Schedule,
    Standing,
    compute_schedule,
    standing_of,
)
from comp_tracker.domain.money import ZERO, from_cents
from comp_tracker.services.context import Context, ServiceError
from comp_tracker.storage.queries.history import (
    amendment_installment_rows,
    audit_rows,
    event_rows,
    owners,
)
from comp_tracker.storage.reads import (
    agreement_id_for,
    agreements_selection,
    load_agreements,
    load_one,
)

#: The statuses an agreement can have on a day, worst first (``--status`` accepts these).
AGREEMENT_STATUSES = tuple(status.value for status in AgreementStatus)


def read_status(status: str | None) -> AgreementStatus | None:
    """A ``--status`` filter, or the one-line refusal naming it."""
    if status is None:
        return None
    try:
        return AgreementStatus(status)
    except ValueError:
        raise ServiceError(
            "status", status, f"must be one of {', '.join(AGREEMENT_STATUSES)}"
        ) from None


def show(
    ctx: Context, agreement: str, as_of: dt.date, *, as_recorded_at: dt.datetime | None = None
) -> Schedule:
    """The stored agreement's schedule as of ``as_of`` (optionally as recorded at a moment)."""
    with ctx.db.read() as session:
        item = load_one(session, agreement, as_recorded_at=as_recorded_at)
    return compute_schedule(item.terms, item.events, as_of)


@dataclass(frozen=True, slots=True)
class AgreementLine:
    """One agreement of a list: who and when, and its standing on the list's day."""

    agreement: str
    company: str
    employee: str
    effective: dt.date
    expires: dt.date
    ends_on: dt.date
    standing: Standing


def list_agreements(
    ctx: Context,
    as_of: dt.date,
    *,
    company: str | None = None,
    employee: str | None = None,
    status: str | None = None,
) -> list[AgreementLine]:
    """Agreements with their standing on ``as_of``, filtered; ordered by company, employee, id."""
    wanted = read_status(status)
    # For overdue or due: only agreements with something that can have fallen due and is not
    # settled for good.
    late = wanted in (AgreementStatus.OVERDUE, AgreementStatus.DUE)
    selection = agreements_selection(
        company=company, employee=employee, late_on=as_of if late else None
    )
    with ctx.db.read() as session:
        loaded = load_agreements(session, selection)
    lines = []
    for item in loaded:
        schedule = compute_schedule(item.terms, item.events, as_of)
        standing = standing_of(schedule)
        if wanted is not None and standing.status is not wanted:
            continue
        lines.append(
            AgreementLine(
                agreement=item.key,
                company=item.terms.company,
                employee=item.terms.employee,
                effective=item.terms.effective,
                expires=schedule.terms.expires,
                ends_on=schedule.ends_on,
                standing=standing,
            )
        )
    lines.sort(key=lambda line: (line.company, line.employee, line.agreement))
    return lines


def history(ctx: Context, agreement: str) -> dict[str, Any]:
    """Every event that touches the agreement (voided ones too) and its audit log, newest first."""
    with ctx.db.read() as session:
        agreement_id = agreement_id_for(session, agreement)
        employee_id, company_id = owners(session, agreement_id)
        events = event_rows(session, agreement_id, employee_id, company_id)
        amendment_installments: dict[int, list[dict[str, str]]] = {}
        amendment_ids = [e["id"] for e in events if e["kind"] == "amendment"]
        for amendment_id, due, cents in amendment_installment_rows(session, amendment_ids):
            amendment_installments.setdefault(amendment_id, []).append(
                {"due": due.isoformat(), "amount": str(from_cents(cents))}
            )
        audit = audit_rows(session, agreement_id, employee_id, company_id)
    return {
        "agreement": agreement,
        "events": [_event_entry(e, amendment_installments) for e in events],
        "audit": [
            {
                "id": a["id"],
                "at": a["at"].isoformat(),
                "actor": a["actor"],
                "action": a["action"],
                "summary": a["summary"],
                "before": json.loads(a["before"]) if a["before"] else None,
                "after": json.loads(a["after"]) if a["after"] else None,
            }
            for a in audit
        ],
    }


def _event_entry(e: Any, amendment_installments: dict[int, list[dict[str, str]]]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": e["id"],
        "type": e["kind"],
        "date": e["date"].isoformat(),
        "recorded_at": e["recorded_at"].isoformat(),
        "recorded_by": e["recorded_by"],
    }
    if e["kind"] == "payment":
        entry["amount"] = str(from_cents(e["amount_cents"]))
        entry["installment"] = e["installment"]
    elif e["kind"] == "termination":
        entry["reason"] = e["reason"]
    elif e["kind"] == "amendment":
        entry["expires"] = e["expires"].isoformat() if e["expires"] else None
        entry["installments"] = (
            amendment_installments.get(e["id"], []) if e["replaces_installments"] else None
        )
    if e["note"]:
        entry["note"] = e["note"]
    entry["void"] = (
        {
            "reason": e["void_reason"],
            "at": e["voided_at"].isoformat() if e["voided_at"] else None,
            "by": e["voided_by"],
        }
        if e["void_reason"] is not None
        else None
    )
    return entry


def totals(lines: list[AgreementLine]) -> tuple[Decimal, Decimal]:
    """The principal and the late interest outstanding on the listed agreements."""
    return (
        sum((line.standing.principal_outstanding for line in lines), ZERO),
        sum((line.standing.interest_outstanding for line in lines), ZERO),
    )
