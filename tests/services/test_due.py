"""The due job's service on SQLite and PostgreSQL: stages, calendars, candidates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from support import BAKER, BAKER_FILE, BAKER_NAME, HECLA, day, usd

from comp_tracker.domain import Stage, TerminationReason, compute_schedule, flags_of
from comp_tracker.sample.synthetic import GENERATED_AS_OF
from comp_tracker.services.agreements import importing as agreements
from comp_tracker.services.context import ServiceError
from comp_tracker.services.demo import load_synthetic
from comp_tracker.services.due.job import find_due, flag_order
from comp_tracker.services.events import recording as events
from comp_tracker.storage.reads import load_agreements


def stages(ctx, as_of: str, within: int = 3) -> list[tuple[str, int, str]]:
    return [
        (f.agreement, f.installment, f.stage.value) for f in find_due(ctx, day(as_of), within).flags
    ]


@pytest.fixture
def baker(ctx):
    agreements.import_files(ctx, [BAKER_FILE])
    return ctx


def write_fourth_of_july(path: Path, agreement_id: str, calendar: str) -> Path:
    """An agreement paying on Friday 5 July 2002, the day after the US holiday."""
    path.write_text(
        "\n".join(
            [
                "[agreement]",
                f'id = "{agreement_id}"',
                'company = "Granite Ridge Minerals Corp."',
                f'employee = "Person on {calendar}"',
                "effective = 2002-01-02",
                "expires = 2002-12-31",
                f'calendar = "{calendar}"',
                "",
                "[[agreement.installments]]",
                "due = 2002-07-05",
                'amount = "1000.00"',
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2002-06-25", []),
        ("2002-06-27", [(BAKER, 1, "upcoming")]),
        ("2002-07-02", [(BAKER, 1, "in window")]),
        ("2002-07-03", [(BAKER, 1, "in window")]),
        ("2002-07-05", [(BAKER, 1, "overdue")]),
        ("2003-01-06", [(BAKER, 1, "overdue"), (BAKER, 2, "in window")]),
    ],
)
def test_the_baker_installments_around_their_due_dates(baker, as_of, expected):
    assert stages(baker, as_of) == expected


def test_an_overdue_flag_names_everything_the_reader_needs(baker):
    [flag] = find_due(baker, day("2002-07-05")).flags
    assert (flag.employee, flag.company, flag.agreement, flag.installment) == (
        BAKER_NAME,
        HECLA,
        BAKER,
        1,
    )
    assert (flag.due, flag.deadline) == (day("2002-06-30"), day("2002-07-03"))
    assert (flag.owed, flag.interest_owed, flag.daily_interest) == (
        usd("66036.16"),
        usd("36.16"),
        usd("18.08"),
    )


def test_a_payment_clears_the_flag_and_voiding_it_brings_it_back(baker):
    recorded = events.record_payment(baker, BAKER, day("2002-07-01"), usd("66000.00"), 1)
    assert stages(baker, "2002-07-05") == []
    events.void_event(baker, recorded.event_id, "entered on the wrong agreement")
    assert stages(baker, "2002-07-05") == [(BAKER, 1, "overdue")]


def test_a_terminated_employee_has_nothing_upcoming(baker):
    events.record_termination(
        baker, BAKER_NAME, day("2002-05-01"), TerminationReason.RESIGNATION, company=HECLA
    )
    assert stages(baker, "2002-06-27") == []


def test_each_agreement_counts_business_days_on_its_own_calendar(ctx, tmp_path):
    us = write_fourth_of_july(tmp_path / "us.toml", "on-us-calendar", "US")
    gb = write_fourth_of_july(tmp_path / "gb.toml", "on-gb-calendar", "GB")
    agreements.import_files(ctx, [us, gb])
    # Tuesday 2 July 2002, two business days ahead: in the US Wednesday 3 and Friday 5 (4 July
    # is a holiday), so the 5 July payment is upcoming; in Great Britain Wednesday 3 and Thursday
    # 4, so it is not yet.
    assert stages(ctx, "2002-07-02", within=2) == [("on-us-calendar", 1, "upcoming")]
    assert stages(ctx, "2002-07-02", within=3) == [
        ("on-gb-calendar", 1, "upcoming"),
        ("on-us-calendar", 1, "upcoming"),
    ]


def test_flags_are_in_deadline_order(baker, tmp_path):
    us = write_fourth_of_july(tmp_path / "us.toml", "on-us-calendar", "US")
    agreements.import_files(baker, [us])
    report = find_due(baker, day("2002-07-10"))
    assert [(f.deadline, f.stage) for f in report.flags] == [
        (day("2002-07-03"), Stage.OVERDUE),
        (day("2002-07-10"), Stage.IN_WINDOW),
    ]


def test_settled_agreements_are_not_even_loaded(baker):
    events.record_payment(baker, BAKER, day("2002-07-01"), usd("66000.00"), 1)
    events.record_payment(baker, BAKER, day("2003-01-02"), usd("132000.00"), 2)
    assert find_due(baker, day("2003-01-06")).candidates == 0
    # Before it was settled it is a candidate, and flagged.
    assert stages(baker, "2002-06-27") == [(BAKER, 1, "upcoming")]


def test_within_out_of_range_is_refused(baker):
    with pytest.raises(ServiceError, match="within = 61: must be a whole number from 0 to 60"):
        find_due(baker, day("2002-06-27"), 61)


def test_an_agreement_whose_next_open_installment_is_far_off_is_not_loaded(baker):
    events.record_payment(baker, BAKER, day("2002-07-01"), usd("66000.00"), 1)
    # Installment 2 (31 December) is the only one open: nothing to load in September...
    assert find_due(baker, day("2002-09-30")).candidates == 0
    # ...nor on the payment's day, but a what-if before it still sees installment 1 coming.
    assert find_due(baker, day("2002-07-01")).candidates == 0
    assert stages(baker, "2002-06-27") == [(BAKER, 1, "upcoming")]
    assert stages(baker, "2002-12-27") == [(BAKER, 2, "upcoming")]


def test_the_candidates_chosen_in_sql_miss_no_flag(ctx):
    """400 synthetic agreements (payments on time, late and partial, terminations, changes in
    control, amendments) on six calendars: on dates across their whole lives, the job finds
    exactly what evaluating every agreement finds, while loading fewer."""
    load_synthetic(ctx, 400, seed=7)
    with ctx.db.read() as connection:
        everything = load_agreements(connection)
    days = [dt.date(2000, 1, 3) + dt.timedelta(days=241 * k) for k in range(48)]
    days += [GENERATED_AS_OF + dt.timedelta(days=k) for k in (-3, -1, 0, 1, 2, 5, 30, 400)]
    for as_of in days:
        for within in (3, 20):
            expected = sorted(
                (
                    flag
                    for item in everything
                    for flag in flags_of(compute_schedule(item.terms, item.events, as_of), within)
                ),
                key=flag_order,
            )
            report = find_due(ctx, as_of, within)
            assert report.flags == expected, (as_of, within)
            assert report.candidates < len(everything)
