"""The synthetic agreement generator: deterministic, exact in count, valid, and varied."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Iterator

import pytest
from support import day, usd

from comp_tracker.domain import (
    AgreementError,
    Amendment,
    ChangeInControl,
    Event,
    Payment,
    Schedule,
    Status,
    Termination,
    TerminationReason,
    compute_schedule,
    get_calendar,
    validate,
)
from comp_tracker.sample import synthetic
from comp_tracker.sample.synthetic import (
    GENERATED_AS_OF,
    SyntheticAgreement,
    SyntheticCompany,
    SyntheticEmployee,
    generate,
)

N = 2000
SEED = 1


def agreements_of(companies: list[SyntheticCompany]) -> list[SyntheticAgreement]:
    return [a for c in companies for e in c.employees for a in e.agreements]


def merged(
    company: SyntheticCompany, employee: SyntheticEmployee, agreement: SyntheticAgreement
) -> list[Event]:
    """The agreement's events plus the termination and change in control that apply to it."""
    events: list[Event] = list(agreement.events)
    if employee.termination is not None:
        events.append(employee.termination)
    cic = company.change_in_control
    if cic is not None and agreement.terms.effective <= cic.date:
        events.append(cic)
    return events


def each_agreement(
    companies: list[SyntheticCompany],
) -> Iterator[tuple[SyntheticCompany, SyntheticEmployee, SyntheticAgreement]]:
    for company in companies:
        for employee in company.employees:
            for agreement in employee.agreements:
                yield company, employee, agreement


@pytest.fixture(scope="module")
def companies() -> list[SyntheticCompany]:
    return list(generate(N, SEED))


@pytest.fixture(scope="module")
def schedules(companies) -> list[Schedule]:
    """Every agreement as of GENERATED_AS_OF, with its termination and change in control."""
    return [
        compute_schedule(agreement.terms, merged(company, employee, agreement), GENERATED_AS_OF)
        for company, employee, agreement in each_agreement(companies)
    ]


# -- determinism and count -------------------------------------------------------------------------


def test_same_seed_same_output_and_another_seed_another():
    assert list(generate(250, 42)) == list(generate(250, 42))
    assert list(generate(250, 42)) != list(generate(250, 43))


def test_leaves_the_global_random_alone():
    state = random.getstate()
    list(generate(100, 5))
    assert random.getstate() == state


@pytest.mark.parametrize("n", [0, 1, 7, 250])
def test_exactly_n_agreements(n):
    assert len(agreements_of(list(generate(n, 3)))) == n


def test_refuses_a_negative_count():
    with pytest.raises(ValueError, match="n must be"):
        generate(-1, 1)


def test_streams_company_by_company():
    # A billion agreements would never finish if they were built before the first is yielded.
    first = next(generate(10**9, 1))
    assert isinstance(first, SyntheticCompany)


# -- shape -----------------------------------------------------------------------------------------


def test_ids_and_names_are_unique(companies):
    ids = [a.terms.id for a in agreements_of(companies)]
    assert len(set(ids)) == len(ids) == N
    people = [e.name for c in companies for e in c.employees]
    assert len(set(people)) == len(people)
    names = [c.name for c in companies]
    assert len(set(names)) == len(names)


def test_names_and_ids_look_right(companies):
    for company, employee, agreement in each_agreement(companies):
        terms = agreement.terms
        assert terms.company == company.name == company.name.strip()
        assert terms.employee == employee.name == employee.name.strip()
        assert terms.id == terms.id.lower()
        assert all(part for part in terms.id.split("-")), terms.id
        assert terms.id.split("-")[-1].isdigit()
        assert "  " not in company.name + employee.name


def test_companies_employees_and_agreements_in_range(companies):
    for company in companies:
        assert 1 <= len(company.employees) <= 30
        assert all(1 <= len(e.agreements) <= 3 for e in company.employees)
        get_calendar(company.calendar)
        for employee in company.employees:
            assert all(a.terms.calendar == company.calendar for a in employee.agreements)
    calendars = Counter(c.calendar for c in companies)
    assert calendars.most_common(1)[0][0] == "US"
    assert {"US", "NYSE"} <= set(calendars)


def test_terms_are_realistic(companies):
    window: Counter[int] = Counter()
    for agreement in agreements_of(companies):
        terms = agreement.terms
        assert day("2000-01-01") <= terms.effective <= day("2028-12-31")
        dues = [i.due for i in terms.installments]
        assert 1 <= len(dues) <= 6
        assert dues == sorted(set(dues))
        assert terms.effective < dues[0]
        assert dues[-1] < terms.expires
        assert (terms.expires - dues[-1]).days <= 35  # 3 to 20 business days
        assert 181 <= (dues[-1] - terms.effective).days <= 4 * 365 + 1  # 6 months to 4 years
        for installment in terms.installments:
            assert usd("5000.00") <= installment.amount <= usd("750000.00")
            assert installment.amount.as_tuple().exponent == -2
        assert terms.governing_law is None or terms.governing_law == terms.governing_law.strip()
        window[terms.payment_window_business_days] += 1
    assert window[3] > 0.8 * N  # mostly the model's three business days


