"""The Agreements screen: every agreement with the engine's figures on the app's as-of date, as
``comp-tracker agreements`` (``queries.list_agreements``) and ``comp-tracker show`` have them;
search as you type, the company and status filters, the counts and totals, sorting by keys and
by clicking a column, Enter and a click opening an agreement, the as-of date, coming back after
a payment was recorded; a few hundred synthetic agreements checked against a brute-force
computation; the two sizes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support import BAKER, BAKER_NAME, HECLA, day, usd, write_terms
from textual.widgets import Input, Select, Static
from ui_support import AS_OF, LARGE, SMALL, paste, settle

from comp_tracker.domain import TerminationReason, standing_of
from comp_tracker.domain.money import ZERO
from comp_tracker.sample.synthetic import GENERATED_AS_OF
from comp_tracker.services.agreements import reading as queries
from comp_tracker.services.agreements.importing import import_files
from comp_tracker.services.agreements.reading import (
    AGREEMENT_STATUSES,
    AgreementLine,
    list_agreements,
)
from comp_tracker.services.demo import load_synthetic
from comp_tracker.services.events import recording as events
from comp_tracker.tui.app import CompTrackerApp
from comp_tracker.tui.screens.agreements import AgreementsScreen
from comp_tracker.tui.widgets.agreement_grid import AgreementGrid
from comp_tracker.tui.widgets.text import money

GRANITE = "Granite Ridge Minerals Corp."
BASALT = "Basalt Peak Holdings"
#: The as-of date of the several agreements: one of each status.
JULY = day("2022-07-20")


def due_later(path: Path, *args: Any, **kwargs: Any) -> Path:
    """write_terms' agreement with its first installment due on 19 July 2022 (in its payment
    window on JULY) instead of 30 June."""
    write_terms(path, *args, **kwargs)
    path.write_text(path.read_text().replace("2022-06-30", "2022-07-19"))
    return path


@pytest.fixture
def several(context, tmp_path) -> None:
    """Four more agreements of 2021-2022 in two companies: on JULY Dana Okafor's is overdue,
    Min Lee's active (its first installment paid), Ana Ruiz's ended (she resigned) and Tom
    Weiss's due (in its payment window); Baker's is still overdue, never paid."""
    import_files(
        context,
        [
            write_terms(tmp_path / "a.toml", "granite-okafor", "Dana Okafor"),
            write_terms(
                tmp_path / "b.toml", "granite-lee", "Min Lee", amounts=("20000.00", "30000.00")
            ),
            write_terms(tmp_path / "c.toml", "basalt-ruiz", "Ana Ruiz", company=BASALT),
            due_later(
                tmp_path / "d.toml",
                "basalt-weiss",
                "Tom Weiss",
                company=BASALT,
                amounts=("40000.00", "60000.00"),
            ),
        ],
    )
    events.record_payment(context, "granite-lee", day("2022-07-01"), usd("20000.00"), 1)
    events.record_termination(
        context, "Ana Ruiz", day("2022-03-01"), TerminationReason.RESIGNATION, company=BASALT
    )


# -- helpers --------------------------------------------------------------------------------------


async def ready(pilot) -> None:
    """Settle until no worker is left: a worker's result can start another (names loaded ->
    rows selected and figures computed)."""
    for _ in range(100):
        await settle(pilot)
        if not any(worker.is_running for worker in pilot.app.workers):
            return
    raise AssertionError("the workers never finished")


async def open_agreements(pilot) -> AgreementsScreen:
    await ready(pilot)
    await pilot.press("a")
    await ready(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, AgreementsScreen)
    return screen


def shown(screen: AgreementsScreen) -> list[str]:
    """The agreement ids of the table's rows, in order."""
    grid = screen.grid
    assert grid.browser is not None
    return [grid.browser.key[index] for index in grid.rows]


def summary(screen: AgreementsScreen) -> str:
    return str(screen.query_one("#agreements-summary", Static).render())


def current(screen: AgreementsScreen) -> str:
    return str(screen.query_one("#agreements-current", Static).render())


