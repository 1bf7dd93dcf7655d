"""The planner on the Baker agreement: what each change would do, and what it refuses.

Figures are those of the model agreement (Exhibit 10.12): 66,000.00 due 30 June 2002 and
132,000.00 due 31 December 2002, paid within three business days, 10% a year if late.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from support import BAKER, BAKER_FILE, BAKER_NAME, HECLA, day, usd

from comp_tracker.domain import (
    Amendment,
    ChangeInControl,
    Installment,
    Payment,
    Status,
    Termination,
    TerminationReason,
    load_agreement,
)
from comp_tracker.domain.planner import (
    Amend,
    Book,
    ControlChange,
    Holding,
    Pay,
    Terminate,
    Void,
    plan,
)

TERMS = load_agreement(BAKER_FILE).terms
WITHOUT_CAUSE = TerminationReason.WITHOUT_CAUSE
PAID_ON_TIME = Payment(day("2002-07-01"), usd("66000.00"), 1, ref="event #1")
#: A second agreement of the same person, signed later (a termination applies to both).
LATER = replace(
    TERMS,
    id="hecla-baker-2002-retention",
    effective=day("2002-08-01"),
    installments=(Installment(day("2002-12-31"), usd("50000.00")),),
)


def book(*events, others=()) -> Book:
    return Book((Holding(TERMS, tuple(events), 3), *others))


def terminate(on: str, reason=WITHOUT_CAUSE, ref="termination") -> Terminate:
    return Terminate(HECLA, BAKER_NAME, Termination(day(on), reason, ref))


def test_a_payment_on_time_settles_installment_1():
    planned = plan(
        book(), Pay(BAKER, Payment(day("2002-07-01"), usd("66000.00"))), day("2002-07-31")
    )
    assert planned.ok
    assert planned.schedule.installments[0].status is Status.PAID
    assert planned.schedule.principal_outstanding == usd("132000.00")
    [effect] = planned.effects
    assert effect.version == 3  # the version read: saving refuses a change made in between


def test_a_late_payment_pays_the_interest_first():
    # Deadline 3 July 2002; paid 10 July: 66,000 x 10% x 7/365 = 126.58 of interest first.
    planned = plan(
        book(), Pay(BAKER, Payment(day("2002-07-10"), usd("66000.00"), 1)), day("2002-07-10")
    )
    [applied] = planned.schedule.payments
    assert (applied.allocations[0].interest, applied.allocations[0].principal) == (
        usd("126.58"),
        usd("65873.42"),
    )
    assert planned.schedule.installments[0].principal_outstanding == usd("126.58")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            Pay(BAKER, Payment(day("2002-07-01"), usd("200000.00"))),
            "payment.amount = 200000.00: overpayment: only 198000.00 is owed in all on 2002-07-01",
        ),
        (
            Pay(BAKER, Payment(day("2002-07-01"), usd("0.00"))),
            "amount = 0.00: must be a positive amount",
        ),
        (
            Pay(BAKER, Payment(day("2002-07-01"), usd("1.00"), 3)),
            "payment.installment = 3: no such installment on 2002-07-01; the agreement has 2",
        ),
        (
            Pay(BAKER, Payment(day("2002-07-01"), usd("1.00"), 0)),
            "installment = 0: installments count from 1",
        ),
        (
            Amend(BAKER, Amendment(day("2002-08-01"))),
            "amendment: an amendment needs a new expires date, installments, or both",
        ),
    ],
    ids=["overpayment", "zero", "no-such-installment", "installment-0", "empty-amendment"],
)
def test_refusals_name_the_field_and_the_value(change, message):
    planned = plan(book(), change, day("2002-07-31"))
    assert not planned.ok
    assert [e.message for e in planned.errors] == [message]
    assert planned.steps == ()
    with pytest.raises(type(planned.errors[0]), match="^" + message.replace("(", r"\(")):
        planned.refuse()


def test_a_termination_without_cause_accelerates_every_agreement_in_force():
    later = Holding(LATER, (), 0)
    planned = plan(book(PAID_ON_TIME, others=(later,)), terminate("2002-09-16"), day("2002-09-20"))
    assert planned.ok
    assert [e.agreement for e in planned.effects] == [BAKER, LATER.id]
    assert planned.steps[0].not_affected == ()
    baker, other = planned.schedules
    for state in (baker.installments[1], other.installments[0]):
        assert (state.due, state.deadline, state.accelerated) == (
            day("2002-09-16"),
            day("2002-09-19"),
            True,
        )
    with pytest.raises(ValueError, match="touches 2 agreements"):
        _ = planned.schedule


def test_agreements_not_yet_in_force_are_named_apart():
    later = Holding(replace(LATER, effective=day("2002-10-01")), (), 0)
    planned = plan(book(others=(later,)), terminate("2002-09-16"), day("2002-09-20"))
    assert [e.agreement for e in planned.effects] == [BAKER]
    assert planned.steps[0].not_affected == ("hecla-baker-2002-retention",)


def test_a_resignation_forfeits_what_was_not_yet_due():
    planned = plan(
        book(PAID_ON_TIME),
        terminate("2002-09-16", TerminationReason.RESIGNATION),
        day("2002-12-31"),
    )
    state = planned.schedule.installments[1]
    assert (state.status, state.principal_forfeited) == (Status.FORFEITED, usd("132000.00"))


def test_a_second_termination_is_refused_with_the_first_named():
    first = Termination(day("2002-09-16"), WITHOUT_CAUSE, "event #4")
    records = Book(
        (Holding(TERMS, (PAID_ON_TIME, first)),), terminations={(HECLA, BAKER_NAME): first}
    )
    planned = plan(records, terminate("2002-10-01"), day("2002-10-01"))
    assert planned.errors[0].message == (
        'termination = "Phillips S. Baker, Jr.": already has a termination on 2002-09-16 '
        "(event #4); void it first to record a different one"
    )


def test_a_termination_before_every_agreement_is_refused():
    planned = plan(book(), terminate("2001-11-05"), day("2002-01-01"))
    assert planned.errors[0].message == (
        "termination.date = 2001-11-05: is before the effective date of every agreement of "
        "Phillips S. Baker, Jr. (the earliest is 2001-11-06)"
    )


def test_a_termination_that_would_undo_a_payment_is_refused():
    # Installment 2 paid in advance, then a resignation on a date before it: the payment stands
    # (a warning), so this is accepted; a payment after a forfeiture is what is refused.
    paid_late = Payment(day("2002-12-31"), usd("132000.00"), 2, ref="event #2")
    planned = plan(
        book(paid_late), terminate("2002-09-16", TerminationReason.RESIGNATION), day("2002-12-31")
    )
    assert planned.errors[0].message == (
        "event #2.installment = 2: installment 2 was forfeited on 2002-09-16; nothing is payable "
        "on it"
    )


def test_a_change_in_control_forfeits_what_is_not_yet_due_and_warns_nothing_new():
    change = ControlChange(HECLA, ChangeInControl(day("2002-08-01"), "change_in_control"))
    planned = plan(book(PAID_ON_TIME), change, day("2002-12-31"))
    state = planned.schedule.installments[1]
    assert (state.status, state.forfeited_on) == (Status.FORFEITED, day("2002-08-01"))
    assert planned.schedule.ends_on == day("2002-08-01")
    assert planned.warnings == ()


def test_a_void_is_refused_when_a_later_payment_needs_the_event():
    # The amendment moves installment 2 to 2003-06-30 and the expiry to 2003-07-07; a payment
    # of 1.00 of interest on it after 2003-07-03 would only exist because of it. Voiding the
    # extension leaves a payment dated after the agreement expired, which the engine accepts;
    # voiding the payment instead is always possible.
    amendment = Amendment(
        day("2002-12-01"),
        expires=day("2003-07-07"),
        installments=(Installment(day("2003-06-30"), usd("132000.00")),),
        ref="event #2",
    )
    records = book(PAID_ON_TIME, amendment)
    planned = plan(records, Void(2, "signed by mistake"), day("2003-01-31"))
    assert planned.ok
    restored = planned.schedule.installments[1]
    assert (restored.due, restored.status) == (day("2002-12-31"), Status.OVERDUE)


def test_an_already_voided_event_is_refused():
    records = Book(
        (Holding(TERMS, ()),), voided={"event #1": "on 2002-07-02 09:00 UTC by hr: typo"}
    )
    planned = plan(records, Void(1, "again"), day("2002-07-31"))
    assert (
        planned.errors[0].message == "event = 1: already voided on 2002-07-02 09:00 UTC by hr: typo"
    )


def test_several_changes_are_planned_in_order_and_refused_as_a_whole():
    accelerate = terminate("2002-09-16", ref="what-if event 1")
    pay_all = Pay(BAKER, Payment(day("2002-09-17"), usd("132000.00"), 2, "what-if event 2"))
    planned = plan(book(PAID_ON_TIME), [accelerate, pay_all], day("2002-09-30"))
    assert planned.ok
    assert [s.change for s in planned.steps] == [accelerate, pay_all]
    assert planned.schedule.installments[1].status is Status.PAID
    [effect] = planned.effects
    assert effect.before_events == (PAID_ON_TIME,)  # before the first change, after the last

    too_much = Pay(BAKER, Payment(day("2002-09-17"), usd("132000.01"), 2, "what-if event 2"))
    refused = plan(book(PAID_ON_TIME), [accelerate, too_much], day("2002-09-30"))
    assert [e.message for e in refused.errors] == [
        "what-if event 2.amount = 132000.01: overpayment: only 132000.00 is owed on "
        "installment 2 on 2002-09-17"
    ]
    assert len(refused.steps) == 1  # the step before it was planned, and nothing is recorded


def test_the_same_input_gives_the_same_plan():
    change = terminate("2002-09-16")
    assert plan(book(PAID_ON_TIME), change, day("2002-10-01")) == plan(
        book(PAID_ON_TIME), change, day("2002-10-01")
    )
