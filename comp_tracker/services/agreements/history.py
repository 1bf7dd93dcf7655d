"""An agreement's history: every event that touches it (voided ones too) and its audit log.

Typed records (:class:`History`, :class:`EventEntry`, :class:`AuditEntry`); ``to_dict`` gives the
JSON that ``comp-tracker history --format json`` prints. The agreement screen, the void form and
the CLI's table read the same records.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from comp_tracker.domain import Installment, TerminationReason
from comp_tracker.domain.money import format_grouped, from_cents
from comp_tracker.services.context import Context
from comp_tracker.storage.queries.history import (
    amendment_installment_rows,
    audit_rows,
    event_rows,
    owners,
)
from comp_tracker.storage.reads import agreement_id_for


class EventKind(StrEnum):
    PAYMENT = "payment"
    TERMINATION = "termination"
    CHANGE_IN_CONTROL = "change_in_control"
    AMENDMENT = "amendment"


#: Event kinds recorded on the employee or the company rather than on one agreement: voiding one
#: changes every agreement of that person or company it applied to.
SHARED_KINDS = frozenset({EventKind.TERMINATION, EventKind.CHANGE_IN_CONTROL})


def minute(moment: dt.datetime) -> str:
    """A recording time to the minute, as lists show it: "2026-12-07 13:05"."""
    return moment.isoformat()[:16].replace("T", " ")


@dataclass(frozen=True, slots=True)
class VoidMark:
    """Why, when and by whom an event was voided."""

    reason: str
    at: dt.datetime | None
    by: str | None


@dataclass(frozen=True, slots=True)
class EventEntry:
    """One recorded event. The kind says which of the optional parts it has: a payment its
    amount (and installment, if it names one), a termination its reason, an amendment its new
    expiry and the installments it sets (None: it leaves them; empty: it cancels them)."""

    id: int
    kind: EventKind
    date: dt.date
    recorded_at: dt.datetime
    recorded_by: str
    note: str | None = None
    void: VoidMark | None = None
    amount: Decimal | None = None
    installment: int | None = None
    reason: TerminationReason | None = None
    expires: dt.date | None = None
    installments: tuple[Installment, ...] | None = None

    @property
    def voided(self) -> bool:
        return self.void is not None

    def describe(self) -> str:
        """The event in a few words: "payment of 66,000.00 to installment 1", "termination,
        without cause"."""
        if self.kind is EventKind.PAYMENT:
            assert self.amount is not None
            target = f" to installment {self.installment}" if self.installment else ""
            return f"payment of {format_grouped(self.amount)}{target}"
        if self.kind is EventKind.TERMINATION:
            assert self.reason is not None
            return f"termination, {self.reason.value.replace('_', ' ')}"
        if self.kind is EventKind.CHANGE_IN_CONTROL:
            return "change in control"
        parts = []
        if self.expires:
            parts.append(f"expires {self.expires.isoformat()}")
        if self.installments is not None:
            if self.installments:
                listed = ", ".join(
                    f"{format_grouped(i.amount)} on {i.due.isoformat()}" for i in self.installments
                )
                parts.append(f"installments not yet due replaced by {listed}")
            else:
                parts.append("installments not yet due cancelled")
        return "amendment: " + "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "id": self.id,
            "type": self.kind.value,
            "date": self.date.isoformat(),
            "recorded_at": self.recorded_at.isoformat(),
            "recorded_by": self.recorded_by,
        }
        if self.kind is EventKind.PAYMENT:
            entry["amount"] = str(self.amount)
            entry["installment"] = self.installment
        elif self.kind is EventKind.TERMINATION:
            entry["reason"] = None if self.reason is None else self.reason.value
        elif self.kind is EventKind.AMENDMENT:
            entry["expires"] = self.expires.isoformat() if self.expires else None
            entry["installments"] = (
                None
                if self.installments is None
                else [
                    {"due": i.due.isoformat(), "amount": str(i.amount)} for i in self.installments
                ]
            )
        if self.note:
            entry["note"] = self.note
        void = self.void
        entry["void"] = (
            None
            if void is None
            else {
                "reason": void.reason,
                "at": void.at.isoformat() if void.at else None,
                "by": void.by,
            }
        )
        return entry


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One row of the audit log: who did what, when, with the records before and after."""

    id: int
    at: dt.datetime
    actor: str
    action: str
    summary: str
    before: Any  # the JSON stored, decoded (None when nothing was there before)
    after: Any

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "summary": self.summary,
            "before": self.before,
            "after": self.after,
        }


@dataclass(frozen=True, slots=True)
class History:
    """Every event that touches the agreement and its audit log, newest first."""

    agreement: str
    events: tuple[EventEntry, ...]
    audit: tuple[AuditEntry, ...]

    def event(self, event_id: int) -> EventEntry | None:
        return next((e for e in self.events if e.id == event_id), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "agreement": self.agreement,
            "events": [e.to_dict() for e in self.events],
            "audit": [a.to_dict() for a in self.audit],
        }


def history(ctx: Context, agreement: str) -> History:
    """Every event that touches the agreement (voided ones too) and its audit log, newest first."""
    with ctx.db.read() as session:
        agreement_id = agreement_id_for(session, agreement)
        employee_id, company_id = owners(session, agreement_id)
        events = event_rows(session, agreement_id, employee_id, company_id)
        set_by: dict[int, list[Installment]] = {}
        amendment_ids = [e["id"] for e in events if e["kind"] == EventKind.AMENDMENT]
        for amendment_id, due, cents in amendment_installment_rows(session, amendment_ids):
            set_by.setdefault(amendment_id, []).append(Installment(due, from_cents(cents)))
        audit = audit_rows(session, agreement_id, employee_id, company_id)
    return History(
        agreement=agreement,
        events=tuple(_event_entry(e, set_by) for e in events),
        audit=tuple(
            AuditEntry(
                id=a["id"],
                at=a["at"],
                actor=a["actor"],
                action=a["action"],
                summary=a["summary"],
                before=json.loads(a["before"]) if a["before"] else None,
                after=json.loads(a["after"]) if a["after"] else None,
            )
            for a in audit
        ),
    )


def _event_entry(e: Any, set_by: dict[int, list[Installment]]) -> EventEntry:
    kind = EventKind(e["kind"])
    return EventEntry(
        id=e["id"],
        kind=kind,
        date=e["date"],
        recorded_at=e["recorded_at"],
        recorded_by=e["recorded_by"],
        note=e["note"] or None,
        void=None
        if e["void_reason"] is None
        else VoidMark(e["void_reason"], e["voided_at"], e["voided_by"]),
        amount=from_cents(e["amount_cents"]) if kind is EventKind.PAYMENT else None,
        installment=e["installment"] if kind is EventKind.PAYMENT else None,
        reason=TerminationReason(e["reason"]) if kind is EventKind.TERMINATION else None,
        expires=e["expires"] if kind is EventKind.AMENDMENT else None,
        installments=tuple(set_by.get(e["id"], ()))
        if kind is EventKind.AMENDMENT and e["replaces_installments"]
        else None,
    )