async def type_into(pilot, selector: str, text: str) -> None:
    """Replace what a field holds by typing ``text``, as a person would."""
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    await pilot.pause()
    await pilot.press("home", "ctrl+k")
    await paste(pilot, text)  # delete all, then type
    await ready(pilot)


def names_match(cells: list[str], names: list[str]) -> bool:
    """The name cells show the names, or as much of each as fits, ending with an ellipsis."""
    return len(cells) == len(names) and all(
        cell == name or (cell.endswith("…") and name.startswith(cell[:-1]))
        for cell, name in zip(cells, names, strict=True)
    )


def totals(lines: list[AgreementLine]) -> str:
    principal = sum((line.standing.principal_outstanding for line in lines), ZERO)
    interest = sum((line.standing.interest_outstanding for line in lines), ZERO)
    return f"outstanding {money(principal)} · interest {money(interest)}"


def brute(
    lines: list[AgreementLine],
    *,
    search: str = "",
    status: str | None = None,
    sort: Callable[[AgreementLine], Any] | None = None,
    descending: bool = False,
) -> list[str]:
    """What the table should list, the slow way: list_agreements' lines (ordered by company,
    employee, id), searched and filtered, sorted by ``sort`` (ties in that order; descending
    is the same list reversed)."""
    found = [
        line
        for line in lines
        if all(
            word in f"{line.employee}\n{line.company}\n{line.agreement}".casefold()
            for word in search.casefold().split()
        )
        and (status is None or line.standing.status == status)
    ]
    if sort is not None:
        found.sort(key=sort)
    if descending:
        found.reverse()
    return [line.agreement for line in found]


# -- one agreement --------------------------------------------------------------------------------


async def test_the_sample_agreement_with_the_engines_figures(app, context):
    async with app.run_test(size=(160, 40)) as pilot:  # wide enough for every name in full
        screen = await open_agreements(pilot)
        grid = screen.grid
        assert shown(screen) == [BAKER]
        schedule = queries.show(context, BAKER, AS_OF)
        first = schedule.installments[0]
        assert grid.header_texts() == [
            "Employee",
            "Company ▲",
            "Agreement",
            "Next due",
            "Amount",
            "Status",
            "Outstanding",
            "Interest",
        ]
        # Installment 1 (66,000.00 due 30 June 2002) is overdue on 30 September, with interest.
        assert grid.cell_texts(0) == [
            BAKER_NAME,
            HECLA,
            BAKER,
            "2002-06-30",
            money(first.principal_outstanding + first.interest_outstanding),
            "overdue",
            "198,000.00",
            money(schedule.interest_outstanding),
        ]
        assert standing_of(schedule).status == "overdue"
        interest = money(schedule.interest_outstanding)
        assert summary(screen) == f"1 agreement · outstanding 198,000.00 · interest {interest}"
        assert current(screen) == f"{BAKER} · {BAKER_NAME} · {HECLA}"
        # The screen says what it shows.
        assert "Every agreement" in str(screen.query_one(".screen-description", Static).render())


