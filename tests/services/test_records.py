"""The services on SQLite and PostgreSQL: what HR records, what the engine then says.

Every test runs on both databases (the ``ctx`` fixture). Figures are the Baker agreement's
(Exhibit 10.12), derived in tests/domain/test_worked_examples.py.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import Row, Table, func, select, text
from support import BAKER, BAKER_FILE, BAKER_NAME, HECLA, SCENARIOS, day, usd, write_terms

from comp_tracker.domain import (
    AgreementError,
    Installment,
    Payment,
    Status,
    Termination,
    TerminationReason,
    compute_schedule,
    load_agreement,
    schedule_to_dict,
)
from comp_tracker.services.agreements import creating
from comp_tracker.services.agreements import importing as agreements
from comp_tracker.services.agreements import reading as queries
from comp_tracker.services.agreements.history import history as history_of
from comp_tracker.services.context import Context, NotFound, ServiceError
from comp_tracker.services.events import recording as events
from comp_tracker.storage import tables as t

WITHOUT_CAUSE = TerminationReason.WITHOUT_CAUSE
GRANITE = "Granite Ridge Minerals Corp."


def count(ctx: Context, table: Table) -> int:
    with ctx.db.read() as session:
        return session.execute(select(func.count()).select_from(table)).scalar_one()


def audit_rows(ctx: Context) -> list[Row[Any]]:
    with ctx.db.read() as session:
        return list(session.execute(select(t.AUDIT_LOG).order_by(t.AUDIT_LOG.c.id)))


@pytest.fixture
def baker(ctx):
    agreements.import_files(ctx, [BAKER_FILE])
    return ctx


@pytest.mark.parametrize(
    "path", [BAKER_FILE, *sorted(SCENARIOS.glob("*.toml"))], ids=lambda p: p.stem
)
@pytest.mark.parametrize("as_of", ["2002-03-31", "2002-07-31", "2002-09-30", "2003-02-01"])
def test_a_stored_agreement_has_the_schedule_of_its_file(ctx, path, as_of):
    agreements.import_files(ctx, [path])
    file = load_agreement(path)
    stored = queries.show(ctx, BAKER, day(as_of))
    assert schedule_to_dict(stored) == schedule_to_dict(
        compute_schedule(file.terms, file.events, day(as_of))
    )


def test_importing_the_same_file_twice_changes_nothing(baker):
    tables = (t.AGREEMENT, t.EVENT, t.AUDIT_LOG, t.TERMS_REVISION)
    before = [count(baker, table) for table in tables]
    [result] = agreements.import_files(baker, [BAKER_FILE])
    assert result.outcome == "unchanged"
    after = [count(baker, table) for table in tables]
    assert after == before


def test_a_changed_file_is_refused_with_the_difference(baker):
    with pytest.raises(ServiceError) as refused:
        agreements.import_files(baker, [SCENARIOS / "baker-paid-then-terminated.toml"])
    message = refused.value.message
    assert "+ payment 2002-07-01 66000.00 to installment 1" in message
    assert "+ termination 2002-09-16 without_cause" in message
    assert "--amend" in message
    assert count(baker, t.EVENT) == 0


def test_amend_records_the_difference_without_rewriting(baker, tmp_path):
    events.record_payment(baker, BAKER, day("2002-07-02"), usd("66000.00"), 1)
    # The file says the payment was on 2002-07-01 and the expiry a month later.
    text_ = (SCENARIOS / "baker-paid-then-terminated.toml").read_text()
    changed = tmp_path / "baker.toml"
    changed.write_text(text_.replace("expires = 2003-01-07", "expires = 2003-02-07"))
    [result] = agreements.import_files(baker, [changed], amend=True)
    assert result.outcome == "amended"
    assert "expires 2003-01-07 -> 2003-02-07" in result.changes
    assert "- payment 2002-07-02 66000.00 to installment 1" in result.changes
    assert "+ payment 2002-07-01 66000.00 to installment 1" in result.changes
    history = history_of(baker, BAKER)
    payments = [e for e in history.events if e.kind == "payment"]
    assert [(p.date, p.voided) for p in payments] == [
        (day("2002-07-01"), False),
        (day("2002-07-02"), True),
    ]
    assert count(baker, t.TERMS_REVISION) == 2
    schedule = queries.show(baker, BAKER, day("2002-09-30"))
    assert schedule.terms.expires == day("2003-02-07")
    assert schedule.installments[1].accelerated
    assert agreements.import_files(baker, [changed])[0].outcome == "unchanged"


def test_payment_figures_and_audit(baker):
    recorded = events.record_payment(baker, BAKER, day("2002-07-10"), usd("66000.00"), 1)
    [after] = recorded.schedules
    first = after.installments[0]
    # Paid 7 days after the deadline (2002-07-03): 66,000 x 10% x 7/365 = 126.58 interest first.
    assert first.interest_paid == usd("126.58")
    assert first.principal_outstanding == usd("126.58")
    [_, audit] = audit_rows(baker)
    assert (audit.actor, audit.action, audit.event_id) == ("tester", "pay", recorded.event_id)
    assert audit.at.tzinfo is not None
    before = json.loads(audit.before)
    assert before["installments"][0]["paid"] == "0.00"
    assert json.loads(audit.after)["installments"][0]["paid"] == "65873.42"


def test_recorded_at_is_kept_apart_from_the_date(ctx):
    moment = dt.datetime(2026, 3, 2, 14, 30, tzinfo=dt.UTC)
    fixed = Context(ctx.db, "payroll", clock=lambda: moment)
    agreements.import_files(fixed, [BAKER_FILE])
    events.record_payment(fixed, BAKER, day("2002-07-01"), usd("66000.00"), 1)
    [entry] = history_of(fixed, BAKER).events
    assert entry.date == day("2002-07-01")
    assert entry.recorded_at == moment
    assert entry.recorded_by == "payroll"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"date": "2002-07-01", "amount": "66000.01", "installment": 1},
            "payment.amount = 66000.01: overpayment: only 66000.00 is owed on installment 1",
        ),
        ({"date": "2002-07-01", "amount": "0.00"}, "amount = 0.00: must be a positive amount"),
        ({"date": "2002-07-01", "amount": "1.005"}, "amount = 1.005: must have at most two"),
        ({"date": "2001-11-05", "amount": "10.00"}, "payment.date = 2001-11-05: is before"),
        (
            {"date": "2002-07-01", "amount": "10.00", "installment": 3},
            "payment.installment = 3: no such installment",
        ),
    ],
)
def test_bad_payments_are_refused_and_nothing_is_written(baker, kwargs, message):
    with pytest.raises(AgreementError) as refused:
        events.record_payment(
            baker, BAKER, day(kwargs["date"]), usd(kwargs["amount"]), kwargs.get("installment")
        )
    assert refused.value.message.startswith(message)
    assert (count(baker, t.EVENT), count(baker, t.AUDIT_LOG)) == (0, 1)


def test_payment_to_a_forfeited_installment_is_refused(baker):
    events.record_termination(baker, BAKER_NAME, day("2002-06-28"), TerminationReason.RESIGNATION)
    with pytest.raises(AgreementError, match="installment 1 was forfeited on 2002-06-28"):
        events.record_payment(baker, BAKER, day("2002-07-01"), usd("66000.00"), 1)


def test_unknown_ids_are_named(baker):
    with pytest.raises(NotFound, match='agreement = "no-such-id": no such agreement'):
        events.record_payment(baker, "no-such-id", day("2002-07-01"), usd("1.00"))
    with pytest.raises(NotFound, match='employee = "Nobody": no such employee'):
        events.record_termination(baker, "Nobody", day("2002-07-01"), WITHOUT_CAUSE)
    with pytest.raises(NotFound, match=r'company = "Nowhere Inc\.": no such company'):
        events.record_change_in_control(baker, "Nowhere Inc.", day("2002-07-01"))
    with pytest.raises(NotFound, match="event = 99: no such event"):
        events.void_event(baker, 99, "typo")


def test_a_termination_applies_to_all_of_the_employees_agreements(ctx, tmp_path):
    first = write_terms(tmp_path / "a.toml", "granite-okafor-2021", "Dana Okafor")
    second = write_terms(
        tmp_path / "b.toml", "granite-okafor-2021b", "Dana Okafor", amounts=("20000.00",)
    )
    other = write_terms(tmp_path / "c.toml", "granite-lindqvist-2021", "Ines Lindqvist")
    agreements.import_files(ctx, [first, second, other])
    recorded = events.record_termination(ctx, "Dana Okafor", day("2022-03-15"), WITHOUT_CAUSE)
    assert sorted(s.terms.id for s in recorded.schedules) == [
        "granite-okafor-2021",
        "granite-okafor-2021b",
    ]
    for key in ("granite-okafor-2021", "granite-okafor-2021b"):
        schedule = queries.show(ctx, key, day("2022-03-31"))
        assert all(i.accelerated and i.due == day("2022-03-15") for i in schedule.installments)
    untouched = queries.show(ctx, "granite-lindqvist-2021", day("2022-03-31"))
    assert not any(i.accelerated for i in untouched.installments)
    # One audit record, on the employee, shown in each of their agreements' histories.
    assert [a.action for a in history_of(ctx, "granite-okafor-2021b").audit] == [
        "terminate",
        "import",
    ]


def test_termination_mistakes_are_refused(baker):
    with pytest.raises(AgreementError, match="before the effective date of every agreement"):
        events.record_termination(baker, BAKER_NAME, day("2001-11-05"), WITHOUT_CAUSE)
    events.record_termination(baker, BAKER_NAME, day("2002-09-16"), WITHOUT_CAUSE)
    with pytest.raises(AgreementError, match="already has a termination on 2002-09-16"):
        events.record_termination(baker, BAKER_NAME, day("2002-10-01"), WITHOUT_CAUSE)
    assert count(baker, t.EVENT) == 1


def test_a_termination_that_would_undo_a_payment_is_refused(baker):
    events.record_payment(baker, BAKER, day("2002-12-31"), usd("132000.00"), 2)
    # Resigning before 2002-12-31 would forfeit installment 2, which was paid on that date.
    with pytest.raises(AgreementError, match="forfeited"):
        events.record_termination(
            baker, BAKER_NAME, day("2002-06-28"), TerminationReason.RESIGNATION
        )


def test_a_change_in_control_ends_the_companys_agreements_in_force(ctx, tmp_path):
    early = write_terms(tmp_path / "a.toml", "granite-okafor-2021", "Dana Okafor")
    late = tmp_path / "b.toml"
    late.write_text(
        early.read_text()
        .replace("granite-okafor-2021", "granite-achebe-2023")
        .replace("Dana Okafor", "Tomas Achebe")
        .replace("2021-11-01", "2023-01-02")
        .replace("2022-06-30", "2023-06-30")
        .replace("2022-12-30", "2023-12-29")
        .replace("2023-01-09", "2024-01-08")
    )
    agreements.import_files(ctx, [early, late])
    recorded = events.record_change_in_control(ctx, GRANITE, day("2022-08-01"))
    assert [s.terms.id for s in recorded.schedules] == ["granite-okafor-2021"]
    ended = queries.show(ctx, "granite-okafor-2021", day("2022-09-01"))
    assert ended.installments[1].status is Status.FORFEITED
    assert ended.ends_on == day("2022-08-01")
    later = queries.show(ctx, "granite-achebe-2023", day("2023-07-01"))
    assert later.installments[0].status is Status.DUE
    with pytest.raises(AgreementError, match="already has a change in control"):
        events.record_change_in_control(ctx, GRANITE, day("2022-09-01"))


def test_amendments(baker):
    events.record_amendment(
        baker,
        BAKER,
        day("2002-10-01"),
        expires=day("2003-07-07"),
        installments=[Installment(day("2003-06-30"), usd("132000.00"))],
    )
    schedule = queries.show(baker, BAKER, day("2003-01-10"))
    assert schedule.terms.expires == day("2003-07-07")
    assert schedule.installments[1].due == day("2003-06-30")
    assert schedule.installments[1].status is Status.SCHEDULED
    with pytest.raises(AgreementError, match="never rewrites what was already due"):
        events.record_amendment(
            baker,
            BAKER,
            day("2002-11-01"),
            installments=[Installment(day("2002-10-15"), usd("1000.00"))],
        )


def test_void_and_re_record(baker):
    wrong = events.record_payment(baker, BAKER, day("2002-07-01"), usd("6600.00"), 1)
    events.void_event(baker, wrong.event_id, "typed 6,600 for 66,000")
    events.record_payment(baker, BAKER, day("2002-07-01"), usd("66000.00"), 1)
    schedule = queries.show(baker, BAKER, day("2002-07-31"))
    assert schedule.installments[0].status is Status.PAID
    history = history_of(baker, BAKER)
    assert [(e.amount, e.void and e.void.reason) for e in history.events] == [
        (usd("66000.00"), None),
        (usd("6600.00"), "typed 6,600 for 66,000"),
    ]
    assert [a.action for a in history.audit] == ["pay", "void", "pay", "import"]
    with pytest.raises(AgreementError, match=f"event = {wrong.event_id}: already voided"):
        events.void_event(baker, wrong.event_id, "again")
    with pytest.raises(AgreementError, match="say why"):
        events.void_event(baker, wrong.event_id + 1, "  ")


def test_voiding_an_amendment_that_later_payments_rely_on_is_refused(baker):
    amendment = events.record_amendment(
        baker,
        BAKER,
        day("2002-10-01"),
        installments=[Installment(day("2002-11-29"), usd("150000.00"))],
    )
    events.record_payment(baker, BAKER, day("2002-11-29"), usd("150000.00"), 2)
    with pytest.raises(AgreementError, match="overpayment"):
        events.void_event(baker, amendment.event_id, "never signed")


def test_clone_makes_substantially_identical_agreements(baker):
    made = creating.clone_agreement(baker, BAKER, ["Dana Okafor", "Ines Lindqvist"])
    assert [r.agreement for r in made] == [f"{BAKER}-dana-okafor", f"{BAKER}-ines-lindqvist"]
    template = queries.show(baker, BAKER, day("2002-07-31"))
    for result, name in zip(made, ["Dana Okafor", "Ines Lindqvist"], strict=True):
        clone = queries.show(baker, result.agreement, day("2002-07-31"))
        assert clone.terms.employee == name
        assert clone.terms.company == HECLA
        assert clone.installments == template.installments
    with baker.db.read() as session:
        links = session.execute(
            text("SELECT a.key, t.key FROM agreement a JOIN agreement t ON a.template_id = t.id")
        ).all()
    assert sorted(links) == [(r.agreement, BAKER) for r in made]
    with pytest.raises(AgreementError, match="already has this agreement"):
        creating.clone_agreement(baker, BAKER, ["Dana Okafor"])
    with pytest.raises(AgreementError, match="has no letters a-z or digits"):
        creating.clone_agreement(baker, BAKER, ["!!!"])  # once made the id "...-retention-"


def test_export_then_import_gives_the_same_schedule(ctx, tmp_path):
    agreements.import_files(ctx, [SCENARIOS / "baker-paid-then-terminated.toml"])
    events.record_amendment(ctx, BAKER, day("2002-09-01"), expires=day("2003-03-31"))
    exported = tmp_path / "exported.toml"
    exported.write_text(queries.export_agreement(ctx, BAKER))
    assert agreements.import_files(ctx, [exported])[0].outcome == "unchanged"
    file = load_agreement(exported)
    for as_of in ("2002-07-31", "2002-09-30", "2003-04-01"):
        assert schedule_to_dict(
            compute_schedule(file.terms, file.events, day(as_of))
        ) == schedule_to_dict(queries.show(ctx, BAKER, day(as_of)))


def test_as_recorded_at_reads_the_records_as_they_stood(ctx):
    clock = iter(dt.datetime(2002, month, 1, tzinfo=dt.UTC) for month in (7, 8, 10, 11))
    timed = Context(ctx.db, "tester", clock=lambda: next(clock))
    agreements.import_files(timed, [BAKER_FILE])  # recorded 2002-07-01
    wrong = events.record_payment(timed, BAKER, day("2002-07-01"), usd("6600.00"), 1)  # 08-01
    events.void_event(timed, wrong.event_id, "typo")  # 2002-10-01
    events.record_payment(timed, BAKER, day("2002-07-01"), usd("66000.00"), 1)  # 2002-11-01
    as_of = day("2002-09-30")
    filed = queries.show(ctx, BAKER, as_of, as_recorded_at=dt.datetime(2002, 9, 1, tzinfo=dt.UTC))
    assert filed.installments[0].principal_paid == usd("6600.00")
    restated = queries.show(ctx, BAKER, as_of)
    assert restated.installments[0].principal_paid == usd("66000.00")
    with pytest.raises(NotFound, match="was not yet recorded"):
        queries.show(ctx, BAKER, as_of, as_recorded_at=dt.datetime(2002, 6, 1, tzinfo=dt.UTC))


def test_a_stale_form_is_refused(baker):
    with baker.db.read() as session:
        version = session.execute(select(t.AGREEMENT.c.version)).scalar_one()
    events.record_payment(
        baker, BAKER, day("2002-07-01"), usd("1000.00"), 1, expected_version=version
    )
    with pytest.raises(ServiceError, match="changed by someone else"):
        events.record_payment(
            baker, BAKER, day("2002-07-01"), usd("1000.00"), 1, expected_version=version
        )


def test_list_and_status(ctx, tmp_path):
    agreements.import_files(
        ctx, [BAKER_FILE, write_terms(tmp_path / "a.toml", "granite-okafor", "Dana Okafor")]
    )
    events.record_payment(ctx, "granite-okafor", day("2022-06-30"), usd("50000.00"), 1)
    lines = queries.list_agreements(ctx, day("2002-07-31"))
    assert [(line.agreement, line.standing.status) for line in lines] == [
        ("granite-okafor", "active"),
        (BAKER, "overdue"),
    ]
    assert lines[1].standing.interest_outstanding == usd("506.30")
    overdue = queries.list_agreements(ctx, day("2023-02-01"), status="overdue")
    assert [line.agreement for line in overdue] == ["granite-okafor", BAKER]
    events.record_payment(ctx, "granite-okafor", day("2022-12-30"), usd("100000.00"), 2)
    assert queries.list_agreements(ctx, day("2023-02-01"), status="ended") == [
        line for line in queries.list_agreements(ctx, day("2023-02-01"), company=GRANITE)
    ]
    ended = queries.list_agreements(ctx, day("2003-02-01"), status="ended", company=GRANITE)
    assert ended == []
    assert [
        line.agreement
        for line in queries.list_agreements(ctx, day("2003-02-01"), employee=BAKER_NAME)
    ] == [BAKER]
    with pytest.raises(ServiceError, match='status = "late": must be one of'):
        queries.list_agreements(ctx, day("2003-02-01"), status="late")


def test_events_recorded_together_are_all_written_or_none(ctx):
    """The what-if's "record these": a payment and a termination in one transaction; if the
    last is refused, the payment before it is not written either."""
    agreements.import_files(ctx, [BAKER_FILE])
    payment = Payment(day("2002-07-01"), usd("66000.00"), 1)
    too_early = Termination(day("2001-01-01"), TerminationReason.WITHOUT_CAUSE)
    with pytest.raises(AgreementError):
        events.record_events(ctx, BAKER, [payment, too_early])
    assert history_of(ctx, BAKER).events == ()

    termination = Termination(day("2002-09-16"), TerminationReason.WITHOUT_CAUSE)
    recorded = events.record_events(ctx, BAKER, [payment, termination])
    kinds = {e.id: e.kind for e in history_of(ctx, BAKER).events}
    assert [kinds[r.event_id] for r in recorded] == ["payment", "termination"]
    second = queries.show(ctx, BAKER, day("2002-09-30")).installments[1]
    assert (second.due, second.interest_outstanding) == (day("2002-09-16"), usd("397.81"))
    assert [a.action for a in history_of(ctx, BAKER).audit][:2] == ["terminate", "pay"]
