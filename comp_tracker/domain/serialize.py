"""The schedule as JSON-ready data: the public interface finance scripts parse.

Stable and documented in the README ("JSON output"). Dates are ISO strings; money is a string with
two decimals, never a JSON number. New keys may be added; existing keys keep their meaning.
"""

from __future__ import annotations

from typing import Any

from .model import InstallmentState, Schedule
from .money import format_money


def installment_to_dict(state: InstallmentState) -> dict[str, Any]:
    return {
        "number": state.number,
        "original_due": state.original_due.isoformat(),
        "due": state.due.isoformat(),
        "deadline": state.deadline.isoformat(),
        "amount": format_money(state.amount),
        "status": state.status.value,
        "accelerated": state.accelerated,
        "principal_paid": format_money(state.principal_paid),
        "principal_outstanding": format_money(state.principal_outstanding),
        "principal_forfeited": format_money(state.principal_forfeited),
        "interest_paid": format_money(state.interest_paid),
        "interest_outstanding": format_money(state.interest_outstanding),
        "earned": format_money(state.earned),
        "forfeited_on": state.forfeited_on.isoformat() if state.forfeited_on else None,
    }


def schedule_to_dict(schedule: Schedule) -> dict[str, Any]:
    terms = schedule.terms
    return {
        "agreement": {
            "id": terms.id,
            "company": terms.company,
            "employee": terms.employee,
            "effective": terms.effective.isoformat(),
            "expires": terms.expires.isoformat(),
        },
        "as_of": schedule.as_of.isoformat(),
        "ends_on": schedule.ends_on.isoformat(),
        "end_reason": schedule.end_reason.value,
        "warnings": list(schedule.warnings),
        "installments": [installment_to_dict(i) for i in schedule.installments],
        "payments": [
            {
                "date": p.date.isoformat(),
                "amount": format_money(p.amount),
                "allocations": [
                    {
                        "installment": a.installment,
                        "interest": format_money(a.interest),
                        "principal": format_money(a.principal),
                    }
                    for a in p.allocations
                ],
            }
            for p in schedule.payments
        ],
    }
