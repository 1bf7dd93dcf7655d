"""Importing agreement files (and what creating an agreement stores, shared with
:mod:`comp_tracker.services.agreements.creating`).

Import is idempotent by agreement id: a file whose agreement is already stored exactly as the file
says changes nothing. A file that differs is refused, with the differences, unless ``amend`` is
given; then the stored agreement is brought to what the file says without rewriting anything:
changed terms become a new terms revision, events missing from the file are voided, and events
new in the file are recorded. Every file of one call is imported in one transaction: all or none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from comp_tracker.domain import (
    AgreementError,
    AgreementFile,
    Amendment,
    ChangeInControl,
    Event,
    Payment,
    Schedule,
    Termination,
    Terms,
    compute_schedule,
    load_agreement,
)
from comp_tracker.domain.differences import event_differences, event_line, terms_differences
from comp_tracker.domain.money import to_cents
from comp_tracker.domain.planner import event_ref
from comp_tracker.services.context import Context, ServiceError
from comp_tracker.services.writing import Writer, evaluate, run_write, snapshot
from comp_tracker.storage.reads import (
    Loaded,
    agreement_exists,
    agreement_id_for,
    agreements_of,
    live_owner_event,
    load_agreements,
    load_one,
)

__all__ = [
    "ImportOutcome",
    "ImportPlan",
    "Imported",
    "import_files",
    "plan_import",
]


class ImportOutcome(StrEnum):
    """What importing a file did to its agreement."""

    CREATED = "created"
    AMENDED = "amended"  # stored already: the file's new installments or expiry were recorded
    UNCHANGED = "unchanged"  # stored already, with these very terms


@dataclass(frozen=True)
class Imported:
    path: str
    agreement: str
    outcome: ImportOutcome
    changes: tuple[str, ...] = ()


def insert_agreement(
    w: Writer, terms: Terms, *, source: str, template_id: int | None = None
) -> tuple[int, int, int]:
    """Insert a new agreement's rows; returns (agreement id, employee id, company id)."""
    if agreement_exists(w.session, terms.id):
        raise ServiceError("agreement.id", terms.id, "already exists")
    company_id = w.company(terms.company)
    employee_id = w.employee(company_id, terms.employee)
    # at version 0: commit_checked moves it to 1 once the agreement is validated
    agreement_id = w.add_agreement(
        terms.id, company_id, employee_id, source=source, template_id=template_id
    )
    w.add_revision(agreement_id, 1, terms)
    return agreement_id, employee_id, company_id


def _scoped_event(
    w: Writer, event: Event, agreement_id: int, employee_id: int, company_id: int, field: str
) -> int | None:
    """Insert an event from a file on its proper owner; None if the same one is already there."""
    if isinstance(event, Payment):
        return w.add_event(
            kind="payment",
            agreement_id=agreement_id,
            date=event.date,
            amount_cents=to_cents(event.amount),
            installment=event.installment,
        )
    if isinstance(event, Amendment):
        event_id = w.add_event(
            kind="amendment",
            agreement_id=agreement_id,
            date=event.date,
            expires=event.expires,
            replaces_installments=event.installments is not None,
        )
        if event.installments is not None:
            w.add_installments(event.installments, amendment_id=event_id)
        return event_id
    if isinstance(event, Termination):
        owner, kind = employee_id, "termination"
        existing = live_owner_event(w.session, employee_id=employee_id)
    else:
        owner, kind = company_id, "change_in_control"
        existing = live_owner_event(w.session, company_id=company_id)
    if existing is not None:
        same = existing[1] == event.date and (
            not isinstance(event, Termination) or existing[2] == event.reason.value
        )
        if same:
            return None
        whose = "the employee" if kind == "termination" else "the company"
        raise AgreementError(
            field,
            event.date,
            f"{whose} already has a {kind.replace('_', ' ')} on {existing[1]} "
            f"({event_ref(existing[0])})",
        )
    if isinstance(event, Termination):
        return w.add_event(kind=kind, employee_id=owner, date=event.date, reason=event.reason.value)
    return w.add_event(kind=kind, company_id=owner, date=event.date)


def _others_touched(
    w: Writer, events: Sequence[Event], agreement_id: int, employee_id: int, company_id: int
) -> list[int]:
    """Other agreements an imported termination or change in control also applies to."""
    ids: set[int] = set()
    if any(isinstance(e, Termination) for e in events):
        ids.update(agreements_of(w.session, employee_id=employee_id))
    if any(isinstance(e, ChangeInControl) for e in events):
        ids.update(agreements_of(w.session, company_id=company_id))
    ids.discard(agreement_id)
    return sorted(ids)


def recheck(w: Writer, ids: Sequence[int]) -> dict[int, tuple[Loaded, Schedule]]:
    """Validate agreements as now stored in this transaction, and move their versions on."""
    out: dict[int, tuple[Loaded, Schedule]] = {}
    for item in load_agreements(w.session, ids=ids):
        try:
            schedule = evaluate(item.terms, item.events)
        except AgreementError as exc:
            raise AgreementError(
                exc.field, exc.value, f"{exc.reason} (in agreement {item.key})"
            ) from None
        w.commit_checked(item, schedule)
        out[item.agreement_id] = (item, schedule)
    return out


def _import_new(w: Writer, path: str, file: AgreementFile) -> Imported:
    agreement_id, employee_id, company_id = insert_agreement(
        w, file.terms, source=f"imported from {Path(path).name}"
    )
    others = _others_touched(w, file.events, agreement_id, employee_id, company_id)
    w.lock(others)
    for number, event in enumerate(file.events, start=1):
        _scoped_event(w, event, agreement_id, employee_id, company_id, f"events[{number}].date")
    checked = recheck(w, [agreement_id, *others])
    _, schedule = checked[agreement_id]
    w.audit(
        "import",
        f"created agreement {file.terms.id} for {file.terms.employee} ({file.terms.company}) "
        f"from {Path(path).name}, with {len(file.events)} event(s)",
        agreement_id=agreement_id,
        after=snapshot(schedule),
    )
    return Imported(path, file.terms.id, ImportOutcome.CREATED)


