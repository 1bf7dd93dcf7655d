"""Alerts on SQLite and PostgreSQL: one per installment per stage, notices once, acks."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from support import BAKER, BAKER_FILE, day, usd

from comp_tracker.domain import Stage
from comp_tracker.services.agreements import importing as agreements
from comp_tracker.services.context import NotFound, ServiceError
from comp_tracker.services.due.alerts import (
    acknowledge,
    list_alerts,
    mark_notified,
    record_alerts,
)
from comp_tracker.services.due.job import find_due
from comp_tracker.services.events import recording as events
from comp_tracker.storage import tables as t


@pytest.fixture
def baker(ctx):
    agreements.import_files(ctx, [BAKER_FILE])
    return ctx


def run(ctx, as_of: str):
    return record_alerts(ctx, find_due(ctx, day(as_of)))


def audit_actions(ctx) -> list[str]:
    with ctx.db.read() as connection:
        return list(
            connection.execute(select(t.AUDIT_LOG.c.action).order_by(t.AUDIT_LOG.c.id)).scalars()
        )


def test_one_alert_per_installment_per_stage(baker):
    [upcoming] = run(baker, "2002-06-27")
    assert (upcoming.new, upcoming.flag.stage) == (True, Stage.UPCOMING)
    # The same stage the next day: the same alert, not new.
    [again] = run(baker, "2002-06-28")
    assert (again.alert_id, again.new) == (upcoming.alert_id, False)
    # A new stage is a new alert.
    [in_window] = run(baker, "2002-07-02")
    assert in_window.new
    assert in_window.alert_id != upcoming.alert_id
    [overdue] = run(baker, "2002-07-05")
    assert overdue.new
    assert [line.stage for line in list_alerts(baker)] == [
        Stage.OVERDUE,
        Stage.IN_WINDOW,
        Stage.UPCOMING,
    ]
    # One audit row per run that recorded something new, after the import's.
    assert audit_actions(baker) == ["import", "flag", "flag", "flag"]


def test_an_alert_keeps_what_was_owed_when_flagged(baker):
    run(baker, "2002-07-05")
    [line] = list_alerts(baker)
    assert (line.agreement, line.installment, line.due, line.deadline) == (
        BAKER,
        1,
        day("2002-06-30"),
        day("2002-07-03"),
    )
    assert (line.owed_when_flagged, line.flagged_on) == (usd("66036.16"), day("2002-07-05"))
    assert line.notified_at is None
    assert line.acknowledged_at is None


def test_nothing_flagged_writes_nothing(baker):
    assert run(baker, "2002-06-01") == []
    assert audit_actions(baker) == ["import"]


def test_a_notice_is_recorded_once(baker):
    [flagged] = run(baker, "2002-07-05")
    mark_notified(baker, [flagged.alert_id], ["hr@example.com"])
    mark_notified(baker, [flagged.alert_id], ["hr@example.com"])  # a retry sends nothing twice
    [again] = run(baker, "2002-07-08")
    assert (again.alert_id, again.notified, again.new) == (flagged.alert_id, True, False)
    with baker.db.read() as connection:
        notices = connection.execute(select(func.count()).select_from(t.ALERT_NOTICE)).scalar()
    assert notices == 1
    assert audit_actions(baker) == ["import", "flag", "notify"]


def test_acknowledging_hides_an_alert_from_the_default_list(baker):
    [flagged] = run(baker, "2002-07-05")
    line = acknowledge(baker, flagged.alert_id, "paying Monday")
    assert (line.acknowledged_by, line.alert_id) == ("tester", flagged.alert_id)
    assert list_alerts(baker) == []
    [kept] = list_alerts(baker, include_acknowledged=True)
    assert kept.acknowledged_by == "tester"
    assert run(baker, "2002-07-08")[0].acknowledged


def test_acknowledging_twice_or_an_unknown_alert_is_refused(baker):
    [flagged] = run(baker, "2002-07-05")
    acknowledge(baker, flagged.alert_id)
    with pytest.raises(ServiceError, match=r"already acknowledged by tester at \d{4}-"):
        acknowledge(baker, flagged.alert_id)
    with pytest.raises(NotFound, match="alert = 999: no such alert"):
        acknowledge(baker, 999)


def test_a_paid_installment_is_no_longer_flagged_but_its_alerts_stay(baker):
    run(baker, "2002-07-05")
    [owed] = find_due(baker, day("2002-07-08")).flags  # principal and five days' interest
    assert owed.owed == usd("66090.41")
    events.record_payment(baker, BAKER, day("2002-07-08"), owed.owed, 1)
    assert run(baker, "2002-07-09") == []
    assert len(list_alerts(baker)) == 1


@pytest.mark.parametrize("table", ["alert", "alert_notice", "alert_ack"])
def test_alert_rows_cannot_be_changed_or_deleted(baker, table):
    [flagged] = run(baker, "2002-07-05")
    mark_notified(baker, [flagged.alert_id], ["hr@example.com"])
    acknowledge(baker, flagged.alert_id)
    for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
        with pytest.raises(Exception, match="append-only"), baker.db.engine.begin() as c:
            c.execute(text(statement))
