"""Sample data: the agreements shipped in ``data/``, or many synthetic ones.

``load_samples`` imports ``data/agreements/*.toml`` (an ordinary import: idempotent, audited).
``load_synthetic`` fills the database with fictional companies and people from
:mod:`comp_tracker.sample.synthetic`, for benchmarks and for trying the TUI at scale. It writes
with bulk inserts, in one transaction, each agreement validated by the engine first and given its
own audit record, like any other write.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from comp_tracker.domain import Amendment, Event, Payment
from comp_tracker.domain.money import to_cents
from comp_tracker.sample.synthetic import SyntheticCompany, generate
from comp_tracker.services.agreements.importing import Imported, import_files
from comp_tracker.services.context import Context, ServiceError
from comp_tracker.services.writing import Writer, derived_columns, evaluate, run_write
from comp_tracker.storage.reads import accelerate_on_text, is_empty, missing_companies

#: The repository's data directory (the sample agreements live beside the package in a checkout).
DATA_DIR = Path(__file__).resolve().parents[2] / "data"
BATCH = 2_000  # agreements per round of bulk inserts


def sample_files() -> list[Path]:
    files = sorted((DATA_DIR / "agreements").glob("*.toml"))
    if not files:
        raise ServiceError(
            "demo", str(DATA_DIR), "no sample agreements here: run from a source checkout"
        )
    return files


def load_samples(ctx: Context) -> list[Imported]:
    return import_files(ctx, sample_files())


def load_samples_if_empty(ctx: Context) -> bool:
    """Load the samples into a database that has never held anything (no agreement and no audit
    record: a database someone has used is never touched). True if they were loaded."""
    with ctx.db.read() as session:
        used = not is_empty(session)
    if used:
        return False
    load_samples(ctx)
    return True


def load_synthetic(
    ctx: Context,
    n: int,
    seed: int,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Generate ``n`` fictional agreements into the database; returns how many were written."""

    def work(w: Writer) -> int:
        written = 0
        batch: list[SyntheticCompany] = []
        size = 0
        for company in generate(n, seed):
            batch.append(company)
            size += sum(len(e.agreements) for e in company.employees)
            if size >= BATCH:
                written += _insert_batch(w, batch, seed)
                batch, size = [], 0
                if progress is not None:
                    progress(written, n)
        if batch:
            written += _insert_batch(w, batch, seed)
            if progress is not None:
                progress(written, n)
        return written

    return run_write(ctx, work)


