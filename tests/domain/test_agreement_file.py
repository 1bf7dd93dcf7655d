"""The agreement file: what a correct file means, and how each kind of bad file is refused."""

from __future__ import annotations

import dataclasses

import pytest
from support import BAKER_FILE, ROOT, day, usd

from comp_tracker.domain import (
    AgreementError,
    DayCount,
    Event,
    Payment,
    Status,
    Termination,
    TerminationReason,
    Terms,
    compute_schedule,
    dump_agreement,
    load_agreement,
    parse_agreement,
    validate_terms,
)

HEADER = """
[agreement]
id = "a-1"
company = "Example Mining Company"
employee = "Jane Example"
effective = 2001-11-06
expires = 2003-01-07
"""
INSTALLMENTS = """
[[agreement.installments]]
due = 2002-06-30
amount = "66000.00"

[[agreement.installments]]
due = 2002-12-31
amount = 132000.00
"""
MINIMAL = HEADER + INSTALLMENTS


def test_defaults_are_the_model_agreements_terms():
    terms = parse_agreement(MINIMAL).terms
    assert terms.calendar == "US"
    assert terms.payment_window_business_days == 3
    assert terms.end_after_termination_business_days == 4
    assert terms.late_interest_rate == usd("0.10")
    assert terms.day_count is DayCount.ACT_365F
    assert terms.accelerate_on == frozenset({TerminationReason.WITHOUT_CAUSE})
    assert terms.governing_law is None


def test_good_reason_and_for_cause_are_reasons_of_the_file():
    """``accelerate_on`` and a termination's reason take the words of other agreements too: a
    resignation for good reason, a termination for cause; written back as they were read."""
    text = (
        MINIMAL.replace(
            'id = "a-1"', 'id = "a-1"\naccelerate_on = ["without_cause", "good_reason"]'
        )
        + EVENT.format(type="termination", date="2002-07-01")
        + 'reason = "for_cause"\n'
    )
    agreement = parse_agreement(text)
    assert agreement.terms.accelerate_on == {
        TerminationReason.WITHOUT_CAUSE,
        TerminationReason.GOOD_REASON,
    }
    [termination] = agreement.events
    assert termination == Termination(
        day("2002-07-01"), TerminationReason.FOR_CAUSE, ref="events[1]"
    )
    again = parse_agreement(dump_agreement(agreement.terms, agreement.events))
    assert (again.terms, again.events) == (agreement.terms, agreement.events)


def test_toml_numbers_are_read_as_exact_decimals():
    """132000.00 written as a TOML float is Decimal('132000.00'); 0.1 stays exactly 0.1."""
    text = MINIMAL.replace('id = "a-1"', 'id = "a-1"\nlate_interest_rate = 0.1')
    terms = parse_agreement(text).terms
    assert terms.installments[1].amount == usd("132000.00")
    assert str(terms.late_interest_rate) == "0.1"


def test_trailing_zeros_below_the_cents_are_still_cents():
    terms = parse_agreement(MINIMAL.replace('"66000.00"', '"66000.500"')).terms
    assert terms.installments[0].amount == usd("66000.50")


def test_installments_are_numbered_in_due_date_order():
    text = (
        HEADER
        + INSTALLMENTS.replace("2002-06-30", "2003-01-02")
        + (
            '\n[[events]]\ntype = "payment"\ndate = 2003-01-03\namount = "132000.00"\n'
            "installment = 1\n"
        )
    )
    s = compute_schedule(*_parts(text), day("2003-01-03"))
    assert [(i.number, i.due, i.status) for i in s.installments] == [
        (1, day("2002-12-31"), Status.PAID),
        (2, day("2003-01-02"), Status.DUE),
    ]


