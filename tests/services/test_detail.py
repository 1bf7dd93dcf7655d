"""services.agreements.detail: one agreement in full for the detail screen, and the void preview.

SQLite only (a fresh file per test): these are reads over what ``services.events.recording`` writes,
which the other services tests run on both databases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from support import BAKER, BAKER_NAME, day, usd

from comp_tracker.domain import AgreementError, Installment, Status, TerminationReason
from comp_tracker.services.agreements import reading as queries
from comp_tracker.services.agreements.detail import agreement_detail, void_preview
from comp_tracker.services.agreements.history import history as history_of
from comp_tracker.services.context import Context, ServiceError
from comp_tracker.services.demo import load_samples
from comp_tracker.services.events import recording as events
from comp_tracker.storage.database import open_database

AS_OF = day("2002-09-30")


@pytest.fixture
def context(tmp_path) -> Iterator[Context]:
    db = open_database(f"sqlite:///{tmp_path / 'detail.db'}")
    ctx = Context(db, "hr", clock=lambda: dt.datetime(2002, 10, 1, 9, tzinfo=dt.UTC))
    load_samples(ctx)
    yield ctx
    db.dispose()


def test_detail_is_the_schedule_the_events_and_the_log(context):
    paid = events.record_payment(context, BAKER, day("2002-07-01"), usd("66000.00"), 1)
    mistake = events.record_payment(context, BAKER, day("2002-07-02"), usd("1.00"), 2)
    events.void_event(context, mistake.event_id, "wrong installment")
    found = agreement_detail(context, BAKER, AS_OF)
    assert found.schedule == queries.show(context, BAKER, AS_OF)
    assert found.event_ids == (paid.event_id,)
    assert [e.id for e in found.history] == [mistake.event_id, paid.event_id]
    assert [e.id for e in found.voidable()] == [paid.event_id]
    assert [a.action for a in found.audit] == ["void", "pay", "pay", "import"]


def test_void_preview_is_the_schedule_without_the_event_and_writes_nothing(context):
    events.record_payment(context, BAKER, day("2002-07-01"), usd("66000.00"), 1)
    terminated = events.record_termination(
        context, BAKER_NAME, day("2002-09-16"), TerminationReason.WITHOUT_CAUSE
    )
    before = history_of(context, BAKER)
    preview = void_preview(context, BAKER, terminated.event_id, AS_OF)
    two_before, two_after = preview.before.installments[1], preview.after.installments[1]
    assert (two_before.due, two_before.status, two_before.interest_outstanding) == (
        day("2002-09-16"),
        Status.OVERDUE,
        usd("397.81"),
    )
    assert (two_after.due, two_after.status, two_after.interest_outstanding) == (
        day("2002-12-31"),
        Status.SCHEDULED,
        usd("0.00"),
    )
    assert history_of(context, BAKER) == before
    events.void_event(context, terminated.event_id, "still employed")
    assert queries.show(context, BAKER, AS_OF) == preview.after


def test_void_preview_refuses_what_the_void_would_refuse(context):
    amended = events.record_amendment(
        context,
        BAKER,
        day("2002-08-01"),
        installments=[
            Installment(day("2002-12-31"), usd("132000.00")),
            Installment(day("2003-01-03"), usd("10000.00")),
        ],
    )
    events.record_payment(context, BAKER, day("2002-09-02"), usd("10000.00"), 3)
    with pytest.raises(AgreementError, match="installment"):
        void_preview(context, BAKER, amended.event_id, AS_OF)
    with pytest.raises(AgreementError, match="installment"):
        events.void_event(context, amended.event_id, "never signed")
    events.void_event(context, amended.event_id + 1, "not paid after all")
    with pytest.raises(ServiceError, match="not an event in force"):
        void_preview(context, BAKER, amended.event_id + 1, AS_OF)


def test_describe_event(context):
    events.record_payment(context, BAKER, day("2002-07-01"), usd("66000.00"))
    events.record_amendment(context, BAKER, day("2002-08-01"), expires=day("2003-06-30"))
    events.record_amendment(context, BAKER, day("2002-08-02"), installments=[])
    events.record_termination(context, BAKER_NAME, day("2002-09-16"), TerminationReason.DEATH)
    described = [e.describe() for e in history_of(context, BAKER).events]
    assert described == [
        "termination, death",
        "amendment: installments not yet due cancelled",
        "amendment: expires 2003-06-30",
        "payment of 66,000.00",
    ]
