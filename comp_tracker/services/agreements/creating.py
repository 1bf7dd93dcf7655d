"""Creating agreements one at a time: from terms typed in (the new-agreement form), and as
clones of a template for other employees of its company (planned by the domain's
:func:`~comp_tracker.domain.planner.plan_clones`, all of them or none)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from comp_tracker.domain import Terms
from comp_tracker.domain.planner import ClonePlan, plan_clones
from comp_tracker.services.agreements.importing import (
    Imported,
    ImportOutcome,
    insert_agreement,
    recheck,
)
from comp_tracker.services.context import Context
from comp_tracker.services.events.planning import read_book
from comp_tracker.services.writing import Writer, evaluate, run_write, snapshot
from comp_tracker.storage.reads import (
    Loaded,
    agreement_id_for,
    employee_ids_of_company,
    keys_starting,
    load_one,
)

if TYPE_CHECKING:
    from comp_tracker.storage.reads import Reader

__all__ = ["clone_agreement", "create_agreement", "plan_clone"]


def create_agreement(
    ctx: Context, terms: Terms, *, source: str = "entered", template: str | None = None
) -> Imported:
    """Create one agreement from terms (validated exactly as an agreement file is)."""
    evaluate(terms, ())  # the terms on their own, before touching the database

    def work(w: Writer) -> Imported:
        template_id = agreement_id_for(w.session, template) if template else None
        summary = f"created agreement {terms.id} for {terms.employee} ({terms.company}): {source}"
        _insert(w, terms, "create", summary, source=source, template_id=template_id)
        return Imported(source, terms.id, ImportOutcome.CREATED)

    return run_write(ctx, work)


def _insert(
    w: Writer, terms: Terms, action: str, summary: str, *, source: str, template_id: int | None
) -> None:
    """Insert a new agreement, check it as the engine does, and audit it with its schedule."""
    agreement_id, _, _ = insert_agreement(w, terms, source=source, template_id=template_id)
    checked = recheck(w, [agreement_id])
    w.audit(action, summary, agreement_id=agreement_id, after=snapshot(checked[agreement_id][1]))


def _plan_clone(
    session: Reader, agreement: str, employees: Sequence[str]
) -> tuple[Loaded, ClonePlan]:
    """The template, and the clone's plan against the records: the ids a clone could take, the
    company's change in control and its employees' terminations."""
    source = load_one(session, agreement)
    taken = keys_starting(session, f"{agreement}-")
    employee_ids = employee_ids_of_company(session, source.company_id)
    owners = read_book(session, [], employee_ids=employee_ids, company_ids=[source.company_id])
    planned = plan_clones(
        source.terms,
        employees,
        taken,
        terminations=owners.book.terminations,
        changes_in_control=owners.book.changes_in_control,
    )
    return source, planned


def plan_clone(ctx: Context, agreement: str, employees: Sequence[str]) -> ClonePlan:
    """What :func:`clone_agreement` would create (or why it would refuse); writes nothing."""
    with ctx.db.read() as session:
        return _plan_clone(session, agreement, employees)[1]


def clone_agreement(ctx: Context, agreement: str, employees: Sequence[str]) -> list[Imported]:
    """Create "substantially identical" agreements for other employees of the same company.

    Each clone takes the template's current terms, none of its events, a new id
    ``<template id>-<employee>``, and a link back to the template; planned by
    :func:`~comp_tracker.domain.planner.plan_clones`, all of them or none.
    """

    def work(w: Writer) -> list[Imported]:
        source, planned = _plan_clone(w.session, agreement, employees)
        planned.refuse()
        results = []
        for terms in (holding.terms for holding in planned.created):
            summary = f"created agreement {terms.id} for {terms.employee} as a copy of {agreement}"
            _insert(
                w,
                terms,
                "clone",
                summary,
                source=f"clone of {agreement}",
                template_id=source.agreement_id,
            )
            results.append(Imported(agreement, terms.id, ImportOutcome.CREATED))
        return results

    return run_write(ctx, work)
