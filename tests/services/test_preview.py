"""The previews of the event forms (services/events/preview.py): what a payment, a termination, a
change in control or an amendment would do, from the stored records with the event added, refusing
what the services refuse, writing nothing. SQLite only: the previews read through the same loading
code the services tests run on both databases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from support import BAKER, BAKER_NAME, HECLA, day, usd

from comp_tracker.domain import AgreementError, Installment, Status, TerminationReason
from comp_tracker.domain.inputs import read_amount
from comp_tracker.domain.standing import owed
from comp_tracker.services.agreements import reading as queries
from comp_tracker.services.agreements.history import history as history_of
from comp_tracker.services.context import Context, NotFound
from comp_tracker.services.demo import load_samples
from comp_tracker.services.events import recording as events
from comp_tracker.services.events.choices import (
    amendment_choices,
    change_in_control_choices,
    payment_choices,
    termination_choices,
)
from comp_tracker.services.events.preview import (
    preview_amendment,
    preview_change_in_control,
    preview_payment,
    preview_termination,
)
from comp_tracker.services.words import REASON_NAMES
from comp_tracker.storage.database import open_database


@pytest.fixture
def sample(tmp_path) -> Iterator[Context]:
    """The sample agreements in a fresh SQLite database."""
    db = open_database(f"sqlite:///{tmp_path / 'preview.db'}")
    context = Context(db, "hr", clock=lambda: dt.datetime(2002, 10, 1, 9, tzinfo=dt.UTC))
    load_samples(context)
    yield context
    db.dispose()


def written(context: Context) -> int:
    return len(history_of(context, BAKER).events)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("66000", "66000"),
        ("66000.00", "66000.00"),
        ("66,000.00", "66000.00"),
        (" $1,234.5 ", "1234.5"),
        ("1,234,567.89", "1234567.89"),
    ],
)
def test_amounts_as_people_type_them(text, value):
    assert read_amount(text) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "amount: required: write it like 66000.00"),
        ("66,00", 'amount = "66,00": not an amount: write it like 66000.00 or 66,000.00'),
        ("6,6000.00", 'amount = "6,6000.00": not an amount: write it like 66000.00 or 66,000.00'),
        ("1e3", 'amount = "1e3": not an amount: write it like 66000.00 or 66,000.00'),
        ("-5", "amount = -5: must be a positive amount"),
        ("1.234", "amount = 1.234: must have at most two decimals"),
    ],
)
def test_what_is_not_an_amount(text, message):
    with pytest.raises(AgreementError) as caught:
        read_amount(text)
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("date", "interest"),
    [("2002-07-03", "0.00"), ("2002-07-05", "36.16"), ("2002-09-30", "1609.32")],
    ids=["on-the-deadline", "two-days-late", "quarter-end"],
)
def test_payment_choices_propose_the_oldest_installment_and_all_it_owes(sample, date, interest):
    choices = payment_choices(sample, BAKER, day(date))
    assert choices.default_installment == 1
    assert choices.owed(1) == usd("66000.00") + usd(interest)
    assert choices.owed(1) == owed(queries.show(sample, BAKER, day(date)).installments[0])
    assert choices.owed(None) == choices.owed(1) + usd("132000.00")


def test_a_payment_preview_applies_interest_first_and_writes_nothing(sample):
    preview = preview_payment(
        sample, BAKER, day("2002-07-05"), usd("66036.16"), 1, as_of=day("2002-09-30")
    )
    [part] = preview.applied.allocations
    assert (part.installment, part.interest, part.principal) == (1, usd("36.16"), usd("66000.00"))
    assert preview.owed_before == usd("66036.16")
    assert preview.owed_after == usd("0.00")
    assert preview.after.installments[0].status is Status.PAID
    assert preview.later is not None
    assert preview.later.principal_outstanding == usd("132000.00")
    assert written(sample) == 0


def test_a_payment_preview_refuses_what_recording_refuses(sample):
    with pytest.raises(AgreementError) as caught:
        preview_payment(sample, BAKER, day("2002-07-05"), usd("70000.00"), 1)
    assert caught.value.field == "payment.amount"
    with pytest.raises(AgreementError) as caught:
        preview_payment(sample, BAKER, day("2001-07-05"), usd("100.00"), 1)
    assert caught.value.field == "payment.date"
    events.record_termination(sample, BAKER_NAME, day("2002-09-16"), TerminationReason.RESIGNATION)
    with pytest.raises(AgreementError) as caught:
        preview_payment(sample, BAKER, day("2002-10-01"), usd("100.00"), 2)
    assert caught.value.field == "payment.installment"
    with pytest.raises(NotFound):
        payment_choices(sample, "no-such-agreement", day("2002-07-05"))


def test_termination_choices_say_which_reasons_accelerate(sample):
    choices = termination_choices(sample, BAKER)
    assert (choices.employee, choices.company, choices.calendar) == (BAKER_NAME, HECLA, "US")
    assert [a.agreement for a in choices.agreements] == [BAKER]
    effects = {REASON_NAMES[r]: choices.reason_effect(r) for r in TerminationReason}
    assert effects == {
        "Without cause": "accelerates",
        "Resignation for good reason": "forfeits",  # the Hecla agreement has no such clause
        "Resignation": "forfeits",
        "Death": "forfeits",
        "Total and permanent disability": "forfeits",
        "For cause": "forfeits",
        "Gross malfeasance or nonfeasance": "forfeits",
        "Refusal to follow the Board's directions": "forfeits",
        "Felony conviction": "forfeits",
    }


@pytest.mark.parametrize(
    ("reason", "outcome", "due", "deadline", "forfeited"),
    [
        (TerminationReason.WITHOUT_CAUSE, "accelerated", "2002-09-16", "2002-09-19", "0.00"),
        (TerminationReason.RESIGNATION, "forfeited", "2002-12-31", "2003-01-06", "132000.00"),
    ],
    ids=["without-cause", "resignation"],
)
def test_a_termination_preview(sample, reason, outcome, due, deadline, forfeited):
    preview = preview_termination(
        sample, BAKER_NAME, day("2002-09-16"), reason, company=HECLA, as_of=day("2002-09-30")
    )
    [effect] = preview.effects
    assert effect.accelerates is (reason is TerminationReason.WITHOUT_CAUSE)
    first, second = effect.changes
    assert first.outcome == "unchanged"
    assert second.outcome == outcome
    assert (second.after.due, second.after.deadline) == (day(due), day(deadline))
    assert effect.forfeited == usd(forfeited)
    assert (effect.before.ends_on, effect.after.ends_on) == (day("2003-01-07"), day("2002-09-20"))
    assert effect.later is not None
    assert written(sample) == 0


def test_a_second_termination_or_change_in_control_is_refused(sample):
    events.record_termination(sample, BAKER_NAME, day("2002-08-01"), TerminationReason.DEATH)
    events.record_change_in_control(sample, HECLA, day("2002-08-01"))
    with pytest.raises(AgreementError, match="already has a termination on 2002-08-01"):
        preview_termination(sample, BAKER_NAME, day("2002-09-16"), TerminationReason.DEATH)
    with pytest.raises(AgreementError, match="already has a change in control on 2002-08-01"):
        preview_change_in_control(sample, HECLA, day("2002-09-16"))


def test_a_change_in_control_preview_lists_every_agreement(sample):
    assert change_in_control_choices(sample, HECLA).agreements == 1
    preview = preview_change_in_control(sample, HECLA, day("2002-09-30"))
    [effect] = preview.effects
    assert effect.agreement == BAKER
    assert effect.accelerates is None
    assert [c.outcome for c in effect.changes] == ["unchanged", "forfeited"]
    assert effect.forfeited == usd("132000.00")
    assert effect.after.ends_on == day("2002-09-30")
    with pytest.raises(AgreementError) as caught:
        preview_change_in_control(sample, HECLA, day("2001-01-02"))
    assert caught.value.field == "change_in_control.date"
    with pytest.raises(NotFound):
        change_in_control_choices(sample, "No Such Company")
    assert written(sample) == 0


def test_an_amendment_preview(sample):
    choices = amendment_choices(sample, BAKER, day("2002-09-30"))
    assert choices.expires == day("2003-01-07")
    assert [i.number for i in choices.replaceable] == [2]
    preview = preview_amendment(
        sample,
        BAKER,
        day("2002-09-30"),
        expires=day("2003-07-07"),
        installments=[Installment(day("2003-06-30"), usd("132000.00"))],
    )
    assert preview.after.terms.expires == day("2003-07-07")
    assert [i.due for i in preview.shown.installments] == [day("2002-06-30"), day("2003-06-30")]
    with pytest.raises(AgreementError) as caught:
        preview_amendment(
            sample,
            BAKER,
            day("2002-09-30"),
            installments=[Installment(day("2003-06-30"), usd("132000.00"))],
        )
    assert caught.value.field == "amendment.installments"
    with pytest.raises(AgreementError) as caught:
        preview_amendment(sample, BAKER, day("2002-09-30"))
    assert caught.value.field == "amendment"
    assert written(sample) == 0
