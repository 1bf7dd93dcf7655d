"""Accruals of the Baker agreement (Exhibit 10.12), as finance would check them at a close.

Installments: $66,000.00 due 30 June 2002 (236 days of service from 6 November 2001) and
$132,000.00 due 31 December 2002 (420 days), each earned ratably over its service period; paid
within three business days; 10% a year (ACT/365F) on late amounts.
"""

from __future__ import annotations

import pytest
from support import day, usd

from comp_tracker.domain import (
    AgreementError,
    Amendment,
    ChangeInControl,
    Event,
    Installment,
    Payment,
    Termination,
    TerminationReason,
)
from comp_tracker.domain.accruals import (
    CANCELLED,
    Accounts,
    AccrualError,
    EntryKind,
    JournalEntry,
    JournalLine,
    Period,
    accrue,
    check_balanced,
)
from comp_tracker.domain.money import ZERO

Q1_2002 = Period(day("2002-01-01"), day("2002-03-31"))
Q3_2002 = Period(day("2002-07-01"), day("2002-09-30"))
Q4_2002 = Period(day("2002-10-01"), day("2002-12-31"))
PAID_ON_TIME = Payment(day("2002-07-01"), usd("66000.00"), installment=1)


def lines_of(entry: JournalEntry) -> list[tuple[str, str, str]]:
    return [(line.account, str(line.debit), str(line.credit)) for line in entry.lines]


def test_earned_and_liability_as_of_2002_03_31(baker):
    """145 days in: 66,000 x 145/236 = 40,550.85 and 132,000 x 145/420 = 45,571.43."""
    result = accrue(baker.terms, [], Q1_2002)
    first, second = result.installments
    assert [first.earned, second.earned] == [usd("40550.85"), usd("45571.43")]
    assert [first.principal_paid, second.principal_paid] == [usd("0.00")] * 2
    assert first.liability + second.liability == usd("86122.28")
    # Opening (31 December 2001, 55 days in): 15,381.36 and 17,285.71.
    assert [first.opening_liability, second.opening_liability] == [
        usd("15381.36"),
        usd("17285.71"),
    ]
    assert [first.compensation_expense, second.compensation_expense] == [
        usd("25169.49"),
        usd("28285.72"),
    ]
    assert [first.status, second.status] == ["scheduled", "scheduled"]
    (entry,) = result.entries
    assert entry.kind is EntryKind.ACCRUAL
    assert entry.date == day("2002-03-31")
    assert lines_of(entry) == [
        ("Compensation expense", "53455.21", "0.00"),
        ("Accrued compensation", "0.00", "53455.21"),
    ]
    r = result.reconciliation
    assert (r.opening_liability, r.compensation_expense, r.closing_liability) == (
        usd("32667.07"),
        usd("53455.21"),
        usd("86122.28"),
    )


def test_q3_2002_termination_without_cause_expenses_the_rest_of_installment_2(baker):
    """Paid 2002-07-01; terminated without cause 2002-09-16: installment 2 accelerates."""
    events: list[Event] = [
        PAID_ON_TIME,
        Termination(day("2002-09-16"), TerminationReason.WITHOUT_CAUSE),
    ]
    result = accrue(baker.terms, events, Q3_2002)
    first, second = result.installments
    # Installment 1 was fully earned at the opening (30 June) and paid on 1 July.
    assert (first.opening_liability, first.compensation_expense) == (usd("66000.00"), ZERO)
    assert (first.principal_payments, first.liability, first.status) == (
        usd("66000.00"),
        usd("0.00"),
        "paid",
    )
    # Installment 2: 236/420 earned at the opening (74,171.43); at the termination the rest of
    # its 132,000.00 is earned at once, so the quarter expenses 57,828.57.
    assert second.opening_liability == usd("74171.43")
    assert second.compensation_expense == usd("57828.57")
    assert second.compensation_reversed == 0
    assert (second.earned, second.liability) == (usd("132000.00"), usd("132000.00"))
    assert (second.due, second.status) == (day("2002-09-16"), "overdue")
    # Due 16 September, payable by the 19th: 11 days late on 30 September, 397.81.
    assert (second.interest_expense, second.interest_payable) == (usd("397.81"), usd("397.81"))

    accrual, interest, payment = result.entries
    assert lines_of(accrual) == [
        ("Compensation expense", "57828.57", "0.00"),
        ("Accrued compensation", "0.00", "57828.57"),
    ]
    assert lines_of(interest) == [
        ("Interest expense", "397.81", "0.00"),
        ("Interest payable", "0.00", "397.81"),
    ]
    assert payment.kind is EntryKind.PAYMENT
    assert payment.date == day("2002-07-01")
    assert lines_of(payment) == [
        ("Accrued compensation", "66000.00", "0.00"),
        ("Cash", "0.00", "66000.00"),
    ]
    r = result.reconciliation
    # 140,171.43 + 57,828.57 - 66,000.00 = 132,000.00
    assert (
        r.opening_liability,
        r.compensation_expense,
        r.principal_payments,
        r.closing_liability,
    ) == (usd("140171.43"), usd("57828.57"), usd("66000.00"), usd("132000.00"))
    assert r.compensation_difference == r.interest_difference == 0


