"""A dry run is the write without the commit: drawn agreements, recorded events, proposed changes.

For each write command (payment, termination, change in control, amendment, void, clone,
import), Hypothesis
draws an agreement with events (imported as a file would be; sometimes a second agreement of the
same person), a proposed change (often one the records refuse), and an as-of date. Then:

* the dry run (``plan_*``) refuses exactly when the write (``record_*``) refuses, with the same
  message, and a refused write leaves the database as it was;
* after an accepted write, ``show`` of each agreement changed equals the dry run's schedule.

300 examples per command (``slow``: the fast lane leaves it out; the full suite runs it).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from strategies import as_of_dates, cents, event_dates, events_strategy, is_valid, terms_strategy

from comp_tracker.domain import (
    AgreementError,
    Event,
    Installment,
    Schedule,
    TerminationReason,
    Terms,
    dump_agreement,
    schedule_to_dict,
)
from comp_tracker.services.agreements import creating
from comp_tracker.services.agreements import importing as agreements
from comp_tracker.services.agreements import reading as queries
from comp_tracker.services.agreements.history import history as history_of
from comp_tracker.services.context import Context, ServiceError
from comp_tracker.services.events import recording as events
from comp_tracker.storage import tables as t
from comp_tracker.storage.database import open_database

pytestmark = pytest.mark.slow

EXAMPLES = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
_serial = itertools.count(1)


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    """One database for all the examples: each example brings agreements of its own."""
    database = open_database(f"sqlite:///{tmp_path_factory.mktemp('dry-run') / 'records.db'}")
    yield Context(database, "tester")
    database.dispose()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("files")


def _footprint(ctx: Context) -> tuple[int, ...]:
    with ctx.db.read() as session:
        return tuple(
            session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (t.EVENT, t.VOID, t.AUDIT_LOG, t.TERMS_REVISION, t.AGREEMENT)
        ) + tuple(
            session.execute(select(t.AGREEMENT.c.version).order_by(t.AGREEMENT.c.id)).scalars()
        )


@st.composite
def stored(draw: st.DrawFn) -> tuple[Terms, list[Event], Terms | None]:
    """Terms with a valid set of events, under names no other example uses; sometimes a second
    agreement of the same employee, without events."""
    terms = draw(terms_strategy())
    number = next(_serial)
    terms = replace(
        terms,
        id=f"a{number}",
        company=f"{terms.company} {number}",
        employee=f"{terms.employee} {number}",
    )
    recorded = draw(events_strategy(terms))
    assume(is_valid(terms, recorded))
    second = None
    if draw(st.integers(0, 3)) == 0:
        other = draw(terms_strategy())
        second = replace(other, id=f"a{number}-b", company=terms.company, employee=terms.employee)
    return terms, recorded, second


def _import(
    ctx: Context, folder, terms: Terms, recorded: list[Event], second: Terms | None
) -> None:
    paths = []
    for item, item_events in ((terms, recorded), (second, [])):
        if item is None:
            continue
        path = folder / f"{item.id}.toml"
        path.write_text(dump_agreement(item, item_events), encoding="utf-8")
        paths.append(path)
    agreements.import_files(ctx, paths)


def _outcome(call: Callable[[], Any]) -> tuple[Any, str | None]:
    """(what ``call`` answered, None), or (None, the refusal's message)."""
    try:
        return call(), None
    except (AgreementError, ServiceError) as refused:
        return None, refused.message


@dataclass(frozen=True)
class _Created:
    """A clone's or an import's answer in the shape of a plan's: the schedules it makes."""

    schedules: tuple[Schedule, ...]
    errors: tuple[AgreementError, ...] = ()


def _same(ctx: Context, dry, write, as_of: dt.date, shown_after=None) -> None:
    before = _footprint(ctx)
    planned, dry_message = _outcome(dry)
    if planned is not None and planned.errors:
        dry_message = planned.errors[0].message
        planned = None
    recorded, write_message = _outcome(write)
    assert dry_message == write_message
    event("refused" if write_message is not None else "recorded")
    if write_message is not None:
        assert _footprint(ctx) == before, "a refused write changed the database"
        return
    assert recorded is not None
    assert planned is not None
    if shown_after is None and isinstance(recorded, _Created):
        shown_after = lambda written: written.schedules  # noqa: E731 - read after the write
    if shown_after is not None:
        after = shown_after(recorded)
    else:
        after = tuple(queries.show(ctx, s.terms.id, as_of) for s in recorded.schedules)
    assert [schedule_to_dict(s) for s in after] == [schedule_to_dict(s) for s in planned.schedules]


@EXAMPLES
@given(data=st.data(), agreement=stored())
def test_pay(ctx, folder, data, agreement):
    terms, recorded, second = agreement
    _import(ctx, folder, terms, recorded, second)
    date = data.draw(event_dates(terms))
    total = int(sum(i.amount for i in terms.installments) * 100)
    amount = data.draw(cents(1, total + 100))
    installment = data.draw(st.none() | st.integers(0, len(terms.installments) + 1))
    as_of = data.draw(as_of_dates(terms))
    _same(
        ctx,
        lambda: events.plan_payment(ctx, terms.id, date, amount, installment, today=as_of),
        lambda: events.record_payment(ctx, terms.id, date, amount, installment),
        as_of,
    )


@EXAMPLES
@given(data=st.data(), agreement=stored())
def test_terminate(ctx, folder, data, agreement):
    terms, recorded, second = agreement
    _import(ctx, folder, terms, recorded, second)
    date = data.draw(
        st.dates(min_value=terms.effective - dt.timedelta(days=30), max_value=terms.expires)
    )
    reason = data.draw(st.sampled_from(TerminationReason))
    as_of = data.draw(as_of_dates(terms))
    _same(
        ctx,
        lambda: events.plan_termination(
            ctx, terms.employee, date, reason, company=terms.company, today=as_of
        ),
        lambda: events.record_termination(ctx, terms.employee, date, reason, company=terms.company),
        as_of,
    )


@EXAMPLES
@given(data=st.data(), agreement=stored())
def test_change_in_control(ctx, folder, data, agreement):
    terms, recorded, second = agreement
    _import(ctx, folder, terms, recorded, second)
    date = data.draw(
        st.dates(min_value=terms.effective - dt.timedelta(days=30), max_value=terms.expires)
    )
    as_of = data.draw(as_of_dates(terms))
    _same(
        ctx,
        lambda: events.plan_change_in_control(ctx, terms.company, date, today=as_of),
        lambda: events.record_change_in_control(ctx, terms.company, date),
        as_of,
    )


@EXAMPLES
@given(data=st.data(), agreement=stored())
def test_amend(ctx, folder, data, agreement):
    terms, recorded, second = agreement
    _import(ctx, folder, terms, recorded, second)
    date = data.draw(st.dates(min_value=terms.effective, max_value=terms.expires))
    expires = data.draw(
        st.none()
        | st.dates(
            min_value=date - dt.timedelta(days=10), max_value=date + dt.timedelta(days=3 * 365)
        )
    )
    installments = data.draw(
        st.none()
        | st.lists(
            st.builds(
                Installment,
                st.dates(
                    min_value=date - dt.timedelta(days=5),
                    max_value=date + dt.timedelta(days=2 * 365),
                ),
                cents(100_00, 200_000_00),
            ),
            max_size=3,
        )
    )
    as_of = data.draw(as_of_dates(terms))
    _same(
        ctx,
        lambda: events.plan_amendment(
            ctx, terms.id, date, expires=expires, installments=installments, today=as_of
        ),
        lambda: events.record_amendment(
            ctx, terms.id, date, expires=expires, installments=installments
        ),
        as_of,
    )


@EXAMPLES
@given(data=st.data(), agreement=stored())
def test_void(ctx, folder, data, agreement):
    terms, recorded, second = agreement
    _import(ctx, folder, terms, recorded, second)
    ids = [e.id for e in history_of(ctx, terms.id).events]
    if ids and data.draw(st.booleans()):  # sometimes one already voided
        # Refused when a later event needs it (a payment only it made possible): then not.
        with contextlib.suppress(AgreementError):
            events.void_event(ctx, data.draw(st.sampled_from(ids)), "voided first")
    event_id = data.draw(st.sampled_from([*ids, 10**9]))
    reason = data.draw(st.sampled_from(["recorded against the wrong person", " ", ""]))
    as_of = data.draw(as_of_dates(terms))
    _same(
        ctx,
        lambda: events.plan_void(ctx, event_id, reason, today=as_of),
        lambda: events.void_event(ctx, event_id, reason),
        as_of,
    )


@EXAMPLES
@given(data=st.data(), agreement=stored())
def test_clone(ctx, folder, data, agreement):
    terms, recorded, second = agreement
    _import(ctx, folder, terms, recorded, second)
    good = st.lists(
        st.sampled_from(["Dana Okafor", "Ines Lindqvist", "Ola Nordmann"]),
        unique=True,
        min_size=1,
        max_size=3,
    )
    any_name = st.sampled_from(
        ["Dana Okafor", "Ines Lindqvist", "!!!", " ", terms.employee, "dana okafor"]
    )
    names = data.draw(good | good | st.lists(any_name, max_size=3))
    if data.draw(st.integers(0, 3)) == 0:  # sometimes a clone already made
        with contextlib.suppress(AgreementError):
            creating.clone_agreement(ctx, terms.id, ["Dana Okafor"])
    as_of = data.draw(as_of_dates(terms))

    def dry():
        planned = creating.plan_clone(ctx, terms.id, names)
        planned.refuse()
        return _Created(planned.schedules(as_of))

    def write():
        made = creating.clone_agreement(ctx, terms.id, names)
        return _Created(tuple(queries.show(ctx, r.agreement, as_of) for r in made))

    _same(ctx, dry, write, as_of)


@EXAMPLES
@given(data=st.data(), agreement=stored(), change=stored())
def test_import(ctx, folder, data, agreement, change):
    terms, recorded, _ = agreement
    if data.draw(st.booleans()):  # the agreement is stored already; the file may differ
        _import(ctx, folder, terms, recorded, None)
        other, other_events, _ = change
        if data.draw(st.booleans()):
            terms = replace(other, id=terms.id, company=terms.company, employee=terms.employee)
            recorded = [e for e in other_events if e.date >= terms.effective]
        elif data.draw(st.booleans()):
            recorded = recorded[:-1]
    path = folder / f"{terms.id}-import.toml"
    path.write_text(dump_agreement(terms, recorded), encoding="utf-8")
    amend = data.draw(st.booleans())
    as_of = data.draw(as_of_dates(terms))

    def dry():
        return _Created(agreements.plan_import(ctx, [path], amend=amend, today=as_of).schedules)

    def write():
        done = agreements.import_files(ctx, [path], amend=amend)
        keys = [r.agreement for r in done if r.outcome != "unchanged"]
        return _Created(tuple(queries.show(ctx, key, as_of) for key in keys))

    _same(ctx, dry, write, as_of, shown_after=lambda written: written.schedules)