def _insert_batch(w: Writer, companies: list[SyntheticCompany], seed: int) -> int:
    now, actor = w.now, w.actor
    names = [c.name for c in companies]
    absent = set(missing_companies(w.session, names))
    taken = next((name for name in names if name not in absent), None)
    if taken is not None:
        raise ServiceError(
            "demo --synthetic",
            taken,
            "this company is already in the database (generated before?): use an empty "
            "database or another --seed",
        )
    company_ids = w.insert_rows("company", [{"name": c.name, "created_at": now} for c in companies])
    employees = [
        (cid, c, e) for cid, c in zip(company_ids, companies, strict=True) for e in c.employees
    ]
    employee_ids = w.insert_rows(
        "employee",
        [{"company_id": cid, "name": e.name, "created_at": now} for cid, _, e in employees],
    )
    agreements = []  # (company id, employee id, agreement, its derived columns)
    for employee_id, (company_id, company, employee) in zip(employee_ids, employees, strict=True):
        for agreement in employee.agreements:
            merged: list[Event] = list(agreement.events)
            if employee.termination is not None:
                merged.append(employee.termination)
            cic = company.change_in_control
            if cic is not None and agreement.terms.effective <= cic.date:
                merged.append(cic)
            schedule = evaluate(agreement.terms, merged)
            agreements.append((company_id, employee_id, agreement, derived_columns(schedule)))
    agreement_ids = w.insert_rows(
        "agreement",
        [
            {
                "key": a.terms.id,
                "company_id": company_id,
                "employee_id": employee_id,
                "template_id": None,
                "source": f"demo --synthetic (seed {seed})",
                "created_at": now,
                "created_by": actor,
                "version": 1,
                **derived,
            }
            for company_id, employee_id, a, derived in agreements
        ],
    )
    revision_ids = w.insert_rows(
        "terms_revision",
        [
            {
                "agreement_id": agreement_id,
                "revision": 1,
                "effective": terms.effective,
                "expires": terms.expires,
                "calendar": terms.calendar,
                "payment_window_business_days": terms.payment_window_business_days,
                "end_after_termination_business_days": terms.end_after_termination_business_days,
                "late_interest_rate": str(terms.late_interest_rate),
                "day_count": terms.day_count.value,
                "accelerate_on": accelerate_on_text(terms.accelerate_on),
                "governing_law": terms.governing_law,
                "recorded_at": now,
                "recorded_by": actor,
                "note": None,
            }
            for agreement_id, (_, _, a, _) in zip(agreement_ids, agreements, strict=True)
            for terms in (a.terms,)
        ],
    )
    installments = [
        {
            "revision_id": revision_id,
            "amendment_id": None,
            "number": number,
            "due": i.due,
            "amount_cents": to_cents(i.amount),
        }
        for revision_id, (_, _, a, _) in zip(revision_ids, agreements, strict=True)
        for number, i in enumerate(a.terms.installments, start=1)
    ]
    base = {
        "recorded_at": now,
        "recorded_by": actor,
        "note": None,
        "agreement_id": None,
        "employee_id": None,
        "company_id": None,
        "amount_cents": None,
        "installment": None,
        "reason": None,
        "expires": None,
        "replaces_installments": False,
    }
    events: list[dict[str, Any]] = []
    amendments: list[Amendment] = []
    for agreement_id, (_, _, a, _) in zip(agreement_ids, agreements, strict=True):
        for event in a.events:
            row = {**base, "agreement_id": agreement_id, "date": event.date}
            if isinstance(event, Payment):
                row.update(
                    kind="payment",
                    amount_cents=to_cents(event.amount),
                    installment=event.installment,
                )
            else:
                assert isinstance(event, Amendment)
                row.update(
                    kind="amendment",
                    expires=event.expires,
                    replaces_installments=event.installments is not None,
                )
                amendments.append(event)
            events.append(row)
    for employee_id, (_, _, employee) in zip(employee_ids, employees, strict=True):
        if employee.termination is not None:
            termination = employee.termination
            events.append(
                {
                    **base,
                    "kind": "termination",
                    "employee_id": employee_id,
                    "date": termination.date,
                    "reason": termination.reason.value,
                }
            )
    for company_id, company in zip(company_ids, companies, strict=True):
        if company.change_in_control is not None:
            events.append(
                {
                    **base,
                    "kind": "change_in_control",
                    "company_id": company_id,
                    "date": company.change_in_control.date,
                }
            )
    event_ids = w.insert_rows("event", events)
    amendment_ids = [
        i for i, row in zip(event_ids, events, strict=True) if row["kind"] == "amendment"
    ]
    for event_id, amendment in zip(amendment_ids, amendments, strict=True):
        for number, i in enumerate(amendment.installments or (), start=1):
            installments.append(
                {
                    "revision_id": None,
                    "amendment_id": event_id,
                    "number": number,
                    "due": i.due,
                    "amount_cents": to_cents(i.amount),
                }
            )
    w.insert_many("installment", installments)
    w.insert_many(
        "audit_log",
        [
            {
                "at": now,
                "actor": actor,
                "action": "demo",
                "agreement_id": agreement_id,
                "employee_id": None,
                "company_id": None,
                "event_id": None,
                "summary": f"created synthetic agreement {a.terms.id} with {len(a.events)} "
                f"event(s) (demo --synthetic, seed {seed})",
                "before": None,
                "after": None,
            }
            for agreement_id, (_, _, a, _) in zip(agreement_ids, agreements, strict=True)
        ],
    )
    return len(agreements)