def test_events_in_any_order(baker):
    text = (
        MINIMAL
        + """
[[events]]
type = "termination"
date = 2002-09-16
reason = "without_cause"

[[events]]
type = "payment"
date = 2002-07-01
amount = "66000.00"
"""
    )
    loaded = parse_agreement(text)
    assert loaded.events == (
        Termination(day("2002-09-16"), TerminationReason.WITHOUT_CAUSE, ref="events[1]"),
        Payment(day("2002-07-01"), usd("66000.00"), ref="events[2]"),
    )
    s = compute_schedule(loaded.terms, loaded.events, day("2002-09-30"))
    assert [i.status for i in s.installments] == [Status.PAID, Status.OVERDUE]


def test_baker_file_is_the_exhibit():
    loaded = load_agreement(BAKER_FILE)
    terms = loaded.terms
    assert (terms.company, terms.employee) == ("Hecla Mining Company", "Phillips S. Baker, Jr.")
    assert (terms.effective, terms.expires) == (day("2001-11-06"), day("2003-01-07"))
    assert [(i.due, i.amount) for i in terms.installments] == [
        (day("2002-06-30"), usd("66000.00")),
        (day("2002-12-31"), usd("132000.00")),
    ]
    assert terms.governing_law == "Idaho"
    assert loaded.events == ()


def test_every_shipped_file_loads():
    files = sorted((ROOT / "data").rglob("*.toml"))
    assert len(files) >= 2
    for path in files:
        load_agreement(path)


def test_round_trip_through_the_writer(baker):
    text = (ROOT / "data" / "scenarios" / "baker-paid-then-terminated.toml").read_text()
    original = parse_agreement(text)
    again = parse_agreement(dump_agreement(original.terms, original.events))
    assert again.terms == original.terms
    assert again.events == original.events
    assert again.validated == original.validated


def _parts(text: str) -> tuple[Terms, tuple[Event, ...]]:
    loaded = parse_agreement(text)
    return loaded.terms, loaded.events