def test_events_belong_to_the_agreement_and_none_is_after_the_as_of_date(companies):
    for company, employee, agreement in each_agreement(companies):
        assert all(isinstance(e, Payment | Amendment) for e in agreement.events)
        assert [e.date for e in agreement.events] == sorted(e.date for e in agreement.events)
        for event in merged(company, employee, agreement):
            assert event.date <= GENERATED_AS_OF
        if employee.termination is not None:
            assert isinstance(employee.termination, Termination)
            assert employee.termination.date >= agreement.terms.effective
        if company.change_in_control is not None:
            assert isinstance(company.change_in_control, ChangeInControl)


# -- validity --------------------------------------------------------------------------------------


def test_every_agreement_validates_with_termination_and_change_in_control(companies):
    for company, employee, agreement in each_agreement(companies):
        validate(agreement.terms, merged(company, employee, agreement))


def test_the_generator_never_needs_to_repair_a_history(monkeypatch):
    refused: list[AgreementError] = []

    def recording(terms, events):
        try:
            return validate(terms, events)
        except AgreementError as error:
            refused.append(error)
            raise

    monkeypatch.setattr(synthetic, "validate", recording)
    assert len(agreements_of(list(generate(N, 2)))) == N
    assert refused == []


# -- distribution ----------------------------------------------------------------------------------


def test_every_termination_reason_and_a_change_in_control(companies):
    reasons = Counter(
        e.termination.reason for c in companies for e in c.employees if e.termination is not None
    )
    assert set(reasons) == set(TerminationReason)
    assert reasons.most_common(2)[0][0] == TerminationReason.WITHOUT_CAUSE
    assert reasons.most_common(2)[1][0] == TerminationReason.RESIGNATION
    assert any(c.change_in_control is not None for c in companies)


def test_histories_include_late_unpaid_accelerated_forfeited_and_amended(companies):
    seen: Counter[str] = Counter()
    for company, employee, agreement in each_agreement(companies):
        events = merged(company, employee, agreement)
        schedule = compute_schedule(agreement.terms, events, GENERATED_AS_OF)
        for state in schedule.installments:
            if state.status == Status.OVERDUE and state.interest_outstanding > 0:
                seen["late, interest owed" if state.principal_paid else "unpaid, overdue"] += 1
            seen["accelerated"] += state.accelerated
            seen["forfeited"] += state.status == Status.FORFEITED
            seen["paid"] += state.status == Status.PAID
        seen["amended"] += any(isinstance(e, Amendment) for e in events)
        seen["unnamed"] += any(isinstance(e, Payment) and e.installment is None for e in events)
        named = Counter(e.installment for e in events if isinstance(e, Payment) and e.installment)
        seen["in two parts"] += any(count > 1 for count in named.values())
    for kind in ("late, interest owed", "unpaid, overdue", "accelerated", "forfeited", "amended"):
        assert seen[kind] > 0, kind
    assert seen["unnamed"] > 0
    assert seen["in two parts"] > 0
    assert seen["paid"] > seen["late, interest owed"] > seen["unpaid, overdue"]


def test_most_late_payments_settle_the_installment_with_its_interest(schedules):
    # An installment paid late is one with a payment (named or not) applied to it after its
    # deadline: the late payment, or the second part of one paid in two parts.
    late = settled = with_interest = 0
    for schedule in schedules:
        states = schedule.installments
        paid_late = {
            allocation.installment
            for payment in schedule.payments
            for allocation in payment.allocations
            if payment.date > states[allocation.installment - 1].deadline
        }
        for number in paid_late:
            state = states[number - 1]
            late += 1
            if state.status == Status.PAID:
                assert state.principal_outstanding == state.interest_outstanding == 0
                settled += 1
                with_interest += state.interest_paid > 0
            else:  # the principal only: the late interest (and a little principal) still owed
                assert state.status == Status.OVERDUE
                assert state.interest_outstanding > 0
    assert late > 200
    assert 0.65 * late < settled < 0.9 * late  # about 80%; the rest is for the due job to catch
    assert with_interest > 0.95 * settled  # a late day may count 0 days under 30/360


def test_installments_are_rarely_left_unpaid_unless_they_fell_due_lately(schedules):
    # Unpaid for years would be a lawsuit; unpaid for a few weeks is HR not having caught it yet.
    recent = GENERATED_AS_OF - dt.timedelta(days=120)
    seen: Counter[str] = Counter()
    for schedule in schedules:
        for state in schedule.installments:
            if state.deadline >= GENERATED_AS_OF or state.status == Status.FORFEITED:
                continue
            age = "recent" if state.deadline > recent else "old"
            seen[age] += 1
            seen[f"{age}, unpaid"] += state.status == Status.OVERDUE and not state.principal_paid
    assert seen["old"] > 1000
    assert seen["recent"] > 20
    assert 0 < seen["old, unpaid"] < 0.02 * seen["old"]
    assert seen["recent, unpaid"] / seen["recent"] > 2 * seen["old, unpaid"] / seen["old"]


def test_most_agreements_owe_nothing_overdue(schedules):
    overdue = sum(any(s.status == Status.OVERDUE for s in x.installments) for x in schedules)
    assert 0 < overdue < 0.15 * len(schedules)