def test_q3_2002_resignation_reverses_what_was_accrued_on_installment_2(baker):
    """Resigned 2002-09-16 instead: installment 2 had not become due, so it is forfeited.

    It accrued 24,200.00 more in the quarter (to 15 September, 313 of 420 days: 98,371.43), and
    the forfeiture reverses all of it, so the quarter's expense is -74,171.43.
    """
    events: list[Event] = [
        PAID_ON_TIME,
        Termination(day("2002-09-16"), TerminationReason.RESIGNATION),
    ]
    result = accrue(baker.terms, events, Q3_2002)
    _, second = result.installments
    assert second.status == "forfeited"
    assert second.compensation_accrued == usd("24200.00")
    assert second.compensation_reversed == usd("98371.43")
    assert second.compensation_expense == usd("-74171.43")
    assert (second.earned, second.liability, second.interest_payable) == (ZERO, ZERO, ZERO)

    accrual, reversal, _payment = result.entries
    assert accrual.kind is EntryKind.ACCRUAL
    assert lines_of(accrual)[0] == ("Compensation expense", "24200.00", "0.00")
    assert reversal.kind is EntryKind.REVERSAL
    assert "installment 2 forfeited" in reversal.description
    assert lines_of(reversal) == [
        ("Accrued compensation", "98371.43", "0.00"),
        ("Compensation expense", "0.00", "98371.43"),
    ]
    r = result.reconciliation
    assert r.closing_liability == 0
    assert r.opening_liability + r.compensation_expense - r.principal_payments == 0


def test_overdue_installment_interest_expense_explains_interest_payable_to_the_cent(baker):
    """Installment 1 unpaid until 15 August 2002, then 30,000.00 paid; nothing more by 30 Sept.

    4 July to 15 August is 43 days: 66,000.00 x 10% x 43/365 = 777.534..., paid first (777.53),
    leaving 29,222.47 for principal. 36,777.53 then runs 46 days to 30 September: 463.497....
    Interest accrued: 777.534... + 463.497... = 1,241.031... -> 1,241.03; payable 463.50.
    """
    events = [Payment(day("2002-08-15"), usd("30000.00"))]
    result = accrue(baker.terms, events, Q3_2002)
    first, second = result.installments
    assert first.status == "overdue"
    assert (first.interest_paid, first.principal_paid) == (usd("777.53"), usd("29222.47"))
    assert first.interest_expense == usd("1241.03")
    assert first.interest_payments == usd("777.53")
    assert first.interest_payable == usd("463.50")
    assert first.opening_interest_payable + first.interest_expense - first.interest_payments == (
        first.interest_payable
    )
    assert second.interest_expense == 0
    entries = {e.kind: e for e in result.entries}
    assert lines_of(entries[EntryKind.INTEREST])[0] == ("Interest expense", "1241.03", "0.00")
    assert lines_of(entries[EntryKind.PAYMENT]) == [
        ("Accrued compensation", "29222.47", "0.00"),
        ("Interest payable", "777.53", "0.00"),
        ("Cash", "0.00", "30000.00"),
    ]
    # The next quarter: 36,777.53 stays unpaid 92 more days. Interest is rounded on the running
    # total (2,168.027... -> 2,168.03), so the quarter's expense is 2,168.03 - 1,241.03 = 927.00,
    # not the 926.995... of the quarter alone: nothing is lost or counted twice between closes.
    q4 = accrue(baker.terms, events, Q4_2002).installments[0]
    assert q4.opening_interest_payable == usd("463.50")
    assert q4.interest_expense == usd("927.00")
    assert q4.interest_payable == usd("1390.50")