EVENT = '\n[[events]]\ntype = "{type}"\ndate = {date}\n'
PAY = '\n[[events]]\ntype = "payment"\ndate = {date}\namount = "{amount}"\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            MINIMAL.replace("[agreement]", "[agreement"),
            "TOML: syntax error: Expected ']' at the end of a table declaration "
            "(at line 2, column 11)",
            id="toml-syntax",
        ),
        pytest.param(
            MINIMAL.replace('employee = "Jane Example"\n', ""),
            "agreement.employee: is required",
            id="missing-field",
        ),
        pytest.param(
            MINIMAL.replace('id = "a-1"', 'id = "a-1"\nlate_interest = "0.10"'),
            'agreement.late_interest = "0.10": unknown field (expected: id, company, employee, '
            "effective, expires, installments, calendar, payment_window_business_days, "
            "end_after_termination_business_days, late_interest_rate, day_count, accelerate_on, "
            "governing_law)",
            id="unknown-field",
        ),
        pytest.param(
            "title = 1\n" + MINIMAL,
            "title = 1: unknown field (expected: agreement, events)",
            id="unknown-top-level-field",
        ),
        pytest.param(
            MINIMAL.replace('"66000.00"', '"-66000.00"'),
            "agreement.installments[1].amount = -66000.00: must be a positive amount",
            id="negative-amount",
        ),
        pytest.param(
            MINIMAL.replace('"66000.00"', '"0"'),
            "agreement.installments[1].amount = 0: must be a positive amount",
            id="zero-amount",
        ),
        pytest.param(
            MINIMAL.replace('"66000.00"', '"66000.005"'),
            "agreement.installments[1].amount = 66000.005: must have at most two decimals",
            id="three-decimals",
        ),
        pytest.param(
            MINIMAL.replace('"66000.00"', "1e12"),
            "agreement.installments[1].amount = 1E+12: is too large (at most 999999999999.99)",
            id="absurd-amount",
        ),
        pytest.param(
            MINIMAL.replace('"66000.00"', '"1234567890123456789012345678.001"'),
            "agreement.installments[1].amount = 1234567890123456789012345678.001: must have at "
            "most two decimals",
            id="more-digits-than-decimal-precision",
        ),
        pytest.param(
            MINIMAL.replace('"66000.00"', '"66,000.00"'),
            'agreement.installments[1].amount = "66,000.00": must be an amount such as "66000.00"',
            id="thousands-separator",
        ),
        pytest.param(
            MINIMAL.replace("due = 2002-06-30", "due = 2003-06-30"),
            "agreement.installments[1].due = 2003-06-30: is outside the agreement's term "
            "(2001-11-06 to 2003-01-07)",
            id="installment-after-expiry",
        ),
        pytest.param(
            MINIMAL.replace("due = 2002-06-30", "due = 2001-11-05"),
            "agreement.installments[1].due = 2001-11-05: is outside the agreement's term "
            "(2001-11-06 to 2003-01-07)",
            id="installment-before-effective",
        ),
        pytest.param(
            MINIMAL.replace("due = 2002-06-30", 'due = "30/06/2002"'),
            'agreement.installments[1].due = "30/06/2002": must be a date written YYYY-MM-DD',
            id="not-a-date",
        ),
        pytest.param(
            MINIMAL.replace("due = 2002-06-30", "due = 2002-06-30T09:00:00"),
            "agreement.installments[1].due = 2002-06-30 09:00:00: must be a date without a time, "
            "e.g. 2002-06-30",
            id="datetime-not-date",
        ),
        pytest.param(
            MINIMAL.replace("expires = 2003-01-07", "expires = 2001-01-07"),
            "agreement.expires = 2001-01-07: is before the effective date 2001-11-06",
            id="expires-before-effective",
        ),
        pytest.param(
            MINIMAL.replace('id = "a-1"', 'id = "a-1"\ncalendar = "Idaho"'),
            'agreement.calendar = "Idaho": unknown calendar; use a country code such as US or '
            "GB, a country-subdivision such as US-ID, or a market such as NYSE",
            id="unknown-calendar",
        ),
        pytest.param(
            MINIMAL.replace('id = "a-1"', 'id = "a-1"\nday_count = "Actual/365"'),
            'agreement.day_count = "Actual/365": must be one of ACT/365F, ACT/360, 30/360',
            id="unknown-day-count",
        ),
        pytest.param(
            MINIMAL.replace('id = "a-1"', 'id = "a-1"\nlate_interest_rate = 10'),
            "agreement.late_interest_rate = 10: must be a yearly rate from 0 to 1, written as a "
            'fraction ("0.10" is 10%)',
            id="rate-as-percent",
        ),
        pytest.param(
            MINIMAL.replace('id = "a-1"', 'id = "a-1"\npayment_window_business_days = 2.5'),
            "agreement.payment_window_business_days = 2.5: must be a whole number",
            id="fractional-window",
        ),
        pytest.param(
            MINIMAL.replace('id = "a-1"', 'id = "a-1"\naccelerate_on = ["fired"]'),
            'agreement.accelerate_on[1] = "fired": unknown reason (expected one of: '
            "without_cause, good_reason, resignation, death, disability, for_cause, malfeasance, "
            "refusal, felony)",
            id="unknown-accelerate-reason",
        ),
        pytest.param(
            HEADER,
            "agreement.installments: is required",
            id="no-installments",
        ),
        pytest.param(
            MINIMAL + EVENT.format(type="bonus", date="2002-07-01"),
            'events[1].type = "bonus": unknown event type (expected one of: payment, '
            "termination, change_in_control, amendment)",
            id="unknown-event-type",
        ),
        pytest.param(
            MINIMAL + EVENT.format(type="termination", date="2002-07-01") + 'reason = "fired"\n',
            'events[1].reason = "fired": unknown reason (expected one of: without_cause, '
            "good_reason, resignation, death, disability, for_cause, malfeasance, refusal, "
            "felony)",
            id="unknown-reason",
        ),
        pytest.param(
            MINIMAL + EVENT.format(type="termination", date="2002-07-01"),
            "events[1].reason: is required",
            id="termination-without-reason",
        ),
        pytest.param(
            MINIMAL + PAY.format(date="2002-07-01", amount="66000.00") + "reason = 'x'\n",
            'events[1].reason = "x": unknown field (expected: type, date, amount, installment)',
            id="unknown-event-field",
        ),
        pytest.param(
            MINIMAL + PAY.format(date="2001-11-01", amount="100.00"),
            "events[1].date = 2001-11-01: is before the agreement's effective date 2001-11-06",
            id="event-before-effective",
        ),
        pytest.param(
            MINIMAL
            + EVENT.format(type="change_in_control", date="2002-07-01")
            + EVENT.format(type="change_in_control", date="2002-08-01"),
            'events[2].type = "change_in_control": a second change in control; there is already '
            "one on 2002-07-01 (events[1])",
            id="second-change-in-control",
        ),
        pytest.param(
            MINIMAL
            + EVENT.format(type="termination", date="2002-07-01")
            + 'reason = "death"\n'
            + EVENT.format(type="termination", date="2002-08-01")
            + 'reason = "resignation"\n',
            'events[2].type = "termination": a second termination; there is already one on '
            "2002-07-01 (events[1])",
            id="second-termination",
        ),
        pytest.param(
            MINIMAL + PAY.format(date="2002-07-01", amount="198000.01"),
            "events[1].amount = 198000.01: overpayment: only 198000.00 is owed in all on "
            "2002-07-01",
            id="overpayment",
        ),
        pytest.param(
            MINIMAL + PAY.format(date="2002-07-01", amount="1.00") + "installment = 3\n",
            "events[1].installment = 3: no such installment on 2002-07-01; the agreement has 2",
            id="no-such-installment",
        ),
        pytest.param(
            MINIMAL + PAY.format(date="2002-07-01", amount="1.00") + "installment = 0\n",
            "events[1].installment = 0: installments count from 1",
            id="installment-zero",
        ),
        pytest.param(
            MINIMAL
            + EVENT.format(type="termination", date="2002-06-28")
            + 'reason = "resignation"\n'
            + PAY.format(date="2002-07-01", amount="1.00")
            + "installment = 2\n",
            "events[2].installment = 2: installment 2 was forfeited on 2002-06-28; nothing is "
            "payable on it",
            id="payment-to-forfeited",
        ),
        pytest.param(
            MINIMAL + EVENT.format(type="amendment", date="2002-07-01"),
            "events[1]: an amendment needs a new expires date, installments, or both",
            id="empty-amendment",
        ),
    ],
)
def test_bad_files_are_refused_naming_field_and_value(text, message):
    with pytest.raises(AgreementError) as caught:
        parse_agreement(text)
    assert caught.value.message == message