async def test_enter_and_a_click_open_the_agreement(app, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(CompTrackerApp, "open_agreement", lambda _app, key: opened.append(key))
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_agreements(pilot)
        assert isinstance(screen.focused, AgreementGrid)  # the keys of the app work at once
        await pilot.press("slash")  # to the search box, and back
        assert isinstance(screen.focused, Input)
        await pilot.press("enter")
        assert isinstance(screen.focused, AgreementGrid)
        await pilot.press("slash", "escape")
        assert isinstance(screen.focused, AgreementGrid)
        assert opened == []
        await pilot.press("enter")
        assert opened == [BAKER]
        await pilot.click(AgreementGrid, offset=(3, 1))  # the row under the cursor
        assert opened == [BAKER, BAKER]


# -- several agreements ---------------------------------------------------------------------------


async def test_search_and_filters_with_counts_and_totals(context, several):
    lines = list_agreements(context, JULY)
    assert {line.agreement: line.standing.status for line in lines} == {
        "basalt-ruiz": "ended",
        "basalt-weiss": "due",
        "granite-okafor": "overdue",
        "granite-lee": "active",
        BAKER: "overdue",  # never paid: interest runs on
    }
    app = CompTrackerApp(context, as_of=JULY)
    async with app.run_test(size=LARGE) as pilot:
        screen = await open_agreements(pilot)
        # Everything, in the CLI's order (company, employee, id), with the totals.
        assert shown(screen) == [line.agreement for line in lines]
        assert shown(screen) == [
            "basalt-ruiz",
            "basalt-weiss",
            "granite-okafor",
            "granite-lee",
            BAKER,
        ]
        assert summary(screen) == f"5 agreements · {totals(lines)}"
        for index, line in enumerate(lines):
            cells = screen.grid.cell_texts(index)
            assert names_match(cells[:3], [line.employee, line.company, line.agreement])
            assert cells[5:] == [
                line.standing.status,
                money(line.standing.principal_outstanding),
                money(line.standing.interest_outstanding),
            ]

        # Search as you type: each letter narrows the table; words may come in any order.
        await type_into(pilot, "#agreements-search", "granite")
        assert shown(screen) == ["granite-okafor", "granite-lee"]
        granite = [line for line in lines if line.company == GRANITE]
        assert summary(screen) == f"2 of 5 agreements · {totals(granite)}"
        await pilot.press("space", "l", "e", "e")
        await ready(pilot)
        assert shown(screen) == ["granite-lee"]
        await type_into(pilot, "#agreements-search", "LEE GRAN")
        assert shown(screen) == ["granite-lee"]
        await type_into(pilot, "#agreements-search", "nobody")
        assert shown(screen) == []
        assert summary(screen).startswith("0 of 5 agreements")
        assert "No agreement matches." in screen.grid.render_line(1).text
        await type_into(pilot, "#agreements-search", "")
        assert len(shown(screen)) == 5

        # Company: part of a name finds every company containing it; the suggestion completes it.
        await type_into(pilot, "#agreements-company", "bas")
        assert shown(screen) == ["basalt-ruiz", "basalt-weiss"]
        await pilot.press("right")  # accept the suggested "Basalt Peak Holdings"
        await ready(pilot)
        assert screen.query_one("#agreements-company", Input).value == BASALT
        assert screen.view.company == BASALT
        assert shown(screen) == ["basalt-ruiz", "basalt-weiss"]

        # Status, from the Select, together with the company.
        status = screen.query_one("#agreements-status", Select)
        status.focus()
        await pilot.press("enter", "down", "down", "enter")  # all, overdue, due
        await ready(pilot)
        assert status.value == "due"
        assert shown(screen) == ["basalt-weiss"]
        weiss = [line for line in lines if line.agreement == "basalt-weiss"]
        assert summary(screen) == f"1 of 5 agreements · {totals(weiss)}"
        await type_into(pilot, "#agreements-company", "")
        for wanted in AGREEMENT_STATUSES:
            status.value = wanted
            await ready(pilot)
            assert shown(screen) == brute(lines, status=wanted), wanted
        status.clear()
        await ready(pilot)
        assert len(shown(screen)) == 5


async def test_sorting_with_keys_and_by_clicking_a_column(context, several):
    lines = list_agreements(context, JULY)
    app = CompTrackerApp(context, as_of=JULY)
    async with app.run_test(size=LARGE) as pilot:
        screen = await open_agreements(pilot)
        grid = screen.grid
        grid.focus()
        await pilot.press("s")  # company -> agreement id
        await ready(pilot)
        assert shown(screen) == brute(lines, sort=lambda line: line.agreement)
        assert "Agreement ▲" in grid.header_texts()
        await pilot.press("r")
        await ready(pilot)
        assert shown(screen) == brute(lines, sort=lambda line: line.agreement, descending=True)
        assert "Agreement ▼" in grid.header_texts()

        # A click on a column's header sorts by it; a second click reverses.
        header = grid.header_texts()
        column = header.index("Outstanding")
        x = sum(width + 1 for _, width in grid._columns()[:column]) + 2
        await pilot.click(AgreementGrid, offset=(x, 0))
        await ready(pilot)
        by_outstanding = brute(lines, sort=lambda line: line.standing.principal_outstanding)
        assert shown(screen) == by_outstanding
        assert grid.header_texts()[column] == "Outstanding ▲"
        await pilot.click(AgreementGrid, offset=(x, 0))
        await ready(pilot)
        assert shown(screen) == by_outstanding[::-1]
        assert grid.header_texts()[column] == "Outstanding ▼"

        # Status: the worst first.
        rank = {name: number for number, name in enumerate(AGREEMENT_STATUSES)}
        column = grid.header_texts().index("Status")
        x = sum(width + 1 for _, width in grid._columns()[:column]) + 2
        await pilot.click(AgreementGrid, offset=(x, 0))
        await ready(pilot)
        assert shown(screen) == brute(lines, sort=lambda line: rank[line.standing.status])
        assert shown(screen)[:3] == ["granite-okafor", BAKER, "basalt-weiss"]  # overdue, due

        # The cursor keys move over the rows; the line under the table names the agreement.
        await pilot.press("end")
        assert grid.cursor == 4
        assert current(screen).startswith(shown(screen)[4])
        await pilot.press("home", "down")
        assert grid.cursor == 1
        assert current(screen) == f"{BAKER} · {BAKER_NAME} · {HECLA}"


async def test_the_table_follows_the_as_of_date(context, several):
    app = CompTrackerApp(context, as_of=JULY)
    async with app.run_test(size=LARGE) as pilot:
        screen = await open_agreements(pilot)
        okafor = shown(screen).index("granite-okafor")
        assert screen.grid.cell_texts(okafor)[5] == "overdue"
        app.as_of = day("2022-06-01")  # before the first installment fell due
        await ready(pilot)
        lines = list_agreements(context, day("2022-06-01"))
        assert screen.grid.cell_texts(okafor)[3:] == [
            "2022-06-30",
            "50,000.00",
            "active",
            "150,000.00",
            "0.00",
        ]
        assert summary(screen) == f"5 agreements · {totals(lines)}"
        # Back to July: its figures were kept, the overdue one is overdue again.
        app.as_of = JULY
        await ready(pilot)
        assert screen.grid.cell_texts(okafor)[5] == "overdue"


async def test_coming_back_shows_what_was_recorded_meanwhile(context, several):
    app = CompTrackerApp(context, as_of=JULY)
    async with app.run_test(size=LARGE) as pilot:
        screen = await open_agreements(pilot)
        okafor = shown(screen).index("granite-okafor")
        assert screen.grid.cell_texts(okafor)[5:7] == ["overdue", "150,000.00"]
        # Elsewhere (another screen, or another person), her first installment is paid.
        await pilot.press("h")
        events.record_payment(context, "granite-okafor", day("2022-07-15"), usd("50123.29"), 1)
        await pilot.press("a")
        await ready(pilot)
        line = next(li for li in list_agreements(context, JULY) if li.agreement == "granite-okafor")
        schedule = queries.show(context, "granite-okafor", JULY)
        figures = standing_of(schedule)
        assert screen.grid.cell_texts(okafor)[3:] == [
            figures.next_due.isoformat() if figures.next_due else "",
            money(figures.next_owed),
            line.standing.status,
            money(line.standing.principal_outstanding),
            money(line.standing.interest_outstanding),
        ]
        assert line.standing.status == "active"
        assert line.standing.principal_outstanding == usd("100000.00")


async def test_the_first_page_shows_while_every_agreement_loads(context, several, monkeypatch):
    """On a large database the first page of names is read first (one sorted query), shown,
    then replaced by every agreement; a small one is read once."""
    from comp_tracker.tui.screens import agreements as agreements_screen

    loaded: list[tuple[int, bool]] = []
    original = AgreementsScreen._loaded

    def noting(self, browser, stamp) -> None:
        loaded.append((browser.total, browser.partial))
        original(self, browser, stamp)

    monkeypatch.setattr(AgreementsScreen, "_loaded", noting)
    monkeypatch.setattr(agreements_screen, "FIRST_PAGE", 2)
    app = CompTrackerApp(context, as_of=JULY)
    async with app.run_test(size=LARGE) as pilot:
        screen = await open_agreements(pilot)
        assert loaded == [(2, True), (5, False)]
        assert shown(screen) == [line.agreement for line in list_agreements(context, JULY)]
        assert summary(screen).startswith("5 agreements · outstanding")
    monkeypatch.setattr(agreements_screen, "FIRST_PAGE", 100)
    loaded.clear()
    app = CompTrackerApp(context, as_of=JULY)
    async with app.run_test(size=LARGE) as pilot:
        await open_agreements(pilot)
        assert loaded == [(5, False)]


# -- a few hundred agreements ---------------------------------------------------------------------


async def test_three_hundred_agreements_as_list_agreements(context):
    load_synthetic(context, 300, seed=1)
    as_of = GENERATED_AS_OF
    lines = list_agreements(context, as_of)
    app = CompTrackerApp(context, as_of=as_of)
    async with app.run_test(size=LARGE) as pilot:
        screen = await open_agreements(pilot)
        assert shown(screen) == [line.agreement for line in lines]
        assert summary(screen) == f"301 agreements · {totals(lines)}"
        # Every row's figures are the engine's (list_agreements evaluates each schedule).
        for index, line in enumerate(lines):
            assert screen.grid.cell_texts(index)[5:] == [
                line.standing.status,
                money(line.standing.principal_outstanding),
                money(line.standing.interest_outstanding),
            ]

        await type_into(pilot, "#agreements-search", "son co")
        assert shown(screen) == brute(lines, search="son co")
        assert 0 < len(shown(screen)) < len(lines)
        await type_into(pilot, "#agreements-search", "an")
        assert shown(screen) == brute(lines, search="an")

        status = screen.query_one("#agreements-status", Select)
        for wanted in AGREEMENT_STATUSES:
            status.value = wanted
            await ready(pilot)
            found = brute(lines, search="an", status=wanted)
            assert shown(screen) == found, wanted
            matching = [line for line in lines if line.agreement in found]
            assert summary(screen) == f"{len(found)} of 301 agreements · {totals(matching)}"

        # Sorted by interest, biggest first, among the overdue matching "an".
        status.value = "overdue"
        await ready(pilot)
        screen.grid.focus()
        for _ in ("agreement", "next_due", "next_owed", "status", "outstanding", "interest"):
            await pilot.press("s")
        await pilot.press("r")
        await ready(pilot)
        assert screen.view.sort == "interest"
        assert screen.view.descending
        assert shown(screen) == brute(
            lines,
            search="an",
            status="overdue",
            sort=lambda line: line.standing.interest_outstanding,
            descending=True,
        )


# -- the two sizes --------------------------------------------------------------------------------


def _snapshot_app(context, tmp_path) -> CompTrackerApp:
    import_files(
        context,
        [
            write_terms(tmp_path / "a.toml", "granite-okafor", "Dana Okafor"),
            write_terms(
                tmp_path / "b.toml", "granite-lee", "Min Lee", amounts=("20000.00", "30000.00")
            ),
            write_terms(tmp_path / "c.toml", "basalt-ruiz", "Ana Ruiz", company=BASALT),
            due_later(tmp_path / "d.toml", "basalt-weiss", "Tom Weiss", company=BASALT),
        ],
    )
    events.record_payment(context, "granite-lee", day("2022-07-01"), usd("20000.00"), 1)
    return CompTrackerApp(context, as_of=JULY)


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["small", "large"])
def test_agreements_snapshot(snap_compare, context, tmp_path, size):
    async def run_before(pilot) -> None:
        await open_agreements(pilot)
        screen = pilot.app.screen
        screen.grid.focus()  # no blinking text cursor in the picture
        await pilot.press("down")
        await ready(pilot)

    assert snap_compare(_snapshot_app(context, tmp_path), terminal_size=size, run_before=run_before)