def test_change_in_control_reverses_the_installment_it_forfeits(baker):
    events: list[Event] = [PAID_ON_TIME, ChangeInControl(day("2002-08-01"))]
    result = accrue(baker.terms, events, Q3_2002)
    _, second = result.installments
    assert second.status == "forfeited"
    # Accrued to 31 July (267 of 420 days: 83,914.29), then all of it reversed.
    assert second.compensation_accrued == usd("83914.29") - usd("74171.43")
    assert second.compensation_reversed == usd("83914.29")
    assert result.reconciliation.closing_liability == 0


def test_amendment_in_the_period_cancels_and_replaces_an_installment(baker):
    """On 2002-08-01 the parties split installment 2 into two halves (Dec 2002, Mar 2003)."""
    split = (
        Installment(day("2002-12-31"), usd("66000.00")),
        Installment(day("2003-03-31"), usd("66000.00")),
    )
    events: list[Event] = [
        PAID_ON_TIME,
        Amendment(day("2002-08-01"), expires=day("2003-04-07"), installments=split),
    ]
    result = accrue(baker.terms, events, Q3_2002)
    rows = {(r.original_due, r.amount): r for r in result.installments}
    old = rows[(day("2002-12-31"), usd("132000.00"))]
    assert old.status == CANCELLED
    assert old.compensation_reversed == usd("83914.29")  # as accrued to 31 July
    assert (old.earned, old.liability) == (ZERO, ZERO)
    new_half = rows[(day("2002-12-31"), usd("66000.00"))]
    assert new_half.earned == usd("51542.86")  # 66,000.00 x 328/420 (to 30 September)
    assert new_half.opening_liability == 0
    assert result.reconciliation.compensation_difference == 0
    kinds = [e.kind for e in result.entries]
    assert EntryKind.REVERSAL in kinds
    assert "installment 2 cancelled" in result.entries[kinds.index(EntryKind.REVERSAL)].description


def test_accounts_are_configurable(baker):
    accounts = Accounts(
        compensation_expense="6100 Retention bonus expense",
        accrued_compensation="2150 Accrued retention bonus",
        interest_expense="7200 Interest expense",
        interest_payable="2160 Interest payable",
        cash="1010 Operating account",
    )
    result = accrue(baker.terms, [PAID_ON_TIME], Q3_2002, accounts)
    used = {line.account for entry in result.entries for line in entry.lines}
    assert used == {
        "6100 Retention bonus expense",
        "2150 Accrued retention bonus",
        "1010 Operating account",
    }


def test_nothing_to_report_before_the_agreement_or_after_it_is_settled(baker):
    before = accrue(baker.terms, [], Period(day("2001-01-01"), day("2001-03-31")))
    assert not before.has_figures
    assert before.entries == ()
    paid = [PAID_ON_TIME, Payment(day("2002-12-31"), usd("132000.00"), installment=2)]
    assert accrue(baker.terms, paid, Q4_2002).has_figures
    assert not accrue(baker.terms, paid, Period(day("2003-01-01"), day("2003-03-31"))).has_figures


def test_an_unbalanced_entry_is_refused_with_the_reason():
    entry = JournalEntry(
        day("2002-09-30"),
        EntryKind.ACCRUAL,
        "Retention compensation earned",
        (
            JournalLine("Compensation expense", usd("100.00"), usd("0.00")),
            JournalLine("Accrued compensation", usd("0.00"), usd("99.99")),
        ),
    )
    with pytest.raises(AccrualError) as raised:
        check_balanced([entry], "agreement x")
    assert raised.value.message == (
        "agreement x: the accrual entry of 2002-09-30 (Retention compensation earned) does not "
        "balance: debits 100.00, credits 99.99"
    )


def test_period_must_not_end_before_it_starts():
    with pytest.raises(AgreementError) as raised:
        Period(day("2002-10-01"), day("2002-09-30"))
    assert raised.value.message == "period.start = 2002-10-01: is after the period's end 2002-09-30"