def test_spaces_around_names_are_trimmed_in_files_and_refused_in_terms():
    text = MINIMAL.replace('"Example Mining Company"', '"  Example Mining Company "')
    terms = parse_agreement(text).terms
    assert terms.company == "Example Mining Company"
    assert parse_agreement(dump_agreement(terms)).terms == terms
    with pytest.raises(AgreementError, match="must not start or end with spaces"):
        validate_terms(dataclasses.replace(terms, employee="Jane Example "))


def test_writer_escapes_control_characters():
    terms = parse_agreement(MINIMAL).terms
    odd = dataclasses.replace(terms, employee="Jane\x7fExample\u0007")
    assert parse_agreement(dump_agreement(odd)).terms == odd


def test_error_about_a_value_with_a_newline_stays_on_one_line():
    with pytest.raises(AgreementError) as caught:
        parse_agreement(MINIMAL.replace('"a-1"', '"a-1"\nday_count = "ACT\\n365"'))
    assert caught.value.message == (
        'agreement.day_count = "ACT\\u000a365": must be one of ACT/365F, ACT/360, 30/360'
    )


def test_missing_file_is_named(tmp_path):
    with pytest.raises(AgreementError) as caught:
        load_agreement(tmp_path / "nope.toml")
    assert caught.value.message == f'file = "{tmp_path / "nope.toml"}": no such file'