def _import_existing(w: Writer, path: str, file: AgreementFile, amend: bool) -> Imported:
    agreement_id = agreement_id_for(w.session, file.terms.id)
    w.lock([agreement_id])
    stored = load_one(w.session, file.terms.id)
    for name in ("company", "employee"):
        if getattr(stored.terms, name) != getattr(file.terms, name):
            raise AgreementError(
                f"agreement.{name}",
                getattr(file.terms, name),
                f"the stored agreement {file.terms.id} is with {getattr(stored.terms, name)}; "
                "an agreement's parties cannot change (import it under a new id)",
            )
    term_changes = terms_differences(stored.terms, file.terms)
    removed, added = event_differences(stored.events, file.events)
    changes = [
        *term_changes,
        *(f"- {event_line(e)}" for e in removed),
        *(f"+ {event_line(e)}" for e in added),
    ]
    if not changes:
        return Imported(path, file.terms.id, ImportOutcome.UNCHANGED)
    if not amend:
        raise ServiceError(
            "agreement.id",
            file.terms.id,
            "is already stored and the file differs: "
            + "; ".join(changes)
            + " (use --amend to record these changes)",
        )
    before = evaluate(stored.terms, stored.events)
    if term_changes:
        w.add_revision(
            agreement_id, stored.revision + 1, file.terms, note=f"import --amend {Path(path).name}"
        )
    for event in removed:
        event_id = int(event.ref.removeprefix("event #"))
        w.add_void(event_id, f"not in {Path(path).name} (import --amend)")
    for event in added:
        number = file.events.index(event) + 1
        _scoped_event(
            w, event, agreement_id, stored.employee_id, stored.company_id, f"events[{number}].date"
        )
    others = _others_touched(
        w, [*removed, *added], agreement_id, stored.employee_id, stored.company_id
    )
    w.lock(others)
    checked = recheck(w, [agreement_id, *others])
    w.audit(
        "import-amend",
        f"amended agreement {file.terms.id} from {Path(path).name}: " + "; ".join(changes),
        agreement_id=agreement_id,
        before=snapshot(before),
        after=snapshot(checked[agreement_id][1]),
    )
    return Imported(path, file.terms.id, ImportOutcome.AMENDED, tuple(changes))


def read_files(paths: Sequence[str | Path]) -> list[tuple[str, AgreementFile]]:
    """Read and validate every file; an error names the file. Two files with one id are refused."""
    files: list[tuple[str, AgreementFile]] = []
    seen: dict[str, str] = {}
    for path in paths:
        try:
            file = load_agreement(path)
        except AgreementError as exc:
            raise AgreementError(f"{path}: {exc.field}", exc.value, exc.reason) from None
        if file.terms.id in seen:
            raise AgreementError(
                f"{path}: agreement.id", file.terms.id, f"is also the id in {seen[file.terms.id]}"
            )
        seen[file.terms.id] = str(path)
        files.append((str(path), file))
    return files


def import_files(
    ctx: Context,
    paths: Sequence[str | Path],
    *,
    amend: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> list[Imported]:
    """Import agreement files in one transaction: every file or none."""
    return run_write(ctx, _importing(read_files(paths), amend, progress))


@dataclass(frozen=True)
class ImportPlan:
    """What an import would do: each file's outcome, and each agreement it would create or
    amend as it would then stand on the day asked for."""

    results: tuple[Imported, ...]
    schedules: tuple[Schedule, ...]


class _RolledBack(Exception):
    def __init__(self, plan: ImportPlan) -> None:
        self.plan = plan


def plan_import(
    ctx: Context, paths: Sequence[str | Path], *, amend: bool = False, today: dt.date
) -> ImportPlan:
    """What :func:`import_files` would do, found by doing it in a transaction that is then
    rolled back: the same checks in the same order, so the same refusals; nothing is kept."""
    files = read_files(paths)
    importing = _importing(files, amend, None)

    def work(w: Writer) -> None:
        results = importing(w)
        touched = [r.agreement for r in results if r.outcome is not ImportOutcome.UNCHANGED]
        schedules = tuple(
            compute_schedule(item.terms, item.events, today)
            for key in touched
            for item in [load_one(w.session, key)]
        )
        raise _RolledBack(ImportPlan(tuple(results), schedules))

    try:
        run_write(ctx, work)
    except _RolledBack as done:
        return done.plan
    raise AssertionError("unreachable: the dry run always rolls back")


def _importing(
    files: list[tuple[str, AgreementFile]],
    amend: bool,
    progress: Callable[[int, int], None] | None,
) -> Callable[[Writer], list[Imported]]:
    def work(w: Writer) -> list[Imported]:
        results = []
        for done, (path, file) in enumerate(files, start=1):
            exists = agreement_exists(w.session, file.terms.id)
            try:
                if exists:
                    results.append(_import_existing(w, path, file, amend))
                else:
                    results.append(_import_new(w, path, file))
            except AgreementError as exc:
                raise AgreementError(f"{path}: {exc.field}", exc.value, exc.reason) from None
            except ServiceError as exc:  # e.g. stored and different: say which file
                raise type(exc)(f"{path}: {exc.field}", exc.value, exc.reason) from None
            if progress is not None:
                progress(done, len(files))
        return results

    return work
