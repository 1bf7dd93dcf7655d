"""Browsing every agreement (services/browse/table.py, the UI's Agreements table): search, the
company and status filters and every sort give the same agreements as a brute-force computation with
``queries.list_agreements`` and ``queries.show``; the figures are the engine's; a fill in worker
processes computes the same as one in the thread; figures of changed agreements are dropped.
SQLite only: the browser reads through the loading code the services tests run on both
databases.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from support import BAKER, day, usd

from comp_tracker.domain import AgreementStatus, standing_of
from comp_tracker.domain.money import ZERO
from comp_tracker.sample.synthetic import GENERATED_AS_OF
from comp_tracker.services.agreements import reading as queries
from comp_tracker.services.agreements.reading import AGREEMENT_STATUSES, AgreementLine
from comp_tracker.services.browse import fill as fill_module
from comp_tracker.services.browse import table as browse
from comp_tracker.services.browse.figures import compute_figures
from comp_tracker.services.browse.fill import Fill
from comp_tracker.services.browse.table import Browser, View
from comp_tracker.services.context import Context
from comp_tracker.services.demo import load_samples, load_synthetic
from comp_tracker.services.events import recording as events
from comp_tracker.storage.database import open_database

N = 300
AS_OF = GENERATED_AS_OF


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Iterator[Context]:
    """The samples and 300 synthetic agreements (read only: shared by the module's tests)."""
    path = tmp_path_factory.mktemp("browse") / "browse.db"
    db = open_database(f"sqlite:///{path}")
    context = Context(db, "hr", clock=lambda: dt.datetime(2026, 11, 22, 9, tzinfo=dt.UTC))
    load_samples(context)
    load_synthetic(context, N, seed=1)
    yield context
    db.dispose()


@pytest.fixture(scope="module")
def lines(synthetic) -> list[AgreementLine]:
    return queries.list_agreements(synthetic, AS_OF)


@pytest.fixture(scope="module")
def filled(synthetic) -> Browser:
    browser = browse.load_browser(synthetic)
    assert Fill(synthetic).run(browser, AS_OF, progress=lambda _late: None)
    return browser


def keys(browser: Browser, view: View, as_of: dt.date = AS_OF) -> list[str]:
    selection = browser.select(view, as_of)
    assert selection.complete
    return [browser.key[i] for i in selection.rows]


def brute(
    lines: list[AgreementLine],
    *,
    search: str = "",
    company: Callable[[str], bool] | None = None,
    status: AgreementStatus | None = None,
    sort: Callable[[AgreementLine], Any] | None = None,
    descending: bool = False,
) -> list[str]:
    """The view computed the slow way: list_agreements' lines (in its order: company, employee,
    id), filtered, then sorted by ``sort`` (None: the value is missing, listed last)."""
    found = [
        line
        for line in lines
        if all(
            word in f"{line.employee}\n{line.company}\n{line.agreement}".casefold()
            for word in search.casefold().split()
        )
        and (company is None or company(line.company))
        and (status is None or line.standing.status == status)
    ]
    if sort is not None:
        valued = [line for line in found if sort(line) is not None]
        valued.sort(key=sort)  # stable: ties stay in list_agreements' order
        if descending:
            valued.reverse()
        found = valued + [line for line in found if sort(line) is None]
    elif descending:
        found.reverse()
    return [line.agreement for line in found]


def test_every_figure_is_the_engines(synthetic, filled, lines):
    assert filled.total == N + 1
    assert [filled.key[i] for i in range(filled.total)] == [line.agreement for line in lines]
    day_figures = filled.day(AS_OF)
    assert day_figures.known == filled.total
    for index, line in enumerate(lines):
        found = day_figures.get(index)
        assert found is not None
        schedule = queries.show(synthetic, line.agreement, AS_OF)
        assert found == standing_of(schedule)
        assert (found.status, found.principal_outstanding, found.interest_outstanding) == (
            line.standing.status,
            line.standing.principal_outstanding,
            line.standing.interest_outstanding,
        )


@pytest.mark.parametrize("status", [None, *AGREEMENT_STATUSES])
@pytest.mark.parametrize("search", ["", "an", "son co", "2019", "no such name"])
def test_search_and_status_as_list_agreements(filled, lines, search, status):
    assert keys(filled, View(search=search, status=status)) == brute(
        lines, search=search, status=status
    )


def test_the_totals_are_of_the_rows_shown(filled, lines):
    selection = filled.select(View(status=AgreementStatus.OVERDUE), AS_OF)
    overdue = [line for line in lines if line.standing.status == "overdue"]
    assert selection.outstanding == sum(
        (line.standing.principal_outstanding for line in overdue), ZERO
    )
    assert selection.interest == sum((line.standing.interest_outstanding for line in overdue), ZERO)
    assert len(selection.rows) == len(overdue) > 0
    everything = filled.select(View(), AS_OF)
    assert (everything.outstanding, everything.interest) == queries.totals(lines)


def test_a_company_by_name_or_part_of_one(filled, lines):
    company = lines[40].company
    # Its exact name (any case) finds it alone; part of a name finds every company containing it.
    assert keys(filled, View(company=company.upper())) == brute(
        lines, company=lambda name: name == company
    )
    part = company.split()[0][1:4].lower()
    partial = keys(filled, View(company=part))
    assert partial == brute(lines, company=lambda name: part in name.casefold())
    assert len({line.company for line in lines if line.agreement in partial}) >= 1
    assert keys(filled, View(company="no such company")) == []


def _next_due(synthetic: Context) -> Callable[[AgreementLine], Any]:
    found = {}

    def value(line: AgreementLine) -> Any:
        if line.agreement not in found:
            found[line.agreement] = standing_of(queries.show(synthetic, line.agreement, AS_OF))
        return found[line.agreement].next_due

    return value


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
def test_every_sort_as_list_agreements(synthetic, filled, lines, descending):
    rank = {status: number for number, status in enumerate(AGREEMENT_STATUSES)}
    sorts: dict[str, Callable[[AgreementLine], Any] | None] = {
        "company": None,
        "employee": lambda line: (line.employee, line.company, line.agreement),
        "agreement": lambda line: line.agreement,
        "status": lambda line: rank[line.standing.status],
        "outstanding": lambda line: line.standing.principal_outstanding,
        "interest": lambda line: line.standing.interest_outstanding,
        "next_due": _next_due(synthetic),
    }
    for column, sort in sorts.items():
        assert keys(filled, View(sort=column, descending=descending)) == brute(
            lines, sort=sort, descending=descending
        ), column
    # With a search and a filter too: the sort's order restricted to what they keep.
    assert keys(
        filled,
        View(search="a", status=AgreementStatus.OVERDUE, sort="interest", descending=descending),
    ) == brute(
        lines,
        search="a",
        status=AgreementStatus.OVERDUE,
        sort=sorts["interest"],
        descending=descending,
    )


def test_next_installment_and_what_it_owes(synthetic):
    """The Baker sample on 30 September 2002: installment 1 (66,000.00 due 30 June) is overdue,
    with interest from its deadline (3 July); installment 2 is still to come."""
    load_samples_browser = browse.load_browser(synthetic)
    index = load_samples_browser.key.index(BAKER)
    found = compute_figures(synthetic, [load_samples_browser.ids[index]], day("2002-09-30"))
    (figures,) = found.values()
    schedule = queries.show(synthetic, BAKER, day("2002-09-30"))
    first = schedule.installments[0]
    assert figures.status == "overdue"
    assert figures.next_due == day("2002-06-30")
    assert figures.next_owed == first.principal_outstanding + first.interest_outstanding
    assert figures.next_owed > usd("66000.00")
    assert figures.principal_outstanding == usd("198000.00")


def test_partial_figures_say_so(synthetic, lines):
    """Before every figure is computed, a status filter or a sort by a figure is not complete
    (and lists only the rows known); the overdue and due filters are complete once the
    agreements that can be late are known."""
    browser = browse.load_browser(synthetic)
    assert browser.select(View(), AS_OF).complete
    assert browser.select(View(), AS_OF).outstanding is None  # no figure yet: no totals
    assert not browser.select(View(status=AgreementStatus.OVERDUE), AS_OF).complete
    assert not browser.select(View(sort="outstanding"), AS_OF).complete
    late = browse.late_ids(synthetic, AS_OF)
    browser.set_late(AS_OF, late)
    browser.add_figures(AS_OF, compute_figures(synthetic, late, AS_OF))
    for status in (AgreementStatus.OVERDUE, AgreementStatus.DUE):
        assert keys(browser, View(status=status)) == brute(lines, status=status)
    assert not browser.select(View(status=AgreementStatus.ACTIVE), AS_OF).complete
    # Every overdue or due agreement is among those that can be late.
    assert {line.agreement for line in lines if line.standing.status in ("overdue", "due")} <= {
        browser.key[browser.index_of[i]] for i in late
    }


def test_a_cancelled_selection_stops(filled):
    with pytest.raises(browse.Cancelled):
        filled.select(View(search="a"), AS_OF, cancelled=lambda: True)


def test_a_fill_in_worker_processes_computes_the_same(synthetic, filled, monkeypatch):
    monkeypatch.setattr(fill_module, "PROCESS_THRESHOLD", 0)
    monkeypatch.setattr(fill_module, "FILL_CHUNK", 50)
    browser = browse.load_browser(synthetic)
    fill = Fill(synthetic)
    steps: list[bool] = []
    try:
        fill.warm_up()
        assert fill.run(browser, AS_OF, progress=steps.append)
        assert fill._pool is not None  # it did use processes
    finally:
        # Waiting: without it the processes exit in their own time, which on a loaded machine
        # (the suite in parallel) was more than the ten seconds this test used to allow.
        fill.close(wait=True)
    assert len(steps) == -(-filled.total // 50)
    assert steps.count(True) == 1  # the agreements that can be late were all in, once
    ours, theirs = browser.day(AS_OF), filled.day(AS_OF)
    assert ours.known == filled.total
    assert [ours.get(i) for i in range(filled.total)] == [
        theirs.get(i) for i in range(filled.total)
    ]
    assert not multiprocessing.active_children()


def test_changed_agreements_lose_their_figures(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'changed.db'}")
    context = Context(db, "hr", clock=lambda: dt.datetime(2002, 10, 1, 9, tzinfo=dt.UTC))
    try:
        load_samples(context)
        as_of = day("2002-09-30")
        stamp = browse.records_stamp(context)
        before = browse.load_browser(context)
        assert Fill(context).run(before, as_of, progress=lambda _late: None)
        index = before.key.index(BAKER)
        assert before.day(as_of).get(index).status == "overdue"  # type: ignore[union-attr]
        events.record_payment(context, BAKER, day("2002-09-30"), usd("66000.00"), 1)
        assert browse.records_stamp(context) != stamp
        after = browse.load_browser(context)
        after.carry_over(before)
        assert after.day(as_of).get(after.key.index(BAKER)) is None  # stale: recomputed
        assert after.day(as_of).known == before.day(as_of).known - 1
        assert Fill(context).run(after, as_of, progress=lambda _late: None)
        paid = after.day(as_of).get(after.key.index(BAKER))
        assert paid is not None
        assert paid == standing_of(queries.show(context, BAKER, as_of))
        assert browse.records_stamp(context) == browse.records_stamp(context)
    finally:
        db.dispose()
