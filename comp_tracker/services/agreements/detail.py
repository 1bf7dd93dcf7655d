"""One agreement in full, for its detail screen, and what voiding one of its events would do.

The TUI's agreement screen reads everything it shows in one call (:func:`agreement_detail`): the
schedule as of a date, the events in force on the agreement (for the timeline's markers and for
choosing an event to void), its whole history (voided events too) and its audit log.
:func:`void_preview` answers "what will the schedule look like without this event?" before the
void is saved, with the same checks :func:`comp_tracker.services.events.recording.void_event` runs,
so a void the records would refuse is refused in the preview too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from comp_tracker.domain import Event, Schedule, compute_schedule
from comp_tracker.services.agreements.history import AuditEntry, EventEntry, history
from comp_tracker.services.context import Context, ServiceError
from comp_tracker.services.events.recording import plan_void
from comp_tracker.storage.reads import load_one


@dataclass(frozen=True, slots=True)
class AgreementDetail:
    """An agreement as of ``schedule.as_of``, its events and its audit log."""

    agreement: str
    schedule: Schedule
    #: The events the engine applies to this agreement (not voided), in date order, with their
    #: database ids (parallel tuples). Events dated after the as-of date are included.
    events: tuple[Event, ...]
    event_ids: tuple[int, ...]
    #: Every event that touches the agreement (voided ones too, each with its ``void``), newest
    #: first, as :func:`comp_tracker.services.agreements.history.history` gives them.
    history: tuple[EventEntry, ...]
    audit: tuple[AuditEntry, ...]

    def voidable(self) -> tuple[EventEntry, ...]:
        """The history entries that can be voided from this agreement: in force on it."""
        ids = set(self.event_ids)
        return tuple(e for e in self.history if e.void is None and e.id in ids)

    def applies(self, entry: EventEntry) -> bool:
        """Whether the event is one the engine applies to this agreement (not voided, and not
        dated before it began)."""
        return entry.id in self.event_ids


def agreement_detail(ctx: Context, agreement: str, as_of: dt.date) -> AgreementDetail:
    with ctx.db.read() as session:
        item = load_one(session, agreement)
    found = history(ctx, agreement)
    return AgreementDetail(
        agreement=agreement,
        schedule=compute_schedule(item.terms, item.events, as_of),
        events=item.events,
        event_ids=item.event_ids,
        history=found.events,
        audit=found.audit,
    )


@dataclass(frozen=True, slots=True)
class VoidPreview:
    """The agreement as of the same date with the event (``before``) and without it (``after``)."""

    event_id: int
    before: Schedule
    after: Schedule


def void_preview(ctx: Context, agreement: str, event_id: int, as_of: dt.date) -> VoidPreview:
    """What ``agreement`` would look like on ``as_of`` if event ``event_id`` were voided.

    The void's plan (:func:`~comp_tracker.services.events.recording.plan_void`, which the save
    commits), shown for this agreement. Raises :class:`ServiceError` if the event is not one in
    force on the agreement, and the planner's :class:`~comp_tracker.domain.AgreementError` if the
    void would be refused on any agreement it touches (for example a payment that only the voided
    amendment made possible). Writes nothing. The reason is asked for and checked on saving.
    """
    with ctx.db.read() as session:
        item = load_one(session, agreement)
    if event_id not in item.event_ids:
        raise ServiceError(
            "event", event_id, f"is not an event in force on {agreement} (voided already?)"
        )
    planned = plan_void(ctx, event_id, _PREVIEW_REASON, today=as_of)
    planned.refuse()
    effect = planned.effect(agreement)
    assert effect is not None  # the event is in force on it
    return VoidPreview(event_id=event_id, before=effect.before(as_of), after=effect.after(as_of))


#: The reason a void's preview is planned with: the form asks for the real one before saving.
_PREVIEW_REASON = "preview"
